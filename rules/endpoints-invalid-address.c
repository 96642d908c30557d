/* endpoints-invalid-address: an Endpoints ip that is not an IP, or in a range the API server rejects. */
#include "rule.h"
#include "backend.h"

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
};

static void check_address(void *data, const struct backend_address *a)
{
	struct state *s = data;
	struct address_check c;
	const char *text;

	if (!a->value || node_is_null(a->value)) {
		rule_report(s->ctx, s->object, a->entry, "this address has no ip: the API server rejects the "
			    "Endpoints ('must be a valid IP address'); add ip: with the backend's IP address");
		return;
	}
	/* A number or a list here is field-type-mismatch's finding. */
	if (!(text = node_str(a->value)))
		return;
	backend_check_address(text, &c);
	switch (c.problem) {
	case ADDRESS_FINE:
		break;
	case ADDRESS_EMPTY:
		rule_report(s->ctx, s->object, a->value, "ip is empty: the API server rejects the Endpoints ('must "
			    "be a valid IP address'); write the backend's IP address");
		break;
	case ADDRESS_PLACEHOLDER:
	case ADDRESS_NOT_IP:
		rule_report(s->ctx, s->object, a->value, "'%s' is %s: the API server rejects the Endpoints (an "
			    "ip must be an IP address); %s", text, c.what, c.fix);
		break;
	case ADDRESS_SPECIAL:
		rule_report(s->ctx, s->object, a->value, "'%s' is %s: the API server rejects the Endpoints; %s",
			    text, c.what, c.fix);
		break;
	}
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s = { ctx, o };

	if (o->kind == KIND_ENDPOINTS)
		backend_each_endpoints_address(o, check_address, &s);
}

const struct rule rule_endpoints_invalid_address = {
	.id = "endpoints-invalid-address",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints address that is not an IP, or is loopback, link-local or unspecified",
	.rationale = "every subsets[].addresses[].ip and notReadyAddresses[].ip must be a plain IP address: the "
		     "API server rejects host names, CIDRs, brackets, ports, zones and placeholders left from a "
		     "template, and also 0.0.0.0 and ::, loopback (127.0.0.0/8, ::1), link-local (169.254.0.0/16, "
		     "fe80::/10) and link-local multicast (224.0.0.0/24, ff02::) addresses, none of which names a "
		     "backend that every node can reach.  One bad address rejects the whole object, so none of its "
		     "endpoints reach kube-proxy.",
	.fix = "write each backend's routable IP address, one per entry; a component that listens only on "
	       "127.0.0.1 must be made to listen on its node's IP.  To point a Service at a DNS name, use a "
	       "Service of type ExternalName instead.",
	.example = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: etcd\n  namespace: kube-system\nsubsets:\n"
		   "- addresses:\n  - ip: 10.0.0.11\n  - ip: 10.0.0.12\n  - ip: 10.0.0.13\n  ports:\n"
		   "  - name: metrics\n    port: 2379\n    protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
