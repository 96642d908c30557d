/* report_text.c: FILE:LINE:COL: SEVERITY: MESSAGE [RULE], with indented note lines; in colour, the
 * source line under each finding with a caret at its column. */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* A line start is kept for every LINE_MARK lines of a text: finding a line reads fewer than that many
 * lines from the nearest mark, not the text from its start (once per snippet, which made colour
 * output quadratic in a file of many findings). */
#define LINE_MARK 64
/* A line longer than this many bytes is shown in part: SNIPPET_BEFORE code points before the column
 * and SNIPPET_WIDTH in all, with "..." where it is cut (a minified file's one line, printed whole
 * under each of its thousands of findings, came to 76 GB). */
#define SNIPPET_LONG 200
#define SNIPPET_BEFORE 40
#define SNIPPET_WIDTH 120

/* One file's text, for snippets. */
struct source_text {
	const char *file;	/* display path loaded, or NULL */
	char *data;		/* owned, unless it is standard input's */
	bool owned;
	size_t length;
	bool missing;		/* it could not be read: no snippets for it */
	bool ascii;		/* no byte above 0x7F: columns are byte offsets */
	size_t *marks;		/* where lines 1, 1 + LINE_MARK, ... start; NULL until a line is asked */
	size_t mark_count;
	/* The last column found: the next one on the same line, further right, is counted from here. */
	unsigned int cursor_line, cursor_column;
	size_t cursor_at;
};

/* The text of one file at a time: the snippets are made file by file (make_snippets()). */
struct source_cache {
	struct source_text text;
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

static void text_release(struct source_text *t)
{
	if (t->owned)
		free(t->data);
	free(t->marks);
	memset(t, 0, sizeof(*t));
}

/* The text of file, read when another file's was loaded last; NULL when it cannot be read. */
static struct source_text *cache_load(struct source_cache *c, const struct lint_result *result, const char *file)
{
	struct source_text *t = &c->text;
	const struct input *in;
	char *error = NULL;
	size_t i;

	if (t->file && strcmp(t->file, file) == 0)
		return t->missing ? NULL : t;
	text_release(t);
	t->file = file;
	t->missing = true;
	index_inputs(c, result);
	in = input_named(c, file);
	if (!in)
		return NULL;
	if (in->from_stdin) {
		t->data = result->stdin_text;
		t->length = result->stdin_length;
		t->missing = !t->data;
	} else if (source_read(in, &t->data, &t->length, &error) == 0) {
		t->owned = true;
		t->missing = false;
	} else {
		free(error);
	}
	if (t->missing)
		return NULL;
	t->ascii = true;
	for (i = 0; i < t->length && t->ascii; i++)
		t->ascii = (unsigned char)t->data[i] < 0x80;
	return t;
}

/* Marks where every LINE_MARK-th line starts, after a byte order mark. */
static void mark_lines(struct source_text *t)
{
	const char *p = t->data, *stop = t->data + t->length;
	size_t capacity = 16, line = 1;

	if (t->length >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	t->marks = xmalloc(capacity * sizeof(*t->marks));
	t->marks[0] = (size_t)(p - t->data);
	t->mark_count = 1;
	while ((p = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
		p++;
		if (++line % LINE_MARK != 1)
			continue;
		GROW(t->marks, capacity, t->mark_count + 1);
		t->marks[t->mark_count++] = (size_t)(p - t->data);
	}
}

/* The 1-based line of the text, as [*start, *end) without its line end; false if none. */
static bool find_line(struct source_text *t, unsigned int line, const char **start, const char **end)
{
	const char *p, *stop = t->data + t->length;
	size_t mark = (line - 1) / LINE_MARK;
	unsigned int n;

	if (line == 0)
		return false;
	if (!t->marks)
		mark_lines(t);
	if (mark >= t->mark_count)
		return false;
	p = t->data + t->marks[mark];
	for (n = (unsigned int)(mark * LINE_MARK) + 1; n < line; n++) {
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

/* Past n code points from p (not past end). */
static const char *skip_points(const char *p, const char *end, size_t n)
{
	while (p < end && n) {
		p++;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
		n--;
	}
	return p;
}

/* Where column (code points, 1-based) of line [start, end) begins, or end. */
static const char *column_at(struct source_text *t, unsigned int line, const char *start, const char *end,
			     unsigned int column)
{
	const char *p;

	if (t->ascii)
		return (size_t)(end - start) < column - 1 ? end : start + column - 1;
	if (t->cursor_line == line && t->cursor_column <= column && t->cursor_at >= (size_t)(start - t->data))
		p = skip_points(t->data + t->cursor_at, end, column - t->cursor_column);
	else
		p = skip_points(start, end, column - 1);
	t->cursor_line = line;
	t->cursor_column = column;
	t->cursor_at = (size_t)(p - t->data);
	return p;
}

/* Back n code points from p (not before start). */
static const char *back_points(const char *p, const char *start, size_t n)
{
	while (p > start && n) {
		p--;
		while (p > start && ((unsigned char)*p & 0xC0) == 0x80)
			p--;
		n--;
	}
	return p;
}

/*
 * Prints the source line and a caret under column (code points), indented by indent: of a long line,
 * the part around the column.  Tabs print as one space each, so that the caret lines up whatever the
 * terminal's tab stops.
 */
static void write_snippet(FILE *out, struct source_text *t, unsigned int line, unsigned int column,
			  const char *indent)
{
	const char *start, *end, *from, *to, *at, *p;
	bool cut_before = false, cut_after = false;
	char *text;
	unsigned int col;
	int width;

	if (!t || !find_line(t, line, &start, &end))
		return;
	from = start;
	to = end;
	at = NULL;
	if ((size_t)(end - start) > SNIPPET_LONG) {
		at = column_at(t, line, start, end, column ? column : 1);
		from = back_points(at, start, SNIPPET_BEFORE);
		to = skip_points(from, end, SNIPPET_WIDTH);
		cut_before = from > start;
		cut_after = to < end;
	}
	text = xmalloc((size_t)(to - from) + 1);
	for (p = from; p < to; p++)
		text[p - from] = *p == '\t' ? ' ' : *p;
	text[to - from] = '\0';
	width = fprintf(out, "%s%5u | ", indent, line) - (int)strlen(indent) - 3;
	if (cut_before)
		fputs("...", out);
	write_sanitized(out, text);
	if (cut_after)
		fputs("...", out);
	fprintf(out, "\n%s%*s | ", indent, width > 0 ? width : 0, "");
	if (cut_before)
		fputs("   ", out);
	if (at) {
		for (p = from; p < at; p = skip_points(p, at, 1))
			fputc(' ', out);
	} else {
		for (p = text, col = 1; *p && col < column; p++)
			if (((unsigned char)*p & 0xC0) != 0x80) {
				fputc(' ', out);
				col++;
			}
	}
	fputs("\033[1;32m^\033[0m\n", out);
	free(text);
}

/* A snippet to make: under a finding (note false) or one of its notes, at its place in the output. */
struct snippet_request {
	const char *file;
	unsigned int line, column;
	bool note;
	size_t order;
};

static int compare_requests(const void *pa, const void *pb)
{
	const struct snippet_request *a = pa, *b = pb;
	int c = diag_compare_places(a->file, a->line, a->column, b->file, b->line, b->column);

	return c ? c : (a->order > b->order) - (a->order < b->order);
}

/*
 * The snippets of the shown findings and notes, in output order, made file by file: each file is read
 * once, and its lines in order.  Made in output order, a finding's file and its notes' files took
 * turns, each read again (three files of 20,000 objects whose findings point at each other: 518 s).
 */
static char **make_snippets(const struct lint_result *result, size_t *count)
{
	struct snippet_request *requests = NULL;
	size_t n = 0, capacity = 0, i, j;
	struct source_cache cache;
	char **snippets;

	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		GROW(requests, capacity, n + 1 + d->related_count);
		requests[n] = (struct snippet_request){ d->file, d->line, d->column, false, n };
		n++;
		for (j = 0; j < d->related_count; j++, n++)
			requests[n] = (struct snippet_request){ d->related[j].file, d->related[j].line,
								d->related[j].column, true, n };
	}
	snippets = xcalloc(n + 1, sizeof(*snippets));
	if (n > 1)
		qsort(requests, n, sizeof(*requests), compare_requests);
	memset(&cache, 0, sizeof(cache));
	for (i = 0; i < n; i++) {
		const struct snippet_request *r = &requests[i];
		size_t size = 0;
		FILE *f = open_memstream(&snippets[r->order], &size);

		if (!f)
			continue;	/* no memory: no snippet */
		write_snippet(f, cache_load(&cache, result, r->file), r->line, r->column, r->note ? "    " : "");
		fclose(f);
	}
	text_release(&cache.text);
	free(cache.by_path);
	free(requests);
	*count = n;
	return snippets;
}

int report_text(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	char **snippets = NULL;
	size_t i, j, count = 0, k = 0;

	if (options->color)
		snippets = make_snippets(result, &count);
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
		if (snippets && snippets[k])
			fputs(snippets[k], out);
		k++;
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fputs("    ", out);
			write_sanitized(out, r->file);
			fprintf(out, ":%u:%u: note: ", r->line, r->column);
			write_sanitized(out, r->message);
			fputc('\n', out);
			if (snippets && snippets[k])
				fputs(snippets[k], out);
			k++;
		}
	}
	for (i = 0; i < count; i++)
		free(snippets[i]);
	free(snippets);
	return ferror(out) ? -1 : 0;
}
