/* memclaim.c - the seed patch's own claim: kmem_cache structures sized by nr_node_ids instead
 * of MAX_NUMNODES. "Before" is the 2.6.36 layout: KMALLOC_CACHES (2 * SLUB_PAGE_SHIFT, with
 * ZONE_DMA) struct kmem_cache in a static array, each with node[MAX_NUMNODES], whatever the
 * machine. "After" is measured on a booted allocator: the boot caches are kmem_cache objects of
 * kmem_size bytes, laid out by the kmem_cache cache, plus the pages its slabs take. */
#include <stdio.h>

#include "slub_def.h"

static unsigned long cache_slab_pages(struct kmem_cache *s)
{
	unsigned long pages = 0;
	int node;

	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(s, node);

		if (n)
			pages += (unsigned long)n->nr_slabs << oo_order(s->oo);
	}
	return pages;
}

int main(void)
{
	static const int nodes[] = { 1, 2, 4, 8, 16, 64, 256, 1024 };
	/* before: node[MAX_NUMNODES] in every kmem_cache, KMALLOC_CACHES of them, static */
	const size_t before_one = offsetof(struct kmem_cache, node) +
				  MAX_NUMNODES * sizeof(struct kmem_cache_node *);
	const size_t before_all = 2 * SLUB_PAGE_SHIFT * before_one;
	struct slub_config cfg;
	unsigned int i;

	printf("MAX_NUMNODES %d; before the patch: %d static kmem_cache of %zu B = %zu B "
	       "(whatever nr_node_ids is)\n\n",
	       MAX_NUMNODES, 2 * SLUB_PAGE_SHIFT, before_one, before_all);
	printf("| nr_node_ids | kmem_size B | boot caches | slot B | after: objects B | "
	       "after: kmem_cache slab pages | before B / after B | pages in use after boot |\n");
	printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		unsigned long caches = 0, pages;
		struct kmem_cache *s;
		size_t after;
		int n;

		slub_config_default(&cfg);
		cfg.nr_node_ids = nodes[i];
		for (n = 0; n < nodes[i]; n++)
			cfg.node_pages[n] = nodes[i] >= 256 ? 96 : 1024;
		if (slub_boot(&cfg)) {
			fprintf(stderr, "memclaim: boot with %d nodes failed\n", nodes[i]);
			return 1;
		}
		list_for_each_entry(s, &slab_caches, list)
			caches++;
		after = caches * (size_t)kmem_cache->size;
		pages = cache_slab_pages(kmem_cache);
		printf("| %d | %d | %lu | %d | %zu | %lu (%lu B) | %.1f | %lu |\n", nodes[i],
		       kmem_size, caches, kmem_cache->size, after, pages, pages * PAGE_SIZE,
		       (double)before_all / (double)(pages * PAGE_SIZE), slub_pages_in_use());
		if (slub_shutdown())
			return 1;
	}
	return 0;
}
