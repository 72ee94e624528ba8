/* attrs.c - the attr_store and attr_show events: a write to or a read of one of a cache's
 * /sys/kernel/slab files (allocator/slab_attr.c), and what the oracle expects of each as
 * 2.6.36 states it: return codes, the preconditions of a layout change, the cache's new
 * settings, and counts that agree with the objects the harness holds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "slub_def.h"

/*
 * The CONFIG_SLUB_STATS files: prog_attr_names from "alloc_fastpath" on, in enum stat_item's
 * order. The stat_item a name counts, or -1.
 */
static int attr_stat_item(const char *name)
{
	static int first = -1;

	if (first < 0)
		for (first = 0; first < prog_attr_count; first++)
			if (!strcmp(prog_attr_names[first], "alloc_fastpath"))
				break;
	for (int i = first; i < prog_attr_count; i++)
		if (!strcmp(name, prog_attr_names[i]))
			return i - first;
	return -1;
}

static int attr_is_stat(const char *name)
{
	return attr_stat_item(name) >= 0;
}

/* The attributes with a store method in this build. */
static int attr_writable(const char *name)
{
	if (attr_is_stat(name))
		return 1;
	static const char *const stores[] = {
		"order", "min_partial", "red_zone", "poison", "store_user", "sanity_checks",
		"trace", "failslab", "reclaim_account", "validate", "shrink",
	};

	for (size_t i = 0; i < sizeof(stores) / sizeof(stores[0]); i++)
		if (!strcmp(name, stores[i]))
			return 1;
	return FZ_NUMA && !strcmp(name, "remote_node_defrag_ratio");
}

static int attr_exists(const char *name)
{
	return FZ_NUMA || strcmp(name, "remote_node_defrag_ratio");
}

/* Slabs of s on any node, as the node counters have them. */
static unsigned long slab_capacity(struct kmem_cache *s)
{
	unsigned long total = 0;
	int node;

	for_each_online_node(node) {
		struct kmem_cache_node *n = get_node(s, node);

		if (n)
			total += n->total_objects;
	}
	return total;
}

/*
 * fixed refuses a flag change that would leave a mergeable cache filed under a unique id its
 * flags no longer give (slab_attr.c, attr_keeps_directory); the seed takes it.
 */
static int directory_refusal(struct kmem_cache *s, unsigned long flag, int set)
{
#ifndef SLUB_BOOTSTRAP_SEED
	return s->kobj.registered && s->kobj.name && s->kobj.name[0] == ':' &&
	       (flag & (SLUB_NEVER_MERGE | SLUB_MERGE_SAME)) && !!(s->flags & flag) != set;
#else
	(void)s;
	(void)flag;
	(void)set;
	return 0;
#endif
}

/*
 * A store or a show is a write or a read of a file in the cache's /sys/kernel/slab directory:
 * none exists before slab_sysfs_init registers the cache, or when its registration failed.
 * (Stores before then re-laid kmalloc caches that merged caches had been checked against, a
 * thing no kernel can do.)
 */
static int has_directory(const struct kmem_cache *s)
{
	/* (seed: another cache's sysfs_slab_add may have removed it by name, files and all) */
	return s && s->kobj.registered && !s->kobj.removed;
}

static int failure_on_path(const struct fz_state *x)
{
	return FZ_FB(x)->outer_injected || fz_oom_since(x, FZ_FB(x)->ev_oom_start);
}

/* A flag store's effect: buf[0] == '1' sets it, anything else clears it. */
static void check_flag(struct fz_state *x, struct kmem_cache *s, const char *name,
		       unsigned long flag, int set)
{
	if (!!(s->flags & flag) != set)
		fz_finding(x, "%s_store wrote \"%s\" but %s's flag is %s", name, set ? "1" : "0",
			   s->name, (s->flags & flag) ? "set" : "clear");
}

/*
 * What 2.6.36's strict_strtoul(buf, 10, &v) makes of a store (lib/vsprintf.c): decimal digits
 * with no sign or space, then the end or one newline and the end, else -EINVAL; the value wraps
 * modulo 2^BITS_PER_LONG as simple_strtoul's does (nothing checks overflow). The harness's own
 * reading, written from the kernel's rule, not slab_attr.c's copy of it.
 */
static int model_strtoul(const char *buf, unsigned long *v)
{
	const char *p = buf;

	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		/* the wrap spelled out, so that the integer sanitizer takes it as meant */
		(void)__builtin_mul_overflow(*v, 10UL, v);
		(void)__builtin_add_overflow(*v, (unsigned long)(*p - '0'), v);
	}
	if (p == buf)
		return 0;
	return p[0] == '\0' || (p[0] == '\n' && p[1] == '\0');
}

void fz_attr_store(struct fz_state *x, int c, int attr, int value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d\n", value);
	fz_attr_write(x, c, attr, buf);
}

void fz_attr_write(struct fz_state *x, int c, int attr, const char *text)
{
	struct kmem_cache *s = x->cache[c].s;
	const char *name = prog_attr_names[attr];
	unsigned long live, capacity, ratio_before, flag, value;
	char buf[32];
	long rc, len;
	int one, parsed;

	if (!has_directory(s))
		return;
	len = snprintf(buf, sizeof(buf), "%s", text);
	one = buf[0] == '1';
	parsed = model_strtoul(buf, &value);
	live = fz_live_objects(x, s);
	capacity = slab_capacity(s);
#ifdef CONFIG_NUMA
	ratio_before = (unsigned long)s->remote_node_defrag_ratio;
#else
	ratio_before = 0;
#endif
	rc = slab_attr_store(s, name, buf, (size_t)len);
	slub_note_cache(s); /* its lists or its layout may have changed */
	fz_digest(x, (uint32_t)(rc + 4000));
	if (fz_verbose >= 2)
		fprintf(stderr, "    %s store \"%.*s\": %ld\n", name, (int)strcspn(buf, "\n"), buf, rc);

	if (!attr_exists(name)) {
		if (rc != -ENOENT)
			fz_finding(x, "%s: no such attribute without CONFIG_NUMA, store returned %ld",
				   name, rc);
		return;
	}
	if (!attr_writable(name)) {
		if (rc != -EIO)
			fz_finding(x, "%s is read-only (sysfs answers -EIO), store returned %ld", name,
				   rc);
		return;
	}
	if (!strcmp(name, "red_zone") || !strcmp(name, "poison") || !strcmp(name, "store_user")) {
		flag = name[0] == 'r' ? SLAB_RED_ZONE : name[0] == 'p' ? SLAB_POISON : SLAB_STORE_USER;

		if (rc == -EBUSY && directory_refusal(s, flag, one))
			return;
		if (live && rc != -EBUSY)
			fz_finding(x, "%s_store on %s with %lu live objects returned %ld, not -EBUSY "
				   "(any_slab_objects)", name, s->name, live, rc);
		else if (rc == -EBUSY && !capacity)
			fz_finding(x, "%s_store on %s returned -EBUSY with no slab on any node", name,
				   s->name);
		else if (rc != -EBUSY && rc != len)
			fz_finding(x, "%s_store returned %ld", name, rc);
		else if (rc == len)
			check_flag(x, s, name, flag, one);
		return;
	}
	/* the numeric files: strict_strtoul's -EINVAL first, then the value it read (wrapped) */
	if ((!strcmp(name, "order") || !strcmp(name, "min_partial") ||
	     !strcmp(name, "remote_node_defrag_ratio")) && !parsed) {
		if (rc != -EINVAL)
			fz_finding(x, "%s_store(\"%.*s\") on %s returned %ld, not strict_strtoul's "
				   "-EINVAL", name, (int)strcspn(buf, "\n"), buf, s->name, rc);
		return;
	}
	if (!strcmp(name, "order")) {
		if (value > (unsigned long)slub_max_order || value < (unsigned long)slub_min_order) {
			if (rc != -EINVAL)
				fz_finding(x, "order_store(%lu) outside slub_min_order..slub_max_order "
					   "(%d..%d) returned %ld, not -EINVAL", value, slub_min_order,
					   slub_max_order, rc);
			return;
		}
		if (rc == -EINVAL && ((PAGE_SIZE << value) < (unsigned long)s->size ||
				      (PAGE_SIZE << value) / (unsigned long)s->size > MAX_OBJS_PER_PAGE))
			return; /* fixed refuses an order that holds no object, or too many to count */
		if (rc != len)
			fz_finding(x, "order_store(%lu) on %s returned %ld", value, s->name, rc);
		else if ((unsigned long)oo_order(s->oo) != value)
			fz_finding(x, "order_store(%lu) on %s left order %d", value, s->name,
				   oo_order(s->oo));
		else if (!oo_objects(s->oo))
			fz_finding(x, "order_store(%lu) on %s (size %d): calculate_sizes found no "
				   "object fits an order-%d slab, and new_slab will hand out one that "
				   "overruns it", value, s->name, s->size, (int)value);
		return;
	}
	if (!strcmp(name, "min_partial")) {
		unsigned long want = value < MIN_PARTIAL ? MIN_PARTIAL :
				     value > MAX_PARTIAL ? MAX_PARTIAL : value;

		if (rc != len || s->min_partial != want)
			fz_finding(x, "min_partial_store(%lu) on %s returned %ld, min_partial %lu (not "
				   "%lu)", value, s->name, rc, s->min_partial, want);
		return;
	}
#ifdef CONFIG_NUMA
	if (!strcmp(name, "remote_node_defrag_ratio")) {
		unsigned long want = value <= 100 ? value * 10 : ratio_before;

		if (rc != len || (unsigned long)s->remote_node_defrag_ratio != want)
			fz_finding(x, "remote_node_defrag_ratio_store(%lu) on %s returned %ld, ratio "
				   "%d (not %lu)", value, s->name, rc, s->remote_node_defrag_ratio,
				   want);
		return;
	}
#endif
	(void)ratio_before;
	if (attr_is_stat(name)) {
		/* 2.6.36's STAT_ATTR store: "0..." clears the count on every online cpu */
		int cpu;

		if (buf[0] != '0') {
			if (rc != -EINVAL)
				fz_finding(x, "%s_store(\"%.*s\") on %s returned %ld, not -EINVAL",
					   name, (int)strcspn(buf, "\n"), buf, s->name, rc);
			return;
		}
		if (rc != len) {
			fz_finding(x, "%s_store(\"0\") on %s returned %ld", name, s->name, rc);
			return;
		}
		for_each_online_cpu(cpu) {
			unsigned int n = per_cpu_ptr(s->cpu_slab, cpu)->stat[attr_stat_item(name)];

			if (n) {
				fz_finding(x, "%s_store(\"0\") on %s left %u on cpu %d", name,
					   s->name, n, cpu);
				return;
			}
		}
		return;
	}
	if (!strcmp(name, "validate") || !strcmp(name, "shrink")) {
		if (!one) {
			if (rc != -EINVAL)
				fz_finding(x, "%s_store(\"%s\") returned %ld, not -EINVAL", name, buf,
					   rc);
			return;
		}
		if (rc == -ENOMEM && name[0] == 's' && failure_on_path(x))
			return;
		if (rc != len)
			fz_finding(x, "%s_store on %s returned %ld", name, s->name, rc);
		else if (name[0] == 's')
			fz_model_after_shrink(x, s);
		return;
	}
	/* the flags 2.6.36 lets change under live objects */
	flag = !strcmp(name, "sanity_checks") ? SLAB_DEBUG_FREE :
	       !strcmp(name, "trace")         ? SLAB_TRACE :
	       !strcmp(name, "failslab")      ? SLAB_FAILSLAB :
						SLAB_RECLAIM_ACCOUNT;
	if (rc == -EBUSY && directory_refusal(s, flag, one))
		return;
	if (rc != len) {
		fz_finding(x, "%s_store on %s returned %ld", name, s->name, rc);
		return;
	}
	check_flag(x, s, name, flag, one);
}

/*
 * The objects the harness holds that a show must count: an interrupt at one of the show's yield
 * points (an irq_at after list_locations' flush_all, or between count_partial's nodes) may have
 * taken one where the walk had passed, as an interrupt may in the kernel; an interrupt takes
 * one object at most.
 */
static unsigned long live_to_count(struct fz_state *x, struct kmem_cache *s)
{
	unsigned long live = fz_live_objects(x, s);

	return live && (FZ_FB(x)->interrupted & FZ_IRQ_AT_SITE) ? live - 1 : live;
}

/* The counts line of show_slab_objects: "total N0=a N1=b\n"; the per-node parts add up. */
static void check_counts_line(struct fz_state *x, struct kmem_cache *s, const char *name,
			      const char *buf, char part)
{
	char *end;
	unsigned long total = strtoul(buf, &end, 10), sum = 0;
	const char *p = end;

	if (end == buf) {
		fz_finding(x, "%s of %s reads \"%.40s\", not a count", name, s->name, buf);
		return;
	}
	while (*p == ' ') {
		const char *eq = strchr(p, '=');

		if (p[1] != part || !eq)
			break;
		sum += strtoul(eq + 1, &end, 10);
		p = end;
	}
	if (strcmp(p, "\n"))
		fz_finding(x, "%s of %s reads \"%.60s\": bad format", name, s->name, buf);
	/* (fixed ends a line that would overrun the page early: its parts then fall short) */
	else if ((FZ_NUMA || part == 'C') && total && sum != total &&
		 !(sum < total && strlen(buf) + 48 >= PAGE_SIZE))
		fz_finding(x, "%s of %s: total %lu but the nodes add up to %lu", name, s->name,
			   total, sum);
	else if (!strcmp(name, "objects") && total < live_to_count(x, s))
		fz_finding(x, "objects of %s reads %lu, but the harness holds %lu of its objects",
			   s->name, total, live_to_count(x, s));
}

/* alloc_calls / free_calls: each line a count and a call site; the counts add up to the objects
 * in use, so at least to the harness's own. */
static void check_locations(struct fz_state *x, struct kmem_cache *s, const char *name,
			    const char *buf, long len)
{
	unsigned long sum = 0, live = live_to_count(x, s);
	const char *p = buf;

	if (!strcmp(buf, "Out of memory\n")) {
		if (!failure_on_path(x))
			fz_finding(x, "%s of %s: \"Out of memory\" with no failed allocation", name,
				   s->name);
		return;
	}
	if (!strcmp(buf, "No data\n")) {
		if (live)
			fz_finding(x, "%s of %s: \"No data\" while the harness holds %lu of its "
				   "objects", name, s->name, live);
		return;
	}
	while (*p) {
		char *end;
		unsigned long n = strtoul(p, &end, 10);

		if (end == p || *end != ' ') {
			fz_finding(x, "%s of %s: a line that is no count: \"%.40s\"", name, s->name, p);
			return;
		}
		sum += n;
		p = strchr(end, '\n');
		if (!p)
			break;
		p++;
	}
	/* list_locations stops early when the page fills up */
	if (len < (long)PAGE_SIZE / 2 && sum < live)
		fz_finding(x, "%s of %s counts %lu objects in use, but the harness holds %lu", name,
			   s->name, sum, live);
}

/*
 * The page sysfs hands a show (2.6.36 fill_read_buffer: one zeroed page), and behind it a
 * guard as large as the longest line a 2.6.36 show can write (show_slab_objects with a count
 * on every one of MAX_NUMNODES nodes: " N1023=" and 20 digits each), so that a show that
 * overruns its page writes into memory the harness owns and checks, never into the host heap.
 */
#define ATTR_GUARD_SIZE (8 * PAGE_SIZE)
#define ATTR_GUARD_BYTE 0x5a

/*
 * The guard after a show: how far past the page it was written, or 0. A show writes its page
 * front to back (sprintf at buf + len), so whatever overruns it writes the first byte past it,
 * a character of its text or the final NUL, never the guard byte: only then is the guard
 * scanned, and filled again. The page and guard are made once, the guard filled once.
 */
static size_t attr_guard_touched(unsigned char *buf)
{
	size_t last = 0;

	if (buf[PAGE_SIZE] == ATTR_GUARD_BYTE)
		return 0;
	for (size_t i = 0; i < ATTR_GUARD_SIZE; i++)
		if (buf[PAGE_SIZE + i] != ATTR_GUARD_BYTE)
			last = i + 1;
	memset(buf + PAGE_SIZE, ATTR_GUARD_BYTE, ATTR_GUARD_SIZE);
	return last;
}

static char *attr_page(void)
{
	static char *buf;

	if (!buf) {
		buf = malloc(PAGE_SIZE + ATTR_GUARD_SIZE);
		if (!buf)
			abort();
		memset(buf + PAGE_SIZE, ATTR_GUARD_BYTE, ATTR_GUARD_SIZE);
	}
	memset(buf, 0, PAGE_SIZE);
	return buf;
}

void fz_attr_show(struct fz_state *x, int c, int attr)
{
	struct kmem_cache *s = x->cache[c].s;
	const char *name = prog_attr_names[attr];
	size_t past;
	char *buf;
	long rc;

	if (!has_directory(s))
		return;
	buf = attr_page();
	rc = slab_attr_show(s, name, buf);
	past = attr_guard_touched((unsigned char *)buf);
	if (past) {
		/* in the words KASAN uses for a write past an allocation */
		fz_finding(x, "BUG: KASAN: slab-out-of-bounds in %s_show: write of %zu bytes past "
			   "the %lu-byte sysfs buffer (/sys/kernel/slab/%s/%s returned %ld): "
			   "buffer overflow", name, past, (unsigned long)PAGE_SIZE, s->name, name,
			   rc);
		return;
	}
	slub_note_cache(s); /* list_locations flushes the cpu slabs */
	/* a length only where it is an error: list_locations prints host addresses */
	fz_digest(x, (uint32_t)(rc < 0 ? rc + 5000 : 5000));
	if (fz_verbose >= 2)
		fprintf(stderr, "    %s show: %ld: %s%s", name, rc, rc > 0 ? buf : "",
			rc > 0 ? "" : "\n");
	if (!attr_exists(name)) {
		if (rc != -ENOENT)
			fz_finding(x, "%s: no such attribute without CONFIG_NUMA, show returned %ld",
				   name, rc);
		return;
	}
	if (rc == -ENOMEM && failure_on_path(x))
		return;
	if (!strcmp(name, "alloc_calls") || !strcmp(name, "free_calls")) {
		if (!(s->flags & SLAB_STORE_USER)) {
			if (rc != -ENOSYS)
				fz_finding(x, "%s of %s without SLAB_STORE_USER returned %ld, not "
					   "-ENOSYS", name, s->name, rc);
			return;
		}
		if (rc <= 0 || rc > (long)PAGE_SIZE || (size_t)rc != strlen(buf))
			fz_finding(x, "%s of %s returned %ld for %zu bytes of text", name, s->name,
				   rc, strlen(buf));
		else
			check_locations(x, s, name, buf, rc);
		return;
	}
	if (rc < 0 || rc > (long)PAGE_SIZE || (size_t)rc != strlen(buf)) {
		fz_finding(x, "%s of %s returned %ld for %zu bytes of text", name, s->name, rc,
			   strlen(buf));
		return;
	}
	if (!strcmp(name, "slabs") || !strcmp(name, "partial") || !strcmp(name, "cpu_slabs") ||
	    !strcmp(name, "objects") || !strcmp(name, "objects_partial") ||
	    !strcmp(name, "total_objects"))
		check_counts_line(x, s, name, buf, 'N');
	else if (attr_is_stat(name))
		check_counts_line(x, s, name, buf, 'C');
	else if (!strcmp(name, "order") && atoi(buf) != oo_order(s->oo))
		fz_finding(x, "order of %s reads %d, s->oo has order %d", s->name, atoi(buf),
			   oo_order(s->oo));
}
