/* test_page_alloc.c - unit tests of the page allocator model: buddy orders and merging, node
 * fallback, zones, gfp bits, the decision hook, misuse reports, leaks, limits and hotplug. */
#include <string.h>

#include "page_alloc.h"
#include "test.h"

/* ---- helpers ---- */

static struct slub_config cfg;

/* nodes nodes of pages pages each; one cpu; no DMA zone unless a test adds one. */
static struct slub_config *pa_config(int nodes, unsigned int pages)
{
	/* the page allocator alone, as after boot: gfp_allowed_mask no longer strips anything */
	gfp_allowed_mask = (gfp_t)~0u;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_node_ids = nodes;
	cfg.nr_cpu_ids = 1;
	for (int n = 0; n < nodes && n < MAX_NUMNODES; n++)
		cfg.node_pages[n] = pages;
	return &cfg;
}

/* Captures reports; fatal ones then unwind to slub_protected. */
static struct {
	int count[SLUB_REPORT_PANIC + 1];
	enum slub_report_kind last_kind;
	char last_msg[512];
} seen;

static void capture_report(const struct slub_report *r, void *arg)
{
	seen.count[r->kind]++;
	seen.last_kind = r->kind;
	strncpy(seen.last_msg, r->msg, sizeof(seen.last_msg) - 1);
}

static void capture_reports(void)
{
	memset(&seen, 0, sizeof(seen));
	slub_set_report_hook(capture_report, NULL);
}

TEST(page_alloc_boot_shutdown)
{
	REQUIRE(pa_boot(pa_config(2, 512)) == 0, "2 nodes of 512 pages boot");
	CHECK_EQ(nr_node_ids, 2);
	CHECK_EQ(pa_pages_in_use(), 0);
	CHECK_EQ(pa_node_pages_free(0), 512);
	CHECK_EQ(pa_node_pages_free(1), 512);
	CHECK(node_state(1, N_NORMAL_MEMORY), "both nodes have memory");
	CHECK_EQ(pa_shutdown(), 0);
	CHECK_EQ(pa_pages_in_use(), 0);
	CHECK_EQ(pa_node_pages_free(0), 0);
	CHECK(!node_state(0, N_POSSIBLE), "shutdown clears node states");
	/* the arena is reused by a second, differently shaped boot */
	REQUIRE(pa_boot(pa_config(3, 100)) == 0, "a second boot in the same arena");
	CHECK_EQ(pa_node_pages_free(2), 100);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_every_order)
{
	static struct page *blocks[4096];

	REQUIRE(pa_boot(pa_config(1, 4096)) == 0, "one node of 4096 pages");
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long nr = 1UL << order, count = 4096 >> order;
		struct page *page = alloc_pages_node(0, GFP_KERNEL, order);
		char *addr;

		REQUIRE(page, "order %u", order);
		CHECK_EQ(pa_pages_in_use(), nr);
		CHECK_EQ(pa_node_pages_in_use(0), nr);
		CHECK_EQ(pa_node_pages_free(0), 4096 - nr);
		CHECK_EQ(page->order_allocated, order);
		CHECK_EQ(page->_count, 1);
		CHECK(!PageHead(page), "no __GFP_COMP, no compound page");
		addr = page_address(page);
		memset(addr, 0x5a, PAGE_SIZE << order); /* every byte is usable */
		CHECK(virt_to_page(addr + (PAGE_SIZE << order) - 1) == page + nr - 1,
		      "the last byte maps to the last page of the block");
		__free_pages(page, order);
		CHECK_EQ(pa_pages_in_use(), 0);
		CHECK_EQ(pa_node_pages_free(0), 4096);

		/* the whole node splits into blocks of this order that do not overlap */
		for (unsigned long i = 0; i < count; i++) {
			blocks[i] = alloc_pages_node(0, GFP_KERNEL, order);
			REQUIRE(blocks[i], "order %u block %lu of %lu", order, i, count);
			addr = page_address(blocks[i]);
			memcpy(addr, &i, sizeof(i));
			memcpy(addr + (PAGE_SIZE << order) - sizeof(i), &i, sizeof(i));
		}
		CHECK(!alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0), "order %u: full", order);
		CHECK_EQ(pa_pages_in_use(), 4096);
		for (unsigned long i = 0, first, last; i < count; i++) {
			addr = page_address(blocks[i]);
			memcpy(&first, addr, sizeof(first));
			memcpy(&last, addr + (PAGE_SIZE << order) - sizeof(last), sizeof(last));
			CHECK(first == i && last == i, "order %u block %lu overlaps", order, i);
			__free_pages(blocks[i], order);
		}
		CHECK_EQ(pa_node_pages_free(0), 4096);
	}
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_buddy_merge)
{
	static struct page *pages[1024];

	REQUIRE(pa_boot(pa_config(1, 1024)) == 0, "one node of exactly 1024 pages");
	for (int i = 0; i < 1024; i++) {
		pages[i] = alloc_pages_node(0, GFP_KERNEL, 0);
		REQUIRE(pages[i], "page %d of 1024", i);
	}
	CHECK(!alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0), "node is full");
	CHECK_EQ(pa_node_pages_free(0), 0);
	/* free in a scrambled order: every merge has to wait for its buddy */
	for (int i = 0; i < 1024; i++)
		__free_pages(pages[(i * 389) % 1024], 0);
	CHECK_EQ(pa_node_pages_free(0), 1024);
	pages[0] = alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1);
	REQUIRE(pages[0], "all 1024 pages merged back into one order-10 block");
	CHECK_EQ(pa_node_pages_free(0), 0);
	__free_pages(pages[0], MAX_ORDER - 1);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_split_needs_alignment)
{
	/* node 0 takes 3 pages, so node 1 starts at pfn 3: no order-10 block fits in it */
	struct slub_config *c = pa_config(2, 1024);

	c->node_pages[0] = 3;
	REQUIRE(pa_boot(c) == 0, "node 1 starts at pfn 3");
	CHECK(!alloc_pages_node(1, GFP_THISNODE, MAX_ORDER - 1), "unaligned node has no order 10");
	CHECK(alloc_pages_node(1, GFP_THISNODE, MAX_ORDER - 2) != NULL, "order 9 fits");
	CHECK(!alloc_pages_node(0, GFP_THISNODE, 2), "3 pages hold no order-2 block");
	CHECK(alloc_pages_node(0, GFP_THISNODE, 1) != NULL, "order 1 fits at pfn 0");
	CHECK(alloc_pages_node(0, GFP_THISNODE, 0) != NULL, "order 0 fits at pfn 2");
	CHECK_EQ(pa_node_pages_free(0), 0);
	capture_reports();
	CHECK_EQ(pa_shutdown(), 512 + 2 + 1);
}

TEST(page_alloc_fallback)
{
	struct slub_config *c = pa_config(3, 16);
	struct page *page, *full1, *full2;

	c->node_pages[0] = 0; /* memoryless */
	REQUIRE(pa_boot(c) == 0, "node 0 memoryless, nodes 1 and 2 of 16 pages");
	CHECK(!node_state(0, N_NORMAL_MEMORY), "node 0 is memoryless");
	page = alloc_pages_node(0, GFP_KERNEL, 0);
	REQUIRE(page, "memoryless node falls back");
	CHECK_EQ(page_to_nid(page), 1); /* nid + 1 first */
	CHECK_EQ(pa_node_pages_in_use(1), 1);
	__free_pages(page, 0);
	CHECK(!alloc_pages_node(0, GFP_THISNODE, 0), "memoryless node with __GFP_THISNODE");

	full1 = alloc_pages_node(1, GFP_KERNEL, 4);
	REQUIRE(full1 && page_to_nid(full1) == 1, "node 1 fills with one order-4 block");
	page = alloc_pages_node(1, GFP_KERNEL, 0);
	REQUIRE(page, "full node 1 falls back");
	CHECK_EQ(page_to_nid(page), 2);
	__free_pages(page, 0);
	CHECK(!alloc_pages_node(1, GFP_THISNODE, 0), "full node with __GFP_THISNODE");

	/* from node 2, distance order wraps: 2, 0 (memoryless), 1 */
	__free_pages(full1, 4);
	full2 = alloc_pages_node(2, GFP_KERNEL, 4);
	REQUIRE(full2 && page_to_nid(full2) == 2, "node 2 fills with one order-4 block");
	page = alloc_pages_node(2, GFP_KERNEL, 0);
	REQUIRE(page, "full node 2 falls back");
	CHECK_EQ(page_to_nid(page), 1);
	__free_pages(page, 0);
	__free_pages(full2, 4);

	/* nid -1 is the current cpu's node: cpu 0 sits on node 0, so node 1 serves */
	page = alloc_pages(GFP_KERNEL, 0);
	REQUIRE(page, "alloc_pages uses the current node");
	CHECK_EQ(page_to_nid(page), 1);
	__free_pages(page, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_bad_request_warns)
{
	REQUIRE(pa_boot(pa_config(2, 64)) == 0, "2 nodes of 64 pages");
	capture_reports();
	CHECK(!alloc_pages_node(2, GFP_KERNEL, 0), "nid out of range");
	CHECK(!alloc_pages_node(-2, GFP_KERNEL, 0), "nid out of range");
	CHECK(!alloc_pages_node(0, GFP_KERNEL, MAX_ORDER), "order too big");
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 3);
	CHECK_EQ(pa_alloc_seq(), 0);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_dma_zone)
{
	struct slub_config *c = pa_config(2, 64);
	struct page *first, *dma, *normal, *last;

	c->dma_pages = 16;
	REQUIRE(pa_boot(c) == 0, "2 nodes, 16 DMA pages");
	first = alloc_pages_node(0, GFP_KERNEL, 0);
	REQUIRE(first, "an order-0 normal page");
	CHECK(!PageFlag(first, PG_dma), "a normal request avoids ZONE_DMA while it can");
	dma = alloc_pages_node(0, GFP_DMA, 2);
	REQUIRE(dma, "an order-2 ZONE_DMA block");
	CHECK(PageFlag(dma, PG_dma), "ZONE_DMA page carries PG_dma");
	CHECK(PageFlag(dma + 3, PG_dma), "so do the rest of its block");
	CHECK_EQ(page_to_nid(dma), 0);
	CHECK(!alloc_pages_node(1, GFP_DMA | __GFP_THISNODE, 0), "node 1 has no ZONE_DMA");
	normal = alloc_pages_node(1, GFP_DMA, 0); /* without THISNODE node 1 may use node 0's */
	REQUIRE(normal, "node 1 may use ZONE_DMA of node 0");
	CHECK(PageFlag(normal, PG_dma), "a __GFP_DMA page is in ZONE_DMA");
	__free_pages(normal, 0);

	/* exhaust ZONE_NORMAL everywhere (node 0: 48 pages, first took 1): ZONE_DMA is last */
	normal = alloc_pages_node(0, GFP_KERNEL, 5);
	REQUIRE(normal && !PageFlag(normal, PG_dma), "32 normal pages of node 0");
	CHECK(alloc_pages_node(0, GFP_KERNEL, 3) && alloc_pages_node(0, GFP_KERNEL, 2) &&
	      alloc_pages_node(0, GFP_KERNEL, 1) && alloc_pages_node(0, GFP_KERNEL, 0),
	      "the remaining 15 normal pages of node 0");
	CHECK(alloc_pages_node(1, GFP_KERNEL, 6) != NULL, "all of node 1");
	last = alloc_pages_node(0, GFP_KERNEL, 0);
	REQUIRE(last, "ZONE_DMA is the last resort");
	CHECK(PageFlag(last, PG_dma), "the fallback page came from ZONE_DMA");
	__free_pages(dma, 2);
	capture_reports();
	CHECK_EQ(pa_shutdown(), 1 + 32 + 8 + 4 + 2 + 1 + 64 + 1);
	CHECK_EQ(seen.count[SLUB_REPORT_LEAK], 8);
}

TEST(page_alloc_dma_first_node_with_memory)
{
	struct slub_config *c = pa_config(3, 32);
	struct page *page;

	c->node_pages[0] = 0;
	c->node_offline[1] = 1;
	c->dma_pages = 1000; /* clamped to the node */
	REQUIRE(pa_boot(c) == 0, "node 2 is the only node with memory online");
	page = alloc_pages_node(0, GFP_DMA, 0);
	REQUIRE(page, "node 2 is the first node with memory online");
	CHECK_EQ(page_to_nid(page), 2);
	CHECK(PageFlag(page, PG_dma), "node 2 carries ZONE_DMA");
	CHECK(!alloc_pages_node(0, GFP_DMA | __GFP_THISNODE, 0), "ZONE_DMA is not on node 0");
	__free_pages(page, 0);
	CHECK_EQ(pa_node_pages_free(2), 32);
	CHECK(alloc_pages_node(2, GFP_DMA, 5) != NULL, "whole node is ZONE_DMA");
	CHECK(!alloc_pages_node(2, GFP_KERNEL | __GFP_NOWARN, 0), "and nothing is left");
	capture_reports();
	CHECK_EQ(pa_shutdown(), 32);
}

TEST(page_alloc_zero)
{
	struct page *page, *again;
	unsigned char *p;
	int dirty = 0;

	REQUIRE(pa_boot(pa_config(1, 64)) == 0, "one node of 64 pages");
	page = alloc_pages_node(0, GFP_KERNEL, 2);
	REQUIRE(page, "an order-2 block");
	memset(page_address(page), 0xaa, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	again = alloc_pages_node(0, GFP_KERNEL | __GFP_ZERO, 2);
	/* the buddy allocator hands back the same low block, so only zeroing clears it */
	REQUIRE(again == page, "the same block comes back");
	p = page_address(again);
	for (unsigned long i = 0; i < 4 * PAGE_SIZE; i++)
		dirty |= p[i];
	CHECK(!dirty, "__GFP_ZERO returned non-zero bytes");
	__free_pages(again, 2);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_compound)
{
	struct page *page;
	char *addr;

	REQUIRE(pa_boot(pa_config(1, 64)) == 0, "one node of 64 pages");
	page = alloc_pages_node(0, GFP_KERNEL | __GFP_COMP, 3);
	REQUIRE(page, "an order-3 compound page");
	CHECK(PageHead(page) && !PageTail(page), "the first page is the head");
	CHECK_EQ(compound_order(page), 3);
	for (int i = 1; i < 8; i++) {
		CHECK(PageTail(page + i) && !PageHead(page + i), "tail %d", i);
		CHECK(page[i].first_page == page, "tail %d points at its head", i);
	}
	addr = page_address(page);
	CHECK(virt_to_head_page(addr + 5 * PAGE_SIZE + 17) == page,
	      "a tail address leads to the head");
	__free_pages(page, 3);
	page = alloc_pages_node(0, GFP_KERNEL, 3);
	REQUIRE(page, "an order-3 plain block");
	CHECK(!PageHead(page) && !PageTail(page + 1), "compound flags cleared by the free");
	CHECK_EQ(compound_order(page), 0);
	CHECK(virt_to_head_page(page_address(page + 2)) == page + 2,
	      "a plain page is its own head");
	__free_pages(page, 3);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_get_free_pages)
{
	unsigned long addr;

	REQUIRE(pa_boot(pa_config(1, 16)) == 0, "one node of 16 pages");
	addr = __get_free_pages(GFP_KERNEL, 1);
	REQUIRE(addr, "__get_free_pages returns an address");
	CHECK(pa_addr_valid((void *)addr), "the address is in the arena");
	CHECK(!pa_addr_valid((void *)&addr), "the stack is not in the arena");
	CHECK_EQ(pa_pages_in_use(), 2);
	free_pages(addr, 1);
	free_pages(0, 3); /* no-op */
	CHECK_EQ(pa_pages_in_use(), 0);
	CHECK_EQ(pa_shutdown(), 0);
}

/* ---- the decision hook ---- */

static struct {
	unsigned long seqs[16];
	struct slub_pa_request last;
	int calls;
	unsigned long fail_seq;
} hookrec;

static enum slub_pa_decision record_hook(const struct slub_pa_request *req, void *arg)
{
	CHECK(arg == &hookrec, "hook gets its argument");
	if (hookrec.calls < 16)
		hookrec.seqs[hookrec.calls] = req->seq;
	hookrec.calls++;
	hookrec.last = *req;
	return req->seq == hookrec.fail_seq ? SLUB_PA_FAIL : SLUB_PA_GO_ON;
}

TEST(page_alloc_hook)
{
	struct page *p0, *p1, *p3;
	size_t dmesg_len;

	REQUIRE(pa_boot(pa_config(2, 64)) == 0, "2 nodes of 64 pages");
	memset(&hookrec, 0, sizeof(hookrec));
	hookrec.fail_seq = 2;
	pa_set_hook(record_hook, &hookrec);
	p0 = alloc_pages_node(1, GFP_KERNEL, 1);
	CHECK_EQ(hookrec.last.node, 1);
	CHECK_EQ(hookrec.last.order, 1);
	CHECK_EQ(hookrec.last.gfp, GFP_KERNEL);
	CHECK(hookrec.last.caller && !strcmp(hookrec.last.caller, "test_page_alloc_hook"),
	      "the caller is the test function");
	CHECK_EQ(hookrec.last.irqs_enabled, 1);
	local_irq_disable();
	p1 = alloc_pages(GFP_ATOMIC, 0);
	local_irq_enable();
	CHECK_EQ(hookrec.last.node, -1); /* passed through as asked */
	CHECK_EQ(hookrec.last.irqs_enabled, 0);
	CHECK(!alloc_pages_node(0, GFP_KERNEL, 0), "the hook failed seq 2");
	CHECK(strstr(slub_dmesg(), "page allocation failure") != NULL, "failure is printed");
	dmesg_len = strlen(slub_dmesg());
	hookrec.fail_seq = 3;
	p3 = alloc_pages_node(0, GFP_KERNEL | __GFP_NOFAIL, 0); /* seq 3, never asked */
	CHECK(p3 != NULL, "__GFP_NOFAIL bypasses the hook");
	CHECK_EQ(hookrec.calls, 3);
	hookrec.fail_seq = 4;
	CHECK(!alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0), "the hook failed seq 4");
	CHECK_EQ(strlen(slub_dmesg()), dmesg_len); /* __GFP_NOWARN: silent */
	CHECK_EQ(hookrec.calls, 4);
	CHECK_EQ(hookrec.seqs[0], 0);
	CHECK_EQ(hookrec.seqs[1], 1);
	CHECK_EQ(hookrec.seqs[2], 2);
	CHECK_EQ(hookrec.seqs[3], 4);
	CHECK_EQ(pa_alloc_seq(), 5);
	CHECK(p0 && p1, "seq 0 and 1 were allowed");
	pa_set_hook(NULL, NULL);
	__free_pages(p0, 1);
	__free_pages(p1, 0);
	__free_pages(p3, 0);
	CHECK_EQ(pa_shutdown(), 0);
	/* seq counts from 0 again in the next boot */
	REQUIRE(pa_boot(pa_config(1, 8)) == 0, "a fresh boot");
	CHECK_EQ(pa_alloc_seq(), 0);
	slub_set_page_alloc_hook(record_hook, &hookrec);
	hookrec.fail_seq = 0;
	CHECK(!alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0), "seq 0 of the new boot fails");
	CHECK_EQ(hookrec.last.seq, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

/* ---- misuse: each must end in a fatal BUG report ---- */

struct misuse {
	struct page *page;
	unsigned int order;
	const void *addr;
	int how;
};

static void do_misuse(void *arg)
{
	struct misuse *m = arg;

	switch (m->how) {
	case 0:
		__free_pages(m->page, m->order);
		break;
	case 1:
		virt_to_page(m->addr);
		break;
	case 2:
		free_pages((unsigned long)m->addr, m->order);
		break;
	}
}

/* Runs one misuse; returns non-zero if it was caught as a BUG whose text holds expect. */
static int caught_bug(struct misuse m, const char *expect)
{
	int before = seen.count[SLUB_REPORT_BUG];

	if (slub_protected(do_misuse, &m) != SLUB_BOOT_PANIC)
		return 0;
	if (seen.count[SLUB_REPORT_BUG] != before + 1 || seen.last_kind != SLUB_REPORT_BUG)
		return 0;
	if (!strstr(seen.last_msg, expect)) {
		fprintf(stderr, "  message was: %s\n", seen.last_msg);
		return 0;
	}
	return 1;
}

TEST(page_alloc_double_free_is_bug)
{
	struct page *page, *other, *comp;

	REQUIRE(pa_boot(pa_config(1, 64)) == 0, "one node of 64 pages");
	capture_reports();
	page = alloc_pages_node(0, GFP_KERNEL, 0);
	other = alloc_pages_node(0, GFP_KERNEL, 0); /* keeps page's block from merging away */
	REQUIRE(page && other, "two order-0 pages");
	__free_pages(page, 0);
	CHECK(!slub_tainted(), "nothing fatal yet");
	CHECK(caught_bug((struct misuse){ .page = page, .how = 0 }, "double free"),
	      "freeing a free page is a BUG");
	CHECK(slub_tainted(), "a fatal report taints");
	CHECK_EQ(pa_pages_in_use(), 1); /* the bad free changed nothing */

	page = alloc_pages_node(0, GFP_KERNEL, 2);
	REQUIRE(page, "an order-2 block");
	CHECK(caught_bug((struct misuse){ .page = page, .order = 1, .how = 0 }, "order"),
	      "freeing with the wrong order is a BUG");
	CHECK(caught_bug((struct misuse){ .page = page + 1, .order = 0, .how = 0 },
			 "not the head"), "freeing inside a block is a BUG");
	__SetPageSlab(page);
	CHECK(caught_bug((struct misuse){ .page = page, .order = 2, .how = 0 }, "PageSlab"),
	      "freeing a PageSlab page is a BUG");
	__ClearPageSlab(page);
	comp = alloc_pages_node(0, GFP_KERNEL | __GFP_COMP, 1);
	REQUIRE(comp, "an order-1 compound page");
	CHECK(caught_bug((struct misuse){ .page = comp + 1, .order = 0, .how = 0 }, "tail"),
	      "freeing a tail is a BUG");
	CHECK(caught_bug((struct misuse){ .page = (struct page *)&cfg, .how = 0 },
			 "not a struct page"), "freeing a foreign struct page is a BUG");
	CHECK(caught_bug((struct misuse){ .addr = &cfg, .how = 1 }, "not in the page arena"),
	      "virt_to_page of a foreign address is a BUG");
	CHECK(caught_bug((struct misuse){ .addr = &cfg, .how = 2 }, "not in the page arena"),
	      "free_pages of a foreign address is a BUG");
	CHECK_EQ(pa_pages_in_use(), 1 + 4 + 2);
	__free_pages(page, 2);
	__free_pages(comp, 1);
	__free_pages(other, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_leak_at_shutdown)
{
	struct page *a, *b;

	REQUIRE(pa_boot(pa_config(2, 64)) == 0, "2 nodes of 64 pages");
	capture_reports();
	a = alloc_pages_node(0, GFP_KERNEL, 3);
	b = alloc_pages_node(1, GFP_KERNEL, 0);
	REQUIRE(a && b, "one block on each node");
	__SetPageSlab(b);
	b->slab = (struct kmem_cache *)(uintptr_t)0xdead0000; /* printed, never followed */
	CHECK_EQ(pa_shutdown(), 9);
	CHECK_EQ(seen.count[SLUB_REPORT_LEAK], 2);
	CHECK(strstr(seen.last_msg, "node 1") && strstr(seen.last_msg, "PageSlab") &&
	      strstr(seen.last_msg, "dead0000"), "leak names node and owner: %s", seen.last_msg);
	CHECK_EQ(pa_pages_in_use(), 0);
	CHECK_EQ(slub_pages_in_use(), 0);
	CHECK_EQ(slub_node_pages_in_use(0), 0);
	REQUIRE(pa_boot(pa_config(1, 16)) == 0, "boots again after a leak");
	CHECK_EQ(pa_node_pages_free(0), 16);
	CHECK_EQ(pa_shutdown(), 0);
	CHECK_EQ(seen.count[SLUB_REPORT_LEAK], 2);
}

TEST(page_alloc_1024_nodes)
{
	struct page *page;

	REQUIRE(pa_boot(pa_config(MAX_NUMNODES, 4)) == 0, "1024 nodes of 4 pages");
	CHECK_EQ(nr_node_ids, MAX_NUMNODES);
	CHECK(node_state(MAX_NUMNODES - 1, N_NORMAL_MEMORY), "the last node has memory");
	page = alloc_pages_node(MAX_NUMNODES - 1, GFP_KERNEL, 2);
	REQUIRE(page, "the last node holds an order-2 block");
	CHECK_EQ(page_to_nid(page), MAX_NUMNODES - 1);
	CHECK_EQ(slub_node_pages_in_use(MAX_NUMNODES - 1), 4);
	/* node 1023 is full: distance order wraps to node 0 */
	page = alloc_pages_node(MAX_NUMNODES - 1, GFP_KERNEL, 0);
	REQUIRE(page, "the full last node wraps to node 0");
	CHECK_EQ(page_to_nid(page), 0);
	capture_reports();
	CHECK_EQ(pa_shutdown(), 5);
}

TEST(page_alloc_einval)
{
	struct slub_config *c;
	struct page *page;

	CHECK_EQ(pa_boot(pa_config(0, 16)), SLUB_BOOT_EINVAL);
	CHECK_EQ(pa_boot(pa_config(MAX_NUMNODES + 1, 16)), SLUB_BOOT_EINVAL);
	c = pa_config(1, 16);
	c->nr_cpu_ids = 0;
	CHECK_EQ(pa_boot(c), SLUB_BOOT_EINVAL);
	c->nr_cpu_ids = NR_CPUS + 1;
	CHECK_EQ(pa_boot(c), SLUB_BOOT_EINVAL);
	CHECK_EQ(pa_boot(pa_config(2, 262144 / 2 + 1)), SLUB_BOOT_EINVAL);
	CHECK_EQ(pa_boot(pa_config(4, ~0u)), SLUB_BOOT_EINVAL); /* no overflow into "fits" */
	CHECK_EQ(pa_boot(NULL), SLUB_BOOT_EINVAL);
	/* a rejected boot leaves a running one untouched */
	REQUIRE(pa_boot(pa_config(2, 262144 / 2)) == 0, "exactly the arena fits");
	page = alloc_pages_node(1, GFP_KERNEL, 0);
	REQUIRE(page, "a page on node 1");
	CHECK_EQ(pa_boot(pa_config(0, 16)), SLUB_BOOT_EINVAL);
	CHECK_EQ(nr_node_ids, 2);
	CHECK_EQ(pa_node_pages_in_use(1), 1);
	__free_pages(page, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

/* ---- memory hotplug ---- */

static struct {
	unsigned long actions[16];
	int n, veto, order[16], order_n;
	struct memory_notify last;
} memrec;

static int mem_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	if (memrec.n < 16)
		memrec.actions[memrec.n++] = action;
	memrec.last = *(struct memory_notify *)data;
	if (memrec.order_n < 16)
		memrec.order[memrec.order_n++] = 1;
	if (memrec.veto && (action == MEM_GOING_ONLINE || action == MEM_GOING_OFFLINE))
		return notifier_from_errno(-ENOMEM);
	return NOTIFY_OK;
}

static int mem_notifier_low(struct notifier_block *nb, unsigned long action, void *data)
{
	if (memrec.order_n < 16)
		memrec.order[memrec.order_n++] = 2;
	return NOTIFY_OK;
}

TEST(page_alloc_hotplug)
{
	struct slub_config *c = pa_config(2, 64);
	struct page *page;

	c->node_offline[1] = 1;
	c->dma_pages = 8;
	REQUIRE(pa_boot(c) == 0, "node 1 offline at boot");
	memset(&memrec, 0, sizeof(memrec));
	hotplug_memory_notifier(mem_notifier_low, 0);
	hotplug_memory_notifier(mem_notifier, SLAB_CALLBACK_PRI);
	hotplug_memory_notifier(mem_notifier, SLAB_CALLBACK_PRI); /* no-op */
	CHECK(!node_state(1, N_NORMAL_MEMORY), "offline at boot");
	CHECK(node_state(1, N_ONLINE), "the node itself is online");
	CHECK(!alloc_pages_node(1, GFP_THISNODE, 0), "an offline node has no pages");
	CHECK_EQ(pa_node_pages_free(1), 0);
	CHECK_EQ(pa_online_node(0), -EINVAL); /* online already */
	CHECK_EQ(pa_online_node(2), -EINVAL);

	memrec.veto = 1;
	CHECK_EQ(pa_online_node(1), -ENOMEM);
	CHECK_EQ(memrec.n, 2);
	CHECK_EQ(memrec.actions[0], MEM_GOING_ONLINE);
	CHECK_EQ(memrec.actions[1], MEM_CANCEL_ONLINE);
	CHECK_EQ(memrec.order[0], 1); /* higher priority first; the veto stops the chain */
	CHECK_EQ(memrec.order[1], 1);
	CHECK_EQ(memrec.order[2], 2);
	CHECK(!node_state(1, N_NORMAL_MEMORY), "vetoed online leaves the node offline");

	memset(&memrec, 0, sizeof(memrec));
	CHECK_EQ(pa_online_node(1), 0);
	CHECK_EQ(memrec.n, 2);
	CHECK_EQ(memrec.actions[0], MEM_GOING_ONLINE);
	CHECK_EQ(memrec.actions[1], MEM_ONLINE);
	CHECK_EQ(memrec.order_n, 4); /* both notifiers heard both events */
	CHECK_EQ(memrec.last.start_pfn, 64);
	CHECK_EQ(memrec.last.nr_pages, 64);
	CHECK_EQ(memrec.last.status_change_nid, 1);
	CHECK(node_state(1, N_NORMAL_MEMORY), "node 1 is online");
	CHECK_EQ(pa_node_pages_free(1), 64);
	page = alloc_pages_node(1, GFP_THISNODE, 0);
	REQUIRE(page, "a page on node 1");
	CHECK_EQ(page_to_nid(page), 1);

	memset(&memrec, 0, sizeof(memrec));
	CHECK_EQ(pa_offline_node(1), -EBUSY); /* a page is still out */
	CHECK_EQ(memrec.actions[0], MEM_GOING_OFFLINE);
	CHECK_EQ(memrec.actions[1], MEM_CANCEL_OFFLINE);
	CHECK(node_state(1, N_NORMAL_MEMORY), "the failed offline leaves node 1 online");
	__free_pages(page, 0);
	memrec.veto = 1;
	memrec.n = 0;
	CHECK_EQ(pa_offline_node(1), -EBUSY); /* vetoed */
	CHECK_EQ(memrec.actions[1], MEM_CANCEL_OFFLINE);
	memrec.veto = 0;
	memrec.n = 0;
	CHECK_EQ(pa_offline_node(1), 0);
	CHECK_EQ(memrec.actions[0], MEM_GOING_OFFLINE);
	CHECK_EQ(memrec.actions[1], MEM_OFFLINE);
	CHECK(!node_state(1, N_NORMAL_MEMORY), "node 1 is offline");
	CHECK_EQ(pa_node_pages_free(1), 0);
	CHECK_EQ(pa_offline_node(1), -EINVAL);
	page = alloc_pages_node(1, GFP_KERNEL, 0);
	REQUIRE(page, "node 0 serves node 1's request");
	CHECK_EQ(page_to_nid(page), 0); /* falls back off the offlined node */
	__free_pages(page, 0);
	/* the DMA node can go and come back, ZONE_DMA included */
	CHECK_EQ(pa_offline_node(0), 0);
	CHECK(!alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0), "no memory online at all");
	CHECK_EQ(pa_online_node(0), 0);
	CHECK_EQ(pa_node_pages_free(0), 64);
	page = alloc_pages_node(0, GFP_DMA, 3);
	REQUIRE(page, "all 8 ZONE_DMA pages are back");
	CHECK(PageFlag(page, PG_dma) && PageFlag(page + 7, PG_dma),
	      "ZONE_DMA came back with PG_dma");
	CHECK(!alloc_pages_node(0, GFP_DMA | __GFP_NOWARN, 0), "and there were only 8");
	__free_pages(page, 3);
	CHECK_EQ(pa_shutdown(), 0);

	/* shutdown cleared the chain */
	REQUIRE(pa_boot(pa_config(1, 8)) == 0, "a fresh boot");
	memset(&memrec, 0, sizeof(memrec));
	CHECK_EQ(pa_offline_node(0), 0);
	CHECK_EQ(memrec.n, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

/* ---- sanitizer state: free pages are poisoned, handed-out pages are not ---- */

#include "track.h"

TEST(page_alloc_sanitizer_state)
{
	struct page *page, *zeroed;
	char *addr;

	REQUIRE(pa_boot(pa_config(1, 16)) == 0, "one node of 16 pages");
	page = alloc_pages_node(0, GFP_KERNEL, 1);
	zeroed = alloc_pages_node(0, GFP_KERNEL | __GFP_ZERO, 0);
	REQUIRE(page && zeroed, "two allocations");
	addr = page_address(page);
	CHECK(pa_addr_valid(addr + 2 * PAGE_SIZE - 1), "the block lies in the arena");
#ifdef SLUB_TRACK_ASAN
	CHECK(!__asan_region_is_poisoned(addr, 2 * PAGE_SIZE), "allocated pages are usable");
	/* pfns 0-1 are page, 2 is zeroed, 3 is still free */
	CHECK(!__asan_region_is_poisoned(addr + 2 * PAGE_SIZE, PAGE_SIZE), "zeroed is usable");
	CHECK(__asan_address_is_poisoned(addr + 3 * PAGE_SIZE), "pfn 3 is free");
	__free_pages(page, 1);
	CHECK(__asan_address_is_poisoned(addr), "freed pages are poisoned");
	CHECK(__asan_address_is_poisoned(addr + 2 * PAGE_SIZE - 1), "to the last byte");
#elif defined(SLUB_TRACK_MSAN)
	CHECK(__msan_test_shadow(addr, 2 * PAGE_SIZE) == 0, "fresh pages are uninitialised");
	CHECK(__msan_test_shadow(page_address(zeroed), PAGE_SIZE) == -1, "zeroed pages are not");
	__free_pages(page, 1);
#else
	__free_pages(page, 1);
#endif
	__free_pages(zeroed, 0);
	CHECK_EQ(pa_shutdown(), 0);
}

TEST(page_alloc_discard)
{
	struct page *page;

	REQUIRE(pa_boot(pa_config(2, 32)) == 0, "2 nodes of 32 pages");
	page = alloc_pages_node(1, GFP_KERNEL, 2);
	REQUIRE(page, "an order-2 block");
	capture_reports();
	pa_discard();
	CHECK_EQ(seen.count[SLUB_REPORT_LEAK], 0); /* quiet, unlike pa_shutdown */
	CHECK_EQ(pa_pages_in_use(), 0);
	CHECK_EQ(pa_node_pages_in_use(1), 0);
	CHECK(!node_state(1, N_NORMAL_MEMORY), "node states are cleared");
	REQUIRE(pa_boot(pa_config(1, 16)) == 0, "boots again after a discard");
	CHECK_EQ(pa_node_pages_free(0), 16);
	CHECK_EQ(pa_shutdown(), 0);
}
