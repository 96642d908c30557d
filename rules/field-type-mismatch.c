/* field-type-mismatch: a value of the wrong type: a list where a map belongs, "80" for 80... */
#include "rule.h"
#include "schema.h"

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
};

static const char *article(const char *noun)
{
	return noun[0] == 'i' ? "an" : "a";
}

static void found(void *data, const struct schema_finding *f)
{
	struct state *s = data;
	const char *text = node_text(f->at);

	if (f->issue != SCHEMA_TYPE)
		return;
	if (text)
		rule_report(s->ctx, s->object, f->at, "%s is %s %s ('%.60s') but must be %s: the API server "
			    "rejects the object", f->path, article(node_type_name(f->at)), node_type_name(f->at), text,
			    f->expected);
	else
		rule_report(s->ctx, s->object, f->at, "%s is a %s but must be %s: the API server rejects the object",
			    f->path, node_type_name(f->at), f->expected);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s = { ctx, o };

	schema_check_shared(ctx->memo, o, ctx->arena, found, &s);
}

const struct rule rule_field_type_mismatch = {
	.id = "field-type-mismatch",
	.severity = SEVERITY_ERROR,
	.summary = "a field has a value of the wrong type",
	.rationale = "the API server decodes manifests into typed fields: a quoted \"2379\" for a port, a map "
		     "where subsets wants a list, or an unquoted label value like 'true' or '1.0' is rejected.",
	.fix = "write numbers without quotes, quote label and annotation values that look like numbers or "
	       "booleans, and use a list ('- ') where the API wants one.",
	.example = "ports:\n- name: https-metrics\n  port: 2379\nmetadata:\n  labels:\n    enabled: \"true\"\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE) | RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
