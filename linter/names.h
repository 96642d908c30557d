/* names.h: the name and address rules of Kubernetes' apimachinery, shared by all rules.
 *
 * Pure functions over NUL-terminated strings; no allocation.  Each mirrors one function of
 * k8s.io/apimachinery/pkg/util/validation (named beside it) and answers exactly as it does.
 * The *_why() variants write a short lowercase reason (no trailing period) into why[size]
 * when the answer is false, for diagnostics: e.g. "must start with a lowercase letter".
 */
#ifndef SVCLINT_NAMES_H
#define SVCLINT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* IsDNS1123Label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters. */
bool name_is_dns1123_label(const char *s);
bool name_is_dns1123_label_why(const char *s, char *why, size_t size);
/* IsDNS1123Subdomain: labels of [a-z0-9]([-a-z0-9]*[a-z0-9])? joined by '.', at most 253 characters. */
bool name_is_dns1123_subdomain(const char *s);
bool name_is_dns1123_subdomain_why(const char *s, char *why, size_t size);
/* IsDNS1035Label: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 characters. */
bool name_is_dns1035_label(const char *s);
bool name_is_dns1035_label_why(const char *s, char *why, size_t size);
/* IsValidPortName (IANA_SVC_NAME): 1 to 15 of [-a-z0-9], at least one letter, no '-' at either end, no "--". */
bool name_is_iana_svc_name(const char *s);
bool name_is_iana_svc_name_why(const char *s, char *why, size_t size);
/* IsQualifiedName: [prefix/]name; name 1 to 63 of [A-Za-z0-9._-] starting and ending alphanumeric;
 * prefix a DNS-1123 subdomain. */
bool name_is_qualified_name(const char *s);
bool name_is_qualified_name_why(const char *s, char *why, size_t size);
/* IsValidLabelValue: empty, or at most 63 of [A-Za-z0-9._-] starting and ending alphanumeric. */
bool name_is_label_value(const char *s);
/* IsFullyQualifiedDomainName: a DNS-1123 subdomain of at least two labels, one trailing '.' allowed. */
bool name_is_fqdn(const char *s);
/* IsValidPortNum: 1 to 65535. */
bool port_is_valid(long long port);

/* ---- IP addresses ---- */

enum ip_family { IP_NONE = 0, IP_V4 = 4, IP_V6 = 6 };

struct ip_address {
	enum ip_family family;		/* IP_V4 also for an IPv4-mapped IPv6 address (::ffff:a.b.c.d) */
	unsigned char bytes[16];	/* always the 16-byte form; IPv4 is ::ffff:a.b.c.d */
	bool leading_zeros;		/* an IPv4 part written with a leading zero: 010.1.1.1 */
	bool ipv4_mapped;		/* written as IPv6 but holds IPv4: ::ffff:1.2.3.4 */
	bool non_canonical;		/* IPv6 not in RFC 5952 form (upper case, uncompressed zeros...) */
};

/*
 * ParseIPSloppy (k8s.io/utils/net): Go's net.ParseIP, except that IPv4 parts may have leading zeros
 * (read as decimal).  Brackets, CIDR suffixes, zones (%eth0) and host names are not addresses.
 * Returns true and fills *ip when s is an address.
 */
bool ip_parse(const char *s, struct ip_address *ip);

/*
 * ValidateNonSpecialIP: false for the unspecified address, loopback, link-local unicast
 * (169.254.0.0/16, fe80::/10) and link-local multicast (224.0.0.0/24, ffX2::/16 with scope 2);
 * why gets Kubernetes' reason, e.g. "may not be in the loopback range (127.0.0.0/8, ::1/128)".
 */
bool ip_is_non_special(const struct ip_address *ip, char *why, size_t size);

/* Looks like a placeholder someone forgot to fill in: YOUR_X, <x>, ${X}, {{ x }}, CHANGEME, x.x.x.x, TODO... */
bool text_is_placeholder(const char *s);

/* Levenshtein distance, capped: returns limit + 1 when the distance is larger than limit. */
size_t edit_distance(const char *a, const char *b, size_t limit);

#endif
