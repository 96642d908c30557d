/* test_selector.c: label selectors against apimachinery's LabelSelectorAsSelector and Matches. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector.h"

Suite *selector_suite(void);

struct parsed {
	struct arena arena;
	struct doc_set set;
	struct selector selector;
	struct selector_error error;
	int rc;
};

/* Parses the YAML text and reads node "selector" of its first document. */
static void parse(struct parsed *p, const char *yaml)
{
	arena_init(&p->arena);
	memset(&p->error, 0, sizeof(p->error));
	ck_assert_int_eq(doc_parse(&p->set, &p->arena, yaml, strlen(yaml), &doc_default_limits), 0);
	ck_assert_uint_ge(p->set.count, 1);
	p->rc = selector_parse(&p->selector, &p->arena, node_get(p->set.documents[0].root, "selector"), &p->error);
}

static void release(struct parsed *p)
{
	free(p->set.documents);
	free(p->set.problems);
	arena_release(&p->arena);
}

/* Whether the selector in selector_yaml matches the labels map in labels_yaml ("{}" for none). */
static bool matches(const char *selector_yaml, const char *labels_yaml)
{
	struct parsed p, labels;
	char *text = malloc(strlen(selector_yaml) + 16);
	char *label_text = malloc(strlen(labels_yaml) + 16);
	bool result;

	strcpy(text, "selector: ");
	strcat(text, selector_yaml);
	strcpy(label_text, "selector: ");
	strcat(label_text, labels_yaml);
	parse(&p, text);
	ck_assert_int_eq(p.rc, 0);
	parse(&labels, label_text);
	result = selector_matches_map(&p.selector, node_get(labels.set.documents[0].root, "selector"));
	release(&labels);
	release(&p);
	free(text);
	free(label_text);
	return result;
}

START_TEST(test_nil_and_empty)
{
	struct parsed p;

	parse(&p, "other: 1\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_int_eq(p.selector.kind, SELECTOR_NOTHING);
	release(&p);
	parse(&p, "selector: null\n");
	ck_assert_int_eq(p.selector.kind, SELECTOR_NOTHING);
	ck_assert(!selector_matches_map(&p.selector, NULL));
	release(&p);
	parse(&p, "selector: {}\n");
	ck_assert_int_eq(p.selector.kind, SELECTOR_EVERYTHING);
	ck_assert(selector_matches_map(&p.selector, NULL));
	release(&p);
	parse(&p, "selector: {matchLabels: {}, matchExpressions: []}\n");
	ck_assert_int_eq(p.selector.kind, SELECTOR_EVERYTHING);
	release(&p);
	parse(&p, "selector: {matchLabels: null, matchExpressions: null}\n");
	ck_assert_int_eq(p.selector.kind, SELECTOR_EVERYTHING);
	release(&p);
	/* The API server prunes unknown fields: a misspelt matchLabels selects everything. */
	parse(&p, "selector: {matchLabel: {app: x}}\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_int_eq(p.selector.kind, SELECTOR_EVERYTHING);
	release(&p);
}
END_TEST

START_TEST(test_match_labels)
{
	ck_assert(matches("{matchLabels: {app: etcd}}", "{app: etcd, tier: db}"));
	ck_assert(!matches("{matchLabels: {app: etcd}}", "{app: etcd-prom}"));
	ck_assert(!matches("{matchLabels: {app: etcd}}", "{}"));
	ck_assert(!matches("{matchLabels: {app: etcd, tier: db}}", "{app: etcd}"));
	ck_assert(matches("{matchLabels: {app.kubernetes.io/name: etcd}}", "{app.kubernetes.io/name: etcd}"));
	/* Values compare exactly: case matters, and "" needs the label present. */
	ck_assert(!matches("{matchLabels: {app: Etcd}}", "{app: etcd}"));
	ck_assert(matches("{matchLabels: {app: ''}}", "{app: ''}"));
	ck_assert(!matches("{matchLabels: {app: ''}}", "{}"));
	/* A quoted number is a string value. */
	ck_assert(matches("{matchLabels: {version: '2'}}", "{version: '2'}"));
}
END_TEST

START_TEST(test_match_expressions)
{
	ck_assert(matches("{matchExpressions: [{key: app, operator: In, values: [a, b]}]}", "{app: b}"));
	ck_assert(!matches("{matchExpressions: [{key: app, operator: In, values: [a, b]}]}", "{app: c}"));
	ck_assert(!matches("{matchExpressions: [{key: app, operator: In, values: [a, b]}]}", "{}"));
	/* NotIn matches when the label is absent. */
	ck_assert(matches("{matchExpressions: [{key: app, operator: NotIn, values: [a]}]}", "{}"));
	ck_assert(matches("{matchExpressions: [{key: app, operator: NotIn, values: [a]}]}", "{app: b}"));
	ck_assert(!matches("{matchExpressions: [{key: app, operator: NotIn, values: [a]}]}", "{app: a}"));
	ck_assert(matches("{matchExpressions: [{key: app, operator: Exists}]}", "{app: ''}"));
	ck_assert(!matches("{matchExpressions: [{key: app, operator: Exists}]}", "{other: x}"));
	ck_assert(matches("{matchExpressions: [{key: app, operator: DoesNotExist}]}", "{other: x}"));
	ck_assert(!matches("{matchExpressions: [{key: app, operator: DoesNotExist}]}", "{app: x}"));
	/* Exists with values: [] is fine (an empty list is no values). */
	ck_assert(matches("{matchExpressions: [{key: app, operator: Exists, values: []}]}", "{app: x}"));
	/* Requirements are ANDed, across matchLabels and matchExpressions. */
	ck_assert(matches("{matchLabels: {a: '1'}, matchExpressions: [{key: b, operator: Exists}]}", "{a: '1', b: x}"));
	ck_assert(!matches("{matchLabels: {a: '1'}, matchExpressions: [{key: b, operator: Exists}]}", "{a: '1'}"));
}
END_TEST

struct invalid_case {
	const char *yaml;
	const char *message;	/* a part of the error message */
	unsigned int line, column;	/* where the error points */
};

static const struct invalid_case invalid_cases[] = {
	{ "selector: [app]\n", "must be a map", 1, 11 },
	{ "selector: {matchLabels: [a]}\n", "matchLabels must be a map", 1, 25 },
	{ "selector: {matchLabels: {'a b': x}}\n", "label key 'a b' is invalid", 1, 26 },
	{ "selector: {matchLabels: {app: -x}}\n", "label value '-x' for key 'app' is invalid", 1, 31 },
	{ "selector: {matchLabels: {version: 2}}\n", "must be a string, not an integer", 1, 35 },
	{ "selector: {matchLabels: {on: true}}\n", "must be a string, not a boolean", 1, 30 },
	{ "selector: {matchExpressions: {key: a}}\n", "matchExpressions must be a list", 1, 30 },
	{ "selector: {matchExpressions: [{operator: Exists}]}\n", "matchExpressions[0] has no key", 1, 31 },
	{ "selector: {matchExpressions: [{key: a}]}\n", "matchExpressions[0] has no operator", 1, 31 },
	{ "selector: {matchExpressions: [{key: a, operator: in, values: [x]}]}\n",
	  "'in' is not a valid label selector operator", 1, 50 },
	{ "selector: {matchExpressions: [{key: a, operator: Equals, values: [x]}]}\n",
	  "'Equals' is not a valid label selector operator", 1, 50 },
	{ "selector: {matchExpressions: [{key: a, operator: In}]}\n", "operator In needs at least one value", 1, 50 },
	{ "selector: {matchExpressions: [{key: a, operator: NotIn, values: []}]}\n",
	  "operator NotIn needs at least one value", 1, 65 },
	{ "selector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}\n", "operator Exists takes no values",
	  1, 66 },
	{ "selector: {matchExpressions: [{key: a, operator: In, values: x}]}\n", "values must be a list of strings",
	  1, 62 },
	{ "selector: {matchExpressions: [{key: a, operator: In, values: [1]}]}\n",
	  "matchExpressions[0].values[0] must be a string, not an integer", 1, 63 },
	{ "selector: {matchExpressions: [{key: 'x/y/z', operator: Exists}]}\n", "label key 'x/y/z' is invalid", 1, 37 },
	{ "selector: {matchExpressions: [{key: a, operator: In, values: ['a b']}]}\n",
	  "label value 'a b' for key 'a' is invalid", 1, 63 },
};

START_TEST(test_invalid)
{
	const struct invalid_case *c = &invalid_cases[_i];
	struct parsed p;

	parse(&p, c->yaml);
	ck_assert_msg(p.rc == -1, "accepted: %s", c->yaml);
	ck_assert_msg(strstr(p.error.message, c->message) != NULL, "%s: got '%s'", c->yaml, p.error.message);
	ck_assert_ptr_nonnull(p.error.at);
	ck_assert_msg(p.error.at->line == c->line && p.error.at->column == c->column, "%s: at %u:%u", c->yaml,
		      p.error.at->line, p.error.at->column);
	release(&p);
}
END_TEST

START_TEST(test_null_value_unknown)
{
	struct parsed p;

	parse(&p, "selector: {matchLabels: {app: null}}\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_int_eq(p.selector.kind, SELECTOR_UNKNOWN);
	ck_assert(!selector_matches_map(&p.selector, NULL));
	release(&p);
}
END_TEST

static const char *only_name(const void *data, const char *key)
{
	return strcmp(key, "kubernetes.io/metadata.name") == 0 ? data : NULL;
}

START_TEST(test_only_key_and_source)
{
	struct parsed p;
	struct label_source ns = { only_name, "kube-system" };

	parse(&p, "selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, "
		  "values: [kube-system, monitoring]}]}\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert(selector_only_key(&p.selector, "kubernetes.io/metadata.name"));
	ck_assert(selector_matches(&p.selector, &ns));
	ns.data = "default";
	ck_assert(!selector_matches(&p.selector, &ns));
	ck_assert_ptr_eq(selector_first_failure(&p.selector, &ns), &p.selector.requirements[0]);
	release(&p);
	parse(&p, "selector: {matchLabels: {team: a}}\n");
	ck_assert(!selector_only_key(&p.selector, "kubernetes.io/metadata.name"));
	release(&p);
}
END_TEST

/* YAML 1.1, as Kubernetes' decoder reads it: a plain y is a boolean, not a key name. */
START_TEST(test_yaml11_booleans)
{
	struct parsed p;

	parse(&p, "selector: {matchExpressions: [{key: y, operator: Exists}]}\n");
	ck_assert_int_eq(p.rc, -1);
	ck_assert_ptr_nonnull(strstr(p.error.message, "key must be a string, not a boolean"));
	release(&p);
	parse(&p, "selector: {matchExpressions: [{key: 'y', operator: Exists}]}\n");
	ck_assert_int_eq(p.rc, 0);
	release(&p);
}
END_TEST

START_TEST(test_describe)
{
	struct parsed p;

	parse(&p, "selector:\n  matchLabels: {app: etcd}\n  matchExpressions:\n"
		  "  - {key: tier, operator: In, values: [a, b]}\n  - {key: zone, operator: NotIn, values: [c]}\n"
		  "  - {key: ready, operator: Exists}\n  - {key: canary, operator: DoesNotExist}\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_str_eq(selector_describe(&p.arena, &p.selector), "app=etcd,tier in (a,b),zone notin (c),ready,!canary");
	release(&p);
	parse(&p, "selector: {}\n");
	ck_assert_str_eq(selector_describe(&p.arena, &p.selector), "<everything>");
	release(&p);
}
END_TEST

/*
 * In and NotIn over more than SELECTOR_SORTED_MIN values search a sorted copy: every value is found
 * (first, last, repeated, prefixes of others), values between them are not, and the source order is
 * what selector_describe() writes.  At the bound the values are read in order, with the same answers.
 */
START_TEST(test_many_values)
{
	static const size_t counts[] = { SELECTOR_SORTED_MIN, SELECTOR_SORTED_MIN + 1, 200 };
	static const char *const operators[] = { "In", "NotIn" };
	char values[4096], selector[4200], yaml[4300], labels[64];
	size_t c, i, o;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		size_t n = counts[c];
		struct parsed p;
		const struct selector_requirement *r;

		/* v<n-1> ... v2 v1, then v0 twice in place of v1: descending, with a repeat. */
		values[0] = '\0';
		for (i = 0; i < n; i++)
			snprintf(values + strlen(values), sizeof(values) - strlen(values), "%sv%zu", i ? ", " : "",
				 i + 2 >= n ? (size_t)0 : n - 1 - i);
		snprintf(selector, sizeof(selector), "{matchExpressions: [{key: tier, operator: In, values: [%s]}]}",
			 values);
		snprintf(yaml, sizeof(yaml), "selector: %s\n", selector);
		parse(&p, yaml);
		ck_assert_int_eq(p.rc, 0);
		r = &p.selector.requirements[0];
		ck_assert_uint_eq(r->value_count, n);
		if (n > SELECTOR_SORTED_MIN) {
			ck_assert_ptr_nonnull(r->sorted);
			for (i = 1; i < n; i++)
				ck_assert_int_le(strcmp(r->sorted[i - 1], r->sorted[i]), 0);
		} else {
			ck_assert_ptr_null(r->sorted);
		}
		snprintf(labels, sizeof(labels), "tier in (v%zu,v%zu,", n - 1, n - 2);
		ck_assert_int_eq(strncmp(selector_describe(&p.arena, &p.selector), labels, strlen(labels)), 0);
		release(&p);
		for (o = 0; o < 2; o++) {
			snprintf(selector, sizeof(selector), "{matchExpressions: [{key: tier, operator: %s, values: [%s]}]}",
				 operators[o], values);
			/* v1 is left out; v<n-1> is first, v0 last (twice); v<n> and v<n+1> are past them. */
			for (i = 0; i < n + 2; i++) {
				bool in = i == 0 || (i >= 2 && i < n);

				snprintf(labels, sizeof(labels), "{tier: v%zu}", i);
				ck_assert_msg(matches(selector, labels) == (o ? !in : in), "%zu values, %s: v%zu", n,
					      operators[o], i);
			}
			ck_assert(matches(selector, "{tier: v}") == (o == 1));
			ck_assert(matches(selector, "{tier: v00}") == (o == 1));
			ck_assert(matches(selector, "{other: v0}") == (o == 1));
		}
	}
}
END_TEST

Suite *selector_suite(void)
{
	Suite *s = suite_create("selector");
	TCase *t = tcase_create("selector");

	tcase_add_test(t, test_nil_and_empty);
	tcase_add_test(t, test_match_labels);
	tcase_add_test(t, test_match_expressions);
	tcase_add_loop_test(t, test_invalid, 0, (int)(sizeof(invalid_cases) / sizeof(invalid_cases[0])));
	tcase_add_test(t, test_null_value_unknown);
	tcase_add_test(t, test_only_key_and_source);
	tcase_add_test(t, test_yaml11_booleans);
	tcase_add_test(t, test_describe);
	tcase_add_test(t, test_many_values);
	suite_add_tcase(s, t);
	return s;
}
