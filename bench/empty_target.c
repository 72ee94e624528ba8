/* empty_target.c - the ceiling for harness speed: an entry point that does nothing, linked
 * with the same allocator and harness objects and the same engine runtime as a real target,
 * so its exec/s is what the engine and instrumentation alone allow (bench/speed.sh). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
