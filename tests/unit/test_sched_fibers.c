/* test_sched_fibers.c - unit tests of the scheduler's fibers as the allocator and ASan see
 * them: SLUB's own locks under seeded schedules, deep frames across many switches, a fiber that
 * dies deep in its frames, and ASan's fake stacks following the fibers. */
#include <sys/wait.h>
#include <unistd.h>

#include "sched_fixture.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCHED_TEST_ASAN 1
#endif
#endif
#if !defined(SCHED_TEST_ASAN) && defined(__SANITIZE_ADDRESS__)
#define SCHED_TEST_ASAN 1
#endif

/* ---- the allocator under the scheduler ---- */

#define ALLOCS 300

/* Fills slabs of kmalloc-64 on its cpu, frees every other object, then the rest. */
static void alloc_and_free(void *arg)
{
	void **p = arg;

	for (int i = 0; i < ALLOCS; i++) {
		p[i] = kmalloc(64, GFP_KERNEL);
		if (!p[i])
			return;
		memset(p[i], slub_sched_current(), 64);
	}
	for (int pass = 0; pass < 2; pass++)
		for (int i = pass; i < ALLOCS; i += 2) {
			if (((unsigned char *)p[i])[63] != slub_sched_current())
				note("corrupt");
			kfree(p[i]);
		}
	note("done");
}

/* Frees the objects cpu 0's task allocated, from cpu 1 (remote frees into its slabs). */
static void *handed[ALLOCS];

static void frees_remotely(void *arg)
{
	(void)arg;
	for (int i = 0; i < ALLOCS; i++)
		kfree(handed[i]);
	kmem_cache_shrink(kmalloc_caches[6]);
	note("done");
}

TEST(sched_allocator_stays_consistent_under_interleavings)
{
	static void *mine[3][ALLOCS];
	struct slub_sched_config cfg;
	struct slub_config bcfg;
	struct slub_task t[3];
	unsigned long switches = 0;
	char why[256];
	long before;

	helpers_config(&bcfg, 1, 3, 2048);
	for (uint32_t seed = 1; seed <= 6; seed++) {
		REQUIRE(helpers_boot(&bcfg) == SLUB_BOOT_OK, "boot");
		memset(&caught, 0, sizeof(caught));
		slub_set_report_hook(catch_report, NULL);
		trace_reset();
		/* cpu 2's objects, allocated before the run, freed from cpu 1 during it */
		slub_set_cpu(2);
		for (int i = 0; i < ALLOCS; i++)
			handed[i] = kmalloc(64, GFP_KERNEL);
		slub_set_cpu(0);
		/* the seed build's boot leaves its known stale owners: no more than those after */
		before = slub_check_consistency(NULL, 0);
#ifndef SLUB_BOOTSTRAP_SEED
		CHECK_EQ(before, 0);
#endif
		cfg_init(&cfg, seed, 6);
		/* switches inside SLUB's own locked sections, where the cpus meet */
		for (int k = 0; k < SLUB_MAX_SWITCHES; k++) {
			static const char *const sites[][2] = {
				{ "__slab_free", "slab_lock" },
				{ "add_partial", "&n->list_lock" },
				{ "__slab_alloc", "slab_lock" },
				{ "get_partial_node", "&n->list_lock" },
			};

			cfg_switch(&cfg, sites[k % 4][0], sites[k % 4][1],
				   (int)(seed * 3u + (uint32_t)k * 11u));
		}
		task_init(&t[0], alloc_and_free, mine[0], 0);
		task_init(&t[1], frees_remotely, NULL, 1);
		task_init(&t[2], alloc_and_free, mine[2], 2);
		CHECK_EQ(slub_sched_run(t, 3, &cfg), 0);
		switches += slub_sched_switches();
		if (getenv("TEST_VERBOSE"))
			fprintf(stderr, "seed %u: %lu points, %lu switches: %s\n", seed,
				slub_sched_points(), slub_sched_switches(), trace_str());
		CHECK(strcmp(trace_str(), "") != 0 && trace_at("A:corrupt") < 0 &&
			      trace_at("C:corrupt") < 0 && trace_at("A:done") >= 0 &&
			      trace_at("B:done") >= 0 && trace_at("C:done") >= 0,
		      "seed %u: %s", seed, trace.text);
		for (int i = 0; i < caught.n && i < MAX_CAUGHT; i++)
			CHECK(caught.kind[i] == SLUB_REPORT_INFO, "seed %u: %s", seed, caught.msg[i]);
		CHECK(slub_check_consistency(why, sizeof(why)) == before, "seed %u: %s", seed, why);
		CHECK_EQ(slub_validate_all(), 0);
		CHECK_EQ(helpers_shutdown(), 0);
	}
	/* more than the hand-overs at each task's end: the named switches were met */
	CHECK(switches >= 6 * 6, "the fibers interleaved: %lu switches", switches);
}

/* ---- fibers and ASan: deep frames across many switches ---- */

#define DEEP_LEVELS 24

static int deep_bad;

/* Each level keeps a buffer on its stack across two yield points and checks it survived. */
static noinline void deep(int fiber, int level)
{
	volatile unsigned char buf[384];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(fiber * 31 + level * 7 + i);
	slub_yield(SLUB_YIELD_ACCESS, "down");
	if (level + 1 < DEEP_LEVELS)
		deep(fiber, level + 1);
	slub_yield(SLUB_YIELD_ACCESS, "up");
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != (unsigned char)(fiber * 31 + level * 7 + i))
			deep_bad++;
}

static void deep_task(void *arg)
{
	(void)arg;
	deep(slub_sched_current(), 0);
	note("done");
}

TEST(sched_deep_frames_survive_many_switches)
{
	struct slub_sched_config cfg;
	struct slub_task t[4];
	unsigned long switches = 0;

	for (uint32_t seed = 1; seed <= 8; seed++) {
		sched_setup(4);
		deep_bad = 0;
		cfg_init(&cfg, seed, 10);
		for (int k = 0; k < SLUB_MAX_SWITCHES; k++)
			cfg_switch(&cfg, "deep", k & 1 ? "up" : "down", (int)(seed + 5u * (uint32_t)k));
		for (int i = 0; i < 4; i++)
			task_init(&t[i], deep_task, NULL, i);
		CHECK_EQ(slub_sched_run(t, 4, &cfg), 0);
		CHECK_EQ(trace.n, 4);
		CHECK_EQ(deep_bad, 0);
		switches += slub_sched_switches();
		if (getenv("TEST_VERBOSE"))
			fprintf(stderr, "seed %u: %lu points, %lu switches: %s\n", seed,
				slub_sched_points(), slub_sched_switches(), trace_str());
	}
	CHECK(switches >= 64, "many switches: %lu", switches);
	CHECK_EQ(caught.n, 0);
}

/* A fiber that dies deep in its frames (a BUG unwinds it by longjmp, inside its own stack). */
static volatile int bug_at_bottom = 1;

static noinline void deep_then_bug(int level)
{
	volatile char buf[1000];

	buf[0] = (char)level;
	slub_yield(SLUB_YIELD_ACCESS, "dying");
	if (level + 1 < DEEP_LEVELS / 2)
		deep_then_bug(level + 1);
	else if (bug_at_bottom)
		BUG();
	buf[1] = buf[0];
}

static void dies_deep(void *arg)
{
	(void)arg;
	deep_then_bug(0);
}

/*
 * ASan's view of a fiber that died and of a stack used again: the BUG's longjmp stays on the
 * fiber's stack, which ASan must know (else "ASan is ignoring requested
 * __asan_handle_no_return ... False positive error reports may follow"), and the next run on
 * that stack starts without the dead frames' poison. In a child, its stderr read back.
 */
TEST(sched_dead_fiber_leaves_no_false_reports)
{
	char path[] = "/tmp/slubfuzz-sched-XXXXXX", text[8192];
	struct slub_sched_config cfg;
	struct slub_task t[4];
	FILE *f;
	size_t len;
	pid_t pid;
	int fd, status;

	fd = mkstemp(path);
	REQUIRE(fd >= 0, "a temporary file");
	fflush(NULL);
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		dup2(fd, 2);
		sched_setup(4);
		cfg_init(&cfg, 7, 4);
		task_init(&t[0], dies_deep, NULL, 0);
		task_init(&t[1], deep_task, NULL, 1);
		if (slub_sched_run(t, 2, &cfg) != SLUB_BOOT_PANIC)
			_exit(10);
		/* the same stacks again, after a reset of the machine */
		for (uint32_t seed = 1; seed <= 4; seed++) {
			sched_setup(4);
			deep_bad = 0;
			cfg_init(&cfg, seed, 10);
			for (int i = 0; i < 4; i++)
				task_init(&t[i], deep_task, NULL, i);
			if (slub_sched_run(t, 4, &cfg) != 0 || deep_bad || caught.n)
				_exit(11);
		}
		_exit(0);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid, "wait");
	f = fdopen(fd, "r");
	REQUIRE(f, "read it back");
	rewind(f);
	len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = '\0';
	fclose(f);
	unlink(path);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x: %s", status, text);
	CHECK(strstr(text, "AddressSanitizer") == NULL && strstr(text, "False positive") == NULL,
	      "no sanitizer warning: %s", text);
}

#ifdef SCHED_TEST_ASAN
/*
 * The same under ASan's detect_stack_use_after_return, in a child (the option is read at
 * start-up): fake stack frames kept per fiber, or the switch confuses them and ASan reports a
 * stack-use-after-return or a stack-buffer-overflow that is not there.
 */
TEST(sched_asan_fake_stacks_follow_the_fibers)
{
	char opts[1024], self[4096];
	const char *old = getenv("ASAN_OPTIONS");
	ssize_t len;
	pid_t pid;
	int status;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	REQUIRE(len > 0, "find the test binary");
	self[len] = '\0';
	snprintf(opts, sizeof(opts), "%s%sdetect_stack_use_after_return=1:abort_on_error=1",
		 old ? old : "", old && *old ? ":" : "");
	fflush(NULL);
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		setenv("ASAN_OPTIONS", opts, 1);
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execl(self, self, "sched_deep_frames_survive_many_switches", (char *)NULL);
		_exit(127);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid, "wait");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "deep frames under detect_stack_use_after_return=1: status %#x", status);
}
#endif
