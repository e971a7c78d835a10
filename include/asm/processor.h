/* CPU hints for busy-waiting loops. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/*
 * In a spin loop: YIELD tells a multithreaded core to run another thread,
 * and the clobber makes the compiler read the watched value again.
 */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#endif
