/* io-error: a path that could not be read (permissions, broken links, FIFOs, size). */
#include "rule.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	struct position start = { 1, 1 };

	if (file->io_error)
		rule_report_file(ctx, file, start, "cannot lint this file: %s", file->io_error);
}

const struct rule rule_io_error = {
	.id = "io-error",
	.severity = SEVERITY_ERROR,
	.summary = "a file or folder could not be read",
	.rationale = "a manifest svclint cannot read is not checked, and the objects it defines are missing "
		     "when other files refer to them.",
	.fix = "make the file readable, fix or remove the broken symbolic link, or leave the path out.",
	.check_file = check_file,
};
