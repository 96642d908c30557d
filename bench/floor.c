/* floor.c: the speed floor of svclint's benchmark.  Reads every *.yaml, *.yml and *.json file under
 * the given paths into memory and runs libyaml's event parser over it, doing nothing with the events;
 * single-threaded.  Any linter built on libyaml does at least this much work, so its time over this
 * one is the price of everything else it does.
 *
 * Usage: floor PATH...    (files are read whatever their name; folders are walked recursively,
 *                          skipping entries whose name starts with '.')
 * stderr gets one line: files, bytes, and how many files libyaml rejected.  Exit status 0, or 2 when a
 * path cannot be read.
 *
 * Built as bench-floor, it links the shared libyaml on the C library's allocator: libyaml as anyone
 * links it, the floor of the goals.  Built with -DFLOOR_PARSE_POOL as bench-floor-pooled, it
 * links libyaml on svclint's parse pool (linter/parse_pool.h), as svclint does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#ifdef FLOOR_PARSE_POOL
#include "parse_pool.h"
#endif

struct floor_run {
	unsigned char *data;	/* one buffer reused for every file */
	size_t capacity;
	unsigned long long files, bytes, rejected;
	int failed;
};

static int has_manifest_suffix(const char *name)
{
	static const char *const suffixes[] = { ".yaml", ".yml", ".json" };
	size_t n = strlen(name), i, k;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		k = strlen(suffixes[i]);
		if (n > k && !strcmp(name + n - k, suffixes[i]))
			return 1;
	}
	return 0;
}

static void report(struct floor_run *run, const char *path, const char *what)
{
	fprintf(stderr, "floor: %s: %s: %s\n", path, what, strerror(errno));
	run->failed = 1;
}

/* Reads the whole file into run->data; returns its size, or -1. */
static long long read_file(struct floor_run *run, const char *path)
{
	struct stat st;
	size_t len = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		report(run, path, "cannot open");
		return -1;
	}
	if (fstat(fd, &st)) {
		report(run, path, "cannot stat");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size + 1 > run->capacity) {
		run->capacity = (size_t)st.st_size + 1;
		free(run->data);
		run->data = malloc(run->capacity);
		if (!run->data) {
			fputs("floor: out of memory\n", stderr);
			exit(2);
		}
	}
	/* a file that grew since fstat is cut at the buffer's size: good enough for a benchmark */
	while (len < run->capacity - 1 && (got = read(fd, run->data + len, run->capacity - 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			report(run, path, "cannot read");
			close(fd);
			return -1;
		}
		len += (size_t)got;
	}
	close(fd);
	return (long long)len;
}

static void parse_file(struct floor_run *run, const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
	long long len = read_file(run, path);
	int done = 0;

	if (len < 0)
		return;
	if (!yaml_parser_initialize(&parser)) {
		fputs("floor: out of memory\n", stderr);
		exit(2);
	}
	yaml_parser_set_input_string(&parser, run->data, (size_t)len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			run->rejected++;
			break;
		}
		/* after an error libyaml hands out empty events forever */
		done = event.type == YAML_STREAM_END_EVENT || event.type == YAML_NO_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
#ifdef FLOOR_PARSE_POOL
	parse_pool_release();
#endif
	run->files++;
	run->bytes += (unsigned long long)len;
}

static void walk(struct floor_run *run, const char *path, int top);

static void walk_folder(struct floor_run *run, const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	size_t n = strlen(path), k;
	char *child;

	if (!dir) {
		report(run, path, "cannot open folder");
		return;
	}
	while ((errno = 0, entry = readdir(dir))) {
		if (entry->d_name[0] == '.')
			continue;
		k = strlen(entry->d_name);
		child = malloc(n + k + 2);
		if (!child) {
			fputs("floor: out of memory\n", stderr);
			exit(2);
		}
		memcpy(child, path, n);
		child[n] = '/';
		memcpy(child + n + 1, entry->d_name, k + 1);
		/* d_type spares a stat per file; file systems that do not fill it get one */
		if (entry->d_type == DT_DIR)
			walk_folder(run, child);
		else if (entry->d_type == DT_REG && has_manifest_suffix(child))
			parse_file(run, child);
		else if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK)
			walk(run, child, 0);
		free(child);
	}
	if (errno)
		report(run, path, "cannot list folder");
	closedir(dir);
}

/* A path named on the command line is read whatever its name; one found in a folder needs a suffix. */
static void walk(struct floor_run *run, const char *path, int top)
{
	struct stat st;

	if (stat(path, &st)) {
		report(run, path, "cannot stat");
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_folder(run, path);
	else if (top || (S_ISREG(st.st_mode) && has_manifest_suffix(path)))
		parse_file(run, path);
}

int main(int argc, char **argv)
{
	struct floor_run run;
	int i = 1;

	memset(&run, 0, sizeof(run));
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fputs("usage: floor PATH...\n", stderr);
		return 2;
	}
	for (; i < argc; i++)
		walk(&run, argv[i], 1);
	free(run.data);
	fprintf(stderr, "floor: %llu files, %llu bytes, %llu rejected by libyaml\n", run.files, run.bytes, run.rejected);
	return run.failed ? 2 : 0;
}
