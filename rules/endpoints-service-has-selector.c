/* endpoints-service-has-selector: hand-written Endpoints for a Service whose selector overrides them. */
#include "rule.h"
#include "k8s.h"

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTS]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTS][i];
		struct pairing p;
		struct diag *d;

		if (endpoints_is_controller_made(e) || endpoints_is_leader_lock(e))
			continue;
		p = index_service_of(index, e);
		if (!p.object || !service_has_selector(p.object))
			continue;
		d = rule_report(ctx, e, NULL, "Service %s/%s has a selector, so the endpoints controller overwrites "
				"these hand-written Endpoints with the Pods it selects, and they are never mirrored; "
				"remove the Service's selector, or delete this Endpoints", p.object->namespace,
				p.object->name);
		rule_note(d, p.object, node_get(p.object->spec, "selector"), "the selector of Service %s/%s",
			  p.object->namespace, p.object->name);
	}
}

const struct rule rule_endpoints_service_has_selector = {
	.id = "endpoints-service-has-selector",
	.severity = SEVERITY_ERROR,
	.summary = "hand-written Endpoints for a Service that has a selector",
	.rationale = "a selector hands the Service's endpoints to the controllers: the endpoints controller "
		     "overwrites the hand-written subsets with the selected Pods, and the mirroring controller "
		     "refuses to mirror them.  Typical cause: a selector added later to a Service that used to "
		     "point outside the cluster.  Even 'selector: {app: \"\"}' is a selector.",
	.fix = "remove spec.selector from the Service if its backends are outside the cluster; otherwise "
	       "delete the hand-written Endpoints.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_index = check_index,
};
