/* servicemonitor-target-port-selectorless: targetPort (Pod container ports) on Pod-less Services. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

#include <string.h>

/* Whether a hand-written backend points at a Pod: Prometheus then attaches that Pod's container ports. */
static bool has_pod_backends(const struct index *index, const struct object *service)
{
	struct backends b;
	bool pods;
	size_t k;

	index_backends_of(index, service, &b);
	pods = b.endpoints.object && backend_has_pod(b.endpoints.object);
	for (k = 0; k < b.slice_count && !pods; k++)
		pods = backend_has_pod(b.slices[k].object);
	backends_release(&b);
	return pods;
}

/* Whether every selected Service is selectorless (not ExternalName) and has no Pod among its backends:
 * then no target carries a container port. */
static size_t all_without_pods(const struct monitor_selection *sel, const struct monitor_context *mc)
{
	size_t k;

	for (k = 0; k < sel->service_count; k++)
		if (!service_is_selectorless(sel->services[k]) || service_is_external_name(sel->services[k]) ||
		    has_pod_backends(mc->index, sel->services[k]))
			return 0;
	return 1;
}

/* The named backend port that targetPort seems to mean: same number, or same name. */
static const struct port_ref *meant_port(const struct port_list *list, const struct node *target)
{
	long long number = 0;
	const char *name = node_str(target);
	size_t i;

	if (!node_int(target, &number))
		number = -1;
	for (i = 0; i < list->count; i++) {
		const struct port_ref *p = &list->items[i];

		if (*p->name && (p->number == number || (name && strcmp(p->name, name) == 0)))
			return p;
	}
	return NULL;
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node *endpoints = node_get(m->spec, "endpoints");
	struct monitor_selection sel;
	const struct port_list *list = NULL;
	size_t known;
	const char *services;
	unsigned int i;
	size_t k;

	if (!node_is_seq(endpoints) || monitor_select(&sel, mc, m) != MONITOR_OK || !sel.service_count ||
	    !monitor_selection_fact(&sel, mc, all_without_pods))
		return;
	services = sel.service_count == 1 ? rule_describe(ctx, sel.services[0]) :
		   arena_printf(ctx->arena, "all %u Services it selects", (unsigned int)sel.service_count);
	for (i = 0; i < endpoints->count; i++) {
		const struct node *ep = endpoints->u.items[i];
		const struct node *target = node_get(ep, "targetPort");
		const char *port = node_str(node_get(ep, "port"));
		const struct port_ref *meant;
		long long number;
		struct diag *d;

		/* port wins over targetPort; targetPort 0 or "" adds no filter (promcfg.go). */
		if ((port && *port) || !target || node_is_null(target))
			continue;
		if (node_int(target, &number) ? number == 0 : !node_str(target) || !*node_str(target))
			continue;
		/* The selection's ports only for an endpoint reported: most monitors name a port. */
		if (!list)
			list = monitor_selection_ports(&sel, mc, &known);
		meant = meant_port(list, target);
		d = rule_report(ctx, m, target, "targetPort picks a container port of the Pods behind a Service, but %s "
				"has no selector and %s hand-written endpoints are not Pods, so Prometheus keeps no target "
				"from this endpoint; %s", services, sel.service_count == 1 ? "its" : "their",
				meant ? arena_printf(ctx->arena, "use port: %s (the name of the backend port) instead",
						     meant->name)
				      : "name the backend port and use port: <name> instead");
		if (meant)
			rule_note_at(d, meant->owner, meant->name_at, "%s names this port '%s'",
				     rule_describe(ctx, meant->owner), meant->name);
		for (k = 0; k < sel.service_count && k < 3; k++)
			rule_note(d, sel.services[k], NULL, "%s has no selector", rule_describe(ctx, sel.services[k]));
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_target_port_selectorless = {
	.id = "servicemonitor-target-port-selectorless",
	.severity = SEVERITY_ERROR,
	.summary = "a ServiceMonitor endpoint uses targetPort, but every Service it selects is selectorless",
	.rationale = "without port, prometheus-operator filters on targetPort, which it compares with the "
		     "container ports of the Pod behind each endpoint (__meta_kubernetes_pod_container_port_name "
		     "or _number).  The hand-written Endpoints or EndpointSlices of a Service without a selector "
		     "point at bare IPs, not Pods, so those labels are empty and every target is dropped: the job "
		     "scrapes nothing.  (Backends whose targetRef names a Pod are not reported.)",
	.fix = "use port: <name of the Endpoints/EndpointSlice port> instead of targetPort; svclint names the "
	       "port whose number or name targetPort gives.",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd-prom\n"
		   "  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n"
		   "      app.kubernetes.io/name: etcd\n  endpoints:\n  - port: https-metrics   # not targetPort: 2379\n"
		   "    scheme: https\n",
	.check_index = check_index,
};
