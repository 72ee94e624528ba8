/* debug.c - slub_debug. INTERIM: minimal bodies so the core links; issue 3 replaces them. */
#include "slub_def.h"

int disable_higher_order_debug;
static unsigned long slub_debug;

unsigned long kmem_cache_flags(unsigned long objsize, unsigned long flags, const char *name,
			       void (*ctor)(void *))
{
	(void)objsize; (void)name; (void)ctor;
	return flags | slub_debug;
}
void setup_object_debug(struct kmem_cache *s, struct page *page, void *object)
{
	(void)s; (void)page; (void)object;
}
int alloc_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			   unsigned long addr)
{
	(void)s; (void)page; (void)object; (void)addr;
	return 1;
}
int free_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			  unsigned long addr)
{
	(void)s; (void)page; (void)object; (void)addr;
	return 1;
}
void init_object(struct kmem_cache *s, void *object, int active)
{
	(void)s; (void)object; (void)active;
}
void init_tracking(struct kmem_cache *s, void *object)
{
	(void)s; (void)object;
}
int check_object(struct kmem_cache *s, struct page *page, void *object, int active)
{
	(void)s; (void)page; (void)object; (void)active;
	return 1;
}
int slab_pad_check(struct kmem_cache *s, struct page *page)
{
	(void)s; (void)page;
	return 1;
}
void add_full(struct kmem_cache_node *n, struct page *page)
{
	spin_lock(&n->list_lock);
	list_add(&page->lru, &n->full);
	spin_unlock(&n->list_lock);
}
void remove_full(struct kmem_cache *s, struct page *page)
{
	struct kmem_cache_node *n;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	n = get_node(s, page_to_nid(page));
	spin_lock(&n->list_lock);
	list_del(&page->lru);
	spin_unlock(&n->list_lock);
}
void slab_err(struct kmem_cache *s, struct page *page, const char *fmt, ...)
{
	va_list ap;

	(void)page;
	va_start(ap, fmt);
	slub_vreport(SLUB_REPORT_SLAB_ERR, __FILE__, __LINE__, __func__, s->name, fmt, ap);
	va_end(ap);
}
void print_tracking(struct kmem_cache *s, void *object)
{
	(void)s; (void)object;
}
int setup_slub_debug(const char *str)
{
	(void)str;
	return 1;
}
void slub_debug_reset(void)
{
	slub_debug = 0;
	disable_higher_order_debug = 0;
}
