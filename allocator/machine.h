/* machine.h - what the files of the simulated machine (cpu.c, lockdep.c, percpu.c, printk.c,
 * report.c, sched.c) share among themselves; the SLUB core never includes it. */
#ifndef SLUBFUZZ_MACHINE_H
#define SLUBFUZZ_MACHINE_H

#include "platform.h"

/* Each part's state back to a machine before boot (slub_platform_reset calls them in turn). */
void slub_cpu_reset(int nr_cpus);
void slub_lockdep_reset(void);
void slub_percpu_reset(void);
void slub_report_reset(void);

/* The task died in a BUG: drops the locks it took past depth (lockdep.c). */
void slub_lockdep_truncate(int depth);
/*
 * Where a harness call returns, as a system call returns to user space: every lock taken in
 * the call must be released and interrupts left as they were (lockdep.c).
 */
void slub_lockdep_sys_exit(int depth_at_entry, int irqs_off_at_entry);

/*
 * One task's lock state (held locks, preempt count), saved and loaded as fibers switch
 * (sched.c); print writes it as lockdep_print_held_locks does (task NULL: the running one).
 */
size_t slub_lockdep_task_size(void);
void slub_lockdep_task_init(void *task);
void slub_lockdep_save(void *task);
void slub_lockdep_load(const void *task);
void slub_lockdep_print_task(const void *task, int pid, char *buf, size_t size, size_t *len);
/* The running task holds this lock (any type). */
int slub_lockdep_holds(const void *instance);
/* The innermost recovery point of the running task (report.c), switched with it. */
void *slub_recovery_get(void);
void slub_recovery_set(void *recovery);
/* Appends text to the kernel log as it is, no level or newline added (printk.c). */
void slub_log_store(const char *text, size_t n);

#endif
