/* main.c: argv -> cli_main() -> exit code. */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli.h"

int main(int argc, char **argv)
{
#if defined(M_MMAP_THRESHOLD)
	/* Blocks from 128 KiB up get pages of their own, given back when freed.  glibc's default raises
	 * that bar to the size of the largest such block freed so far, after which the index's arrays
	 * land in the heap, around holes the paths and per-file tables left that none of them fits:
	 * the peak grew by 2 MB at 100,000 apps (docs/DEVELOPING.md, "Speed and memory"). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	return cli_main(argc, argv);
}
