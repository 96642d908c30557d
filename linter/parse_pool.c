/* parse_pool.c: size-class free lists in per-thread chunks, for libyaml's many small blocks
 * (see parse_pool.h for how libyaml comes to call them). */
#include "parse_pool.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The checkers see the pool's blocks as they see malloc()'s: hide() makes bytes inaccessible,
 * show() accessible, lend() hands out a block of n usable bytes, take() takes one back, resize()
 * changes a block's usable bytes in place. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif

#if defined(POOL_ASAN)
#include <sanitizer/asan_interface.h>
#define hide(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define show(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define lend(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define take(p, slot) ASAN_POISON_MEMORY_REGION((p), (slot))
#define resize(p, old, n, slot) (ASAN_POISON_MEMORY_REGION((p), (slot)), ASAN_UNPOISON_MEMORY_REGION((p), (n)))
#elif defined(SVCLINT_VALGRIND)
#include <valgrind/memcheck.h>
#define hide(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define show(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define lend(p, n) VALGRIND_MALLOCLIKE_BLOCK((p), (n), 0, 0)
#define take(p, slot) VALGRIND_FREELIKE_BLOCK((p), 0)
#define resize(p, old, n, slot) VALGRIND_RESIZEINPLACE_BLOCK((p), (old), (n), 0)
#else
#define hide(p, n) ((void)0)
#define show(p, n) ((void)0)
#define lend(p, n) ((void)0)
#define take(p, slot) ((void)0)
#define resize(p, old, n, slot) ((void)0)
#endif

#define STEP 16			/* size classes 16, 32, ... PARSE_POOL_LARGEST bytes */
#define CLASSES (PARSE_POOL_LARGEST / STEP)
#define FIRST_CHUNK (16 * 1024)	/* one file's parse rarely needs more; large inputs double it */
#define LARGEST_CHUNK (1024 * 1024)

/* Before each block, 16 bytes: the pool it came from (owner_of(); 0: a malloc() block of its own,
 * whose size only malloc() keeps), the bytes asked for and the block's class (its slot is klass * STEP
 * bytes: a block that shrank in place keeps its slot).  16 bytes on 32-bit systems too, so that every
 * block keeps the 16-byte alignment of its chunk. */
struct head {
	uint64_t owner;
	uint32_t size;
	uint32_t klass;
};
_Static_assert(sizeof(struct head) == STEP, "a block's head is one size step");

/* A chunk's first CHUNK_HEAD bytes; its blocks follow. */
struct chunk {
	struct chunk *next;
	size_t size;		/* bytes, the head included */
};
#define CHUNK_HEAD 16
_Static_assert(sizeof(struct chunk) <= CHUNK_HEAD, "a chunk's head fits its first 16 bytes");

struct parse_pool {
	void *free[CLASSES + 1];	/* by class: blocks given back, linked through their first bytes */
	char *next, *end;		/* what is left of the newest chunk */
	struct chunk *chunks;		/* newest first */
	size_t chunk_size;		/* of the next chunk; 0 before the first */
	size_t in_use;
	unsigned long long handed_out;
};

static _Thread_local struct parse_pool pool;

static inline uint64_t owner_of(const struct parse_pool *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline size_t class_of(size_t size)
{
	return size ? (size + STEP - 1) / STEP : 1;
}

static bool add_chunk(struct parse_pool *p, size_t need)
{
	size_t size = p->chunk_size ? p->chunk_size : FIRST_CHUNK;
	struct chunk *c;

	while (size - CHUNK_HEAD < need)
		size *= 2;
	c = malloc(size);
	if (!c)
		return false;
	c->next = p->chunks;
	c->size = size;
	p->chunks = c;
	p->next = (char *)c + CHUNK_HEAD;
	p->end = (char *)c + size;
	p->chunk_size = size < LARGEST_CHUNK ? size * 2 : size;
	hide(p->next, size - CHUNK_HEAD);
	return true;
}

static void *large_malloc(size_t size)
{
	struct head *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	h->owner = 0;
	return h + 1;
}

#if defined(__GNUC__)
#define SLOW_PATH __attribute__((noinline, cold))
#else
#define SLOW_PATH
#endif

/* Fills in the head of the block after h and hands the block out. */
static inline void *hand_out(struct parse_pool *p, struct head *h, size_t size, size_t klass)
{
	void *block = h + 1;

	show(h, sizeof(*h));
	h->owner = owner_of(p);
	h->size = (uint32_t)size;
	h->klass = (uint32_t)klass;
	hide(h, sizeof(*h));
	p->in_use++;
	p->handed_out++;
	lend(block, size);
	return block;
}

/* parse_pool_malloc() when no block of the class is free: a large block, or a new one cut from the
 * newest chunk (from a new chunk when it is full).  Out of line, so that the common path saves no
 * registers. */
static SLOW_PATH void *carve(struct parse_pool *p, size_t size)
{
	size_t klass, need;
	struct head *h;

	if (size > PARSE_POOL_LARGEST)
		return large_malloc(size);
	klass = class_of(size);
	need = sizeof(*h) + klass * STEP;
	if ((size_t)(p->end - p->next) < need && !add_chunk(p, need))
		return NULL;
	h = (struct head *)p->next;
	p->next += need;
	return hand_out(p, h, size, klass);
}

void *parse_pool_malloc(size_t size)
{
	struct parse_pool *p = &pool;
	size_t klass = class_of(size);
	void *block;

	if (size <= PARSE_POOL_LARGEST && (block = p->free[klass])) {
		show(block, sizeof(void *));
		p->free[klass] = *(void **)block;
		hide(block, klass * STEP);
		return hand_out(p, (struct head *)block - 1, size, klass);
	}
	return carve(p, size);
}

/* The head of a block, readable until hidden again (a large block's is never hidden). */
static struct head *open_head(void *block)
{
	struct head *h = (struct head *)block - 1;

	show(h, sizeof(*h));
	return h;
}

static SLOW_PATH void foreign_block(void)
{
	fputs("svclint: internal error: a parse pool block was freed on another thread than the one that "
	      "allocated it\n", stderr);
	abort();
}

static inline void give_back(struct parse_pool *p, struct head *h, void *block)
{
	size_t klass = h->klass;

	if (h->owner != owner_of(p))
		foreign_block();
	hide(h, sizeof(*h));
	/* A block of fewer than 8 bytes asked for still has a slot of 16 for the link. */
	show(block, sizeof(void *));
	*(void **)block = p->free[klass];
	p->free[klass] = block;
	p->in_use--;
	take(block, klass * STEP);
}

void parse_pool_free(void *block)
{
	struct head *h;

	if (!block)
		return;
	h = open_head(block);
	if (!h->owner)
		free(h);
	else
		give_back(&pool, h, block);
}

void *parse_pool_realloc(void *block, size_t size)
{
	struct head *h;
	void *moved;

	if (!block)
		return parse_pool_malloc(size);
	h = open_head(block);
	if (!h->owner) {
		/* A large block stays one: realloc() keeps its bytes. */
		if (size > SIZE_MAX - sizeof(*h))
			return NULL;
		h = realloc(h, sizeof(*h) + size);
		return h ? h + 1 : NULL;
	}
	if (size <= (size_t)h->klass * STEP) {
		resize(block, h->size, size, (size_t)h->klass * STEP);
		h->size = (uint32_t)size;
		hide(h, sizeof(*h));
		return block;
	}
	/* Larger than its slot, so all its bytes move. */
	moved = parse_pool_malloc(size);
	if (!moved) {
		hide(h, sizeof(*h));
		return NULL;
	}
	memcpy(moved, block, h->size);
	give_back(&pool, h, block);
	return moved;
}

char *parse_pool_strdup(const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = parse_pool_malloc(len);

	if (copy)
		memcpy(copy, text, len);
	return copy;
}

int parse_pool_release(void)
{
	struct parse_pool *p = &pool;
	unsigned long long handed_out = p->handed_out;

	if (p->in_use)
		return -1;
	while (p->chunks) {
		struct chunk *c = p->chunks;

		p->chunks = c->next;
		show((char *)c + CHUNK_HEAD, c->size - CHUNK_HEAD);
		free(c);
	}
	memset(p, 0, sizeof(*p));
	p->handed_out = handed_out;
	return 0;
}

size_t parse_pool_in_use(void)
{
	return pool.in_use;
}

unsigned long long parse_pool_handed_out(void)
{
	return pool.handed_out;
}
