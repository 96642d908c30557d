/* test_glob.c: config globs: segments, **, classes, folder prefixes, names at any depth. */
#include <check.h>

#include "glob.h"
#include "suites.h"

struct glob_case {
	const char *glob, *path;
	bool match;
};

static const struct glob_case cases[] = {
	{ "clusters/prod/**", "clusters/prod/a.yaml", true },
	{ "clusters/prod/**", "clusters/prod/apps/db/svc.yaml", true },
	{ "clusters/prod/**", "clusters/staging/a.yaml", false },
	{ "clusters/prod/**", "clusters/production/a.yaml", false },
	{ "clusters/*/apps/*.yaml", "clusters/prod/apps/db.yaml", true },
	{ "clusters/*/apps/*.yaml", "clusters/prod/apps/db/x.yaml", false },
	{ "clusters/**/svc.yaml", "clusters/svc.yaml", true },
	{ "clusters/**/svc.yaml", "clusters/a/b/c/svc.yaml", true },
	{ "clusters/**/svc.yaml", "clusters/a/b/c/svc.yml", false },
	{ "**/templates/**", "chart/templates/x.yaml", true },
	{ "**/templates/**", "templates/x.yaml", true },
	{ "vendor", "vendor/x/y.yaml", true },
	{ "vendor", "apps/vendor/y.yaml", true },
	{ "vendor", "apps/vendors/y.yaml", false },
	{ "vendor/", "vendor/y.yaml", true },
	{ "/vendor", "vendor/y.yaml", true },
	{ "./vendor/*", "vendor/y.yaml", true },
	{ "*.json", "a/b/c.json", true },
	{ "*.json", "a/b/c.yaml", false },
	{ "svc-?.yaml", "svc-1.yaml", true },
	{ "svc-?.yaml", "svc-10.yaml", false },
	{ "svc-[0-9].yaml", "svc-7.yaml", true },
	{ "svc-[!0-9].yaml", "svc-7.yaml", false },
	{ "svc-[^0-9].yaml", "svc-a.yaml", true },
	{ "svc-[]].yaml", "svc-].yaml", true },
	{ "svc-[ab.yaml", "svc-[ab.yaml", true },
	{ "a\\*b", "a*b", true },
	{ "a\\*b", "axb", false },
	{ "a*b*c", "aXXbYYc", true },
	{ "a*b*c", "aXXbYY", false },
	{ "*", "x/y", true },
	{ "a/*", "a", false },
	{ "", "a", false },
	{ "a/b", "./a/b", true },
	{ "prod/**", "prod", true },
};

START_TEST(test_glob_cases)
{
	const struct glob_case *c = &cases[_i];

	ck_assert_msg(glob_match(c->glob, c->path) == c->match, "glob '%s' on '%s': wanted %s", c->glob, c->path,
		      c->match ? "a match" : "no match");
}
END_TEST

Suite *glob_suite(void)
{
	Suite *s = suite_create("glob");
	TCase *t = tcase_create("match");

	tcase_add_loop_test(t, test_glob_cases, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, t);
	return s;
}
