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

static char *vformat(const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return xstrdup("");
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

struct diag *diag_new(struct diag_list *list, const char *rule, enum severity severity, const char *file,
		      unsigned int line, unsigned int column, const char *fmt, va_list ap)
{
	struct diag *d = xcalloc(1, sizeof(*d));

	d->rule = rule;
	d->severity = severity;
	d->file = xstrdup(file ? file : "");
	d->line = line ? line : 1;
	d->column = column ? column : 1;
	d->message = vformat(fmt, ap);
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

	diag->related = xrealloc(diag->related, (diag->related_count + 1) * sizeof(*diag->related));
	r = &diag->related[diag->related_count++];
	r->file = xstrdup(file ? file : "");
	r->line = line ? line : 1;
	r->column = column ? column : 1;
	r->message = vformat(fmt, ap);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void diag_set_object(struct diag *diag, const char *api_version, const char *kind, const char *namespace,
		     const char *name)
{
	diag->object.api_version = dup_or_null(api_version);
	diag->object.kind = dup_or_null(kind);
	diag->object.namespace = dup_or_null(namespace);
	diag->object.name = dup_or_null(name);
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

	if (!d)
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
