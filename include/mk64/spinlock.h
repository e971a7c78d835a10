/*
 * Ticket spinlocks. ARMv8.0 has no LSE atomics, so the compiler's builtins
 * become load-exclusive/store-exclusive loops (-mno-outline-atomics); they
 * need the MMU and caches on, which holds for all C code.
 *
 * spin_lock() and friends raise the preempt count while the lock is held
 * (mk64/preempt.h), as Linux's do, so that might_sleep() can tell atomic
 * context. The arch_spin_*() variants leave the count alone: for paths
 * that are counted in instructions and already known not to sleep.
 */
#ifndef MK64_SPINLOCK_H
#define MK64_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/compiler.h>
#include <mk64/preempt.h>
#include <mk64/types.h>

/*
 * Owner ticket in bits 0-15, next ticket in bits 16-31; owner alone is
 * written only by the holder, so unlocking is one halfword store-release
 * (as Linux's arm64 ticket locks did), while lockers add to next with an
 * exclusive access to the whole word.
 */
typedef struct {
	union {
		u32 val;
		struct {
			u16 owner;
			u16 next;
		} tickets;
	};
} spinlock_t;

#define SPINLOCK_INIT { { 0 } }
#define TICKET_NEXT (1u << 16)

/* The ticket taken is served once owner reaches it: at once when free. */
static inline void arch_spin_lock(spinlock_t *lock)
{
	u32 old = __atomic_fetch_add(&lock->val, TICKET_NEXT, __ATOMIC_ACQUIRE);
	u16 ticket = (u16)(old >> 16);

	if (likely(ticket == (u16)old))
		return;
	while ((u16)__atomic_load_n(&lock->val, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

/* Takes the lock only if nobody holds or waits for it. */
static inline bool arch_spin_trylock(spinlock_t *lock)
{
	u32 old = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);

	if ((u16)(old >> 16) != (u16)old)
		return false;
	return __atomic_compare_exchange_n(&lock->val, &old, old + TICKET_NEXT,
					   false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* The owner half wraps without carrying into the next-ticket half. */
static inline void arch_spin_unlock(spinlock_t *lock)
{
	u32 owner = __atomic_load_n(&lock->tickets.owner, __ATOMIC_RELAXED);

	__atomic_store_n(&lock->tickets.owner, (u16)(owner + 1), __ATOMIC_RELEASE);
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	arch_spin_lock(lock);
}

/* Returns true with the lock held, false (and the count as it was) if not. */
static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(lock);
	preempt_enable();
}

/* Masks interrupts, saving their state in flags, then takes the lock. */
#define spin_lock_irqsave(lock, flags)            \
	do {                                      \
		local_irq_save(flags);            \
		spin_lock(lock);                  \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	arch_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

#endif
