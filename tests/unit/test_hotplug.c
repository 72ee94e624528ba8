/* test_hotplug.c - memory hotplug of whole nodes (slab_memory_callback) and cpu hotplug
 * (slab_cpuup_callback): structures follow the nodes, failures cancel cleanly, a dead cpu's
 * slabs go back to their nodes; the strict checker and validation stay clean throughout. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

/* The strict checker; the seed variant's boot caches are never clean (see test_validate). */
static long checker(char *why, size_t len)
{
#ifdef SLUB_BOOTSTRAP_SEED
	(void)why;
	(void)len;
	return 0;
#else
	return slub_check_consistency(why, len);
#endif
}

#define CLEAN(what)                                                                      \
	do {                                                                            \
		char __why[256] = "";                                                   \
		long __n = checker(__why, sizeof(__why));                               \
		CHECK(__n == 0, "%s: %ld problems: %s", (what), __n, __why);            \
		CHECK_EQ(slub_validate_all(), 0);                                       \
	} while (0)

/*
 * Node hotplug. The seed build keeps the seed's memory-hotplug defect
 * (SEED_HOTPLUG_KMALLOC_CACHES: the callbacks take the kmalloc_caches array for a cache), which
 * ends the process at the first node that comes online; the regression
 * hotplug_kmalloc_caches_as_cache shows it there.
 */
#if defined(CONFIG_NUMA) && !defined(SLUB_BOOTSTRAP_SEED)

/* Three nodes; node 2's memory exists but is offline at boot. */
static void boot_node2_offline(int cpus)
{
	struct slub_config cfg;

	slub_config_default(&cfg);
	cfg.nr_node_ids = 3;
	cfg.nr_cpu_ids = cpus;
	cfg.node_offline[2] = 1;
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
}

/* How many caches have a kmem_cache_node for node, and how many caches there are. */
static int caches_with_node(int node, int *total)
{
	struct kmem_cache *s;
	int with = 0;

	*total = 0;
	list_for_each_entry(s, &slab_caches, list) {
		(*total)++;
		with += get_node(s, node) != NULL;
	}
	return with;
}

TEST(hotplug_node_online_mid_run_serves_thisnode)
{
	struct kmem_cache *early, *late;
	void *p, *q, *r;
	int total;

	boot_node2_offline(3);
	CHECK(!node_state(2, N_NORMAL_MEMORY), "node 2 starts offline");
	CHECK_EQ(caches_with_node(2, &total), 0);
	early = kmem_cache_create("hp-early", 300, 0, 0, NULL);
	REQUIRE(early, "create");
	CHECK(kmalloc_node(100, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 2) == NULL,
	      "no memory on node 2 yet");
	CLEAN("before online");

	CHECK_EQ(slub_node_online(2), 0);
	CHECK(node_state(2, N_NORMAL_MEMORY), "node 2 has memory");
	CHECK_EQ(caches_with_node(2, &total), total);
	p = kmalloc_node(100, GFP_KERNEL | __GFP_THISNODE, 2);
	q = kmem_cache_alloc_node(early, GFP_KERNEL | __GFP_THISNODE, 2);
	REQUIRE(p && q, "allocations on the new node");
	CHECK_EQ(page_to_nid(virt_to_head_page(p)), 2);
	CHECK_EQ(page_to_nid(virt_to_head_page(q)), 2);
	late = kmem_cache_create("hp-late", 300, 0, SLAB_RED_ZONE, NULL);
	REQUIRE(late && get_node(late, 2), "a cache created after the online covers node 2");
	slub_set_cpu(2); /* cpu 2 sits on node 2 */
	r = kmem_cache_alloc(late, GFP_KERNEL);
	REQUIRE(r, "alloc");
	CHECK_EQ(page_to_nid(virt_to_head_page(r)), 2);
	slub_set_cpu(0);
	CLEAN("after online and allocation");
	kfree(p);
	kmem_cache_free(early, q);
	kmem_cache_free(late, r);
	kmem_cache_destroy(early);
	kmem_cache_destroy(late);
	CLEAN("after freeing");
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * Node structures made while a node comes online come from other nodes, so once its slabs
 * are gone the node can go again. While an object lives there it cannot: -EBUSY, and nothing
 * changes. A cache created after the online has its node structure on that node itself,
 * which pins the node (kmem_cache_node slabs do not move) until the cache is destroyed.
 */
TEST(hotplug_node_offline_busy_then_frees_structures)
{
	struct kmem_cache *s, *pin;
	void *objs[50];
	int i, total;

	boot_node2_offline(3);
	s = kmem_cache_create("hp-off", 500, 0, 0, NULL);
	REQUIRE(s, "create");
	REQUIRE(slub_node_online(2) == 0, "online");
	for (i = 0; i < 50; i++) {
		slub_set_cpu(i % 3);
		objs[i] = i & 1 ? kmalloc_node(700, GFP_KERNEL | __GFP_THISNODE, 2)
				: kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_THISNODE, 2);
		REQUIRE(objs[i], "alloc %d", i);
	}
	slub_set_cpu(0);
	CHECK(slub_node_pages_in_use(2) > 0, "slabs on node 2");

	CHECK_EQ(slub_node_offline(2), -EBUSY);
	CHECK(node_state(2, N_NORMAL_MEMORY), "still online");
	CHECK_EQ(caches_with_node(2, &total), total);
	CLEAN("after a refused offline");

	/* all but one object go: still busy */
	for (i = 1; i < 50; i++)
		i & 1 ? kfree(objs[i]) : kmem_cache_free(s, objs[i]);
	CHECK_EQ(slub_node_offline(2), -EBUSY);
	CLEAN("after a second refused offline");
	kmem_cache_free(s, objs[0]);

	pin = kmem_cache_create("hp-pin", 500, 0, SLAB_RED_ZONE, NULL);
	REQUIRE(pin, "create");
	CHECK_EQ(page_to_nid(virt_to_head_page(get_node(pin, 2))), 2);
	CHECK_EQ(slub_node_offline(2), -EBUSY);
	kmem_cache_destroy(pin);

	CHECK_EQ(slub_node_offline(2), 0);
	CHECK(!node_state(2, N_NORMAL_MEMORY), "node 2 is offline");
	CHECK_EQ(caches_with_node(2, &total), 0);
	CHECK_EQ(slub_node_pages_in_use(2), 0);
	CLEAN("after offline");
	/* and back again */
	CHECK_EQ(slub_node_online(2), 0);
	CHECK_EQ(caches_with_node(2, &total), total);
	kmem_cache_destroy(s);
	CLEAN("after online again");
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * Page-allocation failures at each position inside slub_node_online: the failed online is
 * -ENOMEM and MEM_CANCEL_ONLINE gives back every node structure already made; one absorbed
 * failure (the slab order falls back) may still succeed. Either way nothing leaks. Many
 * caches first, so that the online needs fresh kmem_cache_node slabs.
 */
TEST(hotplug_node_online_failure_at_each_position)
{
	static char names[150][16];
	struct kmem_cache *caches[150];
	long asked = 0, k;
	int i, all, total;

	for (k = -1; k <= asked; k++) {
		for (all = 0; all < 2; all++) {
			int err;

			if (k < 0 && all)
				continue;
			boot_node2_offline(2);
			for (i = 0; i < 150; i++) {
				/* unmergeable, so each name must be its own (the registry says) */
				snprintf(names[i], sizeof(names[i]), "hp-many-%d", i);
				caches[i] = kmem_cache_create(names[i], 64 + 8 * (size_t)i, 0,
							      SLAB_RED_ZONE, NULL);
				REQUIRE(caches[i], "create %d", i);
			}
			if (k < 0)
				helpers_fail_none();
			else
				helpers_fail_pages(k, all ? -1 : 1);
			err = slub_node_online(2);
			if (k < 0) {
				/* the measuring run */
				REQUIRE(err == 0, "online");
				asked = pages_asked;
				REQUIRE(asked > 1, "online took only %ld pages", asked);
			} else if (all && k < asked) {
				CHECK(err == -ENOMEM, "failing pages %ld.. : %d", k, err);
			} else {
				CHECK(err == 0 || err == -ENOMEM, "failing page %ld: %d", k, err);
			}
			helpers_fail_none();
			if (err) {
				CHECK(!node_state(2, N_NORMAL_MEMORY), "cancelled");
				CHECK_EQ(caches_with_node(2, &total), 0);
			} else {
				CHECK_EQ(caches_with_node(2, &total), total);
			}
			CLEAN("after the online");
			if (err)
				CHECK_EQ(slub_node_online(2), 0);
			for (i = 0; i < 150; i++)
				kmem_cache_destroy(caches[i]);
			CHECK_EQ(helpers_shutdown(), 0);
		}
	}
}

/*
 * offline_pages isolates the node's free pages before MEM_GOING_OFFLINE: kmem_cache_shrink's
 * own kmalloc, made from a cpu of that node while the notifier runs, must take its slab from
 * another node, so a node with no object left goes offline from one of its own cpus too.
 * While the notifier runs, the node gives no page even under __GFP_THISNODE; pages freed
 * then stay isolated; a refused offline gives the node back to the allocator.
 */
static int isolated_probe_calls;
static int isolated_probe_node = -1, isolated_probe_thisnode = -1;
static int isolated_probe(struct notifier_block *nb, unsigned long action, void *arg)
{
	struct memory_notify *m = arg;
	struct page *page;

	(void)nb;
	if (action != MEM_GOING_OFFLINE || m->status_change_nid != 2)
		return NOTIFY_OK;
	isolated_probe_calls++;
	page = alloc_pages_node(2, GFP_KERNEL, 0);
	isolated_probe_node = page ? page_to_nid(page) : -1;
	if (page)
		__free_pages(page, 0);
	page = alloc_pages_node(2, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
	isolated_probe_thisnode = page != NULL;
	if (page)
		__free_pages(page, 0);
	return NOTIFY_OK;
}

TEST(hotplug_node_offline_from_its_own_cpu)
{
	static char names[8][16];
	struct kmem_cache *caches[8];
	void *objs[80];
	int i;

	boot_node2_offline(3); /* cpu 2 is on node 2 */
	for (i = 0; i < 8; i++) {
		snprintf(names[i], sizeof(names[i]), "hp-own-%d", i);
		caches[i] = kmem_cache_create(names[i], 40 + 100 * (size_t)i, 0,
					      i & 1 ? SLAB_RED_ZONE : 0, NULL);
		REQUIRE(caches[i], "create %d", i);
	}
	REQUIRE(slub_node_online(2) == 0, "online");
	slub_set_cpu(2);
	for (i = 0; i < 80; i++) {
		objs[i] = i & 1 ? kmalloc(16 + 50 * (size_t)i, GFP_KERNEL)
				: kmem_cache_alloc(caches[i % 8], GFP_KERNEL);
		REQUIRE(objs[i], "alloc %d", i);
	}
	CHECK(slub_node_pages_in_use(2) > 0, "cpu 2's slabs are on node 2");
	for (i = 0; i < 80; i++)
		i & 1 ? kfree(objs[i]) : kmem_cache_free(caches[i % 8], objs[i]);

	hotplug_memory_notifier(isolated_probe, 0);
	CHECK_EQ(slub_node_offline(2), 0);
	CHECK_EQ(isolated_probe_calls, 1);
	CHECK(isolated_probe_node >= 0 && isolated_probe_node != 2,
	      "a page for node 2 while it goes offline came from node %d", isolated_probe_node);
	CHECK_EQ(isolated_probe_thisnode, 0);
	CHECK(!node_state(2, N_NORMAL_MEMORY), "node 2 is offline");
	CHECK_EQ(slub_node_pages_in_use(2), 0);
	CLEAN("after the offline");

	/* back, and busy: the refused offline leaves node 2 serving allocations again */
	slub_set_cpu(0);
	REQUIRE(slub_node_online(2) == 0, "online again");
	objs[0] = kmem_cache_alloc_node(caches[0], GFP_KERNEL | __GFP_THISNODE, 2);
	REQUIRE(objs[0], "alloc on node 2");
	CHECK_EQ(slub_node_offline(2), -EBUSY);
	objs[1] = kmem_cache_alloc_node(caches[1], GFP_KERNEL | __GFP_THISNODE, 2);
	CHECK(objs[1] && page_to_nid(virt_to_head_page(objs[1])) == 2,
	      "node 2 serves again after the refused offline");
	kmem_cache_free(caches[0], objs[0]);
	if (objs[1])
		kmem_cache_free(caches[1], objs[1]);
	for (i = 0; i < 8; i++)
		kmem_cache_destroy(caches[i]);
	CLEAN("at the end");
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * A node too small for kmem_cache_node's first slab (UPSTREAM_EARLY_NODE_FOREIGN_SLAB): the slab
 * comes from node 0, and 2.6.36 lists and counts it on node 1 for good, so node 1's memory
 * cannot go offline without the BUG_ON on its slabs. fixed moves the slab to node 0.
 */
TEST(hotplug_small_node_gives_back_its_foreign_boot_slab)
{
	struct slub_config cfg;

	slub_config_default(&cfg);
	cfg.nr_node_ids = 2;
	cfg.node_pages[1] = 5;
	cfg.slub_min_order = 3;
	REQUIRE(helpers_boot(&cfg) == 0, "boot: %s", last_report);
	CHECK(strstr(slub_dmesg(), "useless per node structure"), "node 1 fell back to node 0");
#ifndef SLUB_BUG_UPSTREAM_EARLY_NODE_FOREIGN_SLAB
	CLEAN("after boot");
	CHECK_EQ(helpers_workload(3), 0);
	CLEAN("after the workload");
	CHECK_EQ(slub_node_offline(1), 0);
	CHECK_EQ(reports_seen[SLUB_REPORT_BUG], 0);
	CHECK_EQ(slub_node_online(1), 0);
	CLEAN("at the end");
	CHECK_EQ(helpers_shutdown(), 0);
#endif
}

#endif /* CONFIG_NUMA, !SLUB_BOOTSTRAP_SEED */

/* A cpu that goes down hands its slab back in every cache; it can come up and work again. */
TEST(hotplug_cpu_down_flushes_its_slabs)
{
	struct slub_config cfg;
	struct kmem_cache *s, *dbg;
	void *objs[64];
	int i, nodes;

	for (nodes = 1; nodes <= 2; nodes++) {
		slub_config_default(&cfg);
		cfg.nr_node_ids = nodes;
		cfg.nr_cpu_ids = 4;
		REQUIRE(helpers_boot(&cfg) == 0, "boot");
		s = kmem_cache_create("hp-cpu", 120, 0, 0, NULL);
		dbg = kmem_cache_create("hp-cpu-dbg", 120, 0, SLAB_STORE_USER | SLAB_POISON, NULL);
		REQUIRE(s && dbg, "create");
		slub_set_cpu(2);
		for (i = 0; i < 64; i++)
			objs[i] = i % 3 ? kmem_cache_alloc(i & 1 ? s : dbg, GFP_KERNEL)
					: kmalloc(8 + (size_t)i * 20, GFP_KERNEL);
		kmem_cache_free(s, objs[1]); /* onto cpu 2's freelist */
		objs[1] = NULL;
		CHECK(per_cpu_ptr(s->cpu_slab, 2)->page != NULL, "cpu 2 holds a slab");
		slub_set_cpu(0);
		CLEAN("before cpu down");

		CHECK_EQ(slub_cpu_down(2), 0);
		list_for_each_entry(s, &slab_caches, list) {
			struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, 2);

			CHECK(c->page == NULL && c->freelist == NULL, "%s keeps cpu 2's slab",
			      s->name);
		}
		CLEAN("after cpu down");
		s = slub_registry_lookup("hp-cpu");
		REQUIRE(s, "lookup");

		CHECK_EQ(slub_cpu_up(2), 0);
		slub_set_cpu(2);
		objs[1] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(objs[1] != NULL, "cpu 2 allocates again");
		slub_set_cpu(1);
		for (i = 0; i < 64; i++) {
			if (!objs[i])
				continue;
			if (i % 3)
				kmem_cache_free(i & 1 ? s : dbg, objs[i]);
			else
				kfree(objs[i]);
		}
		slub_set_cpu(0);
		CLEAN("after freeing");
		kmem_cache_destroy(s);
		kmem_cache_destroy(dbg);
		CHECK_EQ(helpers_shutdown(), 0);
	}
}
