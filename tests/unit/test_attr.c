/* test_attr.c - the sysfs attribute files (allocator/slab_attr.c), should_failslab and the
 * alloc_percpu failure (allocator/failslab.c): each store's precondition and effect, the reads'
 * counts, and the unwind a failed per-cpu allocation takes. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static char page_buf[PAGE_SIZE + 1];

static void boot_nomerge(int nodes, int cpus)
{
	struct slub_config cfg;

#ifndef CONFIG_NUMA
	nodes = 1; /* a !CONFIG_NUMA kernel has one node */
#endif
	helpers_config(&cfg, nodes, cpus, 1024);
	cfg.slub_nomerge = 1; /* each cache under its own name: no unique-id refusals */
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
}

static long store(struct kmem_cache *s, const char *attr, const char *text)
{
	return slab_attr_store(s, attr, text, strlen(text));
}

static const char *show(struct kmem_cache *s, const char *attr, long *rc)
{
	memset(page_buf, 0, sizeof(page_buf));
	*rc = slab_attr_show(s, attr, page_buf);
	return page_buf;
}

/* red_zone/poison/store_user: -EBUSY while any slab exists, a re-layout once none does. */
TEST(attr_layout_store_busy_with_objects)
{
	struct kmem_cache *s;
	void *p;
	int size;

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-a", 100, 0, 0, NULL);
	REQUIRE(s, "create");
	size = s->size;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	CHECK_EQ(any_slab_objects(s), 1);
	CHECK_EQ(store(s, "red_zone", "1"), -EBUSY);
	CHECK_EQ(store(s, "poison", "1"), -EBUSY);
	CHECK_EQ(store(s, "store_user", "1"), -EBUSY);
	CHECK(!(s->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)), "flags unchanged");
	CHECK_EQ(s->size, size);
	kmem_cache_free(s, p);
	/* the emptied cpu slab still counts: shrink returns it */
	CHECK_EQ(kmem_cache_shrink(s), 0);
	CHECK_EQ(any_slab_objects(s), 0);
	CHECK_EQ(store(s, "red_zone", "1"), 1);
	CHECK(s->flags & SLAB_RED_ZONE, "red zone on");
	CHECK(s->size > size, "the red zone words make the object bigger (%d)", s->size);
	CHECK_EQ(store(s, "store_user", "1"), 1);
	CHECK(s->flags & SLAB_STORE_USER, "store_user on");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc after the re-layout");
	memset(p, 0x11, 100);
	kmem_cache_free(s, p);
	CHECK_EQ(validate_slab_cache(s), 1);
	CHECK_EQ(reports_seen[SLUB_REPORT_SLAB_ERR], 0);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* poison_store "0" after "1": the free pointer goes back into the object (fixed only). */
TEST(attr_poison_off_moves_free_pointer_back)
{
	struct kmem_cache *s;
	unsigned char *a, *b;

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-p", 64, 0, 0, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(store(s, "poison", "1"), 1);
	CHECK_EQ(s->offset, 64);
	CHECK_EQ(store(s, "poison", "0"), 1);
	CHECK_EQ(s->size, 64);
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(s->offset, 0);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(a && b, "alloc");
	memset(b, 0x5c, 64);
	kmem_cache_free(s, a);
	CHECK(b[0] == 0x5c && b[63] == 0x5c, "freeing a leaves its neighbour alone");
	kmem_cache_free(s, b);
#else
	CHECK_EQ(s->offset, 64); /* 2.6.36: stale, past s->size */
	(void)a;
	(void)b;
#endif
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* order_store re-lays a live cache: new slabs take the order, old ones keep theirs. */
TEST(attr_order_store_changes_oo)
{
	struct kmem_cache *s;
	void *p, *q;
	long rc;

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-o", 700, 0, 0, NULL);
	REQUIRE(s, "create");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	CHECK_EQ(store(s, "order", "1"), 1);
	CHECK_EQ(oo_order(s->oo), 1);
	CHECK_EQ(oo_objects(s->oo), 8192 / 704);
	CHECK(!strcmp(show(s, "order", &rc), "1\n"), "order reads back: %s", page_buf);
	CHECK_EQ(store(s, "order", "11"), -EINVAL); /* past slub_max_order */
	CHECK_EQ(store(s, "order", "x"), -EINVAL);
	CHECK_EQ(oo_order(s->oo), 1);
	kmem_cache_free(s, p);
	CHECK_EQ(kmem_cache_shrink(s), 0);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(q, "alloc at the new order");
	CHECK_EQ(compound_order(virt_to_head_page(q)), 1);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);

	s = kmem_cache_create("attr-big", 5000, 0, 0, NULL);
	REQUIRE(s, "create");
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(store(s, "order", "0"), -EINVAL); /* no 5000-byte object fits a page */
	CHECK(oo_objects(s->oo) > 0, "layout kept");
#else
	CHECK_EQ(store(s, "order", "0"), 1); /* 2.6.36 takes it */
	CHECK_EQ(oo_objects(s->oo), 0);
	CHECK_EQ(store(s, "order", "1"), 1);
#endif
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(attr_min_partial_and_defrag_ratio)
{
	struct kmem_cache *s;

	boot_nomerge(2, 1);
	s = kmem_cache_create("attr-m", 128, 0, 0, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(store(s, "min_partial", "0"), 1);
	CHECK_EQ(s->min_partial, MIN_PARTIAL);
	CHECK_EQ(store(s, "min_partial", "99"), 2);
	CHECK_EQ(s->min_partial, MAX_PARTIAL);
	CHECK_EQ(store(s, "min_partial", "7\n"), 2);
	CHECK_EQ(s->min_partial, 7);
	CHECK_EQ(store(s, "min_partial", "-1"), -EINVAL);
#ifdef CONFIG_NUMA
	CHECK_EQ(store(s, "remote_node_defrag_ratio", "30"), 2);
	CHECK_EQ(s->remote_node_defrag_ratio, 300);
	CHECK_EQ(store(s, "remote_node_defrag_ratio", "101"), 3);
	CHECK_EQ(s->remote_node_defrag_ratio, 300); /* out of range: taken, ignored */
#else
	CHECK_EQ(store(s, "remote_node_defrag_ratio", "30"), -ENOENT);
#endif
	CHECK_EQ(store(s, "slab_size", "1"), -EIO);
	CHECK_EQ(store(s, "shrink", "0"), -EINVAL);
	CHECK_EQ(store(s, "shrink", "1"), 1);
	CHECK_EQ(store(s, "validate", "1"), 1);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * sanity_checks/trace change under live objects. 2.6.36 only flips s->flags, so the cpu slab
 * loaded before stays lockless (c->node >= 0); fixed flushes it when debugging starts, so a
 * double free into it is caught (UPSTREAM_DEBUG_FLAG_LIVE_CPU_SLAB).
 */
TEST(attr_debug_flag_store_live)
{
	struct kmem_cache *s;
	void *p[4];

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-f", 64, 0, 0, NULL);
	REQUIRE(s, "create");
	for (int i = 0; i < 4; i++)
		REQUIRE((p[i] = kmem_cache_alloc(s, GFP_KERNEL)), "alloc");
	CHECK_EQ(store(s, "sanity_checks", "1"), 1);
	CHECK(kmem_cache_debug(s), "a debug cache now");
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_DEBUG_FLAG_LIVE_CPU_SLAB)
	CHECK(per_cpu_ptr(s->cpu_slab, 0)->page == NULL, "the lockless cpu slab was flushed");
	kmem_cache_free(s, p[0]); /* through free_debug_processing */
	CHECK_EQ(per_cpu_ptr(s->cpu_slab, 0)->stat[FREE_FASTPATH], 0);
#else
	/* 2.6.36: the cpu slab keeps its lockless freelist; same-cpu frees skip the checks */
	CHECK(per_cpu_ptr(s->cpu_slab, 0)->page != NULL, "the cpu slab stays");
	CHECK(per_cpu_ptr(s->cpu_slab, 0)->node >= 0, "and stays lockless");
	kmem_cache_free(s, p[0]); /* the fast path: free_debug_processing never sees it */
	CHECK_EQ(per_cpu_ptr(s->cpu_slab, 0)->stat[FREE_FASTPATH], 1);
#endif
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p[0], "alloc in debug mode");
	CHECK_EQ(store(s, "sanity_checks", "0"), 1);
	CHECK_EQ(store(s, "failslab", "1"), 1);
	CHECK(s->flags & SLAB_FAILSLAB, "failslab set");
	for (int i = 0; i < 4; i++)
		kmem_cache_free(s, p[i]);
	CHECK(validate_slab_cache(s) >= 0, "validate");
	CHECK_EQ(reports_seen[SLUB_REPORT_SLAB_ERR], 0);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* A mergeable cache filed under ":t-0000104" may not change a merge-relevant flag (fixed). */
TEST(attr_flag_store_keeps_unique_id)
{
	struct slub_config cfg;
	struct kmem_cache *s, *t;

	helpers_config(&cfg, 1, 1, 1024);
	REQUIRE(helpers_boot(&cfg) == 0, "boot");
	s = kmem_cache_create("attr-u", 100, 0, 0, NULL);
	REQUIRE(s, "create");
	REQUIRE(s->kobj.registered && s->kobj.name[0] == ':', "filed under a unique id: %s",
		s->kobj.name);
	CHECK_EQ(store(s, "min_partial", "8"), 1); /* not merge-relevant */
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(store(s, "failslab", "1"), -EBUSY);
	CHECK_EQ(store(s, "reclaim_account", "1"), -EBUSY);
	CHECK_EQ(store(s, "red_zone", "1"), -EBUSY);
	CHECK_EQ(store(s, "failslab", "0"), 1); /* no change */
	t = kmem_cache_create("attr-v", 100, 0, 0, NULL);
	CHECK(t == s, "the next create merges into it");
	if (t)
		kmem_cache_destroy(t);
#else
	(void)t;
#endif
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* alloc_calls/free_calls count every object in use by call site; without SLAB_STORE_USER,
 * -ENOSYS. show_slab_objects' nodes add up to its total. */
TEST(attr_list_locations_counts)
{
	struct kmem_cache *s;
	void *p[5];
	long rc;
	const char *text;

	boot_nomerge(2, 2);
	s = kmem_cache_create("attr-l", 80, 0, SLAB_STORE_USER, NULL);
	REQUIRE(s, "create");
	text = show(s, "alloc_calls", &rc);
	CHECK(!strcmp(text, "No data\n"), "an empty cache: %s", text);
	for (int i = 0; i < 5; i++)
		REQUIRE((p[i] = kmem_cache_alloc_node(s, GFP_KERNEL, i & 1)), "alloc");
	kmem_cache_free(s, p[4]);
	text = show(s, "alloc_calls", &rc);
	CHECK(rc == (long)strlen(text), "length %ld", rc);
	CHECK_EQ(strtol(text, NULL, 10), 4);
#ifdef CONFIG_NUMA
	CHECK(strstr(text, " nodes=0-1"), "both nodes: %s", text);
#endif
	text = show(s, "free_calls", &rc);
	CHECK(strstr(text, "4 <not-available>"), "never freed: %s", text);
	text = show(s, "objects", &rc);
#ifdef CONFIG_NUMA
	CHECK(!strcmp(text, "4 N0=2 N1=2\n"), "objects after the flush: %s", text);
	text = show(s, "slabs", &rc);
	CHECK(!strcmp(text, "2 N0=1 N1=1\n"), "slabs: %s", text);
#else
	CHECK(!strcmp(text, "4\n"), "objects after the flush: %s", text);
	text = show(s, "slabs", &rc);
	CHECK(!strcmp(text, "1\n") || !strcmp(text, "2\n"), "slabs: %s", text);
#endif
	for (int i = 0; i < 4; i++)
		kmem_cache_free(s, p[i]);
	text = show(s, "free_calls", &rc);
	CHECK(!strcmp(text, "No data\n"), "all free: %s", text);
	kmem_cache_destroy(s);

	s = kmem_cache_create("attr-n", 80, 0, 0, NULL);
	REQUIRE(s, "create");
	show(s, "alloc_calls", &rc);
	CHECK_EQ(rc, -ENOSYS);
	show(s, "nonexistent", &rc);
	CHECK_EQ(rc, -ENOENT);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

static int fault_asked[2], fault_fail[2];

static int counting_fault_hook(enum slub_fault what, const char *name, void *arg)
{
	(void)name;
	(void)arg;
	fault_asked[what]++;
	return fault_fail[what] > 0 && fault_fail[what]--;
}

/* should_failslab: asked only for SLAB_FAILSLAB caches, never for __GFP_NOFAIL. */
TEST(attr_should_failslab_only_failslab_caches)
{
	struct kmem_cache *s, *t;
	void *p;

	boot_nomerge(1, 1);
	s = kmem_cache_create("fs-a", 64, 0, 0, NULL);
	t = kmem_cache_create("fs-b", 64, 0, 0, NULL);
	REQUIRE(s && t, "create");
	CHECK_EQ(store(t, "failslab", "1"), 1);
	memset(fault_asked, 0, sizeof(fault_asked));
	fault_fail[SLUB_FAULT_FAILSLAB] = 100;
	slub_set_fault_hook(counting_fault_hook, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p, "a cache without SLAB_FAILSLAB is never failed");
	CHECK_EQ(fault_asked[SLUB_FAULT_FAILSLAB], 0);
	kmem_cache_free(s, p);
	CHECK(!kmem_cache_alloc(t, GFP_KERNEL), "the failslab cache fails");
	CHECK(!kmem_cache_alloc(t, GFP_ATOMIC), "atomic too");
	CHECK_EQ(fault_asked[SLUB_FAULT_FAILSLAB], 2);
	p = kmem_cache_alloc(t, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p, "__GFP_NOFAIL is never failed");
	CHECK_EQ(fault_asked[SLUB_FAULT_FAILSLAB], 2);
	kmem_cache_free(t, p);
	fault_fail[SLUB_FAULT_FAILSLAB] = 0;
	p = kmem_cache_alloc(t, GFP_KERNEL);
	CHECK(p, "the hook says go on");
	kmem_cache_free(t, p);
	slub_set_fault_hook(NULL, NULL);
	kmem_cache_destroy(s);
	kmem_cache_destroy(t);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* alloc_percpu fails in kmem_cache_open: create returns NULL, the unwind leaks nothing. */
TEST(attr_percpu_failure_unwinds_open)
{
	struct kmem_cache *s;
	unsigned long percpu;

	boot_nomerge(2, 2);
	percpu = slub_percpu_in_use();
	memset(fault_asked, 0, sizeof(fault_asked));
	fault_fail[SLUB_FAULT_PERCPU] = 1;
	slub_set_fault_hook(counting_fault_hook, NULL);
	s = kmem_cache_create("pc-a", 100, 0, 0, NULL);
	CHECK(!s, "kmem_cache_create fails with its per-cpu area");
	CHECK_EQ(fault_asked[SLUB_FAULT_PERCPU], 1);
	CHECK_EQ(slub_percpu_in_use(), percpu);
	CHECK(!slub_registry_lookup("pc-a"), "not registered");
	s = kmem_cache_create("pc-a", 100, 0, 0, NULL);
	CHECK(s, "the next one succeeds");
	slub_set_fault_hook(NULL, NULL);
	if (s)
		kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

#include "prog.h"

/* The new events survive text -> binary -> text, and every attribute name is one value. */
TEST(attr_events_text_roundtrip)
{
	static const char text[] = "#slubprog\n"
				   "boot nodes=2 cpus=2\n"
				   "attr_store cache=3 attr=red_zone value=1\n"
				   "attr_store cache=7 attr=remote_node_defrag_ratio value=255\n"
				   "attr_show cache=1 attr=alloc_calls\n"
				   "attr_show cache=0 attr=destroy_by_rcu\n"
				   "failslab nth=4 count=16\n"
				   "percpu_fail nth=0 count=1\n";
	static struct prog p, q;
	static uint8_t bin[4096];
	char err[256], *out = NULL;
	size_t len, outlen = 0;
	FILE *f;

	REQUIRE(prog_parse(&p, text, err, sizeof(err)) == 0, "parse: %s", err);
	REQUIRE(p.nr_events == 6, "6 events, got %d", p.nr_events);
	CHECK_EQ(p.ev[0].op, OP_ATTR_STORE);
	CHECK(!strcmp(prog_attr_names[p.ev[0].arg[1]], "red_zone"), "attr");
	CHECK_EQ(p.ev[0].arg[2], 1);
	CHECK_EQ(p.ev[4].op, OP_FAILSLAB);
	CHECK_EQ(p.ev[5].op, OP_PERCPU_FAIL);
	len = prog_encode(&p, bin, sizeof(bin));
	REQUIRE(len <= sizeof(bin), "encoded");
	prog_decode(&q, bin, len, PROG_MAX_EVENTS);
	REQUIRE(q.nr_events == p.nr_events, "decoded %d events", q.nr_events);
	CHECK(!memcmp(q.ev, p.ev, sizeof(p.ev[0]) * (size_t)p.nr_events), "same events");
	f = open_memstream(&out, &outlen);
	REQUIRE(f, "memstream");
	prog_print(f, &q, -1);
	fclose(f);
	CHECK(strstr(out, "attr_store cache=7 attr=remote_node_defrag_ratio value=255\n"), "%s", out);
	CHECK(strstr(out, "attr_show cache=0 attr=destroy_by_rcu\n"), "%s", out);
	CHECK(strstr(out, "percpu_fail nth=0 count=1\n"), "%s", out);
	free(out);
	for (int i = 0; i < prog_attr_count; i++)
		CHECK_EQ(prog_kind_decode(PK_ATTR, (uint32_t)i, &p.boot), i);
	/* a code no file holds yet reads as one of the files every release has (fuzz/prog.h) */
	CHECK_EQ(prog_kind_decode(PK_ATTR, (uint32_t)prog_attr_count, &p.boot),
		 prog_attr_count % 29);
	CHECK_EQ(prog_kind_decode(PK_ATTR, 64, &p.boot), 0);
	CHECK(prog_parse(&p, "#slubprog\nattr_show cache=0 attr=nonesuch\n", err, sizeof(err)),
	      "an unknown attribute is refused");
}

/*
 * order_store past MAX_OBJS_PER_PAGE objects: order 10 of a 24-byte cache would hold 174762,
 * which overflows oo's 16-bit count into its order (2.6.36 then reads back order 12).
 */
TEST(attr_order_store_past_max_objects)
{
	struct slub_config cfg;
	struct kmem_cache *s;

	helpers_config(&cfg, 1, 1, 4096);
	cfg.slub_nomerge = 1;
	cfg.slub_max_order = 10;
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
	s = kmem_cache_create("attr-tiny", 24, 0, 0, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(store(s, "order", "4"), 1); /* 2730 objects: fine */
	CHECK_EQ(oo_order(s->oo), 4);
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(store(s, "order", "10"), -EINVAL);
	CHECK_EQ(oo_order(s->oo), 4);
#else
	CHECK_EQ(store(s, "order", "10"), 2);
	CHECK_EQ(oo_order(s->oo), 12); /* the count spilled into the order */
	CHECK_EQ(store(s, "order", "4"), 1);
#endif
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * show_slab_objects with a slab on each of 600 nodes: 2.6.36 writes " N%d=%lu" for every one
 * into the one-page buffer, 5,297 bytes; fixed ends the line with the last whole entry that fits
 * with its newline (UPSTREAM_SHOW_NODES_OVERFLOW). The buffer here has a guard behind the page, as the
 * harness's has.
 */
TEST(attr_show_nodes_overflow)
{
	enum { NODES = 600, GUARD = 8 * PAGE_SIZE };
	static unsigned char buf[PAGE_SIZE + GUARD];
	struct slub_config cfg;
	struct kmem_cache *s;
	size_t touched = 0;
	long rc;

#ifndef CONFIG_NUMA
	return; /* one node: one count */
#endif
	helpers_config(&cfg, NODES, 1, 16);
	cfg.slub_nomerge = 1;
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
	s = kmem_cache_create("attr-nodes", 8, 0, 0, NULL);
	REQUIRE(s, "create");
	for (int n = 0; n < NODES; n++)
		REQUIRE(kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_THISNODE, n), "alloc on %d", n);
	memset(buf, 0x5a, sizeof(buf));
	rc = slab_attr_show(s, "total_objects", (char *)buf);
	for (size_t i = 0; i < GUARD; i++)
		if (buf[PAGE_SIZE + i] != 0x5a)
			touched = i + 1;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SHOW_NODES_OVERFLOW)
	CHECK_EQ(touched, 0);
	CHECK(rc > (long)PAGE_SIZE - 48 && rc < (long)PAGE_SIZE, "ended within the page: %ld", rc);
	CHECK_EQ(strlen((char *)buf), (size_t)rc);
	CHECK(buf[rc - 1] == '\n', "a whole line, its newline kept");
#else
	CHECK(rc > (long)PAGE_SIZE, "2.6.36 writes on: %ld", rc);
	CHECK_EQ(touched, (size_t)rc + 1 - PAGE_SIZE); /* the line and its NUL */
#endif
	/* the objects stay: shutdown's leak check is not what this test is about */
	slub_discard();
}

/* The CONFIG_SLUB_STATS files: per-cpu counts summed, "0" clears them, anything else -EINVAL. */
TEST(attr_stat_files)
{
	struct kmem_cache *s;
	const char *text;
	void *p, *q;
	long rc;

	boot_nomerge(1, 2);
	s = kmem_cache_create("attr-stat", 64, 0, 0, NULL);
	REQUIRE(s, "create");
	slub_set_cpu(1);
	REQUIRE((p = kmem_cache_alloc(s, GFP_KERNEL)), "alloc");
	REQUIRE((q = kmem_cache_alloc(s, GFP_KERNEL)), "alloc");
	text = show(s, "alloc_slowpath", &rc);
	CHECK(!strcmp(text, "1 C1=1\n"), "alloc_slowpath: %s", text);
	text = show(s, "alloc_fastpath", &rc);
	CHECK(!strcmp(text, "1 C1=1\n"), "alloc_fastpath: %s", text);
	CHECK_EQ(store(s, "alloc_fastpath", "1"), -EINVAL);
	CHECK_EQ(store(s, "alloc_fastpath", "0\n"), 2);
	text = show(s, "alloc_fastpath", &rc);
	CHECK(!strcmp(text, "0\n"), "cleared: %s", text);
	CHECK_EQ(rc, 2);
	kmem_cache_free(s, p);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* strict_strtoul as 2.6.36 has it: digits and a lone newline, an overflow wrapping silently. */
TEST(attr_strict_strtoul_wraps)
{
	struct kmem_cache *s;

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-num", 64, 0, 0, NULL);
	REQUIRE(s, "create");
	/* 2^64 + 7: simple_strtoul wraps to 7 */
	CHECK_EQ(store(s, "min_partial", "18446744073709551623\n"), 21);
	CHECK_EQ(s->min_partial, 7);
	CHECK_EQ(store(s, "min_partial", "6\n\n"), -EINVAL);
	CHECK_EQ(store(s, "min_partial", ""), -EINVAL);
	CHECK_EQ(store(s, "min_partial", "5x"), -EINVAL);
	CHECK_EQ(s->min_partial, 7);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/*
 * check_slab's "inuse %u > max %u": 2.6.36 passes s->name first, so it prints the name's
 * address and then inuse as the "max" (UPSTREAM_CHECK_SLAB_MSG_ARGS); fixed prints the counts.
 */
TEST(attr_check_slab_message)
{
	struct kmem_cache *s;
	struct page *page;
	char want[64];
	void *p;
	u16 inuse;

	boot_nomerge(1, 1);
	s = kmem_cache_create("attr-chk", 64, 0, 0, NULL);
	REQUIRE(s, "create");
	REQUIRE((p = kmem_cache_alloc(s, GFP_KERNEL)), "alloc");
	page = virt_to_head_page(p);
	inuse = page->inuse;
	page->inuse = (u16)(page->objects + 1);
	CHECK_EQ(check_slab(s, page), 0);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_CHECK_SLAB_MSG_ARGS)
	snprintf(want, sizeof(want), "inuse %u > max %u", page->inuse, page->objects);
#else
	snprintf(want, sizeof(want), "inuse %u > max %u", (unsigned int)(uintptr_t)s->name,
		 page->inuse);
#endif
	CHECK(strstr(last_report, want), "want \"%s\" in: %s", want, last_report);
	page->inuse = inuse;
	helpers_reset_reports();
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

#include "harness.h"

/*
 * The harness's guard behind the sysfs page (fuzz/attrs.c, fz_attr_show): on seed, 600 nodes'
 * counts run past the page and the attr_show event reports it in KASAN's words; on fixed the
 * line stops at the page and the event is clean.
 */
TEST(attr_show_event_guard)
{
	enum { NODES = 600 };
	static struct fz_state x;
	static struct prog pr;
	static const struct fuzz_target target = { .name = "unit", .max_events = PROG_MAX_EVENTS };
	struct slub_config cfg;
	struct kmem_cache *s;
	int attr;

#ifndef CONFIG_NUMA
	return;
#endif
	prog_boot_default(&pr.boot);
	pr.boot.nodes = NODES;
	x.target = &target;
	x.prog = &pr;
	x.nodes = NODES;
	x.cpus = 1;
	x.fb[0].busy_slot = -1;
	for (int i = 0; i < PROG_NSLOTS; i++)
		x.obj[i].cache = -1;
	for (int n = 0; n < NODES; n++)
		x.node_online[n] = 1;
	x.cpu_online[0] = 1;
	helpers_config(&cfg, NODES, 1, 16);
	fz_model_begin(&x);
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
	fz_model_boot_step_done(&x);
	fz_cache_create(&x, 0, 8, 0, 1 << 1 /* RECLAIM_ACCOUNT: a cache of its own */, 0);
	s = x.cache[0].s;
	REQUIRE(s, "create");
	for (int n = 0; n < NODES; n++)
		REQUIRE(kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_THISNODE, n), "alloc on %d", n);
	for (attr = 0; strcmp(prog_attr_names[attr], "total_objects"); attr++)
		;
	fz_attr_show(&x, 0, attr);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SHOW_NODES_OVERFLOW)
	CHECK(!x.failed, "no finding, got: %s", x.why);
#else
	CHECK(x.failed && strstr(x.why, "BUG: KASAN: slab-out-of-bounds in total_objects_show"),
	      "the overflow reported: %s", x.failed ? x.why : "no finding");
#endif
	slub_discard();
}
