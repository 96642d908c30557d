/* helm-template-skipped: Helm templates are not manifests until rendered. */
#include "rule.h"

static void check_file(struct rule_ctx *ctx, const struct lint_file *file)
{
	struct position start = { 1, 1 };

	if (file->skip_reason)
		rule_report_file(ctx, file, start, "not linted: %s; lint the output of 'helm template' instead",
				 file->skip_reason);
}

const struct rule rule_helm_template_skipped = {
	.id = "helm-template-skipped",
	.severity = SEVERITY_INFO,
	.summary = "a Helm template was skipped",
	.rationale = "a template is not YAML until Helm renders it; reporting syntax errors in it would be "
		     "noise, and checking it as it stands would be wrong.",
	.fix = "lint the rendered chart: helm template my-release ./chart | svclint -",
	.check_file = check_file,
};
