/* bootstrap.c - kmem_cache_init as the seed patch has it (kmem_cache and kmem_cache_node
 * bootstrapped from the page allocator), in its `seed` and `fixed` variants, plus the
 * harness's boot and shutdown of the whole simulated machine. */
#include "slub_def.h"
#include "track.h"

__slub_state enum slab_state_t slab_state = DOWN;
__slub_state int kmem_size = sizeof(struct kmem_cache);
__slub_state DECLARE_RWSEM(slub_lock);
__slub_state struct slab_caches_guarded slab_caches_guarded = {
	.head = LIST_HEAD_INIT(slab_caches_guarded.head),
};
__slub_state gfp_t gfp_allowed_mask = GFP_BOOT_MASK;
__slub_state int slub_cache_line_size = 64;
__slub_state int slub_kmalloc_min_size = 8;

__slub_state struct kmem_cache *kmem_cache;
#ifdef CONFIG_NUMA
__slub_state struct kmem_cache *kmem_cache_node;
#endif

static __slub_state int slub_booted; /* slub_boot ran; slub_shutdown owes a teardown */

/*
 * Registers a kmem_cache that began life in memory from the page allocator and now lives in
 * its final copy: it goes on slab_caches, and every slab it owns must name the copy.
 */
static void kmem_cache_bootstrap_fixup(struct kmem_cache *s)
{
	int node;

	list_add(&s->list, &slab_caches);
	sysfs_slab_add(s);
	s->refcount = -1;

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_FIXUP_CPU_SLAB)
	/*
	 * Correction: the seed re-pointed only listed slabs, but the cpu slab is frozen and on
	 * no list, so it kept naming the temporary kmem_cache, which is then freed: a stale
	 * owner that kfree, ksize, kmem_ptr_validate and the debug free checks follow. Put the
	 * cpu slab back on its node list first (later kernels do the same in bootstrap()).
	 */
	__flush_cpu_slab(s, smp_processor_id());
#endif
	for_each_node(node) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *p;

		if (!n)
			continue;
		list_for_each_entry(p, &n->partial, lru)
			p->slab = s;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_FIXUP_FULL_LIST)
		/*
		 * Correction: the seed guarded this loop with CONFIG_SLAB_DEBUG (the other
		 * allocator's option), so it never ran and full slabs kept a stale owner.
		 * Upstream 607bf324ab3 ("slub: Fix a typo in config name", 2.6.39).
		 */
		list_for_each_entry(p, &n->full, lru)
			p->slab = s;
#endif
	}
}

/* Creates one kmalloc cache from the kmem_cache cache; boot runs single-cpu, irqs off. */
static void create_kmalloc_cache(struct kmem_cache **sp, const char *name, int size,
				 unsigned int flags)
{
	struct kmem_cache *s;

	s = kmem_cache_alloc(kmem_cache, GFP_NOWAIT);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_KMALLOC_CACHE_UNCHECKED)
	/*
	 * Correction: the seed opened the cache without looking, a NULL dereference. Later
	 * kernels (create_kmalloc_cache in slab_common.c) panic here.
	 */
	if (!s)
		goto panic;
#endif
	if (!kmem_cache_open(s, name, (size_t)size, (size_t)ARCH_KMALLOC_MINALIGN, flags, NULL))
		goto panic;

	*sp = s;
	list_add(&s->list, &slab_caches);

	if (!sysfs_slab_add(s))
		return;
panic:
	panic("Creation of kmalloc slab %s size=%d failed.\n", name, size);
}

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_BOOT_ALLOC_UNCHECKED)
/*
 * Correction: the seed used every boot allocation unchecked (__get_free_pages and both
 * kmem_cache_alloc(kmem_cache, ...)); a failure is a panic that says why. No upstream fix:
 * later kernels' bootstrap() still uses its kmem_cache_zalloc unchecked.
 */
#define bootstrap_check(ptr, what)                                                      \
	do {                                                                            \
		if (!(ptr))                                                             \
			panic("SLUB: cannot allocate %s during bootstrap\n", what);     \
	} while (0)
#else
#define bootstrap_check(ptr, what) do { } while (0)
#endif

void kmem_cache_init(void)
{
	struct kmem_cache *temp_kmem_cache;
	int caches = 0;
	int order, i;
#ifdef CONFIG_NUMA
	struct kmem_cache *temp_kmem_cache_node;
	unsigned long kmalloc_size;

	kmem_size = (int)(offsetof(struct kmem_cache, node) +
			  (size_t)nr_node_ids * sizeof(struct kmem_cache_node *));

	/* Both boot caches' structures share one allocation from the page allocator. */
	kmalloc_size = ALIGN((unsigned long)kmem_size, (unsigned long)cache_line_size());
	order = get_order(2 * kmalloc_size);
	kmem_cache = (void *)__get_free_pages(GFP_NOWAIT, (unsigned int)order);
	bootstrap_check(kmem_cache, "the boot kmem_cache structures");

	/* kmem_cache_node first: every other cache's open needs its per-node structures. */
	kmem_cache_node = (void *)((char *)kmem_cache + kmalloc_size);

	kmem_cache_open(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node), 0,
			SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);

	hotplug_memory_notifier(slab_memory_callback, SLAB_CALLBACK_PRI);
#else
	kmem_size = sizeof(struct kmem_cache);
	order = get_order((unsigned long)kmem_size);
	kmem_cache = (void *)__get_free_pages(GFP_NOWAIT, (unsigned int)order);
	bootstrap_check(kmem_cache, "the boot kmem_cache structure");
#endif

	slab_state = PARTIAL;

	temp_kmem_cache = kmem_cache;
	kmem_cache_open(kmem_cache, "kmem_cache", (size_t)kmem_size, 0,
			SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	kmem_cache = kmem_cache_alloc(kmem_cache, GFP_NOWAIT);
	bootstrap_check(kmem_cache, "kmem_cache from itself");
	memcpy(kmem_cache, temp_kmem_cache, (size_t)kmem_size);

#ifdef CONFIG_NUMA
	/*
	 * kmem_cache_node moves into a kmem_cache object too. Its list heads live in the
	 * separately allocated kmem_cache_node structures, so nothing points into it.
	 */
	temp_kmem_cache_node = kmem_cache_node;
	kmem_cache_node = kmem_cache_alloc(kmem_cache, GFP_NOWAIT);
	bootstrap_check(kmem_cache_node, "kmem_cache_node from kmem_cache");
	memcpy(kmem_cache_node, temp_kmem_cache_node, (size_t)kmem_size);

	kmem_cache_bootstrap_fixup(kmem_cache_node);
	caches++;
#else
	/* Without NUMA the node structure is embedded: its list heads moved with the copy. */
	INIT_LIST_HEAD(&kmem_cache->local_node.partial);
	list_splice(&temp_kmem_cache->local_node.partial, &kmem_cache->local_node.partial);
	INIT_LIST_HEAD(&kmem_cache->local_node.full);
	list_splice(&temp_kmem_cache->local_node.full, &kmem_cache->local_node.full);
#endif
	kmem_cache_bootstrap_fixup(kmem_cache);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_FIXUP_UNLISTED_FULL)
	/*
	 * Correction (found by the fuzzer): without SLAB_STORE_USER a full slab is on no list, so
	 * the fixup's walk misses it. With a big kmem_size (hundreds of nodes) one object can fill
	 * a slab, and the slab holding kmem_cache itself kept naming the temporary structure. The
	 * only objects kmem_cache handed out so far are the boot structures: name their slabs.
	 * (With SLAB_STORE_USER full slabs are listed, and the full-list walk does it.)
	 */
	if (!(kmem_cache->flags & SLAB_STORE_USER)) {
		virt_to_head_page(kmem_cache)->slab = kmem_cache;
#ifdef CONFIG_NUMA
		virt_to_head_page(kmem_cache_node)->slab = kmem_cache;
#endif
	}
#endif
	caches++;
	free_pages((unsigned long)temp_kmem_cache, (unsigned int)order);

	/*
	 * size_index patch-up for a KMALLOC_MIN_SIZE above 8: sizes below it map to the
	 * smallest cache, and the 96 and 192 byte caches drop out once it reaches 64 and 128.
	 */
	BUG_ON(KMALLOC_MIN_SIZE > 256 || (KMALLOC_MIN_SIZE & (KMALLOC_MIN_SIZE - 1)));
#ifdef SLUB_BUG_SIZE_INDEX_MIN_SIZE
	for (i = 8; i < KMALLOC_MIN_SIZE - 8; i += 8) {
#else
	for (i = 8; i < KMALLOC_MIN_SIZE; i += 8) {
#endif
		int elem = size_index_elem((size_t)i);

		if (elem >= (int)ARRAY_SIZE(size_index))
			break;
		size_index[elem] = (s8)KMALLOC_SHIFT_LOW;
	}
	if (KMALLOC_MIN_SIZE == 64) {
		for (i = 64 + 8; i <= 96; i += 8)
			size_index[size_index_elem((size_t)i)] = 7;
	} else if (KMALLOC_MIN_SIZE == 128) {
		for (i = 128 + 8; i <= 192; i += 8)
			size_index[size_index_elem((size_t)i)] = 8;
	}

	if (KMALLOC_MIN_SIZE <= 32) {
		create_kmalloc_cache(&kmalloc_caches[1], "kmalloc-96", 96, 0);
		caches++;
	}
	if (KMALLOC_MIN_SIZE <= 64) {
		create_kmalloc_cache(&kmalloc_caches[2], "kmalloc-192", 192, 0);
		caches++;
	}
	for (i = KMALLOC_SHIFT_LOW; i < SLUB_PAGE_SHIFT; i++) {
		create_kmalloc_cache(&kmalloc_caches[i], "kmalloc", 1 << i, 0);
		caches++;
	}

	slab_state = UP;

	/* kmalloc works now, so the power-of-two caches can get their real names. */
	for (i = KMALLOC_SHIFT_LOW; i < SLUB_PAGE_SHIFT; i++) {
		char *s = kasprintf(GFP_NOWAIT, "kmalloc-%d", 1 << i);

		BUG_ON(!s);
		kmalloc_caches[i]->name = s;
	}

	register_cpu_notifier(&slab_notifier);

	printk(KERN_INFO "SLUB: Genslabs=%d, HWalign=%d, Order=%d-%d, MinObjects=%d, CPUs=%d, "
			 "Nodes=%d\n",
	       caches, cache_line_size(), slub_min_order, slub_max_order, slub_min_objects,
	       nr_cpu_ids, nr_node_ids);
}

/*
 * "slub: Remove dynamic dma slab allocation" (10/19 as posted, which the seed builds on): the
 * dma-kmalloc caches are made here, once GFP_KERNEL works.
 */
void kmem_cache_init_late(void)
{
	int i;

	for (i = 0; i < SLUB_PAGE_SHIFT; i++) {
		struct kmem_cache *s = kmalloc_caches[i];

		if (s && s->size) {
			char *name = kasprintf(GFP_KERNEL, "dma-kmalloc-%d", s->objsize);

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_DMA_NAME_UNCHECKED)
			/*
			 * Correction: 10/19 as posted ([S+Q2 10/19], July 2010) used the name
			 * unchecked, so a failed kasprintf made a DMA cache named NULL: the
			 * strncmp of kmem_cache_flags under slub_debug=<flags>,<names>, and the
			 * sysfs lookups of slab_sysfs_init, dereference it. The version merged
			 * for 2.6.37 (55136592fed, which also moved this loop into
			 * kmem_cache_init) stops with BUG_ON(!name), the kernel's answer to a
			 * boot allocation that fails.
			 */
			BUG_ON(!name);
#endif
			create_kmalloc_cache(&kmalloc_dma_caches[i], name, s->objsize,
					     SLAB_CACHE_DMA);
		}
	}
}

/* ---- the harness's machine: boot and shutdown ---- */

void slub_config_default(struct slub_config *cfg)
{
	int node;

	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_node_ids = 1;
	cfg->nr_cpu_ids = 1;
	for (node = 0; node < MAX_NUMNODES; node++)
		cfg->node_pages[node] = 1024;
	cfg->dma_pages = 256;
	cfg->cache_line_size = 64;
	cfg->kmalloc_min_size = 8;
	cfg->slub_min_order = 0;
	cfg->slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	cfg->slub_min_objects = 0;
	cfg->slub_nomerge = 0;
	cfg->slub_debug = NULL;
}

static int is_pow2_between(int x, int lo, int hi)
{
	return x >= lo && x <= hi && !(x & (x - 1));
}

/* Whether the configuration can boot; what is out of range goes to the dmesg (KERN_ERR). */
static int slub_config_valid(const struct slub_config *cfg)
{
	const char *why = NULL;

	if (cfg->nr_node_ids < 1 || cfg->nr_node_ids > MAX_NUMNODES)
		why = "nr_node_ids";
	else if (cfg->nr_cpu_ids < 1 || cfg->nr_cpu_ids > NR_CPUS)
		why = "nr_cpu_ids";
	else if (!is_pow2_between(cfg->cache_line_size, 8, 256))
		why = "cache_line_size (a power of two, 8..256)";
	else if (!is_pow2_between(cfg->kmalloc_min_size, 8, 256))
		why = "kmalloc_min_size (a power of two, 8..256)";
	else if (cfg->slub_min_order < 0 || cfg->slub_min_order >= MAX_ORDER)
		why = "slub_min_order";
	else if (cfg->slub_max_order < 0)
		why = "slub_max_order";
	else if (cfg->slub_min_objects < 0 || cfg->slub_min_objects > MAX_OBJS_PER_PAGE)
		why = "slub_min_objects";
	if (why)
		printk(KERN_ERR "slub_boot: %s out of range: nothing booted\n", why);
	return !why;
}

/* start_kernel's order: kmem_cache_init with irqs off, irqs on, init_late, then sysfs. */
static __slub_state enum slub_boot_step slub_next_step;

static void slub_run_step(void *arg)
{
	switch (*(enum slub_boot_step *)arg) {
	case SLUB_BOOT_STEP_INIT:
		local_irq_disable();
		kmem_cache_init();
		break;
	case SLUB_BOOT_STEP_IRQS_ON:
		gfp_allowed_mask = __GFP_BITS_MASK;
		local_irq_enable();
		break;
	case SLUB_BOOT_STEP_INIT_LATE:
		kmem_cache_init_late();
		/*
		 * rest_init follows; the early initcalls arm might_sleep (2.6.36 sched.c:
		 * early_initcall(__might_sleep_init)), before the initcalls (slab_sysfs_init)
		 */
		__might_sleep_init();
		break;
	case SLUB_BOOT_STEP_SYSFS:
	case SLUB_BOOT_NR_STEPS:
		slab_sysfs_init();
		break;
	}
}

int slub_boot_start(const struct slub_config *cfg)
{
	int err;

	if (slub_booted) {
		printk(KERN_ERR "slub_boot: already booted: slub_shutdown first\n");
		return SLUB_BOOT_EINVAL;
	}
	slub_dmesg_clear();
	if (!slub_config_valid(cfg))
		return SLUB_BOOT_EINVAL;
	slub_platform_reset(cfg->nr_cpu_ids);
	/* start_kernel runs with interrupts off until the IRQS_ON step */
	local_irq_disable();
	/* a boot before may have died holding it (or, in the seed, returned holding it) */
	slub_lock.activity = 0;
	err = pa_boot(cfg);
	if (err)
		return err;
	slub_booted = 1;
	slub_next_step = SLUB_BOOT_STEP_INIT;

	slub_min_order = cfg->slub_min_order;
	slub_max_order = min(cfg->slub_max_order, MAX_ORDER - 1);
	slub_min_objects = cfg->slub_min_objects;
	slub_nomerge = cfg->slub_nomerge;
	slub_cache_line_size = cfg->cache_line_size;
	slub_kmalloc_min_size = cfg->kmalloc_min_size;
	slab_state = DOWN;
	gfp_allowed_mask = GFP_BOOT_MASK;
	INIT_LIST_HEAD(&slab_caches);
	track_noaccess(slab_caches_guarded.guard, sizeof(slab_caches_guarded.guard));
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	memset(kmalloc_dma_caches, 0, sizeof(kmalloc_dma_caches));
	size_index_init();
	slub_debug_reset();
	if (cfg->slub_debug)
		setup_slub_debug(cfg->slub_debug);
	return SLUB_BOOT_OK;
}

int slub_boot_step(enum slub_boot_step step)
{
	if (!slub_booted || step != slub_next_step || step >= SLUB_BOOT_NR_STEPS ||
	    slub_tainted())
		return SLUB_BOOT_EINVAL;
	slub_next_step = step + 1;
	return slub_protected(slub_run_step, &step) ? SLUB_BOOT_PANIC : SLUB_BOOT_OK;
}

enum slub_boot_step slub_boot_next_step(void)
{
	return slub_booted ? slub_next_step : SLUB_BOOT_STEP_INIT;
}

int slub_boot(const struct slub_config *cfg)
{
	int err = slub_boot_start(cfg);
	int step;

	for (step = 0; !err && step < SLUB_BOOT_NR_STEPS; step++)
		err = slub_boot_step((enum slub_boot_step)step);
	return err;
}

int slub_is_boot_cache(const struct kmem_cache *s)
{
	int i;

	if (s == kmem_cache)
		return 1;
#ifdef CONFIG_NUMA
	if (s == kmem_cache_node)
		return 1;
#endif
	for (i = 0; i < SLUB_PAGE_SHIFT; i++)
		if (s == kmalloc_caches[i] || s == kmalloc_dma_caches[i])
			return 1;
	return 0;
}

/* Moves a kmem_cache_node's contents to dst, re-pointing its lists' ends at dst's heads. */
static void slub_move_node(struct kmem_cache_node *dst, struct kmem_cache_node *src)
{
	*dst = *src;
	INIT_LIST_HEAD(&dst->partial);
	list_splice(&src->partial, &dst->partial);
	INIT_LIST_HEAD(&dst->full);
	list_splice(&src->full, &dst->full);
}

/*
 * The kernel never tears its allocator down; this is the bootstrap in reverse. The boot
 * caches' structures are copied out of the slabs they describe, then the originals are freed
 * through the copies, so that every page goes back by the ordinary paths.
 */
static struct kmem_cache *boot_cache_copy;
#ifdef CONFIG_NUMA
static struct kmem_cache *boot_node_cache_copy;
static struct kmem_cache_node boot_node_copies[MAX_NUMNODES];
#endif

static void slub_teardown(void *arg)
{
	struct kmem_cache *s, *t;
	int i;

	(void)arg;
	slub_rcu_grace_period();

	/* Aliases saved for a slab_sysfs_init that never ran. */
	slub_sysfs_drop_saved_aliases();

	/* Caches the harness created: destroyed whatever their refcount. */
	list_for_each_entry_safe(s, t, &slab_caches, list) {
		if (slub_is_boot_cache(s))
			continue;
		s->refcount = 1;
		kmem_cache_destroy(s);
	}

	/*
	 * Names kasprintf'd at boot live in the kmalloc caches: free them first, leaving a
	 * static name for any report the close below makes; then the caches themselves. The
	 * static name goes in before the kfree, which may print the name (slub_debug) while
	 * the string is already freed.
	 */
	for (i = 0; i < SLUB_PAGE_SHIFT; i++) {
		const char *name;

		if (kmalloc_dma_caches[i]) {
			name = kmalloc_dma_caches[i]->name;
			kmalloc_dma_caches[i]->name = "dma-kmalloc";
			kfree(name);
		}
		if (kmalloc_caches[i] && i >= KMALLOC_SHIFT_LOW) {
			name = kmalloc_caches[i]->name;
			kmalloc_caches[i]->name = "kmalloc";
			kfree(name);
		}
	}
	for (i = 0; i < SLUB_PAGE_SHIFT; i++) {
		struct kmem_cache **pair[2] = { &kmalloc_dma_caches[i], &kmalloc_caches[i] };
		int k;

		for (k = 0; k < 2; k++) {
			s = *pair[k];
			if (!s)
				continue;
			list_del(&s->list);
			if (kmem_cache_close(s))
				slub_report(SLUB_REPORT_LEAK, __FILE__, __LINE__, __func__, s->name,
					    "SLUB %s (object size %d): objects still allocated at "
					    "shutdown", s->name, s->objsize);
			kmem_cache_free(kmem_cache, s);
			*pair[k] = NULL;
		}
	}

	/* kmem_cache frees its own structure (and kmem_cache_node's) through a copy. */
	memcpy(boot_cache_copy, kmem_cache, (size_t)kmem_size);
	s = kmem_cache;
	kmem_cache = boot_cache_copy;
	list_del(&s->list);
#ifdef CONFIG_NUMA
	memcpy(boot_node_cache_copy, kmem_cache_node, (size_t)kmem_size);
	t = kmem_cache_node;
	kmem_cache_node = boot_node_cache_copy;
	list_del(&t->list);
	/*
	 * The copies own the boot caches' slabs from here on. A slab holding an object freed
	 * through a copy must name the copy, or slub_debug's owner check refuses the free.
	 */
	virt_to_head_page(t)->slab = kmem_cache;
	kmem_cache_free(kmem_cache, t);
	for_each_node_state(i, N_NORMAL_MEMORY)
		if (kmem_cache->node[i]) /* freed through the copy by the close below */
			virt_to_head_page(kmem_cache->node[i])->slab = kmem_cache_node;
#else
	slub_move_node(&kmem_cache->local_node, &s->local_node);
#endif
	virt_to_head_page(s)->slab = kmem_cache;
	kmem_cache_free(kmem_cache, s);
	if (kmem_cache_close(kmem_cache))
		slub_report(SLUB_REPORT_LEAK, __FILE__, __LINE__, __func__, "kmem_cache",
			    "SLUB kmem_cache: objects still allocated at shutdown");

#ifdef CONFIG_NUMA
	/* kmem_cache_node's own per-node structures live in its slabs: move them out too. */
	{
		int node;

		for_each_node_state(node, N_NORMAL_MEMORY) {
			struct kmem_cache_node *n = kmem_cache_node->node[node];

			if (!n)
				continue;
			slub_move_node(&boot_node_copies[node], n);
			kmem_cache_node->node[node] = &boot_node_copies[node];
			virt_to_head_page(n)->slab = kmem_cache_node;
			kmem_cache_free(kmem_cache_node, n);
		}
		if (slub_close_slabs(kmem_cache_node))
			slub_report(SLUB_REPORT_LEAK, __FILE__, __LINE__, __func__,
				    "kmem_cache_node",
				    "SLUB kmem_cache_node: objects still allocated at shutdown");
	}
#endif
	slub_rcu_grace_period();
}

/* Shuts down with a teardown and a leak report (walk), or forgets the machine quietly. */
static unsigned long shutdown(int walk)
{
	unsigned long leaked = 0;

	if (!slub_booted)
		return 0;
	if (slub_tainted())
		walk = 0;
	if (walk && slab_state >= UP) {
		static char copy_a[sizeof(struct kmem_cache)] __attribute__((aligned(64)));
#ifdef CONFIG_NUMA
		static char copy_b[sizeof(struct kmem_cache)] __attribute__((aligned(64)));

		boot_node_cache_copy = (struct kmem_cache *)(void *)copy_b;
#endif
		boot_cache_copy = (struct kmem_cache *)(void *)copy_a;
		slub_protected(slub_teardown, NULL);
	}
	if (!walk || slub_tainted()) {
		/* after a panic nothing can be walked safely; either way nothing is reported */
		pa_discard();
		slub_rcu_discard();
	} else {
		if (slub_percpu_in_use())
			slub_report(SLUB_REPORT_LEAK, __FILE__, __LINE__, __func__, NULL,
				    "%lu per-cpu areas still allocated at shutdown",
				    slub_percpu_in_use());
		leaked = pa_shutdown();
	}
	slub_sysfs_reset();
	slub_debug_reset();
	slab_state = DOWN;
	kmem_cache = NULL;
#ifdef CONFIG_NUMA
	kmem_cache_node = NULL;
#endif
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	memset(kmalloc_dma_caches, 0, sizeof(kmalloc_dma_caches));
	INIT_LIST_HEAD(&slab_caches);
	slub_platform_reset(1);
	slub_booted = 0;
	return leaked;
}

unsigned long slub_shutdown(void)
{
	return shutdown(1);
}

void slub_discard(void)
{
	shutdown(0);
}
