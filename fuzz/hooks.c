/* hooks.c - the harness's answers to the allocator's hooks: the page allocator asks before
 * every allocation (the armed failure rules and the boot failure schedule decide; where the
 * slow path runs with interrupts on, an interrupt or a migration may come first), and the
 * registry asks before every sysfs registration. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* ---- the hooks ---- */

static int rule_matches(const struct fz_rule *r, const struct slub_pa_request *req, int pref)
{
	if (r->any)
		return 1;
	if (r->order >= 0 && (unsigned int)r->order != req->order)
		return 0;
	if (r->node >= 0 && r->node != pref)
		return 0;
	switch (r->gfpclass) {
	case GC_WAIT: return (req->gfp & __GFP_WAIT) != 0;
	case GC_NOWAIT: return !(req->gfp & __GFP_WAIT);
	case GC_DMA: return (req->gfp & __GFP_DMA) != 0;
	case GC_THISNODE: return (req->gfp & __GFP_THISNODE) != 0;
	default: return 1;
	}
}

/*
 * An injected failure, counted for the path it hit (an interrupt or not, a boot step), so that
 * the oracle excuses what it makes fail there and nothing else.
 */
static void note_injected(struct fz_state *x)
{
	struct fz_fiber *fb = FZ_FB(x);

	if (fb->in_irq)
		fb->irq_injected++;
	else
		fb->outer_injected++;
	fb->ev_injected++;
	if (x->in_boot_step)
		x->step_injected++;
}

static void fz_nested_interrupt(struct fz_state *x, int site);
static void fz_point(struct fz_state *x, int site, const struct slub_point *pt);

/*
 * The last allocation decision of a boot step, so that a panic there is excused only as the
 * failed allocation's own consequence (exec.c: step_panic_explained).
 */
static void fz_note_step_decision(struct fz_state *x, int failed)
{
	if (!x->in_boot_step)
		return;
	x->step_last_failed = failed;
	x->step_last_oom = slub_pages_oom_count();
}

enum slub_pa_decision fz_pa_hook(const struct slub_pa_request *req, void *arg)
{
	struct fz_state *x = arg;
	struct fz_fiber *fb = FZ_FB(x);
	int pref, fail = 0;

	if (fb->probing)
		return SLUB_PA_GO_ON;
	pref = req->node >= 0 ? req->node : (FZ_NUMA ? slub_get_cpu() % x->nodes : 0);
	fb->ev_requests++;
	if (fz_verbose >= 2)
		fprintf(stderr, "    page request %lu: %s order %u node %d gfp %#x irqs %s\n",
			req->seq, req->caller, req->order, req->node, req->gfp,
			req->irqs_enabled ? "on" : "off");
	if (x->in_boot_step)
		for (int i = 0; i < x->prog->boot.nr_fail; i++)
			if (req->seq >= (unsigned long)x->prog->boot.fail[i].seq &&
			    req->seq < (unsigned long)(x->prog->boot.fail[i].seq +
						       x->prog->boot.fail[i].count))
				fail = 1;
	for (int i = 0; i < x->nr_rules; i++) {
		struct fz_rule *r = &x->rules[i];

		if (!r->count || !rule_matches(r, req, pref))
			continue;
		if (r->skip) {
			r->skip--;
		} else {
			r->count--;
			fail = 1;
		}
	}
	/*
	 * Where the slow path runs with interrupts on, an interrupt or a migration may come: the
	 * page request is the point `irq` and `migrate` name. No spinlock is held at one with
	 * interrupts on (2.6.36's callers take none around a page request), so the request is
	 * preemptible when its interrupts are on.
	 */
	if (req->irqs_enabled) {
		struct slub_point pt = { 0, 1, 1 };

		fz_point(x, FZ_AT_PAGE_REQUEST, &pt);
	}
	/* recorded last, so that it describes this request and not the interrupt's */
	fb->last_req.order = req->order;
	fb->last_req.node = pref;
	fb->last_req.asked = req->node;
	fb->last_req.gfp = req->gfp;
	fb->last_req.injected = fail;
	if (req->node >= 0 && fb->nr_reqs < FZ_MAX_REQS) {
		struct fz_req_rec *rec = &fb->reqs[fb->nr_reqs++];

		rec->node = req->node;
		rec->in_irq = fb->in_irq;
		rec->could_serve = fail || fz_model_could_serve(req->node, req->gfp | __GFP_THISNODE,
								 req->order) >= 0;
	}
	if (fz_verbose >= 2 && fail)
		fprintf(stderr, "    page request %lu failed by the harness\n", req->seq);
	if (fail) {
		note_injected(x);
		fz_digest(x, 0xfa11u + (unsigned int)req->order);
	}
	fz_note_step_decision(x, fail);
	return fail ? SLUB_PA_FAIL : SLUB_PA_GO_ON;
}

int fz_registry_hook(const char *op, const char *name, void *arg)
{
	struct fz_state *x = arg;

	(void)op;
	(void)name;
	if (!x->sysfs_count)
		return 0;
	if (x->sysfs_skip) {
		x->sysfs_skip--;
		return 0;
	}
	x->sysfs_count--;
	FZ_FB(x)->ev_injected++;
	return 1;
}

/*
 * should_failslab (only ever asked for a SLAB_FAILSLAB cache) and alloc_percpu: the n-th
 * decision from the arming event fails, and count-1 after it, as fail_nth does for pages. A
 * failure counts as injected on this path, so what it makes fail is excused like a page
 * failure; a failslab failure is also noted apart, so that only it excuses a NULL from an
 * allocation whose page requests could all be met.
 */
int fz_fault_hook(enum slub_fault what, const char *name, void *arg)
{
	struct fz_state *x = arg;
	struct fz_fiber *fb = FZ_FB(x);
	int *skip = what == SLUB_FAULT_FAILSLAB ? &x->failslab_skip : &x->percpu_skip;
	int *count = what == SLUB_FAULT_FAILSLAB ? &x->failslab_count : &x->percpu_count;

	(void)name;
	if (fb->probing)
		return 0;
	if (!*count || *skip) {
		if (*count)
			(*skip)--;
		fz_note_step_decision(x, 0);
		return 0;
	}
	(*count)--;
	fz_note_step_decision(x, 1);
	if (fz_verbose >= 2)
		fprintf(stderr, "    %s failed by the harness\n",
			what == SLUB_FAULT_FAILSLAB ? "should_failslab" : "alloc_percpu");
	note_injected(x);
	if (what == SLUB_FAULT_FAILSLAB) {
		if (fb->in_irq)
			fb->failslab_irq++;
		else
			fb->failslab_outer++;
	}
	fz_digest(x, what == SLUB_FAULT_FAILSLAB ? 0xfa5bu : 0xfcc0u);
	return 1;
}

/* ---- interrupts and migrations: at a page request, or at a yield site ---- */

static void point_hook(const struct slub_point *pt, void *arg)
{
	fz_point(arg, (int)pt->site, pt);
}

/* The point hook is set while a site trigger is armed, and only then (it costs a call at every
 * yield point). */
static void watch_sites(struct fz_state *x)
{
	int watch = (x->irq.armed && x->irq.site != FZ_AT_PAGE_REQUEST) ||
		    (x->mig.armed && x->mig.site != FZ_AT_PAGE_REQUEST);

	slub_sched_set_point_hook(watch ? point_hook : NULL, x);
}

void fz_arm(struct fz_state *x, const struct prog_event *e)
{
	int at_site = e->op == OP_IRQ_AT || e->op == OP_MIGRATE_AT;
	struct fz_trigger t = { 1, at_site ? (int)e->arg[0] : FZ_AT_PAGE_REQUEST,
				(int)e->arg[at_site ? 1 : 0] };

	if (e->op == OP_IRQ) {
		x->irq = t;
		x->irq_ev = *e;
	} else if (e->op == OP_IRQ_AT) {
		/* what it does is the last `irq` event's; before any, nothing is armed */
		if (x->irq_ev.op == OP_IRQ)
			x->irq = t;
	} else {
		x->mig = t;
		x->mig_cpu = (int)e->arg[at_site ? 2 : 1];
	}
	watch_sites(x);
}

void fz_disarm(struct fz_state *x)
{
	x->irq.armed = x->mig.armed = 0;
	watch_sites(x);
}

/* Whether an armed trigger fires at this legal meeting of site: its skip+1-th. */
static int trigger_fires(struct fz_trigger *t, int site)
{
	if (!t->armed || t->site != site)
		return 0;
	if (t->skip) {
		t->skip--;
		return 0;
	}
	t->armed = 0;
	return 1;
}

/*
 * A point where the kernel allows the task to be interrupted (its cpu's interrupts on) or
 * moved (also no spinlock held): the armed interrupt or migration fires at its named meeting.
 * An interrupt does not nest in the harness's own (the handler's meetings do not count); a
 * migration waits until the boot's third step, and never happens inside a concurrent group of
 * several cpus (a fiber may not move onto another fiber's cpu: a cpu runs one task). Each
 * meeting counts only where its event could fire.
 */
static void fz_point(struct fz_state *x, int site, const struct slub_point *pt)
{
	struct fz_fiber *fb = FZ_FB(x);
	int fired = 0;

	if (fb->probing || fb->in_irq || !pt->irqs_on)
		return;
	if (pt->preemptible && fz_steps_done() >= 3 && !x->in_group &&
	    trigger_fires(&x->mig, site)) {
		x->switched = 1; /* space.c: the request's cpu and node changed */
		slub_set_cpu(fz_next_online_cpu(x, x->mig_cpu));
		if (fz_verbose >= 2)
			fprintf(stderr, "    migrated to cpu %d at %s\n", slub_get_cpu(),
				site == FZ_AT_PAGE_REQUEST ? "a page request"
							   : slub_site_name((uint32_t)site));
		fz_digest(x, 0x319u + (uint32_t)slub_get_cpu());
		fz_interleave_point(1, site);
		fired = 1;
	}
	if (trigger_fires(&x->irq, site)) {
		fb->interrupted |= site == FZ_AT_PAGE_REQUEST ? FZ_IRQ_AT_REQUEST : FZ_IRQ_AT_SITE;
		fz_nested_interrupt(x, site);
		x->switched = 1; /* space.c: the lists changed under the request */
		fz_interleave_point(0, site);
		fired = 1;
	}
	if (fired) {
		fb->fired_after_take |= fb->took;
		watch_sites(x);
	}
}

/* An interrupt on this cpu while the slow path has interrupts on: a small alloc or free. */
static void fz_nested_interrupt(struct fz_state *x, int site)
{
	struct fz_fiber *fb = FZ_FB(x);
	const struct prog_event *e = &x->irq_ev;
	int slot = (int)(e->arg[2] % PROG_NSLOTS), c = (int)(e->arg[4] % PROG_NCACHES);
	struct fz_obj *o = &x->obj[slot];
	unsigned long outer_oom_start = fb->ev_oom_start;
	/* the outer call's last page request, which the oracle judges its result by (objects.c):
	 * an interrupt after it (irq_at at slab_alloc's interrupts back on) makes its own */
	struct fz_req outer_req = fb->last_req;
	struct kmem_cache *s = x->cache[c].s;
	gfp_t gfp;

	if (slot == fb->busy_slot || fz_steps_done() < 2)
		return;
	/* in a concurrent group, not a slot another cpu's events own (smp.c) */
	if (!fz_smp_claim(x, slot))
		return;
	/* a cache being destroyed has no users left, not even interrupts */
	if (o->addr && o->cache >= 0 && x->cache[o->cache].s == fb->busy_cache)
		return;
	if (fz_verbose >= 2)
		fprintf(stderr, "    interrupt at %s: %s slot %d\n",
			site == FZ_AT_PAGE_REQUEST ? "a page request" : slub_site_name((uint32_t)site),
			prog_irqop_names[e->arg[1]], slot);
	fb->in_irq = 1;
	fb->irq_injected = 0;
	fb->failslab_irq = 0;
	fb->ev_oom_start = fz_oom_count(x);
	fz_digest(x, 0x1e0u + (uint32_t)e->arg[1]);
	switch (e->arg[1]) {
	case IRQ_KMALLOC:
		fz_obj_release(x, slot, "freed by an interrupt's kmalloc");
		gfp = fz_gfp(x, 1, 0, 0);
		fz_obj_install(x, slot, kmalloc((size_t)e->arg[3], gfp), -1, (size_t)e->arg[3], gfp,
			    -1, "kmalloc in an interrupt");
		break;
	case IRQ_KFREE:
		if (o->addr && o->cache < 0)
			fz_obj_release(x, slot, "kfree in an interrupt");
		break;
	case IRQ_ALLOC:
		if (!s || s == fb->busy_cache)
			break;
		fz_obj_release(x, slot, "freed by an interrupt's alloc");
		gfp = fz_gfp(x, 1, 1, x->cache[c].ctor);
		fz_obj_install(x, slot, kmem_cache_alloc(s, gfp), c, x->cache[c].size, gfp, -1,
			    "kmem_cache_alloc in an interrupt");
		break;
	case IRQ_FREE:
		fz_obj_release(x, slot, "freed in an interrupt");
		break;
	}
	fb->irq_ooms += fz_oom_count(x) - fb->ev_oom_start;
	fb->ev_oom_start = outer_oom_start;
	fb->last_req = outer_req;
	fb->in_irq = 0;
}

void fz_add_rule(struct fz_state *x, const struct fz_rule *r)
{
	if (x->nr_rules == FZ_MAX_RULES) {
		memmove(&x->rules[0], &x->rules[1], sizeof(x->rules[0]) * (FZ_MAX_RULES - 1));
		x->nr_rules--;
	}
	x->rules[x->nr_rules++] = *r;
}
