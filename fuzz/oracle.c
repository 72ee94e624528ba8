/* oracle.c - what must hold after every event, and what a finding looks like: the checks
 * over the shadow of live objects, the allocator's own checkers, the report hook, the trace
 * digest, and the report printed before abort(). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "platform.h" /* fnv_step */
#include "slub_def.h"

/* ---- trace digest: two 32-bit FNV-1a lanes (fnv_step, platform.h) ---- */

void fz_digest(struct fz_state *x, uint32_t v)
{
	if (!x->digest[0] && !x->digest[1]) {
		x->digest[0] = 2166136261u;
		x->digest[1] = 0x9e3779b9u;
	}
	for (int i = 0; i < 4; i++) {
		uint32_t b = (v >> (8 * i)) & 0xff;

		x->digest[0] = fnv_step(x->digest[0], b, 16777619u);
		x->digest[1] = fnv_step(x->digest[1], b, 0x01000193u + 0x2000u);
	}
}

/* Addresses differ between processes; their offset in the page and NULL-ness do not. */
void fz_digest_ptr(struct fz_state *x, const void *p)
{
	fz_digest(x, p ? (uint32_t)((uintptr_t)p & (PAGE_SIZE - 1)) + 1 : 0);
}

/* ---- findings ---- */

void fz_finding(struct fz_state *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	x->fail_event = x->cur;
	x->fail_cpu = -1;
	if (slub_sched_current()) {
		/* a fiber of a concurrent group: its own event, on its own cpu */
		x->fail_event = FZ_FB(x)->ev;
		x->fail_cpu = slub_get_cpu();
	}
	va_start(ap, fmt);
	vsnprintf(x->why, sizeof(x->why), fmt, ap);
	va_end(ap);
}

static void emit_line(const char *line, void *arg)
{
	fprintf((FILE *)arg, "%s%s", line, line[0] && line[strlen(line) - 1] == '\n' ? "" : "\n");
}

static void print_dmesg_tail(FILE *f, int lines)
{
	const char *log = slub_dmesg();
	const char *p = log + strlen(log);
	int n = 0;

	while (p > log && n <= lines) {
		p--;
		if (*p == '\n')
			n++;
	}
	if (p > log)
		p++;
	fputs(p, f);
	if (*p && log[strlen(log) - 1] != '\n')
		fputc('\n', f);
}

void fz_dump_state(struct fz_state *x, const char *title)
{
	int mark = x->failed ? x->fail_event : -1;

	fprintf(stderr, "==slubfuzz== %s program (target %s, bootstrap %s):\n", title,
		x->target->name, fuzz_bootstrap_name());
	prog_print(stderr, x->prog, x->in_workload ? -1 : mark);
	if (x->workload) {
		fprintf(stderr, "# then the %s workload:\n", x->target->name);
		for (int i = 0; i < x->workload->nr_events; i++) {
			fputs("#   ", stderr);
			prog_print_event(stderr, &x->workload->boot, &x->workload->ev[i]);
			fputs(x->in_workload && i == mark ? "    # <== here\n" : "\n", stderr);
		}
	}
	fprintf(stderr, "==slubfuzz== slabinfo:\n");
	if (slub_tainted())
		fprintf(stderr, "  (not walked: the allocator panicked, its lists cannot be trusted)\n");
	else
		slub_slabinfo(emit_line, stderr);
	fprintf(stderr, "==slubfuzz== dmesg (tail):\n");
	print_dmesg_tail(stderr, 60);
}

/* A finding the campaign already knows (fuzz/known.c) is kept and the run goes on: 1. */
int fz_finding_known(struct fz_state *x)
{
	if (!x->failed || !fz_known_finding(x->why))
		return 0;
	x->failed = 0;
	x->why[0] = '\0';
	return 1;
}

void fz_report_and_abort(struct fz_state *x)
{
	if (fz_finding_known(x))
		return;
	fprintf(stderr, "\n==slubfuzz== FINDING in %s (bootstrap %s): %s\n", x->target->name,
		fuzz_bootstrap_name(), x->why);
	if (x->fail_event == -1)
		fprintf(stderr, "==slubfuzz== during the initial boot\n");
	else if (x->fail_event == -2)
		fprintf(stderr, "==slubfuzz== during the final boot steps, teardown or shutdown\n");
	else if (x->cur_ev) {
		fprintf(stderr, "==slubfuzz== at %s event %d: ",
			x->in_workload ? "workload" : "program", x->fail_event);
		prog_print_event(stderr, &x->prog->boot, x->cur_ev);
		fputc('\n', stderr);
	}
	if (x->group_desc[0] && x->fail_cpu >= 0)
		fprintf(stderr, "==slubfuzz== %s; found on cpu %d\n", x->group_desc, x->fail_cpu);
	else if (x->group_desc[0])
		fprintf(stderr, "==slubfuzz== %s; found at its end\n", x->group_desc);
	fz_dump_state(x, "failing");
	fprintf(stderr, "==slubfuzz== reproduce: make repro CRASH=<this input> TARGET=%s%s\n",
		x->target->name, fuzz_repro_args());
	fflush(stderr);
	fz_known_flush();
	abort();
}

/* ---- the allocator's reports ---- */

static const char *const report_kind_names[] = { "INFO", "WARN", "SLAB_ERR", "LEAK", "BUG",
						  "PANIC" };

/* The first line of a report that says something (slub_debug's open with a rule of '='). */
static const char *telling_line(const char *msg, int *len)
{
	for (const char *m = msg;;) {
		const char *nl = strchr(m, '\n');
		size_t n = nl ? (size_t)(nl - m) : strlen(m);

		for (size_t i = 0; i < n; i++)
			if (isalpha((unsigned char)m[i])) {
				*len = (int)n;
				return m;
			}
		if (!nl) {
			*len = (int)strlen(msg);
			return msg;
		}
		m = nl + 1;
	}
}

void fz_report_hook(const struct slub_report *r, void *arg)
{
	struct fz_state *x = arg;
	unsigned int kind = (unsigned int)r->kind;

	if (kind > SLUB_REPORT_PANIC)
		kind = SLUB_REPORT_BUG;
	if (fz_smp_racy_slab_count(x, r)) {
		/*
		 * what 2.6.36 prints beside another cpu's new_slab, or an interrupt's on this cpu;
		 * the group's end (or the strict checker after the event) checks the counts
		 */
		FZ_FB(x)->racy_counts++;
		if (fz_verbose)
			fprintf(stderr, "[slub SLAB_ERR, excused] %s:%d %s(): %s (another cpu of the "
				"group, or an interrupt on this one, changed nr_slabs outside "
				"list_lock, as 2.6.36 lets them)\n",
				r->file, r->line, r->func, r->msg);
		return;
	}
	x->reports[kind]++;
	FZ_FB(x)->ev_reports[kind]++;
	if (kind >= SLUB_REPORT_BUG && !x->step_fatal_func)
		x->step_fatal_func = r->func; /* a boot step's panic: where (exec.c) */
	for (int i = 0; i < 2; i++)
		if (x->expect_report[i] && kind == SLUB_REPORT_SLAB_ERR &&
		    strstr(r->msg, x->expect_report[i]))
			x->expect_seen++;
	if (fz_verbose >= 2 || (kind != SLUB_REPORT_INFO && fz_verbose))
		fprintf(stderr, "[slub %s] %s:%d %s(): %s\n", report_kind_names[kind], r->file,
			r->line, r->func, r->msg);
	if (kind != SLUB_REPORT_INFO && !FZ_FB(x)->first_report[0]) {
		int len;
		const char *line = telling_line(r->msg, &len);

		snprintf(FZ_FB(x)->first_report, sizeof(FZ_FB(x)->first_report), "%s at %s:%d %s(): %.*s",
			 report_kind_names[kind], r->file, r->line, r->func, len, line);
	}
}

/* ---- invariants over the live objects ---- */

size_t fz_calc_align(unsigned long flags, size_t align, size_t size, int cache_line)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = (size_t)cache_line;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8; /* ARCH_SLAB_MINALIGN */
	return (align + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

static int check_range(struct fz_state *x, int slot, size_t from, size_t to, const char *when)
{
	const struct fz_obj *o = fz_obj_at(x, slot);
	uint64_t word = o->fill * 0x0101010101010101ull, w;

	/* a word at a time while the bytes agree: one sanitizer check per word, not per byte */
	for (; from + sizeof(w) <= to; from += sizeof(w)) {
		memcpy(&w, o->addr + from, sizeof(w));
		if (w != word)
			break;
	}
	for (size_t i = from; i < to; i++)
		if (o->addr[i] != o->fill) {
			fz_finding(x, "object in slot %d (%s, %zu bytes at %p): byte %zu is %#x, "
				   "not the %#x written (%s)", slot,
				   o->cache >= 0 ? "cache object" : "kmalloc", o->size,
				   (void *)o->addr, i, o->addr[i], o->fill, when);
			return 0;
		}
	return 1;
}

int fz_check_pattern(struct fz_state *x, int slot, int full, const char *when)
{
	const struct fz_obj *o = fz_obj_at(x, slot);

	if (!o->addr || !o->size)
		return 1;
	if (full || o->size <= 64)
		return check_range(x, slot, 0, o->size, when);
	return check_range(x, slot, 0, 32, when) && check_range(x, slot, o->size - 32, o->size, when);
}

struct extent {
	uintptr_t lo, hi;
	int slot;
};

void fz_check_live(struct fz_state *x)
{
	struct extent ext[PROG_NSLOTS], t;
	int n = 0;

	for (int i = 0; i < PROG_NSLOTS; i++) {
		const struct fz_obj *o = &x->obj[i];
		size_t ks;

		if (!o->addr || o->addr == (unsigned char *)ZERO_SIZE_PTR)
			continue;
		ks = ksize(o->addr);
		if (ks < o->size)
			fz_finding(x, "object in slot %d: ksize %zu below its %zu bytes", i, ks,
				   o->size);
		fz_check_pattern(x, i, o->size <= 256, "after the event");
		fz_model_check_owner(x, i, "after the event");
		ext[n].lo = (uintptr_t)o->addr;
		ext[n].hi = ext[n].lo + (ks > o->size ? ks : o->size) + (ks ? 0 : 1);
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
			fz_finding(x, "live objects overlap: slot %d [%#lx, %#lx) and slot %d [%#lx, "
				   "%#lx)", ext[k - 1].slot, (unsigned long)ext[k - 1].lo,
				   (unsigned long)ext[k - 1].hi, ext[k].slot,
				   (unsigned long)ext[k].lo, (unsigned long)ext[k].hi);
}

/* ---- the allocator's own checkers ---- */

static enum slub_scope fz_scope(int all)
{
	return all > 0 ? SLUB_SCOPE_ALL : all ? SLUB_SCOPE_TOUCHED_SINCE_ALL : SLUB_SCOPE_TOUCHED;
}

/* Each problem alone, as the finding it would make if it came first: known ones don't count. */
static int known_problem(const char *problem, void *arg)
{
	char why[sizeof(((struct fz_state *)0)->why)];

	snprintf(why, sizeof(why), "slub_check_consistency %s: 1 problem(s), first: %s",
		 (const char *)arg, problem);
	if (!fz_known_finding(why))
		return 0;
	return 1;
}

void fz_check_consistency(struct fz_state *x, int all, const char *when)
{
	char why[512];
	long bad;

	if (slub_tainted())
		return;
	why[0] = '\0';
	slub_set_consistency_filter(known_problem, (void *)when);
	bad = slub_check_consistency_scope(fz_scope(all), why, sizeof(why));
	slub_set_consistency_filter(NULL, NULL);
	fz_digest(x, (uint32_t)(bad != 0));
	if (bad)
		fz_finding(x, "slub_check_consistency %s: %ld problem(s), first: %s", when, bad, why);
}

/* Free objects on a freelist, stopping past limit (the strict checker judges the chain). */
static long freelist_length(const struct kmem_cache *s, void *fp, long limit)
{
	long n = 0;

	for (; fp && n <= limit; n++)
		fp = get_freepointer((struct kmem_cache *)s, fp);
	return n;
}

/*
 * The objects of s in use as its slabs count them: each node's total_objects, less the free
 * objects of its partial slabs and of the cpu slabs (page and cpu freelists). A full slab is
 * on no list without SLAB_STORE_USER, but counted in total_objects with nothing free.
 */
static long counted_in_use(struct kmem_cache *s)
{
	long used = 0;
	int node, cpu;

	for_each_node(node) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *page;
		long left;

		if (!n)
			continue;
		used += n->total_objects;
		left = n->nr_slabs;
		list_for_each_entry(page, &n->partial, lru) {
			if (left-- <= 0)
				break;
			used -= page->objects - page->inuse;
		}
	}
	for_each_possible_cpu(cpu) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		if (c->page)
			used -= c->page->objects - c->page->inuse +
				freelist_length(s, c->freelist, c->page->objects);
	}
	return used;
}

void fz_check_accounting(struct fz_state *x, const char *when)
{
	for (int c = 0; c < PROG_NCACHES && !x->failed && !x->corrupted; c++) {
		struct kmem_cache *s = x->cache[c].s;
		unsigned long live;
		long used;
		int seen = 0;

		for (int d = 0; d < c; d++)
			seen |= x->cache[d].s == s;
		/* a boot cache (kmalloc's, or one merged into it) holds the kernel's objects too */
		if (!s || seen || slub_is_boot_cache(s) || !s->cpu_slab)
			continue;
		used = counted_in_use(s);
		live = fz_live_objects(x, s);
		fz_digest(x, (uint32_t)used);
		if (used > (long)live)
			fz_finding(x, "cache %s %s: its slabs count %ld objects in use, the program "
				   "holds %lu: %ld object(s) on no freelist, never to be handed out "
				   "again", s->name, when, used, live, used - (long)live);
		else if (used < (long)live)
			fz_finding(x, "cache %s %s: its slabs count %ld objects in use, the program "
				   "holds %lu: %ld live object(s) counted free", s->name, when, used,
				   live, (long)live - used);
	}
}

void fz_validate(struct fz_state *x, int all)
{
	unsigned long excused = FZ_FB(x)->racy_counts;
	long bad;

	bad = slub_validate_scope(fz_scope(all));
	bad -= (long)(FZ_FB(x)->racy_counts - excused); /* fz_smp_racy_slab_count */
	fz_digest(x, (uint32_t)(bad != 0));
	if (bad)
		fz_finding(x, "slub_validate_all found %ld problem(s) (the harness never corrupts): %s",
			   bad, FZ_FB(x)->first_report);
}
