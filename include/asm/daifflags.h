/*
 * All four PSTATE exception masks at once (Linux's daifflags): for the few
 * places that must take no exception at all, SError and debug included, and
 * for unmasking SError once there is somewhere to report it.
 */
#ifndef ASM_DAIFFLAGS_H
#define ASM_DAIFFLAGS_H

#include <asm/sysreg.h>
#include <mk64/types.h>

/* Masks D, A, I and F; returns the DAIF bits to give local_daif_restore(). */
static inline unsigned long local_daif_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #" __stringify(DAIF_ALL_IMM)
			 : "=r"(flags) : : "memory");
	return flags;
}

static inline void local_daif_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

/*
 * Lets SErrors in. head.S keeps them masked until .bss, the stack and the
 * console exist, so that one firmware left pending gets a readable report.
 */
static inline void local_serror_enable(void)
{
	__asm__ volatile("msr daifclr, #" __stringify(DAIF_SERROR_IMM) : : : "memory");
}

#endif
