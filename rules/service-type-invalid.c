/* service-type-invalid: spec.type is not one of the four types the API server accepts. */
#include "rule.h"

#include <string.h>
#include <strings.h>

static const char *const types[] = { "ClusterIP", "NodePort", "LoadBalancer", "ExternalName" };

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *type;
	const char *text;
	size_t i;

	if (o->kind != KIND_SERVICE)
		return;
	type = node_get(o->spec, "type");
	text = node_str(type);
	if (!text || !*text)
		return;	/* missing: defaulted to ClusterIP; wrong YAML type: field-type-mismatch */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(text, types[i]) == 0)
			return;
		if (strcasecmp(text, types[i]) == 0) {
			rule_report(ctx, o, type, "Service type '%s' is not valid: types are case-sensitive, so the API "
				    "server rejects the Service; write '%s'", text, types[i]);
			return;
		}
	}
	rule_report(ctx, o, type, "Service type '%s' is not valid: the API server accepts only ClusterIP, NodePort, "
		    "LoadBalancer and ExternalName, so it rejects the Service; use one of them", text);
}

const struct rule rule_service_type_invalid = {
	.id = "service-type-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "spec.type is not ClusterIP, NodePort, LoadBalancer or ExternalName",
	.rationale = "the API server checks spec.type against four case-sensitive values: 'Nodeport' or "
		     "'externalname' is rejected, and the Service with everything that depends on it is "
		     "never created.",
	.fix = "write one of ClusterIP (the default), NodePort, LoadBalancer or ExternalName exactly.",
	.example = "spec:\n  type: NodePort\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
