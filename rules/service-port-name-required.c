/* service-port-name-required: an unnamed port in a Service with more than one port. */
#include "rule.h"

/* "53/UDP", or "at spec.ports[1]" when the port number is missing or mistyped. */
static const char *describe(struct rule_ctx *ctx, const struct node *port, unsigned int index)
{
	const struct node *protocol = node_get(port, "protocol");
	const char *p = node_str(protocol);
	long long number;

	if (!node_int(node_get(port, "port"), &number))
		return arena_printf(ctx->arena, "at spec.ports[%u]", index);
	return arena_printf(ctx->arena, "%lld/%s", number, p && p[0] ? p : "TCP");
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports) || ports->count < 2)
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *port = ports->u.items[i];
		const struct node_pair *name = sp->items[i].name;
		const char *text = name ? node_str(name->value) : NULL;

		if (!node_is_map(port))
			continue;
		/* A name of the wrong type is field-type-mismatch's. */
		if (name && !node_is_null(name->value) && !text)
			continue;
		if (text && text[0])
			continue;
		rule_report(ctx, o, name ? name->value : port, "Service port %s has no name, but every port of a "
			    "Service with %u ports must have one: the API server rejects the Service; add a name "
			    "(lowercase letters, digits and '-') and give the matching Endpoints or EndpointSlice "
			    "port the same name", describe(ctx, port, i), ports->count);
	}
}

const struct rule rule_service_port_name_required = {
	.id = "service-port-name-required",
	.severity = SEVERITY_ERROR,
	.summary = "a Service with more than one port has an unnamed port",
	.rationale = "kube-proxy pairs Service ports with endpoint ports by name and protocol, never by number, "
		     "so when a Service has several ports each needs a name to tell them apart; the API server "
		     "rejects a multi-port Service with an unnamed port.  With a single port the name may be "
		     "empty, and then the endpoint port must be unnamed too.",
	.fix = "name every port, and use exactly the same names on the ports of the Endpoints or "
	       "EndpointSlices that back the Service.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-dns-external\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n"
		   "    port: 53\n    protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
