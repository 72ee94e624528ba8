/* track.c - byte copies of allocator metadata that the sanitizers must not check: free pointers
 * inside free objects, red zones and poison that the user may not touch but the allocator may. */
#include "track.h"

/*
 * Not instrumented, and never inlined into an instrumented caller. gcc knows no "memory"
 * sanitizer and warns about the name, so it is asked for only when MSan is on (clang only).
 */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize) && defined(SLUB_TRACK_MSAN)
#define TRACK_UNCHECKED __attribute__((noinline, no_sanitize("address", "memory")))
#elif __has_attribute(no_sanitize)
#define TRACK_UNCHECKED __attribute__((noinline, no_sanitize("address")))
#elif __has_attribute(no_sanitize_address)
#define TRACK_UNCHECKED __attribute__((noinline, no_sanitize_address))
#endif
#endif
#ifndef TRACK_UNCHECKED
#define TRACK_UNCHECKED __attribute__((noinline))
#endif

/* Valgrind cannot be told per function; errors are muted around the copy instead. */
#ifdef SLUB_TRACK_VALGRIND
#define TRACK_QUIET_BEGIN() VALGRIND_DISABLE_ERROR_REPORTING
#define TRACK_QUIET_END() VALGRIND_ENABLE_ERROR_REPORTING
#else
#define TRACK_QUIET_BEGIN() do { } while (0)
#define TRACK_QUIET_END() do { } while (0)
#endif

/* volatile keeps the loop a loop: a memcpy/memset call would be intercepted and checked. */
TRACK_UNCHECKED void track_meta_read(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const volatile unsigned char *s = src;

	TRACK_QUIET_BEGIN();
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	TRACK_QUIET_END();
}

TRACK_UNCHECKED void track_meta_write(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const volatile unsigned char *s = src;

	TRACK_QUIET_BEGIN();
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	TRACK_QUIET_END();
}

TRACK_UNCHECKED void track_meta_set(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	TRACK_QUIET_BEGIN();
	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)c;
	TRACK_QUIET_END();
}
