/*
 * The host's clocks, shared by the ASan and the ThreadSanitizer runners:
 * CLOCK_MONOTONIC for the kernel's clock (lib/ratelimit, lock debugging)
 * and for ktest's timings, and no instruction counter.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#include <asm/arch.h>
#include <mk64/ktest.h>

u64 arch_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

u64 ktest_now_ns(void)
{
	return arch_clock_ns();
}

/* Returns false: the host build has no instruction counter. */
bool ktest_insns(u64 *count)
{
	(void)count;
	return false;
}
