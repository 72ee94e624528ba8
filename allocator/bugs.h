/* bugs.h - the bug catalog: realistic kernel-style defects, each compiled in alone with
 * -DSLUB_BUG_<NAME> (make BUG=<NAME>) so the benchmark can time how fast each engine finds it.
 * With none defined the build is the `fixed` allocator. Each entry: name, where, the mistake.
 *
 * RACE_<WHAT> entries narrow 2.6.36's locking on a path that runs on several cpus at once: run
 * one task at a time, each behaves exactly as `fixed`; only an interleaving of tasks on two
 * cpus (slub_sched_run, slub.h), or of a task and an interrupt on its own cpu at a yield point
 * (the point hook, slub.h: the fuzz event irq_at), shows the defect. allocator/README.md's race table gives each
 * one's window and what reports it.
 *
 * SLUB_HISTORY_CATALOG lists SLUB's real defects the same way: SEED_<WHAT> are the seed
 * patch's own, UPSTREAM_<WHAT> those of the 2.6.36 code under it, each naming the upstream fix.
 * BOOTSTRAP=seed has all of them at once (the seed as posted); BUG=<NAME> puts one back into
 * `fixed`. The code tests `!defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_<NAME>)` around
 * each correction.
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
	  "SLAB_RECLAIM_ACCOUNT cache merges into a plain one")                          \
	X(PARTIAL_SKIPS_NODE_LIST, "slub.c:get_partial",                                    \
	  "a node-specific request skips the node's partial list (only NUMA_NO_NODE "        \
	  "searches it): alloc_node takes a new slab beside partial slabs with room")       \
	X(DEACTIVATE_DISCARDS_EMPTY, "slub.c:unfreeze_slab",                                \
	  "an empty slab deactivated is discarded even while nr_partial < min_partial: "    \
	  "the min_partial reserve is never kept")                                          \
	X(DEACTIVATE_KEEPS_EVERY_EMPTY, "slub.c:unfreeze_slab",                             \
	  "an empty slab deactivated is kept on the partial list whatever nr_partial is: "  \
	  "empty slabs pile up past min_partial")                                           \
	X(DEACTIVATE_LOSES_EMPTY, "slub.c:unfreeze_slab",                                   \
	  "an empty slab deactivated at or past min_partial is unlocked but never "         \
	  "discarded: it stays counted, on no list, and never goes back")                  \
	X(RACE_FREE_PUSH_UNLOCKED, "slub.c:__slab_free",                                    \
	  "the object is pushed onto page->freelist before slab_lock is taken: a refill "   \
	  "or a free on another cpu between the load and the store of page->freelist"    \
	  " loses or hands out objects twice")                                             \
	X(RACE_FREE_FROZEN_BEFORE_LOCK, "slub.c:__slab_free",                               \
	  "PageSlubFrozen is read before slab_lock: a slab another cpu froze meanwhile is " \
	  "added to the partial list while it is that cpu's slab")                         \
	X(RACE_REFILL_BEFORE_LOCK, "slub.c:__slab_alloc",                                   \
	  "the refill reads c->page->freelist before slab_lock: an object another cpu "     \
	  "freed meanwhile is cut off the freelist and never handed out again")            \
	X(RACE_FLUSH_MERGE_UNLOCKED, "slub.c:flush_slab",                                   \
	  "the cpu freelist is merged back into page->freelist before slab_lock: a free "   \
	  "from another cpu between the load and the store of page->freelist is lost")     \
	X(RACE_NR_PARTIAL_UNLOCKED, "slub.c:add_partial/remove_partial",                    \
	  "n->nr_partial is updated after spin_unlock: another cpu under list_lock finds "  \
	  "the partial list and its count apart")                                          \
	X(RACE_SHRINK_DISCARD_UNLOCKED, "slub_cache.c:kmem_cache_shrink",                   \
	  "an empty partial slab is discarded without slab_trylock: a __slab_free that "    \
	  "emptied it, holding its slab_lock, waits for list_lock to discard it itself")   \
	X(RACE_FREE_FASTPATH_IRQS_ON, "slub.c:slab_free",                                   \
	  "the fast path pins the task with preempt_disable instead of local_irq_save: an " \
	  "interrupt on the same cpu between the load and the store of c->freelist "       \
	  "allocates the head, and the store puts it back: handed out twice")

#define SLUB_HISTORY_CATALOG(X)                                                              \
	X(SEED_FIXUP_CPU_SLAB, "bootstrap.c:kmem_cache_bootstrap_fixup",                    \
	  "the boot cpu slab is on no list, so its page keeps naming the freed temporary "  \
	  "kmem_cache (later kernels flush it in bootstrap())")                             \
	X(SEED_FIXUP_FULL_LIST, "bootstrap.c:kmem_cache_bootstrap_fixup",                   \
	  "the full-list walk is under CONFIG_SLAB_DEBUG, so it never runs "                \
	  "(607bf324ab3 \"slub: Fix a typo in config name\", 2.6.39)")                      \
	X(SEED_FIXUP_UNLISTED_FULL, "bootstrap.c:kmem_cache_init",                          \
	  "a full boot slab without SLAB_STORE_USER is on no list and keeps naming the "    \
	  "temporary kmem_cache (found here; no upstream fix)")                             \
	X(SEED_BOOT_ALLOC_UNCHECKED, "bootstrap.c:kmem_cache_init",                         \
	  "__get_free_pages and kmem_cache_alloc(kmem_cache) results used unchecked: a "    \
	  "NULL dereference instead of a panic (no upstream fix)")                          \
	X(SEED_KMALLOC_CACHE_UNCHECKED, "bootstrap.c:create_kmalloc_cache",                 \
	  "the new kmem_cache is opened without checking the allocation "                   \
	  "(later kernels panic there)")                                                    \
	X(SEED_HOTPLUG_KMALLOC_CACHES, "hotplug.c:slab_memory_callback",                    \
	  "node online/offline allocate and free kmem_cache_nodes through the "             \
	  "kmalloc_caches pointer array taken for a cache (8de66a0c022c \"Slub: Fix up "     \
	  "missing kmalloc_cache -> kmem_cache_node case for memoryhotplug\", 2.6.37)")      \
	X(UPSTREAM_DMA_NAME_UNCHECKED, "bootstrap.c:kmem_cache_init_late",                 \
	  "10/19 as posted creates each dma-kmalloc cache with kasprintf's name unchecked: a " \
	  "NULL name that kmem_cache_flags' strncmp (slub_debug=,<names>) or slab_sysfs_init " \
	  "dereferences (55136592fed, the 10/19 merged for 2.6.37, has BUG_ON(!name))")       \
	X(UPSTREAM_VALIDATE_FREELIST_CYCLE, "validate.c:validate_slab",                     \
	  "a cyclic free list (double free, overwritten free pointer) keeps validate_slab's " \
	  "for_each_free_object walk going for ever under list_lock: a soft lockup (not "     \
	  "fixed upstream: get_map, __fill_map walk it unbounded too)")                      \
	X(UPSTREAM_CREATE_LOCK_IMBALANCE, "slub_cache.c:kmem_cache_create",                 \
	  "both failure paths return with slub_lock held (68cee4f118c2 \"slub: Fix "         \
	  "slub_lock down/up imbalance\", 2.6.37)")                                         \
	X(UPSTREAM_CREATE_SYSFS_LEAK, "slub_cache.c:kmem_cache_create",                     \
	  "a sysfs failure kfrees only s: per-cpu area, kmem_cache_nodes and the unique id " \
	  "leak (later kernels release them; 2420baa8e046, 2024, stops failing there)")     \
	X(UPSTREAM_SYSFS_ADD_RELEASE, "sysfs.c:sysfs_slab_add",                             \
	  "a failed registration's kobject release kfrees s: kmem_cache_create frees it "   \
	  "again, slab_sysfs_init frees a live boot cache (2420baa8e046 \"mm/slab: Allow "   \
	  "cache creation to proceed even if sysfs registration fails\", 2024)")            \
	X(UPSTREAM_UNIQUE_ID_BUG_ON, "sysfs.c:create_unique_id",                            \
	  "BUG_ON(!name) on a failed kmalloc instead of -ENOMEM (7e9c323c52b3, v6.0)")       \
	X(UPSTREAM_EARLY_DESTROY_LEAK, "sysfs.c:sysfs_slab_remove",                         \
	  "a cache destroyed before slab_sysfs_init is never freed (2bce6485 made it; "     \
	  "later kernels free it in the common kmem_cache_destroy)")                        \
	X(UPSTREAM_ALIAS_MSG_NAME, "sysfs.c:slab_sysfs_init",                               \
	  "the boot alias failure message reads s->name of the list cursor past the end "   \
	  "of slab_caches (later kernels print al->name)")                                  \
	X(UPSTREAM_STAT_NULL_CPU_SLAB, "slub.c:stat",                                       \
	  "an order fallback in early_kmem_cache_node_alloc counts ORDER_FALLBACK through "  \
	  "kmem_cache_node's NULL cpu_slab (no upstream fix known)")                       \
	X(UPSTREAM_SMALL_OBJECT_REDZONE, "slub_cache.c:calculate_sizes",                    \
	  "a red-zoned object smaller than a word keeps its free pointer at offset 0, over " \
	  "its red zone: false \"Redzone overwritten\" (74c1d3e08153 \"mm/slub: fix "      \
	  "redzoning for small allocations\", v5.13)")                                     \
	X(UPSTREAM_EARLY_NODE_FOREIGN_SLAB, "slub_cache.c:early_kmem_cache_node_alloc",     \
	  "a node without memory for kmem_cache_node's first slab gets another node's page, "\
	  "counted and listed on the wrong node for good: counts drift, offlining the node " \
	  "BUGs (no upstream fix; later kernels keep the \"useless per node structure\")") \
	X(UPSTREAM_ORDER_STORE_NO_OBJECTS, "slab_attr.c:order_store",                       \
	  "an order too small for one object is taken (calculate_sizes' answer ignored): "  \
	  "new_slab makes a zero-object slab whose one object overruns the page; one with " \
	  "more than MAX_OBJS_PER_PAGE objects overflows oo's count into its order (kept "  \
	  "until 32a6f409b693 \"mm, slub: remove runtime allocation order changes\", "     \
	  "v5.9)")                                                                          \
	X(UPSTREAM_RELAYOUT_STALE_OFFSET, "slab_attr.c:red_zone/poison/store_user_store",  \
	  "calculate_sizes never moves the free pointer back into the object: after "       \
	  "poison_store 0 it lies past s->size, over the next object (\"slub: relocate "   \
	  "freelist pointer to middle of object\", v5.7)")                                 \
	X(UPSTREAM_ATTR_STORE_DUP_DIRECTORY, "slab_attr.c:flag stores",                    \
	  "a merge-relevant flag of a cache filed under its unique id changes, the next "   \
	  "such create gets the same id and fails (the stores became read-only in v5.9)")  \
	X(UPSTREAM_RELAYOUT_RCU_PENDING, "slab_attr.c:red_zone/poison/store_user_store",   \
	  "a SLAB_DESTROY_BY_RCU slab awaiting its grace period is out of the counters, so " \
	  "the cache is re-laid under it and rcu_free_slab checks it with the new layout "  \
	  "(no upstream fix before the stores became read-only, v5.9)")                     \
	X(UPSTREAM_SHOW_NODES_OVERFLOW, "slab_attr.c:show_slab_objects",                   \
	  "each node's \" N%d=%lu\" is sprintf'd into the one-page sysfs buffer unbounded: "  \
	  "slabs on a few hundred nodes overrun the page (bounded by bf16d19aabd8 \"mm: "    \
	  "slub: convert sysfs sprintf family to sysfs_emit/sysfs_emit_at\", v5.12)")       \
	X(UPSTREAM_DEBUG_FLAG_LIVE_CPU_SLAB, "slab_attr.c:flag_store",                     \
	  "sanity_checks/trace turned on keep each lockless cpu slab: its allocations and "  \
	  "same-cpu frees skip the checks, a double free there goes unreported (the stores " \
	  "became read-only: 060807f841ac, v5.9)")                                          \
	X(UPSTREAM_CHECK_SLAB_MSG_ARGS, "debug.c:check_slab",                              \
	  "slab_err gets s->name before the counts: \"objects %u > max %u\" prints the "      \
	  "name's address and the wrong count (later kernels pass the counts only)")        \
	X(UPSTREAM_SYSFS_REMOVE_OTHER_DIR, "sysfs.c:sysfs_slab_add/sysfs_slab_alias",      \
	  "sysfs_remove_link before a cache's directory or alias removes any entry of the "  \
	  "name, another cache's directory included; that cache's destroy then BUGs in "    \
	  "sysfs_remove_one (not fixed as such; kernfs, v3.14, made the removal harmless)")  \
	X(UPSTREAM_MERGED_CACHE_NAME, "slub_cache.c:kmem_cache_create",                      \
	  "s->name is the caller's pointer: a cache another create merged into outlives its " \
	  "first creator's destroy under a name the module freed; slabinfo, slub_debug and " \
	  "sysfs read freed memory (84c1cf62465e \"SLUB: Fix merged slab cache names\", "   \
	  "v2.6.37, kstrdup's it)")                                                          \
	X(UPSTREAM_EARLY_ALIAS_NAME, "sysfs.c:sysfs_slab_alias",                             \
	  "an alias made before slab_sysfs_init saves the caller's name pointer: a merged "  \
	  "cache destroyed and its name freed before then leaves slab_sysfs_init reading "   \
	  "freed memory (not fixed upstream: later kernels still save the pointer)")        \
	X(UPSTREAM_PAD_RESTORE_RANGE, "debug.c:slab_pad_check",                              \
	  "the padding FIX restores from end - remainder after end moved back to the last "  \
	  "overwritten byte: POISON_INUSE over the last object's tail (\"mm/slub.c: Fix "   \
	  "wrong address during slab padding restoration\", v4.16)")  \
	X(UPSTREAM_MEMORYLESS_NODE_PARTIAL, "slub.c:get_partial",                           \
	  "a request for a memoryless node searches that node's (absent) partial list and " \
	  "refuses the cpu slab of the node with memory it fell back to: a new slab per "   \
	  "request, partial slabs left behind (a561ce00b09e \"slub: fall back to "         \
	  "node_to_mem_node() node if allocating on memoryless node\", v3.17)")

#endif
