/* input-limit: input past svclint's safety limits (nesting, alias expansion, documents, sizes). */
#include "rule.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	size_t i;

	if (!file->docs)
		return;
	for (i = 0; i < file->docs->problem_count; i++)
		if (file->docs->problems[i].kind == PROBLEM_LIMIT)
			rule_report_file(ctx, file, file->docs->problems[i].at, "%s", file->docs->problems[i].message);
}

const struct rule rule_input_limit = {
	.id = "input-limit",
	.severity = SEVERITY_ERROR,
	.summary = "a document goes past a safety limit (nesting, alias expansion, size)",
	.rationale = "deeply nested documents and aliases that expand exponentially (a 'billion laughs') make "
		     "parsers hang or exhaust memory; no real manifest comes close to these limits, so svclint "
		     "stops reading the document and says where.",
	.fix = "remove the runaway nesting or aliases; a real manifest needs neither.",
	.check_file = check_file,
};
