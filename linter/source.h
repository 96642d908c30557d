/* source.h: which files a run reads, and reading them.
 *
 * source_walk() expands the paths of the command line (files, folders, "-") into a sorted list of
 * inputs.  Folders are walked recursively for *.yaml, *.yml and *.json, skipping hidden folders and
 * never entering a folder twice (symlink loops).  Problems met on the way (a broken link, a folder
 * that cannot be read) become inputs with an error, so they are reported in order with the rest.
 */
#ifndef SVCLINT_SOURCE_H
#define SVCLINT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

struct arena;

#define SOURCE_MAX_BYTES (64u * 1024 * 1024)

/* 16 bytes: a large repository has hundreds of thousands, kept to the end of the run.  What few
 * inputs need besides their path (another path to open, a problem) follows the path's NUL in the
 * same arena (input_make()); input_read_path() and input_error() find it. */
struct input {
	char *path;		/* as reported: the path given, or joined below a given folder */
	bool in_context : 1;	/* --context only: resolves references, reports nothing */
	bool walked : 1;	/* found in a folder (not named on the command line) */
	bool from_stdin : 1;	/* read from standard input */
	bool read_elsewhere : 1;	/* opened by another path than it is reported under */
	bool has_error : 1;	/* a problem found while walking: it is not read */
};

/* What to open: the path itself, another, or NULL for standard input. */
static inline const char *input_read_path(const struct input *in)
{
	if (in->from_stdin)
		return NULL;
	return in->read_elsewhere ? in->path + strlen(in->path) + 1 : in->path;
}

/* A problem found while walking, or NULL. */
static inline const char *input_error(const struct input *in)
{
	return in->has_error ? in->path + strlen(in->path) + 1 : NULL;
}

/* Fills in with path and, after it in paths, read_path when it differs (NULL: standard input) or
 * error (a problem found while walking, or NULL; an input with one is never read). */
void input_make(struct input *in, struct arena *paths, const char *path, const char *read_path,
		const char *error);

/* The file on disk behind an input (for standard input, the file --stdin-filename names, if it
 * exists), so that one file met twice under two spellings is read once. */
struct input_identity {
	dev_t device;
	ino_t inode;
	bool known;
};

struct input_list {
	struct input *items;
	size_t count, capacity;
	/* identities[i] is items[i]'s, from source_walk() until source_dedupe(), which frees them:
	 * the rest of the run does not need them. */
	struct input_identity *identities;
	size_t identities_capacity;
	/* The paths of its inputs, one arena for all (a path is not a malloc block of its own: a large
	 * repository has hundreds of thousands).  Made with the first input, freed with the list. */
	struct arena *paths;
	/* When set, each input the walk finds goes to take(), which owns it from then on, instead of
	 * being appended: that is how the engine lints files while the walk goes on. */
	void (*take)(void *context, struct input *in, const struct input_identity *identity);
	void *take_context;
};

/* A set of files on disk (device and inode), to drop a file met twice under two names. */
struct input_identities;
struct input_identities *input_identities_new(void);
/* Adds a file; false when it was there already.  Inputs without a known identity are always new. */
bool input_identities_add(struct input_identities *set, const struct input_identity *identity);
void input_identities_free(struct input_identities *set);

/*
 * Adds path's files to list.  Returns 0, or -1 when path does not exist (a usage error; *error gets
 * a message to print, which the caller frees).  stdin_name names "-".
 */
int source_walk(struct input_list *list, const char *path, bool in_context, const char *stdin_name,
		char **error);
/*
 * Drops context inputs that are also named for reporting, keeping the reported one.  Two inputs are
 * the same when they are the same file on disk (device and inode), else when their paths are equal;
 * standard input named NAME is the file NAME, so it replaces that file's copy in the context.
 */
void source_dedupe(struct input_list *list);
/* The arena that holds list's paths (made when it has none): a list that hands its inputs to
 * take() allocates their paths in the taker's list, which outlives it. */
struct arena *input_list_paths(struct input_list *list);
void input_list_release(struct input_list *list);

/* Whether svclint never lints this file by name: kustomization.yaml and the like. */
bool source_is_ignored_name(const char *path);
/* The reason a file is a helm template (under templates/ with a Chart.yaml above), or NULL. */
const char *source_helm_reason(const char *path, const char *text, size_t len);

/*
 * Reads a whole input into a malloc'd buffer (*data, *len).  Never blocks on FIFOs or devices and
 * refuses files over SOURCE_MAX_BYTES.  Returns 0, or -1 with *error set to a malloc'd message.
 */
int source_read(const struct input *input, char **data, size_t *len, char **error);

#endif
