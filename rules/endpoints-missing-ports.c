/* endpoints-missing-ports: an Endpoints subset without ports, behind a Service that kube-proxy routes. */
#include "rule.h"
#include "k8s.h"
#include "ports.h"

static bool has_addresses(const struct node *subset)
{
	const struct node *a = node_get(subset, "addresses"), *n = node_get(subset, "notReadyAddresses");

	return (node_is_seq(a) && a->count) || (node_is_seq(n) && n->count);
}

static void check_pair(struct rule_ctx *ctx, const struct object *s, const struct object *e)
{
	const struct node *subsets = node_get(e->root, "subsets");
	unsigned int i;

	if (!node_is_seq(subsets) || !service_lists_ports(s))
		return;	/* a proxied Service without ports is service-missing-ports' finding */
	for (i = 0; i < subsets->count; i++) {
		const struct node *subset = subsets->u.items[i];
		const struct node *ports = node_get(subset, "ports");
		struct port_list sp = { 0 };
		const struct port_ref *example;
		struct diag *d;
		size_t k;

		/* A subset without addresses is endpoints-subset-empty's; a ports value of the wrong type
		 * is field-type-mismatch's. */
		if (!node_is_map(subset) || !has_addresses(subset) ||
		    (ports && !node_is_null(ports) && !node_is_seq(ports)))
			continue;
		if (node_is_seq(ports) && ports->count)
			continue;
		ports_of_service(&sp, s);
		for (k = 0; k < sp.count && !port_protocol_is_valid(sp.items[k].protocol); k++)
			;
		example = k < sp.count ? &sp.items[k] : NULL;
		d = rule_report(ctx, e, node_is_seq(ports) ? ports : subset,
				"subsets[%u] of %s has no ports, but %s is not headless: kube-proxy pairs each Service port "
				"with a backend port of the same name and protocol, so these addresses get no traffic; "
				"list the ports here, %s", i, rule_describe(ctx, e), rule_describe(ctx, s),
				!example ? "named like the Service's ports"
				: example->name[0] ? arena_printf(ctx->arena, "e.g. name: %s, port: <backend port>, "
								  "protocol: %s", example->name, example->protocol)
				: arena_printf(ctx->arena, "e.g. port: <backend port>, protocol: %s", example->protocol));
		rule_note_at(d, s, service_ports_at(s), "the ports of %s", rule_describe(ctx, s));
		port_list_release(&sp);
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;
		const struct object *e;

		/* Headless Services may have endpoints without ports (DNS only); ExternalName gets none.  A
		 * Service defined twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s))
			continue;
		index_backends_of(index, s, &b);
		e = b.endpoints.object;
		if (e && !endpoints_skips_mirror(e) && !endpoints_is_leader_lock(e))
			check_pair(ctx, s, e);
		backends_release(&b);
	}
}

const struct rule rule_endpoints_missing_ports = {
	.id = "endpoints-missing-ports",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints subset has no ports, but its Service is routed by kube-proxy",
	.rationale = "the API server accepts a subset without ports, because a headless Service needs none: "
		     "DNS only returns the addresses.  A Service with a cluster IP is different: kube-proxy sends "
		     "each Service port to backend ports of the same name and protocol, and an address listed "
		     "without ports has none, so it never receives a connection.",
	.fix = "add the ports to the subset, named (and with the protocol) exactly as the Service's ports, "
	       "with the numbers the backends listen on; or make the Service headless (clusterIP: None) if "
	       "only DNS is wanted.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: postgres\n  namespace: data\nspec:\n"
		   "  ports:\n  - name: postgres\n    port: 5432\n---\n"
		   "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: postgres\n  namespace: data\nsubsets:\n"
		   "- addresses:\n  - ip: 10.20.0.15\n  ports:\n  - name: postgres\n    port: 5432\n"
		   "    protocol: TCP\n",
	.check_index = check_index,
};
