/*
 * The ThreadSanitizer binary's <asm/processor.h> (found before
 * tests/host/include's): a CPU per thread, and more threads than host
 * cores, so a waiter gives its core to the holder instead of spinning on
 * it (the job WFE does on arm64).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <sched.h>

static inline void cpu_relax(void)
{
	sched_yield();
}

#endif
