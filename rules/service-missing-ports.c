/* service-missing-ports: a Service with a cluster IP and no ports, which the API server rejects. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

/* Headless as ValidateService sees it: clusterIPs (or clusterIP copied into it) is exactly [None]. */
static bool is_headless(const struct object *o)
{
	const struct node *ips = node_get(o->spec, "clusterIPs");
	const char *ip = node_str(node_get(o->spec, "clusterIP"));

	if (node_is_seq(ips) && ips->count > 0)
		return ips->count == 1 && node_text_eq(ips->u.items[0], "None");
	return ip && strcmp(ip, "None") == 0;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *ports, *spec;

	if (o->kind != KIND_SERVICE || service_is_external_name(o) || is_headless(o))
		return;
	ports = node_get_pair(o->spec, "ports");
	/* A map or a scalar is field-type-mismatch's finding; an empty list or null is ours. */
	if (ports && !node_is_null(ports->value) && !(node_is_seq(ports->value) && ports->value->count == 0))
		return;
	/* ports that lost their indentation and stand at the top level are misplaced-field's. */
	if (!ports && node_get_pair(o->root, "ports"))
		return;
	spec = node_get_pair(o->root, "spec");
	if (spec && !node_is_null(spec->value) && !node_is_map(spec->value))
		return;		/* a spec that is not a map is field-type-mismatch's */
	rule_report(ctx, o, ports ? ports->key : spec ? spec->key : NULL,
		    "this %s Service has no ports: only headless (clusterIP: None) and ExternalName Services may "
		    "leave spec.ports empty, so the API server rejects it; list the ports clients connect to, "
		    "named like the ports of its Endpoints or EndpointSlices, or set clusterIP: None if it only "
		    "serves DNS", service_type(o));
}

const struct rule rule_service_missing_ports = {
	.id = "service-missing-ports",
	.severity = SEVERITY_ERROR,
	.summary = "a Service that is neither headless nor ExternalName has no ports",
	.rationale = "kube-proxy forwards a Service's virtual IP port by port, so the API server requires at "
		     "least one entry in spec.ports unless the Service is headless (clusterIP: None, DNS only) or "
		     "an ExternalName (a CNAME).  Without ports the Service is rejected, and its hand-written "
		     "Endpoints or EndpointSlices back nothing.",
	.fix = "add spec.ports with the port numbers clients use, named exactly like the backend ports; or make "
	       "the Service headless with clusterIP: None if clients only need its DNS records.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: postgres-external\n  namespace: data\n"
		   "spec:\n  ports:\n  - name: postgres\n    port: 5432\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
