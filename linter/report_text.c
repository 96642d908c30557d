/* report_text.c: FILE:LINE:COL: SEVERITY: MESSAGE [RULE], with indented note lines; in colour, the
 * source line under each finding with a caret at its column. */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* One file's text at a time, for snippets (findings come sorted by file). */
struct source_cache {
	const char *file;	/* display path loaded, or NULL */
	char *data;		/* owned, unless it is standard input's */
	bool owned;
	size_t length;
	bool missing;		/* it could not be read: no snippets for it */
	/* The inputs that can be read, by path, then input order: a look-up per file, where a scan of
	 * every input per file made colour output quadratic (50 s instead of 12 at 100,000 apps). */
	const struct input **by_path;
	size_t by_path_count;
};

static int compare_inputs(const void *pa, const void *pb)
{
	const struct input *a = *(const struct input *const *)pa, *b = *(const struct input *const *)pb;
	int c = strcmp(a->path, b->path);

	/* Inputs are one array: their addresses are their order. */
	return c ? c : ((uintptr_t)a > (uintptr_t)b) - ((uintptr_t)a < (uintptr_t)b);
}

static void index_inputs(struct source_cache *c, const struct lint_result *result)
{
	size_t i, n = 0;

	if (c->by_path || !result->inputs)
		return;
	c->by_path = xmalloc((result->inputs->count + 1) * sizeof(*c->by_path));
	for (i = 0; i < result->inputs->count; i++) {
		const struct input *in = &result->inputs->items[i];

		/* A list built by hand may hold inputs without a path: nothing to read. */
		if (in->path && !in->has_error)
			c->by_path[n++] = in;
	}
	qsort(c->by_path, n, sizeof(*c->by_path), compare_inputs);
	c->by_path_count = n;
}

/* The first input, in input order, reported as file; NULL when none can be read. */
static const struct input *input_named(const struct source_cache *c, const char *file)
{
	size_t low = 0, high = c->by_path_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (strcmp(c->by_path[mid]->path, file) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low < c->by_path_count && strcmp(c->by_path[low]->path, file) == 0 ? c->by_path[low] : NULL;
}

static const char *severity_color(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR: return "\033[1;31m";
	case SEVERITY_WARNING: return "\033[1;35m";
	default: return "\033[1;36m";
	}
}

static void cache_load(struct source_cache *c, const struct lint_result *result, const char *file)
{
	const struct input *in;
	char *error = NULL;

	if (c->file && strcmp(c->file, file) == 0)
		return;
	if (c->owned)
		free(c->data);
	c->file = file;
	c->data = NULL;
	c->owned = false;
	c->length = 0;
	c->missing = true;
	index_inputs(c, result);
	in = input_named(c, file);
	if (!in)
		return;
	if (in->from_stdin) {
		c->data = result->stdin_text;
		c->length = result->stdin_length;
		c->missing = !c->data;
	} else if (source_read(in, &c->data, &c->length, &error) == 0) {
		c->owned = true;
		c->missing = false;
	} else {
		free(error);
	}
}

/* The 1-based line of the cached text, as [*start, *end) without its line end; false if none. */
static bool find_line(const struct source_cache *c, unsigned int line, const char **start, const char **end)
{
	const char *p = c->data, *stop = c->data + c->length;
	unsigned int n;

	if (c->missing || !c->data)
		return false;
	if (c->length >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (n = 1; n < line; n++) {
		p = memchr(p, '\n', (size_t)(stop - p));
		if (!p)
			return false;
		p++;
	}
	*start = p;
	*end = memchr(p, '\n', (size_t)(stop - p));
	if (!*end)
		*end = stop;
	if (*end > *start && (*end)[-1] == '\r')
		(*end)--;
	return true;
}

/*
 * Prints the source line and a caret under column (code points), indented by indent.  Tabs print as
 * one space each, so that the caret lines up whatever the terminal's tab stops.
 */
static void write_snippet(FILE *out, struct source_cache *c, unsigned int line, unsigned int column,
			  const char *indent)
{
	const char *start, *end, *p;
	char *text;
	unsigned int col;
	int width;

	if (!find_line(c, line, &start, &end))
		return;
	text = xmalloc((size_t)(end - start) + 1);
	for (p = start; p < end; p++)
		text[p - start] = *p == '\t' ? ' ' : *p;
	text[end - start] = '\0';
	width = fprintf(out, "%s%5u | ", indent, line) - (int)strlen(indent) - 3;
	write_sanitized(out, text);
	fprintf(out, "\n%s%*s | ", indent, width > 0 ? width : 0, "");
	for (p = text, col = 1; *p && col < column; p++)
		if (((unsigned char)*p & 0xC0) != 0x80) {
			fputc(' ', out);
			col++;
		}
	fputs("\033[1;32m^\033[0m\n", out);
	free(text);
}

int report_text(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	struct source_cache cache = { NULL, NULL, false, 0, false, NULL, 0 };
	size_t i, j;

	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		if (options->color)
			fputs("\033[1m", out);
		write_sanitized(out, d->file);
		fprintf(out, ":%u:%u:", d->line, d->column);
		if (options->color)
			fprintf(out, " %s%s:\033[0m ", severity_color(d->severity), severity_name(d->severity));
		else
			fprintf(out, " %s: ", severity_name(d->severity));
		write_sanitized(out, d->message);
		if (d->template_source) {
			fputs(" (from template ", out);
			write_sanitized(out, d->template_source);
			fputc(')', out);
		}
		fprintf(out, " [%s]\n", d->rule);
		if (options->color) {
			cache_load(&cache, result, d->file);
			write_snippet(out, &cache, d->line, d->column, "");
		}
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fputs("    ", out);
			write_sanitized(out, r->file);
			fprintf(out, ":%u:%u: note: ", r->line, r->column);
			write_sanitized(out, r->message);
			fputc('\n', out);
			if (options->color) {
				cache_load(&cache, result, r->file);
				write_snippet(out, &cache, r->line, r->column, "    ");
			}
		}
	}
	if (cache.owned)
		free(cache.data);
	free(cache.by_path);
	return ferror(out) ? -1 : 0;
}
