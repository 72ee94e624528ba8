// flavour: asan
// expect: AddressSanitizer: use-after-poison
// expect: slab-out-of-bounds \(past the request\) in cache kmalloc-16: .* 13 bytes into object
/* One byte past a kmalloc(13) request: inside the 16-byte slot, so only the tail poisoning
 * that kmalloc applies (as kasan_kmalloc does) can see it; no slub_debug is on. */
#include "misuse.h"

int main(void)
{
	volatile char *p;

	misuse_boot(NULL);
	p = kmalloc(13, GFP_KERNEL);
	p[12] = 1; /* the last requested byte is fine */
	p[13] = 1;
	return misuse_not_caught("write one byte past kmalloc(13)");
}
