/* cli.c: option table, parsing, and the run that ties walking, linting and reporting together. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "engine.h"
#include "report.h"
#include "rule.h"

enum option_id {
	OPT_CONTEXT,
	OPT_DEFAULT_NAMESPACE,
	OPT_DISABLE,
	OPT_ENABLE,
	OPT_EXPLAIN,
	OPT_FAIL_ON,
	OPT_FORMAT,
	OPT_HELP,
	OPT_JOBS,
	OPT_KUBE_VERSION,
	OPT_LIST_RULES,
	OPT_OUTPUT,
	OPT_QUIET,
	OPT_STDIN_FILENAME,
	OPT_VERSION,
};

struct option_row {
	enum option_id id;
	char short_name;	/* 0 when none */
	const char *long_name;
	const char *argument;	/* NULL for a flag */
	const char *help;
};

/* Sorted by long name; --help prints them in this order. */
static const struct option_row option_table[] = {
	{ OPT_CONTEXT, 0, "context", "PATH", "load PATH only to resolve references; report nothing in it (repeatable)" },
	{ OPT_DEFAULT_NAMESPACE, 0, "default-namespace", "NS", "namespace of objects without metadata.namespace (default: default)" },
	{ OPT_DISABLE, 0, "disable", "RULE,...", "turn rules off" },
	{ OPT_ENABLE, 0, "enable", "RULE,...", "turn rules on" },
	{ OPT_EXPLAIN, 0, "explain", "RULE", "print what RULE finds, why it matters and how to fix it" },
	{ OPT_FAIL_ON, 0, "fail-on", "LEVEL", "exit 1 on findings at LEVEL or above: error (default), warning, info, never" },
	{ OPT_FORMAT, 'f', "format", "FORMAT", "output format: text (default), json" },
	{ OPT_HELP, 'h', "help", NULL, "print this help" },
	{ OPT_JOBS, 'j', "jobs", "N", "parse with N threads (default: one per online CPU)" },
	{ OPT_KUBE_VERSION, 0, "kube-version", "1.MINOR", "Kubernetes version the rules follow (default: the newest known)" },
	{ OPT_LIST_RULES, 0, "list-rules", NULL, "list every rule with its severity and summary" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write the report to FILE instead of standard output" },
	{ OPT_QUIET, 'q', "quiet", NULL, "do not print the summary line on standard error" },
	{ OPT_STDIN_FILENAME, 0, "stdin-filename", "NAME", "report standard input (-) as NAME" },
	{ OPT_VERSION, 0, "version", NULL, "print the version" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

struct cli {
	struct lint_options lint;
	const char *format;
	const char *output;
	enum severity fail_on;
	bool quiet;
	const char **paths;
	size_t path_count, paths_cap;
	const char **contexts;
	size_t context_count, contexts_cap;
	bool *enabled;
	enum severity *severities;
};

static int usage_error(const char *fmt, const char *a)
{
	fputs("svclint: ", stderr);
	fprintf(stderr, fmt, a);
	fputs("\nTry 'svclint --help'.\n", stderr);
	return EXIT_USAGE;
}

static void print_help(FILE *out)
{
	size_t i;

	fputs("usage: svclint [OPTION]... [PATH]...\n"
	      "Lint Kubernetes Services, Endpoints, EndpointSlices and ServiceMonitors.\n"
	      "PATH is a file, a folder (searched for *.yaml, *.yml, *.json) or - for standard input;\n"
	      "with no PATH, the current folder.\n\nOptions:\n", out);
	for (i = 0; i < OPTION_COUNT; i++) {
		const struct option_row *o = &option_table[i];
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
				 o->argument ? " " : "", o->argument ? o->argument : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->long_name, o->argument ? " " : "",
				 o->argument ? o->argument : "");
		fprintf(out, "  %-30s %s\n", left, o->help);
	}
	fputs("\nExit status: 0 when nothing is at or above --fail-on, 1 when something is,\n"
	      "2 for a usage error or an internal failure.\n", out);
}

static void list_rules(FILE *out)
{
	size_t i;

	for (i = 0; i < rule_count; i++)
		fprintf(out, "%-40s %-8s %s\n", rule_table[i]->id, severity_name(rule_table[i]->severity),
			rule_table[i]->summary);
}

static int explain(FILE *out, const char *id)
{
	const struct rule *r = rule_find(id, NULL);

	if (!r)
		return usage_error("unknown rule '%s' (see --list-rules)", id);
	fprintf(out, "%s (%s)\n\nWhat: %s\n\nWhy: %s\n\nFix: %s\n", r->id, severity_name(r->severity), r->summary,
		r->rationale, r->fix ? r->fix : "-");
	if (r->example)
		fprintf(out, "\nExample:\n%s", r->example);
	return EXIT_CLEAN;
}

static int set_rules(struct cli *cli, const char *list, bool on)
{
	char *copy = xstrdup(list), *save = NULL, *id;
	int rc = 0;

	for (id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		size_t pos;

		if (!rule_find(id, &pos)) {
			rc = usage_error("unknown rule '%s' (see --list-rules)", id);
			break;
		}
		cli->enabled[pos] = on;
	}
	free(copy);
	return rc;
}

static int parse_kube_version(const char *text, int *minor)
{
	char *end;
	long v;

	if (strncmp(text, "v", 1) == 0)
		text++;
	if (strncmp(text, "1.", 2) != 0)
		return -1;
	errno = 0;
	v = strtol(text + 2, &end, 10);
	if (errno || end == text + 2 || (*end && *end != '.') || v < KUBE_OLDEST_MINOR || v > 99)
		return -1;
	*minor = (int)v;
	return 0;
}

static const struct option_row *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < OPTION_COUNT; i++)
		if (strlen(option_table[i].long_name) == len && strncmp(option_table[i].long_name, name, len) == 0)
			return &option_table[i];
	return NULL;
}

static const struct option_row *find_short(char c)
{
	size_t i;

	for (i = 0; i < OPTION_COUNT; i++)
		if (option_table[i].short_name == c)
			return &option_table[i];
	return NULL;
}

/* Applies one option; returns -1 to go on, or an exit code to stop with. */
static int apply(struct cli *cli, const struct option_row *o, const char *value)
{
	long n;
	char *end;

	switch (o->id) {
	case OPT_CONTEXT:
		GROW(cli->contexts, cli->contexts_cap, cli->context_count + 1);
		cli->contexts[cli->context_count++] = value;
		return -1;
	case OPT_DEFAULT_NAMESPACE:
		cli->lint.default_namespace = value;
		return -1;
	case OPT_DISABLE:
	case OPT_ENABLE:
		return set_rules(cli, value, o->id == OPT_ENABLE) ? EXIT_USAGE : -1;
	case OPT_EXPLAIN:
		return explain(stdout, value);
	case OPT_FAIL_ON:
		if (severity_parse(value, &cli->fail_on) != 0)
			return usage_error("--fail-on takes error, warning, info or never, not '%s'", value);
		return -1;
	case OPT_FORMAT:
		if (!reporter_find(value))
			return usage_error("unknown format '%s' (text, json)", value);
		cli->format = value;
		return -1;
	case OPT_HELP:
		print_help(stdout);
		return EXIT_CLEAN;
	case OPT_JOBS:
		n = strtol(value, &end, 10);
		if (*end || n < 1 || n > 1024)
			return usage_error("--jobs takes a number from 1 to 1024, not '%s'", value);
		cli->lint.jobs = (unsigned int)n;
		return -1;
	case OPT_KUBE_VERSION:
		if (parse_kube_version(value, &cli->lint.kube_minor) != 0)
			return usage_error("--kube-version takes 1.MINOR (1.19 or later), not '%s'", value);
		return -1;
	case OPT_LIST_RULES:
		list_rules(stdout);
		return EXIT_CLEAN;
	case OPT_OUTPUT:
		cli->output = value;
		return -1;
	case OPT_QUIET:
		cli->quiet = true;
		return -1;
	case OPT_STDIN_FILENAME:
		cli->lint.stdin_filename = value;
		return -1;
	case OPT_VERSION:
		printf("svclint %s\n", SVCLINT_VERSION);
		return EXIT_CLEAN;
	}
	return -1;
}

/* Parses argv into cli; returns -1 to go on and lint, or an exit code. */
static int parse_args(struct cli *cli, int argc, char **argv)
{
	int i;
	bool only_paths = false;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct option_row *o = NULL;
		const char *value = NULL;
		int rc;

		if (only_paths || arg[0] != '-' || strcmp(arg, "-") == 0) {
			GROW(cli->paths, cli->paths_cap, cli->path_count + 1);
			cli->paths[cli->path_count++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_paths = true;
			continue;
		}
		if (arg[1] == '-') {
			const char *eq = strchr(arg + 2, '=');

			o = find_long(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
			if (!o)
				return usage_error("unknown option '%s'", arg);
			if (eq) {
				if (!o->argument)
					return usage_error("option '--%s' takes no value", o->long_name);
				value = eq + 1;
			}
		} else {
			o = find_short(arg[1]);
			if (!o)
				return usage_error("unknown option '%s'", arg);
			if (arg[2]) {
				if (!o->argument)
					return usage_error("unknown option '%s'", arg);
				value = arg + 2;
			}
		}
		if (o->argument && !value) {
			if (i + 1 >= argc)
				return usage_error("option '--%s' needs a value", o->long_name);
			value = argv[++i];
		}
		rc = apply(cli, o, value);
		if (rc >= 0)
			return rc;
	}
	return -1;
}

static int collect_inputs(struct cli *cli, struct input_list *inputs)
{
	size_t i;
	char *error;

	for (i = 0; i < cli->path_count; i++)
		if (source_walk(inputs, cli->paths[i], false, cli->lint.stdin_filename, &error) != 0) {
			usage_error("%s", error);
			free(error);
			return -1;
		}
	if (cli->path_count == 0 && source_walk(inputs, ".", false, NULL, &error) != 0) {
		usage_error("%s", error);
		free(error);
		return -1;
	}
	for (i = 0; i < cli->context_count; i++)
		if (source_walk(inputs, cli->contexts[i], true, NULL, &error) != 0) {
			usage_error("%s", error);
			free(error);
			return -1;
		}
	source_dedupe(inputs);
	return 0;
}

static void print_summary(const struct lint_result *r)
{
	fprintf(stderr, "svclint: %zu file%s, %zu object%s: %zu error%s, %zu warning%s, %zu info%s\n", r->files,
		r->files == 1 ? "" : "s", r->objects, r->objects == 1 ? "" : "s", r->counts[SEVERITY_ERROR],
		r->counts[SEVERITY_ERROR] == 1 ? "" : "s", r->counts[SEVERITY_WARNING],
		r->counts[SEVERITY_WARNING] == 1 ? "" : "s", r->counts[SEVERITY_INFO],
		r->counts[SEVERITY_INFO] == 1 ? "" : "s");
}

static int lint_and_report(struct cli *cli)
{
	struct input_list inputs = { 0 };
	struct lint_result result;
	struct report_options report = { false, SVCLINT_VERSION };
	FILE *out = stdout;
	int rc = EXIT_CLEAN, s;

	if (collect_inputs(cli, &inputs) != 0) {
		input_list_release(&inputs);
		return EXIT_USAGE;
	}
	if (lint_run(&cli->lint, &inputs, &result) != 0) {
		input_list_release(&inputs);
		fputs("svclint: internal failure\n", stderr);
		return EXIT_USAGE;
	}
	if (cli->output) {
		out = fopen(cli->output, "w");
		if (!out) {
			fprintf(stderr, "svclint: cannot write %s: %s\n", cli->output, strerror(errno));
			rc = EXIT_USAGE;
		}
	}
	if (out) {
		if (reporter_find(cli->format)->write(out, &result, &report) != 0 || fflush(out) != 0) {
			fprintf(stderr, "svclint: writing the report failed: %s\n", strerror(errno));
			rc = EXIT_USAGE;
		}
		if (out != stdout && fclose(out) != 0)
			rc = EXIT_USAGE;
	}
	if (!cli->quiet)
		print_summary(&result);
	if (rc == EXIT_CLEAN && cli->fail_on != SEVERITY_NONE)
		for (s = (int)cli->fail_on; s <= SEVERITY_ERROR; s++)
			if (result.counts[s])
				rc = EXIT_FINDINGS;
	lint_result_release(&result);
	input_list_release(&inputs);
	return rc;
}

int cli_main(int argc, char **argv)
{
	struct cli cli;
	size_t i;
	int rc;

	memset(&cli, 0, sizeof(cli));
	cli.lint.default_namespace = "default";
	cli.lint.kube_minor = KUBE_NEWEST_MINOR;
	cli.format = "text";
	cli.fail_on = SEVERITY_ERROR;
	cli.enabled = xmalloc(rule_count * sizeof(*cli.enabled) + 1);
	cli.severities = xmalloc(rule_count * sizeof(*cli.severities) + 1);
	for (i = 0; i < rule_count; i++) {
		cli.enabled[i] = true;
		cli.severities[i] = SEVERITY_NONE;
	}
	cli.lint.rule_enabled = cli.enabled;
	cli.lint.rule_severity = cli.severities;
	rc = parse_args(&cli, argc, argv);
	if (rc < 0)
		rc = lint_and_report(&cli);
	free(cli.paths);
	free(cli.contexts);
	free(cli.enabled);
	free(cli.severities);
	return rc;
}
