/* test_interleave.c - unit tests of the interleaving coverage (fuzz/interleave.c): each pair
 * of yield sites that switched has one counter within the bound, its own as far as the
 * buckets go, and a switch made by the scheduler bumps exactly that one; an interrupt or a
 * migration at a site bumps a counter of its own past the pairs'. */
#include <string.h>

#include "harness.h"
#include "helpers.h"

TEST(interleave_pairs_map_to_counters_within_the_bound)
{
	static unsigned char used[1 << 16];
	uint32_t slots = fz_interleave_slots();
	int distinct = 0;

	REQUIRE(slots > 0 && slots <= sizeof(used), "a bound: %u", slots);
	/* every pair, first runs (SLUB_SITE_KEYS) included, lands inside it, the same each time */
	for (uint32_t from = 0; from <= SLUB_SITE_KEYS; from++)
		for (uint32_t to = 0; to <= SLUB_SITE_KEYS; to++) {
			uint32_t slot = fz_interleave_slot(from, to);

			if (slot >= slots) {
				CHECK(0, "(%u, %u) -> %u, past %u", from, to, slot, slots);
				return;
			}
			CHECK_EQ(fz_interleave_slot(from, to), slot);
			if (!used[slot]++)
				distinct++;
		}
	/* the pairs fill every counter before the interrupts' rows: none is wasted */
	CHECK_EQ((uint32_t)distinct, fz_interleave_point_slot(0, 0));

	/* as many distinct sites as the bound has buckets a side: distinct pairs, distinct slots */
	memset(used, 0, sizeof(used));
	for (uint32_t from = 0; from < 63; from++)
		for (uint32_t to = 0; to < 63; to++) {
			uint32_t slot = fz_interleave_slot(from, to);

			CHECK(!used[slot], "(%u, %u) shares slot %u", from, to, slot);
			used[slot] = 1;
		}
	/* a first run is a bucket of its own, apart from every site */
	for (uint32_t site = 0; site < SLUB_SITE_KEYS; site++) {
		CHECK(fz_interleave_slot(site, SLUB_SITE_KEYS) != fz_interleave_slot(site, site),
		      "site %u: a first run and a resume there", site);
	}
	/* the direction counts: A's site into B's is not B's into A's */
	CHECK(fz_interleave_slot(3, 40) != fz_interleave_slot(40, 3), "ordered pairs");
}

/* ---- through the scheduler ---- */

static void step_twice(void *arg)
{
	(void)arg;
	slub_yield(SLUB_YIELD_ACCESS, "first");
	slub_yield(SLUB_YIELD_ACCESS, "second");
}

static uint8_t counts_before[1 << 16];

TEST(interleave_a_switch_bumps_its_pair)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	uint32_t first = slub_site_key("step_twice", "first");
	uint32_t second = slub_site_key("step_twice", "second");
	uint32_t start = fz_interleave_slot(first, SLUB_SITE_KEYS);
	uint32_t resume = fz_interleave_slot(first, first);
	uint32_t slots = fz_interleave_slots();
	int changed = 0;

	REQUIRE(first != second, "two sites");
	slub_platform_reset(2);
	slub_sched_set_switch_hook(fz_interleave_note, NULL);
	for (uint32_t s = 0; s < slots; s++)
		counts_before[s] = fz_interleave_count(s);
	/* A stops at first (nth 0) for B's first run; B stops at first (nth 1), back to A */
	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_switches = 2;
	cfg.sw[0].site = first;
	cfg.sw[0].nth = 0;
	cfg.sw[1].site = first;
	cfg.sw[1].nth = 1;
	memset(t, 0, sizeof(t));
	t[0].fn = step_twice;
	t[0].cpu = 0;
	t[1].fn = step_twice;
	t[1].cpu = 1;
	REQUIRE(slub_sched_run(t, 2, &cfg) == 0, "the run");
	CHECK_EQ(fz_interleave_count(start), counts_before[start] + 1);
	CHECK_EQ(fz_interleave_count(resume), counts_before[resume] + 1);
	/* and A, done, hands over to B where it stopped: second -> first */
	CHECK_EQ(fz_interleave_count(fz_interleave_slot(second, first)),
		 counts_before[fz_interleave_slot(second, first)] + 1);
	for (uint32_t s = 0; s < slots; s++)
		changed += fz_interleave_count(s) != counts_before[s];
	CHECK_EQ(changed, 3);
	CHECK_EQ(slub_sched_switches(), 3);
	slub_sched_set_switch_hook(NULL, NULL);
}

TEST(interleave_counts_saturate)
{
	uint32_t slot = fz_interleave_slot(7, 9);

	for (int i = 0; i < 300; i++)
		fz_interleave_note(7, 9, NULL);
	CHECK_EQ(fz_interleave_count(slot), 255);
	CHECK_EQ(fz_interleave_count(fz_interleave_slots()), 0); /* past the bound: none */
}

/*
 * An interrupt or a migration that fires at a site bumps a counter of its own, one per site
 * bucket and kind, apart from every pair's: an input that interrupts a path at a new site is
 * new coverage, as a new interleaving is.
 */
TEST(interleave_an_interrupt_bumps_its_site_row)
{
	uint32_t site = slub_site_key("slab_alloc", "might_sleep");
	uint32_t irq = fz_interleave_point_slot(0, (int)site);
	uint32_t mig = fz_interleave_point_slot(1, (int)site);
	uint32_t req = fz_interleave_point_slot(0, FZ_AT_PAGE_REQUEST);
	uint32_t slots = fz_interleave_slots(), max_pair = 0;
	int changed = 0;

	for (uint32_t a = 0; a <= SLUB_SITE_KEYS; a++)
		for (uint32_t b = 0; b <= SLUB_SITE_KEYS; b++)
			if (fz_interleave_slot(a, b) > max_pair)
				max_pair = fz_interleave_slot(a, b);
	CHECK(irq > max_pair && mig > max_pair && req > max_pair, "a point slot among the pairs");
	CHECK(irq != mig && irq != req && mig != req, "%u %u %u", irq, mig, req);
	CHECK(irq < slots && mig < slots && req < slots, "past the counters: %u", slots);
	for (uint32_t s = 0; s < slots; s++)
		counts_before[s] = fz_interleave_count(s);
	fz_interleave_point(0, (int)site);
	CHECK_EQ(fz_interleave_count(irq), counts_before[irq] + 1);
	for (uint32_t s = 0; s < slots; s++)
		changed += fz_interleave_count(s) != counts_before[s];
	CHECK_EQ(changed, 1);
}
