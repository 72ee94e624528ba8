/* failslab.c - fault injection for slab allocations, as mm/failslab.c has it (should_failslab),
 * and the per-cpu allocator's failure: both ask the harness's fault hook where the kernel's
 * should_fail would consult its fault_attr (probability, interval, times). */
#include "slub_def.h"

static slub_fault_hook_fn fault_hook;
static void *fault_hook_arg;

/*
 * The failslab settings (/sys/kernel/debug/failslab). Deliberate difference: 2.6.36 boots
 * with ignore-gfp-wait=Y and cache-filter=N; here they are as a tester sets them to aim at
 * chosen caches: sleeping allocations may fail, and only caches marked SLAB_FAILSLAB
 * (slub_debug=A, or the failslab attribute) are ever failed.
 */
static const struct {
	int ignore_gfp_wait;
	int cache_filter;
} failslab = { 0, 1 };

void slub_set_fault_hook(slub_fault_hook_fn fn, void *arg)
{
	fault_hook = fn;
	fault_hook_arg = arg;
}

/* should_fail's decision: the harness's answer, or go on when nobody is asking. */
int slub_should_fail(enum slub_fault what, const char *name)
{
	return fault_hook && fault_hook(what, name, fault_hook_arg);
}

bool should_failslab(size_t size, gfp_t gfpflags, unsigned long cache_flags)
{
	(void)size;
	if (gfpflags & __GFP_NOFAIL)
		return false;
	if (failslab.ignore_gfp_wait && (gfpflags & __GFP_WAIT))
		return false;
	if (failslab.cache_filter && !(cache_flags & SLAB_FAILSLAB))
		return false;
	return slub_should_fail(SLUB_FAULT_FAILSLAB, NULL);
}
