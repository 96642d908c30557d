/* test_rules.c: the rule table: ids, descriptors, and fixtures both ways for every rule. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "k8s.h"
#include "regex.h"
#include "rule.h"
#include "source.h"
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

/* Runs every rule that names its kinds on the objects of one fixture file, each object given every
 * kind the rule does not name: a rule that reports there would lose findings to the dispatch. */
static void check_kinds_of_file(const char *path, const struct lint_options *options, struct regex_scratch *regex)
{
	struct input in = { 0 };
	char *text, *error = NULL;
	size_t len;
	struct arena arena;
	struct doc_set set;
	struct object_list objects = { 0 };
	struct collect_options collect = { "default", path, 0, false };
	size_t i, o;

	in.path = (char *)path;
	if (source_read(&in, &text, &len, &error) != 0) {
		free(error);	/* the io-error fixtures name files that are not there on purpose */
		return;
	}
	arena_init(&arena);
	doc_parse(&set, &arena, text, len, &doc_default_limits);
	object_collect(&objects, &arena, set.documents, set.count, &collect);
	for (o = 0; o < objects.count; o++) {
		for (i = 0; i < rule_count; i++) {
			const struct rule *r = rule_table[i];
			unsigned int k;

			if (!r->check_object || !r->kinds)
				continue;
			for (k = 0; k < KIND_COUNT; k++) {
				/* A copy of its whole allocation: the template source follows the struct. */
				struct object *copy = arena_alloc(&arena, object_size(objects.items[o]));
				struct object_memo memo = { 0 };
				struct diag_list out = { 0 };
				struct rule_ctx ctx = { 0 };

				if (r->kinds & RULE_KIND(k))
					continue;
				memcpy(copy, objects.items[o], object_size(objects.items[o]));
				copy->kind = (enum object_kind)k;
				copy->facts = 0;
				k8s_learn(copy);
				ctx.rule = r;
				ctx.severity = r->severity;
				ctx.options = options;
				ctx.out = &out;
				ctx.arena = &arena;
				ctx.regex = regex;
				ctx.memo = &memo;
				r->check_object(&ctx, copy);
				ck_assert_msg(out.count == 0, "%s reports on an object of kind %u in %s, a kind its .kinds "
					      "leaves out: the engine would never show that finding", r->id, k, path);
				diag_list_release(&out);
			}
		}
	}
	object_list_release(&objects);
	free(set.documents);
	free(set.problems);
	arena_release(&arena);
	free(text);
}

START_TEST(test_kinds_cover_what_rules_report)
{
	struct lint_options options;
	struct config config;
	struct regex_scratch *regex = regex_scratch_new();
	size_t i, files = 0;

	memset(&options, 0, sizeof(options));
	options.default_namespace = "default";
	options.kube_minor = KUBE_NEWEST_MINOR;
	config_init(&config);
	options.config = &config;	/* the default placeholders */
	for (i = 0; i < rule_count; i++) {
		char folder[512], path[1024];
		DIR *dir;
		struct dirent *e;

		snprintf(folder, sizeof(folder), "fixtures/%s", rule_table[i]->id);
		dir = opendir(folder);
		ck_assert_ptr_nonnull(dir);
		while ((e = readdir(dir)) != NULL) {
			size_t n = strlen(e->d_name);

			if (strncmp(e->d_name, "bad-", 4) != 0 || n < 6 ||
			    (strcmp(e->d_name + n - 5, ".yaml") != 0 && strcmp(e->d_name + n - 4, ".yml") != 0 &&
			     strcmp(e->d_name + n - 5, ".json") != 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s", folder, e->d_name);
			check_kinds_of_file(path, &options, regex);
			files++;
		}
		closedir(dir);
	}
	ck_assert_uint_gt(files, 100);
	config_release(&config);
	regex_scratch_free(regex);
}
END_TEST

/* rule_service_ports() looks each field up as node_get() does (a repeated key: the last), items that
 * are not maps get no fields, and with a memo the rules on one object share one view. */
START_TEST(test_service_ports_view)
{
	static const char text[] = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n"
				   "  - name: first\n    name: second\n    port: 80\n    protocol: UDP\n"
				   "    targetPort: http\n    nodePort: 30080\n    appProtocol: h2c\n"
				   "  - 443\n  - port: 53\n---\napiVersion: v1\nkind: Service\nmetadata:\n"
				   "  name: t\nspec:\n  ports: {}\n";
	static const char *const keys[] = { "port", "protocol", "targetPort", "nodePort", "appProtocol" };
	struct arena arena;
	struct doc_set set;
	struct object_list objects = { 0 };
	struct collect_options collect = { "default", "view.yaml", 0, false };
	struct object_memo memo = { 0 };
	struct rule_ctx ctx = { 0 };
	const struct service_ports *shared, *alone;
	const struct node *list;
	unsigned int i, k;

	arena_init(&arena);
	doc_parse(&set, &arena, text, sizeof(text) - 1, &doc_default_limits);
	object_collect(&objects, &arena, set.documents, set.count, &collect);
	ck_assert_uint_eq(objects.count, 2);
	ctx.arena = &arena;
	ctx.memo = &memo;
	shared = rule_service_ports(&ctx, objects.items[0]);
	ck_assert_ptr_eq(rule_service_ports(&ctx, objects.items[0]), shared);
	ctx.memo = NULL;
	alone = rule_service_ports(&ctx, objects.items[0]);
	ck_assert_ptr_ne(alone, shared);
	list = node_get(objects.items[0]->spec, "ports");
	ck_assert_ptr_eq(shared->list, list);
	ck_assert_ptr_eq(alone->list, list);
	ck_assert_uint_eq(list->count, 3);
	for (i = 0; i < list->count; i++) {
		const struct node *item = list->u.items[i];
		const struct service_port *a = &shared->items[i], *b = &alone->items[i];
		const struct node *fields[][5] = {
			{ a->port, a->protocol, a->target, a->node_port, a->app_protocol },
			{ b->port, b->protocol, b->target, b->node_port, b->app_protocol },
		};

		ck_assert_ptr_eq(a->item, item);
		ck_assert_ptr_eq(a->name, node_get_pair(item, "name"));
		ck_assert_ptr_eq(b->name, a->name);
		for (k = 0; k < 5; k++) {
			ck_assert_ptr_eq(fields[0][k], node_get(item, keys[k]));
			ck_assert_ptr_eq(fields[1][k], fields[0][k]);
		}
	}
	ck_assert_str_eq(node_text(shared->items[0].name->value), "second");
	ck_assert_str_eq(node_text(shared->items[0].app_protocol), "h2c");
	ck_assert_ptr_null(shared->items[1].port);
	ck_assert_ptr_null(shared->items[1].name);
	ck_assert_str_eq(node_text(shared->items[2].port), "53");
	ck_assert_ptr_null(shared->items[2].protocol);
	/* ports that are not a list: no view */
	ck_assert_ptr_null(rule_service_ports(&ctx, objects.items[1])->list);
	object_list_release(&objects);
	free(set.documents);
	free(set.problems);
	arena_release(&arena);
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
	tcase_add_test(t, test_kinds_cover_what_rules_report);
	tcase_add_test(t, test_service_ports_view);
	suite_add_tcase(s, t);
	return s;
}
