/* service-port-out-of-range: a Service port number outside 1 to 65535, or none at all. */
#include "rule.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *item = ports->u.items[i];
		const struct node *port = sp->items[i].port;
		const struct node *target = sp->items[i].target;
		long long number;

		if (!node_is_map(item))
			continue;
		if (node_is_null(port)) {
			/* Defaulting leaves it 0, which IsValidPortNum rejects. */
			if (node_int(target, &number) && port_is_valid(number))
				rule_report(ctx, o, item, "this Service port has no 'port' number, only targetPort %lld: "
					    "'port' (1 to 65535) is the number clients connect to and is required, so the "
					    "API server rejects the Service; add port: %lld", number, number);
			else
				rule_report(ctx, o, item, "this Service port has no 'port' number: 'port' (1 to 65535) "
					    "is the number clients connect to and is required, so the API server rejects "
					    "the Service; add it");
			continue;
		}
		/* A quoted "80" is field-type-mismatch's. */
		if (!node_int(port, &number) || port_is_valid(number))
			continue;
		rule_report(ctx, o, port, "Service port %s is out of range: a port number is 1 to 65535, so the API "
			    "server rejects the Service; use the port clients connect to", node_text(port));
	}
}

const struct rule rule_service_port_out_of_range = {
	.id = "service-port-out-of-range",
	.severity = SEVERITY_ERROR,
	.summary = "a Service port is missing or not in 1 to 65535",
	.rationale = "spec.ports[].port is the TCP, UDP or SCTP port clients connect to on the Service's IP; it is "
		     "required and must be 1 to 65535, or the API server rejects the Service.  (The number on "
		     "the Endpoints or EndpointSlice port is where traffic goes; targetPort is ignored for "
		     "selectorless Services.)",
	.fix = "set port to the number clients use; put the backend's number on the Endpoints or EndpointSlice "
	       "port.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mysql-external\n  namespace: data\nspec:\n"
		   "  ports:\n  - name: mysql\n    port: 3306\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
