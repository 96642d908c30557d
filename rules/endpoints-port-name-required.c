/* endpoints-port-name-required: an unnamed port in an Endpoints subset that has several ports. */
#include "rule.h"
#include "ports.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets;
	unsigned int i, j;

	if (o->kind != KIND_ENDPOINTS || !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++) {
		const struct node *ports = node_get(subsets->u.items[i], "ports");

		/* Validation counts every entry (validateEndpointSubsets: len(ss.Ports) > 1). */
		if (!node_is_seq(ports) || ports->count < 2)
			continue;
		for (j = 0; j < ports->count; j++) {
			const struct node *port = ports->u.items[j];
			const struct node *name = node_get(port, "name");
			long long number;

			if (!node_is_map(port) || (name && !node_is_null(name) && !node_is_string(name)))
				continue;
			if (*port_name(port))
				continue;
			if (node_int(node_get(port, "port"), &number))
				rule_report(ctx, o, name ? name : port, "port %lld has no name, but its subset has %u "
					    "ports and then each needs one: the API server rejects the Endpoints; name "
					    "it after the Service port it serves", number, ports->count);
			else
				rule_report(ctx, o, name ? name : port, "this port has no name, but its subset has %u "
					    "ports and then each needs one: the API server rejects the Endpoints; name "
					    "it after the Service port it serves", ports->count);
		}
	}
}

const struct rule rule_endpoints_port_name_required = {
	.id = "endpoints-port-name-required",
	.severity = SEVERITY_ERROR,
	.summary = "an unnamed port in an Endpoints subset with more than one port",
	.rationale = "when a subset lists more than one port, every port needs a name, and the API server "
		     "rejects the Endpoints otherwise.  The name matters beyond validation: kube-proxy pairs a "
		     "Service port with an endpoint port by name (and protocol), never by number, so each name "
		     "must equal the name of the Service port it serves.",
	.fix = "give each port the name of the matching Service port.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n  ports:\n  - name: client\n    port: 2379\n"
		   "  - name: metrics\n    port: 2381\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
