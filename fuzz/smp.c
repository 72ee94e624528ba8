/* smp.c - concurrent groups: the events after a `par` run at once, each cpu's in order on a
 * fiber of its own (allocator/sched.c), with the oracle for concurrency: every allocation and
 * free checked against the sequential shadow as it returns, everything else at the group's
 * end, a quiescent point. fuzz/README.md, "Concurrent groups", says what runs where. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "page_alloc.h"
#include "slub_def.h"

/*
 * The ops a group may run at once, each a call a kernel caller may make on any cpu beside
 * another cpu's: the allocation and free calls, ksize, kmem_ptr_validate, shrink, validate,
 * /proc/slabinfo, and the harness's own fill, pool_free, write and check on objects the
 * event's fiber owns. Left out, each ending the group:
 * - krealloc: it gives the old object back inside the call while the caller still names it;
 *   the per-operation ownership check would need the hand-over in the middle of the call;
 * - create, create_named, destroy: the model's merge rule reads slab_caches before the call
 *   (another cpu's create in between changes the answer), and destroying a cache another cpu
 *   allocates from is a caller's bug;
 * - cpu and node hotplug: the group's fibers are pinned to the cpus online when it starts;
 * - the attribute files: their judgements compare the cache before and after the call;
 * - corrupt, corrupt_at: they demand slub_debug's report at one place, sequential by nature;
 * - rcu and boot_step: whole-machine steps; the failure, interrupt and migration decisions:
 *   they arm what later requests meet, so they take effect between groups, not inside one.
 * `cpu` and `switch` are the group's directives.
 */
int fz_smp_concurrent(int op)
{
	switch ((enum prog_op)op) {
	case OP_ALLOC:
	case OP_ALLOC_NODE:
	case OP_FREE:
	case OP_KMALLOC:
	case OP_KMALLOC_NODE:
	case OP_KZALLOC:
	case OP_KFREE:
	case OP_KSIZE:
	case OP_SHRINK:
	case OP_VALIDATE:
	case OP_FILL:
	case OP_POOL_FREE:
	case OP_WRITE:
	case OP_CHECK:
	case OP_PTR_VALIDATE:
	case OP_SLABINFO:
		return 1;
	default:
		return 0;
	}
}

/* ---- the objects live during a group: address -> who holds it ---- */

#define LIVE_CAP 16384 /* a power of two above twice PROG_NSLOTS + PROG_POOL */

struct live_obj {
	uintptr_t addr; /* 0: free entry */
	int holder; /* slot, or PROG_NSLOTS + pool index */
	int fiber; /* the fiber that took it in this group; 0: held before the group */
	int ev; /* and its event */
};

struct smp_fiber {
	int cpu;
	int nr;
	int ev[PROG_GROUP_MAX]; /* program indices, in order */
};

static struct {
	struct fz_state *x;
	const struct prog_event *events;
	int first, last; /* the group's events: first..last */
	int nr; /* fibers */
	struct smp_fiber f[SLUB_MAX_FIBERS + 1]; /* [1..nr] */
	struct slub_task task[SLUB_MAX_FIBERS];
	unsigned char skip[PROG_GROUP_MAX]; /* by j - first: its slot is another fiber's */
	unsigned char slot_owner[PROG_NSLOTS]; /* the fiber that claimed a slot; 0: none */
	/* the pool: entries below base were held before the group, pool_free claims them */
	int pool_base, nr_order;
	unsigned char pool_owner[PROG_POOL];
	int pool_order[PROG_POOL]; /* what each pool_free frees, in order: from..to by j - first */
	int pool_from[PROG_GROUP_MAX], pool_to[PROG_GROUP_MAX];
	struct live_obj live[LIVE_CAP];
} grp;

static size_t live_hash(uintptr_t a)
{
	uint64_t h = (uint64_t)a >> 3;

	h ^= (h >> 15) ^ (h >> 31);
	return (size_t)h & (LIVE_CAP - 1);
}

static struct live_obj *live_find(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	for (size_t i = live_hash(a);; i = (i + 1) & (LIVE_CAP - 1)) {
		if (!grp.live[i].addr)
			return NULL;
		if (grp.live[i].addr == a)
			return &grp.live[i];
	}
}

static void live_add(const void *p, int holder, int fiber, int ev)
{
	uintptr_t a = (uintptr_t)p;
	size_t i = live_hash(a);

	while (grp.live[i].addr)
		i = (i + 1) & (LIVE_CAP - 1);
	grp.live[i].addr = a;
	grp.live[i].holder = holder;
	grp.live[i].fiber = fiber;
	grp.live[i].ev = ev;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void live_del(struct live_obj *e)
{
	size_t i = (size_t)(e - grp.live), j = i;

	grp.live[i].addr = 0;
	for (;;) {
		size_t h;

		j = (j + 1) & (LIVE_CAP - 1);
		if (!grp.live[j].addr)
			return;
		h = live_hash(grp.live[j].addr);
		if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
			grp.live[i] = grp.live[j];
			grp.live[j].addr = 0;
			i = j;
		}
	}
}

static int is_object(const void *p)
{
	return p && p != ZERO_SIZE_PTR;
}

/* "slot 3", "pool object 17": where the harness keeps an object */
static const char *holder_name(int holder)
{
	static char buf[48];

	if (holder < PROG_NSLOTS)
		snprintf(buf, sizeof(buf), "slot %d", holder);
	else
		snprintf(buf, sizeof(buf), "pool object %d", holder - PROG_NSLOTS);
	return buf;
}

/* ---- the oracle per operation (objects.c calls these inside a group) ---- */

/*
 * An object an allocation just returned on the running fiber: it must not be live already,
 * in a slot, in the pool, or handed to another fiber of the group and still held there. Called
 * before anything else looks at it, with no yield point since the call returned.
 */
void fz_smp_handed_out(struct fz_state *x, int holder, const void *p, const char *what)
{
	struct live_obj *e;
	int me;

	if (!x->in_group || !is_object(p))
		return;
	me = slub_sched_current();
	e = live_find(p);
	if (!e) {
		live_add(p, holder, me, FZ_FB(x)->ev);
		return;
	}
	if (e->fiber)
		fz_finding(x, "%s on cpu %d handed out %p twice: %s holds it since cpu %d's event %d "
			   "of the group took it", what, slub_get_cpu(), p, holder_name(e->holder),
			   grp.f[e->fiber].cpu, e->ev);
	else
		fz_finding(x, "%s on cpu %d handed out %p twice: %s has held it since before the "
			   "group", what, slub_get_cpu(), p, holder_name(e->holder));
}

/*
 * The running fiber is about to free the object in holder: a live object it owns (its slot's
 * claim, or the pool entries its pool_free claimed). It leaves the live set before the call,
 * since from the free's first yield point another cpu may be handed it.
 */
void fz_smp_release(struct fz_state *x, int holder, const void *p)
{
	struct live_obj *e;
	int me, owner;

	if (!x->in_group || !is_object(p))
		return;
	me = slub_sched_current();
	e = live_find(p);
	if (holder < PROG_NSLOTS)
		owner = grp.slot_owner[holder];
	else if (holder - PROG_NSLOTS < grp.pool_base)
		owner = grp.pool_owner[holder - PROG_NSLOTS];
	else
		owner = e ? e->fiber : 0;
	if (!e || e->holder != holder)
		fz_finding(x, "cpu %d frees %p from %s, but that is no live object there", slub_get_cpu(),
			   p, holder_name(holder));
	else if (owner != me)
		fz_finding(x, "cpu %d frees %p from %s, which cpu %d's events own", slub_get_cpu(), p,
			   holder_name(holder), owner ? grp.f[owner].cpu : -1);
	if (e)
		live_del(e);
}

/* The counters of s on node never go negative (an alloc or a free undone twice shows here). */
static void counts_on(struct fz_state *x, struct kmem_cache *s, int node, const char *what)
{
	struct kmem_cache_node *n = get_node(s, FZ_NUMA ? node : 0);

	if (!n || ((long)n->nr_partial >= 0 && n->nr_slabs >= 0 && n->total_objects >= 0))
		return;
	fz_finding(x, "%s on cpu %d: %s node %d counts went negative: nr_partial %ld, nr_slabs %ld, "
		   "total_objects %ld", what, slub_get_cpu(), s->name, node, (long)n->nr_partial,
		   n->nr_slabs, n->total_objects);
}

/* After an allocation or a free of an object on page: its cache's counters there. */
void fz_smp_counts(struct fz_state *x, struct kmem_cache *s, const void *page, const char *what)
{
	if (!x->in_group || !s || !page)
		return;
	counts_on(x, s, page_to_nid((struct page *)page), what);
}

/* After a shrink or a validate: every node of every cache the program holds. */
static void counts_all(struct fz_state *x, const char *what)
{
	for (int c = 0; c < PROG_NCACHES; c++)
		if (x->cache[c].s)
			for (int node = 0; node < (FZ_NUMA ? x->nodes : 1); node++)
				counts_on(x, x->cache[c].s, node, what);
}

/*
 * An interrupt on the running fiber's cpu wants slot: it may take it unless another fiber
 * claimed it (its own events' slots are its own, as they would be sequentially).
 */
int fz_smp_claim(struct fz_state *x, int slot)
{
	int me;

	if (!x->in_group)
		return 1;
	me = slub_sched_current();
	if (grp.slot_owner[slot] && grp.slot_owner[slot] != me)
		return 0;
	grp.slot_owner[slot] = (unsigned char)me;
	return 1;
}

/* pool_free in a group: the entries it claimed before the group, in its order. */
void fz_smp_pool_free(struct fz_state *x)
{
	int k = FZ_FB(x)->ev - grp.first;

	for (int i = grp.pool_from[k]; i < grp.pool_to[k] && !x->failed; i++)
		fz_obj_release(x, PROG_NSLOTS + grp.pool_order[i], "before pool_free");
}

/* ---- claims, made before the group runs ---- */

static int event_slot(const struct prog_event *e)
{
	for (int i = 0; i < prog_op_nargs(e->op); i++)
		if (prog_op_arg(e->op, i) == PK_SLOT)
			return (int)e->arg[i];
	return -1;
}

/*
 * A pool_free of the group: the pool entries held before the group that no earlier pool_free
 * of the group claimed, picked by its way as fz_pool_free picks from the whole pool.
 */
static void claim_pool(struct fz_state *x, int k, int fiber, const struct prog_event *e)
{
	static int cand[PROG_POOL];
	int nc = 0, n = (int)e->arg[0], way = (int)e->arg[1], stride = (int)e->arg[2], taken = 0;

	for (int i = 0; i < grp.pool_base; i++)
		if (!grp.pool_owner[i] && fz_obj_at(x, PROG_NSLOTS + i)->addr)
			cand[nc++] = i;
	if (n > nc)
		n = nc;
	grp.pool_from[k] = grp.nr_order;
	for (int start = 0; start < (way == POOL_STRIDE ? stride : 1) && taken < n; start++)
		for (int t = start; t < nc && taken < n; t += way == POOL_STRIDE ? stride : 1, taken++) {
			int i = cand[way == POOL_LIFO ? nc - 1 - t : t];

			grp.pool_owner[i] = (unsigned char)fiber;
			grp.pool_order[grp.nr_order++] = i;
		}
	grp.pool_to[k] = grp.nr_order;
}

static void claim(struct fz_state *x)
{
	memset(grp.skip, 0, sizeof(grp.skip));
	memset(grp.slot_owner, 0, sizeof(grp.slot_owner));
	memset(grp.pool_owner, 0, sizeof(grp.pool_owner));
	grp.pool_base = x->pool_n;
	grp.nr_order = 0;
	for (int f = 1; f <= grp.nr; f++)
		for (int i = 0; i < grp.f[f].nr; i++) {
			int j = grp.f[f].ev[i], k = j - grp.first, slot;
			const struct prog_event *e = &grp.events[j];

			if (e->op == OP_POOL_FREE) {
				claim_pool(x, k, f, e);
				continue;
			}
			slot = event_slot(e);
			if (slot < 0)
				continue;
			if (!grp.slot_owner[slot])
				grp.slot_owner[slot] = (unsigned char)f;
			else if (grp.slot_owner[slot] != f)
				grp.skip[k] = 1; /* another cpu's events own it: not run */
		}
	fz_smp_live_begin(x);
}

/* The objects held now, in slots and the pool: what no allocation of the group may return. */
void fz_smp_live_begin(struct fz_state *x)
{
	memset(grp.live, 0, sizeof(grp.live));
	for (int i = 0; i < PROG_NSLOTS + x->pool_n; i++) {
		const struct fz_obj *o = fz_obj_at(x, i);

		if (is_object(o->addr))
			live_add(o->addr, i, 0, -1);
	}
}

/* ---- running a group ---- */

/* A site as the text form writes it: its name, else its key (SLUB_SITE_KEYS: the start). */
static const char *site_label(uint32_t site)
{
	static char buf[2][16];
	static int turn;
	const char *name = slub_site_name(site);

	if (site == SLUB_SITE_KEYS)
		return "its start";
	if (name)
		return name;
	turn ^= 1;
	snprintf(buf[turn], sizeof(buf[turn]), "site %u", site);
	return buf[turn];
}

/*
 * At every switch between fibers: the leaving fiber's refusals for want of memory, the
 * switch into the trace, and the pair into the engines' interleaving coverage (interleave.c,
 * whose hook this one stands in for while a group runs).
 */
static void smp_switch(uint32_t from_site, uint32_t to_site, void *arg)
{
	struct fz_state *x = arg;
	struct fz_fiber *fb = FZ_FB(x); /* the scheduler calls it on the leaving fiber */
	unsigned long now = slub_pages_oom_count();

	fb->oom_own += now - x->oom_mark;
	fb->away = 1;
	x->oom_mark = now;
	/* the schedule is part of the trace: where each switch left and resumed */
	fz_digest(x, 0x5a000000u | from_site << 12 | to_site);
	if (fz_verbose >= 2)
		fprintf(stderr, "    switch: cpu %d stops at %s, the next resumes at %s\n",
			slub_get_cpu(), site_label(from_site), site_label(to_site));
	fz_interleave_note(from_site, to_site, NULL);
}

/*
 * At every yield point: the schedule mutator learns which sites the running fiber's op meets
 * (a table store; every build does it, so that the unit tests see what libFuzzer's does).
 */
static void smp_site(uint32_t site, uint32_t nth, void *arg)
{
	int ev = FZ_FB((struct fz_state *)arg)->ev;

	if (ev >= 0)
		fz_mutate_learn(grp.events[ev].op, site, nth);
}

static void smp_fiber(void *arg)
{
	struct smp_fiber *f = arg;
	struct fz_state *x = grp.x;

	for (int i = 0; i < f->nr && !x->failed; i++) {
		int j = f->ev[i], k = j - grp.first;
		const struct prog_event *e = &grp.events[j];

		fz_begin_event(x);
		FZ_FB(x)->ev = j;
		FZ_FB(x)->busy_slot = event_slot(e);
		fz_digest(x, (uint32_t)e->op);
		if (fz_verbose >= 2) {
			fprintf(stderr, "--- concurrent event %d on cpu %d%s: ", j, slub_get_cpu(),
				grp.skip[k] ? " (not run: its slot is another cpu's)" : "");
			prog_print_event(stderr, &x->prog->boot, e);
			fputc('\n', stderr);
		}
		if (grp.skip[k]) {
			fz_digest(x, 0x5c1du);
		} else {
			fz_do_event(x, e);
			fz_judge_reports(x, 0);
			if (e->op == OP_SHRINK || e->op == OP_VALIDATE)
				counts_all(x, prog_op_name(e->op));
		}
		/* a known finding goes on as after a sequential event; another is reported at the
		 * group's end, the other cpus stopping at their next event */
		fz_finding_known(x);
		/* the order events complete in is part of the trace */
		fz_digest(x, 0x5d000000u + (uint32_t)j);
	}
}

int fz_smp_racy_slab_count(struct fz_state *x, const struct slub_report *r)
{
	static const char what[] = " slabs counted but counter=";
	const char *at, *num;
	long count, counter;

	if (r->kind != SLUB_REPORT_SLAB_ERR || strcmp(r->func, "validate_slab_node") ||
	    !(at = strstr(r->msg, what)))
		return 0;
	/* the number before: "partial slabs counted" is nr_partial's, which list_lock guards */
	for (num = at; num > r->msg && num[-1] >= '0' && num[-1] <= '9'; num--)
		;
	if (num == at || num == r->msg || num[-1] != ' ' ||
	    sscanf(num, "%ld", &count) != 1 || sscanf(at + sizeof(what) - 1, "%ld", &counter) != 1)
		return 0;
	/*
	 * Only if another cpu ran since the validate began, or an interrupt on this one (at a
	 * yield point between flush_all and the count: irq_at; it may take a new cpu slab, as
	 * one may in the kernel), since its flush_all and the count are otherwise one step; and
	 * fewer counted than the counter: a slab not listed yet, or not any more; never more.
	 */
	return ((x->in_group && FZ_FB(x)->away) || (FZ_FB(x)->interrupted & FZ_IRQ_AT_SITE)) &&
	       count < counter;
}

/* The group's fiber for cpu, made if there is room; -1 past SLUB_MAX_FIBERS. */
static int fiber_of(int cpu)
{
	for (int f = 1; f <= grp.nr; f++)
		if (grp.f[f].cpu == cpu)
			return f;
	if (grp.nr == SLUB_MAX_FIBERS)
		return -1;
	grp.nr++;
	grp.f[grp.nr].cpu = cpu;
	grp.f[grp.nr].nr = 0;
	return grp.nr;
}

/* What the finding says of the group: its events, where each ran. */
static void describe(struct fz_state *x)
{
	size_t len = 0;

	len += (size_t)snprintf(x->group_desc, sizeof(x->group_desc),
				"in the concurrent group of events %d..%d:", grp.first, grp.last);
	for (int f = 1; f <= grp.nr && len < sizeof(x->group_desc); f++) {
		len += (size_t)snprintf(x->group_desc + len, sizeof(x->group_desc) - len,
					" cpu %d runs", grp.f[f].cpu);
		for (int i = 0; i < grp.f[f].nr && len < sizeof(x->group_desc); i++)
			len += (size_t)snprintf(x->group_desc + len, sizeof(x->group_desc) - len,
						" %d%s", grp.f[f].ev[i],
						i + 1 < grp.f[f].nr ? "," : f < grp.nr ? ";" : "");
	}
}

/* Runs the group's events on their fibers; returns slub_sched_run's answer. */
static int run_fibers(struct fz_state *x, const struct prog_event *par)
{
	struct slub_sched_config cfg;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.seed = (uint32_t)par->arg[1];
	cfg.depth = (int)par->arg[2];
	for (int j = grp.first; j <= grp.last; j++)
		if (grp.events[j].op == OP_SWITCH && cfg.nr_switches < SLUB_MAX_SWITCHES) {
			cfg.sw[cfg.nr_switches].site = (uint32_t)grp.events[j].arg[0];
			cfg.sw[cfg.nr_switches++].nth = (int)grp.events[j].arg[1];
		}
	for (int f = 1; f <= grp.nr; f++) {
		memset(&x->fb[f], 0, sizeof(x->fb[f]));
		x->fb[f].ev = -1;
		x->fb[f].busy_slot = -1;
		grp.task[f - 1].fn = smp_fiber;
		grp.task[f - 1].arg = &grp.f[f];
		grp.task[f - 1].cpu = grp.f[f].cpu;
	}
	x->oom_mark = slub_pages_oom_count();
	slub_sched_set_switch_hook(smp_switch, x);
	slub_sched_set_site_hook(smp_site, x);
	rc = slub_sched_run(grp.task, grp.nr, &cfg);
	slub_sched_set_switch_hook(NULL, NULL);
	slub_sched_set_site_hook(NULL, NULL);
	fz_interleave_install(); /* the engines' hook again, where they have one */
	fz_digest(x, (uint32_t)slub_sched_switches());
	if (fz_verbose >= 2)
		fprintf(stderr, "--- the group ends: %lu yield points, %lu switches\n",
			slub_sched_points(), slub_sched_switches());
	return rc;
}

/* A fiber that died in a BUG or panic (a deadlock or livelock report among them). */
static void judge_deaths(struct fz_state *x, int rc)
{
	if (rc == SLUB_BOOT_EINVAL) {
		fz_finding(x, "slub_sched_run refused the group's tasks: %s", x->fb[0].first_report);
		return;
	}
	for (int f = 1; f <= grp.nr; f++)
		if (grp.task[f - 1].result == SLUB_BOOT_PANIC && !x->failed) {
			fz_finding(x, "the allocator hit BUG or panic on cpu %d: %s", grp.f[f].cpu,
				   x->fb[f].first_report);
			x->fail_event = x->fb[f].ev;
			x->fail_cpu = grp.f[f].cpu;
		}
}

/*
 * The `par` event at x->cur and the group after it. Returns 1 if the run is over (the
 * allocator died), else 0 with x->cur on the group's last event.
 */
int fz_smp_group(struct fz_state *x, const struct prog_event *ev, int nr)
{
	const struct prog_event *par = &ev[x->cur];
	int cpu = slub_get_cpu(), smp = fz_steps_done() >= 3, rc;
	unsigned long cost = 0;

	grp.x = x;
	grp.events = ev;
	grp.first = x->cur + 1;
	grp.last = x->cur;
	grp.nr = 0;
	/* the group: up to count events, until one that may not run at once */
	for (int j = grp.first; j < nr && j <= x->cur + (int)par->arg[0]; j++) {
		const struct prog_event *e = &ev[j];

		if (e->op == OP_CPU) {
			/* secondary cpus come up after kmem_cache_init_late (op_cpu's rule) */
			if (smp)
				cpu = fz_next_online_cpu(x, e->arg[0] % x->cpus);
		} else if (e->op != OP_SWITCH) {
			int f;

			if (!fz_smp_concurrent(e->op) || (f = fiber_of(cpu)) < 0)
				break;
			grp.f[f].ev[grp.f[f].nr++] = j;
		}
		grp.last = j;
	}
	if (grp.nr <= 1) {
		/* one cpu: nothing to interleave; the events run as they would without `par` */
		for (x->cur = grp.first; x->cur <= grp.last && !x->out_of_budget; x->cur++)
			if (fz_run_event(x, &ev[x->cur]))
				return 1;
		x->cur = grp.last;
		return 0;
	}
	for (int j = grp.first; j <= grp.last; j++)
		cost += fz_event_cost(x, &ev[j], 0);
	x->spent += cost + fz_event_cost(x, par, 1); /* and the checks at its end */
	if (x->spent > FZ_BUDGET) {
		x->out_of_budget = 1;
		fz_digest(x, 0xb0d6e7u);
		return 0;
	}
	fz_begin_event(x); /* the group's own (fb[0]): what its end's checks report */
	fz_digest(x, (uint32_t)OP_PAR);
	fz_digest(x, (uint32_t)(par->arg[1] << 8 | par->arg[2]));
	claim(x);
	describe(x);
	if (fz_verbose >= 2)
		fprintf(stderr, "--- %s\n", x->group_desc);
	x->in_group = 1;
	x->switched = 1; /* space.c: judged only outside groups */
	rc = run_fibers(x, par);
	judge_deaths(x, rc);
	fz_pool_compact(x);
	slub_set_cpu(cpu); /* the group's last cpu event holds after it, as sequentially */
	fz_digest(x, (uint32_t)slub_get_cpu());
	/* the quiescent point: everything the strict checker and the model check per event */
	if (!slub_tainted() && !x->failed) {
		fz_check_live(x);
		fz_space_group_end(x);
		fz_model_event_end(x);
		fz_check_consistency(x, 1, "after the concurrent group");
		fz_check_accounting(x, "after the concurrent group");
	}
	x->in_group = 0;
	if (x->failed) {
		x->cur_ev = x->fail_event >= grp.first && x->fail_event <= grp.last ?
				    &ev[x->fail_event] : NULL;
		fz_report_and_abort(x);
	}
	x->group_desc[0] = '\0';
	x->fail_cpu = -1;
	x->cur = grp.last;
	return slub_tainted();
}
