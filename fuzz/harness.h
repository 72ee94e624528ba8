/* harness.h - what the executor (exec.c), the oracle (oracle.c) and the entry point
 * (harness.c) share: the run state with its shadow of every live object and cache, and the
 * calls between them. Targets and drivers include fuzz.h instead. */
#ifndef SLUBFUZZ_HARNESS_H
#define SLUBFUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"
#include "prog.h"
#include "slub.h"

#ifndef SLUB_CONFIG_NONUMA
#define FZ_NUMA 1
#else
#define FZ_NUMA 0 /* a !CONFIG_NUMA kernel has one node */
#endif

#define FZ_CTOR_MARK 0xc7 /* what the "mark" constructor writes into byte 0 */
#define FZ_MAX_RULES 8

/* One live object, named by its slot. addr NULL: the slot is empty. */
struct fz_obj {
	unsigned char *addr;
	int cache; /* cache slot, or -1 for kmalloc */
	size_t size; /* requested size: the bytes the harness owns and fills */
	struct kmem_cache *slab; /* the cache it came from (get_slab's for kmalloc); NULL: none */
	uint8_t fill; /* every owned byte holds this */
};

/* One cache the program created. s NULL: the slot is empty. */
struct fz_cache {
	struct kmem_cache *s; /* may equal another slot's: kmem_cache_create merged them */
	size_t size;
	size_t align; /* as asked */
	unsigned long flags;
	int ctor;
	size_t min_align; /* what calculate_alignment promises for these arguments */
	/*
	 * The name handed to kmem_cache_create: the caller's own memory (host heap, so the
	 * sanitizers see every read of it), kept while the cache is the caller's and freed, as a
	 * module may, once kmem_cache_destroy returns (fz_cache_destroy).
	 */
	char *name;
};

/* A page-allocator failure rule armed by fail_nth / fail_match. */
struct fz_rule {
	int any; /* fail_nth: every request matches */
	int order, node, gfpclass; /* fail_match filters, -1 / GC_ANY for any */
	int skip; /* matching requests to let through first */
	int count; /* then fail this many */
};

struct fz_req {
	unsigned int order;
	int node; /* preferred node as the page allocator resolved it */
	int asked; /* as the caller asked: -1 for any */
	gfp_t gfp;
	int injected; /* the harness failed it */
};

/* A page request of the running event, as the model judges node placement by it. */
struct fz_req_rec {
	int node; /* as asked: -1 for any */
	int could_serve; /* that node alone had a block of the order when asked */
	int in_irq;
};
#define FZ_MAX_REQS 16

/*
 * What an event in flight owns, apart from the run's shared state: the page requests and
 * failures on its path (an interrupt's apart), the reports it caused, the slot it works on.
 * Sequential events use fb[0]; in a concurrent group (smp.c) fiber i's event uses fb[i], so
 * that fibers interleaving at yield points never read each other's. FZ_FB(x) is the running
 * one's (x->in_group is set only while a group of several fibers runs).
 */
struct fz_fiber {
	int in_irq, probing;
	unsigned long ev_requests, ev_injected;
	/*
	 * fz_oom_count() when the event began; in a group, the fiber's own count: refusals for
	 * want of memory while it ran (oom_own, summed at each switch away from it)
	 */
	unsigned long ev_oom_start, oom_own;
	struct fz_req last_req;
	struct fz_req_rec reqs[FZ_MAX_REQS];
	int nr_reqs;
	/* failures on whose path: the event's own calls, or an interrupt inside them */
	unsigned long outer_injected, irq_injected, irq_ooms;
	/* should_failslab failures on whose path: the event's own calls, or an interrupt's */
	unsigned long failslab_outer, failslab_irq;
	/*
	 * its allocation took its object (stat ALLOC_FASTPATH or ALLOC_SLOWPATH, outside an
	 * interrupt), and an interrupt or migration fired after that, before the model's check
	 * of the object (hooks.c fz_point, model.c)
	 */
	int took, fired_after_take;
	/* interrupts that ran inside the event: FZ_IRQ_AT_REQUEST | FZ_IRQ_AT_SITE (hooks.c) */
	int interrupted;
	int busy_slot; /* the event's object slot: an interrupt leaves it alone */
	struct kmem_cache *busy_cache; /* and its cache */
	/* reports during the event, by kind, and the first one's line */
	unsigned long ev_reports[SLUB_REPORT_PANIC + 1];
	char first_report[1024];
	/* in a group: the event it runs (program index), -1 before its first */
	int ev;
	int away; /* another fiber ran since its event began (smp.c) */
	unsigned long racy_counts; /* fz_smp_racy_slab_count's reports, excused */
};
#define FZ_FB(x) (&(x)->fb[(x)->in_group ? slub_sched_current() : 0])

/*
 * Where an armed interrupt or migration fires: at the skip+1-th legal meeting of a yield site
 * (`irq_at`, `migrate_at`) or, site FZ_AT_PAGE_REQUEST, of a page request (`irq`, `migrate`).
 */
#define FZ_AT_PAGE_REQUEST (-1)
#define FZ_IRQ_AT_REQUEST 1
#define FZ_IRQ_AT_SITE 2
struct fz_trigger {
	int armed, site, skip;
};

struct fz_state {
	const struct fuzz_target *target;
	const struct prog *prog;
	const struct prog *workload; /* the target's fixed events after the program's, or NULL */
	int cur; /* index of the running event; -1 during the initial boot */
	int in_workload; /* running the target's fixed workload: cur indexes it */
	const struct prog_event *cur_ev;

	struct fz_obj obj[PROG_NSLOTS];
	/*
	 * Pool objects held (fill / pool_free), oldest first, named PROG_NSLOTS + i where a slot
	 * is expected (fz_obj_at). Their storage is outside the run state (objects.c), which
	 * kept machines copy: empty when a machine is kept, as no event has run.
	 */
	int pool_n;
	struct fz_cache cache[PROG_NCACHES];
	unsigned long creates; /* names handed out */

	int nodes, cpus; /* as booted */
	unsigned char node_online[MAX_NUMNODES];
	unsigned char cpu_online[NR_CPUS];

	/* page allocator hook state */
	int in_boot_step;
	unsigned long step_injected;
	unsigned long step_oom_start; /* slub_pages_oom_count() then */
	/*
	 * a boot step's last allocation decision (page request, alloc_percpu): failed by the
	 * harness, or slub_pages_oom_count() when it was asked (a higher count now: it failed
	 * for want of memory); and the function of the step's fatal report (exec.c)
	 */
	int step_last_failed;
	unsigned long step_last_oom;
	const char *step_fatal_func;
	struct fz_rule rules[FZ_MAX_RULES];
	int nr_rules;
	/* the armed interrupt (what the last `irq` event does) and migration (hooks.c) */
	struct fz_trigger irq, mig;
	struct prog_event irq_ev;
	int mig_cpu;
	int switched; /* an interrupt or a migration ran in this event (space.c excuses) */
	int sysfs_skip, sysfs_count;
	/* should_failslab and alloc_percpu decisions armed by failslab / percpu_fail events */
	int failslab_skip, failslab_count;
	int percpu_skip, percpu_count;

	/* reports seen, by kind */
	unsigned long reports[SLUB_REPORT_PANIC + 1];
	/* a corrupt event: the report slub_debug owes (either text), and whether it came */
	const char *expect_report[2];
	unsigned long expect_seen;

	/* the running events' own state: [0] sequential, [i] a group's fiber i (smp.c) */
	struct fz_fiber fb[SLUB_MAX_FIBERS + 1];
	/* a concurrent group of several fibers runs (smp.c): the per-event oracle adapts */
	int in_group;
	unsigned long oom_mark; /* slub_pages_oom_count() at the group's last switch */
	char group_desc[512]; /* the group's events and cpus, for the finding */

	/* the first finding, if any */
	int failed;
	int fail_event;
	int fail_cpu; /* in a concurrent group: the cpu whose event found it; else -1 */
	char why[1024];

	uint32_t digest[2];
	unsigned long ctor_calls;

	unsigned long spent; /* of the cost budget (exec.c) */
	int out_of_budget;
	int corrupted; /* a corrupt event wrote allocator metadata: fz_check_accounting is off */

	/* the snapshot this run's machine came from or was saved as; NULL: a cold run */
	const struct slub_snapshot *warm;
	/* walk every cache at teardown and shut down: cold runs, and every so often a warm one */
	int thorough;
};

/* 0 quiet, 1 print programs, 2 also echo printk and every report (harness.c). */
extern int fz_verbose;
/* Non-zero: the full strict checker after every event, not only where exec.c finds it due. */
extern int fz_check_all;

/* Non-zero: every input boots and shuts down (fuzz_set_cold). */
extern int fz_cold;

/* ---- machine.c ---- */

/*
 * Booted machines kept at most, each with its model shadow (model.c); the least recently used
 * goes first. A campaign's corpus holds many boot headers: from the shipped corpus, libFuzzer
 * kept (booted and saved) a new machine for 24 % of its inputs with 32 kept and 16 % with 256
 * (60 s runs at -seed=1; 5,687 of 34,786 inputs with 256, whose snapshots took 67 MB). Inputs
 * whose boot panics on an injected failure (16 %) are never kept.
 */
#define FZ_MACHINES 256

/* Restores the machine kept for this input's boot, x as after that boot. 0: boot it. */
int fz_machine_resume(struct fz_state *x);
/* Keeps the machine just booted (and x as it is) for later inputs with the same boot. */
void fz_machine_keep(struct fz_state *x);
/* A clean run's end: the warm leak check, or a shutdown. Pages or problems found, 0 if none. */
unsigned long fz_machine_finish(struct fz_state *x, char *why, size_t why_len);
/* A run over after an explained panic: shut down, or leave a warm machine to be restored. */
void fz_machine_discard(struct fz_state *x);
/* AFL++ builds: the map leaves out booting, restoring, shutting down and teardown's walks
 * where machines are kept (on 0), and takes the events (on 1). A no-op elsewhere. */
void fz_machine_coverage(const struct fz_state *x, int on);

/* ---- interleave.c: which pairs of yield sites switched into each other, and where
 * interrupts and migrations fired ---- */

/* Installs the switch hook in libFuzzer and AFL++ builds (harness.c, once); elsewhere none. */
void fz_interleave_install(void);
/* The hook: counts the pair's slot, and in fuzzing builds tells the engine. */
void fz_interleave_note(uint32_t from_site, uint32_t to_site, void *arg);
/* A pair's slot, below fz_interleave_slots(); its count so far (saturating at 255). */
uint32_t fz_interleave_slot(uint32_t from_site, uint32_t to_site);
/* An interrupt (migration 0) or a migration fired at a site key, FZ_AT_PAGE_REQUEST for a page
 * request (hooks.c): its counter, and that counter's slot. */
void fz_interleave_point(int migration, int site);
uint32_t fz_interleave_point_slot(int migration, int site);
uint32_t fz_interleave_slots(void);
uint8_t fz_interleave_count(uint32_t slot);

/* ---- mutate.c: the schedule mutator ---- */

/*
 * Applies 1..3 mutations of concurrent groups (a new group, a switch, a reseed, an op, an
 * order, a switch dropped) to the input, decided by seed; returns its new size, or 0 if none
 * applied or the result would exceed max_size (data is then as it was).
 */
size_t fz_mutate_schedule(uint8_t *data, size_t size, size_t max_size, uint32_t seed);
/* One mutation of the kind given, as fz_mutate_schedule otherwise (the unit tests' way in). */
enum fz_mutation {
	FZ_MUT_GROUP, /* a new group over two cpus */
	FZ_MUT_SWITCH, /* a switch added or moved */
	FZ_MUT_PAIR, /* two switches at one shared lock class or field */
	FZ_MUT_RESEED, /* the PCT seed and depth */
	FZ_MUT_OP, /* an op of a group into another */
	FZ_MUT_COUNT, /* a group's count by one */
	FZ_MUT_ORDER, /* two neighbours of a group swapped */
	FZ_MUT_UNSWITCH, /* a switch dropped */
	FZ_MUT_INTERRUPT, /* an irq_at or migrate_at before an event, or one moved */
	FZ_MUT_NR,
	FZ_MUT_ANY = -1
};
size_t fz_mutate_one(uint8_t *data, size_t size, size_t max_size, uint32_t seed,
		     enum fz_mutation which);
/* Whether the input holds a group (the engines give the mutator more of those). */
int fz_mutate_has_group(const uint8_t *data, size_t size);
/* What it learns: an event of op met site for the (nth+1)-th time in a group (smp.c). */
void fz_mutate_learn(int op, uint32_t site, uint32_t nth);
/* What it knows: the most times one event of op met site, 0 if never; and forgetting it. */
int fz_mutate_learnt(int op, uint32_t site);
void fz_mutate_forget(void);
/* Learns into the file SLUBFUZZ_SITES_FILE names, shared with AFL++'s mutator, if it is set. */
void fz_mutate_share(void);

/* ---- exec.c ---- */

/* Runs the whole program (boot, events, workload, teardown); findings abort. */
void fz_exec(struct fz_state *x);
/* One event with the checks after it (1: the run is over), and its parts, for smp.c. */
int fz_run_event(struct fz_state *x, const struct prog_event *e);
void fz_begin_event(struct fz_state *x);
int fz_do_event(struct fz_state *x, const struct prog_event *e);
void fz_judge_reports(struct fz_state *x, int panic_explained);
/* The cost budget (exec.c): what an event and its checks cost, and a run may spend. */
#define FZ_BUDGET 400000UL
unsigned long fz_event_cost(const struct fz_state *x, const struct prog_event *e, int all);

/* ---- smp.c: concurrent groups ---- */

/* Whether op may run in a concurrent group. */
int fz_smp_concurrent(int op);
/* The `par` event at x->cur and its group; x->cur ends on the group's last event. 1: over. */
int fz_smp_group(struct fz_state *x, const struct prog_event *ev, int nr);
/* The oracle per operation, inside a group (no-ops outside one): a new object not live
 * already; a free of a live object the fiber owns; counters never negative. */
void fz_smp_handed_out(struct fz_state *x, int holder, const void *p, const char *what);
void fz_smp_release(struct fz_state *x, int holder, const void *p);
void fz_smp_counts(struct fz_state *x, struct kmem_cache *s, const void *page, const char *what);
/* The live set a group starts from: every object in a slot or the pool (claims call it). */
void fz_smp_live_begin(struct fz_state *x);
/* An interrupt may take slot (not another fiber's): 1, claiming it. */
int fz_smp_claim(struct fz_state *x, int slot);
/* pool_free inside a group: the entries it claimed. */
void fz_smp_pool_free(struct fz_state *x);
/*
 * Whether a report is validate_slab_node's count of a node's slabs below n->nr_slabs in a
 * validate another cpu of the group ran beside: 2.6.36 counts the lists under list_lock but
 * changes nr_slabs outside it (new_slab, discard_slab), and a cpu slab made after flush_all is
 * on no list, so the kernel prints that; not a finding (smp.c). The group's end checks the
 * counters at a quiescent point.
 */
int fz_smp_racy_slab_count(struct fz_state *x, const struct slub_report *r);

/* ---- objects.c ---- */

/* A slot's object (i < PROG_NSLOTS) or pool object i - PROG_NSLOTS. */
struct fz_obj *fz_obj_at(struct fz_state *x, int i);
/* Objects the harness holds from s (cache objects and kmalloc objects of its size class). */
unsigned long fz_live_objects(struct fz_state *x, const struct kmem_cache *s);
/* fill: up to n objects of cache slot c into the pool, or until the cache took a new slab. */
void fz_pool_fill(struct fz_state *x, int c, int n, int32_t gfp_idx, int until);
/* pool_free: n pool objects by way (enum prog_poolway), each checked first. */
void fz_pool_free(struct fz_state *x, int n, int way, int stride);
/* Drops the pool's freed entries, keeping the order of the rest. */
void fz_pool_compact(struct fz_state *x);
/* Frees the pool objects of cache slot c (-1: every one), oldest first. */
void fz_pool_release(struct fz_state *x, int c, const char *when);

void fz_objects_begin(struct fz_state *x); /* NULL when the run is over */
/* Boot steps completed: 1 after INIT, 2 after IRQS_ON, 3 after INIT_LATE, 4 after SYSFS. */
int fz_steps_done(void);
int fz_node(const struct fz_state *x, int32_t v); /* -1 stays -1 */
int fz_next_online_cpu(const struct fz_state *x, int32_t v);
/* The gfp a caller could legitimately pass here and now (prog_gfp_table index). */
gfp_t fz_gfp(const struct fz_state *x, int32_t idx, int for_cache, int ctor);
/* Refusals for want of memory since start (fz_oom_count then), on the running fiber's path. */
int fz_oom_since(const struct fz_state *x, unsigned long start);
unsigned long fz_oom_count(const struct fz_state *x);
/* A NULL from what: a finding unless a failure was injected or memory really ran out. */
void fz_check_null(struct fz_state *x, const char *what);
/* Checks a fresh object (alignment, ksize, zeroing, constructor, node). */
void fz_check_new(struct fz_state *x, unsigned char *p, int cache, size_t size, gfp_t gfp,
		  int node, const char *what);
/* Records an allocation's result in slot (NULL judged, an object checked and filled). */
void fz_obj_install(struct fz_state *x, int slot, void *ptr, int cache, size_t size,
		    gfp_t gfp, int node, const char *what);
/* Frees the slot's object by the API that allocated it, after checking its contents. */
void fz_obj_release(struct fz_state *x, int slot, const char *when);
uint8_t fz_fill_byte(const struct fz_state *x, int slot);
void fz_cache_create(struct fz_state *x, int c, size_t size, size_t align, int32_t cflags,
		     int ctor);
/* the same, named `given` (copied into the caller's own memory) rather than "fz-<n>" */
void fz_cache_create_named(struct fz_state *x, int c, size_t size, size_t align, int32_t cflags,
			   int ctor, const char *given);
void fz_cache_destroy(struct fz_state *x, int c); /* frees its objects first, then its name */
/* Frees the names of caches left undestroyed (a run that ended in a panic). */
void fz_cache_names_free(struct fz_state *x);

/* ---- attrs.c: the cache attribute events ---- */

void fz_attr_store(struct fz_state *x, int c, int attr, int value); /* writes "<value>\n" */
void fz_attr_write(struct fz_state *x, int c, int attr, const char *text); /* writes text */
void fz_attr_show(struct fz_state *x, int c, int attr);

/* ---- hooks.c ---- */

enum slub_pa_decision fz_pa_hook(const struct slub_pa_request *req, void *arg);
/* Arms an interrupt or migration event's trigger (exec.c's `irq`, `irq_at`, `migrate`, ...). */
void fz_arm(struct fz_state *x, const struct prog_event *e);
/* Disarms both, as fail_clear and the end of a run do. */
void fz_disarm(struct fz_state *x);
int fz_registry_hook(const char *op, const char *name, void *arg);
int fz_fault_hook(enum slub_fault what, const char *name, void *arg);
void fz_add_rule(struct fz_state *x, const struct fz_rule *r);

/* ---- model.c: the shadow of SLUB's contract ---- */

void fz_model_begin(struct fz_state *x);
void fz_model_end(struct fz_state *x);
void fz_model_boot_step_done(struct fz_state *x);
/* The shadow kept with a machine's snapshot, taken back on restore, dropped with it. */
void fz_model_boot_done(struct fz_state *x);
void fz_model_keep(const void *snap);
int fz_model_resume(const void *snap);
void fz_model_drop(const void *snap);
void fz_model_event_end(struct fz_state *x);
void fz_model_touch(struct fz_state *x, struct kmem_cache *s, int node);
int fz_model_cache_dies(const struct kmem_cache *s);
void fz_model_forget(struct fz_state *x, struct kmem_cache *s);
int fz_model_kmalloc_index(const struct fz_state *x, size_t size);
struct kmem_cache *fz_model_kmalloc_cache(const struct fz_state *x, size_t size, gfp_t gfp);
int fz_model_check_owner(struct fz_state *x, int slot, const char *when);
void fz_model_check_new(struct fz_state *x, int slot, gfp_t gfp, int node, const char *what);
struct page;
void fz_model_after_free(struct fz_state *x, struct kmem_cache *s, struct page *page,
			 const char *what);
void fz_model_after_shrink(struct fz_state *x, struct kmem_cache *s);
struct kmem_cache *fz_model_merge_target(const struct fz_state *x, const char *name, size_t size,
					 size_t align, unsigned long flags, int ctor);
int fz_model_cache_is_new(const struct kmem_cache *s);
const char *fz_model_cache_name(const struct kmem_cache *s);
int fz_model_could_serve(int node, gfp_t gfp, unsigned int order);
struct page *fz_model_slab_of(const void *addr);
void fz_model_corrupt(struct fz_state *x, int slot, int what, uint8_t byte, int at,
		      uint32_t off);

/* ---- space.c: the oracle for space ---- */

void fz_space_begin(struct fz_state *x);
void fz_space_end(void);
/* Each stat() the allocator makes (model.c's stat observer passes them on). */
void fz_space_stat(struct kmem_cache *s, int si); /* an enum stat_item (slub_def.h) */
/* A slab page of s on node goes back to the page allocator (model.c's observer). */
void fz_space_slab_freed(struct kmem_cache *s, int node);
/* After the event: (s, node) took or returned a slab during it. */
void fz_space_judge(struct fz_state *x, struct kmem_cache *s, int node);
void fz_space_event_end(struct fz_state *x);
/* A concurrent group's end: what it left that 2.6.36 allows stays allowed (smp.c). */
void fz_space_group_end(struct fz_state *x);

/* model.c's shadow, for space.c: the slabs of (s, node), and the slab just taken. */
int fz_model_on(void);
long fz_model_shadow_slabs(struct kmem_cache *s, int node);
struct page *fz_model_first_slab(struct kmem_cache *s, int node);
struct page *fz_model_next_slab(struct page *page);
struct page *fz_model_newest_slab(struct kmem_cache *s);
int fz_model_cache_alive(const struct kmem_cache *s);

/* ---- oracle.c ---- */

void fz_digest(struct fz_state *x, uint32_t v);
void fz_digest_ptr(struct fz_state *x, const void *p); /* offset in page, NULL-ness */
/* Records a finding (the first one wins); the executor reports it when the event ends. */
void fz_finding(struct fz_state *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the finding with the program, allocator state and dmesg, then aborts. */
/* Prints the finding and aborts; returns (clearing it) only for a known finding. */
void fz_report_and_abort(struct fz_state *x);
/* Clears the finding if the campaign knows it (fuzz/known.c): 1, the run goes on. */
int fz_finding_known(struct fz_state *x);
/* fuzz/known.c: findings a campaign already knows ($SLUBFUZZ_KNOWN). */
void fz_known_input(const uint8_t *data, size_t size);
int fz_known_finding(const char *why);
void fz_known_flush(void);
/* Prints the program, slabinfo and dmesg (repro and verbose replay). */
void fz_dump_state(struct fz_state *x, const char *title);

/* The bytes of a live object still hold its fill byte; full = every byte, else ends only. */
int fz_check_pattern(struct fz_state *x, int slot, int full, const char *when);
/* Invariants over every live object: alignment, ksize, no overlap, pattern ends. */
void fz_check_live(struct fz_state *x);
/* What calculate_alignment gives (mm/slub.c), as the oracle's own copy of the rule. */
size_t fz_calc_align(unsigned long flags, size_t align, size_t size, int cache_line);
/* The allocator's strict checker and validate: over every cache (all 1), the caches that
 * served an allocation or a free since the last such check (0), or since the last check of
 * every cache (-1). */
void fz_check_consistency(struct fz_state *x, int all, const char *when);
/*
 * Every object of a cache only the program allocates from is live in a slot or the pool, or
 * on a freelist (its slab's or its cpu's): a quiescent point's check (after a concurrent
 * group), off for the rest of a run once a corrupt event wrote into a cache's metadata.
 */
void fz_check_accounting(struct fz_state *x, const char *when);
void fz_validate(struct fz_state *x, int all);
/* Called for every report from the allocator. */
void fz_report_hook(const struct slub_report *r, void *arg);

#endif
