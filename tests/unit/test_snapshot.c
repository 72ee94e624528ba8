/* test_snapshot.c - a saved machine comes back exactly (counters, slabinfo, dmesg, objects'
 * contents, per-cpu areas), even after a shutdown or a panic; the leak check between restores
 * finds a leaked page, a leaked slab and a leaked per-cpu area; the scoped checker walks what
 * was touched and every cache on request. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/*
 * The seed variant's boot leaves stale slab owners that the checker and the leak walk report
 * on every boot (test_validate.c proves it); snapshot.c is the same code in both variants, so
 * these cases run on `fixed` only; Valgrind builds take no snapshots (track.h).
 */
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_VALGRIND)

static char info[16384];
static size_t info_len;

static void collect(const char *line, void *arg)
{
	size_t n = strlen(line);

	(void)arg;
	if (info_len + n + 1 < sizeof(info)) {
		memcpy(info + info_len, line, n);
		info_len += n;
		info[info_len++] = '\n';
		info[info_len] = '\0';
	}
}

/* What a restore must give back, as text: slabinfo, pages out, per-cpu areas, dmesg. */
static char *machine_text(void)
{
	char *t;

	info_len = 0;
	info[0] = '\0';
	slub_slabinfo(collect, NULL);
	t = malloc(sizeof(info) + 65536 + 64);
	if (t)
		snprintf(t, sizeof(info) + 65536 + 64, "%s\npages %lu percpu %lu\n%s", info,
			 slub_pages_in_use(), slub_percpu_in_use(), slub_dmesg());
	return t;
}

static void boot_two_nodes(void)
{
	struct slub_config cfg;

	helpers_config(&cfg, 2, 2, 512);
	cfg.slub_debug = "FZPU";
	if (helpers_boot(&cfg))
		test_fail(__FILE__, __LINE__, "boot failed");
}

TEST(snapshot_restore_gives_the_machine_back)
{
	struct slub_snapshot *snap;
	char *before, *after;
	void *boot_obj;
	struct kmem_cache *s;

	boot_two_nodes();
	boot_obj = kmalloc(100, GFP_KERNEL);
	REQUIRE(boot_obj, "kmalloc");
	memset(boot_obj, 0x5a, 100);
	snap = slub_snapshot_save();
	REQUIRE(snap, "save");
	before = machine_text();
	REQUIRE(before, "text");

	/* a run: a cache, objects on both cpus, a freed boot object, printk */
	s = kmem_cache_create("snap-test", 200, 0, 0, NULL);
	REQUIRE(s, "create");
	for (int cpu = 0; cpu < 2; cpu++) {
		slub_set_cpu(cpu);
		for (int i = 0; i < 50; i++)
			CHECK(kmem_cache_alloc(s, GFP_KERNEL) != NULL);
		CHECK(kmalloc(3000, GFP_KERNEL) != NULL);
	}
	kfree(boot_obj);
	printk(KERN_INFO "a line the restore must take back\n");
	CHECK(strcmp(before, machine_text()) != 0, "the run changed nothing visible");

	slub_snapshot_restore(snap);
	after = machine_text();
	CHECK(after && !strcmp(before, after), "restored machine differs:\n--- saved\n%s\n--- now\n%s",
	      before, after ? after : "?");
	CHECK_EQ(slub_get_cpu(), 0);
	for (int i = 0; i < 100; i++)
		CHECK(((unsigned char *)boot_obj)[i] == 0x5a, "byte %d of the boot object", i);
	CHECK_EQ(slub_check_consistency(NULL, 0), 0);
	CHECK_EQ(slub_validate_all(), 0);
	CHECK_EQ(slub_snapshot_leaks(snap, NULL, 0), 0);

	/* and it works as a machine: allocate, free, and shut down clean */
	kfree(boot_obj);
	CHECK_EQ(slub_snapshot_leaks(snap, NULL, 0), 0);
	CHECK_EQ(helpers_shutdown(), 0);

	/* even from a machine that was shut down */
	slub_snapshot_restore(snap);
	after = machine_text();
	CHECK(after && !strcmp(before, after), "restored after shutdown differs");
	CHECK_EQ(slub_check_consistency(NULL, 0), 0);
	kfree(boot_obj);
	CHECK_EQ(helpers_shutdown(), 0);
	slub_snapshot_free(snap);
}

static void kfree_call(void *p)
{
	kfree(p);
}

/* Boots the two-node machine and saves it; *text is the machine as text at the save. */
static struct slub_snapshot *boot_and_save(char **text)
{
	struct slub_snapshot *snap;

	boot_two_nodes();
	snap = slub_snapshot_save();
	*text = machine_text();
	return snap;
}

TEST(snapshot_restore_after_a_panic)
{
	struct slub_snapshot *snap;
	char *before, *after;

	snap = boot_and_save(&before);
	REQUIRE(snap, "save");
	/* a double free is a BUG under slub_debug: the machine is tainted */
	{
		void *p = kmalloc(64, GFP_KERNEL);

		kfree(p);
		slub_protected(kfree_call, p);
	}
	CHECK(slub_tainted() || reports_seen[SLUB_REPORT_SLAB_ERR] > 0, "the double free went unseen");
	slub_snapshot_restore(snap);
	CHECK(!slub_tainted());
	after = machine_text();
	CHECK(before && after && !strcmp(before, after), "restored after a panic differs");
	CHECK_EQ(slub_check_consistency(NULL, 0), 0);
	CHECK_EQ(helpers_shutdown(), 0);
	slub_snapshot_free(snap);
}

/*
 * slub_discard forgets a machine that leaks without a word (the fuzz targets call it only
 * after the leak check), leaves nothing out, and both a boot and a restore work after it.
 */
TEST(discard_forgets_a_leaking_machine_quietly)
{
	struct slub_snapshot *snap;
	char *before, *after;

	snap = boot_and_save(&before);
	REQUIRE(snap, "save");
	CHECK(kmalloc(3000, GFP_KERNEL) != NULL);
	CHECK(kmem_cache_create("discard-test", 64, 0, 0, NULL) != NULL);
	memset(reports_seen, 0, sizeof(reports_seen));
	slub_discard();
	CHECK_EQ(reports_seen[SLUB_REPORT_LEAK], 0);
	CHECK_EQ(slub_pages_in_use(), 0);
	CHECK_EQ(slub_percpu_in_use(), 0);

	boot_two_nodes();
	CHECK_EQ(slub_check_consistency(NULL, 0), 0);
	CHECK_EQ(helpers_shutdown(), 0);

	slub_snapshot_restore(snap);
	after = machine_text();
	CHECK(before && after && !strcmp(before, after), "restored after a discard differs");
	CHECK_EQ(helpers_shutdown(), 0);
	slub_snapshot_free(snap);
}

TEST(snapshot_leak_check_finds_pages_slabs_and_percpu_areas)
{
	struct slub_snapshot *snap;
	struct kmem_cache *s;
	struct page *page;
	void *p;
	char why[256];

	boot_two_nodes();
	snap = slub_snapshot_save();
	REQUIRE(snap, "save");
	CHECK(slub_snapshot_leaks(snap, why, sizeof(why)) == 0, "right after boot: %s", why);

	/* a page no cache owns: a kmalloc too big for the caches, never freed */
	p = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	REQUIRE(p, "large kmalloc");
	CHECK_EQ(slub_snapshot_leaks(snap, why, sizeof(why)), 1);
	CHECK(strstr(why, "belong to no live cache"), "%s", why);
	kfree(p);
	CHECK_EQ(slub_snapshot_leaks(snap, why, sizeof(why)), 0);

	/* a slab whose cache's nr_slabs forgot it */
	s = kmem_cache_create("snap-leak", 128, 0, 0, NULL);
	REQUIRE(s, "create");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	page = virt_to_head_page(p);
	get_node(s, page_to_nid(page))->nr_slabs--;
	CHECK(slub_snapshot_leaks(snap, why, sizeof(why)) >= 1);
	CHECK(strstr(why, "snap-leak") && strstr(why, "nr_slabs"), "%s", why);
	get_node(s, page_to_nid(page))->nr_slabs++;

	/* a cache gone with its slab still out: PageSlab of no live cache */
	list_del(&s->list);
	CHECK(slub_snapshot_leaks(snap, why, sizeof(why)) >= 1);
	CHECK(strstr(why, "belong to no live cache") || strstr(why, "per-cpu"), "%s", why);
	list_add(&s->list, &slab_caches);

	/* a per-cpu area no cache holds */
	{
		void *pcpu = __alloc_percpu(64, 8);

		REQUIRE(pcpu, "alloc_percpu");
		CHECK_EQ(slub_snapshot_leaks(snap, why, sizeof(why)), 1);
		CHECK(strstr(why, "per-cpu"), "%s", why);
		free_percpu(pcpu);
	}
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	CHECK_EQ(slub_snapshot_leaks(snap, why, sizeof(why)), 0);
	CHECK_EQ(helpers_shutdown(), 0);
	slub_snapshot_free(snap);
}

TEST(snapshot_scoped_checker_walks_what_was_touched)
{
	struct slub_config cfg;
	struct kmem_cache *a, *b;
	void *pa[64], *pb[64];
	char why[256];

	helpers_config(&cfg, 1, 1, 1024);
	cfg.slub_nomerge = 1;
	REQUIRE(!helpers_boot(&cfg), "boot");
	a = kmem_cache_create("scope-a", 256, 0, 0, NULL);
	b = kmem_cache_create("scope-b", 256, 0, 0, NULL);
	REQUIRE(a && b, "caches");
	for (int i = 0; i < 64; i++) {
		pa[i] = kmem_cache_alloc(a, GFP_KERNEL);
		pb[i] = kmem_cache_alloc(b, GFP_KERNEL);
	}
	for (int i = 0; i < 64; i += 2)
		kmem_cache_free(b, pb[i]);
	CHECK_EQ(slub_check_consistency(why, sizeof(why)), 0); /* every set is empty now */

	/* b's counters go wrong, then only a is used: the touched walk looks at a alone */
	get_node(b, 0)->nr_partial++;
	kmem_cache_free(a, pa[0]);
	CHECK_EQ(slub_check_consistency_scope(SLUB_SCOPE_TOUCHED, why, sizeof(why)), 0);
	/* b is used: now the touched walk sees it */
	kmem_cache_free(b, pb[1]);
	CHECK_EQ(slub_check_consistency_scope(SLUB_SCOPE_TOUCHED, why, sizeof(why)), 1);
	CHECK(strstr(why, "scope-b"), "%s", why);
	/* nothing touched since: nothing walked; but b stays in the since-all scope */
	CHECK_EQ(slub_check_consistency_scope(SLUB_SCOPE_TOUCHED, why, sizeof(why)), 0);
	CHECK_EQ(slub_check_consistency_scope(SLUB_SCOPE_TOUCHED_SINCE_ALL, why, sizeof(why)), 1);
	CHECK_EQ(slub_check_consistency_scope(SLUB_SCOPE_TOUCHED_SINCE_ALL, why, sizeof(why)), 0);
	/* the full walk finds it whatever was touched */
	CHECK_EQ(slub_check_consistency(why, sizeof(why)), 1);
	get_node(b, 0)->nr_partial--;
	CHECK_EQ(slub_check_consistency(why, sizeof(why)), 0);

	for (int i = 1; i < 64; i++)
		kmem_cache_free(a, pa[i]);
	for (int i = 3; i < 64; i += 2)
		kmem_cache_free(b, pb[i]);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK_EQ(helpers_shutdown(), 0);
}
#endif
