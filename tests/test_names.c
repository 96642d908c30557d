/* test_names.c: unit tests for names.c against apimachinery's name, port-name and IP rules. */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

Suite *names_suite(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Fills buf with n copies of c and a NUL; buf must hold n + 1 bytes. */
static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* Writes labels of label_len 'a's joined by '.' until the text is exactly total bytes long. */
static char *dotted(char *buf, size_t label_len, size_t total)
{
	size_t i;

	for (i = 0; i < total; i++)
		buf[i] = (i % (label_len + 1) == label_len) ? '.' : 'a';
	buf[total] = '\0';
	return buf;
}

struct name_case {
	const char *text;
	bool valid;
	const char *why;	/* the reason written when !valid */
};

/* ---- IsDNS1123Label ---- */

static const struct name_case dns1123_label_cases[] = {
	{ "a", true, NULL },
	{ "0", true, NULL },
	{ "my-name", true, NULL },
	{ "123-abc", true, NULL },
	{ "1password", true, NULL },
	{ "8080", true, NULL },
	{ "metrics-endpoint-http", true, NULL },
	{ "a--b", true, NULL },
	{ "", false, "must not be empty" },
	{ "-a", false, "must start and end with a lowercase letter or digit" },
	{ "a-", false, "must start and end with a lowercase letter or digit" },
	{ "-", false, "must start and end with a lowercase letter or digit" },
	{ "A", false, "must consist of lowercase letters, digits and '-'" },
	{ "My-Svc", false, "must consist of lowercase letters, digits and '-'" },
	{ "a_b", false, "must consist of lowercase letters, digits and '-'" },
	{ "a b", false, "must consist of lowercase letters, digits and '-'" },
	{ "a\n", false, "must consist of lowercase letters, digits and '-'" },
	{ "caf\xc3\xa9", false, "must consist of lowercase letters, digits and '-'" },
	{ "a.b", false, "must not contain dots" },
	{ "my.svc", false, "must not contain dots" },
	{ "a..b", false, "must consist of lowercase letters, digits and '-'" },
	{ ".a", false, "must consist of lowercase letters, digits and '-'" },
};

START_TEST(test_dns1123_label_table)
{
	const struct name_case *c = &dns1123_label_cases[_i];
	char why[128] = "untouched";

	ck_assert_msg(name_is_dns1123_label(c->text) == c->valid, "'%s'", c->text);
	ck_assert_msg(name_is_dns1123_label_why(c->text, why, sizeof(why)) == c->valid, "'%s'", c->text);
	ck_assert_str_eq(why, c->valid ? "untouched" : c->why);
}
END_TEST

START_TEST(test_dns1123_label_length)
{
	char buf[300];
	char why[128] = "";

	ck_assert(name_is_dns1123_label(repeat(buf, 'a', 63)));
	ck_assert(name_is_dns1123_label(repeat(buf, '9', 63)));
	ck_assert(!name_is_dns1123_label(repeat(buf, 'a', 64)));
	ck_assert(!name_is_dns1123_label_why(repeat(buf, 'a', 64), why, sizeof(why)));
	ck_assert_str_eq(why, "must be at most 63 characters");
	/* Length is reported before the characters, as upstream lists it first. */
	ck_assert(!name_is_dns1123_label_why(repeat(buf, 'A', 64), why, sizeof(why)));
	ck_assert_str_eq(why, "must be at most 63 characters");
}
END_TEST

/* ---- IsDNS1123Subdomain ---- */

static const struct name_case dns1123_subdomain_cases[] = {
	{ "a", true, NULL },
	{ "a.b", true, NULL },
	{ "my.svc", true, NULL },
	{ "example.com", true, NULL },
	{ "1.2.3.4", true, NULL },
	{ "a-b.c-d.e", true, NULL },
	{ "0.a", true, NULL },
	{ "", false, "must not be empty" },
	{ "My-Svc", false, "must consist of lowercase letters, digits, '-' and '.'" },
	{ "My.svc", false, "must consist of lowercase letters, digits, '-' and '.'" },
	{ "a_b.c", false, "must consist of lowercase letters, digits, '-' and '.'" },
	{ "a/b", false, "must consist of lowercase letters, digits, '-' and '.'" },
	{ ".a", false, "must not start or end with '.' or contain '..'" },
	{ "a.", false, "must not start or end with '.' or contain '..'" },
	{ "a..b", false, "must not start or end with '.' or contain '..'" },
	{ ".", false, "must not start or end with '.' or contain '..'" },
	{ "-a", false, "must start and end with a lowercase letter or digit" },
	{ "a-", false, "must start and end with a lowercase letter or digit" },
	{ "a.-b", false, "must start and end with a lowercase letter or digit, also next to each '.'" },
	{ "a-.b", false, "must start and end with a lowercase letter or digit, also next to each '.'" },
	{ "a.b-", false, "must start and end with a lowercase letter or digit, also next to each '.'" },
};

START_TEST(test_dns1123_subdomain_table)
{
	const struct name_case *c = &dns1123_subdomain_cases[_i];
	char why[128] = "untouched";

	ck_assert_msg(name_is_dns1123_subdomain(c->text) == c->valid, "'%s'", c->text);
	ck_assert_msg(name_is_dns1123_subdomain_why(c->text, why, sizeof(why)) == c->valid, "'%s'", c->text);
	ck_assert_str_eq(why, c->valid ? "untouched" : c->why);
}
END_TEST

START_TEST(test_dns1123_subdomain_length)
{
	char buf[400];
	char why[128] = "";

	ck_assert(name_is_dns1123_subdomain(dotted(buf, 63, 253)));
	ck_assert_int_eq(buf[252], 'a');
	ck_assert(!name_is_dns1123_subdomain(dotted(buf, 63, 254)));
	ck_assert(!name_is_dns1123_subdomain_why(dotted(buf, 10, 254), why, sizeof(why)));
	ck_assert_str_eq(why, "must be at most 253 characters");
	/* The subdomain pattern sets no limit per label: one 200-byte label passes. */
	ck_assert(name_is_dns1123_subdomain(repeat(buf, 'a', 200)));
	ck_assert(name_is_dns1123_subdomain(repeat(buf, 'a', 253)));
	ck_assert(!name_is_dns1123_subdomain(repeat(buf, 'a', 254)));
}
END_TEST

/* ---- IsDNS1035Label ---- */

static const struct name_case dns1035_label_cases[] = {
	{ "a", true, NULL },
	{ "my-name", true, NULL },
	{ "abc-123", true, NULL },
	{ "etcd", true, NULL },
	{ "a1", true, NULL },
	{ "", false, "must not be empty" },
	{ "1password", false, "must start with a lowercase letter" },
	{ "0", false, "must start with a lowercase letter" },
	{ "-a", false, "must start with a lowercase letter" },
	{ "a-", false, "must end with a lowercase letter or digit" },
	{ "My-Svc", false, "must consist of lowercase letters, digits and '-'" },
	{ "my.svc", false, "must consist of lowercase letters, digits and '-'" },
	{ "a_b", false, "must consist of lowercase letters, digits and '-'" },
};

START_TEST(test_dns1035_label_table)
{
	const struct name_case *c = &dns1035_label_cases[_i];
	char why[128] = "untouched";

	ck_assert_msg(name_is_dns1035_label(c->text) == c->valid, "'%s'", c->text);
	ck_assert_msg(name_is_dns1035_label_why(c->text, why, sizeof(why)) == c->valid, "'%s'", c->text);
	ck_assert_str_eq(why, c->valid ? "untouched" : c->why);
}
END_TEST

START_TEST(test_dns1035_label_length)
{
	char buf[100];
	char why[128] = "";

	ck_assert(name_is_dns1035_label(repeat(buf, 'z', 63)));
	ck_assert(!name_is_dns1035_label_why(repeat(buf, 'z', 64), why, sizeof(why)));
	ck_assert_str_eq(why, "must be at most 63 characters");
}
END_TEST

START_TEST(test_service_name_1password)
{
	/* §7 item 26: a DNS-1123 label (1.36+ rule) but not a DNS-1035 label (older rule). */
	ck_assert(name_is_dns1123_label("1password"));
	ck_assert(!name_is_dns1035_label("1password"));
}
END_TEST

/* ---- IsValidPortName (IANA_SVC_NAME) ---- */

static const struct name_case iana_cases[] = {
	{ "http", true, NULL },
	{ "a", true, NULL },
	{ "metrics", true, NULL },
	{ "https-metrics", true, NULL },
	{ "http-metrics", true, NULL },
	{ "h2c", true, NULL },
	{ "1a", true, NULL },
	{ "a1", true, NULL },
	{ "8080a", true, NULL },
	{ "abcdefghijklmno", true, NULL },
	{ "", false, "must not be empty" },
	{ "8080", false, "must contain at least one letter" },
	{ "1", false, "must contain at least one letter" },
	{ "1-2", false, "must contain at least one letter" },
	{ "metrics-endpoint-http", false, "must be at most 15 characters" },
	{ "abcdefghijklmnop", false, "must be at most 15 characters" },
	{ "HTTP", false, "must consist of lowercase letters, digits and '-'" },
	{ "http_1", false, "must consist of lowercase letters, digits and '-'" },
	{ "web.http", false, "must consist of lowercase letters, digits and '-'" },
	{ "a--b", false, "must not contain '--'" },
	{ "-http", false, "must not start or end with '-'" },
	{ "http-", false, "must not start or end with '-'" },
};

START_TEST(test_iana_table)
{
	const struct name_case *c = &iana_cases[_i];
	char why[128] = "untouched";

	ck_assert_msg(name_is_iana_svc_name(c->text) == c->valid, "'%s'", c->text);
	ck_assert_msg(name_is_iana_svc_name_why(c->text, why, sizeof(why)) == c->valid, "'%s'", c->text);
	ck_assert_str_eq(why, c->valid ? "untouched" : c->why);
}
END_TEST

START_TEST(test_port_name_rules_differ)
{
	/* §7 item 8: fine as a Service port name, too long for a targetPort. */
	ck_assert(name_is_dns1123_label("metrics-endpoint-http"));
	ck_assert(!name_is_iana_svc_name("metrics-endpoint-http"));
	/* §7 item 9: a quoted "8080" targetPort is a string and fails. */
	ck_assert(!name_is_iana_svc_name("8080"));
}
END_TEST

/* ---- IsQualifiedName ---- */

static const struct name_case qualified_cases[] = {
	{ "http", true, NULL },
	{ "MyName", true, NULL },
	{ "my.name", true, NULL },
	{ "123-abc", true, NULL },
	{ "a_b", true, NULL },
	{ "kubernetes.io/h2c", true, NULL },
	{ "k8s.io/ws", true, NULL },
	{ "example.com/MyName", true, NULL },
	{ "a/B", true, NULL },
	{ "", false, "name part must not be empty" },
	{ "a/", false, "name part must not be empty" },
	{ "/a", false, "prefix part must not be empty" },
	{ "/", false, "prefix part must not be empty" },
	{ "a/b/c", false, "must contain at most one '/'" },
	{ "Example.com/x", false, "prefix part must consist of lowercase letters, digits, '-' and '.'" },
	{ "example..com/x", false, "prefix part must not start or end with '.' or contain '..'" },
	{ "-abc", false, "name part must start and end with a letter or digit" },
	{ "abc.", false, "name part must start and end with a letter or digit" },
	{ "_a", false, "name part must start and end with a letter or digit" },
	{ "a b", false, "name part must consist of letters, digits, '-', '_' and '.'" },
	{ "k8s.io/a:b", false, "name part must consist of letters, digits, '-', '_' and '.'" },
};

START_TEST(test_qualified_table)
{
	const struct name_case *c = &qualified_cases[_i];
	char why[128] = "untouched";

	ck_assert_msg(name_is_qualified_name(c->text) == c->valid, "'%s'", c->text);
	ck_assert_msg(name_is_qualified_name_why(c->text, why, sizeof(why)) == c->valid, "'%s'", c->text);
	ck_assert_str_eq(why, c->valid ? "untouched" : c->why);
}
END_TEST

START_TEST(test_qualified_length)
{
	char buf[600];
	char why[128] = "";

	ck_assert(name_is_qualified_name(repeat(buf, 'A', 63)));
	ck_assert(!name_is_qualified_name_why(repeat(buf, 'A', 64), why, sizeof(why)));
	ck_assert_str_eq(why, "name part must be at most 63 characters");

	/* A 253-byte prefix is a subdomain; 254 bytes is not. */
	dotted(buf, 63, 253);
	strcat(buf, "/x");
	ck_assert(name_is_qualified_name(buf));
	dotted(buf, 63, 254);
	strcat(buf, "/x");
	ck_assert(!name_is_qualified_name_why(buf, why, sizeof(why)));
	ck_assert_str_eq(why, "prefix part must be at most 253 characters");

	/* Prefix errors come before name errors. */
	ck_assert(!name_is_qualified_name_why("A/-", why, sizeof(why)));
	ck_assert_str_eq(why, "prefix part must consist of lowercase letters, digits, '-' and '.'");
}
END_TEST

/* ---- IsValidLabelValue ---- */

START_TEST(test_label_value)
{
	char buf[100];

	ck_assert(name_is_label_value(""));
	ck_assert(name_is_label_value("MyValue"));
	ck_assert(name_is_label_value("my_value"));
	ck_assert(name_is_label_value("12345"));
	ck_assert(name_is_label_value("a.b-c_d"));
	ck_assert(name_is_label_value("etcd"));
	ck_assert(name_is_label_value(repeat(buf, 'v', 63)));
	ck_assert(!name_is_label_value(repeat(buf, 'v', 64)));
	ck_assert(!name_is_label_value("-a"));
	ck_assert(!name_is_label_value("a-"));
	ck_assert(!name_is_label_value("_"));
	ck_assert(!name_is_label_value("a b"));
	ck_assert(!name_is_label_value("a/b"));
	ck_assert(!name_is_label_value("a:b"));
	ck_assert(name_is_label_value(NULL));
}
END_TEST

/* ---- IsFullyQualifiedDomainName ---- */

START_TEST(test_fqdn)
{
	char buf[400];

	ck_assert(name_is_fqdn("example.com"));
	ck_assert(name_is_fqdn("example.com."));
	ck_assert(name_is_fqdn("db.example.com"));
	ck_assert(name_is_fqdn("10.0.0.1"));
	ck_assert(name_is_fqdn("a.b"));
	ck_assert(!name_is_fqdn(""));
	ck_assert(!name_is_fqdn("."));
	ck_assert(!name_is_fqdn("a"));
	ck_assert(!name_is_fqdn("a."));
	ck_assert(!name_is_fqdn("example.com.."));
	ck_assert(!name_is_fqdn(".example.com"));
	ck_assert(!name_is_fqdn("Example.com"));
	ck_assert(!name_is_fqdn("exa_mple.com"));
	ck_assert(!name_is_fqdn("-a.com"));
	ck_assert(!name_is_fqdn("2001:db8::1"));
	ck_assert(!name_is_fqdn(NULL));

	/* Each label of an FQDN is a DNS-1123 label: 63 bytes pass, 64 do not. */
	repeat(buf, 'a', 63);
	strcat(buf, ".com");
	ck_assert(name_is_fqdn(buf));
	repeat(buf, 'a', 64);
	strcat(buf, ".com");
	ck_assert(name_is_dns1123_subdomain(buf));
	ck_assert(!name_is_fqdn(buf));

	/* 253 bytes plus the one trailing dot allowed. */
	dotted(buf, 63, 253);
	ck_assert(name_is_fqdn(buf));
	strcat(buf, ".");
	ck_assert(name_is_fqdn(buf));
	dotted(buf, 63, 254);
	ck_assert(!name_is_fqdn(buf));
}
END_TEST

/* ---- IsValidPortNum ---- */

START_TEST(test_port_is_valid)
{
	ck_assert(!port_is_valid(0));
	ck_assert(port_is_valid(1));
	ck_assert(port_is_valid(80));
	ck_assert(port_is_valid(2379));
	ck_assert(port_is_valid(65535));
	ck_assert(!port_is_valid(65536));
	ck_assert(!port_is_valid(-1));
	ck_assert(!port_is_valid(-65535));
	ck_assert(!port_is_valid(LLONG_MAX));
	ck_assert(!port_is_valid(LLONG_MIN));
	ck_assert(!port_is_valid(4294967297LL));
}
END_TEST

/* ---- the *_why buffer contract ---- */

START_TEST(test_why_buffer)
{
	char why[16];

	/* size 0 or NULL: nothing is written, the answer stays the same. */
	memset(why, 'Z', sizeof(why));
	ck_assert(!name_is_dns1123_label_why("A", why, 0));
	ck_assert_int_eq(why[0], 'Z');
	ck_assert(!name_is_dns1123_label_why("A", NULL, 0));
	ck_assert(!name_is_dns1123_label_why("A", NULL, 8));
	ck_assert(!name_is_dns1123_subdomain_why("A", NULL, 0));
	ck_assert(!name_is_dns1035_label_why("1a", NULL, 0));
	ck_assert(!name_is_iana_svc_name_why("8080", NULL, 0));
	ck_assert(!name_is_qualified_name_why("", NULL, 0));
	ck_assert(!name_is_iana_svc_name_why("8080", why, 0));
	ck_assert_int_eq(why[0], 'Z');

	/* A short buffer gets a truncated, terminated reason. */
	ck_assert(!name_is_iana_svc_name_why("8080", why, 5));
	ck_assert_str_eq(why, "must");
	ck_assert_int_eq(why[5], 'Z');
	ck_assert(!name_is_iana_svc_name_why("8080", why, 1));
	ck_assert_str_eq(why, "");

	/* NULL text is the empty string. */
	ck_assert(!name_is_dns1123_label(NULL));
	ck_assert(!name_is_dns1123_subdomain(NULL));
	ck_assert(!name_is_dns1035_label(NULL));
	ck_assert(!name_is_iana_svc_name(NULL));
	ck_assert(!name_is_qualified_name_why(NULL, why, sizeof(why)));
	ck_assert_str_eq(why, "name part must ");
}
END_TEST

/* ---- ParseIPSloppy ---- */

struct ip_case {
	const char *text;
	enum ip_family family;	/* IP_NONE: not an address */
	const char *hex;	/* the 16 bytes */
	bool leading_zeros, ipv4_mapped, non_canonical;
};

#define V4(t, h, lz) { t, IP_V4, "00000000000000000000ffff" h, lz, false, false }
#define MAPPED(t, h, lz) { t, IP_V4, "00000000000000000000ffff" h, lz, true, false }
#define V6(t, h, nc) { t, IP_V6, h, false, false, nc }
#define BAD(t) { t, IP_NONE, NULL, false, false, false }

static const struct ip_case ip_cases[] = {
	V4("10.1.2.3", "0a010203", false),
	V4("0.0.0.0", "00000000", false),
	V4("255.255.255.255", "ffffffff", false),
	V4("127.0.0.1", "7f000001", false),
	V4("0.1.2.3", "00010203", false),
	/* Leading zeros are decimal, never octal. */
	V4("010.001.002.003", "0a010203", true),
	V4("0177.0.0.1", "b1000001", true),
	V4("00.0.0.0", "00000000", true),
	V4("1.2.3.00", "01020300", true),
	V4("00000000010.1.1.1", "0a010101", true),
	V4("0255.0255.0255.0255", "ffffffff", true),
	BAD("1.2.3.0256"),
	BAD("1.2.3.256"),
	BAD("256.1.1.1"),
	BAD("1.2.3"),
	BAD("1.2.3.4.5"),
	BAD("1..2.3"),
	BAD(".1.2.3"),
	BAD("1.2.3.4."),
	BAD("1.2.3."),
	BAD(" 1.2.3.4"),
	BAD("1.2.3.4 "),
	BAD("1.2.3.-4"),
	BAD("1.2.3.4/32"),
	BAD("10.0.0.0/8"),
	BAD("0x1.2.3.4"),
	BAD("1.2.3.4:80"),
	BAD("1.2.3.a"),
	BAD("1"),
	BAD("4294967295"),
	BAD(""),
	BAD("."),
	BAD("db.example.com"),
	BAD("localhost"),
	BAD("etcd-0"),
	BAD("x.x.x.x"),

	/* IPv4-mapped IPv6 is an IPv4 address, however the mapped part is spelled. */
	MAPPED("::ffff:10.1.2.3", "0a010203", false),
	MAPPED("::FFFF:10.1.2.3", "0a010203", false),
	MAPPED("0:0:0:0:0:ffff:10.1.2.3", "0a010203", false),
	MAPPED("::ffff:a01:203", "0a010203", false),
	MAPPED("::ffff:127.0.0.1", "7f000001", false),
	MAPPED("::ffff:0.0.0.0", "00000000", false),
	MAPPED("::ffff:010.1.2.3", "0a010203", true),
	MAPPED("::ffff:0:0", "00000000", false),

	/* Embedded IPv4 that is not IPv4-mapped stays IPv6; Go prints it in hex. */
	V6("64:ff9b::1.2.3.4", "0064ff9b000000000000000001020304", true),
	V6("64:ff9b::102:304", "0064ff9b000000000000000001020304", false),
	V6("::1.2.3.4", "00000000000000000000000001020304", true),
	V6("::102:304", "00000000000000000000000001020304", false),
	V6("::127.0.0.1", "0000000000000000000000007f000001", true),
	V6("1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304", true),
	V6("1:2:3:4:5::1.2.3.4", "00010002000300040005000001020304", true),
	V6("::fffe:1.2.3.4", "00000000000000000000fffe01020304", true),
	BAD("1:2:3:4:5:6:7:1.2.3.4"),
	BAD("1:2:3:4:5:1.2.3.4"),
	BAD("1.2.3.4::"),
	BAD("::1.2.3.4:5"),
	BAD("::1.2.3"),
	BAD("::256.1.1.1"),
	BAD("::a.1.1.1"),
	BAD("::ffff:1.2.3.4/120"),

	V6("::", "00000000000000000000000000000000", false),
	V6("::1", "00000000000000000000000000000001", false),
	V6("1::", "00010000000000000000000000000000", false),
	V6("2001:db8::1", "20010db8000000000000000000000001", false),
	V6("fe80::1", "fe800000000000000000000000000001", false),
	V6("ff02::fb", "ff0200000000000000000000000000fb", false),
	V6("1:2:3:4:5:6:7:8", "00010002000300040005000600070008", false),
	V6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff", false),
	V6("1:2:3:4:5:6:7:0", "00010002000300040005000600070000", false),
	V6("0:2:3:4:5:6:7:8", "00000002000300040005000600070008", false),
	/* RFC 5952: lower case, no leading zeros, "::" for the longest run (the first on a tie), never for one group. */
	V6("2001:DB8:0:0::1", "20010db8000000000000000000000001", true),
	V6("2001:db8:0:0:0:0:0:1", "20010db8000000000000000000000001", true),
	V6("2001:0db8::1", "20010db8000000000000000000000001", true),
	V6("2001:db8::0:1", "20010db8000000000000000000000001", true),
	V6("FE80::1", "fe800000000000000000000000000001", true),
	V6("0000:0000:0000:0000:0000:0000:0000:0001", "00000000000000000000000000000001", true),
	V6("0::0", "00000000000000000000000000000000", true),
	V6("1:2:3:4:5:6:7::", "00010002000300040005000600070000", true),
	V6("::2:3:4:5:6:7:8", "00000002000300040005000600070008", true),
	V6("2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001", false),
	V6("2001:db8::1:1:1:1:1", "20010db8000000010001000100010001", true),
	V6("2001:0:0:1::1", "20010000000000010000000000000001", false),
	V6("2001:0:0:1:0:0:0:1", "20010000000000010000000000000001", true),
	V6("2001::1:0:0:0:1", "20010000000000010000000000000001", true),
	V6("2001:db8::1:0:0:1", "20010db8000000000001000000000001", false),
	V6("2001:db8:0:0:1::1", "20010db8000000000001000000000001", true),
	BAD("[2001:db8::1]"),
	BAD("2001:db8::1/128"),
	BAD("fe80::1%eth0"),
	BAD("fe80::1%"),
	BAD("::ffff:1.2.3.4%0"),
	BAD("%eth0"),
	BAD(" ::1"),
	BAD("::1 "),
	BAD("1:2:3:4:5:6:7:8:9"),
	BAD("1:2:3:4:5:6:7"),
	BAD("1:2:3:4:5:6:7:8::"),
	BAD("::1:2:3:4:5:6:7:8"),
	BAD("1::2::3"),
	BAD(":1::"),
	BAD("1:"),
	BAD(":"),
	BAD(":::"),
	BAD("1:::2"),
	BAD("12345::"),
	BAD("00001::"),
	BAD("g::1"),
	BAD("::-1"),
	BAD("0x1::"),
	BAD("fe80:1"),
};

/* Writes the 16 bytes as 32 lower-case hex digits into out[33]. */
static void hex16(const unsigned char bytes[16], char out[33])
{
	int i;

	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

START_TEST(test_ip_parse_table)
{
	const struct ip_case *c = &ip_cases[_i];
	struct ip_address ip;
	char hex[33];

	memset(&ip, 0x5a, sizeof(ip));
	ck_assert_msg(ip_parse(c->text, &ip) == (c->family != IP_NONE), "'%s'", c->text);
	ck_assert_msg(ip.family == c->family, "'%s': family %d", c->text, (int)ip.family);
	if (c->family == IP_NONE) {
		/* A failed parse leaves a cleared address behind. */
		ck_assert(!ip.leading_zeros && !ip.ipv4_mapped && !ip.non_canonical);
		ck_assert_int_eq(ip.bytes[0], 0);
		ck_assert_int_eq(ip.bytes[15], 0);
		ck_assert(!ip_parse(c->text, NULL));
		return;
	}
	hex16(ip.bytes, hex);
	ck_assert_msg(strcmp(hex, c->hex) == 0, "'%s': bytes %s", c->text, hex);
	ck_assert_msg(ip.leading_zeros == c->leading_zeros, "'%s': leading_zeros", c->text);
	ck_assert_msg(ip.ipv4_mapped == c->ipv4_mapped, "'%s': ipv4_mapped", c->text);
	ck_assert_msg(ip.non_canonical == c->non_canonical, "'%s': non_canonical", c->text);
	ck_assert(ip_parse(c->text, NULL));
}
END_TEST

START_TEST(test_ip_parse_null)
{
	struct ip_address ip;

	ck_assert(!ip_parse(NULL, &ip));
	ck_assert_int_eq(ip.family, IP_NONE);
	ck_assert(!ip_parse(NULL, NULL));
}
END_TEST

START_TEST(test_ip_ambiguous_forms)
{
	struct ip_address ip;

	/* §7 item 15: both parse, and both are flagged as ambiguous. */
	ck_assert(ip_parse("010.001.002.003", &ip));
	ck_assert_int_eq(ip.family, IP_V4);
	ck_assert(ip.leading_zeros);
	ck_assert(!ip.ipv4_mapped);
	ck_assert(ip_parse("::ffff:10.1.2.3", &ip));
	ck_assert_int_eq(ip.family, IP_V4);
	ck_assert(ip.ipv4_mapped);
	ck_assert(!ip.leading_zeros);
	/* The two spell the same address. */
	ck_assert_int_eq(ip.bytes[12], 10);
	ck_assert_int_eq(ip.bytes[15], 3);

	/* §7 item 16: non-canonical IPv6 parses and is only flagged. */
	ck_assert(ip_parse("2001:DB8:0:0::1", &ip));
	ck_assert_int_eq(ip.family, IP_V6);
	ck_assert(ip.non_canonical);
	ck_assert(!ip.leading_zeros);
	ck_assert(!ip.ipv4_mapped);
}
END_TEST

START_TEST(test_ip_long_leading_zeros)
{
	char buf[200];

	/* ParseIPSloppy strips any number of zeros, so the text length is no limit. */
	repeat(buf, '0', 100);
	strcat(buf, "1.2.3.4");
	ck_assert(ip_parse(buf, NULL));
	repeat(buf, '0', 100);
	strcat(buf, ".0.0.1");
	ck_assert(ip_parse(buf, NULL));
	strcpy(buf, "::ffff:");
	strcat(repeat(buf + 7, '0', 100), "1.2.3.4");
	ck_assert(ip_parse(buf, NULL));
	/* But nothing else in front of the IPv4 part may be long. */
	strcpy(buf, "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:1.2.3.4");
	ck_assert(!ip_parse(buf, NULL));
}
END_TEST

/* ---- ValidateNonSpecialIP ---- */

struct special_case {
	const char *text;
	const char *why;	/* NULL: accepted */
};

#define UNSPECIFIED4 "may not be unspecified (0.0.0.0)"
#define UNSPECIFIED6 "may not be unspecified (::)"
#define LOOPBACK "may not be in the loopback range (127.0.0.0/8, ::1/128)"
#define LINK_LOCAL "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
#define LL_MULTICAST "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"

static const struct special_case special_cases[] = {
	{ "0.0.0.0", UNSPECIFIED4 },
	{ "000.000.000.000", UNSPECIFIED4 },
	{ "::ffff:0.0.0.0", UNSPECIFIED4 },
	{ "::", UNSPECIFIED6 },
	{ "0:0:0:0:0:0:0:0", UNSPECIFIED6 },
	{ "::0.0.0.0", UNSPECIFIED6 },
	{ "127.0.0.1", LOOPBACK },
	{ "127.0.0.0", LOOPBACK },
	{ "127.255.255.254", LOOPBACK },
	{ "0127.0.0.1", LOOPBACK },
	{ "::ffff:127.0.0.1", LOOPBACK },
	{ "::ffff:7f00:1", LOOPBACK },
	{ "::1", LOOPBACK },
	{ "0:0:0:0:0:0:0:1", LOOPBACK },
	{ "::0.0.0.1", LOOPBACK },
	{ "169.254.169.254", LINK_LOCAL },
	{ "169.254.0.0", LINK_LOCAL },
	{ "::ffff:169.254.1.1", LINK_LOCAL },
	{ "fe80::1", LINK_LOCAL },
	{ "FE80::1", LINK_LOCAL },
	{ "febf:ffff::1", LINK_LOCAL },
	{ "224.0.0.251", LL_MULTICAST },
	{ "224.0.0.0", LL_MULTICAST },
	{ "224.0.0.255", LL_MULTICAST },
	{ "::ffff:224.0.0.1", LL_MULTICAST },
	{ "ff02::fb", LL_MULTICAST },
	{ "ff02::1", LL_MULTICAST },
	{ "ff12::1", LL_MULTICAST },
	{ "ff32::1:2", LL_MULTICAST },
	{ "fff2::1", LL_MULTICAST },
	/* Accepted. */
	{ "10.0.0.1", NULL },
	{ "192.168.1.10", NULL },
	{ "239.255.255.250", NULL },
	{ "224.0.1.1", NULL },
	{ "255.255.255.255", NULL },
	{ "0.1.2.3", NULL },
	{ "0177.0.0.1", NULL },
	{ "128.0.0.1", NULL },
	{ "126.255.255.255", NULL },
	{ "169.253.255.255", NULL },
	{ "169.255.0.1", NULL },
	{ "::127.0.0.1", NULL },
	{ "::2", NULL },
	{ "2001:db8::1", NULL },
	{ "fec0::1", NULL },
	{ "fe7f::1", NULL },
	{ "fe00::1", NULL },
	{ "ff05::2", NULL },
	{ "ff01::1", NULL },
	{ "ff0e::1", NULL },
	{ "ff03::1", NULL },
	{ "::ffff:10.1.2.3", NULL },
	{ "64:ff9b::127.0.0.1", NULL },
};

START_TEST(test_non_special_table)
{
	const struct special_case *c = &special_cases[_i];
	struct ip_address ip;
	char why[128] = "untouched";

	ck_assert_msg(ip_parse(c->text, &ip), "'%s' does not parse", c->text);
	ck_assert_msg(ip_is_non_special(&ip, why, sizeof(why)) == (c->why == NULL), "'%s'", c->text);
	ck_assert_str_eq(why, c->why ? c->why : "untouched");
	ck_assert(ip_is_non_special(&ip, NULL, 0) == (c->why == NULL));
}
END_TEST

START_TEST(test_non_special_invalid)
{
	struct ip_address ip;
	char why[128] = "";

	ck_assert(!ip_is_non_special(NULL, why, sizeof(why)));
	ck_assert_str_eq(why, "must be a valid IP address");
	ck_assert(!ip_parse("db.example.com", &ip));
	strcpy(why, "");
	ck_assert(!ip_is_non_special(&ip, why, sizeof(why)));
	ck_assert_str_eq(why, "must be a valid IP address");

	ck_assert(ip_parse("127.0.0.1", &ip));
	memset(why, 'Z', sizeof(why));
	ck_assert(!ip_is_non_special(&ip, why, 0));
	ck_assert_int_eq(why[0], 'Z');
	ck_assert(!ip_is_non_special(&ip, why, 8));
	ck_assert_str_eq(why, "may not");
}
END_TEST

/* ---- placeholders ---- */

static const char *const placeholders[] = {
	"YOUR_ETCD_IP",
	"YOUR_ETCD_IP01",
	"your-etcd-host",
	"Your_Value",
	"YOUR-IP",
	"your_ip_here",
	"<ip>",
	"<etcd-ip>",
	"<IP_ADDRESS>",
	"10.0.0.<n>",
	"${ETCD_IP}",
	"${ip}",
	"{{ .Values.etcd.ip }}",
	"{{etcd_ip}}",
	"CHANGEME",
	"changeme",
	"change-me",
	"Change_Me",
	"ip-changeme",
	"REPLACE_ME",
	"replaceme",
	"Replace-Me",
	"TODO",
	"TODO.example.com",
	"FIXME",
	"x.x.x.x",
	"X.X.X.X",
	"xxx.xxx.xxx.xxx",
	"10.0.x.x",
	"192.168.1.X",
	"ETCD_IP",
	"NODE_IP_1",
	"IP_ADDRESS",
	"IP",
	"HOST",
	"HOSTNAME",
	"ETCD_HOST",
	"MASTER_ADDR",
	"NODE1_IPV4",
	"ETCD_IPS",
	"SERVER_ADDRESS_2",
	"NODE_IP01",
	"IP4",
};

static const char *const real_values[] = {
	"",
	"10.0.0.1",
	"0.0.0.0",
	"255.255.255.255",
	"2001:db8::1",
	"::ffff:10.1.2.3",
	"fe80::1",
	"db.example.com",
	"etcd-0",
	"etcd-0.etcd.kube-system.svc.cluster.local",
	"ip-10-0-0-1.ec2.internal",
	"node-ip",
	"your",
	"yourhost.example.com",
	"yours-truly",
	"todo-app",
	"fixme.example.com",
	"host",
	"ip",
	"x.x.x",
	"x.x.x.x.x",
	"xxxx.1.2.3",
	"1.2.3.4x",
	"ETCD",
	"IPV",
	"HTTP_PORT",
	"SHIP_IT",
	"Etcd_IP",
	"ETCD-IP",
	"a>b<c",
	"<",
	"{{",
	"${",
	"$1",
	"change",
	"metrics",
};

START_TEST(test_placeholder_true)
{
	ck_assert_msg(text_is_placeholder(placeholders[_i]), "'%s'", placeholders[_i]);
}
END_TEST

START_TEST(test_placeholder_false)
{
	ck_assert_msg(!text_is_placeholder(real_values[_i]), "'%s'", real_values[_i]);
}
END_TEST

START_TEST(test_placeholder_null)
{
	ck_assert(!text_is_placeholder(NULL));
}
END_TEST

/* ---- edit distance ---- */

START_TEST(test_edit_distance)
{
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 10), 3);
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 3), 3);
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 2), 3);
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 1), 2);
	ck_assert_uint_eq(edit_distance("kitten", "sitting", 0), 1);
	ck_assert_uint_eq(edit_distance("", "", 0), 0);
	ck_assert_uint_eq(edit_distance("abc", "abc", 0), 0);
	ck_assert_uint_eq(edit_distance("abc", "", 5), 3);
	ck_assert_uint_eq(edit_distance("", "abc", 5), 3);
	ck_assert_uint_eq(edit_distance("", "abc", 1), 2);
	ck_assert_uint_eq(edit_distance("flaw", "lawn", 5), 2);
	ck_assert_uint_eq(edit_distance("lawn", "flaw", 5), 2);
	ck_assert_uint_eq(edit_distance("metrics", "metric", 1), 1);
	ck_assert_uint_eq(edit_distance("http-metrics", "https-metrics", 2), 1);
	ck_assert_uint_eq(edit_distance("metrics", "metircs", 5), 2);
	ck_assert_uint_eq(edit_distance("ab", "ba", 5), 2);
	ck_assert_uint_eq(edit_distance("abc", "xyz", 5), 3);
	ck_assert_uint_eq(edit_distance("abc", "xyz", 1), 2);
	ck_assert_uint_eq(edit_distance("A", "a", 3), 1);
	ck_assert_uint_eq(edit_distance("sunday", "saturday", 10), 3);
	ck_assert_uint_eq(edit_distance("intention", "execution", 10), 5);
	ck_assert_uint_eq(edit_distance("aaa", "aaaa", 0), 1);
	ck_assert_uint_eq(edit_distance("a", "b", SIZE_MAX), 1);
	ck_assert_uint_eq(edit_distance(NULL, "ab", 5), 2);
	ck_assert_uint_eq(edit_distance("ab", NULL, 5), 2);
	ck_assert_uint_eq(edit_distance(NULL, NULL, 0), 0);
}
END_TEST

START_TEST(test_edit_distance_long)
{
	char a[3001], b[3001];

	/* Shared prefixes and suffixes cost nothing, whatever their length. */
	repeat(a, 'a', 3000);
	repeat(b, 'a', 3000);
	ck_assert_uint_eq(edit_distance(a, b, 0), 0);
	b[1500] = 'b';
	ck_assert_uint_eq(edit_distance(a, b, 3), 1);
	ck_assert_uint_eq(edit_distance(a, b, 0), 1);
	b[2999] = '\0';
	ck_assert_uint_eq(edit_distance(a, b, 3), 2);
	/* Length difference alone exceeds the limit. */
	b[1000] = '\0';
	ck_assert_uint_eq(edit_distance(a, b, 5), 6);
	/* 1024 differing bytes fit a row; past that the strings count as too far apart. */
	repeat(a, 'x', 1024);
	repeat(b, 'y', 1024);
	ck_assert_uint_eq(edit_distance(a, b, 5000), 1024);
	repeat(a, 'x', 1100);
	repeat(b, 'y', 1100);
	ck_assert_uint_eq(edit_distance(a, b, 5000), 5001);
	ck_assert_uint_eq(edit_distance(a, b, SIZE_MAX), SIZE_MAX);
	ck_assert_uint_eq(edit_distance(a, b, 10), 11);
}
END_TEST

Suite *names_suite(void)
{
	Suite *suite = suite_create("names");
	TCase *tc;

	tc = tcase_create("dns1123_label");
	tcase_add_loop_test(tc, test_dns1123_label_table, 0, (int)ARRAY_SIZE(dns1123_label_cases));
	tcase_add_test(tc, test_dns1123_label_length);
	suite_add_tcase(suite, tc);

	tc = tcase_create("dns1123_subdomain");
	tcase_add_loop_test(tc, test_dns1123_subdomain_table, 0, (int)ARRAY_SIZE(dns1123_subdomain_cases));
	tcase_add_test(tc, test_dns1123_subdomain_length);
	suite_add_tcase(suite, tc);

	tc = tcase_create("dns1035_label");
	tcase_add_loop_test(tc, test_dns1035_label_table, 0, (int)ARRAY_SIZE(dns1035_label_cases));
	tcase_add_test(tc, test_dns1035_label_length);
	tcase_add_test(tc, test_service_name_1password);
	suite_add_tcase(suite, tc);

	tc = tcase_create("iana_svc_name");
	tcase_add_loop_test(tc, test_iana_table, 0, (int)ARRAY_SIZE(iana_cases));
	tcase_add_test(tc, test_port_name_rules_differ);
	suite_add_tcase(suite, tc);

	tc = tcase_create("qualified_name");
	tcase_add_loop_test(tc, test_qualified_table, 0, (int)ARRAY_SIZE(qualified_cases));
	tcase_add_test(tc, test_qualified_length);
	suite_add_tcase(suite, tc);

	tc = tcase_create("other_names");
	tcase_add_test(tc, test_label_value);
	tcase_add_test(tc, test_fqdn);
	tcase_add_test(tc, test_port_is_valid);
	tcase_add_test(tc, test_why_buffer);
	suite_add_tcase(suite, tc);

	tc = tcase_create("ip_parse");
	tcase_add_loop_test(tc, test_ip_parse_table, 0, (int)ARRAY_SIZE(ip_cases));
	tcase_add_test(tc, test_ip_parse_null);
	tcase_add_test(tc, test_ip_ambiguous_forms);
	tcase_add_test(tc, test_ip_long_leading_zeros);
	suite_add_tcase(suite, tc);

	tc = tcase_create("ip_non_special");
	tcase_add_loop_test(tc, test_non_special_table, 0, (int)ARRAY_SIZE(special_cases));
	tcase_add_test(tc, test_non_special_invalid);
	suite_add_tcase(suite, tc);

	tc = tcase_create("placeholder");
	tcase_add_loop_test(tc, test_placeholder_true, 0, (int)ARRAY_SIZE(placeholders));
	tcase_add_loop_test(tc, test_placeholder_false, 0, (int)ARRAY_SIZE(real_values));
	tcase_add_test(tc, test_placeholder_null);
	suite_add_tcase(suite, tc);

	tc = tcase_create("edit_distance");
	tcase_add_test(tc, test_edit_distance);
	tcase_add_test(tc, test_edit_distance_long);
	suite_add_tcase(suite, tc);

	return suite;
}
