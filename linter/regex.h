/* regex.h: PCRE2 patterns from the configuration, compiled once and matched with limits.
 *
 * regex.c is the only file that includes pcre2.h.  A struct regex is compiled once (UTF-8, with JIT
 * when the platform has it) and is then read-only, so every thread may match it at once; each thread
 * brings its own struct regex_scratch (match data, JIT stack, limits).  Every match runs under a
 * match limit and a heap limit, so no pattern, however it backtracks, can hang a run.
 */
#ifndef SVCLINT_REGEX_H
#define SVCLINT_REGEX_H

#include <stdbool.h>
#include <stddef.h>

struct regex;
struct regex_scratch;

/* Backtracking steps one match may take before it gives up (regex_match() returns -1). */
#define REGEX_MATCH_LIMIT 1000000u

/*
 * Compiles pattern.  Returns the pattern, or NULL with *error set to a malloc'd message that names
 * the offending character ("missing closing parenthesis at offset 3").  The caller frees the
 * pattern with regex_free().
 */
struct regex *regex_compile(const char *pattern, char **error);
void regex_free(struct regex *regex);
/*
 * One pattern that matches where any of regexes[0..count) does, so that a value is searched once
 * rather than once per pattern.  NULL when they cannot be joined safely (back references, or a
 * pattern that does not stand alone inside a group); the caller then matches them one by one.
 */
struct regex *regex_union(struct regex *const *regexes, size_t count);
/* Whether the pattern can match only at the start of a subject (every branch starts with ^). */
bool regex_anchored(const struct regex *regex);
/* The text the pattern was compiled from. */
const char *regex_source(const struct regex *regex);

/* Per-thread matching state; one scratch serves every pattern.  Out of memory aborts. */
struct regex_scratch *regex_scratch_new(void);
void regex_scratch_free(struct regex_scratch *scratch);

/*
 * Searches len bytes of text (which need not be valid UTF-8) for the pattern.  Returns 1 on a match,
 * 0 on none, -1 when the match hit a limit or failed (the caller decides what that means).
 */
int regex_match(const struct regex *regex, const char *text, size_t len, struct regex_scratch *scratch);

#endif
