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
	/* What was linted (borrowed from lint_run's caller, and outliving the result: findings name the
	 * paths in its arena without a copy).  Unless options->keep_input_paths, the inputs
	 * whose files left nothing behind (no finding, no kept object, no svclint comment) are no longer
	 * in the list: no report needs them. */
	const struct input_list *inputs;
	char *stdin_text;	/* standard input's bytes when options->keep_stdin, else NULL */
	size_t stdin_length;
	struct arena *arenas;	/* where the workers' findings live, released with the result */
	size_t arena_count;
};

/* Lints inputs (which it may shorten: lint_result.inputs).  The result borrows the list, whose
 * paths its findings name: release the result before the list.  Returns 0. */
int lint_run(const struct lint_options *options, struct input_list *inputs, struct lint_result *result);

/*
 * Lints files while a walk is still finding them: walk(data, feed) runs on this thread and hands
 * each input to lint_feed_add() (which takes it over), while the workers lint those already handed
 * over.  *inputs ends up holding them in the order they came, and the result is what lint_run()
 * gives for that list.  The walk allocates the inputs' paths in input_list_paths(inputs) in the order
 * it hands them over (or outside that arena): the paths of inputs linted in order are given back or
 * moved while the run goes on.  Returns 0, or -1 when the lock cannot be made.
 */
struct lint_feed;
int lint_run_fed(const struct lint_options *options, struct input_list *inputs,
		 void (*walk)(void *data, struct lint_feed *feed), void *data, struct lint_result *result);
void lint_feed_add(struct lint_feed *feed, const struct input *in);
void lint_result_release(struct lint_result *result);

/* Sets the C library's allocator up for a run (glibc: a fixed mmap threshold); true when it did.  The
 * program calls it first; a library user may. */
bool lint_tune_malloc(void);

#endif
