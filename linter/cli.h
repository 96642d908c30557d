/* cli.h: the command line: one table row per option, --help printed from the table. */
#ifndef SVCLINT_CLI_H
#define SVCLINT_CLI_H

enum exit_code {
	EXIT_CLEAN = 0,		/* nothing at or above --fail-on */
	EXIT_FINDINGS = 1,	/* something at or above --fail-on */
	EXIT_USAGE = 2,		/* bad command line, or an internal failure */
};

#define SVCLINT_VERSION "0.1.0"

/* Runs svclint with argv; returns an enum exit_code. */
int cli_main(int argc, char **argv);

#endif
