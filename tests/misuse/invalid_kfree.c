// flavour: asan
// expect: BUG: KASAN: invalid-free in cache kmalloc-64
/* kfree of a pointer into the middle of an object. */
#include "misuse.h"

int main(void)
{
	char *p;

	misuse_boot(NULL);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p + 8);
	return misuse_not_caught("kfree of an interior pointer");
}
