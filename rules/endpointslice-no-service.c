/* endpointslice-no-service: a slice labelled for a Service that is not there. */
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

	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTSLICE][i];
		const char *service = object_label(e, SERVICE_NAME_LABEL);
		struct notes n;

		if (!service || !service[0] || index_service_of(index, e).object)
			continue;
		/* default/kubernetes belongs to the API server (reserved-kubernetes-endpoints says so). */
		if (strcmp(e->namespace, "default") == 0 && strcmp(service, "kubernetes") == 0)
			continue;
		n.diag = rule_report(ctx, e, node_get(e->labels, SERVICE_NAME_LABEL), "EndpointSlice '%s' is labelled "
				     "for Service '%s', which does not exist in namespace '%s': its endpoints serve "
				     "nothing; create the Service or fix the label or namespace", e->name, service,
				     e->namespace);
		unread = k8s_near_misses(index, e, KIND_SERVICE, e->namespace, service, 3, &budget, note, &n);
		rule_note_near_unread(n.diag, e, KIND_SERVICE, e->namespace, unread, &budget);
	}
}

const struct rule rule_endpointslice_no_service = {
	.id = "endpointslice-no-service",
	.severity = SEVERITY_WARNING,
	.summary = "an EndpointSlice labelled for a Service that does not exist",
	.rationale = "kube-proxy files a slice under the Service its kubernetes.io/service-name label names, in "
		     "the slice's namespace.  If that Service is missing, or the label has a typo, the slice's "
		     "endpoints carry no traffic.",
	.fix = "create the Service, or correct the label value or the slice's namespace; svclint names the "
	       "closest Services (in a namespace of thousands of unpaired objects it stops searching after a "
	       "fixed number of names read, and says so in a note).",
	.example = "metadata:\n  labels:\n    kubernetes.io/service-name: etcd-prom\n",
	.check_index = check_index,
};
