/* percpu.c - per-cpu areas (one pool, saved with the machine) and the host memory that
 * outlives a fuzz input. */
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform.h"
#include "machine.h"
#include "track.h"

/* ---- per-cpu areas ---- */

/*
 * Deliberate difference: the kernel's percpu allocator carves chunks of its own; here every
 * area comes from one pool reserved once per process, so that a snapshot can save and
 * restore the areas with the rest of the machine (the host heap could not give them back
 * after a shutdown). Freed areas are poisoned and reused by size; the pool empties when the
 * last area goes.
 */
#define PERCPU_MAGIC 0x70637075UL /* "pcpu" */
#define PERCPU_POOL_SIZE (64UL << 20)

/* Sits right in front of copy 0; the copies follow at a fixed stride. */
struct slub_percpu_area {
	struct list_head list; /* on percpu_areas while live, on percpu_free after */
	void *base; /* the start of the chunk */
	size_t chunk; /* its length, header included */
	size_t stride;
	int nr; /* copies: nr_cpu_ids when allocated */
	unsigned long magic;
};

static char *percpu_pool;
static __slub_state size_t percpu_top; /* bytes of the pool handed out so far */
static __slub_state LIST_HEAD(percpu_areas);
static __slub_state LIST_HEAD(percpu_free);
static __slub_state unsigned long percpu_live;

/* slub_host_alloc's header: the mapping's length, in front of what the caller gets. */
struct host_block {
	size_t len;
	size_t pad; /* keeps the caller's memory 16-byte aligned */
};

/*
 * Freed mappings kept for reuse, up to HOST_CACHE of them and HOST_CACHE_BYTES in all: a fuzz
 * loop that keeps machines frees and maps snapshot buffers of like sizes for every new boot
 * header, and a fresh mapping costs a page fault on the first touch of each page and a TLB
 * flush at munmap (with this cache an AFL++ campaign's kernel share fell from 38.7 % to 27.2 %
 * of samples, bench/profile.sh).
 */
#define HOST_CACHE 32
#define HOST_CACHE_BYTES (64UL << 20)
static struct host_block *host_cache[HOST_CACHE];
static size_t host_cache_bytes;

/* The smallest kept mapping of len to 2 * len bytes, taken out of the cache; else NULL. */
static struct host_block *host_cache_take(size_t len)
{
	int best = -1;
	struct host_block *b;

	for (int i = 0; i < HOST_CACHE; i++)
		if (host_cache[i] && host_cache[i]->len >= len && host_cache[i]->len / 2 <= len &&
		    (best < 0 || host_cache[i]->len < host_cache[best]->len))
			best = i;
	if (best < 0)
		return NULL;
	b = host_cache[best];
	host_cache[best] = NULL;
	host_cache_bytes -= b->len;
	return b;
}

static void *host_alloc(size_t size, int zero)
{
	size_t len = ALIGN(sizeof(struct host_block) + size, 4096);
	struct host_block *b;

	if (size > ((size_t)-1) / 2)
		return NULL;
	b = host_cache_take(len);
	if (b) {
		if (zero)
			memset(b + 1, 0, size);
		return b + 1;
	}
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->len = len;
	return b + 1;
}

void *slub_host_alloc(size_t size)
{
	return host_alloc(size, 1);
}

void *slub_host_alloc_uninit(size_t size)
{
	return host_alloc(size, 0);
}

void slub_host_free(void *ptr)
{
	struct host_block *b;

	if (!ptr)
		return;
	b = (struct host_block *)ptr - 1;
	if (host_cache_bytes + b->len <= HOST_CACHE_BYTES)
		for (int i = 0; i < HOST_CACHE; i++)
			if (!host_cache[i]) {
				host_cache[i] = b;
				host_cache_bytes += b->len;
				return;
			}
	munmap(b, b->len);
}

void *slub_host_realloc(void *ptr, size_t size)
{
	struct host_block *b = ptr ? (struct host_block *)ptr - 1 : NULL;
	void *n;

	if (b && sizeof(*b) + size <= b->len)
		return ptr;
	n = slub_host_alloc(size);
	if (n && b)
		memcpy(n, ptr, b->len - sizeof(*b));
	if (n)
		slub_host_free(ptr);
	return n;
}

static struct slub_percpu_area *slub_percpu_area(void *ptr, const char *func)
{
	struct slub_percpu_area *area = (struct slub_percpu_area *)((char *)ptr - sizeof(*area));

	if (!ptr || (char *)ptr < percpu_pool || (char *)ptr >= percpu_pool + percpu_top ||
	    area->magic != PERCPU_MAGIC)
		slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, func,
			   "kernel BUG: %p is not a live per-cpu area", ptr);
	return area;
}

/* A chunk of len bytes aligned to align: a freed one of that length, else the pool's top. */
static char *percpu_chunk(size_t len, size_t align)
{
	struct slub_percpu_area *area;
	size_t at;

	list_for_each_entry(area, &percpu_free, list)
		if (area->chunk == len && ((uintptr_t)area->base & (align - 1)) == 0) {
			list_del(&area->list);
			return area->base;
		}
	if (!percpu_pool) {
		void *pool = mmap(NULL, PERCPU_POOL_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (pool == MAP_FAILED)
			return NULL;
		percpu_pool = pool;
		track_noaccess(percpu_pool, PERCPU_POOL_SIZE);
	}
	at = ALIGN(percpu_top, align);
	if (at + len > PERCPU_POOL_SIZE)
		return NULL;
	percpu_top = at + len;
	return percpu_pool + at;
}

void *__alloc_percpu(size_t size, size_t align)
{
	struct slub_percpu_area *area;
	size_t head, stride, len;
	char *base, *first;

	if (size == 0 || align > PAGE_SIZE || (align & (align - 1))) {
		slub_report(SLUB_REPORT_WARN, __FILE__, __LINE__, __func__, NULL,
			    "WARNING: illegal size (%zu) or align (%zu) for percpu allocation",
			    size, align);
		return NULL;
	}
	/* the per-cpu allocator can run short too: the harness decides, as for pages */
	if (slub_should_fail(SLUB_FAULT_PERCPU, NULL))
		return NULL;
	/* 16 suits the header, and keeps every chunk whole shadow granules for ASan */
	if (align < 16)
		align = 16;
	stride = ALIGN(size, align);
	head = ALIGN(sizeof(*area), align);
	len = head + stride * (size_t)nr_cpu_ids;
	base = percpu_chunk(len, align);
	if (!base)
		return NULL;
	track_defined(base, len);
	first = base + head;
	area = (struct slub_percpu_area *)(void *)(first - sizeof(*area));
	area->base = base;
	area->chunk = len;
	area->stride = stride;
	area->nr = nr_cpu_ids;
	area->magic = PERCPU_MAGIC;
	memset(first, 0, stride * (size_t)nr_cpu_ids);
	list_add_tail(&area->list, &percpu_areas);
	percpu_live++;
	return first;
}

static void slub_percpu_release(struct slub_percpu_area *area)
{
	list_del(&area->list);
	area->magic = 0;
	percpu_live--;
	if (!percpu_live) {
		/* the last one: the whole pool is free again */
		INIT_LIST_HEAD(&percpu_free);
		track_noaccess(percpu_pool, percpu_top);
		percpu_top = 0;
		return;
	}
	list_add(&area->list, &percpu_free);
	/* the header stays readable: the free list runs through it */
	track_noaccess((char *)(area + 1), area->chunk - (size_t)((char *)(area + 1) - (char *)area->base));
}

void free_percpu(void *ptr)
{
	if (!ptr)
		return;
	slub_percpu_release(slub_percpu_area(ptr, __func__));
}

void *slub_percpu_ptr(void *ptr, int cpu)
{
	struct slub_percpu_area *area = slub_percpu_area(ptr, __func__);

	if (cpu < 0 || cpu >= area->nr)
		slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__,
			   "kernel BUG: per_cpu_ptr(%p, %d): the area has %d cpus", ptr, cpu,
			   area->nr);
	return (char *)ptr + area->stride * (size_t)cpu;
}

/* The pool in use, whole: live areas, freed ones (poisoned) and their headers. */
void percpu_state_regions(slub_region_fn add, void *ctx)
{
	if (percpu_top)
		add(percpu_pool, percpu_top, ctx);
}

/* Before a restore: everything handed out since is unallocated pool again. */
void percpu_state_forget(void)
{
	if (percpu_top)
		track_noaccess(percpu_pool, percpu_top);
}

unsigned long slub_percpu_in_use(void)
{
	return percpu_live;
}

void slub_percpu_reset(void)
{
	struct slub_percpu_area *area, *next;

	/* a panic may have left areas behind; the next boot starts with none */
	list_for_each_entry_safe(area, next, &percpu_areas, list)
		slub_percpu_release(area);
	INIT_LIST_HEAD(&percpu_free);
	percpu_top = 0;
}
