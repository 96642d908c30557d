/* test_backend.c: unit tests for backend.c: address verdicts, Go's IP text, name suggestions, ambiguity. */
#include <check.h>
#include <string.h>

#include "backend.h"

Suite *backend_suite(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct verdict_case {
	const char *text;
	enum address_problem problem;
	const char *what;	/* a piece of what, or NULL */
	const char *fix;	/* a piece of fix, or NULL */
};

static const struct verdict_case verdict_cases[] = {
	{ "10.0.0.1", ADDRESS_FINE, NULL, NULL },
	{ "2001:db8::1", ADDRESS_FINE, NULL, NULL },
	{ "010.001.002.003", ADDRESS_FINE, NULL, NULL },	/* ambiguous, but accepted */
	{ "::ffff:10.1.2.3", ADDRESS_FINE, NULL, NULL },
	{ "239.255.255.250", ADDRESS_FINE, NULL, NULL },
	{ "ff05::2", ADDRESS_FINE, NULL, NULL },
	{ "255.255.255.255", ADDRESS_FINE, NULL, NULL },
	{ "", ADDRESS_EMPTY, NULL, NULL },
	{ "127.0.0.1", ADDRESS_SPECIAL, "loopback", "listen on it" },
	{ "::1", ADDRESS_SPECIAL, "loopback", NULL },
	{ "::ffff:127.0.0.1", ADDRESS_SPECIAL, "loopback", NULL },
	{ "169.254.169.254", ADDRESS_SPECIAL, "link-local address", NULL },
	{ "fe80::1", ADDRESS_SPECIAL, "link-local address", NULL },
	{ "224.0.0.251", ADDRESS_SPECIAL, "link-local multicast", NULL },
	{ "ff02::fb", ADDRESS_SPECIAL, "link-local multicast", NULL },
	{ "ff12::1", ADDRESS_SPECIAL, "link-local multicast", NULL },
	{ "0.0.0.0", ADDRESS_SPECIAL, "unspecified", NULL },
	{ "::", ADDRESS_SPECIAL, "unspecified", NULL },
	{ "YOUR_ETCD_IP01", ADDRESS_PLACEHOLDER, "placeholder", NULL },
	{ "<etcd-ip>", ADDRESS_PLACEHOLDER, "placeholder", NULL },
	{ "x.x.x.x", ADDRESS_PLACEHOLDER, "placeholder", NULL },
	{ "[2001:db8::1]", ADDRESS_NOT_IP, "brackets", "write 2001:db8::1" },
	{ "[2001:db8::1]:443", ADDRESS_NOT_IP, "port", "(443)" },
	{ "[fe80::1]", ADDRESS_NOT_IP, "brackets", "fe80::1 alone is rejected too, as a link-local address" },
	{ "2001:db8::1/128", ADDRESS_NOT_IP, "a CIDR, not", "write 2001:db8::1" },
	{ "10.0.0.0/24", ADDRESS_NOT_IP, "a network", "each backend" },
	{ "fe80::1%eth0", ADDRESS_NOT_IP, "zone (%eth0)", "rejected too" },
	{ "10.0.0.1:2379", ADDRESS_NOT_IP, "with a port", "write 10.0.0.1 and put the port (2379) under ports" },
	{ "https://10.0.0.1:2379/metrics", ADDRESS_NOT_IP, "a URL", "write 10.0.0.1 alone" },
	{ "http://db.example.com", ADDRESS_NOT_IP, "a URL", "URL's host" },
	{ " 10.0.0.1", ADDRESS_NOT_IP, "spaces", "write 10.0.0.1" },
	{ "10.0.0.1,10.0.0.2", ADDRESS_NOT_IP, "several addresses", NULL },
	{ "10.0.0.1 10.0.0.2", ADDRESS_NOT_IP, "several addresses", NULL },
	{ "db.example.com", ADDRESS_NOT_IP, "host name", "ExternalName" },
	{ "localhost", ADDRESS_NOT_IP, "host name", NULL },
	{ "10.0.0.256", ADDRESS_NOT_IP, "not a valid IPv4 address", NULL },
	{ "10.0.0", ADDRESS_NOT_IP, "not a valid IPv4 address", NULL },
	{ "10.0.0.1/", ADDRESS_NOT_IP, "a network", NULL },
	{ "::g", ADDRESS_NOT_IP, "not an IP address", NULL },
};

START_TEST(test_verdicts)
{
	const struct verdict_case *c = &verdict_cases[_i];
	struct address_check check;

	backend_check_address(c->text, &check);
	ck_assert_msg(check.problem == c->problem, "'%s': problem %d, expected %d", c->text, check.problem,
		      c->problem);
	if (c->what)
		ck_assert_msg(strstr(check.what, c->what), "'%s': what '%s' lacks '%s'", c->text, check.what, c->what);
	if (c->fix)
		ck_assert_msg(strstr(check.fix, c->fix), "'%s': fix '%s' lacks '%s'", c->text, check.fix, c->fix);
	if (c->problem == ADDRESS_NOT_IP || c->problem == ADDRESS_SPECIAL || c->problem == ADDRESS_PLACEHOLDER)
		ck_assert(check.what[0] && check.fix[0]);
}
END_TEST

START_TEST(test_null_is_empty)
{
	struct address_check check;

	backend_check_address(NULL, &check);
	ck_assert_int_eq(check.problem, ADDRESS_EMPTY);
}
END_TEST

static const char *const ip_strings[][2] = {
	{ "10.1.2.3", "10.1.2.3" },
	{ "010.001.002.003", "10.1.2.3" },
	{ "::ffff:10.1.2.3", "10.1.2.3" },
	{ "2001:DB8:0:0::1", "2001:db8::1" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ "2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b", "2001:db8:3c4d:15::1a2f:1a2b" },
	{ "::", "::" },
	{ "::1", "::1" },
	{ "1::", "1::" },
	{ "1:0:0:0:0:0:0:0", "1::" },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	{ "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7" },
	{ "::1.2.3.4", "::102:304" },
};

START_TEST(test_ip_string)
{
	struct ip_address ip;
	char out[46];

	ck_assert_msg(ip_parse(ip_strings[_i][0], &ip), "'%s' does not parse", ip_strings[_i][0]);
	backend_ip_string(&ip, out);
	ck_assert_str_eq(out, ip_strings[_i][1]);
}
END_TEST

static const char *const suggestions[][3] = {
	/* text, without dots, with dots */
	{ "etcd_0", "etcd-0", "etcd-0" },
	{ "Etcd-2", "etcd-2", "etcd-2" },
	{ "Worker_1", "worker-1", "worker-1" },
	{ "ip-10-0-0-21.EC2.internal", "ip-10-0-0-21-ec2-internal", "ip-10-0-0-21.ec2.internal" },
	{ "--a__b--", "a-b", "a-b" },
	{ "a..b.", "a-b", "a.b" },
	{ "Admin_Port", "admin-port", "admin-port" },
};

START_TEST(test_suggest_name)
{
	char out[256];

	ck_assert(backend_suggest_name(suggestions[_i][0], false, out, sizeof(out)));
	ck_assert_str_eq(out, suggestions[_i][1]);
	ck_assert(backend_suggest_name(suggestions[_i][0], true, out, sizeof(out)));
	ck_assert_str_eq(out, suggestions[_i][2]);
}
END_TEST

START_TEST(test_suggest_name_limits)
{
	char long_label[100], out[256];

	memset(long_label, 'a', 80);
	long_label[80] = '\0';
	ck_assert(backend_suggest_name(long_label, false, out, sizeof(out)));
	ck_assert_uint_eq(strlen(out), 63);
	ck_assert(!backend_suggest_name("___", false, out, sizeof(out)));
	ck_assert(!backend_suggest_name("", true, out, sizeof(out)));
	ck_assert(!backend_suggest_name(NULL, true, out, sizeof(out)));
	ck_assert(backend_suggest_name("abcdef", false, out, 4));
	ck_assert_str_eq(out, "abc");
}
END_TEST

struct ambiguity_case {
	const char *text;
	int minor;
	bool skip_warnings;
	bool found;
	enum severity severity;
	const char *piece;
};

static const struct ambiguity_case ambiguity_cases[] = {
	{ "10.1.2.3", 35, false, false, SEVERITY_NONE, NULL },
	{ "2001:db8::1", 37, false, false, SEVERITY_NONE, NULL },
	{ "010.001.002.003", 35, false, true, SEVERITY_WARNING, "write 10.1.2.3" },
	{ "010.001.002.003", 36, false, true, SEVERITY_ERROR, "1.36 and later rejects" },
	{ "010.001.002.003", 35, true, false, SEVERITY_NONE, NULL },
	{ "010.001.002.003", 36, true, true, SEVERITY_ERROR, "leading zeros" },
	{ "::ffff:10.1.2.3", 35, false, true, SEVERITY_WARNING, "IPv4-mapped" },
	{ "::ffff:10.1.2.3", 37, false, true, SEVERITY_ERROR, "write 10.1.2.3" },
	{ "::ffff:010.1.2.3", 37, false, true, SEVERITY_ERROR, "with leading zeros" },
	{ "2001:DB8:0:0::1", 37, false, true, SEVERITY_INFO, "write 2001:db8::1" },
	{ "2001:DB8:0:0::1", 37, true, false, SEVERITY_NONE, NULL },
};

START_TEST(test_ambiguity)
{
	const struct ambiguity_case *c = &ambiguity_cases[_i];
	enum severity severity = SEVERITY_NONE;
	struct ip_address ip;
	char message[512];
	bool found;

	ck_assert(ip_parse(c->text, &ip));
	found = backend_address_ambiguity(c->text, &ip, c->minor, c->skip_warnings, &severity, message,
					  sizeof(message));
	ck_assert_msg(found == c->found, "'%s' at 1.%d: found %d", c->text, c->minor, found);
	if (!found)
		return;
	ck_assert_int_eq(severity, c->severity);
	ck_assert_msg(strstr(message, c->piece), "'%s': message '%s' lacks '%s'", c->text, message, c->piece);
}
END_TEST

Suite *backend_suite(void)
{
	Suite *suite = suite_create("backend");
	TCase *tc = tcase_create("address");

	tcase_add_loop_test(tc, test_verdicts, 0, (int)ARRAY_SIZE(verdict_cases));
	tcase_add_test(tc, test_null_is_empty);
	tcase_add_loop_test(tc, test_ip_string, 0, (int)ARRAY_SIZE(ip_strings));
	tcase_add_loop_test(tc, test_ambiguity, 0, (int)ARRAY_SIZE(ambiguity_cases));
	suite_add_tcase(suite, tc);

	tc = tcase_create("suggest_name");
	tcase_add_loop_test(tc, test_suggest_name, 0, (int)ARRAY_SIZE(suggestions));
	tcase_add_test(tc, test_suggest_name_limits);
	suite_add_tcase(suite, tc);
	return suite;
}
