// flavour: valgrind
// expect: Invalid read of size 1
// expect: uaf_valgrind.c:
/* The use-after-free of uaf_kmalloc.c, caught by memcheck in the plain build through the
 * allocator's client requests. */
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
	return misuse_not_caught("read of a freed kmalloc object (valgrind)");
}
