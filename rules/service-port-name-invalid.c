/* service-port-name-invalid: a Service port name that is not a DNS-1123 label. */
#include "backend.h"
#include "rule.h"

#define LABEL_MAX 63

/* A DNS-1123 label made from s (lowercased, other characters to '-', no runs or edge '-'), or NULL. */
static const char *suggestion(struct rule_ctx *ctx, const char *s)
{
	char *out = arena_alloc(ctx->arena, LABEL_MAX + 2);

	if (!backend_suggest_name(s, false, out, LABEL_MAX + 1))
		return NULL;
	return name_is_dns1123_label(out) ? out : NULL;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *name = sp->items[i].name ? sp->items[i].name->value : NULL;
		const char *text = node_str(name);
		const char *better;
		char why[128];

		/* Empty is service-port-name-required's; a mistyped name is field-type-mismatch's. */
		if (!text || !text[0] || name_is_dns1123_label_why(text, why, sizeof(why)))
			continue;
		better = suggestion(ctx, text);
		if (text_is_placeholder(text))
			rule_report(ctx, o, name, "Service port name '%s' looks like a template placeholder that was never "
				    "filled in, and as written the API server rejects the Service; render the template "
				    "before applying, and lint the rendered manifests", text);
		else if (better)
			rule_report(ctx, o, name, "Service port name '%s' is not a DNS-1123 label (%s): the API server "
				    "rejects the Service; use e.g. '%s', and the same name on the matching Endpoints or "
				    "EndpointSlice port", text, why, better);
		else
			rule_report(ctx, o, name, "Service port name '%s' is not a DNS-1123 label (%s): the API server "
				    "rejects the Service; use lowercase letters, digits and '-', and the same name on "
				    "the matching Endpoints or EndpointSlice port", text, why);
	}
}

const struct rule rule_service_port_name_invalid = {
	.id = "service-port-name-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "a Service port name that is not a DNS-1123 label",
	.rationale = "a Service port name must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 "
		     "characters, starting and ending with a letter or digit (it appears in SRV records as "
		     "_<name>._<protocol>).  The API server rejects the Service otherwise.  Unlike a container "
		     "port name or a targetPort, it is not limited to 15 characters and needs no letter.",
	.fix = "rename the port (http_metrics becomes http-metrics, HTTPS becomes https) and give the ports of the "
	       "Endpoints or EndpointSlices the same name, since kube-proxy matches them by name.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: node-exporter-external\n  namespace: monitoring\n"
		   "spec:\n  ports:\n  - name: http-metrics    # not http_metrics\n    port: 9100\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
