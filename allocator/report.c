/* report.c - BUG, WARN, panic and the other reports: the hook they go to, the recovery point a
 * fatal one unwinds to, and the taint it leaves. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform.h"
#include "machine.h"

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
	slub_log_store(where, strlen(where));
	slub_log_store(msg, len);
	slub_log_store("\n", 1);
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
		slub_lockdep_sys_exit(depth, irqs_off);
	return 0;
}

int slub_tainted(void)
{
	return tainted;
}

void slub_report_reset(void)
{
	tainted = 0;
}

void *slub_recovery_get(void)
{
	return slub_recovery;
}

void slub_recovery_set(void *recovery)
{
	slub_recovery = recovery;
}
