/* test_config.c: .svclint.yaml read through doc.c: every key, globs against paths, errors placed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "rule.h"
#include "suites.h"

static char folder[] = "/tmp/svclint-config-XXXXXX";

static void make_folder(void)
{
	ck_assert_ptr_nonnull(mkdtemp(folder));
}

static void remove_folder(void)
{
	char *command = xasprintf("rm -rf '%s'", folder);

	ck_assert_int_eq(system(command), 0);
	free(command);
	strcpy(folder, "/tmp/svclint-config-XXXXXX");
}

/* Writes text to folder/name and returns the path (malloc'd). */
static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", folder, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Loads text as a configuration; returns the error (malloc'd) or NULL, leaving config loaded. */
static char *load(struct config *config, const char *text)
{
	char *path = write_file(".svclint.yaml", text), *error = NULL;
	char *shown;

	config_init(config);
	if (config_load(config, path, &error) == 0) {
		free(path);
		return NULL;
	}
	/* Messages start with the path given; keep only what follows the folder. */
	shown = xstrdup(error + strlen(folder) + 1);
	free(error);
	free(path);
	return shown;
}

START_TEST(test_every_key)
{
	struct config c;
	size_t pos;
	char *error;

	error = load(&c, "rules:\n  endpoints-deprecated: off\n  namespace-ambiguous-pair: error\n"
		     "  duplicate-key: on\nexclude:\n- vendor/**\n- '*.json'\ndefault-namespace: apps\n"
		     "kube-version: \"1.33\"\nscopes:\n- clusters/prod/**\n- clusters/staging/**\n"
		     "naming:\n- kind: Service\n  namespace: monitoring\n  pattern: '^[a-z0-9-]+-prom$'\n"
		     "  reason: scraped by suffix\n- kind: '*'\n  field: metadata.labels.app.kubernetes.io/name\n"
		     "  pattern: '^[a-z-]+$'\nplaceholders:\n- '^@@'\n");
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(c.rule_count, 3);
	ck_assert_ptr_nonnull(rule_find("endpoints-deprecated", &pos));
	ck_assert_uint_eq(c.rules[0].rule, pos);
	ck_assert(!c.rules[0].enabled);
	ck_assert(c.rules[1].enabled);
	ck_assert_int_eq(c.rules[1].severity, SEVERITY_ERROR);
	ck_assert(c.rules[2].enabled);
	ck_assert_int_eq(c.rules[2].severity, SEVERITY_NONE);
	ck_assert_uint_eq(c.exclude_count, 2);
	ck_assert_str_eq(c.exclude[1], "*.json");
	ck_assert_str_eq(c.default_namespace, "apps");
	ck_assert_int_eq(c.kube_minor, 33);
	ck_assert_uint_eq(c.scope_count, 2);
	ck_assert_uint_eq(c.naming_count, 2);
	ck_assert_str_eq(c.naming[0].kind, "Service");
	ck_assert_str_eq(c.naming[0].namespace, "monitoring");
	ck_assert_str_eq(c.naming[0].field, "metadata.name");
	ck_assert_str_eq(c.naming[0].reason, "scraped by suffix");
	ck_assert_uint_eq(c.naming[0].line, 14);
	ck_assert_uint_eq(c.naming[0].column, 3);
	ck_assert_uint_eq(c.naming[1].step_count, 3);
	ck_assert_str_eq(c.naming[1].steps[2].key, "app.kubernetes.io/name");
	ck_assert_uint_eq(c.placeholder_count, 1);
	ck_assert_str_eq(regex_source(c.placeholders[0]), "^@@");
	config_release(&c);
}
END_TEST

START_TEST(test_field_paths)
{
	struct config c;
	char *error = load(&c, "naming:\n- kind: Service\n  field: spec.ports[].name\n  pattern: x\n");

	ck_assert_ptr_null(error);
	ck_assert_uint_eq(c.naming[0].step_count, 3);
	ck_assert_str_eq(c.naming[0].steps[1].key, "ports");
	ck_assert(c.naming[0].steps[1].each);
	ck_assert(!c.naming[0].steps[2].each);
	config_release(&c);
}
END_TEST

struct bad_config {
	const char *text;
	const char *error;
};

static const struct bad_config bad_configs[] = {
	{ "rulez: {}\n", ".svclint.yaml:1:1: unknown key 'rulez' (rules, exclude, default-namespace, kube-version, "
	  "scopes, naming, placeholders)" },
	{ "rules:\n  no-such-rule: off\n", ".svclint.yaml:2:3: unknown rule 'no-such-rule' (svclint --list-rules "
	  "lists them)" },
	{ "rules:\n  duplicate-key: loud\n", ".svclint.yaml:2:18: rule 'duplicate-key' takes on, off, error, "
	  "warning or info, not 'loud'" },
	{ "rules: [duplicate-key]\n", ".svclint.yaml:1:8: 'rules' must be a map from rule id to on, off, error, "
	  "warning or info" },
	{ "exclude: vendor\n", ".svclint.yaml:1:10: 'exclude' must be a list of globs" },
	{ "scopes:\n- a/**\n- {b: c}\n", ".svclint.yaml:3:3: 'scopes' must be a list of globs; item 2 is not a glob" },
	{ "default-namespace: Kube_System\n", ".svclint.yaml:1:20: 'default-namespace' must be a namespace name "
	  "(a DNS label)" },
	{ "kube-version: 2.1\n", ".svclint.yaml:1:15: 'kube-version' takes 1.MINOR (1.19 or later), not '2.1'" },
	{ "kube-version: 1.18\n", ".svclint.yaml:1:15: 'kube-version' takes 1.MINOR (1.19 or later), not '1.18'" },
	{ "naming:\n- kind: Service\n  pattern: '^(x'\n", ".svclint.yaml:3:12: pattern '^(x' is not a valid PCRE2 "
	  "pattern: missing closing parenthesis at offset 3" },
	{ "naming:\n- kind: Service\n", ".svclint.yaml:2:3: a naming policy needs 'pattern' (a PCRE2 pattern)" },
	{ "naming:\n- pattern: x\n", ".svclint.yaml:2:3: a naming policy needs 'kind' (a kind such as Service, "
	  "or \"*\")" },
	{ "naming:\n- kind: Service\n  pattern: x\n  colour: red\n", ".svclint.yaml:4:3: unknown key 'colour' in "
	  "a naming policy (kind, namespace, field, pattern, reason)" },
	{ "naming:\n- kind: Service\n  pattern: x\n  field: spec..name\n", ".svclint.yaml:2:3: field 'spec..name' "
	  "is not a path like metadata.name or spec.ports[].name" },
	{ "placeholders:\n- '['\n", ".svclint.yaml:2:3: pattern '[' is not a valid PCRE2 pattern: missing "
	  "terminating ] for character class at offset 1" },
	{ "rules: {}\nrules: {}\n", ".svclint.yaml:2:1: duplicate key: rules" },
	{ "rules: [\n", ".svclint.yaml:2:1: did not find expected node content" },
	{ "- a\n", ".svclint.yaml:1:1: the configuration must be a map (rules, exclude, default-namespace, "
	  "kube-version, scopes, naming, placeholders)" },
	{ "rules: {}\n---\nrules: {}\n", ".svclint.yaml:3:1: the configuration is one YAML document, not 2" },
};

START_TEST(test_bad_config_is_placed)
{
	struct config c;
	char *error;

	make_folder();
	error = load(&c, bad_configs[_i].text);
	ck_assert_ptr_nonnull(error);
	ck_assert_str_eq(error, bad_configs[_i].error);
	free(error);
	config_release(&c);
	remove_folder();
}
END_TEST

START_TEST(test_empty_config_keeps_defaults)
{
	struct config c;
	char *error;

	make_folder();
	error = load(&c, "# nothing yet\n");
	ck_assert_ptr_null(error);
	ck_assert_uint_eq(c.placeholder_count, config_default_placeholder_count);
	ck_assert(c.placeholders_joined);
	ck_assert_uint_eq(c.rule_count, 0);
	config_release(&c);
	remove_folder();
}
END_TEST

/* What the joined first test says of text, and what the patterns one by one say: they must agree. */
static int joined_match(const struct config *c, const char *text, struct regex_scratch *s)
{
	return (c->any_anchored_placeholder &&
		regex_match(c->any_anchored_placeholder, text, strlen(text), s) == 1) ||
	       (c->any_floating_placeholder && regex_match(c->any_floating_placeholder, text, strlen(text), s) == 1);
}

static int each_match(const struct config *c, const char *text, struct regex_scratch *s)
{
	size_t i;

	for (i = 0; i < c->placeholder_count; i++)
		if (regex_match(c->placeholders[i], text, strlen(text), s) == 1)
			return 1;
	return 0;
}

START_TEST(test_defaults_compile)
{
	struct config c;
	struct regex_scratch *s = regex_scratch_new();
	static const char *const placeholders[] = {
		"YOUR_DB_HOST", "your-host-here", "changeme", "CHANGE_ME", "change-me please", "REPLACE_ME",
		"${DB_HOST}", "http://${host}:80", "{{ .Values.host }}", "<ip-address>", "TODO", "10.0.x.x",
		"XXX.XXX.XXX.XXX",
	};
	static const char *const real[] = {
		"exchange-meter", "${1}:9100", "10.0.0.1", "todo-app", "https://example.com/{user}", "<a> and <b>",
		"yourself", "replacement",
	};
	size_t i;

	config_init(&c);
	ck_assert_uint_eq(c.placeholder_count, config_default_placeholder_count);
	ck_assert(c.placeholders_joined);
	/* The defaults have both kinds: ^YOUR_, ^TODO$... and \bchangeme, ${VAR}... */
	ck_assert(regex_anchored(c.any_anchored_placeholder));
	ck_assert(!regex_anchored(c.any_floating_placeholder));
	for (i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
		ck_assert_msg(joined_match(&c, placeholders[i], s), "'%s' should be a placeholder", placeholders[i]);
		ck_assert_int_eq(each_match(&c, placeholders[i], s), 1);
	}
	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		ck_assert_msg(!joined_match(&c, real[i], s), "'%s' should not be a placeholder", real[i]);
		ck_assert_int_eq(each_match(&c, real[i], s), 0);
	}
	regex_scratch_free(s);
	config_release(&c);
}
END_TEST

START_TEST(test_globs_relative_to_the_config)
{
	struct config c;
	char *error, *path;

	make_folder();
	error = load(&c, "exclude: [vendor]\nscopes: [clusters/prod/**, clusters/staging/**]\n");
	ck_assert_ptr_null(error);
	path = xasprintf("%s/clusters/staging/apps/db.yaml", folder);
	ck_assert_uint_eq(config_scope(&c, path), 2);
	free(path);
	path = xasprintf("%s/clusters/prod/../prod/db.yaml", folder);
	ck_assert_uint_eq(config_scope(&c, path), 1);
	free(path);
	path = xasprintf("%s/base/db.yaml", folder);
	ck_assert_uint_eq(config_scope(&c, path), 0);
	ck_assert(!config_is_excluded(&c, path));
	free(path);
	path = xasprintf("%s/vendor/x/db.yaml", folder);
	ck_assert(config_is_excluded(&c, path));
	free(path);
	/* Outside the configuration's folder no glob applies. */
	ck_assert(!config_is_excluded(&c, "/elsewhere/vendor/db.yaml"));
	ck_assert_uint_eq(config_scope(&c, "/elsewhere/clusters/prod/db.yaml"), 0);
	config_release(&c);
	remove_folder();
}
END_TEST

START_TEST(test_find_walks_up_to_the_repository)
{
	char *deep, *found, *git, *command;

	make_folder();
	deep = xasprintf("%s/repo/a/b", folder);
	git = xasprintf("%s/repo/.git", folder);
	command = xasprintf("mkdir -p '%s' '%s'", deep, git);
	ck_assert_int_eq(system(command), 0);
	free(command);
	free(write_file(".svclint.yaml", "rules: {}\n"));	/* above the repository: never found */
	ck_assert_ptr_null(config_find(deep));
	free(write_file("repo/.svclint.yaml", "rules: {}\n"));
	found = config_find(deep);
	ck_assert_str_eq(found + strlen(deep), "/../../.svclint.yaml");
	free(found);
	free(write_file("repo/a/b/.svclint.yaml", "rules: {}\n"));
	found = config_find(deep);
	ck_assert_str_eq(found + strlen(deep), "/.svclint.yaml");
	free(found);
	free(deep);
	free(git);
	remove_folder();
}
END_TEST

START_TEST(test_kube_version_parse)
{
	int minor = 0;

	ck_assert_int_eq(kube_version_parse("1.33", &minor), 0);
	ck_assert_int_eq(minor, 33);
	ck_assert_int_eq(kube_version_parse("v1.30.2", &minor), 0);
	ck_assert_int_eq(minor, 30);
	ck_assert_int_eq(kube_version_parse("1.18", &minor), -1);
	ck_assert_int_eq(kube_version_parse("1.", &minor), -1);
	ck_assert_int_eq(kube_version_parse("1.-3", &minor), -1);
	ck_assert_int_eq(kube_version_parse("2.30", &minor), -1);
	ck_assert_int_eq(kube_version_parse("1.30x", &minor), -1);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("load");

	tcase_add_checked_fixture(t, make_folder, remove_folder);
	tcase_add_test(t, test_every_key);
	tcase_add_test(t, test_field_paths);
	suite_add_tcase(s, t);
	t = tcase_create("errors");
	tcase_add_loop_test(t, test_bad_config_is_placed, 0, (int)(sizeof(bad_configs) / sizeof(bad_configs[0])));
	tcase_add_test(t, test_empty_config_keeps_defaults);
	suite_add_tcase(s, t);
	t = tcase_create("paths");
	tcase_add_test(t, test_defaults_compile);
	tcase_add_test(t, test_globs_relative_to_the_config);
	tcase_add_test(t, test_find_walks_up_to_the_repository);
	tcase_add_test(t, test_kube_version_parse);
	suite_add_tcase(s, t);
	return s;
}
