/* harness.c - the entry every target calls: decode the input, run it, keep its digest. The
 * program and run state are static buffers, fully reset per input; nothing carries over
 * between inputs but the allocator's reserved arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bugs.h"
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
	static int interleave_installed;
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

	if (!interleave_installed) { /* the engines' feedback: which yield sites switched */
		interleave_installed = 1;
		fz_interleave_install();
		fz_mutate_share(); /* and the schedule mutator's, when it runs in afl-fuzz */
	}
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

/*
 * The build this harness is, as make variables, so that every reproduce line (the oracle's,
 * the replay driver's) works when pasted: BUG=<entry> is the catalog entry whose
 * SLUB_BUG_<entry> is defined (-D makes it 1; FZ_IF_ONE expands to its second argument only
 * then).
 */
#define FZ_ONE_1 ,
#define FZ_PICK(a, b, ...) b
#define FZ_IF_ONE(m, s) FZ_IF_ONE2(m, s) /* m expanded: 1 when -D defined it */
#define FZ_IF_ONE2(m, s) FZ_IF_ONE_(FZ_ONE_##m, s)
#define FZ_IF_ONE_(m, s) FZ_PICK(m s, "", )
#define FZ_BUG_ENTRY(name, where, what) FZ_IF_ONE(SLUB_BUG_##name, " BUG=" #name)
static const char build_args[] =
#ifdef SLUB_BOOTSTRAP_SEED
	" BOOTSTRAP=seed"
#else
	" BOOTSTRAP=fixed"
#endif
#ifdef SLUB_CONFIG_NONUMA
	" NUMA=0"
#endif
	SLUB_BUG_CATALOG(FZ_BUG_ENTRY) SLUB_HISTORY_CATALOG(FZ_BUG_ENTRY);

/* " BOOTSTRAP=... [NUMA=0] [BUG=...] [KNOWN=...]": the build and the known list this run applies */
const char *fuzz_repro_args(void)
{
	static char args[4300];
	char known_tail[4200] = "";
	const char *known = getenv("SLUBFUZZ_KNOWN");
	char def[64], cwd[4096];
	size_t n;

	if (args[0])
		return args;
	/* make repro applies corpus/known/<bootstrap>.txt unless told otherwise */
	snprintf(def, sizeof(def), "corpus/known/%s.txt", fuzz_bootstrap_name());
	/* a path under the current folder is said relative to it: shorter, and still works */
	if (known && getcwd(cwd, sizeof(cwd)) && (n = strlen(cwd)) && !strncmp(known, cwd, n) &&
	    known[n] == '/')
		known += n + 1;
	if (known && *known)
		snprintf(known_tail, sizeof(known_tail), " KNOWN=%s", known);
	else if (access(def, R_OK) == 0)
		snprintf(known_tail, sizeof(known_tail), " KNOWN=none");
	snprintf(args, sizeof(args), "%s%s", build_args, known_tail);
	return args;
}
