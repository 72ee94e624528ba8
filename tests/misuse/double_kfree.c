// flavour: asan
// expect: BUG: KASAN: double-free in cache kmalloc-64
/* kfree twice: the second free finds the object already inaccessible. */
#include "misuse.h"

int main(void)
{
	void *p;

	misuse_boot(NULL);
	p = kmalloc(50, GFP_KERNEL);
	kfree(p);
	kfree(p);
	return misuse_not_caught("double kfree");
}
