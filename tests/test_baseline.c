/* test_baseline.c: fingerprints that ignore positions, and baseline files written and read back. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "baseline.h"
#include "suites.h"

static struct diag *add(struct diag_list *list, const char *rule, const char *file, unsigned int line,
			const char *name, const char *message, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, message);
	d = diag_new(list, rule, SEVERITY_ERROR, file, line, 5, message, ap);
	va_end(ap);
	if (name)
		diag_set_object(d, "v1", "Service", "default", name);
	return d;
}

START_TEST(test_fingerprints_ignore_lines)
{
	struct diag_list a = { 0 }, b = { 0 };

	add(&a, "duplicate-key", "x.yaml", 3, "etcd", "key 'ports' appears twice");
	add(&a, "duplicate-key", "x.yaml", 9, "etcd", "key 'ports' appears twice");
	add(&a, "io-error", "x.yaml", 12, NULL, "cannot read");
	diag_list_sort(&a);
	fingerprint_assign(&a);
	/* The same findings after lines were added above them. */
	add(&b, "duplicate-key", "x.yaml", 13, "etcd", "key 'ports' appears twice");
	add(&b, "duplicate-key", "x.yaml", 19, "etcd", "key 'ports' appears twice");
	add(&b, "io-error", "x.yaml", 22, NULL, "cannot read");
	diag_list_sort(&b);
	fingerprint_assign(&b);
	ck_assert(a.items[0]->fingerprint == b.items[0]->fingerprint);
	ck_assert(a.items[1]->fingerprint == b.items[1]->fingerprint);
	ck_assert(a.items[2]->fingerprint == b.items[2]->fingerprint);
	/* Two identical findings in one file stay apart. */
	ck_assert(a.items[0]->fingerprint != a.items[1]->fingerprint);
	ck_assert(a.items[0]->fingerprint != a.items[2]->fingerprint);
	diag_list_release(&a);
	diag_list_release(&b);
}
END_TEST

START_TEST(test_fingerprint_format)
{
	char buf[17];

	fingerprint_format(0x0123456789abcdefull, buf);
	ck_assert_str_eq(buf, "0123456789abcdef");
}
END_TEST

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = xmalloc(65536);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

START_TEST(test_write_read_apply)
{
	char folder[] = "/tmp/svclint-baseline-XXXXXX";
	struct diag_list today = { 0 }, later = { 0 };
	struct baseline b;
	char *path, *error = NULL, *text, *expected, hex[17], *command;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(folder));
	path = xasprintf("%s/baseline.json", folder);
	add(&today, "duplicate-key", "x.yaml", 3, "etcd", "key \"a\" twice");
	add(&today, "io-error", "y.yaml", 1, NULL, "cannot read");
	add(&today, "io-error", "z.yaml", 1, NULL, "held back already")->suppressed = true;
	diag_list_sort(&today);
	fingerprint_assign(&today);
	ck_assert_int_eq(baseline_write(path, &today, &error), 0);
	ck_assert_ptr_null(error);
	text = read_all(path);
	fingerprint_format(today.items[0]->fingerprint, hex);
	expected = xasprintf("{\"version\":1,\"tool\":\"svclint\",\"findings\":[\n"
			     " {\"rule\":\"duplicate-key\",\"file\":\"x.yaml\",\"object\":\"Service default/etcd\","
			     "\"fingerprint\":\"%s\"},\n", hex);
	ck_assert_msg(strncmp(text, expected, strlen(expected)) == 0, "baseline starts:\n%s", text);
	ck_assert_ptr_null(strstr(text, "z.yaml"));
	free(expected);
	free(text);
	/* Renamed into place: no temporary file is left beside it, and it is not private. */
	command = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", folder);
	ck_assert_int_eq(system(command), 0);
	free(command);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(st.st_mode & 0044);

	ck_assert_int_eq(baseline_load(&b, path, &error), 0);
	ck_assert_uint_eq(b.count, 2);
	/* Later: the old finding moved down a line, a new one appeared. */
	add(&later, "duplicate-key", "x.yaml", 4, "etcd", "key \"a\" twice");
	add(&later, "duplicate-key", "x.yaml", 8, "etcd", "key \"b\" twice");
	diag_list_sort(&later);
	fingerprint_assign(&later);
	ck_assert_uint_eq(baseline_apply(&b, &later), 1);
	ck_assert(later.items[0]->suppressed);
	ck_assert(!later.items[1]->suppressed);
	baseline_release(&b);
	diag_list_release(&today);
	diag_list_release(&later);
	command = xasprintf("rm -rf '%s'", folder);
	ck_assert_int_eq(system(command), 0);
	free(command);
	free(path);
}
END_TEST

START_TEST(test_bad_baselines)
{
	static const char *const cases[][2] = {
		{ "{\"version\":2,\"findings\":[]}", ":1:12: this baseline is not version 1 (write it again with "
		  "--write-baseline)" },
		{ "{\"version\":1}", ":1:1: \"findings\" must be a list" },
		{ "{\"version\":1,\"findings\":[{\"rule\":\"x\",\"file\":\"y\",\"fingerprint\":\"12\"}]}",
		  ":1:26: a finding needs \"rule\", \"file\" and a 16-digit hex \"fingerprint\"" },
		{ "{\"version\":1,", ":2:1: did not find expected node content" },
	};
	char path[] = "/tmp/svclint-baseline-XXXXXX";
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");
		struct baseline b;
		char *error = NULL;

		fputs(cases[i][0], f);
		fclose(f);
		ck_assert_int_eq(baseline_load(&b, path, &error), -1);
		ck_assert_msg(strncmp(error, path, strlen(path)) == 0 && strcmp(error + strlen(path), cases[i][1]) == 0,
			      "case %zu: %s", i, error);
		free(error);
		remove(path);
		strcpy(path, "/tmp/svclint-baseline-XXXXXX");
	}
}
END_TEST

Suite *baseline_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *t = tcase_create("core");

	tcase_add_test(t, test_fingerprints_ignore_lines);
	tcase_add_test(t, test_fingerprint_format);
	tcase_add_test(t, test_write_read_apply);
	tcase_add_test(t, test_bad_baselines);
	suite_add_tcase(s, t);
	return s;
}
