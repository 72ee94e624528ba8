/* space.c - the oracle for space: SLUB's promise not to waste memory, judged as a contract at
 * the moments 2.6.36 decides (a slab taken, an empty slab discarded) and after each event over
 * the (cache, node) pairs whose slabs it changed. It reads the model's shadow of slab pages
 * (model.c: every slab the page allocator handed out, chained per cache and node), never
 * get_partial's search, and costs what the event touched: the slabs of one (cache, node).
 *
 * The contract, and each allowance 2.6.36 makes on purpose (fuzz/README.md says the same):
 *
 * 1. No new slab while a slab the request could use has room. At stat(ALLOC_SLAB) (new_slab
 *    has just made the slab, __slab_alloc has not yet frozen it), a slab of the cache on the
 *    node the new slab lies on that is not frozen and has a free object is a waste, when the
 *    request accepted an object from that node (it took one from the new slab). Not counted:
 *    - frozen slabs: other cpus' cpu slabs are on no list and no other cpu may take objects
 *      from them (2.6.36's frozen rule; this cpu's own slab was deactivated before get_partial);
 *    - empty slabs of a SLAB_DESTROY_BY_RCU cache waiting for their grace period (out of
 *      nr_slabs, still PageSlab: the shadow's count minus nr_slabs of that node);
 *    - a NUMA_NO_NODE request whose slab came from a node other than the cpu's: 2.6.36 looks at
 *      remote partial lists only through get_any_partial, by chance (get_cycles() % 1024 at
 *      most remote_node_defrag_ratio) and only on nodes with more than min_partial partial
 *      slabs: a remote partial slab may always be legally passed over;
 *    - a node-specific request whose node could not give the page, so that the page
 *      allocator fell back to another node: get_partial searched the node asked for, as
 *      upstream still does (the memoryless-node series of v3.17 says exhausted nodes are left
 *      unresolved). A memoryless node's nearest node with memory is judged: there the fallback
 *      is the request's own (a561ce00b09e, UPSTREAM_MEMORYLESS_NODE_PARTIAL in bugs.h); a
 *      node past it, reached because that one was exhausted too, is not;
 *    - __GFP_THISNODE: the slab lies on the node asked for, only that node is judged;
 *    - an event in which an interrupt or a migration ran: 2.6.36 turns interrupts on around
 *      new_slab, so objects freed there (or another cpu's node) were not there for
 *      get_partial;
 *    - trylock misses: none exist in a single-threaded harness, so none are excused;
 *    - debug caches: nothing differs (c->node -1 sends each request to the slow path, and a
 *      slab alloc_debug_processing refuses is marked full, inuse == objects).
 * 2. An empty slab deactivated with fewer than min_partial slabs on its node's partial list is
 *    kept there (unfreeze_slab: n->nr_partial < s->min_partial), not discarded. Seen when the
 *    page goes back right after stat(DEACTIVATE_EMPTY), stat(FREE_SLAB). Not judged:
 *    __slab_free, which in 2.6.36 discards every emptied slab whatever nr_partial is (the
 *    min_partial test there came with 3.1's lockless free), kmem_cache_shrink and
 *    kmem_cache_close (they free every empty slab), and SLAB_DESTROY_BY_RCU caches (the page
 *    goes back at the grace period, long after the decision).
 * 3. Per (cache, node) whose slabs an event changed, the slabs stay within what the live
 *    objects need: slabs holding an object in use, plus the allowances
 *    - one cpu slab per cpu (frozen and held by that cpu's kmem_cache_cpu, empty or not);
 *    - the min_partial reserve: empty slabs on the partial list, at most min_partial (the
 *      largest this run set it to: min_partial_store lowers the limit but 2.6.36 frees no
 *      empty slab for it; only shrink does);
 *    - SLAB_DESTROY_BY_RCU slabs waiting for their grace period (call_rcu frees them later).
 *    A frozen slab no cpu holds, or an empty slab on no list, is past them. So is a slab with
 *    a free object that is on no list, whatever it holds: no request can ever use it, and
 *    nr_partial counts the partial list (model.c checks list and count agree). A cache that
 *    deactivated an empty slab (kept or discarded: the page's node is not known then) is
 *    judged so on every node after the event.
 * After slub_debug repaired a slab (a SLAB_ERR report: FIX set inuse, cut a freelist) the
 * counts are what the repair left, and no space check runs for the rest of the input.
 * Nothing is judged inside a concurrent group (smp.c), nor at its end: the contract is 2.6.36's
 * decisions made one at a time, and with several cpus they are not. get_partial's
 * slab_trylock misses a slab another cpu has locked (a new slab beside room), unfreeze_slab
 * reads nr_partial without list_lock (two cpus may both keep an empty slab under
 * min_partial, or both discard), and a slab is off every list while another cpu works on it.
 * After the group the events are judged as ever, with one allowance it leaves: empty slabs on
 * a partial list past min_partial that two cpus kept at once (fz_space_group_end).
 * Cost (plain replay loop over the shipped slub_ops seeds, SLUBFUZZ_SPACE=1 against =0 in one
 * binary, interleaved, median of 7): 185 against 177 us per input, +4.7 %; slub_boot within
 * noise (1.07 against 1.09 s for 40 passes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "page_alloc.h"
#include "slub_def.h"

#define SPACE_MAX_KEPT 16 /* caches that kept an empty slab in one event */
#define SPACE_MAX_CACHES 128 /* min_partial high-water marks in one run */

static struct {
	struct fz_state *x;
	/* the last two stat() events: unfreeze_slab's discard is DEACTIVATE_EMPTY, FREE_SLAB */
	struct kmem_cache *last_s, *prev_s;
	int last_si, prev_si;
	/* caches that deactivated an empty slab this event */
	struct kmem_cache *kept[SPACE_MAX_KEPT];
	int nr_kept, kept_lost;
	/* the largest min_partial each cache kept an empty slab under, this run */
	struct {
		struct kmem_cache *s;
		unsigned long high;
	} mp[SPACE_MAX_CACHES];
	int nr_mp, mp_lost;
} sp;

static int space_off(const struct fz_state *x)
{
	return !x || !sp.x || !fz_model_on() || slub_tainted() || x->failed ||
	       x->reports[SLUB_REPORT_SLAB_ERR] || x->in_group;
}

static struct kmem_cache_node *space_node(struct kmem_cache *s, int node)
{
	return get_node(s, FZ_NUMA ? node : 0);
}

/* The most empty slabs 2.6.36 may keep on one of s's partial lists now. -1: unknown. */
static long min_partial_allowance(struct kmem_cache *s)
{
	unsigned long high = s->min_partial;

	if (sp.mp_lost)
		return -1;
	for (int i = 0; i < sp.nr_mp; i++)
		if (sp.mp[i].s == s && sp.mp[i].high > high)
			high = sp.mp[i].high;
	return (long)high;
}

/* The empty slabs s may keep on a partial list are at least high from now on. */
static void raise_allowance(struct kmem_cache *s, unsigned long high)
{
	for (int i = 0; i < sp.nr_mp; i++)
		if (sp.mp[i].s == s) {
			if (high > sp.mp[i].high)
				sp.mp[i].high = high;
			return;
		}
	if (sp.nr_mp == SPACE_MAX_CACHES) {
		sp.mp_lost = 1;
		return;
	}
	sp.mp[sp.nr_mp].s = s;
	sp.mp[sp.nr_mp++].high = high;
}

static void note_min_partial(struct kmem_cache *s)
{
	raise_allowance(s, s->min_partial);
}

/* What the slabs of (s, node) are, from the shadow's chain and each slab's own state. */
struct space_count {
	long slabs; /* in the shadow */
	long frozen, lost_frozen; /* cpu slabs; frozen slabs no cpu holds */
	long empty, partial, full; /* not frozen: no object in use, some free, none free */
	long pending; /* SLAB_DESTROY_BY_RCU slabs out of nr_slabs, awaiting the grace period */
	struct page *first_free; /* a slab counted in empty or partial */
};

static int held_by_a_cpu(const struct fz_state *x, struct kmem_cache *s, struct page *page)
{
	if (!s->cpu_slab)
		return 0;
	for (int cpu = 0; cpu < x->cpus; cpu++)
		if (per_cpu_ptr(s->cpu_slab, cpu)->page == page)
			return 1;
	return 0;
}

static void count_slabs(const struct fz_state *x, struct kmem_cache *s, int node,
			const struct page *skip, struct space_count *c)
{
	struct kmem_cache_node *n = space_node(s, node);

	memset(c, 0, sizeof(*c));
	c->slabs = fz_model_shadow_slabs(s, node);
	for (struct page *page = fz_model_first_slab(s, node); page;
	     page = fz_model_next_slab(page)) {
		if (page == skip)
			continue;
		if (PageSlubFrozen(page)) {
			c->frozen++;
			if (!held_by_a_cpu(x, s, page))
				c->lost_frozen++;
			continue;
		}
		if (!page->inuse)
			c->empty++;
		else if (page->inuse < page->objects)
			c->partial++;
		else
			c->full++;
		if (page->inuse < page->objects && !c->first_free)
			c->first_free = page;
	}
	if (n && (s->flags & SLAB_DESTROY_BY_RCU) && c->slabs > n->nr_slabs)
		c->pending = c->slabs - n->nr_slabs;
	if (c->pending > c->empty)
		c->pending = c->empty;
}

static int on_partial_list(struct kmem_cache_node *n, struct page *page)
{
	struct page *p;
	unsigned long nr = 0;

	list_for_each_entry(p, &n->partial, lru)
		if (p == page)
			return 1;
		else if (++nr > n->nr_partial)
			break;
	return 0;
}

/*
 * The node a request for node falls back to first: itself if it has memory, else the first
 * with memory in the page allocator's fallback order (node + 1, node + 2, ... wrapping), as
 * upstream's node_to_mem_node names the nearest. A slab from any other node means the nodes
 * before it were exhausted.
 */
static int nearest_memory_node(int node)
{
	if (node_state(node, N_NORMAL_MEMORY))
		return node;
	for (int i = 1; i < nr_node_ids; i++) {
		int nid = (node + i) % nr_node_ids;

		if (node_state(nid, N_NORMAL_MEMORY))
			return nid;
	}
	return node;
}

/* Check 1, at stat(ALLOC_SLAB): the slab new_slab just made for s. */
static void judge_new_slab(struct fz_state *x, struct kmem_cache *s)
{
	struct page *page = fz_model_newest_slab(s);
	struct kmem_cache_node *n;
	struct space_count c;
	int node, asked = FZ_FB(x)->last_req.asked;
	long usable;

	if (!page || x->switched)
		return;
	node = page_to_nid(page);
	if (FZ_NUMA && asked < 0 && node != numa_node_id())
		return; /* remote: remote_node_defrag_ratio's chance */
	if (FZ_NUMA && asked >= 0 && node != asked && node != nearest_memory_node(asked))
		return; /* the node asked for, or its nearest with memory, is exhausted */
	n = space_node(s, node);
	if (!n)
		return;
	count_slabs(x, s, node, page, &c);
	usable = c.empty - c.pending + c.partial;
	if (usable <= 0)
		return;
	fz_finding(x, "space: new slab of %s on node %d while %ld slab(s) of it there had a free "
		   "object (first: %u of %u objects in use, %s the partial list; nr_partial %lu, "
		   "%ld slabs, %ld frozen); the request (node %d, gfp %#x) took its object from "
		   "node %d", s->name, node, usable, c.first_free->inuse, c.first_free->objects,
		   on_partial_list(n, c.first_free) ? "on" : "not on", n->nr_partial, c.slabs,
		   c.frozen, asked, FZ_FB(x)->last_req.gfp, node);
}

void fz_space_stat(struct kmem_cache *s, int si)
{
	struct fz_state *x = sp.x;

	if (!x)
		return; /* SLUBFUZZ_SPACE=0 */
	sp.prev_s = sp.last_s;
	sp.prev_si = sp.last_si;
	sp.last_s = s;
	sp.last_si = si;
	if (si != ALLOC_SLAB && si != DEACTIVATE_EMPTY)
		return;
	if (space_off(x))
		return;
	if (si == ALLOC_SLAB) {
		judge_new_slab(x, s);
		return;
	}
	/* an empty slab is being deactivated: kept, or discarded (seen in fz_space_slab_freed) */
	note_min_partial(s);
	for (int i = 0; i < sp.nr_kept; i++)
		if (sp.kept[i] == s)
			return;
	if (sp.nr_kept < SPACE_MAX_KEPT)
		sp.kept[sp.nr_kept++] = s;
	else
		sp.kept_lost = 1;
}

/* Check 2: a slab page of s on node goes back to the page allocator now. */
void fz_space_slab_freed(struct kmem_cache *s, int node)
{
	struct fz_state *x = sp.x;
	int deactivated = sp.last_si == FREE_SLAB && sp.prev_si == DEACTIVATE_EMPTY &&
			  sp.last_s == s && sp.prev_s == s;
	struct kmem_cache_node *n;

	sp.last_si = sp.prev_si = -1; /* the pair names this page only */
	if (!deactivated || space_off(x) || (s->flags & SLAB_DESTROY_BY_RCU))
		return;
	n = space_node(s, node);
	if (n && n->nr_partial < s->min_partial)
		fz_finding(x, "space: an empty slab of %s on node %d was deactivated and discarded "
			   "with nr_partial %lu below min_partial %lu (unfreeze_slab keeps it on the "
			   "partial list)", s->name, node, n->nr_partial, s->min_partial);
}

/* Empty slabs on the partial list of (s, node). */
static long listed_empty(struct kmem_cache_node *n)
{
	struct page *page;
	unsigned long nr = 0;
	long empty = 0;

	list_for_each_entry(page, &n->partial, lru) {
		if (++nr > n->nr_partial)
			break; /* model.c reports a list longer than its count */
		if (!page->inuse)
			empty++;
	}
	return empty;
}

static void judge_reserve(struct fz_state *x, struct kmem_cache *s, int node, long empty)
{
	long allowed = min_partial_allowance(s);

	if (allowed >= 0 && empty > allowed)
		fz_finding(x, "space: %s node %d keeps %ld empty slabs on its partial list, past "
			   "min_partial %ld (unfreeze_slab keeps one only while nr_partial < "
			   "min_partial)", s->name, node, empty, allowed);
}

/* Check 3: after the event, (s, node) took or returned a slab during it. */
void fz_space_judge(struct fz_state *x, struct kmem_cache *s, int node)
{
	struct kmem_cache_node *n;
	struct space_count c;
	long listed, need, allowed, lost;

	if (space_off(x) || node < 0 || node >= x->nodes || !(n = space_node(s, node)))
		return;
	count_slabs(x, s, node, NULL, &c);
	listed = listed_empty(n);
	need = c.partial + c.full;
	allowed = c.frozen - c.lost_frozen + listed + c.pending;
	lost = c.empty + c.partial - c.pending - (long)n->nr_partial;
	if (c.slabs > need + allowed || lost > 0)
		fz_finding(x, "space: %s node %d has %ld slabs, but its live objects need %ld (%ld "
			   "partial, %ld full) and the allowances give %ld (%ld cpu slabs, %ld empty "
			   "on the partial list, %ld awaiting RCU): %ld frozen slab(s) no cpu holds, "
			   "%ld slab(s) with a free object on no list (nr_partial %lu)", s->name, node,
			   c.slabs, need, c.partial, c.full, allowed, c.frozen - c.lost_frozen,
			   listed, c.pending, c.lost_frozen, lost > 0 ? lost : 0, n->nr_partial);
	else
		judge_reserve(x, s, node, listed);
}

/*
 * A concurrent group's end: empty slabs it left on a partial list past min_partial are 2.6.36's
 * own doing (two cpus deactivating empty slabs both pass unfreeze_slab's test of nr_partial,
 * read without list_lock, and both keep theirs). Nothing frees them but shrink, so they stay
 * allowed for the rest of the run, as those kept under a min_partial its file lowered since.
 */
void fz_space_group_end(struct fz_state *x)
{
	struct kmem_cache *s;
	int node;

	if (!x || !sp.x || !fz_model_on() || slub_tainted())
		return;
	list_for_each_entry(s, &slab_caches, list)
		for_each_node_state(node, N_NORMAL_MEMORY) {
			struct kmem_cache_node *n = space_node(s, node);
			long empty = n ? listed_empty(n) : 0;

			if (empty > min_partial_allowance(s) && min_partial_allowance(s) >= 0)
				raise_allowance(s, (unsigned long)empty);
			if (!FZ_NUMA)
				break;
		}
}

void fz_space_event_end(struct fz_state *x)
{
	int node;

	for (int i = 0; i < sp.nr_kept && !space_off(x); i++) {
		struct kmem_cache *s = sp.kept[i];

		if (!fz_model_cache_alive(s))
			continue;
		for_each_node_state(node, N_NORMAL_MEMORY) {
			fz_space_judge(x, s, node);
			if (!FZ_NUMA)
				break;
		}
	}
	sp.nr_kept = sp.kept_lost = 0;
	sp.last_si = sp.prev_si = -1;
	if (x)
		x->switched = 0;
}

/* SLUBFUZZ_SPACE=0 turns the oracle off, to measure what it costs and what only it finds. */
static int space_wanted(void)
{
	static int wanted = -1;

	if (wanted < 0) {
		const char *v = getenv("SLUBFUZZ_SPACE");

		wanted = !(v && !strcmp(v, "0"));
	}
	return wanted;
}

void fz_space_begin(struct fz_state *x)
{
	memset(&sp, 0, sizeof(sp));
	if (!space_wanted())
		return;
	sp.x = x;
	sp.last_si = sp.prev_si = -1;
	x->switched = 0;
}

void fz_space_end(void)
{
	sp.x = NULL;
}
