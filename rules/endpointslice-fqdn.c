/* endpointslice-fqdn: an EndpointSlice of addressType FQDN, which no proxy routes. */
#include "rule.h"
#include "k8s.h"

#include <string.h>

/* Whether s has a backend other than except that kube-proxy can use: a mirrored Endpoints with a subset,
 * or an IPv4/IPv6 slice. */
static bool has_other_backend(const struct index *index, const struct object *s, const struct object *except)
{
	const struct node *subsets;
	struct backends b;
	bool found = false;
	size_t k;

	index_backends_of(index, s, &b);
	if (b.endpoints.object && !endpoints_skips_mirror(b.endpoints.object) &&
	    !endpoints_is_leader_lock(b.endpoints.object)) {
		subsets = node_get(b.endpoints.object->root, "subsets");
		found = node_is_seq(subsets) && subsets->count;
	}
	for (k = 0; k < b.slice_count && !found; k++) {
		const struct node *type = node_get(b.slices[k].object->root, "addressType");

		if (b.slices[k].object != except && (node_text_eq(type, "IPv4") || node_text_eq(type, "IPv6")))
			found = true;
	}
	backends_release(&b);
	return found;
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *slice = index->by_kind[KIND_ENDPOINTSLICE][i];
		const struct node *type = node_get(slice->root, "addressType");
		const struct object *s;
		const char *deprecated;
		struct diag *d;

		if (!node_text_eq(type, "FQDN"))
			continue;
		s = index_service_of(index, slice).object;
		if (s && !object_is_unique(index, s))
			s = NULL;	/* defined twice (duplicate-object): which one applies is unknown */
		deprecated = rule_kube_minor(ctx) >= 33 ? " (and deprecated since Kubernetes 1.33)" : "";
		if (s && service_is_proxied(s) && !has_other_backend(index, s, slice)) {
			d = rule_report_as(ctx, SEVERITY_ERROR, slice, type,
					   "addressType FQDN is never routed%s: kube-proxy reads only IPv4 and IPv6 slices, "
					   "and this is the only backend of %s, so connections to it fail; list IP "
					   "addresses in an IPv4 or IPv6 slice, or make the Service type: ExternalName "
					   "with externalName set to the host name", deprecated, rule_describe(ctx, s));
			rule_note(d, s, NULL, "%s has a cluster IP", rule_describe(ctx, s));
			continue;
		}
		d = rule_report(ctx, slice, type,
				"addressType FQDN is never routed%s: kube-proxy reads only IPv4 and IPv6 slices, and no "
				"Kubernetes component reads FQDN ones (only some third-party gateways do); list IP "
				"addresses in an IPv4 or IPv6 slice, or use an ExternalName Service for a host name",
				deprecated);
		if (s)
			rule_note(d, s, NULL, "%s", rule_describe(ctx, s));
	}
}

const struct rule rule_endpointslice_fqdn = {
	.id = "endpointslice-fqdn",
	.severity = SEVERITY_WARNING,
	.summary = "an EndpointSlice has addressType FQDN, which nothing routes",
	.rationale = "the API accepts FQDN slices, but no Kubernetes component uses them: kube-proxy reads only "
		     "IPv4 and IPv6 slices, and no controller writes FQDN ones (a few third-party gateways read "
		     "them).  The type is documented as "
		     "deprecated from Kubernetes 1.33, and current API servers warn when one is created.  When an "
		     "FQDN slice is the only backend of a Service with a cluster IP, every connection to the "
		     "Service fails (error); otherwise the slice is dead weight (warning).",
	.fix = "resolve the host name and list its IP addresses in an IPv4 or IPv6 EndpointSlice, or make the "
	       "Service type: ExternalName with externalName: <host name> so that DNS answers with a CNAME.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: payments-api\n  namespace: shop\nspec:\n"
		   "  type: ExternalName\n  externalName: api.payments.example.com\n",
	.check_index = check_index,
};
