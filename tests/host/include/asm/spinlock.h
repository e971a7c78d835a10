/*
 * The host build's stand-in for <asm/spinlock.h>: no WFE in user space, so
 * the wait for a ticket is a load-acquire loop around cpu_relax() (which
 * stops the single-threaded binary: nothing could ever hand the ticket on;
 * the threaded ThreadSanitizer binary yields instead).
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <asm/processor.h>
#include <mk64/types.h>

static inline void arch_spin_wait_ticket(u16 *owner, u16 ticket)
{
	while (__atomic_load_n(owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

#endif
