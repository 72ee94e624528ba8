/* test_space.c - the space oracle (fuzz/space.c): each case plants a waste of memory the
 * oracle exists to catch, in a booted allocator followed by the model, and requires the
 * finding that names it; the legal cases (2.6.36's allowances) must give none. */
#include <string.h>

#include "harness.h"
#include "findings.h"
#include "helpers.h"

static struct fz_state sx;
static struct prog sprog;
static const struct fuzz_target starget = { .name = "unit", .max_events = PROG_MAX_EVENTS };

static void space_ctor(void *p)
{
	(void)p; /* a constructor keeps the test cache apart from kmalloc-512 (no merge) */
}

/* Boots nodes x 512 pages, cpus cpus, with the harness's hooks, the model and the oracle. */
static int space_boot(int nodes, int cpus)
{
	struct slub_config cfg;

	memset(&sx, 0, sizeof(sx));
	memset(&sprog, 0, sizeof(sprog));
	prog_boot_default(&sprog.boot);
	sprog.boot.nodes = nodes;
	sprog.boot.cpus = cpus;
	sx.target = &starget;
	sx.prog = &sprog;
	sx.nodes = nodes;
	sx.cpus = cpus;
	sx.fb[0].busy_slot = -1;
	for (int i = 0; i < PROG_NSLOTS; i++)
		sx.obj[i].cache = -1;
	helpers_config(&cfg, nodes, cpus, 512);
	fz_model_begin(&sx);
	if (helpers_boot(&cfg))
		return -1;
	slub_set_page_alloc_hook(fz_pa_hook, &sx);
	fz_model_boot_step_done(&sx);
	return 0;
}

static unsigned long space_shutdown(void)
{
	fz_model_end(&sx);
	slub_set_page_alloc_hook(NULL, NULL);
	return helpers_shutdown();
}

#define CHECK_SPACE_FINDING(text) CHECK_FINDING_OF(&sx, text)
#define CHECK_NO_SPACE_FINDING() CHECK_NO_FINDING_OF(&sx)

#define SPACE_MAX_OBJS 512

static struct kmem_cache *space_cache(void)
{
	return kmem_cache_create("space_test", 512, 0, 0, space_ctor);
}

/* Allocates on the current cpu until the slab of the first object is full; returns how many. */
static int fill_one_slab(struct kmem_cache *s, void **objs)
{
	int n = 0;

	objs[n++] = kmem_cache_alloc(s, GFP_KERNEL);
	while (n < SPACE_MAX_OBJS) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		if (virt_to_head_page(p) != virt_to_head_page(objs[0])) {
			kmem_cache_free(s, p);
			break;
		}
		objs[n++] = p;
	}
	return n;
}

static void free_all(struct kmem_cache *s, void **objs, int n)
{
	for (int i = 0; i < n; i++)
		if (objs[i])
			kmem_cache_free(s, objs[i]);
}

/* A new slab while a partial slab of the node had room (get_partial planted blind). */
TEST(space_new_slab_beside_partial)
{
	static void *objs[SPACE_MAX_OBJS];
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	unsigned long nr;
	int filled;

	REQUIRE(!space_boot(1, 1));
	REQUIRE((s = space_cache()) != NULL);
	filled = fill_one_slab(s, objs);
	REQUIRE(filled > 1);
	/* the next object opens a second slab: the first is full, nothing wasted */
	objs[filled] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_NO_SPACE_FINDING();
	/* the first slab gets a free object and goes on the partial list */
	kmem_cache_free(s, objs[0]);
	objs[0] = NULL;
	n = get_node(s, 0);
	REQUIRE(n->nr_partial == 1);
	/* planted: get_partial_node sees an empty count and passes the list by */
	nr = n->nr_partial;
	n->nr_partial = 0;
	for (int i = filled + 1; i < SPACE_MAX_OBJS && !sx.failed; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	n->nr_partial = nr;
	CHECK_SPACE_FINDING("new slab of space_test on node 0 while 1 slab(s) of it there had a "
			    "free object");
	free_all(s, objs, SPACE_MAX_OBJS);
	memset(objs, 0, sizeof(objs));
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* An empty slab deactivated and discarded with nr_partial below min_partial; and at it. */
TEST(space_discard_below_min_partial)
{
	struct kmem_cache *s;
	struct page *page;
	void *p;

	REQUIRE(!space_boot(1, 1));
	REQUIRE((s = space_cache()) != NULL);
	set_min_partial(s, MIN_PARTIAL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	page = virt_to_head_page(p);
	kmem_cache_free(s, p);
	flush_all(s); /* an empty cpu slab, nr_partial 0 < min_partial: kept */
	CHECK_NO_SPACE_FINDING();
	CHECK_EQ(get_node(s, 0)->nr_partial, 1);
	/* planted: unfreeze_slab's discard of that slab although nr_partial < min_partial */
	remove_partial(s, page);
	slub_stat_observer(s, DEACTIVATE_EMPTY);
	slub_stat_observer(s, FREE_SLAB);
	discard_slab(s, page);
	CHECK_SPACE_FINDING("was deactivated and discarded with nr_partial 0 below min_partial 5");
	/* legal: with min_partial 0 the deactivated empty slab goes back */
	s->min_partial = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	flush_all(s);
	CHECK_NO_SPACE_FINDING();
	CHECK_EQ(get_node(s, 0)->nr_slabs, 0);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* Empty slabs kept on the partial list: min_partial of them legal, one more reported. */
TEST(space_empty_kept_past_min_partial)
{
	struct kmem_cache_node *n;
	struct kmem_cache *s;

	REQUIRE(!space_boot(1, 1));
	REQUIRE((s = space_cache()) != NULL);
	set_min_partial(s, MIN_PARTIAL);
	n = get_node(s, 0);
	for (unsigned long i = 0; i <= s->min_partial; i++) {
		struct page *page = new_slab(s, GFP_KERNEL, 0);

		REQUIRE(page != NULL);
		add_partial(n, page, 1); /* planted: kept, as unfreeze_slab keeps an empty slab */
		fz_model_event_end(&sx);
		if (i < s->min_partial)
			CHECK_NO_SPACE_FINDING();
	}
	CHECK_SPACE_FINDING("keeps 6 empty slabs on its partial list, past min_partial 5");
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* A slab no request can use and nothing frees: more slabs than the live objects need. */
TEST(space_slabs_past_need)
{
	struct kmem_cache *s;
	struct page *page;

	REQUIRE(!space_boot(1, 1));
	REQUIRE((s = space_cache()) != NULL);
	fz_model_event_end(&sx);
	CHECK_NO_SPACE_FINDING();
	page = new_slab(s, GFP_KERNEL, 0); /* planted: on no list, no cpu's, never discarded */
	REQUIRE(page != NULL);
	fz_model_event_end(&sx);
	CHECK_SPACE_FINDING("space_test node 0 has 1 slabs, but its live objects need 0");
	add_partial(get_node(s, 0), page, 1);
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* Legal: a remote partial slab passed over when remote_node_defrag_ratio says no. */
TEST(space_remote_partial_legal)
{
	void *a, *b, *c, *d;
	struct kmem_cache *s;

	if (!FZ_NUMA)
		return;
	REQUIRE(!space_boot(2, 2));
	REQUIRE((s = space_cache()) != NULL);
	slub_set_cpu(1); /* node 1 */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	flush_all(s); /* a partial slab with room on node 1 */
	CHECK_EQ(get_node(s, 1)->nr_partial, 1);
	slub_set_cpu(0);
#ifndef SLUB_CONFIG_NONUMA
	s->remote_node_defrag_ratio = 0;
#endif
	b = kmem_cache_alloc(s, GFP_KERNEL); /* a new slab on node 0 */
	CHECK_EQ(slub_addr_to_node(b), 0);
	flush_all(s);
	c = kmem_cache_alloc_node(s, GFP_KERNEL, 0); /* node 0's partial slab */
	CHECK_NO_SPACE_FINDING();
	CHECK_EQ(get_node(s, 1)->nr_partial, 1);
	/* the same remote slab, asked for by node: taken from the list, no new slab */
	d = kmem_cache_alloc_node(s, GFP_KERNEL, 1);
	CHECK_EQ(slub_addr_to_node(d), 1);
	CHECK_NO_SPACE_FINDING();
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kmem_cache_free(s, d);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* Legal: another cpu's cpu slab has room, but it is frozen: not this request's. */
TEST(space_other_cpu_slab_legal)
{
	struct kmem_cache *s;
	void *a, *b;

	REQUIRE(!space_boot(1, 2));
	REQUIRE((s = space_cache()) != NULL);
	slub_set_cpu(1);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	slub_set_cpu(0);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(virt_to_head_page(a) != virt_to_head_page(b), "cpu 0 took a slab of its own");
	CHECK_NO_SPACE_FINDING();
	fz_model_event_end(&sx);
	CHECK_NO_SPACE_FINDING();
	kmem_cache_free(s, b);
	slub_set_cpu(1);
	kmem_cache_free(s, a);
	slub_set_cpu(0);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}

/* Legal: a __GFP_THISNODE request for node 0 takes a new slab there beside node 1's room. */
TEST(space_thisnode_other_node_legal)
{
	struct kmem_cache *s;
	void *a, *b;

	if (!FZ_NUMA)
		return;
	REQUIRE(!space_boot(2, 2));
	REQUIRE((s = space_cache()) != NULL);
	slub_set_cpu(1);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	flush_all(s); /* node 1: a partial slab with room */
	b = kmem_cache_alloc_node(s, GFP_KERNEL | GFP_THISNODE, 0);
	REQUIRE(b != NULL);
	CHECK_EQ(slub_addr_to_node(b), 0);
	CHECK_NO_SPACE_FINDING();
	fz_model_event_end(&sx);
	CHECK_NO_SPACE_FINDING();
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	slub_set_cpu(0);
	kmem_cache_destroy(s);
	CHECK_EQ(space_shutdown(), 0);
}
