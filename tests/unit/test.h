/* test.h - the unit-test harness: TEST() registers a case, CHECK() records a failure with where
 * and why. Each case runs in its own child process so a crash fails one case, not the run. */
#ifndef SLUBFUZZ_TEST_H
#define SLUBFUZZ_TEST_H

#include <stdio.h>

struct test_case {
	const char *name; /* area_case, e.g. "page_alloc_fallback" */
	void (*fn)(void);
	struct test_case *next;
};
void test_register(struct test_case *tc);
/* Called by CHECK on failure: prints file:line and the message, marks the case failed. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, naming the failed condition ("CHECK(x > 0)") before the message. */
void test_fail_cond(const char *file, int line, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define TEST(name)                                                                      \
	static void test_##name(void);                                                  \
	static struct test_case test_case_##name = { #name, test_##name, NULL };        \
	__attribute__((constructor)) static void test_register_##name(void)            \
	{                                                                               \
		test_register(&test_case_##name);                                       \
	}                                                                               \
	static void test_##name(void)

/* CHECK(cond, fmt, ...): the message says what was expected; the run goes on. */
#define CHECK(cond, ...)                                                                \
	do {                                                                            \
		if (!(cond))                                                            \
			test_fail_cond(__FILE__, __LINE__, "CHECK(" #cond ")", " " __VA_ARGS__); \
	} while (0)
#define CHECK_EQ(a, b)                                                                  \
	do {                                                                            \
		long long __a = (long long)(a), __b = (long long)(b);                   \
		if (__a != __b)                                                         \
			test_fail(__FILE__, __LINE__, "%s == %s failed: %lld != %lld", #a, #b, \
				  __a, __b);                                            \
	} while (0)
/* REQUIRE: like CHECK, but ends the case at once. */
#define REQUIRE(cond, ...)                                                              \
	do {                                                                            \
		if (!(cond)) {                                                          \
			test_fail_cond(__FILE__, __LINE__, "REQUIRE(" #cond ")", " " __VA_ARGS__); \
			return;                                                         \
		}                                                                       \
	} while (0)

#endif
