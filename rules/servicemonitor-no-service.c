/* servicemonitor-no-service: a ServiceMonitor whose selector matches no Service where it looks. */
#include "rule.h"
#include "monitor.h"

#include <string.h>

/*
 * Services every cluster (or prometheus-operator) creates itself, which manifests never hold: a
 * monitor that selects one of them has its Service even when the manifests do not show it.
 */
static const struct system_service {
	const char *namespace;
	const char *labels[7];	/* key, value pairs, NULL-terminated */
} system_services[] = {
	/* kube-apiserver's own Service, default/kubernetes. */
	{ "default", { "component", "apiserver", "provider", "kubernetes", NULL } },
	/* kubeadm's CoreDNS Service, kube-system/kube-dns. */
	{ "kube-system", { "k8s-app", "kube-dns", "kubernetes.io/cluster-service", "true", "kubernetes.io/name",
			   "CoreDNS", NULL } },
	/* prometheus-operator's kubelet Service (--kubelet-service=kube-system/kubelet). */
	{ "kube-system", { "app.kubernetes.io/name", "kubelet", "app.kubernetes.io/managed-by",
			   "prometheus-operator", "k8s-app", "kubelet", NULL } },
};

static const char *system_label(const void *data, const char *key)
{
	const char *const *labels = data;
	size_t i;

	for (i = 0; labels[i]; i += 2)
		if (strcmp(labels[i], key) == 0)
			return labels[i + 1];
	return NULL;
}

static bool selects_system_service(const struct monitor_selection *sel)
{
	size_t i, j;

	for (i = 0; i < sizeof(system_services) / sizeof(system_services[0]); i++) {
		const struct system_service *s = &system_services[i];
		struct label_source labels = { system_label, s->labels };
		bool in = sel->any_namespace || (sel->own_namespace && !sel->monitor->namespace_explicit);

		for (j = 0; j < sel->namespace_count && !in; j++)
			in = strcmp(sel->namespaces[j], s->namespace) == 0;
		if (in && selector_matches(&sel->selector, &labels))
			return true;
	}
	return false;
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node_pair *selector_pair = node_get_pair(m->spec, "selector");
	const struct object *elsewhere[3], *close[3];
	const struct selector_requirement *close_failure[3];
	size_t elsewhere_count = 0, close_count = 0, i;
	struct monitor_selection sel;
	struct diag *d;

	if (monitor_select(&sel, mc, m) == MONITOR_INVALID) {
		rule_report_as(ctx, SEVERITY_ERROR, m, sel.error->at, "spec.selector is invalid: %s; prometheus-operator "
			       "rejects the whole ServiceMonitor, so Prometheus scrapes nothing it describes", sel.error->message);
		return;
	}
	if (sel.status != MONITOR_OK || sel.service_count)
		return;
	/* Services that match but stand where the monitor does not look, and near misses where it does. */
	for (i = 0; i < mc->index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = mc->index->by_kind[KIND_SERVICE][i];
		struct label_source labels = { object_label_get, s };

		if (s->scope != m->scope)
			continue;
		if (!monitor_namespace_selected(&sel, s)) {
			if (elsewhere_count < 3 && selector_matches(&sel.selector, &labels))
				elsewhere[elsewhere_count++] = s;
			continue;
		}
		if (close_count < 3 && sel.selector.kind == SELECTOR_REQUIREMENTS) {
			const struct selector_requirement *failed = selector_first_failure(&sel.selector, &labels);
			size_t failures = 0, k;

			for (k = 0; k < sel.selector.count; k++) {
				struct selector one = sel.selector;

				one.requirements = &sel.selector.requirements[k];
				one.count = 1;
				if (!selector_matches(&one, &labels))
					failures++;
			}
			/* With one requirement every Service fails it: keep those with the key, another value. */
			if (failures == 1 && (sel.selector.count > 1 || object_label_get(s, failed->key))) {
				close[close_count] = s;
				close_failure[close_count++] = failed;
			}
		}
	}
	/* Without a Service of the manifests where it looks, the Service may simply live elsewhere. */
	if ((!sel.namespaces_covered && !elsewhere_count) || selects_system_service(&sel))
		return;
	if (elsewhere_count)
		d = rule_report(ctx, m, selector_pair ? selector_pair->key : NULL, "no Service in %s matches the "
				"selector %s, so Prometheus discovers no target from this ServiceMonitor; %s%s matches it "
				"but stands in namespace '%s': add namespaceSelector: {matchNames: [%s]} (a ServiceMonitor "
				"without namespaceSelector looks only in its own namespace)",
				monitor_describe_namespaces(ctx->arena, &sel), selector_describe(ctx->arena, &sel.selector),
				elsewhere_count > 1 ? "for example, " : "", rule_describe(ctx, elsewhere[0]),
				elsewhere[0]->namespace, elsewhere[0]->namespace);
	else
		d = rule_report(ctx, m, selector_pair ? selector_pair->key : NULL, "no Service in %s matches the "
				"selector %s, so Prometheus discovers no target from this ServiceMonitor; label the "
				"Service it should scrape with these labels, or correct the selector",
				monitor_describe_namespaces(ctx->arena, &sel), selector_describe(ctx->arena, &sel.selector));
	for (i = 0; i < elsewhere_count; i++)
		rule_note(d, elsewhere[i], NULL, "%s matches the selector, in namespace '%s'",
			  rule_describe(ctx, elsewhere[i]), elsewhere[i]->namespace);
	for (i = 0; i < close_count; i++) {
		const char *has = object_label_get(close[i], close_failure[i]->key);

		rule_note(d, close[i], NULL, "%s fails only %s (%s)", rule_describe(ctx, close[i]),
			  selector_describe_requirement(ctx->arena, close_failure[i]),
			  has ? arena_printf(ctx->arena, "it has %s=%s", close_failure[i]->key, has)
			      : arena_printf(ctx->arena, "it has no label %s", close_failure[i]->key));
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_no_service = {
	.id = "servicemonitor-no-service",
	.severity = SEVERITY_WARNING,
	.summary = "a ServiceMonitor whose selector matches no Service in the namespaces it looks in",
	.rationale = "prometheus-operator turns a ServiceMonitor into a scrape job that keeps only the targets "
		     "of Services whose labels match spec.selector, in the namespaces of spec.namespaceSelector "
		     "(any: true, matchNames, or by default only the ServiceMonitor's own namespace).  When no "
		     "Service matches, the job exists and is silently empty: no alert fires, the metrics are just "
		     "missing.  A classic cause is a monitor in 'monitoring' for a Service in 'kube-system' without "
		     "namespaceSelector.  svclint reports it only when the manifests hold Services in those "
		     "namespaces (never for namespaceSelector.any) or a matching Service in another one, and "
		     "knows the Services clusters create themselves (default/kubernetes, kube-system/kube-dns, "
		     "the operator's kubelet Service).  An invalid selector is an error: the operator rejects the "
		     "whole ServiceMonitor.",
	.fix = "label the Service with the selector's labels, correct the selector, or add "
	       "namespaceSelector.matchNames with the Service's namespace.",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd\n"
		   "  namespace: monitoring\nspec:\n  namespaceSelector:\n    matchNames: [kube-system]\n"
		   "  selector:\n    matchLabels:\n      app.kubernetes.io/name: etcd\n  endpoints:\n"
		   "  - port: https-metrics\n    scheme: https\n",
	.check_index = check_index,
};
