/* test_race.c - the race catalog (RACE_ entries of allocator/bugs.h): each entry's window run
 * on two cpus with slub_sched_run under a fixed schedule, or on one with an interrupt at a
 * fixed yield point. Built with that entry (make unit
 * BUG=RACE_<NAME>), the schedule shows the defect in the report the harness would see; built
 * without it, the same schedule reaches the same point and 2.6.36's locking keeps it clean. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/*
 * With another RACE_ entry compiled in, a schedule below may show that entry instead of its
 * own (every one of them frees into a slab another cpu uses): each test runs in `fixed` and
 * in its own entry's build only.
 */
#if defined(SLUB_BUG_RACE_FREE_PUSH_UNLOCKED) || defined(SLUB_BUG_RACE_FREE_FROZEN_BEFORE_LOCK) || \
	defined(SLUB_BUG_RACE_REFILL_BEFORE_LOCK) || defined(SLUB_BUG_RACE_FLUSH_MERGE_UNLOCKED) || \
	defined(SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED) || defined(SLUB_BUG_RACE_SHRINK_DISCARD_UNLOCKED) || \
	defined(SLUB_BUG_RACE_FREE_FASTPATH_IRQS_ON)
#define RACE_ENTRY_BUILT 1
#endif

/* The first report of each kind a run made, word for word. */
static struct {
	int n[SLUB_REPORT_PANIC + 1];
	char first[SLUB_REPORT_PANIC + 1][512];
} seen;

static void race_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	if (!seen.n[r->kind]++)
		strncpy(seen.first[r->kind], r->msg, sizeof(seen.first[0]) - 1);
}

/*
 * Only the race cache's slabs count. The seed variant's boot caches are never clean, and the
 * race cache's own structures (its kmem_cache_node) may sit in a boot slab whose owner is
 * stale: test_validate's subject, not a race.
 */
static int other_cache(const char *problem, void *arg)
{
	(void)arg;
#ifdef SLUB_BOOTSTRAP_SEED
	if (strstr(problem, " holding its "))
		return 1;
#endif
	return strncmp(problem, "cache race:", 11) != 0;
}

/*
 * Two cpus, one node, order-0 slabs of four 1000-byte objects, no merging: the race cache is
 * the only user of its slabs.
 */
static struct kmem_cache *race_boot(void)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 2, 1024);
	cfg.slub_max_order = 0;
	cfg.slub_nomerge = 1;
	if (helpers_boot(&cfg) != SLUB_BOOT_OK)
		return NULL;
	memset(&seen, 0, sizeof(seen));
	slub_set_report_hook(race_report, NULL);
	slub_set_consistency_filter(other_cache, NULL);
	return kmem_cache_create("race", 1000, 0, 0, NULL);
}

static long race_problems(char *why, size_t len)
{
	return slub_check_consistency(why, len);
}

/*
 * Shuts the machine down: pages or objects left over are counted (0 in `fixed`). One that a
 * race entry's build ran is forgotten instead, as after a panic: the race left it corrupted (a
 * slab on two lists, a list that loops), and close would walk the broken lists.
 */
static unsigned long race_done(void)
{
	slub_set_consistency_filter(NULL, NULL);
#ifdef RACE_ENTRY_BUILT
	slub_discard();
	return 0;
#else
	return helpers_shutdown();
#endif
}

/*
 * On cpu, a fresh slab's worth of objects: obj[0] is the first object of a new cpu slab and
 * obj[1..] the rest of it. Returns how many objects the slab holds (0 if they are not one slab).
 */
static int fill_slab(struct kmem_cache *s, int cpu, void **obj, int max)
{
	struct page *page;
	int i, n;

	slub_set_cpu(cpu);
	obj[0] = kmem_cache_alloc(s, GFP_KERNEL);
	if (!obj[0])
		return 0;
	page = virt_to_head_page(obj[0]);
	n = page->objects;
	if (n > max || page->freelist)
		return 0;
	for (i = 1; i < n; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		if (!obj[i] || virt_to_head_page(obj[i]) != page)
			return 0;
	}
	return n;
}

/* One switch: the nth (from 0) yield at func's point what demotes the fiber that reaches it. */
static void sched_one(struct slub_sched_config *sc, const char *func, const char *what, int nth)
{
	memset(sc, 0, sizeof(*sc));
	sc->nr_switches = 1;
	sc->sw[0].site = slub_site_key(func, what);
	sc->sw[0].nth = nth;
}

static struct kmem_cache *task_cache;

/* Gives the test's objects back (on cpu 0), so that shutdown finds nothing left over. */
static void free_all(void **obj, int n)
{
	slub_set_cpu(0);
	for (int i = 0; i < n; i++)
		if (obj[i])
			kmem_cache_free(task_cache, obj[i]);
}

static void task_free(void *arg)
{
	kmem_cache_free(task_cache, arg);
}

/* Allocates into got[0], got[1] (two objects). */
static void task_alloc_two(void *arg)
{
	void **got = arg;

	got[0] = kmem_cache_alloc(task_cache, GFP_KERNEL);
	got[1] = kmem_cache_alloc(task_cache, GFP_KERNEL);
}

static void task_alloc_one(void *arg)
{
	void **got = arg;

	got[0] = kmem_cache_alloc(task_cache, GFP_KERNEL);
}

static void task_shrink(void *arg)
{
	(void)arg;
	kmem_cache_shrink(task_cache);
}

static void task_validate(void *arg)
{
	(void)arg;
	validate_slab_cache(task_cache);
}

#define OBJS 16

/*
 * RACE_FREE_PUSH_UNLOCKED. cpu 0's slab has o1 -> o0 on its page freelist (freed on cpu 1).
 * cpu 1 frees o2 and is switched out between the load of page->freelist and the store; cpu 0
 * then refills its cpu freelist from the page and allocates twice. 2.6.36: the free holds
 * slab_lock there, so the refill waits and takes o2 first. Narrowed: the refill takes o1 -> o0,
 * and the free's store then puts o2 -> o1 -> o0 back on the page: objects handed out are free
 * again (the strict checker's count), and the next refill hands them out a second time.
 */
TEST(race_free_push_unlocked)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *o[OBJS], *got[2] = { NULL, NULL }, *next[3];
	char why[512];
	long problems;
	int n, i, twice = 0;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_FREE_PUSH_UNLOCKED)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	n = fill_slab(task_cache, 0, o, OBJS);
	REQUIRE(n >= 4, "a slab of at least four objects on cpu 0 (%d)", n);
	slub_set_cpu(1);
	kmem_cache_free(task_cache, o[0]);
	kmem_cache_free(task_cache, o[1]);

	sched_one(&sc, "__slab_free", "page->freelist", 0);
	t[0] = (struct slub_task){ task_free, o[2], 1, 0 };
	t[1] = (struct slub_task){ task_alloc_two, got, 0, 0 };
	CHECK_EQ(slub_sched_run(t, 2, &sc), 0);
	CHECK(slub_sched_switches() >= 1, "the free was switched out in its window");
	problems = race_problems(why, sizeof(why));

	/* cpu 0 goes on allocating: nothing live may come back */
	slub_set_cpu(0);
	for (i = 0; i < 3; i++) {
		next[i] = kmem_cache_alloc(task_cache, GFP_KERNEL);
		if (next[i] == got[0] || next[i] == got[1] || next[i] == o[3])
			twice++;
	}
#ifdef SLUB_BUG_RACE_FREE_PUSH_UNLOCKED
	CHECK(got[0] == o[1] && got[1] == o[0], "the refill ran inside the free's window");
	CHECK(problems > 0 && strstr(why, "has inuse"), "the checker counts the objects: %s",
	      why);
	CHECK(twice > 0, "an object handed out twice");
#else
	CHECK(got[0] == o[2] && got[1] == o[1], "the refill waited for the free's slab_lock");
	CHECK(problems == 0, "clean: %s", why);
	CHECK_EQ(twice, 0);
	CHECK_EQ(seen.n[SLUB_REPORT_WARN] + seen.n[SLUB_REPORT_BUG], 0);
	free_all((void *[]){ got[0], got[1], next[0], next[1], next[2] }, 5);
	free_all(o + 3, n - 3);
#endif
	CHECK_EQ(race_done(), 0);
}

/*
 * RACE_FREE_FROZEN_BEFORE_LOCK. A partial slab P (one free object, o0) is not frozen when cpu 0
 * starts freeing o1 into it; switched out before slab_lock, cpu 1 (no cpu slab) takes P from
 * the partial list and freezes it. 2.6.36 reads frozen under slab_lock: the free goes onto the
 * frozen slab. Narrowed: the stale "not frozen" puts P, now cpu 1's slab, on the partial list.
 */
TEST(race_free_frozen_before_lock)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *o[OBJS], *extra, *got[1] = { NULL };
	char why[512];
	long problems;
	int n;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_FREE_FROZEN_BEFORE_LOCK)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	n = fill_slab(task_cache, 0, o, OBJS);
	REQUIRE(n >= 2, "a slab on cpu 0 (%d)", n);
	extra = kmem_cache_alloc(task_cache, GFP_KERNEL); /* P goes off cpu 0, full */
	REQUIRE(extra && virt_to_head_page(extra) != virt_to_head_page(o[0]), "a second slab");
	kmem_cache_free(task_cache, o[0]); /* P: full -> partial */
	REQUIRE(get_node(task_cache, 0)->nr_partial == 1, "P is the partial slab");

	sched_one(&sc, "__slab_free", "slab_lock", 0);
	t[0] = (struct slub_task){ task_free, o[1], 0, 0 };
	t[1] = (struct slub_task){ task_alloc_one, got, 1, 0 };
	CHECK_EQ(slub_sched_run(t, 2, &sc), 0);
	CHECK(slub_sched_switches() >= 1, "the free was switched out before slab_lock");
	CHECK(got[0] == o[0], "cpu 1 took P from the partial list inside the window");
	problems = race_problems(why, sizeof(why));
#ifdef SLUB_BUG_RACE_FREE_FROZEN_BEFORE_LOCK
	CHECK(problems > 0 && (strstr(why, "frozen") || strstr(why, "also on a list")),
	      "cpu 1's slab on the partial list: %s", why);
#else
	CHECK(problems == 0, "clean: %s", why);
	CHECK(virt_to_head_page(o[0])->freelist == o[1], "the free went onto the frozen slab");
	free_all((void *[]){ got[0], extra }, 2);
	free_all(o + 2, n - 2);
#endif
	CHECK_EQ(race_done(), 0);
}

/*
 * RACE_REFILL_BEFORE_LOCK. cpu 0's slab has o0 on its page freelist; cpu 0 refills and is
 * switched out before slab_lock, and cpu 1 frees o1 into the slab. 2.6.36 loads the freelist
 * under the lock: o1 -> o0. Narrowed: the stale o0 is the new cpu freelist and o1 is on no
 * freelist, counted in use: once every object is freed, the cache still has one, and
 * kmem_cache_destroy says so.
 */
TEST(race_refill_before_lock)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *o[OBJS], *got[1] = { NULL };
	char buf[PAGE_SIZE];
	int n, i;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_REFILL_BEFORE_LOCK)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	n = fill_slab(task_cache, 0, o, OBJS);
	REQUIRE(n >= 3, "a slab on cpu 0 (%d)", n);
	slub_set_cpu(1);
	kmem_cache_free(task_cache, o[0]);

	sched_one(&sc, "__slab_alloc", "slab_lock", 0);
	t[0] = (struct slub_task){ task_alloc_one, got, 0, 0 };
	t[1] = (struct slub_task){ task_free, o[1], 1, 0 };
	CHECK_EQ(slub_sched_run(t, 2, &sc), 0);
	CHECK(slub_sched_switches() >= 1, "the refill was switched out before slab_lock");

	/* every object the test holds goes back; then nothing is in use */
	slub_set_cpu(0);
	kmem_cache_free(task_cache, got[0]);
	for (i = 2; i < n; i++)
		if (o[i] != got[0])
			kmem_cache_free(task_cache, o[i]);
	kmem_cache_shrink(task_cache);
	CHECK(slab_attr_show(task_cache, "objects", buf) > 0, "objects readable");
#ifdef SLUB_BUG_RACE_REFILL_BEFORE_LOCK
	CHECK(got[0] == o[0], "the refill used the freelist it read before the lock");
	CHECK(strtol(buf, NULL, 10) == 1, "one object lost, counted in use: %s", buf);
#ifndef SLUB_BOOTSTRAP_SEED
	kmem_cache_destroy(task_cache);
	CHECK(seen.n[SLUB_REPORT_SLAB_ERR] > 0 && strstr(seen.first[SLUB_REPORT_SLAB_ERR],
							 "Objects remaining"),
	      "kmem_cache_close names the object: %s", seen.first[SLUB_REPORT_SLAB_ERR]);
#endif
#else
	CHECK(got[0] == o[1], "the refill found the object freed in its window");
	CHECK(strtol(buf, NULL, 10) == 0, "nothing in use: %s", buf);
#ifndef SLUB_BOOTSTRAP_SEED
	kmem_cache_destroy(task_cache);
	CHECK_EQ(seen.n[SLUB_REPORT_SLAB_ERR], 0);
#endif
#endif
	CHECK_EQ(race_done(), 0);
}

/*
 * RACE_FLUSH_MERGE_UNLOCKED. cpu 0 holds a slab with two objects out (a, b) and the rest on
 * its cpu freelist; it shrinks the cache. cpu 1, not yet in its free, takes flush_all's IPI at
 * once; cpu 0's flush of its own slab is switched out inside the merge of the cpu freelist,
 * and cpu 1 frees a into the (frozen) slab.
 * 2.6.36 merges under slab_lock: the free waits, and the slab ends with one object in use.
 * Narrowed: the merge's store overwrites the free's push: a is on no freelist, yet counted free.
 */
TEST(race_flush_merge_unlocked)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *a, *b;
	struct page *page;
	char why[512];
	long problems;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_FLUSH_MERGE_UNLOCKED)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	slub_set_cpu(0);
	a = kmem_cache_alloc(task_cache, GFP_KERNEL);
	b = kmem_cache_alloc(task_cache, GFP_KERNEL);
	REQUIRE(a && b, "two objects");
	page = virt_to_head_page(a);
	REQUIRE(page->objects >= 4 && virt_to_head_page(b) == page, "one slab, objects to merge");

	sched_one(&sc, "deactivate_slab", "page->freelist", 0);
	t[0] = (struct slub_task){ task_shrink, NULL, 0, 0 };
	t[1] = (struct slub_task){ task_free, a, 1, 0 };
	CHECK_EQ(slub_sched_run(t, 2, &sc), 0);
	CHECK(slub_sched_switches() >= 1, "the flush was switched out inside its merge");
	problems = race_problems(why, sizeof(why));
#ifdef SLUB_BUG_RACE_FLUSH_MERGE_UNLOCKED
	CHECK(problems > 0 && strstr(why, "has inuse"), "a free lost by the merge: %s", why);
#else
	CHECK(problems == 0, "clean: %s", why);
	CHECK_EQ(page->inuse, 1);
	free_all(&b, 1);
#endif
	CHECK_EQ(race_done(), 0);
}

/*
 * RACE_NR_PARTIAL_UNLOCKED. A partial slab P with one object in use; cpu 1 validates the cache
 * (cpu 0, not yet in its free, takes flush_all's IPI at once) and is switched out before
 * validate_slab_node takes list_lock; cpu 0 frees P's last object, and __slab_free's
 * remove_partial is switched out right after its spin_unlock. 2.6.36 counts
 * under the lock: the list and nr_partial agree. Narrowed: nr_partial still counts P, which
 * the list no longer holds, and validate reports it.
 */
TEST(race_nr_partial_unlocked)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *o[OBJS], *extra;
	int n, i;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	n = fill_slab(task_cache, 0, o, OBJS);
	REQUIRE(n >= 2, "a slab on cpu 0 (%d)", n);
	extra = kmem_cache_alloc(task_cache, GFP_KERNEL);
	REQUIRE(extra, "a second slab");
	for (i = 0; i < n - 1; i++)
		kmem_cache_free(task_cache, o[i]);
	REQUIRE(get_node(task_cache, 0)->nr_partial == 1, "P is the partial slab");

	memset(&sc, 0, sizeof(sc));
	sc.nr_switches = 2;
	sc.sw[0].site = slub_site_key("validate_slab_node", "&n->list_lock");
	sc.sw[0].nth = 0;
	sc.sw[1].site = slub_site_key("remove_partial", "&n->list_lock:unlock");
	sc.sw[1].nth = 0;
	t[0] = (struct slub_task){ task_validate, NULL, 1, 0 };
	t[1] = (struct slub_task){ task_free, o[n - 1], 0, 0 };
	CHECK_EQ(slub_sched_run(t, 2, &sc), 0);
	CHECK(slub_sched_switches() >= 2, "both switches made");
#ifdef SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED
	CHECK(seen.n[SLUB_REPORT_SLAB_ERR] > 0 &&
		      strstr(seen.first[SLUB_REPORT_SLAB_ERR], "partial slabs counted but counter"),
	      "validate finds the count apart from the list: %s", seen.first[SLUB_REPORT_SLAB_ERR]);
#else
	CHECK(seen.n[SLUB_REPORT_SLAB_ERR] == 0, "clean: %s", seen.first[SLUB_REPORT_SLAB_ERR]);
	CHECK(race_problems(NULL, 0) == 0, "the checker too");
	free_all(&extra, 1);
#endif
	CHECK_EQ(race_done(), 0);
}

/*
 * RACE_SHRINK_DISCARD_UNLOCKED. A partial slab P with one object in use; cpu 1 shrinks (cpu 0,
 * not yet in its free, takes flush_all's IPI at once) and is switched out in its walk of the
 * partial list (under list_lock), and cpu 0 frees P's last object: __slab_free holds P's slab_lock and waits for list_lock to discard it. 2.6.36's
 * shrink cannot slab_trylock P and leaves it. Narrowed: shrink discards P under the free's
 * slab_lock, and the page allocator finds the page still locked.
 */
TEST(race_shrink_discard_unlocked)
{
	struct slub_sched_config sc;
	struct slub_task t[2];
	void *o[OBJS], *extra;
	char why[512];
	int n, i, rc;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_SHRINK_DISCARD_UNLOCKED)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	n = fill_slab(task_cache, 0, o, OBJS);
	REQUIRE(n >= 2, "a slab on cpu 0 (%d)", n);
	extra = kmem_cache_alloc(task_cache, GFP_KERNEL);
	REQUIRE(extra, "a second slab");
	for (i = 0; i < n - 1; i++)
		kmem_cache_free(task_cache, o[i]);
	REQUIRE(get_node(task_cache, 0)->nr_partial == 1, "P is the partial slab");

	sched_one(&sc, "kmem_cache_shrink", "page->inuse", 0);
	t[0] = (struct slub_task){ task_shrink, NULL, 1, 0 };
	t[1] = (struct slub_task){ task_free, o[n - 1], 0, 0 };
	rc = slub_sched_run(t, 2, &sc);
	CHECK(slub_sched_switches() >= 1, "the shrink was switched out in its walk");
#ifdef SLUB_BUG_RACE_SHRINK_DISCARD_UNLOCKED
	CHECK_EQ(rc, SLUB_BOOT_PANIC);
	CHECK(seen.n[SLUB_REPORT_BUG] > 0 && strstr(seen.first[SLUB_REPORT_BUG], "still locked"),
	      "the page allocator: %s", seen.first[SLUB_REPORT_BUG]);
	(void)why;
#else
	CHECK_EQ(rc, 0);
	CHECK_EQ(seen.n[SLUB_REPORT_BUG] + seen.n[SLUB_REPORT_WARN], 0);
	CHECK(race_problems(why, sizeof(why)) == 0, "clean: %s", why);
	CHECK(get_node(task_cache, 0)->nr_partial == 1, "P went, the cpu slab shrink flushed stayed");
	free_all(&extra, 1);
#endif
	CHECK_EQ(race_done(), 0);
}

/* The interrupt: an allocation from the race cache at the first point the hook names. */
static void *irq_got;
static uint32_t irq_sites[2];

static void interrupt_allocates(const struct slub_point *pt, void *arg)
{
	(void)arg;
	if (irq_got || !pt->irqs_on || (pt->site != irq_sites[0] && pt->site != irq_sites[1]))
		return;
	irq_got = kmem_cache_alloc(task_cache, GFP_ATOMIC);
}

/*
 * RACE_FREE_FASTPATH_IRQS_ON. cpu 0's slab holds a and b, its cpu freelist starts at x. The
 * free of a is interrupted at the first point its interrupts are on, and the interrupt
 * allocates. Narrowed: that point is between the load of c->freelist (a's next is x) and the
 * store; the interrupt takes x, the store makes a -> x the freelist again, and the second
 * allocation after hands x out while the interrupt holds it. 2.6.36: the first such point is
 * slab_free's interrupts back on, after the store: the interrupt takes a, and nothing twice.
 */
TEST(race_free_fastpath_irqs_on)
{
	void *a, *b, *p1, *p2;

#if defined(RACE_ENTRY_BUILT) && !defined(SLUB_BUG_RACE_FREE_FASTPATH_IRQS_ON)
	return;
#endif
	task_cache = race_boot();
	REQUIRE(task_cache, "boot and create");
	slub_set_cpu(0);
	a = kmem_cache_alloc(task_cache, GFP_KERNEL);
	b = kmem_cache_alloc(task_cache, GFP_KERNEL);
	REQUIRE(a && b && virt_to_head_page(a) == virt_to_head_page(b), "one slab");
	REQUIRE(this_cpu_ptr(task_cache->cpu_slab)->freelist, "a free object on the cpu freelist");
	irq_got = NULL;
	irq_sites[0] = slub_site_key("slab_free", "c->freelist");
	irq_sites[1] = slub_site_key("slab_free", "irq_on");
	slub_sched_set_point_hook(interrupt_allocates, NULL);
	kmem_cache_free(task_cache, a);
	slub_sched_set_point_hook(NULL, NULL);
	REQUIRE(irq_got, "the interrupt came and allocated");
	p1 = kmem_cache_alloc(task_cache, GFP_KERNEL);
	p2 = kmem_cache_alloc(task_cache, GFP_KERNEL);
#ifdef SLUB_BUG_RACE_FREE_FASTPATH_IRQS_ON
	CHECK(p1 == a && p2 == irq_got, "the interrupt's object handed out again: %p %p, %p", p1,
	      p2, irq_got);
#else
	CHECK(irq_got == a, "the interrupt took the object just freed");
	CHECK(p1 != irq_got && p2 != irq_got && p1 != p2, "nothing twice");
	CHECK(race_problems(NULL, 0) == 0, "the checker too");
	kmem_cache_free(task_cache, p1);
	kmem_cache_free(task_cache, p2);
	kmem_cache_free(task_cache, irq_got);
	kmem_cache_free(task_cache, b);
#endif
	CHECK_EQ(race_done(), 0);
}
