/* misuse.h - deliberate misuse programs: each boots the allocator, does one wrong thing, and
 * must be stopped by a sanitizer or the allocator with a report of the expected kind. The
 * first lines of each program say how it is built and what its report must contain:
 *   // flavour: one or more of asan, asan-seed, msan, valgrind, plain (plain: slub_debug's
 *   //          report is the catch, so the program may run on after it)
 *   // expect: <extended regex that stderr must match in every flavour>
 *   // expect <flavour>: <extended regex for that flavour only>
 */
#ifndef SLUBFUZZ_MISUSE_H
#define SLUBFUZZ_MISUSE_H

#include <stdio.h>
#include <stdlib.h>

#include "slub.h"

/* Boots one node, one cpu, default options (slub_debug as given, may be NULL). */
static inline void misuse_boot(const char *slub_debug)
{
	struct slub_config cfg;

	slub_config_default(&cfg);
	cfg.slub_debug = slub_debug;
	if (slub_boot(&cfg) != SLUB_BOOT_OK) {
		fprintf(stderr, "misuse: boot failed\n");
		exit(2);
	}
}

/* Reached only if nothing stopped the misuse: the test fails on this exit status. */
static inline int misuse_not_caught(const char *what)
{
	fprintf(stderr, "misuse: %s was NOT caught\n", what);
	return 3;
}

#endif
