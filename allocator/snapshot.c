/* snapshot.c - a booted machine saved and put back exactly, so that a fuzz target boots once
 * per machine rather than once per input; and the leak check that stands in for shutdown's
 * between two restores. Deliberate difference: the kernel never needs either. */
#include <stdlib.h>

#include "slub_def.h"
#include "track.h"

/* The linker brackets the state section (platform.h, __slub_state). */
extern char __start_slub_state[], __stop_slub_state[];

/*
 * What is saved, region by region: the state section; the tables each part keeps beyond it
 * (pa_nodes and struct pages of the layout, the sysfs registry in use, the printk ring's
 * bytes); every per-cpu area; and every block of the arena that is allocated, with its
 * sanitizer state. Free pages need nothing but their poisoning, which a restore redoes.
 */
/* Arena regions (pages, the per-cpu pool) carry their poisoning; state regions do not. */
enum region_kind { REGION_STATE, REGION_ARENA };

struct region {
	void *addr;
	size_t len;
	size_t off, shadow_off; /* in the data and shadow buffers */
	enum region_kind kind;
};

struct slub_snapshot {
	struct region *r;
	int nr, cap;
	unsigned char *data, *shadow;
	size_t data_len, shadow_len;
	int failed; /* out of host memory while saving */
	enum region_kind adding;
};

static void region_add(void *addr, size_t len, void *ctx)
{
	struct slub_snapshot *snap = ctx;
	struct region *r;

	if (snap->failed || !len)
		return;
	if (snap->nr == snap->cap) {
		int cap = snap->cap ? 2 * snap->cap : 64;
		struct region *n = slub_host_realloc(snap->r, (size_t)cap * sizeof(*n));

		if (!n) {
			snap->failed = 1;
			return;
		}
		snap->r = n;
		snap->cap = cap;
	}
	r = &snap->r[snap->nr++];
	r->addr = addr;
	r->len = len;
	r->kind = snap->adding;
	r->off = snap->data_len;
	r->shadow_off = snap->shadow_len;
	snap->data_len += ALIGN(len, sizeof(long));
	if (r->kind == REGION_ARENA)
		snap->shadow_len += track_shadow_bytes(len);
}

/* Calls fn for every allocated block of the layout: its head page and order. */
static void for_each_block(void (*fn)(struct page *page, unsigned int order, void *ctx),
			   void *ctx)
{
	unsigned long nr, pfn;
	struct page *map = pa_layout(&nr);

	for (pfn = 0; pfn < nr; pfn++) {
		struct page *page = map + pfn;

		if (page->order_allocated < 0 || page->order_allocated >= MAX_ORDER ||
		    page->_count <= 0 || PageFlag(page, PG_reserved) ||
		    pfn + (1UL << page->order_allocated) > nr)
			continue;
		fn(page, (unsigned int)page->order_allocated, ctx);
		pfn += (1UL << page->order_allocated) - 1;
	}
}

static void add_block(struct page *page, unsigned int order, void *ctx)
{
	region_add(page_address(page), PAGE_SIZE << order, ctx);
}

struct slub_snapshot *slub_snapshot_save(void)
{
	struct slub_snapshot *snap;

	unsigned long layout;

	pa_layout(&layout);
	if (!track_can_snapshot() || !layout || slub_tainted())
		return NULL;
	snap = slub_host_alloc(sizeof(*snap));
	if (!snap)
		return NULL;
	snap->adding = REGION_STATE;
	region_add(__start_slub_state, (size_t)(__stop_slub_state - __start_slub_state), snap);
	pa_state_regions(region_add, snap);
	sysfs_state_regions(region_add, snap);
	printk_state_regions(region_add, snap);
	snap->adding = REGION_ARENA;
	percpu_state_regions(region_add, snap);
	for_each_block(add_block, snap);
	if (!snap->failed) {
		/* filled whole by track_save below */
		snap->data = slub_host_alloc_uninit(snap->data_len ? snap->data_len : 1);
		snap->shadow = slub_host_alloc_uninit(snap->shadow_len ? snap->shadow_len : 1);
	}
	if (snap->failed || !snap->data || !snap->shadow) {
		slub_snapshot_free(snap);
		return NULL;
	}
	for (int i = 0; i < snap->nr; i++) {
		struct region *r = &snap->r[i];

		track_save(snap->data + r->off, r->kind == REGION_ARENA ?
			   snap->shadow + r->shadow_off : NULL, r->addr, r->len);
	}
	return snap;
}

size_t slub_snapshot_bytes(const struct slub_snapshot *snap)
{
	if (!snap)
		return 0;
	return sizeof(*snap) + (size_t)snap->cap * sizeof(snap->r[0]) + snap->data_len +
	       snap->shadow_len;
}

void slub_snapshot_free(struct slub_snapshot *snap)
{
	if (!snap)
		return;
	slub_host_free(snap->r);
	slub_host_free(snap->data);
	slub_host_free(snap->shadow);
	slub_host_free(snap);
}

static void poison_block(struct page *page, unsigned int order, void *ctx)
{
	(void)ctx;
	track_noaccess(page_address(page), PAGE_SIZE << order);
}

void slub_snapshot_restore(const struct slub_snapshot *snap)
{
	/*
	 * Blocks handed out now are free once the struct pages are back: poison them as a free
	 * does. Every other page of any layout is poisoned already (boot, free and shutdown
	 * poison), and a block the snapshot holds gets its own poisoning back below. After a
	 * panic the struct pages cannot be trusted: the whole layout is poisoned instead.
	 */
	if (slub_tainted())
		pa_poison_layout();
	else
		for_each_block(poison_block, NULL);
	percpu_state_forget();
	for (int i = 0; i < snap->nr; i++) {
		const struct region *r = &snap->r[i];

		track_restore(r->addr, snap->data + r->off, r->kind == REGION_ARENA ?
			      snap->shadow + r->shadow_off : NULL, r->len);
	}
}

/*
 * After the harness has freed everything it owned, every page still out must be a slab page
 * of a live cache, and each cache must own as many slab pages as its nr_slabs say: what
 * slub_shutdown's leak report would find, short of destroying the boot caches.
 */
struct leak_walk {
	struct kmem_cache **caches;
	long *slabs; /* slab pages found, per cache */
	int nr_caches;
	long problems;
	char *why;
	size_t why_len;
};

static void __printf(2, 3) leak_problem(struct leak_walk *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->problems++ && w->why_len) {
		va_start(ap, fmt);
		slub_vsnprintf(w->why, w->why_len, fmt, ap);
		va_end(ap);
	}
}

static void leak_block(struct page *page, unsigned int order, void *ctx)
{
	struct leak_walk *w = ctx;
	unsigned long nr;

	for (int i = 0; PageSlab(page) && i < w->nr_caches; i++)
		if (page->slab == w->caches[i]) {
			w->slabs[i]++;
			return;
		}
	leak_problem(w, "page allocator: %lu page(s) at node %d pfn %lu order %u flags %#lx "
		     "belong to no live cache%s", 1UL << order, page->nid,
		     (unsigned long)(page - pa_layout(&nr)), order, page->flags,
		     PageSlab(page) ? " (PageSlab of a destroyed cache)" : "");
}

long slub_snapshot_leaks(const struct slub_snapshot *snap, char *why, size_t why_len)
{
	struct leak_walk w = { NULL, NULL, 0, 0, why, why_len };
	struct kmem_cache *s;
	int n = 0;

	if (why_len)
		why[0] = '\0';
	list_for_each_entry(s, &slab_caches, list)
		n++;
	/* each cache has its cpu_slab area; boot steps after the snapshot may add caches */
	if (slub_percpu_in_use() != (unsigned long)n)
		leak_problem(&w, "%lu per-cpu area(s) alive for %d caches",
			     slub_percpu_in_use(), n);
	w.caches = malloc(((size_t)n + 1) * sizeof(*w.caches));
	w.slabs = calloc((size_t)n + 1, sizeof(*w.slabs));
	if (!w.caches || !w.slabs) {
		free(w.caches);
		free(w.slabs);
		return -ENOMEM;
	}
	list_for_each_entry(s, &slab_caches, list)
		w.caches[w.nr_caches++] = s;
	for_each_block(leak_block, &w);
	for (int i = 0; i < w.nr_caches; i++) {
		long counted = 0;

		s = w.caches[i];
		/* !CONFIG_NUMA: one node structure, embedded, whatever nr_node_ids says */
		for (int node = 0; node < (NUMA_BUILD ? nr_node_ids : 1); node++)
			if (get_node(s, node))
				counted += get_node(s, node)->nr_slabs;
		if (w.slabs[i] != counted)
			leak_problem(&w, "SLUB %s: %ld slab(s) in the page allocator, nr_slabs says "
				     "%ld", s->name, w.slabs[i], counted);
	}
	free(w.caches);
	free(w.slabs);
	return w.problems;
}
