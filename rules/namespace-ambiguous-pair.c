/* namespace-ambiguous-pair: a Service and its backend pair only if kubectl picks the right namespace. */
#include "rule.h"
#include "k8s.h"

static void report(struct rule_ctx *ctx, const struct object *backend, const struct object *service)
{
	const struct object *unset = backend->namespace_explicit ? service : backend;
	const struct object *set = backend->namespace_explicit ? backend : service;
	struct diag *d;

	d = rule_report(ctx, unset, NULL, "%s '%s' has no metadata.namespace, so it lands in whatever namespace it "
			"is applied to ('%s' assumed), while the %s it pairs with is in '%s'; they pair only if it "
			"is applied there: set metadata.namespace: %s", unset->type->kind_name, unset->name,
			unset->namespace, set->type->kind_name, set->namespace, set->namespace);
	rule_note(d, set, NULL, "%s %s/%s", set->type->kind_name, set->namespace, set->name);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTS]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTS][i];
		struct pairing p = index_service_of(index, e);

		if (p.object && p.ambiguous)
			report(ctx, e, p.object);
	}
	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTSLICE][i];
		struct pairing p = index_service_of(index, e);

		if (p.object && p.ambiguous)
			report(ctx, e, p.object);
	}
}

const struct rule rule_namespace_ambiguous_pair = {
	.id = "namespace-ambiguous-pair",
	.severity = SEVERITY_WARNING,
	.summary = "a Service and its backend pair only through an unset namespace",
	.rationale = "an object without metadata.namespace goes to the namespace of kubectl's -n flag or "
		     "context.  When its partner names a namespace explicitly, the pair works only if whoever "
		     "applies it remembers the right -n; otherwise the Endpoints lands elsewhere and the Service "
		     "has none.",
	.fix = "write metadata.namespace on both objects, or on neither (and run svclint with "
	       "--default-namespace).",
	.example = "metadata:\n  name: etcd-prom\n  namespace: kube-system\n",
	.check_index = check_index,
};
