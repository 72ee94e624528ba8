/* track.c - byte copies of allocator metadata that the sanitizers must not check: free pointers
 * inside free objects, red zones and poison that the user may not touch but the allocator may. */
#include "track.h"

#include <stdint.h>
#include <string.h>

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

/*
 * A free pointer as a value: the callers keep no address-taken local, which ASan would give a
 * stack frame with red zones on every call (most of get_freepointer's cost before).
 */
TRACK_UNCHECKED void *track_meta_read_ptr(const void *src)
{
	void *v;

	TRACK_QUIET_BEGIN();
	if (TRACK_ALIGNED(src))
		v = *(void *const volatile *)src;
	else
		track_copy(&v, src, sizeof(v));
	TRACK_QUIET_END();
	return v;
}

TRACK_UNCHECKED void track_meta_write_ptr(void *dst, void *v)
{
	TRACK_QUIET_BEGIN();
	if (TRACK_ALIGNED(dst))
		*(void *volatile *)dst = v;
	else
		track_copy(dst, &v, sizeof(v));
	TRACK_QUIET_END();
}

TRACK_UNCHECKED size_t track_meta_scan(const void *start, int c, size_t n)
{
	const unsigned char *p = start;
	unsigned long word = (unsigned char)c * (~0UL / 0xff);
	size_t i = 0;

	TRACK_QUIET_BEGIN();
	for (; i < n && !TRACK_ALIGNED(p + i); i++)
		if (*(const volatile unsigned char *)(p + i) != (unsigned char)c)
			goto out;
	for (; n - i >= TRACK_WORD; i += TRACK_WORD)
		if (*(const volatile unsigned long *)(p + i) != word)
			break;
	for (; i < n; i++)
		if (*(const volatile unsigned char *)(p + i) != (unsigned char)c)
			break;
out:
	TRACK_QUIET_END();
	return i;
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

/* ---- snapshots ---- */

#ifdef SLUB_TRACK_ASAN
static unsigned char *track_shadow_of(const void *addr)
{
	static size_t scale, offset;

	if (!scale)
		__asan_get_shadow_mapping(&scale, &offset);
	return (unsigned char *)(((uintptr_t)addr >> scale) + offset);
}
#endif

int track_can_snapshot(void)
{
#ifdef SLUB_TRACK_VALGRIND
	return 0;
#else
	return 1;
#endif
}

/* Arena blocks are whole pages, so their shadow starts and ends on a shadow byte. */
size_t track_shadow_bytes(size_t n)
{
#ifdef SLUB_TRACK_ASAN
	return n / 8;
#else
	(void)n;
	return 0;
#endif
}

/*
 * MSan: memcpy moves the shadow (and origins) with the bytes, which is what is wanted; the
 * unchecked copy would make everything look initialised. ASan: the copy must not be checked
 * (free objects and red zones are poisoned), and the shadow is copied beside it.
 */
TRACK_UNCHECKED void track_save(void *buf, void *shadow, const void *src, size_t n)
{
#ifdef SLUB_TRACK_MSAN
	(void)shadow;
	memcpy(buf, src, n);
#else
	track_copy(buf, src, n);
#ifdef SLUB_TRACK_ASAN
	if (shadow)
		track_copy(shadow, track_shadow_of(src), track_shadow_bytes(n));
#else
	(void)shadow;
#endif
#endif
}

TRACK_UNCHECKED void track_restore(void *dst, const void *buf, const void *shadow, size_t n)
{
#ifdef SLUB_TRACK_MSAN
	(void)shadow;
	memcpy(dst, buf, n);
#else
	track_copy(dst, buf, n);
#ifdef SLUB_TRACK_ASAN
	if (shadow)
		track_copy(track_shadow_of(dst), shadow, track_shadow_bytes(n));
#else
	(void)shadow;
#endif
#endif
}
