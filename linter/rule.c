/* rule.c: the rule table, built from rules.def, and the reporting functions rules call. */
#include "rule.h"
#include "k8s.h"

#include <stdarg.h>
#include <string.h>

#define RULE(name) extern const struct rule rule_##name;
#include "rules.def"
#undef RULE

const struct rule *const rule_table[] = {
#define RULE(name) &rule_##name,
#include "rules.def"
#undef RULE
};

const size_t rule_count = sizeof(rule_table) / sizeof(rule_table[0]);

const struct rule *rule_find(const char *id, size_t *position)
{
	size_t i;

	for (i = 0; i < rule_count; i++)
		if (strcmp(rule_table[i]->id, id) == 0) {
			if (position)
				*position = i;
			return rule_table[i];
		}
	return NULL;
}

/* Whether ctx's list is full; the first time, says so with one input-limit finding. */
static bool over_limit(struct rule_ctx *ctx, const char *file)
{
	const struct diag *last;

	if (!ctx->limit || ctx->out->count < ctx->limit)
		return false;
	if (ctx->out->count == ctx->limit) {
		last = ctx->out->items[ctx->out->count - 1];
		diag_add(ctx->out, "input-limit", SEVERITY_ERROR, file, last->line, last->column,
			 "more than %zu findings in this file; the rest are not reported: fix these first",
			 ctx->limit);
	}
	return true;
}

/* Where a finding or note about object points: at, or the object's own position when at.line is 0. */
static struct position place(const struct object *object, struct position at)
{
	return at.line ? at : object->position;
}

static struct position node_place(const struct object *object, const struct node *at)
{
	return at ? object_node_position(object, at) : object->position;
}

static struct diag *report(struct rule_ctx *ctx, enum severity severity, const struct object *object,
			   struct position pos, const char *fmt, va_list ap)
{
	struct diag *d;

	if (object->in_context || over_limit(ctx, object->file))
		return NULL;
	/* An override from the config or the command line replaces the rule's own choice. */
	if (ctx->severity != ctx->rule->severity)
		severity = ctx->severity;
	d = diag_new(ctx->out, ctx->rule->id, severity, object->file, pos.line, pos.column, fmt, ap);
	diag_set_object(d, object->type->api_version, object->type->kind_name, object->namespace, object->name);
	if (object->has_template)
		d->template_source = diag_strdup(d, object_template_source(object));
	return d;
}

struct diag *rule_report(struct rule_ctx *ctx, const struct object *object, const struct node *at,
			 const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = report(ctx, ctx->rule->severity, object, node_place(object, at), fmt, ap);
	va_end(ap);
	return d;
}

struct diag *rule_report_as(struct rule_ctx *ctx, enum severity severity, const struct object *object,
			    const struct node *at, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = report(ctx, severity, object, node_place(object, at), fmt, ap);
	va_end(ap);
	return d;
}

struct diag *rule_report_at(struct rule_ctx *ctx, enum severity severity, const struct object *object,
			    struct position at, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = report(ctx, severity, object, place(object, at), fmt, ap);
	va_end(ap);
	return d;
}

struct diag *rule_report_file(struct rule_ctx *ctx, const struct lint_file *file, struct position at,
			      const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	if (file->in_context || over_limit(ctx, file->path))
		return NULL;
	va_start(ap, fmt);
	d = diag_new(ctx->out, ctx->rule->id, ctx->severity, file->path, at.line, at.column, fmt, ap);
	va_end(ap);
	return d;
}

void rule_note(struct diag *diag, const struct object *object, const struct node *at, const char *fmt, ...)
{
	struct position pos;
	va_list ap;

	if (!diag)
		return;
	pos = node_place(object, at);
	va_start(ap, fmt);
	diag_add_related(diag, object->file, pos.line, pos.column, fmt, ap);
	va_end(ap);
}

void rule_note_at(struct diag *diag, const struct object *object, struct position at, const char *fmt, ...)
{
	struct position pos;
	va_list ap;

	if (!diag)
		return;
	pos = place(object, at);
	va_start(ap, fmt);
	diag_add_related(diag, object->file, pos.line, pos.column, fmt, ap);
	va_end(ap);
}

void rule_note_file(struct diag *diag, const char *file, struct position at, const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return;
	va_start(ap, fmt);
	diag_add_related(diag, file, at.line, at.column, fmt, ap);
	va_end(ap);
}

void rule_note_near_unread(struct diag *diag, const struct object *object, enum object_kind kind,
			   const char *namespace, size_t unread, const struct near_budget *budget)
{
	static const char *const plural[KIND_COUNT] = {
		[KIND_SERVICE] = "Services", [KIND_ENDPOINTS] = "Endpoints", [KIND_ENDPOINTSLICE] = "EndpointSlices",
	};

	if (!unread)
		return;
	rule_note_at(diag, object, (struct position){ 0, 0 }, "near names were not looked for among the %zu %s "
		     "of namespace '%s': this rule reads at most %zu names for such hints (one compared in full "
		     "counts as %d), so that a namespace of many unpaired objects stays fast", unread,
		     plural[kind] ? plural[kind] : "objects", namespace, budget->limit, NEAR_READ_PER_COMPARED);
}

const char *rule_describe(struct rule_ctx *ctx, const struct object *object)
{
	return object_describe(ctx->arena, object);
}

static void read_service_ports(struct arena *arena, const struct object *service, struct service_ports *out)
{
	const struct node *list = node_get(service->spec, "ports");
	struct service_port *items;
	unsigned int i;

	out->list = NULL;
	out->items = NULL;
	if (!node_is_seq(list))
		return;
	items = arena_alloc(arena, (list->count + 1) * sizeof(*items));
	for (i = 0; i < list->count; i++) {
		const struct node *item = list->u.items[i];
		struct service_port *p = &items[i];

		p->item = item;
		p->name = node_get_pair(item, "name");
		p->port = node_get(item, "port");
		p->protocol = node_get(item, "protocol");
		p->target = node_get(item, "targetPort");
		p->node_port = node_get(item, "nodePort");
		p->app_protocol = node_get(item, "appProtocol");
	}
	out->list = list;
	out->items = items;
}

const struct service_ports *rule_service_ports(struct rule_ctx *ctx, const struct object *service)
{
	struct service_ports *ports;

	if (ctx->memo) {
		if (!ctx->memo->ports_done) {
			read_service_ports(ctx->arena, service, &ctx->memo->ports);
			ctx->memo->ports_done = true;
		}
		return &ctx->memo->ports;
	}
	ports = arena_alloc(ctx->arena, sizeof(*ports));
	read_service_ports(ctx->arena, service, ports);
	return ports;
}
