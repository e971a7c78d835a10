/*
 * The preempt count: how deep the running CPU is in sections that must
 * not sleep (spinlocks held, preempt_disable()). Linux keeps it in the
 * task (x86 in its per-CPU pcpu_hot); with no tasks yet it is kept per CPU
 * in pcpu_hot (mk64/percpu.h), which stays right when secondary CPUs
 * start as long as nothing moves code between CPUs (no scheduler). Only
 * its own CPU writes a count, and an interrupt handler leaves it as it
 * found it, so a plain increment is enough (raw_cpu_inc()'s rule): no
 * atomics, no interrupt masking. Each CPU's area is its own, so CPUs
 * counting never share a line.
 */
#ifndef MK64_PREEMPT_H
#define MK64_PREEMPT_H

#include <mk64/compiler.h>
#include <mk64/percpu.h>
#include <mk64/types.h>

/* The running CPU's count: the caller must not move to another CPU. */
static __always_inline int *preempt_count_ptr(void)
{
	return &this_cpu_hot()->preempt_count;
}

/* How many atomic sections the running CPU is in; 0 in process context. */
static __always_inline int preempt_count(void)
{
	return READ_ONCE(*preempt_count_ptr());
}

/*
 * The barriers keep the section's accesses between the count's changes.
 * The _hot forms are for a caller that has this CPU's pcpu_hot at hand.
 */
static __always_inline void preempt_disable_hot(struct pcpu_hot *hot)
{
	hot->preempt_count++;
	__asm__ volatile("" : : : "memory");
}

static __always_inline void preempt_disable(void)
{
	preempt_disable_hot(this_cpu_hot());
}

/* With no scheduler there is no pending reschedule to run here. */
static __always_inline void preempt_enable_hot(struct pcpu_hot *hot)
{
	__asm__ volatile("" : : : "memory");
	hot->preempt_count--;
}

static __always_inline void preempt_enable(void)
{
	preempt_enable_hot(this_cpu_hot());
}

/*
 * An interrupt handler runs between irq_enter() and irq_exit(), which count
 * it in the hardirq bits of the count (Linux's layout), so that it is
 * atomic and in_interrupt() knows it.
 */
#define HARDIRQ_SHIFT 16
#define HARDIRQ_OFFSET (1 << HARDIRQ_SHIFT)
#define HARDIRQ_MASK (0xf << HARDIRQ_SHIFT)

static __always_inline void irq_enter(void)
{
	*preempt_count_ptr() += HARDIRQ_OFFSET;
	__asm__ volatile("" : : : "memory");
}

static __always_inline void irq_exit(void)
{
	__asm__ volatile("" : : : "memory");
	*preempt_count_ptr() -= HARDIRQ_OFFSET;
}

/* The hardirq part of the count: HARDIRQ_OFFSET inside a handler. */
static __always_inline int hardirq_count(void)
{
	return preempt_count() & HARDIRQ_MASK;
}

/*
 * True in an interrupt handler. There are no softirqs or NMIs, so every
 * interrupt context is a hardirq one and in_interrupt() == in_hardirq().
 */
static __always_inline bool in_interrupt(void)
{
	return hardirq_count();
}

/* True in a hardware interrupt handler (Linux's in_hardirq(), once in_irq()). */
static __always_inline bool in_hardirq(void)
{
	return hardirq_count();
}

#define in_irq() in_hardirq()

/* True inside a section that must not sleep. */
static __always_inline bool in_atomic(void)
{
	return preempt_count() != 0;
}

#endif
