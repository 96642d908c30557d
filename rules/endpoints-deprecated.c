/* endpoints-deprecated: v1 Endpoints is deprecated from Kubernetes 1.33. */
#include "rule.h"
#include "k8s.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	if (o->kind != KIND_ENDPOINTS || rule_kube_minor(ctx) < 33 || endpoints_is_controller_made(o) ||
	    endpoints_is_leader_lock(o))
		return;
	rule_report(ctx, o, node_get(o->root, "kind"), "v1 Endpoints is deprecated since Kubernetes 1.33 (every "
		    "apply warns) and kube-proxy reads only EndpointSlices mirrored from it; write a "
		    "discovery.k8s.io/v1 EndpointSlice labelled kubernetes.io/service-name: %s instead",
		    o->name[0] ? o->name : "<service>");
}

const struct rule rule_endpoints_deprecated = {
	.id = "endpoints-deprecated",
	.severity = SEVERITY_INFO,
	.summary = "v1 Endpoints is deprecated (Kubernetes 1.33 and later)",
	.rationale = "since 1.33 the API server warns on every read and write of v1 Endpoints; kube-proxy has "
		     "long read only EndpointSlices, which the mirroring controller makes from hand-written "
		     "Endpoints (at most 1000 addresses per subset).",
	.fix = "replace the Endpoints with an EndpointSlice labelled kubernetes.io/service-name, with the same "
	       "addresses and port names.  Silence with --disable endpoints-deprecated or --kube-version 1.32.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-prom-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd-prom\n"
		   "addressType: IPv4\nendpoints:\n- addresses: [10.0.0.11]\nports:\n- name: https-metrics\n"
		   "  port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
