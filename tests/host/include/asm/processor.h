/*
 * The host build's <asm/processor.h>: one thread, so a spin loop that
 * runs at all is a lock left held; only the compiler barrier matters.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

static inline void cpu_relax(void)
{
	__asm__ volatile("" ::: "memory");
}

#endif
