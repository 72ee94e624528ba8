/* track.h - the one place that tells ASan, MSan and Valgrind which arena bytes are live, and
 * the helpers through which the allocator reads its own metadata inside free memory. */
#ifndef SLUBFUZZ_TRACK_H
#define SLUBFUZZ_TRACK_H

#include <stddef.h>
#include <stdint.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLUB_TRACK_ASAN 1
#endif
#if __has_feature(memory_sanitizer)
#define SLUB_TRACK_MSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SLUB_TRACK_ASAN)
#define SLUB_TRACK_ASAN 1
#endif
#if !defined(SLUB_TRACK_ASAN) && !defined(SLUB_TRACK_MSAN) && defined(SLUB_VALGRIND)
#define SLUB_TRACK_VALGRIND 1
#endif

#ifdef SLUB_TRACK_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef SLUB_TRACK_MSAN
#include <sanitizer/msan_interface.h>
#endif
#ifdef SLUB_TRACK_VALGRIND
#include <valgrind/memcheck.h>
#endif

/* Memory nobody may touch: free pages, free objects, red zones, the tail past a request. */
static inline void track_noaccess(const void *addr, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	ASAN_POISON_MEMORY_REGION(addr, size);
#elif defined(SLUB_TRACK_VALGRIND)
	VALGRIND_MAKE_MEM_NOACCESS(addr, size);
#endif
	(void)addr;
	(void)size;
}

/*
 * Whether any byte of the region is off limits (freed, a red zone): a checker asks before it
 * reads a structure that a corrupted state may have freed, so that it reports the corruption
 * instead of tripping over it. Always 0 without ASan, where such a read is stale, not undefined.
 */
static inline int track_is_noaccess(const void *addr, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	return __asan_region_is_poisoned((void *)(uintptr_t)addr, size) != NULL;
#else
	(void)addr;
	(void)size;
	return 0;
#endif
}

/* Memory handed out whose contents are not defined (a fresh object without __GFP_ZERO). */
static inline void track_undefined(const void *addr, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	ASAN_UNPOISON_MEMORY_REGION(addr, size);
#elif defined(SLUB_TRACK_MSAN)
	__msan_allocated_memory(addr, size);
#elif defined(SLUB_TRACK_VALGRIND)
	VALGRIND_MAKE_MEM_UNDEFINED(addr, size);
#endif
	(void)addr;
	(void)size;
}

/* Memory handed out with defined contents (zeroed, or written by the allocator). */
static inline void track_defined(const void *addr, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	ASAN_UNPOISON_MEMORY_REGION(addr, size);
#elif defined(SLUB_TRACK_MSAN)
	__msan_unpoison(addr, size);
#elif defined(SLUB_TRACK_VALGRIND)
	VALGRIND_MAKE_MEM_DEFINED(addr, size);
#endif
	(void)addr;
	(void)size;
}

/*
 * Objects, as KASAN/KMSAN see them. A slab's free objects, red zones and padding are
 * inaccessible; an allocated object is accessible for its size. Its contents are undefined
 * unless a constructor or __GFP_ZERO defined them.
 */
static inline void track_object_alloc(const void *obj, size_t size, int defined)
{
	if (defined)
		track_defined(obj, size);
	else
		track_undefined(obj, size);
}

static inline void track_object_free(const void *obj, size_t size)
{
	track_noaccess(obj, size);
}

/*
 * kmalloc hands out size bytes of a span-byte slot: the tail is inaccessible, as kasan_kmalloc
 * makes it; ksize and krealloc move the boundary. Addressability only: contents keep their
 * MSan state, and Valgrind tracks whole objects.
 */
static inline void track_object_resize(const void *obj, size_t span, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	ASAN_POISON_MEMORY_REGION(obj, span);
	ASAN_UNPOISON_MEMORY_REGION(obj, size);
#endif
	(void)obj;
	(void)span;
	(void)size;
}

/*
 * Metadata access. The allocator keeps free pointers inside free objects and checks red zones
 * and poison bytes that users must not touch; those reads and writes go through these helpers,
 * which are not instrumented, so the rest of the allocator stays fully checked.
 */
void track_meta_read(void *dst, const void *src, size_t n);
void track_meta_write(void *dst, const void *src, size_t n);
void track_meta_set(void *dst, int c, size_t n);
/* A free pointer read or written as one word (through a byte copy where it is unaligned). */
void *track_meta_read_ptr(const void *src);
void track_meta_write_ptr(void *dst, void *v);
/* The offset of the first of n bytes at start that is not c, or n if all are. */
size_t track_meta_scan(const void *start, int c, size_t n);

/*
 * Saving memory and putting it back with the sanitizers' view of it (snapshot.c): the bytes,
 * and for arena memory the ASan poisoning (its shadow bytes, track_shadow_bytes(n) of them)
 * or MSan's shadow, which travels with a copy. Valgrind's view cannot be read back, so a
 * Valgrind build takes no snapshots (track_can_snapshot() is 0).
 */
int track_can_snapshot(void);
size_t track_shadow_bytes(size_t n);
void track_save(void *buf, void *shadow, const void *src, size_t n);
void track_restore(void *dst, const void *buf, const void *shadow, size_t n);

/*
 * Switching stacks (sched.c's fibers): ASan must be told before and after each switch, or it
 * takes the other stack's frames for garbage (and its fake stacks for leaks); Valgrind must
 * know each fiber stack; a stack reused by a new fiber starts clean, whatever the fiber that
 * last ran on it left poisoned (a fiber abandoned after a BUG never unwinds its frames).
 * fake is where ASan keeps the leaving fiber's fake stack (NULL: it never comes back).
 */
static inline void track_fiber_leave(void **fake, const void *to_bottom, size_t to_size)
{
#ifdef SLUB_TRACK_ASAN
	__sanitizer_start_switch_fiber(fake, to_bottom, to_size);
#endif
	(void)fake;
	(void)to_bottom;
	(void)to_size;
}
/* The stack the switch came from is reported back: the first switch away from the thread's own
 * stack is how its bounds become known, for the switch back. */
static inline void track_fiber_arrive(void *fake, const void **from_bottom, size_t *from_size)
{
#ifdef SLUB_TRACK_ASAN
	__sanitizer_finish_switch_fiber(fake, from_bottom, from_size);
#else
	*from_bottom = NULL;
	*from_size = 0;
#endif
	(void)fake;
}
static inline void track_fiber_stack_fresh(void *stack, size_t size)
{
#ifdef SLUB_TRACK_ASAN
	ASAN_UNPOISON_MEMORY_REGION(stack, size);
#elif defined(SLUB_TRACK_MSAN)
	__msan_unpoison(stack, size);
#endif
	(void)stack;
	(void)size;
}
/* A new fiber stack, once: Valgrind would otherwise take a switch onto it for a stack overflow. */
static inline void track_fiber_stack_register(void *stack, size_t size)
{
#ifdef SLUB_TRACK_VALGRIND
	VALGRIND_STACK_REGISTER(stack, (char *)stack + size);
#endif
	(void)stack;
	(void)size;
}

#endif
