/* model.c - the shadow model of what 2.6.36 SLUB promises: which cache serves a kmalloc size
 * (get_slab), which cache a create merges into (find_mergeable), where a node request lands,
 * what the lists and counters of a touched cache look like after the event, what shrink
 * leaves, and when NULL is an answer. Every check costs what the event touched: one object's
 * slab, the touched caches' partial lists on the touched nodes, the (cache, node) counters an
 * event changed. Nothing here walks every cache or slab after an event. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "page_alloc.h"
#include "slub_def.h"
#include "track.h"

/* ---- a small open-addressing map: key (a, b) -> four longs ---- */

struct mkey {
	uintptr_t a;
	long b;
	long v[4];
	int used;
};

struct mmap {
	struct mkey *t;
	size_t cap, n;
};

static size_t mhash(uintptr_t a, long b, size_t cap)
{
	/* xor-shifts only: -fsanitize=integer forbids wrapping products */
	uint64_t h = (uint64_t)a >> 4;

	h ^= (h >> 13) ^ (h >> 29) ^ ((uint64_t)(unsigned long)b << 5);
	return (size_t)h & (cap - 1);
}

static struct mkey *mmap_find(struct mmap *m, uintptr_t a, long b)
{
	if (!m->cap)
		return NULL;
	for (size_t i = mhash(a, b, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->t[i].used)
			return NULL;
		if (m->t[i].a == a && m->t[i].b == b)
			return &m->t[i];
	}
}

static struct mkey *mmap_get(struct mmap *m, uintptr_t a, long b)
{
	struct mkey *k = mmap_find(m, a, b);

	if (k)
		return k;
	if ((m->n + 1) * 2 > m->cap) {
		struct mmap old = *m;

		m->cap = m->cap ? m->cap * 2 : 256;
		m->t = slub_host_alloc(m->cap * sizeof(*m->t));
		if (!m->t)
			abort();
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.t[i].used)
				*mmap_get(m, old.t[i].a, old.t[i].b) = old.t[i];
		slub_host_free(old.t);
	}
	for (size_t i = mhash(a, b, m->cap);; i = (i + 1) & (m->cap - 1))
		if (!m->t[i].used) {
			memset(&m->t[i], 0, sizeof(m->t[i]));
			m->t[i].used = 1;
			m->t[i].a = a;
			m->t[i].b = b;
			m->n++;
			return &m->t[i];
		}
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void mmap_del(struct mmap *m, struct mkey *k)
{
	size_t i = (size_t)(k - m->t), j = i;

	m->t[i].used = 0;
	m->n--;
	for (;;) {
		size_t h;

		j = (j + 1) & (m->cap - 1);
		if (!m->t[j].used)
			return;
		h = mhash(m->t[j].a, m->t[j].b, m->cap);
		if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
			m->t[i] = m->t[j];
			m->t[j].used = 0;
			i = j;
		}
	}
}

static void mmap_free(struct mmap *m)
{
	slub_host_free(m->t);
	memset(m, 0, sizeof(*m));
}

/* ---- the model's state ---- */

#define FZ_MAX_BIRTHS 512
#define FZ_MAX_DIRTY 64
#define FZ_MAX_TOUCH 4

struct fz_model {
	int on; /* the shadow counters are built (after boot step INIT) */
	/* page -> (cache, node, objects, the next slab of that cache and node) for every slab */
	struct mmap slabs;
	/* (cache, node) -> nr_slabs, total_objects, its first slab (space.c walks the chain) */
	struct mmap counts;
	struct page *births[FZ_MAX_BIRTHS]; /* blocks handed out since the last resolve */
	int nr_births, births_lost;
	struct {
		struct kmem_cache *s;
		int node;
	} dirty[FZ_MAX_DIRTY], touch[FZ_MAX_TOUCH];
	int nr_dirty, dirty_lost, nr_touch;
};

static struct fz_model fz_model_state;

static void mark(struct kmem_cache *s, int node, int dirty)
{
	struct fz_model *m = &fz_model_state;
	int *nr = dirty ? &m->nr_dirty : &m->nr_touch;
	int cap = dirty ? FZ_MAX_DIRTY : FZ_MAX_TOUCH;
	__typeof__(m->dirty[0]) *v = dirty ? m->dirty : m->touch;

	for (int i = 0; i < *nr; i++)
		if (v[i].s == s && v[i].node == node)
			return;
	if (*nr == cap) {
		if (dirty)
			m->dirty_lost = 1;
		return;
	}
	v[*nr].s = s;
	v[*nr].node = node;
	(*nr)++;
}

static void count_slab(struct kmem_cache *s, int node, long objects, int sign)
{
	struct mkey *k = mmap_get(&fz_model_state.counts, (uintptr_t)s, node);

	k->v[0] += sign;
	k->v[1] += sign * objects;
	mark(s, node, 1);
}

/* Takes page off the chain of (s, node)'s slabs; next is the slab after it. */
static void unchain_slab(struct page *page, struct kmem_cache *s, int node, long next)
{
	struct mkey *c = mmap_find(&fz_model_state.counts, (uintptr_t)s, node), *k;

	if (!c)
		return;
	if (c->v[2] == (long)(uintptr_t)page) {
		c->v[2] = next;
		return;
	}
	for (long p = c->v[2]; p; p = k->v[3]) {
		k = mmap_find(&fz_model_state.slabs, (uintptr_t)p, 0);
		if (!k)
			return;
		if (k->v[3] == (long)(uintptr_t)page) {
			k->v[3] = next;
			return;
		}
	}
}

/*
 * Every stat() of the run: an allocation outside an interrupt took its object (what fires
 * after it is judged apart: fz_model_check_new), and the space oracle's view of the paths.
 */
static struct fz_state *stat_x;

static void model_stat(struct kmem_cache *s, enum stat_item si)
{
	if (si == ALLOC_FASTPATH || si == ALLOC_SLOWPATH) {
		struct fz_fiber *fb = FZ_FB(stat_x);

		if (!fb->in_irq) {
			fb->took = 1;
			fb->fired_after_take = 0;
		}
	}
	fz_space_stat(s, si);
}

static void pa_observe(struct page *page, unsigned int order, int freed, void *arg)
{
	struct fz_model *m = &fz_model_state;
	struct mkey *k;

	(void)order;
	(void)arg;
	if (!m->on)
		return;
	if (!freed) {
		if (m->nr_births < FZ_MAX_BIRTHS)
			m->births[m->nr_births++] = page;
		else
			m->births_lost = 1;
		return;
	}
	k = mmap_find(&m->slabs, (uintptr_t)page, 0);
	if (k) {
		struct kmem_cache *s = (struct kmem_cache *)k->v[0];
		int node = (int)k->v[1];

		fz_space_slab_freed(s, node);
		unchain_slab(page, s, node, k->v[3]);
		k = mmap_find(&m->slabs, (uintptr_t)page, 0);
		count_slab(s, node, k->v[2], -1);
		mmap_del(&m->slabs, k);
		return;
	}
	for (int i = 0; i < m->nr_births; i++)
		if (m->births[i] == page) {
			m->births[i] = m->births[--m->nr_births];
			return;
		}
}

static void add_slab_page(struct page *page)
{
	struct mkey *k = mmap_get(&fz_model_state.slabs, (uintptr_t)page, 0), *c;

	k->v[0] = (long)(uintptr_t)page->slab;
	k->v[1] = page_to_nid(page);
	k->v[2] = page->objects;
	count_slab(page->slab, page_to_nid(page), page->objects, 1);
	/* the newest slab first on its chain; count_slab made the (cache, node) entry */
	c = mmap_find(&fz_model_state.counts, (uintptr_t)page->slab, page_to_nid(page));
	k = mmap_find(&fz_model_state.slabs, (uintptr_t)page, 0);
	k->v[3] = c->v[2];
	c->v[2] = (long)(uintptr_t)page;
}

/* Blocks handed out since the last resolve that are slabs now join the shadow. */
static void resolve_births(void)
{
	struct fz_model *m = &fz_model_state;

	for (int i = 0; i < m->nr_births; i++)
		if (PageSlab(m->births[i]) && !mmap_find(&m->slabs, (uintptr_t)m->births[i], 0))
			add_slab_page(m->births[i]);
	m->nr_births = 0;
}

int fz_model_on(void)
{
	return fz_model_state.on;
}

/* The slabs of (s, node) the shadow knows, and the chain through them (space.c). */
long fz_model_shadow_slabs(struct kmem_cache *s, int node)
{
	struct mkey *c = mmap_find(&fz_model_state.counts, (uintptr_t)s, node);

	return c ? c->v[0] : 0;
}

struct page *fz_model_first_slab(struct kmem_cache *s, int node)
{
	struct mkey *c = mmap_find(&fz_model_state.counts, (uintptr_t)s, node);

	return c ? (struct page *)(uintptr_t)c->v[2] : NULL;
}

struct page *fz_model_next_slab(struct page *page)
{
	struct mkey *k = mmap_find(&fz_model_state.slabs, (uintptr_t)page, 0);

	return k ? (struct page *)(uintptr_t)k->v[3] : NULL;
}

/*
 * The slab of s new_slab just made (stat(ALLOC_SLAB) comes right after it): the newest block
 * handed out that is now a slab of s. The births join the shadow here, so that the slab and
 * its neighbours on (s, node) are in the chain. NULL if there is none (the shadow is off).
 */
struct page *fz_model_newest_slab(struct kmem_cache *s)
{
	struct fz_model *m = &fz_model_state;
	struct page *page = NULL;

	if (!m->on || m->births_lost)
		return NULL;
	for (int i = m->nr_births - 1; i >= 0 && !page; i--)
		if (PageSlab(m->births[i]) && m->births[i]->slab == s)
			page = m->births[i];
	resolve_births();
	return page;
}

void fz_model_begin(struct fz_state *x)
{
	struct fz_model *m = &fz_model_state;
	struct mmap slabs = m->slabs, counts = m->counts;

	(void)x;
	/* the tables' memory is kept for the next run: emptied, or overwritten on restore */
	memset(m, 0, sizeof(*m));
	m->slabs = slabs;
	m->counts = counts;
	pa_set_observer(pa_observe, NULL);
	stat_x = x;
	slub_stat_observer = model_stat;
	fz_space_begin(x);
}

static void mmap_reset(struct mmap *m)
{
	if (m->cap)
		memset(m->t, 0, m->cap * sizeof(*m->t));
	m->n = 0;
}

void fz_model_end(struct fz_state *x)
{
	(void)x;
	pa_set_observer(NULL, NULL);
	slub_stat_observer = NULL;
	stat_x = NULL;
	fz_space_end();
	fz_model_state.on = 0;
}

/*
 * After kmem_cache_init the boot caches have moved into their final kmem_cache objects: the
 * shadow starts from one walk of the arena (once per run), then follows the page allocator.
 */
void fz_model_boot_step_done(struct fz_state *x)
{
	struct fz_model *m = &fz_model_state;
	unsigned long nr = pa_nr_pfns();

	/*
	 * Past 64 nodes one event (a create, a hotplug) changes more (cache, node) counters than
	 * the shadow follows, and each rebuild walks every page: seconds per input on 1024 nodes.
	 * The strict checker's count check still covers those machines at its full walks.
	 */
	if (m->on || fz_steps_done() < 1 || slub_tainted() || x->nodes > 64)
		return;
	m->on = 1;
	m->nr_births = 0;
	mmap_reset(&m->slabs);
	mmap_reset(&m->counts);
	for (unsigned long pfn = 0; pfn < nr; pfn++) {
		struct page *page = pa_pfn_page(pfn);

		if (PageSlab(page) && !PageTail(page))
			add_slab_page(page);
	}
	m->nr_dirty = 0;
}

/* ---- the shadow kept with a booted machine (fuzz/machine.c) ---- */

static struct {
	const void *snap;
	struct mmap slabs, counts;
} fz_kept[FZ_MACHINES];

/* Copies from into to, reusing to's table when it has the same size. */
static void mmap_copy(struct mmap *to, const struct mmap *from)
{
	if (to->cap != from->cap) {
		slub_host_free(to->t);
		to->t = NULL;
		if (from->cap) {
			to->t = slub_host_alloc(from->cap * sizeof(*from->t));
			if (!to->t)
				abort();
		}
	}
	to->cap = from->cap;
	to->n = from->n;
	if (from->cap)
		memcpy(to->t, from->t, from->cap * sizeof(*from->t));
}

void fz_model_drop(const void *snap)
{
	for (int i = 0; i < FZ_MACHINES; i++)
		if (fz_kept[i].snap == snap) {
			mmap_free(&fz_kept[i].slabs);
			mmap_free(&fz_kept[i].counts);
			fz_kept[i].snap = NULL;
		}
}

/* Called as the machine is kept: the shadow is that machine's, births resolved. */
void fz_model_keep(const void *snap)
{
	struct fz_model *m = &fz_model_state;

	fz_model_drop(snap);
	if (!m->on || !snap)
		return;
	resolve_births();
	for (int i = 0; i < FZ_MACHINES; i++)
		if (!fz_kept[i].snap) {
			fz_kept[i].snap = snap;
			mmap_copy(&fz_kept[i].slabs, &m->slabs);
			mmap_copy(&fz_kept[i].counts, &m->counts);
			return;
		}
}

/* After fz_model_begin on a restored machine: 1 if its shadow was kept, else 0 (walk). */
int fz_model_resume(const void *snap)
{
	struct fz_model *m = &fz_model_state;

	for (int i = 0; i < FZ_MACHINES; i++)
		if (snap && fz_kept[i].snap == snap) {
			mmap_copy(&m->slabs, &fz_kept[i].slabs);
			mmap_copy(&m->counts, &fz_kept[i].counts);
			m->on = 1;
			return 1;
		}
	return 0;
}

/* Whether s is still a cache (on slab_caches): a pointer noted during an event may not be. */
int fz_model_cache_alive(const struct kmem_cache *s)
{
	struct kmem_cache *t;

	list_for_each_entry(t, &slab_caches, list)
		if (t == s)
			return 1;
	return 0;
}

/* Whether kmem_cache_destroy(s) is about to free s (not only drop an alias). */
int fz_model_cache_dies(const struct kmem_cache *s)
{
	return s->refcount == 1;
}

/* A cache kmem_cache_destroy freed leaves the shadow (its pointer may come back). */
void fz_model_forget(struct fz_state *x, struct kmem_cache *s)
{
	struct fz_model *m = &fz_model_state;

	for (int i = 0; i < m->nr_dirty; i++)
		if (m->dirty[i].s == s)
			m->dirty[i--] = m->dirty[--m->nr_dirty];
	for (int i = 0; i < m->nr_touch; i++)
		if (m->touch[i].s == s)
			m->touch[i--] = m->touch[--m->nr_touch];
	for (int n = 0; n < x->nodes; n++) {
		struct mkey *k = mmap_find(&m->counts, (uintptr_t)s, n);

		if (k)
			mmap_del(&m->counts, k);
	}
	for (size_t i = 0; i < m->slabs.cap; i++)
		while (m->slabs.t[i].used && m->slabs.t[i].v[0] == (long)(uintptr_t)s)
			mmap_del(&m->slabs, &m->slabs.t[i]);
}

void fz_model_touch(struct fz_state *x, struct kmem_cache *s, int node)
{
	(void)x;
	if (s && node >= 0 && node < x->nodes)
		mark(s, node, 0);
}

/* ---- get_slab: which kmalloc cache serves a size (mm/slub.c and the seed) ---- */

/*
 * The index of kmalloc_caches[] that get_slab gives for size, for this boot's
 * KMALLOC_MIN_SIZE; -1 for sizes kmalloc_large serves. Our own statement of size_index and
 * its patch-up in kmem_cache_init, not the allocator's table.
 */
int fz_model_kmalloc_index(const struct fz_state *x, size_t size)
{
	int kmin = x->prog->boot.kmalloc_min, low = ilog2((unsigned long)kmin);

	if (size > SLUB_MAX_SIZE)
		return -1;
	if (size > 192)
		return fls((unsigned int)(size - 1));
	if (size <= (size_t)kmin)
		return low;
	if (size <= 8)
		return 3;
	if (size <= 16)
		return 4;
	if (size <= 32)
		return 5;
	if (size <= 64)
		return 6;
	if (size <= 96)
		return kmin == 64 ? 7 : 1; /* no 96-byte cache when KMALLOC_MIN_SIZE is 64 */
	if (size <= 128)
		return 7;
	return kmin == 128 ? 8 : 2; /* nor a 192-byte one when it is 128 */
}

static int kmalloc_index_size(int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1 << index;
}

/* The cache kmalloc(size, gfp) must come from, or NULL for kmalloc_large. */
struct kmem_cache *fz_model_kmalloc_cache(const struct fz_state *x, size_t size, gfp_t gfp)
{
	int index = fz_model_kmalloc_index(x, size);

	if (index < 0 || !size)
		return NULL;
	return (gfp & SLUB_DMA) ? kmalloc_dma_caches[index] : kmalloc_caches[index];
}

/* ---- the slab an object lies in ---- */

static const char *cache_name_of(const struct kmem_cache *s)
{
	return s ? s->name : "(none)";
}

/* The name of what page->slab points at, read only if it is a live cache (failure path). */
static const char *owner_name(const struct kmem_cache *s)
{
	struct kmem_cache *t;

	list_for_each_entry(t, &slab_caches, list)
		if (t == s)
			return t->name;
	return "no live cache (a stale or wild owner)";
}

/*
 * The object's slab belongs to the cache it came from (want), or, for kmalloc_large (want
 * NULL), it is a compound page of the size's order and no slab.
 */
int fz_model_check_owner(struct fz_state *x, int slot, const char *when)
{
	const struct fz_obj *o = fz_obj_at(x, slot);
	struct page *page;

	if (!o->addr || o->addr == (unsigned char *)ZERO_SIZE_PTR || !pa_addr_valid(o->addr))
		return 1;
	page = virt_to_head_page(o->addr);
	if (!o->slab) {
		/* at least the size's order: krealloc keeps a large enough object */
		if (o->cache < 0 && (PageSlab(page) ||
				     compound_order(page) < (unsigned int)get_order(o->size))) {
			fz_finding(x, "kmalloc_large object in slot %d (%zu bytes) lies in %s, not in "
				   "a page of order %d (%s)", slot, o->size,
				   PageSlab(page) ? "a slab" : "a page of another order",
				   get_order(o->size), when);
			return 0;
		}
		return 1;
	}
	if (!PageSlab(page) || page->slab != o->slab) {
		if (PageSlab(page))
			fz_finding(x, "object in slot %d came from %s, but its page is a slab of %s "
				   "(%s)", slot, cache_name_of(o->slab), owner_name(page->slab),
				   when);
		else
			fz_finding(x, "object in slot %d came from %s, but its page is no slab (%s)",
				   slot, cache_name_of(o->slab), when);
		return 0;
	}
	return 1;
}

/* The cpu slab of s on this cpu: frozen, a slab of s, on no list (a frozen slab never is). */
static void check_cpu_slab(struct fz_state *x, struct kmem_cache *s, const char *what)
{
	struct kmem_cache_cpu *c;

	if (!s->cpu_slab)
		return;
	c = per_cpu_ptr(s->cpu_slab, slub_get_cpu());
	if (c->page && (!PageSlab(c->page) || c->page->slab != s || !PageSlubFrozen(c->page)))
		fz_finding(x, "%s: cpu %d's slab of %s is %s", what, slub_get_cpu(), s->name,
			   !PageSlab(c->page) ? "no slab" :
			   c->page->slab != s ? "a slab of another cache" : "not frozen");
}

/*
 * A new object: from the cache get_slab names (kmalloc) or the one asked (caches); in the
 * slab this cpu allocates from, frozen; on the requested node unless that node could not
 * give a page of the order asked for when it was asked.
 */
void fz_model_check_new(struct fz_state *x, int slot, gfp_t gfp, int node, const char *what)
{
	struct fz_fiber *fb = FZ_FB(x);
	struct fz_obj *o = fz_obj_at(x, slot);
	struct page *page;

	if (!o->addr || o->addr == (unsigned char *)ZERO_SIZE_PTR || !pa_addr_valid(o->addr))
		return;
	if (!fz_model_check_owner(x, slot, what))
		return;
	page = virt_to_head_page(o->addr);
	if (FZ_NUMA && node >= 0 && page_to_nid(page) != node) {
		int excused = 0;

		int order = o->slab ? oo_order(o->slab->min) : get_order(o->size);

		for (int i = 0; i < fb->nr_reqs; i++)
			if (!fb->reqs[i].in_irq && fb->reqs[i].node == node && !fb->reqs[i].could_serve)
				excused = 1;
		/* asked for another node or none: only a node without such a page excuses it */
		gfp_t zone = (gfp | (o->slab ? o->slab->allocflags : 0)) & __GFP_DMA;

		if (!excused && pa_can_allocate(node, zone | __GFP_THISNODE, (unsigned int)order) < 0)
			excused = 1;
		/* another cpu ran since the event began: it may have freed what was short then */
		if (fb->away)
			excused = 1;
		if (!excused)
			fz_finding(x, "%s for node %d returned an object on node %d, but node %d could "
				   "give a page of order %d and was never asked for one it could not "
				   "(gfp %#x)", what, node, page_to_nid(page), node, order, gfp);
	}
	if (!o->slab)
		return;
	if (o->cache < 0 && strcmp(what, "krealloc")) {
		int index = fz_model_kmalloc_index(x, o->size);

		if (o->slab->objsize != kmalloc_index_size(index))
			fz_finding(x, "%s(%zu): kmalloc_caches[%d] is %s of %d bytes, not %d", what,
				   o->size, index, o->slab->name, o->slab->objsize,
				   kmalloc_index_size(index));
	}
	/*
	 * In a concurrent group the allocation's last yield point (interrupts back on) came after
	 * it took the object: another cpu's flush_all (shrink, validate) may have deactivated
	 * this cpu's slab since, as an IPI may in the kernel. Its lists are checked at the
	 * group's end.
	 */
	if (x->in_group) {
		fz_model_touch(x, o->slab, page_to_nid(page));
		return;
	}
	/*
	 * An interrupt or a migration after the allocation took its object (an irq_at or
	 * migrate_at at slab_alloc's interrupts back on, or at a later point of the op, such as
	 * krealloc's kfree): the object came from the cpu slab of the cpu the task ran on then,
	 * which the interrupt may have deactivated since, or which is another cpu's now.
	 */
	if (FZ_FB(x)->fired_after_take) {
		FZ_FB(x)->fired_after_take = 0;
		fz_model_touch(x, o->slab, page_to_nid(page));
		return;
	}
	if (!PageSlubFrozen(page))
		fz_finding(x, "%s returned an object of %s from a slab that is not frozen: every "
			   "allocation comes from a cpu slab", what, o->slab->name);
	else if (o->slab->cpu_slab &&
		 per_cpu_ptr(o->slab->cpu_slab, slub_get_cpu())->page != page)
		fz_finding(x, "%s returned an object of %s from a frozen slab that is not cpu %d's",
			   what, o->slab->name, slub_get_cpu());
	check_cpu_slab(x, o->slab, what);
	fz_model_touch(x, o->slab, page_to_nid(page));
}

struct page *fz_model_slab_of(const void *addr)
{
	struct page *page;

	if (!addr || addr == ZERO_SIZE_PTR || !pa_addr_valid(addr))
		return NULL;
	page = virt_to_head_page(addr);
	return PageSlab(page) ? page : NULL;
}

/* After a free: the slab is frozen, partial with a free object, or gone. */
void fz_model_after_free(struct fz_state *x, struct kmem_cache *s, struct page *page,
			 const char *what)
{
	if (!s || !page)
		return;
	fz_model_touch(x, s, page_to_nid(page));
	/*
	 * In a concurrent group other cpus ran from the free's slab_unlock on: they may have taken
	 * the slab from the partial list, frozen, filled or deactivated it (an empty slab kept on
	 * the partial list). The lists are checked at the group's end.
	 */
	if (x->in_group)
		return;
	if (!PageSlab(page) || page->slab != s || PageSlubFrozen(page))
		return;
	if (!page->inuse && !(s->flags & SLAB_DESTROY_BY_RCU)) /* RCU: queued, freed later */
		fz_finding(x, "%s: the emptied slab of %s is neither a cpu slab nor discarded "
			   "(__slab_free frees an empty slab)", what, s->name);
	else if (!page->freelist)
		fz_finding(x, "%s: a slab of %s has no free object right after a free", what,
			   s->name);
}

/* ---- the lists of the touched caches ---- */

/* Walks the node's partial list: count, free objects, not frozen, right cache and node. */
static void check_partial(struct fz_state *x, struct kmem_cache *s, int node, const char *when)
{
	struct kmem_cache_node *n = get_node(s, FZ_NUMA ? node : 0);
	unsigned long nr = 0;
	struct page *page;

	if (!n)
		return;
	list_for_each_entry(page, &n->partial, lru) {
		const char *bad = NULL;

		if (++nr > 1000000)
			break;
		if (!PageSlab(page) || page->slab != s)
			bad = "is not a slab of this cache";
		else if (PageSlubFrozen(page))
			bad = "is frozen (a cpu slab)";
		else if (!page->freelist || page->inuse >= page->objects)
			bad = "has no free object";
		else if (FZ_NUMA && page_to_nid(page) != node)
			bad = "lies on another node";
		if (bad) {
			fz_finding(x, "%s: a slab on %s's node %d partial list %s (inuse %u of %u) (%s)",
				   when, s->name, node, bad, page->inuse, page->objects, when);
			return;
		}
	}
	if (nr != n->nr_partial)
		fz_finding(x, "%s: %s node %d: nr_partial %lu, but %lu slabs on the partial list",
			   when, s->name, node, n->nr_partial, nr);
	if (!(s->flags & SLAB_STORE_USER) && !list_empty(&n->full))
		fz_finding(x, "%s: %s node %d has slabs on the full list without SLAB_STORE_USER",
			   when, s->name, node);
}

static void check_counts(struct fz_state *x, struct kmem_cache *s, int node, const char *when)
{
	struct kmem_cache_node *n = get_node(s, FZ_NUMA ? node : 0);
	struct mkey *k = mmap_find(&fz_model_state.counts, (uintptr_t)s, node);
	long slabs = k ? k->v[0] : 0, objects = k ? k->v[1] : 0;

	/* SLAB_DESTROY_BY_RCU slabs leave the counters before the grace period frees them; and
	 * there is no shadow to compare with where it is off (past 64 nodes) */
	if (!n || (s->flags & SLAB_DESTROY_BY_RCU) || !fz_model_state.on)
		return;
	if (n->nr_slabs != slabs || n->total_objects != objects)
		fz_finding(x, "%s: %s node %d counts %ld slabs / %ld objects, but %ld slabs / %ld "
			   "objects of it are out", when, s->name, node, n->nr_slabs,
			   n->total_objects, slabs, objects);
}

/* More was born or changed than the shadow follows: it is built again from a walk (rare). */
static void rebuild_if_lost(struct fz_state *x)
{
	struct fz_model *m = &fz_model_state;

	if (!m->births_lost && !m->dirty_lost)
		return;
	m->on = 0;
	mmap_free(&m->slabs);
	mmap_free(&m->counts);
	m->births_lost = m->dirty_lost = 0;
	fz_model_boot_step_done(x);
}

/*
 * The boot steps before the first event are done: a shadow that lost births in them (55 far
 * nodes of one page each give thousands of slabs) is complete again before any event is
 * checked against it, and before fz_machine_keep saves it with the machine. Kept incomplete,
 * it came back on every resume with births_lost cleared: "counts N slabs ... but M of it are
 * out" on the second input of that machine only.
 */
void fz_model_boot_done(struct fz_state *x)
{
	if (fz_model_state.on && !slub_tainted())
		rebuild_if_lost(x);
}

/* After every event: the counters it changed, the lists of the caches it touched. */
void fz_model_event_end(struct fz_state *x)
{
	struct fz_model *m = &fz_model_state;

	if (!m->on || slub_tainted()) {
		m->nr_dirty = m->nr_touch = 0;
		fz_space_event_end(x);
		return;
	}
	rebuild_if_lost(x);
	resolve_births();
	for (int i = 0; i < m->nr_touch && !x->failed; i++) {
		check_partial(x, m->touch[i].s, m->touch[i].node, "after the event");
		check_counts(x, m->touch[i].s, m->touch[i].node, "after the event");
	}
	for (int i = 0; i < m->nr_dirty && !x->failed; i++)
		check_counts(x, m->dirty[i].s, m->dirty[i].node, "after the event");
	for (int i = 0; i < m->nr_dirty && !x->failed; i++)
		fz_space_judge(x, m->dirty[i].s, m->dirty[i].node);
	fz_space_event_end(x);
	m->nr_dirty = m->nr_touch = 0;
}

/* ---- kmem_cache_shrink: every cpu slab flushed, no empty slab, fullest first ---- */

void fz_model_after_shrink(struct fz_state *x, struct kmem_cache *s)
{
	/* shrink's own kmalloc'd array is freed into its cache after the sort */
	struct kmem_cache *own = fz_model_kmalloc_cache(x, sizeof(struct list_head) *
						       (size_t)oo_objects(s->max), GFP_KERNEL);
	int cpu, node, undisturbed = 1;

	/*
	 * In a concurrent group other cpus allocate (new cpu slabs) and free (the partial lists'
	 * order) while shrink runs and after; the group's end checks the lists and counts.
	 */
	if (x->in_group)
		return;
	if (fz_model_state.on)
		resolve_births(); /* this event's new slabs count before the counters are read */
	/*
	 * An interrupt at one of shrink's yield points (between nodes, interrupts back on: an
	 * irq_at) came after flush_all and may have taken a new cpu slab, freed into a sorted
	 * list or emptied a slab, as one may in the kernel. The lists and counts still hold.
	 */
	if (FZ_FB(x)->interrupted & FZ_IRQ_AT_SITE)
		undisturbed = 0;
	for (cpu = 0; cpu < x->cpus && undisturbed; cpu++)
		if (x->cpu_online[cpu] && per_cpu_ptr(s->cpu_slab, cpu)->page)
			fz_finding(x, "kmem_cache_shrink(%s) left cpu %d's slab in place (flush_all)",
				   s->name, cpu);
	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *page;
		int last = -1;

		if (!n)
			continue;
		check_partial(x, s, node, "after kmem_cache_shrink");
		list_for_each_entry(page, &n->partial, lru) {
			if (!undisturbed)
				break;
			if (!page->inuse) {
				fz_finding(x, "kmem_cache_shrink(%s) left an empty slab on node %d's "
					   "partial list", s->name, node);
				return;
			}
			if (s != own && last >= 0 && page->inuse > last) {
				fz_finding(x, "kmem_cache_shrink(%s) left node %d's partial list unsorted: "
					   "a slab with %u objects in use after one with %d", s->name,
					   node, page->inuse, last);
				return;
			}
			last = page->inuse;
		}
		check_counts(x, s, node, "after kmem_cache_shrink");
	}
}

/* ---- find_mergeable: the cache a create must merge into, or none ---- */

static int model_unmergeable(const struct fz_state *x, const struct kmem_cache *s)
{
	return x->prog->boot.nomerge || (s->flags & SLUB_NEVER_MERGE) || s->ctor ||
	       s->refcount < 0;
}

/*
 * The cache kmem_cache_create(name, size, align, flags, ctor) must return as an alias, by
 * 2.6.36's rule: no slub_nomerge, no never-merge flag or ctor; the first cache on slab_caches
 * (in order) that is mergeable, at least as large as the word- and alignment-rounded size and
 * less than a word larger, with the same SLUB_MERGE_SAME flags and a size that keeps the
 * requested alignment. NULL: a new cache.
 */
struct kmem_cache *fz_model_merge_target(const struct fz_state *x, const char *name, size_t size,
					 size_t align, unsigned long flags, int ctor)
{
	struct kmem_cache *s;

	if (x->prog->boot.nomerge || (flags & SLUB_NEVER_MERGE) || ctor)
		return NULL;
	size = ALIGN(size, sizeof(void *));
	align = fz_calc_align(flags, align, size, x->prog->boot.cache_line);
	size = ALIGN(size, align);
	flags = kmem_cache_flags(size, flags, name, NULL);
	list_for_each_entry(s, &slab_caches, list) {
		size_t ssize = (size_t)s->size;

		if (model_unmergeable(x, s) || size > ssize ||
		    (flags & SLUB_MERGE_SAME) != (s->flags & SLUB_MERGE_SAME) ||
		    ssize % align || ssize - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

/* A cache this create made, not an alias: only its creator holds it. */
int fz_model_cache_is_new(const struct kmem_cache *s)
{
	return s->refcount == 1;
}

const char *fz_model_cache_name(const struct kmem_cache *s)
{
	return cache_name_of(s);
}

/* ---- NULL and hotplug answers ---- */

/* Whether the page allocator could serve the request now (the node it would use, or -1). */
int fz_model_could_serve(int node, gfp_t gfp, unsigned int order)
{
	return pa_can_allocate(node, gfp, order);
}

/* ---- a buggy caller's writes, and slub_debug's answer ---- */

/* Frees the slot's object through its API, without the harness's checks (phase one). */
static void corrupt_free_raw(struct fz_state *x, struct fz_obj *o)
{
	if (o->cache >= 0) {
		if (x->cache[o->cache].ctor)
			o->addr[0] = FZ_CTOR_MARK;
		kmem_cache_free(x->cache[o->cache].s, o->addr);
	} else {
		kfree(o->addr);
	}
}

/* The slot's object freed by the harness; its slab, if the free left the slab to s. */
static struct page *corrupt_free_slot(struct fz_state *x, int slot, struct kmem_cache *s)
{
	struct page *page = virt_to_head_page(fz_obj_at(x, slot)->addr);

	fz_obj_release(x, slot, "before corrupt");
	return PageSlab(page) && page->slab == s ? page : NULL;
}

/*
 * One corrupt event: write where a buggy caller would, through the allocator's metadata
 * helpers (the sanitizers stay quiet, as a kernel without KASAN would), then make slub_debug
 * look where 2.6.36 looks - free_debug_processing for a red zone, validate_slab_cache for
 * freed objects, free pointers and padding - and demand its report of that kind. Then the FIX
 * must have left the cache usable: the object frees, and a second validate is clean. A cache
 * whose debug flags promise no check for this kind is left alone: the write would be real
 * corruption, and 2.6.36 owes no report.
 */
/*
 * The byte a corrupt event writes at p, where slub_debug expects `expect`: the event's value
 * unless that is what lies there already (no corruption to report), then its complement.
 */
static u8 corrupt_value(uint8_t v, u8 expect)
{
	return v == expect ? (u8)~v : v;
}

/*
 * at: 0 for `corrupt` (its fixed place: the red zone's first byte, the object's first, the
 * slab's last padding byte; byte picks the bad free pointer), 1 for `corrupt_at` (byte off
 * modulo the region's length, any value).
 */
void fz_model_corrupt(struct fz_state *x, int slot, int what, uint8_t byte, int at, uint32_t off)
{
	struct fz_obj *o = fz_obj_at(x, slot);
	struct kmem_cache *s = o->slab;
	struct page *page;
	u8 *addr = o->addr, val;
	int len, remainder;

	if (!addr || addr == (u8 *)ZERO_SIZE_PTR || !s || !kmem_cache_debug(s) ||
	    !fz_check_pattern(x, slot, 1, "before corrupt"))
		return;
	/*
	 * SLAB_DESTROY_BY_RCU: a freed object stays type-safe memory a reader may still use, and
	 * an emptied slab waits for the grace period off every list: no write after free is a
	 * caller's bug there, and validate cannot see such a slab.
	 */
	if (what != CO_REDZONE && (s->flags & SLAB_DESTROY_BY_RCU))
		return;
	/* a FIX may drop free objects for good (a cut freechain): they are on no freelist */
	x->corrupted = 1;
	page = virt_to_head_page(addr);
	switch (what) {
	case CO_REDZONE:
		if (!(s->flags & SLAB_RED_ZONE) || s->inuse <= s->objsize)
			return;
		/* the red zone after the object: objsize .. inuse, active while allocated */
		if (at)
			addr += s->objsize + off % (uint32_t)(s->inuse - s->objsize);
		else
			addr += s->objsize;
		val = corrupt_value(byte, SLUB_RED_ACTIVE);
		x->expect_report[0] = "Redzone overwritten";
		track_meta_set(addr, val, 1);
		addr = o->addr;
		corrupt_free_raw(x, o); /* 2.6.36 reports, restores, and keeps the object */
		break;
	case CO_FREED:
		if (!(s->flags & __OBJECT_POISON) || !s->offset)
			return;
		if (!(page = corrupt_free_slot(x, slot, s)))
			return; /* the slab went back to the page allocator */
		/* the freed object's poison: POISON_FREE over objsize bytes, POISON_END last */
		off = at ? off % (uint32_t)s->objsize : 0;
		val = corrupt_value(byte, off == (uint32_t)s->objsize - 1 ? POISON_END : POISON_FREE);
		x->expect_report[0] = "Poison overwritten";
		track_meta_set(addr + off, val, 1);
		slub_validate_all();
		break;
	case CO_FREEPTR: {
		void *last;
		int n = 0;

		if (!(page = corrupt_free_slot(x, slot, s)) || s->size < 2 || !page->freelist)
			return;
		/*
		 * The last free object of the slab (debug caches keep every free object on the
		 * page's freelist): cutting the chain there, as the FIX does, loses nothing.
		 */
		for (last = page->freelist; get_freepointer(s, last) && n <= page->objects; n++)
			last = get_freepointer(s, last);
		if (n > page->objects)
			return;
		x->expect_report[0] = "Freechain corrupt";
		x->expect_report[1] = "Freepointer corrupt";
		if (at) {
			/*
			 * Any byte of the last free object's free pointer (NULL, the chain's
			 * end) made non-zero: never a valid object of this slab.
			 */
			u8 *fp = (u8 *)last + s->offset + off % sizeof(void *);

			track_meta_set(fp, byte ? byte : 0xff, 1);
		} else {
			set_freepointer(s, last, (u8 *)last + 1 + byte % (s->size - 1));
		}
		slub_validate_all();
		break;
	}
	case CO_CYCLE: {
		void *last, *target;
		int n = 0, k;

		if (!(page = corrupt_free_slot(x, slot, s)) || !page->freelist)
			return;
		for (last = page->freelist; get_freepointer(s, last) && n <= page->objects; n++)
			last = get_freepointer(s, last);
		if (n > page->objects)
			return;
		/* the chain holds n + 1 free objects: point the last back at the k-th of them */
		k = (int)((at ? off : byte) % (uint32_t)(n + 1));
		for (target = page->freelist; k--;)
			target = get_freepointer(s, target);
		/*
		 * on_freelist counts objects + 1 and reports the count; 2.6.36's validate_slab
		 * then walks the cycle for ever (UPSTREAM_VALIDATE_FREELIST_CYCLE: the step
		 * watchdog's soft lockup, a finding), fixed cuts the chain where it repeats.
		 */
		x->expect_report[0] = "Wrong object count";
		set_freepointer(s, last, target);
		slub_validate_all();
		break;
	}
	case CO_PADDING:
		len = (int)(PAGE_SIZE << compound_order(page));
		remainder = len % s->size;
		if (!(s->flags & SLAB_POISON) || !remainder)
			return;
		/* the slab's padding: its last remainder bytes, POISON_INUSE */
		val = corrupt_value(byte, POISON_INUSE);
		x->expect_report[0] = "Padding overwritten";
		track_meta_set((u8 *)page_address(page) + len -
				       (at ? remainder - (int)(off % (uint32_t)remainder) : 1),
			       val, 1);
		corrupt_free_slot(x, slot, s); /* a slab with a free object is on a list */
		slub_validate_all();
		break;
	default:
		return;
	}
	if (!x->expect_seen && what != CO_REDZONE && !(PageSlab(page) && page->slab == s)) {
		/*
		 * validate's flush_all deactivated the slab, emptied by the free above, and
		 * unfreeze_slab discarded it (nr_partial at min_partial: on_each_cpu flushes the
		 * caller's cpu last) before validate looked: 2.6.36 owes no report for a slab that
		 * is gone, and what it checks on the way out (__free_slab's check_object) found
		 * nothing.
		 */
		fz_digest(x, 0xc0223u);
		x->expect_report[0] = x->expect_report[1] = NULL;
		return;
	}
	fz_digest(x, 0xc0220u + (uint32_t)x->expect_seen);
	if (!x->expect_seen)
		fz_finding(x, "corrupt %s in %s: slub_debug gave no \"%s\" report (%s)",
			   prog_corruption_names[what], s->name, x->expect_report[0],
			   FZ_FB(x)->first_report[0] ? FZ_FB(x)->first_report : "no report at all");
	else if (FZ_FB(x)->ev_reports[SLUB_REPORT_WARN] || FZ_FB(x)->ev_reports[SLUB_REPORT_BUG] ||
		 FZ_FB(x)->ev_reports[SLUB_REPORT_PANIC] || FZ_FB(x)->ev_reports[SLUB_REPORT_LEAK])
		fz_finding(x, "corrupt %s in %s: more than slub_debug's report: %s",
			   prog_corruption_names[what], s->name, FZ_FB(x)->first_report);
	x->expect_report[0] = x->expect_report[1] = NULL;
	x->expect_seen = 0;
	if (x->failed) {
		/* no report: whether the object was freed is unknown; the run ends here */
		if (what == CO_REDZONE) {
			memset(o, 0, sizeof(*o));
			o->cache = -1;
		}
		return;
	}
	/* what follows must be clean: the FIX repaired what the check found */
	FZ_FB(x)->first_report[0] = '\0';
	memset(FZ_FB(x)->ev_reports, 0, sizeof(FZ_FB(x)->ev_reports));
	if (what == CO_REDZONE) {
		/* the failed free kept the object; its owner frees it again */
		if (o->cache >= 0 && x->cache[o->cache].ctor)
			o->addr[0] = o->fill;
		fz_obj_release(x, slot, "after the red zone's FIX");
	}
	if (slub_validate_all())
		fz_finding(x, "corrupt %s in %s: validate after slub_debug's FIX still finds "
			   "problems: %s", prog_corruption_names[what], s->name, FZ_FB(x)->first_report);
}
