/* arena.h: bump allocation for everything derived from input.
 *
 * Ownership: an arena owns every block it hands out; arena_release() frees them all at once.
 * arena_mark()/arena_rewind() give back everything allocated after a mark, so one arena can be
 * reused file after file without growing.  Out of memory aborts: it is the only fatal error.
 */
#ifndef SVCLINT_ARENA_H
#define SVCLINT_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* block being filled; older blocks follow ->next */
	unsigned char *data;		/* head's bytes and their number (NULL and 0 without a head), */
	size_t size;			/* for the inline fast path below */
	size_t used;			/* bytes used in head */
	size_t total;			/* bytes held in all blocks, for statistics */
	struct arena_block *spare;	/* standard blocks kept by arena_rewind() for reuse, by ->next */
	unsigned int spares;		/* how many */
};

struct arena_mark {
	struct arena_block *head;
	size_t used;
};

void arena_init(struct arena *arena);
void arena_release(struct arena *arena);

#define ARENA_ALIGN 8	/* pointers, size_t and long long; nothing here needs more */

/* The slow path of the two below: a new block. */
void *arena_alloc_slow(struct arena *arena, size_t size);

/* Aligned, uninitialised memory that lives until the arena is released or rewound.  Inline: a parse
 * makes a node, a pair array or a text per event, and the common case is a bump. */
static inline void *arena_alloc(struct arena *arena, size_t size)
{
	size_t used = (arena->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (arena->data && rounded >= size && used <= arena->size && arena->size - used >= rounded) {
		arena->used = used + rounded;
		return arena->data + used;
	}
	return arena_alloc_slow(arena, size);
}

/* Unaligned memory, for text: nothing is wasted on rounding. */
static inline void *arena_alloc_bytes(struct arena *arena, size_t size)
{
	if (arena->data && arena->size - arena->used >= size) {
		arena->used += size;
		return arena->data + arena->used - size;
	}
	return arena_alloc_slow(arena, size);
}

void *arena_zalloc(struct arena *arena, size_t size);
/* A NUL-terminated copy of the first len bytes of text (which may hold NULs). */
char *arena_strndup(struct arena *arena, const char *text, size_t len);
char *arena_strdup(struct arena *arena, const char *text);
char *arena_printf(struct arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *arena, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

struct arena_mark arena_mark(const struct arena *arena);
/* Frees every block allocated after mark was taken. */
void arena_rewind(struct arena *arena, struct arena_mark mark);

/*
 * The blocks of an arena by age (0: the oldest): engine.c asks whether the inputs' paths were
 * allocated in input order before it gives their blocks back oldest first (arena_free_before()).
 */
struct arena_ages {
	struct arena_age *blocks;	/* sorted by address */
	size_t count;
};

void arena_ages_init(struct arena_ages *ages, const struct arena *arena);
void arena_ages_release(struct arena_ages *ages);
/* The age of the block of the arena that holds p, or -1 when none does. */
long arena_age_of(const struct arena_ages *ages, const void *p);
/* Frees the count oldest blocks of arena (not its spares): nothing allocated in them is used again. */
void arena_free_oldest(struct arena *arena, size_t count);
/*
 * Frees the blocks of arena older than the one that holds p (not its spares), for a caller that reads
 * what it allocated in the order it allocated it and gives it back as it goes (engine.c moves the
 * paths a run still needs out of the inputs' arena while the files are linted).  Sets [*start, *end)
 * to the bytes of p's block, so that the caller calls again only once it reads past them; when no
 * block holds p, frees nothing and sets both to NULL.
 */
void arena_free_before(struct arena *arena, const void *p, const void **start, const void **end);

/*
 * A string pool over an arena: equal short texts are stored once.  What the index keeps of a large
 * repository repeats the same keys (name, port, protocol), namespaces and label values thousands of
 * times.  Texts longer than STRING_POOL_MAX are copied as they are.  The pool's table is its own;
 * string_pool_release() frees it and leaves the strings in the arena.
 */
#define STRING_POOL_MAX 64

struct string_pool_entry;

struct string_pool {
	struct arena *arena;
	struct string_pool_entry *slots;
	size_t mask, count;
};

void string_pool_init(struct string_pool *pool, struct arena *arena);
void string_pool_release(struct string_pool *pool);
/* A NUL-terminated copy of text[0..len) (which may hold NULs), shared with equal texts. */
const char *string_pool_get(struct string_pool *pool, const char *text, size_t len);
/* The same, with a hash of the text's bytes (equal texts, equal hashes) in *hash. */
const char *string_pool_get_hashed(struct string_pool *pool, const char *text, size_t len, uint32_t *hash);

/* xmalloc and friends: malloc that aborts with a message when memory runs out. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *text);
char *xstrndup(const char *text, size_t len);
/* A malloc'd formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grows *items (of *capacity elements of size each) so that it holds at least need elements. */
void grow_array(void **items, size_t *capacity, size_t need, size_t size);
/* need is evaluated twice: the common case, room enough, costs one comparison and no call. */
#define GROW(items, capacity, need) \
	((need) > (capacity) ? grow_array((void **)&(items), &(capacity), (need), sizeof(*(items))) : (void)0)

/* GROW() for an array in an arena, for scratch that lives as long as the arena's other contents: the
 * array moves to twice the room when it is full, and the room it leaves stays unused until the arena
 * is rewound or released, so it holds at most twice what it needs.  Never free() such an array. */
void arena_grow_array(struct arena *arena, void **items, size_t *capacity, size_t need, size_t size);
#define ARENA_GROW(arena, items, capacity, need) \
	((need) > (capacity) ? arena_grow_array((arena), (void **)&(items), &(capacity), (need), sizeof(*(items))) \
			     : (void)0)

#endif
