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

/* Appends text to the kernel log as it is, no level or newline added (printk.c). */
void slub_log_store(const char *text, size_t n);

#endif
