/* service-port-name-duplicate: two ports of one Service with the same name. */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	const char *name;
	unsigned int index;
	const struct node *at;
	const struct node *port;
};

static int compare(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static const char *protocol_of(const struct node *port)
{
	const char *p = node_str(node_get(port, "protocol"));

	return p && p[0] ? p : "TCP";
}

/* "dns-tcp" for dns and TCP: a name that tells the two ports apart. */
static const char *with_protocol(struct rule_ctx *ctx, const char *name, const char *protocol)
{
	char *s = arena_printf(ctx->arena, "%s-%s", name, protocol);
	char *c;

	for (c = s + strlen(name); *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return s;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	struct entry *entries;
	size_t count = 0, i, first = 0;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports) || ports->count < 2)
		return;
	entries = arena_alloc(ctx->arena, ports->count * sizeof(*entries));
	for (i = 0; i < ports->count; i++) {
		const struct node *name = sp->items[i].name ? sp->items[i].name->value : NULL;
		const char *text = node_str(name);

		if (text && text[0])
			entries[count++] = (struct entry){ text, (unsigned int)i, name, ports->u.items[i] };
	}
	qsort(entries, count, sizeof(*entries), compare);
	for (i = 1; i < count; i++) {
		struct diag *d;
		const char *p1, *p2;

		if (strcmp(entries[i].name, entries[first].name) != 0) {
			first = i;
			continue;
		}
		p1 = protocol_of(entries[first].port);
		p2 = protocol_of(entries[i].port);
		if (strcmp(p1, p2) != 0)
			d = rule_report(ctx, o, entries[i].at, "Service port name '%s' is used twice (%s and %s): names "
					"are unique within a Service even across protocols, so the API server rejects "
					"it; give this %s port its own name (e.g. '%s') and rename the matching "
					"Endpoints or EndpointSlice port too", entries[i].name, p1, p2, p2,
					with_protocol(ctx, entries[i].name, p2));
		else
			d = rule_report(ctx, o, entries[i].at, "Service port name '%s' is used twice: names are unique "
					"within a Service, so the API server rejects it; rename or remove one of the two "
					"ports", entries[i].name);
		rule_note(d, o, entries[first].at, "the first port named '%s'", entries[first].name);
	}
}

const struct rule rule_service_port_name_duplicate = {
	.id = "service-port-name-duplicate",
	.severity = SEVERITY_ERROR,
	.summary = "two ports of a Service share a name, even with different protocols",
	.rationale = "backend ports, DNS SRV records and ServiceMonitors refer to a Service port by its name, so "
		     "the API server rejects a Service that repeats one, even when the two ports use different "
		     "protocols (53/UDP and 53/TCP both named dns).",
	.fix = "give each port its own name (dns and dns-tcp), and use the same names on the ports of the "
	       "Endpoints or EndpointSlices.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns-external\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n    port: 53\n"
		   "    protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
