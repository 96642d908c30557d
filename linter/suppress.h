/* suppress.h: suppressions that never reach the cluster: svclint comments, and one annotation.
 *
 *   # svclint:ignore RULE[,RULE] [until=YYYY-MM-DD] [-- reason]
 *	on a finding's line, or on the line before it (blank and comment lines between are passed over);
 *   # svclint:ignore-file RULE[,RULE] [until=YYYY-MM-DD] [-- reason]
 *	anywhere in a file: the whole file;
 *   metadata.annotations["svclint.io/ignore"]: "RULE,RULE"
 *	the object that carries it.
 * libyaml drops comments, so suppress_scan() reads them from the file's text, which exists only while
 * a worker holds the file: it runs there, once per file, and skips any file without "svclint:".
 * A suppression list owns its strings.  After `until` a suppression no longer applies; the finding
 * returns with a note saying so.
 */
#ifndef SVCLINT_SUPPRESS_H
#define SVCLINT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "object.h"
#include "options.h"

#define SUPPRESS_ANNOTATION "svclint.io/ignore"
#define SUPPRESS_RULE_ID "unused-suppression"

enum suppression_kind {
	SUPPRESS_LINE,		/* # svclint:ignore */
	SUPPRESS_FILE,		/* # svclint:ignore-file */
	SUPPRESS_OBJECT,	/* the svclint.io/ignore annotation */
};

struct suppression {
	enum suppression_kind kind;
	char *rule;			/* one rule id (a comment naming two makes two); NULL when malformed */
	char *problem;			/* why a comment is not understood, or NULL */
	unsigned int line, column;	/* the comment's '#', or the annotation's value */
	unsigned int next_line;		/* SUPPRESS_LINE: the first line after it that holds YAML */
	char until[11];			/* "YYYY-MM-DD", or "" */
	bool expired;			/* today is after until */
	char *kind_name, *namespace, *name;	/* SUPPRESS_OBJECT: the object */
	bool used;			/* it matched a finding */
};

struct suppression_list {
	char *file;			/* display path */
	struct suppression *items;
	size_t count, capacity;
};

/* Adds the comments of text (len bytes) to list; today is "YYYY-MM-DD". */
void suppress_scan(struct suppression_list *list, const char *text, size_t len, const char *today);
/* Adds object's svclint.io/ignore annotation, if it has one. */
void suppress_add_annotation(struct suppression_list *list, const struct object *object);
void suppression_list_release(struct suppression_list *list);

/*
 * Marks the diagnostics of diags that lists[0..count) suppress (diag.suppressed) and notes expired
 * ones; then reports each suppression that suppressed nothing (or cannot be read) into diags as an
 * unused-suppression finding, unless options turn that rule off.  A suppression for a rule that
 * options turn off is not reported: nothing can be known about it.  lists are sorted by file.
 */
void suppress_apply(struct suppression_list *lists, size_t count, struct diag_list *diags,
		    const struct lint_options *options);

#endif
