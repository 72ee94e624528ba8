/* test_sched.c - unit tests of the scheduler of simulated CPUs (slub_sched_run): the order it
 * runs fibers in, named switches, lock waits, deadlock and livelock reports, per-fiber lock
 * state, where a switch may come, and fibers that ASan follows across switches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCHED_TEST_ASAN 1
#endif
#endif
#if !defined(SCHED_TEST_ASAN) && defined(__SANITIZE_ADDRESS__)
#define SCHED_TEST_ASAN 1
#endif

/* ---- what the fibers did, in the order they did it ---- */

#define TRACE_MAX 512

static struct {
	int n;
	char ev[TRACE_MAX][24]; /* "A:locked": the fiber's letter, then what it did */
	char text[TRACE_MAX * 24];
} trace;

static void trace_reset(void)
{
	memset(&trace, 0, sizeof(trace));
}

/* Notes what the running fiber did (its letter: A for the first task, B, ...). */
static void note(const char *what)
{
	int me = slub_sched_current();

	if (trace.n < TRACE_MAX)
		snprintf(trace.ev[trace.n], sizeof(trace.ev[0]), "%c:%s",
			 me > 0 ? 'A' + me - 1 : '?', what);
	trace.n++;
}

/* The trace as one line, events separated by a space. */
static const char *trace_str(void)
{
	size_t len = 0;

	trace.text[0] = '\0';
	for (int i = 0; i < trace.n && i < TRACE_MAX; i++)
		len += (size_t)snprintf(trace.text + len, sizeof(trace.text) - len, "%s%s",
					i ? " " : "", trace.ev[i]);
	return trace.text;
}

/* Where ev first occurs in the trace, or -1. */
static int trace_at(const char *ev)
{
	for (int i = 0; i < trace.n && i < TRACE_MAX; i++)
		if (strcmp(trace.ev[i], ev) == 0)
			return i;
	return -1;
}

/* A fiber ran, another ran, then the first again: it was switched out in its middle. */
static int trace_resumes(void)
{
	for (int i = 1; i < trace.n && i < TRACE_MAX; i++) {
		if (trace.ev[i][0] == trace.ev[i - 1][0])
			continue;
		for (int j = 0; j < i; j++)
			if (trace.ev[j][0] == trace.ev[i][0])
				return 1;
	}
	return 0;
}

/* a before b, both there */
#define CHECK_BEFORE(a, b)                                                              \
	CHECK(trace_at(a) >= 0 && trace_at(b) >= 0 && trace_at(a) < trace_at(b),         \
	      "%s before %s in: %s", (a), (b), trace_str())

/* ---- the switch hook's pairs ---- */

#define PAIRS_MAX 256

static struct {
	int n;
	uint32_t from[PAIRS_MAX], to[PAIRS_MAX];
} pairs;

static void record_pair(uint32_t from_site, uint32_t to_site, void *arg)
{
	(void)arg;
	if (pairs.n < PAIRS_MAX) {
		pairs.from[pairs.n] = from_site;
		pairs.to[pairs.n] = to_site;
	}
	pairs.n++;
}

static int saw_pair(uint32_t from_site, uint32_t to_site)
{
	for (int i = 0; i < pairs.n && i < PAIRS_MAX; i++)
		if (pairs.from[i] == from_site && pairs.to[i] == to_site)
			return 1;
	return 0;
}

/* ---- reports ---- */

#define MAX_CAUGHT 8

static struct {
	int n;
	enum slub_report_kind kind[MAX_CAUGHT];
	char msg[MAX_CAUGHT][2048];
	char func[MAX_CAUGHT][64];
} caught;

static void catch_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	if (caught.n < MAX_CAUGHT) {
		caught.kind[caught.n] = r->kind;
		snprintf(caught.msg[caught.n], sizeof(caught.msg[0]), "%s", r->msg);
		snprintf(caught.func[caught.n], sizeof(caught.func[0]), "%s", r->func);
	}
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "[report %d] %s: %s\n", r->kind, r->func, r->msg);
	caught.n++;
}

/* A machine of nr_cpus cpus, nothing booted: the lock model, the cpus and the scheduler. */
static void sched_setup(int nr_cpus)
{
	slub_platform_reset(nr_cpus);
	memset(&caught, 0, sizeof(caught));
	slub_set_report_hook(catch_report, NULL);
	trace_reset();
	memset(&pairs, 0, sizeof(pairs));
	slub_sched_set_switch_hook(record_pair, NULL);
}

static void cfg_init(struct slub_sched_config *cfg, uint32_t seed, int depth)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = seed;
	cfg->depth = depth;
}

static void cfg_switch(struct slub_sched_config *cfg, const char *func, const char *what,
		       int nth)
{
	cfg->sw[cfg->nr_switches].site = slub_site_key(func, what);
	cfg->sw[cfg->nr_switches].nth = nth;
	cfg->nr_switches++;
}

static void task_init(struct slub_task *t, void (*fn)(void *), void *arg, int cpu)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu;
	t->result = -12345; /* slub_sched_run sets it */
}

/* ---- site keys ---- */

TEST(sched_site_key_is_fnv1a_of_func_colon_what)
{
	const char *s = "get_partial_node:&n->list_lock";
	uint32_t h = 2166136261u;

	for (const char *p = s; *p; p++)
		h = fnv_step(h, (unsigned char)*p, 16777619u);
	CHECK_EQ(slub_site_key("get_partial_node", "&n->list_lock"), h % SLUB_SITE_KEYS);
	h = 2166136261u;
	for (const char *p = "stepper:step"; *p; p++)
		h = fnv_step(h, (unsigned char)*p, 16777619u);
	CHECK_EQ(slub_site_key("stepper", "step"), h % SLUB_SITE_KEYS);
}

/* ---- order: sequential, seeded, determinism ---- */

/* Each step notes itself, then meets one yield point. */
static void stepper(void *arg)
{
	int steps = (int)(intptr_t)arg;
	char what[12];

	for (int i = 0; i < steps; i++) {
		snprintf(what, sizeof(what), "%d", i);
		note(what);
		slub_yield(SLUB_YIELD_ACCESS, "step");
	}
}

static struct {
	int fiber[SLUB_MAX_FIBERS];
	int cpu[SLUB_MAX_FIBERS];
} who;

/* A stepper that first notes which fiber and cpu it runs as. */
static void stepper_who(void *arg)
{
	int me = slub_sched_current();

	if (me >= 1 && me <= SLUB_MAX_FIBERS) {
		who.fiber[me - 1] = me;
		who.cpu[me - 1] = smp_processor_id();
	}
	stepper(arg);
}

TEST(sched_seed0_runs_tasks_in_order_each_to_its_end)
{
	struct slub_sched_config cfg;
	struct slub_task t[3];
	const int cpus[3] = { 2, 0, 3 };

	sched_setup(4);
	memset(&who, 0, sizeof(who));
	cfg_init(&cfg, 0, 0);
	for (int i = 0; i < 3; i++)
		task_init(&t[i], stepper_who, (void *)(intptr_t)4, cpus[i]);
	CHECK_EQ(slub_sched_current(), 0);
	CHECK_EQ(slub_sched_run(t, 3, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:0 A:1 A:2 A:3 B:0 B:1 B:2 B:3 C:0 C:1 C:2 C:3") == 0,
	      "one after another, each to its end: %s", trace.text);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(t[i].result, 0);
		CHECK_EQ(who.fiber[i], i + 1); /* slub_sched_current: 1..n */
		CHECK_EQ(who.cpu[i], cpus[i]); /* each runs on its own cpu */
	}
	CHECK_EQ(slub_sched_current(), 0);
	CHECK_EQ(slub_sched_points(), 12);
	/* no fiber resumed in the middle: every switch went to a fiber's first run */
	for (int i = 0; i < pairs.n && i < PAIRS_MAX; i++)
		CHECK(pairs.to[i] == SLUB_SITE_KEYS, "switch %d resumed at site %u", i,
		      pairs.to[i]);
	CHECK(!trace_resumes(), "%s", trace.text);
	CHECK_EQ(slub_get_cpu(), 0); /* the caller's cpu is back */
	CHECK_EQ(caught.n, 0);
}

/* The trace and the switch pairs of one run of three steppers under cfg. */
static int run_steppers(const struct slub_sched_config *cfg, char *out, size_t len)
{
	struct slub_task t[3];
	size_t at;
	int ret;

	sched_setup(3);
	for (int i = 0; i < 3; i++)
		task_init(&t[i], stepper, (void *)(intptr_t)(5 + i), i);
	ret = slub_sched_run(t, 3, cfg);
	at = (size_t)snprintf(out, len, "%s |", trace_str());
	for (int i = 0; i < pairs.n && i < PAIRS_MAX && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, " %u>%u", pairs.from[i], pairs.to[i]);
	for (int i = 0; i < 3; i++)
		if (t[i].result != 0)
			ret = -1;
	return ret;
}

/* Every step of every task, each task's steps in their order. */
static int trace_is_complete(void)
{
	const int steps[3] = { 5, 6, 7 };

	if (trace.n != 18)
		return 0;
	for (int f = 0; f < 3; f++) {
		int last = -1;

		for (int s = 0; s < steps[f]; s++) {
			char ev[16];
			int at;

			snprintf(ev, sizeof(ev), "%c:%d", 'A' + f, s);
			at = trace_at(ev);
			if (at <= last)
				return 0;
			last = at;
		}
	}
	return 1;
}

TEST(sched_same_seed_same_order)
{
	static char first[8192], again[8192], other[8192];
	struct slub_sched_config cfg;
	unsigned long points, switches;
	int distinct = 0, interleaved = 0;

	cfg_init(&cfg, 0x5eed1234u, 3);
	REQUIRE(run_steppers(&cfg, first, sizeof(first)) == 0, "run 1");
	CHECK(trace_is_complete(), "every step once, in order: %s", trace.text);
	points = slub_sched_points();
	switches = slub_sched_switches();
	REQUIRE(run_steppers(&cfg, again, sizeof(again)) == 0, "run 2");
	CHECK(strcmp(first, again) == 0, "same cfg, same order and switches:\n%s\n%s", first,
	      again);
	CHECK_EQ(slub_sched_points(), points);
	CHECK_EQ(slub_sched_switches(), switches);
	CHECK_EQ(points, 18);

	/* the seed decides what the input leaves open: other seeds, other orders */
	for (uint32_t seed = 1; seed <= 16; seed++) {
		cfg_init(&cfg, seed, 3);
		REQUIRE(run_steppers(&cfg, other, sizeof(other)) == 0, "seed %u", seed);
		CHECK(trace_is_complete(), "seed %u: %s", seed, trace.text);
		distinct += strcmp(other, first) != 0;
		interleaved += trace_resumes();
	}
	CHECK(distinct >= 8, "16 other seeds gave the first order %d times of 16", 16 - distinct);
	CHECK(interleaved > 0, "with depth 3, some seed interleaves the fibers");
}

/* Depth 1 (no change points): the seed orders the tasks, each still runs to its end. */
TEST(sched_seed_alone_permutes_whole_tasks)
{
	static char out[8192];
	struct slub_sched_config cfg;
	int first_seen[3] = { 0, 0, 0 };

	for (uint32_t seed = 1; seed <= 16; seed++) {
		cfg_init(&cfg, seed, 1);
		REQUIRE(run_steppers(&cfg, out, sizeof(out)) == 0, "seed %u", seed);
		CHECK(trace_is_complete(), "seed %u: %s", seed, trace.text);
		CHECK(!trace_resumes(), "seed %u, no change point, no named switch: %s", seed,
		      trace.text);
		first_seen[trace.ev[0][0] - 'A']++;
	}
	CHECK(first_seen[0] && first_seen[1] && first_seen[2],
	      "every task goes first under some seed: %d %d %d", first_seen[0], first_seen[1],
	      first_seen[2]);
}

TEST(sched_named_switch_demotes_the_running_fiber_there)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	uint32_t key = slub_site_key("stepper", "step");

	/* the 3rd time (nth 2) any fiber meets stepper:step, A is demoted: B runs at once */
	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "stepper", "step", 2);
	task_init(&t[0], stepper, (void *)(intptr_t)5, 0);
	task_init(&t[1], stepper, (void *)(intptr_t)5, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:0 A:1 A:2 B:0 B:1 B:2 B:3 B:4 A:3 A:4") == 0, "%s",
	      trace.text);
	CHECK(saw_pair(key, SLUB_SITE_KEYS), "the hook saw stepper:step -> B's first run");
	CHECK(slub_sched_switches() >= 1, "a switch was made");

	/* nth 0: right after A's first point */
	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "stepper", "step", 0);
	task_init(&t[0], stepper, (void *)(intptr_t)5, 0);
	task_init(&t[1], stepper, (void *)(intptr_t)5, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:0 B:0 B:1 B:2 B:3 B:4 A:1 A:2 A:3 A:4") == 0, "%s",
	      trace.text);

	/* occurrences count over every fiber: nth 1 demotes A, nth 3 (B's 2nd) demotes B */
	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "stepper", "step", 1);
	cfg_switch(&cfg, "stepper", "step", 3);
	task_init(&t[0], stepper, (void *)(intptr_t)5, 0);
	task_init(&t[1], stepper, (void *)(intptr_t)5, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:0 A:1 B:0 B:1 A:2 A:3 A:4 B:2 B:3 B:4") == 0, "%s",
	      trace.text);
	CHECK(saw_pair(key, key), "B's demotion resumed A at stepper:step");

	/* a switch named at a site nobody meets changes nothing */
	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "stepper", "no such point", 0);
	task_init(&t[0], stepper, (void *)(intptr_t)3, 0);
	task_init(&t[1], stepper, (void *)(intptr_t)3, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:0 A:1 A:2 B:0 B:1 B:2") == 0, "%s", trace.text);
	CHECK_EQ(caught.n, 0);
}

/* ---- lock waits ---- */

static spinlock_t la, lb;

static void holder(void *arg)
{
	(void)arg;
	spin_lock(&la);
	note("locked");
	slub_yield(SLUB_YIELD_ACCESS, "held");
	note("unlock");
	spin_unlock(&la);
	note("done");
}

static void waiter(void *arg)
{
	(void)arg;
	note("wants");
	spin_lock(&la);
	note("locked");
	spin_unlock(&la);
	note("done");
}

TEST(sched_spinlock_held_elsewhere_makes_the_acquirer_wait)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];

	sched_setup(2);
	spin_lock_init(&la);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "holder", "held", 0); /* B runs while A holds la */
	task_init(&t[0], holder, NULL, 0);
	task_init(&t[1], waiter, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	/* B asked while A held it, got it only after A let go, and went on at once */
	CHECK(strcmp(trace_str(), "A:locked B:wants A:unlock B:locked B:done A:done") == 0, "%s",
	      trace.text);
	CHECK_EQ(t[0].result, 0);
	CHECK_EQ(t[1].result, 0);
	CHECK_EQ(la.locked, 0);
	CHECK_EQ(caught.n, 0); /* a wait is no misuse: nothing reported */
	CHECK(!slub_tainted(), "not tainted");
}

static void reader(void *arg)
{
	(void)arg;
	note("wants");
	down_read(&slub_lock);
	note("read");
	slub_yield(SLUB_YIELD_ACCESS, "reading");
	note("up");
	up_read(&slub_lock);
}

static void writer(void *arg)
{
	(void)arg;
	note("wants");
	down_write(&slub_lock);
	note("write");
	slub_yield(SLUB_YIELD_ACCESS, "writing");
	note("release");
	up_write(&slub_lock);
	note("done");
}

TEST(sched_slub_lock_readers_share_a_writer_waits_for_them)
{
	struct slub_sched_config cfg;
	struct slub_task t[3];

	sched_setup(3);
	slub_lock.activity = 0;
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "reader", "reading", 0); /* A reads, B comes in */
	cfg_switch(&cfg, "reader", "reading", 1); /* B reads, C comes in */
	task_init(&t[0], reader, NULL, 0);
	task_init(&t[1], reader, NULL, 1);
	task_init(&t[2], writer, NULL, 2);
	CHECK_EQ(slub_sched_run(t, 3, &cfg), 0);
	CHECK_BEFORE("B:read", "A:up"); /* two readers at once */
	CHECK_BEFORE("C:wants", "A:up"); /* the writer asked while they read */
	CHECK_BEFORE("A:up", "C:write"); /* and got it after both were gone */
	CHECK_BEFORE("B:up", "C:write");
	CHECK(trace_at("C:done") >= 0, "the writer finished: %s", trace.text);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(t[i].result, 0);
	CHECK_EQ(slub_lock.activity, 0);
	/* per-fiber lockdep: two readers on two cpus are no recursive read */
	CHECK_EQ(caught.n, 0);

	/* and a reader waits for a writer */
	sched_setup(2);
	slub_lock.activity = 0;
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "writer", "writing", 0); /* B comes in while A writes */
	task_init(&t[0], writer, NULL, 0);
	task_init(&t[1], reader, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:wants A:write B:wants A:release B:read B:up A:done") == 0,
	      "%s", trace.text);
	CHECK_EQ(slub_lock.activity, 0);
	CHECK_EQ(caught.n, 0);
}

/* ---- deadlock ---- */

static void take_ab(void *arg)
{
	(void)arg;
	spin_lock(&la);
	slub_yield(SLUB_YIELD_ACCESS, "between");
	spin_lock(&lb);
	note("both");
	spin_unlock(&lb);
	spin_unlock(&la);
}

static void take_ba(void *arg)
{
	(void)arg;
	spin_lock(&lb);
	slub_yield(SLUB_YIELD_ACCESS, "between");
	spin_lock(&la);
	note("both");
	spin_unlock(&la);
	spin_unlock(&lb);
}

TEST(sched_deadlock_is_reported_with_each_cpus_locks)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	const char *m;

	sched_setup(4);
	spin_lock_init(&la);
	spin_lock_init(&lb);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "take_ab", "between", 0); /* A holds la; B takes lb, then wants la */
	task_init(&t[0], take_ab, NULL, 1);
	task_init(&t[1], take_ba, NULL, 3);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_PANIC);
	CHECK_EQ(trace.n, 0); /* neither got both */
	REQUIRE(caught.n >= 1, "a report");
	m = caught.msg[caught.n - 1];
	CHECK(caught.kind[caught.n - 1] == SLUB_REPORT_BUG ||
		      caught.kind[caught.n - 1] == SLUB_REPORT_PANIC,
	      "fatal: kind %d", caught.kind[caught.n - 1]);
	/* a spinning cpu: spinlock debugging's words, from the cpu that found it */
	CHECK(strstr(m, "BUG: spinlock lockup on CPU#1, slubfuzz/2") != NULL, "%s", m);
	CHECK(strstr(m, "cpu 1: waits for &lb in take_ab()") &&
		      strstr(m, "cpu 3: waits for &la in take_ba()"),
	      "what each cpu waits for: %s", m);
	/* each cpu's held locks, by task and by lock */
	CHECK(strstr(m, "slubfuzz/2") && strstr(m, "slubfuzz/4"), "names both cpus' tasks: %s",
	      m);
	CHECK(strstr(m, "(&la){spin_lock}") && strstr(m, "(&lb){spin_lock}"),
	      "lists the held locks: %s", m);
	CHECK(strstr(m, "take_ab") && strstr(m, "take_ba"), "where each was taken: %s", m);
	CHECK(slub_tainted(), "the machine is tainted");
	/* the fiber that found it died; the other never finished */
	CHECK((t[0].result == SLUB_BOOT_PANIC && t[1].result == 1) ||
		      (t[0].result == 1 && t[1].result == SLUB_BOOT_PANIC),
	      "results %d %d", t[0].result, t[1].result);
	CHECK_EQ(slub_sched_current(), 0);
}

static void spin_then_sem(void *arg)
{
	(void)arg;
	spin_lock(&la);
	slub_yield(SLUB_YIELD_ACCESS, "between");
	down_read(&slub_lock);
	note("both");
	up_read(&slub_lock);
	spin_unlock(&la);
}

static void sem_then_spin(void *arg)
{
	(void)arg;
	down_write(&slub_lock);
	spin_lock(&la);
	note("both");
	spin_unlock(&la);
	up_write(&slub_lock);
}

TEST(sched_deadlock_on_slub_lock_is_a_hung_task)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	const char *m;

	sched_setup(2);
	spin_lock_init(&la);
	slub_lock.activity = 0;
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "spin_then_sem", "between", 0); /* B writes slub_lock, wants la */
	task_init(&t[0], spin_then_sem, NULL, 0);
	task_init(&t[1], sem_then_spin, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_PANIC);
	CHECK_EQ(trace.n, 0);
	REQUIRE(caught.n >= 1, "a report");
	m = caught.msg[caught.n - 1];
	CHECK_EQ(caught.kind[caught.n - 1], SLUB_REPORT_BUG);
	/* A sleeps on slub_lock: the hung task detector's words */
	CHECK(strstr(m, "INFO: task slubfuzz:1 blocked for more than 120 seconds.") != NULL, "%s",
	      m);
	CHECK(strstr(m, "(slub_lock){down_write}") && strstr(m, "(&la){spin_lock}"),
	      "both cpus' locks: %s", m);
	CHECK(slub_tainted(), "tainted");
}

/* ---- livelock ---- */

static void spins_for_ever(void *arg)
{
	(void)arg;
	note("start");
	for (;;)
		slub_yield(SLUB_YIELD_ACCESS, "retry");
}

TEST(sched_livelock_is_reported_as_a_soft_lockup)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	const char *m;

	sched_setup(3);
	cfg_init(&cfg, 0, 0);
	cfg.budget = 1000;
	task_init(&t[0], stepper, (void *)(intptr_t)3, 0);
	task_init(&t[1], spins_for_ever, NULL, 2);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_PANIC);
	CHECK(strcmp(trace_str(), "A:0 A:1 A:2 B:start") == 0, "%s", trace.text);
	CHECK_EQ(t[0].result, 0);
	CHECK_EQ(t[1].result, SLUB_BOOT_PANIC);
	/* more than budget points is the livelock: the report comes at the first one past it */
	CHECK_EQ(slub_sched_points(), cfg.budget + 1);
	REQUIRE(caught.n >= 1, "a report");
	m = caught.msg[caught.n - 1];
	CHECK(caught.kind[caught.n - 1] == SLUB_REPORT_BUG, "fatal, as a BUG: %d",
	      caught.kind[caught.n - 1]);
	CHECK(strstr(m, "BUG: soft lockup - CPU#2 stuck for") != NULL, "%s", m);
	CHECK(strstr(m, "[slubfuzz:3]") != NULL, "the task on cpu 2: %s", m);
	CHECK(slub_tainted(), "tainted");
}

/* ---- per-fiber lock, preempt and irq state ---- */

static struct {
	int a_held_before, a_held_after, a_irqs_off_after, a_atomic_after;
	int b_held, b_irqs_off, b_atomic;
} seen;

static void keeps_la(void *arg)
{
	unsigned long flags;

	(void)arg;
	local_irq_save(flags);
	spin_lock(&la);
	seen.a_held_before = slub_locks_held();
	slub_yield(SLUB_YIELD_ACCESS, "held");
	seen.a_held_after = slub_locks_held();
	seen.a_irqs_off_after = irqs_disabled();
	seen.a_atomic_after = in_atomic();
	(void)flags; /* returns holding la, interrupts off: its own report */
}

static void runs_beside(void *arg)
{
	(void)arg;
	seen.b_held = slub_locks_held();
	seen.b_irqs_off = irqs_disabled();
	seen.b_atomic = in_atomic();
	spin_lock(&lb);
	spin_unlock(&lb);
	note("done");
}

TEST(sched_lock_state_is_per_fiber)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	int held_on_return = -1;

	sched_setup(2);
	spin_lock_init(&la);
	spin_lock_init(&lb);
	memset(&seen, 0, sizeof(seen));
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "keeps_la", "held", 0);
	task_init(&t[0], keeps_la, NULL, 0);
	task_init(&t[1], runs_beside, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "B:done") == 0, "B ran and ended: %s", trace.text);
	/* B, beside A, holds nothing, is not atomic, and its cpu's interrupts are on */
	CHECK_EQ(seen.b_held, 0);
	CHECK_EQ(seen.b_atomic, 0);
	CHECK_EQ(seen.b_irqs_off, 0);
	/* A finds its own state again after the switch */
	CHECK_EQ(seen.a_held_before, 1);
	CHECK_EQ(seen.a_held_after, 1);
	CHECK_EQ(seen.a_atomic_after, 1);
	CHECK_EQ(seen.a_irqs_off_after, 1);
	/* one report only: A returned holding la (B returned clean while A held it) */
	for (int i = 0; i < caught.n && i < MAX_CAUGHT; i++) {
		CHECK(strstr(caught.msg[i], "(&lb)") == NULL, "nothing about B's lock: %s",
		      caught.msg[i]);
		if (strstr(caught.msg[i], "[ BUG: lock held when returning to user space! ]"))
			held_on_return = i;
	}
	REQUIRE(held_on_return >= 0, "A's return with la held is reported (%d reports)",
		caught.n);
	CHECK(strstr(caught.msg[held_on_return], "slubfuzz/1 is leaving the kernel") != NULL,
	      "names A (cpu 0): %s", caught.msg[held_on_return]);
	CHECK(strstr(caught.msg[held_on_return], "(&la){spin_lock}") != NULL, "%s",
	      caught.msg[held_on_return]);
	CHECK(strcmp(caught.func[held_on_return], "keeps_la") == 0, "where A took it: %s",
	      caught.func[held_on_return]);
	CHECK(!slub_tainted(), "lockdep's report is not fatal");
}

static void releases_la(void *arg)
{
	(void)arg;
	spin_unlock(&la); /* A's lock, not B's */
	note("done");
}

static void holds_la_a_while(void *arg)
{
	(void)arg;
	spin_lock(&la);
	slub_yield(SLUB_YIELD_ACCESS, "held");
	note("unlock");
	spin_unlock(&la);
}

TEST(sched_unlock_of_another_fibers_lock_is_reported_on_that_fiber)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];

	sched_setup(2);
	spin_lock_init(&la);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "holds_la_a_while", "held", 0);
	task_init(&t[0], holds_la_a_while, NULL, 0);
	task_init(&t[1], releases_la, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "B:done A:unlock") == 0, "%s", trace.text);
	REQUIRE(caught.n >= 1, "B's release of A's lock is reported");
	CHECK_EQ(caught.kind[0], SLUB_REPORT_WARN);
	CHECK(strstr(caught.msg[0], "[ BUG: bad unlock balance detected! ]") != NULL, "%s",
	      caught.msg[0]);
	CHECK(strstr(caught.msg[0], "slubfuzz/2 is trying to release lock (&la)") != NULL,
	      "names B (cpu 1): %s", caught.msg[0]);
	CHECK(strstr(caught.msg[0], "no locks held by slubfuzz/2.") != NULL,
	      "B's own locks, not A's: %s", caught.msg[0]);
	CHECK(strcmp(caught.func[0], "releases_la") == 0, "%s", caught.func[0]);
	/*
	 * A's own release then finds la free (2.6.36's spinlock debugging: "already unlocked"),
	 * reported on A; but A let go of it, so it does not return holding it.
	 */
	CHECK_EQ(caught.n, 2);
	CHECK(strstr(caught.msg[1], "slubfuzz/1 is trying to release lock (&la)") != NULL,
	      "names A (cpu 0): %s", caught.msg[1]);
	CHECK(strcmp(caught.func[1], "holds_la_a_while") == 0, "%s", caught.func[1]);
	CHECK(!slub_tainted(), "not fatal");
}

/* ---- where a switch may come ---- */

/* Between two yield points a fiber runs alone: nothing else notes in between. */
static void pairs_of_notes(void *arg)
{
	(void)arg;
	for (int i = 0; i < 6; i++) {
		note("x");
		note("y");
		slub_yield(SLUB_YIELD_ACCESS, "pair");
	}
}

TEST(sched_no_switch_between_yield_points)
{
	struct slub_sched_config cfg;
	struct slub_task t[3];

	for (uint32_t seed = 1; seed <= 24; seed++) {
		sched_setup(3);
		cfg_init(&cfg, seed, 8);
		for (int i = 0; i < 3; i++)
			task_init(&t[i], pairs_of_notes, NULL, i);
		REQUIRE(slub_sched_run(t, 3, &cfg) == 0, "seed %u", seed);
		REQUIRE(trace.n == 36, "seed %u: %s", seed, trace_str());
		for (int i = 0; i < 36; i += 2)
			CHECK(trace.ev[i][0] == trace.ev[i + 1][0] && trace.ev[i][2] == 'x' &&
				      trace.ev[i + 1][2] == 'y',
			      "seed %u: a switch inside a step at %d: %s", seed, i, trace_str());
	}
}

/*
 * Another cpu may run at any yield point, interrupts on or off on this one: an access point
 * inside an irq-off section lets B run, and each cpu keeps its own irq state.
 */
static struct {
	int b_irqs_off, a_irqs_off_after;
} irqseen;

static void irqoff_access(void *arg)
{
	unsigned long flags;

	(void)arg;
	local_irq_save(flags);
	note("off");
	slub_yield(SLUB_YIELD_ACCESS, "in_irqoff");
	irqseen.a_irqs_off_after = irqs_disabled();
	note("still_off");
	local_irq_restore(flags);
}

static void notes_irq_state(void *arg)
{
	(void)arg;
	irqseen.b_irqs_off = irqs_disabled();
	note("ran");
}

TEST(sched_other_cpu_runs_inside_an_irqoff_section)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];

	sched_setup(2);
	memset(&irqseen, 0, sizeof(irqseen));
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "irqoff_access", "in_irqoff", 0);
	task_init(&t[0], irqoff_access, NULL, 0);
	task_init(&t[1], notes_irq_state, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:off B:ran A:still_off") == 0, "%s", trace.text);
	CHECK_EQ(irqseen.b_irqs_off, 0);
	CHECK_EQ(irqseen.a_irqs_off_after, 1);
	CHECK_EQ(caught.n, 0);
}

/*
 * Interrupts turned on are a yield point ("irq_on" at the caller); a restore that leaves them
 * off is not.
 */
static void nested_irq_sections(void *arg)
{
	unsigned long outer, inner;

	(void)arg;
	local_irq_save(outer);
	local_irq_save(inner);
	note("in");
	local_irq_restore(inner); /* still off: no point */
	note("inner_restored");
	local_irq_restore(outer); /* on: a point */
	note("on");
	local_irq_disable();
	local_irq_enable(); /* on again: the second point */
	note("end");
}

TEST(sched_interrupts_turned_on_are_a_yield_point)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];

	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "nested_irq_sections", "irq_on", 0);
	task_init(&t[0], nested_irq_sections, NULL, 0);
	task_init(&t[1], notes_irq_state, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:in A:inner_restored B:ran A:on A:end") == 0, "%s",
	      trace.text);

	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "nested_irq_sections", "irq_on", 1);
	task_init(&t[0], nested_irq_sections, NULL, 0);
	task_init(&t[1], notes_irq_state, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:in A:inner_restored A:on B:ran A:end") == 0, "%s",
	      trace.text);
	CHECK_EQ(caught.n, 0);
}

/* ---- what slub_sched_run refuses ---- */

static int nested_ret = 12345;

static void runs_another(void *arg)
{
	struct slub_task inner;

	(void)arg;
	task_init(&inner, stepper, (void *)(intptr_t)1, 3);
	nested_ret = slub_sched_run(&inner, 1, NULL);
}

TEST(sched_run_refuses_bad_tasks)
{
	struct slub_sched_config cfg;
	struct slub_task t[SLUB_MAX_FIBERS + 1];

	sched_setup(SLUB_MAX_FIBERS + 1);
	cfg_init(&cfg, 0, 0);
	for (int i = 0; i <= SLUB_MAX_FIBERS; i++)
		task_init(&t[i], stepper, (void *)(intptr_t)1, i);
	CHECK_EQ(slub_sched_run(t, 0, &cfg), SLUB_BOOT_EINVAL);
	CHECK_EQ(slub_sched_run(t, SLUB_MAX_FIBERS + 1, &cfg), SLUB_BOOT_EINVAL);
	t[1].cpu = 0; /* two tasks on one cpu */
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_EINVAL);
	t[1].cpu = SLUB_MAX_FIBERS + 1; /* past nr_cpu_ids */
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_EINVAL);
	t[1].cpu = 1;
	CHECK_EQ(slub_cpu_down(1), 0);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), SLUB_BOOT_EINVAL); /* offline */
	CHECK_EQ(trace.n, 0); /* nothing ran */
	CHECK_EQ(caught.n, 5);
	for (int i = 0; i < caught.n && i < MAX_CAUGHT; i++)
		CHECK(caught.kind[i] == SLUB_REPORT_WARN, "a warning: %s", caught.msg[i]);
	CHECK(!slub_tainted(), "nothing fatal");

	/* a run inside a run */
	CHECK_EQ(slub_cpu_up(1), 0);
	caught.n = 0;
	task_init(&t[0], runs_another, NULL, 0);
	CHECK_EQ(slub_sched_run(t, 1, &cfg), 0);
	CHECK_EQ(nested_ret, SLUB_BOOT_EINVAL);
	CHECK_EQ(caught.n, 1);
	/* and the sizes it accepts: SLUB_MAX_FIBERS tasks */
	trace_reset();
	for (int i = 0; i < SLUB_MAX_FIBERS; i++)
		task_init(&t[i], stepper, (void *)(intptr_t)1, i);
	CHECK_EQ(slub_sched_run(t, SLUB_MAX_FIBERS, &cfg), 0);
	CHECK_EQ(trace.n, SLUB_MAX_FIBERS);
}

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
