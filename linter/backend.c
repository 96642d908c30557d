/* backend.c: walks over Endpoints and EndpointSlice addresses, and what is wrong with an address. */
#include "backend.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* Longer texts cannot be addresses; pieces cut from them are never tried. */
#define PIECE_MAX 64

static void each_address_in(const struct node *list, bool ready, unsigned int group, backend_address_fn *fn,
			    void *data)
{
	unsigned int i;

	if (!node_is_seq(list))
		return;
	for (i = 0; i < list->count; i++) {
		struct backend_address a;

		if (!node_is_map(list->u.items[i]))
			continue;
		a.entry = list->u.items[i];
		a.value = node_get(a.entry, "ip");
		a.ready = ready;
		a.group = group;
		a.index = i;
		fn(data, &a);
	}
}

static void each_map(struct rule_ctx *ctx, const struct object *o, const struct node *list,
		     backend_entry_fn *fn)
{
	unsigned int i;

	if (!node_is_seq(list))
		return;
	for (i = 0; i < list->count; i++)
		if (node_is_map(list->u.items[i]))
			fn(ctx, o, list->u.items[i]);
}

void backend_each_entry(struct rule_ctx *ctx, const struct object *o, backend_entry_fn *fn)
{
	const struct node *subsets;
	unsigned int i;

	if (o->kind == KIND_ENDPOINTSLICE) {
		each_map(ctx, o, node_get(o->root, "endpoints"), fn);
		return;
	}
	if (o->kind != KIND_ENDPOINTS || !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++) {
		each_map(ctx, o, node_get(subsets->u.items[i], "addresses"), fn);
		each_map(ctx, o, node_get(subsets->u.items[i], "notReadyAddresses"), fn);
	}
}

void backend_each_endpoints_address(const struct object *endpoints, backend_address_fn *fn, void *data)
{
	const struct node *subsets = node_get(endpoints->root, "subsets");
	unsigned int i;

	if (!node_is_seq(subsets))
		return;
	for (i = 0; i < subsets->count; i++) {
		const struct node *subset = subsets->u.items[i];

		if (!node_is_map(subset))
			continue;
		each_address_in(node_get(subset, "addresses"), true, i, fn, data);
		each_address_in(node_get(subset, "notReadyAddresses"), false, i, fn, data);
	}
}

void backend_each_slice_address(const struct object *slice, backend_address_fn *fn, void *data)
{
	const struct node *endpoints = node_get(slice->root, "endpoints");
	unsigned int i, j;

	if (!node_is_seq(endpoints))
		return;
	for (i = 0; i < endpoints->count; i++) {
		const struct node *endpoint = endpoints->u.items[i];
		const struct node *addresses = node_get(endpoint, "addresses");

		if (!node_is_map(endpoint) || !node_is_seq(addresses))
			continue;
		for (j = 0; j < addresses->count; j++) {
			struct backend_address a;

			a.entry = endpoint;
			a.value = addresses->u.items[j];
			a.ready = true;
			a.group = i;
			a.index = j;
			fn(data, &a);
		}
	}
}

void backend_ip_string(const struct ip_address *ip, char out[46])
{
	const unsigned char *b = ip->bytes;
	int zero_start = -1, zero_len = 1;
	size_t n = 0;
	int i;

	if (ip->family == IP_V4) {
		snprintf(out, 46, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
		return;
	}
	/* RFC 5952: the longest run of two or more zero groups becomes "::", the first on a tie. */
	for (i = 0; i < 8; i++) {
		int j = i;

		while (j < 8 && b[2 * j] == 0 && b[2 * j + 1] == 0)
			j++;
		if (j - i > zero_len) {
			zero_start = i;
			zero_len = j - i;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == zero_start) {
			out[n++] = ':';
			out[n++] = ':';
			i += zero_len - 1;
			continue;
		}
		if (i > 0 && i != zero_start + zero_len)
			out[n++] = ':';
		n += (size_t)snprintf(out + n, 46 - n, "%x", (unsigned)(b[2 * i] << 8 | b[2 * i + 1]));
	}
	out[n] = '\0';
}

/* Parses the len bytes at s as an IP address. */
static bool parse_piece(const char *s, size_t len, struct ip_address *ip)
{
	char piece[PIECE_MAX];

	if (len == 0 || len >= sizeof(piece))
		return false;
	memcpy(piece, s, len);
	piece[len] = '\0';
	return ip_parse(piece, ip);
}

/* The range an IP that ValidateNonSpecialIP rejects is in, why that matters, and what to use instead. */
static void describe_special(const char *why, char *what, size_t what_size, char *fix, size_t fix_size)
{
	if (strstr(why, "unspecified")) {
		snprintf(what, what_size, "the unspecified address, which names no host");
		snprintf(fix, fix_size, "use the backend's own IP");
	} else if (strstr(why, "loopback")) {
		snprintf(what, what_size, "a loopback address (127.0.0.0/8, ::1/128), which would point every "
			 "node at itself");
		snprintf(fix, fix_size, "use the backend's routable IP, and make the component listen on it "
			 "rather than on loopback");
	} else if (strstr(why, "multicast")) {
		snprintf(what, what_size, "a link-local multicast address (224.0.0.0/24, ff02::/10), which never "
			 "leaves the local network segment");
		snprintf(fix, fix_size, "use the backend's unicast IP");
	} else {
		snprintf(what, what_size, "a link-local address (169.254.0.0/16, fe80::/10), which does not "
			 "route beyond one network link");
		snprintf(fix, fix_size, "use the backend's routable IP");
	}
}

/* The short name of the range ValidateNonSpecialIP's reason why names. */
static const char *special_kind(const char *why)
{
	if (strstr(why, "unspecified"))
		return "the unspecified address";
	if (strstr(why, "loopback"))
		return "a loopback address";
	if (strstr(why, "multicast"))
		return "a link-local multicast address";
	return "a link-local address";
}

/* fix: "write <ip><extra>", or, when that address is rejected too, what to use instead. */
static void suggest(const struct ip_address *ip, const char *extra, char *fix, size_t size)
{
	char canonical[46], why[128], what[160], special_fix[128];

	backend_ip_string(ip, canonical);
	if (ip_is_non_special(ip, why, sizeof(why))) {
		snprintf(fix, size, "write %s%s", canonical, extra);
		return;
	}
	describe_special(why, what, sizeof(what), special_fix, sizeof(special_fix));
	snprintf(fix, size, "%s (%s alone is rejected too, as %s)", special_fix, canonical, special_kind(why));
}

static bool all_digits(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool looks_like_host_name(const char *s)
{
	bool letter = false;

	for (; *s; s++) {
		if (isalpha((unsigned char)*s))
			letter = true;
		else if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-')
			return false;
	}
	return letter;
}

/* Explains a text that is not an IP address: what it is and what to write instead. */
static void explain_not_ip(const char *text, struct address_check *out)
{
	size_t len = strlen(text);
	struct ip_address ip;
	const char *p;
	size_t start = 0, end = len;

	/* Spaces around an address. */
	while (start < len && isspace((unsigned char)text[start]))
		start++;
	while (end > start && isspace((unsigned char)text[end - 1]))
		end--;
	if ((start > 0 || end < len) && parse_piece(text + start, end - start, &ip)) {
		snprintf(out->what, sizeof(out->what), "an address with spaces around it");
		suggest(&ip, "", out->fix, sizeof(out->fix));
		return;
	}
	/* [2001:db8::1] or [2001:db8::1]:443, as in a URL. */
	if (text[0] == '[' && (p = strchr(text, ']')) && parse_piece(text + 1, (size_t)(p - text - 1), &ip)) {
		if (p[1] == ':' && all_digits(p + 2, strlen(p + 2))) {
			char extra[64];

			snprintf(out->what, sizeof(out->what), "an address with a port, in brackets as in a URL");
			snprintf(extra, sizeof(extra), " and put the port (%.8s) under ports", p + 2);
			suggest(&ip, extra, out->fix, sizeof(out->fix));
		} else {
			snprintf(out->what, sizeof(out->what), "in brackets, which belong only in URLs");
			suggest(&ip, "", out->fix, sizeof(out->fix));
		}
		return;
	}
	/* https://10.0.0.1:2379/metrics */
	if ((p = strstr(text, "://"))) {
		const char *host = p + 3;
		size_t n = strcspn(host, "/:[]");

		snprintf(out->what, sizeof(out->what), "a URL, not an IP address");
		if (host[0] == '[') {
			const char *close = strchr(host, ']');

			if (close && parse_piece(host + 1, (size_t)(close - host - 1), &ip)) {
				suggest(&ip, " alone", out->fix, sizeof(out->fix));
				return;
			}
		} else if (parse_piece(host, n, &ip)) {
			suggest(&ip, " alone", out->fix, sizeof(out->fix));
			return;
		}
		snprintf(out->fix, sizeof(out->fix), "write the IP address of the URL's host");
		return;
	}
	/* 10.0.0.0/24 or 2001:db8::1/128 */
	if ((p = strchr(text, '/')) && parse_piece(text, (size_t)(p - text), &ip)) {
		long bits = all_digits(p + 1, strlen(p + 1)) ? strtol(p + 1, NULL, 10) : -1;

		if ((ip.family == IP_V4 && bits == 32) || (ip.family == IP_V6 && bits == 128)) {
			snprintf(out->what, sizeof(out->what), "a CIDR, not an address");
			suggest(&ip, "", out->fix, sizeof(out->fix));
		} else {
			snprintf(out->what, sizeof(out->what), "a CIDR (a network), not an address");
			snprintf(out->fix, sizeof(out->fix), "list each backend's own IP address");
		}
		return;
	}
	/* fe80::1%eth0 */
	if ((p = strchr(text, '%')) && parse_piece(text, (size_t)(p - text), &ip)) {
		snprintf(out->what, sizeof(out->what), "an address with an IPv6 zone (%.20s), which Kubernetes does "
			 "not accept", p);
		suggest(&ip, "", out->fix, sizeof(out->fix));
		return;
	}
	/* 10.0.0.1:2379 */
	if ((p = strchr(text, ':')) && !strchr(p + 1, ':') && all_digits(p + 1, strlen(p + 1)) &&
	    parse_piece(text, (size_t)(p - text), &ip)) {
		char extra[64];

		snprintf(out->what, sizeof(out->what), "an address with a port");
		snprintf(extra, sizeof(extra), " and put the port (%.8s) under ports", p + 1);
		suggest(&ip, extra, out->fix, sizeof(out->fix));
		return;
	}
	/* 10.0.0.1,10.0.0.2 or 10.0.0.1 10.0.0.2 */
	if ((p = text + strcspn(text, ", ;")) != text + len && parse_piece(text, (size_t)(p - text), &ip)) {
		snprintf(out->what, sizeof(out->what), "several addresses in one value");
		snprintf(out->fix, sizeof(out->fix), "give each address its own entry");
		return;
	}
	if (looks_like_host_name(text)) {
		snprintf(out->what, sizeof(out->what), "a host name, not an IP address");
		snprintf(out->fix, sizeof(out->fix), "write the host's IP address (an ExternalName Service can "
			 "point at a DNS name instead)");
		return;
	}
	if (strspn(text, "0123456789.") == len) {
		snprintf(out->what, sizeof(out->what), "not a valid IPv4 address (four numbers from 0 to 255)");
		snprintf(out->fix, sizeof(out->fix), "write the backend's IP address");
		return;
	}
	snprintf(out->what, sizeof(out->what), "not an IP address");
	snprintf(out->fix, sizeof(out->fix), "write the backend's IP address");
}

void backend_check_address(const char *text, struct address_check *out)
{
	char why[128];

	memset(out, 0, sizeof(*out));
	if (!text || !*text) {
		out->problem = ADDRESS_EMPTY;
		return;
	}
	if (ip_parse(text, &out->ip)) {
		if (ip_is_non_special(&out->ip, why, sizeof(why))) {
			out->problem = ADDRESS_FINE;
			return;
		}
		out->problem = ADDRESS_SPECIAL;
		describe_special(why, out->what, sizeof(out->what), out->fix, sizeof(out->fix));
		return;
	}
	if (text_is_placeholder(text)) {
		out->problem = ADDRESS_PLACEHOLDER;
		snprintf(out->what, sizeof(out->what), "a placeholder that was never filled in");
		snprintf(out->fix, sizeof(out->fix), "replace it with the backend's IP address");
		return;
	}
	out->problem = ADDRESS_NOT_IP;
	explain_not_ip(text, out);
}

bool backend_address_ambiguity(const char *text, const struct ip_address *ip, int kube_minor, bool skip_warnings,
			       enum severity *severity, char *message, size_t size)
{
	bool strict = kube_minor >= KUBE_STRICT_IP_MINOR;
	char canonical[46];
	const char *consequence;

	backend_ip_string(ip, canonical);
	consequence = strict ? "the API server of Kubernetes 1.36 and later rejects it" :
			       "the API server warns on every apply now and rejects it from Kubernetes 1.36";
	if (ip->ipv4_mapped || ip->leading_zeros) {
		if (!strict && skip_warnings)
			return false;
		*severity = strict ? SEVERITY_ERROR : SEVERITY_WARNING;
		if (ip->ipv4_mapped)
			snprintf(message, size, "'%s' is an IPv4-mapped IPv6 address%s, which Kubernetes reads as the "
				 "IPv4 address %s but other software may read as IPv6: %s; write %s", text,
				 ip->leading_zeros ? " with leading zeros" : "", canonical, consequence, canonical);
		else
			snprintf(message, size, "'%s' has leading zeros, which Kubernetes reads as decimal (%s) but "
				 "much other software reads as octal: %s; write %s", text, canonical, consequence,
				 canonical);
		return true;
	}
	if (ip->family == IP_V6 && ip->non_canonical) {
		if (skip_warnings)
			return false;
		*severity = SEVERITY_INFO;
		snprintf(message, size, "'%s' is not in canonical form (RFC 5952): the API server warns on every "
			 "apply and keeps it as written, so tools that compare addresses as text do not match it "
			 "with %s; write %s", text, canonical, canonical);
		return true;
	}
	return false;
}

bool backend_suggest_name(const char *text, bool dots, char *out, size_t size)
{
	size_t n = 0, label = 0;

	if (!text || size < 2)
		return false;
	for (; *text && n + 1 < size; text++) {
		char c = (char)tolower((unsigned char)*text);

		if (dots && c == '.') {
			/* A label ends: drop a '-' before the dot and an empty label. */
			while (n > 0 && out[n - 1] == '-')
				n--;
			if (n > 0 && out[n - 1] != '.')
				out[n++] = '.';
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) || (unsigned char)c >= 0x80)
			c = '-';
		if (c == '-' && (n == 0 || out[n - 1] == '-' || out[n - 1] == '.'))
			continue;
		if (label >= 63)
			continue;
		out[n++] = c;
		label++;
	}
	while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
	return n > 0;
}
