/* missing-object-identity: a manifest without apiVersion, kind, or a name. */
#include "rule.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *name = o->name_node;

	if (!o->api_version[0])
		rule_report(ctx, o, o->root, "this manifest has no apiVersion: the API server cannot decode it; "
			    "add apiVersion (v1 for a Service or Endpoints)");
	if (!o->kind_name[0])
		rule_report(ctx, o, o->root, "this manifest has no kind: the API server cannot decode it; add kind");
	if (!o->name[0] && !(o->generate_name && o->generate_name[0]))
		rule_report(ctx, o, name ? name : o->root, "%s has no metadata.name (nor generateName): the API "
			    "server rejects it, and nothing can refer to it; add metadata.name",
			    o->kind_name[0] ? o->kind_name : "this manifest");
}

const struct rule rule_missing_object_identity = {
	.id = "missing-object-identity",
	.severity = SEVERITY_ERROR,
	.summary = "a manifest without apiVersion, kind, or metadata.name",
	.rationale = "the API server needs apiVersion and kind to decode an object and a name to store it; "
		     "a Service or Endpoints without a name can never be paired.",
	.fix = "add the missing field; note that a document with neither apiVersion nor kind is not taken for "
	       "a manifest at all.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n",
	.check_object = check_object,
};
