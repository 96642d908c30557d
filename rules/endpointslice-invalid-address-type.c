/* endpointslice-invalid-address-type: an EndpointSlice addressType that is missing or not IPv4, IPv6 or FQDN. */
#include "rule.h"
#include "backend.h"

#include <string.h>
#include <strings.h>

struct families {
	unsigned int v4, v6, other;
};

static void count_family(void *data, const struct backend_address *a)
{
	struct families *f = data;
	struct ip_address ip;

	if (!ip_parse(node_str(a->value), &ip))
		f->other++;
	else if (ip.family == IP_V4)
		f->v4++;
	else
		f->v6++;
}

/* What to write, judged from the addresses the slice holds. */
static const char *advice(const struct object *o)
{
	struct families f = { 0, 0, 0 };

	backend_each_slice_address(o, count_family, &f);
	if (f.v4 && !f.v6 && !f.other)
		return "write addressType: IPv4, the family of its addresses";
	if (f.v6 && !f.v4 && !f.other)
		return "write addressType: IPv6, the family of its addresses";
	if (f.v4 && f.v6)
		return "split the addresses into one slice with addressType: IPv4 and one with addressType: IPv6";
	return "write IPv4 or IPv6, the family of its addresses";
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *value;
	const char *text;

	if (o->kind != KIND_ENDPOINTSLICE)
		return;
	value = node_get(o->root, "addressType");
	if (!value || node_is_null(value)) {
		rule_report(ctx, o, NULL, "this EndpointSlice has no addressType: the API server rejects it (the field "
			    "is required, and cannot be changed later); %s", advice(o));
		return;
	}
	if (!(text = node_str(value)) || strcmp(text, "IPv4") == 0 || strcmp(text, "IPv6") == 0 ||
	    strcmp(text, "FQDN") == 0)
		return;
	if (!*text)
		rule_report(ctx, o, value, "addressType is empty: the API server rejects the EndpointSlice; %s",
			    advice(o));
	else if (strcasecmp(text, "IPv4") == 0 || strcasecmp(text, "IPv6") == 0 || strcasecmp(text, "FQDN") == 0)
		rule_report(ctx, o, value, "addressType '%s' is not exactly %s: the value is case-sensitive and the "
			    "API server rejects the EndpointSlice; write addressType: %s", text,
			    strcasecmp(text, "FQDN") == 0 ? "FQDN" : strcasecmp(text, "IPv4") == 0 ? "IPv4" : "IPv6",
			    strcasecmp(text, "FQDN") == 0 ? "FQDN" : strcasecmp(text, "IPv4") == 0 ? "IPv4" : "IPv6");
	else if (strcmp(text, "IP") == 0)
		rule_report(ctx, o, value, "addressType 'IP' is an early beta value that was replaced by IPv4 "
			    "and IPv6: the API server rejects it; %s", advice(o));
	else
		rule_report(ctx, o, value, "addressType '%s' is not IPv4, IPv6 or FQDN: the API server rejects the "
			    "EndpointSlice; %s", text, advice(o));
}

const struct rule rule_endpointslice_invalid_address_type = {
	.id = "endpointslice-invalid-address-type",
	.severity = SEVERITY_ERROR,
	.summary = "an EndpointSlice whose addressType is missing or not exactly IPv4, IPv6 or FQDN",
	.rationale = "addressType is required and cannot be changed after creation; the API server accepts only "
		     "IPv4, IPv6 and FQDN, spelled exactly so (ipv4 is rejected).  kube-proxy routes only IPv4 "
		     "and IPv6 slices, each to the Service's virtual IP of that family, so a slice holds one "
		     "family and a dual-stack Service needs one slice per family.",
	.fix = "set addressType to the family of the slice's addresses: IPv4 or IPv6.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd\n"
		   "    endpointslice.kubernetes.io/managed-by: cluster-admins\naddressType: IPv4\nports:\n"
		   "- name: metrics\n  port: 2379\nendpoints:\n- addresses:\n  - 10.0.0.11\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
