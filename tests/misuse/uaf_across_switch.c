// flavour: asan valgrind
// expect asan: AddressSanitizer: heap-use-after-free
// expect asan: #0 0x[0-9a-f]+ in uaf_reader .*uaf_across_switch\.c
// expect asan: #[1-9] 0x[0-9a-f]+ in fiber_main .*sched\.c
// expect asan: #[0-9]+ 0x[0-9a-f]+ in uaf_freer .*uaf_across_switch\.c
// expect valgrind: Invalid read of size 1
// expect valgrind: at 0x[0-9A-F]+: uaf_reader \(uaf_across_switch\.c
// expect valgrind: by 0x[0-9A-F]+: fiber_main \(sched\.c
// expect valgrind: by 0x[0-9A-F]+: uaf_freer \(uaf_across_switch\.c
/* A use-after-free across a fiber switch: cpu 0's task frees a host object and is switched
 * out right after; cpu 1's task reads it. The sanitizer must report it on the reader's fiber,
 * its stack unwound through the scheduler's fiber entry (ASan was told of the switch), and
 * the free on the freer's. */
#include "misuse.h"
#include "platform.h"

static volatile char *shared;

static void uaf_freer(void *arg)
{
	char *p = malloc(64);

	(void)arg;
	if (!p)
		exit(2);
	p[0] = 1;
	shared = p;
	free(p);
	slub_yield(SLUB_YIELD_ACCESS, "freed"); /* the switch the program names */
}

static void uaf_reader(void *arg)
{
	(void)arg;
	printf("%d\n", shared[0]); /* used, or valgrind's JIT may drop the load */
}

int main(void)
{
	struct slub_sched_config cfg = { 0 };
	struct slub_task t[2] = {
		{ .fn = uaf_freer, .cpu = 0 },
		{ .fn = uaf_reader, .cpu = 1 },
	};

	slub_platform_reset(2);
	/* seed 0 would run the reader after the freer anyway; the named switch makes it "right
	 * after the free, while the freer's fiber is still alive" */
	cfg.nr_switches = 1;
	cfg.sw[0].site = slub_site_key("uaf_freer", "freed");
	cfg.sw[0].nth = 0;
	slub_sched_run(t, 2, &cfg);
	return misuse_not_caught("a read of a host object freed on another fiber");
}
