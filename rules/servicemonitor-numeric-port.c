/* servicemonitor-numeric-port: an endpoint `port` written as a number, where a port name belongs. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

#include <stdlib.h>
#include <string.h>

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The named port of that number among the targets' ports, or NULL. */
static const struct port_ref *named_port_numbered(const struct port_list *list, long long number)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (list->items[i].number == number && *list->items[i].name)
			return &list->items[i];
	return NULL;
}

static bool all_have_selectors(const struct monitor_selection *sel)
{
	size_t i;

	for (i = 0; i < sel->service_count; i++)
		if (!service_has_selector(sel->services[i]))
			return false;
	return true;
}

static const char *fix_for(struct rule_ctx *ctx, const struct monitor_selection *sel, const struct port_ref *named,
			   const char *number)
{
	if (named)
		return arena_printf(ctx->arena, "set port: %s, the name of port %s on %s", named->name, number,
				    rule_describe(ctx, named->owner));
	if (sel->service_count && all_have_selectors(sel))
		return arena_printf(ctx->arena, "set port to the Service port's name, or use targetPort: %s to pick "
				    "the Pods' container port", number);
	return "set port to the port's name (name it on the Service and on its Endpoints or EndpointSlices if it "
	       "has none)";
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node *endpoints = node_get(m->spec, "endpoints");
	struct monitor_selection sel;
	const struct port_list none = { 0 }, *list = &none;
	size_t known;
	bool selected = false;
	unsigned int i;

	/* A fact of this definition alone: reported even when the ServiceMonitor is defined twice. */
	if (!node_is_seq(endpoints))
		return;
	for (i = 0; i < endpoints->count; i++) {
		const struct node *port = node_get(endpoints->u.items[i], "port");
		const char *text = node_text(port);
		const struct port_ref *named;
		struct diag *d;

		if (!text || node_is_null(port) || !is_digits(text))
			continue;
		/* The selection's ports only when a port is a number: a monitor that selects thousands of
		 * Services would otherwise copy their ports for nothing. */
		if (!selected) {
			selected = true;
			if (monitor_select(&sel, mc, m) == MONITOR_OK)
				list = monitor_selection_ports(&sel, mc, &known);
		}
		named = named_port_numbered(list, strtoll(text, NULL, 10));
		if (node_is_int(port)) {
			d = rule_report(ctx, m, port, "port is the number %s, but it must be a string naming a port: the API "
					"server rejects this ServiceMonitor (the CRD declares port as a string); %s", text,
					fix_for(ctx, &sel, named, text));
		} else {
			/* A backend port may really be named "2379": then it works. */
			if (ports_named(list, text))
				continue;
			d = rule_report(ctx, m, port, "port '%s' is a number, but port takes a port name: Prometheus "
					"compares it with the port names on the Service's Endpoints or EndpointSlices, finds "
					"none called '%s', and scrapes nothing; %s", text, text, fix_for(ctx, &sel, named, text));
		}
		if (named)
			rule_note_at(d, named->owner, named->name_at, "%s names port %s '%s'",
				     rule_describe(ctx, named->owner), text, named->name);
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_numeric_port = {
	.id = "servicemonitor-numeric-port",
	.severity = SEVERITY_ERROR,
	.summary = "a ServiceMonitor endpoint's port is a number instead of a port name",
	.rationale = "spec.endpoints[].port is the NAME of a port, compared with the Endpoints or EndpointSlice "
		     "port names (prometheus-operator's troubleshooting guide has a section on this "
		     "mistake).  Quoted (\"2379\") the ServiceMonitor is accepted and its scrape job stays empty; "
		     "unquoted (2379) the API server rejects the ServiceMonitor, whose CRD types port as a string.  "
		     "(A backend port really named \"2379\" is not reported.)",
	.fix = "use the port's name (svclint names the backend port of that number when it finds one); for "
	       "Pod-backed Services targetPort: <number> picks the container port instead.",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd-prom\n"
		   "  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n"
		   "      app.kubernetes.io/name: etcd\n  endpoints:\n  - port: https-metrics   # not \"2379\"\n"
		   "    scheme: https\n",
	.check_index = check_index,
};
