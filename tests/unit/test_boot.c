/* test_boot.c - bootstrap and teardown: topologies, kmem_size, repeated boots, boot-time
 * failures, and the seed patch's stale owner pointers. */
#include <string.h>

#include "helpers.h"

/* boot -> work -> shutdown over node counts and cpu counts, with memoryless nodes. */
TEST(boot_topologies_leave_no_page_out)
{
	static const int nodes[] = { 1, 2, 3, 64, 1024 };
	struct slub_config cfg;
	unsigned int i;
	int cpus;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		for (cpus = 1; cpus <= NR_CPUS; cpus = cpus < 4 ? cpus + 1 : cpus * 2) {
			int n, err;

			/* enough for every cpu's slabs: 64 cpus x ~30 caches x order-3 slabs */
			helpers_config(&cfg, nodes[i], cpus,
				     nodes[i] >= 1024 ? 128 : nodes[i] >= 64 ? 512 : 8192);
			/* every third node without memory, but never all of them */
			for (n = 1; n < nodes[i]; n += 3)
				cfg.node_pages[n] = 0;
			err = helpers_boot(&cfg);
			REQUIRE(err == 0, "boot nodes=%d cpus=%d: %d (%s)", nodes[i], cpus, err,
				last_report);
			CHECK(slub_pages_in_use() > 0, "boot took no pages");
			err = helpers_workload((unsigned int)(nodes[i] * 100 + cpus));
			CHECK(err == 0, "workload failed at helpers.c:%d (nodes=%d cpus=%d)", err,
			      nodes[i], cpus);
			CHECK_EQ(helpers_shutdown(), 0);
			CHECK_EQ(slub_pages_in_use(), 0);
			CHECK_EQ(reports_seen[SLUB_REPORT_WARN] + reports_seen[SLUB_REPORT_SLAB_ERR], 0);
		}
	}
}

TEST(boot_kmem_cache_size_is_seed_kmem_size)
{
	static const int nodes[] = { 1, 2, 3, 17, 64, 1024 };
	struct slub_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		size_t expect;

		helpers_config(&cfg, nodes[i], 1, 96);
		REQUIRE(helpers_boot(&cfg) == 0, "boot %d nodes", nodes[i]);
#ifdef CONFIG_NUMA
		expect = offsetof(struct kmem_cache, node) +
			 (size_t)nodes[i] * sizeof(struct kmem_cache_node *);
		CHECK_EQ(kmem_cache_node->objsize, sizeof(struct kmem_cache_node));
#else
		expect = sizeof(struct kmem_cache);
#endif
		CHECK_EQ(kmem_size, expect);
		/* the kmem_cache cache hands out exactly kmem_size-byte objects */
		CHECK_EQ(kmem_cache->objsize, expect);
		CHECK_EQ(kmem_cache_size(kmem_cache), expect);
		CHECK(kmem_cache->size >= (int)expect && kmem_cache->size % 64 == 0,
		      "size %d", kmem_cache->size);
#ifndef SLUB_BOOTSTRAP_SEED
		/* every kmalloc cache structure is a kmem_cache object (seed: stale owner) */
		CHECK(virt_to_head_page(kmalloc_caches[3])->slab == kmem_cache,
		      "kmalloc-8 not allocated from kmem_cache");
#endif
		CHECK_EQ(helpers_shutdown(), 0);
	}
}

TEST(boot_ten_thousand_times_leaks_nothing)
{
	struct slub_config cfg;
	int i;

	helpers_config(&cfg, 2, 2, 256);
	for (i = 0; i < 10000; i++) {
		void *p;

		REQUIRE(helpers_boot(&cfg) == 0, "boot %d", i);
		p = kmalloc((size_t)(i % 3000) + 1, GFP_KERNEL);
		REQUIRE(p, "kmalloc after boot %d", i);
		kfree(p);
		REQUIRE(helpers_shutdown() == 0, "leak after boot %d", i);
		REQUIRE(slub_pages_in_use() == 0 && slub_percpu_in_use() == 0, "state left %d", i);
	}
}

TEST(boot_rejects_bad_config)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 1, 256);
	cfg.nr_node_ids = 0;
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	cfg.nr_node_ids = MAX_NUMNODES + 1;
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	cfg.nr_node_ids = 1;
	cfg.nr_cpu_ids = NR_CPUS + 1;
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	cfg.nr_cpu_ids = 1;
	cfg.cache_line_size = 48;
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	cfg.cache_line_size = 64;
	cfg.kmalloc_min_size = 512;
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	cfg.kmalloc_min_size = 8;
	/* a good config still boots after the refusals, and a second boot is refused */
	CHECK_EQ(helpers_boot(&cfg), 0);
	CHECK_EQ(slub_boot(&cfg), SLUB_BOOT_EINVAL);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* Boot options reach calculate_order and the kmalloc array. */
TEST(boot_options_shape_caches)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 4, 1024);
	cfg.slub_min_order = 2;
	cfg.kmalloc_min_size = 64;
	cfg.cache_line_size = 128;
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	CHECK_EQ(oo_order(kmalloc_caches[6]->oo), 2);
	CHECK(kmalloc_caches[1] == NULL, "kmalloc-96 must not exist with KMALLOC_MIN_SIZE 64");
	CHECK(kmalloc_caches[2] != NULL, "kmalloc-192 exists with KMALLOC_MIN_SIZE 64");
	CHECK(kmalloc_caches[5] == NULL, "no kmalloc-32 below KMALLOC_MIN_SIZE");
	CHECK(get_slab(8, 0) == kmalloc_caches[6], "8 bytes go to kmalloc-64");
	CHECK(get_slab(80, 0) == kmalloc_caches[7], "80 bytes go to kmalloc-128");
	CHECK(get_slab(150, 0) == kmalloc_caches[2], "150 bytes go to kmalloc-192");
	CHECK_EQ(kmem_cache->align, 128);
	CHECK(!strcmp(kmalloc_caches[6]->name, "kmalloc-64"), "name %s", kmalloc_caches[6]->name);
	CHECK(kmalloc_dma_caches[6] && !strcmp(kmalloc_dma_caches[6]->name, "dma-kmalloc-64"),
	      "dma cache");
	CHECK_EQ(helpers_shutdown(), 0);

	helpers_config(&cfg, 1, 1, 1024);
	cfg.kmalloc_min_size = 128;
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	CHECK(kmalloc_caches[2] == NULL, "kmalloc-192 must not exist with KMALLOC_MIN_SIZE 128");
	CHECK(get_slab(150, 0) == kmalloc_caches[8], "150 bytes go to kmalloc-256");
	CHECK_EQ(helpers_shutdown(), 0);
}

#ifndef SLUB_BOOTSTRAP_SEED
/*
 * Fail every page allocation from position k on, for each k until boot no longer needs one:
 * `fixed` must end each in a reported panic or BUG, never a crash, and clean up after.
 */
TEST(boot_failure_at_each_position_is_a_reported_panic)
{
	struct slub_config cfg;
	long k, total;

	helpers_config(&cfg, 3, 2, 256);
	cfg.node_pages[1] = 0;
	helpers_fail_none();
	REQUIRE(helpers_boot(&cfg) == 0, "clean boot");
	total = pages_asked;
	CHECK_EQ(helpers_shutdown(), 0);
	REQUIRE(total > 4, "boot asked for %ld page allocations", total);

	for (k = 0; k < total; k++) {
		int err, fatal;

		helpers_install_report_hook();
		helpers_reset_reports();
		helpers_fail_pages(k, -1);
		err = slub_boot(&cfg);
		fatal = reports_seen[SLUB_REPORT_PANIC] + reports_seen[SLUB_REPORT_BUG];
		/* slab_sysfs_init, last in boot, only complains: sysfs is not vital */
		if (err == 0)
			CHECK(strstr(slub_dmesg(), "Unable to add boot slab") != NULL,
			      "failing from allocation %ld: boot succeeded silently", k);
		else
			CHECK(err == SLUB_BOOT_PANIC && fatal == 1,
			      "failing from allocation %ld: boot returned %d with %d fatal reports",
			      k, err, fatal);
		slub_shutdown();
		CHECK_EQ(slub_pages_in_use(), 0);
		/* and the next boot is clean */
		helpers_fail_none();
		REQUIRE(helpers_boot(&cfg) == 0, "boot after panic %ld", k);
		CHECK_EQ(helpers_workload((unsigned int)k), 0);
		CHECK_EQ(helpers_shutdown(), 0);
	}
}

/* A single failed allocation at any boot position: the slab order fallback or a panic. */
TEST(boot_single_failure_recovers_or_panics)
{
	struct slub_config cfg;
	long k;

	helpers_config(&cfg, 2, 1, 256);
	for (k = 0; k < 80; k++) {
		int err;

		helpers_install_report_hook();
		helpers_reset_reports();
		helpers_fail_pages(k, 1);
		err = slub_boot(&cfg);
		CHECK(err == 0 || err == SLUB_BOOT_PANIC, "boot %ld returned %d", k, err);
		helpers_fail_none();
		if (err == 0) {
			CHECK_EQ(helpers_workload((unsigned int)k), 0);
			CHECK_EQ(helpers_shutdown(), 0);
		} else {
			slub_shutdown();
		}
	}
}

/* Every slab of a boot cache names the final structure, not the temporary one. */
TEST(boot_fixed_owner_pointers_name_final_caches)
{
	struct slub_config cfg;
	struct kmem_cache_cpu *c;

	helpers_config(&cfg, 2, 1, 256);
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	c = per_cpu_ptr(kmem_cache->cpu_slab, 0);
	if (c->page)
		CHECK(c->page->slab == kmem_cache, "kmem_cache cpu slab names %p, not %p",
		      (void *)c->page->slab, (void *)kmem_cache);
	CHECK(virt_to_head_page(kmem_cache)->slab == kmem_cache, "kmem_cache's own slab");
#ifdef CONFIG_NUMA
	CHECK(virt_to_head_page(kmem_cache->node[0])->slab == kmem_cache_node,
	      "node structure slab names kmem_cache_node");
#endif
	CHECK_EQ(helpers_shutdown(), 0);
}
#else
/* The seed variant keeps the posted defect: the boot cpu slab still names the freed copy. */
TEST(boot_seed_keeps_stale_owner_pointer)
{
	struct slub_config cfg;

	helpers_config(&cfg, 1, 1, 256);
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	CHECK(virt_to_head_page(kmem_cache)->slab != kmem_cache,
	      "seed variant must leave the slab holding kmem_cache with the temporary owner");
	CHECK_EQ(helpers_shutdown(), 0);
}
#endif

/* Boot in steps with work between them, as early boot code and initcalls do. */
TEST(boot_steps_with_work_between)
{
	struct slub_config cfg;
	struct kmem_cache *early, *alias;
	void *p;

	helpers_config(&cfg, 2, 2, 1024);
	helpers_install_report_hook();
	helpers_reset_reports();
	CHECK_EQ(slub_boot_start(&cfg), 0);
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_IRQS_ON), SLUB_BOOT_EINVAL); /* out of order */
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_INIT), 0);
	CHECK_EQ(slab_state, UP);
	/* irqs still off: GFP_KERNEL is masked down to a non-sleeping allocation */
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL, "kmalloc before irqs are on");
	kfree(p);
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_IRQS_ON), 0);
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_INIT_LATE), 0);
	/* before sysfs: registration is deferred, aliases are saved */
	early = kmem_cache_create("early-cache", 300, 0, SLAB_RED_ZONE, NULL);
	alias = kmem_cache_create("early-alias", 128, 0, 0, NULL);
	CHECK(early && alias == kmalloc_caches[7], "early caches");
	CHECK(slub_registry_lookup("early-cache") == NULL, "registered before sysfs");
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_SYSFS), 0);
	CHECK(slub_registry_lookup("early-cache") == early, "sysfs init registers early caches");
	CHECK(slub_registry_lookup("early-alias") == kmalloc_caches[7], "saved alias registered");
	CHECK_EQ(slub_boot_next_step(), SLUB_BOOT_NR_STEPS);
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_SYSFS), SLUB_BOOT_EINVAL);
	kmem_cache_destroy(early);
	CHECK_EQ(helpers_shutdown(), 0);

	/* shut down half-way: caches made before sysfs and saved aliases are reclaimed */
	helpers_reset_reports();
	CHECK_EQ(slub_boot_start(&cfg), 0);
	CHECK_EQ(slub_boot_step(SLUB_BOOT_STEP_INIT), 0);
	CHECK(kmem_cache_create("never-registered", 64, 0, SLAB_POISON, NULL) != NULL, "create");
	CHECK(kmem_cache_create("saved-alias", 128, 0, 0, NULL) != NULL, "alias");
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(helpers_shutdown(), 0);
#else
	/* 2.6.36 never frees a kmem_cache destroyed before sysfs (UPSTREAM_EARLY_DESTROY_LEAK) */
	CHECK(helpers_shutdown() > 0, "the seed build must leak the early-destroyed kmem_cache");
#endif
}
