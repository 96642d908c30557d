/* test_fixtures.c: one check test per rule, running that rule's fixtures (tests/fixtures.sh ONLY=<id>)
 * against the binary in $SVCLINT; a mismatch prints the runner's diff and fails that rule's test. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "rule.h"
#include "suites.h"

START_TEST(test_rule_fixtures)
{
	const char *svclint = getenv("SVCLINT");
	const char *id = rule_table[_i]->id;
	char command[1024];

	ck_assert_msg(svclint != NULL, "SVCLINT must name the svclint binary");
	/* The runner prints a diff for each case that differs; only failures reach the terminal. */
	snprintf(command, sizeof(command), "out=$(ONLY='%s' bash tests/fixtures.sh '%s' 2>&1) || "
		 "{ printf '%%s\\n' \"$out\" >&2; exit 1; }", id, svclint);
	ck_assert_msg(system(command) == 0, "fixtures of rule %s differ from their expected output", id);
}
END_TEST

Suite *fixtures_suite(void)
{
	Suite *s = suite_create("fixtures");
	TCase *t = tcase_create("per rule");

	tcase_set_timeout(t, 120);
	tcase_add_loop_test(t, test_rule_fixtures, 0, (int)rule_count);
	suite_add_tcase(s, t);
	return s;
}
