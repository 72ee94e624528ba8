/* cpu.c - the simulated CPUs: which are possible and online, which one runs, the CPU hotplug
 * notifier chain (and the chain walk the memory hotplug chain shares), deterministic time. */
#include "platform.h"
#include "machine.h"

/* ---- the simulated CPUs ---- */

/* Before the first slub_platform_reset the machine is one online CPU. */
__slub_state int nr_cpu_ids = 1;
__slub_state int slub_current_cpu;
__slub_state DECLARE_BITMAP(cpu_online_mask, NR_CPUS) = { 1UL };
__slub_state unsigned long jiffies;

static __slub_state unsigned long slub_cycles;
static __slub_state struct notifier_block *cpu_chain;

unsigned long get_cycles(void)
{
	return slub_cycles++;
}

void slub_set_cpu(int cpu)
{
	if (cpu != slub_current_cpu && irqs_disabled()) {
		/* a task moves between cpus only where it could sleep: the harness's error */
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: slub_set_cpu(%d) with interrupts off on cpu %d: no task "
			    "migrates here; stays on %d", cpu, slub_current_cpu, slub_current_cpu);
		return;
	}
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: slub_set_cpu(%d): cpu is %s (nr_cpu_ids %d); stays on %d",
			    cpu, (cpu < 0 || cpu >= nr_cpu_ids) ? "out of range" : "offline",
			    nr_cpu_ids, slub_current_cpu);
		return;
	}
	slub_current_cpu = cpu;
}

int slub_get_cpu(void)
{
	return slub_current_cpu;
}

static int slub_online_cpus(void)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		n++;
	return n;
}

void on_each_cpu(void (*func)(void *info), void *info, int wait)
{
	unsigned long flags;

	(void)wait; /* SLUB's one caller, flush_all, waits */
	slub_smp_call_function(func, info);
	local_irq_save(flags);
	func(info);
	local_irq_restore(flags);
}

/* ---- notifier chains (kernel/notifier.c), shared with the memory hotplug chain ---- */

int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	struct notifier_block **p;

	/* Boots repeat: a block registered again must not end up on the chain twice. */
	for (p = nl; *p; p = &(*p)->next)
		if (*p == n)
			return 0;
	/* Equal priorities keep registration order, as in the kernel. */
	while (*nl && (*nl)->priority >= n->priority)
		nl = &(*nl)->next;
	n->next = *nl;
	*nl = n;
	return 0;
}

int notifier_call_chain(struct notifier_block **nl, unsigned long val, void *v, int nr_to_call,
			int *nr_calls)
{
	struct notifier_block *nb = *nl, *next;
	int ret = NOTIFY_DONE;

	while (nb && nr_to_call) {
		/* the callback may unregister itself, so step on from what it pointed at */
		next = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (nr_calls)
			(*nr_calls)++;
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
		nr_to_call--;
	}
	return ret;
}

void register_cpu_notifier(struct notifier_block *nb)
{
	notifier_chain_register(&cpu_chain, nb);
}

int slub_cpu_down(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	/* The caller runs on the current cpu, and the machine keeps one cpu alive. */
	if (cpu == slub_current_cpu || slub_online_cpus() == 1)
		return -EBUSY;
	__clear_bit(cpu, cpu_online_mask);
	notifier_call_chain(&cpu_chain, CPU_DEAD, (void *)(long)cpu, -1, NULL);
	return 0;
}

int slub_cpu_up(int cpu)
{
	int nr_calls = 0, ret;

	if (cpu < 0 || cpu >= nr_cpu_ids || cpu_online(cpu))
		return -EINVAL;
	ret = notifier_call_chain(&cpu_chain, CPU_UP_PREPARE, (void *)(long)cpu, -1, &nr_calls);
	if (slub_notifier_bad(ret)) {
		/* as _cpu_up: only the blocks that accepted the prepare hear of the cancel */
		notifier_call_chain(&cpu_chain, CPU_UP_CANCELED, (void *)(long)cpu, nr_calls - 1,
				    NULL);
		return -ENOMEM;
	}
	__set_bit(cpu, cpu_online_mask);
	return 0;
}

void slub_cpu_reset(int nr_cpus)
{
	int cpu;

	nr_cpu_ids = nr_cpus;
	bitmap_zero(cpu_online_mask, NR_CPUS);
	for (cpu = 0; cpu < nr_cpus; cpu++)
		__set_bit(cpu, cpu_online_mask);
	slub_current_cpu = 0;
	jiffies = 0;
	slub_cycles = 0;
	/* the chain belongs to the booted machine: its blocks register again on boot */
	cpu_chain = NULL;
}
