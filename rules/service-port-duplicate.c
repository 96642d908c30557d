/* service-port-duplicate: the same port number and protocol twice in one Service. */
#include "ports.h"
#include "rule.h"

#include <stdlib.h>
#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	struct port_number *entries;
	size_t count = 0, i, first = 0;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports) || ports->count < 2)
		return;
	entries = arena_alloc(ctx->arena, ports->count * sizeof(*entries));
	for (i = 0; i < ports->count; i++) {
		const struct node *port = sp->items[i].port;
		const struct node *protocol = sp->items[i].protocol;
		const char *p = node_str(protocol);
		long long number;

		/* Mistyped values are field-type-mismatch's, numbers out of range service-port-out-of-range's. */
		if (!node_int(port, &number) || !port_is_valid(number))
			continue;
		if (!node_is_null(protocol) && !p)
			continue;
		entries[count++] = (struct port_number){ p && p[0] ? p : "TCP", number, (unsigned int)i, port };
	}
	port_numbers_sort(entries, count);
	for (i = 1; i < count; i++) {
		struct diag *d;

		if (entries[i].number != entries[first].number ||
		    strcmp(entries[i].protocol, entries[first].protocol) != 0) {
			first = i;
			continue;
		}
		d = rule_report(ctx, o, entries[i].at, "port %lld/%s is listed twice in this Service: each port "
				"number may appear once per protocol, so the API server rejects the Service; remove "
				"the repeated entry, or give it another port number", entries[i].number,
				entries[i].protocol);
		rule_note(d, o, entries[first].at, "the first %lld/%s port", entries[first].number,
			  entries[first].protocol);
	}
}

const struct rule rule_service_port_duplicate = {
	.id = "service-port-duplicate",
	.severity = SEVERITY_ERROR,
	.summary = "the same port number and protocol appear twice in a Service",
	.rationale = "the Service's virtual IP can forward a port number of one protocol to one backend port "
		     "only, so the API server rejects a Service whose ports repeat a (port, protocol) pair; a "
		     "missing protocol counts as TCP.  53/TCP next to 53/UDP is fine.",
	.fix = "remove the repeated entry, or change its port number or protocol; if two backend ports are "
	       "meant, expose them on two Service port numbers.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-external\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: client\n    port: 2379\n  - name: peer\n    port: 2380\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
