/* sched_fixture.h - what the scheduler's unit tests share: a trace of what each fiber did, the
 * switch hook's pairs, the reports caught, and a machine, config and tasks set up in a line. */
#ifndef SLUBFUZZ_TEST_SCHED_FIXTURE_H
#define SLUBFUZZ_TEST_SCHED_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* ---- what the fibers did, in the order they did it ---- */

#define TRACE_MAX 512

static struct {
	int n;
	char ev[TRACE_MAX][24]; /* "A:locked": the fiber's letter, then what it did */
	char text[TRACE_MAX * 24];
} trace;

static inline void trace_reset(void)
{
	memset(&trace, 0, sizeof(trace));
}

/* Notes what the running fiber did (its letter: A for the first task, B, ...). */
static inline void note(const char *what)
{
	int me = slub_sched_current();

	if (trace.n < TRACE_MAX)
		snprintf(trace.ev[trace.n], sizeof(trace.ev[0]), "%c:%s",
			 me > 0 ? 'A' + me - 1 : '?', what);
	trace.n++;
}

/* The trace as one line, events separated by a space. */
static inline const char *trace_str(void)
{
	size_t len = 0;

	trace.text[0] = '\0';
	for (int i = 0; i < trace.n && i < TRACE_MAX; i++)
		len += (size_t)snprintf(trace.text + len, sizeof(trace.text) - len, "%s%s",
					i ? " " : "", trace.ev[i]);
	return trace.text;
}

/* Where ev first occurs in the trace, or -1. */
static inline int trace_at(const char *ev)
{
	for (int i = 0; i < trace.n && i < TRACE_MAX; i++)
		if (strcmp(trace.ev[i], ev) == 0)
			return i;
	return -1;
}

/* A fiber ran, another ran, then the first again: it was switched out in its middle. */
static inline int trace_resumes(void)
{
	for (int i = 1; i < trace.n && i < TRACE_MAX; i++) {
		if (trace.ev[i][0] == trace.ev[i - 1][0])
			continue;
		for (int j = 0; j < i; j++)
			if (trace.ev[j][0] == trace.ev[i][0])
				return 1;
	}
	return 0;
}

/* a before b, both there */
#define CHECK_BEFORE(a, b)                                                              \
	CHECK(trace_at(a) >= 0 && trace_at(b) >= 0 && trace_at(a) < trace_at(b),         \
	      "%s before %s in: %s", (a), (b), trace_str())

/* ---- the switch hook's pairs ---- */

#define PAIRS_MAX 256

static struct {
	int n;
	uint32_t from[PAIRS_MAX], to[PAIRS_MAX];
} pairs;

static inline void record_pair(uint32_t from_site, uint32_t to_site, void *arg)
{
	(void)arg;
	if (pairs.n < PAIRS_MAX) {
		pairs.from[pairs.n] = from_site;
		pairs.to[pairs.n] = to_site;
	}
	pairs.n++;
}

static inline int saw_pair(uint32_t from_site, uint32_t to_site)
{
	for (int i = 0; i < pairs.n && i < PAIRS_MAX; i++)
		if (pairs.from[i] == from_site && pairs.to[i] == to_site)
			return 1;
	return 0;
}

/* ---- reports ---- */

#define MAX_CAUGHT 8

static struct {
	int n;
	enum slub_report_kind kind[MAX_CAUGHT];
	char msg[MAX_CAUGHT][2048];
	char func[MAX_CAUGHT][64];
} caught;

static inline void catch_report(const struct slub_report *r, void *arg)
{
	(void)arg;
	if (caught.n < MAX_CAUGHT) {
		caught.kind[caught.n] = r->kind;
		snprintf(caught.msg[caught.n], sizeof(caught.msg[0]), "%s", r->msg);
		snprintf(caught.func[caught.n], sizeof(caught.func[0]), "%s", r->func);
	}
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "[report %d] %s: %s\n", r->kind, r->func, r->msg);
	caught.n++;
}

/* A machine of nr_cpus cpus, nothing booted: the lock model, the cpus and the scheduler. */
static inline void sched_setup(int nr_cpus)
{
	slub_platform_reset(nr_cpus);
	memset(&caught, 0, sizeof(caught));
	slub_set_report_hook(catch_report, NULL);
	trace_reset();
	memset(&pairs, 0, sizeof(pairs));
	slub_sched_set_switch_hook(record_pair, NULL);
}

static inline void cfg_init(struct slub_sched_config *cfg, uint32_t seed, int depth)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = seed;
	cfg->depth = depth;
}

static inline void cfg_switch(struct slub_sched_config *cfg, const char *func,
			      const char *what, int nth)
{
	cfg->sw[cfg->nr_switches].site = slub_site_key(func, what);
	cfg->sw[cfg->nr_switches].nth = nth;
	cfg->nr_switches++;
}

static inline void task_init(struct slub_task *t, void (*fn)(void *), void *arg, int cpu)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu;
	t->result = -12345; /* slub_sched_run sets it */
}

#endif
