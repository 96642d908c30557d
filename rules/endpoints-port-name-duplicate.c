/* endpoints-port-name-duplicate: a port name repeated within one Endpoints subset. */
#include "rule.h"
#include "ports.h"

#include <string.h>

/*
 * Mirroring first repacks the subsets (RepackSubsets), which merges port entries equal in every
 * field; appProtocol is a pointer there, so only entries without it can merge.
 */
static bool same_port(const struct node *a, const struct node *b)
{
	long long na = 0, nb = 0;

	if (node_get(a, "appProtocol") || node_get(b, "appProtocol"))
		return false;
	if (!node_int(node_get(a, "port"), &na) || !node_int(node_get(b, "port"), &nb))
		return false;
	return na == nb && strcmp(port_protocol(a), port_protocol(b)) == 0;
}

static void check_subset(struct rule_ctx *ctx, const struct object *o, const struct node *ports)
{
	const char **names;
	size_t *firsts, i;

	if (!node_is_seq(ports) || ports->count < 2)
		return;
	/* Unnamed ports in a subset of several are endpoints-port-name-required's finding. */
	names = arena_alloc(ctx->arena, ports->count * sizeof(*names));
	firsts = arena_alloc(ctx->arena, ports->count * sizeof(*firsts));
	for (i = 0; i < ports->count; i++) {
		const char *name = node_str(node_get(ports->u.items[i], "name"));

		names[i] = node_is_map(ports->u.items[i]) && name && *name ? name : NULL;
	}
	texts_first_equal(names, ports->count, firsts);
	for (i = 1; i < ports->count; i++) {
		const struct node *port = ports->u.items[i], *first;
		const char *name = names[i];
		struct diag *d;

		if (firsts[i] == ports->count)
			continue;
		first = ports->u.items[firsts[i]];
		if (same_port(first, port))
			continue;
		if (strcmp(port_protocol(port), port_protocol(first)) != 0)
			d = rule_report(ctx, o, node_get(port, "name"), "port name '%s' appears twice in this "
					"subset, with %s and %s: the API server accepts it, but names must be unique "
					"in an EndpointSlice even across protocols, so the slice mirrored from this "
					"subset is rejected and kube-proxy and cluster DNS never see these endpoints; "
					"give each port its own name, as on the Service", name, port_protocol(first),
					port_protocol(port));
		else
			d = rule_report(ctx, o, node_get(port, "name"), "port name '%s' appears twice in this "
					"subset: the API server accepts it, but an EndpointSlice rejects duplicate "
					"port names, so the slice mirrored from this subset is rejected and kube-proxy "
					"and cluster DNS never see these endpoints; give each port its own name, as on "
					"the Service",
					name);
		rule_note(d, o, node_get(first, "name"), "'%s' is first used here", name);
	}
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets;
	unsigned int i;

	if (o->kind != KIND_ENDPOINTS || !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++)
		check_subset(ctx, o, node_get(subsets->u.items[i], "ports"));
}

const struct rule rule_endpoints_port_name_duplicate = {
	.id = "endpoints-port-name-duplicate",
	.severity = SEVERITY_ERROR,
	.summary = "a port name used twice in one Endpoints subset",
	.rationale = "the API server does not check that port names in an Endpoints subset are unique, but the "
		     "EndpointSlice mirroring controller copies the ports into EndpointSlices (merging only "
		     "entries that are equal in every field), and an EndpointSlice with two ports of one name "
		     "is rejected, even when their protocols differ.  The mirroring fails "
		     "on every sync, so kube-proxy, which reads only EndpointSlices, never gets these endpoints, "
		     "and a Service port of that name could not tell the two apart anyway.",
	.fix = "name each port after the Service port it serves, for example dns and dns-tcp for DNS over "
	       "UDP and TCP.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.53\n  ports:\n  - name: dns\n    port: 53\n"
		   "    protocol: UDP\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
