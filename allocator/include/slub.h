/* slub.h - the public interface of the user-space SLUB: kernel API (2.6.36 names) plus harness control. */
#ifndef SLUBFUZZ_SLUB_H
#define SLUBFUZZ_SLUB_H

#include <stddef.h>
#include <stdint.h>

/*
 * Compile-time ceilings. nr_node_ids and nr_cpu_ids are chosen at boot, up to these.
 * MAX_NUMNODES matches a NODES_SHIFT=10 kernel; NR_CPUS is the simulated CPU ceiling.
 */
#define MAX_NUMNODES 1024
#define NR_CPUS 64

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MAX_ORDER 11

typedef unsigned int gfp_t;

/* gfp bits, with the values and meanings of 2.6.36 include/linux/gfp.h */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_MOVABLE 0x08u
#define __GFP_WAIT 0x10u /* may sleep: the slow path re-enables interrupts */
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_COLD 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_REPEAT 0x400u
#define __GFP_NOFAIL 0x800u /* never failed by injection */
#define __GFP_NORETRY 0x1000u
#define __GFP_COMP 0x4000u
#define __GFP_ZERO 0x8000u
#define __GFP_NOMEMALLOC 0x10000u
#define __GFP_HARDWALL 0x20000u
#define __GFP_THISNODE 0x40000u /* no fallback to other nodes */
#define __GFP_RECLAIMABLE 0x80000u
#define __GFP_NOTRACK 0x200000u

#define GFP_NOWAIT 0u
#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOIO (__GFP_WAIT)
#define GFP_NOFS (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_DMA (__GFP_DMA)
#define GFP_THISNODE (__GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY)

/* kmem_cache_create flags, values of 2.6.36 include/linux/slab.h */
#define SLAB_DEBUG_FREE 0x00000100UL
#define SLAB_RED_ZONE 0x00000400UL
#define SLAB_POISON 0x00000800UL
#define SLAB_HWCACHE_ALIGN 0x00002000UL
#define SLAB_CACHE_DMA 0x00004000UL
#define SLAB_STORE_USER 0x00010000UL
#define SLAB_RECLAIM_ACCOUNT 0x00020000UL
#define SLAB_PANIC 0x00040000UL
#define SLAB_DESTROY_BY_RCU 0x00080000UL
#define SLAB_MEM_SPREAD 0x00100000UL
#define SLAB_TRACE 0x00200000UL
#define SLAB_DEBUG_OBJECTS 0x00400000UL
#define SLAB_NOLEAKTRACE 0x00800000UL
#define SLAB_NOTRACK 0x01000000UL
#define SLAB_FAILSLAB 0x02000000UL

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/* The kernel API. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node);
void kmem_cache_free(struct kmem_cache *s, void *x);
int kmem_cache_shrink(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);
const char *kmem_cache_name(struct kmem_cache *s);
int kmem_ptr_validate(struct kmem_cache *s, const void *object);

void *__kmalloc(size_t size, gfp_t flags);
void *__kmalloc_node(size_t size, gfp_t flags, int node);
void *kmalloc(size_t size, gfp_t flags);
void *kmalloc_node(size_t size, gfp_t flags, int node);
void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *x);
size_t ksize(const void *object);
void *krealloc(const void *p, size_t new_size, gfp_t flags);

/* ---- Harness control: not kernel API. ---- */

/* How the simulated machine and the slub boot options look for one boot. */
struct slub_config {
	int nr_node_ids; /* 1 .. MAX_NUMNODES */
	int nr_cpu_ids; /* 1 .. NR_CPUS; cpu c sits on node c % nr_node_ids */
	/* Pages of memory per node; 0 makes the node memoryless. */
	unsigned int node_pages[MAX_NUMNODES];
	/* Non-zero: the node's memory exists but is offline at boot (hotplug can add it). */
	unsigned char node_offline[MAX_NUMNODES];
	unsigned int dma_pages; /* ZONE_DMA size at the start of the first node with memory */
	int cache_line_size; /* cache_line_size(): power of two, 8 .. 256 */
	int kmalloc_min_size; /* KMALLOC_MIN_SIZE: power of two, 8 .. 256 */
	int slub_min_order; /* slub_min_order= */
	int slub_max_order; /* slub_max_order= */
	int slub_min_objects; /* slub_min_objects= (0: derived from nr_cpu_ids) */
	int slub_nomerge; /* slub_nomerge */
	const char *slub_debug; /* slub_debug= boot option text, NULL for none */
};

/*
 * Defaults: 1 node, 1 cpu, 1024 pages (4 MiB) on every node, kernel defaults otherwise. Raising
 * nr_node_ids alone may exceed the page arena (slub_boot then returns SLUB_BOOT_EINVAL and says
 * so in the dmesg): lower node_pages[] of the extra nodes.
 */
void slub_config_default(struct slub_config *cfg);

#define SLUB_BOOT_OK 0
/* configuration out of range; nothing was booted; why is in slub_dmesg() (KERN_ERR) */
#define SLUB_BOOT_EINVAL (-22)
#define SLUB_BOOT_PANIC (-1) /* the allocator panicked (reported through the hook) */

/*
 * Boots the page allocator and kmem_cache_init/kmem_cache_init_late. A panic during boot is
 * reported through the report hook and then returns SLUB_BOOT_PANIC; call slub_shutdown()
 * before booting again in every case but SLUB_BOOT_EINVAL.
 */
int slub_boot(const struct slub_config *cfg);

/*
 * Boot in steps, so a harness can run events between them where the kernel could: slub_boot
 * is slub_boot_start followed by every step in this order. INIT is kmem_cache_init (irqs off,
 * boot gfp mask); IRQS_ON is start_kernel turning interrupts on and widening gfp_allowed_mask;
 * INIT_LATE is kmem_cache_init_late (the dma-kmalloc caches); SYSFS is slab_sysfs_init, the
 * initcall that registers every cache made so far and the aliases saved before it.
 */
enum slub_boot_step {
	SLUB_BOOT_STEP_INIT,
	SLUB_BOOT_STEP_IRQS_ON,
	SLUB_BOOT_STEP_INIT_LATE,
	SLUB_BOOT_STEP_SYSFS,
	SLUB_BOOT_NR_STEPS
};
/* Sets up the machine (page allocator, cpus, boot options); the allocator is still DOWN. */
int slub_boot_start(const struct slub_config *cfg);
/*
 * Runs one step: SLUB_BOOT_OK, SLUB_BOOT_PANIC, or SLUB_BOOT_EINVAL if it is not the next
 * step in order (steps run once each, in enum order) or nothing was started.
 */
int slub_boot_step(enum slub_boot_step step);
/* The next step slub_boot_step will accept (SLUB_BOOT_NR_STEPS once booted). */
enum slub_boot_step slub_boot_next_step(void);

/*
 * Destroys every cache, frees every page and resets all state so that slub_boot can run again.
 * Pages still out after the teardown are named through the report hook (SLUB_REPORT_LEAK).
 * Returns the number of pages that had leaked (0 on a clean run).
 */
unsigned long slub_shutdown(void);
/*
 * Forgets the booted machine without destroying its caches or walking its pages, as
 * slub_shutdown does after a panic: for a machine whose leaks were checked already (a fuzz
 * target's kept machine, between two restores). Deliberate difference: no kernel has it.
 */
void slub_discard(void);

/*
 * A booted machine saved between two calls into the allocator, and put back exactly: every
 * global of the allocator and page allocator, struct pages, allocated pages with their
 * sanitizer state, per-cpu areas, registry and dmesg (snapshot.c). The decision, report and
 * registry hooks and printk echo are the caller's settings, not the machine's, and stay.
 * slub_snapshot_save returns NULL if nothing is booted, after a panic, out of host memory, or
 * in a Valgrind build. slub_snapshot_restore works whatever state the allocator is in (even
 * shut down). A snapshot is freed with slub_snapshot_free.
 */
struct slub_snapshot;
struct slub_snapshot *slub_snapshot_save(void);
void slub_snapshot_restore(const struct slub_snapshot *snap);
void slub_snapshot_free(struct slub_snapshot *snap);
/* The host memory a snapshot holds, in bytes (0 for NULL). */
size_t slub_snapshot_bytes(const struct slub_snapshot *snap);
/*
 * The leak check between two restores, once every object and cache the caller made is gone:
 * every page still out is a slab page of a live cache, each cache's nr_slabs counts its slab
 * pages, and the per-cpu areas are those of the snapshot. Returns the number of problems (the
 * first described in why), 0 when clean, -ENOMEM if it could not run.
 */
long slub_snapshot_leaks(const struct slub_snapshot *snap, char *why, size_t why_len);

/* The simulated current CPU (smp_processor_id()); 0 .. nr_cpu_ids-1. */
void slub_set_cpu(int cpu);
int slub_get_cpu(void);

/* Pages out of the page allocator, in total and on one node. 0 after shutdown. */
unsigned long slub_pages_in_use(void);
unsigned long slub_node_pages_in_use(int node);
/* Non-zero while node is going offline: its free pages are isolated, no allocation gets one. */
int slub_node_isolated(int node);
/*
 * Page allocations the page allocator refused because no free block could serve them (not
 * those the decision hook failed), since boot started.
 */
unsigned long slub_pages_oom_count(void);
/* The node of the page holding addr, or -1 if addr is not in the page arena. */
int slub_addr_to_node(const void *addr);

/* The page allocator's decision hook: asked before every page allocation. */
enum slub_pa_decision {
	SLUB_PA_GO_ON = 0, /* allocate normally */
	SLUB_PA_FAIL = 1, /* fail this allocation as if memory were short */
};
struct slub_pa_request {
	int node; /* preferred node (-1: the current cpu's) */
	unsigned int order;
	gfp_t gfp;
	const char *caller; /* function that asked, e.g. "allocate_slab" */
	int irqs_enabled; /* the kernel would run this with interrupts on (may sleep) */
	unsigned long seq; /* page allocations asked for since boot started, from 0 */
};
typedef enum slub_pa_decision (*slub_pa_hook_fn)(const struct slub_pa_request *req, void *arg);
void slub_set_page_alloc_hook(slub_pa_hook_fn fn, void *arg);

/* The report hook: every BUG/WARN/panic/slab error/leak passes through it. */
enum slub_report_kind {
	SLUB_REPORT_INFO = 0, /* printk of note, not an error */
	SLUB_REPORT_WARN, /* WARN_ON: execution goes on */
	SLUB_REPORT_SLAB_ERR, /* slub_debug found corruption ("BUG <cache>: ..."): goes on */
	SLUB_REPORT_LEAK, /* shutdown found pages or objects not returned */
	SLUB_REPORT_BUG, /* BUG_ON: fatal */
	SLUB_REPORT_PANIC, /* panic(): fatal */
};
struct slub_report {
	enum slub_report_kind kind;
	const char *file;
	int line;
	const char *func;
	const char *cache; /* cache named by the report, or NULL */
	const char *msg; /* the full text, as it was printed */
};
typedef void (*slub_report_fn)(const struct slub_report *r, void *arg);
/*
 * Sets the hook (NULL restores the default: print to stderr; abort on BUG and PANIC unless a
 * recovery point is armed). For fatal kinds, when the hook returns, control goes to the
 * innermost slub_boot/slub_protected call, which returns SLUB_BOOT_PANIC; with none armed
 * the process aborts.
 */
void slub_set_report_hook(slub_report_fn fn, void *arg);

/*
 * The registry standing in for /sys/kernel/slab asks this hook before each registration
 * (op "add" or "alias"); a non-zero answer fails it, as a sysfs allocation failure would.
 */
typedef int (*slub_registry_hook_fn)(const char *op, const char *name, void *arg);
void slub_set_registry_hook(slub_registry_hook_fn fn, void *arg);
/*
 * Fault injection outside the page allocator asks this hook: should_failslab (mm/failslab.c)
 * for an allocation from a SLAB_FAILSLAB cache (name NULL), and the per-cpu allocator for each
 * alloc_percpu (name NULL). A non-zero answer fails it, as should_fail would.
 */
enum slub_fault { SLUB_FAULT_FAILSLAB, SLUB_FAULT_PERCPU };
typedef int (*slub_fault_hook_fn)(enum slub_fault what, const char *name, void *arg);
void slub_set_fault_hook(slub_fault_hook_fn fn, void *arg);

/*
 * The attribute files of a cache's /sys/kernel/slab directory (allocator/slab_attr.c), by
 * their 2.6.36 names: slab_attr_show writes the file's text into buf (PAGE_SIZE bytes) and
 * slab_attr_store writes buf to it, each returning what the kernel's show or store returns
 * (bytes, or -EBUSY, -EINVAL, -ENOSYS, -ENOMEM...); -EIO for a read-only attribute's store
 * and -ENOENT for a name that is no attribute of this build.
 */
long slab_attr_show(struct kmem_cache *s, const char *attr, char *buf);
long slab_attr_store(struct kmem_cache *s, const char *attr, const char *buf, size_t len);

/* The cache registered under name (a cache's own entry or an alias), or NULL. */
struct kmem_cache *slub_registry_lookup(const char *name);
/* Whether name is a cache's own directory there (not an alias link). */
int slub_registry_is_dir(const char *name);

/* Runs fn(arg); returns 0, or SLUB_BOOT_PANIC if a BUG or panic ended it. */
int slub_protected(void (*fn)(void *arg), void *arg);

/*
 * SLAB_DESTROY_BY_RCU slabs freed since the last grace period wait in a queue; this ends the
 * grace period and frees them (call_rcu callbacks run). Returns how many slabs were freed.
 */
unsigned long slub_rcu_grace_period(void);

/* ---- Checking and inspection (debug.c, validate.c, slabinfo.c) ---- */

/*
 * The kernel's sysfs "validate": validate_slab_cache on every cache (each slab's objects,
 * red zones, poison, freelist and counts checked, problems reported through the hook).
 * Returns the number of problems found.
 */
long slub_validate_all(void);

/*
 * The strict checker the harness runs after every event: every slab reachable from a cache
 * (cpu slabs, partial and full lists) names that cache as owner and lies on the right node;
 * nr_partial, nr_slabs and total_objects agree with a walk; each free object is on exactly
 * one freelist; inuse matches; no slab page is free in the page allocator. Returns 0 when
 * consistent, else the number of problems, the first described in why (if why_len > 0).
 * Reads only; reports nothing through the hook.
 */
long slub_check_consistency(char *why, size_t why_len);
/*
 * The same, and slub_validate_all, over a scope: every cache; the caches that served an
 * allocation or a free since the last call of that kind (what an event touched, at its
 * cost); or since its last walk of every cache. A set grown past a few caches means every
 * cache.
 */
enum slub_scope { SLUB_SCOPE_ALL, SLUB_SCOPE_TOUCHED, SLUB_SCOPE_TOUCHED_SINCE_ALL };
/* Counts s as touched: the caller changed it without an allocation or a free (shrink, create). */
void slub_note_cache(struct kmem_cache *s);
long slub_check_consistency_scope(enum slub_scope scope, char *why, size_t why_len);
long slub_validate_scope(enum slub_scope scope);
/* A problem the filter returns nonzero for is left out of slub_check_consistency's count and
 * its first-problem text (a campaign's known findings); NULL: every problem counts. */
typedef int (*slub_problem_filter_fn)(const char *problem, void *arg);
void slub_set_consistency_filter(slub_problem_filter_fn fn, void *arg);

/* A slabinfo-style table of every cache, one line per emit call (for crash reports). */
void slub_slabinfo(void (*emit)(const char *line, void *arg), void *arg);

/* Memory hotplug of a node's configured memory: 0 or a negative errno (see page_alloc.h). */
int slub_node_online(int nid);
int slub_node_offline(int nid);
/* CPU hotplug: 0 or a negative errno; a cpu that goes down has its slabs flushed. */
int slub_cpu_down(int cpu);
int slub_cpu_up(int cpu);

/* Non-zero once a fatal report was made; only slub_shutdown is legal after that. */
int slub_tainted(void);

/* printk goes to a ring buffer (the dmesg) and, when echo is on, to stderr. */
void slub_set_printk_echo(int on);
const char *slub_dmesg(void);

/* ---- simulated SMP: tasks on several CPUs at once (allocator/sched.c) ---- */

/*
 * slub_sched_run runs n tasks at once, each a fiber on the one host thread, each on its own
 * cpu (distinct, online). Nothing switches between fibers but the scheduler, and only at a
 * yield point: a lock acquired or released, interrupts turned on, a __GFP_WAIT page request,
 * might_sleep, or an access the core marks (slub_yield in platform.h). At each point it runs
 * the highest-priority fiber that can go on (PCT, Burckhardt et al. 2010): priorities and
 * depth - 1 change points come from seed, and each switch the caller names demotes the
 * running fiber below every other. A fiber waiting on a lock another holds cannot go on; when
 * none can, the machine has deadlocked and the waiting fiber reports it (fatal). More than
 * budget yield points in one run is a livelock, reported the same way.
 *
 * A switch is named by (site, nth): the nth time (from 0) any fiber reaches a yield point of
 * that site in this run, so that changing one event shifts no switch named elsewhere. A site
 * is named "func:what": func the function at the point, what the lock class, its release
 * ("<class>:unlock", a site of its own), or the point's own word ("irq_on", "page_alloc",
 * "might_sleep", "ipi", an access's name). Its key is its place in allocator/sched_sites.h,
 * 0 .. slub_site_keys_named()-1; a site missing there gets a key past those, by hash.
 *
 * Each task runs inside its own recovery point: a BUG or panic in it ends that fiber; the
 * machine is then tainted and the run stops with the others left where they were (the
 * caller shuts the machine down, as after any fatal report). Returns 0 when every task
 * finished, SLUB_BOOT_PANIC when one died. With seed 0, depth 0 and no switches the tasks run
 * one after another in order, each to its end, except where one waits on a lock.
 */
#define SLUB_MAX_FIBERS 8
#define SLUB_MAX_SWITCHES 16
#define SLUB_SITE_KEYS 251
struct slub_sched_config {
	uint32_t seed;
	int depth; /* PCT change points + 1; 0 or 1: none */
	int nr_switches;
	struct {
		uint32_t site; /* a site key */
		int nth;
	} sw[SLUB_MAX_SWITCHES];
	unsigned long budget; /* yield points before a livelock; 0: SLUB_SCHED_BUDGET */
};
#define SLUB_SCHED_BUDGET (1UL << 18)
struct slub_task {
	void (*fn)(void *arg);
	void *arg;
	int cpu;
	int result; /* set by slub_sched_run: 0, SLUB_BOOT_PANIC, or 1 if it never finished */
};
int slub_sched_run(struct slub_task *tasks, int n, const struct slub_sched_config *cfg);
/* The key of the site "func:what"; how many sites the table names (their keys come first). */
uint32_t slub_site_key(const char *func, const char *what);
int slub_site_keys_named(void);
/* The fiber running now: 1..n inside slub_sched_run, 0 outside it. */
int slub_sched_current(void);
/* Yield points met and switches made by the last (or running) slub_sched_run. */
unsigned long slub_sched_points(void);
unsigned long slub_sched_switches(void);
/*
 * Called at every switch between fibers: from the site the running fiber stopped at to the
 * site the next one resumes at (a fiber's first run resumes at site SLUB_SITE_KEYS). The
 * harness turns these pairs into interleaving coverage.
 */
typedef void (*slub_switch_fn)(uint32_t from_site, uint32_t to_site, void *arg);
void slub_sched_set_switch_hook(slub_switch_fn fn, void *arg);
/*
 * Called at every yield point a fiber reaches, on that fiber, with the site's key and how many
 * times the run met the site before (the `nth` a switch there names). The fuzz harness learns
 * from it which sites each op meets (fuzz/mutate.c).
 */
typedef void (*slub_site_fn)(uint32_t site, uint32_t nth, void *arg);
void slub_sched_set_site_hook(slub_site_fn fn, void *arg);
/*
 * Called at every yield point the machine meets while it is set, inside slub_sched_run or not
 * (outside it, yield points cost one test of a flag, as before, only while no point hook is
 * set), before the scheduler decides who runs: the site's key, and what the kernel allows to
 * happen there to the task that meets it: an interrupt of its cpu (its interrupts are on), a
 * preemption or a migration (also no spinlock held). The fuzz harness's `irq_at` and
 * `migrate_at` events fire from it; `irq` and `migrate` are the case of a page request
 * (fuzz/hooks.c). NULL: none.
 */
struct slub_point {
	uint32_t site;
	int irqs_on;
	int preemptible;
};
typedef void (*slub_point_fn)(const struct slub_point *pt, void *arg);
void slub_sched_set_point_hook(slub_point_fn fn, void *arg);
/*
 * The name of a site key ("get_partial_node:&n->list_lock"): as this process met it, else
 * from sched.c's table of every site; NULL for a key no site has.
 */
const char *slub_site_name(uint32_t key);
/*
 * The sites this process met, each with whether sched.c's table of names has it (the text
 * form's names for a process that met none); returns how many it lacks.
 */
int slub_sched_sites_met(void (*fn)(const char *name, int known, void *arg), void *arg);

#endif
