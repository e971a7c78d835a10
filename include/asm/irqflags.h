/*
 * Local interrupt masking through DAIF. Process context runs with IRQs
 * unmasked once the kernel is up (kernel/main.c); FIQs are never used and
 * stay masked: enabling touches I alone, disabling sets I and F.
 *
 * MSR DAIFSet/DAIFClr need no ISB: the architecture makes a PSTATE write
 * visible to every later instruction. The "memory" clobbers keep the
 * compiler from moving memory accesses across the change.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/sysreg.h>
#include <mk64/types.h>

/* The DAIF flags, to test with arch_irqs_disabled_flags(). */
static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return flags;
}

static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return flags & PSR_I_BIT;
}

static inline bool arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

static inline void arch_local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #3" : : : "memory");
}

/* Masks IRQs and FIQs; returns the flags that arch_local_irq_restore() puts back. */
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

/* Linux's generic names. */
#define irqs_disabled() arch_irqs_disabled()
#define irqs_disabled_flags(flags) arch_irqs_disabled_flags(flags)
#define local_irq_enable() arch_local_irq_enable()
#define local_irq_disable() arch_local_irq_disable()
#define local_irq_save(flags) ((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)

#endif
