/* helpers.c - fixtures shared by the allocator unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

int reports_seen[SLUB_REPORT_PANIC + 1];
char last_report[512];
long pages_asked;
static long fail_first = -1, fail_count;

void helpers_reset_reports(void)
{
	memset(reports_seen, 0, sizeof(reports_seen));
	last_report[0] = 0;
}

static void counting_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	reports_seen[r->kind]++;
	snprintf(last_report, sizeof(last_report), "%s", r->msg);
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "[report %d] %s:%d %s: %s\n", r->kind, r->file, r->line, r->func,
			r->msg);
}

void helpers_install_report_hook(void)
{
	slub_set_report_hook(counting_report, NULL);
}

static enum slub_pa_decision failing_hook(const struct slub_pa_request *req, void *arg)
{
	long n = pages_asked++;

	(void)req;
	(void)arg;
	if (fail_first >= 0 && n >= fail_first && (fail_count < 0 || n < fail_first + fail_count))
		return SLUB_PA_FAIL;
	return SLUB_PA_GO_ON;
}

void helpers_fail_pages(long first, long count)
{
	pages_asked = 0;
	fail_first = first;
	fail_count = count;
	slub_set_page_alloc_hook(failing_hook, NULL);
}

void helpers_fail_none(void)
{
	helpers_fail_pages(-1, 0);
}

void helpers_config(struct slub_config *cfg, int nodes, int cpus, unsigned int pages)
{
	int n;

	slub_config_default(cfg);
	cfg->nr_node_ids = nodes;
	cfg->nr_cpu_ids = cpus;
	for (n = 0; n < nodes; n++)
		cfg->node_pages[n] = pages;
}

int helpers_boot(const struct slub_config *cfg)
{
	helpers_install_report_hook();
	helpers_reset_reports();
	return slub_boot(cfg);
}

unsigned long helpers_shutdown(void)
{
	unsigned long leaked;

	helpers_fail_none();
	leaked = slub_shutdown();
	return leaked + (unsigned long)reports_seen[SLUB_REPORT_LEAK];
}

static unsigned int rnd(unsigned int *state)
{
	/* 64-bit product: the wrap is explicit, so UBSan's unsigned-overflow check stays quiet */
	*state = (unsigned int)(((unsigned long long)*state * 1103515245u + 12345u) & 0xffffffffu);
	return (*state >> 8) & 0xffffff;
}

#define WORK_OBJS 128
#define WORK_EXPECT(cond)                                                               \
	do {                                                                            \
		if (!(cond))                                                            \
			return __LINE__;                                                \
	} while (0)

int helpers_workload(unsigned int seed)
{
	struct kmem_cache *caches[3];
	void *objs[WORK_OBJS];
	int owner[WORK_OBJS]; /* -1 kmalloc, else cache index */
	size_t sizes[WORK_OBJS];
	unsigned int st = seed;
	int i, round;

	caches[0] = kmem_cache_create("work-a", 24, 0, 0, NULL);
	caches[1] = kmem_cache_create("work-b", 200, 64, SLAB_HWCACHE_ALIGN, NULL);
	caches[2] = kmem_cache_create("work-c", 3000, 0, 0, NULL);
	for (i = 0; i < 3; i++)
		WORK_EXPECT(caches[i]);
	memset(objs, 0, sizeof(objs));

	for (round = 0; round < 4; round++) {
		for (i = 0; i < WORK_OBJS; i++) {
			unsigned int r = rnd(&st);
			int node = (int)(r % (unsigned int)nr_node_ids);

			slub_set_cpu((int)(rnd(&st) % (unsigned int)nr_cpu_ids));
			if (objs[i]) {
				unsigned char *p = objs[i];

				WORK_EXPECT(p[0] == (unsigned char)i &&
					    p[sizes[i] - 1] == (unsigned char)i);
				if (owner[i] < 0)
					kfree(objs[i]);
				else
					kmem_cache_free(caches[owner[i]], objs[i]);
				objs[i] = NULL;
				continue;
			}
			if (r & 1) {
				/* mostly small, now and then past SLUB_MAX_SIZE */
				sizes[i] = 1 + rnd(&st) % ((r & 12) ? 1200 : 9000);
				owner[i] = -1;
				objs[i] = (r & 2) && node_state(node, N_NORMAL_MEMORY)
						  ? kmalloc_node(sizes[i], GFP_KERNEL, node)
						  : kmalloc(sizes[i], GFP_KERNEL);
			} else {
				owner[i] = (int)(rnd(&st) % 3);
				sizes[i] = kmem_cache_size(caches[owner[i]]);
				objs[i] = kmem_cache_alloc(caches[owner[i]], GFP_KERNEL);
			}
			WORK_EXPECT(objs[i]);
			memset(objs[i], (unsigned char)i, sizes[i]);
		}
	}
	for (i = 0; i < WORK_OBJS; i++) {
		if (!objs[i])
			continue;
		if (owner[i] < 0)
			kfree(objs[i]);
		else
			kmem_cache_free(caches[owner[i]], objs[i]);
	}
	for (i = 0; i < 3; i++)
		kmem_cache_destroy(caches[i]);
	slub_set_cpu(0);
	return 0;
}
