/* endpoints-proxy-filter-label: a label that makes kube-proxy ignore the endpoints of a routed Service. */
#include "rule.h"
#include "k8s.h"

static void check_labels(struct rule_ctx *ctx, const struct object *backend, const struct object *s)
{
	static const char *const filtered[] = { LABEL_HEADLESS, LABEL_PROXY_NAME };
	bool mirrored = backend->kind == KIND_ENDPOINTS;
	size_t k;

	for (k = 0; k < sizeof(filtered) / sizeof(filtered[0]); k++) {
		const struct node_pair *label = node_get_pair(backend->labels, filtered[k]);
		bool headless = k == 0;
		struct diag *d;

		if (!label)
			continue;
		d = rule_report(ctx, backend, label->key,
				"label %s %s, and kube-proxy ignores every EndpointSlice that carries it (%s), so %s "
				"gets no endpoints from %s; %s", filtered[k],
				mirrored ? "is copied to the EndpointSlice mirrored from this Endpoints"
					 : "is on this EndpointSlice",
				headless ? "it marks the endpoints of headless Services, which kube-proxy does not route"
					 : "such slices belong to another service proxy",
				rule_describe(ctx, s), mirrored ? "these addresses" : "this slice",
				headless ? arena_printf(ctx->arena, "remove the label: %s has a cluster IP",
							rule_describe(ctx, s))
					 : "remove the label, or put it on the Service too if another proxy serves it");
		rule_note(d, s, NULL, "%s, routed by kube-proxy", rule_describe(ctx, s));
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i, k;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		const struct object *e;
		struct backends b;

		/* A Service with the proxy-name label is left to another proxy as a whole; one with a selector
		 * gets its endpoints from the controllers, which set these labels themselves.  A Service defined
		 * twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s) ||
		    object_has_label(s, LABEL_PROXY_NAME))
			continue;
		index_backends_of(index, s, &b);
		e = b.endpoints.object;
		/* Labels travel to kube-proxy only through mirroring. */
		if (e && !endpoints_skips_mirror(e) && !endpoints_is_leader_lock(e))
			check_labels(ctx, e, s);
		for (k = 0; k < b.slice_count; k++)
			check_labels(ctx, b.slices[k].object, s);
		backends_release(&b);
	}
}

const struct rule rule_endpoints_proxy_filter_label = {
	.id = "endpoints-proxy-filter-label",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints or EndpointSlice of a routed Service carries a label that hides it from kube-proxy",
	.rationale = "kube-proxy watches Services and EndpointSlices through a label selector that leaves out "
		     "every object labelled service.kubernetes.io/headless or service.kubernetes.io/service-proxy-name "
		     "(whatever the value).  The mirroring controller copies all of an Endpoints' labels to the "
		     "EndpointSlice it makes, so an Endpoints copied from a headless Service, or from one served by "
		     "another proxy, gives a cluster-IP Service no endpoints.  The same holds for a hand-written "
		     "EndpointSlice with either label.",
	.fix = "remove the label from the Endpoints or EndpointSlice; if another proxy is meant to serve the "
	       "Service, label the Service with service.kubernetes.io/service-proxy-name as well.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: search\n  namespace: web\nspec:\n"
		   "  ports:\n  - name: http\n    port: 9200\n---\n"
		   "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: search\n  namespace: web\n  labels:\n"
		   "    app.kubernetes.io/name: search\nsubsets:\n- addresses:\n  - ip: 10.40.0.8\n  ports:\n"
		   "  - name: http\n    port: 9200\n",
	.check_index = check_index,
};
