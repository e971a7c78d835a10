/* Local interrupt masking through DAIF. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <mk64/types.h>

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #3" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

#endif
