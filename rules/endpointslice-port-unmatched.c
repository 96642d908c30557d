/* endpointslice-port-unmatched: a Service port that no port of its EndpointSlices of one family pairs with. */
#include "rule.h"
#include "k8s.h"
#include "ports.h"

#include <stdlib.h>
#include <string.h>

#define MIRRORING_CONTROLLER "endpointslicemirroring-controller.k8s.io"

static const char *const families[] = { "IPv4", "IPv6" };

/* "TCP port named 'http'" or "unnamed TCP port". */
static const char *wanted(struct rule_ctx *ctx, const struct port_ref *want)
{
	if (want->name[0])
		return arena_printf(ctx->arena, "%s port named '%s'", want->protocol, want->name);
	return arena_printf(ctx->arena, "unnamed %s port", want->protocol);
}

static bool same(const struct port_ref *a, const struct port_ref *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->protocol, b->protocol) == 0;
}

/* Whether a slice is hand-written for kube-proxy: a mirrored copy is the Endpoints' business. */
static bool slice_counts(const struct object *slice, const char *family)
{
	const char *managed = object_label(slice, LABEL_MANAGED_BY_SLICE);

	if (managed && strcmp(managed, MIRRORING_CONTROLLER) == 0)
		return false;
	return node_text_eq(node_get(slice->root, "addressType"), family);
}

static void check_family(struct rule_ctx *ctx, const struct object *s, const struct backends *b, const char *family)
{
	struct port_list sp = { 0 }, bp = { 0 };
	struct port_finder sf, bf;
	const struct object *first = NULL;
	const char *where;
	unsigned int slices = 0;
	bool *paired, *cited;
	size_t i, j;

	for (i = 0; i < b->slice_count; i++)
		if (slice_counts(b->slices[i].object, family)) {
			ports_of_slice(&bp, b->slices[i].object, (unsigned int)i);
			if (!first)
				first = b->slices[i].object;
			slices++;
		}
	ports_of_service(&sp, s);
	/* No slice of this family, or no ports in them (endpointslice-port-missing), or none on the
	 * Service (service-missing-ports): nothing to pair. */
	if (!sp.count || !bp.count) {
		port_list_release(&sp);
		port_list_release(&bp);
		return;
	}
	where = slices == 1 ? rule_describe(ctx, first)
			    : arena_printf(ctx->arena, "the %u %s EndpointSlices labelled for it", slices, family);
	port_finder_init(&sf, &sp);
	port_finder_init(&bf, &bp);
	paired = xcalloc(bp.count, sizeof(*paired));
	cited = xcalloc(bp.count, sizeof(*cited));
	for (i = 0; i < bp.count; i++)
		paired[i] = port_finder_find(&sf, bp.items[i].name, bp.items[i].protocol) != NULL;
	for (i = 0; i < sp.count; i++) {
		const struct port_ref *want = &sp.items[i], *near;
		enum port_likeness likeness;
		struct diag *d;
		const char *fix;

		if (!port_protocol_is_valid(want->protocol) || port_finder_find(&bf, want->name, want->protocol))
			continue;
		near = ports_closest(&bp, paired, want, &likeness);
		if (near)
			fix = port_likeness_fix(ctx->arena, "EndpointSlice port", want, near);
		else if (want->name[0])
			fix = arena_printf(ctx->arena, "add a port named '%s' with protocol %s to the %s slices",
					   want->name, want->protocol, family);
		else
			fix = arena_printf(ctx->arena, "add an unnamed %s port to the %s slices", want->protocol, family);
		d = rule_report_at(ctx, ctx->rule->severity, s->in_context ? first : s,
				   s->in_context ? RULE_NOWHERE : want->at,
				   "%s has no %s in %s%s: kube-proxy pairs ports by name and protocol over all of a "
				   "Service's slices of one address family, never by number, so %s connections to port "
				   "%lld get no endpoint; %s",
				   port_describe(ctx->arena, "Service port", want), wanted(ctx, want), where,
				   slices == 1 ? arena_printf(ctx->arena, " (addressType %s)", family) : "", family,
				   want->number, fix);
		if (s->in_context)
			rule_note_at(d, s, want->at, "%s of %s", port_describe(ctx->arena, "Service port", want),
				     rule_describe(ctx, s));
		if (near) {
			rule_note_at(d, near->owner, near->at, "%s", port_likeness_why(ctx->arena, want, near, likeness));
			for (j = 0; j < bp.count; j++)
				if (same(&bp.items[j], near))
					cited[j] = true;
		} else {
			rule_note(d, first, node_get(first->root, "ports"), "the ports of %s", rule_describe(ctx, first));
		}
	}
	for (i = 0; i < bp.count; i++) {
		const struct port_ref *p = &bp.items[i];
		struct diag *d;

		/* A port without a number is skipped by kube-proxy anyway (endpointslice-port-missing). */
		if (paired[i] || cited[i] || !port_protocol_is_valid(p->protocol) || !p->number)
			continue;
		/* Only the first port of a name and protocol. */
		if (port_finder_find(&bf, p->name, p->protocol) != p)
			continue;
		d = rule_report_at(ctx, SEVERITY_WARNING, p->owner, p->at,
				   "%s matches no port of %s (ports pair by name and protocol): kube-proxy never "
				   "sends traffic to it, only readers of the slice itself (such as Prometheus) see it; "
				   "add a Service port with the same name and protocol, or remove this port",
				   port_describe(ctx->arena, "EndpointSlice port", p), rule_describe(ctx, s));
		rule_note_at(d, s, service_ports_at(s), "the ports of %s", rule_describe(ctx, s));
	}
	free(paired);
	free(cited);
	port_finder_release(&sf);
	port_finder_release(&bf);
	port_list_release(&sp);
	port_list_release(&bp);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i, f;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;

		/* Only kube-proxy pairs ports, and only for a Service with a virtual IP.  Slices added to a
		 * Service with a selector are endpointslice-on-selector-service's concern.  A Service defined
		 * twice (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s))
			continue;
		index_backends_of(index, s, &b);
		for (f = 0; f < sizeof(families) / sizeof(families[0]); f++)
			check_family(ctx, s, &b, families[f]);
		backends_release(&b);
	}
}

const struct rule rule_endpointslice_port_unmatched = {
	.id = "endpointslice-port-unmatched",
	.severity = SEVERITY_ERROR,
	.summary = "a Service port has no EndpointSlice port of the same name and protocol",
	.rationale = "kube-proxy pairs each Service port with EndpointSlice ports by (namespace, Service, port "
		     "name, protocol), never by number; the slice port's number is only where traffic is sent.  It "
		     "reads all the slices labelled kubernetes.io/service-name for the Service, per address family, "
		     "so the port must appear in at least one IPv4 slice for IPv4 traffic and one IPv6 slice for "
		     "IPv6.  An unnamed Service port pairs only with a port whose name is \"\" (or missing), and a "
		     "slice port without a protocol is TCP.  The API server accepts the objects; the Service port "
		     "just has no endpoints.  A slice port that no Service port uses is reported as a warning, "
		     "unless the error already names it as the port meant.  Headless and ExternalName Services are "
		     "not proxied and are not checked; slices copied by the mirroring controller follow their "
		     "Endpoints (endpoints-port-unmatched).",
	.fix = "give the slice port exactly the Service port's name (none if the Service port is unnamed) and "
	       "protocol; keep the number the backend listens on.  svclint points at the closest slice port and "
	       "says why it does not pair.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns-upstream\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n---\n"
		   "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: dns-upstream-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: dns-upstream\n"
		   "    endpointslice.kubernetes.io/managed-by: netops\naddressType: IPv4\nendpoints:\n- addresses: [192.0.2.53]\nports:\n- name: dns\n  port: 53\n"
		   "  protocol: UDP\n",
	.check_index = check_index,
};
