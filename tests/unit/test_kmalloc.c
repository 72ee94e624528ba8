/* test_kmalloc.c - the kmalloc family: every size's cache and ksize, krealloc, kzalloc,
 * kmalloc_node placement, GFP_DMA, large allocations, and failure injection. */
#include <string.h>

#include "helpers.h"

static void boot_nodes(int nodes, unsigned int pages)
{
	struct slub_config cfg;

	helpers_config(&cfg, nodes, 2, pages);
	if (nodes > 2)
		cfg.node_pages[2] = 0; /* node 2 is memoryless */
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
}

TEST(kmalloc_every_size_lands_in_get_slab_cache)
{
	size_t size;

	boot_nodes(1, 4096);
	for (size = 1; size <= 2 * PAGE_SIZE + 1; size++) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);
		struct page *page;

		REQUIRE(p, "kmalloc(%zu)", size);
		CHECK(ksize(p) >= size, "ksize(kmalloc(%zu)) = %zu", size, ksize(p));
		page = virt_to_head_page(p);
		if (size <= SLUB_MAX_SIZE) {
			CHECK(PageSlab(page) && page->slab == get_slab(size, GFP_KERNEL),
			      "kmalloc(%zu) not from get_slab's cache", size);
			CHECK(((unsigned long)p & (ARCH_KMALLOC_MINALIGN - 1)) == 0,
			      "kmalloc(%zu) misaligned", size);
		} else {
			CHECK(!PageSlab(page) && PageHead(page), "kmalloc(%zu) not a compound page",
			      size);
			CHECK_EQ(ksize(p), PAGE_SIZE << 2);
		}
		p[0] = 1;
		p[size - 1] = 2;
		kfree(p);
	}
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR, "kmalloc(0)");
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(kmalloc_size_classes)
{
	boot_nodes(1, 1024);
	CHECK(get_slab(1, 0) == kmalloc_caches[3], "1 -> kmalloc-8");
	CHECK(get_slab(9, 0) == kmalloc_caches[4], "9 -> kmalloc-16");
	CHECK(get_slab(65, 0) == kmalloc_caches[1], "65 -> kmalloc-96");
	CHECK(get_slab(96, 0) == kmalloc_caches[1], "96 -> kmalloc-96");
	CHECK(get_slab(97, 0) == kmalloc_caches[7], "97 -> kmalloc-128");
	CHECK(get_slab(129, 0) == kmalloc_caches[2], "129 -> kmalloc-192");
	CHECK(get_slab(193, 0) == kmalloc_caches[8], "193 -> kmalloc-256");
	CHECK(get_slab(8192, 0) == kmalloc_caches[13], "8192 -> kmalloc-8192");
	CHECK(get_slab(100, GFP_DMA) == kmalloc_dma_caches[7], "dma 100 -> dma-kmalloc-128");
	CHECK_EQ(kmalloc_caches[1]->objsize, 96);
	CHECK(!strcmp(kmalloc_caches[13]->name, "kmalloc-8192"), "%s", kmalloc_caches[13]->name);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(kmalloc_dma_comes_from_zone_dma)
{
	void *p;

	boot_nodes(2, 1024);
	p = kmalloc(100, GFP_KERNEL | GFP_DMA);
	REQUIRE(p, "dma kmalloc");
	CHECK(PageFlag(virt_to_head_page(p), PG_dma), "GFP_DMA object outside ZONE_DMA");
	CHECK(virt_to_head_page(p)->slab == kmalloc_dma_caches[7], "wrong dma cache");
	kfree(p);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(kmalloc_krealloc_keeps_contents)
{
	unsigned char *p, *q;
	size_t sizes[] = { 1, 7, 8, 50, 96, 100, 192, 500, 4096, 8192, 9000, 20000, 30 };
	size_t i, cur = 16, k;

	boot_nodes(1, 2048);
	p = kmalloc(cur, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	for (k = 0; k < cur; k++)
		p[k] = (unsigned char)(k * 7 + 1);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t keep = min(cur, sizes[i]);

		q = krealloc(p, sizes[i], GFP_KERNEL);
		REQUIRE(q, "krealloc to %zu", sizes[i]);
		for (k = 0; k < keep; k++)
			if (q[k] != (unsigned char)(k * 7 + 1))
				break;
		CHECK(k == keep, "krealloc to %zu lost byte %zu", sizes[i], k);
		CHECK(ksize(q) >= sizes[i], "krealloc'd ksize");
		for (k = keep; k < sizes[i]; k++)
			q[k] = (unsigned char)(k * 7 + 1);
		p = q;
		cur = sizes[i];
	}
	/* shrinking within ksize keeps the pointer */
	q = krealloc(p, 1, GFP_KERNEL);
	CHECK(q == p, "shrinking krealloc moved the object");
	CHECK(krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR, "krealloc to 0");
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(kmalloc_kzalloc_zeroes_recycled_memory)
{
	unsigned char *p;
	size_t k;

	boot_nodes(1, 1024);
	p = kmalloc(200, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	memset(p, 0xee, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);
	REQUIRE(p, "kzalloc");
	for (k = 0; k < 200 && !p[k]; k++)
		;
	CHECK(k == 200, "kzalloc left byte %zu non-zero", k);
	kfree(p);
	CHECK_EQ(helpers_shutdown(), 0);
}

#ifdef CONFIG_NUMA
TEST(kmalloc_node_thisnode_placement)
{
	int node, i;

	boot_nodes(4, 512);
	for (node = 0; node < 4; node++) {
		for (i = 0; i < 50; i++) {
			size_t size = (size_t)(8 << (i % 11)) + (size_t)i;
			void *p = kmalloc_node(size, GFP_KERNEL | __GFP_THISNODE, node);

			if (!node_state(node, N_NORMAL_MEMORY)) {
				CHECK(p == NULL, "THISNODE on memoryless node %d gave %p", node, p);
				continue;
			}
			REQUIRE(p, "kmalloc_node(%zu, %d)", size, node);
			CHECK_EQ(page_to_nid(virt_to_head_page(p)), node);
			kfree(p);
		}
	}
	/* without THISNODE a memoryless node falls back to another node */
	{
		void *p = kmalloc_node(64, GFP_KERNEL, 2);

		CHECK(p != NULL, "fallback from memoryless node");
		kfree(p);
	}
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(kmalloc_cache_alloc_node_places_objects)
{
	struct kmem_cache *s;
	void *objs[3][40];
	int node, i;

	boot_nodes(3, 512);
	s = kmem_cache_create("nodeplaced", 120, 0, 0, NULL);
	REQUIRE(s, "create");
	for (i = 0; i < 40; i++)
		for (node = 0; node < 3; node++) {
			objs[node][i] = kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_THISNODE, node);
			if (node == 2) {
				CHECK(!objs[node][i], "memoryless node");
				continue;
			}
			REQUIRE(objs[node][i], "alloc node %d", node);
			CHECK_EQ(page_to_nid(virt_to_head_page(objs[node][i])), node);
		}
	for (i = 0; i < 40; i++)
		for (node = 0; node < 2; node++)
			kmem_cache_free(s, objs[node][i]);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}
#endif

/*
 * For each size class: from a fresh boot, allocate until the next kmalloc needs the page
 * allocator (j objects), count its page requests, then replay the same j allocations and fail
 * each of those requests in turn (alone, and with all after it). Failing all must give NULL;
 * either way nothing leaks and the allocator still works.
 */
#define PREP_MAX 4096
static void *prep[PREP_MAX];

static int kmalloc_prepare(size_t size, long replay)
{
	long j;

	for (j = 0; j < PREP_MAX; j++) {
		long before = pages_asked;

		if (replay >= 0 && j == replay)
			return (int)j;
		prep[j] = kmalloc(size, GFP_KERNEL);
		if (replay < 0 && pages_asked > before && j > 0) {
			kfree(prep[j]);
			return (int)j;
		}
	}
	return -1;
}

static void kmalloc_unprepare(int j)
{
	while (j-- > 0)
		kfree(prep[j]);
}

TEST(kmalloc_failure_at_each_position)
{
	static const size_t sizes[] = { 8, 100, 1000, 4000, 8192, 8193, 40000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		long k, asked, before;
		int j, all;
		void *p;

		boot_nodes(1, 2048);
		helpers_fail_none();
		j = kmalloc_prepare(sizes[i], -1);
		REQUIRE(j > 0, "kmalloc(%zu) never needed a page", sizes[i]);
		kmalloc_unprepare(j);
		CHECK_EQ(helpers_shutdown(), 0);

		boot_nodes(1, 2048);
		helpers_fail_none();
		kmalloc_prepare(sizes[i], j);
		before = pages_asked;
		p = kmalloc(sizes[i], GFP_KERNEL);
		asked = pages_asked - before;
		CHECK(p && asked >= 1, "kmalloc(%zu) after %d asked %ld pages", sizes[i], j, asked);
		kfree(p);
		kmalloc_unprepare(j);
		CHECK_EQ(helpers_shutdown(), 0);

		for (k = 0; k < asked; k++) {
			for (all = 0; all < 2; all++) {
				boot_nodes(1, 2048);
				helpers_fail_none();
				kmalloc_prepare(sizes[i], j);
				helpers_fail_pages(k, all ? -1 : 1);
				p = kmalloc(sizes[i], GFP_KERNEL);
				if (all)
					CHECK(p == NULL, "kmalloc(%zu) survived failing pages %ld..",
					      sizes[i], k);
				kfree(p);
				helpers_fail_none();
				p = kmalloc(sizes[i], GFP_KERNEL);
				CHECK(p != NULL, "kmalloc(%zu) after failure", sizes[i]);
				kfree(p);
				kmalloc_unprepare(j);
				CHECK_EQ(helpers_shutdown(), 0);
			}
		}
	}
}
