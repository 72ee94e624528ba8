/* test_model.c - the fuzz oracle's shadow model (fuzz/model.c): each case plants the violation
 * a check exists for, in a booted allocator, and requires the finding that names it; and the
 * same check passes on the untouched state. */
#include <string.h>

#include "harness.h"
#include "findings.h"
#include "helpers.h"

static struct fz_state mx;
static struct prog mprog;
static const struct fuzz_target mtarget = { .name = "unit", .max_events = PROG_MAX_EVENTS };

/* Boots nodes x 512 pages with the harness's hooks and the model following it. */
static int model_boot(int nodes, int cpus, int kmin)
{
	struct slub_config cfg;

	memset(&mx, 0, sizeof(mx));
	memset(&mprog, 0, sizeof(mprog));
	prog_boot_default(&mprog.boot);
	mprog.boot.nodes = nodes;
	mprog.boot.cpus = cpus;
	mprog.boot.kmalloc_min = kmin;
	for (int n = 0; n < nodes && n < PROG_NEAR_NODES; n++)
		mprog.boot.near[n].pages = 512;
	mx.target = &mtarget;
	mx.prog = &mprog;
	mx.nodes = nodes;
	mx.cpus = cpus;
	mx.fb[0].busy_slot = -1;
	for (int i = 0; i < PROG_NSLOTS; i++)
		mx.obj[i].cache = -1;
	for (int n = 0; n < nodes; n++)
		mx.node_online[n] = 1;
	for (int c = 0; c < cpus; c++)
		mx.cpu_online[c] = 1;
	helpers_config(&cfg, nodes, cpus, 512);
	cfg.kmalloc_min_size = kmin;
	fz_model_begin(&mx);
	if (helpers_boot(&cfg))
		return -1;
	slub_set_page_alloc_hook(fz_pa_hook, &mx);
	fz_model_boot_step_done(&mx);
	mx.cur = 0;
	return 0;
}

static unsigned long model_shutdown(void)
{
	for (int i = 0; i < PROG_NSLOTS; i++)
		fz_obj_release(&mx, i, "at the end of the test");
	for (int c = 0; c < PROG_NCACHES; c++)
		fz_cache_destroy(&mx, c);
	fz_model_end(&mx);
	slub_set_page_alloc_hook(NULL, NULL);
	return helpers_shutdown();
}

#define CHECK_FINDING(text) CHECK_FINDING_OF(&mx, text)
#define CHECK_NO_FINDING() CHECK_NO_FINDING_OF(&mx)

static void model_kmalloc(int slot, size_t size, gfp_t gfp, int node)
{
	void *p = node >= 0 ? kmalloc_node(size, gfp, node) : kmalloc(size, gfp);

	fz_obj_install(&mx, slot, p, -1, size, gfp, node, node >= 0 ? "kmalloc_node" : "kmalloc");
}

TEST(model_get_slab_index)
{
	REQUIRE(!model_boot(1, 1, 8));
	CHECK_EQ(fz_model_kmalloc_index(&mx, 8), 3);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 80), 1);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 100), 7);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 150), 2);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 193), 8);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 2 * PAGE_SIZE), PAGE_SHIFT + 1);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 2 * PAGE_SIZE + 1), -1);
	mprog.boot.kmalloc_min = 64; /* the table alone: no 96-byte cache, sizes up to 64 low */
	CHECK_EQ(fz_model_kmalloc_index(&mx, 8), 6);
	CHECK_EQ(fz_model_kmalloc_index(&mx, 80), 7);
	mprog.boot.kmalloc_min = 128;
	CHECK_EQ(fz_model_kmalloc_index(&mx, 150), 8);
	mprog.boot.kmalloc_min = 8;
	CHECK_EQ(model_shutdown(), 0);
}

/* An object whose page is a slab of another cache than the one get_slab names. */
TEST(model_owner_wrong_cache)
{
	REQUIRE(!model_boot(1, 1, 8));
	model_kmalloc(0, 80, GFP_KERNEL, -1);
	CHECK_NO_FINDING();
	CHECK(mx.obj[0].slab == kmalloc_caches[1], "kmalloc(80) is kmalloc-96's");
	mx.obj[0].slab = kmalloc_caches[7]; /* planted: the shadow says kmalloc-128 */
	fz_model_check_owner(&mx, 0, "planted");
	CHECK_FINDING("came from kmalloc-128, but its page is a slab of kmalloc-96");
	mx.obj[0].slab = kmalloc_caches[1];
	CHECK_EQ(model_shutdown(), 0);
}

/* A node request answered from another node while the node had pages. */
TEST(model_node_placement)
{
	if (!FZ_NUMA)
		return; /* one node: nothing to place */
	REQUIRE(!model_boot(2, 1, 8));
	mx.fb[0].nr_reqs = 0;
	model_kmalloc(0, 300, GFP_KERNEL, 1);
	CHECK_NO_FINDING();
	CHECK_EQ(slub_addr_to_node(mx.obj[0].addr), 1);
	/* planted: the same object judged as the answer to a request for node 0 */
	fz_model_check_new(&mx, 0, GFP_KERNEL, 0, "planted");
	CHECK_FINDING("for node 0 returned an object on node 1, but node 0 could give");
	CHECK_EQ(model_shutdown(), 0);
}

/* The touched cache's lists: a frozen slab on the partial list, a wrong nr_partial. */
TEST(model_partial_list)
{
	struct kmem_cache_node *n;
	struct page *page;

	REQUIRE(!model_boot(1, 1, 8));
	model_kmalloc(0, 500, GFP_KERNEL, -1);
	mx.fb[0].nr_reqs = 0;
	fz_model_event_end(&mx);
	CHECK_NO_FINDING();
	page = virt_to_head_page(mx.obj[0].addr);
	n = get_node(page->slab, 0);
	list_add(&page->lru, &n->partial); /* planted: the cpu slab on the list */
	n->nr_partial++;
	fz_model_touch(&mx, page->slab, 0);
	fz_model_event_end(&mx);
	CHECK_FINDING("is frozen (a cpu slab)");
	list_del(&page->lru); /* planted: nr_partial still counts it */
	fz_model_touch(&mx, page->slab, 0);
	fz_model_event_end(&mx);
	CHECK_FINDING("slabs on the partial list");
	n->nr_partial--;
	CHECK_EQ(model_shutdown(), 0);
}

/* Full slabs kept on the full list of a cache without SLAB_STORE_USER. */
TEST(model_full_list)
{
	struct kmem_cache_node *n;
	struct page *page;

	REQUIRE(!model_boot(1, 1, 8));
	model_kmalloc(0, 500, GFP_KERNEL, -1);
	page = virt_to_head_page(mx.obj[0].addr);
	n = get_node(page->slab, 0);
	__ClearPageSlubFrozen(page);
	list_add(&page->lru, &n->full); /* planted */
	fz_model_touch(&mx, page->slab, 0);
	fz_model_event_end(&mx);
	CHECK_FINDING("full list without SLAB_STORE_USER");
	list_del(&page->lru);
	__SetPageSlubFrozen(page);
	CHECK_EQ(model_shutdown(), 0);
}

/* nr_slabs / total_objects drift after the event that changed them. */
TEST(model_counters)
{
	struct kmem_cache_node *n;
	struct kmem_cache *s;

	REQUIRE(!model_boot(1, 1, 8));
	model_kmalloc(0, 700, GFP_KERNEL, -1);
	fz_model_event_end(&mx);
	CHECK_NO_FINDING();
	s = mx.obj[0].slab;
	n = get_node(s, 0);
	n->total_objects += 3; /* planted */
	fz_model_touch(&mx, s, 0);
	fz_model_event_end(&mx);
	CHECK_FINDING("kmalloc-1024 node 0 counts");
	n->total_objects -= 3;
	CHECK_EQ(model_shutdown(), 0);
}

/* After shrink: cpu slabs flushed, no empty slab, the partial list fullest first. */
TEST(model_shrink)
{
	struct kmem_cache *s;
	int objects;

	REQUIRE(!model_boot(1, 1, 8));
	fz_cache_create(&mx, 0, 1000, 0, 1 << 1 /* RECLAIM_ACCOUNT: a cache of its own */, 0);
	s = mx.cache[0].s;
	REQUIRE(s && fz_model_cache_is_new(s));
	objects = oo_objects(s->oo);
	REQUIRE(objects >= 4 && 3 * objects <= PROG_NSLOTS);
	for (int i = 0; i < 3 * objects; i++)
		fz_obj_install(&mx, i, kmem_cache_alloc(s, GFP_KERNEL), 0, 1000, GFP_KERNEL, -1,
			       "kmem_cache_alloc");
	/* slab 1 keeps one object, slab 2 all but one: frees add them to the tail, 1 then 2 */
	for (int i = 1; i < objects; i++)
		fz_obj_release(&mx, i, "free");
	fz_obj_release(&mx, objects, "free");
	CHECK_NO_FINDING();
	fz_model_after_shrink(&mx, s); /* planted: judged as if shrink had run */
	CHECK_FINDING("left cpu 0's slab in place");
	flush_all(s);
	fz_model_after_shrink(&mx, s);
	CHECK_FINDING("partial list unsorted");
	CHECK_EQ(kmem_cache_shrink(s), 0);
	fz_model_after_shrink(&mx, s);
	CHECK_NO_FINDING();
	CHECK_EQ(model_shutdown(), 0);
}

/* find_mergeable's rule, as the model states it. */
TEST(model_merge_rule)
{
	struct kmem_cache *t;

	REQUIRE(!model_boot(1, 1, 8));
	t = fz_model_merge_target(&mx, "fz-a", 40, 64, 0, 0);
	CHECK(t == kmalloc_caches[6], "size 40 align 64 merges into kmalloc-64, got %s",
	      t ? t->name : "none");
	CHECK(fz_model_merge_target(&mx, "fz-b", 60, 0, 0, 0) == kmalloc_caches[6]);
	CHECK(!fz_model_merge_target(&mx, "fz-c", 64, 0, SLAB_RECLAIM_ACCOUNT, 0));
	CHECK(!fz_model_merge_target(&mx, "fz-d", 64, 0, SLAB_RED_ZONE, 0));
	CHECK(!fz_model_merge_target(&mx, "fz-e", 64, 0, 0, 1));
	CHECK(!fz_model_merge_target(&mx, "fz-f", 50, 0, 0, 0), "56 is no kmalloc size");
	mprog.boot.nomerge = 1;
	CHECK(!fz_model_merge_target(&mx, "fz-g", 64, 0, 0, 0));
	mprog.boot.nomerge = 0;
	CHECK_EQ(model_shutdown(), 0);
}

/* NULL with no failure on the allocation's own path, or after a request that can be met. */
TEST(model_null_excuses)
{
	REQUIRE(!model_boot(1, 1, 8));
	mx.fb[0].ev_oom_start = slub_pages_oom_count();
	mx.fb[0].irq_injected = 1; /* planted: a failure inside an interrupt, none in the call */
	fz_check_null(&mx, "kmalloc");
	CHECK_FINDING("no page allocation on its path failed");
	mx.fb[0].outer_injected = 1;
	mx.fb[0].last_req.injected = 0; /* planted: the last request, an order-1 one, did not fail */
	mx.fb[0].last_req.order = 1;
	mx.fb[0].last_req.node = 0;
	mx.fb[0].last_req.gfp = GFP_KERNEL;
	fz_check_null(&mx, "kmalloc");
	CHECK_FINDING("order-1 page request");
	mx.fb[0].last_req.injected = 1;
	fz_check_null(&mx, "kmalloc");
	CHECK_NO_FINDING();
	CHECK_EQ(model_shutdown(), 0);
}

/* An emptied slab left behind by a free: neither frozen nor discarded. */
TEST(model_after_free)
{
	struct page *page;
	struct kmem_cache *s;
	u16 inuse;

	REQUIRE(!model_boot(1, 1, 8));
	model_kmalloc(0, 2000, GFP_KERNEL, -1);
	s = mx.obj[0].slab;
	page = virt_to_head_page(mx.obj[0].addr);
	inuse = page->inuse;
	__ClearPageSlubFrozen(page);
	page->inuse = 0; /* planted: as if the free had left it empty */
	fz_model_after_free(&mx, s, page, "planted");
	CHECK_FINDING("is neither a cpu slab nor discarded");
	page->inuse = inuse;
	__SetPageSlubFrozen(page);
	CHECK_EQ(model_shutdown(), 0);
}

/* A corrupt event whose report never reaches the harness is a finding. */
TEST(model_corrupt_needs_report)
{
	void *p;

	REQUIRE(!model_boot(1, 1, 8));
	fz_cache_create(&mx, 0, 100, 0, 1 << 5 /* RED_ZONE */, 0);
	REQUIRE(mx.cache[0].s);
	fz_obj_install(&mx, 0, kmem_cache_alloc(mx.cache[0].s, GFP_KERNEL), 0, 100, GFP_KERNEL, -1,
		       "kmem_cache_alloc");
	slub_set_report_hook(fz_report_hook, &mx);
	fz_model_corrupt(&mx, 0, CO_REDZONE, 0x11, 0, 0);
	CHECK_NO_FINDING();
	CHECK(!mx.obj[0].addr, "the object was freed after the FIX");
	fz_obj_install(&mx, 0, kmem_cache_alloc(mx.cache[0].s, GFP_KERNEL), 0, 100, GFP_KERNEL, -1,
		       "kmem_cache_alloc");
	helpers_install_report_hook(); /* planted: the report goes elsewhere */
	p = mx.obj[0].addr;
	fz_model_corrupt(&mx, 0, CO_REDZONE, 0x11, 0, 0);
	CHECK_FINDING("slub_debug gave no \"Redzone overwritten\" report");
	CHECK_EQ(reports_seen[SLUB_REPORT_SLAB_ERR], 1);
	kmem_cache_free(mx.cache[0].s, p); /* the failed free kept it; the FIX restored it */
	CHECK_EQ(model_shutdown(), 0);
}

/*
 * corrupt_at writes any byte of a slab's padding. fixed restores exactly what was overwritten;
 * 2.6.36's FIX restored from end - remainder after end had moved back to the overwritten byte,
 * over the last object (UPSTREAM_PAD_RESTORE_RANGE): the seed build must be caught by it.
 * (At 62 the seed's FIX covers one byte of the last object's pad, already POISON_INUSE.)
 */
TEST(model_corrupt_at_padding_offsets)
{
	/* DEBUG_FREE | RED_ZONE | POISON: 200-byte objects of 224 bytes, 64 bytes of padding */
	int32_t flags = (1 << 4) | (1 << 5) | (1 << 6);
	/*
	 * 63: the last byte, where corrupt writes (exact on both variants); 17 on seed: the FIX
	 * then covers 46 bytes before the padding, the last object's red zone and poison
	 */
	uint32_t offsets[] = { 63, 17, 62, 1, 0 };

	REQUIRE(!model_boot(1, 1, 8));
	fz_cache_create(&mx, 0, 200, 0, flags, 0);
	REQUIRE(mx.cache[0].s);
	slub_set_report_hook(fz_report_hook, &mx);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		fz_obj_install(&mx, 0, kmem_cache_alloc(mx.cache[0].s, GFP_KERNEL), 0, 200,
			       GFP_KERNEL, -1, "kmem_cache_alloc");
		REQUIRE(mx.obj[0].addr);
		fz_model_corrupt(&mx, 0, CO_PADDING, 0x11, 1, offsets[i]);
#ifdef SLUB_BOOTSTRAP_SEED
		if (offsets[i] < 63) {
			CHECK_FINDING("validate after slub_debug's FIX still finds problems");
			break; /* the seed's FIX overwrote the last object: nothing after is sure */
		}
#endif
		CHECK_NO_FINDING();
		CHECK(!mx.obj[0].addr, "the object was freed (offset %u)", offsets[i]);
	}
	slub_set_report_hook(NULL, NULL);
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(model_shutdown(), 0);
#endif
}

/*
 * fill holds a slab and a half of 8-byte objects (512 to an order-0 slab) in one event, and
 * pool_free frees them in any order; a pool object whose bytes changed while held is a
 * finding when it is freed, as a slot object's is.
 */
TEST(model_pool_fill_and_free)
{
	struct page *first;
	int pages = 1;

	REQUIRE(!model_boot(1, 1, 8));
	fz_cache_create(&mx, 0, 8, 0, 0, 0);
	REQUIRE(mx.cache[0].s);
	fz_pool_fill(&mx, 0, 800, 0, UNTIL_COUNT);
	CHECK_NO_FINDING();
	CHECK_EQ(mx.pool_n, 800);
	first = virt_to_head_page(fz_obj_at(&mx, PROG_NSLOTS)->addr);
	for (int i = 1; i < mx.pool_n; i++)
		if (virt_to_head_page(fz_obj_at(&mx, PROG_NSLOTS + i)->addr) != first)
			pages++;
	CHECK(pages > 512 / 2, "800 objects in more than one slab (%d outside the first)", pages);
	/* until=slab stops at the allocation that took a new slab */
	fz_pool_fill(&mx, 0, PROG_POOL, 0, UNTIL_SLAB);
	CHECK_NO_FINDING();
	CHECK(mx.pool_n > 800 && mx.pool_n < 800 + 512 + 1, "until=slab stopped at %d", mx.pool_n);
	fz_pool_free(&mx, 300, POOL_STRIDE, 3);
	CHECK_NO_FINDING();
	CHECK(mx.pool_n > 0, "pool left: %d", mx.pool_n);
	fz_obj_at(&mx, PROG_NSLOTS + 5)->addr[3] ^= 0xff; /* planted: another owner's write */
	fz_pool_free(&mx, PROG_POOL, POOL_LIFO, 2);
	CHECK_FINDING("not the");
	CHECK_EQ(mx.pool_n, 5); /* newest first, stopping after the planted object: 0..4 held */
	fz_pool_free(&mx, PROG_POOL, POOL_FIFO, 2);
	CHECK_NO_FINDING();
	CHECK_EQ(mx.pool_n, 0);
	CHECK_EQ(model_shutdown(), 0);
}

/* should_failslab's NULL is excused on its own path only; any other NULL is a finding. */
TEST(model_failslab_null_excused)
{
	struct kmem_cache *s;
	void *p;

	REQUIRE(!model_boot(1, 1, 8));
	s = kmem_cache_create("fs-model", 64, 0, SLAB_RED_ZONE, NULL); /* unmergeable */
	REQUIRE(s, "create");
	s->flags |= SLAB_FAILSLAB;
	slub_set_fault_hook(fz_fault_hook, &mx);
	mx.failslab_count = 1;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(!p, "should_failslab failed it");
	CHECK_EQ(mx.fb[0].failslab_outer, 1);
	fz_obj_install(&mx, 0, p, -1, 64, GFP_KERNEL, -1, "kmem_cache_alloc");
	CHECK_NO_FINDING();
	/* the same NULL with no failslab decision on the path */
	mx.fb[0].failslab_outer = mx.fb[0].outer_injected = mx.fb[0].ev_injected = 0;
	fz_check_null(&mx, "kmem_cache_alloc");
	CHECK_FINDING("returned NULL, but no page allocation on its path failed");
	/* a failslab failure inside an interrupt excuses only the interrupt's NULL */
	mx.fb[0].failslab_irq = mx.fb[0].irq_injected = 1;
	fz_check_null(&mx, "kmem_cache_alloc");
	CHECK_FINDING("returned NULL, but no page allocation on its path failed");
	mx.fb[0].in_irq = 1;
	fz_check_null(&mx, "kmem_cache_alloc in an interrupt");
	CHECK_NO_FINDING();
	mx.fb[0].in_irq = 0;
	mx.fb[0].failslab_irq = mx.fb[0].irq_injected = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL); /* the count is spent: no more failures */
	CHECK(p, "alloc");
	kmem_cache_free(s, p);
	slub_set_fault_hook(NULL, NULL);
	s->flags &= ~SLAB_FAILSLAB;
	kmem_cache_destroy(s);
	CHECK_EQ(model_shutdown(), 0);
}
