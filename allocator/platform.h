/* platform.h - everything the SLUB core gets from "the rest of the kernel": lists, bits,
 * the simulated CPU, locks, interrupts, per-cpu memory, BUG/WARN/panic and printk.
 * Nothing in allocator/ includes an OS header except the simulated machine (cpu.c, lockdep.c,
 * percpu.c, printk.c, report.c, platform.c), page_alloc.c, track.c and
 * track.h. */
#ifndef SLUBFUZZ_PLATFORM_H
#define SLUBFUZZ_PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "slub.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef __always_inline /* glibc's sys/cdefs.h defines it already */
#define __always_inline inline __attribute__((always_inline))
#endif
#define noinline __attribute__((noinline))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __cold __attribute__((cold))
/*
 * Machine state: each global that a booted machine's behaviour depends on is marked so, and
 * lands in one section, which snapshot.c saves and restores as a whole. Deliberate difference
 * from the kernel, which never needs to put a booted allocator back. Scratch buffers, hooks
 * and the arena's address stay out; large tables are saved by the part in use (snapshot.c).
 */
#define __slub_state __attribute__((section("slub_state")))
/* The tables a part keeps beyond that section, named to snapshot.c one region at a time. */
typedef void (*slub_region_fn)(void *addr, size_t len, void *ctx);
void printk_state_regions(slub_region_fn add, void *ctx);
/* The per-cpu pool in use; before a restore, all of it poisoned as unallocated. */
/*
 * Host memory that outlives a fuzz input (snapshots of kept machines, the shadow model's
 * tables): mmap'd, so libFuzzer's malloc/free count does not see it. An input that keeps a
 * machine would otherwise end with more mallocs than frees, and libFuzzer runs every such
 * input a second time looking for a leak. slub_host_alloc returns zeroed memory or NULL;
 * slub_host_alloc_uninit, memory of any content (for buffers the caller fills whole);
 * slub_host_realloc leaves what it adds undefined, as realloc does.
 */
void *slub_host_alloc(size_t size);
void *slub_host_alloc_uninit(size_t size);
void *slub_host_realloc(void *ptr, size_t size);
void slub_host_free(void *ptr);

void percpu_state_regions(slub_region_fn add, void *ctx);
void percpu_state_forget(void);
/* The caller's address, as the kernel records it for tracking and traces. */
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/*
 * One FNV-1a step (offset basis 2166136261, prime 16777619), the product kept in 64 bits so
 * that the integer sanitizer sees nothing wrap: the sysfs stand-in's name hash and the fuzz
 * harness's trace digest. Not a kernel function.
 */
static inline uint32_t fnv_step(uint32_t h, uint32_t byte, uint32_t prime)
{
	return (uint32_t)(((uint64_t)(h ^ byte) * prime) & 0xffffffffu);
}

/* ---- lists: a circular doubly linked list with a head node, as include/linux/list.h ---- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_link(struct list_head *entry, struct list_head *prev,
			       struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	prev->next = entry;
}

/* Adds entry right after head (stack order). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_link(entry, head, head->next);
}

/* Adds entry right before head (queue order). */
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_link(entry, head->prev, head);
}

/* Unlinks entry and poisons its pointers so a second list_del is caught by ASan/segv. */
#define LIST_POISON1 ((struct list_head *)0x00100100)
#define LIST_POISON2 ((struct list_head *)0x00200200)
static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add_tail(entry, head);
}

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

/* Joins list (not its head) in front of head's first entry; list itself is left stale. */
static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev, *at = head->next;

		first->prev = head;
		head->next = first;
		last->next = at;
		at->prev = last;
	}
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_for_each_entry(pos, head, member)                                        \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); &pos->member != (head); \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)                                \
	for (pos = list_entry((head)->next, __typeof__(*pos), member),                \
	    n = list_entry(pos->member.next, __typeof__(*pos), member);                 \
	     &pos->member != (head); pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

/* ---- bit operations ---- */

#define BITS_PER_LONG (8 * (int)sizeof(long))
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void __set_bit(int nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
static inline void __clear_bit(int nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}
static inline int test_bit(int nr, const unsigned long *addr)
{
	return (int)((addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1UL);
}
static inline void bitmap_zero(unsigned long *addr, int bits)
{
	memset(addr, 0, BITS_TO_LONGS(bits) * sizeof(long));
}

/* fls(x): 1-based index of the highest set bit, 0 for 0. */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}
static inline int fls_long(unsigned long x)
{
	return x ? BITS_PER_LONG - __builtin_clzl(x) : 0;
}
/* ilog2 of a non-zero value: floor(log2(n)). */
static inline int ilog2(unsigned long n)
{
	return fls_long(n) - 1;
}
/* Smallest order with PAGE_SIZE << order >= size (size > 0). */
static inline int get_order(unsigned long size)
{
	size = (size - 1) >> PAGE_SHIFT;
	return fls_long(size);
}

/* ---- the simulated machine: CPUs ---- */

/*
 * Deliberate difference: CPUs are simulated. One host thread runs everything; the caller picks
 * the current CPU with slub_set_cpu(). Interrupts-off sections are therefore atomic for free.
 */
extern int nr_cpu_ids;
extern int slub_current_cpu;
extern DECLARE_BITMAP(cpu_online_mask, NR_CPUS);

static inline int smp_processor_id(void)
{
	return slub_current_cpu;
}
static inline int cpu_online(int cpu)
{
	return test_bit(cpu, cpu_online_mask);
}
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)                                                        \
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)                                    \
		if (!cpu_online(cpu)) {                                                 \
		} else

/*
 * on_each_cpu (kernel/smp.c): func(info) on every online cpu, each as that cpu with its
 * interrupts off, the others' first (smp_call_function) and then the caller's own; returns
 * when all have run (wait is always 1 here). Inside a concurrent run a cpu whose task is busy
 * takes the call only where its interrupts are on (sched.c), and the caller waits for it.
 */
void on_each_cpu(void (*func)(void *info), void *info, int wait);
/* smp_call_function(func, info, 1): every online cpu but the caller's (sched.c). */
void slub_smp_call_function(void (*func)(void *info), void *info);

/* Error numbers, with Linux's values; functions return them negated. */
#define ENOMEM 12
#define EBUSY 16
#define EINVAL 22

/* CPU hotplug notifier actions (subset of include/linux/notifier.h). */
#define NOTIFY_DONE 0x0000
#define NOTIFY_OK 0x0001
#define NOTIFY_STOP_MASK 0x8000 /* the chain stops after an answer with this bit */
#define NOTIFY_BAD 0x8002
#define CPU_UP_PREPARE 0x0003
#define CPU_UP_CANCELED 0x0004
#define CPU_DEAD 0x0007
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
	struct notifier_block *next;
	int priority;
};
/* A notifier's answer carrying an error (-ENOMEM...); it stops the chain and vetoes. */
#define notifier_from_errno(err) ((err) ? (NOTIFY_BAD | ((-(err)) << 16)) : NOTIFY_OK)
/* A notifier answer that vetoes the event (NOTIFY_BAD, or notifier_from_errno of an error). */
static inline int slub_notifier_bad(int ret)
{
	return (ret & NOTIFY_BAD) == NOTIFY_BAD;
}
/*
 * The chain walk of kernel/notifier.c, shared by the CPU and memory hotplug chains. Register
 * keeps the chain sorted by priority, highest first; registering a block already on the chain
 * is a no-op. The call walks at most nr_to_call blocks (-1: all), stops after an answer with
 * NOTIFY_STOP_MASK, counts calls made into *nr_calls (may be NULL), returns the last answer.
 */
int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n);
int notifier_call_chain(struct notifier_block **nl, unsigned long val, void *v, int nr_to_call,
			int *nr_calls);
/* The CPU chain is emptied by slub_platform_reset: each boot registers its blocks again. */
void register_cpu_notifier(struct notifier_block *nb);
/* Harness-facing CPU hotplug: runs the notifier chain like cpu_down()/cpu_up(). 0 or -errno. */
int slub_cpu_down(int cpu);
int slub_cpu_up(int cpu);

/* ---- the scheduler's yield points (sched.c; the harness side is in slub.h) ---- */

/*
 * Where another simulated CPU may run, while slub_sched_run runs several (slub.h), and where
 * the harness's point hook may interrupt or migrate the task (slub_sched_set_point_hook).
 * Otherwise, one test of a flag: slub_yield_on is slub_sched_active, or a point hook set.
 * Kinds, as the kernel can really switch there: before a lock is taken and after it is
 * released (lockdep.c's functions yield themselves), interrupts turned on, a __GFP_WAIT page
 * request, might_sleep, and SLUB_YIELD_ACCESS between two accesses to
 * shared state that the core marks, where only real parallelism separates them (a race the
 * locks should prevent shows there; 2.6.39's lockless path will put one between any two loads
 * and before any cmpxchg).
 */
enum slub_yield_kind {
	SLUB_YIELD_LOCK,
	SLUB_YIELD_UNLOCK,
	SLUB_YIELD_IRQ_ON,
	SLUB_YIELD_PAGE_ALLOC,
	SLUB_YIELD_SLEEP,
	SLUB_YIELD_ACCESS,
	SLUB_YIELD_PREEMPT_ON, /* preempt_enable reaching zero */
};
extern int slub_sched_active, slub_yield_on;
void slub_sched_yield(enum slub_yield_kind kind, const char *func, const char *what);
#define slub_yield_at(kind, func, what)                                                 \
	do {                                                                            \
		if (unlikely(slub_yield_on))                                            \
			slub_sched_yield((kind), (func), (what));                       \
	} while (0)
#define slub_yield(kind, what) slub_yield_at((kind), __func__, (what))
/*
 * The running fiber cannot go on until ready(obj) is true (a lock it waits for): others run
 * until it is. Returns 0 at once outside slub_sched_run (one task: the caller's own deadlock),
 * 1 once ready; when no fiber can go on, reports the deadlock (fatal).
 */
int slub_sched_wait(int (*ready)(const void *obj), const void *obj, const char *func,
		    const char *what);

/* ---- the lock and context model: irq state, locks, might_sleep, as lockdep watches them ---- */

/*
 * Deliberate difference: one host thread is the machine's one task. As lockdep does, the model
 * keeps that task's stack of held locks (an interrupt the harness injects pushes onto the same
 * stack, as an irq handler's locks go on the interrupted task's), counts the spinlocks it
 * holds as its preempt_count, and keeps the irq state per simulated cpu. Misuse is reported
 * through the report hook in lockdep's and might_sleep's words (allocator/slub.c's opening
 * comment lists the checks). Call sites pass where they are (SLUB_HERE) for the report.
 */
#define SLUB_HERE __FILE__, __LINE__, __func__

extern unsigned char slub_irqs_off[NR_CPUS];
static inline int irqs_disabled(void)
{
	return slub_irqs_off[slub_current_cpu];
}
static inline void local_irq_disable(void)
{
	slub_irqs_off[slub_current_cpu] = 1;
}
/* Interrupts turned on: a yield point (at the caller's function, hence macros). */
#define local_irq_enable()                                                              \
	do {                                                                            \
		slub_irqs_off[slub_current_cpu] = 0;                                    \
		slub_yield(SLUB_YIELD_IRQ_ON, "irq_on");                                \
	} while (0)
#define local_irq_save(flags)                                                           \
	do {                                                                            \
		(flags) = (unsigned long)slub_irqs_off[slub_current_cpu];               \
		slub_irqs_off[slub_current_cpu] = 1;                                    \
	} while (0)
#define local_irq_restore(flags)                                                        \
	do {                                                                            \
		slub_irqs_off[slub_current_cpu] = (unsigned char)((flags) != 0);        \
		if (!(flags))                                                           \
			slub_yield(SLUB_YIELD_IRQ_ON, "irq_on");                        \
	} while (0)

/* Spinlocks (and bit spinlocks) the task holds: in_atomic() when non-zero. */
extern int slub_preempt_count;
static inline int in_atomic(void)
{
	return slub_preempt_count != 0;
}
/*
 * preempt_disable/preempt_enable: the task stays on its cpu, its interrupts stay as they are.
 * 2.6.36's SLUB pins a task by turning interrupts off instead; only the race catalog's
 * RACE_FREE_FASTPATH_IRQS_ON uses these (bugs.h). Preemption back on is a yield point.
 */
static inline void preempt_disable(void)
{
	slub_preempt_count++;
}
#define preempt_enable()                                                                \
	do {                                                                            \
		if (!--slub_preempt_count)                                              \
			slub_yield(SLUB_YIELD_PREEMPT_ON, "preempt_enable");            \
	} while (0)

/*
 * might_sleep: a call that may sleep with interrupts off or a spinlock held is reported as
 * "BUG: sleeping function called from invalid context". As in 2.6.36, nothing is reported
 * before __might_sleep_init, which the boot calls once kmem_cache_init_late is done: 2.6.36's
 * __might_sleep (kernel/sched.c) returns early only while system_state != SYSTEM_RUNNING and
 * (!__might_sleep_init_called || system_state != SYSTEM_BOOTING), and __might_sleep_init is
 * an early_initcall (do_pre_smp_initcalls, after start_kernel's kmem_cache_init_late). So it
 * speaks through the ordinary initcalls, slab_sysfs_init included, while still BOOTING.
 */
extern int slub_might_sleep_armed;
void __might_sleep(const char *file, int line, const char *func);
static inline void __might_sleep_init(void)
{
	slub_might_sleep_armed = 1;
}
#define might_sleep()                                                                   \
	do {                                                                            \
		if (slub_might_sleep_armed && (slub_preempt_count || irqs_disabled()))  \
			__might_sleep(SLUB_HERE);                                       \
		slub_yield(SLUB_YIELD_SLEEP, "might_sleep");                            \
	} while (0)
#define might_sleep_if(cond)                                                            \
	do {                                                                            \
		if (cond)                                                               \
			might_sleep();                                                  \
	} while (0)

/*
 * What a held lock is. A lock's class is its name (as lockdep names a lock by its
 * declaration); SLUB's three classes keep 2.6.36's order, slub_lock, then slab_lock, then
 * "&n->list_lock", and taking one of them, other than by trylock, while holding one that
 * comes later inverts it. Other classes (a caller's own locks) have no place in the order.
 */
enum slub_lock_type {
	SLUB_LOCK_RWSEM_READ,
	SLUB_LOCK_RWSEM_WRITE,
	SLUB_LOCK_BIT_SPIN, /* slab_lock */
	SLUB_LOCK_SPIN,
};
/* Locks the task holds now (lockdep's depth). */
extern int slub_lockdep_depth;
static inline int slub_locks_held(void)
{
	return slub_lockdep_depth;
}
/*
 * The model's entry points, out of line: each checks, records and reports. name is the lock's
 * class (its declared name, as lockdep prints it); instance tells two locks of a class apart.
 * slub_lock_acquired: trylock is non-zero for a trylock (no deadlock or order check).
 */
/*
 * Asked by the lock model, answered by the core (validate.c): could the slab_lock whose bit
 * is at flags (a page's flags) and the list_lock at list_lock deadlock against each other,
 * i.e. is the page a slab of the cache and node that own that list_lock? 1 when unknown.
 */
int slub_slab_lock_pairs_with(const void *flags, const void *list_lock);
void slub_lock_acquired(const void *instance, const char *name, enum slub_lock_type type,
			int trylock, const char *file, int line, const char *func);
/* Returns 0 (and changes nothing) if the task does not hold the lock: bad unlock balance. */
int slub_lock_released(const void *instance, const char *name, enum slub_lock_type type,
		       const char *file, int line, const char *func);
/* The task is about to deadlock on a lock it holds: reported, then fatal. */
__noreturn void slub_lock_self_deadlock(const void *instance, const char *name,
					enum slub_lock_type type, const char *file, int line,
					const char *func);

typedef struct {
	int locked;
	const char *name; /* the class: the expression given to spin_lock_init */
} spinlock_t;
#define __SPIN_LOCK_UNLOCKED(lockname) { 0, #lockname }
#define spin_lock_init(l) slub_spin_lock_init((l), #l)
static inline void slub_spin_lock_init(spinlock_t *l, const char *name)
{
	l->locked = 0;
	l->name = name;
}
void slub_spin_lock(spinlock_t *l, const char *file, int line, const char *func);
void slub_spin_unlock(spinlock_t *l, const char *file, int line, const char *func);
int slub_spin_trylock(spinlock_t *l, const char *file, int line, const char *func);
#define spin_lock(l) slub_spin_lock((l), SLUB_HERE)
#define spin_unlock(l) slub_spin_unlock((l), SLUB_HERE)
#define spin_trylock(l) slub_spin_trylock((l), SLUB_HERE)
#define spin_lock_irqsave(l, flags)                                                     \
	do {                                                                            \
		local_irq_save(flags);                                                  \
		spin_lock(l);                                                           \
	} while (0)
#define spin_unlock_irqrestore(l, flags)                                                \
	do {                                                                            \
		spin_unlock(l);                                                         \
		local_irq_restore(flags);                                               \
	} while (0)

/*
 * bit_spin_lock on one bit of a word (slab_lock uses PG_locked of page->flags). The kernel's
 * takes no lockdep class; here it is tracked under name, its instance being the word.
 */
void slub_bit_spin_lock(int bitnum, unsigned long *addr, const char *name, const char *file,
			int line, const char *func);
void slub_bit_spin_unlock(int bitnum, unsigned long *addr, const char *name, const char *file,
			  int line, const char *func);
int slub_bit_spin_trylock(int bitnum, unsigned long *addr, const char *name, const char *file,
			  int line, const char *func);

/*
 * slub_lock is a rw semaphore: activity is 0 when free, the number of readers, or -1 while a
 * writer holds it (as rwsem-spinlock keeps it). down_* may sleep.
 */
struct rw_semaphore {
	int activity;
	const char *name;
};
#define __RWSEM_INITIALIZER(lockname) { 0, #lockname }
#define DECLARE_RWSEM(lockname) struct rw_semaphore lockname = __RWSEM_INITIALIZER(lockname)
void slub_down_read(struct rw_semaphore *sem, const char *file, int line, const char *func);
void slub_up_read(struct rw_semaphore *sem, const char *file, int line, const char *func);
void slub_down_write(struct rw_semaphore *sem, const char *file, int line, const char *func);
void slub_up_write(struct rw_semaphore *sem, const char *file, int line, const char *func);
#define down_read(sem) slub_down_read((sem), SLUB_HERE)
#define up_read(sem) slub_up_read((sem), SLUB_HERE)
#define down_write(sem) slub_down_write((sem), SLUB_HERE)
#define up_write(sem) slub_up_write((sem), SLUB_HERE)

/* ---- per-cpu memory: host memory, one copy per possible CPU, freed at shutdown ---- */

/*
 * Deliberate difference: the kernel's per-cpu allocator is not part of this model; per-cpu
 * areas come from the host heap through this layer, are counted, and are reclaimed by
 * slub_shutdown even after a panic.
 */
#define __percpu
/* The fault hook's answer for one decision (failslab.c; 0: go on). */
int slub_should_fail(enum slub_fault what, const char *name);
void *__alloc_percpu(size_t size, size_t align);
void free_percpu(void *ptr);
void *slub_percpu_ptr(void *ptr, int cpu);
unsigned long slub_percpu_in_use(void);
#define alloc_percpu(type) ((type __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define per_cpu_ptr(ptr, cpu) ((__typeof__(ptr))slub_percpu_ptr((ptr), (cpu)))
#define this_cpu_ptr(ptr) per_cpu_ptr((ptr), smp_processor_id())
#define __this_cpu_ptr(ptr) this_cpu_ptr(ptr)

/* ---- reports: BUG/WARN/panic/printk ---- */

/* Sends one report to the hook; fatal kinds never return. */
void slub_report(enum slub_report_kind kind, const char *file, int line, const char *func,
		 const char *cache, const char *fmt, ...) __printf(6, 7);
void slub_vreport(enum slub_report_kind kind, const char *file, int line, const char *func,
		  const char *cache, const char *fmt, va_list ap);
__noreturn void slub_fatal(enum slub_report_kind kind, const char *file, int line,
			   const char *func, const char *fmt, ...) __printf(5, 6);

#define BUG()                                                                           \
	slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__, "kernel BUG")
#define BUG_ON(cond)                                                                    \
	do {                                                                            \
		if (unlikely(cond))                                                     \
			slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__,       \
				   "kernel BUG: BUG_ON(%s)", #cond);                    \
	} while (0)
int slub_warn_on(int cond, const char *file, int line, const char *func, const char *text);
#define WARN_ON(cond) slub_warn_on(!!(cond), __FILE__, __LINE__, __func__, #cond)
/* A real panic never returns: here it reports, then unwinds to the armed recovery point. */
#define panic(...) slub_fatal(SLUB_REPORT_PANIC, __FILE__, __LINE__, __func__, __VA_ARGS__)

/*
 * The step watchdog (watchdog.c), standing in for 2.6.36's softlockup detector
 * (kernel/watchdog.c): a loop over a kernel list (a free list, a partial or full list) calls
 * slub_watchdog_tick() once per element. Each call from the harness (the outermost
 * slub_protected) starts with a fresh budget of SLUB_WATCHDOG_BUDGET elements: the arena holds
 * at most 2^27 objects (262144 pages of 512 eight-byte objects), a call walks each free object
 * at most twice (validate_slab, list_slab_objects at close) and lists of slabs and caches are
 * far shorter, so a legal state stays under half of it; a walk that gets there is stuck in a
 * cycle (a few seconds of walking), as a kernel cpu would be, and is
 * reported in the kernel's words ("BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]"), then
 * unwound as a BUG (the kernel cpu would never leave the loop).
 */
#define SLUB_WATCHDOG_BUDGET (1UL << 29)
extern unsigned long slub_watchdog_ticks;
extern unsigned long slub_watchdog_budget; /* SLUB_WATCHDOG_BUDGET; a unit test may lower it */
__noreturn void slub_softlockup(const char *file, int line, const char *func);
#define slub_watchdog_tick()                                                            \
	do {                                                                            \
		if (unlikely(++slub_watchdog_ticks > slub_watchdog_budget))             \
			slub_softlockup(__FILE__, __LINE__, __func__);                  \
	} while (0)
void slub_watchdog_reset(void);

/* printk: the level prefix is kept in the text, as in the kernel. */
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"
void printk(const char *fmt, ...) __printf(1, 2);
/* Empties the dmesg ring; slub_boot starts each boot's log afresh. */
void slub_dmesg_clear(void);
void vprintk(const char *fmt, va_list ap);

/* ---- a deterministic stand-in for time and process identity ---- */

/* The task's name in reports: lockdep and the softlockup detector print comm/pid. */
#define TASK_COMM "slubfuzz"

/* jiffies advances by one on each allocator entry the harness makes; pid is the cpu + 1. */
extern unsigned long jiffies;
static inline int current_pid(void)
{
	return smp_processor_id() + 1;
}
/* get_cycles(): a counter advanced on every call, reset by boot (deterministic). */
unsigned long get_cycles(void);

/* ---- small helpers ---- */

/* snprintf that never writes past the buffer; returns what it would have written. */
int slub_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int slub_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Platform state reset between boots (cpus, irq state, jiffies, cycles, percpu areas). */
void slub_platform_reset(int nr_cpus);

#endif
