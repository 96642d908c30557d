/* report.h: output formats behind one small interface.
 *
 * A reporter writes a whole lint result to a stream and returns 0, or -1 when writing failed.
 * Every reporter escapes what comes from the manifests for its format: no control character or
 * terminal escape from an input reaches the output raw.
 */
#ifndef SVCLINT_REPORT_H
#define SVCLINT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"

struct report_options {
	bool color;		/* ANSI colours and source snippets (text only) */
	const char *version;	/* svclint's version */
};

struct reporter {
	const char *name;	/* --format value */
	int (*write)(FILE *out, const struct lint_result *result, const struct report_options *options);
	bool lists_inputs;	/* names every file linted, not only those with findings (keep_input_paths) */
};

extern const struct reporter reporters[];
extern const size_t reporter_count;

const struct reporter *reporter_find(const char *name);

/* Writes text with control characters, DEL and invalid UTF-8 shown as \xNN. */
void write_sanitized(FILE *out, const char *text);
/* Writes text as the inside of a JSON string (invalid UTF-8 becomes U+FFFD). */
void write_json_string(FILE *out, const char *text);
/* Writes text as XML 1.0 character data or attribute value (characters XML forbids as \xNN). */
void write_xml_string(FILE *out, const char *text);

/* The length of the valid, printable UTF-8 sequence at s (1 to 4), or 0 when it is not one. */
size_t utf8_length(const unsigned char *s);

int report_text(FILE *out, const struct lint_result *result, const struct report_options *options);
int report_json(FILE *out, const struct lint_result *result, const struct report_options *options);
int report_sarif(FILE *out, const struct lint_result *result, const struct report_options *options);
int report_junit(FILE *out, const struct lint_result *result, const struct report_options *options);
int report_github(FILE *out, const struct lint_result *result, const struct report_options *options);

#endif
