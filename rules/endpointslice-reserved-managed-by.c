/* endpointslice-reserved-managed-by: a hand-written EndpointSlice that claims a controller's managed-by value. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *p;
	const char *value, *service;

	if (o->kind != KIND_ENDPOINTSLICE)
		return;
	p = node_get_pair(o->labels, LABEL_MANAGED_BY_SLICE);
	if (!p || node_is_null(p->value) || node_text_eq(p->value, "")) {
		rule_report_as(ctx, SEVERITY_INFO, o, p ? p->key : NULL, "this EndpointSlice has no "
			       LABEL_MANAGED_BY_SLICE " label: it is optional but highly recommended, so that "
			       "controllers and people can tell who maintains it; label it with the team or tool "
			       "that writes it, e.g. " LABEL_MANAGED_BY_SLICE ": cluster-admins");
		return;
	}
	/* A copy of a controller's slice keeps its owner reference and server metadata: not hand-written. */
	if (!(value = node_str(p->value)) || object_is_live_copy(o) || node_get(object_metadata(o), "ownerReferences"))
		return;
	service = object_label(o, SERVICE_NAME_LABEL);
	if (strcmp(value, SLICE_CONTROLLER) == 0)
		rule_report(ctx, o, p->value, "managed-by " SLICE_CONTROLLER " claims this hand-written slice for "
			    "the EndpointSlice controller: once its Service has a selector, the controller deletes "
			    "the slice (no owner reference ties it to the Service), and the API server skips its "
			    "address warnings; label it with the team or tool that writes it instead");
	else if (strcmp(value, SLICE_MIRRORING_CONTROLLER) == 0)
		rule_report(ctx, o, p->value, "managed-by " SLICE_MIRRORING_CONTROLLER " claims this hand-written "
			    "slice for the mirroring controller, which rewrites it to match the Endpoints %s or "
			    "deletes it when that Endpoints is missing or not mirrored, and the API server skips its "
			    "address warnings; label it with the team or tool that writes it instead",
			    service && *service ? arena_printf(ctx->arena, "named '%s'", service) : "of its Service");
	else if (strcmp(value, "controller") == 0)
		rule_report(ctx, o, p->value, "managed-by 'controller' reads as Kubernetes' own control plane, and "
			    "the Kubernetes documentation asks custom EndpointSlices not to use it; label it with the "
			    "team or tool that writes it instead");
}

const struct rule rule_endpointslice_reserved_managed_by = {
	.id = "endpointslice-reserved-managed-by",
	.severity = SEVERITY_WARNING,
	.summary = "a hand-written EndpointSlice labelled managed-by a Kubernetes controller, or without managed-by",
	.rationale = "endpointslice.kubernetes.io/managed-by says who maintains a slice.  The EndpointSlice "
		     "controller deletes slices carrying its value (" SLICE_CONTROLLER ") that its Service does "
		     "not own, as soon as that Service has a selector; the mirroring controller rewrites or "
		     "deletes slices carrying its value (" SLICE_MIRRORING_CONTROLLER ") to match the Endpoints "
		     "of the same name; the API server skips its address warnings for both; and the generic "
		     "value 'controller' is one the documentation asks custom slices to avoid.  Copies of live "
		     "objects (with an owner reference, uid or resourceVersion) are skipped.  A slice without the "
		     "label is valid, but the label is highly recommended: that part is advice.",
	.fix = "set endpointslice.kubernetes.io/managed-by to a value of your own, naming the team or tool that "
	       "writes the slice.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd\n"
		   "    endpointslice.kubernetes.io/managed-by: cluster-admins\naddressType: IPv4\nports:\n"
		   "- name: metrics\n  port: 2379\nendpoints:\n- addresses:\n  - 10.0.0.11\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
