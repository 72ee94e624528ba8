/* slab_attr.c - the attribute files of a cache's /sys/kernel/slab directory as 2.6.36 has
 * them: the stores that retune or re-lay a live cache (order, min_partial,
 * remote_node_defrag_ratio, the debug flags), shrink and validate, and the reads
 * (show_slab_objects' counts, alloc_calls/free_calls through list_locations). */
#include "slub_def.h"
#include "track.h"

/* 2.6.36 include/linux/gfp.h: short-lived, reclaimable */
#define GFP_TEMPORARY (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE)

/*
 * Deliberate difference: no kobject or sysfs_ops; slab_attr_show and slab_attr_store stand
 * for slab_attr_show/slab_attr_store behind the kobject and find the attribute by name.
 * Output goes to the caller's buffer of PAGE_SIZE bytes, as sysfs hands one to show.
 */

/*
 * sprintf into the sysfs page at buf + len, as 2.6.36's shows do: nothing bounds it by the
 * page. A show that runs past its page writes past it here too, and the harness, which hands
 * every show a one-page buffer with a guard behind it, reports the overflow (fuzz/attrs.c).
 * Returns the bytes written.
 */
static int attr_sprintf(char *buf, int len, const char *fmt, ...) __printf(3, 4);
static int attr_sprintf(char *buf, int len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = slub_vsnprintf(buf + len, (size_t)0x7fffffff, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * scnprintf(buf + len, size, ...): at most size - 1 characters and the NUL; what it wrote.
 * (cpulist_scnprintf/nodelist_scnprintf of list_locations, and sysfs_emit_at in `fixed`.)
 */
static int attr_scnprintf(char *buf, int len, int size, const char *fmt, ...) __printf(4, 5);
static int attr_scnprintf(char *buf, int len, int size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (size <= 0)
		return 0;
	va_start(ap, fmt);
	n = slub_vsnprintf(buf + len, (size_t)size, fmt, ap);
	va_end(ap);
	return n >= size ? size - 1 : n;
}

/*
 * strict_strtoul(buf, 10, res) of 2.6.36 (lib/vsprintf.c): simple_strtoul's digits, then
 * nothing or a lone newline. Like 2.6.36, an overflow wraps silently (simple_strtoull
 * multiplies on: "18446744073709551617" is 1); kstrtoul, which refuses it, came in 2.6.39.
 */
static int strict_strtoul(const char *buf, unsigned long *res)
{
	unsigned long v = 0;
	const char *p = buf;

	*res = 0;
	if (!*p)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		/* the wrap spelled out, so the integer sanitizer takes it as meant */
		(void)__builtin_mul_overflow(v, 10UL, &v);
		(void)__builtin_add_overflow(v, (unsigned long)(*p - '0'), &v);
	}
	if (p == buf)
		return -EINVAL;
	if (p[0] == '\0' || (p[0] == '\n' && p[1] == '\0')) {
		*res = v;
		return 0;
	}
	return -EINVAL;
}

/* ---- counting ---- */

/* Any slab at all on an online node (total_objects counts capacity, free objects too). */
int any_slab_objects(struct kmem_cache *s)
{
	int node;

	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);

		if (!n)
			continue;
		if (n->total_objects)
			return 1;
	}
	return 0;
}

enum slab_stat_type {
	SL_ALL, /* every slab */
	SL_PARTIAL, /* the partial lists */
	SL_CPU, /* the cpu slabs */
	SL_OBJECTS, /* objects in use, not slabs */
	SL_TOTAL /* object capacity, not slabs */
};
#define SO_ALL (1 << SL_ALL)
#define SO_PARTIAL (1 << SL_PARTIAL)
#define SO_CPU (1 << SL_CPU)
#define SO_OBJECTS (1 << SL_OBJECTS)
#define SO_TOTAL (1 << SL_TOTAL)

static long show_slab_objects(struct kmem_cache *s, char *buf, unsigned long flags)
{
	unsigned long total = 0, *nodes, *per_cpu;
	int node, len;
	int x; /* 2.6.36's: the counters are longs, read into an int */

	nodes = kzalloc(2 * sizeof(unsigned long) * (size_t)nr_node_ids, GFP_KERNEL);
	if (!nodes)
		return -ENOMEM;
	per_cpu = nodes + nr_node_ids;

	if (flags & SO_CPU) {
		int cpu;

		for_each_possible_cpu(cpu) {
			struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

			if (!c || c->node < 0)
				continue;
			if (c->page) {
				if (flags & SO_TOTAL)
					x = c->page->objects;
				else if (flags & SO_OBJECTS)
					x = c->page->inuse;
				else
					x = 1;
				total += (unsigned long)(long)x;
				nodes[c->node] += (unsigned long)(long)x;
			}
			per_cpu[c->node]++;
		}
	}

	if (flags & SO_ALL) {
		for_each_node_state(node, N_NORMAL_MEMORY) {
			struct kmem_cache_node *n = get_node(s, node);

			if (flags & SO_TOTAL)
				x = (int)n->total_objects;
			else if (flags & SO_OBJECTS)
				x = (int)((long)n->total_objects - (long)count_partial(n, count_free));
			else
				x = (int)n->nr_slabs;
			total += (unsigned long)(long)x;
			nodes[node] += (unsigned long)(long)x;
		}
	} else if (flags & SO_PARTIAL) {
		for_each_node_state(node, N_NORMAL_MEMORY) {
			struct kmem_cache_node *n = get_node(s, node);

			if (flags & SO_TOTAL)
				x = (int)count_partial(n, count_total);
			else if (flags & SO_OBJECTS)
				x = (int)count_partial(n, count_inuse);
			else
				x = (int)n->nr_partial;
			total += (unsigned long)(long)x;
			nodes[node] += (unsigned long)(long)x;
		}
	}
	len = attr_sprintf(buf, 0, "%lu", total);
#ifdef CONFIG_NUMA
	for_each_node_state(node, N_NORMAL_MEMORY) {
		if (!nodes[node])
			continue;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SHOW_NODES_OVERFLOW)
		/*
		 * Correction: 2.6.36 sprintf'd every node's count into the one-page sysfs buffer
		 * with no bound: once a cache has slabs on a few hundred nodes (about 380 with
		 * five-digit counts, 600 with one-digit ones) the line runs past the page into
		 * whatever follows it. Upstream bounded it only when the shows became
		 * sysfs_emit_at calls (bf16d19aabd8 "mm: slub: convert sysfs sprintf family to
		 * sysfs_emit/sysfs_emit_at", Joe Perches, v5.12), which cut it at the page, mid-entry
		 * and without its newline. Here the line ends with the last whole node entry that
		 * leaves room for the newline: the page holds a well-formed line, its per-node
		 * parts then short of the total.
		 */
		char entry[48];
		int n = slub_snprintf(entry, sizeof(entry), " N%d=%lu", node, nodes[node]);

		if (len + n + 1 >= (int)PAGE_SIZE)
			break;
		len += attr_sprintf(buf, len, "%s", entry);
#else
		len += attr_sprintf(buf, len, " N%d=%lu", node, nodes[node]);
#endif
	}
#endif
	kfree(nodes);
	return len + attr_sprintf(buf, len, "\n");
}

/* ---- alloc_calls and free_calls ---- */

/* One call site of the tracks, with what list_locations prints about it. */
struct location {
	unsigned long count;
	unsigned long addr;
	long long sum_time;
	long min_time, max_time, min_pid, max_pid;
	DECLARE_BITMAP(cpus, NR_CPUS);
	DECLARE_BITMAP(nodes, MAX_NUMNODES);
};

struct loc_track {
	unsigned long max;
	unsigned long count;
	struct location *loc;
};

static void free_loc_track(struct loc_track *t)
{
	if (t->max)
		free_pages((unsigned long)t->loc,
			   (unsigned int)get_order(sizeof(struct location) * t->max));
}

static int alloc_loc_track(struct loc_track *t, unsigned long max, gfp_t flags)
{
	struct location *l;
	unsigned int order = (unsigned int)get_order(sizeof(struct location) * max);

	l = (void *)__get_free_pages(flags, order);
	if (!l)
		return 0;
	if (t->count) {
		memcpy(l, t->loc, sizeof(struct location) * t->count);
		free_loc_track(t);
	}
	t->max = max;
	t->loc = l;
	return 1;
}

/* Counts the track in its call site's location, kept sorted by address (binary search). */
static int add_location(struct loc_track *t, struct kmem_cache *s, const struct track *where,
			int track_node)
{
	long start = -1, end = (long)t->count, pos;
	struct location *l;
	struct track track;
	long age;

	(void)s;
	track_meta_read(&track, where, sizeof(track));
	age = (long)(jiffies - track.when);
	for (;;) {
		pos = start + (end - start + 1) / 2;
		/* nothing at end: if we got there, the new one goes before it */
		if (pos == end)
			break;
		if (track.addr == t->loc[pos].addr) {
			l = &t->loc[pos];
			l->count++;
			if (track.when) {
				l->sum_time += age;
				if (age < l->min_time)
					l->min_time = age;
				if (age > l->max_time)
					l->max_time = age;
				if (track.pid < l->min_pid)
					l->min_pid = track.pid;
				if (track.pid > l->max_pid)
					l->max_pid = track.pid;
				__set_bit(track.cpu, l->cpus);
			}
			__set_bit(track_node, l->nodes);
			return 1;
		}
		if (track.addr < t->loc[pos].addr)
			end = pos;
		else
			start = pos;
	}

	/* a new call site */
	if (t->count >= t->max && !alloc_loc_track(t, 2 * t->max, GFP_ATOMIC))
		return 0;
	l = t->loc + pos;
	if (pos < (long)t->count)
		memmove(l + 1, l, ((size_t)t->count - (size_t)pos) * sizeof(struct location));
	t->count++;
	l->count = 1;
	l->addr = track.addr;
	l->sum_time = age;
	l->min_time = age;
	l->max_time = age;
	l->min_pid = track.pid;
	l->max_pid = track.pid;
	bitmap_zero(l->cpus, NR_CPUS);
	__set_bit(track.cpu, l->cpus);
	bitmap_zero(l->nodes, MAX_NUMNODES);
	__set_bit(track_node, l->nodes);
	return 1;
}

/* Adds the track of every object in use in the slab. */
static void process_slab(struct loc_track *t, struct kmem_cache *s, struct page *page,
			 enum track_item alloc, unsigned long *map)
{
	void *addr = page_address(page);
	void *p;

	bitmap_zero(map, page->objects);
	for_each_free_object(p, s, page->freelist)
		__set_bit(slab_index(p, s, addr), map);
	for_each_object(p, s, addr, page->objects)
		if (!test_bit(slab_index(p, s, addr), map))
			add_location(t, s, get_track(s, p, alloc), page_to_nid(page));
}

/* "0-3,5": the set bits of a bitmap as a list of ranges, in at most size - 1 characters
 * (bitmap_scnlistprintf: what does not fit is cut). */
static int bitmap_list(char *buf, int len, int size, const unsigned long *bits, int nbits)
{
	int i = 0, n = 0, first = 1;

	while (i < nbits) {
		int j;

		if (!test_bit(i, bits)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < nbits && test_bit(j + 1, bits); j++)
			;
		n += attr_scnprintf(buf, len + n, size - n, j > i ? "%s%d-%d" : "%s%d",
				    first ? "" : ",", i, j);
		first = 0;
		i = j + 1;
	}
	return n;
}

static int bitmap_empty(const unsigned long *bits, int nbits)
{
	for (int i = 0; i < nbits; i++)
		if (test_bit(i, bits))
			return 0;
	return 1;
}

/*
 * What sprint_symbol may write (2.6.36 include/linux/kallsyms.h): "%s+%#lx/%#lx [%s]" with a
 * KSYM_NAME_LEN (128) symbol, two 64-bit numbers and a MODULE_NAME_LEN (64 - 8) module name:
 * 239 bytes. list_locations stops at PAGE_SIZE - KSYM_SYMBOL_LEN - 100.
 */
#define KSYM_NAME_LEN 128
#define MODULE_NAME_LEN (64 - (int)sizeof(unsigned long))
#define KSYM_SYMBOL_LEN ((int)sizeof("%s+%#lx/%#lx [%s]") + (KSYM_NAME_LEN - 1) + \
			 2 * (BITS_PER_LONG * 3 / 10) + (MODULE_NAME_LEN - 1) + 1)
_Static_assert(sizeof(long) != 8 || KSYM_SYMBOL_LEN == 239, "2.6.36's KSYM_SYMBOL_LEN on 64-bit");

int list_locations(struct kmem_cache *s, char *buf, enum track_item alloc)
{
	struct loc_track t = { 0, 0, NULL };
	int len = 0, node, cpus = 0, nodes = 0;
	unsigned long i, *map;

	map = kmalloc(BITS_TO_LONGS(oo_objects(s->max)) * sizeof(unsigned long), GFP_KERNEL);
	if (!map || !alloc_loc_track(&t, PAGE_SIZE / sizeof(struct location), GFP_TEMPORARY)) {
		kfree(map);
		return attr_sprintf(buf, 0, "Out of memory\n");
	}
	/* the cpu slabs go back to the lists, so that every slab is on one */
	flush_all(s);

	for_each_node_state(node, N_NORMAL_MEMORY) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long flags;
		struct page *page;

		if (!n->nr_slabs)
			continue;
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry(page, &n->partial, lru)
			process_slab(&t, s, page, alloc, map);
		list_for_each_entry(page, &n->full, lru)
			process_slab(&t, s, page, alloc, map);
		spin_unlock_irqrestore(&n->list_lock, flags);
	}

	for_each_online_cpu(node)
		cpus++;
	for_each_online_node(node)
		nodes++;
	for (i = 0; i < t.count; i++) {
		struct location *l = &t.loc[i];

		if (len > (int)PAGE_SIZE - KSYM_SYMBOL_LEN - 100)
			break;
		len += attr_sprintf(buf, len, "%7lu ", l->count);
		/* Deliberate difference: the call site as an address; there is no symbolizer. */
		if (l->addr)
			len += attr_sprintf(buf, len, "%#lx", l->addr);
		else
			len += attr_sprintf(buf, len, "<not-available>");
		if (l->sum_time != l->min_time)
			len += attr_sprintf(buf, len, " age=%ld/%ld/%ld", l->min_time,
					   (long)(l->sum_time / (long long)l->count), l->max_time);
		else
			len += attr_sprintf(buf, len, " age=%ld", l->min_time);
		if (l->min_pid != l->max_pid)
			len += attr_sprintf(buf, len, " pid=%ld-%ld", l->min_pid, l->max_pid);
		else
			len += attr_sprintf(buf, len, " pid=%ld", l->min_pid);
		if (cpus > 1 && !bitmap_empty(l->cpus, NR_CPUS) && len < (int)PAGE_SIZE - 60) {
			len += attr_sprintf(buf, len, " cpus=");
			len += bitmap_list(buf, len, (int)PAGE_SIZE - len - 50, l->cpus, nr_cpu_ids);
		}
		if (nodes > 1 && !bitmap_empty(l->nodes, MAX_NUMNODES) && len < (int)PAGE_SIZE - 60) {
			len += attr_sprintf(buf, len, " nodes=");
			len += bitmap_list(buf, len, (int)PAGE_SIZE - len - 50, l->nodes, nr_node_ids);
		}
		len += attr_sprintf(buf, len, "\n");
	}

	free_loc_track(&t);
	kfree(map);
	if (!t.count)
		len += attr_sprintf(buf, 0, "No data\n");
	return len;
}

/* ---- the attributes ---- */

static long slab_size_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", s->size);
}

static long align_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", s->align);
}

static long object_size_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", s->objsize);
}

static long objs_per_slab_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", oo_objects(s->oo));
}

static long order_store(struct kmem_cache *s, const char *buf, size_t length)
{
	unsigned long order;
	int err;

	err = strict_strtoul(buf, &order);
	if (err)
		return err;
	if (order > (unsigned long)slub_max_order || order < (unsigned long)slub_min_order)
		return -EINVAL;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_ORDER_STORE_NO_OBJECTS)
	/*
	 * Correction: 2.6.36 re-laid the cache at any order within slub_min_order..max_order
	 * and ignored calculate_sizes' answer, so an order too small for one object (a 5000-byte
	 * cache at order 0) left s->oo with no object: new_slab then builds a slab of zero
	 * objects whose first "free object" overruns its page, and inuse goes below zero at its
	 * free. Upstream kept this until runtime order changes went away (32a6f409b693 "mm,
	 * slub: remove runtime allocation order changes", v5.9); here such an order is refused
	 * and the layout stays as it was. The same holds at the other end: an order holding more than
	 * MAX_OBJS_PER_PAGE objects (order 10 of a 24-byte cache) overflows the object count
	 * into oo's order bits (order_show then says 12), which calculate_order never picks.
	 */
	if ((PAGE_SIZE << order) < (unsigned long)s->size ||
	    (PAGE_SIZE << order) / (unsigned long)s->size > MAX_OBJS_PER_PAGE)
		return -EINVAL;
#endif
	calculate_sizes(s, (int)order);
	return (long)length;
}

static long order_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", oo_order(s->oo));
}

static long min_partial_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%lu\n", s->min_partial);
}

static long min_partial_store(struct kmem_cache *s, const char *buf, size_t length)
{
	unsigned long min;
	int err;

	err = strict_strtoul(buf, &min);
	if (err)
		return err;
	set_min_partial(s, min);
	return (long)length;
}

static long aliases_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", s->refcount - 1);
}

static long ctor_show(struct kmem_cache *s, char *buf)
{
	if (s->ctor)
		return attr_sprintf(buf, 0, "%#lx\n", (unsigned long)(uintptr_t)s->ctor);
	return 0;
}

static long slabs_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_ALL);
}

static long partial_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_PARTIAL);
}

static long cpu_slabs_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_CPU);
}

static long objects_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_ALL | SO_OBJECTS);
}

static long objects_partial_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_PARTIAL | SO_OBJECTS);
}

static long total_objects_show(struct kmem_cache *s, char *buf)
{
	return show_slab_objects(s, buf, SO_ALL | SO_TOTAL);
}

/*
 * The flag attributes that 2.6.36 lets change under live objects (sanity_checks, trace,
 * failslab, reclaim_account): buf[0] == '1' sets the flag, anything else clears it. 2.6.36
 * flips s->flags and nothing else (it tells a debugging cache by its flags since af537b0a6c6,
 * "slub: Use kmem_cache flags to detect if slab is in debugging mode", 2.6.34).
 */
/*
 * Whether a cache may take these flags and keep its sysfs directory. A mergeable cache's
 * directory is named by its merge-relevant flags and size (create_unique_id, ":t-0000064").
 */
static int attr_keeps_directory(struct kmem_cache *s, unsigned long flags)
{
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_ATTR_STORE_DUP_DIRECTORY)
	/*
	 * Correction: 2.6.36 changed a never-merge or merge-same flag of a cache registered under
	 * its unique id and kept the directory. The cache then no longer matches the name it is
	 * filed under, the next mergeable cache of that size and those flags is not merged into it
	 * and gets the same unique id, sysfs refuses the duplicate and kmem_cache_create returns
	 * NULL with memory to spare (the duplicate-name failure "slub: Fix sysfs duplicate
	 * filename creation when slub_debug=O", v4.15, fixed for another cause). Upstream made
	 * these attributes read-only ("mm, slub: make some slub_debug related attributes
	 * read-only" and "mm, slub: make remaining slub_debug related attributes read-only",
	 * v5.9); here only the change that breaks is refused, with -EBUSY.
	 */
	if (s->kobj.registered && s->kobj.name && s->kobj.name[0] == ':' &&
	    ((flags ^ s->flags) & (SLUB_NEVER_MERGE | SLUB_MERGE_SAME)))
		return 0;
#else
	(void)s;
	(void)flags;
#endif
	return 1;
}

static long flag_store(struct kmem_cache *s, unsigned long flag, const char *buf, size_t length)
{
	unsigned long flags = s->flags & ~flag;

	if (buf[0] == '1')
		flags |= flag;
	if (!attr_keeps_directory(s, flags))
		return -EBUSY;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_DEBUG_FLAG_LIVE_CPU_SLAB)
	/*
	 * Correction: a cpu slab loaded while the cache did not debug keeps its lockless freelist
	 * (c->node >= 0) after 2.6.36 turns sanity_checks or trace on: allocations from that
	 * freelist and same-cpu frees into it take the fast paths, so they are neither checked
	 * nor traced. A double free there goes unreported and hands the object out twice, though
	 * the file says the checks are on. Upstream never made the flip take effect: 060807f841ac
	 * ("mm, slub: make remaining slub_debug related attributes read-only", v5.9) removed the
	 * runtime toggling of sanity_checks, trace and failslab as racy.
	 * Here the flags are set and then the cpu slabs flushed, so every object goes through
	 * the debug paths from the store on (only when debugging starts: a cache that debugs
	 * already has no lockless cpu slab, and one that stops may keep its debug cpu slabs, as
	 * in 2.6.36). In that order: a slab another cpu or an interrupt loads once flush_all has
	 * passed its cpu is loaded for debugging (flushing first left such a slab lockless in a
	 * debugging cache: an interrupt at on_each_cpu's interrupts back on, which libFuzzer
	 * found, corpus/regressions/slub_ops/irq_at_trace_store_flush).
	 */
	if ((flags & SLAB_DEBUG_FLAGS) && !kmem_cache_debug(s)) {
		s->flags = flags;
		flush_all(s);
	}
#endif
	s->flags = flags;
	return (long)length;
}

static long flag_show(struct kmem_cache *s, unsigned long flag, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", !!(s->flags & flag));
}

static long sanity_checks_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_DEBUG_FREE, buf);
}

static long sanity_checks_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return flag_store(s, SLAB_DEBUG_FREE, buf, length);
}

static long trace_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_TRACE, buf);
}

static long trace_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return flag_store(s, SLAB_TRACE, buf, length);
}

static long failslab_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_FAILSLAB, buf);
}

static long failslab_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return flag_store(s, SLAB_FAILSLAB, buf, length);
}

static long reclaim_account_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_RECLAIM_ACCOUNT, buf);
}

static long reclaim_account_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return flag_store(s, SLAB_RECLAIM_ACCOUNT, buf, length);
}

static long hwcache_align_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_HWCACHE_ALIGN, buf);
}

static long cache_dma_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_CACHE_DMA, buf);
}

static long destroy_by_rcu_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_DESTROY_BY_RCU, buf);
}

/* The layout flags: only a cache without a single slab may be re-laid (2.6.36's -EBUSY). */
static long layout_flag_store(struct kmem_cache *s, unsigned long flag, const char *buf,
			      size_t length)
{
	unsigned long flags = s->flags & ~flag;

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_RELAYOUT_RCU_PENDING)
	/*
	 * Correction: a SLAB_DESTROY_BY_RCU slab leaves the node counters when it is discarded
	 * but waits for a grace period before rcu_free_slab checks and frees it, so 2.6.36 saw
	 * no slab and re-laid the cache under it: the grace period then checked an old slab with
	 * the new layout (a red zone it never had: "Redzone overwritten", objects walked at the
	 * new size). kmem_cache_destroy waits with rcu_barrier for the same reason; so does this.
	 * No upstream fix before these stores became read-only (v5.9).
	 */
	if (s->flags & SLAB_DESTROY_BY_RCU)
		rcu_barrier();
#endif
	if (any_slab_objects(s))
		return -EBUSY;
	if (buf[0] == '1')
		flags |= flag;
	if (!attr_keeps_directory(s, flags))
		return -EBUSY;
	s->flags = flags;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_RELAYOUT_STALE_OFFSET)
	/*
	 * Correction: calculate_sizes moves the free pointer out of the object only when poison,
	 * RCU or a ctor needs it, and never moves it back, so 2.6.36's poison_store "0" (or
	 * red_zone/store_user on a cache that had poison) kept s->offset past the object while
	 * s->size no longer made room for it: every free wrote the free pointer over the next
	 * object's first word, and the last object's past the slab. kmem_cache_open clears it for
	 * slub_debug=O the same way. Upstream: calculate_sizes sets the offset in every case since
	 * "slub: relocate freelist pointer to middle of object" (v5.7), and these stores became
	 * read-only in "mm, slub: make some slub_debug related attributes read-only" (v5.9).
	 */
	s->offset = 0;
#endif
	calculate_sizes(s, -1);
	return (long)length;
}

static long red_zone_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_RED_ZONE, buf);
}

static long red_zone_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return layout_flag_store(s, SLAB_RED_ZONE, buf, length);
}

static long poison_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_POISON, buf);
}

static long poison_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return layout_flag_store(s, SLAB_POISON, buf, length);
}

static long store_user_show(struct kmem_cache *s, char *buf)
{
	return flag_show(s, SLAB_STORE_USER, buf);
}

static long store_user_store(struct kmem_cache *s, const char *buf, size_t length)
{
	return layout_flag_store(s, SLAB_STORE_USER, buf, length);
}

static long validate_show(struct kmem_cache *s, char *buf)
{
	(void)s;
	(void)buf;
	return 0;
}

static long validate_store(struct kmem_cache *s, const char *buf, size_t length)
{
	long ret = -EINVAL;

	if (buf[0] == '1') {
		ret = validate_slab_cache(s);
		if (ret >= 0)
			ret = (long)length;
	}
	return ret;
}

static long shrink_show(struct kmem_cache *s, char *buf)
{
	(void)s;
	(void)buf;
	return 0;
}

static long shrink_store(struct kmem_cache *s, const char *buf, size_t length)
{
	if (buf[0] == '1') {
		int rc = kmem_cache_shrink(s);

		if (rc)
			return rc;
	} else {
		return -EINVAL;
	}
	return (long)length;
}

static long alloc_calls_show(struct kmem_cache *s, char *buf)
{
	if (!(s->flags & SLAB_STORE_USER))
		return -ENOSYS;
	return list_locations(s, buf, TRACK_ALLOC);
}

static long free_calls_show(struct kmem_cache *s, char *buf)
{
	if (!(s->flags & SLAB_STORE_USER))
		return -ENOSYS;
	return list_locations(s, buf, TRACK_FREE);
}

#ifdef CONFIG_NUMA
static long remote_node_defrag_ratio_show(struct kmem_cache *s, char *buf)
{
	return attr_sprintf(buf, 0, "%d\n", s->remote_node_defrag_ratio / 10);
}

static long remote_node_defrag_ratio_store(struct kmem_cache *s, const char *buf, size_t length)
{
	unsigned long ratio;
	int err;

	err = strict_strtoul(buf, &ratio);
	if (err)
		return err;
	if (ratio <= 100)
		s->remote_node_defrag_ratio = (int)ratio * 10;
	return (long)length;
}
#endif

/*
 * CONFIG_SLUB_STATS (the port counts with it on): one file per stat_item, the sum over the
 * online cpus and each non-zero cpu's count; writing "0" clears it on the online cpus.
 */
static long show_stat(struct kmem_cache *s, char *buf, enum stat_item si)
{
	unsigned long sum = 0;
	int cpu, len;
	int *data = kmalloc((size_t)nr_cpu_ids * sizeof(int), GFP_KERNEL);

	if (!data)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		unsigned int x = per_cpu_ptr(s->cpu_slab, cpu)->stat[si];

		data[cpu] = (int)x;
		sum += x;
	}
	len = attr_sprintf(buf, 0, "%lu", sum);
	for_each_online_cpu(cpu) {
		if (data[cpu] && len < (int)PAGE_SIZE - 20)
			len += attr_sprintf(buf, len, " C%d=%u", cpu, (unsigned int)data[cpu]);
	}
	kfree(data);
	return len + attr_sprintf(buf, len, "\n");
}

static void clear_stat(struct kmem_cache *s, enum stat_item si)
{
	int cpu;

	for_each_online_cpu(cpu)
		per_cpu_ptr(s->cpu_slab, cpu)->stat[si] = 0;
}

#define STAT_ATTR(si, text)                                                             \
	static long text##_show(struct kmem_cache *s, char *buf)                        \
	{                                                                               \
		return show_stat(s, buf, si);                                           \
	}                                                                               \
	static long text##_store(struct kmem_cache *s, const char *buf, size_t length)  \
	{                                                                               \
		if (buf[0] != '0')                                                      \
			return -EINVAL;                                                 \
		clear_stat(s, si);                                                      \
		return (long)length;                                                    \
	}

STAT_ATTR(ALLOC_FASTPATH, alloc_fastpath)
STAT_ATTR(ALLOC_SLOWPATH, alloc_slowpath)
STAT_ATTR(FREE_FASTPATH, free_fastpath)
STAT_ATTR(FREE_SLOWPATH, free_slowpath)
STAT_ATTR(FREE_FROZEN, free_frozen)
STAT_ATTR(FREE_ADD_PARTIAL, free_add_partial)
STAT_ATTR(FREE_REMOVE_PARTIAL, free_remove_partial)
STAT_ATTR(ALLOC_FROM_PARTIAL, alloc_from_partial)
STAT_ATTR(ALLOC_SLAB, alloc_slab)
STAT_ATTR(ALLOC_REFILL, alloc_refill)
STAT_ATTR(FREE_SLAB, free_slab)
STAT_ATTR(CPUSLAB_FLUSH, cpuslab_flush)
STAT_ATTR(DEACTIVATE_FULL, deactivate_full)
STAT_ATTR(DEACTIVATE_EMPTY, deactivate_empty)
STAT_ATTR(DEACTIVATE_TO_HEAD, deactivate_to_head)
STAT_ATTR(DEACTIVATE_TO_TAIL, deactivate_to_tail)
STAT_ATTR(DEACTIVATE_REMOTE_FREES, deactivate_remote_frees)
STAT_ATTR(ORDER_FALLBACK, order_fallback)

struct slab_attribute {
	const char *name;
	long (*show)(struct kmem_cache *s, char *buf);
	long (*store)(struct kmem_cache *s, const char *buf, size_t count);
};

#define SLAB_ATTR_RO(_name) { #_name, _name##_show, NULL }
#define SLAB_ATTR(_name) { #_name, _name##_show, _name##_store }

static const struct slab_attribute slab_attrs[] = {
	SLAB_ATTR_RO(slab_size),
	SLAB_ATTR_RO(align),
	SLAB_ATTR_RO(object_size),
	SLAB_ATTR_RO(objs_per_slab),
	SLAB_ATTR(order),
	SLAB_ATTR(min_partial),
	SLAB_ATTR_RO(ctor),
	SLAB_ATTR_RO(aliases),
	SLAB_ATTR_RO(slabs),
	SLAB_ATTR_RO(partial),
	SLAB_ATTR_RO(cpu_slabs),
	SLAB_ATTR_RO(objects),
	SLAB_ATTR_RO(objects_partial),
	SLAB_ATTR_RO(total_objects),
	SLAB_ATTR(sanity_checks),
	SLAB_ATTR(trace),
	SLAB_ATTR(failslab),
	SLAB_ATTR(reclaim_account),
	SLAB_ATTR_RO(hwcache_align),
	SLAB_ATTR_RO(cache_dma),
	SLAB_ATTR_RO(destroy_by_rcu),
	SLAB_ATTR(red_zone),
	SLAB_ATTR(poison),
	SLAB_ATTR(store_user),
	SLAB_ATTR(validate),
	SLAB_ATTR(shrink),
	SLAB_ATTR_RO(alloc_calls),
	SLAB_ATTR_RO(free_calls),
#ifdef CONFIG_NUMA
	SLAB_ATTR(remote_node_defrag_ratio),
#endif
	SLAB_ATTR(alloc_fastpath),
	SLAB_ATTR(alloc_slowpath),
	SLAB_ATTR(free_fastpath),
	SLAB_ATTR(free_slowpath),
	SLAB_ATTR(free_frozen),
	SLAB_ATTR(free_add_partial),
	SLAB_ATTR(free_remove_partial),
	SLAB_ATTR(alloc_from_partial),
	SLAB_ATTR(alloc_slab),
	SLAB_ATTR(alloc_refill),
	SLAB_ATTR(free_slab),
	SLAB_ATTR(cpuslab_flush),
	SLAB_ATTR(deactivate_full),
	SLAB_ATTR(deactivate_empty),
	SLAB_ATTR(deactivate_to_head),
	SLAB_ATTR(deactivate_to_tail),
	SLAB_ATTR(deactivate_remote_frees),
	SLAB_ATTR(order_fallback),
};

static const struct slab_attribute *slab_attr_find(const char *name)
{
	for (size_t i = 0; i < sizeof(slab_attrs) / sizeof(slab_attrs[0]); i++)
		if (!strcmp(slab_attrs[i].name, name))
			return &slab_attrs[i];
	return NULL;
}

long slab_attr_show(struct kmem_cache *s, const char *attr, char *buf)
{
	const struct slab_attribute *a = slab_attr_find(attr);

	if (!a)
		return -ENOENT;
	if (!a->show)
		return -EIO;
	return a->show(s, buf);
}

long slab_attr_store(struct kmem_cache *s, const char *attr, const char *buf, size_t len)
{
	const struct slab_attribute *a = slab_attr_find(attr);

	if (!a)
		return -ENOENT;
	if (!a->store)
		return -EIO;
	return a->store(s, buf, len);
}
