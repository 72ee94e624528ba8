/* platform.c - the simulated machine around SLUB: CPUs and their hotplug chain, the lock and
 * context model (irq state, held locks, might_sleep), per-cpu areas, reports with their
 * recovery point, the printk ring buffer, and deterministic time. */
#include <setjmp.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform.h"
#include "track.h"

/* ---- the simulated CPUs ---- */

/* Before the first slub_platform_reset the machine is one online CPU. */
__slub_state int nr_cpu_ids = 1;
__slub_state int slub_current_cpu;
__slub_state DECLARE_BITMAP(cpu_online_mask, NR_CPUS) = { 1UL };
__slub_state unsigned long jiffies;

static __slub_state unsigned long slub_cycles;
static __slub_state struct notifier_block *cpu_chain;

unsigned long get_cycles(void)
{
	return slub_cycles++;
}

void slub_set_cpu(int cpu)
{
	if (cpu != slub_current_cpu && irqs_disabled()) {
		/* a task moves between cpus only where it could sleep: the harness's error */
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: slub_set_cpu(%d) with interrupts off on cpu %d: no task "
			    "migrates here; stays on %d", cpu, slub_current_cpu, slub_current_cpu);
		return;
	}
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: slub_set_cpu(%d): cpu is %s (nr_cpu_ids %d); stays on %d",
			    cpu, (cpu < 0 || cpu >= nr_cpu_ids) ? "out of range" : "offline",
			    nr_cpu_ids, slub_current_cpu);
		return;
	}
	slub_current_cpu = cpu;
}

int slub_get_cpu(void)
{
	return slub_current_cpu;
}

static int slub_online_cpus(void)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		n++;
	return n;
}

/* ---- notifier chains (kernel/notifier.c), shared with the memory hotplug chain ---- */

int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	struct notifier_block **p;

	/* Boots repeat: a block registered again must not end up on the chain twice. */
	for (p = nl; *p; p = &(*p)->next)
		if (*p == n)
			return 0;
	/* Equal priorities keep registration order, as in the kernel. */
	while (*nl && (*nl)->priority >= n->priority)
		nl = &(*nl)->next;
	n->next = *nl;
	*nl = n;
	return 0;
}

int notifier_call_chain(struct notifier_block **nl, unsigned long val, void *v, int nr_to_call,
			int *nr_calls)
{
	struct notifier_block *nb = *nl, *next;
	int ret = NOTIFY_DONE;

	while (nb && nr_to_call) {
		/* the callback may unregister itself, so step on from what it pointed at */
		next = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (nr_calls)
			(*nr_calls)++;
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
		nr_to_call--;
	}
	return ret;
}

void register_cpu_notifier(struct notifier_block *nb)
{
	notifier_chain_register(&cpu_chain, nb);
}

int slub_cpu_down(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	/* The caller runs on the current cpu, and the machine keeps one cpu alive. */
	if (cpu == slub_current_cpu || slub_online_cpus() == 1)
		return -EBUSY;
	__clear_bit(cpu, cpu_online_mask);
	notifier_call_chain(&cpu_chain, CPU_DEAD, (void *)(long)cpu, -1, NULL);
	return 0;
}

int slub_cpu_up(int cpu)
{
	int nr_calls = 0, ret;

	if (cpu < 0 || cpu >= nr_cpu_ids || cpu_online(cpu))
		return -EINVAL;
	ret = notifier_call_chain(&cpu_chain, CPU_UP_PREPARE, (void *)(long)cpu, -1, &nr_calls);
	if (slub_notifier_bad(ret)) {
		/* as _cpu_up: only the blocks that accepted the prepare hear of the cancel */
		notifier_call_chain(&cpu_chain, CPU_UP_CANCELED, (void *)(long)cpu, nr_calls - 1,
				    NULL);
		return -ENOMEM;
	}
	__set_bit(cpu, cpu_online_mask);
	return 0;
}

/* ---- the lock and context model ---- */

__slub_state unsigned char slub_irqs_off[NR_CPUS];
__slub_state int slub_preempt_count;
__slub_state int slub_might_sleep_armed;
/* held_locks beyond the depth mean nothing: a snapshot (taken with none held) needs the depth */
__slub_state int slub_lockdep_depth;

/* One lock the task holds, and where it took it. */
struct held_lock {
	const void *instance;
	const char *name;
	const char *file;
	const char *func;
	int line;
	int class_id; /* lock_class_of(name)->id */
	int rank; /* its class's place in 2.6.36's order, -1 for none */
	enum slub_lock_type type;
};

#define MAX_LOCK_DEPTH 48 /* lockdep's */
/* Outside the snapshot: only entries below slub_lockdep_depth mean anything. */
static struct held_lock held_locks[MAX_LOCK_DEPTH];

static const char *lock_type_name(enum slub_lock_type type)
{
	switch (type) {
	case SLUB_LOCK_RWSEM_READ: return "down_read";
	case SLUB_LOCK_RWSEM_WRITE: return "down_write";
	case SLUB_LOCK_BIT_SPIN: return "bit_spin_lock";
	case SLUB_LOCK_SPIN: return "spin_lock";
	}
	return "?";
}

/*
 * 2.6.36's order: slub_lock (0), slab_lock (1), list_lock (2). Other classes (a caller's own
 * locks) have no place in it (-1): lockdep would learn their order, the model does not.
 */
static int lock_rank_of(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "&n->list_lock") == 0)
		return 2;
	if (strcmp(name, "slab_lock") == 0)
		return 1;
	if (strcmp(name, "slub_lock") == 0)
		return 0;
	return -1;
}

/*
 * A lock's class is its name; call sites pass the same few name strings, so a class is looked
 * up by the string's address and keeps a small number: two held locks are of one class when
 * their numbers are equal, and no string is compared on the way.
 */
struct lock_class {
	const char *name;
	int id; /* the same for every address of equal text */
	int rank;
};
static struct lock_class lock_classes[64];
static int nr_lock_classes;
/* the memo's last answer, and the class handed out once the table is full */
static const struct lock_class *lock_class_last;
static struct lock_class lock_class_uncached;
static int lock_class_next_id = (int)ARRAY_SIZE(lock_classes);

/* Not machine state: a memo of string addresses, the same whichever machine runs. */
static const struct lock_class *lock_class_of(const char *name)
{
	int i;

	if (lock_class_last && lock_class_last->name == name)
		return lock_class_last;
	for (i = 0; i < nr_lock_classes; i++)
		if (lock_classes[i].name == name)
			return lock_class_last = &lock_classes[i];
	if (nr_lock_classes == (int)ARRAY_SIZE(lock_classes)) {
		/* lockdep's words; from here a new string is a class of its own each time */
		if (lock_class_next_id == (int)ARRAY_SIZE(lock_classes))
			slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
				    "BUG: MAX_LOCKDEP_KEYS too low! (%s)", name);
		lock_class_uncached.name = name;
		lock_class_uncached.rank = lock_rank_of(name);
		lock_class_uncached.id = lock_class_next_id++;
		return lock_class_last = &lock_class_uncached;
	}
	lock_classes[i].name = name;
	lock_classes[i].rank = lock_rank_of(name);
	lock_classes[i].id = i;
	for (int j = 0; j < i; j++)
		if (name && lock_classes[j].name && !strcmp(lock_classes[j].name, name)) {
			lock_classes[i].id = lock_classes[j].id;
			break;
		}
	nr_lock_classes++;
	return lock_class_last = &lock_classes[i];
}

static int lock_is_spin(enum slub_lock_type type)
{
	return type >= SLUB_LOCK_BIT_SPIN;
}

/* Appends to buf at *len, never past size. */
static __printf(4, 5) void buf_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = min(size, *len + (size_t)n);
}

static void print_lock(char *buf, size_t size, size_t *len, const void *instance,
		       const char *name, enum slub_lock_type type, const char *file, int line,
		       const char *func)
{
	buf_add(buf, size, len, " (%s){%s} %p, at: %s() %s:%d\n", name ? name : "?",
		lock_type_name(type), instance, func, file, line);
}

/* lockdep_print_held_locks: the task's held locks, outermost first. */
static void print_held_locks(char *buf, size_t size, size_t *len)
{
	int i;

	if (!slub_lockdep_depth) {
		buf_add(buf, size, len, "no locks held by %s/%d.\n", TASK_COMM, current_pid());
		return;
	}
	buf_add(buf, size, len, "%d lock%s held by %s/%d:\n", slub_lockdep_depth,
		slub_lockdep_depth > 1 ? "s" : "", TASK_COMM, current_pid());
	for (i = 0; i < slub_lockdep_depth; i++) {
		const struct held_lock *h = &held_locks[i];

		buf_add(buf, size, len, " #%d: ", i);
		print_lock(buf, size, len, h->instance, h->name, h->type, h->file, h->line, h->func);
	}
}

#define LOCKDEP_REPORT_MAX 4096

/*
 * print_deadlock_bug / print_circular_bug_header: the task takes a lock of a class it holds,
 * or against the order. fatal: the same instance, which the kernel would deadlock on.
 */
static void report_acquire(const char *what, const struct held_lock *prev,
			   const void *instance, const char *name, enum slub_lock_type type,
			   const char *file, int line, const char *func, int fatal)
{
	char msg[LOCKDEP_REPORT_MAX];
	size_t len = 0;

	buf_add(msg, sizeof(msg), &len, "[ INFO: %s ]\n%s/%d is trying to acquire lock:\n", what,
		TASK_COMM, current_pid());
	print_lock(msg, sizeof(msg), &len, instance, name, type, file, line, func);
	buf_add(msg, sizeof(msg), &len, "\nbut task is already holding lock:\n");
	print_lock(msg, sizeof(msg), &len, prev->instance, prev->name, prev->type, prev->file,
		   prev->line, prev->func);
	if (fatal)
		buf_add(msg, sizeof(msg), &len, "\nthe same lock: the task deadlocks here\n");
	buf_add(msg, sizeof(msg), &len, "\nother info that might help us debug this:\n");
	print_held_locks(msg, sizeof(msg), &len);
	slub_report(fatal ? SLUB_REPORT_BUG : SLUB_REPORT_WARN, file, line, func, NULL, "%s", msg);
}

/*
 * Whether taking instance while holding h against the order can deadlock. lockdep's classes
 * decide for the locks 2.6.36's lockdep watches (slub_lock, list_lock). A slab_lock is a bit
 * spinlock with no lockdep map in 2.6.36, so its place in the order is the model's own rule,
 * and it speaks only where the other order is really taken: the slab_lock of a page under
 * the list_lock of that page's own cache and node (__slab_free and unfreeze_slab hold the
 * page and take that list_lock). list_slab_objects' kzalloc, whose __slab_alloc locks a
 * kmalloc cache's page under the closing cache's list_lock, deadlocks against nothing.
 */
static int lock_order_matters(const struct held_lock *h, const void *instance,
			      enum slub_lock_type type)
{
	if (type != SLUB_LOCK_BIT_SPIN || h->type != SLUB_LOCK_SPIN)
		return 1;
	return slub_slab_lock_pairs_with(instance, h->instance);
}

void slub_lock_acquired(const void *instance, const char *name, enum slub_lock_type type,
			int trylock, const char *file, int line, const char *func)
{
	const struct lock_class *class = lock_class_of(name);
	int rank = class->rank, i;
	struct held_lock *h;

	if (!trylock) {
		for (i = slub_lockdep_depth - 1; i >= 0; i--) {
			h = &held_locks[i];
			if (h->class_id == class->id) {
				report_acquire("possible recursive locking detected", h, instance,
					       name, type, file, line, func, 0);
				break;
			}
			if (rank >= 0 && h->rank > rank && lock_order_matters(h, instance, type)) {
				report_acquire("possible circular locking dependency detected", h,
					       instance, name, type, file, line, func, 0);
				break;
			}
		}
	}
	if (lock_is_spin(type))
		slub_preempt_count++;
	if (slub_lockdep_depth == MAX_LOCK_DEPTH) {
		slub_report(SLUB_REPORT_WARN, file, line, func, NULL,
			    "BUG: MAX_LOCK_DEPTH too low! (%s not tracked)", name);
		return;
	}
	h = &held_locks[slub_lockdep_depth++];
	h->instance = instance;
	h->name = name;
	h->class_id = class->id;
	h->rank = rank;
	h->type = type;
	h->file = file;
	h->line = line;
	h->func = func;
}

__noreturn void slub_lock_self_deadlock(const void *instance, const char *name,
					enum slub_lock_type type, const char *file, int line,
					const char *func)
{
	struct held_lock none = { instance, name, "?", "(not on the held-lock stack)", 0, -1, -1,
				  type };
	const struct held_lock *prev = &none;
	int i;

	for (i = slub_lockdep_depth - 1; i >= 0; i--)
		if (held_locks[i].instance == instance)
			prev = &held_locks[i];
	report_acquire("possible recursive locking detected", prev, instance, name, type, file,
		       line, func, 1);
	/* a fatal report does not come back; this keeps the promise if a hook misbehaves */
	slub_fatal(SLUB_REPORT_BUG, file, line, func, "kernel BUG: deadlock on %s", name);
}

/* print_unlock_inbalance_bug */
static void report_unlock_imbalance(const void *instance, const char *name,
				    enum slub_lock_type type, const char *file, int line,
				    const char *func, enum slub_report_kind kind)
{
	char msg[LOCKDEP_REPORT_MAX];
	size_t len = 0;

	buf_add(msg, sizeof(msg), &len,
		"[ BUG: bad unlock balance detected! ]\n%s/%d is trying to release lock (%s) "
		"%p at:\n %s() %s:%d\nbut there are no more locks to release!\n"
		"\nother info that might help us debug this:\n",
		TASK_COMM, current_pid(), name ? name : "?", instance, func, file, line);
	print_held_locks(msg, sizeof(msg), &len);
	(void)type;
	slub_report(kind, file, line, func, NULL, "%s", msg);
}

int slub_lock_released(const void *instance, const char *name, enum slub_lock_type type,
		       const char *file, int line, const char *func)
{
	int i;

	for (i = slub_lockdep_depth - 1; i >= 0; i--)
		if (held_locks[i].instance == instance)
			break;
	if (i < 0) {
		report_unlock_imbalance(instance, name, type, file, line, func, SLUB_REPORT_WARN);
		return 0;
	}
	if (lock_is_spin(held_locks[i].type))
		slub_preempt_count--;
	/* usually the innermost lock goes; lockdep allows any order */
	for (slub_lockdep_depth--; i < slub_lockdep_depth; i++)
		held_locks[i] = held_locks[i + 1];
	return 1;
}

static void slub_lockdep_truncate(int depth)
{
	while (slub_lockdep_depth > depth)
		if (lock_is_spin(held_locks[--slub_lockdep_depth].type))
			slub_preempt_count--;
}

/*
 * lockdep_sys_exit, where a harness call returns: every lock taken in the call must be
 * released. Interrupts left off that were on at entry are reported in the words of the
 * syscall exit check of later kernels (kernel/entry/common.c); 2.6.36 has none.
 */
static void lockdep_sys_exit(int depth_at_entry, int irqs_off_at_entry)
{
	char msg[LOCKDEP_REPORT_MAX];
	size_t len = 0;

	if (slub_lockdep_depth > depth_at_entry) {
		const struct held_lock *h = &held_locks[slub_lockdep_depth - 1];

		buf_add(msg, sizeof(msg), &len,
			"[ BUG: lock held when returning to user space! ]\n"
			"%s/%d is leaving the kernel with locks still held!\n", TASK_COMM,
			current_pid());
		print_held_locks(msg, sizeof(msg), &len);
		slub_report(SLUB_REPORT_WARN, h->file, h->line, h->func, NULL, "%s", msg);
	}
	if (irqs_disabled() && !irqs_off_at_entry)
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: the call left IRQs disabled (cpu %d)", smp_processor_id());
}

void __might_sleep(const char *file, int line, const char *func)
{
	char msg[LOCKDEP_REPORT_MAX];
	size_t len = 0;

	buf_add(msg, sizeof(msg), &len,
		"BUG: sleeping function called from invalid context at %s:%d\n"
		"in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n",
		file, line, in_atomic(), irqs_disabled(), current_pid(), TASK_COMM);
	print_held_locks(msg, sizeof(msg), &len);
	slub_report(SLUB_REPORT_WARN, file, line, func, NULL, "%s", msg);
}

void slub_spin_lock(spinlock_t *l, const char *file, int line, const char *func)
{
	if (l->locked)
		slub_lock_self_deadlock(l, l->name, SLUB_LOCK_SPIN, file, line, func);
	slub_lock_acquired(l, l->name, SLUB_LOCK_SPIN, 0, file, line, func);
	l->locked = 1;
}

void slub_spin_unlock(spinlock_t *l, const char *file, int line, const char *func)
{
	if (!l->locked) {
		report_unlock_imbalance(l, l->name, SLUB_LOCK_SPIN, file, line, func,
					SLUB_REPORT_WARN);
		return;
	}
	slub_lock_released(l, l->name, SLUB_LOCK_SPIN, file, line, func);
	l->locked = 0;
}

int slub_spin_trylock(spinlock_t *l, const char *file, int line, const char *func)
{
	if (l->locked)
		return 0;
	slub_lock_acquired(l, l->name, SLUB_LOCK_SPIN, 1, file, line, func);
	l->locked = 1;
	return 1;
}

void slub_bit_spin_lock(int bitnum, unsigned long *addr, const char *name, const char *file,
			int line, const char *func)
{
	if (test_bit(bitnum, addr))
		slub_lock_self_deadlock(addr, name, SLUB_LOCK_BIT_SPIN, file, line, func);
	slub_lock_acquired(addr, name, SLUB_LOCK_BIT_SPIN, 0, file, line, func);
	__set_bit(bitnum, addr);
}

void slub_bit_spin_unlock(int bitnum, unsigned long *addr, const char *name, const char *file,
			  int line, const char *func)
{
	if (!test_bit(bitnum, addr)) {
		/* 2.6.36's bit_spin_unlock BUG_ONs a clear bit (CONFIG_DEBUG_SPINLOCK): fatal */
		report_unlock_imbalance(addr, name, SLUB_LOCK_BIT_SPIN, file, line, func,
					SLUB_REPORT_BUG);
		slub_fatal(SLUB_REPORT_BUG, file, line, func, "kernel BUG: %s", name);
	}
	slub_lock_released(addr, name, SLUB_LOCK_BIT_SPIN, file, line, func);
	__clear_bit(bitnum, addr);
}

int slub_bit_spin_trylock(int bitnum, unsigned long *addr, const char *name, const char *file,
			  int line, const char *func)
{
	if (test_bit(bitnum, addr))
		return 0;
	slub_lock_acquired(addr, name, SLUB_LOCK_BIT_SPIN, 1, file, line, func);
	__set_bit(bitnum, addr);
	return 1;
}

void slub_down_read(struct rw_semaphore *sem, const char *file, int line, const char *func)
{
	if (slub_might_sleep_armed && (slub_preempt_count || irqs_disabled()))
		__might_sleep(file, line, func);
	/* a writer is this task: it waits for itself */
	if (sem->activity < 0)
		slub_lock_self_deadlock(sem, sem->name, SLUB_LOCK_RWSEM_READ, file, line, func);
	slub_lock_acquired(sem, sem->name, SLUB_LOCK_RWSEM_READ, 0, file, line, func);
	sem->activity++;
}

void slub_up_read(struct rw_semaphore *sem, const char *file, int line, const char *func)
{
	if (sem->activity <= 0) {
		report_unlock_imbalance(sem, sem->name, SLUB_LOCK_RWSEM_READ, file, line, func,
					SLUB_REPORT_WARN);
		return;
	}
	slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_READ, file, line, func);
	sem->activity--;
}

void slub_down_write(struct rw_semaphore *sem, const char *file, int line, const char *func)
{
	if (slub_might_sleep_armed && (slub_preempt_count || irqs_disabled()))
		__might_sleep(file, line, func);
	if (sem->activity)
		slub_lock_self_deadlock(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, file, line, func);
	slub_lock_acquired(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, 0, file, line, func);
	sem->activity = -1;
}

void slub_up_write(struct rw_semaphore *sem, const char *file, int line, const char *func)
{
	if (sem->activity != -1) {
		report_unlock_imbalance(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, file, line, func,
					SLUB_REPORT_WARN);
		return;
	}
	slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, file, line, func);
	sem->activity = 0;
}

/* ---- per-cpu areas ---- */

/*
 * Deliberate difference: the kernel's percpu allocator carves chunks of its own; here every
 * area comes from one pool reserved once per process, so that a snapshot can save and
 * restore the areas with the rest of the machine (the host heap could not give them back
 * after a shutdown). Freed areas are poisoned and reused by size; the pool empties when the
 * last area goes.
 */
#define PERCPU_MAGIC 0x70637075UL /* "pcpu" */
#define PERCPU_POOL_SIZE (64UL << 20)

/* Sits right in front of copy 0; the copies follow at a fixed stride. */
struct slub_percpu_area {
	struct list_head list; /* on percpu_areas while live, on percpu_free after */
	void *base; /* the start of the chunk */
	size_t chunk; /* its length, header included */
	size_t stride;
	int nr; /* copies: nr_cpu_ids when allocated */
	unsigned long magic;
};

static char *percpu_pool;
static __slub_state size_t percpu_top; /* bytes of the pool handed out so far */
static __slub_state LIST_HEAD(percpu_areas);
static __slub_state LIST_HEAD(percpu_free);
static __slub_state unsigned long percpu_live;

/* slub_host_alloc's header: the mapping's length, in front of what the caller gets. */
struct host_block {
	size_t len;
	size_t pad; /* keeps the caller's memory 16-byte aligned */
};

/*
 * Freed mappings kept for reuse, up to HOST_CACHE of them and HOST_CACHE_BYTES in all: a fuzz
 * loop that keeps machines frees and maps snapshot buffers of like sizes for every new boot
 * header, and a fresh mapping costs a page fault on the first touch of each page and a TLB
 * flush at munmap (with this cache an AFL++ campaign's kernel share fell from 38.7 % to 27.2 %
 * of samples, bench/profile.sh).
 */
#define HOST_CACHE 32
#define HOST_CACHE_BYTES (64UL << 20)
static struct host_block *host_cache[HOST_CACHE];
static size_t host_cache_bytes;

/* The smallest kept mapping of len to 2 * len bytes, taken out of the cache; else NULL. */
static struct host_block *host_cache_take(size_t len)
{
	int best = -1;
	struct host_block *b;

	for (int i = 0; i < HOST_CACHE; i++)
		if (host_cache[i] && host_cache[i]->len >= len && host_cache[i]->len / 2 <= len &&
		    (best < 0 || host_cache[i]->len < host_cache[best]->len))
			best = i;
	if (best < 0)
		return NULL;
	b = host_cache[best];
	host_cache[best] = NULL;
	host_cache_bytes -= b->len;
	return b;
}

static void *host_alloc(size_t size, int zero)
{
	size_t len = ALIGN(sizeof(struct host_block) + size, 4096);
	struct host_block *b;

	if (size > ((size_t)-1) / 2)
		return NULL;
	b = host_cache_take(len);
	if (b) {
		if (zero)
			memset(b + 1, 0, size);
		return b + 1;
	}
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->len = len;
	return b + 1;
}

void *slub_host_alloc(size_t size)
{
	return host_alloc(size, 1);
}

void *slub_host_alloc_uninit(size_t size)
{
	return host_alloc(size, 0);
}

void slub_host_free(void *ptr)
{
	struct host_block *b;

	if (!ptr)
		return;
	b = (struct host_block *)ptr - 1;
	if (host_cache_bytes + b->len <= HOST_CACHE_BYTES)
		for (int i = 0; i < HOST_CACHE; i++)
			if (!host_cache[i]) {
				host_cache[i] = b;
				host_cache_bytes += b->len;
				return;
			}
	munmap(b, b->len);
}

void *slub_host_realloc(void *ptr, size_t size)
{
	struct host_block *b = ptr ? (struct host_block *)ptr - 1 : NULL;
	void *n;

	if (b && sizeof(*b) + size <= b->len)
		return ptr;
	n = slub_host_alloc(size);
	if (n && b)
		memcpy(n, ptr, b->len - sizeof(*b));
	if (n)
		slub_host_free(ptr);
	return n;
}

static struct slub_percpu_area *slub_percpu_area(void *ptr, const char *func)
{
	struct slub_percpu_area *area = (struct slub_percpu_area *)((char *)ptr - sizeof(*area));

	if (!ptr || (char *)ptr < percpu_pool || (char *)ptr >= percpu_pool + percpu_top ||
	    area->magic != PERCPU_MAGIC)
		slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, func,
			   "kernel BUG: %p is not a live per-cpu area", ptr);
	return area;
}

/* A chunk of len bytes aligned to align: a freed one of that length, else the pool's top. */
static char *percpu_chunk(size_t len, size_t align)
{
	struct slub_percpu_area *area;
	size_t at;

	list_for_each_entry(area, &percpu_free, list)
		if (area->chunk == len && ((uintptr_t)area->base & (align - 1)) == 0) {
			list_del(&area->list);
			return area->base;
		}
	if (!percpu_pool) {
		void *pool = mmap(NULL, PERCPU_POOL_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (pool == MAP_FAILED)
			return NULL;
		percpu_pool = pool;
		track_noaccess(percpu_pool, PERCPU_POOL_SIZE);
	}
	at = ALIGN(percpu_top, align);
	if (at + len > PERCPU_POOL_SIZE)
		return NULL;
	percpu_top = at + len;
	return percpu_pool + at;
}

void *__alloc_percpu(size_t size, size_t align)
{
	struct slub_percpu_area *area;
	size_t head, stride, len;
	char *base, *first;

	if (size == 0 || align > PAGE_SIZE || (align & (align - 1))) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: illegal size (%zu) or align (%zu) for percpu allocation",
			    size, align);
		return NULL;
	}
	/* the per-cpu allocator can run short too: the harness decides, as for pages */
	if (slub_should_fail(SLUB_FAULT_PERCPU, NULL))
		return NULL;
	/* 16 suits the header, and keeps every chunk whole shadow granules for ASan */
	if (align < 16)
		align = 16;
	stride = ALIGN(size, align);
	head = ALIGN(sizeof(*area), align);
	len = head + stride * (size_t)nr_cpu_ids;
	base = percpu_chunk(len, align);
	if (!base)
		return NULL;
	track_defined(base, len);
	first = base + head;
	area = (struct slub_percpu_area *)(void *)(first - sizeof(*area));
	area->base = base;
	area->chunk = len;
	area->stride = stride;
	area->nr = nr_cpu_ids;
	area->magic = PERCPU_MAGIC;
	memset(first, 0, stride * (size_t)nr_cpu_ids);
	list_add_tail(&area->list, &percpu_areas);
	percpu_live++;
	return first;
}

static void slub_percpu_release(struct slub_percpu_area *area)
{
	list_del(&area->list);
	area->magic = 0;
	percpu_live--;
	if (!percpu_live) {
		/* the last one: the whole pool is free again */
		INIT_LIST_HEAD(&percpu_free);
		track_noaccess(percpu_pool, percpu_top);
		percpu_top = 0;
		return;
	}
	list_add(&area->list, &percpu_free);
	/* the header stays readable: the free list runs through it */
	track_noaccess((char *)(area + 1), area->chunk - (size_t)((char *)(area + 1) - (char *)area->base));
}

void free_percpu(void *ptr)
{
	if (!ptr)
		return;
	slub_percpu_release(slub_percpu_area(ptr, __func__));
}

void *slub_percpu_ptr(void *ptr, int cpu)
{
	struct slub_percpu_area *area = slub_percpu_area(ptr, __func__);

	if (cpu < 0 || cpu >= area->nr)
		slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__,
			   "kernel BUG: per_cpu_ptr(%p, %d): the area has %d cpus", ptr, cpu,
			   area->nr);
	return (char *)ptr + area->stride * (size_t)cpu;
}

/* The pool in use, whole: live areas, freed ones (poisoned) and their headers. */
void percpu_state_regions(slub_region_fn add, void *ctx)
{
	if (percpu_top)
		add(percpu_pool, percpu_top, ctx);
}

/* Before a restore: everything handed out since is unallocated pool again. */
void percpu_state_forget(void)
{
	if (percpu_top)
		track_noaccess(percpu_pool, percpu_top);
}

unsigned long slub_percpu_in_use(void)
{
	return percpu_live;
}

/* ---- printk ring buffer ---- */

#define LOG_BUF_LEN (64 * 1024)
#define PRINTK_LINE_MAX 1024

static char log_buf[LOG_BUF_LEN];
static __slub_state size_t log_start, log_len; /* oldest byte, and bytes held */
static char dmesg_text[LOG_BUF_LEN + 1];
static int printk_echo;

/* Appends text, dropping the oldest bytes once the buffer is full. */
static void log_store(const char *text, size_t n)
{
	while (n) {
		size_t pos = (log_start + log_len) % LOG_BUF_LEN;
		size_t chunk = min(n, (size_t)LOG_BUF_LEN - pos);

		memcpy(log_buf + pos, text, chunk);
		log_len += chunk;
		if (log_len > LOG_BUF_LEN) {
			log_start = (log_start + log_len - LOG_BUF_LEN) % LOG_BUF_LEN;
			log_len = LOG_BUF_LEN;
		}
		text += chunk;
		n -= chunk;
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	/* a cut line says so, and still ends the line it started */
	if ((size_t)n >= sizeof(line))
		memcpy(line + sizeof(line) - 5, "...\n", 5);
	log_store(line, strlen(line));
	if (printk_echo)
		fputs(line, stderr);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void slub_set_printk_echo(int on)
{
	printk_echo = on;
}

void slub_dmesg_clear(void)
{
	log_start = 0;
	log_len = 0;
}

const char *slub_dmesg(void)
{
	size_t first = min(log_len, (size_t)LOG_BUF_LEN - log_start);

	memcpy(dmesg_text, log_buf + log_start, first);
	memcpy(dmesg_text + first, log_buf, log_len - first);
	dmesg_text[log_len] = '\0';
	return dmesg_text;
}

/* The bytes held, in at most two pieces (log_start and log_len are in the state section). */
void printk_state_regions(slub_region_fn add, void *ctx)
{
	size_t first = min(log_len, (size_t)LOG_BUF_LEN - log_start);

	if (first)
		add(log_buf + log_start, first, ctx);
	if (log_len > first)
		add(log_buf, log_len - first, ctx);
}

/* ---- reports ---- */

/* Room for a whole slub_debug report with its object dump; longer text is cut, not spilled. */
#define REPORT_MAX 65536

static __slub_state jmp_buf *slub_recovery; /* innermost armed slub_protected, or NULL */
static __slub_state int tainted;

static void slub_default_report(const struct slub_report *r, void *arg)
{
	fprintf(stderr, "%s:%d %s(): %s\n", r->file, r->line, r->func, r->msg);
}

static slub_report_fn report_hook = slub_default_report;
static void *report_arg;

void slub_set_report_hook(slub_report_fn fn, void *arg)
{
	report_hook = fn ? fn : slub_default_report;
	report_arg = fn ? arg : NULL;
}

static int slub_fatal_kind(enum slub_report_kind kind)
{
	return kind == SLUB_REPORT_BUG || kind == SLUB_REPORT_PANIC;
}

/* Unwinds to the innermost recovery point; with none, the process ends here. */
static __noreturn void slub_die(void)
{
	if (slub_recovery)
		longjmp(*slub_recovery, 1);
	abort();
}

/*
 * Formats into the stack and logs from there: a report may come from inside a corrupted
 * allocator, so this path takes no memory from the arena or the host heap.
 */
static void slub_emit(enum slub_report_kind kind, const char *file, int line, const char *func,
		      const char *cache, const char *fmt, va_list ap)
{
	char msg[REPORT_MAX], where[256];
	struct slub_report r;
	size_t len;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		slub_snprintf(msg, sizeof(msg), "(unprintable report: %s)", fmt);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	r.kind = kind;
	r.file = file ? file : "?";
	r.line = line;
	r.func = func ? func : "?";
	r.cache = cache;
	r.msg = msg;
	if (slub_fatal_kind(kind))
		tainted = 1;
	slub_snprintf(where, sizeof(where), "%s:%d %s(): ", r.file, r.line, r.func);
	log_store(where, strlen(where));
	log_store(msg, len);
	log_store("\n", 1);
	report_hook(&r, report_arg);
}

void slub_vreport(enum slub_report_kind kind, const char *file, int line, const char *func,
		  const char *cache, const char *fmt, va_list ap)
{
	slub_emit(kind, file, line, func, cache, fmt, ap);
	if (slub_fatal_kind(kind))
		slub_die();
}

void slub_report(enum slub_report_kind kind, const char *file, int line, const char *func,
		 const char *cache, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	slub_vreport(kind, file, line, func, cache, fmt, ap);
	va_end(ap);
}

void slub_fatal(enum slub_report_kind kind, const char *file, int line, const char *func,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	slub_emit(kind, file, line, func, NULL, fmt, ap);
	va_end(ap);
	/* whatever kind was asked for, a caller of slub_fatal does not expect to come back */
	tainted = 1;
	slub_die();
}

int slub_warn_on(int cond, const char *file, int line, const char *func, const char *text)
{
	if (cond)
		slub_report(SLUB_REPORT_WARN, file, line, func, NULL, "WARNING: WARN_ON(%s)", text);
	return cond;
}

int slub_protected(void (*fn)(void *arg), void *arg)
{
	jmp_buf here;
	jmp_buf *volatile outer = slub_recovery;

	int depth = slub_lockdep_depth, irqs_off = irqs_disabled();

	if (setjmp(here)) {
		slub_recovery = outer;
		/* the task died in the BUG: what it held is gone with it (the machine is tainted) */
		if (slub_lockdep_depth > depth)
			slub_lockdep_truncate(depth);
		return SLUB_BOOT_PANIC;
	}
	slub_recovery = &here;
	if (!outer)
		slub_watchdog_reset(); /* a call from the harness: a fresh softlockup budget */
	fn(arg);
	slub_recovery = outer;
	/* the call returns to the harness, as a system call returns to user space */
	if (unlikely(slub_lockdep_depth != depth || (irqs_disabled() && !irqs_off)))
		lockdep_sys_exit(depth, irqs_off);
	return 0;
}

int slub_tainted(void)
{
	return tainted;
}

/* ---- helpers and reset ---- */

int slub_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int slub_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void slub_platform_reset(int nr_cpus)
{
	struct slub_percpu_area *area, *next;
	int cpu;

	if (nr_cpus < 1 || nr_cpus > NR_CPUS) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: %d cpus asked for, using %d", nr_cpus,
			    nr_cpus < 1 ? 1 : NR_CPUS);
		nr_cpus = nr_cpus < 1 ? 1 : NR_CPUS;
	}
	nr_cpu_ids = nr_cpus;
	bitmap_zero(cpu_online_mask, NR_CPUS);
	for (cpu = 0; cpu < nr_cpus; cpu++)
		__set_bit(cpu, cpu_online_mask);
	slub_current_cpu = 0;
	memset(slub_irqs_off, 0, sizeof(slub_irqs_off));
	slub_lockdep_depth = 0;
	slub_preempt_count = 0;
	slub_might_sleep_armed = 0;
	jiffies = 0;
	slub_cycles = 0;
	/* a panic may have left areas behind; the next boot starts with none */
	list_for_each_entry_safe(area, next, &percpu_areas, list)
		slub_percpu_release(area);
	INIT_LIST_HEAD(&percpu_free);
	percpu_top = 0;
	/* the chain belongs to the booted machine: its blocks register again on boot */
	cpu_chain = NULL;
	tainted = 0;
}
