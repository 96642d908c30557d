/* unresolved-placeholder: a value that was meant to be filled in before the manifest shipped. */
#include <string.h>

#include "rule.h"
#include "config.h"
#include "regex.h"

/* One step from an object's root down to a value, to name the value's path in a message. */
struct step {
	const struct node *key;		/* NULL for a list item */
	unsigned int index;
};

struct walk {
	struct rule_ctx *ctx;
	const struct object *object;
	const struct config *config;
	struct step path[64];		/* deeper paths are cut short in the message */
	size_t depth;
};

/* The first placeholder pattern that matches text, or NULL. */
static const struct regex *matching(struct walk *w, const struct node *value)
{
	const struct config *c = w->config;
	size_t i;

	if (c->placeholders_joined &&
	    !(c->any_anchored_placeholder &&
	      regex_match(c->any_anchored_placeholder, value->u.text, value->count, w->ctx->regex) == 1) &&
	    !(c->any_floating_placeholder &&
	      regex_match(c->any_floating_placeholder, value->u.text, value->count, w->ctx->regex) == 1))
		return NULL;
	for (i = 0; i < c->placeholder_count; i++)
		if (regex_match(c->placeholders[i], value->u.text, value->count, w->ctx->regex) == 1)
			return c->placeholders[i];
	return NULL;
}

static const char *path_text(struct walk *w)
{
	struct arena *a = w->ctx->arena;
	const char *s = "";
	size_t i, n = w->depth < 64 ? w->depth : 64;

	for (i = 0; i < n; i++) {
		const struct step *st = &w->path[i];

		if (st->key)
			s = arena_printf(a, "%s%s%s", s, i ? "." : "", node_text(st->key));
		else
			s = arena_printf(a, "%s[%u]", s, st->index);
	}
	return s;
}

/* Whether a finding at value's position was already made: the rule that made it said more. */
static bool already_reported(struct walk *w, const struct node *value)
{
	struct position at = node_position(value);
	size_t i;

	for (i = 0; i < w->ctx->out->count; i++) {
		const struct diag *d = w->ctx->out->items[i];

		if (d->line == at.line && d->column == at.column && strcmp(d->file, w->object->file) == 0)
			return true;
	}
	return false;
}

static void visit(struct walk *w, const struct node *n)
{
	unsigned int i;

	if (!n)
		return;
	switch (n->type) {
	case NODE_SCALAR: {
		const struct regex *r;

		if (!node_is_string(n) || !(r = matching(w, n)) || already_reported(w, n))
			return;
		rule_report(w->ctx, w->object, n, "%s '%.80s%s' looks like a placeholder that was never filled in "
			    "(it matches '%s'): shipped as written, the API server rejects it or it points nowhere; "
			    "fill in the real value, or render the template before linting", path_text(w),
			    n->u.text, n->count > 80 ? "..." : "", regex_source(r));
		return;
	}
	case NODE_SEQUENCE:
		for (i = 0; i < n->count; i++) {
			if (w->depth < 64) {
				w->path[w->depth].key = NULL;
				w->path[w->depth].index = i;
			}
			w->depth++;
			visit(w, n->u.items[i]);
			w->depth--;
		}
		return;
	case NODE_MAPPING:
		for (i = 0; i < n->count; i++) {
			if (w->depth < 64)
				w->path[w->depth].key = n->u.pairs[i].key;
			w->depth++;
			visit(w, n->u.pairs[i].value);
			w->depth--;
		}
		return;
	}
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct walk w;

	if (o->kind == KIND_OTHER || !ctx->options->config || !ctx->options->config->placeholder_count)
		return;
	w.ctx = ctx;
	w.object = o;
	w.config = ctx->options->config;
	w.depth = 0;
	visit(&w, o->root);
}

const struct rule rule_unresolved_placeholder = {
	.id = "unresolved-placeholder",
	.severity = SEVERITY_WARNING,
	.summary = "a value is a placeholder that was never filled in (YOUR_, CHANGEME, ${VAR}...)",
	.rationale = "a manifest copied from a template keeps values like YOUR_DB_HOST, CHANGE_ME or ${DB_IP} "
		     "when the substitution step is skipped.  In an address or a port the API server rejects "
		     "the object; in a label, selector or annotation it is accepted and silently matches "
		     "nothing.  svclint checks every string value of the Services, Endpoints, EndpointSlices, "
		     "ServiceMonitors and Prometheus objects it models against the placeholder patterns "
		     "(PCRE2; .svclint.yaml 'placeholders' replaces the defaults).  A value another rule "
		     "already reports is left to that rule.",
	.fix = "write the real value, or run the template step (envsubst, Helm, kustomize) and lint its "
	       "output.  If the value is meant literally, suppress it with '# svclint:ignore "
	       "unresolved-placeholder -- reason' or narrow the patterns in .svclint.yaml.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.12.7\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE) | RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE) |
		 RULE_KIND(KIND_SERVICEMONITOR) | RULE_KIND(KIND_PROMETHEUS),
};
