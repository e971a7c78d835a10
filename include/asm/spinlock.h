/*
 * The arm64 half of mk64/spinlock.h: waiting for a ticket with WFE.
 *
 * A waiter reads the owner ticket with a load-acquire exclusive (LDAXRH),
 * which marks the lock's reservation granule in this CPU's exclusive
 * monitor, then sleeps in WFE. The holder's unlock is a plain store-release
 * to that granule; a store by another observer clears the monitor, and
 * clearing the global monitor sets this CPU's event register (the Arm
 * ARM's "Wait for Event mechanism and Send event"), so the WFE returns. No SEV is needed,
 * and none is lost:
 * - the store lands before the LDAXRH: the load sees the new owner;
 * - it lands after: the cleared monitor has set the event register, and
 *   the next WFE falls through at once;
 * - an interrupt taken in between: the exception return sets the event
 *   register too, so WFE does not sleep on a monitor the handler's own
 *   exclusives may have moved elsewhere.
 * SEVL before the loop sets the local event register, so that the first WFE
 * only consumes it and the first load happens without sleeping. Other stores
 * to the granule (a new waiter taking a ticket), interrupts and cache line
 * evictions wake the loop early: it just loads again. The exclusive access
 * is left open; the next LDXR/LDAXR anywhere replaces it. ARMv8.0 only: no
 * LSE, and nothing here needs it.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <mk64/compiler.h>
#include <mk64/types.h>

/*
 * Returns once *owner == ticket, the load that saw it an acquire. "asm
 * inline": counted as one instruction when GCC weighs inlining the lock's
 * callers, as the spin loop it replaced was, so that its five lines do not
 * change which callers get inlined into the allocators' fast paths.
 */
static __always_inline void arch_spin_wait_ticket(u16 *owner, u16 ticket)
{
	u32 seen;

	__asm__ inline volatile("	sevl\n"
			 "1:	wfe\n"
			 "	ldaxrh	%w0, [%1]\n"
			 "	cmp	%w0, %w2\n"
			 "	b.ne	1b\n"
			 : "=&r"(seen)
			 : "r"(owner), "r"((u32)ticket)
			 : "cc", "memory");
}

#endif
