// flavour: asan
// expect: AddressSanitizer: use-after-poison
// expect: slab-use-after-free in cache misuse-cache
/* Use-after-free of a kmem_cache_alloc object. */
#include "misuse.h"

int main(void)
{
	struct kmem_cache *s;
	volatile char *p;

	misuse_boot(NULL);
	s = kmem_cache_create("misuse-cache", 100, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, (void *)p);
	p[10] = 1;
	return misuse_not_caught("write to a freed kmem_cache object");
}
