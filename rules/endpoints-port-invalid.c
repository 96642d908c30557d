/* endpoints-port-invalid: a backend port with a bad number, protocol, name or appProtocol. */
#include "rule.h"
#include "backend.h"

#include <string.h>
#include <strings.h>

static bool is_protocol(const char *text)
{
	return strcmp(text, "TCP") == 0 || strcmp(text, "UDP") == 0 || strcmp(text, "SCTP") == 0;
}

static void check_number(struct rule_ctx *ctx, const struct object *o, const struct node *port)
{
	const struct node *value = node_get(port, "port");
	long long number;

	if (!value || node_is_null(value))
		rule_report(ctx, o, port, "this port has no port number: the API server rejects the Endpoints "
			    "(port must be 1 to 65535); add port: with the number the backend listens on");
	else if (node_int(value, &number) && !port_is_valid(number))
		rule_report(ctx, o, value, "port %lld is out of range: the API server rejects the Endpoints (port "
			    "must be 1 to 65535); write the number the backend listens on", number);
}

static void check_protocol(struct rule_ctx *ctx, const struct object *o, const struct node *port)
{
	const struct node *value = node_get(port, "protocol");
	const char *text = node_str(value);

	if (!text || is_protocol(text))
		return;
	if (!*text) {
		/* Endpoints default "" to TCP; an EndpointSlice defaults only a missing protocol. */
		if (o->kind == KIND_ENDPOINTSLICE)
			rule_report(ctx, o, value, "protocol is empty: the API server rejects the EndpointSlice (it "
				    "defaults only a missing protocol to TCP); write TCP, UDP or SCTP, or remove the "
				    "line");
		return;
	}
	if (strcasecmp(text, "TCP") == 0 || strcasecmp(text, "UDP") == 0 || strcasecmp(text, "SCTP") == 0) {
		char upper[8];
		size_t i;

		for (i = 0; text[i] && i + 1 < sizeof(upper); i++)
			upper[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ? text[i] - 'a' + 'A' : text[i]);
		upper[i] = '\0';
		rule_report(ctx, o, value, "protocol '%s' must be written in capitals: the API server rejects the "
			    "%s (protocol is case-sensitive: TCP, UDP or SCTP); write %s", text, o->type->kind_name,
			    upper);
		return;
	}
	rule_report(ctx, o, value, "protocol '%s' is not TCP, UDP or SCTP: the API server rejects the %s; write "
		    "TCP, UDP or SCTP (an application protocol such as http belongs in appProtocol)", text,
		    o->type->kind_name);
}

static void check_name(struct rule_ctx *ctx, const struct object *o, const struct node *port)
{
	const struct node *value = node_get(port, "name");
	const char *text = node_str(value);
	char why[128], better[72];

	if (!text || !*text || name_is_dns1123_label_why(text, why, sizeof(why)))
		return;
	if (backend_suggest_name(text, false, better, sizeof(better)) && name_is_dns1123_label(better))
		rule_report(ctx, o, value, "port name '%s' is not a valid DNS label (%s): the API server rejects the "
			    "%s; write '%s', and use the same name on the Service port", text, why, o->type->kind_name,
			    better);
	else
		rule_report(ctx, o, value, "port name '%s' is not a valid DNS label (%s): the API server rejects the "
			    "%s; use lowercase letters, digits and '-', and the same name on the Service port", text,
			    why, o->type->kind_name);
}

static void check_app_protocol(struct rule_ctx *ctx, const struct object *o, const struct node *port)
{
	const struct node *value = node_get(port, "appProtocol");
	const char *text = node_str(value);
	char why[128];

	if (!text || name_is_qualified_name_why(text, why, sizeof(why)))
		return;
	if (!*text)
		rule_report(ctx, o, value, "appProtocol is empty: the API server rejects the %s; remove it, or "
			    "write a protocol name such as http or kubernetes.io/h2c", o->type->kind_name);
	else
		rule_report(ctx, o, value, "appProtocol '%s' is not a qualified name (%s): the API server rejects the "
			    "%s; write a name such as http, https or kubernetes.io/h2c", text, why, o->type->kind_name);
}

static void check_ports(struct rule_ctx *ctx, const struct object *o, const struct node *ports)
{
	unsigned int i;

	if (!node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *port = ports->u.items[i];

		if (!node_is_map(port))
			continue;
		/* An EndpointSlice port number is not validated; endpointslice-port-missing looks at it. */
		if (o->kind == KIND_ENDPOINTS)
			check_number(ctx, o, port);
		check_protocol(ctx, o, port);
		check_name(ctx, o, port);
		check_app_protocol(ctx, o, port);
	}
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets;
	unsigned int i;

	if (o->kind == KIND_ENDPOINTSLICE) {
		check_ports(ctx, o, node_get(o->root, "ports"));
		return;
	}
	if (o->kind != KIND_ENDPOINTS || !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++)
		check_ports(ctx, o, node_get(subsets->u.items[i], "ports"));
}

const struct rule rule_endpoints_port_invalid = {
	.id = "endpoints-port-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints or EndpointSlice port with a bad number, protocol, name or appProtocol",
	.rationale = "the API server rejects the whole object when an Endpoints port number is missing or "
		     "outside 1 to 65535, when a protocol is not exactly TCP, UDP or SCTP (tcp is rejected), when "
		     "a port name is not a DNS-1123 label (lowercase, digits and '-', at most 63 characters; "
		     "the 15-character limit of container port names does not apply), or when appProtocol is "
		     "not a qualified name such as http or kubernetes.io/h2c (\"\" included).  An EndpointSlice "
		     "port follows the same rules except for the number, and rejects protocol: \"\", which an "
		     "Endpoints reads as TCP.",
	.fix = "write the protocol in capitals, name the port as the Service port is named, and put an "
	       "application protocol such as http in appProtocol rather than in protocol.",
	.example = "ports:\n- name: metrics\n  port: 2379\n  protocol: TCP\n  appProtocol: https\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
