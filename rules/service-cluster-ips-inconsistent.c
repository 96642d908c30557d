/* service-cluster-ips-inconsistent: clusterIP and clusterIPs that disagree, or clusterIPs the API rejects. */
#include "rule.h"
#include "k8s.h"

#include <string.h>
#include <strings.h>

/* Kubernetes 1.36 turns StrictIPCIDRValidation on: no leading zeros, no IPv4-mapped IPv6 (KEP 4858). */
static bool strict(const struct rule_ctx *ctx)
{
	return rule_kube_minor(ctx) >= 36;
}

/* "clusterIP" or "clusterIPs[1]", for messages. */
static const char *field_name(struct rule_ctx *ctx, bool from_list, unsigned int i)
{
	return from_list ? arena_printf(ctx->arena, "clusterIPs[%u]", i) : "clusterIP";
}

/* Reports an entry that is not an address; returns false then. */
static bool check_address(struct rule_ctx *ctx, const struct object *o, const struct node *at, const char *field,
			  const char *text, struct ip_address *ip)
{
	if (strcmp(text, "None") == 0) {
		rule_report(ctx, o, at, "%s is 'None', but 'None' (headless) may only be the first and only entry of "
			    "clusterIPs: the API server rejects the Service; use clusterIPs: [None] alone, or only "
			    "addresses", field);
		return false;
	}
	if (strcasecmp(text, "None") == 0) {
		rule_report(ctx, o, at, "%s '%s' is not an IP address, and only 'None' with a capital N makes a "
			    "Service headless: the API server rejects the Service; write None", field, text);
		return false;
	}
	if (!ip_parse(text, ip)) {
		rule_report(ctx, o, at, "%s '%s' is not an IP address: the API server rejects the Service; write a "
			    "plain address from the cluster's service range (no brackets, prefix length or zone), "
			    "'None' for a headless Service, or leave it out to have one allocated", field, text);
		return false;
	}
	if (strict(ctx) && (ip->leading_zeros || ip->ipv4_mapped)) {
		rule_report(ctx, o, at, "%s '%s' is %s, which Kubernetes 1.36 and later reject (StrictIPCIDRValidation): "
			    "the API server rejects the Service; write the plain IPv4 address", field, text,
			    ip->leading_zeros ? "an IPv4 address with leading zeros" : "an IPv4-mapped IPv6 address");
		return false;
	}
	return true;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *ip = node_get(o->spec, "clusterIP");
	const struct node_pair *ips = node_get_pair(o->spec, "clusterIPs");
	const struct node *families = node_get(o->spec, "ipFamilies");
	const struct node *const *entries;
	const char *ip_text = node_str(ip);
	struct ip_address address[2];
	unsigned int count, i;
	bool from_list, valid = true, headless;

	/* ExternalName forbids all of these (service-external-name-invalid); mistyped values are not ours. */
	if (o->kind != KIND_SERVICE || service_is_external_name(o))
		return;
	if ((!node_is_null(ip) && !ip_text) || (ips && !node_is_null(ips->value) && !node_is_seq(ips->value)))
		return;
	from_list = ips && node_is_seq(ips->value) && ips->value->count > 0;
	if (from_list) {
		for (i = 0; i < ips->value->count; i++)
			if (!node_str(ips->value->u.items[i]))
				return;
		entries = (const struct node *const *)ips->value->u.items;
		count = ips->value->count;
		if (!ip_text || !ip_text[0]) {
			rule_report(ctx, o, ips->key, "clusterIPs is set but clusterIP is not: Kubernetes copies clusterIP "
				    "into an empty clusterIPs, never the other way, so the API server rejects the Service "
				    "(clusterIPs must be empty when clusterIP is not specified); add clusterIP: %s, or "
				    "drop clusterIPs", node_text(entries[0]));
		} else if (strcmp(ip_text, node_text(entries[0])) != 0) {
			struct diag *d = rule_report(ctx, o, entries[0], "clusterIPs[0] '%s' differs from clusterIP '%s': "
						     "the first entry of clusterIPs must be clusterIP, so the API server "
						     "rejects the Service; make them equal, or drop clusterIPs",
						     node_text(entries[0]), ip_text);

			rule_note(d, o, ip, "clusterIP '%s'", ip_text);
		}
	} else if (ip_text && ip_text[0]) {
		/* clusterIP alone: the API server validates it as clusterIPs: [clusterIP]. */
		entries = &ip;
		count = 1;
	} else {
		return;
	}

	for (i = 0; i < count; i++) {
		const char *text = node_text(entries[i]);

		if (i == 0 && strcmp(text, "None") == 0) {
			if (count > 1) {
				rule_report(ctx, o, entries[0], "clusterIPs starts with 'None' but has %u entries: 'None' "
					    "(headless) must be the first and only entry, so the API server rejects the "
					    "Service; use [None] alone, or only addresses", count);
				valid = false;
			}
			continue;
		}
		if (!check_address(ctx, o, entries[i], field_name(ctx, from_list, i), text, &address[i < 2 ? i : 1]))
			valid = false;
	}
	if (count > 2) {
		rule_report(ctx, o, ips->key, "clusterIPs has %u entries: a Service has at most two cluster IPs, one "
			    "IPv4 and one IPv6, so the API server rejects it; keep at most one address of each family",
			    count);
		return;
	}
	if (!valid)
		return;
	if (count == 2 && address[0].family == address[1].family) {
		rule_report(ctx, o, entries[1], "clusterIPs holds two %s addresses: a dual-stack Service has one IPv4 "
			    "and one IPv6 cluster IP, so the API server rejects it; keep one of them, or replace one "
			    "with an address of the other family", address[0].family == IP_V4 ? "IPv4" : "IPv6");
		return;
	}
	/* Each address must be of the family ipFamilies names at the same index. */
	headless = count == 1 && strcmp(node_text(entries[0]), "None") == 0;
	if (headless || !node_is_seq(families))
		return;
	for (i = 0; i < count && i < families->count; i++) {
		const char *family = node_str(families->u.items[i]);
		bool v6 = address[i].family == IP_V6;

		if (!family || (strcmp(family, "IPv4") != 0 && strcmp(family, "IPv6") != 0) ||
		    v6 == (strcmp(family, "IPv6") == 0))
			continue;
		rule_report(ctx, o, entries[i], "%s '%s' is an %s address, but ipFamilies[%u] is %s: the API server "
			    "rejects the Service; list the families in the same order as the addresses",
			    field_name(ctx, from_list, i), node_text(entries[i]), v6 ? "IPv6" : "IPv4", i, family);
	}
}

const struct rule rule_service_cluster_ips_inconsistent = {
	.id = "service-cluster-ips-inconsistent",
	.severity = SEVERITY_ERROR,
	.summary = "clusterIP and clusterIPs disagree, or clusterIPs holds values the API server rejects",
	.rationale = "clusterIPs is the dual-stack form of clusterIP: when both are set, clusterIPs[0] must equal "
		     "clusterIP, and clusterIPs alone is rejected because Kubernetes copies clusterIP into "
		     "clusterIPs but never the other way.  clusterIPs holds at most two addresses, one per family, "
		     "in the order of ipFamilies; 'None' (headless) may only stand alone.  Each entry must be a "
		     "plain IP address (from 1.36 without leading zeros or the ::ffff: form).  A rejected Service "
		     "never exists, so its Endpoints or EndpointSlices back nothing.",
	.fix = "set clusterIP alone (an address, or None for a headless Service) or both fields with the same "
	       "first value; usually, leave both out and let the API server allocate the address.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n"
		   "  clusterIP: None\n  clusterIPs:\n  - None\n  ports:\n  - name: metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
