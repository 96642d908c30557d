/* endpoints-family-mismatch: a Service of one IP family whose hand-written backends have only the other. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

#define FAMILY_V4 ENDPOINTS_IPV4
#define FAMILY_V6 ENDPOINTS_IPV6

struct family_source {
	unsigned int families;		/* FAMILY_* bits the Service needs endpoints for */
	const struct node *at;		/* the field that says so */
	const char *field;		/* its name, for messages */
};

/* "IPv4" or "IPv6", as ipFamilies and addressType write them. */
static unsigned int family_of_name(const char *text)
{
	if (text && strcmp(text, "IPv4") == 0)
		return FAMILY_V4;
	if (text && strcmp(text, "IPv6") == 0)
		return FAMILY_V6;
	return 0;
}

static const char *family_name(unsigned int bit)
{
	return bit == FAMILY_V6 ? "IPv6" : "IPv4";
}

/* The families a Service's cluster IPs have, from clusterIPs, clusterIP or ipFamilies (§1.5). */
static void service_families(const struct object *s, struct family_source *out)
{
	const struct node *ips = node_get(s->spec, "clusterIPs"), *ip = node_get(s->spec, "clusterIP");
	const struct node *families = node_get(s->spec, "ipFamilies");
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (node_is_seq(ips)) {
		for (i = 0; i < ips->count && i < 2; i++)
			out->families |= k8s_ip_family(node_str(ips->u.items[i]));
		if (out->families) {
			out->at = ips;
			out->field = "clusterIPs";
			return;
		}
	}
	if ((out->families = k8s_ip_family(node_str(ip))) != 0) {
		out->at = ip;
		out->field = "clusterIP";
		return;
	}
	if (!node_is_seq(families) || !families->count)
		return;
	/* The first family is always allocated; the second only when dual stack is required. */
	out->families = family_of_name(node_str(families->u.items[0]));
	if (families->count > 1 && node_text_eq(node_get(s->spec, "ipFamilyPolicy"), "RequireDualStack"))
		out->families |= family_of_name(node_str(families->u.items[1]));
	out->at = families;
	out->field = "ipFamilies";
}

static unsigned int slice_families(const struct object *slice)
{
	const struct node *endpoints = node_get(slice->root, "endpoints");

	if (!node_is_seq(endpoints) || !endpoints->count)
		return 0;
	return family_of_name(node_str(node_get(slice->root, "addressType")));
}

static void check_service(struct rule_ctx *ctx, const struct object *s, const struct backends *b)
{
	const struct object *e = b->endpoints.object, *at = NULL;
	struct family_source need;
	unsigned int have = 0, bit;
	size_t k;

	service_families(s, &need);
	if (!need.families)
		return;
	if (e && !endpoints_skips_mirror(e) && !endpoints_is_leader_lock(e)) {
		have |= endpoints_address_families(e);
		at = e;
	}
	for (k = 0; k < b->slice_count; k++) {
		unsigned int f = slice_families(b->slices[k].object);

		have |= f;
		if (f && !at)
			at = b->slices[k].object;
	}
	if (!have || !at)
		return;	/* no usable address at all: other rules speak of that */
	for (bit = FAMILY_V4; bit <= FAMILY_V6; bit <<= 1) {
		const char *other;
		struct diag *d;

		if (!(need.families & bit) || (have & bit))
			continue;
		if (need.families == (FAMILY_V4 | FAMILY_V6))
			other = arena_printf(ctx->arena, "make the Service single-stack %s (ipFamilyPolicy: SingleStack, "
					     "ipFamilies: [%s])", family_name(have), family_name(have));
		else if (strcmp(need.field, "ipFamilies") == 0)
			other = arena_printf(ctx->arena, "make the Service %s (ipFamilies: [%s])", family_name(have),
					     family_name(have));
		else
			other = arena_printf(ctx->arena, "give the Service an %s %s", family_name(have), need.field);
		d = rule_report(ctx, at, NULL,
				"%s has an %s cluster IP (from %s), but its %s list%s only %s addresses: kube-proxy "
				"routes each family with the endpoints of that family alone, so %s connections to the "
				"Service get no endpoint; add %s addresses, or %s",
				rule_describe(ctx, s), family_name(bit), need.field,
				at->kind == KIND_ENDPOINTS ? "Endpoints" : "EndpointSlices",
				at->kind == KIND_ENDPOINTS ? "s" : "",
				family_name(have), family_name(bit), family_name(bit), other);
		rule_note(d, s, need.at, "the %s of %s", need.field, rule_describe(ctx, s));
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;

		/* Families matter to kube-proxy, which routes only Services with a cluster IP; with a selector the
		 * controllers pick addresses of the right family themselves.  A Service defined twice
		 * (duplicate-object) is left alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s))
			continue;
		index_backends_of(index, s, &b);
		check_service(ctx, s, &b);
		backends_release(&b);
	}
}

const struct rule rule_endpoints_family_mismatch = {
	.id = "endpoints-family-mismatch",
	.severity = SEVERITY_WARNING,
	.summary = "a Service's IP family has no address among its hand-written endpoints",
	.rationale = "each cluster IP of a Service belongs to one IP family, and kube-proxy programs each family "
		     "with endpoints of that family only: an IPv6 Service whose Endpoints or EndpointSlices list "
		     "only IPv4 addresses has no endpoints at all.  The family comes from clusterIPs or clusterIP, "
		     "else from ipFamilies (the second one only under ipFamilyPolicy: RequireDualStack).  A Service "
		     "that leaves all of these to the cluster is not checked.",
	.fix = "add addresses of the Service's family (an EndpointSlice per family), or change the Service's "
	       "ipFamilies to the family its backends have.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ldap\n  namespace: auth\nspec:\n"
		   "  ipFamilies: [IPv6]\n  ports:\n  - name: ldaps\n    port: 636\n---\n"
		   "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ldap-1\n"
		   "  namespace: auth\n  labels:\n    kubernetes.io/service-name: ldap\n"
		   "    endpointslice.kubernetes.io/managed-by: auth-team\naddressType: IPv6\n"
		   "endpoints:\n- addresses: ['2001:db8::636']\nports:\n- name: ldaps\n  port: 636\n"
		   "  protocol: TCP\n",
	.check_index = check_index,
};
