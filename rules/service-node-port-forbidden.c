/* service-node-port-forbidden: nodePort on a ClusterIP Service, or one nodePort used twice. */
#include "ports.h"
#include "rule.h"
#include "k8s.h"

#include <stdlib.h>
#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	bool cluster_ip;
	struct port_number *entries;
	size_t count = 0, i, first = 0;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	cluster_ip = strcmp(service_type(o), "ClusterIP") == 0;
	entries = arena_alloc(ctx->arena, (ports->count + 1) * sizeof(*entries));
	for (i = 0; i < ports->count; i++) {
		const struct node *node_port = sp->items[i].node_port;
		const struct node *protocol = sp->items[i].protocol;
		const char *p = node_str(protocol);
		long long number;

		/* 0 means 'allocate one' (or none); a mistyped value is field-type-mismatch's. */
		if (!node_int(node_port, &number) || number == 0)
			continue;
		if (cluster_ip) {
			rule_report(ctx, o, node_port, "nodePort %s is set, but this Service is of type ClusterIP%s: "
				    "node ports exist only for type NodePort or LoadBalancer, so the API server rejects "
				    "the Service; remove nodePort, or set type: NodePort", node_text(node_port),
				    node_str(node_get(o->spec, "type")) ? "" : " (the default when type is unset)");
			continue;
		}
		if (!node_is_null(protocol) && !p)
			continue;
		entries[count++] = (struct port_number){ p && p[0] ? p : "TCP", number, (unsigned int)i, node_port };
	}
	port_numbers_sort(entries, count);
	for (i = 1; i < count; i++) {
		struct diag *d;

		if (entries[i].number != entries[first].number ||
		    strcmp(entries[i].protocol, entries[first].protocol) != 0) {
			first = i;
			continue;
		}
		d = rule_report(ctx, o, entries[i].at, "nodePort %lld/%s is used by two ports of this Service: a node "
				"port can forward to one Service port only, so the API server rejects the Service; give "
				"this port another nodePort, or leave nodePort out to have one allocated",
				entries[i].number, entries[i].protocol);
		rule_note(d, o, entries[first].at, "the first port with nodePort %lld/%s", entries[first].number,
			  entries[first].protocol);
	}
}

const struct rule rule_service_node_port_forbidden = {
	.id = "service-node-port-forbidden",
	.severity = SEVERITY_ERROR,
	.summary = "a nodePort on a ClusterIP Service, or the same nodePort and protocol twice",
	.rationale = "a node port opens the Service on every node, which only type NodePort and LoadBalancer "
		     "do: the API server rejects spec.ports[].nodePort on a ClusterIP Service (the default type).  "
		     "Within a Service each (protocol, nodePort) pair may appear once.  Typical cause: type was "
		     "changed back to ClusterIP, or a manifest exported from a cluster kept its allocated ports.",
	.fix = "remove nodePort, or set type: NodePort; give each port its own nodePort, or leave it out so the "
	       "API server allocates one.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: postgres-external\n  namespace: data\n"
		   "spec:\n  type: NodePort\n  ports:\n  - name: postgres\n    port: 5432\n    nodePort: 30432\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
