/* misplaced-field: metadata or spec fields at the top level: the indentation was lost. */
#include "rule.h"
#include "schema.h"

struct state {
	struct rule_ctx *ctx;
	const struct object *object;
};

static void found(void *data, const struct schema_finding *f)
{
	struct state *s = data;

	if (f->issue != SCHEMA_MISPLACED)
		return;
	rule_report(s->ctx, s->object, f->at, "'%s' belongs under '%s' but stands at the top level, where the API "
		    "server does not read it%s; indent it under %s:", f->path, f->belongs_under,
		    f->parent_empty ? arena_printf(s->ctx->arena, " ('%s' is empty: the indentation was lost)",
						   f->belongs_under) : "",
		    f->belongs_under);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	struct state s = { ctx, o };

	schema_check_shared(ctx->memo, o, ctx->arena, found, &s);
}

const struct rule rule_misplaced_field = {
	.id = "misplaced-field",
	.severity = SEVERITY_ERROR,
	.summary = "a field of metadata or spec stands at the top level",
	.rationale = "when indentation is lost, name, namespace, labels, ports or selector end up beside "
		     "apiVersion, where the API server does not look for them: the object is rejected, or worse, "
		     "accepted without its selector or namespace.",
	.fix = "indent the field under metadata: or spec: where it belongs.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-prom\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: https-metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE) | RULE_KIND(KIND_ENDPOINTS) | RULE_KIND(KIND_ENDPOINTSLICE),
};
