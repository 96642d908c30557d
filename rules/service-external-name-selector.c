/* service-external-name-selector: a selector on an ExternalName Service, which nothing uses. */
#include "rule.h"
#include "k8s.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *selector;

	if (o->kind != KIND_SERVICE || !service_is_external_name(o) || !service_has_selector(o))
		return;
	selector = node_get_pair(o->spec, "selector");
	rule_report(ctx, o, selector->key, "this ExternalName Service has a selector, which is ignored: cluster DNS "
		    "answers its name with a CNAME to externalName and kube-proxy never routes it%s; remove the "
		    "selector, or drop type: ExternalName if the selected Pods are the real backends",
		    rule_kube_minor(ctx) >= 27 ? ", and no controller makes endpoints for it" :
		    ", while the endpoints controllers still write endpoints for it that nothing reads");
}

const struct rule rule_service_external_name_selector = {
	.id = "service-external-name-selector",
	.severity = SEVERITY_WARNING,
	.summary = "an ExternalName Service with a selector, which is ignored",
	.rationale = "an ExternalName Service is only a DNS alias: lookups get a CNAME to spec.externalName, and "
		     "kube-proxy skips the Service.  Its selector selects Pods for nothing; since Kubernetes 1.27 "
		     "the Endpoints and EndpointSlice controllers skip ExternalName Services altogether.  A "
		     "selector here usually means the type was changed, or a template was copied, and the author "
		     "expects traffic to reach the selected Pods.",
	.fix = "remove the selector, or, if the Pods are the real backends, remove type: ExternalName and "
	       "externalName.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: billing-db\n  namespace: billing\nspec:\n"
		   "  type: ExternalName\n  externalName: billing-db.prod.example.com\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
