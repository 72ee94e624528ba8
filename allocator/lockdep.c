/* lockdep.c - the lock and context model: irq state per CPU, the locks the task holds, their
 * order, might_sleep, all reported in lockdep's words. */
#include <stdio.h>

#include "platform.h"
#include "machine.h"

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

/* lockdep_print_held_locks: a task's held locks, outermost first. */
static void print_task_locks(char *buf, size_t size, size_t *len, const struct held_lock *held,
			     int depth, int pid)
{
	int i;

	if (!depth) {
		buf_add(buf, size, len, "no locks held by %s/%d.\n", TASK_COMM, pid);
		return;
	}
	buf_add(buf, size, len, "%d lock%s held by %s/%d:\n", depth, depth > 1 ? "s" : "",
		TASK_COMM, pid);
	for (i = 0; i < depth; i++) {
		const struct held_lock *h = &held[i];

		buf_add(buf, size, len, " #%d: ", i);
		print_lock(buf, size, len, h->instance, h->name, h->type, h->file, h->line, h->func);
	}
}

static void print_held_locks(char *buf, size_t size, size_t *len)
{
	print_task_locks(buf, size, len, held_locks, slub_lockdep_depth, current_pid());
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

void slub_lockdep_truncate(int depth)
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
void slub_lockdep_sys_exit(int depth_at_entry, int irqs_off_at_entry)
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

/*
 * What a fiber waiting for a lock waits on (sched.c asks): the lock is free, or for a reader
 * of slub_lock, no writer holds it. A lock this task holds itself is not waited for: that is
 * the task's own deadlock, reported as before.
 */
struct bit_lock {
	int bitnum;
	unsigned long *addr;
};
static int spin_free(const void *obj)
{
	return !((const spinlock_t *)obj)->locked;
}
static int bit_free(const void *obj)
{
	const struct bit_lock *b = obj;

	return !test_bit(b->bitnum, b->addr);
}
static int rwsem_readable(const void *obj)
{
	return ((const struct rw_semaphore *)obj)->activity >= 0;
}
static int rwsem_free(const void *obj)
{
	return !((const struct rw_semaphore *)obj)->activity;
}

int slub_lockdep_holds(const void *instance)
{
	for (int i = 0; i < slub_lockdep_depth; i++)
		if (held_locks[i].instance == instance)
			return 1;
	return 0;
}

void slub_spin_lock(spinlock_t *l, const char *file, int line, const char *func)
{
	slub_yield_at(SLUB_YIELD_LOCK, func, l->name);
	if (l->locked && !slub_lockdep_holds(l))
		slub_sched_wait(spin_free, l, func, l->name);
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
		/*
		 * Free although this task holds it: another cpu's task released it (reported
		 * there). 2.6.36's spinlock debugging says "already unlocked" here, but lockdep's
		 * lock_release, which comes before the unlock itself, still takes it off this
		 * task's stack: else the task would be reported returning with it held.
		 */
		if (slub_lockdep_holds(l))
			slub_lock_released(l, l->name, SLUB_LOCK_SPIN, file, line, func);
		return;
	}
	slub_lock_released(l, l->name, SLUB_LOCK_SPIN, file, line, func);
	l->locked = 0;
	slub_yield_at(SLUB_YIELD_UNLOCK, func, l->name);
}

int slub_spin_trylock(spinlock_t *l, const char *file, int line, const char *func)
{
	slub_yield_at(SLUB_YIELD_LOCK, func, l->name);
	if (l->locked)
		return 0;
	slub_lock_acquired(l, l->name, SLUB_LOCK_SPIN, 1, file, line, func);
	l->locked = 1;
	return 1;
}

void slub_bit_spin_lock(int bitnum, unsigned long *addr, const char *name, const char *file,
			int line, const char *func)
{
	struct bit_lock want = { bitnum, addr };

	slub_yield_at(SLUB_YIELD_LOCK, func, name);
	if (test_bit(bitnum, addr) && !slub_lockdep_holds(addr))
		slub_sched_wait(bit_free, &want, func, name);
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
	slub_yield_at(SLUB_YIELD_UNLOCK, func, name);
}

int slub_bit_spin_trylock(int bitnum, unsigned long *addr, const char *name, const char *file,
			  int line, const char *func)
{
	slub_yield_at(SLUB_YIELD_LOCK, func, name);
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
	slub_yield_at(SLUB_YIELD_LOCK, func, sem->name);
	if (sem->activity < 0 && !slub_lockdep_holds(sem))
		slub_sched_wait(rwsem_readable, sem, func, sem->name);
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
		if (slub_lockdep_holds(sem)) /* as in slub_spin_unlock */
			slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_READ, file, line, func);
		return;
	}
	slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_READ, file, line, func);
	sem->activity--;
	slub_yield_at(SLUB_YIELD_UNLOCK, func, sem->name);
}

void slub_down_write(struct rw_semaphore *sem, const char *file, int line, const char *func)
{
	if (slub_might_sleep_armed && (slub_preempt_count || irqs_disabled()))
		__might_sleep(file, line, func);
	slub_yield_at(SLUB_YIELD_LOCK, func, sem->name);
	if (sem->activity && !slub_lockdep_holds(sem))
		slub_sched_wait(rwsem_free, sem, func, sem->name);
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
		if (slub_lockdep_holds(sem)) /* as in slub_spin_unlock */
			slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, file, line, func);
		return;
	}
	slub_lock_released(sem, sem->name, SLUB_LOCK_RWSEM_WRITE, file, line, func);
	sem->activity = 0;
	slub_yield_at(SLUB_YIELD_UNLOCK, func, sem->name);
}

void slub_lockdep_reset(void)
{
	memset(slub_irqs_off, 0, sizeof(slub_irqs_off));
	slub_lockdep_depth = 0;
	slub_preempt_count = 0;
	slub_might_sleep_armed = 0;
}

/* ---- one task's lock state per fiber (sched.c switches them) ---- */

struct slub_lockdep_task {
	int depth;
	int preempt_count;
	struct held_lock held[MAX_LOCK_DEPTH];
};

size_t slub_lockdep_task_size(void)
{
	return sizeof(struct slub_lockdep_task);
}

void slub_lockdep_task_init(void *task)
{
	struct slub_lockdep_task *t = task;

	t->depth = 0;
	t->preempt_count = 0;
}

void slub_lockdep_save(void *task)
{
	struct slub_lockdep_task *t = task;

	t->depth = slub_lockdep_depth;
	t->preempt_count = slub_preempt_count;
	memcpy(t->held, held_locks, (size_t)slub_lockdep_depth * sizeof(held_locks[0]));
}

void slub_lockdep_load(const void *task)
{
	const struct slub_lockdep_task *t = task;

	slub_lockdep_depth = t->depth;
	slub_preempt_count = t->preempt_count;
	memcpy(held_locks, t->held, (size_t)t->depth * sizeof(held_locks[0]));
}

void slub_lockdep_print_task(const void *task, int pid, char *buf, size_t size, size_t *len)
{
	const struct slub_lockdep_task *t = task;

	if (t)
		print_task_locks(buf, size, len, t->held, t->depth, pid);
	else
		print_held_locks(buf, size, len);
}
