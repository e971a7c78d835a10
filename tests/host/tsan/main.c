/*
 * Runner of the ThreadSanitizer binary (mk/tsan.mk): the ktest platform
 * hooks on the C library, the per-CPU state mk64/preempt.h and
 * mk64/smp.h expect (a CPU per thread: host_cpu is thread-local here),
 * and main(). Only suites built into this binary run: the threaded lock
 * tests, which the ASan binary (single-threaded) cannot hold.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>

_Thread_local unsigned int host_cpu;
struct preempt_count_cpu preempt_counts[NR_CPUS];

void ktest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Nothing here prints through printk: the log is empty. */
size_t printk_log_tail(char *buf, size_t size)
{
	(void)buf;
	(void)size;
	return 0;
}

u64 ktest_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool ktest_insns(u64 *count)
{
	(void)count;
	return false;
}

/* Threads are joined by each case: nothing outlives one. */
void ktest_case_start(void)
{
}

void ktest_case_done(struct ktest *t)
{
	(void)t;
}

/* Exits 0 when no case failed; ThreadSanitizer exits 66 after a report. */
int main(void)
{
	return ktest_run(NULL, false).fail ? 1 : 0;
}
