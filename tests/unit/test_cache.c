/* test_cache.c - kmem_cache_create/alloc/free/destroy/shrink: layout, alignment, ctor, the
 * cpu slab and partial lists, and page-allocation failures inside each operation. */
#include <string.h>

#include "helpers.h"

static void boot_simple(int nodes, int cpus)
{
	struct slub_config cfg;

	helpers_config(&cfg, nodes, cpus, 1024);
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
}

static void zero_ctor(void *p)
{
	memset(p, 0, 20);
}

TEST(cache_layout_follows_calculate_sizes)
{
	struct slub_config cfg;
	struct kmem_cache *s;

	slub_config_default(&cfg);
	cfg.slub_nomerge = 1; /* merging would hand back a kmalloc cache's layout */
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	s = kmem_cache_create("layout-a", 20, 0, 0, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(s->objsize, 20);
	CHECK_EQ(s->size, 24);
	CHECK_EQ(s->offset, 0); /* free pointer overlays the object */
	CHECK_EQ(s->inuse, 24);
	CHECK_EQ(oo_order(s->oo), 0);
	CHECK_EQ(oo_objects(s->oo), 4096 / 24);
	kmem_cache_destroy(s);

	/* a ctor moves the free pointer behind the object */
	s = kmem_cache_create("layout-b", 20, 0, 0, zero_ctor);
	REQUIRE(s, "create");
	CHECK_EQ(s->offset, 24);
	CHECK_EQ(s->size, 32);
	kmem_cache_destroy(s);

	/* SLAB_HWCACHE_ALIGN: 100 bytes -> 128 with a 64-byte line, 20 bytes -> 32 */
	s = kmem_cache_create("layout-c", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(s->align, 64);
	CHECK_EQ(s->size, 128);
	kmem_cache_destroy(s);
	s = kmem_cache_create("layout-d", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(s->align, 32);
	kmem_cache_destroy(s);

	/* a big object takes a higher order: 3000 bytes -> order 3 holds 10 with < 1/16 waste */
	s = kmem_cache_create("layout-e", 3000, 0, 0, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(oo_order(s->oo), 3);
	CHECK_EQ(oo_objects(s->oo), 10);
	CHECK_EQ(oo_order(s->min), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(cache_objects_are_aligned_distinct_and_keep_contents)
{
	static const size_t aligns[] = { 0, 8, 16, 64, 256, 1024 };
	unsigned int a;

	boot_simple(1, 1);
	for (a = 0; a < ARRAY_SIZE(aligns); a++) {
		struct kmem_cache *s = kmem_cache_create("aligned", 72, aligns[a], 0, NULL);
		unsigned char *objs[300];
		int i, j;

		REQUIRE(s, "create align %zu", aligns[a]);
		for (i = 0; i < 300; i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			REQUIRE(objs[i], "alloc %d", i);
			if (aligns[a])
				CHECK(((unsigned long)objs[i] & (aligns[a] - 1)) == 0, "misaligned");
			memset(objs[i], i, 72);
		}
		for (i = 0; i < 300; i++) {
			for (j = 0; j < 72 && objs[i][j] == (unsigned char)i; j++)
				;
			CHECK(j == 72, "object %d lost its contents at %d", i, j);
		}
		for (i = 0; i < 300; i++)
			kmem_cache_free(s, objs[i]);
		kmem_cache_destroy(s);
	}
	CHECK_EQ(helpers_shutdown(), 0);
}

static int ctor_calls;
static void count_ctor(void *p)
{
	ctor_calls++;
	memset(p, 0x3c, 40);
}

TEST(cache_ctor_runs_once_per_object_per_slab)
{
	struct kmem_cache *s;
	unsigned char *p;

	boot_simple(1, 1);
	ctor_calls = 0;
	s = kmem_cache_create("ctor", 40, 0, 0, count_ctor);
	REQUIRE(s, "create");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	/* new_slab of 2.6.36 runs the first object's ctor twice */
	CHECK_EQ(ctor_calls, oo_objects(s->oo) + 1);
	CHECK(p[0] == 0x3c && p[39] == 0x3c, "ctor state lost");
	kmem_cache_free(s, p);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p[0] == 0x3c && p[39] == 0x3c, "free clobbered ctor state (free pointer misplaced)");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* Objects freed on another cpu go to the page freelist; deactivation merges the lists. */
TEST(cache_cross_cpu_free_and_partial_lists)
{
	struct kmem_cache *s;
	struct kmem_cache_node *n;
	void *objs[2000];
	int i, per;

	boot_simple(1, 4);
	s = kmem_cache_create("xcpu", 256, 0, 0, NULL);
	REQUIRE(s, "create");
	per = oo_objects(s->oo);
	for (i = 0; i < 2000; i++) {
		slub_set_cpu(i % 4);
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		REQUIRE(objs[i], "alloc %d", i);
	}
	n = get_node(s, 0);
	CHECK_EQ(n->total_objects, n->nr_slabs * per);
	/* every third object: each cpu's slabs lose some, and were full, so go partial */
	for (i = 0; i < 2000; i += 3) {
		slub_set_cpu((i / 3) % 4);
		kmem_cache_free(s, objs[i]);
		objs[i] = NULL;
	}
	CHECK(n->nr_partial > 0, "partly freed full slabs must be on the partial list");
	slub_set_cpu(0);
	kmem_cache_shrink(s);
	/* after shrink the partial list is sorted fullest first */
	{
		struct page *page;
		int last = per + 1;

		list_for_each_entry(page, &n->partial, lru) {
			CHECK(page->inuse <= last, "partial list not sorted by inuse");
			last = page->inuse;
		}
	}
	for (i = 0; i < 2000; i++)
		if (objs[i])
			kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	CHECK_EQ(n->nr_partial, 0);
	CHECK_EQ(n->nr_slabs, 0);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(cache_destroy_with_live_objects_is_reported)
{
	struct kmem_cache *s;
	void *p;

	boot_simple(1, 1);
	s = kmem_cache_create("leaky", 52, 0, 0, NULL); /* 56 bytes: merges with nothing */
	REQUIRE(s, "create");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	kmem_cache_destroy(s);
	CHECK(reports_seen[SLUB_REPORT_SLAB_ERR] >= 1, "destroy with objects must be reported");
	CHECK(strstr(last_report, "still has objects") != NULL, "report: %s", last_report);
	/* the slab stays out of the page allocator: shutdown names it */
	CHECK(helpers_shutdown() > 0, "leaked slab must be counted at shutdown");
}

TEST(cache_destroy_by_rcu_waits_for_grace_period)
{
	struct kmem_cache *s;
	unsigned long before;
	void *p;

	boot_simple(1, 1);
	s = kmem_cache_create("rcu", 500, 0, SLAB_DESTROY_BY_RCU, NULL);
	REQUIRE(s, "create");
	CHECK(s->offset >= 500, "free pointer must not overlay an RCU object");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	CHECK_EQ(get_node(s, 0)->nr_slabs, 1);
	kmem_cache_free(s, p);
	kmem_cache_shrink(s); /* the empty slab leaves the cache ... */
	CHECK_EQ(get_node(s, 0)->nr_slabs, 0);
	before = slub_pages_in_use();
	/* ... but its pages wait for the grace period */
	CHECK(slub_rcu_grace_period() == 1, "grace period must free exactly the one slab");
	CHECK_EQ(before - slub_pages_in_use(), 1UL << oo_order(s->oo));
	CHECK(slub_rcu_grace_period() == 0, "a second grace period has nothing left");
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(cache_ptr_validate)
{
	struct kmem_cache *a, *b;
	char *p;

	boot_simple(1, 1);
	a = kmem_cache_create("valid-a", 48, 0, SLAB_POISON, NULL);
	b = kmem_cache_create("valid-b", 48, 0, SLAB_RED_ZONE, NULL);
	REQUIRE(a && b && a != b, "create");
	p = kmem_cache_alloc(a, GFP_KERNEL);
	REQUIRE(p, "alloc");
	CHECK_EQ(kmem_ptr_validate(a, p), 1);
	CHECK_EQ(kmem_ptr_validate(b, p), 0);
	CHECK_EQ(kmem_ptr_validate(a, p + 8), 0);
	CHECK_EQ(kmem_ptr_validate(a, p + 1), 0);
	kmem_cache_free(a, p);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * Page-allocation failures inside kmem_cache_create and kmem_cache_alloc: measure how many
 * page requests the operation makes from a fixed state, then fail each in turn (alone, and
 * all from it on). Failing all gives NULL; nothing leaks; the allocator stays usable.
 */
static struct kmem_cache *create_op(void)
{
	return kmem_cache_create("failing", 700, 0, 0, NULL);
}

TEST(cache_create_failure_at_each_position)
{
	long asked, k;
	int all, nodes;

	for (nodes = 1; nodes <= 3; nodes += 2) {
		boot_simple(nodes, 2);
		/* fill kmalloc(kmem_size)'s cache so create needs fresh pages */
		helpers_fail_none();
		{
			struct kmem_cache *s = create_op();

			REQUIRE(s, "create");
			asked = pages_asked;
			kmem_cache_destroy(s);
		}
		CHECK_EQ(helpers_shutdown(), 0);

		for (k = 0; k < asked + 1; k++) {
			for (all = 0; all < 2; all++) {
				struct kmem_cache *s;

				boot_simple(nodes, 2);
				helpers_fail_pages(k, all ? -1 : 1);
				s = create_op();
				if (all && k < asked)
					CHECK(s == NULL, "create survived failing pages %ld..", k);
				helpers_fail_none();
				if (s) {
					void *p = kmem_cache_alloc(s, GFP_KERNEL);

					CHECK(p != NULL, "alloc from a cache created under failure");
					kmem_cache_free(s, p);
					kmem_cache_destroy(s);
				}
				CHECK_EQ(helpers_workload((unsigned int)k), 0);
				CHECK_EQ(helpers_shutdown(), 0);
			}
		}
	}
}

TEST(cache_alloc_failure_at_each_position)
{
	struct kmem_cache *s;
	void *objs[64], *p;
	int i, all, per;
	long k;

	for (k = 0; k < 3; k++) {
		for (all = 0; all < 2; all++) {
			boot_simple(1, 1);
			s = kmem_cache_create("allocfail", 2000, 0, 0, NULL);
			REQUIRE(s, "create");
			per = oo_objects(s->oo);
			REQUIRE(per <= 64, "objects per slab %d", per);
			for (i = 0; i < per; i++)
				objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			/* the slab is full: the next alloc needs new pages (order 3, then 0) */
			helpers_fail_pages(k, all ? -1 : 1);
			p = kmem_cache_alloc(s, GFP_KERNEL);
			if (all && k == 0)
				CHECK(p == NULL, "alloc survived failing every page");
			else if (k == 0)
				CHECK(p != NULL && oo_order(s->min) == 0 &&
					      compound_order(virt_to_head_page(p)) == 0,
				      "a failed order-%d slab must fall back to order 0",
				      oo_order(s->oo));
			helpers_fail_none();
			if (p)
				kmem_cache_free(s, p);
			for (i = 0; i < per; i++)
				kmem_cache_free(s, objs[i]);
			p = kmem_cache_alloc(s, GFP_KERNEL);
			CHECK(p != NULL, "usable after failure");
			kmem_cache_free(s, p);
			kmem_cache_destroy(s);
			CHECK_EQ(helpers_shutdown(), 0);
		}
	}
}

TEST(cache_merge_compatible_and_keep_unmergeable_apart)
{
	struct kmem_cache *a, *b, *c, *d;
	void *p;

	boot_simple(1, 1);
	a = kmem_cache_create("merge-a", 124, 0, 0, NULL);
	b = kmem_cache_create("merge-b", 128, 0, 0, NULL);
	CHECK(a && a == b, "compatible caches must merge");
	CHECK(a == kmalloc_caches[7], "a 124-byte cache aliases kmalloc-128");
	CHECK(kmem_cache_create("merge-e", 112, 0, 0, NULL) != a,
	      "a cache a word or more smaller must not merge");
	CHECK(slub_registry_lookup("merge-b") == a, "alias registered");
	c = kmem_cache_create("merge-c", 120, 0, SLAB_RED_ZONE, NULL);
	CHECK(c && c != a, "SLAB_RED_ZONE never merges");
	d = kmem_cache_create("merge-d", 120, 0, 0, count_ctor);
	CHECK(d && d != a && d != c, "a ctor never merges");
	kmem_cache_destroy(b);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(p != NULL, "alias survives its sibling's destroy");
	kmem_cache_free(a, p);
	kmem_cache_destroy(a);
	kmem_cache_destroy(c);
	kmem_cache_destroy(d);
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * get_any_partial walks the local node's zonelist as 2.6.36 does: under __GFP_THISNODE only the
 * local node's zones, under __GFP_DMA only ZONE_DMA (node 0's here). A remote partial slab is
 * taken by a plain allocation and by neither of those.
 */
TEST(cache_any_partial_zonelist)
{
	static void *objs[1024];
	struct kmem_cache *s;
	int per, n = 0;
	void *p;

#ifndef CONFIG_NUMA
	return; /* one node: nothing remote */
#endif
	boot_simple(2, 4); /* cpus 0 and 2 on node 0, 1 and 3 on node 1 */
	s = kmem_cache_create("any-partial", 256, 0, 0, NULL);
	REQUIRE(s, "create");
	per = oo_objects(s->oo);
	REQUIRE(per * 12 <= 1024, "%d objects per slab", per);
	/* twelve slabs on node 1 (min_partial is ilog2(256) = 8), each left partial */
	for (n = 0; n < per * 12; n++)
		REQUIRE((objs[n] = kmem_cache_alloc_node(s, GFP_KERNEL, 1)), "alloc %d", n);
	for (int i = 0; i < 12; i++) {
		kmem_cache_free(s, objs[i * per]);
		objs[i * per] = NULL;
	}
	CHECK_EQ(kmem_cache_shrink(s), 0); /* the cpu slab goes back: every slab on node 1's list */
	REQUIRE(get_node(s, 1)->nr_partial > s->min_partial, "%lu partial slabs on node 1, min_partial %lu, %d per slab",
		get_node(s, 1)->nr_partial, s->min_partial, per);
	CHECK_EQ(get_node(s, 0)->nr_partial, 0);

	slub_set_cpu(0);
	p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_THISNODE);
	REQUIRE(p, "alloc THISNODE");
	CHECK_EQ(page_to_nid(virt_to_head_page(p)), 0);
	kmem_cache_free(s, p);

	slub_set_cpu(2);
	p = kmem_cache_alloc(s, GFP_KERNEL | GFP_DMA);
	REQUIRE(p, "alloc GFP_DMA");
	CHECK_EQ(page_to_nid(virt_to_head_page(p)), 0); /* node 1 has no ZONE_DMA */
	kmem_cache_free(s, p);

	/* the control: node 0 has no partial slab, node 1's is taken */
	CHECK_EQ(kmem_cache_shrink(s), 0);
	CHECK_EQ(get_node(s, 0)->nr_partial, 0);
	slub_set_cpu(0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	CHECK_EQ(page_to_nid(virt_to_head_page(p)), 1);
	kmem_cache_free(s, p);

	for (int i = 0; i < n; i++)
		if (objs[i])
			kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}
