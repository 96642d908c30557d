/* diag.h: diagnostics, their related locations, and their stable order.
 *
 * A diag_list owns its diagnostics and every string in them (copies made at report time), so a
 * diagnostic outlives the document tree it was found in; a deferring list keeps a message's format
 * and copied arguments until diag_list_format().  diag_list_sort() orders by file, line,
 * column, rule and message, which makes output identical from run to run and for any -j.
 */
#ifndef SVCLINT_DIAG_H
#define SVCLINT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum severity { SEVERITY_INFO, SEVERITY_WARNING, SEVERITY_ERROR, SEVERITY_NONE };

struct deferred_text;

struct related {
	char *file;
	unsigned int line, column;
	char *message;		/* NULL until diag_list_format() while deferred is set */
	const struct deferred_text *deferred;
};

struct diag_object {
	char *api_version, *kind, *namespace, *name;	/* NULL for findings about a whole file */
};

struct diag {
	const char *rule;		/* rule id, static */
	enum severity severity;
	char *file;
	unsigned int line, column;
	char *message;			/* NULL until diag_list_format() while deferred is set */
	const struct deferred_text *deferred;	/* the message as its format and arguments */
	struct diag_object object;
	char *template_source;		/* helm "# Source:" of the document, or NULL */
	struct related *related;
	size_t related_count;
	bool suppressed;		/* filtered out later (context file, suppression) */
	bool deferring;			/* its notes' messages are deferred too */
	bool borrows_file;		/* file is not a copy: its list's borrowed_file, or files_stay */
	uint64_t fingerprint;		/* identity that survives line shifts (baseline, SARIF); 0 until set */
	struct arena *arena;		/* where it and its texts live, or NULL: malloc'd, freed by diag_free */
};

struct diag_list {
	struct diag **items;
	size_t count, capacity;
	/* When set, diag_new() puts new findings and their texts here: the engine's workers do, so
	 * that findings made between files are not small malloc'd blocks left in the holes libyaml's
	 * buffers leave (which made libyaml's mallocs miss glibc's cache, 5% of the run). */
	struct arena *arena;
	/* With an arena: a file path that outlives the findings, which name it without a copy when
	 * given this very pointer (the engine's file being linted; 17,600 copies at 100,000 apps). */
	const char *borrowed_file;
	/* With an arena: every file given outlives the findings (the index rules' files are the kept
	 * objects' paths, which the run keeps to its end), so none is copied. */
	bool files_stay;
	/* With an arena: messages are kept as their format (a string literal) and arguments, about 50
	 * bytes where the text is 250, until diag_list_format() makes them text.  The engine's workers
	 * defer them so that the findings' texts are made after the run's peak of memory, once the kept
	 * objects are gone.  Formats with conversions other than %s, %.Ns, %d, %ld, %lld, %u, %lu, %llu,
	 * %zu and %%, or a NULL string, are made into text at once. */
	bool defer;
};

const char *severity_name(enum severity severity);
/* Parses "error", "warning", "info", "never"/"none"; returns -1 for anything else. */
int severity_parse(const char *text, enum severity *out);

struct diag *diag_new(struct diag_list *list, const char *rule, enum severity severity, const char *file,
		      unsigned int line, unsigned int column, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));
/* diag_new() with its arguments inline. */
struct diag *diag_add(struct diag_list *list, const char *rule, enum severity severity, const char *file,
		      unsigned int line, unsigned int column, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void diag_add_related(struct diag *diag, const char *file, unsigned int line, unsigned int column,
		      const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void diag_set_object(struct diag *diag, const char *api_version, const char *kind, const char *namespace,
		     const char *name);

/* Makes text of the deferred messages of list's findings and of their notes (see diag_list.defer);
 * before it, a deferred message is NULL.  The text is what vsnprintf() would have made at report time. */
void diag_list_format(struct diag_list *list);

/* Moves every diagnostic of from to the end of to; from is left empty. */
void diag_list_move(struct diag_list *to, struct diag_list *from);
void diag_list_sort(struct diag_list *list);
/* The order of diag_list_sort() and of the text report's snippets: file (strcmp), line, column. */
int diag_compare_places(const char *file_a, unsigned int line_a, unsigned int column_a, const char *file_b,
			unsigned int line_b, unsigned int column_b);
void diag_list_release(struct diag_list *list);
void diag_free(struct diag *diag);
/* A copy of text (NULL for NULL) that lives as long as diag. */
char *diag_strdup(struct diag *diag, const char *text);

#endif
