/* interleave.c - interleaving coverage: each switch between simulated CPUs, as the pair of
 * yield sites it joined, and each interrupt or migration, as the site it fired at, bumps a
 * counter of its own that the fuzzing engine keeps inputs for (libFuzzer's extra counters, a
 * slot of AFL++'s map). The switch hook is installed in fuzzing builds only. */
#include "harness.h"

/*
 * A pair is (from site, to site), each a site key below SLUB_SITE_KEYS or SLUB_SITE_KEYS for a
 * fiber's first run. Keys fold into FZ_IL_BUCKETS buckets a side: SLUB_SITE_KEYS^2 (63,504)
 * counters would be mostly never met, and libFuzzer clears and scans every extra counter
 * after each input, AFL++ every byte of its map (slub_ops's has 7,532 edges: 63,504 more
 * would be nine times the map). 64 x 64 = 4 KB costs microseconds next to an input's
 * milliseconds, while the allocator's yield sites keep nearly all their pairs apart: the 27
 * that a mixed workload with shrink, validate and cpu hotplug meets (a lock class per
 * function, irq-on, page-allocation and might_sleep points; 2026-12-07) fill 23 of the 63
 * buckets. A fiber's first run has a bucket of its own, so "started here" aliases no site.
 */
#define FZ_IL_BUCKETS 64
#define FZ_IL_PAIRS (FZ_IL_BUCKETS * FZ_IL_BUCKETS)
/*
 * After the pairs, a row for each way the harness takes a task off its path at a yield site:
 * an interrupt there, a migration there (hooks.c, `irq_at`, `migrate_at`; a page request,
 * `irq` and `migrate`, is the bucket past the sites'), so that an input interrupting a path at
 * a new site is kept as one reaching a new interleaving is.
 */
#define FZ_IL_SLOTS (FZ_IL_PAIRS + 2 * FZ_IL_BUCKETS)

static uint32_t il_bucket(uint32_t site)
{
	return site >= SLUB_SITE_KEYS ? FZ_IL_BUCKETS - 1 : site % (FZ_IL_BUCKETS - 1);
}

uint32_t fz_interleave_slot(uint32_t from_site, uint32_t to_site)
{
	return il_bucket(from_site) * FZ_IL_BUCKETS + il_bucket(to_site);
}

uint32_t fz_interleave_point_slot(int migration, int site)
{
	return FZ_IL_PAIRS + (migration ? FZ_IL_BUCKETS : 0) +
	       il_bucket(site < 0 ? SLUB_SITE_KEYS : (uint32_t)site);
}

uint32_t fz_interleave_slots(void)
{
	return FZ_IL_SLOTS;
}

/*
 * libFuzzer reads the section __libfuzzer_extra_counters as 8-bit counters of its own, next to
 * the edges. Outside libFuzzer the section is an ordinary array that nothing reads.
 */
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t
	il_counters[FZ_IL_SLOTS];

uint8_t fz_interleave_count(uint32_t slot)
{
	return slot < FZ_IL_SLOTS ? il_counters[slot] : 0;
}

#ifdef __AFL_COMPILER
/*
 * AFL++ (afl-clang-fast, PCGUARD): the pairs get slots of AFL's map of their own, past the
 * edges, by registering one guard per slot as the instrumentation registers its edges. This
 * must happen before AFL++ sizes the map (its constructor of priority 3, __afl_auto_early),
 * hence priority 2, the instrumentation's own. Bumping a guard is what an edge does, so
 * AFL++'s selective coverage (fuzz/machine.c) applies to the pairs too.
 */
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
static uint32_t il_guards[FZ_IL_SLOTS];

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunknown-warning-option" /* clang 14 has no such warning */
#pragma clang diagnostic ignored "-Wprio-ctor-dtor" /* later ones reserve 0-100 */
__attribute__((constructor(2))) static void il_guards_init(void)
{
	__sanitizer_cov_trace_pc_guard_init(il_guards, il_guards + FZ_IL_SLOTS);
}
#pragma clang diagnostic pop

static void il_bump_engine(uint32_t slot)
{
	__sanitizer_cov_trace_pc_guard(&il_guards[slot]);
}
#define FZ_IL_ENGINE 1
#else
static void il_bump_engine(uint32_t slot)
{
	(void)slot;
}
#if defined(__has_feature)
#if __has_feature(coverage_sanitizer) /* -fsanitize=fuzzer(-no-link): libFuzzer's build */
#define FZ_IL_ENGINE 1
#endif
#endif
#endif

static void il_bump(uint32_t slot)
{
	if (il_counters[slot] != UINT8_MAX) /* saturates: libFuzzer buckets counts by log2 */
		il_counters[slot]++;
	il_bump_engine(slot);
}

void fz_interleave_note(uint32_t from_site, uint32_t to_site, void *arg)
{
	(void)arg;
	il_bump(fz_interleave_slot(from_site, to_site));
}

void fz_interleave_point(int migration, int site)
{
	il_bump(fz_interleave_point_slot(migration, site));
}

void fz_interleave_install(void)
{
#ifdef FZ_IL_ENGINE
	slub_sched_set_switch_hook(fz_interleave_note, NULL);
#endif
}
