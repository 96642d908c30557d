/* regex.c: the only includer of pcre2.h: compile once with JIT, match with limits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct regex {
	pcre2_code *code;
	char *source;
	/* When PCRE2 knows the bytes a match can start with: a subject holding none of them cannot
	 * match, and is answered without a call into PCRE2 (most values, for the placeholders). */
	bool has_first;
	bool anchored;		/* a match can only start at the subject's first byte */
	uint8_t first[32];
	bool jit;	/* JIT-compiled: matched by pcre2_jit_match(), without pcre2_match()'s checks */
};

/*
 * The verdicts of short subjects, by pattern and text.  Manifests repeat the same values (namespaces,
 * port names, protocols, label values) object after object, and a call into PCRE2's JIT costs some
 * 400 instructions where a look-up here costs a tenth of that.  Direct-mapped: a slot keeps the last
 * subject that hashed to it; a verdict depends on nothing but the pattern and the text.
 */
#define MEMO_SLOTS 256u
#define MEMO_TEXT 30u

struct memo_slot {
	const struct regex *regex;	/* NULL: empty */
	unsigned char len;
	signed char verdict;		/* 0 or 1 (a match that hit a limit is not remembered) */
	char text[MEMO_TEXT];
};

struct regex_scratch {
	pcre2_match_data *data;
	pcre2_match_context *context;
	pcre2_jit_stack *stack;
	struct memo_slot memo[MEMO_SLOTS];
};

/* Heap the interpreter may use for one match, in KiB (the JIT path is bounded by its stack). */
#define REGEX_HEAP_LIMIT_KIB 20480u

/* PCRE2 allocates through xmalloc, so running out of memory stops svclint as everywhere else. */
static void *allocate(PCRE2_SIZE size, void *data)
{
	(void)data;
	return xmalloc(size);
}

static void release(void *block, void *data)
{
	(void)data;
	free(block);
}

static void learn_first_bytes(struct regex *r)
{
	uint32_t type = 1, empty = 1;
	const uint8_t *bitmap = NULL;

	r->has_first = pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 0 &&
		       pcre2_pattern_info(r->code, PCRE2_INFO_MATCHEMPTY, &empty) == 0 && !empty &&
		       pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap;
	if (r->has_first)
		memcpy(r->first, bitmap, sizeof(r->first));
}

/* Whether some byte of text can start a match: every match starts at one (see struct regex). */
static bool may_match(const struct regex *r, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;

	if (!r->has_first)
		return true;
	/* Anchored: only the first byte can start a match (the default placeholders mostly are). */
	if (r->anchored)
		return p < end && (r->first[*p >> 3] & (1u << (*p & 7)));
	for (; p < end; p++)
		if (r->first[*p >> 3] & (1u << (*p & 7)))
			return true;
	return false;
}

struct regex *regex_compile(const char *pattern, char **error)
{
	struct regex *r;
	int code;
	PCRE2_SIZE offset;
	pcre2_code *compiled;
	pcre2_general_context *general;
	pcre2_compile_context *compile;

	*error = NULL;
	general = pcre2_general_context_create(allocate, release, NULL);
	compile = pcre2_compile_context_create(general);
	/* MATCH_INVALID_UTF: manifests may hold any bytes, and a subject is never rejected for them. */
	compiled = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				 &code, &offset, compile);
	pcre2_compile_context_free(compile);
	pcre2_general_context_free(general);
	if (!compiled) {
		PCRE2_UCHAR message[256];

		if (pcre2_get_error_message(code, message, sizeof(message)) < 0)
			strcpy((char *)message, "invalid pattern");
		*error = xasprintf("%s at offset %zu", (const char *)message, (size_t)offset);
		return NULL;
	}
	/* Without JIT support (some platforms) the interpreter runs, under the same limits. */
	code = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);
	r = xmalloc(sizeof(*r));
	r->jit = code == 0;
	r->code = compiled;
	r->source = xstrdup(pattern);
	learn_first_bytes(r);
	r->anchored = regex_anchored(r);
	return r;
}

struct regex *regex_union(struct regex *const *regexes, size_t count)
{
	size_t i, len = 1;
	char *text, *error, *p;
	struct regex *joined;

	if (count == 0)
		return NULL;
	for (i = 0; i < count; i++) {
		uint32_t backrefs = 0, captures = 0;

		/* Numbers of groups shift inside the union, so numbered references would change meaning. */
		if (pcre2_pattern_info(regexes[i]->code, PCRE2_INFO_BACKREFMAX, &backrefs) != 0 || backrefs ||
		    pcre2_pattern_info(regexes[i]->code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0 || captures)
			return NULL;
		len += strlen(regexes[i]->source) + 6;
	}
	text = p = xmalloc(len);
	for (i = 0; i < count; i++) {
		size_t n = strlen(regexes[i]->source);

		if (i)
			*p++ = '|';
		memcpy(p, "(?:", 3);
		memcpy(p + 3, regexes[i]->source, n);
		p[3 + n] = ')';
		p += n + 4;
	}
	*p = '\0';
	/* A pattern that swallows the closing parenthesis (\Q, a comment) fails to compile. */
	joined = regex_compile(text, &error);
	free(error);
	free(text);
	return joined;
}

bool regex_anchored(const struct regex *regex)
{
	uint32_t options = 0;

	return pcre2_pattern_info(regex->code, PCRE2_INFO_ALLOPTIONS, &options) == 0 && (options & PCRE2_ANCHORED);
}

void regex_free(struct regex *regex)
{
	if (!regex)
		return;
	pcre2_code_free(regex->code);
	free(regex->source);
	free(regex);
}

const char *regex_source(const struct regex *regex)
{
	return regex->source;
}

struct regex_scratch *regex_scratch_new(void)
{
	struct regex_scratch *s = xcalloc(1, sizeof(*s));
	pcre2_general_context *general = pcre2_general_context_create(allocate, release, NULL);

	s->data = pcre2_match_data_create(1, general);
	s->context = pcre2_match_context_create(general);
	/* NULL without JIT support; the interpreter then needs no stack of its own. */
	s->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, general);
	pcre2_general_context_free(general);
	pcre2_set_match_limit(s->context, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(s->context, REGEX_MATCH_LIMIT);
	pcre2_set_heap_limit(s->context, REGEX_HEAP_LIMIT_KIB);
	if (s->stack)
		pcre2_jit_stack_assign(s->context, NULL, s->stack);
	return s;
}

void regex_scratch_free(struct regex_scratch *scratch)
{
	if (!scratch)
		return;
	pcre2_match_data_free(scratch->data);
	pcre2_match_context_free(scratch->context);
	pcre2_jit_stack_free(scratch->stack);
	free(scratch);
}

static struct memo_slot *memo_slot(struct regex_scratch *scratch, const struct regex *regex, const char *text,
				   size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)regex >> 4);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 16777619u;
	return &scratch->memo[(h ^ (h >> 16)) & (MEMO_SLOTS - 1)];
}

int regex_match(const struct regex *regex, const char *text, size_t len, struct regex_scratch *scratch)
{
	struct memo_slot *slot = NULL;
	int rc;

	if (!may_match(regex, text, len))
		return 0;
	if (len <= MEMO_TEXT) {
		slot = memo_slot(scratch, regex, text, len);
		if (slot->regex == regex && slot->len == len && memcmp(slot->text, text, len) == 0)
			return slot->verdict;
	}
	rc = regex->jit ? pcre2_jit_match(regex->code, (PCRE2_SPTR)text, len, 0, 0, scratch->data, scratch->context)
			: pcre2_match(regex->code, (PCRE2_SPTR)text, len, 0, 0, scratch->data, scratch->context);
	rc = rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
	if (slot && rc >= 0) {
		slot->regex = regex;
		slot->len = (unsigned char)len;
		slot->verdict = (signed char)rc;
		memcpy(slot->text, text, len);
	}
	return rc;
}
