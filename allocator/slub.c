/* slub.c - slabs and the object paths: new_slab/free_slab, partial lists, cpu slabs,
 * the slab_alloc fast path and __slab_alloc slow path, slab_free and __slab_free.
 *
 * How SLUB (2.6.36 + the seed) keeps its slabs, and what the model checks of it.
 *
 * A slab is one page, or one compound page, cut into objects of s->size bytes. Each slab is
 * in exactly one of these states:
 *   - frozen: it is some cpu's slab (kmem_cache_cpu->page). PG_slub_frozen is set and it is on
 *     no list. Its owner cpu allocates from c->freelist without any lock; frees from other
 *     cpus go onto page->freelist under slab_lock and leave the lists alone. deactivate_slab
 *     thaws it: the cpu freelist is handed back and the slab goes on the list its fill says.
 *   - partial: some objects free, some in use; on its node's n->partial, counted in
 *     nr_partial. Up to min_partial empty slabs are kept here too, at the tail.
 *   - full: no free object. On no list at all, unless the cache stores users
 *     (SLAB_STORE_USER with debugging), in which case it sits on n->full so it can be walked.
 *   - empty: discarded back to the page allocator (discard_slab), or, for
 *     SLAB_DESTROY_BY_RCU, waiting on the grace-period queue until slub_rcu_grace_period.
 * Debugging caches (kmem_cache_debug) never use the lockless cpu freelist: c->node is -1, so
 * every allocation and free goes through the slow paths and their checks.
 *
 * What the allocator as a whole can do is slab_state: DOWN (nothing), PARTIAL (the
 * kmem_cache_node cache works), UP (kmalloc works), SYSFS (caches registered).
 *
 * struct page of a slab (page_alloc.h lays them out over the buddy allocator's fields):
 *   flags      PG_slab; PG_head/PG_tail for an order > 0 slab; PG_locked is slab_lock;
 *              PG_slub_frozen marks a cpu slab.
 *   slab       the owning kmem_cache (over mapping); every slab must name its own cache.
 *   freelist   first free object not on a cpu freelist, NULL if none (over index). Free
 *              objects chain through the word at s->offset in each object.
 *   inuse      objects not on page->freelist. A frozen slab counts the cpu freelist's
 *              objects as in use until deactivate_slab returns them.
 *   objects    how many objects this slab holds (s->oo's count, or s->min's after an order
 *              fallback).
 *   lru        the link on n->partial or n->full (or the RCU queue).
 *
 * Locks, outermost first, as 2.6.36 takes them:
 *   1. slub_lock (rw semaphore): slab_caches and every cache's existence; taken for write
 *      by kmem_cache_create/destroy and slab_sysfs_init, for read by the hotplug callbacks
 *      and validation. It may sleep: allocating with GFP_KERNEL under it is legal.
 *   2. slab_lock(page) (bit spinlock PG_locked): the slab's freelist, inuse and frozen state.
 *   3. n->list_lock (spinlock, per node, interrupts off): n->partial, nr_partial, n->full.
 *   slab_lock before list_lock: __slab_free and unfreeze_slab hold the slab and then add it to
 *   a list. Going the other way (get_partial_node, kmem_cache_shrink, validation walk a list
 *   and want its slabs) only slab_trylock is allowed, and a busy slab is skipped.
 *   list_slab_objects (kmem_cache_close of a cache that still has objects) is 2.6.36's one
 *   blocking slab_lock under list_lock, and kzallocs there too; the model reports it.
 * Interrupts: slab_alloc and slab_free run with them off (local_irq_save), which is also what
 * keeps a task on its cpu; __slab_alloc turns them on only around new_slab, and only for
 * __GFP_WAIT, so the page allocator may sleep (the window of the harness's `irq` and
 * `migrate`; `irq_at` and `migrate_at` name any other yield point where the kernel allows
 * them, below). flush_all is on_each_cpu: each cpu flushes its own slab with
 * interrupts off. Until start_kernel turns interrupts on, gfp_allowed_mask strips __GFP_WAIT.
 *
 * Concurrency: who runs where, under what, and where the harness may switch (sched.c).
 *   - The owner cpu, interrupts off, no lock: slab_alloc/slab_free's fast path on
 *     c->freelist and c->page. Nothing else may touch that cpu's kmem_cache_cpu: the
 *     interrupts-off section is the whole protection, and flush_all's work for that cpu runs
 *     on that cpu (on_each_cpu), again with interrupts off, delivered only where that cpu has
 *     them on: at once to a cpu whose task is outside the allocator (not begun, or done).
 *   - Any cpu, under slab_lock: a remote free (__slab_free) into a slab that is some other
 *     cpu's frozen slab, or on a partial list; the owner's load_freelist taking page->freelist
 *     over; deactivate_slab/unfreeze_slab handing a slab back.
 *   - Any cpu, under n->list_lock (interrupts off): add_partial/remove_partial from
 *     __slab_free and unfreeze_slab; get_partial_node, kmem_cache_shrink, validate_slab_cache,
 *     count_partial and the sysfs shows walking the list, taking slabs only by slab_trylock.
 *   - Any cpu, under slub_lock: create, destroy, the hotplug callbacks, slab_sysfs_init.
 *   - The page allocator: new_slab with interrupts on when __GFP_WAIT, the window in which
 *     another task may run on this cpu or this task move to another (the `irq` and `migrate`
 *     events), and in which c must be read again afterwards.
 *   A concurrent run (slub_sched_run, the fuzz programs' `par` groups) puts one task on each of
 *   several cpus and switches only at yield points: before each lock is taken and after it is
 *   released (so a task waits where another holds the lock), where interrupts come back on,
 *   at might_sleep and at a __GFP_WAIT page request, and at SLUB_YIELD_ACCESS points between
 *   two accesses to shared state that only real parallelism separates (__slab_free and
 *   deactivate_slab between the load and the store of page->freelist, kmem_cache_shrink
 *   before it reads a partial slab's inuse). Another cpu's task may run at every one of them;
 *   no yield point lies inside an interrupts-off section without a lock operation, so the
 *   fast path runs whole, as it does on a kernel cpu. A race between two accesses needs a
 *   yield point between them: a narrowed lock (the RACE_ entries of bugs.h) opens one.
 *   2.6.39's lockless fast path will need one between any two of its loads and before its
 *   cmpxchg.
 *   The same yield points are where the task's own cpu may take an interrupt, or the task be
 *   preempted and moved, in a concurrent run or not: an interrupt wherever that cpu's
 *   interrupts are on (before slab_alloc turns them off and after slab_free turns them back
 *   on, at slub_lock, between the nodes shrink and validation walk, in __slab_alloc's window),
 *   a migration where also no spinlock is held (slub_sched_set_point_hook; the fuzz events
 *   `irq_at` and `migrate_at`). The page request inside __slab_alloc's window is one such
 *   point: `irq` and `migrate` name it by its occurrence among page requests.
 *
 * The model (lockdep.c) checks every lock operation and reports, in the kernel's words:
 *   - a release of a lock the task does not hold: "[ BUG: bad unlock balance detected! ]"
 *     (lockdep; a warning, except slab_unlock, whose 2.6.36 bit_spin_unlock BUG_ONs);
 *   - taking a lock of a class already held: "[ INFO: possible recursive locking detected ]"
 *     (fatal when it is the very lock held: the kernel would deadlock there);
 *   - taking slub_lock, slab_lock or list_lock, other than by trylock, while holding one that
 *     comes later in the order above: "[ INFO: possible circular locking dependency
 *     detected ]";
 *   - a lock still held when a call returns to the harness (slub_protected): "[ BUG: lock
 *     held when returning to user space! ]" (lockdep_sys_exit), and interrupts left off:
 *     "the call left IRQs disabled" (the syscall exit check of later kernels);
 *   - something that may sleep (a __GFP_WAIT allocation in slab_alloc or the page allocator,
 *     down_read/down_write) with interrupts off or a spinlock held: "BUG: sleeping function
 *     called from invalid context" (might_sleep), silent during early boot as in 2.6.36.
 */
#include "slub_def.h"
#include "track.h"

void *get_freepointer(struct kmem_cache *s, void *object)
{
	return track_meta_read_ptr((char *)object + s->offset);
}

void set_freepointer(struct kmem_cache *s, void *object, void *fp)
{
	track_meta_write_ptr((char *)object + s->offset, fp);
}

/* ---- getting slabs from and back to the page allocator ---- */

static struct page *alloc_slab_page(gfp_t flags, int node, struct kmem_cache_order_objects oo)
{
	int order = oo_order(oo);

	flags |= __GFP_NOTRACK;
	if (node == NUMA_NO_NODE)
		return alloc_pages(flags, order);
	return alloc_pages_node(node, flags, order);
}

void (*slub_stat_observer)(struct kmem_cache *s, enum stat_item si);

/* The statistics counters (CONFIG_SLUB_STATS is always on here). */
static inline void stat(struct kmem_cache *s, enum stat_item si)
{
	slub_note_touched(s);
	if (unlikely(slub_stat_observer))
		slub_stat_observer(s, si);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_STAT_NULL_CPU_SLAB)
	/*
	 * Correction: kmem_cache_open sets up the per-node structures before the per-cpu area,
	 * so while early_kmem_cache_node_alloc makes the kmem_cache_node cache's first slab its
	 * cpu_slab is still NULL, and an order fallback there counts ORDER_FALLBACK through it
	 * (2.6.36 with CONFIG_SLUB_STATS: an increment at the per-cpu offset of a NULL pointer).
	 * No upstream fix is known to us: skip the count while there is no per-cpu area.
	 */
	if (!s->cpu_slab)
		return;
#endif
	__this_cpu_ptr(s->cpu_slab)->stat[si]++;
}

static struct page *allocate_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct kmem_cache_order_objects oo = s->oo;
	struct page *page;
	gfp_t alloc_gfp;

	flags |= s->allocflags;
	/* The preferred order may fail quietly; the minimum order is the real attempt. */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	page = alloc_slab_page(alloc_gfp, node, oo);
	if (unlikely(!page)) {
		oo = s->min;
		page = alloc_slab_page(flags, node, oo);
		if (!page)
			return NULL;
		stat(s, ORDER_FALLBACK);
	}
	page->objects = (u16)oo_objects(oo);
	return page;
}

static void setup_object(struct kmem_cache *s, struct page *page, void *object)
{
	setup_object_debug(s, page, object);
	if (unlikely(s->ctor))
		s->ctor(object);
}

struct page *new_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct page *page;
	void *start, *last, *p;

	BUG_ON(flags & GFP_SLAB_BUG_MASK);

	page = allocate_slab(s, flags & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK), node);
	if (!page)
		return NULL;

#ifdef SLUB_BUG_TOTAL_OBJECTS_FROM_OO
	inc_slabs_node(s, page_to_nid(page), oo_objects(s->oo));
#else
	inc_slabs_node(s, page_to_nid(page), page->objects);
#endif
	page->slab = s;
	__SetPageSlab(page);

	start = page_address(page);
	if (unlikely(s->flags & SLAB_POISON))
		track_meta_set(start, POISON_INUSE, PAGE_SIZE << compound_order(page));

	/* As in 2.6.36, the first pass sets up the first object twice (its ctor runs twice). */
	last = start;
	for_each_object(p, s, start, page->objects) {
		setup_object(s, page, last);
		set_freepointer(s, last, p);
		last = p;
	}
	setup_object(s, page, last);
	set_freepointer(s, last, NULL);

	/* Every object starts free: no access until slab_alloc hands it out. */
	track_noaccess(start, PAGE_SIZE << compound_order(page));
	page->freelist = start;
	page->inuse = 0;
	return page;
}

static void __free_slab(struct kmem_cache *s, struct page *page)
{
	int order = (int)compound_order(page);

	if (kmem_cache_debug(s)) {
		void *p;

		slab_pad_check(s, page);
		for_each_object(p, s, page_address(page), page->objects)
			check_object(s, page, p, 0);
	}
	__ClearPageSlab(page);
	page->_mapcount = -1;
	page->freelist = NULL;
	__free_pages(page, (unsigned int)order);
}

/*
 * SLAB_DESTROY_BY_RCU: the kernel hands the slab to call_rcu and frees it after a grace
 * period. Deliberate difference: there is no RCU here; slabs wait on this queue (linked
 * through page->lru, as the kernel overlays its rcu_head there) until the harness ends the
 * grace period with slub_rcu_grace_period(), or rcu_barrier() drains it.
 */
static __slub_state LIST_HEAD(rcu_pending_slabs);

static void rcu_free_slab(struct page *page)
{
	__free_slab(page->slab, page);
}

static void free_slab(struct kmem_cache *s, struct page *page)
{
	if (unlikely(s->flags & SLAB_DESTROY_BY_RCU))
		list_add_tail(&page->lru, &rcu_pending_slabs);
	else
		__free_slab(s, page);
}

unsigned long slub_rcu_grace_period(void)
{
	unsigned long freed = 0;
	struct page *page, *t;

	list_for_each_entry_safe(page, t, &rcu_pending_slabs, lru) {
		list_del(&page->lru);
		rcu_free_slab(page);
		freed++;
	}
	return freed;
}

void rcu_barrier(void)
{
	slub_rcu_grace_period();
}

/*
 * After a panic slub_shutdown discards the arena without walking it: the slabs still waiting
 * here go with it. The queue must go too, or the next boot's grace period frees pages of a
 * machine that no longer exists (their page->slab names a cache of the old one).
 */
void slub_rcu_discard(void)
{
	INIT_LIST_HEAD(&rcu_pending_slabs);
}

#ifdef SLUB_BUG_SHRINK_COUNT_LEAK
void slub_free_slab_uncounted(struct kmem_cache *s, struct page *page)
{
	free_slab(s, page);
}
#endif

void discard_slab(struct kmem_cache *s, struct page *page)
{
	dec_slabs_node(s, page_to_nid(page), page->objects);
	free_slab(s, page);
}

/* ---- partial lists ---- */

/*
 * RACE_NR_PARTIAL_UNLOCKED (bugs.h) narrows both to the list itself: the count is updated after
 * spin_unlock, "it is only a statistic". It is not: validate_slab_node compares it with the
 * list under list_lock, get_partial_node and get_any_partial decide on it, unfreeze_slab keeps
 * min_partial empty slabs by it. Another cpu taking list_lock in the window after the unlock
 * (a yield point) finds the list and its count apart.
 */
void add_partial(struct kmem_cache_node *n, struct page *page, int tail)
{
	spin_lock(&n->list_lock);
#ifndef SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED
	n->nr_partial++;
#endif
	if (tail)
		list_add_tail(&page->lru, &n->partial);
	else
		list_add(&page->lru, &n->partial);
	spin_unlock(&n->list_lock);
#ifdef SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED
	n->nr_partial++;
#endif
}

void remove_partial(struct kmem_cache *s, struct page *page)
{
	struct kmem_cache_node *n = get_node(s, page_to_nid(page));

	spin_lock(&n->list_lock);
	list_del(&page->lru);
#ifndef SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED
	n->nr_partial--;
#endif
	spin_unlock(&n->list_lock);
#ifdef SLUB_BUG_RACE_NR_PARTIAL_UNLOCKED
	n->nr_partial--;
#endif
}

/* Takes a partial slab off its list and freezes it; the caller holds list_lock. */
static int lock_and_freeze_slab(struct kmem_cache_node *n, struct page *page)
{
	if (slab_trylock(page)) {
		list_del(&page->lru);
		n->nr_partial--;
		__SetPageSlubFrozen(page);
		return 1;
	}
	return 0;
}

static struct page *get_partial_node(struct kmem_cache_node *n)
{
	struct page *page;

	if (!n || !n->nr_partial)
		return NULL;

	spin_lock(&n->list_lock);
	list_for_each_entry(page, &n->partial, lru)
		if (lock_and_freeze_slab(n, page))
			goto out;
	page = NULL;
out:
	spin_unlock(&n->list_lock);
	return page;
}

/*
 * Looks for a partial slab on other nodes, nearest first, when remote_node_defrag_ratio lets
 * it. The kernel walks the zonelist of the current mempolicy node; here distance is
 * (node - start) mod nr_node_ids, the order the page allocator falls back in.
 */
static struct page *get_any_partial(struct kmem_cache *s, gfp_t flags)
{
#ifdef CONFIG_NUMA
	/*
	 * 2.6.36 walks node_zonelist(slab_node(current->mempolicy), flags) up to gfp_zone(flags):
	 * with the default policy the local node's zonelist, node-ordered as the page allocator's
	 * (nodes by distance, ZONE_NORMAL before ZONE_DMA within one), only the local node's own
	 * zones under __GFP_THISNODE (gfp_zonelist), only ZONE_DMA for __GFP_DMA, and only
	 * populated zones; a node with both zones is visited twice. No cpusets here:
	 * cpuset_zone_allowed_hardwall allows every zone.
	 */
	enum zone_type high_zoneidx = (flags & __GFP_DMA) ? ZONE_DMA : ZONE_NORMAL;
	int start = numa_node_id();
	int nodes = (flags & __GFP_THISNODE) ? 1 : nr_node_ids;
	int i, zone;

	if (!s->remote_node_defrag_ratio ||
	    get_cycles() % 1024 > (unsigned long)s->remote_node_defrag_ratio)
		return NULL;

	for (i = 0; i < nodes; i++) {
		int nid = (start + i) % nr_node_ids;
		struct kmem_cache_node *n = get_node(s, nid);
		struct page *page;

		for (zone = ZONE_NORMAL; zone >= ZONE_DMA; zone--) {
			if (zone > (int)high_zoneidx || !populated_zone(nid, (enum zone_type)zone))
				continue;
			if (n && n->nr_partial > s->min_partial) {
				page = get_partial_node(n);
				if (page)
					return page;
			}
		}
	}
#endif
	(void)s;
	(void)flags;
	return NULL;
}

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MEMORYLESS_NODE_PARTIAL)
/*
 * Correction: a request for a memoryless node gets its slab from the nearest node with memory
 * (the page allocator's fallback), but 2.6.36 searched only the memoryless node's partial list
 * (there is none) and found the cpu slab on the wrong node (node_match fails): every such
 * request deactivated the cpu slab and took a new slab, leaving partial slabs behind on the
 * node with memory. Upstream a561ce00b09e ("slub: fall back to node_to_mem_node() node if
 * allocating on memoryless node", v3.17) searches, and accepts the cpu slab of, the nearest
 * node with memory instead. node_to_mem_node here is the first node with memory in the page
 * allocator's fallback order. Deliberate narrowing: a __GFP_THISNODE request still means that
 * node only and fails, as in 2.6.36. Both node_match tests take it, slab_alloc's fast path's
 * too: 2.6.36's __slab_alloc refills from the page's freelist over c->freelist, which is
 * empty only when the fast path gave up for want of objects; had the fast path refused the
 * cpu slab that __slab_alloc then accepted, the objects on c->freelist would be lost (found
 * by -random=100000: a memoryless node's kmallocs from two cpus left objects in use that no
 * caller held).
 */
static int partial_node(int node, gfp_t flags)
{
#ifdef CONFIG_NUMA
	if (node != NUMA_NO_NODE && !(flags & __GFP_THISNODE) &&
	    !node_state(node, N_NORMAL_MEMORY))
		for (int i = 1; i < nr_node_ids; i++) {
			int nid = (node + i) % nr_node_ids;

			if (node_state(nid, N_NORMAL_MEMORY))
				return nid;
		}
#endif
	(void)flags;
	return node;
}
#else
static int partial_node(int node, gfp_t flags)
{
	(void)flags;
	return node;
}
#endif

static struct page *get_partial(struct kmem_cache *s, gfp_t flags, int node)
{
	int searchnode = (node == NUMA_NO_NODE) ? numa_node_id() : partial_node(node, flags);
	struct page *page;

#ifdef SLUB_BUG_PARTIAL_SKIPS_NODE_LIST
	if (node != NUMA_NO_NODE)
		return NULL;
#endif
	page = get_partial_node(get_node(s, searchnode));
	if (page || node != NUMA_NO_NODE)
		return page;
	return get_any_partial(s, flags);
}

/* Puts a frozen slab back on the lists (or frees it); called with, and drops, slab_lock. */
static void unfreeze_slab(struct kmem_cache *s, struct page *page, int tail)
{
#ifdef SLUB_BUG_WRONG_NODE_DEACTIVATE
	struct kmem_cache_node *n = get_node(s, numa_node_id());

	if (!n)
		n = get_node(s, page_to_nid(page));
#else
	struct kmem_cache_node *n = get_node(s, page_to_nid(page));
#endif

	__ClearPageSlubFrozen(page);
	if (page->inuse) {
		if (page->freelist) {
			add_partial(n, page, tail);
			stat(s, tail ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
		} else {
			stat(s, DEACTIVATE_FULL);
#ifdef SLUB_BUG_FULL_LIST_ANY_DEBUG
			if (kmem_cache_debug(s))
#else
			if (kmem_cache_debug(s) && (s->flags & SLAB_STORE_USER))
#endif
				add_full(n, page);
		}
		slab_unlock(page);
	} else {
		stat(s, DEACTIVATE_EMPTY);
#if defined(SLUB_BUG_DEACTIVATE_DISCARDS_EMPTY)
		if (0) {
#elif defined(SLUB_BUG_DEACTIVATE_KEEPS_EVERY_EMPTY)
		if (1) {
#else
		if (n->nr_partial < s->min_partial) {
#endif
			/* Keep an empty slab, behind the used ones so they fill first. */
			add_partial(n, page, 1);
			slab_unlock(page);
		} else {
			slab_unlock(page);
#ifndef SLUB_BUG_DEACTIVATE_LOSES_EMPTY
			stat(s, FREE_SLAB);
			discard_slab(s, page);
#endif
		}
	}
}

/*
 * Returns the cpu slab to its node: the cpu freelist goes back onto the page freelist. Called
 * with slab_lock held: page->freelist is shared with every cpu that frees into this slab.
 */
void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	int tail = 1;

	if (page->freelist)
		stat(s, DEACTIVATE_REMOTE_FREES);
	while (unlikely(c->freelist)) {
		void **object;

		tail = 0; /* objects were in use here: the slab is cache-hot */
		object = c->freelist;
		c->freelist = get_freepointer(s, c->freelist);
		set_freepointer(s, object, page->freelist);
		/* another cpu's __slab_free pushes onto page->freelist between these two */
		slub_yield(SLUB_YIELD_ACCESS, "page->freelist");
		page->freelist = object;
		page->inuse--;
	}
	c->page = NULL;
	unfreeze_slab(s, page, tail);
}

#ifdef SLUB_BUG_RACE_FLUSH_MERGE_UNLOCKED
/*
 * RACE_FLUSH_MERGE_UNLOCKED (bugs.h): flush_slab hands the cpu freelist back before it takes
 * slab_lock, "the cpu freelist is this cpu's own". It is, but page->freelist, which the merge
 * loads and stores object by object, is not: a frozen slab takes frees from other cpus under
 * slab_lock (__slab_free's FREE_FROZEN), and one of them between the load and the store (the
 * same yield point as deactivate_slab's) is overwritten: its object is on no freelist and
 * counted free, so the slab never empties. deactivate_slab's merge, lock taken late.
 */
static void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	int tail = 1;

	stat(s, CPUSLAB_FLUSH);
	if (page->freelist)
		stat(s, DEACTIVATE_REMOTE_FREES);
	while (unlikely(c->freelist)) {
		void **object;

		tail = 0;
		object = c->freelist;
		c->freelist = get_freepointer(s, c->freelist);
		set_freepointer(s, object, page->freelist);
		slub_yield_at(SLUB_YIELD_ACCESS, "deactivate_slab", "page->freelist");
		page->freelist = object;
		page->inuse--;
	}
	slab_lock(page);
	c->page = NULL;
	unfreeze_slab(s, page, tail);
}
#else
static void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	stat(s, CPUSLAB_FLUSH);
	slab_lock(c->page);
	deactivate_slab(s, c);
}
#endif

void __flush_cpu_slab(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	if (likely(c && c->page))
		flush_slab(s, c);
}

static void flush_cpu_slab(void *d)
{
	struct kmem_cache *s = d;

	__flush_cpu_slab(s, smp_processor_id());
}

/*
 * Each cpu flushes its own slab, in an IPI (on_each_cpu, platform.h): while another cpu's task
 * runs with interrupts off (the fast path, __slab_alloc holding its slab) its slab is not
 * touched. An offline cpu has nothing to flush because CPU_DEAD flushed it.
 */
void flush_all(struct kmem_cache *s)
{
	on_each_cpu(flush_cpu_slab, s, 1);
}

static int node_match(struct kmem_cache_cpu *c, int node)
{
#ifdef CONFIG_NUMA
	if (node != NUMA_NO_NODE && c->node != node)
		return 0;
#endif
	(void)c;
	(void)node;
	return 1;
}

int count_free(struct page *page)
{
	return page->objects - page->inuse;
}

unsigned long count_partial(struct kmem_cache_node *n, int (*get_count)(struct page *))
{
	unsigned long flags, x = 0;
	struct page *page;

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry(page, &n->partial, lru)
		x += (unsigned long)get_count(page);
	spin_unlock_irqrestore(&n->list_lock, flags);
	return x;
}

static noinline void slab_out_of_memory(struct kmem_cache *s, gfp_t gfpflags, int nid)
{
	int node;

	printk(KERN_WARNING "SLUB: Unable to allocate memory on node %d (gfp=0x%x)\n", nid,
	       gfpflags);
	printk(KERN_WARNING "  cache: %s, object size: %d, buffer size: %d, default order: %d, "
			    "min order: %d\n",
	       s->name, s->objsize, s->size, oo_order(s->oo), oo_order(s->min));
	if (oo_order(s->min) > get_order((unsigned long)s->objsize))
		printk(KERN_WARNING "  %s debugging increased min order, use slub_debug=O to "
				    "disable.\n",
		       s->name);
	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);

		if (!n)
			continue;
		printk(KERN_WARNING "  node %d: slabs: %ld, objs: %ld, free: %lu\n", node,
		       n->nr_slabs, n->total_objects, count_partial(n, count_free));
	}
}

/* ---- allocation ---- */

/*
 * The slow path, with interrupts off: refill from the cpu slab's page freelist, else take a
 * partial slab, else make a new slab. Only around new_slab, and only for __GFP_WAIT, do
 * interrupts come back on; the page allocator's hook is where the harness may then run an
 * interrupt or move us to another cpu, which is why c is looked up again afterwards.
 */
static void *__slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			  struct kmem_cache_cpu *c)
{
	void **object;
	struct page *new;

	gfpflags &= ~__GFP_ZERO; /* slab_alloc zeroes */

	if (!c->page)
		goto new_slab;

#ifdef SLUB_BUG_RACE_REFILL_BEFORE_LOCK
	/*
	 * RACE_REFILL_BEFORE_LOCK (bugs.h): the refill looks at the page freelist before it takes
	 * slab_lock, "a frozen slab is ours". Its page freelist is not: other cpus free into it
	 * under slab_lock, and a free between this load and slab_lock (a yield point) pushes an
	 * object in front of the one loaded. load_freelist then makes the cpu freelist from the
	 * stale head and clears page->freelist: the pushed object is on no freelist and counted
	 * in use for good, and the slab never empties.
	 */
	object = c->page->freelist;
#endif
	slab_lock(c->page);
	if (unlikely(!node_match(c, partial_node(node, gfpflags))))
		goto another_slab;

	stat(s, ALLOC_REFILL);
#ifdef SLUB_BUG_RACE_REFILL_BEFORE_LOCK
	goto load_object;
#endif

load_freelist:
	object = c->page->freelist;
#ifdef SLUB_BUG_RACE_REFILL_BEFORE_LOCK
load_object:
#endif
	if (unlikely(!object))
		goto another_slab;
	if (kmem_cache_debug(s))
		goto debug;

	c->freelist = get_freepointer(s, object);
	c->page->inuse = c->page->objects;
#ifndef SLUB_BUG_LOST_FREELIST_UPDATE
	c->page->freelist = NULL;
#endif
	c->node = page_to_nid(c->page);
unlock_out:
	slab_unlock(c->page);
	stat(s, ALLOC_SLOWPATH);
	return object;

another_slab:
	deactivate_slab(s, c);

new_slab:
	new = get_partial(s, gfpflags, node);
	if (new) {
		c->page = new;
		stat(s, ALLOC_FROM_PARTIAL);
		goto load_freelist;
	}

	if (gfpflags & __GFP_WAIT)
		local_irq_enable();

#ifdef SLUB_BUG_NODE_ONLY_THISNODE
	new = new_slab(s, gfpflags, (gfpflags & __GFP_THISNODE) ? node : NUMA_NO_NODE);
#else
	new = new_slab(s, gfpflags, node);
#endif

	if (gfpflags & __GFP_WAIT)
		local_irq_disable();

	if (new) {
		c = __this_cpu_ptr(s->cpu_slab);
		stat(s, ALLOC_SLAB);
		if (c->page)
			flush_slab(s, c);
		slab_lock(new);
		__SetPageSlubFrozen(new);
		c->page = new;
		goto load_freelist;
	}
	if (!(gfpflags & __GFP_NOWARN))
		slab_out_of_memory(s, gfpflags, node);
	return NULL;

debug:
	if (!alloc_debug_processing(s, c->page, object, addr))
		goto another_slab;

	c->page->inuse++;
	c->page->freelist = get_freepointer(s, object);
	c->node = -1;
	goto unlock_out;
}

void *slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void **object;

	gfpflags &= gfp_allowed_mask;
	might_sleep_if(gfpflags & __GFP_WAIT);

	if (should_failslab((size_t)s->objsize, gfpflags, s->flags))
		return NULL;

	local_irq_save(flags);
	c = __this_cpu_ptr(s->cpu_slab);
	object = c->freelist;
	/* partial_node: the node whose slabs serve this request (the correction above) */
	if (unlikely(!object || !node_match(c, partial_node(node, gfpflags)))) {
		object = __slab_alloc(s, gfpflags, node, addr, c);
	} else {
		c->freelist = get_freepointer(s, object);
		stat(s, ALLOC_FASTPATH);
	}
	local_irq_restore(flags);

	if (likely(object))
		track_object_alloc(object, (size_t)s->objsize, s->ctor != NULL);
	if (unlikely(gfpflags & __GFP_ZERO) && object)
		memset(object, 0, (size_t)s->objsize);
	return object;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags)
{
	return slab_alloc(s, gfpflags, NUMA_NO_NODE, _RET_IP_);
}

/* Without CONFIG_NUMA the kernel maps kmem_cache_alloc_node onto kmem_cache_alloc. */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node)
{
#ifdef CONFIG_NUMA
	return slab_alloc(s, gfpflags, node, _RET_IP_);
#else
	(void)node;
	return slab_alloc(s, gfpflags, NUMA_NO_NODE, _RET_IP_);
#endif
}

/* ---- freeing ---- */

/*
 * The object is the allocator's from here: the user may not touch it. Done only once the free
 * is certain (slub_debug may refuse it). Like KASAN, SLAB_DESTROY_BY_RCU objects stay readable:
 * their users may look at them until the grace period, finding a free or reused object.
 */
static void slab_free_hook(struct kmem_cache *s, void *x)
{
	if (!(s->flags & SLAB_DESTROY_BY_RCU))
		track_object_free(x, (size_t)s->size);
}

static void __slab_free(struct kmem_cache *s, struct page *page, void *x, unsigned long addr)
{
	void **object = x;
	void *prior;
#ifdef SLUB_BUG_RACE_FREE_FROZEN_BEFORE_LOCK
	/*
	 * RACE_FREE_FROZEN_BEFORE_LOCK (bugs.h): whether the slab is a cpu slab is read before
	 * slab_lock, "the owner cpu would not be freeing here". Frozen is what slab_lock guards:
	 * get_partial_node freezes a partial slab under it (trylock), deactivate_slab thaws one.
	 * Another cpu doing either between this read and slab_lock (a yield point) leaves the
	 * decision below stale: a slab just frozen is added to the partial list as another cpu's
	 * slab, or a slab just thawed and full gets a free object and stays on no list.
	 */
	int frozen = PageSlubFrozen(page);
#endif

	stat(s, FREE_SLOWPATH);
#ifdef SLUB_BUG_RACE_FREE_PUSH_UNLOCKED
	/*
	 * RACE_FREE_PUSH_UNLOCKED (bugs.h): the push onto page->freelist happens before slab_lock,
	 * which is taken only for the list decisions, "a push is two stores". Between the load of
	 * page->freelist and the store (a yield point, as below) another cpu may take the
	 * freelist (__slab_alloc's refill of its cpu slab makes it the cpu freelist and clears
	 * page->freelist) or push its own free: the store puts back objects that are handed out
	 * already, or drops the other free. Debug caches keep their checks under the lock.
	 */
	if (!kmem_cache_debug(s)) {
		slab_free_hook(s, x);
		prior = page->freelist;
		set_freepointer(s, object, prior);
		slub_yield(SLUB_YIELD_ACCESS, "page->freelist");
		page->freelist = object;
		page->inuse--;
		slab_lock(page);
		goto pushed;
	}
#endif
	slab_lock(page);

	if (kmem_cache_debug(s))
		goto debug;

checks_ok:
	slab_free_hook(s, x);
	prior = page->freelist;
	set_freepointer(s, object, prior);
	/* what slab_lock keeps out: another cpu's push, or its refill taking the freelist */
	slub_yield(SLUB_YIELD_ACCESS, "page->freelist");
	page->freelist = object;
	page->inuse--;
#ifdef SLUB_BUG_RACE_FREE_PUSH_UNLOCKED
pushed:
#endif

#ifdef SLUB_BUG_RACE_FREE_FROZEN_BEFORE_LOCK
	if (unlikely(frozen)) {
#else
	if (unlikely(PageSlubFrozen(page))) {
#endif
		stat(s, FREE_FROZEN);
		goto out_unlock;
	}

	if (unlikely(!page->inuse))
		goto slab_empty;

	/* The slab was full, hence on no list: it is partial now. */
	if (unlikely(!prior)) {
		add_partial(get_node(s, page_to_nid(page)), page, 1);
		stat(s, FREE_ADD_PARTIAL);
	}

out_unlock:
	slab_unlock(page);
	return;

slab_empty:
#ifdef SLUB_BUG_FREE_KEEPS_EMPTY_SLAB
	if (get_node(s, page_to_nid(page))->nr_partial < s->min_partial) {
		if (!prior)
			add_partial(get_node(s, page_to_nid(page)), page, 1);
		goto out_unlock;
	}
#endif
#ifdef SLUB_BUG_MISSED_LIST_DEL
	if (0) {
#else
	if (prior) {
#endif
		remove_partial(s, page);
		stat(s, FREE_REMOVE_PARTIAL);
	}
	slab_unlock(page);
	stat(s, FREE_SLAB);
	discard_slab(s, page);
	return;

debug:
	if (!free_debug_processing(s, page, x, addr))
		goto out_unlock;
	goto checks_ok;
}

void slab_free(struct kmem_cache *s, struct page *page, void *x, unsigned long addr)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void **object = x;

	if (kasan_slab_free(s, page, x))
		return;

#ifdef SLUB_BUG_RACE_FREE_FASTPATH_IRQS_ON
	/*
	 * RACE_FREE_FASTPATH_IRQS_ON (bugs.h): "the task cannot leave its cpu, so the cpu
	 * freelist is ours": the fast path under preempt_disable, interrupts on. An interrupt
	 * between the load of c->freelist and the store (the marked point, where this build's
	 * interrupts are on; the fixed build has none: its interrupts are off there, and nothing
	 * else touches a cpu's freelist) changes the freelist under it.
	 */
	preempt_disable();
	c = __this_cpu_ptr(s->cpu_slab);
	if (likely(page == c->page && c->node >= 0)) {
		slab_free_hook(s, x);
		set_freepointer(s, object, c->freelist);
		slub_yield(SLUB_YIELD_ACCESS, "c->freelist");
		c->freelist = object;
		stat(s, FREE_FASTPATH);
		preempt_enable();
		return;
	}
	preempt_enable();
#endif
	local_irq_save(flags);
	c = __this_cpu_ptr(s->cpu_slab);
	if (likely(page == c->page && c->node >= 0)) {
		slab_free_hook(s, x);
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
		stat(s, FREE_FASTPATH);
	} else {
		__slab_free(s, page, x, addr);
	}
	local_irq_restore(flags);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page = virt_to_head_page(x);

	slab_free(s, page, x, _RET_IP_);
}
