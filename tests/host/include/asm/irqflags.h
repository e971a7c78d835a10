/*
 * The host build's stand-in for <asm/irqflags.h> (found first on its
 * include path): the portable core runs in one user-space thread with no
 * interrupts, where DAIF cannot be read or written. The mask is kept in a
 * variable (tests/host/cpu.c), so that locking code runs unchanged and a
 * mask left set after a lock is dropped stays visible.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <mk64/types.h>

#define PSR_F_BIT (1UL << 6)
#define PSR_I_BIT (1UL << 7)

extern unsigned long host_daif;

static inline unsigned long arch_local_save_flags(void)
{
	return host_daif;
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
	host_daif &= ~PSR_I_BIT;
}

static inline void arch_local_irq_disable(void)
{
	host_daif |= PSR_I_BIT | PSR_F_BIT;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = host_daif;

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_daif = flags;
}

#define irqs_disabled() arch_irqs_disabled()
#define irqs_disabled_flags(flags) arch_irqs_disabled_flags(flags)
#define local_irq_enable() arch_local_irq_enable()
#define local_irq_disable() arch_local_irq_disable()
#define local_irq_save(flags) ((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)

#endif
