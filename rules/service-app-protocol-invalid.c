/* service-app-protocol-invalid: an appProtocol that is not a qualified name. */
#include "rule.h"

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *app = sp->items[i].app_protocol;
		const char *text = node_str(app);
		char why[128];

		/* null means unset; a mistyped value is field-type-mismatch's. */
		if (!text || name_is_qualified_name_why(text, why, sizeof(why)))
			continue;
		if (!text[0])
			rule_report(ctx, o, app, "appProtocol is an empty string, which is not a qualified name: the API "
				    "server rejects the Service; remove appProtocol, or set it, e.g. to 'http'");
		else
			rule_report(ctx, o, app, "appProtocol '%s' is not a qualified name (%s): the API server rejects "
				    "the Service; use an IANA service name such as 'http', 'https' or 'grpc', or a "
				    "prefixed one such as 'kubernetes.io/h2c'", text, why);
	}
}

const struct rule rule_service_app_protocol_invalid = {
	.id = "service-app-protocol-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "an appProtocol that is not a qualified name (an empty string included)",
	.rationale = "appProtocol tells load balancers and meshes the application protocol of a port.  It must "
		     "be a qualified name like a label key: an optional DNS subdomain prefix and '/', then 1 to 63 "
		     "letters, digits, '-', '_' or '.', starting and ending with a letter or digit.  An empty "
		     "string, a URL or a value with spaces makes the API server reject the Service.",
	.fix = "use an IANA service name (http, https, grpc) or a domain-prefixed name (kubernetes.io/h2c, "
	       "kubernetes.io/ws), or remove the field.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: grafana-external\n  namespace: monitoring\n"
		   "spec:\n  ports:\n  - name: http\n    port: 3000\n    appProtocol: http\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
