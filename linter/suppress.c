/* suppress.c: finding svclint comments in raw text, and applying suppressions to findings. */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rule.h"

#define MARKER "svclint:"
#define MARKER_LEN (sizeof(MARKER) - 1)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Code points from start to at (libyaml's columns), 1-based. */
static unsigned int column_of(const char *start, const char *at)
{
	unsigned int column = 1;

	for (; start < at; start++)
		if (((unsigned char)*start & 0xC0) != 0x80)
			column++;
	return column;
}

/* Whether the line holds only blanks, or a comment. */
static bool is_not_yaml(const char *line, const char *end)
{
	while (line < end && (is_blank(*line) || *line == '\r'))
		line++;
	return line == end || *line == '#';
}

/*
 * Where a line's quotes stand: read from the line's start up to `at`, once for all the '#' of the line
 * (a line of thousands of "# svclint:" in quoted strings, a minified file, was read again for each).
 */
struct quotes {
	const char *at;
	bool single, dbl;
};

/* Whether a '#' at hash, on the line whose quotes q has read so far, starts a YAML comment, outside
 * any quoted scalar. */
static bool starts_comment(struct quotes *q, const char *line, const char *hash)
{
	if (hash > line && !is_blank(hash[-1]))
		return false;
	for (; q->at < hash; q->at++) {
		if (q->dbl && *q->at == '\\')
			q->at++;
		else if (!q->single && *q->at == '"')
			q->dbl = !q->dbl;
		else if (!q->dbl && *q->at == '\'')
			q->single = !q->single;	/* '' inside single quotes toggles twice */
	}
	return !q->single && !q->dbl;
}

static bool valid_date(const char *s, size_t n)
{
	size_t i;
	int month, day;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	month = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static struct suppression *add(struct suppression_list *list, enum suppression_kind kind, unsigned int line,
			       unsigned int column)
{
	struct suppression *s;

	GROW(list->items, list->capacity, list->count + 1);
	s = &list->items[list->count++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->line = line;
	s->column = column;
	return s;
}

/* Adds one suppression per rule of the comma-separated list [rules, rules_end). */
static void add_rules(struct suppression_list *list, enum suppression_kind kind, unsigned int line,
		      unsigned int column, unsigned int next_line, const char *rules, const char *rules_end,
		      const char *until, const char *today)
{
	while (rules < rules_end) {
		const char *comma = memchr(rules, ',', (size_t)(rules_end - rules));
		const char *end = comma ? comma : rules_end;

		if (end > rules) {
			struct suppression *s = add(list, kind, line, column);

			s->rule = xstrndup(rules, (size_t)(end - rules));
			s->next_line = next_line;
			if (until) {
				memcpy(s->until, until, 10);
				s->expired = strcmp(today, s->until) > 0;
			}
		}
		rules = end + 1;
	}
}

/*
 * Reads the directive after "svclint:" ([p, end) is the rest of the comment's line) and adds what it
 * says.  Text after "svclint:" that is not ignore or ignore-file is not a directive: passed over.
 */
static void parse_directive(struct suppression_list *list, const char *p, const char *end, unsigned int line,
			    unsigned int column, unsigned int next_line, const char *today)
{
	enum suppression_kind kind;
	const char *rules, *rules_end, *until = NULL;

	while (end > p && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	if ((size_t)(end - p) >= 11 && memcmp(p, "ignore-file", 11) == 0 && (p + 11 == end || is_blank(p[11]))) {
		kind = SUPPRESS_FILE;
		p += 11;
	} else if ((size_t)(end - p) >= 6 && memcmp(p, "ignore", 6) == 0 && (p + 6 == end || is_blank(p[6]))) {
		kind = SUPPRESS_LINE;
		p += 6;
	} else {
		return;
	}
	while (p < end && is_blank(*p))
		p++;
	rules = p;
	while (p < end && !is_blank(*p))
		p++;
	rules_end = p;
	if (rules == rules_end || (rules_end - rules == 2 && memcmp(rules, "--", 2) == 0)) {
		add(list, kind, line, column)->problem = xstrdup("it names no rule");
		return;
	}
	while (p < end && is_blank(*p))
		p++;
	if ((size_t)(end - p) >= 6 && memcmp(p, "until=", 6) == 0) {
		const char *date = p + 6;

		p = date;
		while (p < end && !is_blank(*p))
			p++;
		if (!valid_date(date, (size_t)(p - date))) {
			add(list, kind, line, column)->problem =
				xasprintf("until= takes a date YYYY-MM-DD, not '%.*s'", (int)(p - date), date);
			return;
		}
		until = date;
		while (p < end && is_blank(*p))
			p++;
	}
	if (p < end && !(end - p >= 2 && p[0] == '-' && p[1] == '-' && (end - p == 2 || is_blank(p[2])))) {
		add(list, kind, line, column)->problem =
			xasprintf("only 'until=YYYY-MM-DD' and '-- reason' may follow the rules, not '%.*s'",
				  (int)(end - p), p);
		return;
	}
	add_rules(list, kind, line, column, next_line, rules, rules_end, until, today);
}

/* The next MARKER in [p, end) that follows a '#' and blanks: the only ones the scan can use.  memchr
 * for the rare '#' is faster than memmem over every byte of every file. */
static const char *next_marker(const char *p, const char *end)
{
	while (p < end && (p = memchr(p, '#', (size_t)(end - p)))) {
		const char *q = p + 1;

		while (q < end && is_blank(*q))
			q++;
		if ((size_t)(end - q) >= MARKER_LEN && memcmp(q, MARKER, MARKER_LEN) == 0)
			return q;
		p++;
	}
	return NULL;
}

void suppress_scan(struct suppression_list *list, const char *text, size_t len, const char *today)
{
	const char *end = text + len, *p = text, *counted = text;
	/* The line of the last marker: where it starts, where it ends (NULL until needed), its quotes. */
	const char *line_start = text, *line_end = NULL;
	struct quotes quotes = { text, false, false };
	/* The last next line found, and where the line before it ends (end when none holds YAML). */
	const char *known_next = NULL;
	unsigned int line = 1, known_next_line = 0;

	for (;;) {
		const char *hit = next_marker(p, end);
		const char *from, *hash, *next;
		unsigned int next_line;

		if (!hit)
			return;
		p = hit + MARKER_LEN;
		for (; counted < hit; counted++)
			if (*counted == '\n') {
				line++;
				line_start = counted + 1;
				line_end = NULL;
				quotes.at = line_start;
				quotes.single = quotes.dbl = false;
			}
		hash = hit;
		while (hash > line_start && is_blank(hash[-1]))
			hash--;
		if (hash == line_start || hash[-1] != '#' || !starts_comment(&quotes, line_start, hash - 1))
			continue;
		hash--;
		if (!line_end) {
			line_end = memchr(hit, '\n', (size_t)(end - hit));
			if (!line_end)
				line_end = end;
		}
		/* The line the comment covers besides its own: the next one that holds YAML.  A comment in a
		 * block of comments before it has the one the block's first comment found (once per comment
		 * was quadratic: 20,000 comment lines took 6.7 s). */
		if (known_next && line_end < known_next) {
			next_line = known_next_line;
		} else {
			next_line = line + 1;
			for (next = line_end; next < end; next_line++) {
				const char *after = memchr(next + 1, '\n', (size_t)(end - next - 1));

				if (!after)
					after = end;
				if (!is_not_yaml(next + 1, after))
					break;
				next = after;
			}
			known_next = next < end ? next : end;
			known_next_line = next_line;
		}
		from = line_start;
		if (line == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
			from += 3;	/* libyaml's columns start after a byte order mark */
		parse_directive(list, p, line_end, line, column_of(from, hash), next_line, today);
		p = line_end;
	}
}

void suppress_add_annotation(struct suppression_list *list, const struct object *object)
{
	const struct node *value = node_get(object_annotations(object), SUPPRESS_ANNOTATION);
	const char *text = node_text(value), *p;
	struct position pos;

	if (!value)
		return;
	pos = node_position(value);
	if (!text || !node_is_string(value) || !text[0]) {
		add(list, SUPPRESS_OBJECT, pos.line, pos.column)->problem =
			xstrdup("the " SUPPRESS_ANNOTATION " annotation takes a string \"RULE,RULE\"");
		return;
	}
	for (p = text; *p;) {
		size_t n = strcspn(p, ", ");

		if (n) {
			struct suppression *s = add(list, SUPPRESS_OBJECT, pos.line, pos.column);

			s->rule = xstrndup(p, n);
			s->kind_name = xstrdup(object->type->kind_name);
			s->namespace = xstrdup(object->namespace);
			s->name = xstrdup(object->name);
		}
		p += n;
		p += strspn(p, ", ");
	}
}

void suppression_list_release(struct suppression_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		struct suppression *s = &list->items[i];

		free(s->rule);
		free(s->problem);
		free(s->kind_name);
		free(s->namespace);
		free(s->name);
	}
	free(list->items);
	free(list->file);
	memset(list, 0, sizeof(*list));
}

static bool covers(const struct suppression *s, const struct diag *d)
{
	if (!s->rule || strcmp(s->rule, d->rule) != 0)
		return false;
	switch (s->kind) {
	case SUPPRESS_LINE:
		return d->line == s->line || d->line == s->next_line;
	case SUPPRESS_FILE:
		return true;
	case SUPPRESS_OBJECT:
		return d->object.kind && strcmp(d->object.kind, s->kind_name) == 0 &&
		       strcmp(d->object.namespace, s->namespace) == 0 && strcmp(d->object.name, s->name) == 0;
	}
	return false;
}

static int compare_file(const void *key, const void *item)
{
	return strcmp(key, ((const struct suppression_list *)item)->file);
}

static void note_expired(struct diag *d, const struct suppression_list *list, const struct suppression *s)
{
	struct position at = { s->line, s->column };

	rule_note_file(d, list->file, at, "the svclint:%s %s here expired after %s, so this finding is reported "
		       "again", s->kind == SUPPRESS_FILE ? "ignore-file" : "ignore", s->rule, s->until);
}

static struct diag *report_unused(struct diag_list *diags, const struct lint_options *options, size_t rule,
				  const char *file, const struct suppression *s, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct diag *report_unused(struct diag_list *diags, const struct lint_options *options, size_t rule,
				  const char *file, const struct suppression *s, const char *fmt, ...)
{
	enum severity severity = rule_table[rule]->severity;
	va_list ap;
	struct diag *d;

	if (options->rule_severity && options->rule_severity[rule] != SEVERITY_NONE)
		severity = options->rule_severity[rule];
	va_start(ap, fmt);
	d = diag_new(diags, rule_table[rule]->id, severity, file, s->line, s->column, fmt, ap);
	va_end(ap);
	return d;
}

static void report_unused_in(const struct suppression_list *list, struct diag_list *diags,
			     const struct lint_options *options, size_t unused_rule)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		const struct suppression *s = &list->items[i];
		const char *what = s->kind == SUPPRESS_OBJECT ? "the " SUPPRESS_ANNOTATION " annotation" :
				   s->kind == SUPPRESS_FILE ? "this svclint:ignore-file comment" :
				   "this svclint:ignore comment";
		size_t rule;

		if (s->used)
			continue;
		/* A comment that cannot be read was reported while its file was linted (check_file). */
		if (s->kind != SUPPRESS_OBJECT && (s->problem || !rule_find(s->rule, NULL)))
			continue;
		if (s->problem) {
			report_unused(diags, options, unused_rule, list->file, s, "%s, so it suppresses nothing",
				      s->problem);
			continue;
		}
		if (!rule_find(s->rule, &rule)) {
			report_unused(diags, options, unused_rule, list->file, s, "%s names '%s', which is not a "
				      "rule, so it suppresses nothing; svclint --list-rules lists the rules", what,
				      s->rule);
			continue;
		}
		if (options->rule_enabled && !options->rule_enabled[rule])
			continue;
		if (s->kind == SUPPRESS_OBJECT)
			report_unused(diags, options, unused_rule, list->file, s, "%s suppresses %s, but %s has no "
				      "%s finding: remove '%s' from it", what, s->rule, s->name[0] ? s->name :
				      "this object", s->rule, s->rule);
		else if (s->kind == SUPPRESS_FILE)
			report_unused(diags, options, unused_rule, list->file, s, "%s suppresses %s, but this file has "
				      "no %s finding: remove it", what, s->rule, s->rule);
		else
			report_unused(diags, options, unused_rule, list->file, s, "%s suppresses %s, but no %s finding "
				      "is on this line or the next: remove it (or move it to the finding's line)",
				      what, s->rule, s->rule);
	}
}

/*
 * A file's suppressions under the keys a finding looks them up by: the rule, the kind, the line a
 * comment covers (its own and the next that holds YAML: two keys; 0 for the other kinds) and the
 * object's name (NULL for comments).  A file of thousands of commented or annotated objects was read
 * whole for each finding: 20,000 annotated Services took 11.6 s.  covers() still decides.
 */
struct key {
	const char *rule, *name;
	unsigned int kind, line;
	size_t at;	/* in list->items */
};

struct keys {
	struct key *items;	/* NULL until a finding of the file asks */
	size_t count;
};

static int compare_keys(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c = strcmp(a->rule, b->rule);

	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static int compare_keys_then_place(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c = compare_keys(a, b);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static void add_key(struct keys *keys, const struct suppression *s, size_t at, unsigned int line)
{
	struct key *k = &keys->items[keys->count++];

	k->rule = s->rule;
	k->name = s->kind == SUPPRESS_OBJECT ? s->name : NULL;
	k->kind = (unsigned int)s->kind;
	k->line = line;
	k->at = at;
}

static void make_keys(struct keys *keys, const struct suppression_list *list)
{
	size_t i;

	keys->items = xmalloc((2 * list->count + 1) * sizeof(*keys->items));
	keys->count = 0;
	for (i = 0; i < list->count; i++) {
		const struct suppression *s = &list->items[i];

		if (!s->rule)
			continue;
		add_key(keys, s, i, s->kind == SUPPRESS_LINE ? s->line : 0);
		if (s->kind == SUPPRESS_LINE && s->next_line != s->line)
			add_key(keys, s, i, s->next_line);
	}
	qsort(keys->items, keys->count, sizeof(*keys->items), compare_keys_then_place);
}

/* Appends to *found the places of the suppressions under key, in their order. */
static void find_keys(const struct keys *keys, const struct key *key, size_t **found, size_t *count, size_t *cap)
{
	size_t low = 0, high = keys->count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (compare_keys(&keys->items[mid], key) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	for (; low < keys->count && compare_keys(&keys->items[low], key) == 0; low++) {
		GROW(*found, *cap, *count + 1);
		(*found)[(*count)++] = keys->items[low].at;
	}
}

static int compare_indexes(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

void suppress_apply(struct suppression_list *lists, size_t count, struct diag_list *diags,
		    const struct lint_options *options)
{
	size_t i, j, found_before = diags->count, unused_rule, *found = NULL, found_count, found_cap = 0;
	struct keys *keys;

	if (count == 0)
		return;
	keys = xcalloc(count, sizeof(*keys));
	for (i = 0; i < found_before; i++) {
		struct diag *d = diags->items[i];
		struct suppression_list *list = bsearch(d->file, lists, count, sizeof(*lists), compare_file);
		struct keys *k;
		struct key key = { d->rule, NULL, SUPPRESS_LINE, d->line, 0 };

		if (!list)
			continue;
		k = &keys[list - lists];
		if (!k->items)
			make_keys(k, list);
		found_count = 0;
		find_keys(k, &key, &found, &found_count, &found_cap);
		key.kind = SUPPRESS_FILE;
		key.line = 0;
		find_keys(k, &key, &found, &found_count, &found_cap);
		if (d->object.kind) {
			key.kind = SUPPRESS_OBJECT;
			key.name = d->object.name;
			find_keys(k, &key, &found, &found_count, &found_cap);
		}
		/* In the order of the file's suppressions, as notes of expired ones are written. */
		if (found_count > 1)
			qsort(found, found_count, sizeof(*found), compare_indexes);
		for (j = 0; j < found_count; j++) {
			struct suppression *s = &list->items[found[j]];

			if (!covers(s, d))
				continue;
			s->used = true;
			if (s->expired)
				note_expired(d, list, s);
			else
				d->suppressed = true;
		}
	}
	for (i = 0; i < count; i++)
		free(keys[i].items);
	free(keys);
	free(found);
	if (!rule_find(SUPPRESS_RULE_ID, &unused_rule) ||
	    (options->rule_enabled && !options->rule_enabled[unused_rule]))
		return;
	for (i = 0; i < count; i++)
		report_unused_in(&lists[i], diags, options, unused_rule);
}
