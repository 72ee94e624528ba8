/* page_alloc.c - the page allocator model: the arena and its struct pages, per-node and per-zone
 * buddy free lists, the decision hook, memory hotplug, and leak accounting at shutdown.
 *
 * Page states, all kept in struct page:
 *   free block head   PG_buddy, private = order of the block
 *   inside free block no PG_buddy, order_allocated = -1, _count = 0
 *   allocation head   _count >= 1, order_allocated = order (PG_head too with __GFP_COMP)
 *   allocation tail   order_allocated = -1 (PG_tail and first_page with __GFP_COMP)
 *   offline memory    PG_reserved
 * PG_dma marks ZONE_DMA pages in every state. pfns count pages from the arena base; buddies are
 * aligned relative to it, and a buddy is only ever looked for inside its own node and zone.
 */
#include <sys/mman.h>

#include "page_alloc.h"
#include "track.h"

/* 1 GiB of address space, reserved once per process; a boot maps nodes onto its start. */
#define PA_ARENA_PAGES 262144UL
#define PA_MEM_NOTIFIERS 16

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks on free_list */
};

struct pa_node {
	unsigned long start_pfn, nr_pages; /* configured memory, online or not */
	unsigned long dma_pages; /* the first dma_pages are ZONE_DMA (one node at most) */
	unsigned long in_use; /* pages handed out */
	unsigned long nr_free; /* pages on the free lists */
	int isolated; /* going offline: its free pages are out of the allocator's reach */
	struct free_area free_area[MAX_NR_ZONES][MAX_ORDER];
};

__slub_state int nr_node_ids = 1;
__slub_state DECLARE_BITMAP(node_states[NR_NODE_STATES], MAX_NUMNODES);

static char *pa_arena;
static struct page *mem_map;
static struct pa_node pa_nodes[MAX_NUMNODES];
static __slub_state unsigned long pa_total_pages; /* configured pages of the booted layout */
static __slub_state unsigned long pa_in_use;
static __slub_state unsigned long pa_seq;
static __slub_state unsigned long pa_nr_oom; /* requests refused for want of a free block */
static __slub_state int pa_dma_nid = -1; /* node holding ZONE_DMA, -1: no DMA zone */
static __slub_state int pa_booted;

static slub_pa_hook_fn pa_hook;
static void *pa_hook_arg;
static pa_observer_fn pa_observer;
static void *pa_observer_arg;

static __slub_state struct notifier_block pa_mem_nb[PA_MEM_NOTIFIERS];
static __slub_state int pa_mem_nr;
static __slub_state struct notifier_block *pa_mem_chain;

#define PA_BUG(...) slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define PA_WARN(...) slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL, __VA_ARGS__)

/* ---- geometry ---- */

static unsigned long pa_page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static int pa_reserve_arena(void)
{
	void *arena, *map;

	if (pa_arena)
		return 0;
	arena = mmap(NULL, PA_ARENA_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		return -1;
	/* struct pages of configured memory only are ever touched, so this costs little too */
	map = mmap(NULL, PA_ARENA_PAGES * sizeof(struct page), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED) {
		munmap(arena, PA_ARENA_PAGES * PAGE_SIZE);
		return -1;
	}
	pa_arena = arena;
	mem_map = map;
	return 0;
}

int pa_addr_valid(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)pa_arena;

	return pa_arena && a >= base && a - base < pa_total_pages * PAGE_SIZE;
}

struct page *virt_to_page(const void *addr)
{
	if (!pa_addr_valid(addr))
		PA_BUG("kernel BUG: virt_to_page(%p): address is not in the page arena "
		       "(%lu pages at %p)", addr, pa_total_pages, (void *)pa_arena);
	return mem_map + (((uintptr_t)addr - (uintptr_t)pa_arena) >> PAGE_SHIFT);
}

/* Non-zero if page is a struct page of the booted layout (checked without pointer UB). */
static int pa_page_valid(const struct page *page)
{
	uintptr_t p = (uintptr_t)page, base = (uintptr_t)mem_map;

	return mem_map && p >= base && (p - base) % sizeof(struct page) == 0 &&
	       (p - base) / sizeof(struct page) < pa_total_pages;
}

void *page_address(const struct page *page)
{
	if (!pa_page_valid(page))
		PA_BUG("kernel BUG: page_address(%p): not a struct page of the arena",
		       (const void *)page);
	return pa_arena + pa_page_to_pfn(page) * PAGE_SIZE;
}

int cpu_to_node(int cpu)
{
	return cpu < 0 ? 0 : cpu % nr_node_ids;
}

static enum zone_type page_zonenum(const struct page *page)
{
	return PageFlag(page, PG_dma) ? ZONE_DMA : ZONE_NORMAL;
}

/* ---- free lists ---- */

static void pa_add_free_block(struct page *page, unsigned int order)
{
	struct pa_node *node = &pa_nodes[page->nid];
	struct free_area *area = &node->free_area[page_zonenum(page)][order];

	__set_bit(PG_buddy, &page->flags);
	page->private = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
	node->nr_free += 1UL << order;
}

static void pa_del_free_block(struct page *page, unsigned int order)
{
	struct pa_node *node = &pa_nodes[page->nid];
	struct free_area *area = &node->free_area[page_zonenum(page)][order];

	list_del(&page->lru);
	__clear_bit(PG_buddy, &page->flags);
	page->private = 0;
	area->nr_free--;
	node->nr_free -= 1UL << order;
}

/* Frees [pfn, end) of one zone as the largest naturally aligned blocks that fit. */
static void pa_carve(unsigned long pfn, unsigned long end)
{
	while (pfn < end) {
		unsigned int order = MAX_ORDER - 1;

		while (order && ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > end))
			order--;
		pa_add_free_block(mem_map + pfn, order);
		pfn += 1UL << order;
	}
}

static void pa_init_free_lists(struct pa_node *node)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o < MAX_ORDER; o++) {
			INIT_LIST_HEAD(&node->free_area[z][o].free_list);
			node->free_area[z][o].nr_free = 0;
		}
	node->nr_free = 0;
	node->isolated = 0;
}

/* Puts a page into the "inside a free block" state, keeping only its zone. */
static void pa_clear_page(struct page *page)
{
	page->flags &= 1UL << PG_dma;
	page->_count = 0;
	page->_mapcount = -1;
	page->private = 0;
	page->mapping = NULL;
	page->index = 0;
	INIT_LIST_HEAD(&page->lru);
	page->order_allocated = -1;
}

/* Gives a node's memory to the buddy lists: at boot, or when hotplug brings it online. */
static void pa_online_pages(int nid)
{
	struct pa_node *node = &pa_nodes[nid];
	unsigned long start = node->start_pfn, end = start + node->nr_pages;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = mem_map + pfn;

		page->flags = pfn - start < node->dma_pages ? 1UL << PG_dma : 0;
		pa_clear_page(page);
	}
	pa_carve(start, start + node->dma_pages);
	pa_carve(start + node->dma_pages, end);
	__set_bit(nid, node_states[N_NORMAL_MEMORY]);
}

static void pa_offline_pages(int nid)
{
	struct pa_node *node = &pa_nodes[nid];

	pa_init_free_lists(node);
	for (unsigned long pfn = 0; pfn < node->nr_pages; pfn++) {
		struct page *page = mem_map + node->start_pfn + pfn;

		pa_clear_page(page);
		page->flags = 1UL << PG_reserved;
	}
	__clear_bit(nid, node_states[N_NORMAL_MEMORY]);
}

/* ---- allocation ---- */

/* Takes a block of order from one zone, splitting a larger one as the buddy system does. */
/* Takes a block of order from the node's zone; with dry_run, only says whether it could. */
static struct page *pa_rmqueue(int nid, enum zone_type zone, unsigned int order, int dry_run)
{
	struct pa_node *node = &pa_nodes[nid];

	if (node->isolated || node->nr_free < (1UL << order))
		return NULL;
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &node->free_area[zone][o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		if (dry_run)
			return page;
		pa_del_free_block(page, o);
		/* the low half is kept, upper halves go back (expand() in the kernel) */
		while (o > order) {
			o--;
			pa_add_free_block(page + (1UL << o), o);
		}
		return page;
	}
	return NULL;
}

static int pa_zone_allowed(int nid, int pref, gfp_t gfp)
{
	return !(gfp & __GFP_THISNODE) || nid == pref;
}

/*
 * A node-ordered zonelist (what 2.6.36 builds for NUMA by default): nodes by distance from the
 * preferred one, and within each node ZONE_NORMAL before ZONE_DMA, so a node whose memory is
 * mostly DMA still serves its own allocations before memory goes remote.
 */
static struct page *pa_get_page(int pref, gfp_t gfp, unsigned int order, int dry_run)
{
	struct page *page = NULL;

	if (gfp & __GFP_DMA) {
		if (pa_dma_nid < 0 || !pa_zone_allowed(pa_dma_nid, pref, gfp))
			return NULL;
		return pa_rmqueue(pa_dma_nid, ZONE_DMA, order, dry_run);
	}
	for (int i = 0; !page && i < nr_node_ids; i++) {
		int nid = (pref + i) % nr_node_ids;

		if (i && (gfp & __GFP_THISNODE))
			break;
		if (!node_state(nid, N_NORMAL_MEMORY))
			continue;
		page = pa_rmqueue(nid, ZONE_NORMAL, order, dry_run);
		if (!page && nid == pa_dma_nid)
			page = pa_rmqueue(nid, ZONE_DMA, order, dry_run);
	}
	return page;
}

int populated_zone(int nid, enum zone_type zone)
{
	const struct pa_node *node;

	if (nid < 0 || nid >= nr_node_ids || !node_state(nid, N_NORMAL_MEMORY))
		return 0;
	node = &pa_nodes[nid];
	if (zone == ZONE_DMA)
		return nid == pa_dma_nid && node->dma_pages;
	return node->nr_pages > node->dma_pages;
}

int pa_can_allocate(int nid, gfp_t gfp, unsigned int order)
{
	int pref = nid == -1 ? numa_node_id() : nid;
	struct page *page;

	if (!pa_booted || pref < 0 || pref >= nr_node_ids || order >= MAX_ORDER)
		return -1;
	page = pa_get_page(pref, gfp, order, 1);
	return page ? page->nid : -1;
}

unsigned long pa_nr_pfns(void)
{
	return pa_booted ? pa_total_pages : 0;
}

struct page *pa_pfn_page(unsigned long pfn)
{
	return mem_map + pfn;
}

void pa_set_observer(pa_observer_fn fn, void *arg)
{
	pa_observer = fn;
	pa_observer_arg = arg;
}

static void pa_prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long nr = 1UL << order;
	void *addr = page_address(page);

	for (unsigned long i = 0; i < nr; i++) {
		pa_clear_page(page + i);
		if ((gfp & __GFP_COMP) && i) {
			__set_bit(PG_tail, &page[i].flags);
			page[i].first_page = page;
		}
	}
	page->_count = 1;
	page->order_allocated = (int)order;
	if (gfp & __GFP_COMP)
		__set_bit(PG_head, &page->flags);
	pa_nodes[page->nid].in_use += nr;
	pa_in_use += nr;
	if (gfp & __GFP_ZERO) {
		track_defined(addr, nr * PAGE_SIZE);
		memset(addr, 0, nr * PAGE_SIZE);
	} else {
		track_undefined(addr, nr * PAGE_SIZE);
	}
}

static void pa_warn_failure(const char *caller, gfp_t gfp, unsigned int order, const char *why)
{
	if (!(gfp & __GFP_NOWARN))
		printk(KERN_WARNING "%s: page allocation failure. order:%u, mode:0x%x (%s)\n",
		       caller ? caller : "?", order, gfp, why);
}

struct page *__pa_alloc_pages_node(int nid, gfp_t gfp, unsigned int order, const char *caller)
{
	struct slub_pa_request req;
	struct page *page;
	int pref = nid == -1 ? numa_node_id() : nid;

	if (!pa_booted) {
		PA_WARN("WARNING: %s asked for pages before pa_boot", caller ? caller : "?");
		return NULL;
	}
	if (pref < 0 || pref >= nr_node_ids || order >= MAX_ORDER) {
		PA_WARN("WARNING: %s asked for node %d order %u (nr_node_ids %d, MAX_ORDER %d)",
			caller ? caller : "?", nid, order, nr_node_ids, MAX_ORDER);
		return NULL;
	}
	/*
	 * __alloc_pages_nodemask: before start_kernel turns interrupts on, gfp_allowed_mask
	 * (slub_def.h) strips __GFP_WAIT, __GFP_IO and __GFP_FS, so that early callers may pass
	 * GFP_KERNEL; then it may sleep for __GFP_WAIT.
	 */
	gfp &= gfp_allowed_mask;
	might_sleep_if(gfp & __GFP_WAIT);
	/* a sleeping allocation: reclaim would let other tasks run here */
	if (gfp & __GFP_WAIT)
		slub_yield(SLUB_YIELD_PAGE_ALLOC, "page_alloc");
	req.seq = pa_seq++;
	if (pa_hook && !(gfp & __GFP_NOFAIL)) {
		req.node = nid;
		req.order = order;
		req.gfp = gfp;
		req.caller = caller;
		req.irqs_enabled = !irqs_disabled();
		if (pa_hook(&req, pa_hook_arg) == SLUB_PA_FAIL) {
			pa_warn_failure(caller, gfp, order, "failed by the decision hook");
			return NULL;
		}
	}
	page = pa_get_page(pref, gfp, order, 0);
	if (!page) {
		pa_nr_oom++;
		pa_warn_failure(caller, gfp, order, "out of memory");
		return NULL;
	}
	pa_prep_new_page(page, order, gfp);
	if (pa_observer)
		pa_observer(page, order, 0, pa_observer_arg);
	return page;
}

unsigned long __pa_get_free_pages(gfp_t gfp, unsigned int order, const char *caller)
{
	struct page *page = __pa_alloc_pages_node(-1, gfp, order, caller);

	return page ? (unsigned long)page_address(page) : 0;
}

/* ---- freeing ---- */

/* Every way a free can be wrong ends here, before any state changes. */
static void pa_check_free(struct page *page, unsigned int order)
{
	unsigned long pfn;

	if (!pa_booted)
		PA_BUG("kernel BUG: __free_pages(%p, %u) before pa_boot", (void *)page, order);
	if (!pa_page_valid(page))
		PA_BUG("kernel BUG: __free_pages(%p, %u): not a struct page of the arena",
		       (void *)page, order);
	pfn = pa_page_to_pfn(page);
	if (PageFlag(page, PG_reserved))
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is offline memory", pfn,
		       page->nid);
	if (PageTail(page))
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is a tail page of the compound "
		       "page at pfn %lu", pfn, page->nid, pa_page_to_pfn(page->first_page));
	if (PageBuddy(page))
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is already free (order %lu "
		       "block): double free", pfn, page->nid, page->private);
	if (page->order_allocated < 0 || page->_count <= 0)
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is not the head of an "
		       "allocation (double free, or inside a block)", pfn, page->nid);
	if ((int)order != page->order_allocated)
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) freed with order %u, allocated "
		       "with order %d", pfn, page->nid, order, page->order_allocated);
	if (PageSlab(page))
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is still PageSlab (slab %p)",
		       pfn, page->nid, (void *)page->slab);
	if (PageFlag(page, PG_locked))
		PA_BUG("kernel BUG: __free_pages: pfn %lu (node %d) is still locked", pfn,
		       page->nid);
	if (PageHead(page))
		for (unsigned long i = 1; i < (1UL << order); i++)
			if (!PageTail(page + i) || page[i].first_page != page)
				PA_BUG("kernel BUG: __free_pages: compound page at pfn %lu (node "
				       "%d): tail %lu is corrupted (flags %#lx)", pfn, page->nid,
				       i, page[i].flags);
}

/* Returns a block to its zone, merging with free buddies as far as they go. */
static void pa_free_one_block(struct page *page, unsigned int order)
{
	struct pa_node *node = &pa_nodes[page->nid];
	unsigned long pfn = pa_page_to_pfn(page);
	unsigned long zstart = node->start_pfn, zend = node->start_pfn + node->dma_pages;

	if (page_zonenum(page) == ZONE_NORMAL) {
		zstart = zend;
		zend = node->start_pfn + node->nr_pages;
	}
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = mem_map + buddy_pfn;

		if (buddy_pfn < zstart || buddy_pfn + (1UL << order) > zend)
			break;
#ifdef SLUB_BUG_BUDDY_MERGE_ANY_ORDER
		if (!PageBuddy(buddy))
			break;
#else
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
#endif
		pa_del_free_block(buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	pa_add_free_block(mem_map + pfn, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	pa_check_free(page, order);
	/* put_page_testzero: only the last reference frees */
	if (--page->_count > 0)
		return;
	if (pa_observer)
		pa_observer(page, order, 1, pa_observer_arg);
	for (unsigned long i = 0; i < nr; i++)
		pa_clear_page(page + i);
	pa_nodes[page->nid].in_use -= nr;
	pa_in_use -= nr;
	track_noaccess(page_address(page), nr * PAGE_SIZE);
	pa_free_one_block(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((const void *)addr), order);
}

/* ---- memory hotplug ---- */

void hotplug_memory_notifier(int (*fn)(struct notifier_block *, unsigned long, void *), int pri)
{
	struct notifier_block *nb;

	for (int i = 0; i < pa_mem_nr; i++)
		if (pa_mem_nb[i].notifier_call == fn)
			return;
	if (pa_mem_nr == PA_MEM_NOTIFIERS) {
		PA_WARN("WARNING: more than %d memory hotplug notifiers", PA_MEM_NOTIFIERS);
		return;
	}
	nb = &pa_mem_nb[pa_mem_nr++];
	nb->notifier_call = fn;
	nb->priority = pri;
	nb->next = NULL;
	notifier_chain_register(&pa_mem_chain, nb);
}

static int pa_memory_notify(unsigned long action, int nid)
{
	struct memory_notify arg = {
		.start_pfn = pa_nodes[nid].start_pfn,
		.nr_pages = pa_nodes[nid].nr_pages,
		.status_change_nid = nid, /* a node's memory comes and goes as a whole */
	};

	return notifier_call_chain(&pa_mem_chain, action, &arg, -1, NULL);
}

static int pa_hotplug_node_ok(int nid)
{
	return pa_booted && nid >= 0 && nid < nr_node_ids && pa_nodes[nid].nr_pages;
}

int pa_online_node(int nid)
{
	if (!pa_hotplug_node_ok(nid) || node_state(nid, N_NORMAL_MEMORY))
		return -EINVAL;
	if (slub_notifier_bad(pa_memory_notify(MEM_GOING_ONLINE, nid))) {
		pa_memory_notify(MEM_CANCEL_ONLINE, nid);
		return -ENOMEM;
	}
	pa_online_pages(nid);
	pa_memory_notify(MEM_ONLINE, nid);
	return 0;
}

/* offline_pages' failed_removal: MEM_CANCEL_OFFLINE, then the free pages come back. */
static int pa_offline_failed(int nid)
{
	pa_memory_notify(MEM_CANCEL_OFFLINE, nid);
	pa_nodes[nid].isolated = 0; /* undo_isolate_page_range */
	return -EBUSY;
}

int pa_offline_node(int nid)
{
	if (!pa_hotplug_node_ok(nid) || !node_state(nid, N_NORMAL_MEMORY))
		return -EINVAL;
	/*
	 * offline_pages isolates the range (start_isolate_page_range) before MEM_GOING_OFFLINE:
	 * from then on no allocation gets a page of it, whatever node it prefers, and pages
	 * freed into it stay isolated. So what the notifiers allocate (kmem_cache_shrink's
	 * kmalloc, from a cpu of this very node) lands elsewhere and cannot pin the node.
	 */
	pa_nodes[nid].isolated = 1;
	if (slub_notifier_bad(pa_memory_notify(MEM_GOING_OFFLINE, nid)))
		return pa_offline_failed(nid);
	/* the notifiers had their chance to give pages back; anything still out pins the node */
	if (pa_nodes[nid].in_use)
		return pa_offline_failed(nid);
	pa_offline_pages(nid);
	pa_memory_notify(MEM_OFFLINE, nid);
	return 0;
}

/* ---- accounting ---- */

unsigned long pa_pages_in_use(void)
{
	return pa_in_use;
}

unsigned long pa_node_pages_in_use(int nid)
{
	return pa_booted && nid >= 0 && nid < nr_node_ids ? pa_nodes[nid].in_use : 0;
}

unsigned long pa_node_pages_free(int nid)
{
	return pa_booted && nid >= 0 && nid < nr_node_ids ? pa_nodes[nid].nr_free : 0;
}

unsigned long pa_alloc_seq(void)
{
	return pa_seq;
}

unsigned long slub_pages_in_use(void)
{
	return pa_pages_in_use();
}

unsigned long slub_node_pages_in_use(int node)
{
	return pa_node_pages_in_use(node);
}

int slub_node_isolated(int node)
{
	return pa_booted && node >= 0 && node < nr_node_ids && pa_nodes[node].isolated;
}

unsigned long slub_pages_oom_count(void)
{
	return pa_nr_oom;
}

int slub_addr_to_node(const void *addr)
{
	return pa_addr_valid(addr) ? page_to_nid(virt_to_page(addr)) : -1;
}

void pa_set_hook(slub_pa_hook_fn fn, void *arg)
{
	pa_hook = fn;
	pa_hook_arg = fn ? arg : NULL;
}

void slub_set_page_alloc_hook(slub_pa_hook_fn fn, void *arg)
{
	pa_set_hook(fn, arg);
}

/* ---- lifecycle ---- */

static int pa_config_valid(const struct slub_config *cfg)
{
	unsigned long total = 0;

	if (!cfg || cfg->nr_node_ids < 1 || cfg->nr_node_ids > MAX_NUMNODES ||
	    cfg->nr_cpu_ids < 1 || cfg->nr_cpu_ids > NR_CPUS)
		return 0;
	for (int n = 0; n < cfg->nr_node_ids; n++)
		total += cfg->node_pages[n];
	if (total > PA_ARENA_PAGES) {
		printk(KERN_ERR "pa_boot: %d nodes ask for %lu pages, the arena holds %lu: lower "
		       "node_pages[] (nothing booted)\n", cfg->nr_node_ids, total,
		       (unsigned long)PA_ARENA_PAGES);
		return 0;
	}
	return 1;
}

int pa_boot(const struct slub_config *cfg)
{
	unsigned long start = 0;

	if (!pa_config_valid(cfg))
		return SLUB_BOOT_EINVAL;
	if (pa_reserve_arena()) {
		printk(KERN_ERR "pa_boot: cannot reserve the %lu page arena\n", PA_ARENA_PAGES);
		return SLUB_BOOT_EINVAL;
	}
	if (pa_booted) {
		PA_WARN("WARNING: pa_boot without pa_shutdown; shutting down first");
		pa_shutdown();
	}
	nr_node_ids = cfg->nr_node_ids;
	for (int s = 0; s < NR_NODE_STATES; s++)
		bitmap_zero(node_states[s], MAX_NUMNODES);
	pa_dma_nid = -1;
	for (int n = 0; n < nr_node_ids; n++) {
		struct pa_node *node = &pa_nodes[n];

		node->start_pfn = start;
		node->nr_pages = cfg->node_pages[n];
		node->dma_pages = 0;
		node->in_use = 0;
		pa_init_free_lists(node);
		for (unsigned long pfn = start; pfn < start + node->nr_pages; pfn++)
			mem_map[pfn].nid = n;
		start += node->nr_pages;
		__set_bit(n, node_states[N_POSSIBLE]);
		__set_bit(n, node_states[N_ONLINE]);
		if (!node->nr_pages)
			continue;
		if (cfg->node_offline[n]) {
			pa_offline_pages(n);
			continue;
		}
		if (pa_dma_nid < 0) {
			pa_dma_nid = n;
			node->dma_pages = min((unsigned long)cfg->dma_pages, node->nr_pages);
		}
		pa_online_pages(n);
	}
	pa_total_pages = start;
	pa_in_use = 0;
	pa_seq = 0;
	pa_nr_oom = 0;
	track_noaccess(pa_arena, pa_total_pages * PAGE_SIZE);
	pa_booted = 1;
	return 0;
}

/* Back to the unbooted state; the decision hook stays, like the platform's report hook. */
static void pa_reset(void)
{
	if (pa_booted)
		track_noaccess(pa_arena, pa_total_pages * PAGE_SIZE);
	for (int s = 0; s < NR_NODE_STATES; s++)
		bitmap_zero(node_states[s], MAX_NUMNODES);
	nr_node_ids = 1;
	pa_total_pages = 0;
	pa_in_use = 0;
	pa_seq = 0;
	pa_nr_oom = 0;
	pa_dma_nid = -1;
	pa_mem_nr = 0;
	pa_mem_chain = NULL;
	pa_booted = 0;
}

void pa_discard(void)
{
	pa_reset();
}

void pa_state_regions(slub_region_fn add, void *ctx)
{
	if (!pa_booted)
		return;
	add(pa_nodes, (size_t)nr_node_ids * sizeof(pa_nodes[0]), ctx);
	add(mem_map, pa_total_pages * sizeof(struct page), ctx);
}

void pa_poison_layout(void)
{
	if (pa_booted)
		track_noaccess(pa_arena, pa_total_pages * PAGE_SIZE);
}

struct page *pa_layout(unsigned long *nr_pages)
{
	*nr_pages = pa_booted ? pa_total_pages : 0;
	return mem_map;
}

unsigned long pa_shutdown(void)
{
	unsigned long leaked = 0;

	for (unsigned long pfn = 0; pa_booted && pfn < pa_total_pages; pfn++) {
		struct page *page = mem_map + pfn;
		int order = page->order_allocated;
		char owner[64] = "";

		if (order < 0 || page->_count <= 0 || PageFlag(page, PG_reserved))
			continue;
		/* page->slab is printed, not followed: the cache may be gone or garbage */
		if (PageSlab(page))
			slub_snprintf(owner, sizeof(owner), " PageSlab slab %p",
				      (void *)page->slab);
		slub_report(SLUB_REPORT_LEAK, __FILE__, __LINE__, __func__, NULL,
			    "page allocator: leaked %lu page(s): node %d pfn %lu order %d "
			    "flags %#lx%s",
			    1UL << order, page->nid, pfn, order, page->flags, owner);
		leaked += 1UL << order;
		pfn += (1UL << order) - 1;
	}
	pa_reset();
	return leaked;
}
