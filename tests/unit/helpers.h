/* helpers.h - shared fixtures for the allocator unit tests: booting a configuration, counting
 * reports, and failing chosen page allocations. */
#ifndef SLUBFUZZ_TEST_HELPERS_H
#define SLUBFUZZ_TEST_HELPERS_H

#include "slub_def.h"
#include "test.h"

/* Reports seen since the last helpers_reset_reports(), by kind; the last message kept. */
extern int reports_seen[SLUB_REPORT_PANIC + 1];
extern char last_report[512];
void helpers_reset_reports(void);
/* Installs the counting report hook (quiet: nothing printed unless TEST_VERBOSE is set). */
void helpers_install_report_hook(void);

/* Page-allocation failure injection: fail request number `first` (0-based since the hook was
 * armed) and, if `count` > 1, the count-1 after it; count < 0 fails every one from first. */
void helpers_fail_pages(long first, long count);
void helpers_fail_none(void);
/* Requests the hook has seen since it was armed. */
extern long pages_asked;

/* The default config with nodes nodes of pages pages each and cpus cpus. */
void helpers_config(struct slub_config *cfg, int nodes, int cpus, unsigned int pages);

/* Boots cfg with the counting hooks; REQUIREs success in the calling test. */
int helpers_boot(const struct slub_config *cfg);
/* Shuts down and returns leaked pages + leak reports (0 on a clean run). */
unsigned long helpers_shutdown(void);

/* A small mixed workload over every cpu and node; frees all it allocates. Returns 0 on
 * success, or a line number where an expectation failed. */
int helpers_workload(unsigned int seed);

#endif
