/* test_parse_pool.c: the allocator libyaml uses inside svclint: classes, reuse, realloc in place and
 * moved, large blocks, many chunks, release, threads, and that libyaml really calls it. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "doc.h"
#include "parse-pool.def"
#include "parse_pool.h"
#include "suites.h"

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i);
}

static bool filled(const unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i))
			return false;
	return true;
}

START_TEST(test_sizes)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 511, 512 };
	unsigned char *a[8], *b[8];
	size_t in_use = parse_pool_in_use(), i;
	unsigned long long handed_out = parse_pool_handed_out();

	for (i = 0; i < 8; i++) {
		a[i] = parse_pool_malloc(sizes[i]);
		b[i] = parse_pool_malloc(sizes[i]);
		ck_assert_ptr_nonnull(a[i]);
		ck_assert_ptr_nonnull(b[i]);
		ck_assert_ptr_ne(a[i], b[i]);
		ck_assert_uint_eq((uintptr_t)a[i] % 16, 0);
		ck_assert_uint_eq((uintptr_t)b[i] % 16, 0);
		fill(a[i], sizes[i], 1);
		fill(b[i], sizes[i], 2);
	}
	ck_assert_uint_eq(parse_pool_in_use(), in_use + 16);
	ck_assert_uint_eq(parse_pool_handed_out(), handed_out + 16);
	for (i = 0; i < 8; i++) {
		ck_assert(filled(a[i], sizes[i], 1));
		ck_assert(filled(b[i], sizes[i], 2));
		parse_pool_free(a[i]);
		parse_pool_free(b[i]);
	}
	parse_pool_free(NULL);
	ck_assert_uint_eq(parse_pool_in_use(), in_use);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

/* A freed block is the next one of its class (16 bytes a class), and only of its class. */
START_TEST(test_reuse)
{
	void *a = parse_pool_malloc(40), *b, *c;

	parse_pool_free(a);
	b = parse_pool_malloc(33);
	ck_assert_ptr_eq(b, a);
	parse_pool_free(b);
	c = parse_pool_malloc(49);
	ck_assert_ptr_ne(c, a);
	b = parse_pool_malloc(48);
	ck_assert_ptr_eq(b, a);
	parse_pool_free(b);
	parse_pool_free(c);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

START_TEST(test_realloc)
{
	unsigned char *p = parse_pool_realloc(NULL, 10), *q, *r, *s;
	size_t in_use = parse_pool_in_use();

	ck_assert_ptr_nonnull(p);
	fill(p, 10, 7);
	/* Within the class: in place. */
	q = parse_pool_realloc(p, 16);
	ck_assert_ptr_eq(q, p);
	fill(q + 10, 6, 17);
	/* Past it: moved, bytes kept, the old block free for its class. */
	r = parse_pool_realloc(q, 17);
	ck_assert_ptr_ne(r, q);
	ck_assert(filled(r, 10, 7));
	ck_assert(filled(r + 10, 6, 17));
	ck_assert_uint_eq(parse_pool_in_use(), in_use);
	s = parse_pool_malloc(1);
	ck_assert_ptr_eq(s, q);
	parse_pool_free(s);
	/* Shrunk in place, a block keeps its slot: freed, it serves its first class again. */
	fill(r, 17, 3);
	s = parse_pool_realloc(r, 2);
	ck_assert_ptr_eq(s, r);
	ck_assert(filled(s, 2, 3));
	parse_pool_free(s);
	s = parse_pool_malloc(32);
	ck_assert_ptr_eq(s, r);
	/* Past PARSE_POOL_LARGEST: a malloc() block, outside the count; it stays one when it shrinks. */
	fill(s, 32, 9);
	p = parse_pool_realloc(s, PARSE_POOL_LARGEST + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert(filled(p, 32, 9));
	ck_assert_uint_eq(parse_pool_in_use(), in_use - 1);
	fill(p, PARSE_POOL_LARGEST + 1, 5);
	p = parse_pool_realloc(p, 100000);
	ck_assert(filled(p, PARSE_POOL_LARGEST + 1, 5));
	p = parse_pool_realloc(p, 8);
	ck_assert(filled(p, 8, 5));
	ck_assert_uint_eq(parse_pool_in_use(), in_use - 1);
	parse_pool_free(p);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

START_TEST(test_strdup)
{
	char *copy = parse_pool_strdup("etcd-prom");

	ck_assert_str_eq(copy, "etcd-prom");
	ck_assert_uint_eq(parse_pool_in_use(), 1);
	parse_pool_free(copy);
	copy = parse_pool_strdup("");
	ck_assert_str_eq(copy, "");
	parse_pool_free(copy);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

/* More than the first chunks hold (16 KiB, then doubling): every block keeps its bytes. */
START_TEST(test_many_chunks)
{
	enum { COUNT = 6000 };
	unsigned char **blocks = calloc(COUNT, sizeof(*blocks));
	size_t i;

	ck_assert_ptr_nonnull(blocks);
	for (i = 0; i < COUNT; i++) {
		size_t size = 1 + i % PARSE_POOL_LARGEST;

		blocks[i] = parse_pool_malloc(size);
		ck_assert_ptr_nonnull(blocks[i]);
		fill(blocks[i], size, (unsigned char)i);
	}
	ck_assert_uint_eq(parse_pool_in_use(), COUNT);
	for (i = 0; i < COUNT; i++)
		ck_assert(filled(blocks[i], 1 + i % PARSE_POOL_LARGEST, (unsigned char)i));
	for (i = COUNT; i-- > 0;)
		parse_pool_free(blocks[i]);
	ck_assert_uint_eq(parse_pool_in_use(), 0);
	ck_assert_int_eq(parse_pool_release(), 0);
	free(blocks);
}
END_TEST

/* Release frees nothing while a block is in use, and everything after. */
START_TEST(test_release)
{
	unsigned long long handed_out = parse_pool_handed_out();
	char *p = parse_pool_malloc(24);

	ck_assert_int_eq(parse_pool_release(), -1);
	memcpy(p, "still usable after -1", 22);
	ck_assert_str_eq(p, "still usable after -1");
	parse_pool_free(p);
	ck_assert_int_eq(parse_pool_release(), 0);
	ck_assert_int_eq(parse_pool_release(), 0);
	ck_assert_uint_eq(parse_pool_in_use(), 0);
	ck_assert_uint_eq(parse_pool_handed_out(), handed_out + 1);
	p = parse_pool_malloc(24);
	ck_assert_ptr_nonnull(p);
	parse_pool_free(p);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

struct thread_counts {
	unsigned long long at_start, at_end;
	size_t in_use;
};

static void *allocate_on_thread(void *arg)
{
	struct thread_counts *counts = arg;
	void *a, *b;

	counts->at_start = parse_pool_handed_out();
	a = parse_pool_malloc(8);
	b = parse_pool_malloc(300);
	parse_pool_free(a);
	counts->in_use = parse_pool_in_use();
	parse_pool_free(b);
	counts->at_end = parse_pool_handed_out();
	parse_pool_release();
	return NULL;
}

/* Each thread has a pool of its own: one's blocks do not show in another's counts. */
START_TEST(test_threads)
{
	struct thread_counts counts = { 99, 99, 99 };
	void *mine = parse_pool_malloc(8);
	pthread_t thread;

	ck_assert_int_eq(pthread_create(&thread, NULL, allocate_on_thread, &counts), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_uint_eq(counts.at_start, 0);
	ck_assert_uint_eq(counts.in_use, 1);
	ck_assert_uint_eq(counts.at_end, 2);
	ck_assert_uint_eq(parse_pool_in_use(), 1);
	parse_pool_free(mine);
	ck_assert_int_eq(parse_pool_release(), 0);
}
END_TEST

/* libyaml allocates from the pool when the build links it so (SVCLINT_PARSE_POOL, from the
 * Makefile), and never otherwise; a parse gives every block back, after an error too. */
START_TEST(test_libyaml_calls_the_pool)
{
	static const char *const texts[] = {
		"apiVersion: v1\nkind: Service\nmetadata: {name: etcd-prom, namespace: kube-system}\n",
		"a: [1, 2\nb: 'unterminated\n",
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		unsigned long long before = parse_pool_handed_out();
		struct doc_set set;
		struct arena arena;

		arena_init(&arena);
		doc_parse(&set, &arena, texts[i], strlen(texts[i]), &doc_default_limits);
		if (SVCLINT_PARSE_POOL)
			ck_assert_uint_gt(parse_pool_handed_out(), before);
		else
			ck_assert_uint_eq(parse_pool_handed_out(), before);
		ck_assert_uint_eq(parse_pool_in_use(), 0);
		free(set.documents);
		free(set.problems);
		arena_release(&arena);
	}
}
END_TEST

Suite *parse_pool_suite(void)
{
	Suite *s = suite_create("parse_pool");
	TCase *t = tcase_create("core");

	tcase_add_test(t, test_sizes);
	tcase_add_test(t, test_reuse);
	tcase_add_test(t, test_realloc);
	tcase_add_test(t, test_strdup);
	tcase_add_test(t, test_many_chunks);
	tcase_add_test(t, test_release);
	tcase_add_test(t, test_threads);
	tcase_add_test(t, test_libyaml_calls_the_pool);
	suite_add_tcase(s, t);
	return s;
}
