/* harness.c - the entry every target calls: decode the input, run it, keep its digest. The
 * program and run state are static buffers, fully reset per input; nothing carries over
 * between inputs but the allocator's reserved arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int fz_verbose;
int fz_check_all;

static struct prog fz_program;
static struct fz_state fz_run_state;
static uint64_t fz_last;
static const char *fz_last_name = "?";

/* Each target's workload, parsed from its text on first use (immutable afterwards). */
static struct {
	const char *text;
	struct prog prog;
} fz_workloads[4];

static const struct prog *workload_for(const struct fuzz_target *t)
{
	char err[256];
	size_t i;

	if (!t->workload_text)
		return NULL;
	for (i = 0; i < sizeof(fz_workloads) / sizeof(fz_workloads[0]); i++) {
		if (fz_workloads[i].text == t->workload_text)
			return &fz_workloads[i].prog;
		if (!fz_workloads[i].text)
			break;
	}
	if (i == sizeof(fz_workloads) / sizeof(fz_workloads[0]) ||
	    prog_parse(&fz_workloads[i].prog, t->workload_text, err, sizeof(err))) {
		fprintf(stderr, "slubfuzz: %s: the built-in workload does not parse: %s\n", t->name,
			err);
		abort();
	}
	fz_workloads[i].text = t->workload_text;
	return &fz_workloads[i].prog;
}

int fuzz_run(const struct fuzz_target *t, const uint8_t *data, size_t size)
{
	struct fz_state *x = &fz_run_state;
#ifdef FZ_AFL_DRIVER
	/*
	 * libAFLDriver calls the target once with a short dummy ("####" in AFL++ 4.04c) before
	 * its loop, to keep initialisation out of the coverage map, and the fork server's
	 * children inherit what that call left. The call is no test case: run, it would be the
	 * default machine, which the seed variant fails on every boot, so AFL++ would take every
	 * seed input for a crash and refuse to start.
	 */
	static int afl_warmed_up;

	if (!afl_warmed_up) {
		afl_warmed_up = 1;
		if (size < prog_header_size())
			return 0;
	}
#endif

	fz_known_input(data, size);
	prog_decode(&fz_program, data, size, t->max_events);
	memset(x, 0, sizeof(*x));
	x->target = t;
	x->prog = &fz_program;
	x->workload = workload_for(t);
	fz_last_name = t->name;
	if (fz_verbose) {
		fprintf(stderr, "==slubfuzz== %s: %zu bytes, %d events\n", t->name, size,
			fz_program.nr_events);
		prog_print(stderr, &fz_program, -1);
	}
	slub_set_printk_echo(fz_verbose >= 2);
	fz_exec(x);
	fz_last = (uint64_t)x->digest[0] << 32 | x->digest[1];
	return 0;
}

void fuzz_set_verbose(int level)
{
	fz_verbose = level;
}

void fuzz_set_cold(int on)
{
	fz_cold = on;
}

void fuzz_set_check_all(int on)
{
	fz_check_all = on;
}

uint64_t fuzz_last_digest(void)
{
	return fz_last;
}

const char *fuzz_last_target(void)
{
	return fz_last_name;
}

size_t fuzz_header_size(void)
{
	return prog_header_size();
}

const char *fuzz_bootstrap_name(void)
{
#ifdef SLUB_BOOTSTRAP_SEED
	return "seed";
#else
	return "fixed";
#endif
}
