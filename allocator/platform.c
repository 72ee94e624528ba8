/* platform.c - the simulated machine's small helpers and its reset between boots; the parts
 * live in cpu.c, lockdep.c, percpu.c, printk.c and report.c. */
#include <stdio.h>

#include "platform.h"
#include "machine.h"

/* ---- helpers and reset ---- */

int slub_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int slub_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void slub_platform_reset(int nr_cpus)
{
	if (nr_cpus < 1 || nr_cpus > NR_CPUS) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: %d cpus asked for, using %d", nr_cpus,
			    nr_cpus < 1 ? 1 : NR_CPUS);
		nr_cpus = nr_cpus < 1 ? 1 : NR_CPUS;
	}
	slub_cpu_reset(nr_cpus);
	slub_lockdep_reset();
	slub_percpu_reset();
	slub_report_reset();
}
