/* service-headless-type: clusterIP: None on a NodePort or LoadBalancer Service. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *ips = node_get(o->spec, "clusterIPs");
	const struct node *ip = node_get(o->spec, "clusterIP");
	const struct node *at;
	const char *type;

	if (o->kind != KIND_SERVICE)
		return;
	type = service_type(o);
	if (strcmp(type, "NodePort") != 0 && strcmp(type, "LoadBalancer") != 0)
		return;
	/* Headless as ValidateService sees it: clusterIPs, or clusterIP copied into it, is exactly [None]. */
	if (node_is_seq(ips) && ips->count > 0) {
		if (ips->count != 1 || !node_text_eq(ips->u.items[0], "None"))
			return;
		at = node_text_eq(ip, "None") ? ip : ips->u.items[0];
	} else if (node_str(ip) && node_text_eq(ip, "None")) {
		at = ip;
	} else {
		return;
	}
	rule_report(ctx, o, at, "clusterIP: None makes the Service headless, but a %s Service forwards %s to its "
		    "cluster IP, which a headless Service does not have: the API server rejects it; remove "
		    "clusterIP: None, or drop type: %s if only DNS records are wanted", type,
		    strcmp(type, "NodePort") == 0 ? "node ports" : "load balancer traffic through node ports", type);
}

const struct rule rule_service_headless_type = {
	.id = "service-headless-type",
	.severity = SEVERITY_ERROR,
	.summary = "clusterIP: None on a NodePort or LoadBalancer Service",
	.rationale = "a headless Service has no cluster IP: DNS returns the endpoint addresses directly and "
		     "kube-proxy does not route it.  NodePort and LoadBalancer Services forward node ports to the "
		     "cluster IP, so the API server rejects clusterIP: None with those types.",
	.fix = "keep clusterIP: None with type ClusterIP (the default) for a DNS-only Service, or remove "
	       "clusterIP: None to expose it on node ports or a load balancer.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n"
		   "  clusterIP: None    # with the default type ClusterIP\n  ports:\n  - name: metrics\n"
		   "    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
