/*
 * The periodic tick (drivers/timer/arm_arch_timer.c): each CPU's generic
 * timer interrupts HZ times a second; the boot CPU's ticks count jiffies.
 */
#ifndef MK64_JIFFIES_H
#define MK64_JIFFIES_H

#include <mk64/compiler.h>
#include <mk64/types.h>

#define HZ 100			/* as Linux's CONFIG_HZ_100 */

/* Ticks of the boot CPU since the timer started; read with READ_ONCE(). */
extern unsigned long jiffies;

/*
 * Finds the generic timer in fdt ("arm,armv8-timer"), takes the virtual
 * timer's PPI, and starts the boot CPU's tick. Returns 0 or a negative
 * errno, reported. After irqchip_init(), IRQs masked.
 */
int arch_timer_init(const void *fdt);

/* Starts the running CPU's tick (a secondary CPU, after gic_cpu_init()). */
void arch_timer_starting_cpu(void);

/* The INTID of the timer interrupt in use; 0 before arch_timer_init(). */
unsigned int arch_timer_irq(void);

/* How many ticks CPU cpu has taken. */
unsigned long tick_count_cpu(unsigned int cpu);

/*
 * Runs fn(arg) in interrupt context at every tick of every CPU, until
 * called again with NULL, which returns once no CPU runs fn any more
 * (tests and stress loads that need to act from an interrupt; interrupts
 * enabled). Returns 0; -EBUSY when another hook is set; with NULL,
 * -ETIMEDOUT when a CPU did not answer the cross-call that waits for it
 * (reported): that CPU may still be in the old hook, so arg must be kept.
 */
int tick_set_hook(void (*fn)(void *arg), void *arg);

#endif
