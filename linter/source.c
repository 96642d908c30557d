/* source.c: walking folders and reading files without ever blocking or looping. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

struct visited {
	dev_t *devices;
	ino_t *inodes;
	size_t count, capacity;
};

static void add_input(struct input_list *list, const char *path, const char *read_path, bool in_context,
		      bool walked, char *error)
{
	struct input *in;

	GROW(list->items, list->capacity, list->count + 1);
	in = &list->items[list->count++];
	in->path = xstrdup(path);
	in->read_path = read_path ? xstrdup(read_path) : NULL;
	in->in_context = in_context;
	in->walked = walked;
	in->error = error;
}

static bool has_manifest_extension(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

bool source_is_ignored_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0 ||
	       strcmp(base, "Chart.yaml") == 0 || strcmp(base, "Chart.lock") == 0 || strcmp(base, ".pre-commit-hooks.yaml") == 0 ||
	       strcmp(base, ".pre-commit-config.yaml") == 0 || strcmp(base, ".svclint.yaml") == 0;
}

static bool seen(struct visited *v, const struct stat *st)
{
	size_t i;

	for (i = 0; i < v->count; i++)
		if (v->devices[i] == st->st_dev && v->inodes[i] == st->st_ino)
			return true;
	if (v->count == v->capacity) {
		size_t cap = v->capacity;

		GROW(v->devices, cap, v->count + 1);
		cap = v->capacity;
		GROW(v->inodes, cap, v->count + 1);
		v->capacity = cap;
	}
	v->devices[v->count] = st->st_dev;
	v->inodes[v->count] = st->st_ino;
	v->count++;
	return false;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *s = xmalloc(a + b + 2);

	memcpy(s, dir, a);
	if (a && dir[a - 1] != '/')
		s[a++] = '/';
	memcpy(s + a, name, b + 1);
	return s;
}

static void walk_dir(struct input_list *list, const char *path, bool in_context, struct visited *v)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, cap = 0, i;

	if (!dir) {
		add_input(list, path, NULL, in_context, true,
			  xasprintf("cannot read folder: %s", strerror(errno)));
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;	/* ., .., .git and every hidden file or folder */
		GROW(names, cap, count + 1);
		names[count++] = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(names, count, sizeof(*names), compare_names);
	for (i = 0; i < count; i++) {
		char *child = join(path, names[i]);
		struct stat lst, st;

		if (lstat(child, &lst) != 0) {
			free(child);
			continue;
		}
		if (stat(child, &st) != 0) {
			if (S_ISLNK(lst.st_mode) && has_manifest_extension(names[i]))
				add_input(list, child, NULL, in_context, true,
					  xasprintf("broken symbolic link: %s", strerror(errno)));
		} else if (S_ISDIR(st.st_mode)) {
			if (!seen(v, &st))
				walk_dir(list, child, in_context, v);
		} else if (S_ISREG(st.st_mode) && has_manifest_extension(names[i]) &&
			   !source_is_ignored_name(names[i])) {
			add_input(list, child, child, in_context, true, NULL);
		}
		/* FIFOs, sockets and devices found in a folder are not manifests: passed over. */
		free(child);
		free(names[i]);
	}
	free(names);
}

int source_walk(struct input_list *list, const char *path, bool in_context, const char *stdin_name,
		char **error)
{
	struct stat st;

	*error = NULL;
	if (strcmp(path, "-") == 0) {
		add_input(list, stdin_name ? stdin_name : "<stdin>", NULL, in_context, false, NULL);
		return 0;
	}
	if (stat(path, &st) != 0) {
		struct stat lst;

		if (lstat(path, &lst) == 0) {
			/* A named broken link exists as a path: report it like an unreadable file. */
			add_input(list, path, NULL, in_context, false,
				  xasprintf("broken symbolic link: %s", strerror(errno)));
			return 0;
		}
		*error = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct visited v = { 0 };

		seen(&v, &st);
		walk_dir(list, path, in_context, &v);
		free(v.devices);
		free(v.inodes);
		return 0;
	}
	add_input(list, path, path, in_context, false, NULL);
	return 0;
}

void source_dedupe(struct input_list *list)
{
	size_t i, j, out = 0;

	for (i = 0; i < list->count; i++) {
		struct input *in = &list->items[i];
		bool drop = false;

		for (j = 0; j < list->count && !drop; j++) {
			const struct input *other = &list->items[j];

			if (j == i || strcmp(in->path, other->path) != 0)
				continue;
			/* The same file twice: keep the reported one, or the first. */
			if (in->in_context && !other->in_context)
				drop = true;
			else if (in->in_context == other->in_context && j < i)
				drop = true;
		}
		if (drop) {
			free(in->path);
			free(in->read_path);
			free(in->error);
			continue;
		}
		list->items[out++] = *in;
	}
	list->count = out;
}

void input_list_release(struct input_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		free(list->items[i].path);
		free(list->items[i].read_path);
		free(list->items[i].error);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

const char *source_helm_reason(const char *path, const char *text, size_t len)
{
	const char *t = strstr(path, "/templates/");
	bool under_templates = strncmp(path, "templates/", 10) == 0 || t != NULL;

	if (under_templates) {
		/* A Chart.yaml in the folder above templates/ makes it a chart. */
		size_t prefix = t ? (size_t)(t - path) : 0;
		char *chart = xmalloc(prefix + sizeof("/Chart.yaml") + 1);
		struct stat st;
		bool is_chart;

		if (t)
			memcpy(chart, path, prefix);
		memcpy(chart + prefix, t ? "/Chart.yaml" : "Chart.yaml", t ? 12 : 11);
		is_chart = stat(chart, &st) == 0;
		free(chart);
		if (is_chart)
			return "a Helm chart template (templates/ below a Chart.yaml)";
	}
	if (len >= 2 && memmem(text, len, "{{", 2))
		return "it holds {{ template markers }}";
	return NULL;
}

int source_read(const struct input *input, char **data, size_t *len, char **error)
{
	int fd;
	struct stat st;
	size_t cap, n = 0;
	char *buf;

	*data = NULL;
	*len = 0;
	*error = NULL;
	if (input->read_path) {
		fd = open(input->read_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			*error = xasprintf("cannot open: %s", strerror(errno));
			return -1;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			*error = xstrdup("not a regular file (a folder, FIFO or device)");
			close(fd);
			return -1;
		}
		if ((unsigned long long)st.st_size > SOURCE_MAX_BYTES) {
			*error = xstrdup("the file is larger than the limit of 64 MiB");
			close(fd);
			return -1;
		}
		cap = (size_t)st.st_size + 1;
	} else {
		fd = STDIN_FILENO;
		cap = 64 * 1024;
	}
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > SOURCE_MAX_BYTES) {
				*error = xstrdup("the input is larger than the limit of 64 MiB");
				free(buf);
				if (fd != STDIN_FILENO)
					close(fd);
				return -1;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*error = xasprintf("cannot read: %s", strerror(errno));
			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
