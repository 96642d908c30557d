/* test_doc.c: positions, YAML features and limits of the node tree builder. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "suites.h"

struct parsed {
	struct arena arena;
	struct doc_set set;
	int rc;
};

static void parse(struct parsed *p, const char *text)
{
	arena_init(&p->arena);
	p->rc = doc_parse(&p->set, &p->arena, text, strlen(text), &doc_default_limits);
}

static void parse_n(struct parsed *p, const char *text, size_t len, const struct doc_limits *limits)
{
	arena_init(&p->arena);
	p->rc = doc_parse(&p->set, &p->arena, text, len, limits);
}

static void done(struct parsed *p)
{
	free(p->set.documents);
	free(p->set.problems);
	arena_release(&p->arena);
}

#define ck_position(node, l, c) do { \
	ck_assert_ptr_nonnull(node); \
	ck_assert_uint_eq((node)->line, (l)); \
	ck_assert_uint_eq((node)->column, (c)); \
} while (0)

START_TEST(test_block_positions)
{
	struct parsed p;

	parse(&p, "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_uint_eq(p.set.count, 1);
	ck_position(node_get_path(p.set.documents[0].root, "metadata.name"), 4, 9);
	ck_position(node_get_path(p.set.documents[0].root, "metadata.namespace"), 5, 14);
	ck_assert_str_eq(node_text(node_get_path(p.set.documents[0].root, "metadata.name")), "etcd-prom");
	done(&p);
}
END_TEST

START_TEST(test_multi_document_positions)
{
	struct parsed p;

	parse(&p, "a: 1\n---\nkind: Endpoints\nmetadata:\n  name: x\n---\n---\nb: [1, {c: d}]\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_uint_eq(p.set.count, 4);
	ck_position(node_get_path(p.set.documents[1].root, "metadata.name"), 5, 9);
	ck_assert(node_is_null(p.set.documents[2].root));
	ck_position(node_get(p.set.documents[3].root, "b")->u.items[1], 8, 8);
	ck_position(node_get(node_get(p.set.documents[3].root, "b")->u.items[1], "c"), 8, 12);
	ck_assert_uint_eq(p.set.documents[1].start.line, 2);
	done(&p);
}
END_TEST

START_TEST(test_crlf_and_bom)
{
	struct parsed p;

	parse(&p, "\xEF\xBB\xBFkind: Service\r\nmetadata:\r\n  name: web\r\n");
	ck_assert_int_eq(p.rc, 0);
	ck_position(node_get(p.set.documents[0].root, "kind"), 1, 7);
	ck_position(node_get_path(p.set.documents[0].root, "metadata.name"), 3, 9);
	done(&p);
}
END_TEST

START_TEST(test_unicode_columns)
{
	struct parsed p;

	/* Columns count characters: "é" is one column though two bytes. */
	parse(&p, "{\"é\": 1, \"name\": x}\n");
	ck_position(node_get(p.set.documents[0].root, "name"), 1, 18);
	done(&p);
}
END_TEST

START_TEST(test_json)
{
	struct parsed p;
	long long v;

	parse(&p, "{\n  \"kind\": \"Service\",\n  \"spec\": {\"ports\": [{\"port\": 2379}]}\n}\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert(node_int(node_get_path(p.set.documents[0].root, "spec.ports")->u.items[0]->u.pairs[0].value, &v));
	ck_assert_int_eq(v, 2379);
	ck_position(node_get_path(p.set.documents[0].root, "spec.ports")->u.items[0], 3, 22);
	done(&p);
}
END_TEST

START_TEST(test_aliases_and_merge)
{
	struct parsed p;
	const struct node *b;

	parse(&p, "base: &b {name: x, port: 1}\nother:\n  <<: *b\n  port: 2\nref: *b\n");
	ck_assert_int_eq(p.rc, 0);
	b = node_get(p.set.documents[0].root, "other");
	ck_assert_uint_eq(b->count, 2);
	ck_assert_str_eq(node_text(node_get(b, "port")), "2");
	ck_assert_str_eq(node_text(node_get(b, "name")), "x");
	/* A merged value keeps the position of the anchored text. */
	ck_position(node_get(b, "name"), 1, 17);
	ck_assert_ptr_eq(node_get(p.set.documents[0].root, "ref"), node_get(p.set.documents[0].root, "base"));
	done(&p);
}
END_TEST

START_TEST(test_merge_list)
{
	struct parsed p;
	const struct node *m;

	parse(&p, "a: &a {x: 1}\nb: &b {x: 2, y: 3}\nc:\n  <<: [*a, *b]\n");
	m = node_get(p.set.documents[0].root, "c");
	ck_assert_str_eq(node_text(node_get(m, "x")), "1");
	ck_assert_str_eq(node_text(node_get(m, "y")), "3");
	done(&p);
}
END_TEST

START_TEST(test_duplicate_keys)
{
	struct parsed p;

	parse(&p, "a: 1\nb: 2\na: 3\n");
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_DUPLICATE_KEY);
	ck_assert_uint_eq(p.set.problems[0].at.line, 3);
	ck_assert_uint_eq(p.set.problems[0].context.line, 1);
	ck_assert_str_eq(node_text(node_get(p.set.documents[0].root, "a")), "3");
	done(&p);
}
END_TEST

START_TEST(test_duplicate_keys_large_map)
{
	struct parsed p;
	char text[4096];
	size_t n = 0;
	int i;

	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k%d: %d\n", i, i);
	snprintf(text + n, sizeof(text) - n, "k7: again\n");
	parse(&p, text);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_uint_eq(p.set.problems[0].at.line, 41);
	ck_assert_uint_eq(p.set.problems[0].context.line, 8);
	done(&p);
}
END_TEST

START_TEST(test_syntax_error_marks)
{
	struct parsed p;

	parse(&p, "a: 1\n---\nspec:\n  ports:\n  - name: x\n     port: 1\n");
	ck_assert_int_eq(p.rc, -1);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_SYNTAX);
	ck_assert_uint_eq(p.set.problems[0].at.line, 6);
	ck_assert_uint_eq(p.set.problems[0].at.column, 10);
	/* The document before the error survives. */
	ck_assert_ptr_nonnull(p.set.documents[0].root);
	done(&p);
}
END_TEST

START_TEST(test_depth_limit)
{
	struct parsed p;
	struct doc_limits limits = doc_default_limits;
	char text[256];

	limits.max_depth = 5;
	memset(text, '[', 10);
	memset(text + 10, ']', 10);
	text[20] = '\0';
	parse_n(&p, text, strlen(text), &limits);
	ck_assert_int_eq(p.rc, -1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_LIMIT);
	ck_assert_uint_eq(p.set.problems[0].at.column, 6);
	done(&p);
}
END_TEST

START_TEST(test_alias_bomb)
{
	struct parsed p;
	struct doc_limits limits = doc_default_limits;
	static const char bomb[] = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
				   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
				   "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";

	limits.max_alias_nodes = 1000;
	parse_n(&p, bomb, strlen(bomb), &limits);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_LIMIT);
	ck_assert_uint_eq(p.set.problems[0].at.line, 3);
	ck_assert_ptr_null(p.set.documents[0].root);
	done(&p);
}
END_TEST

START_TEST(test_self_alias)
{
	struct parsed p;

	parse(&p, "a: &a [1, *a]\n");
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_ALIAS);
	ck_assert_uint_eq(p.set.problems[0].at.column, 11);
	ck_assert_ptr_null(p.set.documents[0].root);
	done(&p);
}
END_TEST

START_TEST(test_binary_and_utf8)
{
	struct parsed p;

	parse_n(&p, "a: 1\n\0\0\x01", 8, &doc_default_limits);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_ENCODING);
	ck_assert_uint_eq(p.set.problems[0].at.line, 2);
	done(&p);
	parse(&p, "a: 1\nb: \xff\xfe oops\n");
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_ENCODING);
	ck_assert_uint_eq(p.set.problems[0].at.line, 2);
	ck_assert_uint_eq(p.set.problems[0].at.column, 4);
	done(&p);
}
END_TEST

START_TEST(test_scalar_types)
{
	struct parsed p;
	const struct node *r;
	long long v;
	bool b;

	parse(&p, "a: 80\nb: \"80\"\nc: 0x10\nd: 010\ne: yes\nf: ~\ng: 1.5\nh: !!str 5\ni: -3\nj: 1_000\nk: ''\n");
	r = p.set.documents[0].root;
	ck_assert(node_int(node_get(r, "a"), &v) && v == 80);
	ck_assert(!node_is_int(node_get(r, "b")) && node_is_string(node_get(r, "b")));
	ck_assert(node_int(node_get(r, "c"), &v) && v == 16);
	ck_assert(node_int(node_get(r, "d"), &v) && v == 8);
	ck_assert(node_bool(node_get(r, "e"), &b) && b);
	ck_assert(node_is_null(node_get(r, "f")));
	ck_assert(node_is_float(node_get(r, "g")) && !node_is_string(node_get(r, "g")));
	ck_assert(node_is_string(node_get(r, "h")) && !node_is_int(node_get(r, "h")));
	ck_assert(node_int(node_get(r, "i"), &v) && v == -3);
	ck_assert(node_int(node_get(r, "j"), &v) && v == 1000);
	ck_assert(node_is_string(node_get(r, "k")) && !node_is_null(node_get(r, "k")));
	ck_assert(node_is_null(node_get(r, "missing")));
	ck_assert_str_eq(node_type_name(node_get(r, "a")), "integer");
	ck_assert_str_eq(node_type_name(node_get(r, "e")), "boolean");
	done(&p);
}
END_TEST

START_TEST(test_helm_source_comments)
{
	struct parsed p;

	parse(&p, "---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\n"
		  "---\n# Source: chart/templates/ep.yaml\napiVersion: v1\nkind: Endpoints\n");
	ck_assert_uint_eq(p.set.count, 2);
	ck_assert_str_eq(p.set.documents[0].source_comment, "chart/templates/svc.yaml");
	ck_assert_str_eq(p.set.documents[1].source_comment, "chart/templates/ep.yaml");
	done(&p);
}
END_TEST

START_TEST(test_node_copy)
{
	struct parsed p;
	struct arena other;
	struct node *copy;

	parse(&p, "a: &x {b: [1, 2]}\nc: *x\n");
	arena_init(&other);
	copy = node_copy(&other, NULL, p.set.documents[0].root);
	done(&p);
	ck_assert_str_eq(node_text(node_get(node_get(copy, "c"), "b")->u.items[1]), "2");
	ck_assert_uint_eq(node_get(copy, "c")->line, 1);
	arena_release(&other);
}
END_TEST

START_TEST(test_node_copy_shares_what_the_source_shares)
{
	struct parsed p;
	struct arena other;
	struct string_pool strings;
	struct node *copy;
	const struct node *a, *c, *d;

	parse(&p, "a: &x {b: [1, 2]}\nc: *x\nd: {<<: *x, e: name}\nf: name\n");
	arena_init(&other);
	string_pool_init(&strings, &other);
	copy = node_copy(&other, &strings, p.set.documents[0].root);
	done(&p);
	a = node_get(copy, "a");
	c = node_get(copy, "c");
	d = node_get(copy, "d");
	/* The alias names the same copy, and the merged pair is the anchored map's own. */
	ck_assert_ptr_eq(a, c);
	ck_assert_ptr_eq(node_get(d, "b"), node_get(a, "b"));
	/* Equal texts come from the pool once. */
	ck_assert_ptr_eq(node_text(node_get(d, "e")), node_text(node_get(copy, "f")));
	ck_assert_str_eq(node_text(node_get(copy, "f")), "name");
	ck_assert_uint_eq(node_get(copy, "f")->line, 4);
	string_pool_release(&strings);
	arena_release(&other);
}
END_TEST

/* Copies through one node_cache share what is equal, position included, and nothing else. */
START_TEST(test_node_copy_cached_shares_equal_nodes)
{
	struct parsed p, q;
	struct arena other;
	struct string_pool strings;
	struct node_cache cache;
	struct node *one, *two, *big;
	const struct node *ports1, *ports2;
	char text[4096];
	size_t len = 0;
	int i;

	/* Two files from one template: ports alike, names different, one port moved a column. */
	parse(&p, "metadata:\n  name: a\nspec:\n  ports:\n  - {name: http, port: 80}\n  - {name: x, port: 1}\n");
	parse(&q, "metadata:\n  name: b\nspec:\n  ports:\n  - {name: http, port: 80}\n  -  {name: x, port: 1}\n");
	arena_init(&other);
	string_pool_init(&strings, &other);
	node_cache_init(&cache, 10);
	one = node_copy_cached(&other, &strings, &cache, p.set.documents[0].root);
	two = node_copy_cached(&other, &strings, &cache, q.set.documents[0].root);
	ports1 = node_get(node_get(one, "spec"), "ports");
	ports2 = node_get(node_get(two, "spec"), "ports");
	ck_assert_ptr_eq(ports1->u.items[0], ports2->u.items[0]);
	ck_assert_ptr_ne(ports1->u.items[1], ports2->u.items[1]);
	ck_assert_uint_eq(ports1->u.items[1]->column, 5);
	ck_assert_uint_eq(ports2->u.items[1]->column, 6);
	ck_assert_ptr_ne(ports1, ports2);
	ck_assert_ptr_ne(node_get(one, "metadata"), node_get(two, "metadata"));
	ck_assert_str_eq(node_text(node_get(node_get(one, "metadata"), "name")), "a");
	ck_assert_str_eq(node_text(node_get(node_get(two, "metadata"), "name")), "b");
	ck_assert_ptr_eq(node_get_pair(one, "spec")->key, node_get_pair(two, "spec")->key);
	ck_assert(node_is_int(node_get(ports2->u.items[1], "port")));
	ck_assert_uint_eq(cache.hits > 0, 1);
	node_cache_release(&cache);
	/* With two slots, misses keep replacing each other: the copies are still whole and right. */
	node_cache_init(&cache, 1);
	one = node_copy_cached(&other, &strings, &cache, p.set.documents[0].root);
	two = node_copy_cached(&other, &strings, &cache, q.set.documents[0].root);
	done(&p);
	done(&q);
	ports2 = node_get(node_get(two, "spec"), "ports");
	ck_assert_uint_eq(ports2->count, 2);
	ck_assert_str_eq(node_text(node_get(ports2->u.items[1], "name")), "x");
	ck_assert_uint_eq(ports2->u.items[1]->column, 6);
	ck_assert_str_eq(node_text(node_get(node_get(one, "metadata"), "name")), "a");
	/* A map large enough for a key index is copied with its index, and still answers. */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "m:\n");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "  k%d: %d\n", i, i);
	parse(&p, text);
	big = node_copy_cached(&other, &strings, &cache, p.set.documents[0].root);
	done(&p);
	ck_assert_str_eq(node_text(node_get(node_get(big, "m"), "k33")), "33");
	ck_assert_uint_eq(node_get(big, "m")->count, 40);
	/* Empty collections, the first thing a fresh copier meets (its stack of children still empty). */
	node_cache_release(&cache);
	node_cache_init(&cache, 8);
	parse(&p, "{}\n---\n[]\n---\nselector: {}\nports: []\n");
	one = node_copy_cached(&other, &strings, &cache, p.set.documents[0].root);
	two = node_copy_cached(&other, &strings, &cache, p.set.documents[1].root);
	big = node_copy_cached(&other, &strings, &cache, p.set.documents[2].root);
	done(&p);
	ck_assert(node_is_map(one) && one->count == 0);
	ck_assert(node_is_seq(two) && two->count == 0);
	ck_assert(node_is_map(node_get(big, "selector")) && node_get(big, "selector")->count == 0);
	ck_assert(node_is_seq(node_get(big, "ports")) && node_get(big, "ports")->count == 0);
	/* What an alias shares stays one node, merged pairs included. */
	parse(&p, "a: &x {b: [1, 2]}\nc: *x\nd: {<<: *x, e: 1}\n");
	big = node_copy_cached(&other, &strings, &cache, p.set.documents[0].root);
	done(&p);
	ck_assert_ptr_eq(node_get(big, "a"), node_get(big, "c"));
	ck_assert_ptr_eq(node_get(node_get(big, "d"), "b"), node_get(node_get(big, "a"), "b"));
	ck_assert_str_eq(node_text(node_get(node_get(big, "d"), "e")), "1");
	node_cache_release(&cache);
	string_pool_release(&strings);
	arena_release(&other);
}
END_TEST

/* arena_printf() formats in place when the head block has room, and in a new block when it has not;
 * the texts it returned before stay as they were. */
START_TEST(test_arena_printf)
{
	struct arena arena;
	const char *first, *second, *big, *after;
	char *wide = malloc(100001);
	size_t i, used;

	ck_assert_ptr_nonnull(wide);
	arena_init(&arena);
	first = arena_printf(&arena, "%s-%d", "port", 8080);	/* no block yet */
	used = arena.used;
	second = arena_printf(&arena, "%s/%s", first, "TCP");	/* in the head block's free bytes */
	ck_assert_str_eq(first, "port-8080");
	ck_assert_str_eq(second, "port-8080/TCP");
	ck_assert_ptr_eq(second, (const char *)arena.data + used);
	ck_assert_uint_eq(arena.used, used + strlen(second) + 1);
	/* Fill the head block to within a few bytes of its end: the next text does not fit there. */
	while (arena.data && arena.size - arena.used > 16)
		arena_alloc_bytes(&arena, arena.size - arena.used - 8 > 4096 ? 4096 : arena.size - arena.used - 8);
	after = arena_printf(&arena, "%s and %s, %d", first, second, 12345);
	ck_assert_str_eq(after, "port-8080 and port-8080/TCP, 12345");
	/* Larger than a block. */
	for (i = 0; i < 100000; i++)
		wide[i] = (char)('a' + i % 26);
	wide[100000] = '\0';
	big = arena_printf(&arena, "<%s>", wide);
	ck_assert_uint_eq(strlen(big), 100002);
	ck_assert_int_eq(big[0], '<');
	ck_assert_int_eq(memcmp(big + 1, wide, 100000), 0);
	ck_assert_str_eq(first, "port-8080");
	ck_assert_str_eq(second, "port-8080/TCP");
	ck_assert_str_eq(arena_printf(&arena, "%s", ""), "");
	arena_release(&arena);
	free(wide);
}
END_TEST

START_TEST(test_string_pool)
{
	struct arena arena;
	struct string_pool pool;
	char longer[STRING_POOL_MAX + 2];
	const char *first, *again;
	int i;

	arena_init(&arena);
	string_pool_init(&pool, &arena);
	first = string_pool_get(&pool, "a\0b", 3);
	ck_assert_ptr_eq(string_pool_get(&pool, "a\0b", 3), first);
	ck_assert_ptr_ne(string_pool_get(&pool, "a", 1), first);
	ck_assert_int_eq(memcmp(first, "a\0b", 4), 0);
	/* Past the first table size the texts are all still found. */
	for (i = 0; i < 5000; i++) {
		char text[16];

		snprintf(text, sizeof(text), "k%d", i);
		string_pool_get(&pool, text, strlen(text));
	}
	ck_assert_ptr_eq(string_pool_get(&pool, "a\0b", 3), first);
	ck_assert_ptr_eq(string_pool_get(&pool, "k4999", 5), string_pool_get(&pool, "k4999", 5));
	/* Longer texts are copied, not pooled. */
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	again = string_pool_get(&pool, longer, sizeof(longer) - 1);
	ck_assert_ptr_ne(string_pool_get(&pool, longer, sizeof(longer) - 1), again);
	ck_assert_str_eq(again, longer);
	string_pool_release(&pool);
	arena_release(&arena);
}
END_TEST

/* The resolution doc_parse() stores in a scalar's flags answers as the text alone would. */
START_TEST(test_scalar_resolution_cached)
{
	static const char *const texts[] = {
		"~", "null", "Null", "NULL", "''", "y", "No", "on", "OFF", "true", "False", "yes", "n", "0x1F",
		"0o17", "-12", "+7", "1e3", ".inf", "-.Inf", ".NaN", "1.5", "-.5", "name", "nan", "'true'",
		"!!str 1", "\"null\"", "ONE", "nulls", "falsey", "0x", ".", "-x", "+", "1_000", "8080", "0", "9",
		"0123", "123456789012345678", "1234567890123456789", "99999999999999999999", "12:30", "\"443\"",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct parsed p;
		struct node bare;
		const struct node *n;
		bool v1 = false, v2 = false;

		parse(&p, texts[i]);
		n = p.set.documents[0].root;
		ck_assert_ptr_nonnull(n);
		ck_assert_msg(n->flags & NODE_RESOLVED, "resolved: %s", texts[i]);
		bare = *n;
		bare.flags &= (unsigned short)~(NODE_RESOLVED | NODE_NULL | NODE_BOOL | NODE_TRUE | NODE_INT |
						NODE_FLOAT);
		ck_assert_msg(node_is_null(n) == node_is_null(&bare), "null: %s", texts[i]);
		ck_assert_msg(node_bool(n, &v1) == node_bool(&bare, &v2) && v1 == v2, "bool: %s", texts[i]);
		ck_assert_msg(node_is_int(n) == node_is_int(&bare), "int: %s", texts[i]);
		ck_assert_msg(node_is_float(n) == node_is_float(&bare), "float: %s", texts[i]);
		ck_assert_msg(node_is_string(n) == node_is_string(&bare), "string: %s", texts[i]);
		done(&p);
	}
}
END_TEST

/* Every YAML 1.1 boolean word, with its value; and words that are not booleans. */
START_TEST(test_boolean_words)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {
		{ "y", true }, { "Y", true }, { "n", false }, { "N", false }, { "on", true }, { "On", true },
		{ "ON", true }, { "no", false }, { "No", false }, { "NO", false }, { "yes", true }, { "Yes", true },
		{ "YES", true }, { "off", false }, { "Off", false }, { "OFF", false }, { "true", true },
		{ "True", true }, { "TRUE", true }, { "false", false }, { "False", false }, { "FALSE", false },
	};
	static const char *const others[] = { "yES", "oN", "nO", "tRUE", "falsE", "yess", "t", "f", "'true'" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct parsed p;
		bool value = !words[i].value;

		parse(&p, words[i].text);
		ck_assert_msg(node_bool(p.set.documents[0].root, &value), "%s is a boolean", words[i].text);
		ck_assert_msg(value == words[i].value, "%s is %d", words[i].text, words[i].value);
		done(&p);
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct parsed p;

		parse(&p, others[i]);
		ck_assert_msg(!node_bool(p.set.documents[0].root, NULL), "%s is not a boolean", others[i]);
		done(&p);
	}
}
END_TEST

START_TEST(test_merge_large_map_linear)
{
	/* `<<: *big` beside many explicit keys was quadratic; 20,000 + 20,000 keys must stay instant. */
	struct parsed p;
	size_t cap = 1u << 20, n = 0;
	char *text = malloc(cap);
	const struct node *m;
	int i;

	n += (size_t)snprintf(text + n, cap - n, "a: &a {");
	for (i = 0; i < 20000; i++)
		n += (size_t)snprintf(text + n, cap - n, "%sk%d: 1", i ? ", " : "", i);
	n += (size_t)snprintf(text + n, cap - n, "}\nb:\n  <<: *a\n");
	for (i = 10000; i < 30000; i++)
		n += (size_t)snprintf(text + n, cap - n, "  k%d: 2\n", i);
	parse_n(&p, text, n, &doc_default_limits);
	ck_assert_int_eq(p.rc, 0);
	ck_assert_uint_eq(p.set.problem_count, 0);
	m = node_get(p.set.documents[0].root, "b");
	ck_assert_uint_eq(m->count, 30000);
	ck_assert_str_eq(node_text(node_get(m, "k0")), "1");
	ck_assert_str_eq(node_text(node_get(m, "k10000")), "2");
	ck_assert_str_eq(node_text(node_get(m, "k29999")), "2");
	done(&p);
	free(text);
}
END_TEST

START_TEST(test_anchor_redefined_and_per_document)
{
	struct parsed p;

	parse(&p, "a: &x 1\nb: &x 2\nc: *x\n");
	ck_assert_str_eq(node_text(node_get(p.set.documents[0].root, "c")), "2");
	done(&p);
	parse(&p, "a: &x 1\n---\nb: *x\n");
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_ALIAS);
	ck_assert_ptr_nonnull(p.set.documents[0].root);
	ck_assert_ptr_null(p.set.documents[1].root);
	done(&p);
}
END_TEST

START_TEST(test_alias_expanded_depth)
{
	struct parsed p;
	struct doc_limits limits = doc_default_limits;
	static const char fits[] = "a: &a [[1]]\nb: [[*a]]\n";	/* map, list, list, then 2 more: 5 */
	static const char deeper[] = "a: &a [[1]]\nb: [[[*a]]]\n";	/* 6 */

	limits.max_depth = 5;
	parse_n(&p, fits, strlen(fits), &limits);
	ck_assert_uint_eq(p.set.problem_count, 0);
	done(&p);
	parse_n(&p, deeper, strlen(deeper), &limits);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_LIMIT);
	ck_assert_uint_eq(p.set.problems[0].at.line, 2);
	ck_assert_uint_eq(p.set.problems[0].at.column, 7);
	ck_assert_ptr_null(p.set.documents[0].root);
	done(&p);
}
END_TEST

START_TEST(test_alias_budget_per_file)
{
	struct parsed p;
	struct doc_limits limits = doc_default_limits;
	static const char text[] = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: *a\n---\n"
				   "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: *a\n";

	limits.max_alias_nodes = 15;	/* each alias brings 10 nodes: the second document goes past */
	parse_n(&p, text, strlen(text), &limits);
	ck_assert_uint_eq(p.set.count, 2);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_LIMIT);
	ck_assert_uint_eq(p.set.problems[0].at.line, 5);
	ck_assert_ptr_nonnull(p.set.documents[0].root);
	ck_assert_ptr_null(p.set.documents[1].root);
	done(&p);
}
END_TEST

START_TEST(test_alias_budget_counts_scalar_bytes)
{
	/* A 640-byte scalar weighs 11 nodes: nine aliases fit in 100, the tenth does not. */
	struct parsed p;
	struct doc_limits limits = doc_default_limits;
	char text[2048];
	size_t n = 0;
	int i;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "a: &a ");
	memset(text + n, 'x', 640);
	n += 640;
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\nb%d: *a", i);
	limits.max_alias_nodes = 100;
	parse_n(&p, text, n, &limits);
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_LIMIT);
	ck_assert_uint_eq(p.set.problems[0].at.line, 11);
	done(&p);
}
END_TEST

START_TEST(test_node_copy_keeps_sharing)
{
	struct parsed p;
	struct arena other;
	struct node *copy;

	parse(&p, "a: &x {b: [1, 2]}\nc: *x\nd: {<<: *x, e: 3}\n");
	arena_init(&other);
	copy = node_copy(&other, NULL, p.set.documents[0].root);
	done(&p);
	ck_assert_ptr_eq(node_get(copy, "a"), node_get(copy, "c"));
	ck_assert_ptr_eq(node_get(node_get(copy, "d"), "b"), node_get(node_get(copy, "a"), "b"));
	ck_assert_str_eq(node_text(node_get(node_get(copy, "d"), "e")), "3");
	arena_release(&other);
}
END_TEST

START_TEST(test_tab_indentation_message)
{
	struct parsed p;

	parse(&p, "metadata:\n\tname: x\n");
	ck_assert_uint_eq(p.set.problem_count, 1);
	ck_assert_int_eq(p.set.problems[0].kind, PROBLEM_SYNTAX);
	ck_assert_uint_eq(p.set.problems[0].at.line, 2);
	ck_assert_ptr_nonnull(strstr(p.set.problems[0].message, "a tab indents this line"));
	done(&p);
	parse(&p, "a: [1,\n  }\n");	/* not a tab: libyaml's own words */
	ck_assert_ptr_null(strstr(p.set.problems[0].message, "tab"));
	done(&p);
}
END_TEST

START_TEST(test_empty_collections_first)
{
	/* Fuzzer crash: a childless collection before any child was stored took NULL + 0. */
	struct parsed p;

	parse(&p, "[]\n---\n{}\n---\n[[], {}]\n");
	ck_assert_int_eq(p.rc, 0);
	ck_assert_uint_eq(p.set.count, 3);
	ck_assert_uint_eq(p.set.documents[0].root->count, 0);
	ck_assert_uint_eq(p.set.documents[2].root->count, 2);
	done(&p);
}
END_TEST

/* ---- skimming ---- */

static bool skim_all(const void *data, const char *kind, size_t len)
{
	(void)data;
	(void)kind;
	(void)len;
	return true;
}

static bool skim_none(const void *data, const char *kind, size_t len)
{
	(void)data;
	(void)kind;
	(void)len;
	return false;
}

static const struct doc_skim skim_every_kind = { skim_all, NULL };

static void parse_skimming(struct parsed *p, const char *text, const struct doc_limits *limits,
			   const struct doc_skim *skim)
{
	arena_init(&p->arena);
	p->rc = doc_parse_skimming(&p->set, &p->arena, text, strlen(text), limits, skim);
}

/* Skimmed or not, a text has the same problems, in the same order, at the same places. */
static void ck_same_problems(const char *text, const struct doc_limits *limits)
{
	struct parsed whole, skimmed;
	size_t i;

	parse_n(&whole, text, strlen(text), limits);
	parse_skimming(&skimmed, text, limits, &skim_every_kind);
	ck_assert_int_eq(whole.rc, skimmed.rc);
	ck_assert_uint_eq(whole.set.count, skimmed.set.count);
	ck_assert_uint_eq(whole.set.problem_count, skimmed.set.problem_count);
	for (i = 0; i < whole.set.problem_count; i++) {
		const struct problem *a = &whole.set.problems[i], *b = &skimmed.set.problems[i];

		ck_assert_int_eq(a->kind, b->kind);
		ck_assert_uint_eq(a->at.line, b->at.line);
		ck_assert_uint_eq(a->at.column, b->at.column);
		ck_assert_uint_eq(a->context.line, b->context.line);
		ck_assert_uint_eq(a->context.column, b->context.column);
		ck_assert_str_eq(a->message, b->message);
	}
	for (i = 0; i < whole.set.count; i++)
		ck_assert_int_eq(whole.set.documents[i].root == NULL, skimmed.set.documents[i].root == NULL);
	done(&whole);
	done(&skimmed);
}

static bool is_skimmed(const struct node *n)
{
	return n && (n->flags & NODE_SKIMMED) && n->count == 0;
}

/* Past 16 keys repeats are found through a hash table: each repeat is reported once, with the key's
 * first occurrence, in source order; the same whether the map is built or skimmed. */
START_TEST(test_duplicate_keys_large_map_repeats)
{
	static const unsigned int at[] = { 22, 23, 24, 25 }, first[] = { 3, 3, 5, 3 };
	struct parsed p;
	char text[4096];
	size_t n = 0, i;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "kind: Deployment\nspec:\n");
	for (i = 0; i < 19; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "  k%zu: %zu\n", i, i);
	snprintf(text + n, sizeof(text) - n, "  k0: again\n  k0: and again\n  k2: too\n  k0: last\n");
	parse(&p, text);
	ck_assert_uint_eq(p.set.problem_count, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(p.set.problems[i].kind, PROBLEM_DUPLICATE_KEY);
		ck_assert_uint_eq(p.set.problems[i].at.line, at[i]);
		ck_assert_uint_eq(p.set.problems[i].context.line, first[i]);
	}
	ck_assert_str_eq(p.set.problems[2].message, "k2");
	ck_assert_str_eq(node_text(node_get(node_get(p.set.documents[0].root, "spec"), "k0")), "last");
	done(&p);
	ck_same_problems(text, NULL);
}
END_TEST

START_TEST(test_skim_keeps_identity)
{
	static const char text[] =
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: web\n"
		"  labels: {app: web}\n"
		"spec:\n"
		"  replicas: 2\n"
		"  template:\n"
		"    spec:\n"
		"      containers: [{name: web, image: nginx}]\n"
		"status: {}\n"
		"extra: [1, 2]\n"
		"note: plain\n";
	static const struct doc_skim never = { skim_none, NULL };
	struct parsed p;
	const struct node *root, *spec;

	parse_skimming(&p, text, NULL, &skim_every_kind);
	ck_assert_int_eq(p.rc, 0);
	root = p.set.documents[0].root;
	ck_assert_uint_eq(root->count, 7);
	ck_assert_str_eq(node_text(node_get_path(root, "metadata.name")), "web");
	ck_assert_str_eq(node_text(node_get_path(root, "metadata.labels.app")), "web");
	spec = node_get(root, "spec");
	ck_assert(is_skimmed(spec));
	ck_assert(node_is_map(spec));
	ck_position(spec, 7, 3);
	ck_assert(is_skimmed(node_get(root, "status")));
	ck_assert(is_skimmed(node_get(root, "extra")));
	ck_assert(node_is_seq(node_get(root, "extra")));
	/* Scalars are built: skimming saves only collections. */
	ck_assert_str_eq(node_text(node_get(root, "note")), "plain");
	done(&p);

	parse_skimming(&p, text, NULL, &never);
	spec = node_get(p.set.documents[0].root, "spec");
	ck_assert(!(spec->flags & NODE_SKIMMED));
	ck_assert_int_eq(node_int(node_get(spec, "replicas"), NULL), true);
	done(&p);
	ck_same_problems(text, NULL);
}
END_TEST

/* kind: must be known before the value: a value above it is built. */
START_TEST(test_skim_needs_kind_first)
{
	struct parsed p;
	const struct node *root;

	parse_skimming(&p, "spec: {a: 1}\nkind: ConfigMap\ndata: {b: 2}\n---\nkind: [x]\ndata: {c: 3}\n", NULL,
		       &skim_every_kind);
	root = p.set.documents[0].root;
	ck_assert_uint_eq(node_get(root, "spec")->count, 1);
	ck_assert(is_skimmed(node_get(root, "data")));
	/* A kind that is not a scalar skims nothing. */
	ck_assert_uint_eq(node_get(p.set.documents[1].root, "data")->count, 1);
	done(&p);
}
END_TEST

/* Repeated keys inside skimmed values are found where a whole parse finds them, large maps too. */
START_TEST(test_skim_finds_duplicate_keys)
{
	char big[4096];
	size_t n = 0;
	int i;

	ck_same_problems("kind: ConfigMap\ndata:\n  a: 1\n  b: {x: 1, x: 2}\n  a: 3\n  ? [complex]\n  : 4\n"
			 "  ? [complex]\n  : 5\n  c: [{d: 1, d: 2}]\n", NULL);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "kind: ConfigMap\ndata:\n");
	for (i = 0; i < 20; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "  k%d: %d\n", i % 15, i);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "  ? {complex: key}\n  : 1\n");
	ck_same_problems(big, NULL);
}
END_TEST

/* What skimming cannot answer alone (anchors, aliases, merge keys, a second kind:) parses whole. */
START_TEST(test_skim_falls_back_to_whole)
{
	static const char *const texts[] = {
		"kind: ConfigMap\ndata: {a: &x 1}\nmetadata: {name: *x}\n",
		"kind: ConfigMap\nmetadata: &m {name: a}\ndata: {b: *m}\n",
		"kind: ConfigMap\ndata: {b: *undefined}\n",
		"kind: ConfigMap\nmetadata: &m {name: a}\ndata: {<<: *m, name: b}\n",
		"kind: ConfigMap\ndata: {a: [&s {x: 1}]}\n",
		"kind: ConfigMap\ndata: {a: 1}\nkind: Service\n",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct parsed p;
		const struct node *data;

		parse_skimming(&p, texts[i], NULL, &skim_every_kind);
		data = p.set.documents[0].root ? node_get(p.set.documents[0].root, "data") : NULL;
		ck_assert_msg(!data || !(data->flags & NODE_SKIMMED), "skimmed: %s", texts[i]);
		done(&p);
		ck_same_problems(texts[i], NULL);
	}
}
END_TEST

/* An anchored value is built, and aliases to it anywhere work. */
START_TEST(test_skim_keeps_anchored_value)
{
	struct parsed p;
	const struct node *root;

	parse_skimming(&p, "kind: ConfigMap\ndata: &d {a: 1}\nmore: *d\nother: {b: 2}\n", NULL, &skim_every_kind);
	root = p.set.documents[0].root;
	ck_assert_uint_eq(node_get(root, "data")->count, 1);
	ck_assert_ptr_eq(node_get(root, "more"), node_get(root, "data"));
	ck_assert(is_skimmed(node_get(root, "other")));
	done(&p);
}
END_TEST

/* Limits hold inside skimmed values as they do in a whole parse. */
START_TEST(test_skim_limits)
{
	struct doc_limits limits = doc_default_limits;
	static char deep[2048];
	size_t n = 0;
	int i;

	limits.max_depth = 8;
	limits.max_scalar = 16;
	n += (size_t)snprintf(deep, sizeof(deep), "kind: ConfigMap\ndata: ");
	for (i = 0; i < 12; i++)
		deep[n++] = '[';
	for (i = 0; i < 12; i++)
		deep[n++] = ']';
	deep[n++] = '\n';
	deep[n] = '\0';
	ck_same_problems(deep, &limits);
	ck_same_problems("kind: ConfigMap\ndata: {a: 0123456789abcdefghij}\n---\nkind: B\ndata: {c: d}\n", &limits);
	ck_same_problems("kind: ConfigMap\ndata: {a: [1, 2}\n", NULL);
}
END_TEST

Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *t = tcase_create("positions");

	tcase_add_test(t, test_block_positions);
	tcase_add_test(t, test_node_copy_shares_what_the_source_shares);
	tcase_add_test(t, test_string_pool);
	tcase_add_test(t, test_arena_printf);
	tcase_add_test(t, test_scalar_resolution_cached);
	tcase_add_test(t, test_boolean_words);
	tcase_add_test(t, test_multi_document_positions);
	tcase_add_test(t, test_crlf_and_bom);
	tcase_add_test(t, test_unicode_columns);
	tcase_add_test(t, test_json);
	tcase_add_test(t, test_helm_source_comments);
	suite_add_tcase(s, t);
	t = tcase_create("features");
	tcase_add_test(t, test_aliases_and_merge);
	tcase_add_test(t, test_merge_list);
	tcase_add_test(t, test_duplicate_keys);
	tcase_add_test(t, test_duplicate_keys_large_map);
	tcase_add_test(t, test_duplicate_keys_large_map_repeats);
	tcase_add_test(t, test_scalar_types);
	tcase_add_test(t, test_node_copy);
	tcase_add_test(t, test_node_copy_keeps_sharing);
	tcase_add_test(t, test_merge_large_map_linear);
	tcase_add_test(t, test_anchor_redefined_and_per_document);
	tcase_add_test(t, test_empty_collections_first);
	suite_add_tcase(s, t);
	t = tcase_create("limits");
	tcase_add_test(t, test_syntax_error_marks);
	tcase_add_test(t, test_depth_limit);
	tcase_add_test(t, test_alias_bomb);
	tcase_add_test(t, test_self_alias);
	tcase_add_test(t, test_binary_and_utf8);
	tcase_add_test(t, test_alias_expanded_depth);
	tcase_add_test(t, test_alias_budget_per_file);
	tcase_add_test(t, test_alias_budget_counts_scalar_bytes);
	tcase_add_test(t, test_tab_indentation_message);
	tcase_add_test(t, test_node_copy_cached_shares_equal_nodes);
	suite_add_tcase(s, t);
	t = tcase_create("skimming");
	tcase_add_test(t, test_skim_keeps_identity);
	tcase_add_test(t, test_skim_needs_kind_first);
	tcase_add_test(t, test_skim_finds_duplicate_keys);
	tcase_add_test(t, test_skim_falls_back_to_whole);
	tcase_add_test(t, test_skim_keeps_anchored_value);
	tcase_add_test(t, test_skim_limits);
	suite_add_tcase(s, t);
	return s;
}
