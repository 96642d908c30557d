/* servicemonitor-role-mismatch: the Endpoints discovery role on a Service backed only by EndpointSlices. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

#include <string.h>

/* Where the Endpoints role comes from, for the message. */
static const char *role_origin(struct rule_ctx *ctx, const struct object *m, const struct monitor_selection *sel)
{
	size_t i;

	if (node_text_eq(node_get(m->spec, "serviceDiscoveryRole"), "Endpoints"))
		return "set by this ServiceMonitor";
	for (i = 0; i < sel->selected_by_count; i++) {
		const struct prometheus_info *p = sel->selected_by[i];

		if (p->role == MONITOR_ROLE_ENDPOINTSLICE && !p->slices_supported)
			return arena_printf(ctx->arena, "forced by %s, whose Prometheus version predates 2.21",
					    rule_describe(ctx, p->prometheus));
		if (p->role == MONITOR_ROLE_ENDPOINTS &&
		    node_text_eq(node_get(p->prometheus->spec, "serviceDiscoveryRole"), "Endpoints"))
			return arena_printf(ctx->arena, "set by %s", rule_describe(ctx, p->prometheus));
	}
	return "prometheus-operator's default";
}

static bool mirrored_copy(const struct backends *b)
{
	size_t i;

	for (i = 0; i < b->slice_count; i++) {
		const char *by = object_label(b->slices[i].object, LABEL_MANAGED_BY_SLICE);

		if (by && strcmp(by, SLICE_MIRRORING_CONTROLLER) == 0)
			return true;
	}
	return false;
}

/* Whether the Endpoints role finds no target for the selectorless Service s, which has slices: its
 * backends are hand-written slices only.  *b gets its backends (backends_release()). */
static bool slices_only(const struct monitor_context *mc, const struct object *s, struct backends *b)
{
	if (!service_is_selectorless(s) || service_is_external_name(s)) {
		memset(b, 0, sizeof(*b));
		return false;
	}
	index_backends_of(mc->index, s, b);
	/* A slice the mirroring controller wrote is the copy of an Endpoints that does exist. */
	return !b->endpoints.object && b->slice_count && !mirrored_copy(b);
}

/* How many selected Services slices_only() holds for. */
static size_t count_slices_only(const struct monitor_selection *sel, const struct monitor_context *mc)
{
	size_t n = 0, i;

	for (i = 0; i < sel->service_count; i++) {
		struct backends b;

		n += slices_only(mc, sel->services[i], &b);
		backends_release(&b);
	}
	return n;
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node_pair *role = node_get_pair(m->spec, "serviceDiscoveryRole");
	struct monitor_selection sel;
	size_t i;

	if (monitor_select(&sel, mc, m) != MONITOR_OK || !(sel.roles & MONITOR_ROLE_ENDPOINTS) ||
	    !monitor_selection_fact(&sel, mc, count_slices_only))
		return;
	for (i = 0; i < sel.service_count; i++) {
		const struct object *s = sel.services[i];
		struct backends b;
		struct diag *d;

		if (!slices_only(mc, s, &b)) {
			backends_release(&b);
			continue;
		}
		d = rule_report(ctx, m, role ? role->value : NULL, "%s has no selector and is backed only by "
				"EndpointSlices, but this ServiceMonitor discovers targets with the Endpoints role (%s), "
				"which reads v1 Endpoints objects: Prometheus finds no target for it; set "
				"serviceDiscoveryRole: EndpointSlice on the ServiceMonitor or the Prometheus (Prometheus "
				"2.21 or later)", rule_describe(ctx, s), role_origin(ctx, m, &sel));
		rule_note(d, s, NULL, "%s, selected by this ServiceMonitor", rule_describe(ctx, s));
		rule_note(d, b.slices[0].object, NULL, "%s is labelled for it", rule_describe(ctx, b.slices[0].object));
		backends_release(&b);
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_role_mismatch = {
	.id = "servicemonitor-role-mismatch",
	.severity = SEVERITY_WARNING,
	.summary = "a ServiceMonitor uses the Endpoints role for a selectorless Service that has only EndpointSlices",
	.rationale = "prometheus-operator discovers targets through the Endpoints role unless "
		     "serviceDiscoveryRole: EndpointSlice is set on the ServiceMonitor or on its Prometheus.  That "
		     "role lists v1 Endpoints objects.  A selectorless Service whose endpoints are written as "
		     "EndpointSlices (the way after Endpoints' deprecation in 1.33) has none, because EndpointSlices "
		     "are never mirrored back to Endpoints: the ServiceMonitor finds no target.  svclint takes the "
		     "role from the ServiceMonitor, else from the Prometheus objects of the manifests that select "
		     "it (Endpoints for Prometheus older than 2.21), else the operator's default, Endpoints.",
	.fix = "set spec.serviceDiscoveryRole: EndpointSlice on the ServiceMonitor (or on the Prometheus, for all "
	       "its monitors; Prometheus 2.21 or later), or write an Endpoints for the Service as well.",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd-prom\n"
		   "  namespace: kube-system\nspec:\n  serviceDiscoveryRole: EndpointSlice\n  selector:\n"
		   "    matchLabels:\n      app.kubernetes.io/name: etcd\n  endpoints:\n  - port: https-metrics\n"
		   "    scheme: https\n",
	.check_index = check_index,
};
