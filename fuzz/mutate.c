/* mutate.c - the schedule mutator: mutations that edit an input as a program of concurrent
 * groups (fuzz/prog.h, "Concurrent groups") rather than as bytes, for the engines to use beside
 * their own: libFuzzer through LLVMFuzzerCustomMutator, AFL++ as a custom mutator library
 * (both at the end of this file).
 *
 * Why: a race needs a group of the right ops on two cpus and a switch at the right site. Byte
 * mutations reach that only by luck: an opcode byte must become `par`, its count byte must
 * cover ops that may run at once, two `cpu` events must split them, and a switch's site byte
 * must name one of the 67 sites that those ops meet. From the shipped corpus less the seeds of
 * a race, libFuzzer found two of the six RACE_ entries of allocator/bugs.h within 60 s, two
 * trials in five each (bench/RESULTS.md, "Time to bug: the race catalog"). Each mutation here
 * is one of those steps, taken whole:
 *   group     wraps a run of ops that may run at once in a new `par`, split over two cpus;
 *   switch    adds a switch to a group, or moves one, to a site the group's ops are known to
 *             meet (half the time a marked access, "page->inuse", if they meet one), at an
 *             occurrence they are known to reach (learnt below);
 *   pair      adds two switches for ops on different cpus, at sites of one lock class or
 *             marked access that each is known to meet;
 *   reseed    draws a group's PCT seed and depth again;
 *   op        turns an op of a group into another op that may run at once (validate into
 *             shrink, a free into a kmalloc), a third of the time a kin (one that touches the
 *             same structures), a third one the program has elsewhere, keeping the arguments
 *             of the same kinds and drawing the others half the time from the program's own
 *             values (its cache); a switch at a site only the old op met moves to one the
 *             new op meets;
 *   count     a group takes in the event after it, or gives back its last;
 *   order     swaps two neighbours of a group: an event moves to the other cpu, or before
 *             another on its own;
 *   unswitch  drops a switch;
 *   interrupt puts an `irq_at` or a `migrate_at` before an event outside the groups, at a site
 *             its op is known to meet or where interrupts are on by the site's kind, or
 *             moves one.
 *
 * The sites each op meets are learnt from the runs: the scheduler tells fz_mutate_learn each
 * yield point a group's fiber reaches and the op it runs (smp.c). Until an op has been seen in
 * a group, a switch for it names any site of the table.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/*
 * learnt[op][site]: how many times one event of op met the site in a group (max), 0: never.
 * The process's own table, or the file SLUBFUZZ_SITES_FILE names, mapped shared: AFL++ runs
 * its mutator in afl-fuzz and the target in other processes, so what the target learns
 * reaches the mutator through that file (fz_mutate_share; the mutator's init makes it).
 */
#define FZ_SITES_ENV "SLUBFUZZ_SITES_FILE"
static uint8_t learnt_own[PROG_NR_OPS][PROG_SITE_SPACE];
static uint8_t (*learnt)[PROG_SITE_SPACE] = learnt_own;

/* maps the file path names as the table if it is one (its size is the table's); 0 if done */
static int share_file(const char *path, int create)
{
	int fd = open(path, O_RDWR | (create ? O_CREAT : 0), 0600);
	struct stat st;
	void *map;

	if (fd < 0)
		return -1;
	if (create && ftruncate(fd, (off_t)sizeof(learnt_own))) {
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) || st.st_size != (off_t)sizeof(learnt_own)) {
		close(fd);
		return -1;
	}
	map = mmap(NULL, sizeof(learnt_own), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	learnt = map;
	return 0;
}

void fz_mutate_share(void)
{
	const char *path = getenv(FZ_SITES_ENV);

	if (path && *path)
		share_file(path, 0);
}

void fz_mutate_learn(int op, uint32_t site, uint32_t nth)
{
	if (op < 0 || op >= PROG_NR_OPS || site >= PROG_SITE_SPACE)
		return;
	if (nth + 1 > learnt[op][site])
		learnt[op][site] = (uint8_t)(nth >= 254 ? 255 : nth + 1);
}

int fz_mutate_learnt(int op, uint32_t site)
{
	return op >= 0 && op < PROG_NR_OPS && site < PROG_SITE_SPACE ? learnt[op][site] : 0;
}

void fz_mutate_forget(void)
{
	memset(learnt, 0, sizeof(learnt_own));
}

struct mut {
	struct prog *p;
	uint32_t r;
};

static uint32_t rnd(struct mut *m, uint32_t n)
{
	uint32_t x = m->r ? m->r : 0x6d2b79f5u;

	x ^= (uint32_t)((uint64_t)x << 13);
	x ^= x >> 17;
	x ^= (uint32_t)((uint64_t)x << 5);
	m->r = x;
	return n ? x % n : x; /* 0: the whole draw */
}

static int insert(struct prog *p, int at, int op)
{
	if (p->nr_events >= PROG_MAX_EVENTS || at < 0 || at > p->nr_events)
		return -1;
	memmove(&p->ev[at + 1], &p->ev[at], (size_t)(p->nr_events - at) * sizeof(p->ev[0]));
	p->nr_events++;
	memset(&p->ev[at], 0, sizeof(p->ev[at]));
	p->ev[at].op = op;
	return at;
}

static void drop(struct prog *p, int at)
{
	memmove(&p->ev[at], &p->ev[at + 1], (size_t)(p->nr_events - at - 1) * sizeof(p->ev[0]));
	p->nr_events--;
}

static int is_directive(int op)
{
	return op == OP_CPU || op == OP_SWITCH;
}

/*
 * A group as the program holds it: par at g, its events g+1..g+count, up to the first one that
 * may not run at once (where smp.c ends it too) or the program's end.
 */
static int group_last(const struct prog *p, int g)
{
	int last = g;

	for (int j = g + 1; j < p->nr_events && j <= g + p->ev[g].arg[0]; j++) {
		if (!is_directive(p->ev[j].op) && !fz_smp_concurrent(p->ev[j].op))
			break;
		last = j;
	}
	return last;
}

/* A random group's par, or -1 if there is none. */
static int pick_group(struct mut *m)
{
	int n = 0, k;

	for (int i = 0; i < m->p->nr_events; i++)
		n += m->p->ev[i].op == OP_PAR;
	if (!n)
		return -1;
	k = (int)rnd(m, (uint32_t)n);
	for (int i = 0; i < m->p->nr_events; i++)
		if (m->p->ev[i].op == OP_PAR && !k--)
			return i;
	return -1;
}

/* A random event of the group at g, ending at last: a switch, or else an op (no directive). */
static int pick_member(struct mut *m, int g, int last, int switch_only)
{
	int n = 0, at = -1;

	for (int j = g + 1; j <= last; j++) {
		int op = m->p->ev[j].op;

		if ((switch_only ? op == OP_SWITCH : !is_directive(op)) && !rnd(m, (uint32_t)++n))
			at = j;
	}
	return at;
}

static int32_t any_value(struct mut *m, enum prog_kind k)
{
	uint32_t mask = prog_kind_width(k) >= 4 ? ~0u : (1u << (8 * prog_kind_width(k))) - 1;

	return prog_kind_decode(k, rnd(m, 0) & mask, &m->p->boot);
}

/* wrap 2..6 neighbouring ops that may run at once in a new group over two cpus */
static int mut_group(struct mut *m)
{
	struct prog *p = m->p;
	int start = -1, n = 0, len, split, at, a, b;

	/* a random op that may run at once beside the next, outside every group */
	for (int i = 0, g_end = -1; i + 1 < p->nr_events; i++) {
		if (p->ev[i].op == OP_PAR)
			g_end = group_last(p, i);
		if (i > g_end && fz_smp_concurrent(p->ev[i].op) &&
		    fz_smp_concurrent(p->ev[i + 1].op) && !rnd(m, (uint32_t)++n))
			start = i;
	}
	if (start < 0)
		return 0;
	for (len = 1; len < 6 && start + len < p->nr_events; len++)
		if (!fz_smp_concurrent(p->ev[start + len].op))
			break;
	if (len < 2)
		return 0;
	len = 2 + (int)rnd(m, (uint32_t)(len - 1));
	split = 1 + (int)rnd(m, (uint32_t)(len - 1));
	if (p->nr_events + 3 > PROG_MAX_EVENTS)
		return 0;
	if (p->boot.cpus < 2)
		p->boot.cpus = 2;
	a = (int)rnd(m, (uint32_t)p->boot.cpus);
	b = (a + 1 + (int)rnd(m, (uint32_t)p->boot.cpus - 1)) % p->boot.cpus;
	at = insert(p, start + split, OP_CPU);
	p->ev[at].arg[0] = b;
	at = insert(p, start, OP_CPU);
	p->ev[at].arg[0] = a;
	at = insert(p, start, OP_PAR);
	p->ev[at].arg[0] = len + 2;
	p->ev[at].arg[1] = (int32_t)rnd(m, 256);
	p->ev[at].arg[2] = (int32_t)rnd(m, 4);
	return 1;
}

/* the occurrence a switch at a learnt site names: the first half the time, else any met */
static int32_t pick_nth(struct mut *m, int op, int32_t site)
{
	return rnd(m, 2) ? 0 : (int32_t)rnd(m, learnt[op][site]);
}

/* a site's lock class or marked access: "what" of "func:what", less a release's ":unlock" */
static size_t site_class(uint32_t site, const char **what)
{
	const char *name = slub_site_name(site), *c;
	size_t n;

	if (!name || !(c = strchr(name, ':')))
		return 0;
	*what = c + 1;
	n = strlen(*what);
	if (n > 7 && !strcmp(*what + n - 7, ":unlock"))
		n -= 7;
	return n;
}

/*
 * Whether a class is state cpus share: a lock ("slab_lock", "&n->list_lock") or a field the
 * core marks ("page->inuse"), as opposed to a point of a cpu's own (irq_on, might_sleep, ipi,
 * page_alloc: sched_sites.h's words).
 */
static int class_shared(const char *what, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (!strncmp(what + i, "->", 2) || (i + 4 <= n && !strncmp(what + i, "lock", 4)))
			return 1;
	return 0;
}

/*
 * Whether a site is a marked access (SLUB_YIELD_ACCESS: "kmem_cache_shrink:page->inuse"),
 * a point between two accesses to shared state that only real parallelism separates: the
 * window of most races, so a switch goes to one half the time when the ops meet one.
 */
static int site_is_access(uint32_t site)
{
	const char *w;
	size_t n = site_class(site, &w);

	for (size_t i = 0; i + 4 <= n; i++)
		if (!strncmp(w + i, "lock", 4))
			return 0;
	return n && class_shared(w, n);
}

/* whether op is known to meet a site of the class what[0..n) */
static int meets_class(int op, const char *what, size_t n)
{
	int named = slub_site_keys_named();

	for (int s = 0; s < named && s < PROG_SITE_SPACE; s++) {
		const char *w;

		if (learnt[op][s] && site_class((uint32_t)s, &w) == n && !strncmp(w, what, n))
			return 1;
	}
	return 0;
}

/*
 * A site op is known to meet, and its occurrence: with a class, one of that class; with
 * `partner` >= 0, one of a shared class that op partner meets too, if there is one. -1 if
 * none.
 */
static int32_t pick_learnt(struct mut *m, int op, const char *cls, size_t cls_len, int partner,
			   int32_t *nth)
{
	int named = slub_site_keys_named(), n = 0;
	int32_t site = -1;

	for (int s = 0; s < named && s < PROG_SITE_SPACE; s++) {
		const char *w;
		size_t wn;

		if (!learnt[op][s])
			continue;
		wn = site_class((uint32_t)s, &w);
		if (cls && (wn != cls_len || strncmp(w, cls, cls_len)))
			continue;
		if (partner >= 0 && !(class_shared(w, wn) && meets_class(partner, w, wn)))
			continue;
		if (!rnd(m, (uint32_t)++n))
			site = s;
	}
	if (site >= 0)
		*nth = pick_nth(m, op, site);
	return site;
}

/* a site the group's ops are known to meet, and an occurrence of it: 0 half the time */
static void pick_site(struct mut *m, int g, int32_t *site, int32_t *nth)
{
	int last = group_last(m->p, g), n = 0, named = slub_site_keys_named();
	int op = -1;

	*site = -1;
	for (int pass = rnd(m, 2); pass < 2 && *site < 0; pass++) /* 0: marked accesses only */
		for (int j = g + 1; j <= last; j++) {
			int o = m->p->ev[j].op;

			if (is_directive(o))
				continue;
			for (int s = 0; s < named && s < PROG_SITE_SPACE; s++)
				if (learnt[o][s] && (pass || site_is_access((uint32_t)s)) &&
				    !rnd(m, (uint32_t)++n)) {
					*site = s;
					op = o;
				}
		}
	if (*site < 0) {
		*site = (int32_t)rnd(m, (uint32_t)named);
		*nth = rnd(m, 2) ? 0 : (int32_t)rnd(m, 4);
		return;
	}
	*nth = pick_nth(m, op, *site);
}

/*
 * Two switches, for two ops of a group on different cpus, at sites of one lock class or one
 * marked field that both meet: the shape of most races, one cpu stopped at a lock or a field
 * while the other is stopped inside or just past its own use of it. Without such a class, any
 * site each meets.
 */
static int mut_pair(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), last, na = 0, a = -1, b = -1, nb = 0, cpu = -1, cpus[PROG_GROUP_MAX];
	int32_t sa, sb, nth_a, nth_b;
	const char *cls = NULL;
	size_t cls_len;

	if (g < 0 || p->ev[g].arg[0] + 2 > PROG_GROUP_MAX || p->nr_events + 2 > PROG_MAX_EVENTS)
		return 0;
	last = group_last(p, g);
	for (int j = g + 1; j <= last; j++) {
		if (p->ev[j].op == OP_CPU)
			cpu = p->ev[j].arg[0];
		cpus[j - g - 1] = cpu;
		if (!is_directive(p->ev[j].op) && !rnd(m, (uint32_t)++na))
			a = j;
	}
	if (a < 0)
		return 0;
	for (int j = g + 1; j <= last; j++)
		if (!is_directive(p->ev[j].op) && cpus[j - g - 1] != cpus[a - g - 1] &&
		    !rnd(m, (uint32_t)++nb))
			b = j;
	if (b < 0)
		return 0;
	/* a shared class both meet if there is one, else any site each meets */
	if ((sa = pick_learnt(m, p->ev[a].op, NULL, 0, p->ev[b].op, &nth_a)) >= 0) {
		cls_len = site_class((uint32_t)sa, &cls);
		sb = pick_learnt(m, p->ev[b].op, cls, cls_len, -1, &nth_b);
	} else {
		sa = pick_learnt(m, p->ev[a].op, NULL, 0, -1, &nth_a);
		sb = pick_learnt(m, p->ev[b].op, NULL, 0, -1, &nth_b);
	}
	if (sa < 0 || sb < 0)
		return 0;
	if (insert(p, g + 1, OP_SWITCH) < 0 || insert(p, g + 1, OP_SWITCH) < 0)
		return 0;
	p->ev[g].arg[0] += 2;
	p->ev[g + 1].arg[0] = sa;
	p->ev[g + 1].arg[1] = nth_a;
	p->ev[g + 2].arg[0] = sb;
	p->ev[g + 2].arg[1] = nth_b;
	return 1;
}

/* add a switch to a group, or move one of its switches */
static int mut_switch(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), at;

	if (g < 0)
		return 0;
	at = pick_member(m, g, group_last(p, g), 1);
	/* a new one when there is none, or half the time, if the group has room for it */
	if ((at < 0 || rnd(m, 2)) && p->ev[g].arg[0] < PROG_GROUP_MAX) {
		if ((at = insert(p, g + 1, OP_SWITCH)) < 0)
			return 0;
		p->ev[g].arg[0]++;
	}
	if (at < 0)
		return 0;
	pick_site(m, g, &p->ev[at].arg[0], &p->ev[at].arg[1]);
	return 1;
}

static int mut_reseed(struct mut *m)
{
	int g = pick_group(m);

	if (g < 0)
		return 0;
	m->p->ev[g].arg[1] = (int32_t)rnd(m, 256);
	m->p->ev[g].arg[2] = (int32_t)rnd(m, 4);
	return 1;
}

/*
 * The ops that may run at once, by what they touch: 1 allocate, 2 free, 3 walk a cache's
 * lists under list_lock (shrink, validate, slabinfo's count_partial), 4 an object alone.
 */
static int op_kin(int op)
{
	switch ((enum prog_op)op) {
	case OP_ALLOC:
	case OP_ALLOC_NODE:
	case OP_KMALLOC:
	case OP_KMALLOC_NODE:
	case OP_KZALLOC:
	case OP_FILL:
		return 1;
	case OP_FREE:
	case OP_KFREE:
	case OP_POOL_FREE:
		return 2;
	case OP_SHRINK:
	case OP_VALIDATE:
	case OP_SLABINFO:
		return 3;
	default:
		return fz_smp_concurrent(op) ? 4 : 0;
	}
}

/* A value of kind k an event of the program has (its cache, its slots), or any if none has. */
static int32_t program_value(struct mut *m, enum prog_kind k)
{
	int32_t v = 0;
	int n = 0;

	for (int j = 0; j < m->p->nr_events; j++)
		for (int i = 0; i < prog_op_nargs(m->p->ev[j].op); i++)
			if (prog_op_arg(m->p->ev[j].op, i) == k && !rnd(m, (uint32_t)++n))
				v = m->p->ev[j].arg[i];
	return n ? v : any_value(m, k);
}

/*
 * After op `from` of the group at g became `to`: a switch at a site that no op of the group is
 * known to meet now, but `from` was, moves to a site `to` meets (a marked access half the time,
 * if it meets one), so that the new op comes with a switch of its own: validate stopped at
 * its list_lock becomes shrink stopped at its walk, and not shrink with no switch at all.
 */
static void retarget(struct mut *m, int g, int from, int to)
{
	struct prog *p = m->p;
	int last = group_last(p, g);

	for (int j = g + 1; j <= last; j++) {
		int32_t site = p->ev[j].arg[0], best = -1;
		int met = 0, n = 0, named = slub_site_keys_named();

		if (p->ev[j].op != OP_SWITCH || site < 0 || site >= PROG_SITE_SPACE ||
		    !learnt[from][site])
			continue;
		for (int k = g + 1; k <= last; k++)
			if (!is_directive(p->ev[k].op))
				met |= learnt[p->ev[k].op][site] != 0;
		if (met)
			continue;
		for (int pass = rnd(m, 2); pass < 2 && best < 0; pass++)
			for (int s = 0; s < named && s < PROG_SITE_SPACE; s++)
				if (learnt[to][s] && (pass || site_is_access((uint32_t)s)) &&
				    !rnd(m, (uint32_t)++n))
					best = s;
		if (best < 0)
			continue;
		p->ev[j].arg[0] = best;
		p->ev[j].arg[1] = pick_nth(m, to, best);
	}
}

/* an op of a group becomes another that may run at once; same-kind arguments carry over */
static int mut_op(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), at, ops[PROG_NR_OPS], nops = 0, op;
	struct prog_event old;

	if (g < 0)
		return 0;
	at = pick_member(m, g, group_last(p, g), 0);
	if (at < 0)
		return 0;
	/*
	 * A third of the time a kin of the op (it touches the same structures, so the group's
	 * switches keep their meaning), a third an op the program has elsewhere (its own validate
	 * or shrink), else any.
	 */
	switch (rnd(m, 3)) {
	case 0:
		for (int o = 0; o < PROG_NR_OPS; o++)
			if (o != p->ev[at].op && op_kin(o) == op_kin(p->ev[at].op))
				ops[nops++] = o;
		break;
	case 1: {
		unsigned char seen[PROG_NR_OPS] = { 0 };

		for (int j = 0; j < p->nr_events; j++) {
			int o = p->ev[j].op;

			if (fz_smp_concurrent(o) && o != p->ev[at].op && !seen[o]) {
				seen[o] = 1;
				ops[nops++] = o;
			}
		}
		break;
	}
	}
	if (!nops)
		for (int o = 0; o < PROG_NR_OPS; o++)
			if (fz_smp_concurrent(o) && o != p->ev[at].op)
				ops[nops++] = o;
	op = ops[rnd(m, (uint32_t)nops)];
	old = p->ev[at];
	memset(&p->ev[at], 0, sizeof(p->ev[at]));
	p->ev[at].op = op;
	for (int i = 0; i < prog_op_nargs(op); i++) {
		enum prog_kind k = prog_op_arg(op, i);
		int kept = 0;

		for (int o = 0; o < prog_op_nargs(old.op) && !kept; o++)
			if (prog_op_arg(old.op, o) == k) {
				p->ev[at].arg[i] = old.arg[o];
				kept = 1;
			}
		if (!kept)
			p->ev[at].arg[i] = rnd(m, 2) ? program_value(m, k) : any_value(m, k);
	}
	retarget(m, g, old.op, op);
	return 1;
}

/* a group takes in the event after it, or gives back its last one */
static int mut_count(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), count;

	if (g < 0)
		return 0;
	count = p->ev[g].arg[0];
	if (rnd(m, 2) && count < PROG_GROUP_MAX && g + count + 1 < p->nr_events)
		p->ev[g].arg[0] = count + 1;
	else if (count > 1)
		p->ev[g].arg[0] = count - 1;
	else
		return 0;
	return 1;
}

/*
 * Whether a site is, by its kind, a point where the task's interrupts are on and it may be
 * preempted: interrupts turned on, might_sleep, a sleeping page request, slub_lock (a sleeping
 * lock) taken or let go (sched_sites.h's words). Other points may have them on too (a
 * list_lock let go with spin_unlock_irqrestore); an `irq_at` there fires if they are.
 */
static int site_irqs_on(uint32_t site)
{
	static const char *const words[] = { "irq_on", "might_sleep", "page_alloc", "slub_lock" };
	const char *w;
	size_t n = site_class(site, &w);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n == strlen(words[i]) && !strncmp(w, words[i], n))
			return 1;
	return 0;
}

/* a site for an interrupt or migration before an event of op: one op is known to meet (half
 * the time, if any), else one where interrupts are on by its kind */
static int32_t pick_point_site(struct mut *m, int op, int32_t *nth)
{
	int named = slub_site_keys_named(), n = 0, learnt_only = (int)rnd(m, 2);
	int32_t site = -1;

	for (int pass = 0; pass < 2 && site < 0; pass++)
		for (int s = 0; s < named && s < PROG_SITE_SPACE; s++)
			if (((pass ? !learnt_only : learnt_only) ? learnt[op][s] != 0
								   : site_irqs_on((uint32_t)s)) &&
			    !rnd(m, (uint32_t)++n))
				site = s;
	if (site < 0)
		site = (int32_t)rnd(m, (uint32_t)named);
	*nth = learnt[op][site] ? pick_nth(m, op, site) : (rnd(m, 2) ? 0 : (int32_t)rnd(m, 4));
	return site;
}

/*
 * An interrupt or a migration at a yield site of the event after it: an `irq_at` (after the
 * program's last `irq` before it, or a new one put first) two times in three, else a
 * `migrate_at`, before an event outside every group, at a site its op is known to meet or one
 * where interrupts are on; or, half the time, one the program has moved to another site.
 */
static int mut_interrupt(struct mut *m)
{
	struct prog *p = m->p;
	int at = -1, n = 0, irq = -1, op;

	if (rnd(m, 2)) {
		for (int i = 0; i + 1 < p->nr_events; i++)
			if ((p->ev[i].op == OP_IRQ_AT || p->ev[i].op == OP_MIGRATE_AT) &&
			    !rnd(m, (uint32_t)++n))
				at = i;
		if (at >= 0) {
			p->ev[at].arg[0] = pick_point_site(m, p->ev[at + 1].op, &p->ev[at].arg[1]);
			return 1;
		}
	}
	n = 0;
	for (int i = 0, g_end = -1; i < p->nr_events; i++) {
		if (p->ev[i].op == OP_PAR)
			g_end = group_last(p, i);
		else if (i > g_end && !is_directive(p->ev[i].op) && !rnd(m, (uint32_t)++n))
			at = i;
	}
	if (at < 0 || p->nr_events + 2 > PROG_MAX_EVENTS)
		return 0;
	op = p->ev[at].op;
	if (rnd(m, 3)) {
		for (int i = 0; i < at; i++)
			if (p->ev[i].op == OP_IRQ)
				irq = i;
		if (irq < 0) {
			at = insert(p, at, OP_IRQ) + 1;
			p->ev[at - 1].arg[1] = (int32_t)rnd(m, IRQ_NR);
			p->ev[at - 1].arg[2] = program_value(m, PK_SLOT);
			p->ev[at - 1].arg[3] = program_value(m, PK_SIZE);
			p->ev[at - 1].arg[4] = program_value(m, PK_CACHE);
		}
		at = insert(p, at, OP_IRQ_AT);
	} else {
		at = insert(p, at, OP_MIGRATE_AT);
		p->ev[at].arg[2] = program_value(m, PK_CPU);
	}
	p->ev[at].arg[0] = pick_point_site(m, op, &p->ev[at].arg[1]);
	return 1;
}

/* swap two neighbours inside a group (a switch or a cpu event moves too) */
static int mut_order(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), last, at;
	struct prog_event t;

	if (g < 0 || (last = group_last(p, g)) - g < 2)
		return 0;
	at = g + 1 + (int)rnd(m, (uint32_t)(last - g - 1));
	t = p->ev[at];
	p->ev[at] = p->ev[at + 1];
	p->ev[at + 1] = t;
	return 1;
}

static int mut_unswitch(struct mut *m)
{
	struct prog *p = m->p;
	int g = pick_group(m), at;

	if (g < 0)
		return 0;
	at = pick_member(m, g, group_last(p, g), 1);
	if (at < 0 || p->ev[g].arg[0] < 2)
		return 0;
	drop(p, at);
	p->ev[g].arg[0]--;
	return 1;
}

/* by kind (enum fz_mutation's order), and how often each is drawn: switches most */
static int (*const mutations[FZ_MUT_NR])(struct mut *m) = {
	mut_group, mut_switch, mut_pair, mut_reseed, mut_op, mut_count, mut_order, mut_unswitch,
	mut_interrupt,
};
static const unsigned char weight[FZ_MUT_NR] = { 1, 2, 2, 1, 2, 1, 1, 1, 1 };

static int draw_mutation(struct mut *m)
{
	unsigned int total = 0, k;

	for (int i = 0; i < FZ_MUT_NR; i++)
		total += weight[i];
	k = rnd(m, total);
	for (int i = 0; i < FZ_MUT_NR; i++) {
		if (k < weight[i])
			return i;
		k -= weight[i];
	}
	return FZ_MUT_SWITCH;
}

/* mutations of one kind (which >= 0) or a draw of 1..3 (FZ_MUT_ANY) */
static size_t mutate(uint8_t *data, size_t size, size_t max_size, uint32_t seed, int which)
{
	static struct prog p;
	struct mut m = { &p, (uint32_t)(((uint64_t)seed * 2654435761u + 1) & 0xffffffffu) };
	int done = 0, want;
	size_t n;

	prog_decode(&p, data, size, PROG_MAX_EVENTS);
	if (which >= 0) {
		if (which >= FZ_MUT_NR || !mutations[which](&m))
			return 0;
	} else {
		want = 1 + (int)rnd(&m, 3);
		/* a program without a group gets one first: nothing else applies to it */
		if (pick_group(&m) < 0 && !mut_group(&m))
			return 0;
		for (int tries = 0; done < want && tries < 4 * want; tries++)
			done += mutations[draw_mutation(&m)](&m);
	}
	n = prog_encode(&p, NULL, 0);
	if (n > max_size)
		return 0;
	return prog_encode(&p, data, max_size);
}

/*
 * Whether the input holds a group. The engines give the mutator more of the inputs that do:
 * a race needs a group, and its switches, order and ops are where the rest of the search is.
 */
int fz_mutate_has_group(const uint8_t *data, size_t size)
{
	static struct prog p;

	prog_decode(&p, data, size, PROG_MAX_EVENTS);
	for (int i = 0; i < p.nr_events; i++)
		if (p.ev[i].op == OP_PAR)
			return 1;
	return 0;
}

size_t fz_mutate_schedule(uint8_t *data, size_t size, size_t max_size, uint32_t seed)
{
	return mutate(data, size, max_size, seed, FZ_MUT_ANY);
}

size_t fz_mutate_one(uint8_t *data, size_t size, size_t max_size, uint32_t seed,
		     enum fz_mutation which)
{
	return mutate(data, size, max_size, seed, (int)which);
}

#ifdef FZ_LIBFUZZER
/*
 * libFuzzer: of the mutations of an input with a group, one in FZ_SHARE_GROUP is the schedule
 * mutator's; of an input without, one in FZ_SHARE_SEQUENTIAL (it gives it a group). The rest
 * are libFuzzer's own (LLVMFuzzerMutate: its byte mutations, the dictionary, cross-over).
 * SLUBFUZZ_SCHED_MUTATE=0 in the environment leaves them all to libFuzzer (an A/B of it).
 */
#define FZ_SHARE_GROUP 2
#define FZ_SHARE_SEQUENTIAL 8

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static int off = -1;

	if (off < 0) {
		const char *e = getenv("SLUBFUZZ_SCHED_MUTATE");

		off = e && !strcmp(e, "0");
	}
	if (!off &&
	    seed % (fz_mutate_has_group(data, size) ? FZ_SHARE_GROUP : FZ_SHARE_SEQUENTIAL) == 0) {
		size_t n = fz_mutate_schedule(data, size, max_size, seed / FZ_SHARE_GROUP);

		if (n)
			return n;
	}
	return LLVMFuzzerMutate(data, size, max_size);
}
#endif

#ifdef FZ_AFL_MUTATOR
/*
 * AFL++: the same mutator as a custom mutator library (build/afl-mutator/slub_mutator.so,
 * which ci/testlib.sh's afl_env hands afl-fuzz as AFL_CUSTOM_MUTATOR_LIBRARY). afl-fuzz runs
 * its stage before havoc and sizes it as it sizes havoc, by the entry's performance score, so
 * that a slow entry gets few (a fixed count of 128 spent minutes on one input of 1.8 s). Of an
 * entry without a group only one call in FZ_AFL_SEQUENTIAL mutates; the others return 0, which
 * afl-fuzz skips without running anything. Havoc, splicing and the dictionary stay as they
 * are. Its init makes a file for the table the targets learn
 * into and names it in SLUBFUZZ_SITES_FILE, which the targets afl-fuzz starts inherit.
 */
#include <stdio.h>

#define FZ_AFL_SEQUENTIAL 8

struct fz_afl_mutator {
	uint8_t *out;
	size_t cap;
	uint32_t seed;
	char path[64];
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size, unsigned char **out_buf,
		       unsigned char *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct fz_afl_mutator *m = calloc(1, sizeof(*m));
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)afl;
	if (!m)
		return NULL;
	m->seed = seed;
	snprintf(m->path, sizeof(m->path), "%s/slubfuzz-sites-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(m->path)) >= 0) {
		close(fd);
		if (!share_file(m->path, 1))
			setenv(FZ_SITES_ENV, m->path, 1);
	}
	return m;
}

size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size, unsigned char **out_buf,
		       unsigned char *add_buf, size_t add_buf_size, size_t max_size)
{
	struct fz_afl_mutator *m = data;
	size_t n;

	(void)add_buf;
	(void)add_buf_size;
	if (m->cap < max_size || m->cap < buf_size) {
		size_t cap = max_size > buf_size ? max_size : buf_size;
		uint8_t *p = realloc(m->out, cap);

		if (!p) {
			*out_buf = buf;
			return 0;
		}
		m->out = p;
		m->cap = cap;
	}
	memcpy(m->out, buf, buf_size);
	m->seed = (uint32_t)(((uint64_t)m->seed * 1103515245u + 12345u) & 0xffffffffu);
	*out_buf = m->out;
	if ((m->seed >> 16) % FZ_AFL_SEQUENTIAL && !fz_mutate_has_group(buf, buf_size))
		return 0;
	n = fz_mutate_schedule(m->out, buf_size, max_size, m->seed);
	*out_buf = m->out;
	return n; /* 0: nothing applied, and afl-fuzz runs nothing */
}

void afl_custom_deinit(void *data)
{
	struct fz_afl_mutator *m = data;

	if (!m)
		return;
	if (m->path[0])
		unlink(m->path);
	free(m->out);
	free(m);
}
#endif
