/* boot_cost.c - what one fuzz input pays before and after its events: slub_boot + slub_shutdown
 * against nr_node_ids and nr_cpu_ids, median of repeated runs, with the growth per node. */
#include <stdio.h>

#include "bench.h"
#include "slub.h"

#define REPEAT 9
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static double boot_us(int nodes, int cpus, unsigned int pages)
{
	double t[REPEAT];
	struct slub_config cfg;
	int r, n;

	slub_config_default(&cfg);
	cfg.nr_node_ids = nodes;
	cfg.nr_cpu_ids = cpus;
	for (n = 0; n < nodes; n++)
		cfg.node_pages[n] = pages;
	for (r = 0; r < REPEAT; r++) {
		double t0 = bench_now();

		if (slub_boot(&cfg) || slub_shutdown()) {
			fprintf(stderr, "boot_cost: boot %d nodes %d cpus failed\n", nodes, cpus);
			exit(1);
		}
		t[r] = (bench_now() - t0) * 1e6;
	}
	return bench_median(t, REPEAT);
}

int main(void)
{
	static const int nodes[] = { 1, 2, 4, 16, 64, 256, 1024 };
	static const int cpus[] = { 1, 2, 8, 64 };
	double base;
	unsigned int i;

	printf("| nr_node_ids (1 cpu, 64 pages/node) | boot+shutdown us (median of %d) | us per node |\n",
	       REPEAT);
	printf("| ---: | ---: | ---: |\n");
	base = boot_us(1, 1, 64);
	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		double us = nodes[i] == 1 ? base : boot_us(nodes[i], 1, 64);

		printf("| %d | %.1f | %.2f |\n", nodes[i], us, us / nodes[i]);
	}
	printf("\n| nr_cpu_ids (1 node, 1024 pages) | boot+shutdown us (median of %d) |\n", REPEAT);
	printf("| ---: | ---: |\n");
	for (i = 0; i < ARRAY_SIZE(cpus); i++)
		printf("| %d | %.1f |\n", cpus[i], boot_us(1, cpus[i], 1024));
	return 0;
}
