/* slub_boot.c - fuzz target: bootstrap under the input's topology (node and cpu counts up to
 * the ceilings, memoryless and offline nodes), boot options, boot-time page-allocator
 * failures and event placement between boot steps; a few of its own events, then the same
 * short workload every time, so that a damaged bootstrap shows in ordinary use. */
#include "fuzz.h"

/* Node and cpu numbers are taken modulo the booted counts. */
static const char slub_boot_workload[] =
	"boot nodes=1024 cpus=64\n"
	"create cache=0 size=24\n"
	"create cache=1 size=200 align=64 flags=HWCACHE_ALIGN\n"
	"create cache=2 size=3000 ctor=mark\n"
	"create cache=3 size=64 flags=DESTROY_BY_RCU\n"
	"create cache=4 size=24\n" /* merges with cache 0 unless nomerge */
	"kmalloc slot=0 size=8\n"
	"kmalloc slot=1 size=96\n"
	"kmalloc slot=2 size=192\n"
	"kmalloc slot=3 size=4096\n"
	"kmalloc slot=4 size=9000\n"
	"kzalloc slot=5 size=100\n"
	"kmalloc slot=6 size=0\n"
	"alloc slot=7 cache=0\n"
	"alloc slot=8 cache=1 gfp=GFP_KERNEL|__GFP_ZERO\n"
	"alloc slot=9 cache=2\n"
	"alloc slot=10 cache=3\n"
	"alloc slot=11 cache=4\n"
	"kmalloc slot=12 size=64 gfp=GFP_KERNEL|GFP_DMA\n"
	"cpu cpu=1\n"
	"alloc_node slot=13 cache=0 node=1 gfp=GFP_THISNODE\n"
	"kmalloc_node slot=14 size=500 node=1\n"
	"kmalloc_node slot=15 size=20000 node=2 gfp=GFP_KERNEL|__GFP_THISNODE\n"
	"cpu cpu=2\n"
	"node_online node=1\n"
	"node_online node=2\n"
	"node_online node=3\n"
	"alloc_node slot=16 cache=1 node=3\n"
	"cpu cpu=3\n"
	"cpu_down cpu=1\n"
	"alloc slot=17 cache=0\n"
	"cpu_up cpu=1\n"
	"krealloc slot=1 size=300\n"
	"ksize slot=2\n"
	"validate\n"
	"free slot=7\n"
	"free slot=10\n"
	"shrink cache=0\n"
	"rcu\n"
	"destroy cache=3\n"
	"node_offline node=3\n"
	"cpu cpu=0\n"
	"validate\n";

static const struct fuzz_target slub_boot = {
	.name = "slub_boot",
	.max_events = 32,
	.workload_text = slub_boot_workload,
	.cold = 1,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(&slub_boot, data, size);
}
