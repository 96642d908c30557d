/* servicemonitor-role-selector-labels: RoleSelector, and the hand-written backends lack the labels. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node_pair *mechanism = node_get_pair(m->spec, "selectorMechanism");
	struct monitor_selection sel;
	size_t i;

	if (monitor_select(&sel, mc, m) != MONITOR_OK || !sel.role_selector)
		return;
	for (i = 0; i < sel.service_count; i++) {
		const struct object *s = sel.services[i];
		unsigned int role;

		/* The controllers copy a selector Service's labels onto the endpoints they write. */
		if (!service_is_selectorless(s) || !object_matches(&sel.selector, s))
			continue;
		for (role = MONITOR_ROLE_ENDPOINTS; role <= MONITOR_ROLE_ENDPOINTSLICE; role <<= 1) {
			const struct object **objects, **o;
			struct label_source labels;
			const struct selector_requirement *failed;
			const char *lacking;
			struct diag *d;
			bool matched = false;

			if (!(sel.roles & role))
				continue;
			objects = monitor_role_objects(mc, s, role);
			for (o = objects; *o && !matched; o++)
				matched = object_matches(&sel.selector, *o);
			if (matched || !objects[0])
				continue;
			labels.get = object_label_get;
			labels.data = objects[0];
			failed = selector_first_failure(&sel.selector, &labels);
			lacking = failed ? selector_describe_requirement(ctx->arena, failed) : "the selector's labels";
			d = rule_report(ctx, m, mechanism ? mechanism->value : NULL, "with selectorMechanism: RoleSelector, "
					"Prometheus applies the selector %s to the %s objects themselves, and those of %s "
					"lack its labels (%s has no %s): this ServiceMonitor gets no target from that "
					"Service; copy the Service's labels onto its %s, or drop selectorMechanism (the "
					"default, RelabelConfig, matches the Service's labels only)",
					selector_describe(ctx->arena, &sel.selector),
					role == MONITOR_ROLE_ENDPOINTS ? "Endpoints" : "EndpointSlice", rule_describe(ctx, s),
					rule_describe(ctx, objects[0]), lacking,
					role == MONITOR_ROLE_ENDPOINTS ? "Endpoints" : "EndpointSlices and Endpoints");
			for (o = objects; *o && o - objects < 3; o++)
				rule_note(d, *o, NULL, "%s, without %s", rule_describe(ctx, *o), lacking);
			rule_note(d, s, NULL, "%s carries the labels", rule_describe(ctx, s));
			break;
		}
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_role_selector_labels = {
	.id = "servicemonitor-role-selector-labels",
	.severity = SEVERITY_WARNING,
	.summary = "a RoleSelector ServiceMonitor selects a selectorless Service whose endpoints lack its labels",
	.rationale = "with selectorMechanism: RoleSelector, prometheus-operator does not filter targets on the "
		     "Service's labels but hands the selector to Prometheus' Kubernetes discovery, which applies it "
		     "to the Endpoints (or EndpointSlice) objects as well as to the Services.  The controllers copy "
		     "a selector Service's labels onto the endpoints they write, but hand-written Endpoints and "
		     "EndpointSlices carry only the labels someone wrote: without the selector's labels they are "
		     "filtered out and the ServiceMonitor finds no target.  (Mirrored EndpointSlices copy the "
		     "Endpoints' labels.)",
	.fix = "give the hand-written Endpoints / EndpointSlices the same labels as the Service, or use the "
	       "default selectorMechanism (RelabelConfig).",
	.example = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n"
		   "  labels:\n    app.kubernetes.io/name: etcd   # the ServiceMonitor's selector\nsubsets:\n"
		   "- addresses:\n  - ip: 10.0.0.11\n  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_index = check_index,
};
