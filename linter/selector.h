/* selector.h: Kubernetes label selectors (metav1.LabelSelector), read from a node and matched as
 * k8s.io/apimachinery reads and matches them (LabelSelectorAsSelector, labels.Requirement.Matches).
 *
 * selector_parse() turns the node of a selector into a struct selector whose strings point into the
 * node tree and whose arrays live in the caller's arena.  A selector that the API server or
 * LabelSelectorAsSelector would reject is reported, never guessed at: selector_parse() returns -1 and
 * says why and where.  A form whose meaning svclint does not know for sure (a null label value) gives
 * SELECTOR_UNKNOWN, which callers treat as "may match anything" and report nothing about.
 */
#ifndef SVCLINT_SELECTOR_H
#define SVCLINT_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "doc.h"

enum selector_kind {
	SELECTOR_NOTHING,	/* a nil selector (missing or null): matches nothing */
	SELECTOR_EVERYTHING,	/* {} or no requirement at all: matches every label set */
	SELECTOR_REQUIREMENTS,	/* every requirement must hold */
	SELECTOR_UNKNOWN,	/* valid as far as svclint can tell, but its meaning is not certain */
};

enum selector_operator {
	SELECTOR_EQUALS,	/* a matchLabels entry: the key is present with exactly that value */
	SELECTOR_IN,
	SELECTOR_NOT_IN,	/* the key is absent, or present with a value outside the set */
	SELECTOR_EXISTS,
	SELECTOR_DOES_NOT_EXIST,
};

#define SELECTOR_SORTED_MIN 16

struct selector_requirement {
	const char *key;
	enum selector_operator operator;
	const char **values;		/* value_count strings; one for SELECTOR_EQUALS */
	size_t value_count;
	/* The values in strcmp() order when there are more than SELECTOR_SORTED_MIN, else NULL: a set of
	 * thousands is searched, not read whole, for each object matched against it. */
	const char **sorted;
	const struct node *node;	/* the matchLabels value, or the matchExpressions item */
};

struct selector {
	enum selector_kind kind;
	struct selector_requirement *requirements;	/* matchLabels in source order, then matchExpressions */
	size_t count;
	const struct node *node;	/* the selector's own node, NULL when missing */
};

struct selector_error {
	const struct node *at;		/* the node the problem is about */
	char message[192];		/* lowercase, no trailing period: "operator 'in' is not ..." */
};

/*
 * Reads the selector at node (NULL or null: SELECTOR_NOTHING).  Unknown fields are ignored, as the
 * API server prunes them.  Returns 0, or -1 with *error filled when the selector is invalid: not a
 * map, a label key that is not a qualified name, a label value that is not a valid label value or
 * not a string, an operator other than In, NotIn, Exists and DoesNotExist, In/NotIn without values,
 * Exists/DoesNotExist with values, a missing key or operator.
 */
int selector_parse(struct selector *out, struct arena *arena, const struct node *node,
		   struct selector_error *error);

/* Looks a label up: its value, or NULL when the label is absent. */
struct label_source {
	const char *(*get)(const void *data, const char *key);
	const void *data;
};

/* Whether the labels match; false for SELECTOR_NOTHING and SELECTOR_UNKNOWN. */
bool selector_matches(const struct selector *selector, const struct label_source *labels);
/* As selector_matches() over a labels map node (NULL: no labels); a null value counts as "". */
bool selector_matches_map(const struct selector *selector, const struct node *labels);
/* The first requirement the labels fail, or NULL when they match (or the kind has none). */
const struct selector_requirement *selector_first_failure(const struct selector *selector,
							   const struct label_source *labels);
/* Whether every requirement is about key (true for SELECTOR_EVERYTHING). */
bool selector_only_key(const struct selector *selector, const char *key);

/* labels.Selector.String(): "a=b,c in (d,e),!f", "<everything>" or "<nothing>", in arena. */
const char *selector_describe(struct arena *arena, const struct selector *selector);
/* One requirement as selector_describe() writes it, in arena. */
const char *selector_describe_requirement(struct arena *arena, const struct selector_requirement *requirement);

/* The value of key in a labels map node: NULL when absent, "" when null, else the scalar's text. */
const char *label_in_map(const struct node *labels, const char *key);

#endif
