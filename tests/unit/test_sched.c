/* test_sched.c - unit tests of the scheduler of simulated CPUs (slub_sched_run): the order it
 * runs fibers in, named switches, lock waits, deadlock and livelock reports, per-fiber lock
 * state, where a switch may come, and what it refuses. */
#include "sched_fixture.h"

/* ---- site keys ---- */

/* The allocator's sites are keyed by their place in sched_sites.h; a site it lacks, past them. */
TEST(sched_site_key_is_the_table_index_else_a_hash_past_it)
{
	uint32_t named = (uint32_t)slub_site_keys_named();
	const char *s = "stepper:step";
	uint32_t h = 2166136261u;

	REQUIRE(named > 2, "%u sites named", named);
	CHECK_EQ(slub_site_key("slab_alloc", "might_sleep"), 0);
	CHECK(!strcmp(slub_site_name(0), "slab_alloc:might_sleep"), "site 0: %s", slub_site_name(0));
	CHECK(!strcmp(slub_site_name(slub_site_key("get_partial_node", "&n->list_lock")),
		      "get_partial_node:&n->list_lock"), "a name does not come back from its key");
	for (uint32_t k = 0; k < named; k++)
		CHECK(slub_site_name(k) && strchr(slub_site_name(k), ':'), "site %u: %s", k,
		      slub_site_name(k) ? slub_site_name(k) : "no name");
	for (const char *p = s; *p; p++)
		h = fnv_step(h, (unsigned char)*p, 16777619u);
	CHECK_EQ(slub_site_key("stepper", "step"), named + h % (SLUB_SITE_KEYS - named));
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

/* ---- IPIs: when a cpu takes what another cpu's on_each_cpu sends it ---- */

/* The handler stops at a yield point of its own, as flush_cpu_slab does at slab_lock. */
static void ipi_handler(void *arg)
{
	(void)arg;
	note("ipi_in");
	slub_yield(SLUB_YIELD_ACCESS, "step");
	note("ipi_out");
}

static void sends_ipi(void *arg)
{
	(void)arg;
	note("send");
	slub_smp_call_function(ipi_handler, NULL);
	note("sent");
}

/* No yield point: an IPI sent to its cpu while it runs waits for its end. */
static void no_yield_point(void *arg)
{
	(void)arg;
	note("end");
}

/*
 * A task not yet begun is outside the allocator, where a kernel task runs with interrupts on:
 * its cpu takes an IPI at once (on the sender's stack), before the task's first step, which
 * waits for the handler's end even when the handler stops at a yield point. (It once
 * waited for the task's first point with interrupts on, so that a cpu whose first event was a
 * free, interrupts off throughout, took another cpu's flush_all only after the free: every
 * window the free's slab_lock opens inside a shrink or validate was out of reach.)
 */
TEST(sched_ipi_to_a_task_not_begun_runs_at_once)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];

	sched_setup(2);
	cfg_init(&cfg, 0, 0); /* seed 0: the sender first, to its end unless it waits */
	task_init(&t[0], sends_ipi, NULL, 0);
	task_init(&t[1], no_yield_point, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:send A:ipi_in A:ipi_out A:sent B:end") == 0, "%s",
	      trace.text);
	CHECK_EQ(caught.n, 0);

	/*
	 * The handler stopped at its yield point: cpu 1 is in the interrupt, so its task may not
	 * begin until the handler ends (it once did, with the handler's interrupts off: false
	 * "sleeping function called from invalid context" reports in a validate beside a kzalloc).
	 */
	sched_setup(2);
	cfg_init(&cfg, 0, 0);
	cfg_switch(&cfg, "ipi_handler", "step", 0);
	task_init(&t[0], sends_ipi, NULL, 0);
	task_init(&t[1], no_yield_point, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK(strcmp(trace_str(), "A:send A:ipi_in A:ipi_out A:sent B:end") == 0, "%s",
	      trace.text);
	CHECK_EQ(caught.n, 0);
}

/* Stops at a yield point with interrupts off, then turns them on (a point too) and ends. */
static void irqoff_then_end(void *arg)
{
	unsigned long flags;

	(void)arg;
	local_irq_save(flags);
	note("in");
	slub_yield(SLUB_YIELD_ACCESS, "in_irqoff");
	note("on");
	local_irq_restore(flags);
	note("end");
}

/*
 * A cpu stopped with interrupts off takes the IPI where they come on, on its own stack; the
 * handler may stop at a yield point and let a third cpu run: it must be switched back to and
 * finish, and the sender go on. (A handler a finished task's cpu took was once run after the
 * task was marked done, which nothing switches back to: a false "soft lockup" in
 * smp_call_function, found by AFL++ in a validate beside two allocations.)
 */
TEST(sched_ipi_waits_for_interrupts_on_and_its_handler_may_yield)
{
	struct slub_sched_config cfg;
	struct slub_task t[3];
	int ran = 0, waited = 0;

	for (uint32_t seed = 0; seed < 24; seed++) {
		sched_setup(3);
		cfg_init(&cfg, seed, 3);
		cfg_switch(&cfg, "irqoff_then_end", "in_irqoff", 0);
		cfg_switch(&cfg, "ipi_handler", "step", 0); /* a handler stopped lets the others run */
		cfg_switch(&cfg, "ipi_handler", "step", 1);
		task_init(&t[0], sends_ipi, NULL, 0);
		task_init(&t[1], irqoff_then_end, NULL, 1);
		task_init(&t[2], stepper, (void *)(intptr_t)12, 2);
		CHECK_EQ(slub_sched_run(t, 3, &cfg), 0);
		CHECK(!slub_tainted() && caught.n == 0, "seed %u: %d report(s), first: %s", seed,
		      caught.n, caught.msg[0]);
		CHECK(t[0].result == 0 && t[1].result == 0 && t[2].result == 0,
		      "seed %u: results %d %d %d", seed, t[0].result, t[1].result, t[2].result);
		if (getenv("TEST_VERBOSE"))
			fprintf(stderr, "seed %u: %s\n", seed, trace_str());
		if (trace_at("B:ipi_in") < 0) {
			/* cpu 1 had not begun or had ended when it was sent: at once, on A's stack */
			CHECK(trace_at("A:ipi_in") < trace_at("B:in") ||
				      trace_at("A:ipi_in") > trace_at("B:end"),
			      "seed %u: cpu 1 took it inside its irq-off section: %s", seed,
			      trace_str());
			CHECK_BEFORE("A:ipi_out", "A:sent");
			continue;
		}
		waited++;
		CHECK_BEFORE("B:on", "B:ipi_in");
		CHECK_BEFORE("B:ipi_out", "B:end");
		CHECK_BEFORE("B:ipi_out", "A:sent");
		/* the third cpu ran while the handler was stopped */
		for (int i = trace_at("B:ipi_in") + 1; i < trace_at("B:ipi_out"); i++)
			if (trace.ev[i][0] == 'C') {
				ran++;
				break;
			}
	}
	CHECK(waited > 0, "no seed sent the IPI while cpu 1 had interrupts off");
	CHECK(ran > 0, "no seed let cpu 2 run inside the handler");
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

/* ---- the point hook: what the harness's irq_at and migrate_at see ---- */

static struct {
	int n;
	uint32_t site[16];
	int irqs_on[16], preemptible[16], fiber[16];
} points_seen;

static void record_point(const struct slub_point *pt, void *arg)
{
	(void)arg;
	if (points_seen.n < 16) {
		points_seen.site[points_seen.n] = pt->site;
		points_seen.irqs_on[points_seen.n] = pt->irqs_on;
		points_seen.preemptible[points_seen.n] = pt->preemptible;
		points_seen.fiber[points_seen.n] = slub_sched_current();
	}
	points_seen.n++;
}

/* Three points: interrupts on and no lock, a spinlock held, interrupts off. */
static void three_points(void *arg)
{
	unsigned long flags;

	(void)arg;
	slub_yield(SLUB_YIELD_ACCESS, "open");
	spin_lock(&la);
	slub_yield(SLUB_YIELD_ACCESS, "spinning");
	spin_unlock(&la);
	local_irq_save(flags);
	slub_yield(SLUB_YIELD_ACCESS, "irqs_off");
	local_irq_restore(flags);
}

/*
 * The point hook sees every yield point, outside a run (one test of a flag then, and none at
 * all while it is unset) and inside one on each fiber, with what the kernel allows there: an
 * interrupt where the cpu's interrupts are on; a preemption or migration only where also no
 * spinlock is held.
 */
TEST(sched_point_hook_sees_each_point_and_what_it_allows)
{
	struct slub_sched_config cfg;
	struct slub_task t[2];
	uint32_t open = slub_site_key("three_points", "open");
	uint32_t spinning = slub_site_key("three_points", "spinning");
	uint32_t irqs_off = slub_site_key("three_points", "irqs_off");
	int seen_irqs_off = 0;

	sched_setup(2);
	spin_lock_init(&la);
	memset(&points_seen, 0, sizeof(points_seen));
	CHECK_EQ(slub_yield_on, 0);
	three_points(NULL); /* no hook: nothing sees the points */
	slub_sched_set_point_hook(record_point, NULL);
	CHECK_EQ(slub_yield_on, 1);
	three_points(NULL);
	/* the points met with the spinlock: its own yield points, then the marked one */
	for (int i = 0; i < points_seen.n && i < 16; i++) {
		if (points_seen.site[i] == open) {
			CHECK(points_seen.irqs_on[i] && points_seen.preemptible[i], "open: %d %d",
			      points_seen.irqs_on[i], points_seen.preemptible[i]);
		} else if (points_seen.site[i] == spinning) {
			CHECK(points_seen.irqs_on[i] && !points_seen.preemptible[i],
			      "a spinlock held: %d %d", points_seen.irqs_on[i],
			      points_seen.preemptible[i]);
		} else if (points_seen.site[i] == irqs_off) {
			CHECK(!points_seen.irqs_on[i] && !points_seen.preemptible[i],
			      "interrupts off: %d %d", points_seen.irqs_on[i],
			      points_seen.preemptible[i]);
			seen_irqs_off++;
		}
		CHECK_EQ(points_seen.fiber[i], 0);
	}
	CHECK_EQ(seen_irqs_off, 1);
	CHECK(points_seen.n >= 3, "%d points", points_seen.n);
	/* in a run: on each fiber, the same answers */
	memset(&points_seen, 0, sizeof(points_seen));
	cfg_init(&cfg, 0, 0);
	task_init(&t[0], three_points, NULL, 0);
	task_init(&t[1], three_points, NULL, 1);
	CHECK_EQ(slub_sched_run(t, 2, &cfg), 0);
	CHECK_EQ(slub_yield_on, 1);
	seen_irqs_off = 0;
	for (int i = 0; i < points_seen.n && i < 16; i++) {
		CHECK(points_seen.fiber[i] == 1 || points_seen.fiber[i] == 2, "fiber %d",
		      points_seen.fiber[i]);
		if (points_seen.site[i] == spinning)
			CHECK(!points_seen.preemptible[i], "a spinlock held, in a run");
		seen_irqs_off += points_seen.site[i] == irqs_off && !points_seen.irqs_on[i];
	}
	CHECK_EQ(seen_irqs_off, 2);
	slub_sched_set_point_hook(NULL, NULL);
	CHECK_EQ(slub_yield_on, 0);
	memset(&points_seen, 0, sizeof(points_seen));
	three_points(NULL);
	CHECK_EQ(points_seen.n, 0);
	CHECK_EQ(caught.n, 0);
}
