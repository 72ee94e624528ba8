/* page_alloc.h - the page allocator model: per-node buddy allocator over one arena, struct page,
 * node states, memory hotplug notifiers, and the decision hook that may fail any allocation. */
#ifndef SLUBFUZZ_PAGE_ALLOC_H
#define SLUBFUZZ_PAGE_ALLOC_H

#include "bugs.h"
#include "platform.h"

struct kmem_cache;

/* What page allocations may ask for now: no sleeping or I/O until interrupts are on (2.6.36's
 * page_alloc.c owns it; here bootstrap.c sets it with the boot steps). */
extern gfp_t gfp_allowed_mask;

/* page->flags bits (a subset of include/linux/page-flags.h, with our own numbering). */
enum pageflags {
	PG_locked, /* slab_lock() bit spinlock */
	PG_slab, /* page belongs to a slab */
	PG_head, /* first page of a compound page */
	PG_tail, /* other pages of a compound page */
	PG_buddy, /* free block head in the buddy allocator; private = order */
	PG_reserved, /* not managed: outside any node's memory, or node offline */
	PG_dma, /* lies in ZONE_DMA */
};

/*
 * The fields SLUB and the buddy allocator use, laid out like 2.6.36's struct page: the slab
 * overlays inuse/objects on _mapcount, slab on mapping, freelist on index.
 */
struct page {
	unsigned long flags;
	int _count;
	union {
		int _mapcount;
		struct {
			u16 inuse;
			u16 objects;
		};
	};
	union {
		struct {
			unsigned long private; /* buddy: order of a free block */
			void *mapping;
		};
		struct kmem_cache *slab; /* SLUB: owning cache */
		struct page *first_page; /* compound tail: its head */
	};
	union {
		unsigned long index;
		void *freelist; /* SLUB: first free object */
	};
	struct list_head lru; /* buddy free list, or SLUB partial/full list */
	int nid; /* node; the kernel keeps this in the flags */
	int order_allocated; /* order of the allocation this page heads (-1: not a head) */
};

#define PageFlag(page, bit) test_bit(bit, &(page)->flags)
static inline int PageSlab(const struct page *page) { return PageFlag(page, PG_slab); }
static inline void __SetPageSlab(struct page *page) { __set_bit(PG_slab, &page->flags); }
static inline void __ClearPageSlab(struct page *page) { __clear_bit(PG_slab, &page->flags); }
static inline int PageHead(const struct page *page) { return PageFlag(page, PG_head); }
static inline int PageTail(const struct page *page) { return PageFlag(page, PG_tail); }
static inline int PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}
static inline int PageBuddy(const struct page *page) { return PageFlag(page, PG_buddy); }

static inline struct page *compound_head(struct page *page)
{
	return unlikely(PageTail(page)) ? page->first_page : page;
}
/* Order of a compound page (0 for a plain page); valid on the head. */
static inline unsigned int compound_order(struct page *page)
{
	return PageHead(page) ? (unsigned int)page->order_allocated : 0;
}
static inline int page_to_nid(const struct page *page)
{
	return page->nid;
}

/* Arena geometry: valid after pa_boot. */
struct page *virt_to_page(const void *addr);
static inline struct page *virt_to_head_page(const void *addr)
{
	return compound_head(virt_to_page(addr));
}
void *page_address(const struct page *page);
/* Non-zero if addr lies inside the arena (so virt_to_page is meaningful). */
int pa_addr_valid(const void *addr);

/* ---- nodes ---- */

enum node_states {
	N_POSSIBLE, /* node id < nr_node_ids */
	N_ONLINE, /* node is online (all possible nodes are, in this model) */
	N_NORMAL_MEMORY, /* node has memory online */
	NR_NODE_STATES
};
extern int nr_node_ids;
extern DECLARE_BITMAP(node_states[NR_NODE_STATES], MAX_NUMNODES);

static inline int node_state(int node, enum node_states state)
{
	return test_bit(node, node_states[state]);
}
/* Iterates nodes 0 .. nr_node_ids-1 that have state. */
#define for_each_node_state(node, state)                                                \
	for ((node) = 0; (node) < nr_node_ids; (node)++)                                \
		if (!node_state((node), (state))) {                                     \
		} else
#define for_each_node(node) for_each_node_state(node, N_POSSIBLE)
#define for_each_online_node(node) for_each_node_state(node, N_ONLINE)

/* The node of a CPU: cpu % nr_node_ids. numa_node_id() is the current CPU's node. */
int cpu_to_node(int cpu);
static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

/* ---- allocation ---- */

/*
 * Allocates 2^order contiguous pages, preferring node nid (-1: numa_node_id()), falling back
 * to other nodes with memory in distance order (nid+1, nid+2, ... wrapping) unless
 * __GFP_THISNODE. __GFP_DMA allocates from ZONE_DMA only. __GFP_COMP makes a compound page,
 * __GFP_ZERO zeroes it. The decision hook is asked first (unless __GFP_NOFAIL) and may fail
 * the request. Returns the head page or NULL.
 */
struct page *__pa_alloc_pages_node(int nid, gfp_t gfp, unsigned int order, const char *caller);
#define alloc_pages_node(nid, gfp, order) __pa_alloc_pages_node((nid), (gfp), (order), __func__)
#define alloc_pages(gfp, order) __pa_alloc_pages_node(-1, (gfp), (order), __func__)
/* Returns page_address of an alloc_pages(gfp, order), or 0. */
unsigned long __pa_get_free_pages(gfp_t gfp, unsigned int order, const char *caller);
#define __get_free_pages(gfp, order) __pa_get_free_pages((gfp), (order), __func__)

/*
 * Frees what an allocation of this order returned. Freeing a page that is not allocated, with
 * the wrong order, or still marked PageSlab is a BUG (reported, never silently accepted).
 */
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);

/* ---- memory hotplug (include/linux/memory.h) ---- */

#define MEM_ONLINE (1 << 0)
#define MEM_GOING_OFFLINE (1 << 1)
#define MEM_OFFLINE (1 << 2)
#define MEM_GOING_ONLINE (1 << 3)
#define MEM_CANCEL_ONLINE (1 << 4)
#define MEM_CANCEL_OFFLINE (1 << 5)
struct memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid; /* node gaining or losing its first/last memory, or -1 */
};
#define SLAB_CALLBACK_PRI 1
/* Registers fn on the memory hotplug chain (higher priority first). */
void hotplug_memory_notifier(int (*fn)(struct notifier_block *, unsigned long, void *), int pri);
/*
 * Brings node's memory online: MEM_GOING_ONLINE (a NOTIFY_BAD answer cancels with
 * MEM_CANCEL_ONLINE and returns -ENOMEM), pages join the buddy lists, MEM_ONLINE.
 * -EINVAL if the node has no memory configured or is online already.
 */
int pa_online_node(int nid);
/*
 * Takes node's memory offline: isolates its free pages (no allocation gets one, whatever node
 * it prefers), MEM_GOING_OFFLINE; -EBUSY (with MEM_CANCEL_OFFLINE, and the pages back) if any
 * of its pages is still allocated afterwards; else pages leave the buddy lists and MEM_OFFLINE.
 */
int pa_offline_node(int nid);

/* ---- accounting and lifecycle ---- */

unsigned long pa_pages_in_use(void);
unsigned long pa_node_pages_in_use(int nid);
unsigned long pa_node_pages_free(int nid);
/* Page allocations asked for since pa_boot (what the decision hook saw as seq). */
unsigned long pa_alloc_seq(void);

/*
 * Lays out the configured nodes in the arena (reserving it on first use) and builds the free
 * lists. Returns 0, or SLUB_BOOT_EINVAL if the configuration does not fit.
 */
int pa_boot(const struct slub_config *cfg);
/*
 * Names every allocation still out through the report hook (SLUB_REPORT_LEAK, with the
 * pages' flags and owner), returns how many pages that was, and resets to the unbooted state.
 */
unsigned long pa_shutdown(void);
/* Resets like pa_shutdown without naming anything: after a panic nothing is trustworthy. */
void pa_discard(void);

/* For snapshot.c: pa_nodes and struct pages of the booted layout, and the layout itself. */
void pa_state_regions(slub_region_fn add, void *ctx);
struct page *pa_layout(unsigned long *nr_pages);
void pa_poison_layout(void);
/*
 * Whether alloc_pages_node(nid, gfp, order) would find a block now, without taking it or
 * asking the decision hook: the node the block would come from, or -1. The oracle's question
 * "could this node have served the request?".
 */
int pa_can_allocate(int nid, gfp_t gfp, unsigned int order);

/* The zones: ZONE_DMA at the start of one node at most, ZONE_NORMAL on every node. */
enum zone_type { ZONE_DMA, ZONE_NORMAL, MAX_NR_ZONES };
/* Whether node nid's zone has memory online (populated_zone() of its struct zone). */
int populated_zone(int nid, enum zone_type zone);
/*
 * The observer sees every block handed out (freed 0, after it is prepared) and every block
 * given back (freed 1, before it is cleared), as the kernel's mm_page_alloc/mm_page_free
 * tracepoints do. NULL: none.
 */
/* The arena's page frames 0 .. pa_nr_pfns()-1 (0 before pa_boot), and the page of one. */
unsigned long pa_nr_pfns(void);
struct page *pa_pfn_page(unsigned long pfn);
typedef void (*pa_observer_fn)(struct page *page, unsigned int order, int freed, void *arg);
void pa_set_observer(pa_observer_fn fn, void *arg);

/* Sets the decision hook (NULL: always go on). */
void pa_set_hook(slub_pa_hook_fn fn, void *arg);

#endif
