/* slabinfo.c - a /proc/slabinfo-like table of every cache, with per-node and per-cpu slab
 * counts, for crash reports and for people. */
#include "slub_def.h"

/*
 * Used when something has already gone wrong, so it takes no lock (the crash may have come
 * with one held), allocates nothing, and bounds every walk. It trusts the cache list and the
 * counters it prints; the strict checker is what questions them.
 */
#define SLABINFO_LINE_MAX 32768
static char slabinfo_line[SLABINFO_LINE_MAX];
static size_t slabinfo_len;

static void __printf(1, 2) line_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (slabinfo_len >= SLABINFO_LINE_MAX - 1)
		return;
	va_start(ap, fmt);
	n = slub_vsnprintf(slabinfo_line + slabinfo_len, SLABINFO_LINE_MAX - slabinfo_len, fmt,
			   ap);
	va_end(ap);
	if (n < 0)
		return;
	slabinfo_len += (size_t)n;
	if (slabinfo_len >= SLABINFO_LINE_MAX - 1) {
		slabinfo_len = SLABINFO_LINE_MAX - 1;
		memcpy(slabinfo_line + SLABINFO_LINE_MAX - 5, "...", 4);
	}
}

/* Free objects on a node's partial list, counted without its list_lock. */
static unsigned long slabinfo_partial_free(struct kmem_cache_node *n)
{
	unsigned long free = 0, walked = 0;
	struct page *page;

	list_for_each_entry(page, &n->partial, lru) {
		if (++walked > n->nr_partial + 16)
			break; /* the counter and the list disagree: show the counter */
		free += (unsigned long)(count_total(page) - count_inuse(page));
	}
	return free;
}

static void slabinfo_node(struct kmem_cache *s, int node)
{
	struct kmem_cache_node *n = get_node(s, node);

	if (!n) {
		line_add(" n%d=-", node);
		return;
	}
	line_add(" n%d=%ld/%lu/%ld/%lu", node, n->nr_slabs, n->nr_partial, n->total_objects,
		 slabinfo_partial_free(n));
}

static void slabinfo_cpus(struct kmem_cache *s)
{
	int cpu, nr = 0;

	if (!s->cpu_slab) {
		line_add(" : cpu -");
		return;
	}
	for_each_online_cpu(cpu)
		if (per_cpu_ptr(s->cpu_slab, cpu)->page)
			nr++;
	line_add(" : cpu %d", nr);
	if (!nr)
		return;
	line_add(" [");
	for_each_online_cpu(cpu) {
		struct page *page = per_cpu_ptr(s->cpu_slab, cpu)->page;

		if (page)
			line_add(" %d@n%d:%d/%d", cpu, page_to_nid(page), count_inuse(page),
				 count_total(page));
	}
	line_add(" ]");
}

void slub_slabinfo(void (*emit)(const char *line, void *arg), void *arg)
{
	struct kmem_cache *s;
	unsigned long bound = 0;
	int node;

	emit("slabinfo - slubfuzz " SLUB_BOOTSTRAP_NAME
#ifdef CONFIG_NUMA
	     " numa"
#else
	     " !numa"
#endif
	     ": node nN=slabs/partial/objects/free-in-partial; cpu c@nN:inuse/objects",
	     arg);
	emit("# name              objsize   size order objs/slab refs flags      : nodes : cpu "
	     "slabs",
	     arg);

	list_for_each_entry(s, &slab_caches, list) {
		if (++bound > 100000)
			break;
		slabinfo_len = 0;
		slabinfo_line[0] = '\0';
		line_add("%-19s %7d %6d %5d %9d %4d 0x%08lx :", s->name ? s->name : "(null)",
			 s->objsize, s->size, oo_order(s->oo), oo_objects(s->oo), s->refcount,
			 s->flags);
		if (NUMA_BUILD) {
			for_each_node_state(node, N_NORMAL_MEMORY)
				slabinfo_node(s, node);
		} else {
			slabinfo_node(s, 0);
		}
		slabinfo_cpus(s);
		emit(slabinfo_line, arg);
	}
}
