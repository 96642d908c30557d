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

/*
 * A message kept as its format and arguments.  Every format reaching diag_new() is a string literal
 * (-Wformat=2 warns of any other), so keeping the pointer is safe; strings are copied, as far as
 * their precision reads.
 */
union deferred_arg {
	const char *s;
	long long i;
	unsigned long long u;
};

struct deferred_text {
	const char *format;
	unsigned int count;
	union deferred_arg args[];
};

enum conversion { CONV_END, CONV_STRING, CONV_INT, CONV_LONG, CONV_LLONG, CONV_UINT, CONV_ULONG, CONV_ULLONG,
		  CONV_SIZE, CONV_UNSUPPORTED };

/* The next conversion of *p, which then points past it; the literal text before it, "%%" included,
 * is skipped.  *precision is a %s's precision, or -1. */
static enum conversion next_conversion(const char **p, int *precision)
{
	const char *s = *p;
	enum conversion c;

	*precision = -1;
	for (;;) {
		s = strchr(s, '%');
		if (!s) {
			*p = NULL;
			return CONV_END;
		}
		if (s[1] != '%')
			break;
		s += 2;
	}
	s++;
	if (*s == '.') {
		long digits = 0;

		s++;
		if (*s < '0' || *s > '9')
			return CONV_UNSUPPORTED;
		for (; *s >= '0' && *s <= '9'; s++) {
			digits = digits * 10 + (*s - '0');
			if (digits > 1000000)	/* no format asks for more; past it, formatted at once */
				return CONV_UNSUPPORTED;
		}
		if (*s != 's')
			return CONV_UNSUPPORTED;
		*precision = (int)digits;
	}
	if (s[0] == 's') {
		c = CONV_STRING;
	} else if (*precision >= 0) {
		return CONV_UNSUPPORTED;
	} else if (s[0] == 'd' || s[0] == 'u') {
		c = s[0] == 'd' ? CONV_INT : CONV_UINT;
	} else if (s[0] == 'l' && (s[1] == 'd' || s[1] == 'u')) {
		c = s[1] == 'd' ? CONV_LONG : CONV_ULONG;
		s += 1;
	} else if (s[0] == 'l' && s[1] == 'l' && (s[2] == 'd' || s[2] == 'u')) {
		c = s[2] == 'd' ? CONV_LLONG : CONV_ULLONG;
		s += 2;
	} else if (s[0] == 'z' && s[1] == 'u') {
		c = CONV_SIZE;
		s += 1;
	} else {
		return CONV_UNSUPPORTED;
	}
	*p = s + 1;
	return c;
}

/* fmt and the arguments of ap kept in arena, or NULL when fmt has a conversion deferring does not
 * take or a string argument is NULL (then the caller formats at once; ap is left as it was). */
static const struct deferred_text *defer(struct arena *arena, const char *fmt, va_list ap)
{
	const char *p = fmt;
	unsigned int count = 0, i;
	int precision;
	enum conversion c;
	struct deferred_text *t;
	va_list copy;

	while ((c = next_conversion(&p, &precision)) != CONV_END) {
		if (c == CONV_UNSUPPORTED)
			return NULL;
		count++;
	}
	t = arena_alloc(arena, sizeof(*t) + count * sizeof(t->args[0]));
	t->format = fmt;
	t->count = count;
	va_copy(copy, ap);
	for (p = fmt, i = 0; (c = next_conversion(&p, &precision)) != CONV_END; i++) {
		const char *text;

		switch (c) {
		case CONV_STRING:
			text = va_arg(copy, const char *);
			if (!text) {
				va_end(copy);
				return NULL;
			}
			t->args[i].s = arena_strndup(arena, text, precision >= 0 ? strnlen(text, (size_t)precision)
										: strlen(text));
			break;
		case CONV_INT: t->args[i].i = va_arg(copy, int); break;
		case CONV_LONG: t->args[i].i = va_arg(copy, long); break;
		case CONV_LLONG: t->args[i].i = va_arg(copy, long long); break;
		case CONV_UINT: t->args[i].u = va_arg(copy, unsigned int); break;
		case CONV_ULONG: t->args[i].u = va_arg(copy, unsigned long); break;
		case CONV_ULLONG: t->args[i].u = va_arg(copy, unsigned long long); break;
		case CONV_SIZE: t->args[i].u = va_arg(copy, size_t); break;
		default: break;
		}
	}
	va_end(copy);
	return t;
}

/* Writes the text of t to out (when not NULL); returns its length. */
static size_t render(const struct deferred_text *t, char *out)
{
	const char *s = t->format;
	size_t n = 0, len;
	unsigned int i = 0;
	char number[24];

	while (*s) {
		const char *piece;
		int precision;
		enum conversion c;

		if (s[0] != '%' || s[1] == '%') {
			if (out)
				out[n] = s[0];
			n++;
			s += s[0] == '%' ? 2 : 1;
			continue;
		}
		/* defer() took the format: each conversion is one it knows, with its argument. */
		c = next_conversion(&s, &precision);
		if (c == CONV_STRING) {
			piece = t->args[i].s;
		} else {
			if (c == CONV_INT || c == CONV_LONG || c == CONV_LLONG)
				snprintf(number, sizeof(number), "%lld", t->args[i].i);
			else
				snprintf(number, sizeof(number), "%llu", t->args[i].u);
			piece = number;
		}
		i++;
		len = strlen(piece);
		if (out)
			memcpy(out + n, piece, len);
		n += len;
	}
	return n;
}

static char *materialize(struct arena *arena, const struct deferred_text *t)
{
	size_t n = render(t, NULL);
	char *text = arena_alloc(arena, n + 1);

	render(t, text);
	text[n] = '\0';
	return text;
}

void diag_list_format(struct diag_list *list)
{
	size_t i, j;

	for (i = 0; i < list->count; i++) {
		struct diag *d = list->items[i];

		d->deferring = false;	/* notes added from now on are made into text at once */
		if (d->deferred) {
			d->message = materialize(d->arena, d->deferred);
			d->deferred = NULL;
		}
		for (j = 0; j < d->related_count; j++)
			if (d->related[j].deferred) {
				d->related[j].message = materialize(d->arena, d->related[j].deferred);
				d->related[j].deferred = NULL;
			}
	}
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
	d->borrows_file = list->arena && file && (file == list->borrowed_file || list->files_stay);
	d->file = d->borrows_file ? (char *)file : diag_strdup(d, file ? file : "");
	d->line = line ? line : 1;
	d->column = column ? column : 1;
	d->deferring = list->defer && list->arena;
	if (!d->deferring || !(d->deferred = defer(d->arena, fmt, ap)))
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
	r->deferred = diag->deferring ? defer(diag->arena, fmt, ap) : NULL;
	r->message = r->deferred ? NULL : vformat(diag->arena, fmt, ap);
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

int diag_compare_places(const char *file_a, unsigned int line_a, unsigned int column_a, const char *file_b,
			unsigned int line_b, unsigned int column_b)
{
	int c = strcmp(file_a, file_b);

	if (c)
		return c;
	if (line_a != line_b)
		return line_a < line_b ? -1 : 1;
	if (column_a != column_b)
		return column_a < column_b ? -1 : 1;
	return 0;
}

static int compare_diag(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	int c = diag_compare_places(a->file, a->line, a->column, b->file, b->line, b->column);

	if (c)
		return c;
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
