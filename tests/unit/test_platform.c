/* test_platform.c - unit tests of the simulated machine: CPU hotplug chain, per-cpu areas,
 * reports and recovery points, the printk ring buffer, and what a platform reset restores. */
#include <stdint.h>
#include <string.h>

#include "platform.h"
#include "test.h"
#include "track.h"

static struct {
	int count[SLUB_REPORT_PANIC + 1];
	enum slub_report_kind last_kind;
	char last_msg[512];
	char last_func[64];
	int tainted_in_hook;
} seen;

static void capture_report(const struct slub_report *r, void *arg)
{
	seen.count[r->kind]++;
	seen.last_kind = r->kind;
	strncpy(seen.last_msg, r->msg, sizeof(seen.last_msg) - 1);
	strncpy(seen.last_func, r->func, sizeof(seen.last_func) - 1);
	seen.tainted_in_hook = slub_tainted();
}

static void capture_reports(void)
{
	memset(&seen, 0, sizeof(seen));
	slub_set_report_hook(capture_report, NULL);
}

/* ---- CPUs ---- */

static struct {
	unsigned long action[16];
	long cpu[16];
	int who[16];
	int n;
	int veto_cpu;
} cpurec;

static int cpu_record(int who, unsigned long action, void *hcpu)
{
	if (cpurec.n < 16) {
		cpurec.action[cpurec.n] = action;
		cpurec.cpu[cpurec.n] = (long)hcpu;
		cpurec.who[cpurec.n] = who;
		cpurec.n++;
	}
	if (action == CPU_UP_PREPARE && (long)hcpu == cpurec.veto_cpu && who == 2)
		return notifier_from_errno(-ENOMEM);
	return NOTIFY_OK;
}

static int cpu_cb_high(struct notifier_block *nb, unsigned long action, void *hcpu)
{
	return cpu_record(1, action, hcpu);
}

static int cpu_cb_mid(struct notifier_block *nb, unsigned long action, void *hcpu)
{
	return cpu_record(2, action, hcpu);
}

static int cpu_cb_low(struct notifier_block *nb, unsigned long action, void *hcpu)
{
	return cpu_record(3, action, hcpu);
}

static struct notifier_block nb_high = { .notifier_call = cpu_cb_high, .priority = 10 };
static struct notifier_block nb_mid = { .notifier_call = cpu_cb_mid, .priority = 5 };
static struct notifier_block nb_low = { .notifier_call = cpu_cb_low, .priority = 0 };

TEST(platform_cpu_hotplug)
{
	slub_platform_reset(4);
	memset(&cpurec, 0, sizeof(cpurec));
	cpurec.veto_cpu = -1;
	register_cpu_notifier(&nb_low);
	register_cpu_notifier(&nb_high);
	register_cpu_notifier(&nb_mid);
	register_cpu_notifier(&nb_high); /* already there: no second link, no loop */

	CHECK_EQ(slub_cpu_down(0), -EBUSY); /* the current cpu */
	CHECK_EQ(slub_cpu_down(4), -EINVAL);
	CHECK_EQ(slub_cpu_down(-1), -EINVAL);
	CHECK_EQ(slub_cpu_up(2), -EINVAL); /* online already */
	CHECK_EQ(cpurec.n, 0);

	CHECK_EQ(slub_cpu_down(2), 0);
	CHECK(!cpu_online(2), "cpu 2 is down");
	CHECK_EQ(cpurec.n, 3);
	CHECK(cpurec.who[0] == 1 && cpurec.who[1] == 2 && cpurec.who[2] == 3,
	      "highest priority first");
	CHECK(cpurec.action[0] == CPU_DEAD && cpurec.cpu[0] == 2, "CPU_DEAD names cpu 2");
	CHECK_EQ(slub_cpu_down(2), -EINVAL);

	/* the middle block vetoes: only the one before it hears the cancel */
	cpurec.n = 0;
	cpurec.veto_cpu = 2;
	CHECK_EQ(slub_cpu_up(2), -ENOMEM);
	CHECK(!cpu_online(2), "vetoed cpu stays offline");
	CHECK_EQ(cpurec.n, 3);
	CHECK(cpurec.who[0] == 1 && cpurec.action[0] == CPU_UP_PREPARE,
	      "the high block saw the prepare");
	CHECK(cpurec.who[1] == 2 && cpurec.action[1] == CPU_UP_PREPARE,
	      "the middle block saw the prepare and vetoed");
	CHECK(cpurec.who[2] == 1 && cpurec.action[2] == CPU_UP_CANCELED,
	      "only the high block hears the cancel");

	cpurec.n = 0;
	cpurec.veto_cpu = -1;
	CHECK_EQ(slub_cpu_up(2), 0);
	CHECK(cpu_online(2), "cpu 2 is up");
	CHECK_EQ(cpurec.n, 3);
	CHECK(cpurec.action[2] == CPU_UP_PREPARE && cpurec.cpu[2] == 2,
	      "the last block saw the prepare of cpu 2");

	/* the last online cpu stays */
	slub_set_cpu(3);
	CHECK_EQ(slub_cpu_down(0), 0);
	CHECK_EQ(slub_cpu_down(1), 0);
	CHECK_EQ(slub_cpu_down(2), 0);
	CHECK_EQ(slub_cpu_down(3), -EBUSY);
	CHECK_EQ(smp_processor_id(), 3);

	/* a reset brings every cpu back and empties the chain */
	slub_platform_reset(4);
	cpurec.n = 0;
	CHECK(cpu_online(0) && cpu_online(1) && cpu_online(2), "reset brought all cpus up");
	CHECK_EQ(slub_cpu_down(1), 0);
	CHECK_EQ(cpurec.n, 0);
}

TEST(platform_set_cpu)
{
	slub_platform_reset(3);
	capture_reports();
	slub_set_cpu(2);
	CHECK_EQ(slub_get_cpu(), 2);
	CHECK_EQ(smp_processor_id(), 2);
	slub_set_cpu(3);
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 1);
	CHECK_EQ(slub_get_cpu(), 2);
	slub_set_cpu(-1);
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 2);
	slub_set_cpu(0);
	CHECK_EQ(slub_cpu_down(1), 0);
	slub_set_cpu(1);
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 3);
	CHECK(strstr(seen.last_msg, "offline") != NULL, "says why: %s", seen.last_msg);
	CHECK_EQ(slub_get_cpu(), 0);
}

/* ---- per-cpu areas ---- */

struct pcpu_test {
	long a;
	char b;
};

TEST(platform_percpu)
{
	struct pcpu_test *p, *q;
	uint64_t *aligned;

	slub_platform_reset(5);
	CHECK_EQ(slub_percpu_in_use(), 0);
	p = alloc_percpu(struct pcpu_test);
	REQUIRE(p, "alloc_percpu of a small struct");
	CHECK_EQ(slub_percpu_in_use(), 1);
	for (int cpu = 0; cpu < 5; cpu++) {
		struct pcpu_test *c = per_cpu_ptr(p, cpu);

		CHECK(c->a == 0 && c->b == 0, "cpu %d copy is zeroed", cpu);
		c->a = cpu * 100;
	}
	for (int cpu = 0; cpu < 5; cpu++)
		CHECK_EQ(per_cpu_ptr(p, cpu)->a, cpu * 100);
	slub_set_cpu(3);
	CHECK_EQ(this_cpu_ptr(p)->a, 300);

	aligned = __alloc_percpu(24, 256);
	REQUIRE(aligned, "a 256-aligned area");
	for (int cpu = 0; cpu < 5; cpu++)
		CHECK_EQ((uintptr_t)slub_percpu_ptr(aligned, cpu) % 256, 0);
	q = alloc_percpu(struct pcpu_test);
	CHECK_EQ(slub_percpu_in_use(), 3);
	free_percpu(aligned);
	free_percpu(NULL);
	CHECK_EQ(slub_percpu_in_use(), 2);
	free_percpu(q);
	CHECK_EQ(slub_percpu_in_use(), 1);

	capture_reports();
	CHECK(!__alloc_percpu(0, 8), "size 0 is refused");
	CHECK(!__alloc_percpu(8, 3), "align must be a power of two");
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 2);

	/* p is still live: a reset (as after a panic) reclaims it */
	slub_platform_reset(2);
	CHECK_EQ(slub_percpu_in_use(), 0);
}

static void *bad_percpu;
static int bad_cpu;

static void use_percpu(void *arg)
{
	slub_percpu_ptr(bad_percpu, bad_cpu);
}

TEST(platform_percpu_misuse)
{
	slub_platform_reset(2);
	capture_reports();
	bad_percpu = __alloc_percpu(16, 16);
	REQUIRE(bad_percpu, "a 16-byte area");
	bad_cpu = 2;
	CHECK_EQ(slub_protected(use_percpu, NULL), SLUB_BOOT_PANIC);
	CHECK_EQ(seen.count[SLUB_REPORT_BUG], 1);
	bad_cpu = 1;
	CHECK_EQ(slub_protected(use_percpu, NULL), 0);
	free_percpu(bad_percpu);
}

/* ---- reports and recovery ---- */

static int inner_result, after_inner;

static void do_panic(void *arg)
{
	panic("simulated panic %d", 42);
}

static void do_bug_on(void *arg)
{
	BUG_ON(arg != NULL);
}

static void outer(void *arg)
{
	inner_result = slub_protected(do_panic, NULL);
	after_inner = 1;
	BUG();
}

TEST(platform_protected_nesting)
{
	slub_platform_reset(1);
	capture_reports();
	CHECK_EQ(slub_protected(do_bug_on, NULL), 0);
	CHECK(!slub_tainted(), "a BUG_ON that does not fire does not taint");
	CHECK_EQ(slub_protected(do_bug_on, &seen), SLUB_BOOT_PANIC);
	CHECK_EQ(seen.last_kind, SLUB_REPORT_BUG);
	CHECK(strstr(seen.last_msg, "BUG_ON(arg != NULL)") != NULL, "%s", seen.last_msg);
	CHECK_EQ(seen.tainted_in_hook, 1);
	CHECK(slub_tainted(), "a fatal report taints");

	CHECK_EQ(slub_protected(outer, NULL), SLUB_BOOT_PANIC);
	CHECK_EQ(inner_result, SLUB_BOOT_PANIC); /* the panic unwound to the inner point only */
	CHECK_EQ(after_inner, 1);
	CHECK_EQ(seen.count[SLUB_REPORT_PANIC], 1);
	CHECK_EQ(seen.count[SLUB_REPORT_BUG], 2);
	CHECK(strstr(slub_dmesg(), "simulated panic 42") != NULL, "reports reach the dmesg");

	slub_platform_reset(1);
	CHECK(!slub_tainted(), "reset clears the taint");
	/* the hook survives the reset */
	CHECK_EQ(slub_protected(do_panic, NULL), SLUB_BOOT_PANIC);
	CHECK_EQ(seen.count[SLUB_REPORT_PANIC], 2);
}

static void lock_twice(void *arg)
{
	spinlock_t *l = arg;

	spin_lock(l);
	spin_lock(l);
}

TEST(platform_warn_and_lock_bug)
{
	spinlock_t lock = __SPIN_LOCK_UNLOCKED(lock);
	char addr[32];

	slub_platform_reset(1);
	capture_reports();
	CHECK_EQ(WARN_ON(1 + 1 == 3), 0);
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 0);
	CHECK_EQ(WARN_ON(2 > 1), 1);
	CHECK_EQ(seen.count[SLUB_REPORT_WARN], 1);
	CHECK(strstr(seen.last_msg, "2 > 1") != NULL, "names the condition");
	CHECK(!slub_tainted(), "a warning does not taint");

	CHECK_EQ(slub_protected(lock_twice, &lock), SLUB_BOOT_PANIC);
	CHECK_EQ(seen.last_kind, SLUB_REPORT_BUG);
	CHECK(strcmp(seen.last_func, "lock_twice") == 0, "names the function: %s", seen.last_func);
	slub_snprintf(addr, sizeof(addr), "%p", (void *)&lock);
	CHECK(strstr(seen.last_msg, addr) != NULL, "names the lock: %s", seen.last_msg);
}

static int default_hook_reached;

static void do_warn(void *arg)
{
	slub_report(SLUB_REPORT_INFO, "f.c", 7, "fn", "cache", "info %s", "text");
	default_hook_reached = 1;
}

TEST(platform_default_hook)
{
	/* NULL restores the default printer; a non-fatal report returns */
	slub_set_report_hook(NULL, NULL);
	CHECK_EQ(slub_protected(do_warn, NULL), 0);
	CHECK_EQ(default_hook_reached, 1);
	CHECK(strstr(slub_dmesg(), "f.c:7 fn(): info text\n") != NULL, "%s", slub_dmesg());
}

/* ---- printk ---- */

TEST(platform_printk_ring)
{
	const char *log, *newest = "<6>line 09999 of the ring buffer test\n";
	size_t len, line = strlen(newest);

	slub_set_printk_echo(0);
	for (int i = 0; i < 10000; i++)
		printk(KERN_INFO "line %05d of the ring buffer test\n", i);
	log = slub_dmesg();
	len = strlen(log);
	CHECK(10000 * line > 64 * 1024, "the test overflows the ring");
	CHECK_EQ(len, 64 * 1024);
	CHECK(strstr(log, "line 09999 of the ring buffer test\n") != NULL, "newest kept");
	CHECK(strstr(log, "line 00000 ") == NULL, "oldest dropped");
	CHECK(len >= line && strcmp(log + len - line, newest) == 0, "newest text last");
	/* the lines in between are intact and in order */
	CHECK(strstr(log, "line 09000 of the ring buffer test\n<6>line 09001 ") != NULL,
	      "the lines in between are intact and in order");
}

TEST(platform_printk_long_line)
{
	static char big[3000];
	const char *log;

	memset(big, 'x', sizeof(big) - 1);
	printk("%s\n", big);
	printk("next\n");
	log = slub_dmesg();
	CHECK(strstr(log, "xxx...\nnext\n") != NULL, "a cut line is marked and ended");
	CHECK_EQ(strlen(log), 1023 + 5);
}

TEST(platform_snprintf_and_cycles)
{
	char buf[8];

	CHECK_EQ(slub_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	CHECK(strcmp(buf, "0123456") == 0, "truncated, terminated: %s", buf);
	slub_platform_reset(1);
	CHECK_EQ(get_cycles(), 0);
	CHECK_EQ(get_cycles(), 1);
	jiffies = 99;
	local_irq_disable();
	slub_platform_reset(2);
	CHECK_EQ(get_cycles(), 0);
	CHECK_EQ(jiffies, 0);
	CHECK(!irqs_disabled(), "reset enables interrupts");
	CHECK_EQ(nr_cpu_ids, 2);
	CHECK(cpu_online(1) && !cpu_online(2), "2 cpus online, no more");
}

/* ---- metadata access (track.c) ---- */

/*
 * The word-at-a-time scan finds the first byte that differs at every alignment of start,
 * length and position, and reads memory the sanitizers hold inaccessible without a report.
 */
TEST(track_meta_scan_and_pointer_words)
{
	static unsigned char buf[96] __attribute__((aligned(16)));
	void *v, *back;

	for (size_t start = 0; start < 16; start++)
		for (size_t n = 0; n <= 40; n++)
			for (size_t bad = 0; bad <= n; bad++) {
				memset(buf, 0x6b, sizeof(buf));
				if (bad < n)
					buf[start + bad] = 0x6a;
				buf[start + n] = 0; /* just past the end: never looked at */
				CHECK(track_meta_scan(buf + start, 0x6b, n) == bad,
				      "start %zu length %zu: the first bad byte is %zu", start, n, bad);
			}

	track_noaccess(buf, sizeof(buf));
	track_meta_set(buf + 8, 0xa5, 24);
	CHECK_EQ(track_meta_scan(buf + 8, 0xa5, 24), 24);
	for (size_t off = 0; off < 16; off++) {
		v = (void *)(uintptr_t)(0x1122334455667788ULL + off);
		track_meta_write_ptr(buf + 40 + off, v);
		back = track_meta_read_ptr(buf + 40 + off);
		CHECK(back == v, "offset %zu", off);
	}
	track_defined(buf, sizeof(buf));
}

/*
 * A mapping freed and handed out again (the host cache) still comes back zeroed. The size is
 * one no other test frees, so the mapping handed back is this one.
 */
TEST(host_alloc_reuses_mappings_zeroed)
{
	unsigned char *a, *b;

	a = slub_host_alloc(5000000);
	REQUIRE(a, "host alloc");
	memset(a, 0xff, 5000000);
	slub_host_free(a);
	b = slub_host_alloc(4900000);
	REQUIRE(b, "host alloc");
	CHECK(b == a, "the freed mapping was not reused");
	for (int i = 0; i < 4900000; i++)
		if (b[i]) {
			CHECK(0, "byte %d of a reused mapping is %#x", i, b[i]);
			break;
		}
	b = slub_host_realloc(b, 5100000);
	REQUIRE(b, "host realloc");
	slub_host_free(b);
}
