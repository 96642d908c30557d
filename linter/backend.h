/* backend.h: the addresses of Endpoints and EndpointSlices, walked and judged the same way by every rule.
 *
 * The walks visit what the API server would validate (k8s-semantics.md §2.2, §3.2) and skip entries
 * of the wrong YAML type, which field-type-mismatch reports.  backend_check_address() says why a text
 * is not an address Kubernetes accepts for an endpoint, and what to write instead; nothing here
 * reports or allocates.
 */
#ifndef SVCLINT_BACKEND_H
#define SVCLINT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "names.h"
#include "object.h"

/* One address of an Endpoints subset or of an EndpointSlice endpoint. */
struct backend_address {
	const struct node *entry;	/* Endpoints: the address map; slice: the endpoint map */
	const struct node *value;	/* Endpoints: the ip value, NULL when missing; slice: the address item */
	bool ready;			/* Endpoints: listed under addresses, not notReadyAddresses */
	unsigned int group;		/* subset or endpoint index */
	unsigned int index;		/* index in its list */
};

struct rule_ctx;

typedef void backend_address_fn(void *data, const struct backend_address *address);

/* Calls fn for every address map of every subset: its addresses first, then its notReadyAddresses. */
void backend_each_endpoints_address(const struct object *endpoints, backend_address_fn *fn, void *data);
/* Calls fn for every item of every endpoint's addresses. */
void backend_each_slice_address(const struct object *slice, backend_address_fn *fn, void *data);

typedef void backend_entry_fn(struct rule_ctx *ctx, const struct object *o, const struct node *entry);

/*
 * Calls fn for every endpoint entry that carries hostname and nodeName: each map of an Endpoints'
 * addresses and notReadyAddresses, or of an EndpointSlice's endpoints.  Other kinds: nothing.
 */
void backend_each_entry(struct rule_ctx *ctx, const struct object *o, backend_entry_fn *fn);

enum address_problem {
	ADDRESS_FINE,		/* an IP the API server accepts (it may still be ambiguous) */
	ADDRESS_EMPTY,		/* "" */
	ADDRESS_PLACEHOLDER,	/* a template value never filled in: YOUR_ETCD_IP, <etcd-ip> */
	ADDRESS_NOT_IP,		/* a host name, a CIDR, brackets, a port, a URL... */
	ADDRESS_SPECIAL,	/* an IP in a range ValidateNonSpecialIP rejects */
};

struct address_check {
	enum address_problem problem;
	struct ip_address ip;		/* FINE, SPECIAL */
	char what[160];			/* NOT_IP, SPECIAL: "a CIDR (a network), not an address" */
	char fix[256];			/* NOT_IP, SPECIAL: "write 10.0.0.1" */
};

/* Judges text as an endpoint IP address, as validateEndpointAddress does (§2.3). */
void backend_check_address(const char *text, struct address_check *out);

/* Go's net.IP.String() of ip: 10.1.2.3 for IPv4 however written, RFC 5952 for IPv6; out[46]. */
void backend_ip_string(const struct ip_address *ip, char out[46]);

/*
 * Ambiguous forms of an accepted IP (§2.3): leading zeros and IPv4-mapped IPv6 are errors from
 * Kubernetes 1.36 (StrictIPCIDRValidation) and warnings before; non-canonical IPv6 is advice.  Returns
 * false when text is not ambiguous, or when only the API server's warning would apply and it skips
 * warnings for this object (skip_warnings).  Otherwise writes the severity and a whole message.
 */
bool backend_address_ambiguity(const char *text, const struct ip_address *ip, int kube_minor, bool skip_warnings,
			       enum severity *severity, char *message, size_t size);

/*
 * A valid name close to text for a suggestion: lower case, each run of other characters as one '-',
 * no '-' at either end, at most 63 characters per label; dots are kept only when dots is true.
 * Returns false when nothing usable is left.
 */
bool backend_suggest_name(const char *text, bool dots, char *out, size_t size);

/* The first Kubernetes minor release that rejects leading zeros and IPv4-mapped addresses. */
#define KUBE_STRICT_IP_MINOR 36

#endif
