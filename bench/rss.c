/* rss.c: runs one command and reports its wall time, CPU time and peak resident memory, for the
 * benchmark script (GNU time is not installed everywhere, and bash's `time` cannot see memory).
 *
 * Usage: rss [-o FILE] COMMAND [ARG...]
 *
 * The command inherits stdin, stdout and stderr.  When it has finished, one line goes to FILE
 * (default: stderr):
 *     wall=SECONDS user=SECONDS sys=SECONDS maxrss_kb=KB status=N
 * where N is the command's exit status, 128 + the signal that killed it, or 127 when it could not be
 * started.  rss itself exits 0 once it has reported, whatever the command's status, so that a
 * caller under `set -e` reads the status from the report; it exits 2 on its own errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds_between(const struct timespec *start, const struct timespec *end)
{
	return (double)(end->tv_sec - start->tv_sec) + (double)(end->tv_nsec - start->tv_nsec) / 1e9;
}

static double timeval_seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec start, end;
	struct rusage usage;
	const char *out_path = NULL;
	FILE *out = stderr;
	pid_t pid;
	int i = 1, wstatus, status;

	if (i + 1 < argc && !strcmp(argv[i], "-o")) {
		out_path = argv[i + 1];
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fputs("usage: rss [-o FILE] COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rss: cannot fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "rss: cannot run '%s': %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &wstatus, 0, &usage) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rss: wait: %s\n", strerror(errno));
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 255;

	if (out_path) {
		out = fopen(out_path, "w");
		if (!out) {
			fprintf(stderr, "rss: cannot create '%s': %s\n", out_path, strerror(errno));
			return 2;
		}
	}
	/* Linux reports ru_maxrss in kilobytes */
	fprintf(out, "wall=%.6f user=%.3f sys=%.3f maxrss_kb=%ld status=%d\n", seconds_between(&start, &end),
		timeval_seconds(&usage.ru_utime), timeval_seconds(&usage.ru_stime), usage.ru_maxrss, status);
	if (out_path && fclose(out)) {
		fprintf(stderr, "rss: cannot write '%s': %s\n", out_path, strerror(errno));
		return 2;
	}
	return 0;
}
