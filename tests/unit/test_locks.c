/* test_locks.c - unit tests of the lock and context model: each kind of misuse is planted
 * and must be reported in the kernel's words, with the right kind; correct use stays silent. */
#include <string.h>

#include "helpers.h"

#define MAX_CAUGHT 16

static struct {
	int n;
	enum slub_report_kind kind[MAX_CAUGHT];
	char msg[MAX_CAUGHT][1024];
	char func[MAX_CAUGHT][64];
} caught;

static void catch_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	if (caught.n < MAX_CAUGHT) {
		caught.kind[caught.n] = r->kind;
		strncpy(caught.msg[caught.n], r->msg, sizeof(caught.msg[0]) - 1);
		strncpy(caught.func[caught.n], r->func, sizeof(caught.func[0]) - 1);
	}
	caught.n++;
}

static void catch_reports(void)
{
	memset(&caught, 0, sizeof(caught));
	slub_set_report_hook(catch_report, NULL);
}

/* The i-th report is of this kind and carries these words (and, if given, those too). */
static int caught_is(int i, enum slub_report_kind kind, const char *words, const char *also)
{
	return i < caught.n && i < MAX_CAUGHT && caught.kind[i] == kind &&
	       strstr(caught.msg[i], words) != NULL && (!also || strstr(caught.msg[i], also));
}

#define BAD_UNLOCK "[ BUG: bad unlock balance detected! ]"
#define RECURSIVE "[ INFO: possible recursive locking detected ]"
#define CIRCULAR "[ INFO: possible circular locking dependency detected ]"
#define HELD_ON_RETURN "[ BUG: lock held when returning to user space! ]"
#define MIGHT_SLEEP "BUG: sleeping function called from invalid context"

/* A caller's own spinlocks: one class (one spin_lock_init site), two instances. */
static void init_list_lock(spinlock_t *l)
{
	spin_lock_init(l);
}

/* ---- unbalanced release ---- */

static DECLARE_RWSEM(test_sem);

TEST(locks_unbalanced_release)
{
	spinlock_t lock;

	slub_platform_reset(1);
	init_list_lock(&lock);
	catch_reports();

	spin_unlock(&lock);
	CHECK_EQ(caught.n, 1);
	CHECK(caught_is(0, SLUB_REPORT_WARN, BAD_UNLOCK, "(l)"), "spin_unlock of a free lock: %s",
	      caught.msg[0]);
	CHECK(strcmp(caught.func[0], "test_locks_unbalanced_release") == 0, "names the caller: %s",
	      caught.func[0]);
	CHECK_EQ(lock.locked, 0);

	up_write(&test_sem);
	CHECK(caught_is(1, SLUB_REPORT_WARN, BAD_UNLOCK, "(test_sem)"), "up_write unheld: %s",
	      caught.msg[1]);
	up_read(&test_sem);
	CHECK(caught_is(2, SLUB_REPORT_WARN, BAD_UNLOCK, "(test_sem)"), "up_read unheld: %s",
	      caught.msg[2]);
	/* the released-twice case: the second release is the unbalanced one */
	down_read(&test_sem);
	up_read(&test_sem);
	CHECK_EQ(caught.n, 3);
	up_read(&test_sem);
	CHECK(caught_is(3, SLUB_REPORT_WARN, BAD_UNLOCK, NULL), "second up_read: %s",
	      caught.msg[3]);
	CHECK_EQ(test_sem.activity, 0);
	CHECK_EQ(slub_locks_held(), 0);
	CHECK(!slub_tainted(), "lockdep's report is not fatal");
}

static struct page *test_page;

static void unlock_unlocked_slab(void *arg)
{
	(void)arg;
	slab_unlock(test_page);
}

TEST(locks_slab_unlock_of_unlocked_slab_is_fatal)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 1, 256);
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	test_page = virt_to_head_page(kmalloc(64, GFP_KERNEL));
	catch_reports();
	/* 2.6.36's bit_spin_unlock BUG_ONs a clear bit */
	CHECK_EQ(slub_protected(unlock_unlocked_slab, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(0, SLUB_REPORT_BUG, BAD_UNLOCK, "(slab_lock)"), "%s", caught.msg[0]);
	slub_shutdown();
}

/* ---- recursion ---- */

static spinlock_t lock_a, lock_b;

static void spin_lock_twice(void *arg)
{
	(void)arg;
	spin_lock(&lock_a);
	spin_lock(&lock_a);
}

static void down_write_twice(void *arg)
{
	(void)arg;
	down_write(&test_sem);
	down_write(&test_sem);
}

static void read_under_write(void *arg)
{
	(void)arg;
	down_write(&test_sem);
	down_read(&test_sem);
}

static void slab_lock_twice(void *arg)
{
	(void)arg;
	slab_lock(test_page);
	slab_lock(test_page);
}

TEST(locks_recursion)
{
	struct slub_config cfg;

	slub_platform_reset(1);
	init_list_lock(&lock_a);
	init_list_lock(&lock_b);
	catch_reports();

	/* the same lock again: the task would deadlock, so it is fatal */
	CHECK_EQ(slub_protected(spin_lock_twice, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(0, SLUB_REPORT_BUG, RECURSIVE, "but task is already holding lock"), "%s",
	      caught.msg[0]);
	CHECK(strcmp(caught.func[0], "spin_lock_twice") == 0, "names the caller: %s",
	      caught.func[0]);
	CHECK_EQ(slub_locks_held(), 0); /* the dead call's locks went with it */

	slub_platform_reset(1);
	catch_reports();
	CHECK_EQ(slub_protected(down_write_twice, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(0, SLUB_REPORT_BUG, RECURSIVE, "(test_sem){down_write}"), "%s",
	      caught.msg[0]);

	slub_platform_reset(1);
	test_sem.activity = 0;
	catch_reports();
	CHECK_EQ(slub_protected(read_under_write, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(0, SLUB_REPORT_BUG, RECURSIVE, "(test_sem){down_read}"), "%s",
	      caught.msg[0]);

	/* another lock of the same class: lockdep's report, and the task goes on */
	slub_platform_reset(1);
	test_sem.activity = 0;
	init_list_lock(&lock_a);
	init_list_lock(&lock_b);
	catch_reports();
	spin_lock(&lock_a);
	spin_lock(&lock_b);
	CHECK_EQ(caught.n, 1);
	CHECK(caught_is(0, SLUB_REPORT_WARN, RECURSIVE, "(l){spin_lock}"), "%s", caught.msg[0]);
	CHECK(strstr(caught.msg[0], "1 lock held by slubfuzz/1:") != NULL, "lists what is held: %s",
	      caught.msg[0]);
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
	/* a second reader is recursion too (down_read is not a recursive read lock) */
	down_read(&test_sem);
	down_read(&test_sem);
	CHECK(caught_is(1, SLUB_REPORT_WARN, RECURSIVE, "(test_sem){down_read}"), "%s",
	      caught.msg[1]);
	up_read(&test_sem);
	up_read(&test_sem);
	CHECK_EQ(caught.n, 2);
	/* a trylock of a held lock fails quietly */
	spin_lock(&lock_a);
	CHECK_EQ(spin_trylock(&lock_a), 0);
	spin_unlock(&lock_a);
	CHECK_EQ(caught.n, 2);
	CHECK_EQ(slub_locks_held(), 0);

	/* slab_lock twice on one slab, inside the booted allocator */
	helpers_config(&cfg, 1, 1, 256);
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	test_page = virt_to_head_page(kmalloc(64, GFP_KERNEL));
	catch_reports();
	CHECK_EQ(slub_protected(slab_lock_twice, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(0, SLUB_REPORT_BUG, RECURSIVE, "(slab_lock){bit_spin_lock}"), "%s",
	      caught.msg[0]);
	slub_shutdown();
}

/* ---- a lock held when the call returns to the harness ---- */

static void take_slub_lock(void *arg)
{
	(void)arg;
	down_write(&slub_lock);
}

static void put_slub_lock(void *arg)
{
	(void)arg;
	up_write(&slub_lock);
}

static void take_list_lock(void *arg)
{
	spin_lock((spinlock_t *)arg);
}

static void irqs_off(void *arg)
{
	unsigned long flags;

	(void)arg;
	local_irq_save(flags);
	(void)flags;
}

static void balanced(void *arg)
{
	unsigned long flags;

	spin_lock_irqsave((spinlock_t *)arg, flags);
	spin_unlock_irqrestore((spinlock_t *)arg, flags);
	kfree(kmalloc(100, GFP_KERNEL));
}

static void nested_balanced(void *arg)
{
	down_read(&slub_lock);
	/* a call made while the caller holds a lock: only what it takes itself must go */
	CHECK_EQ(slub_protected(balanced, arg), 0);
	up_read(&slub_lock);
}

TEST(locks_held_on_return)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 2, 256);
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	init_list_lock(&lock_a);
	catch_reports();

	CHECK_EQ(slub_protected(balanced, &lock_a), 0);
	CHECK_EQ(slub_protected(nested_balanced, &lock_a), 0);
	CHECK_EQ(caught.n, 0);

	CHECK_EQ(slub_protected(take_slub_lock, NULL), 0);
	CHECK_EQ(caught.n, 1);
	CHECK(caught_is(0, SLUB_REPORT_WARN, HELD_ON_RETURN, "(slub_lock){down_write}"), "%s",
	      caught.msg[0]);
	CHECK(strstr(caught.msg[0], "at: take_slub_lock()") != NULL, "says where it was taken: %s",
	      caught.msg[0]);
	CHECK(strcmp(caught.func[0], "take_slub_lock") == 0, "reported where taken: %s",
	      caught.func[0]);
	/* the next call that wants it finds it held: a deadlock, fatal */
	CHECK_EQ(slub_protected(take_slub_lock, NULL), SLUB_BOOT_PANIC);
	CHECK(caught_is(1, SLUB_REPORT_BUG, RECURSIVE, "(slub_lock)"), "%s", caught.msg[1]);
	slub_shutdown();

	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot again");
	CHECK_EQ(slub_lock.activity, 0); /* a new boot starts with slub_lock free */
	catch_reports();
	CHECK_EQ(slub_protected(take_slub_lock, NULL), 0);
	CHECK_EQ(slub_protected(put_slub_lock, NULL), 0);
	CHECK_EQ(caught.n, 1); /* the first returned holding it; the second released it */

	CHECK_EQ(slub_protected(take_list_lock, &lock_a), 0);
	CHECK(caught_is(1, SLUB_REPORT_WARN, HELD_ON_RETURN, "(l){spin_lock}"), "%s",
	      caught.msg[1]);
	spin_unlock(&lock_a);

	CHECK_EQ(slub_protected(irqs_off, NULL), 0);
	CHECK(caught_is(2, SLUB_REPORT_WARN, "left IRQs disabled", NULL), "%s", caught.msg[2]);
	local_irq_enable();
	CHECK_EQ(caught.n, 3);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* ---- sleeping in atomic context ---- */

static int context_ok(void)
{
	return !slub_locks_held() && !in_atomic() && !irqs_disabled();
}

TEST(locks_sleeping_function_in_atomic_context)
{
	struct slub_config cfg;
	unsigned long flags;
	struct page *page;
	void *p, *q;
	int n;

	helpers_config(&cfg, 1, 2, 256);
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	init_list_lock(&lock_a);
	catch_reports();

	/* interrupts off: a __GFP_WAIT allocation may sleep */
	local_irq_save(flags);
	p = kmalloc(64, GFP_KERNEL);
	local_irq_restore(flags);
	CHECK(caught_is(0, SLUB_REPORT_WARN, MIGHT_SLEEP, "irqs_disabled(): 1"), "%s",
	      caught.msg[0]);
	CHECK(strstr(caught.msg[0], "in_atomic(): 0") != NULL, "%s", caught.msg[0]);
	CHECK(strcmp(caught.func[0], "slab_alloc") == 0, "where might_sleep is: %s",
	      caught.func[0]);
	kfree(p);

	/* a spinlock held (a caller's own), interrupts on: in_atomic */
	n = caught.n;
	spin_lock(&lock_a);
	p = kmalloc(200, GFP_KERNEL);
	CHECK(caught_is(n, SLUB_REPORT_WARN, MIGHT_SLEEP, "in_atomic(): 1, irqs_disabled(): 0"),
	      "%s", caught.msg[n]);
	CHECK(strstr(caught.msg[n], "(l){spin_lock}") != NULL, "lists the lock: %s",
	      caught.msg[n]);
	/* taking slub_lock (a semaphore) under it sleeps too */
	n = caught.n;
	down_read(&slub_lock);
	CHECK(caught_is(n, SLUB_REPORT_WARN, MIGHT_SLEEP, "in_atomic(): 1"), "%s", caught.msg[n]);
	up_read(&slub_lock);
	spin_unlock(&lock_a);
	kfree(p);

	/* a large kmalloc goes to the page allocator, which may sleep as well */
	q = kmalloc(64, GFP_ATOMIC);
	page = virt_to_head_page(q);
	n = caught.n;
	slab_lock(page);
	p = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	slab_unlock(page);
	CHECK(caught_is(n, SLUB_REPORT_WARN, MIGHT_SLEEP, "(slab_lock){bit_spin_lock}"), "%s",
	      caught.msg[n]);
	CHECK(strcmp(caught.func[n], "__pa_alloc_pages_node") == 0, "the page allocator: %s",
	      caught.func[n]);
	kfree(p);
	kfree(q);

	/* what may not sleep is fine anywhere */
	n = caught.n;
	local_irq_save(flags);
	spin_lock(&lock_a);
	for (int i = 0; i < 300; i++) /* through the slow path */
		kfree(kmalloc(64, GFP_ATOMIC));
	kfree(kmalloc(5 * PAGE_SIZE, GFP_NOWAIT));
	spin_unlock(&lock_a);
	local_irq_restore(flags);
	/* and a __GFP_WAIT allocation where it may sleep: a semaphore held is not atomic */
	down_write(&slub_lock);
	kfree(kmalloc(64, GFP_KERNEL));
	kfree(kmalloc(5 * PAGE_SIZE, GFP_KERNEL));
	up_write(&slub_lock);
	CHECK_EQ(caught.n, n);
	CHECK(context_ok(), "all released");
	CHECK_EQ(helpers_shutdown(), 0);
}

/* As in 2.6.36, might_sleep says nothing while start_kernel runs with interrupts off. */
TEST(locks_might_sleep_quiet_during_early_boot)
{
	struct slub_config cfg;
	void *p;

	helpers_config(&cfg, 1, 1, 256);
	helpers_install_report_hook();
	REQUIRE(slub_boot_start(&cfg) == SLUB_BOOT_OK, "boot start");
	CHECK(irqs_disabled(), "start_kernel runs with interrupts off");
	REQUIRE(slub_boot_step(SLUB_BOOT_STEP_INIT) == SLUB_BOOT_OK, "kmem_cache_init");
	catch_reports();
	CHECK(irqs_disabled(), "still off after kmem_cache_init");
	p = kmalloc(64, GFP_KERNEL); /* the boot mask takes __GFP_WAIT away anyway */
	kfree(p);
	down_write(&slub_lock); /* a cache made this early takes slub_lock with irqs off */
	up_write(&slub_lock);
	CHECK_EQ(caught.n, 0);
	REQUIRE(slub_boot_step(SLUB_BOOT_STEP_IRQS_ON) == SLUB_BOOT_OK, "irqs on");
	CHECK(!irqs_disabled(), "interrupts on");
	REQUIRE(slub_boot_step(SLUB_BOOT_STEP_INIT_LATE) == SLUB_BOOT_OK, "init_late");
	/* from here (the early initcalls) on, it reports */
	local_irq_disable();
	down_write(&slub_lock);
	local_irq_enable();
	up_write(&slub_lock);
	CHECK(caught_is(0, SLUB_REPORT_WARN, MIGHT_SLEEP, "irqs_disabled(): 1"), "%s",
	      caught.msg[0]);
	REQUIRE(slub_boot_step(SLUB_BOOT_STEP_SYSFS) == SLUB_BOOT_OK, "sysfs");
	CHECK_EQ(caught.n, 1);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* ---- lock order ---- */

TEST(locks_order_inversion)
{
	struct kmem_cache_node node;
	spinlock_t *list_lock, *other_list_lock = &node.list_lock;
	struct slub_config cfg;
	struct page *page;
	void *p;

	helpers_config(&cfg, 1, 1, 256);
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	init_kmem_cache_node(&node, NULL); /* its list_lock is of SLUB's list_lock class */
	init_list_lock(&lock_a);
	p = kmalloc(64, GFP_KERNEL);
	page = virt_to_head_page(p);
	/* the list_lock that __slab_free takes for this page: the order's other half */
	list_lock = &get_node(page->slab, page_to_nid(page))->list_lock;
	catch_reports();

	/*
	 * A slab_lock (no lockdep map in 2.6.36: the order rule is the model's) under another
	 * cache's list_lock deadlocks against nothing: list_slab_objects' kzalloc does it
	 */
	spin_lock(other_list_lock);
	slab_lock(page);
	slab_unlock(page);
	spin_unlock(other_list_lock);
	CHECK_EQ(caught.n, 0);

	/* 2.6.36's order: slab_lock, then list_lock */
	slab_lock(page);
	spin_lock(list_lock);
	spin_unlock(list_lock);
	slab_unlock(page);
	/* the other way only by trylock, as get_partial_node does */
	spin_lock(list_lock);
	CHECK_EQ(slab_trylock(page), 1);
	slab_unlock(page);
	/* a caller's own lock has no place in the order */
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(list_lock);
	CHECK_EQ(caught.n, 0);

	spin_lock(list_lock);
	slab_lock(page);
	CHECK(caught_is(0, SLUB_REPORT_WARN, CIRCULAR, "(slab_lock){bit_spin_lock}"), "%s",
	      caught.msg[0]);
	CHECK(strstr(caught.msg[0], "(&n->list_lock){spin_lock}") != NULL, "names list_lock: %s",
	      caught.msg[0]);
	slab_unlock(page);
	/* slub_lock is outermost: it sleeps, so might_sleep speaks as well */
	down_read(&slub_lock);
	CHECK(caught_is(1, SLUB_REPORT_WARN, MIGHT_SLEEP, NULL), "%s", caught.msg[1]);
	CHECK(caught_is(2, SLUB_REPORT_WARN, CIRCULAR, "(slub_lock){down_read}"), "%s",
	      caught.msg[2]);
	up_read(&slub_lock);
	spin_unlock(list_lock);
	CHECK_EQ(caught.n, 3);
	CHECK(context_ok(), "all released");
	kfree(p);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* ---- correct use is silent ---- */

static __attribute__((unused)) void whole_life(void *arg)
{
	struct kmem_cache *s;
	void *p[64];
	int i;

	(void)arg;
	CHECK_EQ(helpers_workload(7), 0);
	s = kmem_cache_create("locks_test", 200, 0, SLAB_STORE_USER, NULL);
	if (!s)
		return;
	for (i = 0; i < 64; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slub_set_cpu(1);
	for (i = 0; i < 64; i += 2)
		kmem_cache_free(s, p[i]);
	kmem_cache_shrink(s);
	slub_validate_all();
	CHECK_EQ(slub_cpu_down(0), 0);
	CHECK_EQ(slub_cpu_up(0), 0);
	for (i = 1; i < 64; i += 2)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

/* The seed build keeps 2.6.36's create failure paths (UPSTREAM_CREATE_LOCK_IMBALANCE and the
 * sysfs defects of allocator/README.md), which this test would report. */
#ifndef SLUB_BOOTSTRAP_SEED
TEST(locks_clean_run_reports_nothing)
{
	struct slub_config cfg;

	helpers_config(&cfg, 3, 2, 512);
	cfg.node_offline[2] = 1;
	REQUIRE(helpers_boot(&cfg) == SLUB_BOOT_OK, "boot");
	catch_reports();
	CHECK_EQ(slub_protected(whole_life, NULL), 0);
	CHECK_EQ(slub_node_online(2), 0); /* slab_memory_callback, under slub_lock */
	CHECK_EQ(slub_node_offline(2), 0);
	for (int i = 0; i < caught.n && i < MAX_CAUGHT; i++)
		CHECK(caught.kind[i] == SLUB_REPORT_INFO, "report %d: %s", i, caught.msg[i]);
	CHECK(context_ok(), "nothing held, interrupts on");
	CHECK_EQ(helpers_shutdown(), 0);
}
#endif
