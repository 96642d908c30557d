/* yaml-syntax: text that is not YAML or JSON at all, at libyaml's own position. */
#include "rule.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	size_t i;

	if (!file->docs)
		return;
	for (i = 0; i < file->docs->problem_count; i++) {
		const struct problem *p = &file->docs->problems[i];
		struct diag *d;

		if (p->kind == PROBLEM_ENCODING) {
			rule_report_file(ctx, file, p->at, "this file cannot be read as YAML: %s; svclint checks nothing "
					 "in it", p->message);
			continue;
		}
		if (p->kind == PROBLEM_ALIAS) {
			rule_report_file(ctx, file, p->at, "YAML error: %s; kubectl rejects this file, and svclint "
					 "skips this document", p->message);
			continue;
		}
		if (p->kind != PROBLEM_SYNTAX)
			continue;
		d = rule_report_file(ctx, file, p->at, "YAML syntax error: %s; the API server would reject this file "
				     "and svclint checks nothing after this point in it", p->message);
		if (p->context.line)
			rule_note_file(d, file->path, p->context, "%s", p->context_message ? p->context_message
											: "context of the error");
	}
}

const struct rule rule_yaml_syntax = {
	.id = "yaml-syntax",
	.severity = SEVERITY_ERROR,
	.summary = "the file is not valid YAML or JSON",
	.rationale = "kubectl and the API server refuse a file they cannot parse, so none of its objects is "
		     "applied; svclint can check only the documents before the error.",
	.fix = "fix the text at the position given: usually indentation, a tab used for indentation, an "
	       "unclosed quote or bracket, or a value with ': ' that needs quotes.",
	.example = "metadata:\n  name: etcd-prom\n  annotations:\n    note: \"a value: with a colon\"\n",
	.check_file = check_file,
};
