/* machine.c - booted machines kept per boot configuration, so that an input whose boot header
 * an earlier input already booted starts from that machine restored (allocator, page
 * allocator, sanitizer state and the harness's own state after boot) instead of booting, and
 * ends with a leak check instead of a shutdown. -cold (fuzz_set_cold) and targets whose point
 * is booting skip all of it. A machine's first input and every FZ_COLD_EVERY-th warm input are
 * thorough: they walk every cache at teardown and end in a real shutdown, as a cold input
 * always does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FZ_MACHINES 4 /* machines kept; the least recently used one goes first */
#define FZ_COLD_EVERY 32

struct fz_machine {
	struct prog_boot boot; /* the key: everything the boot depends on */
	struct slub_snapshot *snap;
	struct fz_state after_boot; /* the harness as it stood when the snapshot was taken */
	unsigned long last_use;
};

static struct fz_machine fz_machines[FZ_MACHINES];
static unsigned long fz_uses;
static unsigned long fz_warm_runs;
int fz_cold;
/* A warm input left the allocator booted (and not restored): the next input restores it. */
static int fz_left_up;
/* ... after a known finding (fuzz/known.c) the run went on past: its shutdown may leak. */
static int fz_left_dirty;

static int warm_allowed(const struct fz_state *x)
{
	return !fz_cold && !x->target->cold;
}

#ifdef FZ_AFL_DRIVER
/*
 * AFL++'s selective coverage. Whether an input boots or restores depends on the inputs before
 * it, so the edges of booting, restoring and shutting down would vary between runs of one
 * input, and AFL++ would call most of the map unstable. Where machines are kept, those parts
 * are left out of the map; what the events do (and teardown) is the same either way. The
 * slub_boot target, which always boots, keeps its boot in the map.
 */
int __afl_selective_coverage = 1;
void __afl_coverage_on(void);
void __afl_coverage_off(void);

void fz_machine_coverage(const struct fz_state *x, int on)
{
	if (!warm_allowed(x))
		return;
	if (on)
		__afl_coverage_on();
	else
		__afl_coverage_off();
}
#else
void fz_machine_coverage(const struct fz_state *x, int on)
{
	(void)x;
	(void)on;
}
#endif

static struct fz_machine *machine_find(const struct prog_boot *b)
{
	for (int i = 0; i < FZ_MACHINES; i++)
		if (fz_machines[i].snap && !memcmp(&fz_machines[i].boot, b, sizeof(*b)))
			return &fz_machines[i];
	return NULL;
}

static void machine_drop(struct fz_machine *m)
{
	fz_model_drop(m->snap);
	slub_snapshot_free(m->snap);
	memset(m, 0, sizeof(*m));
}

/* Shuts down what a warm input left booted: the run before was checked already. */
static void machine_down(void)
{
	unsigned long leaked;

	if (!fz_left_up)
		return;
	fz_left_up = 0;
	leaked = slub_shutdown();
	if (fz_left_dirty) {
		fz_left_dirty = 0;
		return;
	}
	if (leaked) {
		fprintf(stderr, "slubfuzz: internal error: a machine that passed its leak check "
				"left %lu pages at shutdown\n", leaked);
		abort();
	}
}

int fz_machine_resume(struct fz_state *x)
{
	struct fz_machine *m;
	struct fz_state now;

	if (!warm_allowed(x)) {
		machine_down();
		return 0;
	}
	m = machine_find(&x->prog->boot);
	if (!m) {
		machine_down();
		return 0;
	}
	slub_snapshot_restore(m->snap);
	m->last_use = ++fz_uses;
	/* the harness as after that boot, but for what belongs to this input */
	now = *x;
	*x = m->after_boot;
	x->target = now.target;
	x->prog = now.prog;
	x->workload = now.workload;
	x->warm = m->snap;
	x->thorough = ++fz_warm_runs % FZ_COLD_EVERY == 0;
	return 1;
}

void fz_machine_keep(struct fz_state *x)
{
	struct fz_machine *m = &fz_machines[0];

	if (!warm_allowed(x))
		return;
	for (int i = 1; i < FZ_MACHINES; i++)
		if (!fz_machines[i].snap || (m->snap && fz_machines[i].last_use < m->last_use))
			m = &fz_machines[i];
	if (m->snap)
		machine_drop(m);
	m->snap = slub_snapshot_save();
	if (!m->snap)
		return; /* out of host memory, or a Valgrind build: this input stays cold */
	m->boot = x->prog->boot;
	m->last_use = ++fz_uses;
	m->after_boot = *x;
	x->warm = m->snap;
	/*
	 * A machine's first run is thorough: an input replayed alone, in a fresh process, gets
	 * every check any fuzzing run could have given it, so what a thorough run found there
	 * reproduces from its file.
	 */
	x->thorough = 1;
	fz_model_keep(m->snap);
}

/*
 * The end of a run that did not fail: a warm run checks for leaks and leaves the machine up
 * for the next restore; a cold run (and every FZ_COLD_EVERY-th warm one) shuts down. Returns
 * the pages shutdown found leaked, or the problems the warm check found, 0 when clean.
 */
unsigned long fz_machine_finish(struct fz_state *x, char *why, size_t why_len)
{
	long bad;

	why[0] = '\0';
	if (x->warm && !x->thorough) {
		bad = slub_snapshot_leaks(x->warm, why, why_len);
		if (bad >= 0) {
			fz_left_up = 1;
			return (unsigned long)bad;
		}
	}
	return slub_shutdown();
}

/* After an explained panic: nothing to check; a warm machine is simply restored next time. */
void fz_machine_discard(struct fz_state *x)
{
	if (x->warm)
		fz_left_up = 1;
	else
		slub_shutdown();
}

/* A known finding was passed over: what this input leaves up is not clean (machine_down). */
void fz_machine_known_finding(void)
{
	fz_left_dirty = 1;
}
