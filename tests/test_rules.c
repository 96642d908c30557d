/* test_rules.c: the rule table: ids, descriptors, and fixtures both ways for every rule. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "suites.h"

START_TEST(test_ids_sorted_unique_kebab)
{
	size_t i;

	ck_assert_uint_gt(rule_count, 0);
	for (i = 0; i < rule_count; i++) {
		const char *id = rule_table[i]->id, *c;

		for (c = id; *c; c++)
			ck_assert_msg(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '-',
				      "rule id '%s' is not kebab-case", id);
		ck_assert_msg(id[0] != '-' && id[strlen(id) - 1] != '-', "rule id '%s' has an edge '-'", id);
		if (i > 0)
			ck_assert_msg(strcmp(rule_table[i - 1]->id, id) < 0, "rule ids '%s' and '%s' are not sorted "
				      "and unique", rule_table[i - 1]->id, id);
	}
}
END_TEST

START_TEST(test_descriptors_complete)
{
	size_t i;

	for (i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];

		ck_assert_msg(r->summary && *r->summary, "%s has no summary", r->id);
		ck_assert_msg(r->rationale && strlen(r->rationale) > 40, "%s has no real rationale", r->id);
		ck_assert_msg(r->fix && *r->fix, "%s says nothing on how to fix it", r->id);
		ck_assert_msg(r->check_file || r->check_object || r->check_index, "%s checks nothing", r->id);
		ck_assert_msg(r->severity <= SEVERITY_ERROR, "%s has no severity", r->id);
	}
}
END_TEST

START_TEST(test_rule_find)
{
	size_t pos = 99;

	ck_assert_ptr_eq(rule_find("yaml-syntax", &pos), rule_table[pos]);
	ck_assert_ptr_null(rule_find("no-such-rule", NULL));
}
END_TEST

/* Each rule has fixtures/<id>/ with at least one bad-* and one good-* case with expected output. */
START_TEST(test_every_rule_has_fixtures_both_ways)
{
	size_t i;

	for (i = 0; i < rule_count; i++) {
		char path[512];
		DIR *dir;
		struct dirent *e;
		int bad = 0, good = 0;

		snprintf(path, sizeof(path), "fixtures/%s", rule_table[i]->id);
		dir = opendir(path);
		ck_assert_msg(dir != NULL, "rule %s has no fixtures folder %s", rule_table[i]->id, path);
		while ((e = readdir(dir)) != NULL) {
			size_t n = strlen(e->d_name);

			if (n > 9 && strcmp(e->d_name + n - 9, ".expected") == 0) {
				if (strncmp(e->d_name, "bad-", 4) == 0)
					bad++;
				else if (strncmp(e->d_name, "good-", 5) == 0)
					good++;
			}
		}
		closedir(dir);
		ck_assert_msg(bad > 0, "rule %s has no bad-* fixture that triggers it", rule_table[i]->id);
		ck_assert_msg(good > 0, "rule %s has no good-* fixture that must not trigger it", rule_table[i]->id);
	}
}
END_TEST

Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *t = tcase_create("table");

	tcase_add_test(t, test_ids_sorted_unique_kebab);
	tcase_add_test(t, test_descriptors_complete);
	tcase_add_test(t, test_rule_find);
	tcase_add_test(t, test_every_rule_has_fixtures_both_ways);
	suite_add_tcase(s, t);
	return s;
}
