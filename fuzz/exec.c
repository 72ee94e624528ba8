/* exec.c - runs a fuzz program against the allocator: boots it in steps with the events in
 * between, performs each event on the harness's slots with the oracle checking after it, and
 * tears everything down so that every page must come back. The hooks are in hooks.c, the
 * objects and caches in objects.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* ---- boot steps ---- */

/*
 * The boot code's own stops on an allocation that failed: 2.6.36 (with 10/19, 11/19 and the
 * seed) BUG_ONs or panics right where it finds the NULL, in these functions only.
 * kmem_cache_init: BUG_ON(!s) after kasprintf (and fixed's checks of the boot structures);
 * kmem_cache_init_late: fixed's BUG_ON(!name) (UPSTREAM_DMA_NAME_UNCHECKED);
 * create_kmalloc_cache: "Creation of kmalloc slab"; early_kmem_cache_node_alloc:
 * BUG_ON(!page); kmem_cache_open: SLAB_PANIC's "Cannot create slab". create_unique_id's
 * BUG_ON(!name) is not one of them: it is a catalogued defect (UPSTREAM_UNIQUE_ID_BUG_ON).
 */
static const char *const nomem_stops[] = {
	"kmem_cache_init", "kmem_cache_init_late", "create_kmalloc_cache",
	"early_kmem_cache_node_alloc", "kmem_cache_open",
};

/*
 * Whether a boot step's panic is what the kernel does at that point because an allocation
 * failed: the fatal report came from one of the stops above, and the step's last allocation
 * decision before it was a failure (injected, or a real shortage). A failure that the code
 * survived (an order fallback that then succeeded, a NULL name used on) excuses nothing that
 * comes after it.
 */
static int step_panic_explained(const struct fz_state *x)
{
	if (!x->step_fatal_func ||
	    !(x->step_last_failed || slub_pages_oom_count() > x->step_last_oom))
		return 0;
	for (size_t i = 0; i < sizeof(nomem_stops) / sizeof(nomem_stops[0]); i++)
		if (!strcmp(x->step_fatal_func, nomem_stops[i]))
			return 1;
	return 0;
}

/* Runs the next boot step. Returns 1 if it ended in a panic (the run is over), else 0; a
 * panic that no failed allocation explains is a finding. */
static int run_step(struct fz_state *x)
{
	enum slub_boot_step st = slub_boot_next_step();
	int rc;

	if (st >= SLUB_BOOT_NR_STEPS)
		return 0;
	x->in_boot_step = 1;
	x->step_injected = 0;
	x->step_oom_start = slub_pages_oom_count();
	x->step_last_failed = 0;
	x->step_last_oom = x->step_oom_start;
	x->step_fatal_func = NULL;
	rc = slub_boot_step(st);
	x->in_boot_step = 0;
	if (rc == SLUB_BOOT_OK)
		fz_model_boot_step_done(x);
	fz_digest(x, (uint32_t)(rc + 100));
	if (rc == SLUB_BOOT_PANIC) {
		/* a failure injected, or memory too small to boot: the kernel panics too */
		if (step_panic_explained(x))
			return 1;
		if (x->step_injected || fz_oom_since(x, x->step_oom_start))
			fz_finding(x, "boot step %s panicked, but not where a failed allocation "
				   "stops the kernel: %s", prog_step_names[st], FZ_FB(x)->first_report);
		else
			fz_finding(x, "boot step %s panicked with no failed page allocation: %s",
				   prog_step_names[st], FZ_FB(x)->first_report);
		return 1;
	}
	if (rc != SLUB_BOOT_OK)
		fz_finding(x, "slub_boot_step(%s) returned %d", prog_step_names[st], rc);
	return 0;
}

/* ---- events ---- */

static void op_alloc(struct fz_state *x, const struct prog_event *e, int node_arg)
{
	int slot = (int)e->arg[0], c = (int)e->arg[1];
	struct kmem_cache *s = x->cache[c].s;
	int node = node_arg ? fz_node(x, e->arg[3]) : -1;
	gfp_t gfp;
	void *p;

	if (!s)
		return;
	fz_obj_release(x, slot, "freed before a new alloc into its slot");
	gfp = fz_gfp(x, e->arg[2], 1, x->cache[c].ctor);
	p = node_arg ? kmem_cache_alloc_node(s, gfp, node) : kmem_cache_alloc(s, gfp);
	fz_obj_install(x, slot, p, c, x->cache[c].size, gfp, node,
		    node_arg ? "kmem_cache_alloc_node" : "kmem_cache_alloc");
}

static void op_kmalloc(struct fz_state *x, const struct prog_event *e)
{
	int slot = (int)e->arg[0];
	size_t size = (size_t)e->arg[1];
	int node = e->op == OP_KMALLOC_NODE ? fz_node(x, e->arg[3]) : -1;
	gfp_t gfp = fz_gfp(x, e->arg[2], 0, 0);
	void *p;

	fz_obj_release(x, slot, "freed before a new kmalloc into its slot");
	if (e->op == OP_KZALLOC) {
		p = kzalloc(size, gfp);
		gfp |= __GFP_ZERO;
	} else if (e->op == OP_KMALLOC_NODE) {
		p = kmalloc_node(size, gfp, node);
	} else {
		p = kmalloc(size, gfp);
	}
	fz_obj_install(x, slot, p, -1, size, gfp, node, prog_op_name(e->op));
}

static void op_krealloc(struct fz_state *x, const struct prog_event *e)
{
	int slot = (int)e->arg[0];
	struct fz_obj *o = &x->obj[slot];
	size_t size = (size_t)e->arg[1], keep;
	gfp_t gfp = fz_gfp(x, e->arg[2], 0, 0);
	unsigned char *p;
	int fresh;

	if (o->addr && o->cache >= 0)
		return; /* krealloc is for kmalloc memory */
	if (o->addr)
		fz_check_pattern(x, slot, 1, "before krealloc");
	p = krealloc(o->addr, size, gfp);
	fz_digest_ptr(x, p);
	if (!size) {
		if ((void *)p != ZERO_SIZE_PTR)
			fz_finding(x, "krealloc to 0 bytes returned %p, not ZERO_SIZE_PTR", (void *)p);
		o->addr = ZERO_SIZE_PTR;
		o->size = 0;
		return;
	}
	if (!p) {
		fz_check_null(x, "krealloc"); /* the old object stays */
		return;
	}
	keep = o->addr ? (o->size < size ? o->size : size) : 0;
	for (size_t i = 0; i < keep; i++)
		if (p[i] != o->fill) {
			fz_finding(x, "krealloc from %zu to %zu bytes: byte %zu is %#x, not %#x",
				   o->size, size, i, p[i], o->fill);
			break;
		}
	fz_check_new(x, p, -1, size, gfp & ~__GFP_ZERO, -1, "krealloc");
	if (!keep)
		o->fill = fz_fill_byte(x, slot);
	memset(p + keep, o->fill, size - keep);
	/* __krealloc keeps an object whose ksize suffices; else kmalloc(new_size) */
	fresh = p != o->addr || !o->addr || o->addr == (unsigned char *)ZERO_SIZE_PTR;
	if (fresh)
		o->slab = fz_model_kmalloc_cache(x, size, gfp);
	o->addr = p;
	o->cache = -1;
	o->size = size;
	if (fresh)
		fz_model_check_new(x, slot, gfp, -1, "krealloc");
	else
		fz_model_check_owner(x, slot, "krealloc");
}

static void op_cpu(struct fz_state *x, const struct prog_event *e)
{
	int cpu = (int)(e->arg[0] % x->cpus), rc, want;

	if (fz_steps_done() < 3)
		return; /* secondary cpus come up after kmem_cache_init_late */
	switch (e->op) {
	case OP_CPU:
		slub_set_cpu(fz_next_online_cpu(x, cpu));
		fz_digest(x, (uint32_t)slub_get_cpu());
		return;
	case OP_CPU_DOWN: {
		int online = 0;

		for (int i = 0; i < x->cpus; i++)
			online += x->cpu_online[i];
		want = !x->cpu_online[cpu] ? -EINVAL :
		       (cpu == slub_get_cpu() || online == 1) ? -EBUSY : 0;
		rc = slub_cpu_down(cpu);
		if (!rc)
			x->cpu_online[cpu] = 0;
		break;
	}
	default:
		want = x->cpu_online[cpu] ? -EINVAL : 0;
		rc = slub_cpu_up(cpu);
		if (!rc)
			x->cpu_online[cpu] = 1;
		if (rc == -ENOMEM && FZ_FB(x)->ev_injected)
			want = rc;
		break;
	}
	fz_digest(x, (uint32_t)(rc + 1000));
	if (rc != want)
		fz_finding(x, "%s(%d) returned %d, expected %d", prog_op_name(e->op), cpu, rc, want);
}

static void op_node(struct fz_state *x, const struct prog_event *e)
{
	struct fz_fiber *fb = FZ_FB(x);
	int n = fz_node(x, e->arg[0]), rc, want;
	int has_mem;

	if (!FZ_NUMA || fz_steps_done() < 3 || n < 0)
		return;
	has_mem = prog_node_pages(&x->prog->boot, n) != 0;
	if (e->op == OP_NODE_ONLINE) {
		want = (!has_mem || x->node_online[n]) ? -EINVAL : 0;
		rc = slub_node_online(n);
		/* the per-node structures could not be allocated: a failure on this call's path,
		 * not one inside an interrupt it let in */
		if (rc == -ENOMEM && (fb->outer_injected || fz_oom_count(x) - fb->ev_oom_start >
									fb->irq_ooms))
			want = rc;
		if (!rc)
			x->node_online[n] = 1;
	} else {
		want = (!has_mem || !x->node_online[n]) ? -EINVAL : 0;
		rc = slub_node_offline(n);
		if (rc == -EBUSY && !want && slub_node_pages_in_use(n))
			want = rc; /* pages still in use: the normal refusal */
		if (!rc) {
			x->node_online[n] = 0;
			if (slub_node_pages_in_use(n))
				fz_finding(x, "node %d went offline with %lu pages in use", n,
					   slub_node_pages_in_use(n));
			for (int i = 0; i < PROG_NSLOTS + x->pool_n; i++) {
				struct fz_obj *lo = fz_obj_at(x, i);

				if (lo->addr && lo->addr != ZERO_SIZE_PTR &&
				    slub_addr_to_node(lo->addr) == n)
					fz_finding(x, "node %d went offline under the live object in "
						   "slot %d", n, i);
			}
		}
	}
	fz_digest(x, (uint32_t)(rc + 2000));
	if (rc != want)
		fz_finding(x, "%s(%d) returned %d, expected %d", prog_op_name(e->op), n, rc, want);
}

/*
 * `cat /proc/slabinfo`: a line per cache, s->name first. Whatever it prints is only read:
 * what matters is that every name it prints is still memory the kernel may read.
 */
static void slabinfo_read(const char *line, void *arg)
{
	(void)line;
	(void)arg;
}

/* Performs one event. Returns 1 if the run is over (an explained panic in a boot step). */
int fz_do_event(struct fz_state *x, const struct prog_event *e)
{
	/* arg 0 is a slot for the ops that use o; for the others o is unused */
	struct fz_obj *o = &x->obj[e->arg[0] >= 0 ? e->arg[0] % PROG_NSLOTS : 0];
	struct fz_rule r;

	switch ((enum prog_op)e->op) {
	case OP_CREATE:
		fz_cache_create(x, (int)e->arg[0], (size_t)e->arg[1], (size_t)e->arg[2], e->arg[3],
			  (int)e->arg[4]);
		break;
	case OP_CREATE_NAMED:
		fz_cache_create_named(x, (int)e->arg[0], (size_t)e->arg[1], 0, e->arg[2],
				      (int)e->arg[3], prog_cache_names[e->arg[4]]);
		break;
	case OP_DESTROY: fz_cache_destroy(x, (int)e->arg[0]); break;
	case OP_ALLOC: op_alloc(x, e, 0); break;
	case OP_ALLOC_NODE: op_alloc(x, e, 1); break;
	case OP_FREE: fz_obj_release(x, (int)e->arg[0], "before free"); break;
	case OP_KMALLOC:
	case OP_KMALLOC_NODE:
	case OP_KZALLOC:
		op_kmalloc(x, e);
		break;
	case OP_KFREE:
		if (o->addr)
			fz_obj_release(x, (int)e->arg[0], "before kfree");
		else
			kfree(NULL);
		break;
	case OP_KSIZE:
		if (o->addr) {
			size_t ks = ksize(o->addr);

			fz_digest(x, (uint32_t)ks);
			if (ks < o->size || (o->addr == (unsigned char *)ZERO_SIZE_PTR && ks))
				fz_finding(x, "ksize %zu for a %zu-byte object", ks, o->size);
		}
		break;
	case OP_KREALLOC: op_krealloc(x, e); break;
	case OP_SHRINK:
		if (x->cache[e->arg[0]].s) {
			int rc = kmem_cache_shrink(x->cache[e->arg[0]].s);

			slub_note_cache(x->cache[e->arg[0]].s); /* its lists changed, maybe no stat */
			fz_digest(x, (uint32_t)(rc + 3000));
			if (rc && !FZ_FB(x)->outer_injected && !fz_oom_since(x, FZ_FB(x)->ev_oom_start))
				fz_finding(x, "kmem_cache_shrink returned %d", rc);
			if (!rc)
				fz_model_after_shrink(x, x->cache[e->arg[0]].s);
		}
		break;
	case OP_CPU:
	case OP_CPU_DOWN:
	case OP_CPU_UP:
		op_cpu(x, e);
		break;
	case OP_NODE_ONLINE:
	case OP_NODE_OFFLINE:
		op_node(x, e);
		break;
	case OP_VALIDATE: fz_validate(x, 0); break;
	case OP_WRITE:
		if (o->addr && o->size) {
			fz_check_pattern(x, (int)e->arg[0], 1, "before write");
			o->fill = (uint8_t)e->arg[1];
			memset(o->addr, o->fill, o->size);
		}
		break;
	case OP_CHECK:
		if (o->addr)
			fz_check_pattern(x, (int)e->arg[0], 1, "on check");
		break;
	case OP_RCU: fz_digest(x, (uint32_t)slub_rcu_grace_period()); break;
	case OP_FAIL_NTH:
		memset(&r, 0, sizeof(r));
		r.any = 1;
		r.skip = (int)e->arg[0];
		r.count = (int)e->arg[1];
		fz_add_rule(x, &r);
		break;
	case OP_FAIL_MATCH:
		memset(&r, 0, sizeof(r));
		r.order = (int)e->arg[0];
		r.node = fz_node(x, e->arg[1]);
		r.gfpclass = (int)e->arg[2];
		r.count = (int)e->arg[3];
		fz_add_rule(x, &r);
		break;
	case OP_IRQ:
	case OP_IRQ_AT:
	case OP_MIGRATE:
	case OP_MIGRATE_AT: fz_arm(x, e); break;
	case OP_FAIL_CLEAR:
		x->nr_rules = 0;
		fz_disarm(x);
		x->sysfs_count = 0;
		x->failslab_count = x->percpu_count = 0;
		break;
	case OP_BOOT_STEP: return run_step(x);
	case OP_PTR_VALIDATE:
		if (o->addr && o->cache >= 0 &&
		    kmem_ptr_validate(x->cache[o->cache].s, o->addr) != 1)
			fz_finding(x, "kmem_ptr_validate refuses a live object of its own cache");
		break;
	case OP_SYSFS_FAIL:
		x->sysfs_skip = (int)e->arg[0];
		x->sysfs_count = (int)e->arg[1];
		break;
	case OP_ATTR_STORE: fz_attr_store(x, (int)e->arg[0], (int)e->arg[1], (int)e->arg[2]); break;
	case OP_ATTR_WRITE:
		fz_attr_write(x, (int)e->arg[0], (int)e->arg[1], prog_attr_texts[e->arg[2]]);
		break;
	case OP_ATTR_SHOW: fz_attr_show(x, (int)e->arg[0], (int)e->arg[1]); break;
	case OP_FAILSLAB:
		x->failslab_skip = (int)e->arg[0];
		x->failslab_count = (int)e->arg[1];
		break;
	case OP_PERCPU_FAIL:
		x->percpu_skip = (int)e->arg[0];
		x->percpu_count = (int)e->arg[1];
		break;
	case OP_CORRUPT:
		fz_model_corrupt(x, (int)e->arg[0], (int)e->arg[1], (uint8_t)e->arg[2], 0, 0);
		break;
	case OP_CORRUPT_AT:
		fz_model_corrupt(x, (int)e->arg[0], (int)e->arg[1], (uint8_t)e->arg[3], 1,
				 (uint32_t)e->arg[2]);
		break;
	case OP_SLABINFO: slub_slabinfo(slabinfo_read, x); break;
	case OP_FILL:
		fz_pool_fill(x, (int)e->arg[0], (int)e->arg[1], e->arg[2], (int)e->arg[3]);
		break;
	case OP_POOL_FREE: fz_pool_free(x, (int)e->arg[0], (int)e->arg[1], (int)e->arg[2]); break;
	case OP_PAR: /* its group runs in smp.c */
	case OP_SWITCH: /* a directive of the group it is in; alone, nothing */
	case PROG_NR_OPS:
		break;
	}
	return 0;
}

struct fz_call {
	struct fz_state *x;
	const struct prog_event *e;
	int over;
};

static void event_body(void *arg)
{
	struct fz_call *c = arg;

	c->over = fz_do_event(c->x, c->e);
}

void fz_begin_event(struct fz_state *x)
{
	struct fz_fiber *fb = FZ_FB(x);

	fb->ev_requests = 0;
	fb->ev_injected = 0;
	fb->nr_reqs = 0;
	fb->outer_injected = fb->irq_injected = fb->irq_ooms = 0;
	fb->failslab_outer = fb->failslab_irq = 0;
	fb->took = fb->fired_after_take = fb->interrupted = 0;
	fb->ev_oom_start = fz_oom_count(x);
	fb->first_report[0] = '\0';
	memset(fb->ev_reports, 0, sizeof(fb->ev_reports));
	fb->away = 0;
}

/* Reports the allocator made during the event that nothing the harness did explains. */
void fz_judge_reports(struct fz_state *x, int panic_explained)
{
	struct fz_fiber *fb = FZ_FB(x);
	unsigned long bad = fb->ev_reports[SLUB_REPORT_WARN] + fb->ev_reports[SLUB_REPORT_SLAB_ERR] +
			    fb->ev_reports[SLUB_REPORT_LEAK];

	if (!panic_explained)
		bad += fb->ev_reports[SLUB_REPORT_BUG] + fb->ev_reports[SLUB_REPORT_PANIC];
	if (bad)
		fz_finding(x, "the allocator reported: %s", fb->first_report);
}

/*
 * The strict checker walks every slab and freelist of the caches it looks at. After each
 * event it looks at the caches that served an allocation or a free during it, and those the
 * event changed otherwise (a created or shrunk cache); every cache is walked after the events
 * that reach every cache (cpu and node hotplug, boot steps, RCU's deferred frees), every 32nd
 * event, and at the teardown of a thorough run, so a problem outside the touched caches is
 * still caught, a few events late. fz_check_all walks every cache after every event.
 */
static int consistency_all_due(const struct fz_state *x, const struct prog_event *e)
{
	if (fz_check_all || x->cur % 32 == 0)
		return 1;
	switch ((enum prog_op)e->op) {
	case OP_CPU_DOWN:
	case OP_CPU_UP:
	case OP_NODE_ONLINE:
	case OP_NODE_OFFLINE:
	case OP_BOOT_STEP:
	case OP_RCU:
	case OP_CORRUPT:
	case OP_CORRUPT_AT:
		return 1;
	default:
		return 0;
	}
}

/*
 * The cost budget: what a run may spend on events, in units of roughly a microsecond of the
 * libFuzzer build, so that no input of max_len bytes runs for more than about a second (a
 * 1024-node machine walking every cache after each of 4096 cheap events would take minutes).
 * Walking every cache costs about 32 units a node or cpu, walking the caches an event touched
 * half a unit; an event that visits every cache or node (hotplug, shrink, create, destroy,
 * validate) 4 more a node or cpu; the event itself 1. Nodes and cpus count 2^min_order times
 * (a slab of that many pages: a create on 256 nodes at min_order=3 walks 256 order-3
 * kmem_cache_node slabs, and was under-charged eightfold before). Once the budget is
 * spent the remaining events are not run, and the digest says so. It depends on the program
 * alone, so a restored machine and a booted one cut at the same event.
 */
unsigned long fz_event_cost(const struct fz_state *x, const struct prog_event *e, int all)
{
	/*
	 * slabs of 2^min_order pages hold that many times the objects to walk, up to order 7,
	 * where even 8-byte objects reach MAX_OBJS_PER_PAGE
	 */
	int order = x->prog->boot.min_order < 7 ? x->prog->boot.min_order : 7;
	unsigned long width = (unsigned long)(x->nodes + x->cpus) << order;
	unsigned long cost = all ? 32 * width : width / 2;

	switch ((enum prog_op)e->op) {
	case OP_CREATE:
	case OP_CREATE_NAMED:
	case OP_DESTROY:
	case OP_SHRINK:
	case OP_CPU_DOWN:
	case OP_CPU_UP:
	case OP_NODE_ONLINE:
	case OP_NODE_OFFLINE:
	case OP_BOOT_STEP:
	case OP_RCU:
	case OP_VALIDATE:
	case OP_ATTR_STORE: /* any_slab_objects, shrink, validate: every node */
	case OP_ATTR_WRITE:
	case OP_ATTR_SHOW: /* show_slab_objects and list_locations: every node and cpu */
	case OP_SLABINFO: /* every cache, every node */
		return cost + 4 * width;
	case OP_FILL: /* an allocation, its checks and its fill per object */
	case OP_POOL_FREE: /* a full pattern check and a free per object */
		return cost + 4 * (unsigned long)e->arg[e->op == OP_FILL ? 1 : 0];
	default:
		return cost + 1;
	}
}

/* Runs one event with the checks after it. Returns 1 if the run is over. */
int fz_run_event(struct fz_state *x, const struct prog_event *e)
{
	struct fz_call call = { x, e, 0 };
	int rc, all = consistency_all_due(x, e);

	x->spent += fz_event_cost(x, e, all);
	if (x->spent > FZ_BUDGET) {
		/* this and the remaining events are not run, as if the program ended here */
		x->out_of_budget = 1;
		fz_digest(x, 0xb0d6e7u);
		return 0;
	}
	fz_begin_event(x);
	x->cur_ev = e;
	FZ_FB(x)->busy_slot = -1;
	for (int i = 0; i < prog_op_nargs(e->op); i++)
		if (prog_op_arg(e->op, i) == PK_SLOT)
			FZ_FB(x)->busy_slot = (int)e->arg[i];
	fz_digest(x, (uint32_t)e->op);
	if (fz_verbose >= 2) {
		fprintf(stderr, "--- %s event %d: ", x->in_workload ? "workload" : "program", x->cur);
		prog_print_event(stderr, &x->prog->boot, e);
		fprintf(stderr, " (cpu %d)\n", slub_get_cpu());
	}
	rc = slub_protected(event_body, &call);
	if (rc && !call.over)
		fz_finding(x, "the allocator hit BUG or panic: %s", FZ_FB(x)->first_report);
	fz_judge_reports(x, call.over);
	if (!call.over && !slub_tainted()) {
		fz_check_live(x);
		fz_model_event_end(x);
		fz_check_consistency(x, all, "after the event");
	}
	if (x->failed)
		fz_report_and_abort(x);
	return call.over || slub_tainted();
}

/* The event at x->cur, or the concurrent group a `par` there opens (smp.c). 1: over. */
static int run_next(struct fz_state *x, const struct prog_event *ev, int nr)
{
	if (ev[x->cur].op == OP_PAR)
		return fz_smp_group(x, ev, nr);
	return fz_run_event(x, &ev[x->cur]);
}

/* ---- boot, events, teardown ---- */

static void fz_config(const struct fz_state *x, struct slub_config *cfg)
{
	const struct prog_boot *b = &x->prog->boot;

	slub_config_default(cfg);
	cfg->nr_node_ids = x->nodes;
	cfg->nr_cpu_ids = b->cpus;
	for (int n = 0; n < x->nodes; n++) {
		cfg->node_pages[n] = prog_node_pages(b, n);
		cfg->node_offline[n] = (unsigned char)prog_node_offline_at_boot(b, n);
	}
	cfg->dma_pages = (unsigned int)b->dma_pages;
	cfg->cache_line_size = b->cache_line;
	cfg->kmalloc_min_size = b->kmalloc_min;
	cfg->slub_min_order = b->min_order;
	cfg->slub_max_order = b->max_order;
	cfg->slub_min_objects = b->min_objects;
	cfg->slub_nomerge = b->nomerge;
	cfg->slub_debug = prog_debug_table[b->debug];
}

static void teardown_body(void *arg)
{
	struct fz_state *x = arg;

	/* a thorough run walks more: out of AFL++'s map, or the same input would vary */
	fz_machine_coverage(x, 0);
	fz_validate(x, x->thorough ? 1 : -1);
	fz_machine_coverage(x, 1);
	for (int i = 0; i < PROG_NSLOTS; i++)
		fz_obj_release(x, i, "freed at teardown");
	fz_pool_release(x, -1, "freed at teardown");
	for (int c = 0; c < PROG_NCACHES; c++)
		fz_cache_destroy(x, c);
	slub_rcu_grace_period();
}

static void teardown(struct fz_state *x)
{
	unsigned long leaked;
	char why[512];

	x->cur = -2;
	x->cur_ev = NULL;
	/* the kernel always finishes booting; the boot failure schedule still applies */
	fz_begin_event(x);
	while (fz_steps_done() < SLUB_BOOT_NR_STEPS && !x->failed)
		if (run_step(x)) {
			fz_judge_reports(x, 1);
			goto discard;
		}
	fz_judge_reports(x, 0);
	x->nr_rules = 0;
	fz_disarm(x);
	x->sysfs_count = 0;
	x->failslab_count = x->percpu_count = 0;
	if (!x->failed) {
		fz_begin_event(x);
		if (slub_protected(teardown_body, x))
			fz_finding(x, "the allocator hit BUG or panic at teardown: %s",
				   FZ_FB(x)->first_report);
		fz_judge_reports(x, 0);
	}
	if (!x->failed) {
		fz_machine_coverage(x, 0);
		fz_check_consistency(x, x->thorough ? 1 : -1, "before shutdown");
		fz_machine_coverage(x, 1);
	}
	if (x->failed)
		fz_report_and_abort(x);
	fz_begin_event(x);
	fz_model_end(x);
	fz_machine_coverage(x, 0);
	leaked = fz_machine_finish(x, why, sizeof(why));
	fz_machine_coverage(x, 1);
	fz_digest(x, (uint32_t)leaked);
	if (leaked && why[0])
		fz_finding(x, "leak check after teardown: %lu problem(s), first: %s", leaked, why);
	else if (leaked || FZ_FB(x)->ev_reports[SLUB_REPORT_LEAK])
		fz_finding(x, "shutdown: %lu pages not returned: %s", leaked, FZ_FB(x)->first_report);
	else
		fz_judge_reports(x, 0);
	if (x->failed)
		fz_report_and_abort(x);
	return;
discard:
	if (x->failed)
		fz_report_and_abort(x);
	fz_model_end(x);
	fz_machine_coverage(x, 0);
	fz_machine_discard(x);
	fz_machine_coverage(x, 1);
}

void fz_exec(struct fz_state *x)
{
	const struct prog_boot *b = &x->prog->boot;
	struct slub_config cfg;
	int rc;

	fz_objects_begin(x);
	fz_machine_coverage(x, 0);
	slub_sched_set_point_hook(NULL, NULL); /* an earlier run's, if it ended inside an event */
	if (fz_machine_resume(x)) {
		slub_set_report_hook(fz_report_hook, x);
		slub_set_page_alloc_hook(fz_pa_hook, x);
		slub_set_registry_hook(fz_registry_hook, x);
		slub_set_fault_hook(fz_fault_hook, x);
		/* the model's shadow as it was kept with the machine */
		fz_model_begin(x);
		if (!fz_model_resume(x->warm))
			fz_model_boot_step_done(x);
		goto events;
	}
	x->nodes = FZ_NUMA ? b->nodes : 1; /* !CONFIG_NUMA kernels have one node */
	x->cpus = b->cpus;
	x->cur = -1;
	FZ_FB(x)->busy_slot = -1;
	x->thorough = 1;
	for (int i = 0; i < PROG_NSLOTS; i++)
		x->obj[i].cache = -1;
	for (int n = 0; n < x->nodes; n++)
		x->node_online[n] = prog_node_pages(b, n) && !prog_node_offline_at_boot(b, n);
	for (int c = 0; c < x->cpus; c++)
		x->cpu_online[c] = 1;

	slub_set_report_hook(fz_report_hook, x);
	slub_set_page_alloc_hook(fz_pa_hook, x);
	slub_set_registry_hook(fz_registry_hook, x);
	slub_set_fault_hook(fz_fault_hook, x);
	fz_model_begin(x);
	fz_config(x, &cfg);

	fz_begin_event(x);
	rc = slub_boot_start(&cfg);
	if (rc) {
		fz_finding(x, "slub_boot_start rejected the configuration (%d)", rc);
		fz_report_and_abort(x);
	}
	slub_set_cpu(0);
	while (fz_steps_done() <= b->events_from) {
		if (run_step(x)) {
			fz_judge_reports(x, 1);
			goto discard;
		}
		fz_judge_reports(x, 0);
		if (x->failed)
			fz_report_and_abort(x);
	}
	fz_model_boot_done(x);
	fz_check_live(x);
	fz_check_consistency(x, 1, "after boot");
	/* validated whole once, so that later walks need only look at what changed since */
	fz_validate(x, 1);
	if (x->failed)
		fz_report_and_abort(x);
	fz_machine_keep(x);

events:
	fz_machine_coverage(x, 1);
	for (x->cur = 0; x->cur < x->prog->nr_events && !x->out_of_budget; x->cur++)
		if (run_next(x, x->prog->ev, x->prog->nr_events))
			goto discard;
	if (x->workload) {
		x->in_workload = 1;
		for (x->cur = 0; x->cur < x->workload->nr_events && !x->out_of_budget; x->cur++)
			if (run_next(x, x->workload->ev, x->workload->nr_events))
				goto discard;
		x->in_workload = 0;
	}
	if (fz_verbose >= 2)
		fz_dump_state(x, "before teardown,");
	teardown(x);
	goto out;
discard:
	if (x->failed)
		fz_report_and_abort(x);
	fz_model_end(x);
	fz_machine_coverage(x, 0);
	fz_machine_discard(x); /* after an explained panic: nothing to check */
	fz_machine_coverage(x, 1);
out:
	fz_model_end(x);
	/* after the shutdown or discard, which may still print a cache's name */
	fz_cache_names_free(x);
	slub_set_page_alloc_hook(NULL, NULL);
	slub_set_registry_hook(NULL, NULL);
	slub_set_fault_hook(NULL, NULL);
	slub_set_report_hook(NULL, NULL);
	fz_objects_begin(NULL);
}
