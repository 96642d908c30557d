/* main.c: argv -> cli_main() -> exit code. */
#include "cli.h"
#include "engine.h"

int main(int argc, char **argv)
{
	lint_tune_malloc();
	return cli_main(argc, argv);
}
