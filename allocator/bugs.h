/* bugs.h - the bug catalog: realistic kernel-style defects, each compiled in alone with
 * -DSLUB_BUG_<NAME> (make BUG=<NAME>) so the benchmark can time how fast each engine finds it.
 * With none defined the build is the `fixed` allocator. Each entry: name, where, the mistake.
 * The seed variant's own defects are entries too (build BOOTSTRAP=seed, no BUG).
 */
#ifndef SLUBFUZZ_BUGS_H
#define SLUBFUZZ_BUGS_H

#define SLUB_BUG_CATALOG(X)                                                                  \
	X(GET_SLAB_OFF_BY_ONE, "kmalloc.c:get_slab",                                       \
	  "index from fls(size) - 1 instead of fls(size - 1): 257..511 bytes land in kmalloc-256") \
	X(LOST_FREELIST_UPDATE, "slub.c:__slab_alloc",                                      \
	  "taking over the page freelist as the cpu freelist without clearing page->freelist") \
	X(MISSED_LIST_DEL, "slub.c:__slab_free",                                            \
	  "an emptied partial slab is discarded without remove_partial")                    \
	X(WRONG_NODE_DEACTIVATE, "slub.c:unfreeze_slab",                                    \
	  "a deactivated slab goes to the current cpu's node list, not its page's node")    \
	X(CREATE_ERROR_LEAK, "slub_cache.c:kmem_cache_create",                              \
	  "kmem_cache_open failure returns without kfree of the new kmem_cache")            \
	X(CPU_DOWN_NO_FLUSH, "hotplug.c:slab_cpuup_callback",                               \
	  "CPU_DEAD does not flush the dead cpu's slabs")                                   \
	X(HWCACHE_ALIGN_OVERRIDES, "slub_cache.c:calculate_alignment",                      \
	  "SLAB_HWCACHE_ALIGN replaces a larger alignment the caller asked for")            \
	X(SHRINK_COUNT_LEAK, "slub_cache.c:kmem_cache_shrink",                              \
	  "shrink frees empty slabs with __free_slab, skipping dec_slabs_node")             \
	X(BUDDY_MERGE_ANY_ORDER, "page_alloc.c:__free_pages",                               \
	  "a free buddy is merged without checking it is free at the same order")           \
	X(MERGE_IGNORES_ALIGN, "slub_cache.c:find_mergeable",                               \
	  "the size is rounded only to a word, not to the alignment, and the target's size is " \
	  "not checked against the alignment: an aligned cache merges into a misaligned one") \
	X(KREALLOC_OVERREAD, "kmalloc.c:__krealloc",                                        \
	  "krealloc copies new_size bytes from the old object instead of its ksize")        \
	X(EARLY_NODE_INUSE, "slub_cache.c:early_kmem_cache_node_alloc",                     \
	  "the hand-allocated kmem_cache_node is taken off the freelist without inuse++")   \
	X(ONLINE_CANCEL_LEAK, "hotplug.c:slab_memory_callback",                             \
	  "MEM_CANCEL_ONLINE does not free the kmem_cache_nodes made for the node")         \
	X(SIZE_INDEX_MIN_SIZE, "bootstrap.c:kmem_cache_init",                               \
	  "the KMALLOC_MIN_SIZE patch-up of size_index stops one entry short, so a small size "  \
	  "maps to a kmalloc cache that was never created")                                 \
	X(REDZONE_INACTIVE_ON_ALLOC, "debug.c:alloc_debug_processing",                      \
	  "a newly allocated object's red zone is written inactive (init_object(s, p, 0))")  \
	X(SIZE_INDEX_96_TO_128, "kmalloc.c:size_index_default",                            \
	  "the 72..96 row of size_index names kmalloc-128: kmalloc-96 is never used")        \
	X(NODE_ONLY_THISNODE, "slub.c:__slab_alloc",                                        \
	  "new_slab gets the requested node only under __GFP_THISNODE: a node request is "  \
	  "served from the local node though the requested one has pages")                  \
	X(FULL_LIST_ANY_DEBUG, "slub.c:unfreeze_slab",                                      \
	  "add_full/remove_full test kmem_cache_debug instead of SLAB_STORE_USER: full "    \
	  "slabs of every debug cache go on the full list")                                 \
	X(FREE_KEEPS_EMPTY_SLAB, "slub.c:__slab_free",                                      \
	  "an emptied slab stays on the partial list while the node has fewer than "        \
	  "min_partial (unfreeze_slab's rule), instead of being discarded")                 \
	X(TOTAL_OBJECTS_FROM_OO, "slub.c:new_slab",                                         \
	  "inc_slabs_node counts oo_objects(s->oo), not page->objects: a slab of the "      \
	  "fallback order inflates total_objects")                                          \
	X(SHRINK_SORT_REVERSED, "slub_cache.c:kmem_cache_shrink",                           \
	  "the slabs_by_inuse lists are spliced at the head: the partial list ends least "  \
	  "used first")                                                                     \
	X(MERGE_SAME_FLAGS_IGNORED, "slub_cache.c:find_mergeable",                          \
	  "SLUB_MERGE_SAME flags are not compared: a SLAB_CACHE_DMA or "                    \
	  "SLAB_RECLAIM_ACCOUNT cache merges into a plain one")

#endif
