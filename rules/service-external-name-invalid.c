/* service-external-name-invalid: an ExternalName Service with IP fields, or without a valid externalName. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

#define SUBDOMAIN_MAX 253

static void check_external_name(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *value = node_get(o->spec, "externalName");
	const char *text = node_str(value);
	char name[SUBDOMAIN_MAX + 2];
	struct ip_address address;
	char why[128];
	size_t len;

	if (!node_is_null(value) && !text)
		return;		/* mistyped: field-type-mismatch */
	len = text ? strlen(text) : 0;
	/* One trailing dot marks the name fully qualified and is removed before checking. */
	if (len > 0 && text[len - 1] == '.')
		len--;
	if (len == 0) {
		rule_report(ctx, o, value ? value : node_get(o->spec, "type"), "this ExternalName Service has %s: "
			    "the DNS name it aliases is required, so the API server rejects it; set externalName "
			    "to the host name, e.g. db.example.com", value ? "an empty externalName" : "no externalName");
		return;
	}
	if (len > SUBDOMAIN_MAX) {
		rule_report(ctx, o, value, "externalName is %zu characters long, but it must be a DNS name of at most "
			    "253: the API server rejects the Service; use the host name of the external service", len);
		return;
	}
	memcpy(name, text, len);
	name[len] = '\0';
	if (name_is_dns1123_subdomain_why(name, why, sizeof(why)))
		return;
	if (text_is_placeholder(text))
		rule_report(ctx, o, value, "externalName '%s' looks like a template placeholder that was never filled in, "
			    "and as written the API server rejects the Service; render the template before applying, "
			    "and lint the rendered manifests", text);
	else if (ip_parse(name, &address))
		rule_report(ctx, o, value, "externalName '%s' is an IPv6 address, but it must be a DNS name (a "
			    "DNS-1123 subdomain): the API server rejects the Service; to send a Service to IP "
			    "addresses, use a selectorless ClusterIP Service with an EndpointSlice", text);
	else
		rule_report(ctx, o, value, "externalName '%s' is not a DNS-1123 subdomain (%s): the API server rejects "
			    "the Service; use a lowercase host name such as db.example.com, without scheme, port or "
			    "path", text, why);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *ip = node_get(o->spec, "clusterIP");
	const struct node_pair *ips = node_get_pair(o->spec, "clusterIPs");
	const struct node_pair *families = node_get_pair(o->spec, "ipFamilies");
	const struct node *policy = node_get(o->spec, "ipFamilyPolicy");
	const char *ip_text = node_str(ip);

	if (o->kind != KIND_SERVICE || !service_is_external_name(o))
		return;
	/* clusterIP is copied into an empty clusterIPs before validation: either one is forbidden. */
	if (ip_text && ip_text[0])
		rule_report(ctx, o, ip, "clusterIP '%s' is set on an ExternalName Service, which is only a DNS alias "
			    "(CNAME) and has no cluster IP: the API server rejects it; remove clusterIP", ip_text);
	else if (ips && node_is_seq(ips->value) && ips->value->count > 0)
		rule_report(ctx, o, ips->key, "clusterIPs is set on an ExternalName Service, which is only a DNS alias "
			    "(CNAME) and has no cluster IP: the API server rejects it; remove clusterIPs");
	if (families && node_is_seq(families->value) && families->value->count > 0)
		rule_report(ctx, o, families->key, "ipFamilies is set on an ExternalName Service, which has no IP "
			    "addresses of its own: the API server rejects it; remove ipFamilies");
	if (policy && !node_is_null(policy) && node_str(policy))
		rule_report(ctx, o, policy, "ipFamilyPolicy is set on an ExternalName Service, which has no IP "
			    "addresses of its own: the API server rejects it; remove ipFamilyPolicy");
	check_external_name(ctx, o);
}

const struct rule rule_service_external_name_invalid = {
	.id = "service-external-name-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "an ExternalName Service with cluster IP fields, or a missing or invalid externalName",
	.rationale = "an ExternalName Service is a DNS CNAME to spec.externalName: it has no cluster IP, no "
		     "endpoints and no proxying.  The API server rejects clusterIP (even None), clusterIPs, "
		     "ipFamilies and ipFamilyPolicy on it, and requires externalName to be a DNS-1123 subdomain "
		     "(one trailing dot allowed): no scheme, port, path, capitals or IP address with colons.",
	.fix = "remove the IP fields and set externalName to a host name.  To point a Service at IP addresses, "
	       "use a selectorless ClusterIP Service with an EndpointSlice instead.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: billing-db\n  namespace: billing\nspec:\n"
		   "  type: ExternalName\n  externalName: billing-db.prod.example.com\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
