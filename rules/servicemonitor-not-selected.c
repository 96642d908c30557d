/* servicemonitor-not-selected: a ServiceMonitor that none of the manifests' Prometheus objects selects. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	struct monitor_reason why[8];
	const struct prometheus_info *rejecting[8];
	size_t i, count = 0, same_scope = 0;
	struct diag *d;

	/* Of a ServiceMonitor defined twice (duplicate-object) only one definition will exist. */
	if (!object_is_unique(mc->index, m))
		return;

	for (i = 0; i < mc->prometheus_count; i++) {
		const struct prometheus_info *p = &mc->prometheus[i];
		struct monitor_reason reason;

		if (p->prometheus->scope != m->scope)
			continue;
		same_scope++;
		if (prometheus_selects(mc, p, m, &reason) != MONITOR_NO)
			return;
		if (count < 8) {
			rejecting[count] = p;
			why[count++] = reason;
		}
	}
	if (!same_scope)
		return;
	d = rule_report(ctx, m, NULL, "no Prometheus selects this ServiceMonitor, so nothing it describes is "
			"scraped: for %s, %s%s; give it the labels and namespace a Prometheus selects, or widen that "
			"Prometheus' serviceMonitorSelector or serviceMonitorNamespaceSelector",
			rule_describe(ctx, rejecting[0]->prometheus), why[0].text,
			same_scope == 1 ? "" :
			same_scope == 2 ? ", and the other Prometheus does not select it either" :
			arena_printf(ctx->arena, ", and the other %zu Prometheus objects do not select it either",
				     same_scope - 1));
	for (i = 0; i < count; i++) {
		if (count == 1)
			rule_note(d, rejecting[i]->prometheus, why[i].at, "%s",
				  rule_describe(ctx, rejecting[i]->prometheus));
		else
			rule_note(d, rejecting[i]->prometheus, why[i].at, "%s: %s",
				  rule_describe(ctx, rejecting[i]->prometheus), why[i].text);
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	struct monitor_context mc;
	size_t i;

	if (!index->kind_count[KIND_PROMETHEUS])
		return;
	monitor_context_share(&mc, ctx->monitors, ctx->arena);
	/* A selector the operator cannot parse stops the whole Prometheus from being reconciled. */
	for (i = 0; i < mc.prometheus_count; i++)
		if (mc.prometheus[i].status != 0 && object_is_unique(index, mc.prometheus[i].prometheus))
			rule_report_as(ctx, SEVERITY_ERROR, mc.prometheus[i].prometheus, mc.prometheus[i].error.at,
				       "spec.%s is invalid: %s; prometheus-operator cannot select ServiceMonitors for "
				       "this Prometheus and fails to reconcile it",
				       mc.prometheus[i].error_field, mc.prometheus[i].error.message);
	/* A PrometheusAgent selects ServiceMonitors too, and svclint keeps no spec for it. */
	if (mc.has_agent)
		return;
	for (i = 0; i < index->kind_count[KIND_SERVICEMONITOR]; i++) {
		struct arena_mark mark = arena_mark(ctx->arena);

		check_monitor(ctx, &mc, index->by_kind[KIND_SERVICEMONITOR][i]);
		arena_rewind(ctx->arena, mark);
	}
}

const struct rule rule_servicemonitor_not_selected = {
	.id = "servicemonitor-not-selected",
	.severity = SEVERITY_WARNING,
	.summary = "a ServiceMonitor that no Prometheus of the manifests selects",
	.rationale = "a Prometheus object loads only the ServiceMonitors its serviceMonitorSelector matches "
		     "(unset matches none, {} matches all) in the namespaces of its "
		     "serviceMonitorNamespaceSelector (unset means only the Prometheus' own namespace, {} all).  A "
		     "ServiceMonitor outside both is never loaded: nothing reports it, its targets just never "
		     "appear.  The usual causes are a missing release label that a Helm-installed Prometheus "
		     "selects on, and a ServiceMonitor in an application namespace for a Prometheus that looks only "
		     "in its own.  Reported only when the manifests hold a Prometheus object and no PrometheusAgent; "
		     "a namespace selector on labels other than kubernetes.io/metadata.name is not judged.  An "
		     "invalid selector on the Prometheus is an error.",
	.fix = "add the labels the Prometheus' serviceMonitorSelector asks for and put the ServiceMonitor in a "
	       "namespace it selects, or widen the Prometheus' selectors (serviceMonitorNamespaceSelector: {} for "
	       "every namespace).",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n"
		   "  namespace: monitoring\nspec:\n  serviceMonitorSelector: {}\n"
		   "  serviceMonitorNamespaceSelector: {}\n",
	.check_index = check_index,
};
