// flavour: msan
// expect: MemorySanitizer: use-of-uninitialized-value
// expect: Memory was marked as uninitialized
// expect: in slab_alloc
/* Reading a fresh kmalloc object before any write: its contents are undefined (KMSAN). The
 * same bytes were written and freed before, so only the allocator's annotation can tell. */
#include "misuse.h"

int main(void)
{
	volatile char *p;

	misuse_boot(NULL);
	p = kmalloc(64, GFP_KERNEL);
	p[5] = 42;
	kfree((void *)p);
	p = kmalloc(64, GFP_KERNEL); /* the same object again */
	if (p[5] == 42)
		printf("stale contents visible\n");
	return misuse_not_caught("read of uninitialised kmalloc memory");
}
