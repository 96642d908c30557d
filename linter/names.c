/* names.c: Kubernetes name, port-name and IP address rules, mirroring apimachinery's validation. */
#include "names.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DNS1123_LABEL_MAX 63
#define DNS1123_SUBDOMAIN_MAX 253
#define DNS1035_LABEL_MAX 63
#define IANA_SVC_NAME_MAX 15
#define QUALIFIED_NAME_MAX 63
#define LABEL_VALUE_MAX 63

/* The longest IPv6 text Go's parser can accept once IPv4 leading zeros are gone is 45 bytes. */
#define IP_TEXT_MAX 64
/* Row width of edit_distance(): the shorter string may have this many bytes. */
#define EDIT_ROW_MAX 1024

/* Copies reason into why[size] (truncating) when there is room; returns false for tail calls. */
static bool fail(char *why, size_t size, const char *reason)
{
	if (why && size)
		snprintf(why, size, "%s", reason);
	return false;
}

/* As fail(), with prefix written before reason ("name part " + "must not be empty"). */
static bool fail_prefixed(char *why, size_t size, const char *prefix, const char *reason)
{
	if (why && size)
		snprintf(why, size, "%s%s", prefix, reason);
	return false;
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower_alnum(char c)
{
	return is_lower(c) || is_digit(c);
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- DNS names ---- */

/*
 * Whether s matches the subdomain pattern [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.same)*; lengths are
 * not checked.  On failure *reason says why.
 */
static bool matches_subdomain(const char *s, const char **reason)
{
	size_t len = strlen(s);
	bool dotted = strchr(s, '.') != NULL;
	size_t i;

	if (len == 0) {
		*reason = "must not be empty";
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!is_lower_alnum(s[i]) && s[i] != '-' && s[i] != '.') {
			*reason = "must consist of lowercase letters, digits, '-' and '.'";
			return false;
		}
	}
	if (s[0] == '.' || s[len - 1] == '.' || strstr(s, "..")) {
		*reason = "must not start or end with '.' or contain '..'";
		return false;
	}
	for (i = 0; i < len; i++) {
		bool edge = i == 0 || i == len - 1 || s[i - 1] == '.' || s[i + 1] == '.';

		if (s[i] == '-' && edge) {
			if (dotted)
				*reason = "must start and end with a lowercase letter or digit, "
					  "also next to each '.'";
			else
				*reason = "must start and end with a lowercase letter or digit";
			return false;
		}
	}
	return true;
}

bool name_is_dns1123_label_why(const char *s, char *why, size_t size)
{
	const char *reason;
	size_t len, i;

	if (!s)
		s = "";
	len = strlen(s);

	/* The order of the checks follows IsDNS1123Label: length, then pattern. */
	if (len > DNS1123_LABEL_MAX)
		return fail(why, size, "must be at most 63 characters");
	if (len == 0)
		return fail(why, size, "must not be empty");
	for (i = 0; i < len; i++) {
		if (is_lower_alnum(s[i]) || s[i] == '-')
			continue;
		/* Upstream singles out a valid subdomain: the only fault is its dots. */
		if (matches_subdomain(s, &reason))
			return fail(why, size, "must not contain dots");
		return fail(why, size, "must consist of lowercase letters, digits and '-'");
	}
	if (s[0] == '-' || s[len - 1] == '-')
		return fail(why, size, "must start and end with a lowercase letter or digit");
	return true;
}

bool name_is_dns1123_label(const char *s)
{
	return name_is_dns1123_label_why(s, NULL, 0);
}

bool name_is_dns1123_subdomain_why(const char *s, char *why, size_t size)
{
	const char *reason;

	if (!s)
		s = "";
	if (strlen(s) > DNS1123_SUBDOMAIN_MAX)
		return fail(why, size, "must be at most 253 characters");
	if (!matches_subdomain(s, &reason))
		return fail(why, size, reason);
	return true;
}

bool name_is_dns1123_subdomain(const char *s)
{
	return name_is_dns1123_subdomain_why(s, NULL, 0);
}

bool name_is_dns1035_label_why(const char *s, char *why, size_t size)
{
	size_t len, i;

	if (!s)
		s = "";
	len = strlen(s);

	if (len > DNS1035_LABEL_MAX)
		return fail(why, size, "must be at most 63 characters");
	if (len == 0)
		return fail(why, size, "must not be empty");
	for (i = 0; i < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return fail(why, size, "must consist of lowercase letters, digits and '-'");
	if (!is_lower(s[0]))
		return fail(why, size, "must start with a lowercase letter");
	if (s[len - 1] == '-')
		return fail(why, size, "must end with a lowercase letter or digit");
	return true;
}

bool name_is_dns1035_label(const char *s)
{
	return name_is_dns1035_label_why(s, NULL, 0);
}

bool name_is_iana_svc_name_why(const char *s, char *why, size_t size)
{
	bool letter = false;
	size_t len, i;

	if (!s)
		s = "";
	len = strlen(s);

	/* IsValidPortName's checks, in its order. */
	if (len > IANA_SVC_NAME_MAX)
		return fail(why, size, "must be at most 15 characters");
	if (len == 0)
		return fail(why, size, "must not be empty");
	for (i = 0; i < len; i++) {
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return fail(why, size, "must consist of lowercase letters, digits and '-'");
		if (is_lower(s[i]))
			letter = true;
	}
	if (!letter)
		return fail(why, size, "must contain at least one letter");
	if (strstr(s, "--"))
		return fail(why, size, "must not contain '--'");
	if (s[0] == '-' || s[len - 1] == '-')
		return fail(why, size, "must not start or end with '-'");
	return true;
}

bool name_is_iana_svc_name(const char *s)
{
	return name_is_iana_svc_name_why(s, NULL, 0);
}

/*
 * Whether the len bytes at s match ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], the name of a
 * qualified name and a non-empty label value.  On failure *reason says why.
 */
static bool matches_label_key(const char *s, size_t len, const char **reason)
{
	size_t i;

	if (len == 0) {
		*reason = "must not be empty";
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') {
			*reason = "must consist of letters, digits, '-', '_' and '.'";
			return false;
		}
	}
	if (!is_alnum(s[0]) || !is_alnum(s[len - 1])) {
		*reason = "must start and end with a letter or digit";
		return false;
	}
	return true;
}

bool name_is_qualified_name_why(const char *s, char *why, size_t size)
{
	const char *slash, *name, *reason;
	char prefix_why[128];

	if (!s)
		s = "";
	slash = strchr(s, '/');
	name = s;

	if (slash) {
		size_t prefix_len = (size_t)(slash - s);
		char prefix[DNS1123_SUBDOMAIN_MAX + 2];

		if (strchr(slash + 1, '/'))
			return fail(why, size, "must contain at most one '/'");
		/* IsLabelKey reports the prefix first, then the name. */
		if (prefix_len == 0)
			return fail(why, size, "prefix part must not be empty");
		if (prefix_len > DNS1123_SUBDOMAIN_MAX)
			return fail(why, size, "prefix part must be at most 253 characters");
		memcpy(prefix, s, prefix_len);
		prefix[prefix_len] = '\0';
		if (!name_is_dns1123_subdomain_why(prefix, prefix_why, sizeof(prefix_why)))
			return fail_prefixed(why, size, "prefix part ", prefix_why);
		name = slash + 1;
	}
	if (strlen(name) > QUALIFIED_NAME_MAX)
		return fail(why, size, "name part must be at most 63 characters");
	if (!matches_label_key(name, strlen(name), &reason))
		return fail_prefixed(why, size, "name part ", reason);
	return true;
}

bool name_is_qualified_name(const char *s)
{
	return name_is_qualified_name_why(s, NULL, 0);
}

bool name_is_label_value(const char *s)
{
	const char *reason;
	size_t len = s ? strlen(s) : 0;

	if (len == 0)
		return true;
	return len <= LABEL_VALUE_MAX && matches_label_key(s, len, &reason);
}

bool name_is_fqdn(const char *s)
{
	char name[DNS1123_SUBDOMAIN_MAX + 1];
	size_t len = s ? strlen(s) : 0;
	const char *label;
	char *dot;

	if (len == 0)
		return false;
	if (s[len - 1] == '.')
		len--;
	if (len > DNS1123_SUBDOMAIN_MAX)
		return false;
	memcpy(name, s, len);
	name[len] = '\0';
	if (!name_is_dns1123_subdomain(name) || !strchr(name, '.'))
		return false;
	/* Unlike a subdomain, each label of an FQDN is a DNS-1123 label: 63 bytes at most. */
	for (label = name; label; label = dot ? dot + 1 : NULL) {
		dot = strchr(label, '.');
		if (dot)
			*dot = '\0';
		if (!name_is_dns1123_label(label))
			return false;
	}
	return true;
}

bool port_is_valid(long long port)
{
	return port >= 1 && port <= 65535;
}

/* ---- IP addresses ---- */

/*
 * Go's netip parseIPv4Fields: exactly four decimal parts of 0 to 255, separated by single
 * dots, with no leading zeros and nothing else.
 */
static bool parse_ipv4(const char *s, size_t len, unsigned char out[4])
{
	unsigned value = 0;
	size_t digits = 0;
	int part = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (is_digit(s[i])) {
			if (digits == 1 && value == 0)
				return false;
			value = value * 10 + (unsigned)(s[i] - '0');
			digits++;
			if (value > 255)
				return false;
		} else if (s[i] == '.') {
			if (digits == 0 || i == len - 1 || part == 3)
				return false;
			out[part++] = (unsigned char)value;
			value = 0;
			digits = 0;
		} else {
			return false;
		}
	}
	if (part < 3)
		return false;
	out[3] = (unsigned char)value;
	return true;
}

/*
 * Go's netip parseIPv6 without a zone: groups of 1 to 4 hex digits, at most one "::" that
 * stands for at least one zero group, and optionally an IPv4 tail in the last 32 bits.
 */
static bool parse_ipv6(const char *s, size_t len, unsigned char out[16])
{
	unsigned char ip[16] = { 0 };
	int ellipsis = -1;
	size_t pos = 0;
	int i = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		pos = 2;
		if (pos == len) {
			memset(out, 0, 16);
			return true;
		}
	}
	while (i < 16) {
		unsigned value = 0;
		size_t off = 0;

		while (pos + off < len && hex_value(s[pos + off]) >= 0) {
			if (off == 4)
				return false;
			value = value * 16 + (unsigned)hex_value(s[pos + off]);
			off++;
		}
		if (off == 0)
			return false;
		if (pos + off < len && s[pos + off] == '.') {
			/* The whole rest of the text, from this field on, is the IPv4 tail. */
			if ((ellipsis < 0 && i != 12) || i + 4 > 16)
				return false;
			if (!parse_ipv4(s + pos, len - pos, ip + i))
				return false;
			pos = len;
			i += 4;
			break;
		}
		ip[i] = (unsigned char)(value >> 8);
		ip[i + 1] = (unsigned char)value;
		i += 2;
		pos += off;
		if (pos == len)
			break;
		if (s[pos] != ':' || pos + 1 == len)
			return false;
		pos++;
		if (s[pos] == ':') {
			if (ellipsis >= 0)
				return false;
			ellipsis = i;
			pos++;
			if (pos == len)
				break;
		}
	}
	if (pos != len)
		return false;
	if (i < 16) {
		int n = 16 - i;
		int j;

		if (ellipsis < 0)
			return false;
		for (j = i - 1; j >= ellipsis; j--)
			ip[j + n] = ip[j];
		memset(ip + ellipsis, 0, (size_t)n);
	} else if (ellipsis >= 0) {
		return false;
	}
	memcpy(out, ip, 16);
	return true;
}

/*
 * net.ParseIP: netip.ParseAddr picks the family from the first '.' or ':'; a zone ('%') makes
 * net.ParseIP fail.  Fills the 16-byte form and whether the text was IPv6 syntax.
 */
static bool parse_ip_strict(const char *s, unsigned char bytes[16], bool *v6_syntax)
{
	size_t len = strlen(s);
	size_t i;

	if (strchr(s, '%'))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			memset(bytes, 0, 10);
			bytes[10] = 0xff;
			bytes[11] = 0xff;
			*v6_syntax = false;
			return parse_ipv4(s, len, bytes + 12);
		}
		if (s[i] == ':') {
			*v6_syntax = true;
			return parse_ipv6(s, len, bytes);
		}
	}
	return false;
}

/*
 * ParseIPSloppy's second chance: its pattern (^|:)0*(0|[1-9][0-9]*)(\.0*(0|[1-9][0-9]*)){3}$
 * can only match the text after the last ':' (or all of it), and strips the leading zeros of
 * that dotted quad.  Writes the stripped text to out[IP_TEXT_MAX]; false when the pattern does
 * not match or the result is too long to be an address anyway.
 */
static bool strip_ipv4_zeros(const char *s, char out[IP_TEXT_MAX])
{
	const char *colon = strrchr(s, ':');
	const char *tail = colon ? colon + 1 : s;
	size_t head = (size_t)(tail - s);
	size_t n = head;
	int part;

	if (head >= IP_TEXT_MAX)
		return false;
	memcpy(out, s, head);
	for (part = 0; part < 4; part++) {
		const char *start = tail;
		size_t digits;

		while (is_digit(*tail))
			tail++;
		if (tail == start)
			return false;
		/* Keep one digit of an all-zero part. */
		while (start < tail - 1 && *start == '0')
			start++;
		digits = (size_t)(tail - start);
		if (n + digits + 2 > IP_TEXT_MAX)
			return false;
		memcpy(out + n, start, digits);
		n += digits;
		if (part < 3) {
			if (*tail != '.')
				return false;
			out[n++] = '.';
			tail++;
		}
	}
	if (*tail != '\0')
		return false;
	out[n] = '\0';
	return true;
}

/* Writes the RFC 5952 form of a 16-byte IPv6 address (Go's netip appendTo6) into out[46]. */
static void format_ipv6(const unsigned char b[16], char out[46])
{
	int zero_start = -1;
	int zero_len = 1;
	size_t n = 0;
	int i;

	/* The longest run of two or more zero groups, the first one on a tie. */
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
			i += zero_len;
			if (i >= 8)
				break;
		} else if (i > 0) {
			out[n++] = ':';
		}
		n += (size_t)snprintf(out + n, 46 - n, "%x", (unsigned)b[2 * i] << 8 | b[2 * i + 1]);
	}
	out[n] = '\0';
}

/* Whether b is ::ffff:a.b.c.d, the form on which net.IP.To4() succeeds. */
static bool is_ipv4_in_ipv6(const unsigned char b[16])
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

bool ip_parse(const char *s, struct ip_address *ip)
{
	struct ip_address result;
	char stripped[IP_TEXT_MAX];
	bool v6_syntax = false;

	memset(&result, 0, sizeof(result));
	if (ip)
		*ip = result;
	if (!s)
		return false;
	if (!parse_ip_strict(s, result.bytes, &v6_syntax)) {
		/* Go rejects IPv4 parts with leading zeros; Kubernetes strips them and tries again. */
		if (!strip_ipv4_zeros(s, stripped) || !parse_ip_strict(stripped, result.bytes, &v6_syntax))
			return false;
		result.leading_zeros = true;
	}
	/* net.IP.To4() succeeds on ::ffff:a.b.c.d however it was written. */
	if (is_ipv4_in_ipv6(result.bytes)) {
		result.family = IP_V4;
		result.ipv4_mapped = v6_syntax;
	} else {
		char canonical[46];

		result.family = IP_V6;
		format_ipv6(result.bytes, canonical);
		result.non_canonical = strcmp(s, canonical) != 0;
	}
	if (ip)
		*ip = result;
	return true;
}

static bool is_zero(const unsigned char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bytes[i])
			return false;
	return true;
}

/*
 * ValidateNonSpecialIP's reasons.  Upstream quotes the unspecified value as written, which
 * *ip no longer holds; the canonical text stands in for it.
 */
#define WHY_UNSPECIFIED_V4 "may not be unspecified (0.0.0.0)"
#define WHY_UNSPECIFIED_V6 "may not be unspecified (::)"
#define WHY_LOOPBACK "may not be in the loopback range (127.0.0.0/8, ::1/128)"
#define WHY_LINK_LOCAL "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
#define WHY_LINK_LOCAL_MULTICAST "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"

bool ip_is_non_special(const struct ip_address *ip, char *why, size_t size)
{
	const unsigned char *b;
	bool v4;

	if (!ip || ip->family == IP_NONE)
		return fail(why, size, "must be a valid IP address");
	b = ip->bytes;
	/* net.IP's predicates look at the IPv4 form whenever To4() succeeds, as for ::ffff:127.0.0.1. */
	v4 = is_ipv4_in_ipv6(b);
	if (v4 ? is_zero(b + 12, 4) : is_zero(b, 16))
		return fail(why, size, v4 ? WHY_UNSPECIFIED_V4 : WHY_UNSPECIFIED_V6);
	if (v4 ? b[12] == 127 : (is_zero(b, 15) && b[15] == 1))
		return fail(why, size, WHY_LOOPBACK);
	if (v4 ? (b[12] == 169 && b[13] == 254) : (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return fail(why, size, WHY_LINK_LOCAL);
	/* IPv6: multicast (ff) with scope 2 in the low nibble, whatever the flags: ff02, ff12, ff32. */
	if (v4 ? (b[12] == 224 && b[13] == 0 && b[14] == 0) : (b[0] == 0xff && (b[1] & 0x0f) == 0x02))
		return fail(why, size, WHY_LINK_LOCAL_MULTICAST);
	return true;
}

/* ---- placeholders ---- */

static char to_upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

/* Whether needle (upper case) occurs in s, ignoring the case of s. */
static bool contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++) {
		size_t i = 0;

		while (i < n && s[i] && to_upper(s[i]) == needle[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* Whether open occurs in s and close occurs after it. */
static bool has_pair(const char *s, const char *open, const char *close)
{
	const char *start = strstr(s, open);

	return start && strstr(start + strlen(open), close) != NULL;
}

/* A dotted quad with at least one part of x's: x.x.x.x, 10.0.0.X, XXX.XXX.XXX.XXX. */
static bool is_x_quad(const char *s)
{
	bool has_x = false;
	int part;

	for (part = 0; part < 4; part++) {
		const char *start = s;

		if (*s == 'x' || *s == 'X') {
			while (*s == 'x' || *s == 'X')
				s++;
			has_x = true;
		} else {
			while (is_digit(*s))
				s++;
		}
		if (s == start || s - start > 3)
			return false;
		if (part < 3 && *s++ != '.')
			return false;
	}
	return *s == '\0' && has_x;
}

/* Whether the len bytes at word, with or without trailing digits, name an address: IP, HOST... */
static bool is_address_word(const char *word, size_t len)
{
	static const char *const words[] = {
		"IP", "IPS", "IPV4", "IPV6", "ADDR", "ADDRESS", "ADDRESSES", "HOST", "HOSTS", "HOSTNAME",
	};
	size_t bare = len;
	size_t i;

	while (bare > 0 && is_digit(word[bare - 1]))
		bare--;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if ((n == len || n == bare) && memcmp(words[i], word, n) == 0)
			return true;
	}
	return false;
}

/* An upper-case identifier such as ETCD_IP, NODE_IP_1 or IP_ADDRESS with an address word in it. */
static bool is_address_macro(const char *s)
{
	const char *word = s;
	const char *p;

	if (!(*s >= 'A' && *s <= 'Z'))
		return false;
	for (p = s; *p; p++)
		if (!(*p >= 'A' && *p <= 'Z') && !is_digit(*p) && *p != '_')
			return false;
	for (p = s;; p++) {
		if (*p == '_' || *p == '\0') {
			if (is_address_word(word, (size_t)(p - word)))
				return true;
			if (*p == '\0')
				return false;
			word = p + 1;
		}
	}
}

bool text_is_placeholder(const char *s)
{
	static const char *const markers[] = {
		"CHANGEME", "CHANGE_ME", "CHANGE-ME", "REPLACEME", "REPLACE_ME", "REPLACE-ME",
	};
	size_t i;

	if (!s)
		return false;
	if (to_upper(s[0]) == 'Y' && to_upper(s[1]) == 'O' && to_upper(s[2]) == 'U' &&
	    to_upper(s[3]) == 'R' && (s[4] == '_' || s[4] == '-'))
		return true;
	if (has_pair(s, "<", ">") || has_pair(s, "${", "}") || has_pair(s, "{{", "}}"))
		return true;
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (contains_nocase(s, markers[i]))
			return true;
	/* Only the shouted forms: "todo" is a fine name for an app. */
	if (strstr(s, "TODO") || strstr(s, "FIXME"))
		return true;
	return is_x_quad(s) || is_address_macro(s);
}

/* ---- edit distance ---- */

/*
 * Levenshtein distance by rows over the shorter string, stopping once a whole row exceeds
 * limit.  The common prefix and suffix are dropped first; if the shorter remainder is still
 * longer than EDIT_ROW_MAX bytes the strings count as too far apart (limit + 1, or SIZE_MAX
 * when limit is SIZE_MAX), since the function may not allocate.
 */
size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t row[EDIT_ROW_MAX + 1];
	size_t la, lb, i, j;

	if (!a)
		a = "";
	if (!b)
		b = "";
	while (*a && *a == *b) {
		a++;
		b++;
	}
	la = strlen(a);
	lb = strlen(b);
	while (la && lb && a[la - 1] == b[lb - 1]) {
		la--;
		lb--;
	}
	if (la < lb) {
		const char *t = a;
		size_t n = la;

		a = b;
		b = t;
		la = lb;
		lb = n;
	}
	/* Now b is the shorter; the distance is at least la - lb and at most la. */
	if (la - lb > limit)
		return limit + 1;
	if (lb == 0)
		return la;
	if (lb > EDIT_ROW_MAX)
		return limit == SIZE_MAX ? SIZE_MAX : limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diagonal = row[0];
		size_t smallest;

		row[0] = i;
		smallest = row[0];
		for (j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);

			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diagonal = above;
			row[j] = best;
			if (best < smallest)
				smallest = best;
		}
		if (smallest > limit)
			return limit + 1;
	}
	return row[lb] > limit ? limit + 1 : row[lb];
}
