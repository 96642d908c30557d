/* endpoints-for-external-name: Endpoints or EndpointSlices for an ExternalName Service, which nothing reads. */
#include "rule.h"
#include "k8s.h"

static void report(struct rule_ctx *ctx, const struct object *backend, const struct object *s)
{
	const char *name = node_str(node_get(s->spec, "externalName"));
	const struct node *type = node_get(s->spec, "type");
	struct diag *d;

	d = rule_report(ctx, backend, NULL,
			"%s is of type ExternalName, so its DNS name is a CNAME%s and kube-proxy ignores it: this %s is "
			"never used; delete it, or, if these addresses should receive the traffic, make the Service a "
			"ClusterIP Service without a selector (drop type and externalName)", rule_describe(ctx, s),
			name && *name ? arena_printf(ctx->arena, " to '%s'", name) : "", backend->type->kind_name);
	rule_note(d, s, type, "%s is of type ExternalName", rule_describe(ctx, s));
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i, k;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;

		/* A Service defined twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_external_name(s))
			continue;
		index_backends_of(index, s, &b);
		if (b.endpoints.object && !endpoints_is_controller_made(b.endpoints.object) &&
		    !endpoints_is_leader_lock(b.endpoints.object))
			report(ctx, b.endpoints.object, s);
		for (k = 0; k < b.slice_count; k++)
			report(ctx, b.slices[k].object, s);
		backends_release(&b);
	}
}

const struct rule rule_endpoints_for_external_name = {
	.id = "endpoints-for-external-name",
	.severity = SEVERITY_WARNING,
	.summary = "an Endpoints or EndpointSlice belongs to an ExternalName Service",
	.rationale = "an ExternalName Service is only a DNS alias: cluster DNS answers with a CNAME to "
		     "spec.externalName, kube-proxy skips the Service, and since Kubernetes 1.27 the endpoint "
		     "controllers skip it too.  Endpoints written for it (mirrored or not) and EndpointSlices "
		     "labelled for it are never used, so whoever wrote them expected traffic that never arrives.",
	.fix = "delete the Endpoints or EndpointSlice; or, to send traffic to those addresses, make the Service "
	       "a ClusterIP Service without a selector (remove type: ExternalName and externalName).",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: billing-db\n  namespace: billing\nspec:\n"
		   "  ports:\n  - name: postgres\n    port: 5432\n---\napiVersion: v1\nkind: Endpoints\n"
		   "metadata:\n  name: billing-db\n  namespace: billing\nsubsets:\n- addresses:\n  - ip: 10.30.0.21\n"
		   "  ports:\n  - name: postgres\n    port: 5432\n",
	.check_index = check_index,
};
