/* track.c - byte copies of allocator metadata that the sanitizers must not check: free pointers
 * inside free objects, red zones and poison that the user may not touch but the allocator may. */
#include "track.h"

/*
 * Not instrumented, and never inlined into an instrumented caller. gcc knows no "memory"
 * sanitizer and warns about the name, so it is asked for only when MSan is on (clang only).
 */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize) && defined(SLUB_TRACK_MSAN)
#define TRACK_NOSANITIZE __attribute__((no_sanitize("address", "memory")))
#elif __has_attribute(no_sanitize)
#define TRACK_NOSANITIZE __attribute__((no_sanitize("address")))
#elif __has_attribute(no_sanitize_address)
#define TRACK_NOSANITIZE __attribute__((no_sanitize_address))
#endif
#endif
#ifndef TRACK_NOSANITIZE
#define TRACK_NOSANITIZE
#endif
#define TRACK_UNCHECKED __attribute__((noinline)) TRACK_NOSANITIZE

/* Valgrind cannot be told per function; errors are muted around the copy instead. */
#ifdef SLUB_TRACK_VALGRIND
#define TRACK_QUIET_BEGIN() VALGRIND_DISABLE_ERROR_REPORTING
#define TRACK_QUIET_END() VALGRIND_ENABLE_ERROR_REPORTING
#else
#define TRACK_QUIET_BEGIN() do { } while (0)
#define TRACK_QUIET_END() do { } while (0)
#endif

/*
 * volatile keeps the loops loops: the optimiser would turn a plain copy or fill into a call
 * to memcpy or memset, which the sanitizer runtimes intercept and check. Whole words are
 * moved as words (a free pointer is one load), the unaligned ends byte by byte.
 */
#define TRACK_WORD sizeof(unsigned long)
#define TRACK_ALIGNED(p) (((unsigned long)(p) & (TRACK_WORD - 1)) == 0)

static inline TRACK_NOSANITIZE void track_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (TRACK_ALIGNED(d) && TRACK_ALIGNED(s))
		for (; n >= TRACK_WORD; n -= TRACK_WORD, d += TRACK_WORD, s += TRACK_WORD)
			*(volatile unsigned long *)d = *(const volatile unsigned long *)s;
	for (; n; n--)
		*(volatile unsigned char *)d++ = *(const volatile unsigned char *)s++;
}

TRACK_UNCHECKED void track_meta_read(void *dst, const void *src, size_t n)
{
	TRACK_QUIET_BEGIN();
	track_copy(dst, src, n);
	TRACK_QUIET_END();
}

TRACK_UNCHECKED void track_meta_write(void *dst, const void *src, size_t n)
{
	TRACK_QUIET_BEGIN();
	track_copy(dst, src, n);
	TRACK_QUIET_END();
}

TRACK_UNCHECKED void track_meta_set(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned long word = (unsigned char)c * (~0UL / 0xff);

	TRACK_QUIET_BEGIN();
	for (; n && !TRACK_ALIGNED(d); n--)
		*(volatile unsigned char *)d++ = (unsigned char)c;
	for (; n >= TRACK_WORD; n -= TRACK_WORD, d += TRACK_WORD)
		*(volatile unsigned long *)d = word;
	for (; n; n--)
		*(volatile unsigned char *)d++ = (unsigned char)c;
	TRACK_QUIET_END();
}
