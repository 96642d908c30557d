/* service-invalid-name: a Service name or generateName the API server rejects. */
#include "backend.h"
#include "rule.h"

#include <string.h>

#define LABEL_MAX 63
#define GENERATED_BASE_MAX 58	/* apiserver storage/names: base cut to 58, then 5 random characters */

/* Kubernetes 1.36 turns RelaxedServiceNameValidation on: DNS-1123 labels instead of DNS-1035 (KEP 5311). */
static bool relaxed(const struct rule_ctx *ctx)
{
	return rule_kube_minor(ctx) >= 36;
}

static bool name_ok(const struct rule_ctx *ctx, const char *s, char *why, size_t size)
{
	return relaxed(ctx) ? name_is_dns1123_label_why(s, why, size) : name_is_dns1035_label_why(s, why, size);
}

/*
 * A lowercase label made from s (other characters become '-', runs of '-' collapse, no '-' at either
 * end, at most 63 characters), or NULL when that gives nothing valid or nothing new.
 */
static const char *suggestion(struct rule_ctx *ctx, const char *s)
{
	char *out = arena_alloc(ctx->arena, LABEL_MAX + 2);

	if (!backend_suggest_name(s, false, out, LABEL_MAX + 1))
		return NULL;
	return name_ok(ctx, out, NULL, 0) ? out : NULL;
}

static const char *label_kind(const struct rule_ctx *ctx)
{
	return relaxed(ctx) ? "DNS-1123 label" : "DNS-1035 label";
}

/* Fails only the pre-1.36 rule: a DNS-1123 label that does not start with a letter. */
static bool only_before_1_36(const struct rule_ctx *ctx, const char *name)
{
	return !relaxed(ctx) && name_is_dns1123_label(name);
}

static void check_name(struct rule_ctx *ctx, const struct object *o, const struct node *at, const char *name)
{
	char why[128];
	const char *better;

	if (name_ok(ctx, name, why, sizeof(why)))
		return;
	if (text_is_placeholder(name)) {
		rule_report(ctx, o, at, "Service name '%s' looks like a template placeholder that was never filled in, "
			    "and as written the API server rejects the Service; render the template (envsubst, Helm, "
			    "kustomize) before applying, and lint the rendered manifests", name);
		return;
	}
	if (only_before_1_36(ctx, name)) {
		rule_report(ctx, o, at, "Service name '%s' is not a DNS-1035 label (%s): before Kubernetes 1.36 the API "
			    "server rejects the Service (--kube-version is 1.%d); rename it to start with a letter, "
			    "or deploy only to 1.36 and later, which accept a leading digit", name, why,
			    rule_kube_minor(ctx));
		return;
	}
	better = suggestion(ctx, name);
	if (better)
		rule_report(ctx, o, at, "Service name '%s' is not a %s (%s): the API server rejects the Service; "
			    "rename it, e.g. to '%s', together with its Endpoints or the kubernetes.io/service-name "
			    "label of its EndpointSlices", name, label_kind(ctx), why, better);
	else
		rule_report(ctx, o, at, "Service name '%s' is not a %s (%s): the API server rejects the Service; "
			    "rename it to lowercase letters, digits and '-', starting with a letter", name,
			    label_kind(ctx), why);
}

/*
 * generateName is checked as ValidateObjectMeta does: with its last character replaced by 'a' when it
 * ends in '-' (maskTrailingDash, which also drops the character before the dash), then the name the
 * server generates from it (the prefix cut to 58 characters plus 5 random lowercase alphanumerics).
 */
static void check_generate_name(struct rule_ctx *ctx, const struct object *o, const struct node *at,
				const char *prefix)
{
	size_t len = strlen(prefix);
	char masked[LABEL_MAX + 8];
	char generated[GENERATED_BASE_MAX + 8];
	const char *failed;
	char why[128];

	if (len > LABEL_MAX + 1) {
		rule_report(ctx, o, at, "generateName '%s' is %zu characters long, but a Service name is a %s of "
			    "at most 63: the API server rejects the Service; shorten it", prefix, len,
			    label_kind(ctx));
		return;
	}
	memcpy(masked, prefix, len + 1);
	if (len > 1 && prefix[len - 1] == '-') {
		masked[len - 2] = 'a';
		masked[len - 1] = '\0';
	}
	failed = masked;
	if (name_ok(ctx, masked, why, sizeof(why))) {
		size_t base = len < GENERATED_BASE_MAX ? len : GENERATED_BASE_MAX;

		memcpy(generated, prefix, base);
		memcpy(generated + base, "bcdfg", 6);
		if (name_ok(ctx, generated, why, sizeof(why)))
			return;
		failed = generated;
	}
	if (only_before_1_36(ctx, failed))
		rule_report(ctx, o, at, "generateName '%s' does not start with a letter, so the names generated from it "
			    "are not DNS-1035 labels: before Kubernetes 1.36 the API server rejects the Service "
			    "(--kube-version is 1.%d); start the prefix with a letter", prefix, rule_kube_minor(ctx));
	else
		rule_report(ctx, o, at, "generateName '%s' cannot start a valid Service name (a %s: %s): the API "
			    "server rejects the Service; use a prefix of lowercase letters, digits and '-' that starts "
			    "with a letter", prefix, label_kind(ctx), why);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *generate = node_get(object_metadata(o), "generateName");
	const struct node *name_node = object_name_node(o);
	const char *name = node_str(name_node);
	const char *prefix = node_str(generate);

	/* A missing name is missing-object-identity's, a mistyped one field-type-mismatch's. */
	if (o->kind != KIND_SERVICE)
		return;
	if (name && name[0])
		check_name(ctx, o, name_node, name);
	if (prefix && prefix[0])
		check_generate_name(ctx, o, generate, prefix);
}

const struct rule rule_service_invalid_name = {
	.id = "service-invalid-name",
	.severity = SEVERITY_ERROR,
	.summary = "a Service name that is not a DNS label (DNS-1035 before Kubernetes 1.36)",
	.rationale = "a Service name becomes a DNS label (<name>.<namespace>.svc), so the API server accepts only "
		     "lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter "
		     "or digit.  Before Kubernetes 1.36 the name must also start with a letter (DNS-1035); from "
		     "1.36 RelaxedServiceNameValidation allows a leading digit.  generateName is checked as a "
		     "prefix.  A rejected Service never exists, and Endpoints or EndpointSlices named after it "
		     "back nothing.",
	.fix = "rename the Service to a valid label, and rename its Endpoints (or the kubernetes.io/service-name "
	       "label of its EndpointSlices) with it; pass --kube-version for the oldest cluster you deploy to.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-metrics    # not etcd_metrics or "
		   "Etcd.Metrics\n  namespace: kube-system\nspec:\n  clusterIP: None\n  ports:\n"
		   "  - name: metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
