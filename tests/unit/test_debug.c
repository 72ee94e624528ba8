/* test_debug.c - slub_debug: the boot option, and every corruption the kernel's own
 * resiliency_test injects, each detected, reported once with the kernel's words, and repaired
 * so that validation afterwards finds nothing. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "track.h"

/*
 * Corruption is written with track_meta_* (never a plain store): the sanitizer builds poison
 * red zones and free objects, and a plain store there would be ASan's finding, not SLUB's.
 */

#define MAX_CAUGHT 64
struct caught {
	enum slub_report_kind kind;
	char cache[64];
	char *msg;
};
static struct caught caught[MAX_CAUGHT];
static int nr_caught, nr_slab_err, nr_leak;

static void catch_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	if (r->kind == SLUB_REPORT_SLAB_ERR)
		nr_slab_err++;
	if (r->kind == SLUB_REPORT_LEAK)
		nr_leak++;
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "[report %d %s] %s\n", r->kind, r->cache ? r->cache : "-", r->msg);
	if (nr_caught == MAX_CAUGHT)
		return;
	caught[nr_caught].kind = r->kind;
	snprintf(caught[nr_caught].cache, sizeof(caught[0].cache), "%s",
		 r->cache ? r->cache : "");
	caught[nr_caught].msg = strdup(r->msg);
	nr_caught++;
}

static void caught_reset(void)
{
	int i;

	for (i = 0; i < nr_caught; i++)
		free(caught[i].msg);
	nr_caught = nr_slab_err = nr_leak = 0;
}

/* The n-th report, if it is a slab error naming cache and containing every given text. */
static int caught_is(int n, const char *cache, const char *a, const char *b)
{
	if (n >= nr_caught || caught[n].kind != SLUB_REPORT_SLAB_ERR)
		return 0;
	if (strcmp(caught[n].cache, cache))
		return 0;
	return strstr(caught[n].msg, a) && (!b || strstr(caught[n].msg, b));
}

static const char *caught_msg(int n)
{
	return n < nr_caught ? caught[n].msg : "(no such report)";
}

static int boot_debug(const char *opt, int nodes, int cpus)
{
	struct slub_config cfg;

	helpers_config(&cfg, nodes, cpus, 1024);
	cfg.slub_debug = opt;
	caught_reset();
	helpers_fail_none();
	slub_set_report_hook(catch_report, NULL);
	return slub_boot(&cfg);
}

/* Leaked pages plus leak reports at shutdown. */
static unsigned long shutdown_leaks(void)
{
	unsigned long pages = slub_shutdown();

	return pages + (unsigned long)nr_leak;
}

/* Full debugging for the kmalloc caches only: the boot caches stay out of it, so the seed
 * variant's stale owners (tested on their own below) do not show up in every test. */
#define KMALLOC_DEBUG ",kmalloc"

/* The strict checker after a repair; the seed variant's boot caches are never clean (their
 * stale owners are test_validate's subject), so there it is not asked. */
static long checker(void)
{
#ifdef SLUB_BOOTSTRAP_SEED
	return 0;
#else
	return slub_check_consistency(NULL, 0);
#endif
}

static void corrupt(void *at, int byte, size_t n)
{
	track_meta_set(at, byte, n);
}

/* ---- resiliency_test, A: corruption after allocation ---- */

TEST(debug_redzone_of_live_object_caught_at_free)
{
	u8 *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	CHECK(kmalloc_caches[6]->flags & SLAB_RED_ZONE, "kmalloc-64 must be debugged");
	p = kmalloc(64, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	corrupt(p + 64, 0x12, 1);
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK(caught_is(0, "kmalloc-64", "BUG kmalloc-64: Redzone overwritten",
			"First byte 0x12 instead of 0xcc"),
	      "report: %s", caught_msg(0));
	CHECK(caught_is(0, "kmalloc-64", "INFO: Object ", "Redzone "), "trailer: %s",
	      caught_msg(0));
	CHECK(caught_is(0, "kmalloc-64", "INFO: Allocated in ", "FIX kmalloc-64: Restoring"),
	      "tracking and fix: %s", caught_msg(0));
	CHECK(strstr(slub_dmesg(), "BUG kmalloc-64: Redzone overwritten") != NULL,
	      "the report must reach the dmesg ring");

	/* 2.6.36 does not free an object whose check failed; the repaired one frees cleanly. */
	CHECK_EQ(slub_validate_all(), 0);
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(slub_validate_all(), 0);
	CHECK_EQ(checker(), 0);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* A1 of resiliency_test: kzalloc(16), clobber the red zone, validate. */
TEST(debug_redzone_of_live_object_caught_by_validate)
{
	u8 *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	p = kzalloc(16, GFP_KERNEL);
	REQUIRE(p, "kzalloc");
	corrupt(p + 16, 0x12, 1);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "kmalloc-16", "BUG kmalloc-16: Redzone overwritten",
			"FIX kmalloc-16: Restoring"),
	      "report: %s", caught_msg(0));
	CHECK_EQ(slub_validate_all(), 0);
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* The largest dump (a page of object, then red zone and padding) still arrives whole. */
TEST(debug_report_of_a_page_sized_object_is_whole)
{
	u8 *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	p = kmalloc(4096, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	corrupt(p + 4096, 0x33, 2);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "kmalloc-4096", "BUG kmalloc-4096: Redzone overwritten",
			"FIX kmalloc-4096: Restoring"),
	      "report cut? %zu bytes", strlen(caught_msg(0)));
	CHECK(strstr(caught_msg(0), " Padding ") != NULL, "padding dump present");
	CHECK(strlen(caught_msg(0)) > 256 * 70, "the object dump has 256 lines");
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(shutdown_leaks(), 0);
}

/*
 * In 2.6.36 the red zone starts at objsize, the cache's size: a write past a kmalloc(13)
 * request but inside its 16-byte slot is invisible to SLUB itself (finding it is the sanitizer
 * layer's job, which trims the object to the request); the first byte past the slot is the
 * red zone, and that is caught.
 */
TEST(debug_kmalloc_tail_past_request_is_not_slubs_to_see)
{
	u8 *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	CHECK(kmalloc_caches[4]->flags & SLAB_STORE_USER, "kmalloc-16 stores users");
	p = kmalloc(13, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	REQUIRE(virt_to_head_page(p)->slab == kmalloc_caches[4], "13 bytes come from kmalloc-16");
	corrupt(p + 13, 0x77, 16 - 13);
	CHECK_EQ(slub_validate_all(), 0);
	corrupt(p + 16, 0x77, 1);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "kmalloc-16", "Redzone overwritten", "instead of 0xcc"), "report: %s",
	      caught_msg(0));
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* Object padding (after the tracks) and the slab's own tail are POISON_INUSE. */
TEST(debug_padding_overwritten)
{
	struct kmem_cache *s;
	u8 *p, *end;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	s = kmalloc_caches[6];
	REQUIRE(s->size == 136 && s->offset == 72, "kmalloc-64 layout: size %d offset %d",
		s->size, s->offset);
	p = kmalloc(64, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	corrupt(p + 128, 0x01, 1); /* the word after the two tracks */
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "kmalloc-64", "BUG kmalloc-64: Object padding overwritten",
			"instead of 0x5a"),
	      "report: %s", caught_msg(0));

	end = (u8 *)page_address(virt_to_head_page(p)) + PAGE_SIZE;
	corrupt(end - 1, 0x02, 1); /* 4096 % 136 = 16 bytes hold no object */
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(1, "kmalloc-64", "BUG kmalloc-64: Padding overwritten",
			"FIX kmalloc-64: Restoring"),
	      "report: %s", caught_msg(1));
	CHECK_EQ(slub_validate_all(), 0);
	kfree(p);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* ---- resiliency_test, B: corruption after free ---- */

/* B1 and B2: the first word of a freed kmalloc-128 object, the 50th byte of a kmalloc-256. */
TEST(debug_poison_of_freed_object_overwritten)
{
	static const struct {
		size_t size;
		int at, byte;
		const char *cache;
	} cases[] = { { 128, 0, 0x78, "kmalloc-128" }, { 256, 50, 0x9a, "kmalloc-256" } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char bug[64], first[64];
		u8 *p;

		REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
		p = kzalloc(cases[i].size, GFP_KERNEL);
		REQUIRE(p, "kzalloc");
		kfree(p);
		corrupt(p + cases[i].at, cases[i].byte, 1);
		CHECK_EQ(slub_validate_all(), 1);
		snprintf(bug, sizeof(bug), "BUG %s: Poison overwritten", cases[i].cache);
		snprintf(first, sizeof(first), "First byte 0x%x instead of 0x6b", cases[i].byte);
		CHECK(caught_is(0, cases[i].cache, bug, first), "report: %s", caught_msg(0));
		CHECK(caught_is(0, cases[i].cache, "INFO: Freed in ", "Restoring"),
		      "free track and fix: %s", caught_msg(0));
		CHECK_EQ(slub_validate_all(), 0);
		CHECK_EQ(checker(), 0);
		/* the repaired object is handed out again without complaint */
		p = kmalloc(cases[i].size, GFP_KERNEL);
		REQUIRE(p, "kmalloc");
		kfree(p);
		CHECK_EQ(nr_slab_err, 1);
		CHECK_EQ(shutdown_leaks(), 0);
	}
}

/* B3: the red zone of a freed kmalloc-512 object. */
TEST(debug_redzone_of_freed_object_overwritten)
{
	u8 *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	p = kzalloc(512, GFP_KERNEL);
	REQUIRE(p, "kzalloc");
	kfree(p);
	corrupt(p + 512, 0xab, 1);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "kmalloc-512", "BUG kmalloc-512: Redzone overwritten",
			"First byte 0xab instead of 0xbb"),
	      "report: %s", caught_msg(0));
	CHECK_EQ(slub_validate_all(), 0);
	CHECK_EQ(shutdown_leaks(), 0);
}

/*
 * The free pointer of a freed object. A fresh debugging cache whose one slab is full except
 * for the objects freed here, so the loss the repair causes is exactly known.
 */
static struct kmem_cache *full_debug_cache(void **objs, int *per)
{
	struct kmem_cache *s;
	int i;

	s = kmem_cache_create("fp-test", 128, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			      NULL);
	if (!s)
		return NULL;
	*per = oo_objects(s->oo);
	for (i = 0; i < *per; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	return s;
}

/* Caught when the object is next handed out: check_object's "Freepointer corrupt". */
TEST(debug_freepointer_corrupt_caught_at_alloc)
{
	struct kmem_cache *s;
	void *objs[64], *p;
	int per, i;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	s = full_debug_cache(objs, &per);
	REQUIRE(s && per <= 64, "cache");
	for (i = 1; i < per; i++)
		REQUIRE(virt_to_head_page(objs[i]) == virt_to_head_page(objs[0]), "one slab");
	kmem_cache_free(s, objs[3]);
	corrupt((char *)objs[3] + s->offset, 0x41, sizeof(void *));

	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p && p != objs[3], "the allocation goes on from another slab");
	CHECK_EQ(nr_slab_err, 1);
	CHECK(caught_is(0, "fp-test", "BUG fp-test: Freepointer corrupt",
			"FIX fp-test: Marking all objects used"),
	      "report: %s", caught_msg(0));
	/* Every object counts as used now; objs[3] still has a free object's red zone. */
	CHECK_EQ(checker(), 0);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(1, "fp-test", "Redzone overwritten", "instead of 0xcc"), "report: %s",
	      caught_msg(1));
	CHECK_EQ(slub_validate_all(), 0);
	/*
	 * The object the repair kept as used can be freed again, and all is clean. It had been
	 * freed before the corruption, so ASan builds must see it live again first.
	 */
	track_defined(objs[3], 128);
	kmem_cache_free(s, p);
	for (i = 0; i < per; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_EQ(nr_slab_err, 2);
	kmem_cache_destroy(s);
	CHECK_EQ(nr_slab_err, 2);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* Caught by validate: on_freelist's "Freechain corrupt", then the count it fixes. */
TEST(debug_freepointer_corrupt_caught_by_validate)
{
	struct kmem_cache *s;
	void *objs[64];
	int per, i;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	s = full_debug_cache(objs, &per);
	REQUIRE(s && per <= 64, "cache");
	kmem_cache_free(s, objs[3]);
	kmem_cache_free(s, objs[5]); /* freelist: 5 -> 3 */
	corrupt((char *)objs[5] + s->offset, 0x41, sizeof(void *));

	CHECK_EQ(slub_validate_all(), 3);
	CHECK(caught_is(0, "fp-test", "BUG fp-test: Freechain corrupt", "INFO: Object "),
	      "report: %s", caught_msg(0));
	CHECK(caught_is(1, "fp-test", "BUG fp-test: Wrong object count. Counter is",
			"FIX fp-test: Object count adjusted."),
	      "report: %s", caught_msg(1));
	/* objs[3], cut off the chain, now counts as used but has a free red zone */
	CHECK(caught_is(2, "fp-test", "Redzone overwritten", NULL), "report: %s", caught_msg(2));
	CHECK_EQ(slub_validate_all(), 0);
	CHECK_EQ(checker(), 0);

	/*
	 * The lost object is allocated as far as SLUB knows: give it back. It really was freed,
	 * so ASan builds see it poisoned and would call this a double free: make it live first.
	 */
	track_defined(objs[3], 128);
	for (i = 0; i < per; i++)
		if (i != 5)
			kmem_cache_free(s, objs[i]);
	CHECK_EQ(nr_slab_err, 3);
	kmem_cache_destroy(s);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* ---- misuse that free_debug_processing catches ---- */

/*
 * In sanitizer builds kasan_slab_free sees a double free first (the object is poisoned) and
 * BUGs. To reach SLUB's own check, as a kernel without KASAN would, the test makes the
 * freed object look live to ASan again before the second free.
 */
TEST(debug_double_free_object_already_free)
{
	void *p;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	p = kmalloc(64, GFP_KERNEL);
	REQUIRE(p, "kmalloc");
	kfree(p);
	/* ASan builds would stop this at KASAN's double-free check first: look live to it */
	track_defined(p, 64);
	kfree(p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK(caught_is(0, "kmalloc-64", "BUG kmalloc-64: Object already free",
			"FIX kmalloc-64: Object at "),
	      "report: %s", caught_msg(0));
	CHECK(caught_is(0, "kmalloc-64", "not freed", NULL), "report: %s", caught_msg(0));
	CHECK_EQ(slub_validate_all(), 0);
	CHECK_EQ(checker(), 0);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* 2.6.36 has no "wrong cache" message: an owner mismatch is "page slab pointer corrupt.". */
TEST(debug_free_to_wrong_cache)
{
	const unsigned long dbg = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	struct kmem_cache *a, *b;
	void *p;

	REQUIRE(boot_debug("-", 1, 1) == 0, "boot");
	a = kmem_cache_create("owner-a", 64, 0, dbg, NULL);
	b = kmem_cache_create("owner-b", 64, 0, dbg, NULL);
	REQUIRE(a && b && a != b && a->size == b->size, "two caches of one layout");
	p = kmem_cache_alloc(a, GFP_KERNEL);
	REQUIRE(p, "alloc");
	kmem_cache_free(b, p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK(caught_is(0, "owner-b", "BUG owner-b: page slab pointer corrupt.",
			"FIX owner-b: Object at "),
	      "report: %s", caught_msg(0));
	/* Not freed: the object is still a's. */
	kmem_cache_free(a, p);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(slub_validate_all(), 0);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* ---- tracking and tracing ---- */

TEST(debug_store_user_tracks_cpu_pid_and_time)
{
	struct kmem_cache *s;
	struct track t;
	u8 *p;

	REQUIRE(boot_debug("-", 1, 4) == 0, "boot");
	s = kmem_cache_create("tracked", 40, 0, SLAB_STORE_USER | SLAB_RED_ZONE, NULL);
	REQUIRE(s, "create");
	jiffies = 1000;
	slub_set_cpu(2);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	track_meta_read(&t, get_track(s, p, TRACK_ALLOC), sizeof(t));
	CHECK(t.addr != 0, "caller recorded");
	CHECK_EQ(t.cpu, 2);
	CHECK_EQ(t.pid, 3);
	CHECK_EQ(t.when, 1000);
	track_meta_read(&t, get_track(s, p, TRACK_FREE), sizeof(t));
	CHECK_EQ(t.addr, 0);

	/* a report prints the tracks, with their age */
	jiffies = 1007;
	corrupt(p + 40, 0x00, 1);
	CHECK_EQ(slub_validate_all(), 1);
	CHECK(caught_is(0, "tracked", "age=7 cpu=2 pid=3", "INFO: Allocated in 0x"), "report: %s",
	      caught_msg(0));

	slub_set_cpu(3);
	kmem_cache_free(s, p);
	track_meta_read(&t, get_track(s, p, TRACK_FREE), sizeof(t));
	CHECK_EQ(t.cpu, 3);
	CHECK_EQ(t.pid, 4);
	CHECK_EQ(t.when, 1007);
	slub_set_cpu(0);
	kmem_cache_destroy(s);
	CHECK_EQ(nr_slab_err, 1);
	CHECK_EQ(shutdown_leaks(), 0);
}

TEST(debug_trace_prints_alloc_and_free)
{
	struct kmem_cache *s, *quiet;
	char line[128];
	void *p;

	REQUIRE(boot_debug("T,traced", 1, 1) == 0, "boot");
	s = kmem_cache_create("traced", 40, 0, 0, NULL);
	quiet = kmem_cache_create("untraced", 40, 0, 0, NULL);
	REQUIRE(s && quiet && s != quiet, "create");
	CHECK_EQ(s->flags & SLAB_DEBUG_FLAGS, SLAB_TRACE);
	CHECK_EQ(quiet->flags & SLAB_DEBUG_FLAGS, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	REQUIRE(p, "alloc");
	snprintf(line, sizeof(line), "TRACE traced alloc %p inuse=", p);
	CHECK(strstr(slub_dmesg(), line) != NULL, "no '%s' in dmesg", line);
	memset(p, 'x', 40);
	kmem_cache_free(s, p);
	snprintf(line, sizeof(line), "TRACE traced free %p inuse=", p);
	CHECK(strstr(slub_dmesg(), line) != NULL, "no '%s' in dmesg", line);
	CHECK(strstr(slub_dmesg(), "78 78 78 78") != NULL, "a freed object is dumped");
	kmem_cache_free(quiet, kmem_cache_alloc(quiet, GFP_KERNEL));
	CHECK(strstr(slub_dmesg(), "TRACE untraced") == NULL, "untraced cache traced");
	CHECK_EQ(nr_slab_err, 0);
	kmem_cache_destroy(s);
	kmem_cache_destroy(quiet);
	CHECK_EQ(shutdown_leaks(), 0);
}

/* ---- the slub_debug= option ---- */

static unsigned long dbg_flags(struct kmem_cache *s)
{
	return s ? s->flags & SLAB_DEBUG_FLAGS : ~0UL;
}

TEST(debug_option_letters_and_filter)
{
	const unsigned long fz = SLAB_DEBUG_FREE | SLAB_RED_ZONE;
	struct kmem_cache *s;

	/* the power-of-two kmalloc caches are opened as "kmalloc": "kmalloc-" misses them */
	REQUIRE(boot_debug("FZ,kmalloc-", 1, 1) == 0, "boot");
	CHECK_EQ(dbg_flags(kmalloc_caches[1]), fz); /* kmalloc-96 */
	CHECK_EQ(dbg_flags(kmalloc_caches[2]), fz); /* kmalloc-192 */
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), 0);
	CHECK_EQ(dbg_flags(kmalloc_dma_caches[1]), 0);
	CHECK_EQ(dbg_flags(kmem_cache), 0);
	s = kmem_cache_create("kmalloc-mine", 100, 0, 0, NULL);
	CHECK_EQ(dbg_flags(s), fz);
	kmem_cache_destroy(s);
	s = kmem_cache_create("other", 100, 0, 0, NULL);
	CHECK_EQ(dbg_flags(s), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(shutdown_leaks(), 0);

	/* no letters: the default flags, for the matching caches */
	REQUIRE(boot_debug(",kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(dbg_flags(kmalloc_caches[13]), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(dbg_flags(kmalloc_dma_caches[6]), 0);
	CHECK_EQ(dbg_flags(kmem_cache), 0);
	CHECK_EQ(shutdown_leaks(), 0);

	/* lower case, every letter, and the command line's own "=" form */
	REQUIRE(boot_debug("=fzput,kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), SLAB_DEBUG_FLAGS);
	CHECK_EQ(shutdown_leaks(), 0);

	/* "-" switches everything off, whatever follows; an unknown letter is skipped */
	REQUIRE(boot_debug("-,kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), 0);
	CHECK_EQ(shutdown_leaks(), 0);
	REQUIRE(boot_debug("X,kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), 0);
	CHECK(strstr(slub_dmesg(), "slub_debug option 'X' unknown. skipped") != NULL, "%s",
	      slub_dmesg());
	CHECK_EQ(shutdown_leaks(), 0);
}

/* 'O' counts only as the first letter; it keeps the default flags and ends the parse. */
TEST(debug_option_o_and_its_quirks)
{
	struct kmem_cache *big;

	REQUIRE(boot_debug("O", 1, 1) == 0, "boot");
	CHECK_EQ(disable_higher_order_debug, 1);
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), DEBUG_DEFAULT_FLAGS);
	/* 4096 + metadata would need order 1 as its minimum: only SLAB_DEBUG_FREE stays */
	big = kmalloc_caches[12];
	CHECK_EQ(dbg_flags(big), SLAB_DEBUG_FREE);
	CHECK_EQ(big->size, 4096);
	CHECK_EQ(oo_order(big->min), 0);
	CHECK_EQ(slub_validate_all(), 0);
	slub_shutdown();

	/* letters and a filter after 'O' are never read */
	REQUIRE(boot_debug("OZ,kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(disable_higher_order_debug, 1);
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(dbg_flags(kmem_cache), DEBUG_DEFAULT_FLAGS);
	slub_shutdown();

	/* anywhere but first, 'O' is an unknown letter */
	REQUIRE(boot_debug("ZO,kmalloc", 1, 1) == 0, "boot");
	CHECK_EQ(disable_higher_order_debug, 0);
	CHECK_EQ(dbg_flags(kmalloc_caches[12]), SLAB_RED_ZONE);
	CHECK(strstr(slub_dmesg(), "slub_debug option 'O' unknown. skipped") != NULL, "%s",
	      slub_dmesg());
	CHECK_EQ(shutdown_leaks(), 0);

	/* and everything is back to nothing on the next boot */
	REQUIRE(boot_debug(NULL, 1, 1) == 0, "boot");
	CHECK_EQ(disable_higher_order_debug, 0);
	CHECK_EQ(dbg_flags(kmalloc_caches[6]), 0);
	CHECK_EQ(shutdown_leaks(), 0);
}

/*
 * An empty option debugs every cache, the boot caches too. In `fixed` a workload, validation
 * and shutdown are then silent. The seed's stale owner pointers are what slub_debug's free
 * checks trip over ("page slab pointer corrupt."), as they would in a kernel booted so.
 */
TEST(debug_full_debugging_covers_boot_caches)
{
	REQUIRE(boot_debug("", 2, 2) == 0, "boot");
	CHECK_EQ(dbg_flags(kmem_cache), DEBUG_DEFAULT_FLAGS);
#ifdef CONFIG_NUMA
	CHECK_EQ(dbg_flags(kmem_cache_node), DEBUG_DEFAULT_FLAGS);
#endif
	CHECK_EQ(dbg_flags(kmalloc_caches[3]), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(dbg_flags(kmalloc_dma_caches[3]), DEBUG_DEFAULT_FLAGS);
	CHECK_EQ(helpers_workload(7), 0);
	slub_set_report_hook(catch_report, NULL); /* the workload does not change it; be sure */
	CHECK_EQ(slub_validate_all(), 0);
#ifndef SLUB_BOOTSTRAP_SEED
	CHECK_EQ(nr_slab_err, 0);
	CHECK_EQ(checker(), 0);
	CHECK_EQ(shutdown_leaks(), 0);
	CHECK_EQ(nr_slab_err, 0);
#else
	CHECK(slub_check_consistency(NULL, 0) > 0, "the seed's stale owners");
	shutdown_leaks();
	{
		int i, found = 0;

		for (i = 0; i < nr_caught; i++)
			found += caught[i].kind == SLUB_REPORT_SLAB_ERR &&
				 strstr(caught[i].msg, "page slab pointer corrupt.") &&
				 !strncmp(caught[i].cache, "kmem_cache", 10);
		CHECK(found > 0, "slub_debug must trip over the seed's stale owner pointers");
	}
#endif
}

/*
 * A red-zoned object smaller than a word (UPSTREAM_SMALL_OBJECT_REDZONE): 2.6.36 keeps its free
 * pointer at offset 0, over the red zone, and reports "Redzone overwritten" on untouched
 * objects; fixed keeps the pointer out of line (74c1d3e08153, v5.13).
 */
TEST(debug_red_zone_of_object_below_a_word)
{
	struct kmem_cache *s;
	void *p[8];
	int i;

	REQUIRE(boot_debug(KMALLOC_DEBUG, 1, 1) == 0, "boot");
	s = kmem_cache_create("tiny-rz", 4, 0, SLAB_RED_ZONE, NULL);
	REQUIRE(s, "create");
	CHECK_EQ(s->inuse, 8); /* the red zone is bytes 4..7 */
	for (i = 0; i < 8; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < 8; i++)
		if (p[i])
			kmem_cache_free(s, p[i]);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SMALL_OBJECT_REDZONE)
	CHECK(s->offset >= s->inuse, "free pointer at %d, inside the red zone", s->offset);
	CHECK(nr_slab_err == 0, "%d slab errors, first: %s", nr_slab_err, caught_msg(0));
	CHECK_EQ(slub_validate_all(), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(checker(), 0);
	CHECK_EQ(shutdown_leaks(), 0);
#else
	CHECK_EQ(s->offset, 0);
	CHECK(caught_is(0, "tiny-rz", "Redzone overwritten", NULL), "got: %s", caught_msg(0));
#endif
}
