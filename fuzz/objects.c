/* objects.c - what the harness owns: the objects in its slots and the caches it created.
 * Every allocation the executor makes goes through fz_obj_install, which checks the new object
 * (or the NULL) before filling it; every free goes through fz_obj_release, which checks the
 * contents first. Caches are created and destroyed here, with the names they keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "slub_def.h"

static struct fz_state *fz_cur; /* for the constructor, which gets no argument */
static struct fz_obj fz_pool[PROG_POOL]; /* x->pool_n of them held, oldest first */

struct fz_obj *fz_obj_at(struct fz_state *x, int i)
{
	return i < PROG_NSLOTS ? &x->obj[i] : &fz_pool[i - PROG_NSLOTS];
}

/* Objects the harness holds from s (cache objects and kmalloc objects of its size class). */
unsigned long fz_live_objects(struct fz_state *x, const struct kmem_cache *s)
{
	unsigned long n = 0;

	for (int i = 0; i < PROG_NSLOTS + x->pool_n; i++) {
		const struct fz_obj *o = fz_obj_at(x, i);

		if (o->addr && o->addr != (unsigned char *)ZERO_SIZE_PTR && o->slab == s)
			n++;
	}
	return n;
}

void fz_objects_begin(struct fz_state *x)
{
	fz_cur = x;
}

/* Boot steps completed: 1 after INIT, 2 after IRQS_ON, 3 after INIT_LATE, 4 after SYSFS. */
int fz_steps_done(void)
{
	return (int)slub_boot_next_step();
}

int fz_node(const struct fz_state *x, int32_t v)
{
	return v < 0 ? -1 : (int)(v % x->nodes);
}

/* The first online cpu at or after cpu, cyclically (cpu 0..cpus-1). */
int fz_next_online_cpu(const struct fz_state *x, int32_t v)
{
	int cpu = (int)(v % x->cpus);

	/* the allocator's mask too: inside a hotplug callback the cpu going is offline already */
	for (int i = 0; i < x->cpus; i++, cpu = (cpu + 1) % x->cpus)
		if (x->cpu_online[cpu] && cpu_online(cpu))
			return cpu;
	return slub_get_cpu();
}

static void fz_ctor_mark(void *object)
{
	*(unsigned char *)object = FZ_CTOR_MARK;
	if (fz_cur)
		fz_cur->ctor_calls++;
}

/* The gfp a caller could legitimately pass here and now. */
gfp_t fz_gfp(const struct fz_state *x, int32_t idx, int for_cache, int ctor)
{
	gfp_t g = (gfp_t)prog_gfp_table[idx % prog_gfp_count].value;

	if (for_cache)
		g &= ~__GFP_DMA; /* a cache's zone comes from SLAB_CACHE_DMA, not the caller */
	if (ctor)
		g &= ~__GFP_ZERO; /* zeroing would undo the constructor */
	/* in an interrupt no sleeping (before IRQS_ON gfp_allowed_mask strips it, as in 2.6.36) */
	if (FZ_FB(x)->in_irq)
		g &= ~(__GFP_WAIT | __GFP_IO | __GFP_FS);
	if (fz_steps_done() < 3)
		g &= ~__GFP_DMA; /* the dma-kmalloc caches come with kmem_cache_init_late */
	return g;
}

/* ---- why an allocation may return NULL ---- */

/* The page allocator refused a request for want of memory since the event began. */
int fz_oom_since(const struct fz_state *x, unsigned long start)
{
	return fz_oom_count(x) != start;
}

/*
 * Refusals for want of memory so far: the page allocator's count, or in a concurrent group
 * the running fiber's own (those while it ran), so that another cpu's shortage excuses
 * nothing on this cpu's path.
 */
unsigned long fz_oom_count(const struct fz_state *x)
{
	int f = x->in_group ? slub_sched_current() : 0;

	if (!f)
		return slub_pages_oom_count();
	return x->fb[f].oom_own + (slub_pages_oom_count() - x->oom_mark);
}

/*
 * NULL is acceptable only when a page request on this allocation's own path failed: one the
 * harness failed (an interrupt's failures excuse the interrupt's allocations only), or one the
 * page allocator could not meet - and then the last request the call made must still be one it
 * cannot meet when asked again now, whatever its order or zone.
 */
void fz_check_null(struct fz_state *x, const char *what)
{
	struct fz_fiber *fb = FZ_FB(x);
	struct fz_req r = fb->last_req;
	unsigned long injected = fb->in_irq ? fb->irq_injected : fb->outer_injected;
	unsigned long ooms = fz_oom_count(x) - fb->ev_oom_start - (fb->in_irq ? 0 : fb->irq_ooms);
	int nid;

	/* should_failslab said fail: only SLAB_FAILSLAB caches ask it, and it asked on this path */
	if (fb->in_irq ? fb->failslab_irq : fb->failslab_outer)
		return;
	if (!injected && !ooms) {
		fz_finding(x, "%s returned NULL, but no page allocation on its path failed (none "
			   "injected, none refused for want of memory)", what);
		return;
	}
	if (r.injected)
		return;
	/* another cpu ran since the event began: what was short then may be free now */
	if (fb->away)
		return;
	fb->probing = 1;
	nid = fz_model_could_serve(r.node, r.gfp, r.order);
	fb->probing = 0;
	if (nid >= 0)
		fz_finding(x, "%s returned NULL after an order-%u page request (node %d, gfp %#x) that "
			   "node %d can meet", what, r.order, r.node, r.gfp, nid);
}

/* ---- objects ---- */

uint8_t fz_fill_byte(const struct fz_state *x, int slot)
{
	int ev = x->in_group ? FZ_FB(x)->ev : x->cur; /* the event allocating it */
	unsigned int n = (unsigned int)(ev + 2) * 37u + (unsigned int)slot * 11u;

	return (uint8_t)(n % 255u + 1u);
}

/* Checks a fresh object; what names the call for the report. */
void fz_check_new(struct fz_state *x, unsigned char *p, int cache, size_t size, gfp_t gfp,
		      int node, const char *what)
{
	size_t align = cache >= 0 ? x->cache[cache].min_align : (size_t)x->prog->boot.kmalloc_min;
	size_t ks = ksize(p);

	if ((uintptr_t)p % align)
		fz_finding(x, "%s returned %p, not aligned to %zu", what, (void *)p, align);
	if (ks < size)
		fz_finding(x, "%s: ksize %zu below the %zu bytes asked for", what, ks, size);
	if (gfp & __GFP_ZERO) {
		for (size_t i = 0; i < size; i++)
			if (p[i]) {
				fz_finding(x, "%s with __GFP_ZERO: byte %zu of %zu is %#x", what, i,
					   size, p[i]);
				break;
			}
	} else if (cache >= 0 && x->cache[cache].ctor && p[0] != FZ_CTOR_MARK) {
		fz_finding(x, "%s: constructed object's byte 0 is %#x, not the constructor's %#x "
			   "(free pointer inside a ctor object?)", what, p[0], FZ_CTOR_MARK);
	}
	if (FZ_NUMA && (gfp & __GFP_THISNODE) && node >= 0 && slub_addr_to_node(p) != node)
		fz_finding(x, "%s with __GFP_THISNODE for node %d returned an object on node %d",
			   what, node, slub_addr_to_node(p));
}

void fz_obj_install(struct fz_state *x, int slot, void *ptr, int cache, size_t size,
			gfp_t gfp, int node, const char *what)
{
	struct fz_obj *o = fz_obj_at(x, slot);
	unsigned char *p = ptr;

	fz_digest_ptr(x, ptr);
	if (!p) {
		fz_check_null(x, what);
		return;
	}
	if (ptr == ZERO_SIZE_PTR) {
		if (cache >= 0 || size)
			fz_finding(x, "%s returned ZERO_SIZE_PTR for %zu bytes", what, size);
		o->addr = p;
		o->cache = -1;
		o->size = 0;
		return;
	}
	/* in a concurrent group, first of all: not live already (smp.c) */
	fz_smp_handed_out(x, slot, p, what);
	if (cache < 0 && !size)
		fz_finding(x, "%s of 0 bytes returned %p, not ZERO_SIZE_PTR", what, ptr);
	fz_check_new(x, p, cache, size, gfp, node, what);
	o->addr = p;
	o->cache = cache;
	o->size = size;
	o->fill = fz_fill_byte(x, slot);
	o->slab = cache >= 0 ? x->cache[cache].s : fz_model_kmalloc_cache(x, size, gfp);
	memset(p, o->fill, size);
	fz_model_check_new(x, slot, gfp, node, what);
	fz_smp_counts(x, o->slab, fz_model_slab_of(p), what);
}

/* Frees the slot's object by the API that allocated it, after checking its contents. */
void fz_obj_release(struct fz_state *x, int slot, const char *when)
{
	struct fz_obj *o = fz_obj_at(x, slot);

	struct page *page;
	struct kmem_cache *s;
	int busy = FZ_FB(x)->busy_slot;

	if (!o->addr)
		return;
	fz_check_pattern(x, slot, 1, when);
	fz_model_check_owner(x, slot, when);
	page = fz_model_slab_of(o->addr);
	s = o->slab;
	/* in a concurrent group: a live object this fiber owns, live no longer (smp.c) */
	fz_smp_release(x, slot, o->addr);
	/*
	 * An interrupt inside the free (an irq_at at slab_free's interrupts back on) leaves this
	 * slot alone, as it does the event's own: destroy and teardown free slots that are not.
	 */
	FZ_FB(x)->busy_slot = slot;
	if (o->cache >= 0) {
		struct fz_cache *c = &x->cache[o->cache];

		if (c->ctor)
			o->addr[0] = FZ_CTOR_MARK; /* back in constructed state, as a user must */
		kmem_cache_free(c->s, o->addr);
	} else {
		kfree(o->addr);
	}
	FZ_FB(x)->busy_slot = busy;
	if (page && s)
		fz_model_after_free(x, s, page, when);
	fz_smp_counts(x, s, page, when);
	memset(o, 0, sizeof(*o));
	o->cache = -1;
}

/* ---- the pool ---- */

/* Drops the pool's freed entries (addr NULL), keeping the order of the rest. */
void fz_pool_compact(struct fz_state *x)
{
	int n = 0;

	for (int i = 0; i < x->pool_n; i++)
		if (fz_pool[i].addr)
			fz_pool[n++] = fz_pool[i];
	x->pool_n = n;
}

/*
 * Bulk allocation, as a caller filling a cache would: kmem_cache_alloc n times (or until the
 * allocation that took a new slab), each object checked and filled as a slot's is
 * (fz_obj_install). Pool objects are not re-read after every event as slot objects are:
 * every byte is checked when each is freed (pool_free, destroy, teardown), so an object
 * handed out twice shows as the other's fill byte then.
 */
void fz_pool_fill(struct fz_state *x, int c, int n, int32_t gfp_idx, int until)
{
	struct kmem_cache *s = x->cache[c].s;
	gfp_t gfp;

	if (!s)
		return;
	gfp = fz_gfp(x, gfp_idx, 1, x->cache[c].ctor);
	for (int k = 0; k < n && x->pool_n < PROG_POOL && !x->failed; k++) {
		unsigned long requests = FZ_FB(x)->ev_requests;
		int i = x->pool_n;
		void *p;

		memset(&fz_pool[i], 0, sizeof(fz_pool[i])); /* an earlier run's entry */
		fz_pool[i].cache = -1;
		/* in a concurrent group the entry is this fiber's before the call: another cpu's
		 * fill takes the next (a NULL leaves a hole, dropped at the group's end) */
		if (x->in_group)
			x->pool_n++;
		p = kmem_cache_alloc(s, gfp);

		fz_obj_install(x, PROG_NSLOTS + i, p, c, x->cache[c].size, gfp, -1,
			       "kmem_cache_alloc (fill)");
		if (!fz_pool[i].addr)
			break; /* NULL, judged by fz_obj_install */
		if (!x->in_group)
			x->pool_n++;
		if (until == UNTIL_SLAB && FZ_FB(x)->ev_requests != requests)
			break; /* this allocation took a new slab */
	}
	fz_digest(x, (uint32_t)x->pool_n);
}

void fz_pool_free(struct fz_state *x, int n, int way, int stride)
{
	int held = x->pool_n, freed = 0;

	if (x->in_group) {
		fz_smp_pool_free(x); /* what it claimed before the group */
		return;
	}
	if (n > held)
		n = held;
	if (way == POOL_STRIDE) {
		for (int start = 0; start < stride && freed < n; start++)
			for (int i = start; i < held && freed < n && !x->failed; i += stride, freed++)
				fz_obj_release(x, PROG_NSLOTS + i, "before pool_free");
	} else {
		for (int k = 0; k < n && !x->failed; k++)
			fz_obj_release(x, PROG_NSLOTS + (way == POOL_LIFO ? held - 1 - k : k),
				       "before pool_free");
	}
	fz_pool_compact(x);
}

void fz_pool_release(struct fz_state *x, int c, const char *when)
{
	for (int i = 0; i < x->pool_n && !x->failed; i++)
		if (fz_pool[i].addr && (c < 0 || fz_pool[i].cache == c))
			fz_obj_release(x, PROG_NSLOTS + i, when);
	fz_pool_compact(x);
}

/* ---- caches ---- */

/*
 * A new cache's name, as a module would hand it over: its own memory, which it may free once
 * kmem_cache_destroy has returned (or the create failed). 2.6.36 keeps the pointer (s->name, a
 * merged cache keeps its first creator's, a boot-time alias keeps it until slab_sysfs_init);
 * host memory, so ASan reports any read after the caller freed it. Not the allocator's kmalloc:
 * that would change every cache's occupancy the programs are written against.
 */
static char *cache_name(struct fz_state *x, const char *given)
{
	size_t len = given ? strlen(given) + 1 : 24;
	char *n = malloc(len);

	if (!n)
		abort();
	if (given)
		memcpy(n, given, len);
	else
		snprintf(n, len, "fz-%lu", x->creates);
	x->creates++;
	return n;
}

/* The caller frees a name (after destroy, or a failed create): poisoned, as freed memory. */
static void cache_name_free(char *name)
{
	free(name);
}

/* The end of a run: names of caches never destroyed (a run cut short by a panic). */
void fz_cache_names_free(struct fz_state *x)
{
	for (int c = 0; c < PROG_NCACHES; c++) {
		cache_name_free(x->cache[c].name);
		x->cache[c].name = NULL;
	}
}

void fz_cache_destroy(struct fz_state *x, int c)
{
	struct kmem_cache *s = x->cache[c].s;
	int dies;

	if (!s)
		return;
	/*
	 * The caller stops using the cache before it frees the last objects: an interrupt inside
	 * those frees (irq_at) allocates from it no more than one inside the destroy does.
	 */
	FZ_FB(x)->busy_cache = s;
	for (int i = 0; i < PROG_NSLOTS; i++)
		if (x->obj[i].addr && x->obj[i].cache == c)
			fz_obj_release(x, i, "freed before kmem_cache_destroy");
	fz_pool_release(x, c, "freed before kmem_cache_destroy");
	x->cache[c].s = NULL;
	fz_digest(x, 0xde57);
	dies = fz_model_cache_dies(s);
	kmem_cache_destroy(s);
	FZ_FB(x)->busy_cache = NULL;
	if (dies)
		fz_model_forget(x, s);
	/* the module is done with the cache: it frees (or reuses) its name */
	cache_name_free(x->cache[c].name);
	x->cache[c].name = NULL;
}

void fz_cache_create(struct fz_state *x, int c, size_t size, size_t align, int32_t cflags,
		     int ctor)
{
	fz_cache_create_named(x, c, size, align, cflags, ctor, NULL);
}

void fz_cache_create_named(struct fz_state *x, int c, size_t size, size_t align, int32_t cflags,
			   int ctor, const char *given)
{
	unsigned long flags = 0;
	struct kmem_cache *s, *merge;
	char *name;
	int taken;

	fz_cache_destroy(x, c);
	for (int i = 0; i < prog_cflag_count; i++)
		if (cflags & (1 << i))
			flags |= prog_cflag_table[i].value;
	name = cache_name(x, given);
	/* a name that is a directory already: sysfs refuses the second (fixed; 2.6.36 takes it) */
	taken = slub_registry_is_dir(name);
	merge = fz_model_merge_target(x, name, size, align, flags, ctor);
	s = kmem_cache_create(name, size, align, flags, ctor ? fz_ctor_mark : NULL);
	fz_digest_ptr(x, s);
	if (s && s != merge && (merge || !fz_model_cache_is_new(s)))
		fz_finding(x, "kmem_cache_create(size %zu, align %zu, flags %#lx%s) returned %s, but "
			   "find_mergeable's rule names %s", size, align, flags,
			   ctor ? ", ctor" : "", fz_model_cache_name(s),
			   merge ? fz_model_cache_name(merge) : "a new cache");
	if (!s) {
		/* its error paths free what they made: memory cannot be judged after the fact */
		if (!FZ_FB(x)->ev_injected && !fz_oom_since(x, FZ_FB(x)->ev_oom_start) && !taken)
			fz_finding(x, "kmem_cache_create(size %zu, align %zu, flags %#lx) returned "
				   "NULL without any failed allocation", size, align, flags);
		cache_name_free(name); /* nothing was created: the caller takes its name back */
		return;
	}
	x->cache[c].s = s;
	x->cache[c].name = name;
	if (s)
		slub_note_cache(s); /* new node structures: walked after this event */
	x->cache[c].size = size;
	x->cache[c].align = align;
	x->cache[c].flags = flags;
	x->cache[c].ctor = ctor;
	x->cache[c].min_align = fz_calc_align(flags, align, size, x->prog->boot.cache_line);
	if (kmem_cache_size(s) < size)
		fz_finding(x, "kmem_cache_create: kmem_cache_size %u below the %zu asked for",
			   kmem_cache_size(s), size);
}
