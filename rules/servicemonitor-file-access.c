/* servicemonitor-file-access: an endpoint that reads files inside the Prometheus pod. */
#include "rule.h"
#include "monitor.h"

#include <string.h>

/* The fields prometheus-operator's testForArbitraryFSAccess looks at. */
static const char *const file_fields[] = {
	"bearerTokenFile", "tlsConfig.caFile", "tlsConfig.certFile", "tlsConfig.keyFile",
};

#define FIELD_COUNT (sizeof(file_fields) / sizeof(file_fields[0]))

static const struct node *file_key(const struct node *endpoint, const char *field)
{
	const struct node *map = endpoint;
	const char *dot = strchr(field, '.');
	const struct node_pair *pair;

	if (dot) {
		map = node_get(endpoint, "tlsConfig");
		field = dot + 1;
	}
	pair = node_get_pair(map, field);
	if (!pair || !node_str(pair->value) || !*node_str(pair->value))
		return NULL;
	return pair->key;
}

static void check_monitor(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m)
{
	const struct node *endpoints = node_get(m->spec, "endpoints");
	const struct prometheus_info *denying = NULL;
	unsigned int i;
	size_t k;

	/* A fact of this definition alone: reported even when the ServiceMonitor is defined twice. */
	if (!node_is_seq(endpoints))
		return;
	for (k = 0; k < mc->prometheus_count && !denying; k++)
		if (mc->prometheus[k].deny_file_access &&
		    prometheus_selects(mc, &mc->prometheus[k], m, NULL) == MONITOR_YES)
			denying = &mc->prometheus[k];
	for (i = 0; i < endpoints->count; i++) {
		const struct node *first = NULL;
		const char *fields = "";
		bool token = false, tls = false;
		struct diag *d;
		size_t f;

		for (f = 0; f < FIELD_COUNT; f++) {
			const struct node *key = file_key(endpoints->u.items[i], file_fields[f]);

			if (!key)
				continue;
			if (!first)
				first = key;
			fields = arena_printf(ctx->arena, "%s%s%s", fields, *fields ? ", " : "", file_fields[f]);
			if (f == 0)
				token = true;
			else
				tls = true;
		}
		if (!first)
			continue;
		if (denying) {
			d = rule_report_as(ctx, SEVERITY_ERROR, m, first, "endpoints[%u] reads files in the Prometheus pod "
					   "(%s), and %s sets arbitraryFSAccessThroughSMs.deny: true, so prometheus-operator "
					   "rejects this whole ServiceMonitor and none of its endpoints is scraped; %s", i,
					   fields, rule_describe(ctx, denying->prometheus),
					   token && tls ? "use authorization and tlsConfig with Secret references instead" :
					   token ? "use authorization.credentials (a Secret reference) instead" :
						   "use tlsConfig.ca, tlsConfig.cert and tlsConfig.keySecret (Secret "
						   "references) instead");
			rule_note(d, denying->prometheus, node_get_path(denying->prometheus->spec,
									"arbitraryFSAccessThroughSMs.deny"),
				  "%s denies file access through ServiceMonitors", rule_describe(ctx, denying->prometheus));
			continue;
		}
		rule_report(ctx, m, first, "endpoints[%u] reads files in the Prometheus pod (%s): they must be mounted "
			    "into it, and any Prometheus with arbitraryFSAccessThroughSMs.deny: true rejects the whole "
			    "ServiceMonitor; %s", i, fields,
			    token && tls ? "authorization and tlsConfig can take Secret references instead" :
			    token ? "authorization.credentials can take a Secret reference instead" :
				    "tlsConfig.ca, tlsConfig.cert and tlsConfig.keySecret can take Secret references "
				    "instead");
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	monitor_for_each(ctx, index, check_monitor);
}

const struct rule rule_servicemonitor_file_access = {
	.id = "servicemonitor-file-access",
	.severity = SEVERITY_INFO,
	.summary = "a ServiceMonitor endpoint reads a token or TLS file inside the Prometheus pod",
	.rationale = "bearerTokenFile and tlsConfig.caFile/certFile/keyFile name files in the Prometheus "
		     "container: they work only if someone mounts them there (Prometheus spec.secrets), and a "
		     "Prometheus with arbitraryFSAccessThroughSMs.deny: true rejects every ServiceMonitor that uses "
		     "them (prometheus-operator's testForArbitraryFSAccess), silently dropping all its endpoints.  "
		     "Secret references need neither.  It is an error when a Prometheus of the manifests that "
		     "selects the ServiceMonitor denies file access.",
	.fix = "reference Secrets instead: tlsConfig.ca.secret, tlsConfig.cert.secret and tlsConfig.keySecret "
	       "for TLS, authorization.credentials for a token.",
	.example = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: etcd-prom\n"
		   "  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n"
		   "      app.kubernetes.io/name: etcd\n  endpoints:\n  - port: https-metrics\n    scheme: https\n"
		   "    tlsConfig:\n      ca:\n        secret: {name: etcd-client, key: ca.crt}\n"
		   "      cert:\n        secret: {name: etcd-client, key: tls.crt}\n"
		   "      keySecret: {name: etcd-client, key: tls.key}\n",
	.check_index = check_index,
};
