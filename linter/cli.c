/* cli.c: option table, parsing, configuration, and the run that ties walking, linting and reporting. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "baseline.h"
#include "config.h"
#include "engine.h"
#include "report.h"
#include "rule.h"

enum option_id {
	OPT_BASELINE,
	OPT_COLOR,
	OPT_CONFIG,
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
	OPT_NO_CONFIG,
	OPT_OUTPUT,
	OPT_QUIET,
	OPT_STDIN_FILENAME,
	OPT_VERSION,
	OPT_WRITE_BASELINE,
};

struct option_row {
	enum option_id id;
	char short_name;	/* 0 when none */
	const char *long_name;
	const char *argument;	/* NULL for a flag */
	const char *help;
};

/* Sorted by long name; --help, the man page test and the completion test read them in this order. */
static const struct option_row option_table[] = {
	{ OPT_BASELINE, 0, "baseline", "FILE", "report only findings FILE does not record (see --write-baseline)" },
	{ OPT_COLOR, 0, "color", "WHEN", "colour and source lines: auto (default: on a terminal, unless NO_COLOR), always, never" },
	{ OPT_CONFIG, 0, "config", "FILE", "read the configuration from FILE (default: .svclint.yaml here or above)" },
	{ OPT_CONTEXT, 0, "context", "PATH", "load PATH only to resolve references; report nothing in it (repeatable)" },
	{ OPT_DEFAULT_NAMESPACE, 0, "default-namespace", "NS", "namespace of objects without metadata.namespace (default: default)" },
	{ OPT_DISABLE, 0, "disable", "RULE,...", "turn rules off" },
	{ OPT_ENABLE, 0, "enable", "RULE,...", "turn rules on" },
	{ OPT_EXPLAIN, 0, "explain", "RULE", "print what RULE finds, why it matters and how to fix it" },
	{ OPT_FAIL_ON, 0, "fail-on", "LEVEL", "exit 1 on findings at LEVEL or above: error (default), warning, info, never" },
	{ OPT_FORMAT, 'f', "format", "FORMAT", "output format: text (default), json, sarif, junit, github" },
	{ OPT_HELP, 'h', "help", NULL, "print this help" },
	{ OPT_JOBS, 'j', "jobs", "N", "parse with N threads (default: one per online CPU)" },
	{ OPT_KUBE_VERSION, 0, "kube-version", "1.MINOR", "Kubernetes version the rules follow (default: the newest known)" },
	{ OPT_LIST_RULES, 0, "list-rules", NULL, "list every rule with its severity and summary" },
	{ OPT_NO_CONFIG, 0, "no-config", NULL, "read no configuration file" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write the report to FILE instead of standard output" },
	{ OPT_QUIET, 'q', "quiet", NULL, "do not print the summary line on standard error" },
	{ OPT_STDIN_FILENAME, 0, "stdin-filename", "NAME", "name standard input (-) NAME, in place of that file on disk" },
	{ OPT_VERSION, 0, "version", NULL, "print the version" },
	{ OPT_WRITE_BASELINE, 0, "write-baseline", "FILE", "record today's findings in FILE (atomically) and exit 0" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* --enable and --disable as given, applied in order after the configuration file. */
struct rule_switch {
	const char *list;
	bool on;
};

struct cli {
	struct lint_options lint;
	const char *format;
	const char *output;
	enum severity fail_on;
	enum color_mode color;
	bool quiet;
	bool no_config;
	const char *config_path;
	const char *baseline_path;
	const char *write_baseline_path;
	const char *default_namespace;	/* from the command line, or NULL */
	int kube_minor;			/* from the command line, or 0 */
	const char **paths;
	size_t path_count, paths_cap;
	const char **contexts;
	size_t context_count, contexts_cap;
	struct rule_switch *switches;
	size_t switch_count, switches_cap;
	bool *enabled;
	enum severity *severities;
	struct config config;
	struct baseline baseline;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	if (vasprintf(&message, fmt, ap) < 0)
		message = NULL;
	va_end(ap);
	/* What was typed may hold terminal escapes: it reaches the terminal escaped, like manifest text. */
	fputs("svclint: ", stderr);
	write_sanitized(stderr, message ? message : fmt);
	fputs("\nTry 'svclint --help'.\n", stderr);
	free(message);
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
	fputs("\nConfiguration: .svclint.yaml in the current folder or the nearest one above it (up to the\n"
	      "repository's root): rules, exclude, default-namespace, kube-version, scopes, naming,\n"
	      "placeholders.  Command-line options win over it.\n"
	      "\nExit status: 0 when nothing is at or above --fail-on, 1 when something is,\n"
	      "2 for a usage error, a bad configuration or an internal failure.\n", out);
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

/* Checks or applies a comma-separated rule list; enabled is NULL to check only. */
static int set_rules(const char *list, bool on, bool *enabled)
{
	char *copy = xstrdup(list), *save = NULL, *id;
	int rc = 0;

	for (id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		size_t pos;

		if (!rule_find(id, &pos)) {
			rc = usage_error("unknown rule '%s' (see --list-rules)", id);
			break;
		}
		if (enabled)
			enabled[pos] = on;
	}
	free(copy);
	return rc;
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

static int unknown_format(const char *value)
{
	char list[128] = "";
	size_t i, n = 0;

	for (i = 0; i < reporter_count; i++)
		n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s", i ? ", " : "",
				      reporters[i].name);
	fprintf(stderr, "svclint: unknown format '%s' (%s)\nTry 'svclint --help'.\n", value, list);
	return EXIT_USAGE;
}

/* Applies one option; returns -1 to go on, or an exit code to stop with. */
static int apply(struct cli *cli, const struct option_row *o, const char *value)
{
	long n;
	char *end;

	switch (o->id) {
	case OPT_BASELINE:
		cli->baseline_path = value;
		return -1;
	case OPT_COLOR:
		if (strcmp(value, "auto") == 0)
			cli->color = COLOR_AUTO;
		else if (strcmp(value, "always") == 0)
			cli->color = COLOR_ALWAYS;
		else if (strcmp(value, "never") == 0)
			cli->color = COLOR_NEVER;
		else
			return usage_error("--color takes auto, always or never, not '%s'", value);
		return -1;
	case OPT_CONFIG:
		cli->config_path = value;
		return -1;
	case OPT_CONTEXT:
		GROW(cli->contexts, cli->contexts_cap, cli->context_count + 1);
		cli->contexts[cli->context_count++] = value;
		return -1;
	case OPT_DEFAULT_NAMESPACE:
		cli->default_namespace = value;
		return -1;
	case OPT_DISABLE:
	case OPT_ENABLE:
		if (set_rules(value, o->id == OPT_ENABLE, NULL) != 0)
			return EXIT_USAGE;
		GROW(cli->switches, cli->switches_cap, cli->switch_count + 1);
		cli->switches[cli->switch_count].list = value;
		cli->switches[cli->switch_count++].on = o->id == OPT_ENABLE;
		return -1;
	case OPT_EXPLAIN:
		return explain(stdout, value);
	case OPT_FAIL_ON:
		if (severity_parse(value, &cli->fail_on) != 0)
			return usage_error("--fail-on takes error, warning, info or never, not '%s'", value);
		return -1;
	case OPT_FORMAT:
		if (!reporter_find(value))
			return unknown_format(value);
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
		if (kube_version_parse(value, &cli->kube_minor) != 0)
			return usage_error("--kube-version takes 1.MINOR (1.19 or later), not '%s'", value);
		return -1;
	case OPT_LIST_RULES:
		list_rules(stdout);
		return EXIT_CLEAN;
	case OPT_NO_CONFIG:
		cli->no_config = true;
		return -1;
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
	case OPT_WRITE_BASELINE:
		cli->write_baseline_path = value;
		return -1;
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

/*
 * Reads the configuration (unless --no-config) and settles every lint option: the rule table's
 * defaults, then the file, then the command line.  Returns 0, or an exit code.
 */
static int configure(struct cli *cli)
{
	size_t i;

	config_init(&cli->config);
	if (!cli->no_config) {
		char *path = cli->config_path ? xstrdup(cli->config_path) : config_find(".");
		char *error = NULL;
		int rc = path ? config_load(&cli->config, path, &error) : 0;

		free(path);
		if (rc != 0) {
			fprintf(stderr, "svclint: %s\n", error);
			free(error);
			return EXIT_USAGE;
		}
	}
	for (i = 0; i < cli->config.rule_count; i++) {
		const struct rule_setting *s = &cli->config.rules[i];

		cli->enabled[s->rule] = s->enabled;
		cli->severities[s->rule] = s->severity;
	}
	for (i = 0; i < cli->switch_count; i++)
		set_rules(cli->switches[i].list, cli->switches[i].on, cli->enabled);
	cli->lint.default_namespace = cli->default_namespace ? cli->default_namespace :
				      cli->config.default_namespace ? cli->config.default_namespace : "default";
	cli->lint.kube_minor = cli->kube_minor ? cli->kube_minor :
			       cli->config.kube_minor ? cli->config.kube_minor : KUBE_NEWEST_MINOR;
	cli->lint.config = &cli->config;
	if (cli->baseline_path && !cli->write_baseline_path) {
		char *error = NULL;

		if (baseline_load(&cli->baseline, cli->baseline_path, &error) != 0) {
			fprintf(stderr, "svclint: %s\n", error);
			free(error);
			return EXIT_USAGE;
		}
		cli->lint.baseline = &cli->baseline;
	}
	return 0;
}

static int walk(struct input_list *inputs, const char *path, bool in_context, const char *stdin_name)
{
	char *error;

	if (source_walk(inputs, path, in_context, stdin_name, &error) != 0) {
		usage_error("%s", error);
		free(error);
		return -1;
	}
	return 0;
}

static int collect_inputs(struct cli *cli, struct input_list *inputs)
{
	size_t i, kept = 0;

	for (i = 0; i < cli->path_count; i++)
		if (walk(inputs, cli->paths[i], false, cli->lint.stdin_filename) != 0)
			return -1;
	if (cli->path_count == 0 && walk(inputs, ".", false, NULL) != 0)
		return -1;
	for (i = 0; i < cli->context_count; i++)
		if (walk(inputs, cli->contexts[i], true, cli->lint.stdin_filename) != 0)
			return -1;
	source_dedupe(inputs);
	/* Excluded files are not read at all, whether named, found in a folder, or context. */
	for (i = 0; i < inputs->count; i++) {
		struct input *in = &inputs->items[i];

		if (!config_is_excluded(&cli->config, in->path))
			inputs->items[kept++] = *in;
	}
	inputs->count = kept;
	/* The list is whole, and the run holds it to its end: the room it grew into beyond that goes. */
	if (inputs->capacity > kept + 1) {
		inputs->items = xrealloc(inputs->items, (kept + 1) * sizeof(*inputs->items));
		inputs->capacity = kept + 1;
	}
	return 0;
}

/*
 * One folder to lint on several jobs: its files are linted while the walk is still finding them
 * (on a large repository the walk alone is a fifth of the run).  With one job, several paths or
 * --context, the inputs are collected first as before.
 */
static const char *fed_folder(const struct cli *cli)
{
	const char *path = cli->path_count == 1 ? cli->paths[0] : cli->path_count == 0 ? "." : NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int jobs = cli->lint.jobs ? cli->lint.jobs : cpus > 0 ? (unsigned int)cpus : 1;
	struct stat st;

	if (!path || jobs < 2 || cli->context_count || strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		return NULL;
	return path;
}

/* What collect_inputs() does to the list, done to each file as the walk finds it. */
struct fed_walk {
	struct cli *cli;
	const char *path;
	struct input_list *inputs;	/* where the feed puts what take_input() passes on */
	struct lint_feed *feed;
	struct input_identities *files;	/* the files met so far, while walking */
	bool failed;
};

static void take_input(void *context, struct input *in, const struct input_identity *identity)
{
	struct fed_walk *f = context;

	/* Identity first, as source_dedupe() comes before exclusion: an excluded file met again under
	 * another name stays out. */
	if (input_identities_add(f->files, identity) && !config_is_excluded(&f->cli->config, in->path))
		lint_feed_add(f->feed, in);
}

static void walk_fed(void *data, struct lint_feed *feed)
{
	struct fed_walk *f = data;
	struct input_list through = { 0 };
	char *error = NULL;

	f->feed = feed;
	/* Only the walk meets files twice: the set goes with it, while the files are still being linted
	 * (at 100,000 apps it is 8.9 MB). */
	f->files = input_identities_new();
	through.take = take_input;
	through.take_context = f;
	through.paths = input_list_paths(f->inputs);
	/* The folder was there a moment ago; if it is gone, it is the usage error it would have been. */
	if (source_walk(&through, f->path, false, f->cli->lint.stdin_filename, &error) != 0) {
		usage_error("%s", error);
		free(error);
		f->failed = true;
	}
	input_identities_free(f->files);
	f->files = NULL;
}

static int run_fed(struct cli *cli, const char *path, struct input_list *inputs, struct lint_result *result)
{
	struct fed_walk f = { cli, path, inputs, NULL, NULL, false };
	int rc = lint_run_fed(&cli->lint, inputs, walk_fed, &f, result);

	if (rc == 0 && f.failed) {
		lint_result_release(result);
		return 1;
	}
	return rc;
}

static void print_summary(const struct lint_result *r)
{
	fprintf(stderr, "svclint: %zu file%s, %zu object%s: %zu error%s, %zu warning%s, %zu info%s", r->files,
		r->files == 1 ? "" : "s", r->objects, r->objects == 1 ? "" : "s", r->counts[SEVERITY_ERROR],
		r->counts[SEVERITY_ERROR] == 1 ? "" : "s", r->counts[SEVERITY_WARNING],
		r->counts[SEVERITY_WARNING] == 1 ? "" : "s", r->counts[SEVERITY_INFO],
		r->counts[SEVERITY_INFO] == 1 ? "" : "s");
	if (r->suppressed && r->baselined)
		fprintf(stderr, " (%zu suppressed, %zu in the baseline)", r->suppressed, r->baselined);
	else if (r->suppressed)
		fprintf(stderr, " (%zu suppressed)", r->suppressed);
	else if (r->baselined)
		fprintf(stderr, " (%zu in the baseline)", r->baselined);
	fputc('\n', stderr);
}

/* Whether to colour: --color, then NO_COLOR (https://no-color.org), TERM and whether out is a terminal. */
static bool use_color(const struct cli *cli, FILE *out)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (cli->color != COLOR_AUTO)
		return cli->color == COLOR_ALWAYS;
	if (no_color && no_color[0])
		return false;
	if (!term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out)) == 1;
}

static int write_baseline(const struct cli *cli, const struct lint_result *result)
{
	char *error = NULL;
	size_t i, n = 0;

	if (baseline_write(cli->write_baseline_path, &result->diags, &error) != 0) {
		fprintf(stderr, "svclint: %s\n", error);
		free(error);
		return EXIT_USAGE;
	}
	for (i = 0; i < result->diags.count; i++)
		if (!result->diags.items[i]->suppressed)
			n++;
	if (!cli->quiet)
		fprintf(stderr, "svclint: wrote %zu finding%s to %s\n", n, n == 1 ? "" : "s",
			cli->write_baseline_path);
	return EXIT_CLEAN;
}

static int lint_and_report(struct cli *cli)
{
	struct input_list inputs = { 0 };
	struct lint_result result;
	struct report_options report;
	FILE *out = stdout;
	int rc = EXIT_CLEAN, s;
	const char *folder = fed_folder(cli);

	if (!folder && collect_inputs(cli, &inputs) != 0) {
		input_list_release(&inputs);
		return EXIT_USAGE;
	}
	if (cli->output && !cli->write_baseline_path) {
		out = fopen(cli->output, "w");
		if (!out) {
			fprintf(stderr, "svclint: cannot write %s: %s\n", cli->output, strerror(errno));
			input_list_release(&inputs);
			return EXIT_USAGE;
		}
	}
	memset(&report, 0, sizeof(report));
	report.version = SVCLINT_VERSION;
	report.color = strcmp(cli->format, "text") == 0 && use_color(cli, out);
	cli->lint.keep_stdin = report.color;
	cli->lint.keep_input_paths = reporter_find(cli->format)->lists_inputs;
	s = folder ? run_fed(cli, folder, &inputs, &result) : lint_run(&cli->lint, &inputs, &result);
	if (s != 0) {
		input_list_release(&inputs);
		if (out != stdout)
			fclose(out);
		if (s < 0)
			fputs("svclint: internal failure\n", stderr);
		return EXIT_USAGE;
	}
	if (cli->write_baseline_path) {
		rc = write_baseline(cli, &result);
		lint_result_release(&result);
		input_list_release(&inputs);
		return rc;
	}
	if (reporter_find(cli->format)->write(out, &result, &report) != 0 || fflush(out) != 0) {
		fprintf(stderr, "svclint: writing the report failed: %s\n", strerror(errno));
		rc = EXIT_USAGE;
	}
	if (out != stdout && fclose(out) != 0)
		rc = EXIT_USAGE;
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
	if (rc < 0) {
		rc = configure(&cli);
		if (rc == 0)
			rc = lint_and_report(&cli);
		config_release(&cli.config);
		baseline_release(&cli.baseline);
	}
	free(cli.paths);
	free(cli.contexts);
	free(cli.switches);
	free(cli.enabled);
	free(cli.severities);
	return rc;
}
