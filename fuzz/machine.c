/* machine.c - booted machines kept per boot configuration, so that an input whose boot header
 * an earlier input already booted starts from that machine restored (allocator, page
 * allocator, sanitizer state and the harness's own state after boot) instead of booting, and
 * ends with a leak check instead of a shutdown. -cold (fuzz_set_cold) and targets whose point
 * is booting skip all of it. A machine's first input, and about one warm input in FZ_COLD_EVERY
 * chosen by its program's hash, are thorough: they walk every cache at teardown and end in a
 * real shutdown, as a cold input always does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "platform.h" /* fnv_step */

/* The oldest machines go while all kept take more than this much host memory. */
#define FZ_MACHINE_BYTES (256UL << 20)
#define FZ_COLD_EVERY 32

struct fz_machine {
	struct prog_boot boot; /* the key: everything the boot depends on */
	struct slub_snapshot *snap;
	struct fz_state after_boot; /* the harness as it stood when the snapshot was taken */
	unsigned long last_use;
};

static struct fz_machine fz_machines[FZ_MACHINES];
/*
 * Each kept machine's boot_hash, odd (0: no machine), in an array of their own: a lookup scans
 * 1 KB instead of touching every machine's 7 KB record (0.9 % of AFL++ samples that way).
 */
static uint32_t fz_machine_hash[FZ_MACHINES];
static unsigned long fz_uses;

int fz_cold;
/* A warm input left the allocator booted (and not restored): the next input restores it. */
static int fz_left_up;

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

static uint32_t boot_hash(const struct prog_boot *b)
{
	const unsigned char *p = (const unsigned char *)b;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(*b); i++)
		h = fnv_step(h, p[i], 16777619u);
	return h;
}

static struct fz_machine *machine_find(const struct prog_boot *b)
{
	uint32_t h = boot_hash(b) | 1;

	for (int i = 0; i < FZ_MACHINES; i++)
		if (fz_machine_hash[i] == h && !memcmp(&fz_machines[i].boot, b, sizeof(*b)))
			return &fz_machines[i];
	return NULL;
}

/* The host memory all kept snapshots hold (slub_snapshot_bytes of each). */
static size_t fz_machines_bytes;

static void machine_drop(struct fz_machine *m)
{
	fz_machines_bytes -= slub_snapshot_bytes(m->snap);
	fz_model_drop(m->snap);
	slub_snapshot_free(m->snap);
	memset(m, 0, sizeof(*m));
	fz_machine_hash[m - fz_machines] = 0;
}

/* Drops the least recently used machine other than keep; 0 if there is none. */
static int machine_drop_oldest(const struct fz_machine *keep)
{
	struct fz_machine *m = NULL;

	for (int i = 0; i < FZ_MACHINES; i++)
		if (fz_machines[i].snap && &fz_machines[i] != keep &&
		    (!m || fz_machines[i].last_use < m->last_use))
			m = &fz_machines[i];
	if (!m)
		return 0;
	machine_drop(m);
	return 1;
}

/*
 * Forgets what a warm input left booted, without a shutdown: that input's leak check (or its
 * explained panic) was judged already, and a real shutdown would only repeat it.
 */
static void machine_down(void)
{
	if (!fz_left_up)
		return;
	fz_left_up = 0;
	slub_discard();
}

/*
 * Whether a warm run is thorough is the input's own property, a hash of its program, not the
 * count of inputs before it in that process: about one input in FZ_COLD_EVERY.
 */
static int input_thorough(const struct prog *p)
{
	uint32_t h = boot_hash(&p->boot);

	for (int i = 0; i < p->nr_events; i++) {
		h = fnv_step(h, (uint32_t)p->ev[i].op, 16777619u);
		for (int a = 0; a < prog_op_nargs(p->ev[i].op); a++)
			h = fnv_step(h, (uint32_t)p->ev[i].arg[a], 16777619u);
	}
	return h % FZ_COLD_EVERY == 0;
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
	x->thorough = input_thorough(x->prog);
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
	fz_machines_bytes += slub_snapshot_bytes(m->snap);
	while (fz_machines_bytes > FZ_MACHINE_BYTES && machine_drop_oldest(m))
		;
	m->boot = x->prog->boot;
	fz_machine_hash[m - fz_machines] = boot_hash(&m->boot) | 1;
	m->last_use = ++fz_uses;
	m->after_boot = *x;
	x->warm = m->snap;
	/*
	 * A machine's first run is thorough as well: an input replayed alone, in a fresh process,
	 * gets every check any fuzzing run could have given it, so what a thorough run found
	 * reproduces from its file; and defects that show only when a full shutdown frees every
	 * slab (BUDDY_MERGE_ANY_ORDER) are seen on every new boot header, not one input in 32.
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
