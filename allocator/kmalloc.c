/* kmalloc.c - the kmalloc family: size_index and get_slab, __kmalloc/__kmalloc_node, the
 * page-allocator path above SLUB_MAX_SIZE, ksize, kfree, krealloc, kzalloc, kasprintf. */
#include "slub_def.h"
#include "track.h"

__slub_state struct kmem_cache *kmalloc_caches[SLUB_PAGE_SHIFT];
__slub_state struct kmem_cache *kmalloc_dma_caches[SLUB_PAGE_SHIFT];

/*
 * Index into kmalloc_caches for sizes up to 192 in steps of 8: the 96 and 192 byte caches sit
 * at indices 1 and 2. kmem_cache_init patches it for a KMALLOC_MIN_SIZE above 8.
 */
static const s8 size_index_default[24] = {
	3, 4, 5, 5, 6, 6, 6, 6, /*   8 ..  64 */
#ifdef SLUB_BUG_SIZE_INDEX_96_TO_128
	7, 7, 7, 7, 7, 7, 7, 7, /*  72 .. 128 */
#else
	1, 1, 1, 1, 7, 7, 7, 7, /*  72 .. 128 */
#endif
	2, 2, 2, 2, 2, 2, 2, 2, /* 136 .. 192 */
};
__slub_state s8 size_index[24];

void size_index_init(void)
{
	memcpy(size_index, size_index_default, sizeof(size_index));
}

struct kmem_cache *get_slab(size_t size, gfp_t flags)
{
	int index;

	if (size <= 192) {
		if (!size)
			return ZERO_SIZE_PTR;
		index = size_index[size_index_elem(size)];
	} else {
#ifdef SLUB_BUG_GET_SLAB_OFF_BY_ONE
		index = fls((unsigned int)size) - 1;
#else
		index = fls((unsigned int)(size - 1));
#endif
	}

	if (unlikely(flags & SLUB_DMA))
		return kmalloc_dma_caches[index];
	return kmalloc_caches[index];
}

/* The bytes past the request are the allocator's, as kasan_kmalloc_large makes them. */
static void *kmalloc_large_track(void *ptr, size_t size)
{
	if (ptr)
		track_object_resize(ptr, PAGE_SIZE << get_order(size), size);
	return ptr;
}

void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned int order = (unsigned int)get_order(size);

	return kmalloc_large_track((void *)__get_free_pages(flags | __GFP_COMP, order), size);
}

static void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	struct page *page;

	flags |= __GFP_COMP | __GFP_NOTRACK;
	page = alloc_pages_node(node, flags, (unsigned int)get_order(size));
	return kmalloc_large_track(page ? page_address(page) : NULL, size);
}

/* A kmalloc object is accessible up to the request, not to the end of its slot. */
static void *kmalloc_track(struct kmem_cache *s, void *object, size_t size)
{
	if (object)
		track_object_resize(object, (size_t)s->objsize, size);
	return object;
}

void *__kmalloc(size_t size, gfp_t flags)
{
	struct kmem_cache *s;

	if (unlikely(size > SLUB_MAX_SIZE))
		return kmalloc_large(size, flags);

	s = get_slab(size, flags);
	if (unlikely(ZERO_OR_NULL_PTR(s)))
		return s;
	return kmalloc_track(s, slab_alloc(s, flags, NUMA_NO_NODE, _RET_IP_), size);
}

void *__kmalloc_node(size_t size, gfp_t flags, int node)
{
#ifdef CONFIG_NUMA
	struct kmem_cache *s;

	if (unlikely(size > SLUB_MAX_SIZE))
		return kmalloc_large_node(size, flags, node);

	s = get_slab(size, flags);
	if (unlikely(ZERO_OR_NULL_PTR(s)))
		return s;
	return kmalloc_track(s, slab_alloc(s, flags, node, _RET_IP_), size);
#else
	(void)node;
	(void)kmalloc_large_node;
	return __kmalloc(size, flags);
#endif
}

/*
 * The kernel's inline kmalloc resolves constant sizes to a cache at compile time; with
 * KMALLOC_MIN_SIZE a boot choice here, every size takes the __kmalloc path, which gives the
 * same cache.
 */
void *kmalloc(size_t size, gfp_t flags)
{
	return __kmalloc(size, flags);
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return __kmalloc_node(size, flags, node);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static size_t __ksize(const void *object)
{
	struct kmem_cache *s;
	struct page *page;

	if (unlikely(object == ZERO_SIZE_PTR))
		return 0;

	page = virt_to_head_page(object);
	if (unlikely(!PageSlab(page))) {
		WARN_ON(!PageCompound(page));
		return PAGE_SIZE << compound_order(page);
	}
	s = page->slab;

	/* Debugging owns the bytes after the object. */
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return (size_t)s->objsize;
	/* The free pointer or the tracks follow the object. */
	if (s->flags & (SLAB_DESTROY_BY_RCU | SLAB_STORE_USER))
		return (size_t)s->inuse;
	return (size_t)s->size;
}

/* Whoever asks for ksize may use all of it, so all of it becomes accessible (as KASAN does). */
size_t ksize(const void *object)
{
	size_t size = __ksize(object);

	if (size)
		track_object_resize(object, size, size);
	return size;
}

void kfree(const void *x)
{
	struct page *page;
	void *object = (void *)x;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;

	page = virt_to_head_page(x);
	if (unlikely(!PageSlab(page))) {
		BUG_ON(!PageCompound(page));
		/* put_page of the last reference frees the compound page. */
		__free_pages(page, compound_order(page));
		return;
	}
	slab_free(page->slab, page, object, _RET_IP_);
}

/* mm/util.c: keeps p when it already has room, else moves the contents. */
static void *__krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size))
		return ZERO_SIZE_PTR;
	if (p)
		ks = ksize(p);
	if (ks >= new_size) {
		track_object_resize(p, ks, new_size);
		return (void *)p;
	}

	ret = kmalloc(new_size, flags);
#ifdef SLUB_BUG_KREALLOC_OVERREAD
	if (ret && p)
		memcpy(ret, p, new_size);
#else
	if (ret && p)
		memcpy(ret, p, ks);
#endif
	return ret;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	ret = __krealloc(p, new_size, flags);
	if (ret && p != ret)
		kfree(p);
	return ret;
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int len;

	va_start(ap, fmt);
	len = slub_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);

	p = kmalloc((size_t)len + 1, gfp);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	slub_vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}
