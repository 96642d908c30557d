/* endpointslice-on-selector-service: a hand-written EndpointSlice merged into a Service that selects Pods. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

#define SLICE_CONTROLLER "endpointslice-controller.k8s.io"
#define MIRRORING_CONTROLLER "endpointslicemirroring-controller.k8s.io"

/* A slice as the EndpointSlice controller wrote it for s: its managed-by value and a controller
 * ownerReference to the Service (as `kubectl get -o yaml` shows it). */
static bool is_controller_copy(const struct object *slice, const struct object *s)
{
	const char *managed = object_label(slice, LABEL_MANAGED_BY_SLICE);
	const struct node *owners = node_get(object_metadata(slice), "ownerReferences");
	unsigned int i;
	bool controller;

	if (!managed || strcmp(managed, SLICE_CONTROLLER) != 0 || !node_is_seq(owners))
		return false;
	for (i = 0; i < owners->count; i++) {
		const struct node *o = owners->u.items[i];

		if (node_text_eq(node_get(o, "kind"), "Service") && node_text_eq(node_get(o, "name"), s->name) &&
		    node_bool(node_get(o, "controller"), &controller) && controller)
			return true;
	}
	return false;
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *slice = index->by_kind[KIND_ENDPOINTSLICE][i];
		const struct object *s = index_service_of(index, slice).object;
		const struct node_pair *label = node_get_pair(slice->labels, SERVICE_NAME_LABEL);
		const char *managed = object_label(slice, LABEL_MANAGED_BY_SLICE);
		const char *fate = "";
		struct diag *d;

		/* ExternalName Services have no endpoints at all (endpoints-for-external-name).  A Service
		 * defined twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s || !object_is_unique(index, s) || !service_has_selector(s) || service_is_external_name(s) ||
		    is_controller_copy(slice, s))
			continue;
		if (managed && strcmp(managed, SLICE_CONTROLLER) == 0)
			fate = ", until the EndpointSlice controller deletes it: it owns that managed-by value and "
			       "deletes such slices that lack its ownerReference to the Service";
		else if (managed && strcmp(managed, MIRRORING_CONTROLLER) == 0)
			fate = ", until the mirroring controller deletes it: it removes the slices it mirrored for a "
			       "Service that has a selector";
		d = rule_report(ctx, slice, label ? label->value : NULL,
				"%s is labelled for %s, which has a selector: kube-proxy merges every slice labelled "
				"kubernetes.io/service-name: %s with the ones the EndpointSlice controller makes from the "
				"selected Pods, so these addresses get a share of the Service's traffic%s; remove the "
				"label, or remove the Service's selector and list every backend by hand",
				rule_describe(ctx, slice), rule_describe(ctx, s), s->name, fate);
		rule_note(d, s, node_get(s->spec, "selector"), "the selector of %s", rule_describe(ctx, s));
	}
}

const struct rule rule_endpointslice_on_selector_service = {
	.id = "endpointslice-on-selector-service",
	.severity = SEVERITY_WARNING,
	.summary = "a hand-written EndpointSlice is labelled for a Service that has a selector",
	.rationale = "for a Service with a selector, the EndpointSlice controller writes slices from the selected "
		     "Pods and manages only slices with its own managed-by value.  kube-proxy, however, merges every "
		     "slice labelled kubernetes.io/service-name with the Service's name, so a hand-written slice "
		     "silently adds its addresses to the Pods: some connections go elsewhere, and nobody sees why.  "
		     "A slice with the controller's managed-by value but without its ownerReference is deleted by "
		     "the controller; a slice with the mirroring controller's value is deleted by that one.",
	.fix = "to send traffic to addresses outside the cluster, use a separate Service without a selector; "
	       "otherwise remove the kubernetes.io/service-name label or the slice.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: search-external\n  namespace: web\nspec:\n"
		   "  ports:\n  - name: http\n    port: 9200\n---\napiVersion: discovery.k8s.io/v1\n"
		   "kind: EndpointSlice\nmetadata:\n  name: search-external-1\n  namespace: web\n  labels:\n"
		   "    kubernetes.io/service-name: search-external\n    endpointslice.kubernetes.io/managed-by: "
		   "staff\naddressType: IPv4\nendpoints:\n- addresses: [10.40.0.8]\nports:\n- name: http\n"
		   "  port: 9200\n  protocol: TCP\n",
	.check_index = check_index,
};
