/* fastpath.c - the allocator's object paths against glibc: kmem_cache_alloc+free and
 * kmalloc+kfree pairs of mixed sizes, single thread, measured in the same run as malloc+free
 * of the same sizes. Prints a table: ns per pair (median of rounds) and the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "slub.h"

#define LIVE 512 /* objects kept live, so pairs are not all fast-path ping-pong */
#define PAIRS 400000
#define ROUNDS 7

static size_t sizes[PAIRS];

typedef void *(*alloc_fn)(size_t size, void *ctx);
typedef void (*free_fn)(void *p, void *ctx);

static double run_pairs(alloc_fn a, free_fn f, void *ctx)
{
	void *live[LIVE] = { 0 };
	double t0, t;
	int i;

	t0 = bench_now();
	for (i = 0; i < PAIRS; i++) {
		int slot = (int)((unsigned)i * 2654435761u % LIVE);

		if (live[slot])
			f(live[slot], ctx);
		live[slot] = a(sizes[i], ctx);
		*(volatile char *)live[slot] = 1;
	}
	t = bench_now() - t0;
	for (i = 0; i < LIVE; i++)
		if (live[i])
			f(live[i], ctx);
	return t * 1e9 / PAIRS;
}

static void *glibc_alloc(size_t size, void *ctx) { (void)ctx; return malloc(size); }
static void glibc_free(void *p, void *ctx) { (void)ctx; free(p); }
static void *k_alloc(size_t size, void *ctx) { (void)ctx; return kmalloc(size, GFP_KERNEL); }
static void k_free(void *p, void *ctx) { (void)ctx; kfree(p); }

/* The kmem_cache path uses one 64-byte cache; its baseline is malloc(64). */
static struct kmem_cache *cache64;
static void *c_alloc(size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	return kmem_cache_alloc(cache64, GFP_KERNEL);
}
static void c_free(void *p, void *ctx)
{
	(void)ctx;
	kmem_cache_free(cache64, p);
}
static void *glibc_alloc64(size_t size, void *ctx)
{
	(void)size;
	(void)ctx;
	return malloc(64);
}

int main(void)
{
	double g[ROUNDS], k[ROUNDS], g64[ROUNDS], c[ROUNDS];
	double gm, km, g64m, cm;
	struct slub_config cfg;
	unsigned int st = 12345;
	int i, r;

	for (i = 0; i < PAIRS; i++) {
		st = (unsigned int)(((unsigned long long)st * 1103515245u + 12345u) & 0xffffffffu);
		/* mostly small objects, as in the kernel: 8..1024 bytes, a few up to 4096 */
		sizes[i] = 8 + (st >> 8) % ((st & 15) ? 1017 : 4089);
	}
	slub_config_default(&cfg);
	cfg.node_pages[0] = 16384;
	if (slub_boot(&cfg)) {
		fprintf(stderr, "fastpath: boot failed\n");
		return 1;
	}
	cache64 = kmem_cache_create("bench-64", 64, 0, SLAB_HWCACHE_ALIGN, NULL);
	/* interleaved rounds, so machine noise hits every path alike */
	for (r = 0; r < ROUNDS; r++) {
		g[r] = run_pairs(glibc_alloc, glibc_free, NULL);
		k[r] = run_pairs(k_alloc, k_free, NULL);
		g64[r] = run_pairs(glibc_alloc64, glibc_free, NULL);
		c[r] = run_pairs(c_alloc, c_free, NULL);
	}
	gm = bench_median(g, ROUNDS);
	km = bench_median(k, ROUNDS);
	g64m = bench_median(g64, ROUNDS);
	cm = bench_median(c, ROUNDS);
	printf("| path (%d pairs, %d live, median of %d rounds) | ns/pair | glibc ns/pair | ratio |\n",
	       PAIRS, LIVE, ROUNDS);
	printf("| --- | ---: | ---: | ---: |\n");
	printf("| kmalloc+kfree, 8..4096 B mixed | %.1f | %.1f | %.2f |\n", km, gm, km / gm);
	printf("| kmem_cache_alloc+free, 64 B | %.1f | %.1f | %.2f |\n", cm, g64m, cm / g64m);
	kmem_cache_destroy(cache64);
	return slub_shutdown() ? 1 : 0;
}
