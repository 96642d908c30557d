/* endpoints-invalid-hostname: an endpoint hostname that is not a DNS label. */
#include "rule.h"
#include "backend.h"

#include <string.h>

static void check_hostname(struct rule_ctx *ctx, const struct object *o, const struct node *entry)
{
	const struct node *value = node_get(entry, "hostname");
	const char *text = node_str(value);
	char why[128], better[72], first[72];
	const char *dot;

	if (!text)
		return;
	if (!*text) {
		/* Endpoints skip an empty hostname; an EndpointSlice validates any hostname that is set. */
		if (o->kind == KIND_ENDPOINTSLICE)
			rule_report(ctx, o, value, "hostname is empty: the API server rejects the EndpointSlice; "
				    "remove hostname or write the backend's name as a DNS label");
		return;
	}
	if (name_is_dns1123_label_why(text, why, sizeof(why)))
		return;
	if (text_is_placeholder(text)) {
		rule_report(ctx, o, value, "hostname '%s' is a placeholder that was never filled in: the API server "
			    "rejects the %s; write the backend's name as a DNS label, or remove hostname", text,
			    o->type->kind_name);
		return;
	}
	/* A domain name where one label belongs: keep its first label. */
	dot = strchr(text, '.');
	if (dot && dot > text && (size_t)(dot - text) < sizeof(first)) {
		memcpy(first, text, (size_t)(dot - text));
		first[dot - text] = '\0';
		if (backend_suggest_name(first, false, better, sizeof(better)) && name_is_dns1123_label(better)) {
			rule_report(ctx, o, value, "hostname '%s' is a domain name, but hostname takes one DNS label "
				    "(%s): the API server rejects the %s; write '%s' (DNS adds the Service's domain "
				    "to it)", text, why, o->type->kind_name, better);
			return;
		}
	}
	if (backend_suggest_name(text, false, better, sizeof(better)) && name_is_dns1123_label(better))
		rule_report(ctx, o, value, "hostname '%s' is not a valid DNS label (%s): the API server rejects the "
			    "%s; write '%s'", text, why, o->type->kind_name, better);
	else
		rule_report(ctx, o, value, "hostname '%s' is not a valid DNS label (%s): the API server rejects the "
			    "%s; use lowercase letters, digits and '-', at most 63 characters", text, why,
			    o->type->kind_name);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	backend_each_entry(ctx, o, check_hostname);
}

const struct rule rule_endpoints_invalid_hostname = {
	.id = "endpoints-invalid-hostname",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints address or EndpointSlice endpoint whose hostname is not a DNS label",
	.rationale = "hostname names one backend inside a headless Service's DNS zone (etcd-0.etcd.kube-system.svc), "
		     "so it must be a single DNS-1123 label: lowercase letters, digits and '-', at most 63 "
		     "characters, no dots.  The API server rejects the whole object otherwise.  Endpoints ignore "
		     "an empty hostname; an EndpointSlice rejects hostname: \"\".",
	.fix = "write one lowercase label, such as etcd-0, or remove hostname; DNS appends the Service's domain "
	       "itself.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n    hostname: etcd-0\n  ports:\n  - name: metrics\n"
		   "    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
