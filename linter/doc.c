/* doc.c: libyaml events to node trees.  The only file that includes yaml.h.
 *
 * The builder is iterative (an explicit stack of open collections, in the arena), so nesting depth
 * costs heap, never C stack, and is capped by doc_limits.max_depth.  Aliases share the anchored node;
 * each node carries its expanded weight and height, so that an alias bomb (too many nodes through
 * aliases in one file) or an alias chain that nests too deep once expanded is stopped before any rule
 * walks it.
 * Everything else is linear in the input: anchors, merged keys and the duplicate keys of maps of more
 * than 16 keys are found through hash tables.
 */
#include "doc.h"
#include "parse_pool.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const struct doc_limits doc_default_limits = {
	.max_depth = 256,
	.max_alias_nodes = 1000000,
	.max_documents = 1000000,
	.max_scalar = 8u * 1024 * 1024,
};

/* Weight (nodes once aliases are expanded) and height (collections on the longest path down) are
 * kept beside the nodes, in anchors, frames and the children stack, to keep struct node small. */
struct anchor {
	const char *name;
	struct node *node;
	size_t weight;
	unsigned int height;
};

/* Anchor name -> index into builder.anchors; slots of an older document count as empty. */
struct anchor_slot {
	unsigned int generation;
	unsigned int index;
};

struct frame {
	struct node *node;	/* NULL inside a skimmed value (below its root) */
	size_t first_child;	/* index into builder.children */
	size_t weight;
	unsigned int height;	/* of the collection: 1 + its tallest child */
	const char *anchor;
	/* A collection of a skimmed value (doc_skim): its children are counted, not built; a mapping's
	 * scalar keys alone are kept on the children stack, to find repeated keys. */
	bool skim;
	bool mapping;		/* skimmed frames: a mapping (else a sequence) */
	size_t seen;		/* children completed (skimmed frames only) */
};

struct builder {
	struct arena *arena;
	const struct doc_limits *limits;
	struct doc_set *set;
	const char *text;
	size_t len;
	/* open collections */
	struct frame *frames;
	size_t depth, frames_cap;
	/* children of all open collections, back to back */
	struct node **children;
	size_t child_count, children_cap;
	/* anchors of the current document */
	struct anchor *anchors;
	size_t anchor_count, anchors_cap;
	struct anchor_slot *anchor_slots;	/* open addressing, a power of two */
	size_t anchor_slots_cap;
	unsigned int generation;		/* the current document's, from 1 */
	size_t alias_weight;			/* nodes added through aliases in this file */
	bool doc_bad;
	struct document *doc;
	size_t problems_cap, documents_cap;
	/* line starts, built only when a "# Source:" comment must be found */
	size_t *lines;
	size_t line_count;
	unsigned int last_doc_end_line;
	/* skimming (doc_parse_skimming): the policy, and the current document's kind and state */
	const struct doc_skim *skim;
	const struct node *kind;	/* the root's kind: value, once read */
	bool kind_key_seen;		/* a root key kind: came (a second one stops skimming) */
	bool skimmed;			/* a value of this document was skimmed */
	bool restart;			/* skimming cannot answer exactly: parse the file again whole */
	struct node complex_key;	/* stands for a skimmed mapping's collection key: equals no key */
};

/* Problems, anchors and aliases are rare in manifests: their code is laid out apart from the path every
 * event takes (GCC's .text.unlikely), so that the builder's hot code and libyaml's, which take turns
 * event after event, crowd the instruction cache less (callgrind: 3% fewer L1 instruction misses). */
#define COLD __attribute__((cold))
/* What every event runs, forced inline into the event loop: GCC left these two calls, whose entry
 * and exit cost 1.3% of the run's instructions at 2,000 apps. */
#define EVERY_EVENT static inline __attribute__((always_inline))

static struct position mark_position(yaml_mark_t m)
{
	struct position p;

	p.line = m.line >= UINT_MAX ? UINT_MAX : (unsigned int)m.line + 1;
	p.column = m.column >= UINT_MAX ? UINT_MAX : (unsigned int)m.column + 1;
	return p;
}

/* Line and column (code points) of a byte offset, for reader errors that have no mark. */
COLD static struct position offset_position(const char *text, size_t len, size_t offset)
{
	struct position p = { 1, 1 };
	size_t i;

	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n' || (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
			p.line++;
			p.column = 1;
		} else if ((c & 0xC0) != 0x80) {
			p.column++;
		}
	}
	return p;
}

COLD static struct problem *add_problem(struct builder *b, enum problem_kind kind, struct position at,
					const char *message)
{
	struct doc_set *set = b->set;
	struct problem *p;

	GROW(set->problems, b->problems_cap, set->problem_count + 1);
	p = &set->problems[set->problem_count++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->at = at;
	p->message = message;
	return p;
}

/* The frame and children stacks live in the file's arena, as its nodes do (ARENA_GROW): a parse then
 * costs no malloc() and free() of its own, 0.5% of the run at 2,000 apps. */
static void push_child(struct builder *b, struct node *n)
{
	ARENA_GROW(b->arena, b->children, b->children_cap, b->child_count + 1);
	b->children[b->child_count++] = n;
}

static uint32_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The slot that holds name in the current document, or the empty slot where it would go. */
COLD static struct anchor_slot *anchor_slot(struct builder *b, const char *name)
{
	size_t mask = b->anchor_slots_cap - 1, i = hash_bytes(name, strlen(name)) & mask;

	for (;;) {
		struct anchor_slot *slot = &b->anchor_slots[i];

		if (slot->generation != b->generation || strcmp(b->anchors[slot->index].name, name) == 0)
			return slot;
		i = (i + 1) & mask;
	}
}

COLD static void add_anchor(struct builder *b, const char *name, struct node *n, size_t weight,
			    unsigned int height)
{
	struct anchor *a;
	struct anchor_slot *slot;

	GROW(b->anchors, b->anchors_cap, b->anchor_count + 1);
	a = &b->anchors[b->anchor_count++];
	a->name = name;
	a->node = n;
	a->weight = weight;
	a->height = height;
	if (b->anchor_count * 2 > b->anchor_slots_cap) {
		/* Rehash this document's anchors into a table twice as large (half full at most). */
		size_t cap = b->anchor_slots_cap ? b->anchor_slots_cap * 2 : 64, i;

		free(b->anchor_slots);
		b->anchor_slots = xcalloc(cap, sizeof(*b->anchor_slots));
		b->anchor_slots_cap = cap;
		for (i = 0; i + 1 < b->anchor_count; i++) {
			slot = anchor_slot(b, b->anchors[i].name);
			slot->generation = b->generation;
			slot->index = (unsigned int)i;
		}
	}
	/* The latest definition wins, as YAML says an anchor may be redefined. */
	slot = anchor_slot(b, name);
	slot->generation = b->generation;
	slot->index = (unsigned int)(b->anchor_count - 1);
}

COLD static struct anchor *find_anchor(struct builder *b, const char *name)
{
	struct anchor_slot *slot;

	if (!b->anchor_slots_cap)
		return NULL;
	slot = anchor_slot(b, name);
	return slot->generation == b->generation ? &b->anchors[slot->index] : NULL;
}

static size_t add_weight(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static bool scalar_is(const struct node *n, const char *text, size_t len)
{
	return n->type == NODE_SCALAR && n->count == len && memcmp(n->u.text, text, len) == 0;
}

/* A key or value of the root mapping, about to be pushed: keeps track of its kind: for skimming. */
static void note_root_child(struct builder *b, const struct node *n)
{
	const struct frame *root = &b->frames[0];

	if ((b->child_count - root->first_child) % 2 == 0) {
		if (!scalar_is(n, "kind", 4))
			return;
		/* A second kind: the last one counts (node_get), and what was skimmed followed the first. */
		if (b->kind_key_seen && b->skimmed)
			b->restart = true;
		b->kind_key_seen = true;
	} else if (scalar_is(b->children[b->child_count - 1], "kind", 4)) {
		b->kind = n->type == NODE_SCALAR ? n : NULL;
	}
}

/* A node completed: hand it to the open collection, or make it the document's root. */
EVERY_EVENT void complete(struct builder *b, struct node *n, size_t weight, unsigned int height, const char *anchor)
{
	struct frame *parent;

	if (anchor)
		add_anchor(b, anchor, n, weight, height);
	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	parent = &b->frames[b->depth - 1];
	parent->weight = add_weight(parent->weight, weight);
	if (height + 1 > parent->height)
		parent->height = height + 1;
	if (parent->skim) {
		parent->seen++;
		return;
	}
	if (b->depth == 1 && parent->node->type == NODE_MAPPING)
		note_root_child(b, n);
	push_child(b, n);
}

EVERY_EVENT struct node *new_node(struct builder *b, enum node_type type, yaml_mark_t mark)
{
	struct node *n = arena_alloc(b->arena, sizeof(*n));
	struct position p = mark_position(mark);

	memset(n, 0, sizeof(*n));
	n->type = (unsigned char)type;
	n->line = p.line;
	n->column = p.column;
	b->set->node_count++;
	return n;
}

static const char *copy_anchor(struct builder *b, const yaml_char_t *anchor)
{
	return anchor ? arena_strdup(b->arena, (const char *)anchor) : NULL;
}

static unsigned short tag_flags(const yaml_char_t *tag)
{
	if (!tag)
		return 0;
	if (strcmp((const char *)tag, YAML_STR_TAG) == 0 || strcmp((const char *)tag, "!") == 0)
		return NODE_TAG_STR;
	return NODE_TAG_OTHER;
}

static bool key_equal(const struct node *a, const struct node *b)
{
	return a->type == NODE_SCALAR && b->type == NODE_SCALAR && a->count == b->count &&
	       memcmp(a->u.text, b->u.text, a->count) == 0;
}

static bool is_merge_key(const struct node *k)
{
	return k->type == NODE_SCALAR && k->style == STYLE_PLAIN && !(k->flags & NODE_TAG_STR) &&
	       k->count == 2 && k->u.text[0] == '<' && k->u.text[1] == '<';
}

COLD static void report_duplicate(struct builder *b, const struct node *first, const struct node *again)
{
	struct problem *p = add_problem(b, PROBLEM_DUPLICATE_KEY, node_position(again),
					arena_printf(b->arena, "%.*s", (int)(again->count > 200 ? 200 : again->count),
						     again->u.text));
	p->context = node_position(first);
}

/* Key i of a mapping's pairs, or of a skimmed mapping's keys (complex keys as placeholders). */
static inline struct node *nth_key(const struct node_pair *pairs, struct node *const *keys, size_t i)
{
	return pairs ? pairs[i].key : keys[i];
}

/* Reports the keys that repeat among n: those of pairs, or else keys.  Each repeat is reported with
 * the key's first occurrence, in source order.  Past 16 keys, the first occurrences go in a hash
 * table (in the arena: it is scratch), so that a map of 300,000 keys stays linear. */
static void find_duplicates(struct builder *b, const struct node_pair *pairs, struct node *const *keys_in,
			    size_t n)
{
	size_t i, j, cap = 32, mask, s;
	unsigned int *slots;

	if (n <= 16) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (key_equal(nth_key(pairs, keys_in, i), nth_key(pairs, keys_in, j))) {
					report_duplicate(b, nth_key(pairs, keys_in, j), nth_key(pairs, keys_in, i));
					break;
				}
		return;
	}
	while (cap < n * 2)
		cap *= 2;
	mask = cap - 1;
	slots = arena_zalloc(b->arena, cap * sizeof(*slots));
	for (i = 0; i < n; i++) {
		const struct node *k = nth_key(pairs, keys_in, i);

		if (k->type != NODE_SCALAR)
			continue;
		for (s = hash_bytes(k->u.text, k->count) & mask; slots[s]; s = (s + 1) & mask)
			if (key_equal(nth_key(pairs, keys_in, slots[s] - 1), k))
				break;
		if (slots[s])
			report_duplicate(b, nth_key(pairs, keys_in, slots[s] - 1), k);
		else
			slots[s] = (unsigned int)i + 1;
	}
}

/* Key lookup for large mappings: open addressing over the scalar keys; slots hold a pair's position
 * + 1 (0 is empty); for a repeated key the last pair wins, as in node_get_pair(). */
#define MAP_INDEX_MIN 16

struct map_index {
	size_t mask;
	unsigned int slots[];
};

/* The table of an indexed mapping lives in its spare pair slot (see NODE_INDEXED). */
static void set_map_index(struct node *map, const struct map_index *index)
{
	map->flags |= NODE_INDEXED;
	map->u.pairs[map->count].key = (struct node *)(void *)(uintptr_t)index;
	map->u.pairs[map->count].value = NULL;
}

static const struct map_index *map_index_of(const struct node *map)
{
	return map->flags & NODE_INDEXED ? (const struct map_index *)(const void *)map->u.pairs[map->count].key
					  : NULL;
}

static struct map_index *map_index_build(struct arena *arena, const struct node_pair *pairs, size_t n)
{
	size_t cap = 32, i;
	struct map_index *index;

	while (cap < n * 2)
		cap *= 2;
	index = arena_zalloc(arena, sizeof(*index) + cap * sizeof(index->slots[0]));
	index->mask = cap - 1;
	for (i = 0; i < n; i++) {
		const struct node *k = pairs[i].key;
		size_t s;

		if (k->type != NODE_SCALAR)
			continue;
		for (s = hash_bytes(k->u.text, k->count) & index->mask; index->slots[s]; s = (s + 1) & index->mask)
			if (key_equal(pairs[index->slots[s] - 1].key, k))
				break;
		index->slots[s] = (unsigned int)i + 1;
	}
	return index;
}

static const struct map_index *map_index_copy(struct arena *arena, const struct map_index *index)
{
	size_t size;
	struct map_index *copy;

	if (!index)
		return NULL;
	size = sizeof(*index) + (index->mask + 1) * sizeof(index->slots[0]);
	copy = arena_alloc(arena, size);
	memcpy(copy, index, size);
	return copy;
}

/* The scalar keys a mapping has so far, for merging: a hash set, so that merging a large map stays
 * linear (a list scan per merged key made `<<: *big` beside many keys quadratic). */
struct key_set {
	const struct node **slots;
	size_t mask;
};

static void key_set_init(struct key_set *set, size_t expected)
{
	size_t cap = 16;

	while (cap < expected * 2)
		cap *= 2;
	set->slots = xcalloc(cap, sizeof(*set->slots));
	set->mask = cap - 1;
}

/* Adds key; returns false when an equal key is already there. */
static bool key_set_add(struct key_set *set, const struct node *key)
{
	size_t i;

	if (key->type != NODE_SCALAR)
		return true;	/* complex keys never equal another */
	i = hash_bytes(key->u.text, key->count) & set->mask;
	while (set->slots[i]) {
		if (key_equal(set->slots[i], key))
			return false;
		i = (i + 1) & set->mask;
	}
	set->slots[i] = key;
	return true;
}

/* Builds a mapping's pairs from its children, resolving << merges (explicit keys win). */
static void finish_mapping(struct builder *b, struct node *map, struct node **kids, size_t n)
{
	size_t pairs_n = n / 2, explicit_n = 0, merged_n = 0, i, j;
	struct node_pair *pairs;
	struct node **sources = NULL;
	size_t source_n = 0, sources_cap = 0;

	for (i = 0; i + 1 < n; i += 2) {
		struct node *k = kids[i], *v = kids[i + 1];

		if (!is_merge_key(k))
			continue;
		if (v->type == NODE_MAPPING) {
			GROW(sources, sources_cap, source_n + 1);
			sources[source_n++] = v;
		} else if (v->type == NODE_SEQUENCE) {
			for (j = 0; j < v->count; j++)
				if (v->u.items[j]->type == NODE_MAPPING) {
					GROW(sources, sources_cap, source_n + 1);
					sources[source_n++] = v->u.items[j];
				}
		}
	}
	for (i = 0; i < source_n; i++)
		merged_n += sources[i]->count;
	pairs = arena_alloc(b->arena, (pairs_n + merged_n + 1) * sizeof(*pairs));
	for (i = 0; i + 1 < n; i += 2) {
		if (source_n && is_merge_key(kids[i]))
			continue;
		pairs[explicit_n].key = kids[i];
		pairs[explicit_n].value = kids[i + 1];
		explicit_n++;
	}
	find_duplicates(b, pairs, NULL, explicit_n);
	pairs_n = explicit_n;
	if (source_n) {
		struct key_set keys;

		/* Explicit keys win over merged ones, and earlier merged maps over later ones. */
		key_set_init(&keys, explicit_n + merged_n);
		for (i = 0; i < explicit_n; i++)
			key_set_add(&keys, pairs[i].key);
		for (i = 0; i < source_n; i++) {
			const struct node *src = sources[i];

			for (j = 0; j < src->count; j++)
				if (key_set_add(&keys, src->u.pairs[j].key)) {
					src->u.pairs[j].key->flags |= NODE_SHARED;
					src->u.pairs[j].value->flags |= NODE_SHARED;
					pairs[pairs_n++] = src->u.pairs[j];
				}
		}
		free(keys.slots);
	}
	free(sources);
	map->count = (unsigned int)pairs_n;
	map->u.pairs = pairs;
	if (pairs_n > MAP_INDEX_MIN)
		set_map_index(map, map_index_build(b->arena, pairs, pairs_n));
}

static void open_collection(struct builder *b, struct node *n, const char *anchor)
{
	struct frame *f;

	ARENA_GROW(b->arena, b->frames, b->frames_cap, b->depth + 1);
	f = &b->frames[b->depth++];
	f->node = n;
	f->first_child = b->child_count;
	f->weight = 1;
	f->height = 1;
	f->anchor = anchor;
	f->skim = false;
}

static void close_collection(struct builder *b)
{
	struct frame f = b->frames[--b->depth];
	struct node *n = f.node;
	size_t count = b->child_count - f.first_child;
	/* children is still NULL when no collection had a child yet: NULL + 0 is undefined. */
	struct node **kids = count ? b->children + f.first_child : NULL;

	if (n->type == NODE_SEQUENCE) {
		n->u.items = arena_alloc(b->arena, (count + 1) * sizeof(*n->u.items));
		if (count)
			memcpy(n->u.items, kids, count * sizeof(*kids));
		n->count = (unsigned int)count;
	} else {
		finish_mapping(b, n, kids, count);
	}
	b->child_count = f.first_child;
	complete(b, n, f.weight, f.height, f.anchor);
}

/* The last "# Source: " comment between the previous document and this root, for helm output. */
static const char *find_source_comment(struct builder *b, unsigned int from_line, unsigned int to_line)
{
	const char *found = NULL;
	size_t found_len = 0;
	unsigned int line;

	if (!b->lines) {
		size_t i, cap = 0;

		GROW(b->lines, cap, 1);
		b->lines[b->line_count++] = 0;
		for (i = 0; i < b->len; i++)
			if (b->text[i] == '\n') {
				GROW(b->lines, cap, b->line_count + 1);
				b->lines[b->line_count++] = i + 1;
			}
	}
	for (line = from_line; line < to_line && line <= b->line_count; line++) {
		size_t start = b->lines[line - 1];
		size_t end = line < b->line_count ? b->lines[line] : b->len;
		const char *s = b->text + start;
		size_t n = end - start;

		if (n > 10 && memcmp(s, "# Source: ", 10) == 0) {
			found = s + 10;
			found_len = n - 10;
			while (found_len && (found[found_len - 1] == '\n' || found[found_len - 1] == '\r' ||
					     found[found_len - 1] == ' '))
				found_len--;
		}
	}
	return found ? arena_strndup(b->arena, found, found_len) : NULL;
}

static void start_document(struct builder *b, yaml_mark_t mark)
{
	struct doc_set *set = b->set;

	GROW(set->documents, b->documents_cap, set->count + 1);
	b->doc = &set->documents[set->count++];
	memset(b->doc, 0, sizeof(*b->doc));
	b->doc->start = mark_position(mark);
	b->anchor_count = 0;
	b->generation++;	/* empties the anchor table */
	b->doc_bad = false;
	b->depth = 0;
	b->child_count = 0;
	b->kind = NULL;
	b->kind_key_seen = false;
	b->skimmed = false;
}

static void end_document(struct builder *b, yaml_mark_t mark, bool has_source_comments)
{
	if (b->doc_bad)
		b->doc->root = NULL;
	if (has_source_comments) {
		unsigned int to = b->doc->root ? b->doc->root->line : (unsigned int)mark.line + 1;

		b->doc->source_comment = find_source_comment(b, b->last_doc_end_line + 1, to);
	}
	b->last_doc_end_line = (unsigned int)mark.line;
}

static bool looks_binary(const char *text, size_t len)
{
	size_t n = len < 8192 ? len : 8192;

	return memchr(text, '\0', n) != NULL;
}

/* UTF-16 text without a byte order mark: NUL bytes on one parity only (ASCII's high bytes), and many. */
static bool looks_utf16(const char *text, size_t len)
{
	size_t n = len < 256 ? len : 256, nuls[2] = { 0, 0 }, i;

	for (i = 0; i < n; i++)
		if (text[i] == '\0')
			nuls[i & 1]++;
	return n >= 2 && (nuls[0] == 0) != (nuls[1] == 0) && (nuls[0] + nuls[1]) * 4 >= n;
}

static bool has_utf16_bom(const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;

	return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

/* Whether the error at is in the indentation of its line and that indentation holds a tab: libyaml
 * says only "found character that cannot start any token" there.  UTF-8 text only. */
COLD static bool tab_indents(const struct builder *b, struct position at)
{
	size_t i = 0, line = 1, column = 1;
	bool tab = false;

	if (has_utf16_bom(b->text, b->len))
		return false;
	while (line < at.line && i < b->len) {
		char c = b->text[i++];

		if (c == '\n' || (c == '\r' && (i >= b->len || b->text[i] != '\n')))
			line++;
	}
	if (line != at.line)
		return false;
	for (; i < b->len && (b->text[i] == ' ' || b->text[i] == '\t'); i++, column++)
		tab |= b->text[i] == '\t';
	return tab && at.column <= column;
}

COLD static void syntax_problem(struct builder *b, yaml_parser_t *parser)
{
	struct problem *p;
	const char *what = parser->problem ? parser->problem : "unknown error";

	if (parser->error == YAML_READER_ERROR) {
		p = add_problem(b, PROBLEM_ENCODING, offset_position(b->text, b->len, parser->problem_offset),
				arena_strdup(b->arena, what));
		if (parser->problem_value != -1 && strstr(what, "octet"))
			p->message = arena_printf(b->arena, "%s (byte 0x%02X): the file is not valid UTF-8",
						  what, (unsigned)parser->problem_value & 0xFFu);
		else if (parser->problem_value != -1)
			p->message = arena_printf(b->arena, "%s (character U+%04X)", what,
						  (unsigned)parser->problem_value);
		return;
	}
	if (parser->error == YAML_MEMORY_ERROR) {
		add_problem(b, PROBLEM_LIMIT, mark_position(parser->mark), "libyaml ran out of memory");
		return;
	}
	p = add_problem(b, PROBLEM_SYNTAX, mark_position(parser->problem_mark), arena_strdup(b->arena, what));
	if (tab_indents(b, p->at))
		p->message = arena_printf(b->arena, "a tab indents this line, and YAML indents with spaces only "
					  "(libyaml: %s)", what);
	if (parser->context) {
		p->context = mark_position(parser->context_mark);
		p->context_message = arena_strdup(b->arena, parser->context);
	}
}

COLD static void limit_problem(struct builder *b, yaml_mark_t mark, const char *message)
{
	add_problem(b, PROBLEM_LIMIT, mark_position(mark), message);
}

static unsigned char scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return STYLE_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return STYLE_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE: return STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return STYLE_FOLDED;
	default: return STYLE_PLAIN;
	}
}

static void resolve_scalar(struct node *n);

COLD static void scalar_limit_problem(struct builder *b, const yaml_event_t *ev)
{
	limit_problem(b, ev->start_mark,
		      arena_printf(b->arena, "a scalar of %zu bytes is longer than the limit of %zu; this document "
				   "is not checked", ev->data.scalar.length, b->limits->max_scalar));
	b->doc_bad = true;
}

/*
 * Skimming.  Of a kind no rule reads beyond its identity (a Deployment, a ConfigMap), the values of
 * the root's keys other than apiVersion, kind and metadata are collections nothing looks into: such a
 * value becomes an empty collection flagged NODE_SKIMMED, and what is inside it is read from libyaml
 * and counted (limits, nesting) but not built, except the scalar keys of its mappings, to find
 * repeated keys as a whole parse does.  What would make the answer differ (an anchor or an alias in
 * a skimmed value, a merge key, a second root kind:) stops the parse, which starts again whole.
 */
static bool should_skim(struct builder *b)
{
	const struct frame *root = &b->frames[0];
	const struct node *key;

	if (!b->skim || !b->kind || b->depth != 1 || root->skim || root->node->type != NODE_MAPPING ||
	    (b->child_count - root->first_child) % 2 == 0)
		return false;
	key = b->children[b->child_count - 1];
	if (key->type != NODE_SCALAR || scalar_is(key, "apiVersion", 10) || scalar_is(key, "kind", 4) ||
	    scalar_is(key, "metadata", 8))
		return false;
	return b->skim->may_skim(b->skim->data, b->kind->u.text, b->kind->count);
}

/* A collection inside a skimmed value (node NULL), or the skimmed value itself (node). */
static void open_skimmed(struct builder *b, struct node *n, bool mapping)
{
	struct frame *f;

	open_collection(b, n, NULL);
	f = &b->frames[b->depth - 1];
	f->skim = true;
	f->mapping = mapping;
	f->seen = 0;
}

static void close_skimmed(struct builder *b)
{
	struct frame f = b->frames[--b->depth];
	size_t count = b->child_count - f.first_child;
	struct frame *parent;

	if (f.mapping && count)
		find_duplicates(b, NULL, b->children + f.first_child, count);
	b->child_count = f.first_child;
	if (f.node) {
		/* The skimmed value: an empty collection, with the spare slot doc_parse() always leaves. */
		f.node->flags |= NODE_SKIMMED;
		if (f.mapping)
			f.node->u.pairs = arena_zalloc(b->arena, sizeof(*f.node->u.pairs));
		else
			f.node->u.items = arena_zalloc(b->arena, sizeof(*f.node->u.items));
		complete(b, f.node, f.weight, f.height, NULL);
		return;
	}
	parent = &b->frames[b->depth - 1];
	if (parent->mapping && parent->seen % 2 == 0)
		push_child(b, &b->complex_key);
	complete(b, NULL, f.weight, f.height, NULL);
}

/* A scalar inside a skimmed value: a key is kept to find repeats, a value only counted. */
static bool skim_scalar(struct builder *b, const yaml_event_t *ev)
{
	const struct frame *parent = &b->frames[b->depth - 1];
	size_t len = ev->data.scalar.length;

	if (ev->data.scalar.anchor) {
		b->restart = true;
		return false;
	}
	if (len > b->limits->max_scalar) {
		scalar_limit_problem(b, ev);
		return true;
	}
	if (parent->mapping && parent->seen % 2 == 0) {
		struct node *k = new_node(b, NODE_SCALAR, ev->start_mark);

		k->style = scalar_style(ev->data.scalar.style);
		k->flags = tag_flags(ev->data.scalar.tag);
		k->count = (unsigned int)len;
		k->u.text = arena_strndup(b->arena, (const char *)ev->data.scalar.value, len);
		if (is_merge_key(k)) {
			b->restart = true;
			return false;
		}
		push_child(b, k);
	}
	complete(b, NULL, 1 + len / 64, 0, NULL);
	return true;
}

/* Handles one event; returns false to stop reading the stream. */
static bool handle_event(struct builder *b, yaml_event_t *ev, bool has_source_comments)
{
	struct node *n;
	struct anchor *a;
	const yaml_char_t *anchor;
	bool mapping;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->set->count >= b->limits->max_documents) {
			limit_problem(b, ev->start_mark,
				      arena_printf(b->arena, "more than %zu documents in one file; the rest is not read",
						   b->limits->max_documents));
			return false;
		}
		start_document(b, ev->start_mark);
		return true;
	case YAML_DOCUMENT_END_EVENT:
		end_document(b, ev->end_mark, has_source_comments);
		return true;
	case YAML_SCALAR_EVENT:
		if (b->doc_bad)
			return true;
		if (b->depth && b->frames[b->depth - 1].skim)
			return skim_scalar(b, ev);
		if (ev->data.scalar.length > b->limits->max_scalar) {
			scalar_limit_problem(b, ev);
			return true;
		}
		n = new_node(b, NODE_SCALAR, ev->start_mark);
		n->style = scalar_style(ev->data.scalar.style);
		n->flags = tag_flags(ev->data.scalar.tag);
		n->count = (unsigned int)ev->data.scalar.length;
		n->u.text = arena_strndup(b->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		resolve_scalar(n);
		/* A long scalar weighs one node per 64 bytes: aliases to it would otherwise repeat megabytes
		 * of text into every message that quotes it, a million times over, for one node each. */
		complete(b, n, 1 + ev->data.scalar.length / 64, 0, copy_anchor(b, ev->data.scalar.anchor));
		return true;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->doc_bad)
			return true;
		if (b->depth >= b->limits->max_depth) {
			limit_problem(b, ev->start_mark,
				      arena_printf(b->arena, "collections nest deeper than %u levels; "
						   "the rest of this file is not read", b->limits->max_depth));
			b->doc_bad = true;
			return false;
		}
		mapping = ev->type == YAML_MAPPING_START_EVENT;
		anchor = mapping ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
		if (b->depth && b->frames[b->depth - 1].skim) {
			if (anchor) {
				b->restart = true;
				return false;
			}
			open_skimmed(b, NULL, mapping);
			return true;
		}
		if (mapping) {
			n = new_node(b, NODE_MAPPING, ev->start_mark);
			n->style = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE ? STYLE_FLOW : STYLE_BLOCK;
			n->flags = tag_flags(ev->data.mapping_start.tag);
		} else {
			n = new_node(b, NODE_SEQUENCE, ev->start_mark);
			n->style = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE ? STYLE_FLOW : STYLE_BLOCK;
			n->flags = tag_flags(ev->data.sequence_start.tag);
		}
		/* An anchored value is not skimmed: an alias elsewhere may need its nodes. */
		if (!anchor && should_skim(b)) {
			b->skimmed = true;
			open_skimmed(b, n, mapping);
		} else {
			open_collection(b, n, copy_anchor(b, anchor));
		}
		return true;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->doc_bad)
			return true;
		if (b->frames[b->depth - 1].skim)
			close_skimmed(b);
		else
			close_collection(b);
		return true;
	case YAML_ALIAS_EVENT:
		if (b->doc_bad)
			return true;
		if (b->depth && b->frames[b->depth - 1].skim) {
			b->restart = true;
			return false;
		}
		a = find_anchor(b, (const char *)ev->data.alias.anchor);
		if (!a) {
			add_problem(b, PROBLEM_ALIAS, mark_position(ev->start_mark),
				    arena_printf(b->arena, "alias *%s refers to no complete anchor before it in this "
						 "document (undefined, used inside its own anchored node, or defined in "
						 "another document: anchors do not cross '---')",
						 (const char *)ev->data.alias.anchor));
			b->doc_bad = true;
			return true;
		}
		/* The budget is per file: per document, many small bombs would add up without bound. */
		if (add_weight(b->alias_weight, a->weight) > b->limits->max_alias_nodes) {
			limit_problem(b, ev->start_mark,
				      arena_printf(b->arena, "alias *%s would make the aliases of this file expand past %zu "
						   "nodes (an alias bomb?); this document is not checked",
						   (const char *)ev->data.alias.anchor, b->limits->max_alias_nodes));
			b->doc_bad = true;
			return true;
		}
		/* Expanded, an alias chain can nest far deeper than the text does: rules walk it that deep. */
		if (b->depth + a->height > b->limits->max_depth) {
			limit_problem(b, ev->start_mark,
				      arena_printf(b->arena, "alias *%s would nest collections deeper than %u levels once "
						   "expanded; this document is not checked",
						   (const char *)ev->data.alias.anchor, b->limits->max_depth));
			b->doc_bad = true;
			return true;
		}
		b->alias_weight = add_weight(b->alias_weight, a->weight);
		a->node->flags |= NODE_SHARED;
		complete(b, a->node, a->weight, a->height, NULL);
		return true;
	default:
		return true;
	}
}

/* Whether text holds "# Source: " (Helm's mark of the template a document came from).  '#' is rare
 * in manifests: memchr finds it faster than memmem walks every byte. */
static bool has_source_comment(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end && (p = memchr(p, '#', (size_t)(end - p)))) {
		if ((size_t)(end - p) >= 10 && memcmp(p, "# Source: ", 10) == 0)
			return true;
		p++;
	}
	return false;
}

/* One parse; *restart tells that skimming stopped it, and nothing it made is meant to be used. */
static int parse(struct doc_set *set, struct arena *arena, const char *text, size_t len,
		 const struct doc_limits *limits, const struct doc_skim *skim, bool *restart)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;
	bool has_source_comments;

	memset(set, 0, sizeof(*set));
	memset(&b, 0, sizeof(b));
	b.arena = arena;
	b.limits = limits ? limits : &doc_default_limits;
	b.set = set;
	b.text = text;
	b.len = len;
	b.skim = skim;
	b.complex_key.type = NODE_MAPPING;
	*restart = false;

	if (!has_utf16_bom(text, len) && looks_binary(text, len)) {
		const char *nul = memchr(text, '\0', len < 8192 ? len : 8192);
		bool utf16 = looks_utf16(text, len);

		add_problem(&b, PROBLEM_ENCODING, offset_position(text, len, (size_t)(nul - text)),
			    utf16 ? "the file looks like UTF-16 without a byte order mark; save it as UTF-8"
				  : "the file holds NUL bytes: it is binary, not YAML or JSON");
		return -1;
	}
	has_source_comments = has_source_comment(text, len);
	if (!yaml_parser_initialize(&parser)) {
		parse_pool_release();
		add_problem(&b, PROBLEM_LIMIT, (struct position){ 1, 1 }, "libyaml could not start");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	/* Room for a typical manifest's nesting and pending children at once, not five reallocs. */
	ARENA_GROW(b.arena, b.frames, b.frames_cap, 32);
	ARENA_GROW(b.arena, b.children, b.children_cap, 256);
	for (;;) {
		bool go_on;

		/* After an error libyaml returns empty events forever: stop on failure and on NO_EVENT. */
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_problem(&b, &parser);
			if (b.doc && b.depth)
				b.doc->root = NULL;
			rc = -1;
			break;
		}
		if (ev.type == YAML_NO_EVENT || ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		go_on = handle_event(&b, &ev, has_source_comments) && !b.restart;
		yaml_event_delete(&ev);
		if (b.restart)
			break;
		if (!go_on) {
			if (b.doc)
				b.doc->root = NULL;
			rc = -1;
			break;
		}
	}
	/* A document cut short by an error keeps no root: its tree is incomplete. */
	if (rc != 0 && b.doc && b.depth)
		b.doc->root = NULL;
	yaml_parser_delete(&parser);
	/* Every block libyaml made is given back by now (parse_pool.h). */
	parse_pool_release();
	free(b.anchors);
	free(b.anchor_slots);
	free(b.lines);
	*restart = b.restart;
	return rc;
}

int doc_parse_skimming(struct doc_set *set, struct arena *arena, const char *text, size_t len,
		       const struct doc_limits *limits, const struct doc_skim *skim)
{
	struct arena_mark mark = arena_mark(arena);
	bool restart;
	int rc = parse(set, arena, text, len, limits, skim, &restart);

	if (!restart)
		return rc;
	free(set->documents);
	free(set->problems);
	arena_rewind(arena, mark);
	return parse(set, arena, text, len, limits, NULL, &restart);
}

int doc_parse(struct doc_set *set, struct arena *arena, const char *text, size_t len,
	      const struct doc_limits *limits)
{
	return doc_parse_skimming(set, arena, text, len, limits, NULL);
}

/* ---- node access ---- */

const struct node_pair *node_get_pair_n(const struct node *map, const char *key, size_t len)
{
	size_t i;

	if (!map || map->type != NODE_MAPPING)
		return NULL;
	if (map->flags & NODE_INDEXED) {
		const struct map_index *index = map_index_of(map);

		for (i = hash_bytes(key, len) & index->mask; index->slots[i]; i = (i + 1) & index->mask) {
			const struct node_pair *p = &map->u.pairs[index->slots[i] - 1];

			if (p->key->count == len && memcmp(p->key->u.text, key, len) == 0)
				return p;
		}
		return NULL;
	}
	/* The last occurrence wins, as in Kubernetes' JSON decoding: looked for from the end, the first
	 * found is it. */
	for (i = map->count; i-- > 0;) {
		const struct node *k = map->u.pairs[i].key;

		if (k->type == NODE_SCALAR && k->count == len && (len == 0 || k->u.text[0] == key[0]) &&
		    memcmp(k->u.text, key, len) == 0)
			return &map->u.pairs[i];
	}
	return NULL;
}

const struct node *node_get_path(const struct node *root, const char *dotted)
{
	char part[128];
	const char *s = dotted;

	while (root && *s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, s, n);
		part[n] = '\0';
		root = node_get(root, part);
		s += n + (dot ? 1 : 0);
	}
	return root;
}

static bool plain_untagged(const struct node *n)
{
	return n && n->type == NODE_SCALAR && n->style == STYLE_PLAIN && !(n->flags & NODE_TAG_STR);
}

/* Whether n's text is word: texts are compared by length first (they may hold NULs, and most are
 * longer than any null or boolean). */
static bool text_is(const struct node *n, const char *word, size_t len)
{
	return n->count == len && memcmp(n->u.text, word, len) == 0;
}

static bool null_text(const struct node *n)
{
	if (!plain_untagged(n))
		return false;
	return n->count == 0 || text_is(n, "~", 1) || (n->count == 4 && (text_is(n, "null", 4) ||
	       text_is(n, "Null", 4) || text_is(n, "NULL", 4)));
}

static bool bool_text(const struct node *n, bool *out)
{
	/* YAML 1.1 booleans, by length: y Y n N, on On ON no No NO, yes... off..., true..., false... */
	static const char *const words[6][6] = {
		{ NULL },
		{ "y", "Y", "n", "N", NULL },
		{ "on", "On", "ON", "no", "No", "NO" },
		{ "yes", "Yes", "YES", "off", "Off", "OFF" },
		{ "true", "True", "TRUE", NULL },
		{ "false", "False", "FALSE", NULL },
	};
	size_t i;

	if (!plain_untagged(n) || n->count == 0 || n->count > 5)
		return false;
	for (i = 0; i < 6 && words[n->count][i]; i++)
		if (words[n->count][i][0] == n->u.text[0] && memcmp(words[n->count][i], n->u.text, n->count) == 0) {
			if (out)
				/* Per length, the true words come first: y Y, on On ON, yes..., true..., (none). */
				*out = n->count == 5 ? false : n->count == 4 ? true :
				       n->count == 1 ? i < 2 : i < 3;
			return true;
		}
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool node_int(const struct node *n, long long *out)
{
	const char *s;
	int base = 10, sign = 1, digits = 0;
	unsigned long long v = 0;

	if (!plain_untagged(n) || n->count == 0 || n->count > 64 ||
	    ((n->flags & NODE_RESOLVED) && !(n->flags & NODE_INT)))
		return false;
	s = n->u.text;
	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		base = 8;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;	/* YAML 1.1: a leading 0 means octal */
		s += 1;
	}
	for (; *s; s++) {
		int d;

		if (*s == '_')
			continue;
		d = digit_value(*s);
		if (d >= base)
			return false;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			return false;
		v = v * (unsigned)base + (unsigned)d;
		digits++;
	}
	if (!digits && base != 8)
		return false;
	if (v > (unsigned long long)LLONG_MAX)
		return false;
	if (out)
		*out = sign * (long long)v;
	return true;
}

bool node_is_int(const struct node *n)
{
	if (n && (n->flags & NODE_RESOLVED))
		return n->flags & NODE_INT;
	return node_int(n, NULL);
}

static bool float_text(const struct node *n)
{
	const char *s;
	bool digits = false;

	if (!plain_untagged(n) || node_int(n, NULL))
		return false;
	s = n->u.text;
	if ((s[0] == '.' || (n->count > 1 && s[1] == '.')) &&
	    (strcmp(s, ".inf") == 0 || strcmp(s, "-.inf") == 0 || strcmp(s, "+.inf") == 0 ||
	    strcmp(s, ".nan") == 0 || strcmp(s, ".Inf") == 0 || strcmp(s, ".NaN") == 0))
		return true;
	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

bool node_is_null(const struct node *n)
{
	if (!n)
		return true;
	if (n->flags & NODE_RESOLVED)
		return n->flags & NODE_NULL;
	return null_text(n);
}

bool node_bool(const struct node *n, bool *out)
{
	if (n && (n->flags & NODE_RESOLVED)) {
		if (!(n->flags & NODE_BOOL))
			return false;
		if (out)
			*out = n->flags & NODE_TRUE;
		return true;
	}
	return bool_text(n, out);
}

bool node_is_float(const struct node *n)
{
	if (n && (n->flags & NODE_RESOLVED))
		return n->flags & NODE_FLOAT;
	return float_text(n);
}

/* Only these first characters can start a null, a boolean or a number: ~nNyYtTfFoO0-9+-. */
static bool may_not_be_string(const struct node *n)
{
	static const bool starts[256] = {
		['~'] = true, ['n'] = true, ['N'] = true, ['y'] = true, ['Y'] = true, ['t'] = true,
		['T'] = true, ['f'] = true, ['F'] = true, ['o'] = true, ['O'] = true, ['0'] = true,
		['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true, ['5'] = true, ['6'] = true,
		['7'] = true, ['8'] = true, ['9'] = true, ['+'] = true, ['-'] = true, ['.'] = true,
	};

	return n->count == 0 || starts[(unsigned char)n->u.text[0]];
}

/* A decimal integer without sign, underscore or leading zero, the most common number (ports):
 * answered without trying null, boolean and the other integer forms first. */
static bool plain_decimal(const struct node *n)
{
	unsigned int i;

	if (n->count == 0 || n->count > 18 || n->u.text[0] < '1' || n->u.text[0] > '9')
		return false;
	for (i = 1; i < n->count; i++)
		if (n->u.text[i] < '0' || n->u.text[i] > '9')
			return false;
	return true;
}

static void resolve_scalar(struct node *n)
{
	unsigned short f = NODE_RESOLVED;
	bool value;

	if (plain_untagged(n) && plain_decimal(n)) {
		f |= NODE_INT;
	} else if (plain_untagged(n) && may_not_be_string(n)) {
		if (null_text(n))
			f |= NODE_NULL;
		else if (bool_text(n, &value))
			f |= (unsigned short)(NODE_BOOL | (value ? NODE_TRUE : 0));
		else if (node_int(n, NULL))
			f |= NODE_INT;
		else if (float_text(n))
			f |= NODE_FLOAT;
	}
	n->flags |= f;
}

bool node_is_string(const struct node *n)
{
	if (!node_is_scalar(n))
		return false;
	if (n->flags & NODE_RESOLVED)
		return !(n->flags & (NODE_NULL | NODE_BOOL | NODE_INT | NODE_FLOAT));
	if (!plain_untagged(n))
		return true;
	if (!may_not_be_string(n))
		return true;
	return !null_text(n) && !bool_text(n, NULL) && !node_int(n, NULL) && !float_text(n);
}

const char *node_str(const struct node *n)
{
	return node_is_string(n) ? n->u.text : NULL;
}

bool node_text_eq(const struct node *n, const char *text)
{
	return node_is_scalar(n) && strcmp(n->u.text, text) == 0;
}

const char *node_type_name(const struct node *n)
{
	if (!n || node_is_null(n))
		return "null";
	if (n->type == NODE_MAPPING)
		return "map";
	if (n->type == NODE_SEQUENCE)
		return "list";
	if (node_bool(n, NULL))
		return "boolean";
	if (node_is_int(n))
		return "integer";
	if (node_is_float(n))
		return "number";
	return "string";
}

struct position node_position(const struct node *n)
{
	struct position p = { 0, 0 };

	if (n) {
		p.line = n->line;
		p.column = n->column;
	}
	return p;
}

/* node_copy() keeps what aliases share shared: a map from original to copy, so that a copy costs what
 * the text holds, not what it expands to.  Recursion is bounded by doc_limits.max_depth, which also
 * caps the expanded height.  With a node_cache, a copy equal to one made before (same type, style,
 * flags, position, text or children) is that earlier node. */
struct copier {
	struct arena *arena;
	struct string_pool *strings;
	struct node_cache *cache;
	const struct node **from;
	struct node **to;
	uint64_t *hashes;	/* with a cache: the hash of each copy in to */
	size_t mask, count;
	void **stack;		/* children of the collections being copied, before they are placed */
	uint64_t *stack_hashes;	/* and their hashes */
	size_t depth, stack_cap, hashes_cap;
	uint64_t hash;		/* with a cache: the hash of the node copy_node() returned last */
};

static size_t pointer_slot(const struct copier *c, const struct node *n)
{
	return (size_t)(((uintptr_t)n >> 4) * 0x9E3779B97F4A7C15ull >> 7) & c->mask;
}

static void copier_put(struct copier *c, const struct node *from, struct node *to, uint64_t hash)
{
	size_t i;

	if (!c->from) {
		c->mask = 63;
		c->from = xcalloc(c->mask + 1, sizeof(*c->from));
		c->to = xcalloc(c->mask + 1, sizeof(*c->to));
		c->hashes = xcalloc(c->mask + 1, sizeof(*c->hashes));
	}
	if ((c->count + 1) * 2 > c->mask + 1) {
		const struct node **old_from = c->from;
		struct node **old_to = c->to;
		uint64_t *old_hashes = c->hashes;
		size_t old_cap = c->mask + 1, k;

		c->mask = old_cap * 2 - 1;
		c->from = xcalloc(c->mask + 1, sizeof(*c->from));
		c->to = xcalloc(c->mask + 1, sizeof(*c->to));
		c->hashes = xcalloc(c->mask + 1, sizeof(*c->hashes));
		for (k = 0; k < old_cap; k++)
			if (old_from[k]) {
				for (i = pointer_slot(c, old_from[k]); c->from[i]; i = (i + 1) & c->mask)
					;
				c->from[i] = old_from[k];
				c->to[i] = old_to[k];
				c->hashes[i] = old_hashes[k];
			}
		free(old_from);
		free(old_to);
		free(old_hashes);
	}
	for (i = pointer_slot(c, from); c->from[i]; i = (i + 1) & c->mask)
		;
	c->from[i] = from;
	c->to[i] = to;
	c->hashes[i] = hash;
	c->count++;
}

static struct node *copier_get(struct copier *c, const struct node *from)
{
	size_t i;

	for (i = pointer_slot(c, from); c->from[i]; i = (i + 1) & c->mask)
		if (c->from[i] == from) {
			c->hash = c->hashes[i];
			return c->to[i];
		}
	return NULL;
}

void node_cache_init(struct node_cache *cache, unsigned int bits)
{
	cache->mask = ((size_t)1 << bits) - 1;
	cache->slots = xcalloc(cache->mask + 1, sizeof(*cache->slots));
	cache->records_mask = ((size_t)1 << (bits > 4 ? bits - 4 : 0)) - 1;
	cache->records = xcalloc(cache->records_mask + 1, sizeof(*cache->records));
	cache->hits = cache->misses = 0;
	cache->hash = 0;
	cache->base_line = 0;
	cache->stack = NULL;
	cache->stack_hashes = NULL;
	cache->stack_cap = cache->hashes_cap = 0;
}

void node_cache_release(struct node_cache *cache)
{
	free(cache->slots);
	free(cache->records);
	cache->records = NULL;
	cache->records_mask = 0;
	free(cache->stack);
	free(cache->stack_hashes);
	cache->slots = NULL;
	cache->stack = NULL;
	cache->stack_hashes = NULL;
	cache->mask = cache->stack_cap = cache->hashes_cap = 0;
}

/* The fields of n that make it what it is, apart from its text or children. */
static uint64_t header_hash(const struct node *n)
{
	uint64_t h = 0xCBF29CE484222325ull;

	h = node_hash_mix(h, (uint64_t)n->type | (uint64_t)n->style << 8 | (uint64_t)n->flags << 16 |
			     (uint64_t)n->count << 32);
	return node_hash_mix(h, (uint64_t)n->line | (uint64_t)n->column << 32);
}

static bool same_header(const struct node *a, const struct node *b)
{
	return a->type == b->type && a->style == b->style && a->flags == b->flags && a->line == b->line &&
	       a->column == b->column && a->count == b->count;
}

/* Hashes come from the bytes of texts and from positions, never from addresses: which nodes share a
 * slot, and so how much is shared, is the same from run to run. */
static struct node_cache_slot *cache_slot(struct node_cache *cache, uint64_t h)
{
	return &cache->slots[(size_t)((h * 0x9E3779B97F4A7C15ull) >> 32) & cache->mask];
}

/* The cached scalar equal to *n with text (a pooled text: equal pooled texts are one pointer; its
 * bytes hash to text_hash), or a new one that takes its slot.  The slot's hash spares a look at a
 * node that cannot be equal. */
static struct node *cached_scalar(struct copier *c, const struct node *n, const char *text, uint32_t text_hash)
{
	struct node header = *n;
	uint64_t h;
	struct node_cache_slot *slot;
	struct node *copy;

	header.line -= c->cache->base_line;
	h = node_hash_mix(header_hash(&header), text_hash);
	slot = cache_slot(c->cache, h);
	copy = slot->node;
	c->hash = h;
	if (copy && slot->hash == h && copy->u.text == text && same_header(copy, &header)) {
		c->cache->hits++;
		return copy;
	}
	c->cache->misses++;
	copy = arena_alloc(c->arena, sizeof(*copy));
	*copy = header;
	copy->u.text = text;
	slot->hash = h;
	slot->node = copy;
	return copy;
}

/* The cached collection equal to *like (its line made relative to the cache's base_line) holding
 * children (count pointers: items, or key and value of each pair, with their hashes), or a new one
 * that takes its slot.  Its hash goes to *hash. */
static struct node *cached_collection(struct arena *arena, struct node_cache *cache, const struct node *like,
				      void *const *children, const uint64_t *hashes, size_t count, uint64_t *hash)
{
	struct node header = *like;
	const struct node *n = &header;
	uint64_t h;
	struct node_cache_slot *slot;
	struct node *copy;
	void **array;
	size_t i;

	header.line -= cache->base_line;
	h = header_hash(n);

	for (i = 0; i < count; i++)
		h = node_hash_mix(h, hashes[i]);
	*hash = h;
	slot = cache_slot(cache, h);
	copy = slot->node;
	if (copy && slot->hash == h && same_header(copy, n) &&
	    (count == 0 || memcmp(n->type == NODE_SEQUENCE ? (const void *)copy->u.items : (const void *)copy->u.pairs,
				  children, count * sizeof(*children)) == 0)) {
		cache->hits++;
		return copy;
	}
	cache->misses++;
	copy = arena_alloc(arena, sizeof(*copy));
	*copy = *n;
	/* A sequence keeps a spare slot after its items, as doc_parse() makes them. */
	array = arena_alloc(arena, (count + (n->type == NODE_SEQUENCE)) * sizeof(*array));
	if (count)
		memcpy(array, children, count * sizeof(*children));
	if (n->type == NODE_SEQUENCE)
		copy->u.items = (struct node **)array;
	else
		copy->u.pairs = (struct node_pair *)(void *)array;
	slot->hash = h;
	slot->node = copy;
	return copy;
}

const void *node_cached_record(struct arena *arena, struct node_cache *cache, const void *record, size_t size,
			       uint64_t hash)
{
	struct record_slot *slot = &cache->records[(size_t)((hash * 0x9E3779B97F4A7C15ull) >> 32) & cache->records_mask];
	void *copy;

	if (slot->record && slot->hash == hash && slot->size == size && memcmp(slot->record, record, size) == 0) {
		cache->hits++;
		return slot->record;
	}
	cache->misses++;
	copy = arena_alloc(arena, size);
	memcpy(copy, record, size);
	slot->hash = hash;
	slot->record = copy;
	slot->size = size;
	return copy;
}

static struct node *copy_node(struct copier *c, const struct node *n);

/* Puts a child copied by copy_node() at c->stack[at], with its hash. */
static void stack_child(struct copier *c, size_t at, struct node *child)
{
	c->stack[at] = child;
	c->stack_hashes[at] = c->hash;
}

/* Copies n through the cache: children first (on c->stack), then n itself. */
static struct node *copy_cached(struct copier *c, const struct node *n)
{
	size_t width = n->type == NODE_MAPPING ? 2 : 1, base = c->depth, need, i;
	struct node *copy;

	if (n->type == NODE_SCALAR) {
		uint32_t text_hash;
		const char *text = string_pool_get_hashed(c->strings, n->u.text, n->count, &text_hash);

		return cached_scalar(c, n, text, text_hash);
	}
	need = base + (size_t)n->count * width;
	GROW(c->stack, c->stack_cap, need);
	GROW(c->stack_hashes, c->hashes_cap, need);
	c->depth = need;
	/* Each copy goes through a local: copying a child may move c->stack. */
	for (i = 0; i < n->count; i++) {
		struct node *child;

		if (n->type == NODE_SEQUENCE) {
			child = copy_node(c, n->u.items[i]);
			stack_child(c, base + i, child);
		} else {
			child = copy_node(c, n->u.pairs[i].key);
			stack_child(c, base + 2 * i, child);
			child = copy_node(c, n->u.pairs[i].value);
			stack_child(c, base + 2 * i + 1, child);
		}
	}
	/* The stack is still NULL when no collection had a child yet: NULL + 0 is undefined. */
	copy = cached_collection(c->arena, c->cache, n, n->count ? c->stack + base : NULL,
				 n->count ? c->stack_hashes + base : NULL, (size_t)n->count * width, &c->hash);
	c->depth = base;
	return copy;
}

static struct node *copy_node(struct copier *c, const struct node *n)
{
	struct node *copy;
	unsigned int i;

	/* Only a shared node can be met twice: the rest need no lookup. */
	if ((n->flags & NODE_SHARED) && c->from && (copy = copier_get(c, n)))
		return copy;
	/* An indexed map's table sits after its pairs: such maps are copied as they are. */
	if (c->cache && c->strings && !(n->flags & NODE_INDEXED)) {
		copy = copy_cached(c, n);
		if (n->flags & NODE_SHARED)
			copier_put(c, n, copy, c->hash);
		return copy;
	}
	copy = arena_alloc(c->arena, sizeof(*copy));
	*copy = *n;
	if (c->cache)
		copy->line -= c->cache->base_line;
	switch (n->type) {
	case NODE_SCALAR:
		copy->u.text = c->strings ? string_pool_get(c->strings, n->u.text, n->count)
					  : arena_strndup(c->arena, n->u.text, n->count);
		break;
	case NODE_SEQUENCE:
		copy->u.items = arena_alloc(c->arena, (n->count + 1) * sizeof(*copy->u.items));
		for (i = 0; i < n->count; i++)
			copy->u.items[i] = copy_node(c, n->u.items[i]);
		break;
	case NODE_MAPPING:
		/* The spare slot after the pairs is only for an indexed map's table. */
		copy->u.pairs = arena_alloc(c->arena, (n->count + ((n->flags & NODE_INDEXED) ? 1 : 0)) *
						      sizeof(*copy->u.pairs));
		for (i = 0; i < n->count; i++) {
			copy->u.pairs[i].key = copy_node(c, n->u.pairs[i].key);
			copy->u.pairs[i].value = copy_node(c, n->u.pairs[i].value);
		}
		copy->flags &= ~NODE_INDEXED;
		if (n->flags & NODE_INDEXED)
			set_map_index(copy, map_index_copy(c->arena, map_index_of(n)));
		break;
	}
	/* A map copied alone is in no slot; collections that hold it compare it by address, so its header
	 * is hash enough (an address would make what is shared differ from run to run). */
	if (c->cache)
		c->hash = header_hash(copy);
	if (n->flags & NODE_SHARED)
		copier_put(c, n, copy, c->hash);
	return copy;
}

struct node *node_copy_cached(struct arena *arena, struct string_pool *strings, struct node_cache *cache,
			      const struct node *n)
{
	struct copier c;
	struct node *copy;

	if (!n)
		return NULL;
	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.strings = strings;
	c.cache = cache;
	/* The stacks stay with the cache from copy to copy: a kept object is several copies. */
	if (cache) {
		c.stack = cache->stack;
		c.stack_hashes = cache->stack_hashes;
		c.stack_cap = cache->stack_cap;
		c.hashes_cap = cache->hashes_cap;
	}
	copy = copy_node(&c, n);
	free(c.from);
	free(c.to);
	free(c.hashes);
	if (cache) {
		cache->hash = c.hash;
		cache->stack = c.stack;
		cache->stack_hashes = c.stack_hashes;
		cache->stack_cap = c.stack_cap;
		cache->hashes_cap = c.hashes_cap;
	} else {
		free(c.stack);
		free(c.stack_hashes);
	}
	return copy;
}

struct node *node_copy(struct arena *arena, struct string_pool *strings, const struct node *n)
{
	return node_copy_cached(arena, strings, NULL, n);
}

struct node *node_cached_map(struct arena *arena, struct node_cache *cache, const struct node *like,
			     const struct node_pair *pairs, const uint64_t *hashes, size_t count)
{
	struct node header = *like;

	header.type = NODE_MAPPING;
	header.flags &= (unsigned short)~NODE_INDEXED;
	header.count = (unsigned int)count;
	return cached_collection(arena, cache, &header, (void *const *)(const void *)pairs, hashes, count * 2,
				 &cache->hash);
}

struct node *node_cached_seq(struct arena *arena, struct node_cache *cache, const struct node *like,
			     struct node *const *items, const uint64_t *hashes, size_t count)
{
	struct node header = *like;

	header.type = NODE_SEQUENCE;
	header.count = (unsigned int)count;
	return cached_collection(arena, cache, &header, (void *const *)items, hashes, count, &cache->hash);
}
