// flavour: asan valgrind
// expect asan: AddressSanitizer: use-after-poison
// expect asan: slab-use-after-free in cache kmalloc-128
// expect valgrind: Invalid read of size 1
// expect valgrind: uaf_kmalloc.c:
/* Use-after-free of a kmalloc object: ASan through the allocator's poisoning, memcheck in the
 * plain build through its client requests. */
#include "misuse.h"

int main(void)
{
	volatile char *p;
	char c;

	misuse_boot(NULL);
	p = kmalloc(100, GFP_KERNEL);
	p[0] = 1;
	kfree((void *)p);
	c = p[0];
	printf("%d\n", c); /* used, or valgrind's JIT may drop the load */
	return misuse_not_caught("read of a freed kmalloc object");
}
