/* missing-object-identity: a manifest without apiVersion, kind, or a name. */
#include "rule.h"

#include <string.h>

/* API groups whose objects the API server stores by name; tool configs (kind, kustomize functions,
 * istioctl profiles) use apiVersion and kind too, but never reach an API server. */
static bool is_api_group(const char *group)
{
	static const char *const groups[] = {
		"", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apps", "autoscaling", "batch",
		"certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "gateway.networking.k8s.io",
		"monitoring.coreos.com", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
		"scheduling.k8s.io", "storage.k8s.io",
	};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(group, groups[i]) == 0)
			return true;
	return false;
}

static bool is_list_kind(const char *kind)
{
	size_t n = strlen(kind);

	return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *name;
	const char *generate_name;

	if (!o->type->api_version[0])
		rule_report(ctx, o, o->root, "this manifest has no apiVersion: the API server cannot decode it; "
			    "add apiVersion (v1 for a Service or Endpoints)");
	if (!o->type->kind_name[0])
		rule_report(ctx, o, o->root, "this manifest has no kind: the API server cannot decode it; add kind");
	if (o->name[0] || !o->type->kind_name[0] || !o->type->api_version[0] || !is_api_group(o->type->group) ||
	    is_list_kind(o->type->kind_name))
		return;
	generate_name = node_text(node_get(object_metadata(o), "generateName"));
	name = object_name_node(o);
	if (!(generate_name && generate_name[0]))
		rule_report(ctx, o, name ? name : o->root, "%s has no metadata.name (nor generateName): the API "
			    "server rejects it, and nothing can refer to it; add metadata.name",
			    o->type->kind_name[0] ? o->type->kind_name : "this manifest");
}

const struct rule rule_missing_object_identity = {
	.id = "missing-object-identity",
	.severity = SEVERITY_ERROR,
	.summary = "a manifest without apiVersion, kind, or metadata.name",
	.rationale = "the API server needs apiVersion and kind to decode an object and a name to store it; "
		     "a Service or Endpoints without a name can never be paired.",
	.fix = "add the missing field.  A document with no kind (and not both apiVersion and metadata) is not "
	       "taken for a manifest at all, and names are required only in Kubernetes' own API groups and "
	       "monitoring.coreos.com: tool configurations (kind clusters, kustomize functions) are left alone.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n",
	.check_object = check_object,
};
