/* baseline.c: fingerprints, and reading and writing baseline files (atomically). */
#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "doc.h"
#include "report.h"
#include "source.h"

static uint64_t fnv(uint64_t h, const char *s)
{
	/* FNV-1a over the string and its terminator, so fields cannot run into each other. */
	if (!s)
		s = "";
	do {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	} while (*s++);
	return h;
}

static uint64_t identity(const struct diag *d)
{
	uint64_t h = 14695981039346656037ull;

	h = fnv(h, d->rule);
	h = fnv(h, d->file);
	h = fnv(h, d->object.kind);
	h = fnv(h, d->object.namespace);
	h = fnv(h, d->object.name);
	return fnv(h, d->message);
}

struct ranked {
	uint64_t identity;
	size_t index;
};

static int compare_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->identity != b->identity)
		return a->identity < b->identity ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

void fingerprint_assign(struct diag_list *diags)
{
	struct ranked *r = xmalloc((diags->count + 1) * sizeof(*r));
	size_t i, occurrence = 0;

	for (i = 0; i < diags->count; i++) {
		r[i].identity = identity(diags->items[i]);
		r[i].index = i;
	}
	/* Equal identities are one finding at several places of a file: number them in file order. */
	qsort(r, diags->count, sizeof(*r), compare_ranked);
	for (i = 0; i < diags->count; i++) {
		uint64_t fingerprint = r[i].identity;

		occurrence = i > 0 && r[i - 1].identity == r[i].identity ? occurrence + 1 : 0;
		if (occurrence) {
			char number[24];

			snprintf(number, sizeof(number), "%zu", occurrence);
			fingerprint = fnv(fingerprint, number);
		}
		diags->items[r[i].index]->fingerprint = fingerprint ? fingerprint : 1;
	}
	free(r);
}

void fingerprint_format(uint64_t fingerprint, char *buf)
{
	snprintf(buf, 17, "%016llx", (unsigned long long)fingerprint);
}

static int compare_entry(const void *pa, const void *pb)
{
	const struct baseline_entry *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return a->fingerprint < b->fingerprint ? -1 : a->fingerprint > b->fingerprint;
}

static char *placed(const char *path, const struct node *at, const char *message)
{
	struct position pos = at ? node_position(at) : (struct position){ 1, 1 };

	return xasprintf("%s:%u:%u: %s", path, pos.line, pos.column, message);
}

static bool parse_hex(const char *text, uint64_t *out)
{
	size_t i;
	uint64_t v = 0;

	if (!text || strlen(text) != 16)
		return false;
	for (i = 0; i < 16; i++) {
		char c = text[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint64_t)(c - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* Reads the findings list into baseline; returns NULL, or an error message. */
static char *read_findings(struct baseline *baseline, const char *path, const struct node *root)
{
	const struct node *version = node_get(root, "version"), *findings = node_get(root, "findings");
	size_t i, cap = 0;

	if (!node_is_map(root))
		return placed(path, root, "a baseline is a JSON object with \"version\" and \"findings\"");
	if (!node_text_eq(version, "1"))
		return placed(path, version ? version : root, "this baseline is not version 1 (write it again "
			      "with --write-baseline)");
	if (!node_is_seq(findings))
		return placed(path, findings ? findings : root, "\"findings\" must be a list");
	for (i = 0; i < findings->count; i++) {
		const struct node *f = findings->u.items[i];
		const char *rule = node_str(node_get(f, "rule")), *file = node_str(node_get(f, "file"));
		uint64_t fingerprint;

		if (!node_is_map(f) || !rule || !file ||
		    !parse_hex(node_str(node_get(f, "fingerprint")), &fingerprint))
			return placed(path, f, "a finding needs \"rule\", \"file\" and a 16-digit hex "
				      "\"fingerprint\"");
		GROW(baseline->items, cap, baseline->count + 1);
		baseline->items[baseline->count].rule = xstrdup(rule);
		baseline->items[baseline->count].file = xstrdup(file);
		baseline->items[baseline->count].fingerprint = fingerprint;
		baseline->count++;
	}
	return NULL;
}

int baseline_load(struct baseline *baseline, const char *path, char **error)
{
	struct input in;
	struct arena arena;
	struct doc_set docs;
	char *data = NULL, *read_error = NULL;
	size_t len = 0;

	memset(baseline, 0, sizeof(*baseline));
	memset(&in, 0, sizeof(in));
	in.path = (char *)path;
	*error = NULL;
	if (source_read(&in, &data, &len, &read_error) != 0) {
		*error = xasprintf("%s: %s", path, read_error);
		free(read_error);
		return -1;
	}
	arena_init(&arena);
	doc_parse(&docs, &arena, data, len, &doc_default_limits);
	if (docs.problem_count)
		*error = xasprintf("%s:%u:%u: %s", path, docs.problems[0].at.line, docs.problems[0].at.column,
				   docs.problems[0].message);
	else if (docs.count != 1)
		*error = xasprintf("%s:1:1: a baseline is one JSON object", path);
	else
		*error = read_findings(baseline, path, docs.documents[0].root);
	free(docs.documents);
	free(docs.problems);
	arena_release(&arena);
	free(data);
	if (*error) {
		baseline_release(baseline);
		return -1;
	}
	if (baseline->count > 1)
		qsort(baseline->items, baseline->count, sizeof(*baseline->items), compare_entry);
	return 0;
}

void baseline_release(struct baseline *baseline)
{
	size_t i;

	for (i = 0; i < baseline->count; i++) {
		free(baseline->items[i].rule);
		free(baseline->items[i].file);
	}
	free(baseline->items);
	memset(baseline, 0, sizeof(*baseline));
}

size_t baseline_apply(const struct baseline *baseline, struct diag_list *diags)
{
	size_t i, held = 0;

	if (!baseline || baseline->count == 0)
		return 0;
	for (i = 0; i < diags->count; i++) {
		struct diag *d = diags->items[i];
		struct baseline_entry key;

		if (d->suppressed)
			continue;
		key.rule = (char *)d->rule;
		key.file = d->file;
		key.fingerprint = d->fingerprint;
		if (bsearch(&key, baseline->items, baseline->count, sizeof(key), compare_entry)) {
			d->suppressed = true;
			held++;
		}
	}
	return held;
}

static void write_string_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, "\"%s\":\"", name);
	write_json_string(out, value);
	fputc('"', out);
}

static void write_entries(FILE *out, const struct diag_list *diags)
{
	size_t i;
	bool first = true;

	fputs("{\"version\":1,\"tool\":\"svclint\",\"findings\":[", out);
	for (i = 0; i < diags->count; i++) {
		const struct diag *d = diags->items[i];
		char hex[17];

		if (d->suppressed)
			continue;
		fputs(first ? "\n {" : ",\n {", out);
		first = false;
		write_string_field(out, "rule", d->rule);
		fputc(',', out);
		write_string_field(out, "file", d->file);
		fputs(",\"object\":", out);
		if (d->object.kind) {
			fputc('"', out);
			write_json_string(out, d->object.kind);
			fputc(' ', out);
			write_json_string(out, d->object.namespace ? d->object.namespace : "");
			fputc('/', out);
			write_json_string(out, d->object.name ? d->object.name : "");
			fputc('"', out);
		} else {
			fputs("null", out);
		}
		fingerprint_format(d->fingerprint, hex);
		fprintf(out, ",\"fingerprint\":\"%s\"}", hex);
	}
	fputs(first ? "]}\n" : "\n]}\n", out);
}

int baseline_write(const char *path, const struct diag_list *diags, char **error)
{
	char *temp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(temp);
	FILE *out;
	mode_t mask;

	*error = NULL;
	if (fd < 0) {
		*error = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(temp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	/* mkstemp makes the file private; a baseline is as readable as any file the user writes. */
	(void)fchmod(fd, 0666 & ~mask);
	out = fdopen(fd, "w");
	if (!out) {
		*error = xasprintf("cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(temp);
		free(temp);
		return -1;
	}
	write_entries(out, diags);
	/* Whole and on disk before it replaces the old baseline: a gate never reads half a file. */
	if (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0) {
		*error = xasprintf("cannot write %s: %s", path, strerror(errno));
		fclose(out);
		unlink(temp);
		free(temp);
		return -1;
	}
	if (fclose(out) != 0 || rename(temp, path) != 0) {
		*error = xasprintf("cannot write %s: %s", path, strerror(errno));
		unlink(temp);
		free(temp);
		return -1;
	}
	free(temp);
	return 0;
}
