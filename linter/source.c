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

/* Folders entered so far, by device and inode: an open-addressing set (capacity a power of two). */
struct visited {
	dev_t *devices;
	ino_t *inodes;
	bool *used;
	size_t count, capacity;
};

/* st: the file's status when known (its identity for source_dedupe), else NULL. */
static void add_input(struct input_list *list, const char *path, const char *read_path, bool in_context,
		      bool walked, char *error, const struct stat *st)
{
	struct input one, *in = &one;
	struct input_identity identity;

	input_make(in, input_list_paths(list), path, read_path, error);
	free(error);
	in->in_context = in_context;
	in->walked = walked;
	identity.known = st != NULL;
	identity.device = st ? st->st_dev : 0;
	identity.inode = st ? st->st_ino : 0;
	if (list->take) {
		list->take(list->take_context, in, &identity);
		return;
	}
	GROW(list->items, list->capacity, list->count + 1);
	if (list->count + 1 > list->identities_capacity) {
		size_t had = list->identities_capacity;

		/* Inputs added before a source_dedupe() that dropped the identities count as unknown. */
		GROW(list->identities, list->identities_capacity, list->count + 1);
		memset(list->identities + had, 0, (list->identities_capacity - had) * sizeof(*list->identities));
	}
	list->identities[list->count] = identity;
	list->items[list->count++] = *in;
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

static size_t visited_slot(const struct visited *v, dev_t device, ino_t inode)
{
	size_t mask = v->capacity - 1;
	size_t i = (size_t)(((unsigned long long)inode * 0x9E3779B97F4A7C15ull) ^ (unsigned long long)device) & mask;

	while (v->used[i] && !(v->devices[i] == device && v->inodes[i] == inode))
		i = (i + 1) & mask;
	return i;
}

/* Records st's folder; true when it was entered before (a symlink loop or a second way in). */
static bool seen(struct visited *v, const struct stat *st)
{
	size_t i;

	if (v->count * 2 >= v->capacity) {
		struct visited bigger = { 0 };
		size_t j;

		bigger.capacity = v->capacity ? v->capacity * 2 : 64;
		bigger.devices = xcalloc(bigger.capacity, sizeof(*bigger.devices));
		bigger.inodes = xcalloc(bigger.capacity, sizeof(*bigger.inodes));
		bigger.used = xcalloc(bigger.capacity, sizeof(*bigger.used));
		for (j = 0; j < v->capacity; j++)
			if (v->used[j]) {
				size_t k = visited_slot(&bigger, v->devices[j], v->inodes[j]);

				bigger.used[k] = true;
				bigger.devices[k] = v->devices[j];
				bigger.inodes[k] = v->inodes[j];
			}
		bigger.count = v->count;
		free(v->devices);
		free(v->inodes);
		free(v->used);
		*v = bigger;
	}
	i = visited_slot(v, st->st_dev, st->st_ino);
	if (v->used[i])
		return true;
	v->used[i] = true;
	v->devices[i] = st->st_dev;
	v->inodes[i] = st->st_ino;
	v->count++;
	return false;
}

struct input_identities {
	struct visited files;
};

struct input_identities *input_identities_new(void)
{
	return xcalloc(1, sizeof(struct input_identities));
}

bool input_identities_add(struct input_identities *set, const struct input_identity *identity)
{
	struct stat st;

	if (!identity->known)
		return true;
	memset(&st, 0, sizeof(st));
	st.st_dev = identity->device;
	st.st_ino = identity->inode;
	return !seen(&set->files, &st);
}

void input_identities_free(struct input_identities *set)
{
	if (!set)
		return;
	free(set->files.devices);
	free(set->files.inodes);
	free(set->files.used);
	free(set);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *s = xmalloc(a + b + 2);

	/* Below ".", paths read as users and pre-commit write them: "a.yaml", not "./a.yaml". */
	if (strcmp(dir, ".") == 0)
		a = 0;
	memcpy(s, dir, a);
	if (a && dir[a - 1] != '/')
		s[a++] = '/';
	memcpy(s + a, name, b + 1);
	return s;
}

/* Why a symbolic link cannot be followed, for an io-error message. */
static char *link_problem(int error)
{
	if (error == ENOENT)
		return xstrdup("broken symbolic link: its target does not exist");
	if (error == ELOOP)
		return xstrdup("symbolic link loop: too many levels of symbolic links");
	return xasprintf("broken symbolic link: %s", strerror(error));
}

/*
 * open(2) that also opens paths longer than PATH_MAX, which a deep tree in a repository holds: when
 * the kernel refuses the whole path, it goes down one folder at a time with openat(2).
 */
static int open_long(const char *path, int flags)
{
	int fd = open(path, flags), dir, saved;
	char *copy, *part, *next;

	if (fd >= 0 || errno != ENAMETOOLONG)
		return fd;
	copy = xstrdup(path);
	dir = path[0] == '/' ? open("/", O_PATH | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD;
	fd = -1;
	for (part = copy; dir != -1; part = next) {
		int sub;

		while (*part == '/')
			part++;
		next = strchr(part, '/');
		if (next)
			*next++ = '\0';
		while (next && *next == '/')
			next++;
		if (!next || !*next) {
			fd = openat(dir, part, flags);
			break;
		}
		sub = openat(dir, part, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dir != AT_FDCWD)
			close(dir);
		dir = sub;
	}
	saved = errno;
	if (dir != AT_FDCWD && dir != -1)
		close(dir);
	free(copy);
	errno = saved;
	return fd;
}

/* A folder entry, with its status read while the folder was open (fstatat: no path length limit). */
struct entry {
	char *name;
	unsigned char type;	/* d_type, DT_UNKNOWN when the file system does not say */
	int lstat_error;	/* errno of lstat, or 0 */
	int stat_error;		/* errno of stat (through links), or 0 */
	bool is_link;
	struct stat st;		/* what it is, through links, when stat_error is 0 */
};

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/*
 * One folder's names.  On Linux they are read with getdents64() from the descriptor walk_dir()
 * opened: fdopendir() adds an fstat and an fcntl per folder, a fifth of the system calls of a large
 * repository's walk.  Elsewhere, readdir().
 */
struct listing {
	int fd;
#ifdef __linux__
	_Alignas(8) char buffer[32768];
	size_t length, at;
#else
	DIR *dir;
#endif
};

struct listed {
	const char *name;
	unsigned char type;	/* DT_REG, DT_DIR, DT_LNK, DT_UNKNOWN... */
	ino_t inode;
};

/* Takes fd over (closed by listing_close(), or here on failure); false with errno set. */
static bool listing_open(struct listing *l, int fd)
{
	l->fd = fd;
#ifdef __linux__
	l->length = l->at = 0;
	return true;
#else
	l->dir = fdopendir(fd);
	if (!l->dir) {
		int saved = errno;

		close(fd);
		errno = saved;
		return false;
	}
	return true;
#endif
}

static bool listing_next(struct listing *l, struct listed *out)
{
#ifdef __linux__
	const struct dirent64 *d;

	if (l->at >= l->length) {
		ssize_t n = getdents64(l->fd, l->buffer, sizeof(l->buffer));

		if (n <= 0)
			return false;	/* the end, or an error readdir() would also have ended on */
		l->length = (size_t)n;
		l->at = 0;
	}
	d = (const struct dirent64 *)(const void *)(l->buffer + l->at);
	l->at += d->d_reclen;
	out->name = d->d_name;
	out->type = d->d_type;
	out->inode = (ino_t)d->d_ino;
	return true;
#else
	const struct dirent *e = readdir(l->dir);

	if (!e)
		return false;
	out->name = e->d_name;
	out->type = e->d_type;
	out->inode = e->d_ino;
	return true;
#endif
}

static void listing_close(struct listing *l)
{
#ifdef __linux__
	close(l->fd);
#else
	closedir(l->dir);
#endif
}

/* The entries of the folder open on fd worth looking at, in *entries and *count; closes fd.  False,
 * with errno set, when the folder cannot be listed.  (Its own function so that the listing's buffer
 * is off the stack before walk_dir() goes down.) */
static bool read_entries(int fd, const struct stat *dir_st, struct entry **entries, size_t *found)
{
	struct listing l;
	struct listed e;
	size_t count = 0, cap = 0;

	*entries = NULL;
	*found = 0;
	if (!listing_open(&l, fd))
		return false;
	while (listing_next(&l, &e)) {
		struct entry *en;
		struct stat lst;

		if (e.name[0] == '.')
			continue;	/* ., .., .git and every hidden file or folder */
		/* Regular files and folders are known from the listing: no stat call per file (a repository
		 * walk is mostly system calls otherwise).  Links and unknown types are looked at below. */
		if (e.type == DT_REG && !has_manifest_extension(e.name))
			continue;
		GROW(*entries, cap, count + 1);
		en = &(*entries)[count++];
		memset(en, 0, sizeof(*en));
		en->name = xstrdup(e.name);
		en->type = e.type;
		if (e.type == DT_REG || e.type == DT_DIR) {
			en->st.st_mode = e.type == DT_REG ? S_IFREG : S_IFDIR;
			en->st.st_dev = dir_st->st_dev;
			en->st.st_ino = e.inode;
			continue;
		}
		if (fstatat(fd, e.name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
			en->lstat_error = errno;
			continue;
		}
		en->is_link = S_ISLNK(lst.st_mode);
		if (fstatat(fd, e.name, &en->st, 0) != 0)
			en->stat_error = errno;
	}
	/* The folder is closed before going down: deep trees must not hold a descriptor per level. */
	listing_close(&l);
	*found = count;
	return true;
}

static void walk_dir(struct input_list *list, const char *path, bool in_context, struct visited *v)
{
	int fd = open_long(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
	struct entry *entries = NULL;
	size_t count, i;
	struct stat dir_st;

	if (fd >= 0 && fstat(fd, &dir_st) != 0)
		memset(&dir_st, 0, sizeof(dir_st));
	if (fd < 0 || !read_entries(fd, &dir_st, &entries, &count)) {
		add_input(list, path, NULL, in_context, true,
			  xasprintf("cannot read folder: %s", strerror(errno)), NULL);
		return;
	}
	if (count)
		qsort(entries, count, sizeof(*entries), compare_entries);
	for (i = 0; i < count; i++) {
		const struct entry *en = &entries[i];
		char *child = join(path, en->name);

		if (en->lstat_error) {
			/* A folder readable but not searchable lists names whose files cannot be reached. */
			if (en->lstat_error != ENOENT && (en->type == DT_DIR || has_manifest_extension(en->name)))
				add_input(list, child, NULL, in_context, true,
					  xasprintf(en->type == DT_DIR ? "cannot read folder: %s" : "cannot read: %s",
						    strerror(en->lstat_error)), NULL);
		} else if (en->stat_error) {
			if (en->is_link && has_manifest_extension(en->name))
				add_input(list, child, NULL, in_context, true, link_problem(en->stat_error), NULL);
		} else if (S_ISDIR(en->st.st_mode)) {
			if (!seen(v, &en->st))
				walk_dir(list, child, in_context, v);
		} else if (S_ISREG(en->st.st_mode) && has_manifest_extension(en->name) &&
			   !source_is_ignored_name(en->name)) {
			add_input(list, child, child, in_context, true, NULL, &en->st);
		}
		/* FIFOs, sockets and devices found in a folder are not manifests: passed over. */
		free(child);
		free(entries[i].name);
	}
	free(entries);
}

int source_walk(struct input_list *list, const char *path, bool in_context, const char *stdin_name,
		char **error)
{
	struct stat st;

	*error = NULL;
	if (strcmp(path, "-") == 0) {
		/* Named, standard input stands for that file: its identity is the file's. */
		bool named = stdin_name && stat(stdin_name, &st) == 0 && S_ISREG(st.st_mode);

		add_input(list, stdin_name ? stdin_name : "<stdin>", NULL, in_context, false, NULL,
			  named ? &st : NULL);
		return 0;
	}
	if (stat(path, &st) != 0) {
		struct stat lst;

		if (lstat(path, &lst) == 0) {
			/* A named broken link exists as a path: report it like an unreadable file. */
			add_input(list, path, NULL, in_context, false, link_problem(errno), NULL);
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
		free(v.used);
		return 0;
	}
	add_input(list, path, path, in_context, false, NULL, S_ISREG(st.st_mode) ? &st : NULL);
	return 0;
}

/* An input and its identity, as source_dedupe() sorts them. */
struct dedupe_entry {
	const struct input *in;
	const struct input_identity *identity;
};

/* Orders inputs by path, reported ones before context ones, then by position in the list. */
static int compare_for_dedupe(const void *pa, const void *pb)
{
	const struct input *a = ((const struct dedupe_entry *)pa)->in, *b = ((const struct dedupe_entry *)pb)->in;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->in_context != b->in_context)
		return a->in_context ? 1 : -1;
	return a < b ? -1 : (a > b);
}

/*
 * Orders inputs so that the same file comes together, the reported copy first, then input order:
 * by identity on disk when known (two spellings of one path), else as compare_for_dedupe does.
 */
static int compare_identity(const void *pa, const void *pb)
{
	const struct dedupe_entry *ea = pa, *eb = pb;
	const struct input *a = ea->in, *b = eb->in;
	const struct input_identity *ia = ea->identity, *ib = eb->identity;

	if (ia->known != ib->known)
		return ia->known ? -1 : 1;
	if (!ia->known)
		return compare_for_dedupe(pa, pb);
	if (ia->device != ib->device)
		return ia->device < ib->device ? -1 : 1;
	if (ia->inode != ib->inode)
		return ia->inode < ib->inode ? -1 : 1;
	if (a->in_context != b->in_context)
		return a->in_context ? 1 : -1;
	return a < b ? -1 : a > b;
}

static bool same_file(const struct dedupe_entry *a, const struct dedupe_entry *b)
{
	if (a->identity->known != b->identity->known)
		return false;
	if (a->identity->known)
		return a->identity->device == b->identity->device && a->identity->inode == b->identity->inode;
	return strcmp(a->in->path, b->in->path) == 0;
}

/* Drops each input whose file comes earlier in compare_identity()'s order. */
static void drop_duplicates(struct input_list *list)
{
	static const struct input_identity unknown = { 0, 0, false };
	struct dedupe_entry *order = xmalloc(list->count * sizeof(*order));
	bool *drop = xcalloc(list->count, sizeof(*drop));
	size_t i, out = 0;

	/* Sorting keeps this O(n log n): --context . over a large repository holds many inputs. */
	for (i = 0; i < list->count; i++) {
		order[i].in = &list->items[i];
		order[i].identity = list->identities ? &list->identities[i] : &unknown;
	}
	qsort(order, list->count, sizeof(*order), compare_identity);
	for (i = 1; i < list->count; i++)
		if (same_file(&order[i - 1], &order[i]))
			drop[order[i].in - list->items] = true;
	free(order);
	for (i = 0; i < list->count; i++)
		if (!drop[i])
			list->items[out++] = list->items[i];
	list->count = out;
	free(drop);
}

void source_dedupe(struct input_list *list)
{
	if (list->count >= 2)
		drop_duplicates(list);
	free(list->identities);
	list->identities = NULL;
	list->identities_capacity = 0;
}

struct arena *input_list_paths(struct input_list *list)
{
	if (!list->paths) {
		list->paths = xmalloc(sizeof(*list->paths));
		arena_init(list->paths);
	}
	return list->paths;
}

void input_make(struct input *in, struct arena *paths, const char *path, const char *read_path,
		const char *error)
{
	const char *after = error ? error : read_path && strcmp(read_path, path) != 0 ? read_path : NULL;
	size_t len = strlen(path), more = after ? strlen(after) + 1 : 0;
	char *text = arena_alloc_bytes(paths, len + 1 + more);

	memcpy(text, path, len + 1);
	if (after)
		memcpy(text + len + 1, after, more);
	memset(in, 0, sizeof(*in));
	in->path = text;
	in->has_error = error != NULL;
	in->from_stdin = !error && !read_path;
	in->read_elsewhere = !error && after != NULL;
}

void input_list_release(struct input_list *list)
{
	free(list->items);
	free(list->identities);
	if (list->paths) {
		arena_release(list->paths);
		free(list->paths);
	}
	memset(list, 0, sizeof(*list));
}

/* memmem(text, len, "{{", 2), but memchr's vector scan: glibc's memmem walks a short needle byte by
 * byte, and this runs on every byte of every file. */
static bool has_double_brace(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p + 1 < end && (p = memchr(p, '{', (size_t)(end - p - 1)))) {
		if (p[1] == '{')
			return true;
		p++;
	}
	return false;
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
	/* "{{" in a binary file is chance, not a template: the parser says it is binary. */
	if (has_double_brace(text, len) && !memchr(text, '\0', len < 8192 ? len : 8192))
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
	if (input_read_path(input)) {
		fd = open_long(input_read_path(input), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
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
			*error = xasprintf("the file is %llu bytes, larger than the limit of %u (64 MiB)",
					   (unsigned long long)st.st_size, SOURCE_MAX_BYTES);
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
		/* Standard input, or a file that grew since fstat: the limit holds for what is read. */
		if (n > SOURCE_MAX_BYTES) {
			*error = xasprintf("the input is larger than the limit of %u bytes (64 MiB)", SOURCE_MAX_BYTES);
			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			return -1;
		}
		/* A regular file read to the size fstat gave is done: no extra read() just to see EOF. */
		if (input_read_path(input) && n == (size_t)st.st_size)
			break;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
