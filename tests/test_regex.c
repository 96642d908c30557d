/* test_regex.c: compiling once, errors as values, union of patterns, limits that stop backtracking. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regex.h"
#include "suites.h"

static struct regex *must_compile(const char *pattern)
{
	char *error = NULL;
	struct regex *r = regex_compile(pattern, &error);

	ck_assert_msg(r != NULL, "'%s' did not compile: %s", pattern, error ? error : "");
	ck_assert_ptr_null(error);
	return r;
}

START_TEST(test_match_and_source)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *r = must_compile("^[a-z0-9-]+-prom$");

	ck_assert_str_eq(regex_source(r), "^[a-z0-9-]+-prom$");
	ck_assert_int_eq(regex_match(r, "etcd-prom", 9, s), 1);
	ck_assert_int_eq(regex_match(r, "etcd", 4, s), 0);
	/* The length counts, not the NUL: a value with a NUL inside is matched whole. */
	ck_assert_int_eq(regex_match(r, "etcd-prom\0x", 11, s), 0);
	regex_free(r);
	regex_scratch_free(s);
}
END_TEST

START_TEST(test_compile_error_is_a_value)
{
	char *error = NULL;

	ck_assert_ptr_null(regex_compile("^(abc", &error));
	ck_assert_str_eq(error, "missing closing parenthesis at offset 5");
	free(error);
}
END_TEST

START_TEST(test_invalid_utf8_subject)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *r = must_compile("CHANGE_?ME");

	ck_assert_int_eq(regex_match(r, "\xff\xfe CHANGEME \xc3", 13, s), 1);
	ck_assert_int_eq(regex_match(r, "\xff\xfe", 2, s), 0);
	regex_free(r);
	regex_scratch_free(s);
}
END_TEST

START_TEST(test_catastrophic_pattern_stops)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *r = must_compile("^(a+)+$");
	char text[64];
	clock_t start = clock();

	memset(text, 'a', 40);
	text[40] = '!';
	/* 2^40 paths without a limit; with one it gives up (-1) within a fraction of a second. */
	ck_assert_int_eq(regex_match(r, text, 41, s), -1);
	ck_assert_msg((double)(clock() - start) / CLOCKS_PER_SEC < 2.0, "the match limit did not stop it");
	regex_free(r);
	regex_scratch_free(s);
}
END_TEST

/* A scratch remembers the verdicts of short subjects: asked again, in another order, by two patterns
 * over the same texts, at the length it remembers and one past it, with NULs inside, it answers as
 * a scratch that never saw them; a match stopped by a limit answers -1 however often it is asked. */
START_TEST(test_remembered_verdicts)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *r[2] = { must_compile("(?i)change[_-]?me"), must_compile("^<[^<>]+>$") };
	struct regex *slow = must_compile("^(a+)+$");
	char text[64];
	int round, i, k, n;

	for (round = 0; round < 3; round++)
		for (i = 0; i < 1000; i++) {
			int v = round == 1 ? 999 - i : i;

			/* Same first byte and length, other verdicts: a slot shared by two of them must tell
			 * them apart by the whole text. */
			n = snprintf(text, sizeof(text), v % 4 == 0 ? "<host-%04d>" : v % 4 == 1 ? "<host-%04d<" :
				     v % 4 == 2 ? "x-changeme-%04d" : "x-changemf-%04d", v);
			if (v % 5 == 0) {	/* 30 and 31 bytes, the memo's limit and one past it */
				memset(text + n, v % 2 ? 'e' : '>', sizeof(text) - (size_t)n);
				n = 30 + v % 2;
			}
			if (v % 7 == 0)
				text[1] = '\0';
			for (k = 0; k < 2; k++) {
				struct regex_scratch *fresh = regex_scratch_new();

				ck_assert_int_eq(regex_match(r[k], text, (size_t)n, s),
						 regex_match(r[k], text, (size_t)n, fresh));
				regex_scratch_free(fresh);
			}
		}
	memset(text, 'a', 29);
	text[29] = '!';
	ck_assert_int_eq(regex_match(slow, text, 30, s), -1);
	ck_assert_int_eq(regex_match(slow, text, 30, s), -1);
	regex_free(r[0]);
	regex_free(r[1]);
	regex_free(slow);
	regex_scratch_free(s);
}
END_TEST

/* Subjects without a byte that can start a match are answered before PCRE2 runs: the answers are
 * PCRE2's own, for plain, caseless and multi-byte first characters. */
START_TEST(test_first_bytes)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *var = must_compile("\\$\\{[A-Za-z_]+\\}|\\{\\{.*\\}\\}");
	struct regex *kelvin = must_compile("(?i)kelvin");
	struct regex *accent = must_compile("(?:é|ü)t");

	ck_assert_int_eq(regex_match(var, "plain-value", 11, s), 0);
	ck_assert_int_eq(regex_match(var, "http://${HOST}:80", 17, s), 1);
	ck_assert_int_eq(regex_match(var, "a {{ x }}", 9, s), 1);
	ck_assert_int_eq(regex_match(kelvin, "KELVIN", 6, s), 1);
	/* U+212A KELVIN SIGN folds to k: its first byte is 0xE2. */
	ck_assert_int_eq(regex_match(kelvin, "\xE2\x84\xAA" "elvin", 8, s), 1);
	ck_assert_int_eq(regex_match(kelvin, "celsius", 7, s), 0);
	ck_assert_int_eq(regex_match(accent, "\xC3\xA9t\xC3\xA9", 6, s), 1);
	ck_assert_int_eq(regex_match(accent, "ete", 3, s), 0);
	regex_free(var);
	regex_free(kelvin);
	regex_free(accent);
	regex_scratch_free(s);
}
END_TEST

/* Anchored patterns are tried only when the first byte can start them; a multiline ^ is not anchored. */
START_TEST(test_anchored_first_byte)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *todo = must_compile("^(?:TODO|TBD)$|(?i)^your[_-]");
	struct regex *lines = must_compile("(?m)^TODO$");

	ck_assert(regex_anchored(todo));
	ck_assert(!regex_anchored(lines));
	ck_assert_int_eq(regex_match(todo, "TODO", 4, s), 1);
	ck_assert_int_eq(regex_match(todo, "Your-host", 9, s), 1);
	ck_assert_int_eq(regex_match(todo, "a TODO", 6, s), 0);
	ck_assert_int_eq(regex_match(todo, "", 0, s), 0);
	ck_assert_int_eq(regex_match(lines, "first\nTODO", 10, s), 1);
	regex_free(todo);
	regex_free(lines);
	regex_scratch_free(s);
}
END_TEST

START_TEST(test_union)
{
	struct regex_scratch *s = regex_scratch_new();
	struct regex *parts[3], *joined;

	parts[0] = must_compile("(?i)^your_");
	parts[1] = must_compile("\\$\\{[A-Z_]+\\}");
	parts[2] = must_compile("^x$");
	joined = regex_union(parts, 3);
	ck_assert_ptr_nonnull(joined);
	ck_assert_str_eq(regex_source(joined), "(?:(?i)^your_)|(?:\\$\\{[A-Z_]+\\})|(?:^x$)");
	ck_assert_int_eq(regex_match(joined, "Your_host", 9, s), 1);
	ck_assert_int_eq(regex_match(joined, "a${HOST}", 8, s), 1);
	ck_assert_int_eq(regex_match(joined, "x", 1, s), 1);
	/* (?i) stays inside its own alternative. */
	ck_assert_int_eq(regex_match(joined, "X", 1, s), 0);
	regex_free(joined);
	regex_free(parts[2]);
	/* Capture groups and back references keep their numbers only alone: no union. */
	parts[2] = must_compile("^(a)\\1$");
	ck_assert_ptr_null(regex_union(parts, 3));
	regex_free(parts[2]);
	/* \Q swallows the closing parenthesis: the union does not compile, so there is none. */
	parts[2] = must_compile("\\Qa.b");
	ck_assert_ptr_null(regex_union(parts, 3));
	regex_free(parts[0]);
	regex_free(parts[1]);
	regex_free(parts[2]);
	ck_assert_ptr_null(regex_union(parts, 0));
	regex_scratch_free(s);
}
END_TEST

Suite *regex_suite(void)
{
	Suite *s = suite_create("regex");
	TCase *t = tcase_create("core");

	tcase_add_test(t, test_match_and_source);
	tcase_add_test(t, test_compile_error_is_a_value);
	tcase_add_test(t, test_invalid_utf8_subject);
	tcase_add_test(t, test_catastrophic_pattern_stops);
	tcase_add_test(t, test_union);
	tcase_add_test(t, test_first_bytes);
	tcase_add_test(t, test_anchored_first_byte);
	tcase_add_test(t, test_remembered_verdicts);
	suite_add_tcase(s, t);
	return s;
}
