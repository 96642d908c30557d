/* reserved-kubernetes-endpoints: a hand-written backend for default/kubernetes, which kube-apiserver writes itself. */
#include "rule.h"

#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const char *service;

	if (strcmp(o->namespace, "default") != 0)
		return;
	if (o->kind == KIND_ENDPOINTS) {
		if (strcmp(o->name, "kubernetes") != 0)
			return;
	} else if (o->kind == KIND_ENDPOINTSLICE) {
		service = object_label(o, SERVICE_NAME_LABEL);
		if (!(service && strcmp(service, "kubernetes") == 0) && strcmp(o->name, "kubernetes") != 0)
			return;
	} else {
		return;
	}
	rule_report(ctx, o, NULL,
		    "%s is written by kube-apiserver itself: it lists the API servers behind the built-in Service "
		    "default/kubernetes, and its endpoint reconciler overwrites it; applying this one fights the "
		    "reconciler and can briefly send every in-cluster API client to these addresses; remove it from "
		    "the manifests (to reach an API server from outside, give it its own Service)",
		    rule_describe(ctx, o));
}

const struct rule rule_reserved_kubernetes_endpoints = {
	.id = "reserved-kubernetes-endpoints",
	.severity = SEVERITY_ERROR,
	.summary = "a hand-written Endpoints or EndpointSlice for default/kubernetes",
	.rationale = "the Service default/kubernetes is how Pods reach the API server.  kube-apiserver writes its "
		     "Endpoints and its EndpointSlice (both named kubernetes) with the addresses of the running API "
		     "servers and keeps them so.  A manifest for either object, usually copied from `kubectl get -o "
		     "yaml`, races the reconciler: while it lasts, clients in the cluster connect to whatever "
		     "addresses it lists.",
	.fix = "remove the object from the manifests.  To expose an API server under another name, create a "
	       "Service without a selector of your own, with its own Endpoints or EndpointSlice.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: apiserver-external\n  namespace: ops\nspec:\n"
		   "  ports:\n  - name: https\n    port: 443\n---\napiVersion: discovery.k8s.io/v1\n"
		   "kind: EndpointSlice\nmetadata:\n  name: apiserver-external-1\n  namespace: ops\n  labels:\n"
		   "    kubernetes.io/service-name: apiserver-external\n"
		   "    endpointslice.kubernetes.io/managed-by: ops-team\naddressType: IPv4\nendpoints:\n"
		   "- addresses: [192.0.2.10]\nports:\n- name: https\n  port: 6443\n  protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
