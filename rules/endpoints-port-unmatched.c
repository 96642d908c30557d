/* endpoints-port-unmatched: a Service port that no port of its hand-written Endpoints pairs with. */
#include "rule.h"
#include "k8s.h"
#include "ports.h"

#include <stdlib.h>
#include <string.h>

/* Whether some port of the finder's list has the name and protocol of p. */
static bool pairs(const struct port_finder *finder, const struct port_ref *p)
{
	return port_finder_find(finder, p->name, p->protocol) != NULL;
}

/* Marks every port of list with the name and protocol of p. */
static void mark_alike(const struct port_list *list, bool *marks, const struct port_ref *p)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i].name, p->name) == 0 && strcmp(list->items[i].protocol, p->protocol) == 0)
			marks[i] = true;
}

/* "TCP port named 'http'" or "unnamed TCP port". */
static const char *wanted(struct rule_ctx *ctx, const struct port_ref *want)
{
	if (want->name[0])
		return arena_printf(ctx->arena, "%s port named '%s'", want->protocol, want->name);
	return arena_printf(ctx->arena, "unnamed %s port", want->protocol);
}

static void check_pair(struct rule_ctx *ctx, const struct object *s, const struct object *e)
{
	struct port_list sp = { 0 }, ep = { 0 };
	struct port_finder sf, ef;
	bool *paired, *cited;
	size_t i;

	ports_of_service(&sp, s);
	ports_of_endpoints(&ep, e);
	/* Without ports on either side there is nothing to pair: service-missing-ports and
	 * endpoints-missing-ports say so. */
	if (!sp.count || !ep.count) {
		port_list_release(&sp);
		port_list_release(&ep);
		return;
	}
	port_finder_init(&sf, &sp);
	port_finder_init(&ef, &ep);
	paired = xcalloc(ep.count, sizeof(*paired));
	cited = xcalloc(ep.count, sizeof(*cited));
	for (i = 0; i < ep.count; i++)
		paired[i] = pairs(&sf, &ep.items[i]);
	for (i = 0; i < sp.count; i++) {
		const struct port_ref *want = &sp.items[i], *near;
		enum port_likeness likeness;
		struct diag *d;
		const char *fix;

		/* An invalid protocol is rejected by the API server (service-protocol-invalid). */
		if (!port_protocol_is_valid(want->protocol) || pairs(&ef, want))
			continue;
		near = ports_closest(&ep, paired, want, &likeness);
		if (near)
			fix = port_likeness_fix(ctx->arena, "Endpoints port", want, near);
		else if (want->name[0])
			fix = arena_printf(ctx->arena, "add a port named '%s' with protocol %s to the Endpoints",
					   want->name, want->protocol);
		else
			fix = arena_printf(ctx->arena, "add an unnamed %s port to the Endpoints", want->protocol);
		d = rule_report_at(ctx, ctx->rule->severity, s->in_context ? e : s,
				   s->in_context ? RULE_NOWHERE : want->at,
				   "%s has no %s in any subset of %s: kube-proxy pairs ports by name and protocol, never "
				   "by number, so connections to port %lld get no endpoint; %s",
				   port_describe(ctx->arena, "Service port", want), wanted(ctx, want),
				   rule_describe(ctx, e), want->number, fix);
		if (s->in_context)
			rule_note_at(d, s, want->at, "%s of %s", port_describe(ctx->arena, "Service port", want),
				     rule_describe(ctx, s));
		if (near) {
			rule_note_at(d, near->owner, near->at, "%s", port_likeness_why(ctx->arena, want, near, likeness));
			mark_alike(&ep, cited, near);
		} else {
			rule_note(d, e, node_get(e->root, "subsets"), "the subsets of %s", rule_describe(ctx, e));
		}
	}
	/* Backend ports no Service port uses: reported once per name and protocol, unless an error above
	 * already points at them as the port that was meant. */
	for (i = 0; i < ep.count; i++) {
		const struct port_ref *p = &ep.items[i];
		struct diag *d;

		/* A port without a valid number is rejected by the API server (endpoints-port-invalid). */
		if (paired[i] || cited[i] || !port_protocol_is_valid(p->protocol) || !p->number)
			continue;
		/* Only the first port of a name and protocol. */
		if (port_finder_find(&ef, p->name, p->protocol) != p)
			continue;
		d = rule_report_at(ctx, SEVERITY_WARNING, e, p->at,
				   "%s matches no port of %s (ports pair by name and protocol): kube-proxy never "
				   "sends traffic to it, only readers of the Endpoints itself (such as Prometheus) see "
				   "it; add a Service port with the same name and protocol, or remove this port",
				   port_describe(ctx->arena, "Endpoints port", p), rule_describe(ctx, s));
		rule_note_at(d, s, service_ports_at(s), "the ports of %s", rule_describe(ctx, s));
	}
	free(paired);
	free(cited);
	port_finder_release(&sf);
	port_finder_release(&ef);
	port_list_release(&sp);
	port_list_release(&ep);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;
		const struct object *e;

		/* Only kube-proxy pairs ports, and only for a Service with a virtual IP; with a selector the
		 * endpoints controller rewrites the Endpoints (endpoints-service-has-selector).  A Service defined
		 * twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s))
			continue;
		index_backends_of(index, s, &b);
		e = b.endpoints.object;
		/* An Endpoints that is never mirrored never reaches kube-proxy (endpoints-not-mirrored). */
		if (e && !endpoints_skips_mirror(e) && !endpoints_is_leader_lock(e))
			check_pair(ctx, s, e);
		backends_release(&b);
	}
}

const struct rule rule_endpoints_port_unmatched = {
	.id = "endpoints-port-unmatched",
	.severity = SEVERITY_ERROR,
	.summary = "a Service port has no Endpoints port of the same name and protocol",
	.rationale = "kube-proxy pairs each Service port with backend ports by (namespace, Service, port name, "
		     "protocol), never by number; the Endpoints port's number is only where traffic is sent.  An "
		     "unnamed Service port pairs only with an unnamed Endpoints port, and a port without a "
		     "protocol is TCP, so a UDP Service port needs protocol: UDP written on the Endpoints too.  The "
		     "API server accepts both objects, and the Service port silently has no endpoints: connections "
		     "are refused or time out.  Ports may be spread over several subsets; the port must appear in "
		     "one of them.  An Endpoints port that no Service port uses is reported as a warning "
		     "(kube-proxy never uses it), unless the error already names it as the port meant.  Headless "
		     "and ExternalName Services are not proxied and are not checked, nor are Endpoints that are "
		     "never mirrored (endpoints-not-mirrored).",
	.fix = "give the Endpoints port exactly the Service port's name (none if the Service port is unnamed) "
	       "and protocol; keep the number the backend listens on.  svclint points at the closest "
	       "Endpoints port and says why it does not pair.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: postgres\n  namespace: data\nspec:\n"
		   "  ports:\n  - name: postgres\n    port: 5432\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n"
		   "  name: postgres\n  namespace: data\nsubsets:\n- addresses:\n  - ip: 10.20.0.15\n  ports:\n"
		   "  - name: postgres\n    port: 5432\n    protocol: TCP\n",
	.check_index = check_index,
};
