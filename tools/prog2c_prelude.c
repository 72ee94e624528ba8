/* ---- prog2c's prelude: what the harness checks, restated in the reproducer ----
 * Slots and caches as the program names them, the page allocator's and the registry's hooks
 * (injected failures, interrupts, migrations), and the oracle's checks: a NULL must be
 * explained, a new object aligned, sized, zeroed or constructed as asked and on its node,
 * contents kept until freed, live objects never overlapping, no WARN/BUG/slab error,
 * slub_check_consistency and slub_validate_all clean, every page back at shutdown. It mirrors
 * fuzz/objects.c, hooks.c, oracle.c and exec.c (the trace digest too: -digest prints it, and
 * the tests compare it with the replay driver's), so the finding it prints is the harness's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub.h"

/* A reproducer uses the helpers its events need, not all of them. */
#pragma GCC diagnostic ignored "-Wunused-function"

#define NSLOTS 64
#define NCACHES 8
#define CTOR_MARK 0xc7 /* what the constructor writes into byte 0 */
#define MAX_RULES 8
#define NR_KINDS (SLUB_REPORT_PANIC + 1)
#ifdef SLUB_BOOTSTRAP_SEED
#define BOOTSTRAP "seed"
#else
#define BOOTSTRAP "fixed"
#endif

enum { GC_ANY, GC_WAIT, GC_NOWAIT, GC_DMA, GC_THISNODE }; /* fail_match classes */
enum { IRQ_KMALLOC, IRQ_KFREE, IRQ_ALLOC, IRQ_FREE }; /* what an interrupt does */

struct repro_event {
	int op; /* opcode (fuzz/prog.h), for the digest */
	int cur; /* its index in the program (or in the target's workload) */
	int busy; /* the object slot it works on, or -1: an interrupt leaves that one alone */
	int reshape; /* reshapes caches, nodes or cpus: the consistency check runs after it */
	int workload; /* one of the target's fixed workload events */
	const char *text; /* the event in the program's text form */
};

static struct { unsigned char *addr; int cache; size_t size; uint8_t fill; } obj[NSLOTS];
static struct {
	struct kmem_cache *s;
	size_t size, min_align;
	int ctor;
} cache[NCACHES];
static unsigned long creates;

static const char *target = "?";
static int nodes, cpus, kmalloc_min, cache_line;
static unsigned int node_pages[MAX_NUMNODES];
static unsigned char node_online[MAX_NUMNODES], cpu_online[NR_CPUS];
static struct { unsigned long seq, count; } boot_fails[4];
static int nr_boot_fails;

static int in_boot_step, in_irq, probing;
static unsigned long ev_injected, step_injected, ev_oom_start, step_oom_start;
static struct { unsigned int order; int node; gfp_t gfp; } last_req;
static struct { int any, order, node, gfpclass, skip, count; } rules[MAX_RULES];
static int nr_rules;
static int irq_armed, irq_skip, irq_op, irq_slot, irq_size, irq_cache;
static int mig_armed, mig_skip, mig_cpu;
static int sysfs_skip, sysfs_count;
static int busy_slot = -1;
static struct kmem_cache *busy_cache;

static unsigned long ev_reports[NR_KINDS];
static char first_report[1024];
static const struct repro_event *cur_ev;
static int cur = -1, failed, fail_event, verbose, print_digest;
static char why[1024];
static uint32_t digest[2];

static int do_event(int i); /* the program's events, after this prelude */

/* ---- trace digest (fuzz/oracle.c) ---- */

static uint32_t fnv_step(uint32_t h, uint32_t byte, uint32_t prime)
{
	return (uint32_t)(((uint64_t)(h ^ byte) * prime) & 0xffffffffu);
}

static void digest_u32(uint32_t v)
{
	if (!digest[0] && !digest[1]) {
		digest[0] = 2166136261u;
		digest[1] = 0x9e3779b9u;
	}
	for (int i = 0; i < 4; i++) {
		uint32_t b = (v >> (8 * i)) & 0xff;

		digest[0] = fnv_step(digest[0], b, 16777619u);
		digest[1] = fnv_step(digest[1], b, 0x01000193u + 0x2000u);
	}
}

static void digest_ptr(const void *p)
{
	digest_u32(p ? (uint32_t)((uintptr_t)p & (PAGE_SIZE - 1)) + 1 : 0);
}

/* ---- findings ---- */

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void finding(const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = 1;
	fail_event = cur;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

static void emit_line(const char *line, void *arg)
{
	fprintf((FILE *)arg, "%s%s", line, line[0] && line[strlen(line) - 1] == '\n' ? "" : "\n");
}

static void report_and_abort(void) __attribute__((noreturn));
static void report_and_abort(void)
{
	const char *log = slub_dmesg(), *p = log + strlen(log);
	int n = 0;

	fprintf(stderr, "\n==slubfuzz== FINDING in %s (bootstrap %s): %s\n", target, BOOTSTRAP, why);
	if (fail_event == -1)
		fprintf(stderr, "==slubfuzz== during the initial boot\n");
	else if (fail_event == -2)
		fprintf(stderr, "==slubfuzz== during the final boot steps, teardown or shutdown\n");
	else if (cur_ev)
		fprintf(stderr, "==slubfuzz== at %s event %d: %s\n",
			cur_ev->workload ? "workload" : "program", fail_event, cur_ev->text);
	fprintf(stderr, "==slubfuzz== slabinfo:\n");
	if (slub_tainted())
		fprintf(stderr, "  (not walked: the allocator panicked, its lists cannot be trusted)\n");
	else
		slub_slabinfo(emit_line, stderr);
	fprintf(stderr, "==slubfuzz== dmesg (tail):\n");
	while (p > log && n <= 60)
		n += *--p == '\n';
	fprintf(stderr, "%s\n", p > log ? p + 1 : p);
	fflush(stderr);
	abort();
}

/* ---- the allocator's reports ---- */

static const char *const kind_names[] = { "INFO", "WARN", "SLAB_ERR", "LEAK", "BUG", "PANIC" };

static void report_hook(const struct slub_report *r, void *arg)
{
	unsigned int kind = (unsigned int)r->kind;
	const char *m = r->msg, *line = r->msg;
	int len = (int)strlen(r->msg);

	(void)arg;
	if (kind > SLUB_REPORT_PANIC)
		kind = SLUB_REPORT_BUG;
	ev_reports[kind]++;
	if (verbose || kind != SLUB_REPORT_INFO)
		fprintf(stderr, "[slub %s] %s:%d %s(): %s\n", kind_names[kind], r->file, r->line,
			r->func, r->msg);
	if (kind == SLUB_REPORT_INFO || first_report[0])
		return;
	/* the first line that says something (slub_debug's open with a rule of '=') */
	for (;;) {
		const char *nl = strchr(m, '\n');
		size_t n = nl ? (size_t)(nl - m) : strlen(m), i;

		for (i = 0; i < n && !((m[i] | 32) >= 'a' && (m[i] | 32) <= 'z'); i++)
			;
		if (i < n) {
			line = m;
			len = (int)n;
			break;
		}
		if (!nl)
			break;
		m = nl + 1;
	}
	snprintf(first_report, sizeof(first_report), "%s at %s:%d %s(): %.*s", kind_names[kind],
		 r->file, r->line, r->func, len, line);
}

/* ---- what a run may expect ---- */

static int steps_done(void)
{
	return (int)slub_boot_next_step();
}

static int oom_since(unsigned long start)
{
	return slub_pages_oom_count() != start;
}

static int next_online_cpu(int v)
{
	int cpu = v % cpus;

	for (int i = 0; i < cpus; i++, cpu = (cpu + 1) % cpus)
		if (cpu_online[cpu])
			return cpu;
	return slub_get_cpu();
}

static void ctor_mark(void *object)
{
	*(unsigned char *)object = CTOR_MARK;
}

/* The gfp a caller could pass here and now: irqs off means no sleeping; no DMA caches early. */
static gfp_t gfp_now(gfp_t g, int for_cache, int ctor)
{
	if (for_cache)
		g &= ~__GFP_DMA;
	if (ctor)
		g &= ~__GFP_ZERO;
	if (steps_done() < 2 || in_irq)
		g &= ~(__GFP_WAIT | __GFP_IO | __GFP_FS);
	if (steps_done() < 3)
		g &= ~__GFP_DMA;
	return g;
}

static size_t calc_align(unsigned long flags, size_t align, size_t size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = (size_t)cache_line;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;
	return (align + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

/* A NULL needs an injected failure or a page allocator that really had nothing. */
static void check_null(const char *what)
{
	void *p;

	if (ev_injected)
		return;
	if (!oom_since(ev_oom_start)) {
		finding("%s returned NULL, but no page allocation failed (none injected, none "
			"refused for want of memory)", what);
		return;
	}
	if (last_req.gfp & __GFP_DMA)
		return;
	if (last_req.order == 0) {
		for (int n = 0; n < nodes; n++) {
			unsigned long used = slub_node_pages_in_use(n), free;

			free = node_online[n] && node_pages[n] > used ? node_pages[n] - used : 0;
			if ((last_req.gfp & __GFP_THISNODE) && n != last_req.node)
				continue;
			if (free) {
				finding("%s returned NULL after an order-0 page request (node %d, gfp %#x) "
					"that node %d with %lu free pages could meet",
					what, last_req.node, last_req.gfp, n, free);
				return;
			}
		}
		return;
	}
	if (last_req.order < 2)
		return;
	probing = 1;
	p = kmalloc_node(PAGE_SIZE << last_req.order,
			 GFP_NOWAIT | __GFP_NOWARN | (last_req.gfp & __GFP_THISNODE), last_req.node);
	probing = 0;
	if (p) {
		kfree(p);
		finding("%s returned NULL after an order-%u page request (node %d, gfp %#x), but the "
			"same request succeeds right after", what, last_req.order, last_req.node,
			last_req.gfp);
	}
}

/* ---- objects ---- */

static uint8_t fill_byte(int slot)
{
	unsigned int n = (unsigned int)(cur + 2) * 37u + (unsigned int)slot * 11u;

	return (uint8_t)(n % 255u + 1u);
}

static int check_range(int slot, size_t from, size_t to, const char *when)
{
	for (size_t i = from; i < to; i++)
		if (obj[slot].addr[i] != obj[slot].fill) {
			finding("object in slot %d (%s, %zu bytes at %p): byte %zu is %#x, not the %#x "
				"written (%s)", slot, obj[slot].cache >= 0 ? "cache object" : "kmalloc",
				obj[slot].size, (void *)obj[slot].addr, i, obj[slot].addr[i],
				obj[slot].fill, when);
			return 0;
		}
	return 1;
}

static int check_pattern(int slot, int full, const char *when)
{
	size_t size = obj[slot].size;

	if (!obj[slot].addr || !size)
		return 1;
	if (full || size <= 64)
		return check_range(slot, 0, size, when);
	return check_range(slot, 0, 32, when) && check_range(slot, size - 32, size, when);
}

static void check_new(unsigned char *p, int c, size_t size, gfp_t gfp, int node, const char *what)
{
	size_t align = c >= 0 ? cache[c].min_align : (size_t)kmalloc_min, ks = ksize(p);

	if ((uintptr_t)p % align)
		finding("%s returned %p, not aligned to %zu", what, (void *)p, align);
	if (ks < size)
		finding("%s: ksize %zu below the %zu bytes asked for", what, ks, size);
	if (gfp & __GFP_ZERO) {
		for (size_t i = 0; i < size; i++)
			if (p[i]) {
				finding("%s with __GFP_ZERO: byte %zu of %zu is %#x", what, i, size, p[i]);
				break;
			}
	} else if (c >= 0 && cache[c].ctor && p[0] != CTOR_MARK) {
		finding("%s: constructed object's byte 0 is %#x, not the constructor's %#x (free "
			"pointer inside a ctor object?)", what, p[0], CTOR_MARK);
	}
#ifndef SLUB_CONFIG_NONUMA
	if ((gfp & __GFP_THISNODE) && node >= 0 && slub_addr_to_node(p) != node)
		finding("%s with __GFP_THISNODE for node %d returned an object on node %d", what,
			node, slub_addr_to_node(p));
#endif
}

/* Records what an allocation returned in slot: a NULL judged, an object checked and filled. */
static void obj_install(int slot, void *ptr, int c, size_t size, gfp_t gfp, int node,
			const char *what)
{
	unsigned char *p = ptr;

	digest_ptr(ptr);
	if (!p) {
		check_null(what);
		return;
	}
	if (ptr == ZERO_SIZE_PTR) {
		if (c >= 0 || size)
			finding("%s returned ZERO_SIZE_PTR for %zu bytes", what, size);
		obj[slot].addr = p;
		obj[slot].cache = -1;
		obj[slot].size = 0;
		return;
	}
	if (c < 0 && !size)
		finding("%s of 0 bytes returned %p, not ZERO_SIZE_PTR", what, ptr);
	check_new(p, c, size, gfp, node, what);
	obj[slot].addr = p;
	obj[slot].cache = c;
	obj[slot].size = size;
	obj[slot].fill = fill_byte(slot);
	memset(p, obj[slot].fill, size);
}

/* Frees the slot's object by the API that allocated it, after checking its contents. */
static void obj_release(int slot, const char *when)
{
	if (!obj[slot].addr)
		return;
	check_pattern(slot, 1, when);
	if (obj[slot].cache >= 0) {
		if (cache[obj[slot].cache].ctor)
			obj[slot].addr[0] = CTOR_MARK; /* back in constructed state, as a user must */
		kmem_cache_free(cache[obj[slot].cache].s, obj[slot].addr);
	} else {
		kfree(obj[slot].addr);
	}
	memset(&obj[slot], 0, sizeof(obj[slot]));
	obj[slot].cache = -1;
}

/* ---- caches ---- */

static const char *cache_name(void)
{
	static char names[4096 + 256][12]; /* a name outlives its cache (sysfs aliases keep it) */
	char *n = names[creates % (sizeof(names) / sizeof(names[0]))];

	snprintf(n, sizeof(names[0]), "fz-%lu", creates++);
	return n;
}

/* Frees the cache's objects, then destroys it. */
static void cache_destroy(int c)
{
	struct kmem_cache *s = cache[c].s;

	if (!s)
		return;
	for (int i = 0; i < NSLOTS; i++)
		if (obj[i].addr && obj[i].cache == c)
			obj_release(i, "freed before kmem_cache_destroy");
	cache[c].s = NULL;
	digest_u32(0xde57);
	busy_cache = s;
	kmem_cache_destroy(s);
	busy_cache = NULL;
}

/* Records what kmem_cache_create returned for cache slot c. */
static void cache_created(int c, struct kmem_cache *s, size_t size, size_t align,
			  unsigned long flags, int ctor)
{
	digest_ptr(s);
	if (!s) {
		if (!ev_injected && !oom_since(ev_oom_start))
			finding("kmem_cache_create(size %zu, align %zu, flags %#lx) returned NULL "
				"without any failed allocation", size, align, flags);
		return;
	}
	cache[c].s = s;
	cache[c].size = size;
	cache[c].ctor = ctor;
	cache[c].min_align = calc_align(flags, align, size);
	if (kmem_cache_size(s) < size)
		finding("kmem_cache_create: kmem_cache_size %u below the %zu asked for",
			kmem_cache_size(s), size);
}

/* ---- the oracle's invariants and the allocator's own checkers ---- */

static void check_live(void)
{
	struct { uintptr_t lo, hi; int slot; } ext[NSLOTS], t;
	int n = 0;

	for (int i = 0; i < NSLOTS; i++) {
		size_t ks;

		if (!obj[i].addr || obj[i].addr == (unsigned char *)ZERO_SIZE_PTR)
			continue;
		ks = ksize(obj[i].addr);
		if (ks < obj[i].size)
			finding("object in slot %d: ksize %zu below its %zu bytes", i, ks, obj[i].size);
		check_pattern(i, obj[i].size <= 256, "after the event");
		ext[n].lo = (uintptr_t)obj[i].addr;
		ext[n].hi = ext[n].lo + (ks > obj[i].size ? ks : obj[i].size) + (ks ? 0 : 1);
		ext[n].slot = i;
		for (int k = n; k > 0 && ext[k - 1].lo > ext[k].lo; k--) {
			t = ext[k];
			ext[k] = ext[k - 1];
			ext[k - 1] = t;
		}
		n++;
	}
	for (int k = 1; k < n; k++)
		if (ext[k].lo < ext[k - 1].hi)
			finding("live objects overlap: slot %d [%#lx, %#lx) and slot %d [%#lx, %#lx)",
				ext[k - 1].slot, (unsigned long)ext[k - 1].lo,
				(unsigned long)ext[k - 1].hi, ext[k].slot, (unsigned long)ext[k].lo,
				(unsigned long)ext[k].hi);
}

static void check_consistency(const char *when)
{
	char w[512];
	long bad;

	if (slub_tainted())
		return;
	w[0] = '\0';
	bad = slub_check_consistency(w, sizeof(w));
	digest_u32((uint32_t)(bad != 0));
	if (bad)
		finding("slub_check_consistency %s: %ld problem(s), first: %s", when, bad, w);
}

static void validate(void)
{
	long bad = slub_validate_all();

	digest_u32((uint32_t)(bad != 0));
	if (bad)
		finding("slub_validate_all found %ld problem(s) (the harness never corrupts): %s", bad,
			first_report);
}

/* ---- the hooks ---- */

static void interrupt(void);

static enum slub_pa_decision page_alloc_hook(const struct slub_pa_request *req, void *arg)
{
#ifndef SLUB_CONFIG_NONUMA
	int pref = req->node >= 0 ? req->node : slub_get_cpu() % nodes;
#else
	int pref = req->node >= 0 ? req->node : 0;
#endif
	int fail = 0;

	(void)arg;
	if (probing)
		return SLUB_PA_GO_ON;
	if (verbose)
		fprintf(stderr, "    page request %lu: %s order %u node %d gfp %#x irqs %s\n",
			req->seq, req->caller, req->order, req->node, req->gfp,
			req->irqs_enabled ? "on" : "off");
	if (in_boot_step)
		for (int i = 0; i < nr_boot_fails; i++)
			if (req->seq >= boot_fails[i].seq &&
			    req->seq < boot_fails[i].seq + boot_fails[i].count)
				fail = 1;
	for (int i = 0; i < nr_rules; i++) {
		int match = 1;

		if (!rules[i].count)
			continue;
		if (!rules[i].any) {
			if ((rules[i].order >= 0 && (unsigned int)rules[i].order != req->order) ||
			    (rules[i].node >= 0 && rules[i].node != pref))
				match = 0;
			else if (rules[i].gfpclass == GC_WAIT)
				match = (req->gfp & __GFP_WAIT) != 0;
			else if (rules[i].gfpclass == GC_NOWAIT)
				match = !(req->gfp & __GFP_WAIT);
			else if (rules[i].gfpclass == GC_DMA)
				match = (req->gfp & __GFP_DMA) != 0;
			else if (rules[i].gfpclass == GC_THISNODE)
				match = (req->gfp & __GFP_THISNODE) != 0;
		}
		if (!match)
			continue;
		if (rules[i].skip) {
			rules[i].skip--;
		} else {
			rules[i].count--;
			fail = 1;
		}
	}
	/* where the slow path runs with interrupts on, an interrupt or a migration may come */
	if (req->irqs_enabled && !in_irq) {
		if (mig_armed && steps_done() >= 3) {
			if (mig_skip) {
				mig_skip--;
			} else {
				mig_armed = 0;
				slub_set_cpu(next_online_cpu(mig_cpu));
				digest_u32(0x319u + (uint32_t)slub_get_cpu());
			}
		}
		if (irq_armed) {
			if (irq_skip) {
				irq_skip--;
			} else {
				irq_armed = 0;
				interrupt();
			}
		}
	}
	last_req.order = req->order;
	last_req.node = pref;
	last_req.gfp = req->gfp;
	if (fail) {
		ev_injected++;
		if (in_boot_step)
			step_injected++;
		digest_u32(0xfa11u + (unsigned int)req->order);
		if (verbose)
			fprintf(stderr, "    page request %lu failed by the reproducer\n", req->seq);
	}
	return fail ? SLUB_PA_FAIL : SLUB_PA_GO_ON;
}

static int registry_hook(const char *op, const char *name, void *arg)
{
	(void)op;
	(void)name;
	(void)arg;
	if (!sysfs_count)
		return 0;
	if (sysfs_skip) {
		sysfs_skip--;
		return 0;
	}
	sysfs_count--;
	ev_injected++;
	return 1;
}

/* An interrupt on this cpu while the slow path has interrupts on: a small alloc or free. */
static void interrupt(void)
{
	int slot = irq_slot % NSLOTS, c = irq_cache % NCACHES;
	unsigned long outer_oom_start = ev_oom_start;
	struct kmem_cache *s = cache[c].s;
	gfp_t gfp;

	if (slot == busy_slot || steps_done() < 2)
		return;
	if (obj[slot].addr && obj[slot].cache >= 0 && cache[obj[slot].cache].s == busy_cache)
		return; /* a cache being destroyed has no users left, not even interrupts */
	if (verbose)
		fprintf(stderr, "    interrupt: op %d slot %d\n", irq_op, slot);
	in_irq = 1;
	ev_oom_start = slub_pages_oom_count();
	digest_u32(0x1e0u + (uint32_t)irq_op);
	switch (irq_op) {
	case IRQ_KMALLOC:
		obj_release(slot, "freed by an interrupt's kmalloc");
		gfp = gfp_now(GFP_ATOMIC, 0, 0);
		obj_install(slot, kmalloc((size_t)irq_size, gfp), -1, (size_t)irq_size, gfp, -1,
			    "kmalloc in an interrupt");
		break;
	case IRQ_KFREE:
		if (obj[slot].addr && obj[slot].cache < 0)
			obj_release(slot, "kfree in an interrupt");
		break;
	case IRQ_ALLOC:
		if (!s || s == busy_cache)
			break;
		obj_release(slot, "freed by an interrupt's alloc");
		gfp = gfp_now(GFP_ATOMIC, 1, cache[c].ctor);
		obj_install(slot, kmem_cache_alloc(s, gfp), c, cache[c].size, gfp, -1,
			    "kmem_cache_alloc in an interrupt");
		break;
	case IRQ_FREE:
		obj_release(slot, "freed in an interrupt");
		break;
	}
	ev_oom_start = outer_oom_start;
	in_irq = 0;
}

/* ---- what the program's events arm ---- */

static void add_rule(int any, int order, int node, int gfpclass, int skip, int count)
{
	if (nr_rules == MAX_RULES) {
		memmove(&rules[0], &rules[1], sizeof(rules[0]) * (MAX_RULES - 1));
		nr_rules--;
	}
	rules[nr_rules].any = any;
	rules[nr_rules].order = order;
	rules[nr_rules].node = node;
	rules[nr_rules].gfpclass = gfpclass;
	rules[nr_rules].skip = skip;
	rules[nr_rules].count = count;
	nr_rules++;
}

static void fail_nth(int nth, int count) { add_rule(1, 0, 0, GC_ANY, nth, count); }
static void fail_match(int order, int node, int gfpclass, int count)
{
	add_rule(0, order, node, gfpclass, 0, count);
}

static void arm_irq(int nth, int op, int slot, int size, int c)
{
	irq_armed = 1;
	irq_skip = nth;
	irq_op = op;
	irq_slot = slot;
	irq_size = size;
	irq_cache = c;
}

static void arm_migrate(int nth, int cpu)
{
	mig_armed = 1;
	mig_skip = nth;
	mig_cpu = cpu;
}

static void sysfs_fail(int nth, int count)
{
	sysfs_skip = nth;
	sysfs_count = count;
}

static void fail_clear(void)
{
	nr_rules = 0;
	irq_armed = mig_armed = 0;
	sysfs_count = 0;
}

/* ---- events with an expected outcome ---- */

static void ksize_check(int slot)
{
	size_t ks;

	if (!obj[slot].addr)
		return;
	ks = ksize(obj[slot].addr);
	digest_u32((uint32_t)ks);
	if (ks < obj[slot].size || (obj[slot].addr == (unsigned char *)ZERO_SIZE_PTR && ks))
		finding("ksize %zu for a %zu-byte object", ks, obj[slot].size);
}

static void do_krealloc(int slot, size_t size, gfp_t gfp)
{
	size_t keep;
	unsigned char *p;

	if (obj[slot].addr && obj[slot].cache >= 0)
		return; /* krealloc is for kmalloc memory */
	if (obj[slot].addr)
		check_pattern(slot, 1, "before krealloc");
	p = krealloc(obj[slot].addr, size, gfp);
	digest_ptr(p);
	if (!size) {
		if ((void *)p != ZERO_SIZE_PTR)
			finding("krealloc to 0 bytes returned %p, not ZERO_SIZE_PTR", (void *)p);
		obj[slot].addr = ZERO_SIZE_PTR;
		obj[slot].size = 0;
		return;
	}
	if (!p) {
		check_null("krealloc"); /* the old object stays */
		return;
	}
	keep = obj[slot].addr ? (obj[slot].size < size ? obj[slot].size : size) : 0;
	for (size_t i = 0; i < keep; i++)
		if (p[i] != obj[slot].fill) {
			finding("krealloc from %zu to %zu bytes: byte %zu is %#x, not %#x",
				obj[slot].size, size, i, p[i], obj[slot].fill);
			break;
		}
	check_new(p, -1, size, gfp & ~__GFP_ZERO, -1, "krealloc");
	if (!keep)
		obj[slot].fill = fill_byte(slot);
	memset(p + keep, obj[slot].fill, size - keep);
	obj[slot].addr = p;
	obj[slot].cache = -1;
	obj[slot].size = size;
}

static void shrink(int c)
{
	int rc;

	if (!cache[c].s)
		return;
	rc = kmem_cache_shrink(cache[c].s);
	digest_u32((uint32_t)(rc + 3000));
	if (rc && !ev_injected && !oom_since(ev_oom_start))
		finding("kmem_cache_shrink returned %d", rc);
}

static void set_cpu(int cpu)
{
	slub_set_cpu(next_online_cpu(cpu));
	digest_u32((uint32_t)slub_get_cpu());
}

static void cpu_down(int cpu)
{
	int online = 0, want, rc;

	for (int i = 0; i < cpus; i++)
		online += cpu_online[i];
	want = !cpu_online[cpu] ? -EINVAL : (cpu == slub_get_cpu() || online == 1) ? -EBUSY : 0;
	rc = slub_cpu_down(cpu);
	if (!rc)
		cpu_online[cpu] = 0;
	digest_u32((uint32_t)(rc + 1000));
	if (rc != want)
		finding("cpu_down(%d) returned %d, expected %d", cpu, rc, want);
}

static void cpu_up(int cpu)
{
	int want = cpu_online[cpu] ? -EINVAL : 0, rc = slub_cpu_up(cpu);

	if (!rc)
		cpu_online[cpu] = 1;
	if (rc == -ENOMEM && ev_injected)
		want = rc;
	digest_u32((uint32_t)(rc + 1000));
	if (rc != want)
		finding("cpu_up(%d) returned %d, expected %d", cpu, rc, want);
}

static void node_online_event(int n)
{
	int want = (!node_pages[n] || node_online[n]) ? -EINVAL : 0, rc = slub_node_online(n);

	if (rc == -ENOMEM && (ev_injected || oom_since(ev_oom_start)))
		want = rc; /* the per-node structures could not be allocated */
	if (!rc)
		node_online[n] = 1;
	digest_u32((uint32_t)(rc + 2000));
	if (rc != want)
		finding("node_online(%d) returned %d, expected %d", n, rc, want);
}

static void node_offline_event(int n)
{
	int want = (!node_pages[n] || !node_online[n]) ? -EINVAL : 0, rc = slub_node_offline(n);

	if (rc == -EBUSY && !want)
		want = rc; /* pages still in use: the normal refusal */
	if (!rc) {
		node_online[n] = 0;
		if (slub_node_pages_in_use(n))
			finding("node %d went offline with %lu pages in use", n,
				slub_node_pages_in_use(n));
		for (int i = 0; i < NSLOTS; i++)
			if (obj[i].addr && obj[i].addr != ZERO_SIZE_PTR &&
			    slub_addr_to_node(obj[i].addr) == n)
				finding("node %d went offline under the live object in slot %d", n, i);
	}
	digest_u32((uint32_t)(rc + 2000));
	if (rc != want)
		finding("node_offline(%d) returned %d, expected %d", n, rc, want);
}

static void ptr_validate(int slot)
{
	if (obj[slot].addr && obj[slot].cache >= 0 &&
	    kmem_ptr_validate(cache[obj[slot].cache].s, obj[slot].addr) != 1)
		finding("kmem_ptr_validate refuses a live object of its own cache");
}

/* ---- boot steps, events, teardown (fuzz/exec.c) ---- */

static const char *const step_names[] = { "init", "irqs_on", "init_late", "sysfs" };

static void begin_event(void)
{
	ev_injected = 0;
	ev_oom_start = slub_pages_oom_count();
	first_report[0] = '\0';
	memset(ev_reports, 0, sizeof(ev_reports));
}

/* Reports that nothing the reproducer did explains are a finding. */
static void judge_reports(int panic_explained)
{
	unsigned long bad = ev_reports[SLUB_REPORT_WARN] + ev_reports[SLUB_REPORT_SLAB_ERR] +
			    ev_reports[SLUB_REPORT_LEAK];

	if (!panic_explained)
		bad += ev_reports[SLUB_REPORT_BUG] + ev_reports[SLUB_REPORT_PANIC];
	if (bad)
		finding("the allocator reported: %s", first_report);
}

/* The next boot step. 1: it panicked because of an injected failure (the run is over). */
static int run_step(void)
{
	enum slub_boot_step st = slub_boot_next_step();
	int rc;

	if (st >= SLUB_BOOT_NR_STEPS)
		return 0;
	if (verbose)
		fprintf(stderr, "--- boot step %s\n", step_names[st]);
	in_boot_step = 1;
	step_injected = 0;
	step_oom_start = slub_pages_oom_count();
	rc = slub_boot_step(st);
	in_boot_step = 0;
	digest_u32((uint32_t)(rc + 100));
	if (rc == SLUB_BOOT_PANIC) {
		if (step_injected || oom_since(step_oom_start))
			return 1; /* a failure injected, or memory too small to boot: the kernel panics */
		finding("boot step %s panicked with no failed page allocation: %s", step_names[st],
			first_report);
		return 1;
	}
	if (rc != SLUB_BOOT_OK)
		finding("slub_boot_step(%s) returned %d", step_names[st], rc);
	return 0;
}

/* The run is over: say so, and the digest if asked. A finding never gets here. */
static int finish(int over)
{
	if (failed)
		report_and_abort();
	if (over)
		slub_shutdown(); /* after a panic the injected failures explain: nothing to check */
	if (print_digest)
		printf("%016llx\n", (unsigned long long)digest[0] << 32 | digest[1]);
	fprintf(stderr, "reproducer: %s (%s, bootstrap %s) ran without a finding\n", target,
		over ? "over at an explained boot panic" : "to the end", BOOTSTRAP);
	return 0;
}

struct call {
	int i, over;
};

static void event_body(void *arg)
{
	struct call *c = arg;

	c->over = do_event(c->i);
}

static int consistency_due(const struct repro_event *e)
{
	return e->cur < 8 || e->cur % (nodes > 64 ? 32 : 8) == 0 || e->reshape;
}

/* Event i with the checks after it. 1: the run is over. */
static int run_event(const struct repro_event *e, int i)
{
	struct call call = { i, 0 };

	begin_event();
	cur = e->cur;
	cur_ev = e;
	busy_slot = e->busy;
	digest_u32((uint32_t)e->op);
	if (verbose)
		fprintf(stderr, "--- %s event %d: %s (cpu %d)\n", e->workload ? "workload" : "program",
			e->cur, e->text, slub_get_cpu());
	if (slub_protected(event_body, &call) && !call.over)
		finding("the allocator hit BUG or panic: %s", first_report);
	judge_reports(call.over);
	if (!call.over && !slub_tainted()) {
		check_live();
		if (consistency_due(e))
			check_consistency("after the event");
	}
	if (failed)
		report_and_abort();
	return call.over || slub_tainted();
}

/* Sets up the hooks, boots the machine and runs the boot steps before the first event. */
static int boot(const struct slub_config *cfg, int events_from)
{
	nodes = cfg->nr_node_ids;
	cpus = cfg->nr_cpu_ids;
	kmalloc_min = cfg->kmalloc_min_size;
	cache_line = cfg->cache_line_size;
	for (int i = 0; i < NSLOTS; i++)
		obj[i].cache = -1;
	for (int n = 0; n < nodes; n++) {
		node_pages[n] = cfg->node_pages[n];
		node_online[n] = node_pages[n] && !cfg->node_offline[n];
	}
	for (int c = 0; c < cpus; c++)
		cpu_online[c] = 1;
	slub_set_report_hook(report_hook, NULL);
	slub_set_page_alloc_hook(page_alloc_hook, NULL);
	slub_set_registry_hook(registry_hook, NULL);
	slub_set_printk_echo(verbose);
	begin_event();
	if (slub_boot_start(cfg)) {
		finding("slub_boot_start rejected the configuration");
		report_and_abort();
	}
	slub_set_cpu(0);
	while (steps_done() <= events_from) {
		if (run_step()) {
			judge_reports(1);
			return 1;
		}
		judge_reports(0);
		if (failed)
			report_and_abort();
	}
	check_live();
	check_consistency("after boot");
	if (failed)
		report_and_abort();
	return 0;
}

static void teardown_body(void *arg)
{
	(void)arg;
	validate();
	for (int i = 0; i < NSLOTS; i++)
		obj_release(i, "freed at teardown");
	for (int c = 0; c < NCACHES; c++)
		cache_destroy(c);
	slub_rcu_grace_period();
}

/* The remaining boot steps, every object and cache freed, then every page must be back. */
static int teardown(void)
{
	unsigned long leaked;

	cur = -2;
	cur_ev = NULL;
	begin_event();
	while (steps_done() < SLUB_BOOT_NR_STEPS && !failed)
		if (run_step()) {
			judge_reports(1);
			return finish(1);
		}
	judge_reports(0);
	fail_clear();
	if (!failed) {
		begin_event();
		if (slub_protected(teardown_body, NULL))
			finding("the allocator hit BUG or panic at teardown: %s", first_report);
		judge_reports(0);
	}
	if (!failed)
		check_consistency("before shutdown");
	if (failed)
		report_and_abort();
	begin_event();
	leaked = slub_shutdown();
	digest_u32((uint32_t)leaked);
	if (leaked || ev_reports[SLUB_REPORT_LEAK])
		finding("shutdown: %lu pages not returned: %s", leaked, first_report);
	else
		judge_reports(0);
	return finish(0);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-digest"))
			print_digest = 1;
		else {
			fprintf(stderr, "usage: %s [-v] [-digest]\n", argv[0]);
			exit(2);
		}
	}
}

/* ---- the program ---- */
