/* test_report.c: the GitHub, JUnit, SARIF and coloured text reporters on a result built by hand. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "report.h"
#include "suites.h"

static struct diag *add(struct diag_list *list, enum severity severity, const char *rule, const char *file,
			unsigned int line, unsigned int column, const char *message, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, message);
	d = diag_new(list, rule, severity, file, line, column, message, ap);
	va_end(ap);
	return d;
}

static void note(struct diag *d, const char *file, unsigned int line, unsigned int column, const char *message, ...)
{
	va_list ap;

	va_start(ap, message);
	diag_add_related(d, file, line, column, message, ap);
	va_end(ap);
}

/* Two findings: an error with a note and a helm template, and a warning with hostile text. */
static void sample(struct lint_result *r)
{
	struct diag *d;

	memset(r, 0, sizeof(*r));
	d = add(&r->diags, SEVERITY_ERROR, "endpoints-no-service", "a, b.yaml", 16, 9, "no Service 'etcd': 100%% "
		"sure\nsecond line");
	diag_set_object(d, "v1", "Endpoints", "kube-system", "etcd");
	d->template_source = xstrdup("chart/templates/eps.yaml");
	d->fingerprint = 0xabcdef;
	note(d, "svc.yaml", 6, 9, "Service kube-system/etcd-events");
	d = add(&r->diags, SEVERITY_WARNING, "namespace-ambiguous-pair", "a, b.yaml", 20, 3, "<&> \"q\" \033[31mred");
	d->fingerprint = 0x1234;
	add(&r->diags, SEVERITY_INFO, "endpoints-deprecated", "a, b.yaml", 21, 1, "hidden")->suppressed = true;
	r->counts[SEVERITY_ERROR] = 1;
	r->counts[SEVERITY_WARNING] = 1;
}

static char *render(int (*write)(FILE *, const struct lint_result *, const struct report_options *),
		    const struct lint_result *r, bool color)
{
	struct report_options options = { color, "9.9.9" };
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	ck_assert_int_eq(write(out, r, &options), 0);
	fclose(out);
	return text;
}

START_TEST(test_github)
{
	struct lint_result r;
	char *text;

	sample(&r);
	text = render(report_github, &r, false);
	ck_assert_str_eq(text,
		"::error file=a%2C b.yaml,line=16,col=9,title=endpoints-no-service::no Service 'etcd': 100%25 sure%0A"
		"second line (from template chart/templates/eps.yaml)%0Asvc.yaml:6:9: note: Service "
		"kube-system/etcd-events\n"
		"::warning file=a%2C b.yaml,line=20,col=3,title=namespace-ambiguous-pair::<&> \"q\" \\x1B[31mred\n");
	free(text);
	diag_list_release(&r.diags);
}
END_TEST

START_TEST(test_junit)
{
	struct lint_result r;
	char *text;

	sample(&r);
	text = render(report_junit, &r, false);
	ck_assert_str_eq(text,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"svclint\" tests=\"2\" failures=\"1\" errors=\"0\">\n"
		"  <testsuite name=\"a, b.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase name=\"endpoints-no-service 16:9 Endpoints kube-system/etcd\" classname=\"a, b.yaml\" "
		"file=\"a, b.yaml\" line=\"16\">\n"
		"      <failure type=\"endpoints-no-service\" message=\"no Service &apos;etcd&apos;: 100% sure&#10;second "
		"line\">a, b.yaml:16:9: error: no Service &apos;etcd&apos;: 100% sure&#10;second line (from template "
		"chart/templates/eps.yaml) [endpoints-no-service]\n"
		"    svc.yaml:6:9: note: Service kube-system/etcd-events</failure>\n"
		"    </testcase>\n"
		"    <testcase name=\"namespace-ambiguous-pair 20:3\" classname=\"a, b.yaml\" file=\"a, b.yaml\" "
		"line=\"20\">\n"
		"      <system-out>a, b.yaml:20:3: warning: &lt;&amp;&gt; &quot;q&quot; \\x1B[31mred "
		"[namespace-ambiguous-pair]</system-out>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(text);
	diag_list_release(&r.diags);
}
END_TEST

/* Files with findings, without, and with suppressed ones only, from inputs and findings alike: each
 * a suite, totals over all of them. */
START_TEST(test_junit_files)
{
	struct lint_result r;
	struct input_list inputs = { 0 };
	struct arena *paths = input_list_paths(&inputs);
	static const char *const names[] = { "a.yaml", "b.yaml", "c.yaml", "d.yaml" };
	char *text;
	size_t i;

	memset(&r, 0, sizeof(r));
	inputs.items = calloc(4, sizeof(*inputs.items));
	ck_assert_ptr_nonnull(inputs.items);
	inputs.count = inputs.capacity = 4;
	for (i = 0; i < 4; i++)
		input_make(&inputs.items[i], paths, names[i], names[i], NULL);
	inputs.items[3].in_context = true;	/* context: not a suite of its own */
	r.inputs = &inputs;
	add(&r.diags, SEVERITY_ERROR, "r", "a.yaml", 1, 1, "one");
	add(&r.diags, SEVERITY_WARNING, "r", "a.yaml", 2, 1, "two");
	add(&r.diags, SEVERITY_INFO, "r", "b.yaml", 1, 1, "hidden")->suppressed = true;
	add(&r.diags, SEVERITY_ERROR, "r", "e.yaml", 3, 1, "three");	/* a file no input names */
	text = render(report_junit, &r, false);
	ck_assert_str_eq(text,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"svclint\" tests=\"5\" failures=\"2\" errors=\"0\">\n"
		"  <testsuite name=\"a.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase name=\"r 1:1\" classname=\"a.yaml\" file=\"a.yaml\" line=\"1\">\n"
		"      <failure type=\"r\" message=\"one\">a.yaml:1:1: error: one [r]</failure>\n"
		"    </testcase>\n"
		"    <testcase name=\"r 2:1\" classname=\"a.yaml\" file=\"a.yaml\" line=\"2\">\n"
		"      <system-out>a.yaml:2:1: warning: two [r]</system-out>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"b.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase name=\"svclint\" classname=\"b.yaml\"/>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"c.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase name=\"svclint\" classname=\"c.yaml\"/>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"e.yaml\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase name=\"r 3:1\" classname=\"e.yaml\" file=\"e.yaml\" line=\"3\">\n"
		"      <failure type=\"r\" message=\"three\">e.yaml:3:1: error: three [r]</failure>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(text);
	diag_list_release(&r.diags);
	input_list_release(&inputs);
}
END_TEST

START_TEST(test_sarif_result)
{
	struct lint_result r;
	char *text;

	sample(&r);
	text = render(report_sarif, &r, false);
	ck_assert_ptr_nonnull(strstr(text, "\"version\":\"2.1.0\""));
	ck_assert_ptr_nonnull(strstr(text, "\"columnKind\":\"unicodeCodePoints\""));
	ck_assert_ptr_nonnull(strstr(text,
		"{\"ruleId\":\"endpoints-no-service\",\"ruleIndex\":"));
	ck_assert_ptr_nonnull(strstr(text,
		"\"level\":\"error\",\"message\":{\"text\":\"no Service 'etcd': 100% sure\\nsecond line (from template "
		"chart/templates/eps.yaml)\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
		"\"a,%20b.yaml\",\"uriBaseId\":\"%SRCROOT%\"},\"region\":{\"startLine\":16,\"startColumn\":9}},"
		"\"logicalLocations\":[{\"name\":\"etcd\",\"fullyQualifiedName\":\"Endpoints/kube-system/etcd\","
		"\"kind\":\"resource\"}]}],\"relatedLocations\":[{\"id\":1,\"physicalLocation\":{\"artifactLocation\":"
		"{\"uri\":\"svc.yaml\",\"uriBaseId\":\"%SRCROOT%\"},\"region\":{\"startLine\":6,\"startColumn\":9}},"
		"\"message\":{\"text\":\"Service kube-system/etcd-events\"}}],\"partialFingerprints\":{\"svclint/v1\":"
		"\"0000000000abcdef\"},\"properties\":{\"template\":\"chart/templates/eps.yaml\"}}"));
	ck_assert_ptr_nonnull(strstr(text, "\"text\":\"<&> \\\"q\\\" \\u001b[31mred\""));
	ck_assert_ptr_null(strstr(text, "hidden"));
	free(text);
	diag_list_release(&r.diags);
}
END_TEST

START_TEST(test_text_snippet_in_color)
{
	struct lint_result r;
	struct input_list inputs = { 0 };
	char *text, *error = NULL;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(source_walk(&inputs, "-", false, "in.yaml", &error), 0);
	r.inputs = &inputs;
	r.stdin_text = xstrdup("kind: Service\nmetadata:\n\tname: \xC3\xA9tcd\r\n");
	r.stdin_length = strlen(r.stdin_text);
	add(&r.diags, SEVERITY_ERROR, "yaml-syntax", "in.yaml", 3, 8, "bad");
	text = render(report_text, &r, true);
	ck_assert_str_eq(text, "\033[1min.yaml:3:8: \033[1;31merror:\033[0m bad [yaml-syntax]\n"
			 "    3 |  name: \xC3\xA9tcd\n"
			 "      |        \033[1;32m^\033[0m\n");
	free(text);
	free(r.stdin_text);
	diag_list_release(&r.diags);
	input_list_release(&inputs);
}
END_TEST

/* Appends to buf: the snippet of a finding (or a note, with indent "    ") at line, given the text shown
 * after "LINE | " and the spaces before the caret. */
static void expect_snippet(char *buf, const char *indent, unsigned int line, const char *shown, size_t spaces)
{
	sprintf(buf + strlen(buf), "%s%5u | %s\n%s      | %*s\033[1;32m^\033[0m\n", indent, line, shown, indent,
		(int)spaces, "");
}

/*
 * A line longer than 200 bytes shows 40 code points before the column and 120 in all, with "..."
 * where it is cut: at both ends, at the end only, at the start only (a column past the line's end
 * too), in a text of ASCII alone (columns are byte offsets) and in one with two-byte characters; of a
 * line of two-byte characters, three columns (a note's to the left of its finding's: the snippets of
 * a line are made left to right, each column counted on from the last); and a line far into the text
 * (found from the nearest of the marks kept every 64 lines).
 */
START_TEST(test_text_snippet_long_lines)
{
	static const unsigned int columns[] = { 250, 100, 20, 400 };
	char *text, *error = NULL, digits[301], accents[301], *want = xmalloc(16384), shown[512];
	struct input_list inputs = { 0 };
	struct lint_result r;
	unsigned int pass;
	size_t i, len;
	struct diag *d;

	for (i = 0; i < 300; i++)
		digits[i] = (char)('0' + i % 10);
	digits[300] = '\0';
	for (i = 0; i < 150; i++)
		memcpy(accents + 2 * i, "\xC3\xA9", 2);
	accents[300] = '\0';
	ck_assert_int_eq(source_walk(&inputs, "-", false, "in.yaml", &error), 0);
	for (pass = 0; pass < 2; pass++) {
		memset(&r, 0, sizeof(r));
		r.inputs = &inputs;
		r.stdin_text = xmalloc(8192);
		/* Line 2: ASCII in the first pass, two-byte characters in the second. */
		len = (size_t)sprintf(r.stdin_text, "%s\n%s\n", digits, pass ? accents : "x: 1");
		for (i = 3; i <= 200; i++)
			len += (size_t)sprintf(r.stdin_text + len, "l%zu: v\n", i);
		r.stdin_length = len;
		want[0] = '\0';
		for (i = 0; i < 4; i++) {
			add(&r.diags, SEVERITY_ERROR, "r", "in.yaml", 1, columns[i], "c%u", columns[i]);
			sprintf(want + strlen(want), "\033[1min.yaml:1:%u: \033[1;31merror:\033[0m c%u [r]\n", columns[i],
				columns[i]);
			if (columns[i] == 250)
				snprintf(shown, sizeof(shown), "...%s", digits + 209);
			else if (columns[i] == 100)
				snprintf(shown, sizeof(shown), "...%.120s...", digits + 59);
			else if (columns[i] == 20)
				snprintf(shown, sizeof(shown), "%.120s...", digits);
			else
				snprintf(shown, sizeof(shown), "...%s", digits + 260);
			expect_snippet(want, "", 1, shown, columns[i] == 20 ? 19 : 43);
		}
		if (pass) {
			add(&r.diags, SEVERITY_ERROR, "r", "in.yaml", 2, 100, "e100");
			sprintf(want + strlen(want), "\033[1min.yaml:2:100: \033[1;31merror:\033[0m e100 [r]\n");
			snprintf(shown, sizeof(shown), "...%s", accents + 2 * 59);
			expect_snippet(want, "", 2, shown, 43);
			d = add(&r.diags, SEVERITY_ERROR, "r", "in.yaml", 2, 120, "e120");
			note(d, "in.yaml", 2, 5, "back");
			sprintf(want + strlen(want), "\033[1min.yaml:2:120: \033[1;31merror:\033[0m e120 [r]\n");
			snprintf(shown, sizeof(shown), "...%s", accents + 2 * 79);
			expect_snippet(want, "", 2, shown, 43);
			sprintf(want + strlen(want), "    in.yaml:2:5: note: back\n");
			snprintf(shown, sizeof(shown), "%.240s...", accents);
			expect_snippet(want, "    ", 2, shown, 4);
		}
		add(&r.diags, SEVERITY_ERROR, "r", "in.yaml", 190, 2, "far");
		sprintf(want + strlen(want), "\033[1min.yaml:190:2: \033[1;31merror:\033[0m far [r]\n");
		expect_snippet(want, "", 190, "l190: v", 1);
		text = render(report_text, &r, true);
		ck_assert_str_eq(text, want);
		free(text);
		free(r.stdin_text);
		diag_list_release(&r.diags);
	}
	free(want);
	input_list_release(&inputs);
}
END_TEST

static void write_text(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* Snippets come from the first input in input order reported under the finding's path that can be
 * read: not one with a problem found while walking, not a later one under the same path, not one
 * whose path was dropped; and files take turns between a finding and its note. */
START_TEST(test_text_snippet_looks_up_inputs)
{
	char first[] = "/tmp/svclint-report-XXXXXX", second[] = "/tmp/svclint-report-XXXXXX";
	struct lint_result r;
	struct input_list inputs = { 0 };
	struct arena *paths = input_list_paths(&inputs);
	struct diag *d;
	char *text, name[32];
	size_t i;

	write_text(first, "x: 1\nkind: A\n");
	write_text(second, "kind: B\n");
	memset(&r, 0, sizeof(r));
	inputs.items = calloc(104, sizeof(*inputs.items));
	ck_assert_ptr_nonnull(inputs.items);
	inputs.count = inputs.capacity = 104;
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "z%03zu.yaml", i);
		input_make(&inputs.items[i], paths, name, first, NULL);
		if (i % 2)
			inputs.items[i].path = NULL;	/* dropped: it left nothing */
	}
	input_make(&inputs.items[100], paths, "b.yaml", NULL, "gone while walking");
	input_make(&inputs.items[101], paths, "a.yaml", first, NULL);
	input_make(&inputs.items[102], paths, "b.yaml", second, NULL);
	input_make(&inputs.items[103], paths, "a.yaml", second, NULL);
	r.inputs = &inputs;
	d = add(&r.diags, SEVERITY_ERROR, "r", "a.yaml", 2, 1, "in a");
	note(d, "b.yaml", 1, 1, "see b");
	add(&r.diags, SEVERITY_WARNING, "r", "b.yaml", 1, 7, "in b");
	add(&r.diags, SEVERITY_INFO, "r", "c.yaml", 1, 1, "no such input");
	text = render(report_text, &r, true);
	ck_assert_str_eq(text, "\033[1ma.yaml:2:1: \033[1;31merror:\033[0m in a [r]\n"
			 "    2 | kind: A\n      | \033[1;32m^\033[0m\n"
			 "    b.yaml:1:1: note: see b\n"
			 "        1 | kind: B\n          | \033[1;32m^\033[0m\n"
			 "\033[1mb.yaml:1:7: \033[1;35mwarning:\033[0m in b [r]\n"
			 "    1 | kind: B\n      |       \033[1;32m^\033[0m\n"
			 "\033[1mc.yaml:1:1: \033[1;36minfo:\033[0m no such input [r]\n");
	free(text);
	diag_list_release(&r.diags);
	input_list_release(&inputs);
	ck_assert_int_eq(remove(first), 0);
	ck_assert_int_eq(remove(second), 0);
}
END_TEST

/* Snippets are made file by file, but printed in the findings' order: a finding in a.yaml with notes
 * in b.yaml, c.yaml and a.yaml again (an earlier line), then findings in c.yaml and a.yaml. */
START_TEST(test_text_snippets_in_output_order)
{
	char a[] = "/tmp/svclint-report-XXXXXX", b[] = "/tmp/svclint-report-XXXXXX", c[] = "/tmp/svclint-report-XXXXXX";
	struct lint_result r;
	struct input_list inputs = { 0 };
	struct arena *paths = input_list_paths(&inputs);
	struct diag *d;
	char *text;

	write_text(a, "a1\na2\na3\n");
	write_text(b, "b1\n");
	write_text(c, "c1\nc2\n");
	memset(&r, 0, sizeof(r));
	inputs.items = calloc(3, sizeof(*inputs.items));
	ck_assert_ptr_nonnull(inputs.items);
	inputs.count = inputs.capacity = 3;
	input_make(&inputs.items[0], paths, "a.yaml", a, NULL);
	input_make(&inputs.items[1], paths, "b.yaml", b, NULL);
	input_make(&inputs.items[2], paths, "c.yaml", c, NULL);
	r.inputs = &inputs;
	d = add(&r.diags, SEVERITY_ERROR, "r", "a.yaml", 2, 2, "two");
	note(d, "b.yaml", 1, 1, "in b");
	note(d, "c.yaml", 2, 2, "in c");
	note(d, "a.yaml", 1, 1, "earlier");
	add(&r.diags, SEVERITY_ERROR, "r", "c.yaml", 1, 2, "one")->suppressed = true;
	add(&r.diags, SEVERITY_WARNING, "r", "c.yaml", 1, 1, "c one");
	add(&r.diags, SEVERITY_WARNING, "r", "a.yaml", 3, 1, "three");
	text = render(report_text, &r, true);
	ck_assert_str_eq(text, "\033[1ma.yaml:2:2: \033[1;31merror:\033[0m two [r]\n"
			 "    2 | a2\n      |  \033[1;32m^\033[0m\n"
			 "    b.yaml:1:1: note: in b\n"
			 "        1 | b1\n          | \033[1;32m^\033[0m\n"
			 "    c.yaml:2:2: note: in c\n"
			 "        2 | c2\n          |  \033[1;32m^\033[0m\n"
			 "    a.yaml:1:1: note: earlier\n"
			 "        1 | a1\n          | \033[1;32m^\033[0m\n"
			 "\033[1mc.yaml:1:1: \033[1;35mwarning:\033[0m c one [r]\n"
			 "    1 | c1\n      | \033[1;32m^\033[0m\n"
			 "\033[1ma.yaml:3:1: \033[1;35mwarning:\033[0m three [r]\n"
			 "    3 | a3\n      | \033[1;32m^\033[0m\n");
	free(text);
	diag_list_release(&r.diags);
	input_list_release(&inputs);
	ck_assert_int_eq(remove(a), 0);
	ck_assert_int_eq(remove(b), 0);
	ck_assert_int_eq(remove(c), 0);
}
END_TEST

START_TEST(test_xml_string)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	write_xml_string(out, "a<b>&'\"\t\x01\xff\xc3\xa9\xc2\x85");
	fclose(out);
	ck_assert_str_eq(text, "a&lt;b&gt;&amp;&apos;&quot;\\x09\\x01\\xFF\xc3\xa9\\xC2\\x85");
	free(text);
}
END_TEST

/* Messages kept as format and arguments (the engine's findings) come out as vsnprintf() makes them
 * at report time, notes too; formats deferring does not take, and NULL strings, are text at once. */
static void check_deferred(struct diag_list *list, bool deferred, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void check_deferred(struct diag_list *list, bool deferred, const char *expected, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;
	struct diag_list one = { 0 };

	va_start(ap, fmt);
	d = diag_new(list, "endpoints-deprecated", SEVERITY_INFO, "f.yaml", 1, 1, fmt, ap);
	va_end(ap);
	ck_assert_int_eq(d->deferred != NULL, deferred);
	ck_assert(deferred ? d->message == NULL : d->message != NULL);
	va_start(ap, fmt);
	diag_add_related(d, "g.yaml", 2, 3, fmt, ap);
	va_end(ap);
	ck_assert_int_eq(d->related[0].deferred != NULL, deferred);
	GROW(one.items, one.capacity, 1);
	one.items[one.count++] = d;
	diag_list_format(&one);
	ck_assert_ptr_null(d->deferred);
	ck_assert_str_eq(d->message, expected);
	ck_assert_str_eq(d->related[0].message, expected);
	/* A note added once the list is formatted is text at once. */
	va_start(ap, fmt);
	diag_add_related(d, "g.yaml", 4, 5, fmt, ap);
	va_end(ap);
	ck_assert_str_eq(d->related[1].message, expected);
	free(one.items);
}

START_TEST(test_deferred_messages)
{
	struct arena arena;
	struct diag_list list = { 0 };
	char expected[2048], long_text[300];
	const char *volatile null_text = NULL;	/* opaque: the compiler must not see the NULL */

	arena_init(&arena);
	list.arena = &arena;
	list.defer = true;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	long_text[3] = '\xc3';
	long_text[4] = '\xa9';
	check_deferred(&list, true, "no conversion, 100% sure", "no conversion, 100%% sure");
	check_deferred(&list, true, "Service 'etcd' in 'kube-system': ok", "Service '%s' in '%s': ok", "etcd",
		       "kube-system");
	snprintf(expected, sizeof(expected), "%.4s|%.80s|%.0s|%.60s", long_text, long_text, "gone", "short");
	check_deferred(&list, true, expected, "%.4s|%.80s|%.0s|%.60s", long_text, long_text, "gone", "short");
	snprintf(expected, sizeof(expected), "%d %u %ld %lu %lld %llu %zu", -2147483647 - 1, 4294967295u,
		 -9223372036854775807L - 1, 18446744073709551615ul, -9223372036854775807LL - 1,
		 18446744073709551615ull, (size_t)-1);
	check_deferred(&list, true, expected, "%d %u %ld %lu %lld %llu %zu", -2147483647 - 1, 4294967295u,
		       -9223372036854775807L - 1, 18446744073709551615ul, -9223372036854775807LL - 1,
		       18446744073709551615ull, (size_t)-1);
	check_deferred(&list, true, "%x%", "%%%s%%", "x");
	check_deferred(&list, true, "", "%s", "");
	/* At once: width, flags, other conversions, a precision from an argument, a NULL string. */
	check_deferred(&list, false, "   42", "%5u", 42u);
	check_deferred(&list, false, "c=z", "c=%c", 'z');
	check_deferred(&list, false, "ff", "%x", 255u);
	check_deferred(&list, false, "ab", "%.*s", 2, "abc");
	check_deferred(&list, false, "a  |", "%-3s|", "a");
	snprintf(expected, sizeof(expected), "[%s]", null_text);
	check_deferred(&list, false, expected, "[%s]", null_text);
	/* Without defer, or without an arena, messages are text at once. */
	list.defer = false;
	check_deferred(&list, false, "etcd", "%s", "etcd");
	free(list.items);
	arena_release(&arena);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *t = tcase_create("formats");

	tcase_add_test(t, test_github);
	tcase_add_test(t, test_junit);
	tcase_add_test(t, test_junit_files);
	tcase_add_test(t, test_sarif_result);
	tcase_add_test(t, test_text_snippet_in_color);
	tcase_add_test(t, test_text_snippet_looks_up_inputs);
	tcase_add_test(t, test_text_snippet_long_lines);
	tcase_add_test(t, test_text_snippets_in_output_order);
	tcase_add_test(t, test_xml_string);
	tcase_add_test(t, test_deferred_messages);
	suite_add_tcase(s, t);
	return s;
}
