/* sched.c - simulated SMP: tasks on several CPUs as fibers on the one host thread, the PCT
 * scheduler that alone decides who runs at each yield point, lock waits, and the deadlock
 * and livelock reports. The interface is in slub.h (harness) and platform.h (yield points). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#ifndef __x86_64__
#include <ucontext.h>
#endif

#include "platform.h"
#include "machine.h"
#include "track.h"

/*
 * Deliberate difference: the kernel's CPUs run at once; here one runs at a time and a switch
 * happens only at a yield point. Every interleaving of yield points is reachable, so a race
 * between two accesses is found only if a yield point separates them: locks and irq-on
 * points are yield points by construction, and the core marks the others (SLUB_YIELD_ACCESS).
 */

/* 256 KiB: ASan's frames are large, and a report formats its text on the fiber's stack. */
#define FIBER_STACK (256UL << 10)

enum fiber_state { FIBER_READY, FIBER_WAITING, FIBER_DONE };

/*
 * The switch itself. On x86-64 a few instructions of our own: the callee-saved registers go on
 * the leaving stack, its pointer into the fiber, the other's comes back. No system call (glibc's
 * swapcontext saves the signal mask with one each time) and nothing for ASan to warn about
 * (its swapcontext interceptor says it does not fully support it; the fiber annotations in
 * track.h are what it needs). Elsewhere, ucontext.
 */
#ifdef __x86_64__
struct fiber_ctx {
	void *sp;
};
void slub_fiber_swap(struct fiber_ctx *save, struct fiber_ctx *load);
__asm__(".text\n"
	".globl slub_fiber_swap\n"
	".type slub_fiber_swap, @function\n"
	"slub_fiber_swap:\n"
	"\tpushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n"
	"\tmovq %rsp, (%rdi)\n"
	"\tmovq (%rsi), %rsp\n"
	"\tpopq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n"
	"\tret\n"
	".size slub_fiber_swap, .-slub_fiber_swap\n");

/* A new fiber's stack as slub_fiber_swap leaves a switched-out one: six zero registers under
 * entry's address, under a zero return address for entry's own frame (16-byte aligned, as
 * the ABI wants at a call). */
static void fiber_ctx_init(struct fiber_ctx *ctx, char *stack, size_t size, void (*entry)(void))
{
	uintptr_t *sp = (uintptr_t *)(void *)(((uintptr_t)stack + size) & ~(uintptr_t)15);

	*--sp = 0;
	*--sp = (uintptr_t)entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	ctx->sp = sp;
}
#else
struct fiber_ctx {
	ucontext_t uc;
};
static void slub_fiber_swap(struct fiber_ctx *save, struct fiber_ctx *load)
{
	swapcontext(&save->uc, &load->uc);
}
static void fiber_ctx_init(struct fiber_ctx *ctx, char *stack, size_t size, void (*entry)(void))
{
	getcontext(&ctx->uc);
	ctx->uc.uc_stack.ss_sp = stack;
	ctx->uc.uc_stack.ss_size = size;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, entry, 0);
}
#endif

struct fiber {
	struct fiber_ctx ctx;
	char *stack; /* from the pool: FIBER_STACK bytes above a guard page */
	const void *bottom; /* the stack's bounds as ASan knows them (the thread's: learnt) */
	size_t size;
	void *fake; /* ASan's fake stack while switched out */
	struct slub_task *task;
	enum fiber_state state;
	int started;
	long prio;
	/* the lock it waits for */
	int (*ready)(const void *obj);
	const void *wait_obj;
	const char *wait_func, *wait_what;
	uint32_t at_site; /* where it stopped: the site key, SLUB_SITE_KEYS before its first run */
	/* the machine state that is the task's own, while another fiber runs */
	int cpu;
	void *recovery;
	unsigned long watchdog_ticks;
	long lockdep[]; /* slub_lockdep_task_size() bytes */
};

int slub_sched_active;
int slub_yield_on; /* slub_sched_active || point_hook: the yield macro's one test */

static struct fiber *fibers[SLUB_MAX_FIBERS + 1]; /* [0]: the caller of slub_sched_run */
static char *stack_pool;
static int nr_fibers; /* tasks of the run, fibers[1..nr_fibers] */
static struct fiber *cur;
static struct fiber *prev; /* the fiber that made the last switch */
static const struct slub_sched_config *config;
static unsigned long points, switches, budget;
static uint32_t site_hits[SLUB_SITE_KEYS];
static long lowest; /* the priority a demotion gives: below every other */
static unsigned long change_at[4]; /* PCT change points: yield point numbers */
static int nr_changes;
static slub_switch_fn switch_hook;
static void *switch_arg;
static slub_site_fn site_hook;
static void *site_arg;
static slub_point_fn point_hook;
static void *point_arg;

/* ---- site keys and names ---- */

static uint32_t fnv_str(uint32_t h, const char *c)
{
	for (; *c; c++)
		h = fnv_step(h, (unsigned char)*c, 16777619u);
	return h;
}

/*
 * Every yield site of the allocator by name (sched_sites.h). A site's key is its place in the
 * table: the keys of the allocator's sites are dense, so that every byte of a `switch` event
 * names one (prog.c). A site the table lacks (a new lock call not yet added) gets a key past
 * the table's, from the hash of its name; the fuzz suite fails until it is added.
 */
static const char *const known_sites[] = {
#include "sched_sites.h"
	NULL
};

int slub_site_keys_named(void)
{
	return (int)(sizeof(known_sites) / sizeof(known_sites[0])) - 1; /* less the NULL */
}

static uint32_t key_of_name(const char *name)
{
	uint32_t named = (uint32_t)slub_site_keys_named();

	for (uint32_t i = 0; i < named; i++)
		if (!strcmp(known_sites[i], name))
			return i;
	return named + fnv_str(2166136261u, name) % (SLUB_SITE_KEYS - named);
}

/*
 * A lock's release is a site of its own, named "func:class:unlock", so that a switch or a
 * coverage pair tells stopping before the lock is taken from stopping after it is let go.
 */
static void site_name_of(char *buf, size_t len, const char *func, const char *what, int unlock)
{
	snprintf(buf, len, "%s:%s%s", func, what, unlock ? ":unlock" : "");
}

static uint32_t site_key_of(const char *func, const char *what, int unlock)
{
	char name[160];

	site_name_of(name, sizeof(name), func, what, unlock);
	return key_of_name(name);
}

uint32_t slub_site_key(const char *func, const char *what)
{
	return site_key_of(func, what, 0);
}

/*
 * Sites as met, by key: the key of a (func, what) pair of string constants is memoised by
 * their addresses (not machine state: the same in every run of the binary), and the first
 * name seen for a key past sched_sites.h's is kept, so that reports can name such a site.
 */
#define SITE_MEMO 512
static struct {
	const char *func, *what;
	int unlock;
	uint32_t key;
} site_memo[SITE_MEMO];
static char site_names[SLUB_SITE_KEYS][96];

static uint32_t site_of(const char *func, const char *what, int unlock)
{
	uintptr_t h = ((uintptr_t)func * 31u + (uintptr_t)what * 7u + (uintptr_t)unlock) % SITE_MEMO;
	uint32_t key;

	for (int i = 0; i < 8; i++) {
		size_t at = (h + (uintptr_t)i) % SITE_MEMO;

		if (site_memo[at].func == func && site_memo[at].what == what &&
		    site_memo[at].unlock == unlock)
			return site_memo[at].key;
		if (!site_memo[at].func) {
			key = site_key_of(func, what, unlock);
			site_memo[at].func = func;
			site_memo[at].what = what;
			site_memo[at].unlock = unlock;
			site_memo[at].key = key;
			if (!site_names[key][0])
				site_name_of(site_names[key], sizeof(site_names[key]), func, what,
					     unlock);
			return key;
		}
	}
	return site_key_of(func, what, unlock);
}

const char *slub_site_name(uint32_t key)
{
	if (key < (uint32_t)slub_site_keys_named())
		return known_sites[key];
	return key < SLUB_SITE_KEYS && site_names[key][0] ? site_names[key] : NULL;
}

int slub_sched_sites_met(void (*fn)(const char *name, int known, void *arg), void *arg)
{
	int unknown = 0;

	for (int i = 0; i < SITE_MEMO; i++) {
		char name[160];
		int known;

		if (!site_memo[i].func)
			continue;
		site_name_of(name, sizeof(name), site_memo[i].func, site_memo[i].what,
			     site_memo[i].unlock);
		known = site_memo[i].key < (uint32_t)slub_site_keys_named();
		unknown += !known;
		fn(name, known, arg);
	}
	return unknown;
}

/* ---- fibers ---- */

static struct fiber *fiber_new(void)
{
	struct fiber *f = slub_host_alloc(sizeof(*f) + slub_lockdep_task_size());

	if (!f) {
		fprintf(stderr, "slubfuzz: no host memory for a fiber\n");
		abort();
	}
	return f;
}

static void stacks_once(void)
{
	size_t one = FIBER_STACK + PAGE_SIZE;

	if (stack_pool)
		return;
	stack_pool = mmap(NULL, one * SLUB_MAX_FIBERS, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack_pool == MAP_FAILED) {
		perror("slubfuzz: mmap of the fiber stacks");
		abort();
	}
	for (int i = 0; i <= SLUB_MAX_FIBERS; i++)
		fibers[i] = fiber_new();
	for (int i = 1; i <= SLUB_MAX_FIBERS; i++) {
		char *guard = stack_pool + (size_t)(i - 1) * one;

		/* an overflowing fiber faults on its guard instead of running into the next stack */
		mprotect(guard, PAGE_SIZE, PROT_NONE);
		fibers[i]->stack = guard + PAGE_SIZE;
		fibers[i]->bottom = fibers[i]->stack;
		fibers[i]->size = FIBER_STACK;
		track_fiber_stack_register(fibers[i]->stack, FIBER_STACK);
	}
}

static void state_save(struct fiber *f)
{
	f->cpu = slub_current_cpu;
	f->recovery = slub_recovery_get();
	f->watchdog_ticks = slub_watchdog_ticks;
	slub_lockdep_save(f->lockdep);
}

static void state_load(const struct fiber *f)
{
	slub_current_cpu = f->cpu;
	slub_recovery_set(f->recovery);
	slub_watchdog_ticks = f->watchdog_ticks;
	slub_lockdep_load(f->lockdep);
}

/* Arrived on f's stack from prev's: ASan learns of the switch, and the thread's stack bounds. */
static void arrive(struct fiber *f)
{
	const void *bottom;
	size_t size;

	track_fiber_arrive(f->fake, &bottom, &size);
	if (prev == fibers[0]) {
		fibers[0]->bottom = bottom;
		fibers[0]->size = size;
	}
}

/* Switches from the running fiber to `to`; returns when something switches back. */
static void switch_to(struct fiber *to, int for_good)
{
	struct fiber *from = cur;

	if (from != fibers[0] && to != fibers[0]) {
		switches++;
		if (switch_hook)
			switch_hook(from->at_site, to->at_site, switch_arg);
	}
	state_save(from);
	state_load(to);
	prev = from;
	cur = to;
	track_fiber_leave(for_good ? NULL : &from->fake, to->bottom, to->size);
	slub_fiber_swap(&from->ctx, &to->ctx);
	arrive(from);
}

static int ipi_takeable(const struct fiber *f);
static int ipi_elsewhere(const struct fiber *f);
static void ipi_drain(int cpu, int force);

/*
 * The fiber to run next: the highest priority among those that can go on (ready, or waiting
 * for a lock that is now free), NULL if none can. Ties cannot happen: priorities are distinct.
 */
static struct fiber *pick(void)
{
	struct fiber *best = NULL;

	for (int i = 1; i <= nr_fibers; i++) {
		struct fiber *f = fibers[i];

		if (f->state == FIBER_DONE || ipi_elsewhere(f))
			continue;
		if (f->state == FIBER_WAITING && !f->ready(f->wait_obj) && !ipi_takeable(f))
			continue;
		if (!best || f->prio > best->prio)
			best = f;
	}
	return best;
}

/* The first waiting fiber: it reports the deadlock when nothing can go on. */
static struct fiber *first_waiting(void)
{
	for (int i = 1; i <= nr_fibers; i++)
		if (fibers[i]->state == FIBER_WAITING)
			return fibers[i];
	return NULL;
}

/* a finished task's cpu takes its queued IPIs, inside a recovery point as the task was */
static void drain_idle(void *arg)
{
	ipi_drain(((struct slub_task *)arg)->cpu, 1);
}

static void fiber_main(void)
{
	struct fiber *f = cur, *next;

	f->fake = NULL;
	arrive(f);
	f->started = 1;
	f->task->result = slub_protected(f->task->fn, f->task->arg);
	/*
	 * Its cpu is idle now: it takes what waits for it, before it is marked done, for a
	 * handler may stop at a yield point, and only a live fiber is ever switched back to
	 * (after a BUG the machine is over: what still waits is left, as the others are).
	 */
	if (!f->task->result && !slub_tainted())
		f->task->result = slub_protected(drain_idle, f->task);
	f->state = FIBER_DONE;
	/* after a fatal report the machine is over: the others stay where they are */
	next = slub_tainted() ? NULL : pick();
	if (!next && !slub_tainted())
		next = first_waiting(); /* it finds that nothing can go on, and says so */
	switch_to(next ? next : fibers[0], 1);
	/* nothing switches back to a finished fiber */
	abort();
}

/* ---- IPIs: smp_call_function's delivery, for on_each_cpu (cpu.c) ---- */

/*
 * A cpu takes an IPI only with its interrupts on. A cpu no task runs on (none was given one, its
 * task has not begun, or has ended) takes it at once: outside the allocator a kernel task runs
 * with interrupts on, so a task not yet begun cannot hold the IPI off until it is inside its
 * first event. A cpu whose task is stopped at a yield point takes it when that task next meets
 * a yield point with interrupts on (or ends), and the sender waits until it has run, as
 * smp_call_function(..., wait=1) spins on each cpu's call data. The handler runs as the target
 * cpu with its interrupts off, on the stack of whoever delivers it (an interrupt on the
 * interrupted task's stack), and one cpu runs one handler at a time.
 */
struct ipi {
	void (*func)(void *info);
	void *info;
	int done;
	struct ipi *next;
};
static struct ipi *ipi_queue[NR_CPUS]; /* waiting for the target cpu, oldest first */
static unsigned char ipi_running[NR_CPUS];
static struct fiber *ipi_host[NR_CPUS]; /* on whose stack it runs */

static void ipi_run(int cpu, struct ipi *req)
{
	int self = slub_current_cpu;
	unsigned char irqs_off = slub_irqs_off[cpu];

	ipi_running[cpu] = 1;
	ipi_host[cpu] = cur;
	slub_current_cpu = cpu;
	slub_irqs_off[cpu] = 1;
	req->func(req->info);
	slub_irqs_off[cpu] = irqs_off;
	slub_current_cpu = self;
	ipi_running[cpu] = 0;
	req->done = 1;
}

/* Runs what waits for cpu; unless forced (the cpu is idle), only while its interrupts are on. */
static void ipi_drain(int cpu, int force)
{
	while (ipi_queue[cpu] && !ipi_running[cpu] && (force || !slub_irqs_off[cpu]) &&
	       !slub_tainted()) {
		struct ipi *req = ipi_queue[cpu];

		ipi_queue[cpu] = req->next;
		ipi_run(cpu, req);
	}
}

/* The task that runs on cpu, begun and not ended, or NULL. */
static struct fiber *fiber_on(int cpu)
{
	for (int i = 1; i <= nr_fibers; i++)
		if (fibers[i]->task->cpu == cpu && fibers[i]->started &&
		    fibers[i]->state != FIBER_DONE)
			return fibers[i];
	return NULL;
}

/*
 * The fiber's cpu is inside a handler that runs on another fiber's stack (it had not begun
 * when the IPI came, and the handler stopped at a yield point): the task waits for the
 * handler's end, as a kernel task does for the interrupt it was taken from.
 */
static int ipi_elsewhere(const struct fiber *f)
{
	int cpu = f->task->cpu;

	return ipi_running[cpu] && ipi_host[cpu] != f;
}

/* A waiting fiber may run to take an IPI: its cpu has one queued and its interrupts are on. */
static int ipi_takeable(const struct fiber *f)
{
	int cpu = f->task->cpu;

	return ipi_queue[cpu] && !ipi_running[cpu] && !slub_irqs_off[cpu];
}

static int ipi_done(const void *obj)
{
	return ((const struct ipi *)obj)->done;
}

void slub_smp_call_function(void (*func)(void *info), void *info)
{
	struct ipi req[NR_CPUS];
	int self = smp_processor_id(), cpu;

	for_each_online_cpu(cpu) {
		req[cpu] = (struct ipi){ func, info, 0, NULL };
		if (cpu == self)
			continue;
		if (!slub_sched_active || cur == fibers[0] ||
		    (!fiber_on(cpu) && !ipi_running[cpu])) {
			ipi_run(cpu, &req[cpu]);
			ipi_drain(cpu, 1); /* what queued for it meanwhile */
			continue;
		}
		/* at the tail: each cpu takes its calls in the order they were sent */
		struct ipi **tail = &ipi_queue[cpu];

		while (*tail)
			tail = &(*tail)->next;
		*tail = &req[cpu];
	}
	for_each_online_cpu(cpu)
		if (cpu != self && !req[cpu].done)
			slub_sched_wait(ipi_done, &req[cpu], "smp_call_function", "ipi");
}

/* ---- reports ---- */

#define SCHED_REPORT_MAX 8192

static void buf_addf(char *buf, size_t *len, const char *fmt, ...) __printf(3, 4);
static void buf_addf(char *buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= SCHED_REPORT_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, SCHED_REPORT_MAX - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = min((size_t)SCHED_REPORT_MAX, *len + (size_t)n);
}

/* Every cpu of the run: what it waits for, and the locks it holds (lockdep's list). */
static void describe_cpus(char *buf, size_t *len)
{
	for (int i = 1; i <= nr_fibers; i++) {
		struct fiber *f = fibers[i];
		int cpu = f == cur ? slub_current_cpu : f->cpu;

		if (f->state == FIBER_DONE)
			buf_addf(buf, len, "cpu %d: done\n", cpu);
		else if (f->state == FIBER_WAITING)
			buf_addf(buf, len, "cpu %d: waits for %s in %s()\n", cpu, f->wait_what,
				 f->wait_func);
		else
			buf_addf(buf, len, "cpu %d: runnable, stopped at %s\n", cpu,
				 slub_site_name(f->at_site) ? slub_site_name(f->at_site)
							    : "its start");
		slub_lockdep_print_task(f == cur ? NULL : f->lockdep, cpu + 1, buf,
					SCHED_REPORT_MAX, len);
	}
}

/*
 * Every fiber waits for a lock another holds: the machine has deadlocked. A spinning cpu is
 * what 2.6.36's spinlock debugging reports (lib/spinlock_debug.c); a task asleep on slub_lock
 * is what the hung task detector reports (kernel/hung_task.c). Neither prints the other cpus'
 * locks; lockdep's list of each is added, as the issue asks and as sysrq-d would show.
 */
static __noreturn void report_deadlock(const char *func, const char *what, const void *obj)
{
	char msg[SCHED_REPORT_MAX];
	size_t len = 0;

	if (!strcmp(what, "slub_lock"))
		buf_addf(msg, &len,
			 "INFO: task %s:%d blocked for more than 120 seconds.\n", TASK_COMM,
			 current_pid());
	else if (!strcmp(what, "ipi")) /* spinning in smp_call_function for a cpu's answer */
		buf_addf(msg, &len, "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]\n",
			 smp_processor_id(), 60u, TASK_COMM, current_pid());
	else
		buf_addf(msg, &len, "BUG: spinlock lockup on CPU#%d, %s/%d, %p\n",
			 smp_processor_id(), TASK_COMM, current_pid(), obj);
	buf_addf(msg, &len, "deadlock: every cpu of the run waits for a lock another holds\n");
	describe_cpus(msg, &len);
	slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, func, "%s", msg);
}

static __noreturn void report_livelock(const char *func)
{
	char msg[SCHED_REPORT_MAX];
	size_t len = 0;

	buf_addf(msg, &len, "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]\n",
		 smp_processor_id(), 60u, TASK_COMM, current_pid());
	buf_addf(msg, &len,
		 "livelock: %lu yield points in one concurrent run (budget %lu), last in %s()\n",
		 points, budget, func);
	describe_cpus(msg, &len);
	slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, func, "%s", msg);
}

/* ---- the scheduler ---- */

/* xorshift32: the PCT draws, from the run's seed alone */
static uint32_t draw(uint32_t *r)
{
	uint32_t x = *r ? *r : 0x9e3779b9u;

	x ^= (uint32_t)((uint64_t)x << 13); /* shifted in 64 bits: nothing wraps */
	x ^= x >> 17;
	x ^= (uint32_t)((uint64_t)x << 5);
	*r = x;
	return x;
}

/*
 * PCT spreads its change points over the run's length, which is not known here: a group of a
 * few kmallocs meets a few dozen yield points, a fill and a shrink thousands (the scheduler's
 * tests measured 3,900 for a mixed workload). So each change point's range is drawn first, a
 * power of two from 2^1 to 2^PCT_LOG_STEPS, and the point uniformly in it: every scale gets
 * its share, short runs as often as long ones.
 */
#define PCT_LOG_STEPS 13

/*
 * murmur3's finaliser, products kept in 64 bits (nothing wraps for the integer sanitizer).
 * A fuzzer tries small seeds first, and xorshift's first draws from small seeds are nearly
 * multiples of the seed: from seeds 1 to 16, the first task of three never came first.
 */
static uint32_t seed_mix(uint32_t h)
{
	h ^= h >> 16;
	h = (uint32_t)(((uint64_t)h * 0x85ebca6bu) & 0xffffffffu);
	h ^= h >> 13;
	h = (uint32_t)(((uint64_t)h * 0xc2b2ae35u) & 0xffffffffu);
	h ^= h >> 16;
	return h;
}

static void pct_setup(const struct slub_sched_config *cfg)
{
	uint32_t r = seed_mix(cfg->seed);
	int order[SLUB_MAX_FIBERS];

	/* seed 0: task 1 first, then 2, ...; else a permutation drawn from the seed */
	for (int i = 0; i < nr_fibers; i++)
		order[i] = i;
	if (cfg->seed)
		for (int i = nr_fibers - 1; i > 0; i--) {
			int j = (int)(draw(&r) % (uint32_t)(i + 1)), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	/* initial priorities above every change point's (1..depth-1) and every demotion's */
	for (int i = 0; i < nr_fibers; i++)
		fibers[order[i] + 1]->prio = 64 + nr_fibers - i;
	nr_changes = cfg->depth > 1 ? min(cfg->depth - 1, (int)ARRAY_SIZE(change_at)) : 0;
	for (int i = 0; i < nr_changes; i++)
		change_at[i] = 1 + draw(&r) % (2UL << (draw(&r) % PCT_LOG_STEPS));
	lowest = 0;
}

void slub_sched_yield(enum slub_yield_kind kind, const char *func, const char *what)
{
	struct fiber *next;
	uint32_t key, nth;
	int demote = 0;

	if (slub_tainted())
		return;
	key = site_of(func, what, kind == SLUB_YIELD_UNLOCK);
	if (point_hook) {
		struct slub_point pt = { key, !irqs_disabled(), 0 };

		pt.preemptible = pt.irqs_on && !slub_preempt_count;
		point_hook(&pt, point_arg);
		if (slub_tainted())
			return;
	}
	/* each fiber is its own cpu: another cpu may run at every kind of point */
	if (!slub_sched_active || cur == fibers[0])
		return;
	cur->at_site = key;
	ipi_drain(slub_current_cpu, 0);
	if (++points > budget)
		report_livelock(func);
	nth = site_hits[key]++;
	if (site_hook)
		site_hook(key, nth, site_arg);
	for (int i = 0; i < config->nr_switches; i++)
		if (config->sw[i].site == key && (uint32_t)config->sw[i].nth == nth)
			demote = 1;
	for (int i = 0; i < nr_changes; i++)
		if (change_at[i] == points)
			cur->prio = 1 + i; /* PCT: the i-th change point's priority */
	if (demote)
		cur->prio = --lowest;
	next = pick();
	if (next && next != cur) {
		switch_to(next, 0);
		ipi_drain(slub_current_cpu, 0);
	}
}

int slub_sched_wait(int (*ready)(const void *obj), const void *obj, const char *func,
		    const char *what)
{
	struct fiber *next;

	if (!slub_sched_active || cur == fibers[0])
		return 0;
	for (;;) {
		/* a cpu spinning with interrupts on takes IPIs (their handlers may wait too) */
		cur->state = FIBER_READY;
		ipi_drain(slub_current_cpu, 0);
		if (ready(obj))
			break;
		cur->state = FIBER_WAITING;
		cur->ready = ready;
		cur->wait_obj = obj;
		cur->wait_func = func;
		cur->wait_what = what;
		cur->at_site = site_of(func, what, 0);
		if (++points > budget)
			report_livelock(func);
		next = pick();
		if (!next)
			report_deadlock(func, what, obj);
		if (next != cur)
			switch_to(next, 0);
	}
	cur->state = FIBER_READY;
	return 1;
}

int slub_sched_run(struct slub_task *tasks, int n, const struct slub_sched_config *cfg)
{
	static const struct slub_sched_config none;
	int died = 0;

	if (slub_sched_active || n < 1 || n > SLUB_MAX_FIBERS) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: slub_sched_run of %d tasks (%s)", n,
			    slub_sched_active ? "inside another run" : "1 to SLUB_MAX_FIBERS");
		return SLUB_BOOT_EINVAL;
	}
	for (int i = 0; i < n; i++) {
		int clash = tasks[i].cpu < 0 || tasks[i].cpu >= nr_cpu_ids ||
			    !cpu_online(tasks[i].cpu);

		for (int j = 0; j < i; j++)
			clash |= tasks[i].cpu == tasks[j].cpu;
		if (clash) {
			slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
				    "WARNING: slub_sched_run: task %d's cpu %d is offline or "
				    "another task's", i, tasks[i].cpu);
			return SLUB_BOOT_EINVAL;
		}
	}
	stacks_once();
	config = cfg ? cfg : &none;
	budget = config->budget ? config->budget : SLUB_SCHED_BUDGET;
	points = switches = 0;
	memset(site_hits, 0, sizeof(site_hits));
	nr_fibers = n;
	for (int i = 1; i <= n; i++) {
		struct fiber *f = fibers[i];

		f->task = &tasks[i - 1];
		f->task->result = 1;
		f->state = FIBER_READY;
		f->started = 0;
		f->at_site = SLUB_SITE_KEYS;
		f->cpu = f->task->cpu;
		f->recovery = NULL;
		f->watchdog_ticks = 0;
		slub_lockdep_task_init(f->lockdep);
		track_fiber_stack_fresh(f->stack, FIBER_STACK);
		fiber_ctx_init(&f->ctx, f->stack, FIBER_STACK, fiber_main);
	}
	pct_setup(config);
	cur = fibers[0];
	slub_sched_active = slub_yield_on = 1;
	switch_to(pick(), 0);
	/* back: every task finished, or one died and the machine is tainted */
	slub_sched_active = 0;
	slub_yield_on = point_hook != NULL;
	for (int i = 0; i < n; i++)
		if (tasks[i].result == SLUB_BOOT_PANIC || tasks[i].result == 1)
			died = 1;
	return died || slub_tainted() ? SLUB_BOOT_PANIC : 0;
}

int slub_sched_current(void)
{
	if (!slub_sched_active)
		return 0;
	for (int i = 1; i <= nr_fibers; i++)
		if (fibers[i] == cur)
			return i;
	return 0;
}

unsigned long slub_sched_points(void)
{
	return points;
}

unsigned long slub_sched_switches(void)
{
	return switches;
}

void slub_sched_set_switch_hook(slub_switch_fn fn, void *arg)
{
	switch_hook = fn;
	switch_arg = arg;
}

void slub_sched_set_site_hook(slub_site_fn fn, void *arg)
{
	site_hook = fn;
	site_arg = arg;
}

void slub_sched_set_point_hook(slub_point_fn fn, void *arg)
{
	point_hook = fn;
	point_arg = arg;
	slub_yield_on = slub_sched_active || fn;
}
