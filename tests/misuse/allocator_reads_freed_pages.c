// flavour: asan-seed
// expect: ERROR: AddressSanitizer
// expect: #0 .* in __ksize
/*
 * The allocator itself touching a structure whose pages it freed: in the seed variant the
 * slab that holds the boot kmem_cache objects still names the temporary kmem_cache, which
 * kmem_cache_init gave back to the page allocator (and which a kmalloc slab has since reused).
 * ksize() of an object in that slab follows page->slab into those pages. (Deliberate: no user
 * would ksize a kmem_cache.)
 */
#include "misuse.h"

extern struct kmem_cache *kmalloc_caches[];

int main(void)
{
	size_t n;

	misuse_boot(NULL);
	n = ksize(kmalloc_caches[3]);
	printf("ksize %zu\n", n);
	return misuse_not_caught("the allocator reading freed pages");
}
