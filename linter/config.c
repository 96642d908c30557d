/* config.c: .svclint.yaml through doc.c into a struct config; every mistake is placed in the file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "doc.h"
#include "glob.h"
#include "names.h"
#include "options.h"
#include "rule.h"
#include "source.h"

const char *const config_default_placeholders[] = {
	"(?i)^your[_-]",			/* YOUR_DATABASE_HOST, your-host-here */
	"(?i)\\bchange[_-]?me\\b",		/* changeme, CHANGE_ME, change-me */
	"(?i)\\breplace[_-]?me\\b",
	"\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}",	/* ${DB_HOST} left by envsubst (not ${1} of relabelling) */
	"\\{\\{.*\\}\\}",			/* {{ .Values.host }} */
	"^<[^<>]+>$",				/* <ip-address> */
	"^(?:TODO|TBD|FIXME|XXX)$",
	/* 10.0.x.x; the first look-ahead turns most values away at their first character */
	"^(?=[0-9xX])(?=.*[xX])(?:[xX]{1,3}|[0-9]{1,3})(?:\\.(?:[xX]{1,3}|[0-9]{1,3})){3}$",
};
const size_t config_default_placeholder_count =
	sizeof(config_default_placeholders) / sizeof(config_default_placeholders[0]);

/* Where a load stands: the file's name for messages, and the first error met. */
struct loader {
	struct config *config;
	const char *path;
	char *error;
};

static int fail(struct loader *l, const struct node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first error at node at (line 1 column 1 when NULL); returns -1. */
static int fail(struct loader *l, const struct node *at, const char *fmt, ...)
{
	struct position pos = { 1, 1 };
	va_list ap;
	char *message;
	int n;

	if (l->error)
		return -1;
	if (at)
		pos = node_position(at);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(message, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	l->error = xasprintf("%s:%u:%u: %s", l->path, pos.line, pos.column, message);
	free(message);
	return -1;
}

static char *current_folder(void)
{
	size_t size = 256;

	for (;;) {
		char *buf = xmalloc(size);

		if (getcwd(buf, size))
			return buf;
		free(buf);
		if (errno != ERANGE)
			return xstrdup(".");
		size *= 2;
	}
}

static void add_placeholder(struct config *c, const char *pattern, char **error)
{
	struct regex *r = regex_compile(pattern, error);

	if (!r)
		return;
	c->placeholders = xrealloc(c->placeholders, (c->placeholder_count + 1) * sizeof(*c->placeholders));
	c->placeholders[c->placeholder_count++] = r;
}

static void clear_placeholders(struct config *c)
{
	size_t i;

	for (i = 0; i < c->placeholder_count; i++)
		regex_free(c->placeholders[i]);
	free(c->placeholders);
	regex_free(c->any_anchored_placeholder);
	regex_free(c->any_floating_placeholder);
	c->placeholders = NULL;
	c->placeholder_count = 0;
	c->any_anchored_placeholder = c->any_floating_placeholder = NULL;
	c->placeholders_joined = false;
}

/* Builds the first test of config.h.  Tried at every position, a pattern joined from anchored and
 * unanchored ones ran each anchored branch at each character of every value. */
static void join_placeholders(struct config *c)
{
	struct regex **anchored = xmalloc((c->placeholder_count + 1) * sizeof(*anchored));
	struct regex **floating = xmalloc((c->placeholder_count + 1) * sizeof(*floating));
	size_t a = 0, f = 0, i;

	for (i = 0; i < c->placeholder_count; i++) {
		if (regex_anchored(c->placeholders[i]))
			anchored[a++] = c->placeholders[i];
		else
			floating[f++] = c->placeholders[i];
	}
	c->any_anchored_placeholder = regex_union(anchored, a);
	c->any_floating_placeholder = regex_union(floating, f);
	c->placeholders_joined = (a == 0 || c->any_anchored_placeholder) && (f == 0 || c->any_floating_placeholder);
	free(anchored);
	free(floating);
}

void config_init(struct config *config)
{
	size_t i;

	memset(config, 0, sizeof(*config));
	config->cwd = current_folder();
	config->root = xstrdup(config->cwd);
	for (i = 0; i < config_default_placeholder_count; i++) {
		char *error = NULL;

		add_placeholder(config, config_default_placeholders[i], &error);
		free(error);	/* a unit test compiles every default */
	}
	join_placeholders(config);
}

static void free_strings(char **list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(list[i]);
	free(list);
}

void config_release(struct config *config)
{
	size_t i, j;

	free(config->path);
	free(config->root);
	free(config->cwd);
	free(config->rules);
	free_strings(config->exclude, config->exclude_count);
	free_strings(config->scopes, config->scope_count);
	free(config->default_namespace);
	for (i = 0; i < config->naming_count; i++) {
		struct naming_policy *p = &config->naming[i];

		free(p->kind);
		free(p->namespace);
		free(p->field);
		for (j = 0; j < p->step_count; j++)
			free(p->steps[j].key);
		free(p->steps);
		regex_free(p->pattern);
		free(p->reason);
	}
	free(config->naming);
	clear_placeholders(config);
	memset(config, 0, sizeof(*config));
}

int kube_version_parse(const char *text, int *minor)
{
	char *end;
	long v;

	if (text[0] == 'v')
		text++;
	if (strncmp(text, "1.", 2) != 0 || text[2] < '0' || text[2] > '9')
		return -1;
	errno = 0;
	v = strtol(text + 2, &end, 10);
	if (errno || (*end && *end != '.') || v < KUBE_OLDEST_MINOR || v > 99)
		return -1;
	*minor = (int)v;
	return 0;
}

/* ---- values ---- */

/* The text of a scalar that YAML reads as a string (or, with any_scalar, any scalar), else NULL. */
static const char *string_of(const struct node *n, bool any_scalar)
{
	if (!node_is_scalar(n) || node_is_null(n))
		return NULL;
	if (!any_scalar && !node_is_string(n))
		return NULL;
	return node_text(n);
}

static int read_globs(struct loader *l, const struct node *key, const struct node *value, char ***out,
		      size_t *count)
{
	size_t i, cap = 0;

	if (!node_is_seq(value))
		return fail(l, value ? value : key, "'%s' must be a list of globs", node_text(key));
	for (i = 0; i < value->count; i++) {
		const char *glob = string_of(value->u.items[i], true);

		if (!glob || !glob[0])
			return fail(l, value->u.items[i], "'%s' must be a list of globs; item %zu is not a glob",
				    node_text(key), i + 1);
		GROW(*out, cap, *count + 1);
		(*out)[(*count)++] = xstrdup(glob);
	}
	return 0;
}

static int read_rules(struct loader *l, const struct node *value)
{
	struct config *c = l->config;
	size_t i, cap = 0;

	if (!node_is_map(value))
		return fail(l, value, "'rules' must be a map from rule id to on, off, error, warning or info");
	for (i = 0; i < value->count; i++) {
		const struct node *k = value->u.pairs[i].key, *v = value->u.pairs[i].value;
		const char *id = string_of(k, true), *setting = string_of(v, true);
		struct rule_setting s;

		if (!id || !rule_find(id, &s.rule))
			return fail(l, k, "unknown rule '%s' (svclint --list-rules lists them)", id ? id : "");
		s.enabled = true;
		s.severity = SEVERITY_NONE;
		if (!setting)
			return fail(l, v ? v : k, "rule '%s' takes on, off, error, warning or info", id);
		if (strcmp(setting, "off") == 0 || strcmp(setting, "false") == 0)
			s.enabled = false;
		else if (strcmp(setting, "on") != 0 && strcmp(setting, "true") != 0 &&
			 (severity_parse(setting, &s.severity) != 0 || s.severity == SEVERITY_NONE))
			return fail(l, v, "rule '%s' takes on, off, error, warning or info, not '%s'", id, setting);
		GROW(c->rules, cap, c->rule_count + 1);
		c->rules[c->rule_count++] = s;
	}
	return 0;
}

/* Splits "spec.ports[].name" into steps; the key after metadata.labels or annotations is whole. */
static int parse_field(struct loader *l, const struct node *at, struct naming_policy *p)
{
	const char *s = p->field;
	size_t cap = 0;

	while (*s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		struct field_step step;

		if (p->step_count == 2 && strcmp(p->steps[0].key, "metadata") == 0 &&
		    (strcmp(p->steps[1].key, "labels") == 0 || strcmp(p->steps[1].key, "annotations") == 0))
			n = strlen(s);	/* a label key holds dots: app.kubernetes.io/name */
		step.each = n >= 2 && s[n - 2] == '[' && s[n - 1] == ']';
		if (step.each)
			n -= 2;
		if (n == 0 || memchr(s, '[', n) || memchr(s, ']', n))
			return fail(l, at, "field '%s' is not a path like metadata.name or spec.ports[].name", p->field);
		step.key = xstrndup(s, n);
		GROW(p->steps, cap, p->step_count + 1);
		p->steps[p->step_count++] = step;
		s += n + (step.each ? 2 : 0);
		if (*s == '.') {
			s++;
			if (!*s)
				return fail(l, at, "field '%s' ends with a dot", p->field);
		} else if (*s) {
			return fail(l, at, "field '%s' is not a path like metadata.name or spec.ports[].name", p->field);
		}
	}
	if (p->step_count == 0)
		return fail(l, at, "field must not be empty");
	return 0;
}

static int compile(struct loader *l, const struct node *at, const char *pattern, struct regex **out)
{
	char *error = NULL;

	*out = regex_compile(pattern, &error);
	if (!*out) {
		fail(l, at, "pattern '%s' is not a valid PCRE2 pattern: %s", pattern, error);
		free(error);
		return -1;
	}
	return 0;
}

static int read_policy(struct loader *l, const struct node *item, struct naming_policy *p)
{
	size_t i;
	const struct node *pattern = NULL;

	struct position pos = node_position(item);

	p->line = pos.line;
	p->column = pos.column;
	if (!node_is_map(item))
		return fail(l, item, "a naming policy is a map with kind, pattern and optionally namespace, field "
			    "and reason");
	for (i = 0; i < item->count; i++) {
		const struct node *k = item->u.pairs[i].key, *v = item->u.pairs[i].value;
		const char *key = string_of(k, true), *text = string_of(v, true);
		char **slot;

		if (!key)
			return fail(l, k, "a naming policy's keys are kind, namespace, field, pattern and reason");
		if (strcmp(key, "kind") == 0)
			slot = &p->kind;
		else if (strcmp(key, "namespace") == 0)
			slot = &p->namespace;
		else if (strcmp(key, "field") == 0)
			slot = &p->field;
		else if (strcmp(key, "pattern") == 0) {
			slot = NULL;
			pattern = v;
		} else if (strcmp(key, "reason") == 0)
			slot = &p->reason;
		else
			return fail(l, k, "unknown key '%s' in a naming policy (kind, namespace, field, pattern, "
				    "reason)", key);
		if (!text || !text[0])
			return fail(l, v ? v : k, "'%s' must be a non-empty string", key);
		if (slot)
			*slot = xstrdup(text);
	}
	if (!p->kind)
		return fail(l, item, "a naming policy needs 'kind' (a kind such as Service, or \"*\")");
	if (!pattern)
		return fail(l, item, "a naming policy needs 'pattern' (a PCRE2 pattern)");
	if (!p->field)
		p->field = xstrdup("metadata.name");
	if (parse_field(l, item, p) != 0)
		return -1;
	return compile(l, pattern, node_text(pattern), &p->pattern);
}

static int read_naming(struct loader *l, const struct node *value)
{
	struct config *c = l->config;
	size_t i, cap = 0;

	if (!node_is_seq(value))
		return fail(l, value, "'naming' must be a list of policies (kind, pattern, namespace, field, reason)");
	for (i = 0; i < value->count; i++) {
		GROW(c->naming, cap, c->naming_count + 1);
		memset(&c->naming[c->naming_count], 0, sizeof(c->naming[0]));
		c->naming_count++;
		if (read_policy(l, value->u.items[i], &c->naming[c->naming_count - 1]) != 0)
			return -1;
	}
	return 0;
}

static int read_placeholders(struct loader *l, const struct node *value)
{
	struct config *c = l->config;
	size_t i;

	if (!node_is_seq(value))
		return fail(l, value, "'placeholders' must be a list of PCRE2 patterns");
	clear_placeholders(c);
	for (i = 0; i < value->count; i++) {
		const struct node *item = value->u.items[i];
		const char *pattern = string_of(item, true);
		struct regex *r;

		if (!pattern || !pattern[0])
			return fail(l, item, "'placeholders' must be a list of PCRE2 patterns; item %zu is not one", i + 1);
		if (compile(l, item, pattern, &r) != 0)
			return -1;
		c->placeholders = xrealloc(c->placeholders, (c->placeholder_count + 1) * sizeof(*c->placeholders));
		c->placeholders[c->placeholder_count++] = r;
	}
	join_placeholders(c);
	return 0;
}

static int read_top(struct loader *l, const struct node *root)
{
	struct config *c = l->config;
	size_t i;

	if (!root || node_is_null(root))
		return 0;	/* an empty file: every default */
	if (!node_is_map(root))
		return fail(l, root, "the configuration must be a map (rules, exclude, default-namespace, "
			    "kube-version, scopes, naming, placeholders)");
	for (i = 0; i < root->count; i++) {
		const struct node *k = root->u.pairs[i].key, *v = root->u.pairs[i].value;
		const char *key = string_of(k, true);
		int rc;

		if (!key)
			key = "";
		if (strcmp(key, "rules") == 0) {
			rc = read_rules(l, v);
		} else if (strcmp(key, "exclude") == 0) {
			rc = read_globs(l, k, v, &c->exclude, &c->exclude_count);
		} else if (strcmp(key, "scopes") == 0) {
			rc = read_globs(l, k, v, &c->scopes, &c->scope_count);
			if (rc == 0 && c->scope_count > OBJECT_SCOPE_MAX)
				return fail(l, k, "'scopes' has %zu entries; at most %u are allowed", c->scope_count,
					    OBJECT_SCOPE_MAX);
		} else if (strcmp(key, "default-namespace") == 0) {
			const char *ns = string_of(v, true);

			if (!ns || !name_is_dns1123_label(ns))
				return fail(l, v ? v : k, "'default-namespace' must be a namespace name (a DNS label)");
			free(c->default_namespace);
			c->default_namespace = xstrdup(ns);
			rc = 0;
		} else if (strcmp(key, "kube-version") == 0) {
			const char *text = string_of(v, true);

			if (!text || kube_version_parse(text, &c->kube_minor) != 0)
				return fail(l, v ? v : k, "'kube-version' takes 1.MINOR (1.19 or later), not '%s'",
					    text ? text : "");
			rc = 0;
		} else if (strcmp(key, "naming") == 0) {
			rc = read_naming(l, v);
		} else if (strcmp(key, "placeholders") == 0) {
			rc = read_placeholders(l, v);
		} else {
			return fail(l, k, "unknown key '%s' (rules, exclude, default-namespace, kube-version, scopes, "
				    "naming, placeholders)", key);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* The absolute, real folder that holds path. */
static char *folder_of(const char *path, const char *cwd)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real;

	if (!slash)
		dir = xstrdup(cwd);
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	real = realpath(dir, NULL);
	if (real) {
		free(dir);
		return real;
	}
	return dir;
}

int config_load(struct config *config, const char *path, char **error)
{
	struct input in;
	struct loader l = { config, path, NULL };
	struct arena arena;
	struct doc_set docs;
	char *data = NULL, *read_error = NULL;
	size_t len = 0;

	*error = NULL;
	memset(&in, 0, sizeof(in));
	in.path = (char *)path;
	if (source_read(&in, &data, &len, &read_error) != 0) {
		*error = xasprintf("%s: %s", path, read_error);
		free(read_error);
		return -1;
	}
	free(config->path);
	config->path = xstrdup(path);
	free(config->root);
	config->root = folder_of(path, config->cwd);
	arena_init(&arena);
	doc_parse(&docs, &arena, data, len, &doc_default_limits);
	if (docs.problem_count) {
		const struct problem *p = &docs.problems[0];

		l.error = xasprintf("%s:%u:%u: %s%s", path, p->at.line, p->at.column,
				    p->kind == PROBLEM_DUPLICATE_KEY ? "duplicate key: " : "", p->message);
	} else if (docs.count > 1) {
		fail(&l, docs.documents[1].root, "the configuration is one YAML document, not %zu", docs.count);
	} else if (docs.count == 1) {
		read_top(&l, docs.documents[0].root);
	}
	free(docs.documents);
	free(docs.problems);
	arena_release(&arena);
	free(data);
	*error = l.error;
	return l.error ? -1 : 0;
}

char *config_find(const char *dir)
{
	char *ups = xstrdup("");	/* "", "../", "../../"...: how far above dir */
	unsigned int level;

	/* PATH_MAX / 3 levels is more than any real path has; it bounds the loop on odd file systems. */
	for (level = 0; level < PATH_MAX / 3; level++) {
		char *base = strcmp(dir, ".") == 0 ? xstrdup(ups) : xasprintf("%s/%s", dir, ups);
		char *candidate = xasprintf("%s%s", base, CONFIG_FILE_NAME);
		char *git = xasprintf("%s.git", base);
		char *real = realpath(base[0] ? base : ".", NULL);
		struct stat st;
		bool at_top = !real || strcmp(real, "/") == 0 || stat(git, &st) == 0;
		char *next;

		free(real);
		free(git);
		free(base);
		if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
			free(ups);
			return candidate;
		}
		free(candidate);
		if (at_top)
			break;
		next = xasprintf("%s../", ups);
		free(ups);
		ups = next;
	}
	free(ups);
	return NULL;
}

/* path made absolute against cwd, with ".", ".." and repeated slashes resolved as text. */
static char *absolute(const char *cwd, const char *path)
{
	char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", cwd, path);
	char *out = xmalloc(strlen(joined) + 2), *o = out;
	const char *s = joined;

	while (*s) {
		const char *end;
		size_t n;

		while (*s == '/')
			s++;
		end = strchr(s, '/');
		n = end ? (size_t)(end - s) : strlen(s);
		if (n == 0)
			break;
		if (n == 1 && s[0] == '.') {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > out && *--o != '/')
				;
		} else {
			*o++ = '/';
			memcpy(o, s, n);
			o += n;
		}
		s += n;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	free(joined);
	return out;
}

/* path relative to the configuration's folder, or NULL when it lies outside it. */
static char *relative(const struct config *c, const char *path)
{
	char *abs = absolute(c->cwd, path), *rel = NULL;
	size_t n = strlen(c->root);

	if (strcmp(c->root, "/") == 0)
		rel = xstrdup(abs + 1);
	else if (strncmp(abs, c->root, n) == 0 && abs[n] == '/')
		rel = xstrdup(abs + n + 1);
	free(abs);
	return rel;
}

static size_t first_match(char *const *globs, size_t count, const struct config *c, const char *path)
{
	char *rel;
	size_t i;

	if (count == 0)
		return count;
	rel = relative(c, path);
	if (!rel)
		return count;
	for (i = 0; i < count; i++)
		if (glob_match(globs[i], rel))
			break;
	free(rel);
	return i;
}

bool config_is_excluded(const struct config *config, const char *path)
{
	return first_match(config->exclude, config->exclude_count, config, path) < config->exclude_count;
}

unsigned int config_scope(const struct config *config, const char *path)
{
	size_t i = first_match(config->scopes, config->scope_count, config, path);

	return i < config->scope_count ? (unsigned int)i + 1 : 0;
}
