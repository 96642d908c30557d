/* endpoints-ambiguous-address: an Endpoints ip with leading zeros, IPv4-mapped, or non-canonical IPv6. */
#include "rule.h"
#include "backend.h"
#include "k8s.h"

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
	bool skip_warnings;
};

static void check_address(void *data, const struct backend_address *a)
{
	struct state *s = data;
	const char *text = node_str(a->value);
	struct address_check c;
	enum severity severity;
	char message[512];

	if (!text)
		return;
	/* Rejected addresses are endpoints-invalid-address's. */
	backend_check_address(text, &c);
	if (c.problem != ADDRESS_FINE)
		return;
	if (backend_address_ambiguity(text, &c.ip, rule_kube_minor(s->ctx), s->skip_warnings, &severity, message,
				      sizeof(message)))
		rule_report_as(s->ctx, severity, s->object, a->value, "%s", message);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s;

	if (o->kind != KIND_ENDPOINTS)
		return;
	s.ctx = ctx;
	s.object = o;
	/* The API server does not warn about objects labelled as the endpoints controller's (§2.3). */
	s.skip_warnings = endpoints_is_controller_made(o);
	backend_each_endpoints_address(o, check_address, &s);
}

const struct rule rule_endpoints_ambiguous_address = {
	.id = "endpoints-ambiguous-address",
	.severity = SEVERITY_WARNING,
	.summary = "an Endpoints ip with leading zeros, IPv4-mapped IPv6, or IPv6 not in canonical form",
	.rationale = "Kubernetes reads 010.001.002.003 as decimal 10.1.2.3, while much other software reads "
		     "a leading zero as octal, and Kubernetes treats ::ffff:10.1.2.3 as IPv4 where other software "
		     "may see IPv6.  Such values are accepted with a warning until Kubernetes 1.35 and rejected from "
		     "1.36 (StrictIPCIDRValidation), so this is an error with --kube-version 1.36 or later and a "
		     "warning before.  IPv6 not in RFC 5952 form (2001:DB8:0:0::1) is only ever warned about; it "
		     "is reported as advice.  Objects labelled endpoints.kubernetes.io/managed-by: "
		     "endpoint-controller get no warnings from the API server, and none from this rule below 1.36.",
	.fix = "write the address the way Kubernetes prints it: IPv4 without leading zeros and never as "
	       "::ffff:a.b.c.d, IPv6 in lower case with the longest run of zero groups written as ::.",
	.example = "subsets:\n- addresses:\n  - ip: 10.1.2.3\n  - ip: 2001:db8::1\n  ports:\n  - name: metrics\n"
		   "    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
