/* baseline.h: fingerprints of findings, and the baseline file that lets a gate fail only on new ones.
 *
 * A fingerprint hashes what a finding is (rule, file, object, message) and not where it is, so it
 * survives lines added or removed elsewhere in the file; identical findings in one file are told apart
 * by their order.  A baseline records today's findings by rule, file, object and fingerprint, as JSON:
 *   {"version":1,"tool":"svclint","findings":[{"rule":"...","file":"...","object":"Service ns/x",
 *    "fingerprint":"0123456789abcdef"}]}
 * and is read back through doc.c.  A struct baseline owns its strings.
 */
#ifndef SVCLINT_BASELINE_H
#define SVCLINT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct baseline_entry {
	char *rule;
	char *file;
	uint64_t fingerprint;
};

struct baseline {
	struct baseline_entry *items;	/* sorted by file, rule, fingerprint */
	size_t count;
};

/* Sets every fingerprint of diags, which must be sorted (diag_list_sort). */
void fingerprint_assign(struct diag_list *diags);
/* The fingerprint as 16 lowercase hex digits and a NUL, in buf (17 bytes). */
void fingerprint_format(uint64_t fingerprint, char *buf);

/*
 * Reads the baseline file at path.  Returns 0, or -1 with *error a malloc'd message placed in the
 * file ("base.json:4:7: ...").
 */
int baseline_load(struct baseline *baseline, const char *path, char **error);
void baseline_release(struct baseline *baseline);

/* Marks as suppressed each finding of diags the baseline records; returns how many. */
size_t baseline_apply(const struct baseline *baseline, struct diag_list *diags);

/*
 * Writes the findings of diags that are not suppressed to path, atomically: into a temporary file in
 * the same folder, renamed over path only once complete.  Returns 0, or -1 with *error set (malloc'd).
 */
int baseline_write(const char *path, const struct diag_list *diags, char **error);

#endif
