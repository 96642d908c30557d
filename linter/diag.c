/* diag.c: diagnostics as owned values, and their order. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static const char *const severity_names[] = { "info", "warning", "error", "never" };

const char *severity_name(enum severity severity)
{
	return severity <= SEVERITY_NONE ? severity_names[severity] : "?";
}

int severity_parse(const char *text, enum severity *out)
{
	if (strcmp(text, "error") == 0)
		*out = SEVERITY_ERROR;
	else if (strcmp(text, "warning") == 0)
		*out = SEVERITY_WARNING;
	else if (strcmp(text, "info") == 0)
		*out = SEVERITY_INFO;
	else if (strcmp(text, "never") == 0 || strcmp(text, "none") == 0 || strcmp(text, "off") == 0)
		*out = SEVERITY_NONE;
	else
		return -1;
	return 0;
}

/* size bytes from arena, or malloc'd when arena is NULL. */
static void *diag_alloc(struct arena *arena, size_t size)
{
	return arena ? arena_alloc(arena, size) : xmalloc(size);
}

static char *vformat(struct arena *arena, const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	if (arena)
		return arena_vprintf(arena, fmt, ap);
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		n = 0;
	s = xmalloc((size_t)n + 1);
	if (n == 0)
		s[0] = '\0';
	else
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *diag_strdup(struct diag *diag, const char *text)
{
	if (!text)
		return NULL;
	return diag->arena ? arena_strdup(diag->arena, text) : xstrdup(text);
}

struct diag *diag_new(struct diag_list *list, const char *rule, enum severity severity, const char *file,
		      unsigned int line, unsigned int column, const char *fmt, va_list ap)
{
	struct diag *d = diag_alloc(list->arena, sizeof(*d));

	memset(d, 0, sizeof(*d));
	d->arena = list->arena;
	d->rule = rule;
	d->severity = severity;
	d->file = list->arena && file && file == list->borrowed_file ? (char *)file : diag_strdup(d, file ? file : "");
	d->line = line ? line : 1;
	d->column = column ? column : 1;
	d->message = vformat(d->arena, fmt, ap);
	GROW(list->items, list->capacity, list->count + 1);
	list->items[list->count++] = d;
	return d;
}

struct diag *diag_add(struct diag_list *list, const char *rule, enum severity severity, const char *file,
		      unsigned int line, unsigned int column, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = diag_new(list, rule, severity, file, line, column, fmt, ap);
	va_end(ap);
	return d;
}

void diag_add_related(struct diag *diag, const char *file, unsigned int line, unsigned int column,
		      const char *fmt, va_list ap)
{
	struct related *r;

	if (diag->arena) {
		/* Notes are few per finding: a new array each time costs less than tracking capacity. */
		struct related *grown = arena_alloc(diag->arena, (diag->related_count + 1) * sizeof(*grown));

		if (diag->related_count)
			memcpy(grown, diag->related, diag->related_count * sizeof(*grown));
		diag->related = grown;
	} else {
		diag->related = xrealloc(diag->related, (diag->related_count + 1) * sizeof(*diag->related));
	}
	r = &diag->related[diag->related_count++];
	r->file = diag_strdup(diag, file ? file : "");
	r->line = line ? line : 1;
	r->column = column ? column : 1;
	r->message = vformat(diag->arena, fmt, ap);
}

void diag_set_object(struct diag *diag, const char *api_version, const char *kind, const char *namespace,
		     const char *name)
{
	diag->object.api_version = diag_strdup(diag, api_version);
	diag->object.kind = diag_strdup(diag, kind);
	diag->object.namespace = diag_strdup(diag, namespace);
	diag->object.name = diag_strdup(diag, name);
}

void diag_list_move(struct diag_list *to, struct diag_list *from)
{
	if (from->count) {	/* to->items may still be NULL: NULL + 0 is undefined */
		GROW(to->items, to->capacity, to->count + from->count);
		memcpy(to->items + to->count, from->items, from->count * sizeof(*from->items));
		to->count += from->count;
	}
	free(from->items);
	from->items = NULL;
	from->count = from->capacity = 0;
}

static int compare_diag(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void diag_list_sort(struct diag_list *list)
{
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), compare_diag);
}

void diag_free(struct diag *d)
{
	size_t i;

	if (!d || d->arena)	/* an arena's finding goes with the arena */
		return;
	free(d->file);
	free(d->message);
	free(d->template_source);
	free(d->object.api_version);
	free(d->object.kind);
	free(d->object.namespace);
	free(d->object.name);
	for (i = 0; i < d->related_count; i++) {
		free(d->related[i].file);
		free(d->related[i].message);
	}
	free(d->related);
	free(d);
}

void diag_list_release(struct diag_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		diag_free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}
