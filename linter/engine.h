/* engine.h: one lint run: inputs -> parse (in parallel) -> per-object rules -> index -> index rules.
 *
 * lint_run() never prints.  Its result owns the diagnostics, sorted by file, line, column and rule,
 * identical for any number of jobs.  Suppressed findings (comments, annotations, baseline) stay in
 * the list with diag.suppressed set; counts leave them out.  Suppression comments are read by the
 * workers while a file's text exists; suppressions are applied once every rule has run.
 */
#ifndef SVCLINT_ENGINE_H
#define SVCLINT_ENGINE_H

#include <stddef.h>

#include "diag.h"
#include "options.h"
#include "source.h"

struct lint_result {
	struct diag_list diags;
	size_t files;		/* inputs read for reporting (context files not counted) */
	size_t documents;
	size_t objects;
	size_t counts[3];	/* by enum severity: info, warning, error (not suppressed) */
	size_t suppressed;	/* held back by a svclint comment or annotation */
	size_t baselined;	/* held back by the baseline */
	const struct input_list *inputs;	/* what was linted (borrowed from lint_run's caller) */
	char *stdin_text;	/* standard input's bytes when options->keep_stdin, else NULL */
	size_t stdin_length;
};

/* Lints inputs.  Returns 0, or -1 on an internal failure (threads could not start). */
int lint_run(const struct lint_options *options, const struct input_list *inputs, struct lint_result *result);
void lint_result_release(struct lint_result *result);

#endif
