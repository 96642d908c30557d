/* selector.c: label selectors as apimachinery's LabelSelectorAsSelector builds and matches them. */
#include "selector.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

static int fail(struct selector_error *error, const struct node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "an integer", "a map": node_type_name() with its article. */
static const char *type_phrase(const struct node *n)
{
	static const char *const phrases[][2] = {
		{ "string", "a string" }, { "integer", "an integer" }, { "boolean", "a boolean" },
		{ "null", "null" }, { "number", "a number" }, { "list", "a list" }, { "map", "a map" },
	};
	const char *name = node_type_name(n);
	size_t i;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(phrases[i][0], name) == 0)
			return phrases[i][1];
	return name;
}

static int fail(struct selector_error *error, const struct node *at, const char *fmt, ...)
{
	va_list ap;

	if (error) {
		error->at = at;
		va_start(ap, fmt);
		vsnprintf(error->message, sizeof(error->message), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* NewRequirement's key check: a label key is a qualified name (IsQualifiedName). */
static int check_key(struct selector_error *error, const struct node *at, const char *key)
{
	char why[128];

	if (!name_is_qualified_name_why(key, why, sizeof(why)))
		return fail(error, at, "label key '%s' is invalid (%s)", key, why);
	return 0;
}

/* NewRequirement's value check (IsValidLabelValue). */
static int check_value(struct selector_error *error, const struct node *at, const char *key, const char *value)
{
	if (name_is_label_value(value))
		return 0;
	if (strlen(value) > 63)
		return fail(error, at, "label value '%s' for key '%s' is invalid (at most 63 characters)",
			    value, key);
	return fail(error, at, "label value '%s' for key '%s' is invalid (it must be empty, or begin and end "
		    "with a letter or digit and hold only letters, digits, '-', '_' and '.')", value, key);
}

static int parse_match_labels(struct selector *out, struct arena *arena, const struct node *labels,
			      struct selector_error *error, bool *unknown)
{
	unsigned int i;

	if (!labels || node_is_null(labels))
		return 0;
	if (!node_is_map(labels))
		return fail(error, labels, "matchLabels must be a map of label keys to values, not %s",
			    type_phrase(labels));
	for (i = 0; i < labels->count; i++) {
		const struct node *k = labels->u.pairs[i].key, *v = labels->u.pairs[i].value;
		struct selector_requirement *r;
		const char *key = node_text(k);

		if (!key)
			return fail(error, k, "a matchLabels key must be a string, not %s", type_phrase(k));
		if (check_key(error, k, key) != 0)
			return -1;
		r = &out->requirements[out->count++];
		r->key = key;
		r->operator = SELECTOR_EQUALS;
		r->node = v;
		r->values = arena_alloc(arena, sizeof(*r->values));
		r->value_count = 1;
		if (node_is_null(v)) {
			/* Whether the API server keeps "" or drops the entry is not certain: say nothing. */
			r->values[0] = "";
			*unknown = true;
			continue;
		}
		if (!node_is_string(v))
			return fail(error, v, "the value of matchLabels '%s' must be a string, not %s (quote it)",
				    key, type_phrase(v));
		r->values[0] = node_text(v);
		if (check_value(error, v, key, r->values[0]) != 0)
			return -1;
	}
	return 0;
}

static int parse_operator(const struct node *op, enum selector_operator *out)
{
	static const struct {
		const char *name;
		enum selector_operator operator;
	} operators[] = {
		{ "In", SELECTOR_IN },
		{ "NotIn", SELECTOR_NOT_IN },
		{ "Exists", SELECTOR_EXISTS },
		{ "DoesNotExist", SELECTOR_DOES_NOT_EXIST },
	};
	const char *text = node_str(op);
	size_t i;

	for (i = 0; text && i < sizeof(operators) / sizeof(operators[0]); i++)
		if (strcmp(text, operators[i].name) == 0) {
			*out = operators[i].operator;
			return 0;
		}
	return -1;
}

/* qsort() and bsearch() over an array of strings. */
static int compare_values(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int parse_expression(struct selector_requirement *r, struct arena *arena, const struct node *item,
			    unsigned int index, struct selector_error *error, bool *unknown)
{
	const struct node *key = node_get(item, "key"), *op = node_get(item, "operator");
	const struct node *values = node_get(item, "values");
	unsigned int i;

	if (!node_is_map(item))
		return fail(error, item, "matchExpressions[%u] must be a map with key, operator and values, not %s",
			    index, type_phrase(item));
	if (!key || node_is_null(key))
		return fail(error, item, "matchExpressions[%u] has no key", index);
	if (!node_is_string(key))
		return fail(error, key, "matchExpressions[%u].key must be a string, not %s", index,
			    type_phrase(key));
	if (!op || node_is_null(op))
		return fail(error, item, "matchExpressions[%u] has no operator", index);
	if (values && !node_is_null(values) && !node_is_seq(values))
		return fail(error, values, "matchExpressions[%u].values must be a list of strings, not %s", index,
			    type_phrase(values));
	r->key = node_text(key);
	r->node = item;
	if (check_key(error, key, r->key) != 0)
		return -1;
	if (parse_operator(op, &r->operator) != 0)
		return fail(error, op, "'%s' is not a valid label selector operator (In, NotIn, Exists or "
			    "DoesNotExist, case-sensitive)", node_text(op) ? node_text(op) : type_phrase(op));
	r->value_count = node_is_seq(values) ? values->count : 0;
	r->values = arena_alloc(arena, (r->value_count + 1) * sizeof(*r->values));
	switch (r->operator) {
	case SELECTOR_IN:
	case SELECTOR_NOT_IN:
		if (r->value_count == 0)
			return fail(error, values ? values : op, "operator %s needs at least one value",
				    node_text(op));
		break;
	default:
		if (r->value_count != 0)
			return fail(error, values, "operator %s takes no values", node_text(op));
		break;
	}
	for (i = 0; i < r->value_count; i++) {
		const struct node *v = values->u.items[i];

		if (node_is_null(v)) {
			r->values[i] = "";
			*unknown = true;
			continue;
		}
		if (!node_is_string(v))
			return fail(error, v, "matchExpressions[%u].values[%u] must be a string, not %s (quote it)",
				    index, i, type_phrase(v));
		r->values[i] = node_text(v);
		if (check_value(error, v, r->key, r->values[i]) != 0)
			return -1;
	}
	if (r->value_count > SELECTOR_SORTED_MIN) {
		r->sorted = arena_alloc(arena, r->value_count * sizeof(*r->sorted));
		memcpy(r->sorted, r->values, r->value_count * sizeof(*r->sorted));
		qsort(r->sorted, r->value_count, sizeof(*r->sorted), compare_values);
	}
	return 0;
}

int selector_parse(struct selector *out, struct arena *arena, const struct node *node,
		   struct selector_error *error)
{
	const struct node *labels, *expressions;
	size_t capacity;
	bool unknown = false;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->node = node;
	out->kind = SELECTOR_NOTHING;
	if (!node || node_is_null(node))
		return 0;
	if (!node_is_map(node))
		return fail(error, node, "a label selector must be a map (matchLabels, matchExpressions), not %s",
			    type_phrase(node));
	labels = node_get(node, "matchLabels");
	expressions = node_get(node, "matchExpressions");
	if (expressions && !node_is_null(expressions) && !node_is_seq(expressions))
		return fail(error, expressions, "matchExpressions must be a list, not %s",
			    type_phrase(expressions));
	capacity = (node_is_map(labels) ? labels->count : 0) + (node_is_seq(expressions) ? expressions->count : 0);
	out->requirements = arena_zalloc(arena, (capacity ? capacity : 1) * sizeof(*out->requirements));
	if (parse_match_labels(out, arena, labels, error, &unknown) != 0)
		return -1;
	for (i = 0; node_is_seq(expressions) && i < expressions->count; i++) {
		if (parse_expression(&out->requirements[out->count], arena, expressions->u.items[i], i, error,
				     &unknown) != 0)
			return -1;
		out->count++;
	}
	if (unknown)
		out->kind = SELECTOR_UNKNOWN;
	else
		out->kind = out->count ? SELECTOR_REQUIREMENTS : SELECTOR_EVERYTHING;
	return 0;
}

static bool has_value(const struct selector_requirement *r, const char *value)
{
	size_t i;

	if (r->sorted)
		return bsearch(&value, r->sorted, r->value_count, sizeof(*r->sorted), compare_values) != NULL;
	for (i = 0; i < r->value_count; i++)
		if (strcmp(r->values[i], value) == 0)
			return true;
	return false;
}

static bool requirement_matches(const struct selector_requirement *r, const struct label_source *labels)
{
	const char *value = labels->get(labels->data, r->key);

	switch (r->operator) {
	case SELECTOR_EQUALS:
	case SELECTOR_IN:
		return value && has_value(r, value);
	case SELECTOR_NOT_IN:
		return !value || !has_value(r, value);
	case SELECTOR_EXISTS:
		return value != NULL;
	case SELECTOR_DOES_NOT_EXIST:
		return value == NULL;
	}
	return false;
}

const struct selector_requirement *selector_first_failure(const struct selector *selector,
							   const struct label_source *labels)
{
	size_t i;

	if (selector->kind != SELECTOR_REQUIREMENTS)
		return NULL;
	for (i = 0; i < selector->count; i++)
		if (!requirement_matches(&selector->requirements[i], labels))
			return &selector->requirements[i];
	return NULL;
}

bool selector_matches(const struct selector *selector, const struct label_source *labels)
{
	switch (selector->kind) {
	case SELECTOR_EVERYTHING:
		return true;
	case SELECTOR_REQUIREMENTS:
		return selector_first_failure(selector, labels) == NULL;
	default:
		return false;
	}
}

const char *label_in_map(const struct node *labels, const char *key)
{
	/* node_get_pair() uses the map's hash index: matching a large selector against large label
	 * maps stays linear (a scan per key was quadratic: 300,000 labels took minutes). */
	const struct node_pair *p = node_get_pair(labels, key);

	if (!p)
		return NULL;
	if (node_is_null(p->value))
		return "";
	return node_text(p->value);
}

static const char *get_from_map(const void *data, const char *key)
{
	return label_in_map(data, key);
}

bool selector_matches_map(const struct selector *selector, const struct node *labels)
{
	struct label_source source = { get_from_map, labels };

	return selector_matches(selector, &source);
}

bool selector_only_key(const struct selector *selector, const char *key)
{
	size_t i;

	for (i = 0; i < selector->count; i++)
		if (strcmp(selector->requirements[i].key, key) != 0)
			return false;
	return true;
}

/* Descriptions are built in one growing buffer and name at most DESCRIBE_MAX requirements or values,
 * then how many more: appending to an arena_printf'd prefix was quadratic in time and memory, and a
 * selector of 300,000 labels made a message of megabytes. */
#define DESCRIBE_MAX 16

/* A growing text, malloc'd: open_memstream() allocated a stdio buffer per description, which cost
 * more than the description when ServiceMonitor selection explains every Prometheus it is not
 * selected by. */
struct text {
	char *s;
	size_t length, capacity;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->s ? t->s + t->length : NULL, t->s ? t->capacity - t->length : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!t->s || t->length + (size_t)n + 1 > t->capacity) {
		size_t need = t->length + (size_t)n + 1;

		GROW(t->s, t->capacity, need < 64 ? 64 : need);
		va_start(ap, fmt);
		vsnprintf(t->s + t->length, t->capacity - t->length, fmt, ap);
		va_end(ap);
	}
	t->length += (size_t)n;
}

static void write_requirement(struct text *out, const struct selector_requirement *r)
{
	size_t i;

	switch (r->operator) {
	case SELECTOR_EQUALS:
		put(out, "%s=%s", r->key, r->values[0]);
		return;
	case SELECTOR_EXISTS:
		put(out, "%s", r->key);
		return;
	case SELECTOR_DOES_NOT_EXIST:
		put(out, "!%s", r->key);
		return;
	default:
		break;
	}
	put(out, "%s %s (", r->key, r->operator == SELECTOR_IN ? "in" : "notin");
	for (i = 0; i < r->value_count && i < DESCRIBE_MAX; i++)
		put(out, "%s%s", i ? "," : "", r->values[i]);
	if (r->value_count > DESCRIBE_MAX)
		put(out, ",... (%zu more)", r->value_count - DESCRIBE_MAX);
	put(out, ")");
}

/* The text, copied into arena. */
static const char *finish(struct arena *arena, struct text *t)
{
	const char *text = t->s ? arena_strndup(arena, t->s, t->length) : "";

	free(t->s);
	return text;
}

const char *selector_describe_requirement(struct arena *arena, const struct selector_requirement *r)
{
	struct text out = { 0 };

	write_requirement(&out, r);
	return finish(arena, &out);
}

const char *selector_describe(struct arena *arena, const struct selector *selector)
{
	struct text out = { 0 };
	size_t i;

	switch (selector->kind) {
	case SELECTOR_NOTHING:
		return "<nothing>";
	case SELECTOR_EVERYTHING:
		return "<everything>";
	default:
		break;
	}
	for (i = 0; i < selector->count && i < DESCRIBE_MAX; i++) {
		if (i)
			put(&out, ",");
		write_requirement(&out, &selector->requirements[i]);
	}
	if (selector->count > DESCRIBE_MAX)
		put(&out, ",... (%zu more)", selector->count - DESCRIBE_MAX);
	return finish(arena, &out);
}
