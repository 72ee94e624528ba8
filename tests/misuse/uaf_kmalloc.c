// flavour: asan
// expect: AddressSanitizer: use-after-poison
// expect: slab-use-after-free in cache kmalloc-128
/* Use-after-free of a kmalloc object. */
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
	(void)c;
	return misuse_not_caught("read of a freed kmalloc object");
}
