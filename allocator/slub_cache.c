/* slub_cache.c - a cache's life: object layout and slab order (calculate_sizes/calculate_order),
 * per-node and per-cpu structures, kmem_cache_open/close, create with merging, destroy, shrink. */
#include "slub_def.h"
#include "track.h"

__slub_state int slub_min_order;
__slub_state int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
__slub_state int slub_min_objects;
__slub_state int slub_nomerge;

/* ---- per-node slab counts (CONFIG_SLUB_DEBUG) ---- */

unsigned long slabs_node(struct kmem_cache *s, int node)
{
	return (unsigned long)get_node(s, node)->nr_slabs;
}

void inc_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	/* The first kmem_cache_node slab exists before its node structure does; see
	 * early_kmem_cache_node_alloc, which counts it afterwards. */
	if (!NUMA_BUILD || n) {
		n->nr_slabs++;
		n->total_objects += objects;
	}
}

void dec_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	n->nr_slabs--;
	n->total_objects -= objects;
}

/* ---- layout ---- */

/*
 * The lowest order from slub_min_order up whose slab holds min_objects and wastes at most
 * 1/fract_leftover of itself.
 */
static int slab_order(int size, int min_objects, int max_order, int fract_leftover)
{
	int min_order = slub_min_order;
	int order;

	if ((PAGE_SIZE << min_order) / (unsigned long)size > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;

	for (order = max(min_order, fls((unsigned int)(min_objects * size - 1)) - PAGE_SHIFT);
	     order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		unsigned long rem;

		if (slab_size < (unsigned long)(min_objects * size))
			continue;
		rem = slab_size % (unsigned long)size;
		if (rem <= slab_size / (unsigned long)fract_leftover)
			break;
	}
	return order;
}

/* Backs off first on waste (1/16 .. 1/4), then on objects per slab, then on slub_max_order. */
int calculate_order(int size)
{
	int min_objects, max_objects, fraction, order;

	min_objects = slub_min_objects;
	if (!min_objects)
		min_objects = 4 * (fls((unsigned int)nr_cpu_ids) + 1);
	max_objects = (int)((PAGE_SIZE << slub_max_order) / (unsigned long)size);
	min_objects = min(min_objects, max_objects);

	while (min_objects > 1) {
		fraction = 16;
		while (fraction >= 4) {
			order = slab_order(size, min_objects, slub_max_order, fraction);
			if (order <= slub_max_order)
				return order;
			fraction /= 2;
		}
		min_objects--;
	}

	order = slab_order(size, 1, slub_max_order, 1);
	if (order <= slub_max_order)
		return order;

	order = slab_order(size, 1, MAX_ORDER, 1);
	if (order < MAX_ORDER)
		return order;
	return -ENOSYS;
}

/* SLAB_HWCACHE_ALIGN halves the cache line until the object no longer fits in half of it. */
unsigned long calculate_alignment(unsigned long flags, unsigned long align, unsigned long size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned long ralign = (unsigned long)cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
#ifdef SLUB_BUG_HWCACHE_ALIGN_OVERRIDES
		align = ralign;
#else
		align = max(align, ralign);
#endif
	}
	if (align < ARCH_SLAB_MINALIGN)
		align = ARCH_SLAB_MINALIGN;
	return ALIGN(align, sizeof(void *));
}

/*
 * Object layout: [object | red zone word | free pointer (if it may not overlay the object) |
 * alloc+free tracks | left pad word], rounded up to the alignment.
 */
int calculate_sizes(struct kmem_cache *s, int forced_order)
{
	unsigned long flags = s->flags;
	unsigned long size = (unsigned long)s->objsize;
	unsigned long align = (unsigned long)s->align;
	int order;

	size = ALIGN(size, sizeof(void *));

	/* Poison the object itself only if nobody may touch it while free. */
	if ((flags & SLAB_POISON) && !(flags & SLAB_DESTROY_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;

	/* A red zone needs at least one word between the object and the free pointer. */
	if ((flags & SLAB_RED_ZONE) && size == (unsigned long)s->objsize)
		size += sizeof(void *);

	s->inuse = (int)size;

	/* Free pointer after the object when the object's first word must survive free. */
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SMALL_OBJECT_REDZONE)
	/*
	 * 2.6.36 leaves the free pointer at offset 0 of a red-zoned object smaller than a word:
	 * the object's word then holds the whole red zone (objsize..inuse), which every free
	 * pointer written into a free object overwrites, so slub_debug reports "Redzone
	 * overwritten" on objects nobody touched. Such objects keep their free pointer out of
	 * line, as upstream 74c1d3e08153 "mm/slub: fix redzoning for small allocations" (v5.13).
	 */
	if ((flags & (SLAB_DESTROY_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) && (unsigned long)s->objsize < sizeof(void *))) {
#else
	if ((flags & (SLAB_DESTROY_BY_RCU | SLAB_POISON)) || s->ctor) {
#endif
		s->offset = (int)size;
		size += sizeof(void *);
	}

	if (flags & SLAB_STORE_USER)
		size += 2 * SLUB_TRACK_SIZE;

	if (flags & SLAB_RED_ZONE)
		size += sizeof(void *);

	align = calculate_alignment(flags, align, (unsigned long)s->objsize);
	s->align = (int)align;

	size = ALIGN(size, align);
	s->size = (int)size;
	if (forced_order >= 0)
		order = forced_order;
	else
		order = calculate_order((int)size);
	if (order < 0)
		return 0;

	s->allocflags = 0;
	if (order)
		s->allocflags |= __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= SLUB_DMA;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;

	s->oo = oo_make(order, size);
	s->min = oo_make(get_order(size), size);
	if (oo_objects(s->oo) > oo_objects(s->max))
		s->max = s->oo;

	return !!oo_objects(s->oo);
}

void set_min_partial(struct kmem_cache *s, unsigned long min)
{
	if (min < MIN_PARTIAL)
		min = MIN_PARTIAL;
	else if (min > MAX_PARTIAL)
		min = MAX_PARTIAL;
	s->min_partial = min;
}

/* ---- per-node and per-cpu structures ---- */

void init_kmem_cache_node(struct kmem_cache_node *n, struct kmem_cache *s)
{
	(void)s;
	n->nr_partial = 0;
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	n->nr_slabs = 0;
	n->total_objects = 0;
	INIT_LIST_HEAD(&n->full);
}

/* Since "Remove static kmem_cache_cpu array for boot", every cache uses alloc_percpu. */
static int alloc_kmem_cache_cpus(struct kmem_cache *s)
{
	s->cpu_slab = alloc_percpu(struct kmem_cache_cpu);
	return s->cpu_slab != NULL;
}

#ifdef CONFIG_NUMA
/*
 * The first kmem_cache_node of a node, for the kmem_cache_node cache itself, taken by hand
 * from a fresh slab: there is no kmem_cache_node yet to allocate it from. Boot only.
 */
void early_kmem_cache_node_alloc(int node)
{
	struct kmem_cache_node *n;
	unsigned long flags;
	struct page *page;

	BUG_ON(kmem_cache_node->size < (int)sizeof(struct kmem_cache_node));

	page = new_slab(kmem_cache_node, GFP_KERNEL, node);

	BUG_ON(!page);
	if (page_to_nid(page) != node) {
		printk(KERN_ERR "SLUB: Unable to allocate memory from node %d\n", node);
		printk(KERN_ERR "SLUB: Allocating a useless per node structure in order to be "
				"able to continue\n");
	}

	n = page->freelist;
	BUG_ON(!n);
	page->freelist = get_freepointer(kmem_cache_node, n);
#ifndef SLUB_BUG_EARLY_NODE_INUSE
	page->inuse++;
#endif
	/* Allocated by hand, so made accessible by hand. */
	track_object_alloc(n, (size_t)kmem_cache_node->objsize, 0);
	kmem_cache_node->node[node] = n;
	init_object(kmem_cache_node, n, 1);
	init_tracking(kmem_cache_node, n);
	init_kmem_cache_node(n, kmem_cache_node);
	inc_slabs_node(kmem_cache_node, node, page->objects);

	local_irq_save(flags);
	add_partial(n, page, 0);
	local_irq_restore(flags);
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	int node;

	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = s->node[node];

		if (n)
			kmem_cache_free(kmem_cache_node, n);
		s->node[node] = NULL;
	}
}

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_EARLY_NODE_FOREIGN_SLAB)
/*
 * A node that cannot hold kmem_cache_node's first slab (too small for the slab's order, or
 * full) gets one from another node: early_kmem_cache_node_alloc says so ("a useless per node
 * structure") and, as 2.6.36 does, puts that slab on the partial list of the node it was meant
 * for and counts it there, while new_slab has already counted it on its page's node if that
 * node's structure came first (nodes are set up in ascending order). The slab later leaves by
 * its page's node (deactivation, discard), so the counts stay wrong for good: the meant-for
 * node counts a slab it does not have (validate complains, and taking that node's memory
 * offline hits the BUG_ON on its slabs), the page's node one too few or one too many. Once
 * every node's structure exists, such a slab moves to its page's node, list and count. No
 * upstream fix: later kernels keep the fallback as it is.
 */
static void early_kmem_cache_node_rehome(void)
{
	unsigned long flags;
	int node;

	local_irq_save(flags);
	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(kmem_cache_node, node);
		struct page *page, *t;

		if (!n)
			continue;
		list_for_each_entry_safe(page, t, &n->partial, lru) {
			int nid = page_to_nid(page);

			if (nid == node || !get_node(kmem_cache_node, nid))
				continue;
			spin_lock(&n->list_lock);
			list_del(&page->lru);
			n->nr_partial--;
			spin_unlock(&n->list_lock);
			dec_slabs_node(kmem_cache_node, node, page->objects);
			if (nid > node) /* else new_slab counted it there */
				inc_slabs_node(kmem_cache_node, nid, page->objects);
			add_partial(get_node(kmem_cache_node, nid), page, 0);
		}
	}
	local_irq_restore(flags);
}
#else
static void early_kmem_cache_node_rehome(void)
{
}
#endif

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	int node;

	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n;

		if (slab_state == DOWN) {
			early_kmem_cache_node_alloc(node);
			continue;
		}
		n = kmem_cache_alloc_node(kmem_cache_node, GFP_KERNEL, node);
		if (!n) {
			free_kmem_cache_nodes(s);
			return 0;
		}
		s->node[node] = n;
		init_kmem_cache_node(n, s);
	}
	if (slab_state == DOWN)
		early_kmem_cache_node_rehome();
	return 1;
}
#else
static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	(void)s;
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	init_kmem_cache_node(&s->local_node, s);
	return 1;
}
#endif

/* ---- open and close ---- */

int kmem_cache_open(struct kmem_cache *s, const char *name, size_t size, size_t align,
		    unsigned long flags, void (*ctor)(void *))
{
	memset(s, 0, (size_t)kmem_size);
	s->name = name;
	s->ctor = ctor;
	s->objsize = (int)size;
	s->align = (int)align;
	s->flags = kmem_cache_flags(size, flags, name, ctor);

	if (!calculate_sizes(s, -1))
		goto error;
	if (disable_higher_order_debug) {
		/* slub_debug=O: drop metadata debugging if it raised the minimum order. */
		if (get_order((unsigned long)s->size) > get_order((unsigned long)s->objsize)) {
			s->flags &= ~DEBUG_METADATA_FLAGS;
			s->offset = 0;
			if (!calculate_sizes(s, -1))
				goto error;
		}
	}

	/* Bigger objects keep more partial slabs to spare the page allocator. */
	set_min_partial(s, (unsigned long)ilog2((unsigned long)s->size));
	s->refcount = 1;
#ifdef CONFIG_NUMA
	s->remote_node_defrag_ratio = 1000;
#endif
	if (!init_kmem_cache_nodes(s))
		goto error;

	if (alloc_kmem_cache_cpus(s))
		return 1;

	free_kmem_cache_nodes(s);
error:
	if (flags & SLAB_PANIC)
		panic("Cannot create slab %s size=%lu realsize=%u order=%u offset=%u flags=%lx\n",
		      s->name, (unsigned long)size, s->size, oo_order(s->oo), s->offset, flags);
	return 0;
}

/* Reports the objects still allocated in a slab that close could not free. */
static void list_slab_objects(struct kmem_cache *s, struct page *page, const char *text)
{
	void *addr = page_address(page);
	unsigned long *map;
	void *p;

	map = kzalloc(BITS_TO_LONGS(page->objects) * sizeof(long), GFP_ATOMIC);
	if (!map)
		return;
	slab_err(s, page, "%s", text);
	slab_lock(page);
	for_each_free_object(p, s, page->freelist) {
		slub_watchdog_tick(); /* a cyclic free list keeps 2.6.36 here for ever */
		__set_bit(slab_index(p, s, addr), map);
	}
	for_each_object(p, s, addr, page->objects) {
		if (!test_bit(slab_index(p, s, addr), map)) {
			printk(KERN_ERR "INFO: Object %p @offset=%td\n", p,
			       (char *)p - (char *)addr);
			print_tracking(s, p);
		}
	}
	slab_unlock(page);
	kfree(map);
}

static void free_partial(struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct page *page, *h;
	unsigned long flags;

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(page, h, &n->partial, lru) {
		slub_watchdog_tick();
		if (!page->inuse) {
			list_del(&page->lru);
			discard_slab(s, page);
			n->nr_partial--;
		} else {
			list_slab_objects(s, page, "Objects remaining on kmem_cache_close()");
		}
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
}

int slub_close_slabs(struct kmem_cache *s)
{
	int node;

	flush_all(s);
	free_percpu(s->cpu_slab);
	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(s, node);

		free_partial(s, n);
		if (n->nr_partial || slabs_node(s, node))
			return 1;
	}
	return 0;
}

/* Frees everything the cache holds; non-zero if objects were still allocated. */
int kmem_cache_close(struct kmem_cache *s)
{
	if (slub_close_slabs(s))
		return 1;
	free_kmem_cache_nodes(s);
	return 0;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	down_write(&slub_lock);
	s->refcount--;
	if (!s->refcount) {
		list_del(&s->list);
		if (kmem_cache_close(s))
			slub_report(SLUB_REPORT_SLAB_ERR, __FILE__, __LINE__, __func__, s->name,
				    "SLUB %s: %s called for cache that still has objects.", s->name,
				    __func__);
		if (s->flags & SLAB_DESTROY_BY_RCU)
			rcu_barrier();
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
		{
			/* the cache's own copy of its name (kmem_cache_create) goes with it */
			const char *name = s->name;

			sysfs_slab_remove(s);
			kfree(name);
		}
#else
		sysfs_slab_remove(s);
#endif
	}
	up_write(&slub_lock);
}

/* ---- merging ---- */

int slab_unmergeable(struct kmem_cache *s)
{
	if (slub_nomerge || (s->flags & SLUB_NEVER_MERGE))
		return 1;
	if (s->ctor)
		return 1;
	/* Boot caches have refcount -1 and never merge. */
	if (s->refcount < 0)
		return 1;
	return 0;
}

static struct kmem_cache *find_mergeable(size_t size, size_t align, unsigned long flags,
					 const char *name, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (slub_nomerge || (flags & SLUB_NEVER_MERGE))
		return NULL;
	if (ctor)
		return NULL;

	size = ALIGN(size, sizeof(void *));
	align = calculate_alignment(flags, align, size);
#ifndef SLUB_BUG_MERGE_IGNORES_ALIGN
	size = ALIGN(size, align);
#endif
	flags = kmem_cache_flags(size, flags, name, NULL);

	list_for_each_entry(s, &slab_caches, list) {
		slub_watchdog_tick();
		if (slab_unmergeable(s))
			continue;
		if (size > (size_t)s->size)
			continue;
#ifndef SLUB_BUG_MERGE_SAME_FLAGS_IGNORED
		if ((flags & SLUB_MERGE_SAME) != (s->flags & SLUB_MERGE_SAME))
			continue;
#endif
#ifndef SLUB_BUG_MERGE_IGNORES_ALIGN
		/* s's objects must sit on the requested alignment. */
		if (((size_t)s->size & ~(align - 1)) != (size_t)s->size)
			continue;
#endif
		if ((size_t)s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_CREATE_LOCK_IMBALANCE)
/*
 * Correction: 2.6.36's two failure paths (the alias and the sysfs registration) jump past
 * up_write and return with slub_lock held for writing. Upstream 68cee4f118c2 ("slub: Fix
 * slub_lock down/up imbalance", 2.6.37) moved the label above the up_write.
 */
#define create_err_unlock() up_write(&slub_lock)
#else
#define create_err_unlock() do { } while (0)
#endif

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
/* kstrdup(name, GFP_KERNEL) */
static char *kstrdup_name(const char *name)
{
	size_t len = strlen(name) + 1;
	char *n = kmalloc(len, GFP_KERNEL);

	if (n)
		memcpy(n, name, len);
	return n;
}
#endif

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
	const char *orig_name = name;
	char *n;
#endif

	if (WARN_ON(!name))
		return NULL;

	down_write(&slub_lock);
	s = find_mergeable(size, align, flags, name, ctor);
	if (s) {
		s->refcount++;
		/* kzalloc of the alias must clear all of its larger object. */
		s->objsize = max(s->objsize, (int)size);
		s->inuse = max(s->inuse, (int)ALIGN(size, sizeof(void *)));
		if (sysfs_slab_alias(s, name)) {
			s->refcount--;
			create_err_unlock();
			goto err;
		}
		up_write(&slub_lock);
		return s;
	}

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
	/*
	 * Correction: 2.6.36 kept the caller's pointer as s->name. A module may free its name
	 * once kmem_cache_destroy returns, but a cache another kmem_cache_create merged into
	 * stays alive under the first creator's name: slabinfo, slub_debug's reports and sysfs
	 * then read freed memory. Upstream 84c1cf62465e ("SLUB: Fix merged slab cache names",
	 * v2.6.37) gives the cache a kstrdup'd copy, freed with the cache (kmem_cache_destroy
	 * here; its kmem_cache_release there).
	 */
	n = kstrdup_name(name);
	if (!n) {
		up_write(&slub_lock);
		goto err;
	}
	name = n;
#endif
	s = kmalloc((size_t)kmem_size, GFP_KERNEL);
	if (s) {
		if (kmem_cache_open(s, name, size, align, flags, ctor)) {
			list_add(&s->list, &slab_caches);
			if (sysfs_slab_add(s)) {
				list_del(&s->list);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_CREATE_SYSFS_LEAK)
				/*
				 * Correction: 2.6.36 only kfree'd s here, leaking the per-cpu
				 * area and the per-node structures kmem_cache_open had just set
				 * up (and sysfs_slab_add the unique id). Later kernels release
				 * them on this path; 2420baa8e046 (2024) stops failing here.
				 */
				kmem_cache_close(s);
#endif
				kfree(s);
				create_err_unlock();
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
				name = orig_name;
				kfree(n);
#endif
				goto err;
			}
			up_write(&slub_lock);
			return s;
		}
#ifndef SLUB_BUG_CREATE_ERROR_LEAK
		kfree(s);
#endif
	}
	up_write(&slub_lock);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_MERGED_CACHE_NAME)
	name = orig_name; /* for the panic message: the copy goes now */
	kfree(n);
#endif

err:
	if (flags & SLAB_PANIC)
		panic("Cannot create slabcache %s\n", name);
	return NULL;
}

/* ---- shrinking ---- */

/*
 * Frees the empty slabs on the partial lists and sorts the rest by objects in use, fullest
 * first, so that allocations fill them and the emptiest get the chance to drain.
 */
int kmem_cache_shrink(struct kmem_cache *s)
{
	int objects = oo_objects(s->max);
	struct list_head *slabs_by_inuse;
	struct kmem_cache_node *n;
	struct page *page, *t;
	unsigned long flags;
	int node, i;

	slabs_by_inuse = kmalloc(sizeof(struct list_head) * (size_t)objects, GFP_KERNEL);
	if (!slabs_by_inuse)
		return -ENOMEM;

	flush_all(s);
	for_each_node_state(node, N_NORMAL_MEMORY) {
		n = get_node(s, node);
		if (!n->nr_partial)
			continue;

		for (i = 0; i < objects; i++)
			INIT_LIST_HEAD(slabs_by_inuse + i);

		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(page, t, &n->partial, lru) {
			slub_watchdog_tick();
			/*
			 * Frees from other cpus go on while we hold list_lock (they take only
			 * slab_lock until the slab changes lists): page->inuse is an upper bound,
			 * and a __slab_free may have freed the last object and be waiting for
			 * list_lock to discard the slab itself. Hence slab_trylock.
			 */
			slub_yield(SLUB_YIELD_ACCESS, "page->inuse");
#ifdef SLUB_BUG_RACE_SHRINK_DISCARD_UNLOCKED
			/*
			 * RACE_SHRINK_DISCARD_UNLOCKED (bugs.h): "an empty slab on the partial list
			 * is ours under list_lock", so no trylock. The __slab_free that emptied it
			 * holds its slab_lock and waits for list_lock: the slab is discarded under
			 * it, still locked, and that free's remove_partial and discard_slab come
			 * after (2.6.36's comment here says so).
			 */
			if (!page->inuse) {
				list_del(&page->lru);
				n->nr_partial--;
#else
			if (!page->inuse && slab_trylock(page)) {
				list_del(&page->lru);
				n->nr_partial--;
				slab_unlock(page);
#endif
#ifdef SLUB_BUG_SHRINK_COUNT_LEAK
				slub_free_slab_uncounted(s, page);
#else
				discard_slab(s, page);
#endif
			} else {
				list_move(&page->lru, slabs_by_inuse + page->inuse);
			}
		}
		for (i = objects - 1; i >= 0; i--)
#ifdef SLUB_BUG_SHRINK_SORT_REVERSED
			list_splice(slabs_by_inuse + i, &n->partial);
#else
			list_splice(slabs_by_inuse + i, n->partial.prev);
#endif
		spin_unlock_irqrestore(&n->list_lock, flags);
	}

	kfree(slabs_by_inuse);
	return 0;
}

/* ---- small queries ---- */

int kmem_ptr_validate(struct kmem_cache *s, const void *object)
{
	struct page *page;

	/* kern_ptr_validate: word aligned and inside memory we manage. */
	if ((unsigned long)object & (sizeof(long) - 1))
		return 0;
	if (!pa_addr_valid(object) || !pa_addr_valid((const char *)object + s->size - 1))
		return 0;

	page = virt_to_head_page(object);
	if (!PageSlab(page) || s != page->slab)
		return 0;
	if (!check_valid_pointer(s, page, object))
		return 0;
	return 1;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return (unsigned int)s->objsize;
}

const char *kmem_cache_name(struct kmem_cache *s)
{
	return s->name;
}
