/* service-target-port-ignored: targetPort on a Service without a selector says nothing true about its traffic. */
#include "rule.h"
#include "k8s.h"
#include "ports.h"

#include <string.h>

static bool same_key(const struct port_ref *p, const struct port_ref *want)
{
	return strcmp(p->name, want->name) == 0 && strcmp(p->protocol, want->protocol) == 0;
}

/* The backend port that serves want: the first of its name and protocol whose number is target, else the
 * first of its name and protocol at all; NULL when none pairs.  A port without a number serves nothing. */
static const struct port_ref *backend_port(const struct port_finder *finder, const struct port_ref *want,
					   long long target)
{
	const struct port_ref *first = NULL;
	/* A long list's ports of want's name and protocol stand together among its sorted ones, in list
	 * order; a short list is read whole. */
	size_t k = finder->sorted ? port_finder_lower(finder, want->name, want->protocol) : 0;

	for (; k < finder->list->count; k++) {
		const struct port_ref *p = finder->sorted ? finder->sorted[k] : &finder->list->items[k];

		if (!same_key(p, want)) {
			if (finder->sorted)
				break;
			continue;
		}
		if (!p->number)
			continue;
		if (target && p->number == target)
			return p;
		if (!first)
			first = p;
	}
	return first;
}

static const char *backend_kind(const struct port_ref *p)
{
	return p->owner->kind == KIND_ENDPOINTS ? "Endpoints" : "EndpointSlice";
}

static void check_service(struct rule_ctx *ctx, const struct object *s, const struct port_list *bp)
{
	struct port_list sp = { 0 };
	struct port_finder finder;
	size_t i;

	ports_of_service(&sp, s);
	port_finder_init(&finder, bp);
	for (i = 0; i < sp.count; i++) {
		const struct port_ref *want = &sp.items[i], *p;
		const char *name = want->target_name;
		long long number = port_target_number(want);
		struct diag *d;

		if (!number && !(name && name_is_iana_svc_name(name)))
			continue;	/* missing, 0 or invalid (service-target-port-invalid) */
		p = backend_port(&finder, want, number);
		/* Without a backend port to compare with, endpoints-port-unmatched, endpointslice-port-unmatched
		 * or service-selectorless-no-backends has the finding (and a misspelt selector looks just so). */
		if (!p || (number && p->number == number))
			continue;
		d = rule_report_at(ctx, ctx->rule->severity, s, want->target_at,
				   "targetPort %s is ignored: %s has no selector, so no controller %s, "
				   "and traffic goes to port %lld, the number on %s%s port%s; set targetPort: %lld so that "
				   "the manifest says where connections go, or leave targetPort out",
				   name ? arena_printf(ctx->arena, "'%s'", name) : arena_printf(ctx->arena, "%lld", number),
				   rule_describe(ctx, s), name ? "resolves the name against Pod ports" : "reads targetPort",
				   p->number, p->name[0] ? "" : "the unnamed ", backend_kind(p),
				   p->name[0] ? arena_printf(ctx->arena, " '%s'", p->name) : "", p->number);
		rule_note_at(d, p->owner, p->at, "traffic goes to this %s port's number, %lld", backend_kind(p), p->number);
	}
	port_finder_release(&finder);
	port_list_release(&sp);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct port_list bp = { 0 };
		struct backends b;
		size_t k;

		/* Headless Services are left out: kube-proxy does not route them, clients connect to the addresses
		 * on ports of their choosing, and the API documents targetPort as ignored there.  A Service
		 * defined twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_selectorless(s) || !service_is_proxied(s))
			continue;
		index_backends_of(index, s, &b);
		/* The ports that reach readers: a mirrored Endpoints and the slices. */
		if (b.endpoints.object && !endpoints_skips_mirror(b.endpoints.object) &&
		    !endpoints_is_leader_lock(b.endpoints.object))
			ports_of_endpoints(&bp, b.endpoints.object);
		for (k = 0; k < b.slice_count; k++)
			ports_of_slice(&bp, b.slices[k].object, (unsigned int)k);
		check_service(ctx, s, &bp);
		port_list_release(&bp);
		backends_release(&b);
	}
}

const struct rule rule_service_target_port_ignored = {
	.id = "service-target-port-ignored",
	.severity = SEVERITY_INFO,
	.summary = "targetPort on a Service without a selector differs from the port its backends use",
	.rationale = "only the Pod-driven endpoint controllers read targetPort: they resolve it (a number, or a "
		     "name looked up among the Pods' container ports) into the port of each endpoint.  A Service "
		     "without a selector has no such controller: traffic goes to the port number written on the "
		     "Endpoints or EndpointSlice port of the same name and protocol, whatever targetPort says.  A "
		     "named targetPort, or a number that differs from that backend port, misleads the reader about "
		     "where connections go.  A targetPort equal to the backend port is fine and not reported, and "
		     "so is a Service port that no backend port pairs with (the port-unmatched rules report it).  "
		     "Headless Services are not checked: kube-proxy does not route them, and targetPort is "
		     "documented as ignored there.",
	.fix = "set targetPort to the number on the backend port (or leave targetPort out); change the number "
	       "on the Endpoints or EndpointSlice port to move traffic.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy-api\n  namespace: web\nspec:\n"
		   "  ports:\n  - name: http\n    port: 80\n    targetPort: 9376\n---\n"
		   "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: legacy-api-1\n"
		   "  namespace: web\n  labels:\n    kubernetes.io/service-name: legacy-api\n"
		   "    endpointslice.kubernetes.io/managed-by: platform-team\naddressType: IPv4\n"
		   "endpoints:\n- addresses: [192.0.2.42]\nports:\n- name: http\n  port: 9376\n  protocol: TCP\n",
	.check_index = check_index,
};
