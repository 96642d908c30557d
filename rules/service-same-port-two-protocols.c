/* service-same-port-two-protocols: one port number under two protocols, which client-side apply can merge. */
#include "rule.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	long long number;
	const char *protocol;
	const char *name;
	unsigned int index;
	const struct node *at;
};

static int compare(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool is_protocol(const char *p)
{
	return strcmp(p, "TCP") == 0 || strcmp(p, "UDP") == 0 || strcmp(p, "SCTP") == 0;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	struct entry *entries;
	size_t count = 0, i, j, first = 0;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports) || ports->count < 2)
		return;
	entries = arena_alloc(ctx->arena, ports->count * sizeof(*entries));
	for (i = 0; i < ports->count; i++) {
		const struct service_port *item = &sp->items[i];
		const struct node *port = item->port;
		const struct node *protocol = item->protocol;
		const char *p = node_str(protocol);
		const char *name = item->name ? node_str(item->name->value) : NULL;
		long long number;

		/*
		 * Only ports the API server accepts: named (required with two ports), a valid number and
		 * protocol.  Repeats of a name or of (port, protocol) are the errors of other rules.
		 */
		if (!node_int(port, &number) || !port_is_valid(number) || !name || !name[0])
			continue;
		if (!node_is_null(protocol) && !p)
			continue;
		p = p && p[0] ? p : "TCP";
		if (!is_protocol(p))
			continue;
		entries[count++] = (struct entry){ number, p, name, (unsigned int)i, port };
	}
	qsort(entries, count, sizeof(*entries), compare);
	for (i = 1; i < count; i++) {
		struct diag *d;

		if (entries[i].number != entries[first].number) {
			first = i;
			continue;
		}
		/* Report each further protocol once, against the first port of that number. */
		for (j = first; j < i; j++)
			if (strcmp(entries[j].protocol, entries[i].protocol) == 0 ||
			    strcmp(entries[j].name, entries[i].name) == 0)
				break;
		if (j < i)
			continue;
		d = rule_report(ctx, o, entries[i].at, "port %lld is listed for both %s ('%s') and %s ('%s'): that is "
				"valid, but client-side 'kubectl apply' and 'kubectl edit' merge Service ports by number "
				"alone and can drop or mix up one of them on a later change; use 'kubectl apply "
				"--server-side' (which keys ports on port and protocol) or 'kubectl replace'", entries[i].number,
				entries[first].protocol, entries[first].name, entries[i].protocol, entries[i].name);
		rule_note(d, o, entries[first].at, "the %lld/%s port '%s'", entries[first].number,
			  entries[first].protocol, entries[first].name);
	}
}

const struct rule rule_service_same_port_two_protocols = {
	.id = "service-same-port-two-protocols",
	.severity = SEVERITY_INFO,
	.summary = "one port number with two protocols, which client-side kubectl apply may merge",
	.rationale = "53/UDP and 53/TCP in one Service is valid, and DNS needs it.  But the strategic merge "
		     "patch that client-side 'kubectl apply' computes keys Service ports on the port number alone, "
		     "so a later apply can drop one of the two entries or merge their fields (kubernetes issues "
		     "#39188, #105610).  Server-side apply keys them on port and protocol.  Also check that the "
		     "Endpoints or EndpointSlice has both ports, each with the right protocol: a missing protocol "
		     "there means TCP.",
	.fix = "apply the Service with 'kubectl apply --server-side' (or create/replace it), and give the "
	       "backend ports the same names and protocols.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns-external\n  namespace: kube-system\nspec:\n"
		   "  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n    port: 53\n"
		   "    protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
