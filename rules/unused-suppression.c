/* unused-suppression: a svclint:ignore comment or annotation that suppresses nothing.
 *
 * A comment that cannot be read, or names no rule svclint has, is found here while its file is
 * linted.  Whether a well-formed suppression matched a finding is known only once every rule has
 * run: the engine reports those (suppress_apply() in suppress.c) under this rule's id and severity.
 */
#include "rule.h"
#include "suppress.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	size_t i;

	if (!file->suppressions)
		return;
	for (i = 0; i < file->suppressions->count; i++) {
		const struct suppression *s = &file->suppressions->items[i];
		struct position at = { s->line, s->column };
		const char *what = s->kind == SUPPRESS_FILE ? "this svclint:ignore-file comment" :
				   "this svclint:ignore comment";

		if (s->problem)
			rule_report_file(ctx, file, at, "%s is not understood (%s), so it suppresses nothing; write "
					 "'# svclint:ignore RULE[,RULE] [until=YYYY-MM-DD] -- reason'", what, s->problem);
		else if (!rule_find(s->rule, NULL))
			rule_report_file(ctx, file, at, "%s names '%s', which is not a rule, so it suppresses nothing; "
					 "svclint --list-rules lists the rules", what, s->rule);
	}
}

const struct rule rule_unused_suppression = {
	.id = "unused-suppression",
	.severity = SEVERITY_INFO,
	.summary = "a svclint:ignore comment or annotation suppresses nothing",
	.rationale = "a suppression outlives the finding it was written for: once the manifest is fixed, a "
		     "stale '# svclint:ignore' would hide the next real problem on that line.  A comment that "
		     "names an unknown rule or cannot be read suppresses nothing either, which its author did "
		     "not mean.  Suppressions of rules turned off for the run are not judged.",
	.fix = "delete the comment (or the rule from svclint.io/ignore), or correct the rule id; the form is "
	       "'# svclint:ignore RULE[,RULE] [until=YYYY-MM-DD] -- reason' on the finding's line or the line "
	       "before, or '# svclint:ignore-file RULE' anywhere in the file.",
	.example = "  ports:\n  - name: metrics  # svclint:ignore service-port-name-invalid -- scraped by name\n",
	.check_file = check_file,
};
