// flavour: asan valgrind
// expect asan: AddressSanitizer: use-after-poison
// expect asan: #0 .* in main .*cursor_past_slab_caches.c
// expect valgrind: Invalid read of size 8
// expect valgrind: cursor_past_slab_caches.c:
/*
 * A list cursor used after list_for_each_entry ran to the end of slab_caches: it is the
 * "kmem_cache" made of the list head, and its name lies in front of the head. The guard
 * before slab_caches (slub_def.h) must stop the read whatever global the build puts there;
 * 2.6.36's slab_sysfs_init made this read (catalog UPSTREAM_ALIAS_MSG_NAME).
 */
#include "misuse.h"
#include "slub_def.h"

int main(void)
{
	struct kmem_cache *s;
	const char *volatile name;
	int n = 0;

	misuse_boot(NULL);
	list_for_each_entry(s, &slab_caches, list)
		n++;
	name = s->name;
	printf("%d caches; past the end: %p\n", n, (void *)name);
	return misuse_not_caught("a cursor past the end of slab_caches");
}
