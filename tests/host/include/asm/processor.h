/*
 * The host build's <asm/processor.h>: one thread, so a spin loop that
 * runs at all waits for a lock left held, which nothing will release:
 * it stops the test binary with a message instead of hanging until the
 * runner's timeout.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/* Defined in tests/host/cpu.c. */
void host_spin_wait_deadlock(void);

static inline void cpu_relax(void)
{
	host_spin_wait_deadlock();
}

#endif
