/* test_merge.c - cache merging (find_mergeable): what shares one cache and what never does,
 * aliases in the registry, destroying one alias, and registry failures inside
 * kmem_cache_create for a new cache and for an alias. */
#include <string.h>

#include "helpers.h"

static void boot_merge(int nomerge, const char *debug)
{
	struct slub_config cfg;

	slub_config_default(&cfg);
	cfg.nr_node_ids = 2;
	cfg.nr_cpu_ids = 2;
	cfg.slub_nomerge = nomerge;
	cfg.slub_debug = debug;
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed: %s", last_report);
}

/* The strict checker; the seed variant's boot caches are never clean (see test_validate). */
static long checker(void)
{
#ifdef SLUB_BOOTSTRAP_SEED
	return 0;
#else
	return slub_check_consistency(NULL, 0);
#endif
}

static void ctor(void *p)
{
	memset(p, 0, 8);
}

/* 196 and 200 bytes both round to a 200-byte object: no kmalloc cache has that size. */
TEST(merge_compatible_caches_share_one)
{
	struct kmem_cache *a, *b;
	unsigned char *p;

	boot_merge(0, NULL);
	a = kmem_cache_create("m-a", 196, 0, 0, NULL);
	REQUIRE(a, "create");
	CHECK_EQ(a->refcount, 1);
	CHECK_EQ(kmem_cache_size(a), 196);
	b = kmem_cache_create("m-b", 200, 0, 0, NULL);
	CHECK(b == a, "compatible caches must merge");
	CHECK_EQ(a->refcount, 2);
	/* the alias asked for more: the shared cache now hands out (and zeroes) 200 bytes */
	CHECK_EQ(kmem_cache_size(b), 200);
	CHECK_EQ(a->objsize, 200);
	CHECK_EQ(a->size, 200);
	CHECK(slub_registry_lookup("m-a") == a && slub_registry_lookup("m-b") == a,
	      "both names registered");
	p = kzalloc(200, GFP_KERNEL); /* not from a: kmalloc-256 */
	kfree(p);
	p = kmem_cache_alloc(b, GFP_KERNEL | __GFP_ZERO);
	REQUIRE(p, "alloc");
	CHECK(p[0] == 0 && p[199] == 0, "zeroed through the alias' size");
	memset(p, 0x5c, 200);
	kmem_cache_free(a, p); /* either name frees it */
	CHECK_EQ(checker(), 0);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* The flags of SLUB_NEVER_MERGE, a constructor, and slub_nomerge keep caches apart. */
TEST(merge_never_merge_flags_ctor_and_nomerge)
{
	static const unsigned long never[] = { SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER,
					       SLAB_TRACE, SLAB_DESTROY_BY_RCU };
	struct kmem_cache *base, *s, *plain;
	unsigned int i;

	boot_merge(0, NULL);
	base = kmem_cache_create("base", 200, 0, 0, NULL);
	REQUIRE(base, "create");
	for (i = 0; i < ARRAY_SIZE(never); i++) {
		s = kmem_cache_create("never", 200, 0, never[i], NULL);
		CHECK(s && s != base, "flag %#lx must not merge", never[i]);
		CHECK(s && slab_unmergeable(s), "flag %#lx: the new cache takes no aliases",
		      never[i]);
		/* and a plain cache created next does not join it either */
		plain = kmem_cache_create("plain", 200, 0, 0, NULL);
		CHECK(plain == base, "a plain cache joins the plain one, not %#lx", never[i]);
		kmem_cache_destroy(plain);
		if (s)
			kmem_cache_destroy(s);
	}
	s = kmem_cache_create("with-ctor", 200, 0, 0, ctor);
	CHECK(s && s != base, "a ctor must not merge");
	kmem_cache_destroy(s);
	CHECK_EQ(base->refcount, 1);
	kmem_cache_destroy(base);
	CHECK_EQ(helpers_shutdown(), 0);

	boot_merge(1, NULL);
	base = kmem_cache_create("base", 200, 0, 0, NULL);
	s = kmem_cache_create("twin", 200, 0, 0, NULL);
	CHECK(base && s && base != s, "slub_nomerge keeps twins apart");
	CHECK(kmem_cache_create("k64", 64, 0, 0, NULL) != kmalloc_caches[6],
	      "slub_nomerge keeps kmalloc-64 unshared");
	kmem_cache_destroy(base);
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
}

/* SLUB_MERGE_SAME flags (DEBUG_FREE, RECLAIM_ACCOUNT, CACHE_DMA, NOTRACK) must be equal. */
TEST(merge_same_flags_must_match)
{
	struct kmem_cache *r1, *r2, *plain, *f1, *f2, *other;

	boot_merge(0, NULL);
	r1 = kmem_cache_create("rec-1", 200, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	plain = kmem_cache_create("plain", 200, 0, 0, NULL);
	r2 = kmem_cache_create("rec-2", 200, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	REQUIRE(r1 && plain && r2, "create");
	CHECK(plain != r1, "RECLAIM_ACCOUNT vs none must not merge");
	CHECK(r2 == r1, "two RECLAIM_ACCOUNT caches merge");
	CHECK_EQ(r1->refcount, 2);
	kmem_cache_destroy(r2);
	kmem_cache_destroy(r1);
	kmem_cache_destroy(plain);
	CHECK_EQ(helpers_shutdown(), 0);

	/* slub_debug's flags count: 'F' (SLAB_DEBUG_FREE) for "m-" caches only */
	boot_merge(0, "F,m-");
	f1 = kmem_cache_create("m-one", 200, 0, 0, NULL);
	f2 = kmem_cache_create("m-two", 200, 0, 0, NULL);
	other = kmem_cache_create("other", 200, 0, 0, NULL);
	REQUIRE(f1 && f2 && other, "create");
	CHECK(f1->flags & SLAB_DEBUG_FREE, "slub_debug reached m-one");
	CHECK(f2 == f1, "both debugged with F: they merge");
	CHECK(other != f1, "F vs none must not merge");
	kmem_cache_destroy(f2);
	kmem_cache_destroy(f1);
	kmem_cache_destroy(other);
	CHECK_EQ(helpers_shutdown(), 0);
}

TEST(merge_destroying_one_alias_leaves_the_other)
{
	struct kmem_cache *a, *b;
	void *objs[100];
	int i;

	boot_merge(0, NULL);
	a = kmem_cache_create("keep", 200, 0, 0, NULL);
	b = kmem_cache_create("drop", 200, 0, 0, NULL);
	REQUIRE(a && a == b, "merged");
	for (i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(i & 1 ? a : b, GFP_KERNEL);
	kmem_cache_destroy(b);
	CHECK_EQ(a->refcount, 1);
	CHECK_EQ(reports_seen[SLUB_REPORT_SLAB_ERR], 0); /* live objects are fine: a stays */
	for (i = 0; i < 100; i++) {
		CHECK(objs[i] != NULL, "alloc %d", i);
		kmem_cache_free(a, objs[i]);
	}
	objs[0] = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(objs[0] != NULL, "the survivor allocates");
	kmem_cache_free(a, objs[0]);
	CHECK_EQ(slub_validate_all(), 0);
	kmem_cache_destroy(a);
	CHECK(slub_registry_lookup("keep") == NULL && slub_registry_lookup("drop") == NULL,
	      "both names gone with the cache");
	CHECK_EQ(helpers_shutdown(), 0);
}

/* kmem_cache and kmem_cache_node (refcount -1) take no aliases, whatever asks. */
TEST(merge_boot_caches_never_merge)
{
	struct kmem_cache *boot[2], *s;
	int i, n = 1;

	boot_merge(0, NULL);
	boot[0] = kmem_cache;
#ifdef CONFIG_NUMA
	boot[1] = kmem_cache_node;
	n = 2;
#endif
	for (i = 0; i < n; i++) {
		CHECK_EQ(boot[i]->refcount, -1);
		CHECK(slab_unmergeable(boot[i]), "%s is unmergeable", boot[i]->name);
		s = kmem_cache_create("like-boot", (size_t)boot[i]->objsize, 0, SLAB_HWCACHE_ALIGN,
				      NULL);
		REQUIRE(s, "create");
		CHECK(s != boot[i], "a cache shaped like %s must not become it", boot[i]->name);
		CHECK_EQ(boot[i]->refcount, -1);
		kmem_cache_destroy(s);
	}
	CHECK_EQ(helpers_shutdown(), 0);
}

/* ---- registry failures inside kmem_cache_create ---- */

static const char *fail_op, *fail_name;
static int registry_calls;

static int failing_registry(const char *op, const char *name, void *arg)
{
	(void)arg;
	registry_calls++;
	return !strcmp(op, fail_op) && (!fail_name || !strcmp(name, fail_name));
}

static __attribute__((unused)) void fail_registry(const char *op, const char *name)
{
	fail_op = op;
	fail_name = name;
	registry_calls = 0;
	slub_set_registry_hook(failing_registry, NULL);
}

/*
 * A new cache whose directory cannot be added: NULL, nothing kept (pages, per-cpu area, node
 * structures, the kmem_cache itself), nothing freed twice (ASan would end the child).
 */
/*
 * The seed build keeps 2.6.36's failure path (UPSTREAM_SYSFS_ADD_RELEASE: the kobject release
 * frees the cache, kmem_cache_create frees it again); the regression
 * sysfs_add_release_double_free shows it there.
 */
#ifndef SLUB_BOOTSTRAP_SEED
TEST(merge_registry_failure_for_a_new_cache)
{
	static const unsigned long flags[] = { 0, SLAB_RED_ZONE }; /* mergeable, unmergeable */
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		unsigned long pages, percpu;
		struct kmem_cache *s;

		boot_merge(0, NULL);
		pages = slub_pages_in_use();
		percpu = slub_percpu_in_use();
		fail_registry("add", NULL);
		s = kmem_cache_create("unlisted", 200, 0, flags[i], NULL);
		CHECK(s == NULL, "create must fail (flags %#lx)", flags[i]);
		CHECK(registry_calls > 0, "the registry was asked");
		CHECK(slub_registry_lookup("unlisted") == NULL, "nothing registered");
		CHECK_EQ(slub_percpu_in_use(), percpu);
		CHECK_EQ(checker(), 0);
		slub_set_registry_hook(NULL, NULL);
		/* pages may stay in the kmalloc caches' slabs; none may stay with a cache */
		CHECK(slub_pages_in_use() <= pages + 4, "pages %lu -> %lu", pages,
		      slub_pages_in_use());
		s = kmem_cache_create("unlisted", 200, 0, flags[i], NULL);
		CHECK(s != NULL, "the same create works once the registry does");
		kmem_cache_destroy(s);
		CHECK_EQ(helpers_shutdown(), 0);
	}
}
#endif

/* An alias that cannot be registered: NULL, and the cache it would have joined is as before. */
/* The seed build keeps 2.6.36's create failure paths (UPSTREAM_CREATE_LOCK_IMBALANCE and the
 * sysfs defects of allocator/README.md), which this test would report. */
#ifndef SLUB_BOOTSTRAP_SEED
TEST(merge_registry_failure_for_an_alias)
{
	struct kmem_cache *a, *b;
	void *p;

	boot_merge(0, NULL);
	a = kmem_cache_create("host", 200, 0, 0, NULL);
	REQUIRE(a, "create");
	fail_registry("alias", "guest");
	b = kmem_cache_create("guest", 200, 0, 0, NULL);
	CHECK(b == NULL, "alias create must fail");
	CHECK_EQ(registry_calls, 1);
	CHECK_EQ(a->refcount, 1);
	CHECK(slub_registry_lookup("guest") == NULL, "no alias registered");
	CHECK(slub_registry_lookup("host") == a, "the host keeps its name");
	slub_set_registry_hook(NULL, NULL);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(p != NULL, "the host still works");
	kmem_cache_free(a, p);
	b = kmem_cache_create("guest", 200, 0, 0, NULL);
	CHECK(b == a && a->refcount == 2, "the alias works once the registry does");
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	CHECK_EQ(helpers_shutdown(), 0);
}
#endif

/*
 * slub_debug=O drops the metadata flags of a cache whose order they would raise. A cache asked
 * for with SLAB_STORE_USER is never merged, yet after the drop it looks mergeable to
 * sysfs_slab_add, whose unique id for it (":Ft-0004096") is kmalloc-4096's directory. 2.6.36
 * (the seed build) fails the create with -EEXIST; fixed registers it under its own name.
 */
/* The seed build keeps 2.6.36's create failure paths (UPSTREAM_CREATE_LOCK_IMBALANCE and the
 * sysfs defects of allocator/README.md), which this test would report. */
#ifndef SLUB_BOOTSTRAP_SEED
TEST(merge_debug_o_cache_keeps_its_own_name)
{
	struct kmem_cache *s;

	boot_merge(0, "O");
	s = kmem_cache_create("o-user", 4096, 0, SLAB_STORE_USER, NULL);
	CHECK(!(kmalloc_caches[12]->flags & DEBUG_METADATA_FLAGS),
	      "slub_debug=O left kmalloc-4096 without metadata debugging");
#ifdef SLUB_BOOTSTRAP_SEED
	CHECK(s == NULL, "2.6.36: the unique id collides and the create fails");
#else
	REQUIRE(s, "create must succeed: memory is plenty");
	CHECK(s != kmalloc_caches[12], "a cache asked for with STORE_USER is not merged");
	CHECK(!(s->flags & DEBUG_METADATA_FLAGS), "slub_debug=O dropped its metadata flags");
	CHECK(slub_registry_lookup("o-user") == s, "registered under its own name");
	kmem_cache_destroy(s);
	CHECK_EQ(helpers_shutdown(), 0);
#endif
#ifdef SLUB_BOOTSTRAP_SEED
	helpers_shutdown(); /* the seed's stale boot-slab owners make slub_debug's teardown dirty */
#endif
}
#endif

static void __attribute__((unused)) destroy_cache(void *arg)
{
	kmem_cache_destroy(arg);
}

/*
 * Two caches of one name that cannot merge (SLAB_POISON): 2.6.36's sysfs_slab_add removes
 * whatever entry has the name, the first cache's directory included, and the first cache's
 * destroy then BUGs in sysfs_remove_one (UPSTREAM_SYSFS_REMOVE_OTHER_DIR). fixed keeps the
 * first directory and refuses the second create (-EEXIST from sysfs: NULL).
 */
TEST(merge_same_name_unmergeable)
{
	struct kmem_cache *a, *b;

	boot_merge(0, NULL);
	a = kmem_cache_create("same-name", 64, 0, SLAB_POISON, NULL);
	REQUIRE(a, "create a");
	CHECK(slub_registry_lookup("same-name") == a, "a's directory");
	b = kmem_cache_create("same-name", 128, 0, SLAB_POISON, NULL);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SYSFS_REMOVE_OTHER_DIR)
	CHECK(b == NULL, "the second directory of one name is refused");
	CHECK(slub_registry_lookup("same-name") == a, "a keeps its directory");
	kmem_cache_destroy(a);
	CHECK_EQ(reports_seen[SLUB_REPORT_BUG], 0);
	CHECK_EQ(helpers_shutdown(), 0);
#else
	REQUIRE(b, "create b");
	CHECK(slub_registry_lookup("same-name") == b, "b took the name");
	CHECK(a->kobj.removed, "a's directory went");
	kmem_cache_destroy(b);
	CHECK_EQ(reports_seen[SLUB_REPORT_BUG], 0);
	CHECK_EQ(slub_protected(destroy_cache, a), SLUB_BOOT_PANIC);
	CHECK_EQ(reports_seen[SLUB_REPORT_BUG], 1);
	CHECK(strstr(last_report, "SYSFS_FLAG_REMOVED"), "report: %s", last_report);
	slub_discard();
#endif
}

/* A name longer than 63 characters is a directory name of its own, uncut (2.6.36 copies it
 * with kvasprintf, no bound but memory). */
TEST(merge_long_name_uncut)
{
	static const char longer[] = "a-cache-name-that-runs-well-past-sixty-three-characters-"
				     "one-two-three";
	char cut[64];
	struct kmem_cache *a, *b;

	boot_merge(1, NULL);
	memcpy(cut, longer, 63);
	cut[63] = 0;
	a = kmem_cache_create(longer, 64, 0, 0, NULL);
	REQUIRE(a, "create");
	b = kmem_cache_create(cut, 64, 0, 0, NULL);
	REQUIRE(b, "a name equal to its first 63 characters is another name");
	CHECK(slub_registry_lookup(longer) == a, "the long name is a's");
	CHECK(slub_registry_lookup(cut) == b, "the cut one b's");
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	CHECK_EQ(helpers_shutdown(), 0);
}
