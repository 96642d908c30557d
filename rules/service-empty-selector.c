/* service-empty-selector: selector: {} or null is the same as no selector. */
#include "rule.h"
#include "k8s.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *p;

	/* An ExternalName Service has no endpoints either way. */
	if (o->kind != KIND_SERVICE || service_is_external_name(o) || !(p = node_get_pair(o->spec, "selector")))
		return;
	if (node_is_map(p->value) && p->value->count == 0)
		rule_report(ctx, o, p->key, "'selector: {}' selects nothing: the API server stores an empty selector "
			    "as none, so this Service is selectorless and its Endpoints must be written by hand; "
			    "remove the line, or add the Pod labels to select");
	else if (node_is_null(p->value))
		rule_report(ctx, o, p->key, "'selector:' has no value, which is the same as no selector: this Service "
			    "is selectorless and its Endpoints must be written by hand; remove the line, or add the "
			    "Pod labels to select");
}

const struct rule rule_service_empty_selector = {
	.id = "service-empty-selector",
	.severity = SEVERITY_WARNING,
	.summary = "an empty or null selector, which Kubernetes treats as no selector",
	.rationale = "'selector: {}' reads like 'select every Pod', but the API server drops an empty map, so "
		     "the Service is selectorless: no controller makes its endpoints.  Either the selector lost "
		     "its labels, or the Service means to be selectorless and should say so plainly.",
	.fix = "delete the empty selector if the endpoints are hand-written, or fill in the Pod labels.",
	.example = "spec:\n  selector:\n    app.kubernetes.io/name: etcd\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
