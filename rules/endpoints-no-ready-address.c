/* endpoints-no-ready-address: an Endpoints whose every address is under notReadyAddresses. */
#include "rule.h"
#include "k8s.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets, *first = NULL;
	unsigned int i, not_ready = 0;

	/* A controller-made Endpoints with no ready Pod is an ordinary state, not a mistake. */
	if (o->kind != KIND_ENDPOINTS || endpoints_is_controller_made(o) ||
	    !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++) {
		const struct node *subset = subsets->u.items[i];
		const struct node *ready = node_get(subset, "addresses");
		const struct node_pair *p = node_get_pair(subset, "notReadyAddresses");

		if (node_is_seq(ready) && ready->count > 0)
			return;
		if (p && node_is_seq(p->value) && p->value->count > 0) {
			not_ready += p->value->count;
			if (!first)
				first = p->key;
		}
	}
	if (!first)
		return;
	rule_report(ctx, o, first, "%s of this Endpoints %s under notReadyAddresses and none under addresses: "
		    "%s mirrored with ready: false and kube-proxy sends %s no traffic, so the Service has no "
		    "working backend; move the addresses that should serve to addresses",
		    not_ready == 1 ? "the only address" : not_ready == 2 ? "both addresses" :
		    arena_printf(ctx->arena, "all %u addresses", not_ready), not_ready == 1 ? "is" : "are",
		    not_ready == 1 ? "it is" : "they are", not_ready == 1 ? "it" : "them");
}

const struct rule rule_endpoints_no_ready_address = {
	.id = "endpoints-no-ready-address",
	.severity = SEVERITY_WARNING,
	.summary = "an Endpoints with notReadyAddresses but no addresses",
	.rationale = "addresses under notReadyAddresses are mirrored to EndpointSlices with ready: false, and "
		     "kube-proxy routes only to ready endpoints (terminating ones aside), so a Service whose "
		     "hand-written Endpoints lists only not-ready addresses gets no traffic through its virtual "
		     "IP.  No controller ever moves them to addresses: nothing probes hand-written backends.  "
		     "Controller-made Endpoints are skipped.",
	.fix = "list the backends that should receive traffic under addresses; keep notReadyAddresses for "
	       "backends deliberately taken out of rotation.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n  - ip: 10.0.0.12\n  ports:\n  - name: metrics\n"
		   "    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
