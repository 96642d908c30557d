/* parse_pool.h: the memory libyaml allocates while doc.c parses one file.
 *
 * libyaml has no allocator hook: each token and event is a malloc(), each scalar grows by realloc()
 * and is given back by free(), about two and a half calls an event, which cost glibc as many
 * instructions as the rest of svclint's own work (docs/DEVELOPING.md, "The parse pool").  The
 * Makefile therefore links a copy of the static libyaml whose calls to malloc, realloc, free and
 * strdup are renamed to the four functions below (objcopy --redefine-sym); where there is no
 * libyaml.a, or with `make YAML_POOL=0`, svclint links the shared libyaml and nothing calls them.
 *
 * Blocks up to PARSE_POOL_LARGEST bytes come from the calling thread's chunks, in size classes of 16
 * bytes, each class a free list; larger ones from malloc().  A block belongs to the thread that made
 * it: freeing it on another aborts.  Ownership: doc.c calls parse_pool_release() once libyaml's
 * parser is deleted, which frees the chunks when none of their blocks is in use, so a parse holds the
 * pool's memory for its own length only.
 *
 * Under AddressSanitizer, and in a build with -DSVCLINT_VALGRIND (`make valgrind`), blocks are
 * marked for the checker as malloc()'s are: out-of-bounds and use-after-free in libyaml stay visible.
 */
#ifndef SVCLINT_PARSE_POOL_H
#define SVCLINT_PARSE_POOL_H

#include <stddef.h>

#define PARSE_POOL_LARGEST 512	/* bytes: larger blocks are malloc()'s */

/* malloc(), realloc(), free() and strdup() for libyaml: the same contracts (NULL when out of memory,
 * realloc(NULL, n) allocates, free(NULL) does nothing); blocks are aligned to 16 bytes. */
void *parse_pool_malloc(size_t size);
void *parse_pool_realloc(void *block, size_t size);
void parse_pool_free(void *block);
char *parse_pool_strdup(const char *text);

/* Frees the calling thread's chunks.  Returns 0, or -1 when blocks are still in use (the chunks stay,
 * and blocks are still served from them). */
int parse_pool_release(void);

/* Blocks of the calling thread's chunks in use now, and handed out since the thread started (the
 * tests read the second to tell whether libyaml is linked to the pool). */
size_t parse_pool_in_use(void);
unsigned long long parse_pool_handed_out(void);

#endif
