/* test_suppress.c: svclint comments read from raw text, and suppressions applied to findings. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rule.h"
#include "suites.h"
#include "suppress.h"

static void scan(struct suppression_list *list, const char *text)
{
	memset(list, 0, sizeof(*list));
	suppress_scan(list, text, strlen(text), "2026-06-15");
}

START_TEST(test_line_comments)
{
	struct suppression_list l;

	scan(&l, "a: 1\n"
		 "# svclint:ignore duplicate-key,yaml-syntax -- two rules\n"
		 "\n"
		 "# an ordinary comment between\n"
		 "b: 2  #svclint:ignore io-error until=2026-06-15\n"
		 "c: 3 # svclint:ignore-file input-limit until=2026-06-14 -- old\n");
	ck_assert_uint_eq(l.count, 4);
	ck_assert_int_eq(l.items[0].kind, SUPPRESS_LINE);
	ck_assert_str_eq(l.items[0].rule, "duplicate-key");
	ck_assert_uint_eq(l.items[0].line, 2);
	ck_assert_uint_eq(l.items[0].column, 1);
	/* The line it covers besides its own: the next that holds YAML. */
	ck_assert_uint_eq(l.items[0].next_line, 5);
	ck_assert_str_eq(l.items[1].rule, "yaml-syntax");
	ck_assert_uint_eq(l.items[1].next_line, 5);
	ck_assert_str_eq(l.items[2].rule, "io-error");
	ck_assert_uint_eq(l.items[2].line, 5);
	ck_assert_uint_eq(l.items[2].column, 7);
	ck_assert_str_eq(l.items[2].until, "2026-06-15");
	ck_assert(!l.items[2].expired);		/* good through its day */
	ck_assert_int_eq(l.items[3].kind, SUPPRESS_FILE);
	ck_assert(l.items[3].expired);
	suppression_list_release(&l);
}
END_TEST

START_TEST(test_not_comments)
{
	struct suppression_list l;

	/* Inside quotes, glued to a value, or not an ignore directive: passed over. */
	scan(&l, "a: \"# svclint:ignore duplicate-key\"\n"
		 "b: 'it''s # svclint:ignore duplicate-key'\n"
		 "c: x#svclint:ignore duplicate-key\n"
		 "# svclint: this file is generated\n"
		 "# svclint:ignored duplicate-key\n");
	ck_assert_uint_eq(l.count, 0);
	suppression_list_release(&l);
}
END_TEST

START_TEST(test_unreadable_comments)
{
	struct suppression_list l;

	scan(&l, "# svclint:ignore\n# svclint:ignore -- why\n# svclint:ignore a until=2026-13-01\n"
		 "# svclint:ignore a extra words\n");
	ck_assert_uint_eq(l.count, 4);
	ck_assert_str_eq(l.items[0].problem, "it names no rule");
	ck_assert_str_eq(l.items[1].problem, "it names no rule");
	ck_assert_str_eq(l.items[2].problem, "until= takes a date YYYY-MM-DD, not '2026-13-01'");
	ck_assert_str_eq(l.items[3].problem, "only 'until=YYYY-MM-DD' and '-- reason' may follow the rules, not "
			 "'extra words'");
	ck_assert_ptr_null(l.items[3].rule);
	suppression_list_release(&l);
}
END_TEST

START_TEST(test_columns_count_code_points_and_crlf)
{
	struct suppression_list l;

	scan(&l, "\xEF\xBB\xBFn\xC3\xA4me: x # svclint:ignore io-error\r\nb: 1\r\n");
	ck_assert_uint_eq(l.count, 1);
	ck_assert_uint_eq(l.items[0].column, 9);
	ck_assert_uint_eq(l.items[0].next_line, 2);
	suppression_list_release(&l);
}
END_TEST

/*
 * The line a comment covers besides its own, in blocks of comments: each comment of a block covers
 * the block's next YAML line (the scan finds it once per block).  A last block with no YAML after it
 * covers a line past the end: two past the last line when the text ends with a newline, one without.
 * (The figures are those of the scan before it kept the block's line.)
 */
START_TEST(test_next_line_in_blocks)
{
	static const char text[] = "a: 1\n# svclint:ignore io-error\n# svclint:ignore yaml-syntax\n\n# plain\n"
				   "b: 2  # svclint:ignore duplicate-key\n# svclint:ignore input-limit\nc: 3\n"
				   "# svclint:ignore io-error\n  # svclint:ignore yaml-syntax\n";
	static const unsigned int lines[] = { 2, 3, 6, 7, 9, 10 }, next[] = { 6, 6, 8, 8, 12, 12 };
	struct suppression_list l;
	char *block;
	size_t i, len, n = 3000;

	for (i = 0; i < 2; i++) {
		size_t k;

		memset(&l, 0, sizeof(l));
		/* With the final newline, then without it. */
		suppress_scan(&l, text, strlen(text) - i, "2026-06-15");
		ck_assert_uint_eq(l.count, 6);
		for (k = 0; k < 6; k++) {
			ck_assert_uint_eq(l.items[k].line, lines[k]);
			ck_assert_uint_eq(l.items[k].next_line, k >= 4 ? next[k] - i : next[k]);
		}
		suppression_list_release(&l);
	}
	scan(&l, "# svclint:ignore io-error\r\n\r\n# svclint:ignore yaml-syntax\r\nx: 1\r\n# svclint:ignore io-error\r\n");
	ck_assert_uint_eq(l.count, 3);
	ck_assert_uint_eq(l.items[0].next_line, 4);
	ck_assert_uint_eq(l.items[1].next_line, 4);
	ck_assert_uint_eq(l.items[2].next_line, 7);
	suppression_list_release(&l);
	/* A block of 3,000 comments, a YAML line, and the same block again at the end. */
	block = xmalloc(2 * n * 32 + 16);
	for (i = 0, len = 0; i < 2 * n; i++)
		len += (size_t)sprintf(block + len, "%s# svclint:ignore io-error\n", i == n ? "x: 1\n" : "");
	scan(&l, block);
	ck_assert_uint_eq(l.count, 2 * n);
	for (i = 0; i < 2 * n; i++) {
		ck_assert_uint_eq(l.items[i].line, i < n ? i + 1 : i + 2);
		ck_assert_uint_eq(l.items[i].next_line, i < n ? n + 1 : 2 * n + 3);
	}
	suppression_list_release(&l);
	free(block);
}
END_TEST

static struct diag *add_diag(struct diag_list *list, const char *rule, const char *file, unsigned int line,
			     const char *kind, const char *name, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, name);
	d = diag_new(list, rule, SEVERITY_ERROR, file, line, 3, "finding", ap);
	va_end(ap);
	if (kind)
		diag_set_object(d, "v1", kind, "default", name);
	return d;
}

START_TEST(test_apply)
{
	struct suppression_list lists[2];
	struct diag_list diags = { 0 };
	struct lint_options options;
	struct suppression *s;

	memset(&options, 0, sizeof(options));
	scan(&lists[0], "# svclint:ignore duplicate-key\nx: 1\n"
			"y: 2 # svclint:ignore yaml-syntax until=2020-01-01 -- expired\n"
			"# svclint:ignore io-error\nz: 3\n");
	lists[0].file = xstrdup("a.yaml");
	scan(&lists[1], "# svclint:ignore-file input-limit\n");
	lists[1].file = xstrdup("b.yaml");
	/* The annotation svclint.io/ignore: duplicate-object on Service default/etcd. */
	lists[1].items = xrealloc(lists[1].items, 2 * sizeof(*lists[1].items));
	lists[1].count = lists[1].capacity = 2;
	s = &lists[1].items[1];
	memset(s, 0, sizeof(*s));
	s->kind = SUPPRESS_OBJECT;
	s->rule = xstrdup("duplicate-object");
	s->line = 9;
	s->column = 24;
	s->kind_name = xstrdup("Service");
	s->namespace = xstrdup("default");
	s->name = xstrdup("etcd");

	add_diag(&diags, "duplicate-key", "a.yaml", 2, NULL, NULL);		/* line after: suppressed */
	add_diag(&diags, "duplicate-key", "a.yaml", 3, NULL, NULL);		/* two lines after: kept */
	add_diag(&diags, "yaml-syntax", "a.yaml", 3, NULL, NULL);		/* expired: kept, noted */
	add_diag(&diags, "input-limit", "b.yaml", 40, NULL, NULL);		/* whole file */
	add_diag(&diags, "duplicate-object", "b.yaml", 7, "Service", "etcd");	/* the annotated object */
	add_diag(&diags, "duplicate-object", "b.yaml", 7, "Service", "other");	/* another object */
	add_diag(&diags, "input-limit", "c.yaml", 1, NULL, NULL);		/* no suppressions there */
	suppress_apply(lists, 2, &diags, &options);

	ck_assert(diags.items[0]->suppressed);
	ck_assert(!diags.items[1]->suppressed);
	ck_assert(!diags.items[2]->suppressed);
	ck_assert_uint_eq(diags.items[2]->related_count, 1);
	ck_assert_str_eq(diags.items[2]->related[0].message, "the svclint:ignore yaml-syntax here expired after "
			 "2020-01-01, so this finding is reported again");
	ck_assert_uint_eq(diags.items[2]->related[0].line, 3);
	ck_assert_uint_eq(diags.items[2]->related[0].column, 6);
	ck_assert(diags.items[3]->suppressed);
	ck_assert(diags.items[4]->suppressed);
	ck_assert(!diags.items[5]->suppressed);
	ck_assert(!diags.items[6]->suppressed);
	/* The io-error comment matched nothing: one unused-suppression finding at its '#'. */
	ck_assert_uint_eq(diags.count, 8);
	ck_assert_str_eq(diags.items[7]->rule, "unused-suppression");
	ck_assert_str_eq(diags.items[7]->file, "a.yaml");
	ck_assert_uint_eq(diags.items[7]->line, 4);
	ck_assert_uint_eq(diags.items[7]->column, 1);
	ck_assert_int_eq(diags.items[7]->severity, SEVERITY_INFO);
	ck_assert_str_eq(diags.items[7]->message, "this svclint:ignore comment suppresses io-error, but no io-error "
			 "finding is on this line or the next: remove it (or move it to the finding's line)");
	diag_list_release(&diags);
	suppression_list_release(&lists[0]);
	suppression_list_release(&lists[1]);
}
END_TEST

/* What covers(s, d) in suppress.c says, written from the comment syntax's definition. */
static bool test_covers(const struct suppression *s, const struct diag *d)
{
	if (!s->rule || strcmp(s->rule, d->rule) != 0)
		return false;
	if (s->kind == SUPPRESS_FILE)
		return true;
	if (s->kind == SUPPRESS_LINE)
		return d->line == s->line || d->line == s->next_line;
	return d->object.kind && strcmp(d->object.kind, s->kind_name) == 0 &&
	       strcmp(d->object.namespace, s->namespace) == 0 && strcmp(d->object.name, s->name) == 0;
}

/*
 * Many suppressions in one file, of every kind, some expired, against many findings: each finding is
 * suppressed when some suppression covers it, gets a note for each expired one that covers it, in
 * the file's order, and each suppression that covered nothing is reported once.  (The lookup by rule,
 * kind, line and name must find what reading the whole list finds.)
 */
START_TEST(test_apply_many)
{
	static const char *const rules[] = { "io-error", "yaml-syntax", "duplicate-key" };
	static const char *const names[] = { "etcd", "db", "cache", "" };
	struct suppression_list list;
	struct diag_list diags = { 0 };
	struct lint_options options;
	unsigned int seed = 11, unused = 0, objects_used = 0, kinds[3] = { 0, 0, 0 };
	size_t i, j, n = 600, len = 0, found_before;
	char *text = xmalloc(n * 96 + 64);

	memset(&options, 0, sizeof(options));
	for (i = 0; i < n; i++) {
		unsigned int r = rand_r(&seed);

		/* Comments on their own lines, trailing, in blocks, blank lines, plain YAML lines. */
		if (r % 7 == 0)
			len += (size_t)sprintf(text + len, "\n");
		else if (r % 7 == 1)
			len += (size_t)sprintf(text + len, "k%zu: 1\n", i);
		else
			len += (size_t)sprintf(text + len, "%s# svclint:ignore%s %s%s\n", r % 7 == 2 ? "k: 2 " : "",
					       r % 11 == 0 ? "-file" : "", rules[(r >> 4) % 3],
					       (r >> 8) % 4 == 0 ? " until=2020-01-01" : "");
	}
	scan(&list, text);
	list.file = xstrdup("a.yaml");
	/* Annotations, some for the same object and rule twice. */
	for (i = 0; i < 40; i++) {
		struct suppression *s;

		GROW(list.items, list.capacity, list.count + 1);
		s = &list.items[list.count++];
		memset(s, 0, sizeof(*s));
		s->kind = SUPPRESS_OBJECT;
		s->rule = xstrdup(rules[i % 3]);
		s->line = (unsigned int)(n + 2 + i);
		s->column = 7;
		s->kind_name = xstrdup(i % 5 ? "Service" : "Endpoints");
		s->namespace = xstrdup("default");
		s->name = xstrdup(names[(i / 3) % 4]);
	}
	ck_assert_uint_gt(list.count, 300);
	for (i = 0; i < 3000; i++) {
		unsigned int r = rand_r(&seed);

		add_diag(&diags, rules[r % 3], r % 13 ? "a.yaml" : "b.yaml", 1 + (r >> 3) % (unsigned int)(n + 4),
			 (r >> 12) % 3 ? NULL : (r >> 14) % 2 ? "Service" : "Endpoints", names[(r >> 16) % 4]);
	}
	found_before = diags.count;
	suppress_apply(&list, 1, &diags, &options);
	for (i = 0; i < found_before; i++) {
		const struct diag *d = diags.items[i];
		bool suppressed = false;
		size_t notes = 0;

		for (j = 0; j < list.count && strcmp(d->file, "a.yaml") == 0; j++) {
			const struct suppression *s = &list.items[j];

			if (!test_covers(s, d))
				continue;
			if (!s->expired) {
				suppressed = true;
				continue;
			}
			ck_assert_uint_gt(d->related_count, notes);
			ck_assert_uint_eq(d->related[notes].line, s->line);
			ck_assert_uint_eq(d->related[notes].column, s->column);
			notes++;
		}
		ck_assert_msg(d->suppressed == suppressed, "finding %zu (%s, line %u)", i, d->rule, d->line);
		ck_assert_uint_eq(d->related_count, notes);
		kinds[suppressed] += 1;
		kinds[2] += notes >= 2;
	}
	/* Some of each: suppressed, kept, and noted by two expired suppressions. */
	ck_assert_uint_gt(kinds[0], 100);
	ck_assert_uint_gt(kinds[1], 100);
	ck_assert_uint_gt(kinds[2], 5);
	for (j = 0; j < list.count; j++) {
		for (i = 0; i < found_before; i++)
			if (strcmp(diags.items[i]->file, "a.yaml") == 0 && test_covers(&list.items[j], diags.items[i]))
				break;
		ck_assert_msg(list.items[j].used == (i < found_before), "suppression %zu", j);
		unused += i == found_before;
		objects_used += list.items[j].kind == SUPPRESS_OBJECT && i < found_before;
	}
	ck_assert_uint_gt(unused, 0);
	ck_assert_uint_gt(objects_used, 5);
	ck_assert_uint_eq(diags.count, found_before + unused);
	diag_list_release(&diags);
	suppression_list_release(&list);
	free(text);
}
END_TEST

START_TEST(test_turned_off_rules_are_not_judged)
{
	struct suppression_list list;
	struct diag_list diags = { 0 };
	struct lint_options options;
	bool *enabled = xmalloc(rule_count * sizeof(*enabled));
	size_t i, pos;

	for (i = 0; i < rule_count; i++)
		enabled[i] = true;
	memset(&options, 0, sizeof(options));
	options.rule_enabled = enabled;
	scan(&list, "# svclint:ignore io-error\n");
	list.file = xstrdup("a.yaml");
	ck_assert_ptr_nonnull(rule_find("io-error", &pos));
	enabled[pos] = false;
	suppress_apply(&list, 1, &diags, &options);
	ck_assert_uint_eq(diags.count, 0);
	enabled[pos] = true;
	ck_assert_ptr_nonnull(rule_find("unused-suppression", &pos));
	enabled[pos] = false;
	suppress_apply(&list, 1, &diags, &options);
	ck_assert_uint_eq(diags.count, 0);
	suppression_list_release(&list);
	free(enabled);
}
END_TEST

Suite *suppress_suite(void)
{
	Suite *s = suite_create("suppress");
	TCase *t = tcase_create("scan");

	tcase_add_test(t, test_line_comments);
	tcase_add_test(t, test_not_comments);
	tcase_add_test(t, test_unreadable_comments);
	tcase_add_test(t, test_columns_count_code_points_and_crlf);
	tcase_add_test(t, test_next_line_in_blocks);
	suite_add_tcase(s, t);
	t = tcase_create("apply");
	tcase_add_test(t, test_apply);
	tcase_add_test(t, test_apply_many);
	tcase_add_test(t, test_turned_off_rules_are_not_judged);
	suite_add_tcase(s, t);
	return s;
}
