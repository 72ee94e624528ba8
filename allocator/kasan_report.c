/* kasan_report.c - when ASan reports a bad access inside the arena, say what it hit the way
 * KASAN does: the cache, the object, the offset, and whether the object is free. */
#include "slub_def.h"
#include "track.h"

#ifdef SLUB_TRACK_ASAN
#include <stdio.h>
#include <unistd.h>

/* Is object on page's freelist or on the freelist of a cpu that holds page as its slab? */
static int slub_object_is_free(struct kmem_cache *s, struct page *page, void *object)
{
	int cpu, budget = page->objects + 1;
	void *p;

	for (p = page->freelist; p && budget-- > 0; p = get_freepointer(s, p))
		if (p == object)
			return 1;
	for_each_possible_cpu(cpu) {
		struct kmem_cache_cpu *c;

		if (!s->cpu_slab)
			break;
		c = per_cpu_ptr(s->cpu_slab, cpu);
		if (c->page != page)
			continue;
		budget = page->objects + 1;
		for (p = c->freelist; p && budget-- > 0; p = get_freepointer(s, p))
			if (p == object)
				return 1;
	}
	return 0;
}

/*
 * Describes addr into buf. Only reads allocator state that a consistent allocator keeps
 * valid; a slab whose owner pointer is outside the arena is described, not followed.
 */
static void slub_describe_address(const void *addr, char *buf, size_t len)
{
	struct kmem_cache *s;
	struct page *page;
	char *base, *object;
	long offset, index;

	if (!pa_addr_valid(addr)) {
		slub_snprintf(buf, len, "address %p is outside the slubfuzz arena\n", addr);
		return;
	}
	page = virt_to_head_page(addr);
	base = page_address(page);
	if (!PageSlab(page)) {
		slub_snprintf(buf, len,
			      "address %p is in a %s page (node %d, order %u) that is not a slab: "
			      "kmalloc_large or page allocator memory%s\n",
			      addr, page->_count > 0 ? "allocated" : "free", page_to_nid(page),
			      compound_order(page), page->_count > 0 ? "" : " (already freed)");
		return;
	}
	s = page->slab;
	if (!pa_addr_valid(s) && !kmem_cache) {
		slub_snprintf(buf, len, "address %p is in a slab whose cache is unknown\n", addr);
		return;
	}
	index = ((char *)addr - base) / s->size;
	object = base + index * s->size;
	offset = (char *)addr - object;
	if (index >= page->objects) {
		slub_snprintf(buf, len,
			      "BUG: slab-out-of-bounds in cache %s: address %p is in the padding "
			      "at the end of a slab (objects %d, object size %d)\n",
			      s->name, addr, page->objects, s->size);
		return;
	}
	slub_snprintf(buf, len,
		      "%s in cache %s: address %p is %ld bytes into object %p (object %ld of the "
		      "slab on node %d; objsize %d, slot %d)\n",
		      slub_object_is_free(s, page, object)
			      ? "BUG: slab-use-after-free"
			      : offset >= s->objsize ? "BUG: slab-out-of-bounds (past objsize)"
						     : "BUG: slab-out-of-bounds (past the request)",
		      s->name, addr, offset, (void *)object, index, page_to_nid(page), s->objsize,
		      s->size);
}

static void slub_asan_report(const char *report)
{
	char buf[512];
	void *addr = __asan_get_report_address();
	ssize_t ignored;

	(void)report;
	if (!addr)
		return;
	slub_describe_address(addr, buf, sizeof(buf));
	ignored = write(2, "slubfuzz: ", 10);
	ignored = write(2, buf, strlen(buf));
	(void)ignored;
}

__attribute__((constructor)) static void slub_asan_report_init(void)
{
	__asan_set_error_report_callback(slub_asan_report);
}

/*
 * KASAN's free-time check: an object that is already inaccessible was freed before, and a
 * pointer that is not an object's start was never handed out. Either is reported with
 * KASAN's words and the free is skipped, so the freelist stays intact for the report.
 */
int kasan_slab_free(struct kmem_cache *s, struct page *page, void *object)
{
	const char *what = NULL;

	if (!check_valid_pointer(s, page, object))
		what = "invalid-free";
	else if (!(s->flags & SLAB_DESTROY_BY_RCU) && __asan_address_is_poisoned(object))
		what = "double-free";
	if (!what)
		return 0;
	slub_fatal(SLUB_REPORT_BUG, __FILE__, __LINE__, __func__,
		   "BUG: KASAN: %s in cache %s: object %p (slab on node %d, object size %d)",
		   what, s->name, object, page_to_nid(page), s->objsize);
}
#else
int kasan_slab_free(struct kmem_cache *s, struct page *page, void *object)
{
	(void)s;
	(void)page;
	(void)object;
	return 0;
}
#endif
