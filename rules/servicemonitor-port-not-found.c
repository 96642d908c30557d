/* servicemonitor-port-not-found: an endpoint `port` that no backend of the selected Services names. */
#include "rule.h"
#include "k8s.h"
#include "monitor.h"

#include <string.h>

/* A name Prometheus' anchored regex matches only literally (no regex metacharacters). */
static bool is_literal(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "they have 'a', 'b' and an unnamed port" (at most NAMES_MAX names), and the closest name. */
#define NAMES_MAX 8

static const char *describe_names(struct arena *arena, const struct port_list *list, const char *wanted,
				  const char **closest)
{
	const char *names[NAMES_MAX], *text = "";
	size_t i, j, named = 0, more = 0, best = 4;
	bool unnamed = false;

	*closest = NULL;
	for (i = 0; i < list->count; i++) {
		const char *name = list->items[i].name;
		size_t distance;

		if (!*name) {
			unnamed = true;
			continue;
		}
		distance = edit_distance(name, wanted, 3);
		if (distance < best) {
			best = distance;
			*closest = name;
		}
		for (j = 0; j < named && strcmp(names[j], name) != 0; j++)
			;
		if (j < named)
			continue;
		if (named < NAMES_MAX)
			names[named++] = name;
		else
			more++;
	}
	if (named == 1 && !more && !*closest)
		*closest = names[0];
	if (!list->count)
		return "they have no ports";
	if (!named)
		return list->count > 1 ? "their ports are unnamed" : "their only port is unnamed";
	for (i = 0; i < named; i++)
		text = arena_printf(arena, "%s%s'%s'", text, i ? ", " : "", names[i]);
	if (more)
		text = arena_printf(arena, "%s and more", text);
	return arena_printf(arena, "they have %s%s", text, unnamed ? " and an unnamed port" : "");
}

/* The port of a selected selectorless Service named wanted, or NULL (ports are malloc'd into own). */
static const struct port_ref *service_port_named(const struct object *service, const char *wanted,
						 struct port_list *own)
{
	size_t j;

	ports_of_service(own, service);
	for (j = 0; j < own->count; j++)
		if (strcmp(own->items[j].name, wanted) == 0)
			return &own->items[j];
	return NULL;
}

/* Whether a selected selectorless Service has a port named wanted (its backends then differ). */
static bool renamed_service_port(const struct monitor_selection *sel, const char *wanted)
{
	size_t i;

	for (i = 0; i < sel->service_count; i++) {
		struct port_list own = { 0 };
		bool found;

		if (!service_is_selectorless(sel->services[i]))
			continue;
		found = service_port_named(sel->services[i], wanted, &own) != NULL;
		port_list_release(&own);
		if (found)
			return true;
	}
	return false;
}

/* What kind of object the ports come from, for "targets whose ... is named". */
static const char *port_owners(const struct port_list *list)
{
	bool endpoints = false, slices = false;
	size_t i;

	for (i = 0; i < list->count; i++) {
		endpoints |= list->items[i].owner->kind == KIND_ENDPOINTS;
		slices |= list->items[i].owner->kind == KIND_ENDPOINTSLICE;
	}
	if (endpoints && !slices)
		return "Endpoints port";
	if (slices && !endpoints)
		return "EndpointSlice port";
	return "Endpoints or EndpointSlice port";
}

static void report(struct rule_ctx *ctx, const struct object *m, const struct monitor_selection *sel,
		   const struct port_list *list, const struct node *at, const char *wanted)
{
	const char *closest, *names = describe_names(ctx->arena, list, wanted, &closest);
	const char *where = port_owners(list);
	const char *services = sel->service_count == 1 ? rule_describe(ctx, sel->services[0]) :
			       arena_printf(ctx->arena, "the %u Services it selects", (unsigned int)sel->service_count);
	const char *fix;
	struct diag *d;
	size_t i, notes = 0;

	if (renamed_service_port(sel, wanted))
		fix = arena_printf(ctx->arena, "name the backend port '%s' like the Service port%s", wanted,
				   closest ? arena_printf(ctx->arena, ", or set port: %s", closest) : "");
	else if (closest)
		fix = arena_printf(ctx->arena, "set port: %s", closest);
	else if (strncmp(names, "they have ", 10) != 0 || !list->count)
		fix = "name the port (the same name on the Service and on its Endpoints or EndpointSlices) and set "
		      "port to it, or drop port to scrape every port";
	else
		fix = "set port to one of those names";
	d = rule_report(ctx, m, at, "port '%s' is not the name of any port on the endpoints of %s (%s): Prometheus "
			"keeps only targets whose %s is named exactly '%s', so this endpoint scrapes nothing; %s",
			wanted, services, names, where, wanted, fix);
	for (i = 0; i < list->count && notes < 4; i++) {
		const struct port_ref *p = &list->items[i];

		rule_note_at(d, p->owner, p->name_at.line ? p->name_at : p->at, "%s has %s (%lld)%s",
			     rule_describe(ctx, p->owner),
			     *p->name ? arena_printf(ctx->arena, "port '%s'", p->name) : "an unnamed port", p->number,
			     p->owner->kind == KIND_SERVICE ? ", a name its generated endpoints copy" : "");
		notes++;
	}
	/* The Service port carries the name, but Prometheus reads the backend's. */
	for (i = 0; i < sel->service_count; i++) {
		struct port_list own = { 0 };
		const struct port_ref *p;

		if (!service_is_selectorless(sel->services[i]))
			continue;
		p = service_port_named(sel->services[i], wanted, &own);
		if (p)
			rule_note_at(d, sel->services[i], p->name_at, "the port of %s is named '%s', but for a "
				     "Service without a selector Prometheus matches the name on its hand-written %s, which "
				     "differs", rule_describe(ctx, sel->services[i]), wanted,
				     sel->roles == MONITOR_ROLE_ENDPOINTSLICE ? "EndpointSlices" : "Endpoints");
		port_list_release(&own);
	}
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node *endpoints = node_get(m->spec, "endpoints");
	struct monitor_selection sel;
	const struct port_list *list;
	struct port_finder finder;
	size_t known;
	unsigned int i;

	if (!node_is_seq(endpoints) || monitor_select(&sel, mc, m) != MONITOR_OK || !sel.service_count)
		return;
	list = monitor_selection_ports(&sel, mc, &known);
	if (known == 0)
		return;
	port_finder_init_for(&finder, list, endpoints->count);
	for (i = 0; i < endpoints->count; i++) {
		const struct node *port = node_get(endpoints->u.items[i], "port");
		const char *wanted = node_str(port);

		/* Empty: no port filter.  Digits: servicemonitor-numeric-port.  A regex: not modelled. */
		if (!wanted || !*wanted || is_digits(wanted) || !is_literal(wanted) ||
		    port_finder_has_name(&finder, wanted))
			continue;
		report(ctx, m, &sel, list, port, wanted);
	}
	port_finder_release(&finder);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_port_not_found = {
	.id = "servicemonitor-port-not-found",
	.severity = SEVERITY_ERROR,
	.summary = "a ServiceMonitor endpoint's port is not a port name on the backends of any selected Service",
	.rationale = "spec.endpoints[].port keeps only the targets whose endpoint port name "
		     "(__meta_kubernetes_endpoint_port_name, or the endpointslice one) equals it exactly.  That is "
		     "the name on the Endpoints or EndpointSlice, not on the Service: for a Service with a selector "
		     "the controllers copy the Service's port names, but for a selectorless Service it is whatever "
		     "the hand-written Endpoints or EndpointSlices say.  A name off by one letter, or a Service port "
		     "renamed without its Endpoints, leaves the scrape job empty with no error anywhere.  An unnamed "
		     "port cannot be chosen by port at all.",
	.fix = "set port to the name the backends carry (svclint lists them and suggests the closest), or give "
	       "the Service port and its Endpoints/EndpointSlice port the same name.",
	.example = "# Endpoints kube-system/etcd-prom: ports: [{name: https-metrics, port: 2379}]\n"
		   "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd-prom\n"
		   "  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n"
		   "      app.kubernetes.io/name: etcd\n  endpoints:\n  - port: https-metrics\n    scheme: https\n",
	.check_index = check_index,
};
