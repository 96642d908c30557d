/* duplicate-key: a key repeated in one map, which libyaml accepts and the API server does not. */
#include "rule.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	size_t i;

	if (!file->docs)
		return;
	for (i = 0; i < file->docs->problem_count; i++) {
		const struct problem *p = &file->docs->problems[i];
		struct diag *d;

		if (p->kind != PROBLEM_DUPLICATE_KEY)
			continue;
		d = rule_report_file(ctx, file, p->at, "key '%s' appears twice in the same map: kubectl keeps only "
				     "the last one silently and strict field validation rejects the object; remove "
				     "or merge one of them", p->message);
		rule_note_file(d, file->path, p->context, "first '%s' is here", p->message);
	}
}

const struct rule rule_duplicate_key = {
	.id = "duplicate-key",
	.severity = SEVERITY_ERROR,
	.summary = "a key appears twice in one map",
	.rationale = "YAML parsers disagree on repeated keys: kubectl's client keeps the last value without a "
		     "word, while the API server's strict field validation rejects the object, so one of the two "
		     "values is lost either way.",
	.fix = "keep one key; if both values matter, merge them (two 'ports:' lists become one).",
	.example = "spec:\n  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_file = check_file,
};
