/* endpointslice-invalid-address: an EndpointSlice address of the wrong family, a rejected range, or a bad FQDN. */
#include "rule.h"
#include "backend.h"
#include "k8s.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
	enum ip_family family;		/* IP_NONE for an FQDN slice */
	bool skip_warnings;
};

static void check_fqdn(struct state *s, const struct node *value, const char *text)
{
	char lower[256], why[128];
	struct ip_address ip;
	size_t i, len = strlen(text);

	if (name_is_fqdn(text))
		return;
	if (!*text) {
		rule_report(s->ctx, s->object, value, "this address is empty: the API server rejects the "
			    "EndpointSlice; write the backend's domain name");
		return;
	}
	if (ip_parse(text, &ip)) {
		rule_report(s->ctx, s->object, value, "'%s' is an IP address, not a domain name: the API server "
			    "rejects it in an FQDN EndpointSlice; put it in a slice with addressType: %s", text,
			    ip.family == IP_V4 ? "IPv4" : "IPv6");
		return;
	}
	if (text_is_placeholder(text)) {
		rule_report(s->ctx, s->object, value, "'%s' is a placeholder that was never filled in: the API server "
			    "rejects the EndpointSlice; replace it with the backend's domain name", text);
		return;
	}
	if (strstr(text, "://")) {
		rule_report(s->ctx, s->object, value, "'%s' is a URL, not a domain name: the API server rejects the "
			    "EndpointSlice; write the host name alone", text);
		return;
	}
	for (i = 0; i < len && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[i] = '\0';
	if (strcmp(lower, text) != 0 && name_is_fqdn(lower)) {
		rule_report(s->ctx, s->object, value, "'%s' is not a fully qualified domain name (it must be lower "
			    "case): the API server rejects the EndpointSlice; write %s", text, lower);
		return;
	}
	if (!strchr(text, '.') && name_is_dns1123_label(text)) {
		rule_report(s->ctx, s->object, value, "'%s' is a single label, but a fully qualified domain name needs "
			    "at least two (such as %s.example.com): the API server rejects the EndpointSlice; write the "
			    "backend's full domain name", text, text);
		return;
	}
	memcpy(lower, text, len < sizeof(lower) ? len + 1 : sizeof(lower));
	lower[sizeof(lower) - 1] = '\0';
	if (len > 0 && len < sizeof(lower) && lower[len - 1] == '.')
		lower[len - 1] = '\0';
	if (name_is_dns1123_subdomain_why(lower, why, sizeof(why)))
		snprintf(why, sizeof(why), "each label must be at most 63 characters");
	rule_report(s->ctx, s->object, value, "'%s' is not a fully qualified domain name (%s): the API server "
		    "rejects the EndpointSlice; write the backend's domain name, such as db.example.com", text, why);
}

static void check_address(void *data, const struct backend_address *a)
{
	struct state *s = data;
	const char *text = node_str(a->value);
	const char *type = s->family == IP_V4 ? "IPv4" : "IPv6";
	struct address_check c;
	enum severity severity;
	char message[512], canonical[46];

	/* A number or a map here is field-type-mismatch's finding. */
	if (!text)
		return;
	if (s->family == IP_NONE) {
		check_fqdn(s, a->value, text);
		return;
	}
	backend_check_address(text, &c);
	switch (c.problem) {
	case ADDRESS_EMPTY:
		rule_report(s->ctx, s->object, a->value, "this address is empty: the API server rejects the "
			    "EndpointSlice; write the backend's %s address", type);
		return;
	case ADDRESS_PLACEHOLDER:
	case ADDRESS_NOT_IP:
		rule_report(s->ctx, s->object, a->value, "'%s' is %s: the API server rejects the EndpointSlice (an "
			    "%s slice holds %s addresses only); %s", text, c.what, type, type, c.fix);
		return;
	case ADDRESS_SPECIAL:
	case ADDRESS_FINE:
		break;
	}
	backend_ip_string(&c.ip, canonical);
	if (c.ip.family != s->family) {
		if (c.ip.ipv4_mapped)
			rule_report(s->ctx, s->object, a->value, "'%s' is an IPv4-mapped address, which counts as IPv4, "
				    "in an IPv6 EndpointSlice: the API server rejects it; write %s in a slice with "
				    "addressType: IPv4", text, canonical);
		else
			rule_report(s->ctx, s->object, a->value, "'%s' is an %s address in an %s EndpointSlice: the API "
				    "server rejects it; move it to a slice with addressType: %s (one slice per family)",
				    text, s->family == IP_V4 ? "IPv6" : "IPv4", type,
				    s->family == IP_V4 ? "IPv6" : "IPv4");
		return;
	}
	if (c.problem == ADDRESS_SPECIAL) {
		rule_report(s->ctx, s->object, a->value, "'%s' is %s: the API server rejects the EndpointSlice; %s",
			    text, c.what, c.fix);
		return;
	}
	if (backend_address_ambiguity(text, &c.ip, rule_kube_minor(s->ctx), s->skip_warnings, &severity, message,
				      sizeof(message)))
		rule_report_as(s->ctx, severity, s->object, a->value, "%s", message);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s;
	const char *type;

	if (o->kind != KIND_ENDPOINTSLICE || !(type = node_str(node_get(o->root, "addressType"))))
		return;
	if (strcmp(type, "IPv4") == 0)
		s.family = IP_V4;
	else if (strcmp(type, "IPv6") == 0)
		s.family = IP_V6;
	else if (strcmp(type, "FQDN") == 0)
		s.family = IP_NONE;
	else
		return;	/* endpointslice-invalid-address-type; the API server checks no address then */
	s.ctx = ctx;
	s.object = o;
	/* The API server does not warn about slices its own controllers wrote (warnOnBadIPs). */
	s.skip_warnings = slice_is_controller_made(o);
	backend_each_slice_address(o, check_address, &s);
}

const struct rule rule_endpointslice_invalid_address = {
	.id = "endpointslice-invalid-address",
	.severity = SEVERITY_ERROR,
	.summary = "an EndpointSlice address of the wrong family, in a rejected range, ambiguous, or not an FQDN",
	.rationale = "an IPv4 slice holds only IPv4 addresses and an IPv6 slice only IPv6 ones (an IPv4-mapped "
		     "::ffff:a.b.c.d counts as IPv4); like Endpoints, neither may hold 0.0.0.0 or ::, loopback, "
		     "link-local or link-local multicast addresses, and the API server rejects the whole slice "
		     "for one bad address.  Leading zeros and IPv4-mapped forms are errors from Kubernetes 1.36 "
		     "and warnings before; IPv6 not in canonical form is advice (no warnings for slices labelled "
		     "managed-by one of Kubernetes' controllers).  An FQDN slice needs lowercase domain names of at "
		     "least two labels.",
	.fix = "put each address in a slice of its family, written the way Kubernetes prints it; give "
	       "each backend its routable IP address.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-v6\n"
		   "  namespace: kube-system\n  labels:\n    kubernetes.io/service-name: etcd\n"
		   "    endpointslice.kubernetes.io/managed-by: cluster-admins\naddressType: IPv6\nports:\n"
		   "- name: metrics\n  port: 2379\nendpoints:\n- addresses:\n  - 2001:db8::11\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
