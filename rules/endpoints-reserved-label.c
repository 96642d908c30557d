/* endpoints-reserved-label: a hand-written Endpoints carrying the endpoints controller's own marks. */
#include "rule.h"
#include "k8s.h"

#define ANNOTATION_OVER_CAPACITY "endpoints.kubernetes.io/over-capacity"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *p;

	/* A copy of a live object shows what the controller wrote; only hand-written ones claim its marks. */
	if (o->kind != KIND_ENDPOINTS || object_is_live_copy(o))
		return;
	p = node_get_pair(o->labels, LABEL_MANAGED_BY_ENDPOINTS);
	if (p && node_text_eq(p->value, "endpoint-controller") && node_is_string(p->value))
		rule_report(ctx, o, p->key, "label " LABEL_MANAGED_BY_ENDPOINTS ": endpoint-controller marks "
			    "Endpoints that the endpoints controller wrote, but these are hand-written: the API server "
			    "then skips its address warnings, and tools (and the cleanup planned in KEP-4974) treat "
			    "the object as the controller's; remove the label");
	p = node_get_pair(object_annotations(o), ANNOTATION_OVER_CAPACITY);
	if (p)
		rule_report(ctx, o, p->key, "annotation " ANNOTATION_OVER_CAPACITY " is the endpoints controller's "
			    "note that it truncated a selector Service's Endpoints to 1000 addresses: on hand-written "
			    "Endpoints it claims a truncation that never happened; remove it");
}

const struct rule rule_endpoints_reserved_label = {
	.id = "endpoints-reserved-label",
	.severity = SEVERITY_WARNING,
	.summary = "a hand-written Endpoints with the endpoints controller's managed-by label or "
		   "over-capacity annotation",
	.rationale = "endpoints.kubernetes.io/managed-by: endpoint-controller (Kubernetes 1.33+) marks "
		     "Endpoints written by the endpoints controller: the API server skips its address warnings "
		     "for them, KEP-4974 plans cleanup keyed on it, and linters and people take the object for "
		     "the controller's.  endpoints.kubernetes.io/over-capacity: truncated is the controller's note "
		     "that it dropped addresses beyond 1000.  Both usually arrive by copying 'kubectl get -o "
		     "yaml' output into a manifest.  Copies that still carry uid, resourceVersion or "
		     "creationTimestamp are taken as exports and skipped.",
	.fix = "delete the label and the annotation from hand-written Endpoints.",
	.example = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: etcd\n  namespace: kube-system\n"
		   "  labels:\n    app.kubernetes.io/name: etcd\nsubsets:\n- addresses:\n  - ip: 10.0.0.11\n"
		   "  ports:\n  - name: metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
