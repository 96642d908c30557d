/* endpoints-and-slices-both: a selectorless Service fed both by a mirrored Endpoints and by hand-written slices. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

#define MIRRORING_CONTROLLER "endpointslicemirroring-controller.k8s.io"

/* Whether some subset lists an address, so that mirroring makes a slice. */
static bool has_address(const struct object *e)
{
	const struct node *subsets = node_get(e->root, "subsets");
	unsigned int i;

	for (i = 0; node_is_seq(subsets) && i < subsets->count; i++) {
		const struct node *a = node_get(subsets->u.items[i], "addresses");
		const struct node *n = node_get(subsets->u.items[i], "notReadyAddresses");

		if ((node_is_seq(a) && a->count) || (node_is_seq(n) && n->count))
			return true;
	}
	return false;
}

/* A slice kube-proxy merges beside the mirrored one: IPv4 or IPv6 (FQDN slices are never routed), and
 * not itself a mirrored copy of the Endpoints. */
static bool second_source(const struct object *slice)
{
	const char *managed = object_label(slice, LABEL_MANAGED_BY_SLICE);
	const struct node *type = node_get(slice->root, "addressType");

	if (managed && strcmp(managed, MIRRORING_CONTROLLER) == 0)
		return false;
	return node_text_eq(type, "IPv4") || node_text_eq(type, "IPv6");
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i, k;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		const struct object *e;
		struct backends b;
		struct diag *d = NULL;
		unsigned int notes = 0, slices = 0;

		/* A Service defined twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_selectorless(s) || service_is_external_name(s))
			continue;
		index_backends_of(index, s, &b);
		e = b.endpoints.object;
		if (!e || endpoints_skips_mirror(e) || endpoints_is_leader_lock(e) || !has_address(e)) {
			backends_release(&b);
			continue;
		}
		for (k = 0; k < b.slice_count; k++)
			slices += second_source(b.slices[k].object);
		for (k = 0; k < b.slice_count && slices; k++) {
			const struct object *slice = b.slices[k].object;

			if (!second_source(slice))
				continue;
			if (!d)
				d = rule_report(ctx, e, NULL,
						"%s is mirrored to an EndpointSlice, and %s%s also labelled for %s: "
						"kube-proxy and DNS merge them all, so every address in either gets traffic "
						"and the two lists drift apart; keep one source: label this Endpoints "
						"endpointslice.kubernetes.io/skip-mirror: \"true\" if the slices are the "
						"truth (it then serves only readers of the Endpoints API), or delete the "
						"slices", rule_describe(ctx, e), rule_describe(ctx, slice),
						slices > 1 ? arena_printf(ctx->arena, " and %u more EndpointSlice%s are",
									  slices - 1, slices > 2 ? "s" : "") : " is",
						rule_describe(ctx, s));
			if (notes++ < 3)
				rule_note(d, slice, NULL, "%s, labelled for %s", rule_describe(ctx, slice),
					  rule_describe(ctx, s));
		}
		backends_release(&b);
	}
}

const struct rule rule_endpoints_and_slices_both = {
	.id = "endpoints-and-slices-both",
	.severity = SEVERITY_WARNING,
	.summary = "a Service without a selector has both a mirrored Endpoints and hand-written EndpointSlices",
	.rationale = "the mirroring controller copies a selectorless Service's Endpoints into EndpointSlices, "
		     "and kube-proxy merges those with every other slice labelled for the Service.  With both a "
		     "hand-written Endpoints and hand-written slices, the Service's backends are the union of two "
		     "lists that are edited separately: a removed address keeps receiving traffic through the "
		     "other, usually forgotten, list.",
	.fix = "keep one source of truth.  To keep the slices, label the Endpoints "
	       "endpointslice.kubernetes.io/skip-mirror: \"true\" (readers of the Endpoints API, such as "
	       "Prometheus' endpoints role, still see it); otherwise delete the slices.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: https-metrics\n    port: 2379\n---\n"
		   "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n"
		   "  labels:\n    endpointslice.kubernetes.io/skip-mirror: \"true\"\nsubsets:\n- addresses:\n"
		   "  - ip: 10.0.0.11\n  ports:\n  - name: https-metrics\n    port: 2379\n---\n"
		   "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-prom-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd-prom\n"
		   "    endpointslice.kubernetes.io/managed-by: monitoring-team\naddressType: IPv4\n"
		   "endpoints:\n- addresses: [10.0.0.11]\nports:\n- name: https-metrics\n  port: 2379\n"
		   "  protocol: TCP\n",
	.check_index = check_index,
};
