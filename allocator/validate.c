/* validate.c - checking caches against themselves: validate_slab_cache (the kernel's sysfs
 * "validate", which reports and repairs through debug.c) and slub_check_consistency, the
 * harness's read-only strict checker of owners, lists, counters and freelists. */
#include "slub_def.h"
#include "track.h"

int count_inuse(struct page *page)
{
	return page->inuse;
}

int count_total(struct page *page)
{
	return page->objects;
}

/* ---- validate_slab_cache ---- */

/*
 * Deliberate difference: the kernel kmallocs this map for each validate. A static map keeps a
 * check from changing the sequence of page allocations that a harness's failure schedule
 * counts, and lets validation run before kmalloc works.
 */
static unsigned long validate_map[BITS_TO_LONGS(MAX_OBJS_PER_PAGE + 1)];
/*
 * count mismatches, which are not slab_bug reports, per cpu: two cpus of a concurrent group
 * may validate at once, and each call counts its own (the kernel's are local to the call)
 */
static long validate_problems[NR_CPUS];

static int validate_slab(struct kmem_cache *s, struct page *page, unsigned long *map)
{
	void *addr = page_address(page);
	int walked = 0;
	void *p, *prev = NULL;

	if (!check_slab(s, page) || !on_freelist(s, page, NULL))
		return 0;

	/* on_freelist cut the chain at any bad pointer, so it is a valid one now */
	bitmap_zero(map, page->objects);
	for_each_free_object(p, s, page->freelist) {
		int i = slab_index(p, s, addr);

		slub_watchdog_tick();
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_VALIDATE_FREELIST_CYCLE)
		/*
		 * Correction: a cyclic free list (a double free or an overwritten free pointer,
		 * which on_freelist bounds at page->objects, reports as "Wrong object count" -
		 * leaving inuse at objects - (objects + 1), i.e. 65535 - and returns 1 on) kept
		 * 2.6.36 here for ever, list_lock held and interrupts off: a soft lockup from the
		 * check meant to report the corruption. The walk ends at the first repeat and
		 * cuts the chain there, as on_freelist cuts it at a bad pointer, recounting inuse:
		 * the slab is usable again. Not fixed upstream: 3.1's get_map and later kernels'
		 * __fill_map walk the free list without a bound too.
		 */
		if (test_bit(i, map) || walked >= page->objects) {
			slab_err(s, page, "Freelist cycle: %p is on it again after %d free objects",
				 p, walked);
			if (prev) /* always: the first object cannot be a repeat */
				set_freepointer(s, prev, NULL);
			page->inuse = (u16)(page->objects - walked);
			break;
		}
		walked++;
		prev = p;
#else
		/*
		 * The step watchdog at once, not after its budget (about 10 s): one slab's free
		 * list holds at most page->objects <= MAX_OBJS_PER_PAGE objects, so a walk past
		 * that has met a cycle and never ends in 2.6.36. Never fires on a legal state.
		 */
		if (++walked > MAX_OBJS_PER_PAGE)
			slub_softlockup(__FILE__, __LINE__, __func__);
		(void)prev;
#endif
		__set_bit(i, map);
		if (!check_object(s, page, p, 0))
			return 0;
	}

	for_each_object(p, s, addr, page->objects)
		if (!test_bit(slab_index(p, s, addr), map))
			if (!check_object(s, page, p, 1))
				return 0;
	return 1;
}

static void validate_slab_slab(struct kmem_cache *s, struct page *page, unsigned long *map)
{
	if (slab_trylock(page)) {
		validate_slab(s, page, map);
		slab_unlock(page);
	} else {
		printk(KERN_INFO "SLUB %s: Skipped busy slab %p\n", s->name, (void *)page);
	}
}

/*
 * The kernel only printks a count mismatch; here it is also a report, so that a harness sees
 * every problem validation finds through the hook.
 */
static void __printf(2, 3) validate_count_error(struct kmem_cache *s, const char *fmt, ...)
{
	va_list ap;

	validate_problems[smp_processor_id()]++;
	va_start(ap, fmt);
	slub_vreport(SLUB_REPORT_SLAB_ERR, __FILE__, __LINE__, "validate_slab_node", s->name, fmt,
		     ap);
	va_end(ap);
}

static unsigned long validate_slab_node(struct kmem_cache *s, struct kmem_cache_node *n,
					unsigned long *map)
{
	unsigned long count = 0, flags;
	struct page *page;

	spin_lock_irqsave(&n->list_lock, flags);

	list_for_each_entry(page, &n->partial, lru) {
		slub_watchdog_tick();
		validate_slab_slab(s, page, map);
		count++;
	}
	if (count != n->nr_partial)
		validate_count_error(s, "SLUB %s: %ld partial slabs counted but counter=%ld",
				     s->name, (long)count, (long)n->nr_partial);

	if (!(s->flags & SLAB_STORE_USER))
		goto out;

	/* With the cpu slabs flushed, partial and full slabs are all of them. */
	list_for_each_entry(page, &n->full, lru) {
		slub_watchdog_tick();
		validate_slab_slab(s, page, map);
		count++;
	}
	if ((long)count != n->nr_slabs)
		validate_count_error(s, "SLUB: %s %ld slabs counted but counter=%ld", s->name,
				     (long)count, n->nr_slabs);

out:
	spin_unlock_irqrestore(&n->list_lock, flags);
	return count;
}

/* Flushes the cpu slabs, then checks every listed slab; returns how many slabs it saw. */
long validate_slab_cache(struct kmem_cache *s)
{
	unsigned long count = 0;
	int node;

	slub_debug_enter(__FILE__, __LINE__, __func__);
	flush_all(s);
	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(s, node);

		/* as 2.6.36: every node with memory has its kmem_cache_node (hotplug.c) */
		count += validate_slab_node(s, n, validate_map);
		if (!NUMA_BUILD)
			break; /* one node structure, embedded */
	}
	slub_debug_leave();
	return (long)count;
}

/*
 * The caches that served an allocation or a free, for each walk (the strict checker, validate)
 * and scope (since that walk's last call, since its last walk of every cache); past
 * TOUCHED_MAX caches a set means "every cache". Entries are only compared, never followed,
 * until found on slab_caches. noted_last skips the sets while one cache keeps serving.
 */
#define TOUCHED_MAX 16
enum { TOUCHED_CHECK, TOUCHED_VALIDATE, TOUCHED_WALKS };
static __slub_state struct kmem_cache *touched[TOUCHED_WALKS][2][TOUCHED_MAX];
static __slub_state int nr_touched[TOUCHED_WALKS][2]; /* TOUCHED_MAX + 1: overflowed */
static __slub_state struct kmem_cache *noted_last;

void slub_note_touched(struct kmem_cache *s)
{
	if (s == noted_last)
		return;
	noted_last = s;
	for (int w = 0; w < TOUCHED_WALKS; w++)
		for (int k = 0; k < 2; k++) {
			int i, n = nr_touched[w][k];

			for (i = 0; i < n && i < TOUCHED_MAX && touched[w][k][i] != s; i++)
				;
			if (i < n)
				continue;
			if (n < TOUCHED_MAX)
				touched[w][k][n] = s;
			if (n <= TOUCHED_MAX)
				nr_touched[w][k] = n + 1;
		}
}

void slub_note_cache(struct kmem_cache *s)
{
	noted_last = NULL;
	slub_note_touched(s);
}

/* Does walk w in scope look at s? Afterwards touched_done forgets what the walk covered. */
static int touched_in(int w, enum slub_scope scope, const struct kmem_cache *s)
{
	int k = scope == SLUB_SCOPE_TOUCHED_SINCE_ALL;

	if (scope == SLUB_SCOPE_ALL || nr_touched[w][k] > TOUCHED_MAX)
		return 1;
	for (int i = 0; i < nr_touched[w][k]; i++)
		if (touched[w][k][i] == s)
			return 1;
	return 0;
}

static void touched_done(int w, enum slub_scope scope)
{
	nr_touched[w][0] = 0;
	if (scope != SLUB_SCOPE_TOUCHED)
		nr_touched[w][1] = 0;
	noted_last = NULL;
}

long slub_validate_scope(enum slub_scope scope)
{
	unsigned long before = slub_debug_nr_reports();
	struct kmem_cache *s;

	validate_problems[smp_processor_id()] = 0;
	down_read(&slub_lock);
	list_for_each_entry(s, &slab_caches, list)
		if (touched_in(TOUCHED_VALIDATE, scope, s))
			validate_slab_cache(s);
	up_read(&slub_lock);
	touched_done(TOUCHED_VALIDATE, scope);
	return (long)(slub_debug_nr_reports() - before) + validate_problems[smp_processor_id()];
}

long slub_validate_all(void)
{
	return slub_validate_scope(SLUB_SCOPE_ALL);
}

/* ---- the strict checker ---- */

/*
 * Reads only: no locks (a harness may call it from a report hook, with locks held), no hook
 * reports, no arena memory, and no dereference of an owner pointer that may be stale. Cost is
 * O(caches x (nodes + cpus) + slabs + free objects).
 */

enum cc_kind { CC_PARTIAL, CC_FULL, CC_CPU };
static const char *const cc_kind_name[] = { "partial", "full", "cpu" };

struct cc_state {
	char *why;
	size_t why_len;
	long problems;
};

static slub_problem_filter_fn cc_filter;
static void *cc_filter_arg;

void slub_set_consistency_filter(slub_problem_filter_fn fn, void *arg)
{
	cc_filter = fn;
	cc_filter_arg = arg;
}

static void __printf(2, 3) cc_problem(struct cc_state *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	slub_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cc_filter && cc_filter(msg, cc_filter_arg))
		return; /* a problem the caller already knows: not counted */
	if (!st->problems++ && st->why_len)
		slub_snprintf(st->why, st->why_len, "%s", msg);
}

/*
 * Slabs seen so far, over all caches: an open-addressed set of page pointers, sized for the
 * pages in use when the check starts. With each entry, where it was seen (cache ordinal, kind,
 * node or cpu) so a second sighting can name the first.
 */
#define CC_SLOTS_MAX (1UL << 19) /* twice the arena's 262144 pages */
static struct page *cc_seen[CC_SLOTS_MAX];
static unsigned int cc_seen_where[CC_SLOTS_MAX];
static unsigned long cc_slots, cc_used;

static void cc_seen_reset(void)
{
	unsigned long want = 2 * (slub_pages_in_use() + 1);

	cc_slots = 64;
	while (cc_slots < want && cc_slots < CC_SLOTS_MAX)
		cc_slots <<= 1;
	memset(cc_seen, 0, cc_slots * sizeof(cc_seen[0]));
	cc_used = 0;
}

static unsigned int cc_where(int ordinal, enum cc_kind kind, int idx)
{
	return ((unsigned int)ordinal << 12) | ((unsigned int)kind << 10) | ((unsigned int)idx & 1023);
}

/* 1 if newly added; 0 if already there (*first says where); -1 if the set is full. */
static int cc_visit(struct page *page, unsigned int where, unsigned int *first)
{
	/*
	 * struct pages sit in one array, so their addresses divided by the size are distinct
	 * consecutive numbers: enough spread for linear probing, and no multiplication whose
	 * wraparound UBSan's unsigned-overflow check would (rightly) question.
	 */
	unsigned long h = (unsigned long)((uintptr_t)page / sizeof(struct page));
	unsigned long i = h & (cc_slots - 1);

	if (cc_used >= cc_slots / 2)
		return -1;
	while (cc_seen[i]) {
		if (cc_seen[i] == page) {
			*first = cc_seen_where[i];
			return 0;
		}
		i = (i + 1) & (cc_slots - 1);
	}
	cc_seen[i] = page;
	cc_seen_where[i] = where;
	cc_used++;
	return 1;
}

/*
 * The checkers' own step along slab_caches. They run on states the kernel may have broken (a
 * cache freed while listed, an entry list_del'd, a link overwritten), so a link is read as
 * metadata (no sanitizer report of the checker's own), followed only into the arena (where
 * every kmem_cache lives) or back to the head, and only when its entry points back. Returns
 * the next link, &slab_caches at the end, or NULL for a broken link.
 */
/* A list_head the checker may read: aligned (UBSan checks every member access) and in the arena. */
static int cc_link_readable(const void *p)
{
	return !((uintptr_t)p & (sizeof(void *) - 1)) && pa_addr_valid(p) &&
	       pa_addr_valid((const char *)p + sizeof(struct list_head) - 1);
}

static struct list_head *cc_next_link(const struct list_head *pos)
{
	struct list_head *next = track_meta_read_ptr(&pos->next);

	if (next == &slab_caches)
		return next;
	if (!cc_link_readable(next) || track_meta_read_ptr(&next->prev) != pos)
		return NULL;
	return next;
}

static struct kmem_cache *cc_link_cache(struct list_head *pos)
{
	return (struct kmem_cache *)(void *)((char *)pos - offsetof(struct kmem_cache, list));
}

/* A listed kmem_cache whose memory is freed (ASan's shadow says so): it must not be read. */
static int cc_cache_freed(const struct kmem_cache *s)
{
	return track_is_noaccess(s, (size_t)kmem_size);
}

static struct kmem_cache *cc_cache_by_ordinal(int ordinal)
{
	struct list_head *pos;
	int i = 0;

	for (pos = cc_next_link(&slab_caches); pos && pos != &slab_caches && i < (1 << 19);
	     pos = cc_next_link(pos))
		if (i++ == ordinal)
			return cc_cache_freed(cc_link_cache(pos)) ? NULL : cc_link_cache(pos);
	return NULL;
}

/* The name of a cache on slab_caches with this address, or NULL (then it is stale or junk). */
static const char *cc_known_cache(const struct kmem_cache *x)
{
	/* x may be junk (a stale owner): its link's address is made without a member access */
	const struct list_head *link =
		(const void *)((uintptr_t)x + offsetof(struct kmem_cache, list));
	struct list_head *pos, *prev;
	long bound = 0;

	/*
	 * The common answer without a walk: a listed cache's link and its predecessor's point at
	 * each other (cc_next_link checks both ways). Anything else is settled by the walk.
	 */
	if (cc_link_readable(link)) {
		prev = track_meta_read_ptr(&link->prev);
		if ((prev == &slab_caches || cc_link_readable(prev)) && cc_next_link(prev) == link)
			return cc_cache_freed(x) ? "(a freed kmem_cache)" : x->name;
	}
	for (pos = cc_next_link(&slab_caches); pos && pos != &slab_caches && bound < (1 << 19);
	     pos = cc_next_link(pos), bound++)
		if (cc_link_cache(pos) == x)
			return cc_cache_freed(x) ? "(a freed kmem_cache)" : x->name;
	return NULL;
}

int slub_slab_lock_pairs_with(const void *flags, const void *list_lock)
{
	const struct page *page = container_of(flags, struct page, flags);
	struct kmem_cache_node *n;

	if (!PageSlab(page) || !cc_known_cache(page->slab))
		return 1; /* no cache to ask: the order rule stands */
	n = get_node(page->slab, page_to_nid(page));
	return !n || (const void *)&n->list_lock == list_lock;
}

static int cc_is_kmem_cache_node(const struct kmem_cache *s)
{
#ifdef CONFIG_NUMA
	return s == kmem_cache_node;
#else
	(void)s;
	return 0;
#endif
}

/* Where a slab was found; its text is formatted only when a problem is reported. */
struct cc_where {
	enum cc_kind kind;
	int idx;
	struct page *page;
	char text[64];
};

static const char *cc_where_text(struct cc_where *w)
{
	if (!w->text[0]) {
		if (w->kind == CC_CPU)
			slub_snprintf(w->text, sizeof(w->text), "cpu %d slab %p (node %d)", w->idx,
				      (void *)w->page, page_to_nid(w->page));
		else
			slub_snprintf(w->text, sizeof(w->text), "node %d %s slab %p", w->idx,
				      cc_kind_name[w->kind], (void *)w->page);
	}
	return w->text;
}

/* Per node of the cache being checked: slabs and objects found on lists and as cpu slabs. */
static long cc_slabs[MAX_NUMNODES], cc_objects[MAX_NUMNODES];
/* Free objects already seen in the slab being checked (page freelist, then cpu freelist). */
static unsigned long cc_objmap[BITS_TO_LONGS(MAX_OBJS_PER_PAGE + 1)];

/* Walks one freelist of page; returns how many free objects it held, or -1 if it is broken. */
static long cc_walk_freelist(struct cc_state *st, struct kmem_cache *s, struct page *page,
			     void *fp, const char *which, struct cc_where *where)
{
	void *addr = page_address(page);
	long nr = 0;

	while (fp) {
		int i;

		if (!check_valid_pointer(s, page, fp)) {
			cc_problem(st, "cache %s: %s: %s freelist entry %p is not an object of "
				       "slab %p", s->name, cc_where_text(where), which, fp, (void *)page);
			return -1;
		}
		i = slab_index(fp, s, addr);
		if (test_bit(i, cc_objmap)) {
			cc_problem(st, "cache %s: %s: free object %p appears twice on the "
				       "freelists of slab %p (%s freelist loops or overlaps)",
				   s->name, cc_where_text(where), fp, (void *)page, which);
			return -1;
		}
		__set_bit(i, cc_objmap);
		nr++;
		fp = get_freepointer(s, fp);
	}
	return nr;
}

static void cc_check_slab(struct cc_state *st, struct kmem_cache *s, struct page *page,
			  enum cc_kind kind, int idx, struct kmem_cache_cpu *c)
{
	struct cc_where w = { kind, idx, page, "" };
	const char *owner;
	long maxobj, nr_free, nr_cpu_free = 0;

	if (!PageSlab(page) || PageBuddy(page) || page->order_allocated < 0 ||
	    page->_count < 1) {
		cc_problem(st, "cache %s: %s is not an allocated slab page (flags %#lx, count %d)",
			   s->name, cc_where_text(&w), page->flags, page->_count);
		return;
	}
	if (PageTail(page)) {
		cc_problem(st, "cache %s: %s is a tail page, not the head of its slab", s->name,
			   cc_where_text(&w));
		return;
	}
	if (page->slab != s) {
		owner = cc_known_cache(page->slab);
		if (owner)
			cc_problem(st, "cache %s: %s names cache %s (%p) as its owner", s->name,
				   cc_where_text(&w), owner, (void *)page->slab);
		else
			cc_problem(st, "cache %s: %s names %p as its owner, which is no cache "
				       "on slab_caches (a stale owner pointer)",
				   s->name, cc_where_text(&w), (void *)page->slab);
	}
	if (kind == CC_CPU && !PageSlubFrozen(page))
		cc_problem(st, "cache %s: %s is not frozen", s->name, cc_where_text(&w));
	if (kind != CC_CPU && PageSlubFrozen(page))
		cc_problem(st, "cache %s: %s is frozen (a cpu slab) but on a list", s->name, cc_where_text(&w));
	if (NUMA_BUILD && kind != CC_CPU && page_to_nid(page) != idx) {
		if (cc_is_kmem_cache_node(s))
			cc_problem(st, "cache %s: %s lies on node %d (early_kmem_cache_node_alloc "
				       "found no memory on node %d and took another node's page)",
				   s->name, cc_where_text(&w), page_to_nid(page), idx);
		else
			cc_problem(st, "cache %s: %s lies on node %d", s->name, cc_where_text(&w),
				   page_to_nid(page));
	}

	maxobj = (long)((PAGE_SIZE << compound_order(page)) / (unsigned long)s->size);
	if (!page->objects || page->objects > maxobj) {
		cc_problem(st, "cache %s: %s has %u objects, at most %ld fit", s->name, cc_where_text(&w),
			   page->objects, maxobj);
		return;
	}
	if (page->inuse > page->objects)
		cc_problem(st, "cache %s: %s has inuse %u > objects %u", s->name, cc_where_text(&w),
			   page->inuse, page->objects);

	bitmap_zero(cc_objmap, page->objects);
	nr_free = cc_walk_freelist(st, s, page, page->freelist, "page", &w);
	if (kind == CC_CPU)
		nr_cpu_free = cc_walk_freelist(st, s, page, c->freelist, "cpu", &w);
	if (nr_free < 0 || nr_cpu_free < 0)
		return;
	/* Objects on a cpu freelist count as in use until the slab is deactivated. */
	if (page->inuse != page->objects - nr_free)
		cc_problem(st, "cache %s: %s has inuse %u but %ld of its %u objects are free",
			   s->name, cc_where_text(&w), page->inuse, nr_free, page->objects);
	if (kind == CC_FULL && nr_free)
		cc_problem(st, "cache %s: %s is on the full list with %ld free objects", s->name,
			   cc_where_text(&w), nr_free);
}

/* Walks one list of node idx, checking each slab; a broken or looping list ends the walk. */
static void cc_walk_list(struct cc_state *st, struct kmem_cache *s, int ordinal, int idx,
			 struct list_head *head, enum cc_kind kind, long *length)
{
	struct list_head *pos, *prev = head;
	unsigned int first;

	*length = 0;
	for (pos = head->next; pos != head; prev = pos, pos = pos->next) {
		struct page *page;
		int seen;

		if (!pos || pos == LIST_POISON1 || pos == LIST_POISON2 || pos->prev != prev) {
			cc_problem(st, "cache %s: node %d %s list is broken after %ld entries",
				   s->name, idx, cc_kind_name[kind], *length);
			return;
		}
		page = list_entry(pos, struct page, lru);
		seen = cc_visit(page, cc_where(ordinal, kind, idx), &first);
		if (seen < 0) {
			cc_problem(st, "cache %s: node %d %s list: more slabs listed than pages "
				       "in use", s->name, idx, cc_kind_name[kind]);
			return;
		}
		if (!seen) {
			struct kmem_cache *o = cc_cache_by_ordinal((int)(first >> 12));

			cc_problem(st, "cache %s: node %d %s slab %p was already found as cache "
				       "%s %s %s %u (on two lists, or a list loops)",
				   s->name, idx, cc_kind_name[kind], (void *)page,
				   o ? o->name : "?", cc_kind_name[(first >> 10) & 3],
				   ((first >> 10) & 3) == CC_CPU ? "cpu" : "node", first & 1023);
			return;
		}
		(*length)++;
		cc_slabs[idx] += 1;
		cc_objects[idx] += page->objects;
		cc_check_slab(st, s, page, kind, idx, NULL);
	}
}

static void cc_check_cpus(struct cc_state *st, struct kmem_cache *s, int ordinal)
{
	unsigned int first;
	int cpu;

	if (!s->cpu_slab) {
		cc_problem(st, "cache %s has no per-cpu area", s->name);
		return;
	}
	for_each_possible_cpu(cpu) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct page *page = c->page;
		int nid;

		if (!page) {
			if (c->freelist)
				cc_problem(st, "cache %s: cpu %d has a freelist but no cpu slab",
					   s->name, cpu);
			continue;
		}
		if (!cpu_online(cpu))
			cc_problem(st, "cache %s: offline cpu %d still holds slab %p", s->name,
				   cpu, (void *)page);
		if (c->node != -1 && c->node != page_to_nid(page))
			cc_problem(st, "cache %s: cpu %d slab %p is on node %d but the cpu "
				       "records node %d", s->name, cpu, (void *)page,
				   page_to_nid(page), c->node);
		if (kmem_cache_debug(s) && (c->node != -1 || c->freelist))
			cc_problem(st, "cache %s: cpu %d serves a debug cache from its fast path "
				       "(node %d, freelist %p)", s->name, cpu, c->node,
				   (void *)c->freelist);
		if (cc_visit(page, cc_where(ordinal, CC_CPU, cpu), &first) != 1) {
			cc_problem(st, "cache %s: cpu %d slab %p is also on a list or another "
				       "cpu", s->name, cpu, (void *)page);
			continue;
		}
		cc_check_slab(st, s, page, CC_CPU, cpu, c);
		nid = NUMA_BUILD ? page_to_nid(page) : 0;
		if (nid >= 0 && nid < nr_node_ids) {
			cc_slabs[nid] += 1;
			cc_objects[nid] += page->objects;
		}
	}
}

static void cc_check_node(struct cc_state *st, struct kmem_cache *s, int ordinal, int node)
{
	struct kmem_cache_node *n = get_node(s, node);
	long partial, full = 0;

	if (!n) {
		cc_problem(st, "cache %s has no kmem_cache_node for node %d, which has memory",
			   s->name, node);
		return;
	}
	cc_walk_list(st, s, ordinal, node, &n->partial, CC_PARTIAL, &partial);
	if (partial != (long)n->nr_partial)
		cc_problem(st, "cache %s: node %d nr_partial is %lu but %ld slabs are on its "
			       "partial list", s->name, node, n->nr_partial, partial);
	if (s->flags & SLAB_STORE_USER)
		cc_walk_list(st, s, ordinal, node, &n->full, CC_FULL, &full);
}

/* After all lists and cpus: each node's counters against what was found for it. */
static void cc_check_counts(struct cc_state *st, struct kmem_cache *s, int node)
{
	struct kmem_cache_node *n = get_node(s, node);
	/*
	 * early_kmem_cache_node_alloc counts its slab on the node it was meant for even when
	 * the page came from another node, and the slab later moves to its page's node: the
	 * counts are then off on both. Say so, it is 2.6.36's own doing.
	 */
	const char *hint = cc_is_kmem_cache_node(s) ? " (the early_kmem_cache_node_alloc "
						      "fallback counted a slab of this node's "
						      "pages on another node)"
						    : "";

	if (!n)
		return;
	if (s->flags & SLAB_STORE_USER) {
		/* Every slab is on a list or a cpu: the counters must match exactly. */
		if (n->nr_slabs != cc_slabs[node] || n->total_objects != cc_objects[node])
			cc_problem(st, "cache %s: node %d counts %ld slabs / %ld objects but %ld / "
				       "%ld were found on its lists and cpus%s", s->name, node,
				   n->nr_slabs, n->total_objects, cc_slabs[node], cc_objects[node],
				   n->nr_slabs < cc_slabs[node] ? hint : "");
	} else if (n->nr_slabs < cc_slabs[node] || n->total_objects < cc_objects[node]) {
		/* Full slabs are on no list, so only a lower bound is known. */
		cc_problem(st, "cache %s: node %d counts %ld slabs / %ld objects but at least "
			       "%ld / %ld exist%s", s->name, node, n->nr_slabs, n->total_objects,
			   cc_slabs[node], cc_objects[node], hint);
	}
}

/*
 * The slab holding one of the cache's own structures must name the cache that made it: this
 * reaches full slabs that are on no list. Structures outside slabs (kmalloc_large, or static
 * memory) have no owner to check.
 */
static void cc_check_home(struct cc_state *st, struct kmem_cache *s, const void *obj,
			  const char *what, struct kmem_cache *expect)
{
	struct page *page;
	const char *owner;

	if (!pa_addr_valid(obj))
		return;
	page = virt_to_head_page(obj);
	if (!PageSlab(page))
		return;
	if (expect ? page->slab == expect : cc_known_cache(page->slab) != NULL)
		return;
	owner = cc_known_cache(page->slab);
	if (owner)
		cc_problem(st, "cache %s: the slab %p holding its %s names cache %s, not %s",
			   s->name, (void *)page, what, owner, expect ? expect->name : "?");
	else
		cc_problem(st, "cache %s: the slab %p holding its %s names %p, which is no "
			       "cache on slab_caches (a stale owner pointer)",
			   s->name, (void *)page, what, (void *)page->slab);
}

static void cc_check_homes(struct cc_state *st, struct kmem_cache *s)
{
	int node;

	/* Boot caches (refcount -1) live in kmem_cache; the others come from kmalloc. */
	cc_check_home(st, s, s, "kmem_cache structure", s->refcount < 0 ? kmem_cache : NULL);
#ifdef CONFIG_NUMA
	for (node = 0; node < nr_node_ids; node++)
		if (s->node[node])
			cc_check_home(st, s, s->node[node], "kmem_cache_node", kmem_cache_node);
#else
	(void)node;
#endif
}

static void cc_check_cache(struct cc_state *st, struct kmem_cache *s, int ordinal)
{
	int node;

	cc_check_homes(st, s);

	for (node = 0; node < nr_node_ids; node++) {
		cc_slabs[node] = 0;
		cc_objects[node] = 0;
	}
	if (!NUMA_BUILD) {
		/* One embedded node structure holds every slab, whatever its page's node. */
		cc_check_node(st, s, ordinal, 0);
		cc_check_cpus(st, s, ordinal);
		cc_check_counts(st, s, 0);
		return;
	}
	for_each_node_state(node, N_NORMAL_MEMORY)
		cc_check_node(st, s, ordinal, node);
	cc_check_cpus(st, s, ordinal);
	for_each_node_state(node, N_NORMAL_MEMORY)
		cc_check_counts(st, s, node);
	/* A cpu slab on a node without memory (or without a node structure) was not counted. */
	for (node = 0; node < nr_node_ids; node++)
		if (cc_slabs[node] && (!node_state(node, N_NORMAL_MEMORY) || !get_node(s, node)))
			cc_problem(st, "cache %s: %ld slabs lie on node %d, which has no memory "
				       "or no kmem_cache_node", s->name, cc_slabs[node], node);
}

long slub_check_consistency_scope(enum slub_scope scope, char *why, size_t why_len)
{
	struct cc_state st = { why, why_len, 0 };
	struct list_head *pos, *prev = &slab_caches;
	int ordinal = 0;

	if (why && why_len)
		why[0] = '\0';
	else
		st.why_len = 0;
	cc_seen_reset();
	for (pos = cc_next_link(prev); pos != &slab_caches; prev = pos, pos = cc_next_link(pos)) {
		struct kmem_cache *s;

		if (!pos || ordinal >= (1 << 19)) {
			cc_problem(&st, "slab_caches is broken after %d caches (a link leads out of "
					"the arena or does not point back)", ordinal);
			break;
		}
		s = cc_link_cache(pos);
		if (cc_cache_freed(s)) {
			cc_problem(&st, "slab_caches holds %p after %d caches, a freed kmem_cache "
					"(freed while still listed)", (void *)s, ordinal);
			break;
		}
		if (touched_in(TOUCHED_CHECK, scope, s))
			cc_check_cache(&st, s, ordinal);
		ordinal++;
	}
	touched_done(TOUCHED_CHECK, scope);
	return st.problems;
}

long slub_check_consistency(char *why, size_t why_len)
{
	return slub_check_consistency_scope(SLUB_SCOPE_ALL, why, why_len);
}
