/* slub_ops.c - fuzz target: boot the machine the input describes, then run its long event
 * sequence (caches, objects, kmalloc, hotplug, page-allocator failures, interrupts and
 * migrations), with the oracle after every event and a leak check at shutdown. */
#include "fuzz.h"

static const struct fuzz_target slub_ops = {
	.name = "slub_ops",
	.max_events = 4096,
	.workload_text = NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(&slub_ops, data, size);
}
