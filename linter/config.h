/* config.h: the configuration file (.svclint.yaml), read through doc.c, and what it decides.
 *
 * A struct config owns everything in it, compiled patterns included; config_release() frees it all.
 * After loading it is read-only, so worker threads share it.  Globs (exclude, scopes) are relative to
 * the folder that holds the configuration file (the current folder when there is none); see glob.h.
 * Errors are values: a malloc'd "FILE:LINE:COL: message" that the caller prints (exit 2).
 */
#ifndef SVCLINT_CONFIG_H
#define SVCLINT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "regex.h"

#define CONFIG_FILE_NAME ".svclint.yaml"

/* A rule's setting from the rules: map. */
struct rule_setting {
	size_t rule;			/* position in rule_table */
	bool enabled;
	enum severity severity;		/* SEVERITY_NONE keeps the rule's own */
};

/* One step of a field path: a key, or every item of a list ("ports[]"). */
struct field_step {
	char *key;
	bool each;			/* the key's value is a list: visit every item */
};

/* A naming policy: the value at field of every object of kind (in namespace) must match pattern. */
struct naming_policy {
	char *kind;			/* "Service", or "*" for every kind */
	char *namespace;		/* a glob over the object's namespace, or NULL for any */
	char *field;			/* as written, e.g. "metadata.name" or "spec.ports[].name" */
	struct field_step *steps;
	size_t step_count;
	struct regex *pattern;
	char *reason;			/* why the policy exists, for the message, or NULL */
	unsigned int line, column;	/* of the policy in the config file, for notes */
};

struct config {
	char *path;			/* the file read, or NULL when defaults only */
	char *root;			/* absolute folder the globs are relative to */
	char *cwd;			/* absolute current folder, to place relative inputs */

	struct rule_setting *rules;
	size_t rule_count;
	char **exclude;
	size_t exclude_count;
	char **scopes;			/* a file's scope is 1 + the first that matches, else 0 */
	size_t scope_count;
	char *default_namespace;	/* NULL when not set */
	int kube_minor;			/* 0 when not set */
	struct naming_policy *naming;
	size_t naming_count;
	struct regex **placeholders;	/* the defaults unless the file lists its own */
	size_t placeholder_count;
	/* A first test every value passes through: the placeholders joined in two patterns, those
	 * anchored at the start (tried at the first character only) and the rest (found by their
	 * first characters).  placeholders_joined is false when they could not be joined. */
	struct regex *any_anchored_placeholder;
	struct regex *any_floating_placeholder;
	bool placeholders_joined;
};

/* The placeholder patterns used when the configuration lists none. */
extern const char *const config_default_placeholders[];
extern const size_t config_default_placeholder_count;

/* A configuration with no file: every default, globs relative to the current folder. */
void config_init(struct config *config);
/*
 * Reads the configuration file at path into config (which config_init() prepared).  Returns 0, or
 * -1 with *error set to a malloc'd message placed in the file ("cfg.yaml:3:5: unknown key 'x'").
 */
int config_load(struct config *config, const char *path, char **error);
void config_release(struct config *config);

/*
 * The configuration file that applies in folder dir: dir's own .svclint.yaml, else the nearest one
 * above it, stopping after a folder that holds .git (a repository's root).  Returns a malloc'd path
 * relative to dir's own form (".svclint.yaml", "../../.svclint.yaml", "d/../.svclint.yaml"), so that
 * messages about the file stay short, or NULL when there is none.
 */
char *config_find(const char *dir);

/* Whether the exclude globs cover path (as given on the command line or found in a folder). */
bool config_is_excluded(const struct config *config, const char *path);
/* The scope of path: 0, or 1 + the index of the first scope glob that covers it. */
unsigned int config_scope(const struct config *config, const char *path);

/* Parses "1.33" or "v1.33" (1.19 or later); returns 0, or -1 for anything else. */
int kube_version_parse(const char *text, int *minor);

#endif
