/* unknown-field: a field Service, Endpoints or EndpointSlice does not have (often a typo). */
#include "rule.h"
#include "schema.h"

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
};

static void found(void *data, const struct schema_finding *f)
{
	struct state *s = data;

	if (f->issue != SCHEMA_UNKNOWN)
		return;
	if (f->suggestion)
		rule_report(s->ctx, s->object, f->at, "unknown field '%s' in %s (did you mean '%s'?): the API server "
			    "rejects it under strict validation and otherwise drops it silently", f->path,
			    s->object->type->kind_name, f->suggestion);
	else
		rule_report(s->ctx, s->object, f->at, "unknown field '%s' in %s: the API server rejects it under "
			    "strict validation and otherwise drops it silently; remove it or move it where it "
			    "belongs", f->path, s->object->type->kind_name);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s = { ctx, o };

	schema_check_shared(ctx->memo, o, ctx->arena, found, &s);
}

const struct rule rule_unknown_field = {
	.id = "unknown-field",
	.severity = SEVERITY_ERROR,
	.summary = "a field the API does not know in a Service, Endpoints or EndpointSlice",
	.rationale = "a misspelt field such as 'adresses' or 'selctor' is dropped by the API server (or the "
		     "object rejected under strict field validation): the Endpoints then has no addresses, the "
		     "Service no selector, and nothing says so.",
	.fix = "correct the spelling (svclint suggests the closest known field) or remove the field.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE) | RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
