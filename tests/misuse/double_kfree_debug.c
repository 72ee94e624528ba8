// flavour: plain
// expect: BUG kmalloc-64: Object already free
// expect: FIX kmalloc-64
/* kfree twice in a plain build with slub_debug=F: no sanitizer, so the allocator's own
 * free_debug_processing must catch it, in the kernel's words, and refuse the second free. */
#include "misuse.h"

int main(void)
{
	void *p;

	misuse_boot("F");
	p = kmalloc(50, GFP_KERNEL);
	kfree(p);
	kfree(p);
	return misuse_not_caught("double kfree (slub_debug=F)");
}
