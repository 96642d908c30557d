/* unsupported-api-version: Service, Endpoints, EndpointSlice or ServiceMonitor in an apiVersion the
 * API server no longer serves (or never did). */
#include "rule.h"

#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *at = node_get(o->root, "apiVersion");
	const char *kind = o->type->kind_name;

	if (strcmp(kind, "EndpointSlice") == 0 && strcmp(o->type->group, "discovery.k8s.io") == 0 &&
	    strcmp(o->type->version, "v1") != 0) {
		if ((strcmp(o->type->version, "v1beta1") == 0 && rule_kube_minor(ctx) < 25) ||
		    (strcmp(o->type->version, "v1alpha1") == 0 && rule_kube_minor(ctx) < 21))
			return;
		rule_report(ctx, o, at, "apiVersion %s is not served by Kubernetes 1.%d (discovery.k8s.io/v1beta1 "
			    "was removed in 1.25): the API server rejects the object; use discovery.k8s.io/v1 and its "
			    "field names (conditions.ready, zone, no topology)", o->type->api_version,
			    rule_kube_minor(ctx));
		return;
	}
	if ((strcmp(kind, "Service") == 0 || strcmp(kind, "Endpoints") == 0) && o->type->group[0] == '\0' &&
	    strcmp(o->type->version, "v1") != 0 && o->type->api_version[0]) {
		rule_report(ctx, o, at, "%s is in the core group, whose only version is v1; apiVersion '%s' is "
			    "rejected: write apiVersion: v1", kind, o->type->api_version);
		return;
	}
	if (strcmp(kind, "EndpointSlice") == 0 && o->type->group[0] == '\0' && o->type->api_version[0]) {
		rule_report(ctx, o, at, "EndpointSlice is in the discovery.k8s.io group, not the core group; "
			    "apiVersion '%s' is rejected: write apiVersion: discovery.k8s.io/v1", o->type->api_version);
		return;
	}
	if ((strcmp(kind, "ServiceMonitor") == 0 || strcmp(kind, "Prometheus") == 0) &&
	    strcmp(o->type->group, "monitoring.coreos.com") == 0 && strcmp(o->type->version, "v1") != 0)
		rule_report(ctx, o, at, "%s is served only as monitoring.coreos.com/v1; apiVersion '%s' is "
			    "rejected: write apiVersion: monitoring.coreos.com/v1", kind, o->type->api_version);
}

const struct rule rule_unsupported_api_version = {
	.id = "unsupported-api-version",
	.severity = SEVERITY_ERROR,
	.summary = "an apiVersion the API server does not serve for this kind",
	.rationale = "discovery.k8s.io/v1beta1 EndpointSlices were removed in Kubernetes 1.25, and Service and "
		     "Endpoints exist only as v1: such manifests fail to apply, and the Service they were meant "
		     "to back has no endpoints.",
	.fix = "move to the served version (discovery.k8s.io/v1 for EndpointSlice, v1 for Service and "
	       "Endpoints) and adapt renamed fields.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n",
	.check_object = check_object,
};
