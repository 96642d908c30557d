/* arena.c: bump allocator with marks, and the x* allocation wrappers. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_SIZE (64 * 1024)
/* Standard blocks an arena keeps after a rewind: the scratch arena of a worker fills a few blocks per
 * file and gives them back; reusing them spares a calloc and a free per block per file. */
#define ARENA_SPARE_MAX 8

struct arena_block {
	struct arena_block *next;
	size_t size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static void out_of_memory(size_t size)
{
	fprintf(stderr, "svclint: fatal: out of memory allocating %zu bytes\n", size);
	exit(2);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrndup(const char *text, size_t len)
{
	char *p = xmalloc(len + 1);

	memcpy(p, text, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return xstrdup("");
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *xstrdup(const char *text)
{
	return xstrndup(text, strlen(text));
}

/* The capacity an array of cap items of size bytes grows to, to hold need: doubled from 8. */
static size_t grown_capacity(size_t cap, size_t need, size_t size)
{
	cap = cap ? cap : 8;
	while (cap < need)
		cap *= 2;
	if (cap > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return cap;
}

void grow_array(void **items, size_t *capacity, size_t need, size_t size)
{
	size_t cap;

	if (need <= *capacity)
		return;
	cap = grown_capacity(*capacity, need, size);
	*items = xrealloc(*items, cap * size);
	*capacity = cap;
}

void arena_grow_array(struct arena *arena, void **items, size_t *capacity, size_t need, size_t size)
{
	size_t cap;
	void *grown;

	if (need <= *capacity)
		return;
	cap = grown_capacity(*capacity, need, size);
	grown = arena_alloc(arena, cap * size);
	if (*capacity)
		memcpy(grown, *items, *capacity * size);
	*items = grown;
	*capacity = cap;
}

void arena_init(struct arena *arena)
{
	arena->head = NULL;
	arena->data = NULL;
	arena->size = 0;
	arena->used = 0;
	arena->total = 0;
	arena->spare = NULL;
	arena->spares = 0;
}

void arena_release(struct arena *arena)
{
	struct arena_block *b = arena->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	b = arena->spare;
	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	arena_init(arena);
}

struct arena_age {
	const unsigned char *start, *end;
	long age;
};

static int compare_starts(const void *pa, const void *pb)
{
	uintptr_t x = (uintptr_t)((const struct arena_age *)pa)->start;
	uintptr_t y = (uintptr_t)((const struct arena_age *)pb)->start;

	/* Compared as integers: blocks are separate objects, which C's < does not order. */
	return (x > y) - (x < y);
}

/* The blocks in use (not the spares). */
static size_t block_count(const struct arena *arena)
{
	const struct arena_block *b;
	size_t n = 0;

	for (b = arena->head; b; b = b->next)
		n++;
	return n;
}

void arena_ages_init(struct arena_ages *ages, const struct arena *arena)
{
	const struct arena_block *b;
	size_t n = block_count(arena), i;

	ages->blocks = xmalloc((n + 1) * sizeof(*ages->blocks));
	ages->count = n;
	for (b = arena->head, i = 0; b; b = b->next, i++) {
		ages->blocks[i].start = b->data;
		ages->blocks[i].end = b->data + b->size;
		ages->blocks[i].age = (long)(n - 1 - i);	/* the head is the newest */
	}
	qsort(ages->blocks, n, sizeof(*ages->blocks), compare_starts);
}

void arena_ages_release(struct arena_ages *ages)
{
	free(ages->blocks);
	ages->blocks = NULL;
	ages->count = 0;
}

long arena_age_of(const struct arena_ages *ages, const void *p)
{
	const unsigned char *q = p;
	size_t low = 0, high = ages->count;

	/* Compared as integers: blocks are separate objects, which C's < does not order. */
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct arena_age *a = &ages->blocks[mid];

		if ((uintptr_t)q < (uintptr_t)a->start)
			high = mid;
		else if ((uintptr_t)q >= (uintptr_t)a->end)
			low = mid + 1;
		else
			return a->age;
	}
	return -1;
}

void arena_free_oldest(struct arena *arena, size_t count)
{
	struct arena_block **link = &arena->head, *b;
	size_t n = block_count(arena), keep;

	if (count >= n) {
		struct arena_block *spare = arena->spare;
		unsigned int spares = arena->spares;

		arena->spare = NULL;
		arena_release(arena);
		arena->spare = spare;
		arena->spares = spares;
		return;
	}
	for (keep = n - count; keep > 0; keep--)
		link = &(*link)->next;
	b = *link;
	*link = NULL;
	while (b) {
		struct arena_block *next = b->next;

		arena->total -= b->size;
		free(b);
		b = next;
	}
}

void arena_free_before(struct arena *arena, const void *p, const void **start, const void **end)
{
	const struct arena_block *b;
	size_t newer = 0;

	/* Compared as integers: blocks are separate objects, which C's < does not order. */
	for (b = arena->head; b; b = b->next, newer++)
		if ((uintptr_t)p >= (uintptr_t)b->data && (uintptr_t)p < (uintptr_t)(b->data + b->size))
			break;
	*start = b ? b->data : NULL;
	*end = b ? b->data + b->size : NULL;
	if (b)
		arena_free_oldest(arena, block_count(arena) - newer - 1);
}

void *arena_alloc_slow(struct arena *arena, size_t size)
{
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct arena_block *b = arena->head;

	if (rounded < size)
		out_of_memory(size);
	/* Text from arena_alloc_bytes() may have left the fill point unaligned. */
	arena->used = (arena->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (!b || arena->used > b->size || b->size - arena->used < rounded) {
		size_t bsize = rounded > ARENA_BLOCK_SIZE ? rounded : ARENA_BLOCK_SIZE;

		if (arena->spare && bsize == ARENA_BLOCK_SIZE) {
			/* A block given back by arena_rewind(): a file after file costs no malloc. */
			b = arena->spare;
			arena->spare = b->next;
			arena->spares--;
		} else {
			/* Zeroed: PCRE2's JIT reads a little past the end of a subject (harmlessly, within
			 * the block), and valgrind's memcheck reports each such read of unwritten bytes.
			 * A reused block holds only bytes written before, which memcheck accepts. */
			b = xcalloc(1, sizeof(*b) + bsize);
		}
		b->size = bsize;
		b->next = arena->head;
		arena->head = b;
		arena->data = b->data;
		arena->size = b->size;
		arena->used = 0;
		arena->total += bsize;
	}
	arena->used += rounded;
	return b->data + arena->used - rounded;
}

void *arena_zalloc(struct arena *arena, size_t size)
{
	return memset(arena_alloc(arena, size), 0, size);
}

char *arena_strndup(struct arena *arena, const char *text, size_t len)
{
	char *p = arena_alloc_bytes(arena, len + 1);

	memcpy(p, text, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *arena, const char *text)
{
	return arena_strndup(arena, text, strlen(text));
}

char *arena_vprintf(struct arena *arena, const char *fmt, va_list ap)
{
	size_t room = arena->data && arena->size > arena->used ? arena->size - arena->used : 0;
	va_list copy;
	int n;
	char *p;

	/* Most texts fit in the head block's free bytes: formatted there, they take one pass, not a
	 * pass to measure and another to write.  Those bytes are the arena's own, not yet handed out. */
	va_copy(copy, ap);
	n = vsnprintf(room ? (char *)arena->data + arena->used : NULL, room, fmt, copy);
	va_end(copy);
	if (n < 0)
		return arena_strdup(arena, "");
	if ((size_t)n < room)
		return arena_alloc_bytes(arena, (size_t)n + 1);	/* the bytes just written */
	p = arena_alloc_bytes(arena, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(arena, fmt, ap);
	va_end(ap);
	return p;
}

struct arena_mark arena_mark(const struct arena *arena)
{
	struct arena_mark m = { arena->head, arena->used };

	return m;
}

void arena_rewind(struct arena *arena, struct arena_mark mark)
{
	struct arena_block *b = arena->head;

	while (b && b != mark.head) {
		struct arena_block *next = b->next;

		arena->total -= b->size;
		if (arena->spares < ARENA_SPARE_MAX && b->size == ARENA_BLOCK_SIZE) {
			b->next = arena->spare;
			arena->spare = b;
			arena->spares++;
		} else {
			free(b);
		}
		b = next;
	}
	arena->head = b;
	arena->data = b ? b->data : NULL;
	arena->size = b ? b->size : 0;
	arena->used = mark.used;
}

struct string_pool_entry {
	const char *text;	/* NULL: empty slot */
	uint32_t length;
	uint32_t hash;
};

void string_pool_init(struct string_pool *pool, struct arena *arena)
{
	pool->arena = arena;
	pool->slots = NULL;
	pool->mask = 0;
	pool->count = 0;
}

void string_pool_release(struct string_pool *pool)
{
	free(pool->slots);
	string_pool_init(pool, pool->arena);
}

static uint32_t pool_hash(const char *text, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 16777619u;
	return h;
}

static void pool_grow(struct string_pool *pool)
{
	size_t old_cap = pool->slots ? pool->mask + 1 : 0, cap = old_cap ? old_cap * 2 : 1024, i, j;
	struct string_pool_entry *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < old_cap; i++) {
		const struct string_pool_entry *e = &pool->slots[i];

		if (!e->text)
			continue;
		for (j = e->hash & (cap - 1); slots[j].text; j = (j + 1) & (cap - 1))
			;
		slots[j] = *e;
	}
	free(pool->slots);
	pool->slots = slots;
	pool->mask = cap - 1;
}

const char *string_pool_get(struct string_pool *pool, const char *text, size_t len)
{
	uint32_t hash;

	return string_pool_get_hashed(pool, text, len, &hash);
}

const char *string_pool_get_hashed(struct string_pool *pool, const char *text, size_t len, uint32_t *hash)
{
	uint32_t h = pool_hash(text, len);
	size_t i;
	char *copy;

	*hash = h;
	if (len > STRING_POOL_MAX)
		return arena_strndup(pool->arena, text, len);
	if (!pool->slots || (pool->count + 1) * 2 > pool->mask + 1)
		pool_grow(pool);
	for (i = h & pool->mask; pool->slots[i].text; i = (i + 1) & pool->mask) {
		const struct string_pool_entry *e = &pool->slots[i];

		if (e->hash == h && e->length == len && memcmp(e->text, text, len) == 0)
			return e->text;
	}
	copy = arena_strndup(pool->arena, text, len);
	pool->slots[i].text = copy;
	pool->slots[i].length = (uint32_t)len;
	pool->slots[i].hash = h;
	pool->count++;
	return copy;
}
