/* service-protocol-invalid: a Service port protocol other than exactly TCP, UDP or SCTP. */
#include "rule.h"

#include <string.h>
#include <strings.h>

static const char *const protocols[] = { "TCP", "UDP", "SCTP" };

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;
	size_t k;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *protocol = sp->items[i].protocol;
		const char *text = node_str(protocol);
		const char *fix = NULL;

		/* "" is defaulted to TCP; a mistyped value is field-type-mismatch's. */
		if (!text || !text[0])
			continue;
		for (k = 0; k < sizeof(protocols) / sizeof(protocols[0]); k++) {
			if (strcmp(text, protocols[k]) == 0)
				break;
			if (strcasecmp(text, protocols[k]) == 0)
				fix = protocols[k];
		}
		if (k < sizeof(protocols) / sizeof(protocols[0]))
			continue;
		if (fix)
			rule_report(ctx, o, protocol, "protocol '%s' is not supported: Kubernetes accepts exactly 'TCP', "
				    "'UDP' or 'SCTP' and the names are case-sensitive, so the API server rejects the "
				    "Service; write '%s'", text, fix);
		else
			rule_report(ctx, o, protocol, "protocol '%s' is not supported: a Service port is 'TCP', 'UDP' or "
				    "'SCTP' (case-sensitive), so the API server rejects the Service; use TCP for HTTP, "
				    "gRPC and the like, and name the application protocol in appProtocol", text);
	}
}

const struct rule rule_service_protocol_invalid = {
	.id = "service-protocol-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "a Service port protocol that is not exactly TCP, UDP or SCTP",
	.rationale = "the transport protocol of a Service port is one of 'TCP', 'UDP' and 'SCTP', compared "
		     "case-sensitively: 'tcp' or 'HTTP' make the API server reject the Service.  A missing or "
		     "empty protocol means TCP.  kube-proxy matches endpoint ports by name and protocol, so the "
		     "Endpoints or EndpointSlice port needs the same protocol.",
	.fix = "write the protocol in capitals (TCP, UDP, SCTP), or leave it out for TCP; put application "
	       "protocols such as http or grpc in appProtocol.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: syslog-external\n  namespace: logging\n"
		   "spec:\n  ports:\n  - name: syslog\n    port: 514\n    protocol: UDP    # not udp\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
