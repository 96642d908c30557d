/* test_suppress.c: svclint comments read from raw text, and suppressions applied to findings. */
#include <check.h>
#include <stdarg.h>
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
	suite_add_tcase(s, t);
	t = tcase_create("apply");
	tcase_add_test(t, test_apply);
	tcase_add_test(t, test_turned_off_rules_are_not_judged);
	suite_add_tcase(s, t);
	return s;
}
