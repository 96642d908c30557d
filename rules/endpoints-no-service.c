/* endpoints-no-service: an Endpoints that no Service of its name and namespace owns. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

struct notes {
	struct diag *diag;
};

static void note(void *data, const struct object *candidate, const char *why)
{
	struct notes *n = data;

	rule_note(n->diag, candidate, NULL, "Service '%s' in namespace '%s' is close: %s", candidate->name,
		  candidate->namespace, why);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	struct near_budget budget = { 0, 0 };
	size_t i, unread;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTS]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTS][i];
		char why[128];
		struct notes n;

		if (!e->name[0] || endpoints_is_leader_lock(e) || endpoints_is_controller_made(e))
			continue;
		/* default/kubernetes belongs to the API server (reserved-kubernetes-endpoints says so). */
		if (strcmp(e->namespace, "default") == 0 && strcmp(e->name, "kubernetes") == 0)
			continue;
		if (index_service_of(index, e).object)
			continue;
		if (!name_is_dns1123_subdomain_why(e->name, why, sizeof(why)))
			n.diag = rule_report_as(ctx, SEVERITY_ERROR, e, NULL, "Endpoints name '%s' is invalid (%s): the "
						"API server rejects it; use the exact name of the Service it backs",
						e->name, why);
		else if (!name_is_dns1123_label(e->name))
			n.diag = rule_report_as(ctx, SEVERITY_ERROR, e, NULL, "Endpoints name '%s' can never be a "
						"Service name (a Service name is a DNS label: no dots, at most 63 "
						"characters), so these endpoints can never be used; name it after the "
						"Service it backs", e->name);
		else
			n.diag = rule_report(ctx, e, NULL, "no Service '%s' in namespace '%s' owns this Endpoints: it "
					     "is never mirrored to an EndpointSlice, so no traffic reaches it, and the "
					     "endpoints controller may delete it; add the selectorless Service or fix "
					     "the name or namespace", e->name, e->namespace);
		unread = k8s_near_misses(index, e, KIND_SERVICE, e->namespace, e->name, 3, &budget, note, &n);
		rule_note_near_unread(n.diag, e, KIND_SERVICE, e->namespace, unread, &budget);
	}
}

const struct rule rule_endpoints_no_service = {
	.id = "endpoints-no-service",
	.severity = SEVERITY_WARNING,
	.summary = "an Endpoints without a Service of the same name and namespace",
	.rationale = "an Endpoints belongs to the Service of exactly its name and namespace.  Without one it "
		     "is never mirrored to an EndpointSlice, so kube-proxy never sees it, and the endpoints "
		     "controller deletes Endpoints whose Service is gone.  A name that cannot be a Service name "
		     "(dots, over 63 characters, capitals) is an error.",
	.fix = "create the selectorless Service, or correct the Endpoints' name or namespace to the "
	       "Service's; svclint names the closest Services (in a namespace of thousands of unpaired "
	       "objects it stops searching after a fixed number of names read, and says so in a note).",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\nspec:\n"
		   "  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_index = check_index,
};
