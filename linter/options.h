/* options.h: what a lint run is asked to do, as the CLI and the config file set it. */
#ifndef SVCLINT_OPTIONS_H
#define SVCLINT_OPTIONS_H

#include <stdbool.h>

#include "diag.h"

#define KUBE_NEWEST_MINOR 37	/* the newest Kubernetes 1.x release svclint knows */
#define KUBE_OLDEST_MINOR 19

struct config;
struct baseline;

struct lint_options {
	const char *default_namespace;	/* for objects without metadata.namespace */
	int kube_minor;			/* Kubernetes 1.<kube_minor> */
	unsigned int jobs;		/* worker threads; 0 means one per online CPU */
	bool *rule_enabled;		/* indexed like rule_table; NULL means each rule's default */
	enum severity *rule_severity;	/* indexed like rule_table; SEVERITY_NONE keeps the default */
	const char *stdin_filename;	/* the name "-" is reported under */
	const struct config *config;	/* scopes, naming policies, placeholders; NULL for none */
	const struct baseline *baseline; /* findings already known, held back; NULL for none */
	bool keep_stdin;		/* keep standard input's text in the result (source snippets) */
	/* Keep the path of every input to the end (a report that lists every file: JUnit).  Otherwise
	 * lint_run() drops the paths of files that left nothing behind (no finding, no kept object, no
	 * svclint comment), and those inputs leave result->inputs. */
	bool keep_input_paths;
};

#endif
