/* test_mutate.c - the schedule mutator (fuzz/mutate.c): a program without a group gets one over
 * two cpus that keeps its events in order; a switch it adds names a site the group's ops are
 * known to meet, a marked access half the time, and a pair of them meets at one lock class; an
 * op that changes takes its switch along; what it writes is a program in
 * normal form that fits the room it was given; what it learns can live in a file shared with
 * other processes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "helpers.h"

#define MUT_ROOM 4096

static struct prog mut_prog;

/* text -> its binary normal form in buf; returns the size (0 and a failure if it does not parse) */
static size_t mut_load(const char *text, uint8_t *buf, size_t cap)
{
	char err[256];
	size_t len;
	uint8_t *in = prog_load((const uint8_t *)text, strlen(text), &len, err, sizeof(err));

	if (!in || len > cap) {
		test_fail(__FILE__, __LINE__, "the program does not load: %s", in ? "too long" : err);
		free(in);
		return 0;
	}
	memcpy(buf, in, len);
	free(in);
	return len;
}

#define MUT_SEQ "#slubprog\nboot nodes=1 cpus=1\ncreate cache=0 size=64\nalloc slot=0 cache=0\n" \
		"alloc slot=1 cache=0\nfree slot=0\nkmalloc slot=2 size=100\nshrink cache=0\n"
#define MUT_GROUP "#slubprog\nboot nodes=1 cpus=2\ncreate cache=0 size=64\nalloc slot=0 cache=0\n" \
		  "par count=4 seed=0 depth=0\ncpu cpu=1\nvalidate\ncpu cpu=0\nvalidate\n"

/*
 * A sequential program: the group mutation wraps 2..6 neighbouring events that may run at once
 * in a new group, splits them over two cpus of a machine that has two (the program asked for
 * one), and leaves every event of the program in its place and order. The whole mutator gives
 * a program without a group one first, every time it changes it.
 */
TEST(mutate_a_sequential_program_gets_a_group_over_two_cpus)
{
	static const int ops[] = { OP_CREATE, OP_ALLOC, OP_ALLOC, OP_FREE, OP_KMALLOC, OP_SHRINK };
	const int nops = (int)(sizeof(ops) / sizeof(ops[0]));
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_SEQ, orig, sizeof(orig));
	int grouped = 0, sizes[8] = { 0 };

	REQUIRE(len > 0);
	CHECK(!fz_mutate_has_group(orig, len), "a sequential program holds a group");
	for (uint32_t seed = 1; seed <= 200; seed++) {
		size_t n;
		int g = -1, k = 0, cpus[2], nc = 0, members = 0, moved = 0;

		memcpy(buf, orig, len);
		n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_GROUP);
		if (!n)
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		CHECK(mut_prog.boot.cpus >= 2, "seed %u: %d cpus", seed, mut_prog.boot.cpus);
		for (int i = 0; i < mut_prog.nr_events; i++) {
			const struct prog_event *e = &mut_prog.ev[i];
			int inside = g >= 0 && i <= g + mut_prog.ev[g].arg[0];

			if (e->op == OP_PAR) {
				CHECK(g < 0, "seed %u: a second group", seed);
				g = i;
			} else if (e->op == OP_CPU) {
				CHECK(inside && nc < 2, "seed %u: a cpu event at %d", seed, i);
				if (nc < 2)
					cpus[nc++] = e->arg[0];
			} else {
				members += inside;
				moved += k >= nops || e->op != ops[k];
				k++;
			}
		}
		REQUIRE(g >= 0, "seed %u: no par in what it wrote", seed);
		CHECK(fz_mutate_has_group(buf, n), "seed %u: a group not seen", seed);
		CHECK(k == nops && !moved, "seed %u: %d events, %d moved", seed, k, moved);
		CHECK(members >= 2 && members <= 6, "seed %u: %d ops in the group", seed, members);
		CHECK(nc == 2 && cpus[0] != cpus[1], "seed %u: the group's cpus", seed);
		sizes[members < 8 ? members : 7]++;
		grouped++;
	}
	CHECK_EQ(grouped, 200);
	CHECK(sizes[2] && sizes[5], "groups of 2 ops: %d, of 5: %d", sizes[2], sizes[5]);
	/* the whole mutator: a par in every program it changes */
	for (uint32_t seed = 1; seed <= 100; seed++) {
		size_t n;
		int par = 0;

		memcpy(buf, orig, len);
		if (!(n = fz_mutate_schedule(buf, len, sizeof(buf), seed)))
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		for (int i = 0; i < mut_prog.nr_events; i++)
			par |= mut_prog.ev[i].op == OP_PAR;
		CHECK(par, "seed %u: changed, and no group", seed);
	}
}

/*
 * The interrupt mutation puts an irq_at (after an irq, its own if the program has none before)
 * or a migrate_at right before an event, at a site that event's op is known to meet or one
 * where interrupts are on by its kind, and never inside a group.
 */
TEST(mutate_an_interrupt_names_a_site_of_the_event_after_it)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_SEQ, orig, sizeof(orig));
	uint32_t shrink_irq = slub_site_key("kmem_cache_shrink", "irq_on");
	uint32_t list_lock = slub_site_key("kmem_cache_shrink", "&n->list_lock");
	int irqs = 0, migrations = 0, learnt_site = 0, by_kind = 0;

	REQUIRE(len > 0);
	fz_mutate_forget();
	fz_mutate_learn(OP_SHRINK, shrink_irq, 0);
	fz_mutate_learn(OP_SHRINK, list_lock, 0);
	for (uint32_t seed = 1; seed <= 300; seed++) {
		size_t n;
		int at = -1, irq = -1;

		memcpy(buf, orig, len);
		REQUIRE((n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_INTERRUPT)) > 0);
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		for (int i = 0; i < mut_prog.nr_events; i++) {
			int op = mut_prog.ev[i].op;

			if (op == OP_IRQ)
				irq = i;
			if (op == OP_IRQ_AT || op == OP_MIGRATE_AT) {
				CHECK(at < 0, "seed %u: two", seed);
				at = i;
			}
		}
		REQUIRE(at >= 0 && at + 1 < mut_prog.nr_events, "seed %u: no interrupt", seed);
		if (mut_prog.ev[at].op == OP_IRQ_AT) {
			CHECK(irq >= 0 && irq < at, "seed %u: an irq_at without an irq before it", seed);
			irqs++;
		} else {
			migrations++;
		}
		if (mut_prog.ev[at + 1].op == OP_SHRINK &&
		    (uint32_t)mut_prog.ev[at].arg[0] != shrink_irq) {
			CHECK((uint32_t)mut_prog.ev[at].arg[0] == list_lock ||
				      strstr(slub_site_name((uint32_t)mut_prog.ev[at].arg[0]),
					     "kmem_cache_shrink") == NULL,
			      "seed %u: shrink interrupted at %s", seed,
			      slub_site_name((uint32_t)mut_prog.ev[at].arg[0]));
		}
		if (mut_prog.ev[at + 1].op == OP_SHRINK)
			learnt_site += (uint32_t)mut_prog.ev[at].arg[0] == shrink_irq ||
				       (uint32_t)mut_prog.ev[at].arg[0] == list_lock;
		else
			by_kind += strstr(slub_site_name((uint32_t)mut_prog.ev[at].arg[0]),
					  "irq_on") != NULL ||
				   strstr(slub_site_name((uint32_t)mut_prog.ev[at].arg[0]),
					  "might_sleep") != NULL ||
				   strstr(slub_site_name((uint32_t)mut_prog.ev[at].arg[0]),
					  "page_alloc") != NULL ||
				   strstr(slub_site_name((uint32_t)mut_prog.ev[at].arg[0]),
					  "slub_lock") != NULL;
	}
	CHECK(irqs > 150 && migrations > 50, "irq_at %d, migrate_at %d", irqs, migrations);
	CHECK(learnt_site > 10, "shrink interrupted at a site it meets %d times", learnt_site);
	CHECK(by_kind > 100, "other events at an irq-on site by kind %d times", by_kind);
	/* inside a group: never */
	len = mut_load(MUT_GROUP, orig, sizeof(orig));
	for (uint32_t seed = 1; seed <= 100; seed++) {
		size_t n;

		memcpy(buf, orig, len);
		if (!(n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_INTERRUPT)))
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		for (int i = 0; i < mut_prog.nr_events; i++)
			if (mut_prog.ev[i].op == OP_IRQ_AT || mut_prog.ev[i].op == OP_MIGRATE_AT)
				CHECK(i < 3, "seed %u: an interrupt at event %d, inside the group", seed,
				      i);
	}
	fz_mutate_forget();
}

/*
 * A switch the mutator adds to a group, or moves, names a site that the group's ops met when
 * it learnt one; before it learnt any, some site of the table.
 */
TEST(mutate_a_switch_names_a_site_the_groups_ops_meet)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_GROUP, orig, sizeof(orig));
	uint32_t site = slub_site_key("validate_slab_node", "&n->list_lock");
	uint32_t other = slub_site_key("__slab_free", "slab_lock");
	int switches = 0, elsewhere = 0;

	REQUIRE(len > 0);
	REQUIRE(site < (uint32_t)slub_site_keys_named() && other != site);
	fz_mutate_forget();
	fz_mutate_learn(OP_VALIDATE, site, 2); /* met three times by one validate */
	fz_mutate_learn(OP_FREE, other, 0); /* no free in the group: never named */
	for (uint32_t seed = 1; seed <= 300; seed++) {
		size_t n;

		memcpy(buf, orig, len);
		n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_SWITCH);
		if (!n)
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		/* the group, all validates */
		for (int i = 0; i < mut_prog.nr_events; i++) {
			if (mut_prog.ev[i].op != OP_PAR)
				continue;
			for (int j = i + 1; j <= i + mut_prog.ev[i].arg[0] && j < mut_prog.nr_events;
			     j++)
				if (mut_prog.ev[j].op == OP_SWITCH) {
					switches++;
					elsewhere += (uint32_t)mut_prog.ev[j].arg[0] != site ||
						     mut_prog.ev[j].arg[1] > 2;
				}
			break;
		}
	}
	CHECK(switches >= 300, "only %d switches in 300 mutations", switches);
	CHECK(!elsewhere, "%d of %d switches name another site or a later nth", elsewhere, switches);
	fz_mutate_forget();
	CHECK_EQ(fz_mutate_learnt(OP_VALIDATE, site), 0);
}

#define MUT_SHRINK "#slubprog\nboot nodes=1 cpus=2\ncreate cache=0 size=64\nalloc slot=0 cache=0\n" \
		   "par count=4 seed=0 depth=0\ncpu cpu=1\nshrink cache=0\ncpu cpu=0\nfree slot=0\n"

/*
 * Half the switches go to a marked access ("kmem_cache_shrink:page->inuse", the window of most
 * races) when the group's ops meet one: here one site in six, so well over a third of the
 * switches land there (a sixth without the preference).
 */
TEST(mutate_a_switch_prefers_a_marked_access)
{
	static const char *const shrink_sites[] = { "&n->list_lock", "&n->list_lock:unlock",
						     "slab_lock", "slab_lock:unlock", "irq_on" };
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_SHRINK, orig, sizeof(orig));
	uint32_t access = slub_site_key("kmem_cache_shrink", "page->inuse");
	int switches = 0, at_access = 0;

	REQUIRE(len > 0);
	fz_mutate_forget();
	fz_mutate_learn(OP_SHRINK, access, 0);
	for (size_t i = 0; i < sizeof(shrink_sites) / sizeof(shrink_sites[0]); i++)
		fz_mutate_learn(OP_SHRINK, slub_site_key("kmem_cache_shrink", shrink_sites[i]), 0);
	for (uint32_t seed = 1; seed <= 400; seed++) {
		size_t n;

		memcpy(buf, orig, len);
		if (!(n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_SWITCH)))
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		for (int i = 0; i < mut_prog.nr_events; i++)
			if (mut_prog.ev[i].op == OP_SWITCH) {
				switches++;
				at_access += (uint32_t)mut_prog.ev[i].arg[0] == access;
			}
	}
	CHECK(switches >= 400, "only %d switches in 400 mutations", switches);
	CHECK(at_access * 100 > switches * 40, "%d of %d switches at the marked access", at_access,
	      switches);
	fz_mutate_forget();
}

#define MUT_RETARGET "#slubprog\nboot nodes=1 cpus=2\ncreate cache=0 size=64\n" \
		     "alloc slot=0 cache=0\npar count=5 seed=0 depth=0\n" \
		     "switch site=validate_slab_node:&n->list_lock nth=0\ncpu cpu=1\nvalidate\n" \
		     "cpu cpu=0\nfree slot=0\n"

/*
 * An op that changes takes its switch along: validate stopped at its list_lock becomes shrink
 * stopped at a site shrink meets. A switch at a site another op of the group still meets
 * stays, and so does one when the new op meets no site the mutator knows.
 */
TEST(mutate_an_op_takes_its_switch_along)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_RETARGET, orig, sizeof(orig));
	uint32_t vsite = slub_site_key("validate_slab_node", "&n->list_lock");
	uint32_t s1 = slub_site_key("kmem_cache_shrink", "page->inuse");
	uint32_t s2 = slub_site_key("kmem_cache_shrink", "&n->list_lock");
	int shrinks = 0, moved = 0, others = 0, kept = 0;

	REQUIRE(len > 0);
	fz_mutate_forget();
	fz_mutate_learn(OP_VALIDATE, vsite, 0);
	fz_mutate_learn(OP_SHRINK, s1, 0);
	fz_mutate_learn(OP_SHRINK, s2, 0);
	fz_mutate_learn(OP_FREE, slub_site_key("__slab_free", "slab_lock"), 0);
	for (uint32_t seed = 1; seed <= 600; seed++) {
		size_t n;
		int sw = -1, op = -1;

		memcpy(buf, orig, len);
		if (!(n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_OP)))
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		REQUIRE(mut_prog.nr_events == 8, "seed %u: %d events", seed, mut_prog.nr_events);
		sw = mut_prog.ev[3].op == OP_SWITCH ? mut_prog.ev[3].arg[0] : -1;
		op = mut_prog.ev[5].op;
		if (op == OP_SHRINK) {
			shrinks++;
			moved += (uint32_t)sw == s1 || (uint32_t)sw == s2;
		} else if (op != OP_FREE) {
			/* validate kept (the free changed), or an op the mutator knows no site of */
			others++;
			kept += (uint32_t)sw == vsite;
		}
	}
	CHECK(shrinks > 0 && moved == shrinks, "%d of %d shrinks took the switch along", moved,
	      shrinks);
	CHECK(others > 0 && kept == others, "%d of %d other changes kept the switch", kept, others);
	fz_mutate_forget();
}

/*
 * What the mutator writes is a program in normal form (encoding its decoding gives it back),
 * never longer than the room; when its program does not fit, it writes nothing and says 0.
 */
TEST(mutate_writes_a_normal_form_within_the_room)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM], again[MUT_ROOM];
	size_t len = mut_load(MUT_GROUP, orig, sizeof(orig));
	int refused = 0;

	REQUIRE(len > 0);
	for (uint32_t seed = 1; seed <= 200; seed++) {
		size_t n;

		memcpy(buf, orig, len);
		n = fz_mutate_schedule(buf, len, sizeof(buf), seed);
		if (!n)
			continue;
		CHECK(n <= sizeof(buf));
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		CHECK(prog_encode(&mut_prog, again, sizeof(again)) == n && !memcmp(again, buf, n),
		      "seed %u: not a normal form", seed);
	}
	/* no room beyond the input: a mutation that adds an event cannot be written */
	for (uint32_t seed = 1; seed <= 200; seed++) {
		memcpy(buf, orig, len);
		size_t n = fz_mutate_schedule(buf, len, len, seed);

		if (!n) {
			refused++;
			CHECK(!memcmp(buf, orig, len), "seed %u: refused, yet the input changed", seed);
		} else {
			CHECK(n <= len, "seed %u: %zu bytes in a room of %zu", seed, n, len);
		}
	}
	CHECK(refused > 0, "every mutation fitted in the input's own size");
}

#define MUT_PAIR "#slubprog\nboot nodes=1 cpus=2\ncreate cache=0 size=64\nalloc slot=0 cache=0\n" \
		 "par count=4 seed=0 depth=0\ncpu cpu=1\nvalidate\ncpu cpu=0\nfree slot=0\n"

/*
 * A pair of switches stops the two cpus' ops at sites of one lock class: validate's list_lock
 * with the free's list_lock release, validate's slab_lock with the free's, not validate's
 * list_lock with the free's slab_lock; and not where both turn interrupts on, which is no
 * state the cpus share.
 */
TEST(mutate_a_pair_of_switches_meets_at_one_lock_class)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_PAIR, orig, sizeof(orig));
	uint32_t v_list = slub_site_key("validate_slab_node", "&n->list_lock");
	uint32_t v_slab = slub_site_key("validate_slab_slab", "slab_lock");
	uint32_t f_list = slub_site_key("remove_partial", "&n->list_lock:unlock");
	uint32_t f_slab = slub_site_key("__slab_free", "slab_lock");
	uint32_t v_irq = slub_site_key("validate_slab_node", "irq_on");
	uint32_t f_irq = slub_site_key("slab_free", "irq_on");
	int pairs = 0, crossed = 0, irqs = 0;

	REQUIRE(len > 0);
	fz_mutate_forget();
	fz_mutate_learn(OP_VALIDATE, v_irq, 0);
	fz_mutate_learn(OP_FREE, f_irq, 0);
	fz_mutate_learn(OP_VALIDATE, v_list, 0);
	fz_mutate_learn(OP_VALIDATE, v_slab, 0);
	fz_mutate_learn(OP_FREE, f_list, 0);
	fz_mutate_learn(OP_FREE, f_slab, 0);
	for (uint32_t seed = 1; seed <= 600; seed++) {
		size_t n;
		int has[6] = { 0 };

		memcpy(buf, orig, len);
		n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_PAIR);
		if (!n)
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		for (int i = 0; i < mut_prog.nr_events; i++) {
			uint32_t site = (uint32_t)mut_prog.ev[i].arg[0];

			if (mut_prog.ev[i].op != OP_SWITCH)
				continue;
			has[0] |= site == v_list;
			has[1] |= site == v_slab;
			has[2] |= site == f_list;
			has[3] |= site == f_slab;
			has[4] |= site == v_irq;
			has[5] |= site == f_irq;
		}
		if (has[4] && has[5] && !has[0] && !has[1] && !has[2] && !has[3])
			irqs++;
		if (has[4] || has[5])
			continue;
		/* both of a class, and nothing else */
		if ((has[0] && has[2] && !has[1] && !has[3]) || (has[1] && has[3] && !has[0] && !has[2]))
			pairs++;
		if ((has[0] && has[3] && !has[1] && !has[2]) || (has[1] && has[2] && !has[0] && !has[3]))
			crossed++;
	}
	CHECK_EQ(pairs, 600);
	CHECK(!crossed && !irqs, "%d cross-class pairs, %d at irq_on", crossed, irqs);
	fz_mutate_forget();
}

/*
 * SLUBFUZZ_SITES_FILE names the file the table is shared through (AFL++'s mutator runs in
 * afl-fuzz, the targets elsewhere): what is learnt lands in the file; a file of another size
 * is no such table and is left alone.
 */
TEST(mutate_learns_into_the_shared_file)
{
	char path[] = "/tmp/slubfuzz-test-sites-XXXXXX", wrong[] = "/tmp/slubfuzz-test-wrong-XXXXXX";
	size_t size = (size_t)PROG_NR_OPS * PROG_SITE_SPACE;
	uint32_t site = slub_site_key("validate_slab_node", "&n->list_lock");
	int fd = mkstemp(path), wfd = mkstemp(wrong);
	unsigned char b = 0, w = 0;

	REQUIRE(fd >= 0 && wfd >= 0);
	REQUIRE(!ftruncate(fd, (off_t)size) && !ftruncate(wfd, (off_t)size - 1));
	/* a file of the wrong size: not taken */
	setenv("SLUBFUZZ_SITES_FILE", wrong, 1);
	fz_mutate_share();
	fz_mutate_learn(OP_VALIDATE, site, 4);
	CHECK(pread(wfd, &w, 1, (off_t)OP_VALIDATE * PROG_SITE_SPACE + site) == 1 && w == 0,
	      "the wrong-sized file took %u", w);
	/* the right one: what is learnt from now on is the file's */
	setenv("SLUBFUZZ_SITES_FILE", path, 1);
	fz_mutate_share();
	fz_mutate_learn(OP_VALIDATE, site, 4);
	CHECK(pread(fd, &b, 1, (off_t)OP_VALIDATE * PROG_SITE_SPACE + site) == 1 && b == 5,
	      "the file holds %u for validate at the site, not 5", b);
	CHECK_EQ(fz_mutate_learnt(OP_VALIDATE, site), 5);
	fz_mutate_forget();
	CHECK(pread(fd, &b, 1, (off_t)OP_VALIDATE * PROG_SITE_SPACE + site) == 1 && b == 0,
	      "forgotten, the file still holds %u", b);
	unsetenv("SLUBFUZZ_SITES_FILE");
	close(fd);
	close(wfd);
	unlink(path);
	unlink(wrong);
}

#define MUT_OPS "#slubprog\nboot nodes=1 cpus=2\ncreate cache=0 size=64\nalloc slot=7 cache=0\n" \
		"par count=4 seed=0 depth=0\ncpu cpu=1\nfree slot=7\ncpu cpu=0\nshrink cache=0\n"

/*
 * The op mutation turns an op of a group into another that may run at once: an argument of a
 * kind the old op had carries over (the free's slot 7 into a kmalloc's), the others are drawn
 * (a kmalloc's size takes many values), half the time from the program's own (an alloc the
 * free becomes allocates from cache 0, the one cache, far more often than one time in
 * PROG_NCACHES); a third of the time the new op is one the program has elsewhere (here
 * alloc, free, shrink), and a third a kin (the shrink becomes validate or slabinfo, which walk
 * the same lists, far more often than 2 times in 15).
 */
TEST(mutate_an_op_keeps_its_arguments_kinds_and_draws_the_rest)
{
	uint8_t buf[MUT_ROOM], orig[MUT_ROOM];
	size_t len = mut_load(MUT_OPS, orig, sizeof(orig));
	int kmallocs = 0, kept = 0, own = 0, changed = 0, sizes[4] = { -1, -1, -1, -1 }, nsizes = 0;
	int allocs = 0, cache0 = 0, walks = 0, kin = 0;

	REQUIRE(len > 0);
	for (uint32_t seed = 1; seed <= 1200; seed++) {
		size_t n;

		memcpy(buf, orig, len);
		if (!(n = fz_mutate_one(buf, len, sizeof(buf), seed, FZ_MUT_OP)))
			continue;
		prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
		REQUIRE(mut_prog.nr_events == 7, "seed %u: %d events", seed, mut_prog.nr_events);
		for (int i = 4; i <= 6; i += 2) { /* the free and the shrink */
			const struct prog_event *e = &mut_prog.ev[i];
			int was = i == 4 ? OP_FREE : OP_SHRINK;

			if (e->op == was)
				continue;
			changed++;
			CHECK(fz_smp_concurrent(e->op), "seed %u: %s may not run at once", seed,
			      prog_op_name(e->op));
			own += e->op == OP_ALLOC || e->op == OP_FREE || e->op == OP_SHRINK;
			if (e->op == OP_ALLOC && was == OP_FREE) {
				allocs++;
				cache0 += e->arg[1] == 0;
			}
			if (was == OP_SHRINK) {
				walks++;
				kin += e->op == OP_VALIDATE || e->op == OP_SLABINFO;
			}
			if (e->op == OP_KMALLOC && was == OP_FREE) {
				kmallocs++;
				kept += e->arg[0] == 7;
				if (nsizes < 4 && e->arg[1] != sizes[0] && e->arg[1] != sizes[1] &&
				    e->arg[1] != sizes[2])
					sizes[nsizes++] = e->arg[1];
			}
		}
	}
	CHECK(changed >= 1170, "%d of 1200 mutations changed an op", changed);
	CHECK(kmallocs > 0 && kept == kmallocs, "%d of %d kmallocs kept the slot", kept, kmallocs);
	CHECK(nsizes >= 3, "the kmallocs' sizes took %d values", nsizes);
	CHECK(own * 4 > changed, "%d of %d new ops are the program's own", own, changed);
	CHECK(allocs > 0 && cache0 * 2 > allocs, "%d of %d allocs from cache 0", cache0, allocs);
	CHECK(walks > 0 && kin * 4 > walks, "%d of %d shrinks became a kin", kin, walks);
}

/*
 * Any byte string is a program, so the mutator takes any: random inputs (short and long, and
 * hundreds of events of two ops) through every kind of mutation and the mixed draw, under the
 * sanitizers of the build, each output within the room and decodable to the same program on
 * a second decode-encode.
 */
TEST(mutate_takes_any_input)
{
	static uint8_t in[MUT_ROOM], buf[MUT_ROOM], again[MUT_ROOM];
	uint64_t r = 12345; /* an LCG kept in 64 bits: nothing wraps for the integer sanitizer */
	int changed = 0;

	for (int round = 0; round < 600; round++) {
		size_t len, n;

		r = (r * 1103515245u + 12345u) & 0x7fffffffu;
		len = (size_t)(r >> 8) % (round < 300 ? 64 : MUT_ROOM);
		for (size_t i = 0; i < len; i++) {
			/* a third of the rounds: past the header, free and kfree over and over */
			size_t e = i >= prog_header_size() ? i - prog_header_size() : 0;

			r = (r * 1103515245u + 12345u) & 0x7fffffffu;
			in[i] = round % 3 || i < prog_header_size() ? (uint8_t)(r >> 16) :
			       (uint8_t)(e % 2 ? 0 : e % 4 ? OP_KFREE : OP_FREE);
		}
		for (int kind = FZ_MUT_ANY; kind < FZ_MUT_NR; kind++) {
			memcpy(buf, in, len);
			n = fz_mutate_one(buf, len, sizeof(buf), (uint32_t)r ^ (uint32_t)(kind + 1),
					 (enum fz_mutation)kind);
			if (!n)
				continue;
			changed++;
			CHECK(n <= sizeof(buf), "round %d: %zu bytes", round, n);
			prog_decode(&mut_prog, buf, n, PROG_MAX_EVENTS);
			CHECK(prog_encode(&mut_prog, again, sizeof(again)) == n && !memcmp(again, buf, n),
			      "round %d, kind %d: not a normal form", round, kind);
		}
	}
	CHECK(changed > 1000, "only %d mutations applied", changed);
}
