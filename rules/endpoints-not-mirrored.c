/* endpoints-not-mirrored: hand-written Endpoints that the mirroring controller skips, with no EndpointSlice instead. */
#include "rule.h"
#include "k8s.h"

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTS]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTS][i];
		bool skip = endpoints_skips_mirror(e), leader = endpoints_is_leader_lock(e);
		const struct node_pair *why;
		const struct object *s;
		struct backends b;
		bool proxied;
		size_t slices;
		struct diag *d;

		if (!skip && !leader)
			continue;
		s = index_service_of(index, e).object;
		/* No Service: endpoints-no-service.  A selector: the controller owns the endpoints
		 * (endpoints-service-has-selector).  ExternalName: nothing reads endpoints.  A Service
		 * defined twice (duplicate-object): which one applies is unknown. */
		if (!s || !object_is_unique(index, s) || !service_is_selectorless(s) || service_is_external_name(s))
			continue;
		index_backends_of(index, s, &b);
		slices = b.slice_count;
		backends_release(&b);
		/* With slices of its own, an unmirrored Endpoints is the intended setup (what
		 * endpoints-and-slices-both recommends): the slices serve kube-proxy and DNS. */
		if (slices)
			continue;
		proxied = service_is_proxied(s);
		why = skip ? node_get_pair(e->labels, LABEL_SKIP_MIRROR)
			   : node_get_pair(object_annotations(e), ANNOTATION_LEADER);
		d = rule_report_as(ctx, proxied ? SEVERITY_ERROR : SEVERITY_WARNING, e, why ? why->key : NULL,
				   "%s is never mirrored to an EndpointSlice (%s), and %s has no EndpointSlice: %s; %s",
				   rule_describe(ctx, e),
				   skip ? "it is labelled " LABEL_SKIP_MIRROR ": \"true\""
					: "it carries the leader-election annotation " ANNOTATION_LEADER,
				   rule_describe(ctx, s),
				   proxied ? "kube-proxy reads only EndpointSlices, so the Service has no endpoints and "
					     "connections to it fail"
					   : "DNS for the headless Service is served from EndpointSlices, so its name "
					     "resolves to no address",
				   skip ? arena_printf(ctx->arena, "remove the label, or add an EndpointSlice labelled "
							"kubernetes.io/service-name: %s", s->name)
					: arena_printf(ctx->arena, "this object is a leader-election lock, not endpoints: "
							"give the Service another name, or back it with an EndpointSlice "
							"labelled kubernetes.io/service-name: %s", s->name));
		rule_note(d, s, NULL, "%s", rule_describe(ctx, s));
	}
}

const struct rule rule_endpoints_not_mirrored = {
	.id = "endpoints-not-mirrored",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints is never mirrored, and its Service has no EndpointSlice",
	.rationale = "kube-proxy and cluster DNS read EndpointSlices only.  For a Service without a selector, "
		     "the EndpointSlice mirroring controller copies a hand-written Endpoints into slices, except "
		     "when the Endpoints is labelled endpointslice.kubernetes.io/skip-mirror with exactly \"true\" "
		     "or carries the leader-election annotation control-plane.alpha.kubernetes.io/leader.  Such an "
		     "Endpoints reaches only old readers of the Endpoints API.  If nothing else gives the Service an "
		     "EndpointSlice, a Service with a cluster IP has no endpoints (error) and a headless one "
		     "resolves to nothing (warning).  With hand-written slices beside it, skip-mirror is the "
		     "intended setup and is not reported.",
	.fix = "remove the skip-mirror label (or set it to anything but \"true\"), or write the EndpointSlice "
	       "yourself, labelled kubernetes.io/service-name with the Service's name.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: billing-db\n  namespace: billing\nspec:\n"
		   "  ports:\n  - name: postgres\n    port: 5432\n---\n"
		   "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: billing-db\n  namespace: billing\n"
		   "subsets:\n- addresses:\n  - ip: 10.30.0.21\n  ports:\n  - name: postgres\n    port: 5432\n",
	.check_index = check_index,
};
