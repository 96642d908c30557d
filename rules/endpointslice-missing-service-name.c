/* endpointslice-missing-service-name: a slice without the label that ties it to a Service. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

/* A Service whose name starts the slice's name, as in etcd-prom-1 or etcd-prom-abcde. */
static const struct object *guess_service(const struct index *index, const struct object *slice)
{
	const struct object *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		size_t n = strlen(s->name);

		if (s->scope != slice->scope || strcmp(s->namespace, slice->namespace) != 0 || !n)
			continue;
		if (strncmp(slice->name, s->name, n) == 0 && (slice->name[n] == '\0' || slice->name[n] == '-') &&
		    n > best_len) {
			best = s;
			best_len = n;
		}
	}
	return best;
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *e = index->by_kind[KIND_ENDPOINTSLICE][i];
		const char *label = object_label(e, SERVICE_NAME_LABEL);
		const struct object *guess;
		struct diag *d;

		if (label && label[0])
			continue;
		guess = guess_service(index, e);
		d = rule_report(ctx, e, NULL, "EndpointSlice '%s' has %s kubernetes.io/service-name label: kube-proxy "
				"ignores it, so it backs no Service; add labels: {kubernetes.io/service-name: %s}", e->name,
				label ? "an empty" : "no", guess ? guess->name : "<service>");
		if (guess)
			rule_note(d, guess, NULL, "Service %s/%s is probably the one meant", guess->namespace, guess->name);
	}
}

const struct rule rule_endpointslice_missing_service_name = {
	.id = "endpointslice-missing-service-name",
	.severity = SEVERITY_ERROR,
	.summary = "an EndpointSlice without a kubernetes.io/service-name label",
	.rationale = "the label is the only link between a slice and its Service: the slice's name means "
		     "nothing.  The API server accepts a slice without it, and kube-proxy drops it.",
	.fix = "label the slice with the name of the Service it backs.",
	.example = "metadata:\n  name: etcd-prom-1\n  namespace: kube-system\n  labels:\n"
		   "    kubernetes.io/service-name: etcd-prom\n",
	.check_index = check_index,
};
