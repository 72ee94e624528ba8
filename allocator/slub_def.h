/* slub_def.h - SLUB's structures, constants and the functions its files share, as in
 * include/linux/slub_def.h and the static helpers of mm/slub.c (2.6.36 + the seed patch).
 *
 * Locking, as 2.6.36 takes it (one task here, but the order is kept and checked):
 *   slub_lock (caches list, create/destroy) -> slab_lock(page) -> kmem_cache_node->list_lock;
 *   under list_lock a slab is taken only with slab_trylock. slab_lock guards a page's
 *   freelist, inuse and frozen state; list_lock guards a node's partial list, nr_partial and
 *   the full list. A frozen slab is some cpu's current slab and is on no list. The whole
 *   picture is at the top of slub.c.
 */
#ifndef SLUBFUZZ_SLUB_DEF_H
#define SLUBFUZZ_SLUB_DEF_H

#include "bugs.h"
#include "page_alloc.h"
#include "platform.h"

/* Build variants: -DSLUB_CONFIG_NONUMA gives the !CONFIG_NUMA kernel; NUMA is the default. */
#ifndef SLUB_CONFIG_NONUMA
#define CONFIG_NUMA 1
#define NUMA_BUILD 1
#else
#define NUMA_BUILD 0
#endif
/* -DSLUB_BOOTSTRAP_SEED gives the seed patch exactly as posted; the default is `fixed`. */
#ifdef SLUB_BOOTSTRAP_SEED
#define SLUB_BOOTSTRAP_NAME "seed"
#else
#define SLUB_BOOTSTRAP_NAME "fixed"
#endif

#define NUMA_NO_NODE (-1)
#define ENOSYS 38
#define ENOENT 2
#define EIO 5
#define EEXIST 17

enum stat_item {
	ALLOC_FASTPATH,
	ALLOC_SLOWPATH,
	FREE_FASTPATH,
	FREE_SLOWPATH,
	FREE_FROZEN,
	FREE_ADD_PARTIAL,
	FREE_REMOVE_PARTIAL,
	ALLOC_FROM_PARTIAL,
	ALLOC_SLAB,
	ALLOC_REFILL,
	FREE_SLAB,
	CPUSLAB_FLUSH,
	DEACTIVATE_FULL,
	DEACTIVATE_EMPTY,
	DEACTIVATE_TO_HEAD,
	DEACTIVATE_TO_TAIL,
	DEACTIVATE_REMOTE_FREES,
	ORDER_FALLBACK,
	NR_SLUB_STAT_ITEMS
};

struct kmem_cache_cpu {
	void **freelist; /* next free object of the cpu slab (lockless list) */
	struct page *page; /* the cpu slab, frozen */
	int node; /* node of page, or -1 while debugging forces the slow path */
	unsigned stat[NR_SLUB_STAT_ITEMS]; /* CONFIG_SLUB_STATS */
};

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	/* CONFIG_SLUB_DEBUG is always on here: */
	long nr_slabs;
	long total_objects;
	struct list_head full; /* only with SLAB_STORE_USER */
};

/* Order and objects-per-slab packed in one word, as the kernel does for atomic update. */
struct kmem_cache_order_objects {
	unsigned long x;
};

/* Stand-in for the kobject that places a cache in sysfs (see sysfs.c). */
struct kobject {
	const char *name; /* sysfs directory name while registered */
	int registered;
	int removed; /* seed: its directory was removed by another cache's name (sysfs.c) */
	char unique[24]; /* ":t-0000064"-style id of a mergeable cache */
};

struct kmem_cache {
	struct kmem_cache_cpu __percpu *cpu_slab;
	unsigned long flags;
	int size; /* object size including metadata, aligned */
	int objsize; /* object size the user asked for */
	int offset; /* free pointer offset */
	struct kmem_cache_order_objects oo;
	struct kmem_cache_order_objects max;
	struct kmem_cache_order_objects min;
	gfp_t allocflags;
	int refcount; /* -1: boot cache, never destroyed or merged */
	void (*ctor)(void *);
	int inuse; /* offset to metadata */
	int align;
	unsigned long min_partial;
	const char *name;
	struct list_head list; /* on slab_caches */
	struct kobject kobj;
#ifdef CONFIG_NUMA
	int remote_node_defrag_ratio;
	/* Only nr_node_ids entries exist: the seed sizes kmem_cache by kmem_size. */
	struct kmem_cache_node *node[MAX_NUMNODES];
#else
	struct kmem_cache_node local_node;
#endif
};

/* Who allocated or freed an object last (SLAB_STORE_USER). */
struct track {
	unsigned long addr; /* caller */
	int cpu;
	int pid; /* simulated: cpu + 1 */
	unsigned long when; /* simulated jiffies */
};
enum track_item { TRACK_ALLOC, TRACK_FREE };
#define SLUB_TRACK_SIZE sizeof(struct track)

/* ---- constants of mm/slub.c and include/linux/poison.h ---- */

#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
#define OO_SHIFT 16
#define OO_MASK ((1 << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE 65535
#define PAGE_ALLOC_COSTLY_ORDER 3

#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc

#define DEBUG_DEFAULT_FLAGS (SLAB_DEBUG_FREE | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define DEBUG_METADATA_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_DEBUG_FREE)
#define SLUB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_DESTROY_BY_RCU | SLAB_NOLEAKTRACE | SLAB_FAILSLAB)
#define SLUB_MERGE_SAME (SLAB_DEBUG_FREE | SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_NOTRACK)
#define __OBJECT_POISON 0x80000000UL

/* CONFIG_ZONE_DMA is on: kmalloc with GFP_DMA uses the dma-kmalloc caches. */
#define SLUB_DMA __GFP_DMA
#define SLUB_PAGE_SHIFT (PAGE_SHIFT + 2)
#define SLUB_MAX_SIZE (2 * PAGE_SIZE)
#define ARCH_SLAB_MINALIGN 8

#define __GFP_BITS_SHIFT 23
#define __GFP_BITS_MASK ((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))
#define GFP_BOOT_MASK (__GFP_BITS_MASK & ~(__GFP_WAIT | __GFP_IO | __GFP_FS))
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
#define GFP_RECLAIM_MASK (__GFP_WAIT | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			  __GFP_REPEAT | __GFP_NOFAIL | __GFP_NORETRY | __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

/* ---- global state (defined in bootstrap.c unless noted) ---- */

enum slab_state_t {
	DOWN, /* nothing works */
	PARTIAL, /* kmem_cache_node allocations work */
	UP, /* kmalloc works; sysfs registration deferred */
	SYSFS /* registered in the sysfs stand-in */
};
extern enum slab_state_t slab_state;
extern int kmem_size;
extern struct rw_semaphore slub_lock;
/*
 * slab_caches, with a guard in front of the head. Deliberate difference: a list cursor run past
 * the end of slab_caches (list_for_each_entry's s once the loop is over) is the "kmem_cache"
 * container_of makes of the head, and every field before `list` lies in front of the head. In
 * the kernel that is whatever global the linker put there (2.6.36's slab_sysfs_init reads a
 * name from it); here it is a guard that slub_boot poisons, so ASan and Valgrind report the
 * read whatever the build's layout. The kernel name stays the one the code uses.
 */
struct slab_caches_guarded {
	char guard[offsetof(struct kmem_cache, list)];
	struct list_head head;
};
extern struct slab_caches_guarded slab_caches_guarded;
#define slab_caches (slab_caches_guarded.head)
extern gfp_t gfp_allowed_mask;
extern int slub_min_order, slub_max_order, slub_min_objects, slub_nomerge;
extern int slub_cache_line_size; /* cache_line_size() */
extern int slub_kmalloc_min_size; /* KMALLOC_MIN_SIZE */

/* The kmem_cache of kmem_caches, and (NUMA) the cache of kmem_cache_nodes. */
extern struct kmem_cache *kmem_cache;
#ifdef CONFIG_NUMA
extern struct kmem_cache *kmem_cache_node;
#endif
extern struct kmem_cache *kmalloc_caches[SLUB_PAGE_SHIFT];
extern struct kmem_cache *kmalloc_dma_caches[SLUB_PAGE_SHIFT];
/*
 * (harness) s is one of the caches above, which boot makes and the kernel's own objects fill
 * (bootstrap.c): shutdown keeps them for last, and the harness's accounting leaves them out.
 */
int slub_is_boot_cache(const struct kmem_cache *s);

static inline int cache_line_size(void)
{
	return slub_cache_line_size;
}
#define KMALLOC_MIN_SIZE slub_kmalloc_min_size
#define KMALLOC_SHIFT_LOW ilog2(KMALLOC_MIN_SIZE)
/* Kernels whose KMALLOC_MIN_SIZE exceeds 8 get it from ARCH_DMA_MINALIGN, which is also
 * ARCH_KMALLOC_MINALIGN; with 8 it is __alignof__(unsigned long long), also 8. */
#define ARCH_KMALLOC_MINALIGN slub_kmalloc_min_size

/* ---- inline helpers of mm/slub.c ---- */

static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node)
{
#ifdef CONFIG_NUMA
	return s->node[node];
#else
	(void)node;
	return &s->local_node;
#endif
}

/*
 * Notes that s served an allocation or a free, for the checks that look only at the caches
 * an event touched (validate.c). Deliberate difference: the kernel keeps no such record.
 */
void slub_note_touched(struct kmem_cache *s);

/*
 * Sees every stat() event, CONFIG_SLUB_STATS's own record of each slow-path decision (a slab
 * taken, an empty slab deactivated, a slab freed), before it is counted. Deliberate
 * difference: the kernel only counts them; the harness's space oracle (fuzz/space.c) watches
 * the moments themselves. NULL: none. The allocator never depends on what it does.
 */
extern void (*slub_stat_observer)(struct kmem_cache *s, enum stat_item si);

static inline int check_valid_pointer(struct kmem_cache *s, struct page *page, const void *object)
{
	const char *base;

	if (!object)
		return 1;
	base = page_address(page);
	if ((const char *)object < base ||
	    (const char *)object >= base + page->objects * s->size ||
	    ((const char *)object - base) % s->size)
		return 0;
	return 1;
}

/* Free pointers live inside free objects: read and write them as allocator metadata. */
void *get_freepointer(struct kmem_cache *s, void *object);
void set_freepointer(struct kmem_cache *s, void *object, void *fp);

#define for_each_object(__p, __s, __addr, __objects)                                   \
	for (__p = (void *)(__addr); (char *)__p < (char *)(__addr) + (__objects) * (__s)->size; \
	     __p = (char *)__p + (__s)->size)
#define for_each_free_object(__p, __s, __free)                                          \
	for (__p = (__free); __p; __p = get_freepointer((__s), __p))

static inline int slab_index(void *p, struct kmem_cache *s, void *addr)
{
	return (int)(((char *)p - (char *)addr) / s->size);
}

static inline struct kmem_cache_order_objects oo_make(int order, unsigned long size)
{
	struct kmem_cache_order_objects x = {
		((unsigned long)order << OO_SHIFT) + (PAGE_SIZE << order) / size
	};
	return x;
}
static inline int oo_order(struct kmem_cache_order_objects x)
{
	return (int)(x.x >> OO_SHIFT);
}
static inline int oo_objects(struct kmem_cache_order_objects x)
{
	return (int)(x.x & OO_MASK);
}

/* Frozen = this slab is a cpu slab; the kernel uses PG_active for PG_slub_frozen. */
#define PG_slub_frozen 8
static inline int PageSlubFrozen(struct page *page)
{
	return test_bit(PG_slub_frozen, &page->flags);
}
static inline void __SetPageSlubFrozen(struct page *page)
{
	__set_bit(PG_slub_frozen, &page->flags);
}
static inline void __ClearPageSlubFrozen(struct page *page)
{
	__clear_bit(PG_slub_frozen, &page->flags);
}

/*
 * slab_lock: the PG_locked bit spinlock of the slab's page, tracked by the lock model (taking
 * it twice is reported and fatal here, where the kernel would spin forever).
 */
#define slab_lock(page) slub_bit_spin_lock(PG_locked, &(page)->flags, "slab_lock", SLUB_HERE)
#define slab_unlock(page)                                                               \
	slub_bit_spin_unlock(PG_locked, &(page)->flags, "slab_lock", SLUB_HERE)
#define slab_trylock(page)                                                              \
	slub_bit_spin_trylock(PG_locked, &(page)->flags, "slab_lock", SLUB_HERE)

/* ---- slub.c: slabs, partial lists, the alloc and free paths ---- */

struct page *new_slab(struct kmem_cache *s, gfp_t flags, int node);
void discard_slab(struct kmem_cache *s, struct page *page);
#ifdef SLUB_BUG_SHRINK_COUNT_LEAK
void slub_free_slab_uncounted(struct kmem_cache *s, struct page *page);
#endif
void add_partial(struct kmem_cache_node *n, struct page *page, int tail);
void remove_partial(struct kmem_cache *s, struct page *page);
void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c);
void __flush_cpu_slab(struct kmem_cache *s, int cpu);
void flush_all(struct kmem_cache *s);
void *slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr);
void slab_free(struct kmem_cache *s, struct page *page, void *x, unsigned long addr);
int count_free(struct page *page);
unsigned long count_partial(struct kmem_cache_node *n, int (*get_count)(struct page *));
/* Rounds that the RCU stand-in still holds (SLAB_DESTROY_BY_RCU slabs awaiting a grace period). */
void rcu_barrier(void);
/* Forgets the slabs awaiting a grace period, for slub_shutdown after a panic. */
void slub_rcu_discard(void);

/* ---- slub_cache.c: cache layout, open/close, create/destroy, merge, shrink ---- */

void init_kmem_cache_node(struct kmem_cache_node *n, struct kmem_cache *s);
int kmem_cache_open(struct kmem_cache *s, const char *name, size_t size, size_t align,
		    unsigned long flags, void (*ctor)(void *));
int kmem_cache_close(struct kmem_cache *s);
/* kmem_cache_close without freeing the per-node structures (shutdown of the boot caches). */
int slub_close_slabs(struct kmem_cache *s);
int calculate_sizes(struct kmem_cache *s, int forced_order);
void set_min_partial(struct kmem_cache *s, unsigned long min);
int calculate_order(int size);
unsigned long calculate_alignment(unsigned long flags, unsigned long align, unsigned long size);
int slab_unmergeable(struct kmem_cache *s);
unsigned long slabs_node(struct kmem_cache *s, int node);
void inc_slabs_node(struct kmem_cache *s, int node, int objects);
void dec_slabs_node(struct kmem_cache *s, int node, int objects);
#ifdef CONFIG_NUMA
void early_kmem_cache_node_alloc(int node);
#endif

/* ---- kmalloc.c ---- */

extern s8 size_index[24];
static inline int size_index_elem(size_t bytes)
{
	return (int)((bytes - 1) / 8);
}
struct kmem_cache *get_slab(size_t size, gfp_t flags);
void size_index_init(void);
char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
void *kmalloc_large(size_t size, gfp_t flags);

/* ---- debug.c: slub_debug (CONFIG_SLUB_DEBUG) ---- */

static inline int kmem_cache_debug(struct kmem_cache *s)
{
	return (s->flags & SLAB_DEBUG_FLAGS) != 0;
}
unsigned long kmem_cache_flags(unsigned long objsize, unsigned long flags, const char *name,
			       void (*ctor)(void *));
void setup_object_debug(struct kmem_cache *s, struct page *page, void *object);
int alloc_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			   unsigned long addr);
int free_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			  unsigned long addr);
void init_object(struct kmem_cache *s, void *object, int active);
void init_tracking(struct kmem_cache *s, void *object);
int check_object(struct kmem_cache *s, struct page *page, void *object, int active);
int slab_pad_check(struct kmem_cache *s, struct page *page);
void add_full(struct kmem_cache_node *n, struct page *page);
void remove_full(struct kmem_cache *s, struct page *page);
void slab_err(struct kmem_cache *s, struct page *page, const char *fmt, ...) __printf(3, 4);
void print_tracking(struct kmem_cache *s, void *object);
int setup_slub_debug(const char *str);
extern int disable_higher_order_debug; /* slub_debug=O */
extern unsigned long slub_debug;        /* the flags slub_debug= gives every matching cache */
void slub_debug_reset(void);
/* Added for validate.c and the tests (static in mm/slub.c): */
struct track *get_track(struct kmem_cache *s, void *object, enum track_item alloc);
int check_slab(struct kmem_cache *s, struct page *page);
int on_freelist(struct kmem_cache *s, struct page *page, void *search);
/*
 * Reports are gathered between a debug entry point's enter and leave (nesting allowed) and go
 * to the hook as one SLUB_REPORT_SLAB_ERR each when the outermost one leaves.
 */
void slub_debug_enter(const char *file, int line, const char *func);
void slub_debug_leave(void);
unsigned long slub_debug_nr_reports(void); /* slab_bug-style reports made since boot */

/* ---- validate.c ---- */

int count_inuse(struct page *page);
int count_total(struct page *page);
long validate_slab_cache(struct kmem_cache *s);

/* ---- kasan_report.c: sanitizer builds check each free as KASAN does (else no-op) ---- */

int kasan_slab_free(struct kmem_cache *s, struct page *page, void *object);

/* ---- failslab.c: fault injection (mm/failslab.c) ---- */

bool should_failslab(size_t size, gfp_t gfpflags, unsigned long cache_flags);

/* ---- slab_attr.c: the sysfs attribute files of a cache ---- */

int any_slab_objects(struct kmem_cache *s);
int list_locations(struct kmem_cache *s, char *buf, enum track_item alloc);

/* ---- sysfs.c: the registry that stands in for /sys/kernel/slab ---- */

int sysfs_slab_add(struct kmem_cache *s);
int sysfs_slab_alias(struct kmem_cache *s, const char *name);
void sysfs_slab_remove(struct kmem_cache *s);
int slab_sysfs_init(void);
void slub_sysfs_reset(void);
void slub_sysfs_drop_saved_aliases(void); /* shutdown before slab_sysfs_init ran */
void sysfs_state_regions(slub_region_fn add, void *ctx); /* for snapshot.c */

/* ---- hotplug.c ---- */

#ifdef CONFIG_NUMA
int slab_memory_callback(struct notifier_block *self, unsigned long action, void *arg);
#endif
extern struct notifier_block slab_notifier;

/* ---- bootstrap.c ---- */

void kmem_cache_init(void);
void kmem_cache_init_late(void);

#endif
