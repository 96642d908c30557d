/* naming-policy: names (or other fields) that break a naming policy of the configuration. */
#include <string.h>

#include "rule.h"
#include "config.h"
#include "glob.h"
#include "regex.h"

static void check_value(struct rule_ctx *ctx, const struct object *o, const struct naming_policy *p,
			const struct node *value)
{
	const struct config *c = ctx->options->config;
	const char *text = node_text(value);
	struct position at = { p->line, p->column };
	struct diag *d;
	int rc;

	if (!node_is_scalar(value) || node_is_null(value))
		return;
	rc = regex_match(p->pattern, text, value->count, ctx->regex);
	if (rc == 1)
		return;
	if (rc < 0)
		d = rule_report(ctx, o, value, "%s '%s' could not be checked against the naming policy '%s': the "
				"pattern gave up at its match limit; simplify the pattern in %s", p->field, text,
				regex_source(p->pattern), c->path ? c->path : CONFIG_FILE_NAME);
	else
		d = rule_report(ctx, o, value, "%s %s '%s' does not match the naming policy '%s'%s%s%s; rename it "
				"to match", o->type->kind_name, p->field, text, regex_source(p->pattern),
				p->reason ? " (" : "", p->reason ? p->reason : "", p->reason ? ")" : "");
	if (c->path)
		rule_note_file(d, c->path, at, "the naming policy for %s%s%s", p->kind, p->namespace ?
			       " in namespace " : "", p->namespace ? p->namespace : "");
}

/* Follows the policy's field from node, over every item where a step says []. */
static void visit(struct rule_ctx *ctx, const struct object *o, const struct naming_policy *p,
		  const struct node *node, size_t step)
{
	const struct node *child;
	unsigned int i;

	if (step == p->step_count) {
		check_value(ctx, o, p, node);
		return;
	}
	child = node_get(node, p->steps[step].key);
	if (!p->steps[step].each) {
		visit(ctx, o, p, child, step + 1);
		return;
	}
	if (node_is_seq(child))
		for (i = 0; i < child->count; i++)
			visit(ctx, o, p, child->u.items[i], step + 1);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct config *c = ctx->options->config;
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->naming_count; i++) {
		const struct naming_policy *p = &c->naming[i];

		if (strcmp(p->kind, "*") != 0 && strcmp(p->kind, o->type->kind_name) != 0)
			continue;
		if (p->namespace && !glob_match(p->namespace, o->namespace))
			continue;
		visit(ctx, o, p, o->root, 0);
	}
}

const struct rule rule_naming_policy = {
	.id = "naming-policy",
	.severity = SEVERITY_ERROR,
	.summary = "a name breaks a naming policy of the configuration",
	.rationale = "teams wire Services to their consumers by name: Prometheus jobs select Services whose "
		     "name ends in -prom, NetworkPolicies and dashboards match prefixes.  A Service named "
		     "outside the convention is valid to the API server and silently left out.  The policies "
		     "are PCRE2 patterns per kind (and namespace) and field in .svclint.yaml, under 'naming'.",
	.fix = "rename the object (or the field's value) to match the pattern, or change the policy.",
	.example = "# .svclint.yaml\nnaming:\n- kind: Service\n  namespace: monitoring\n"
		   "  pattern: '^[a-z0-9-]+-prom$'\n  reason: the Prometheus job selects *-prom Services\n",
	.check_object = check_object,
};
