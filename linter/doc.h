/* doc.h: YAML and JSON text to node trees with 1-based positions.
 *
 * doc.c is the only file that includes yaml.h.  doc_parse() turns one file's bytes into a list of
 * documents whose nodes live in the caller's arena; aliases point at the anchored node (no copy), and
 * merge keys (<<) are resolved into the mapping that holds them.  Problems (syntax errors, duplicate
 * keys, limits) are returned as values in doc_set.problems, never printed.  Lines and columns are
 * 1-based; columns count Unicode code points from the start of the line, as libyaml does.
 */
#ifndef SVCLINT_DOC_H
#define SVCLINT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

enum node_type { NODE_SCALAR, NODE_SEQUENCE, NODE_MAPPING };

enum node_style {
	STYLE_PLAIN,
	STYLE_SINGLE_QUOTED,
	STYLE_DOUBLE_QUOTED,
	STYLE_LITERAL,
	STYLE_FOLDED,
	STYLE_FLOW,	/* flow collection: [a] or {a: b} */
	STYLE_BLOCK,	/* block collection */
};

/* Flags */
#define NODE_TAG_STR 0x2u	/* explicitly tagged !!str */
#define NODE_TAG_OTHER 0x4u	/* another explicit tag that is not !!str */
/* A mapping of many pairs with a hash table that node_get_pair() uses, so that looking every key of
 * one large map up in another stays linear.  The table sits in the spare slot after the last pair
 * (u.pairs[count].key), which keeps struct node at 24 bytes. */
#define NODE_INDEXED 0x8u
/* How a plain, untagged scalar resolves, worked out once when doc_parse() makes the node (rules ask
 * node_is_string() and node_is_null() of the same scalars again and again).  Nodes made elsewhere
 * lack NODE_RESOLVED and are resolved on each call. */
#define NODE_RESOLVED 0x10u
#define NODE_NULL 0x20u
#define NODE_BOOL 0x40u
#define NODE_TRUE 0x80u		/* with NODE_BOOL */
#define NODE_INT 0x100u
#define NODE_FLOAT 0x200u
/* Reached along more than one path: an anchored node that an alias names, or a pair a << merge
 * copied.  node_copy() copies such a node once and shares the copy. */
#define NODE_SHARED 0x400u
/* A value doc_parse_skimming() did not build: an empty collection that stands for one that is not. */
#define NODE_SKIMMED 0x800u

struct node_pair;
struct map_index;

struct node {
	unsigned char type;	/* enum node_type */
	unsigned char style;	/* enum node_style */
	unsigned short flags;
	unsigned int line;	/* 1-based */
	unsigned int column;	/* 1-based, in code points */
	unsigned int count;	/* scalar: bytes of text; sequence: items; mapping: pairs */
	union {
		const char *text;		/* scalar, NUL-terminated (may also hold NULs) */
		struct node **items;		/* sequence */
		struct node_pair *pairs;	/* mapping, in source order, merged pairs last */
	} u;
};

struct node_pair {
	struct node *key;
	struct node *value;
};

struct position {
	unsigned int line;
	unsigned int column;
};

enum problem_kind {
	PROBLEM_SYNTAX,		/* libyaml's error: at = problem mark, context = context mark */
	PROBLEM_DUPLICATE_KEY,	/* at = the repeated key, context = its first occurrence */
	PROBLEM_ALIAS,		/* an alias to no complete anchor: the document is dropped */
	PROBLEM_LIMIT,		/* nesting, alias expansion, documents, scalar or file size */
	PROBLEM_ENCODING,	/* input that is not text */
};

struct problem {
	enum problem_kind kind;
	struct position at;
	struct position context;	/* line 0 when there is none */
	const char *message;		/* problem text, lowercase, no trailing period */
	const char *context_message;
};

struct document {
	struct node *root;		/* NULL for an empty document */
	struct position start;		/* the document's first token, or its --- */
	const char *source_comment;	/* the "# Source: x" comment before it (helm template), or NULL */
};

struct doc_limits {
	unsigned int max_depth;		/* nesting of collections, aliases expanded */
	size_t max_alias_nodes;		/* nodes reached through aliases, per file (a scalar: 1 per 64 bytes) */
	size_t max_documents;		/* per file */
	size_t max_scalar;		/* bytes in one scalar */
};

extern const struct doc_limits doc_default_limits;

struct doc_set {
	struct document *documents;
	size_t count;
	struct problem *problems;
	size_t problem_count;
	size_t node_count;
};

/*
 * Parses len bytes of text (UTF-8, UTF-16 with a BOM, optional UTF-8 BOM).  Everything is allocated
 * in arena.  Parsing stops at the first syntax error; documents read before it are kept.  Returns 0,
 * or -1 when a problem stopped the parse (the documents read until then remain usable).
 */
int doc_parse(struct doc_set *set, struct arena *arena, const char *text, size_t len,
	      const struct doc_limits *limits);

/*
 * What may be skimmed.  may_skim(data, kind, kind_len) is asked of a document whose root mapping's
 * kind: is that scalar; when it answers true, the collections that are values of the root's other
 * keys than apiVersion, kind and metadata are not built: each is an empty collection of its type
 * flagged NODE_SKIMMED (its position is right).  Their contents are still parsed and checked as
 * doc_parse() does (syntax, limits, nesting, repeated keys), so set->problems is the same.
 */
struct doc_skim {
	bool (*may_skim)(const void *data, const char *kind, size_t kind_len);
	const void *data;
};

/* doc_parse(), skimming what skim allows (NULL: nothing, as doc_parse()). */
int doc_parse_skimming(struct doc_set *set, struct arena *arena, const char *text, size_t len,
		       const struct doc_limits *limits, const struct doc_skim *skim);

/* Node access.  Every function accepts NULL and answers as for a missing node. */
/* The pair of key (len bytes) in map, the last when it repeats; node_get_pair() and node_get() are
 * it for a C string, inline so that the length of a literal key is worked out by the compiler. */
const struct node_pair *node_get_pair_n(const struct node *map, const char *key, size_t len);

static inline const struct node_pair *node_get_pair(const struct node *map, const char *key)
{
	return node_get_pair_n(map, key, strlen(key));
}

static inline const struct node *node_get(const struct node *map, const char *key)
{
	const struct node_pair *p = node_get_pair_n(map, key, strlen(key));

	return p ? p->value : NULL;
}

const struct node *node_get_path(const struct node *root, const char *dotted);

/* Inline, as node_get() is: rules ask these of every node they read. */
static inline bool node_is_scalar(const struct node *n)
{
	return n && n->type == NODE_SCALAR;
}

static inline bool node_is_map(const struct node *n)
{
	return n && n->type == NODE_MAPPING;
}

static inline bool node_is_seq(const struct node *n)
{
	return n && n->type == NODE_SEQUENCE;
}

/* A plain null: missing, ~, null, Null, NULL or an empty plain scalar. */
bool node_is_null(const struct node *n);
/* A scalar that YAML resolves to a string (quoted, block, !!str, or plain that is not null/bool/number). */
bool node_is_string(const struct node *n);
/* A plain scalar that YAML 1.1 (as Kubernetes' decoder reads it) resolves to an integer. */
bool node_int(const struct node *n, long long *out);
bool node_is_int(const struct node *n);
bool node_is_float(const struct node *n);
bool node_bool(const struct node *n, bool *out);
/* The scalar's text, or NULL for a node that is not a scalar. */
static inline const char *node_text(const struct node *n)
{
	return node_is_scalar(n) ? n->u.text : NULL;
}

/* The scalar's text if it is a string, else NULL. */
const char *node_str(const struct node *n);
bool node_text_eq(const struct node *n, const char *text);
/* "string", "integer", "boolean", "null", "number", "list", "map": for messages. */
const char *node_type_name(const struct node *n);
struct position node_position(const struct node *n);

/* Deep copy of n into arena.  Nodes shared through aliases stay shared in the copy, so the copy is as
 * large as the text, not as its expansion.  Scalar texts come from strings when it is not NULL. */
struct node *node_copy(struct arena *arena, struct string_pool *strings, const struct node *n);

/*
 * Copies that are never changed can share equal nodes (hash-consing): two scalars with the same text,
 * style, tags and position, or two collections with the same children at the same position, are one
 * node.  Manifests made from one template repeat keys, ports and protocols at the same lines and
 * columns file after file: on the 20,000-app benchmark what the index keeps shrinks by 40%.  A
 * node_cache remembers one node per slot (a miss replaces it), so it stays the same size however
 * many nodes go through it; nothing may compare such nodes by address or write to them.
 *
 * The lines of the copies count from the cache's base_line: object_keep() sets it to the object's
 * own line, so that objects written from one template share their nodes wherever they stand in their
 * files (a line before the base wraps around, and adding the base back gives it again: read a kept
 * object's positions through object_node_position(), never node_position()).
 */
struct node_cache_slot {
	uint64_t hash;
	struct node *node;
};

/* A flat record (object_keep(): a Service's port set) shared the same way: equal bytes, one copy. */
struct record_slot {
	uint64_t hash;
	const void *record;
	size_t size;
};

struct node_cache {
	unsigned int base_line;	/* subtracted from the lines of what is copied through it (0: none) */
	struct node_cache_slot *slots;
	size_t mask;
	struct record_slot *records;	/* 1/16th as many slots: a Service has one port set, many nodes */
	size_t records_mask;
	size_t hits, misses;	/* for measurements */
	uint64_t hash;		/* of the node the last call below returned (for node_cached_map()) */
	/* node_copy_cached()'s stacks of children, kept from one copy to the next */
	void **stack;
	uint64_t *stack_hashes;
	size_t stack_cap, hashes_cap;
};

void node_cache_init(struct node_cache *cache, unsigned int bits);	/* 2^bits slots */
void node_cache_release(struct node_cache *cache);
/* node_copy() through cache (strings must not be NULL).  Maps with a key index are copied alone. */
struct node *node_copy_cached(struct arena *arena, struct string_pool *strings, struct node_cache *cache,
			      const struct node *n);
/* A mapping at like's position and style holding pairs[0..count) (nodes of cache; hashes[2i] and
 * hashes[2i + 1] are the hashes of pair i's key and value, as cache->hash gave them), through cache. */
struct node *node_cached_map(struct arena *arena, struct node_cache *cache, const struct node *like,
			     const struct node_pair *pairs, const uint64_t *hashes, size_t count);
/* The same for a sequence holding items[0..count) (hashes[i]: item i's hash, as cache->hash gave it). */
struct node *node_cached_seq(struct arena *arena, struct node_cache *cache, const struct node *like,
			     struct node *const *items, const uint64_t *hashes, size_t count);
/* Folds v into the hash h: how the node cache hashes, and what node_cached_record()'s callers use. */
static inline uint64_t node_hash_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001B3ull + (h >> 29);
}
/* The cached record with record's size bytes, or a copy of record in arena that takes its slot.  hash
 * comes from what the bytes stand for (texts' bytes, not their addresses); padding must be zero. */
const void *node_cached_record(struct arena *arena, struct node_cache *cache, const void *record, size_t size,
			       uint64_t hash);

#endif
