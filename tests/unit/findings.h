/* findings.h - a harness oracle's findings in unit tests of the model and its checks: the
 * finding a struct fz_state recorded since the last look, and checks on it. */
#ifndef SLUBFUZZ_TEST_FINDINGS_H
#define SLUBFUZZ_TEST_FINDINGS_H

#include <string.h>

#include "harness.h"
#include "test.h"

/* The finding x recorded since the last call, or NULL; clears it. */
static inline const char *take_finding(struct fz_state *x)
{
	static char why[sizeof(x->why)];

	if (!x->failed)
		return NULL;
	memcpy(why, x->why, sizeof(why));
	x->failed = 0;
	x->why[0] = '\0';
	return why;
}

#define CHECK_FINDING_OF(x, text)                                                       \
	do {                                                                            \
		const char *__w = take_finding(x);                                      \
		CHECK(__w && strstr(__w, (text)), "a finding with \"%s\", got: %s", (text), \
		      __w ? __w : "none");                                              \
	} while (0)
#define CHECK_NO_FINDING_OF(x)                                                          \
	do {                                                                            \
		const char *__w = take_finding(x);                                      \
		CHECK(!__w, "no finding, got: %s", __w);                                \
	} while (0)

#endif
