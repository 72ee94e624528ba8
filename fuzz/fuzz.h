/* fuzz.h - the harness as targets and drivers see it: run one input as a program, and the
 * few controls the replay driver needs (verbosity, the trace digest). */
#ifndef SLUBFUZZ_FUZZ_H
#define SLUBFUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct prog;

struct fuzz_target {
	const char *name; /* the binary's, corpus directory's and dictionary's name */
	int max_events; /* events of the input that run; the rest are ignored */
	/* Events run after the input's (a fixed workload), or NULL. Parsed from text once. */
	const char *workload_text;
	/* Non-zero: every input boots and shuts down (the target's point is booting). */
	int cold;
};

/* The libFuzzer entry point every target defines, and every driver calls. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Decodes data into a program and runs it: boot, events, workload, teardown, with the oracle
 * checking after every event. Returns 0; a finding prints its report and aborts.
 */
int fuzz_run(const struct fuzz_target *t, const uint8_t *data, size_t size);

/* 0: quiet; 1: print each program before running it; 2: also echo printk and dump state. */
void fuzz_set_verbose(int level);
/*
 * Non-zero: every input on a freshly booted machine with a full shutdown after it. By default
 * a machine booted for an earlier input with the same boot header is restored instead, and
 * the run ends with a leak check (machine.c); both give every input the same digest.
 */
void fuzz_set_cold(int on);
/* Non-zero: run the allocator's strict checker after every event (slower; for repro). */
void fuzz_set_check_all(int on);
/* The trace digest of the last run: a hash of every event's outcome. */
uint64_t fuzz_last_digest(void);
/* The target that ran last (for the replay driver's messages). */
const char *fuzz_last_target(void);
/* Bytes of the boot header that opens every input (all zero: the default machine). */
size_t fuzz_header_size(void);
/* "seed" or "fixed", as built. */
const char *fuzz_bootstrap_name(void);
/* " BOOTSTRAP=... [NUMA=0] [BUG=...] [KNOWN=...]": what a reproduce line adds to TARGET= */
const char *fuzz_repro_args(void);

#endif
