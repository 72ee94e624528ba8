/* watchdog.c - the step watchdog: 2.6.36's softlockup detector for loops over kernel lists
 * that a corrupted state turns into cycles (the budget and the tick are in platform.h). */
#include "platform.h"

__slub_state unsigned long slub_watchdog_ticks;
__slub_state unsigned long slub_watchdog_budget = SLUB_WATCHDOG_BUDGET;

void slub_watchdog_reset(void)
{
	slub_watchdog_ticks = 0;
}

/*
 * 2.6.36's watchdog_timer_fn prints this once the cpu has not scheduled for softlockup_thresh
 * (60) seconds. The budget stands for those seconds: the time is not measured, so the report
 * gives the threshold, and a second line says where the walk was. The kernel cpu never leaves
 * the loop; here the call unwinds as after a BUG, so that the harness can report it.
 */
void slub_softlockup(const char *file, int line, const char *func)
{
	slub_fatal(SLUB_REPORT_BUG, file, line, func,
		   "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]\n"
		   "the step watchdog: %lu list elements walked in one call, last at %s:%d %s()",
		   smp_processor_id(), 60u, TASK_COMM, current_pid(), slub_watchdog_ticks, file,
		   line, func);
}
