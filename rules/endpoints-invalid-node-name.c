/* endpoints-invalid-node-name: an endpoint nodeName that cannot be a Node's name. */
#include "rule.h"
#include "backend.h"

static void check_node_name(struct rule_ctx *ctx, const struct object *o, const struct node *entry)
{
	const struct node *value = node_get(entry, "nodeName");
	const char *text = node_str(value);
	char why[128], better[256];

	/* Any nodeName that is set is checked, "" included; null means unset. */
	if (!text || name_is_dns1123_subdomain_why(text, why, sizeof(why)))
		return;
	if (!*text)
		rule_report(ctx, o, value, "nodeName is empty: the API server rejects the %s; remove nodeName or "
			    "write the name of the node the backend runs on", o->type->kind_name);
	else if (text_is_placeholder(text))
		rule_report(ctx, o, value, "nodeName '%s' is a placeholder that was never filled in: the API server "
			    "rejects the %s; write the name of the node the backend runs on, or remove nodeName",
			    text, o->type->kind_name);
	else if (backend_suggest_name(text, true, better, sizeof(better)) && name_is_dns1123_subdomain(better))
		rule_report(ctx, o, value, "nodeName '%s' is not a valid node name (%s): the API server rejects the "
			    "%s; write the node's name as 'kubectl get nodes' lists it, e.g. '%s', or remove nodeName",
			    text, why, o->type->kind_name, better);
	else
		rule_report(ctx, o, value, "nodeName '%s' is not a valid node name (%s): the API server rejects the "
			    "%s; write the node's name as 'kubectl get nodes' lists it, or remove nodeName", text, why,
			    o->type->kind_name);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	backend_each_entry(ctx, o, check_node_name);
}

const struct rule rule_endpoints_invalid_node_name = {
	.id = "endpoints-invalid-node-name",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints address or EndpointSlice endpoint whose nodeName cannot be a Node's name",
	.rationale = "nodeName must be a DNS-1123 subdomain, as Node names are: lowercase letters, digits, '-' "
		     "and '.', at most 253 characters.  The API server rejects the whole object otherwise, "
		     "\"\" included.  kube-proxy compares it with its own node name for traffic policies that "
		     "keep traffic on the local node.",
	.fix = "copy the node's name from 'kubectl get nodes', or remove nodeName: it is optional for "
	       "backends outside the cluster.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n    nodeName: control-plane-1\n  ports:\n"
		   "  - name: metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
