/* service-selectorless-no-backends: a Service without a selector that nothing gives endpoints. */
#include "rule.h"
#include "k8s.h"

struct notes {
	struct rule_ctx *ctx;
	struct diag *diag;
};

static void note(void *data, const struct object *candidate, const char *why)
{
	struct notes *n = data;

	rule_note(n->diag, candidate, NULL, "%s '%s' in namespace '%s' is close: %s", candidate->type->kind_name,
		  candidate->kind == KIND_ENDPOINTSLICE ? object_label(candidate, SERVICE_NAME_LABEL) : candidate->name,
		  candidate->namespace, why);
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	struct near_budget budget = { 0, 0 };
	size_t i, unread;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;
		struct notes n;
		bool headless;

		if (!service_is_selectorless(s) || service_is_external_name(s) || !s->name[0])
			continue;
		index_backends_of(index, s, &b);
		if (b.endpoints.object || b.slice_count) {
			backends_release(&b);
			continue;
		}
		backends_release(&b);
		headless = service_is_headless(s);
		n.ctx = ctx;
		n.diag = rule_report_as(ctx, headless ? SEVERITY_WARNING : SEVERITY_ERROR, s, NULL,
					"%s has no selector and no Endpoints or EndpointSlice backs it: %s; add an "
					"EndpointSlice labelled kubernetes.io/service-name: %s (or an Endpoints named "
					"'%s') in namespace '%s'", rule_describe(ctx, s),
					headless ? "its DNS name resolves to nothing"
						 : "no controller fills its endpoints, so connections to it fail",
					s->name, s->name, s->namespace);
		unread = k8s_near_misses(index, s, KIND_ENDPOINTS, s->namespace, s->name, 3, &budget, note, &n);
		rule_note_near_unread(n.diag, s, KIND_ENDPOINTS, s->namespace, unread, &budget);
		unread = k8s_near_misses(index, s, KIND_ENDPOINTSLICE, s->namespace, s->name, 3, &budget, note, &n);
		rule_note_near_unread(n.diag, s, KIND_ENDPOINTSLICE, s->namespace, unread, &budget);
	}
}

const struct rule rule_service_selectorless_no_backends = {
	.id = "service-selectorless-no-backends",
	.severity = SEVERITY_ERROR,
	.summary = "a Service without a selector has no Endpoints or EndpointSlice",
	.rationale = "without a selector no controller makes endpoints for a Service: someone must write an "
		     "EndpointSlice labelled with its name, or an Endpoints of the same name and namespace that "
		     "Kubernetes mirrors.  Without one, the Service exists, resolves, and sends every connection "
		     "nowhere.  (Warning only for a headless Service, which kube-proxy does not route.)",
	.fix = "add the backends in the Service's namespace, or give the Service a selector if its Pods run "
	       "in the cluster.  svclint names same-named objects in other namespaces and near-miss names (in a "
	       "namespace of thousands of unpaired objects it stops searching after a fixed number of names "
	       "read, and says so in a note).",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-prom-1\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd-prom\n"
		   "addressType: IPv4\nendpoints:\n- addresses: [10.0.0.11]\nports:\n- name: https-metrics\n"
		   "  port: 2379\n  protocol: TCP\n",
	.check_index = check_index,
};
