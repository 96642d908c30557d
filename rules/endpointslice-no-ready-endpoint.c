/* endpointslice-no-ready-endpoint: an EndpointSlice none of whose endpoints can receive traffic. */
#include "rule.h"
#include "k8s.h"

/* A condition as kube-proxy reads it: unset means fallback; -1 when it is not a boolean. */
static int condition(const struct node *conditions, const char *name, bool fallback)
{
	const struct node *n = node_get(conditions, name);
	bool value;

	if (!n || node_is_null(n))
		return fallback;
	return node_bool(n, &value) ? value : -1;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *endpoints, *first = NULL;
	unsigned int i;

	/* Slices of Kubernetes' controllers mirror Pod or Endpoints state; that is where to look. */
	if (o->kind != KIND_ENDPOINTSLICE || slice_is_controller_made(o) ||
	    !node_is_seq(endpoints = node_get(o->root, "endpoints")) || endpoints->count == 0)
		return;
	for (i = 0; i < endpoints->count; i++) {
		const struct node *conditions = node_get(endpoints->u.items[i], "conditions");
		int ready = condition(conditions, "ready", true);
		int serving = condition(conditions, "serving", true);
		int terminating = condition(conditions, "terminating", false);

		/* kube-proxy routes to ready endpoints, and falls back to serving, terminating ones. */
		if (!node_is_map(endpoints->u.items[i]) || ready != 0 || serving < 0 || terminating < 0 ||
		    (serving && terminating))
			return;
		if (!first)
			first = node_get(conditions, "ready");
	}
	if (endpoints->count == 1)
		rule_report(ctx, o, first, "the only endpoint has ready: false and is not serving and terminating: "
			    "kube-proxy sends it no traffic, so this slice gives the Service no backend; set ready: "
			    "true, or remove conditions (an unset ready counts as ready)");
	else
		rule_report(ctx, o, first, "%s have ready: false and %s is serving and terminating: kube-proxy "
			    "sends them no traffic, so this slice gives the Service no backend; set ready: true on "
			    "those that should serve, or remove conditions (an unset ready counts as ready)",
			    endpoints->count == 2 ? "both endpoints" :
			    arena_printf(ctx->arena, "all %u endpoints", endpoints->count),
			    endpoints->count == 2 ? "neither" : "none");
}

const struct rule rule_endpointslice_no_ready_endpoint = {
	.id = "endpointslice-no-ready-endpoint",
	.severity = SEVERITY_WARNING,
	.summary = "an EndpointSlice whose every endpoint is not ready",
	.rationale = "kube-proxy sends traffic to endpoints whose conditions.ready is true or unset, and only "
		     "when none is ready, to endpoints that are both serving and terminating (serving unset "
		     "counts as true).  A hand-written slice whose endpoints all say ready: false gives its "
		     "Service no backend, and nothing will ever flip the condition: no controller probes "
		     "hand-written endpoints.  Slices of Kubernetes' own controllers are skipped.",
	.fix = "set conditions.ready: true on the endpoints that should receive traffic, or leave conditions "
	       "out: an unset ready counts as ready.",
	.example = "endpoints:\n- addresses:\n  - 10.0.0.11\n  conditions:\n    ready: true\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
