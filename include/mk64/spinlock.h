/*
 * Ticket spinlocks. ARMv8.0 has no LSE atomics, so the compiler's builtins
 * become load-exclusive/store-exclusive loops (-mno-outline-atomics); they
 * need the MMU and caches on, which holds for all C code. A waiter sleeps
 * in WFE until the holder's unlock wakes it (asm/spinlock.h). Tickets are
 * served in the order they were taken: first come, first served.
 *
 * spin_lock() and friends raise the preempt count while the lock is held
 * (mk64/preempt.h), as Linux's do, so that might_sleep() can tell atomic
 * context. The arch_spin_*() variants leave the count alone: for paths
 * that are counted in instructions and already known not to sleep; lock
 * debugging does not see them either.
 *
 * Lock debugging (Linux's CONFIG_DEBUG_SPINLOCK) is a build flag: the
 * kernel built with -DCONFIG_DEBUG_SPINLOCK (build/debug-spinlock/Image)
 * goes through mk64/spinlock_debug.h's checks; without it spin_lock() is
 * the bare ticket lock and the checks cost nothing.
 */
#ifndef MK64_SPINLOCK_H
#define MK64_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/spinlock.h>
#include <mk64/compiler.h>
#include <mk64/preempt.h>
#include <mk64/types.h>
#ifdef CONFIG_DEBUG_SPINLOCK
#include <mk64/spinlock_debug.h>
#endif

/*
 * Owner ticket in bits 0-15, next ticket in bits 16-31; owner alone is
 * written only by the holder, so unlocking is one halfword store-release
 * (as Linux's arm64 ticket locks did), while lockers add to next with an
 * exclusive access to the whole word. All zeroes is a free lock, with
 * lock debugging too.
 */
typedef struct spinlock {
	union {
		u32 val;
		struct {
			u16 owner;
			u16 next;
		} tickets;
	};
#ifdef CONFIG_DEBUG_SPINLOCK
	struct spinlock_debug debug;
#endif
} spinlock_t;

#ifdef CONFIG_DEBUG_SPINLOCK
#define SPINLOCK_INIT { { 0 }, { 0 } }
#else
#define SPINLOCK_INIT { { 0 } }
#endif
#define TICKET_NEXT (1u << 16)

/* Takes a ticket: returns the word before, the ticket in its top half. */
static inline u32 arch_spin_queue(spinlock_t *lock)
{
	return __atomic_fetch_add(&lock->val, TICKET_NEXT, __ATOMIC_ACQUIRE);
}

/* The ticket taken is served once owner reaches it: at once when free. */
static inline void arch_spin_lock(spinlock_t *lock)
{
	u32 old = arch_spin_queue(lock);
	u16 ticket = (u16)(old >> 16);

	if (likely(ticket == (u16)old))
		return;
	arch_spin_wait_ticket(&lock->tickets.owner, ticket);
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

/*
 * True while some CPU holds the lock (or has just been handed it): a
 * snapshot, with no ordering, for assertions and reports.
 */
static inline bool arch_spin_is_locked(const spinlock_t *lock)
{
	u32 val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);

	return (u16)(val >> 16) != (u16)val;
}

#define spin_is_locked(lock) arch_spin_is_locked(lock)

#ifndef CONFIG_DEBUG_SPINLOCK
#define do_raw_spin_lock(lock) arch_spin_lock(lock)
#define do_raw_spin_trylock(lock) arch_spin_trylock(lock)
#define do_raw_spin_unlock(lock) arch_spin_unlock(lock)
#endif

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	do_raw_spin_lock(lock);
}

/* Returns true with the lock held, false (and the count as it was) if not. */
static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (do_raw_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *lock)
{
	do_raw_spin_unlock(lock);
	preempt_enable();
}

/*
 * Masks interrupts, then takes the lock: for a lock that interrupt
 * handlers take too, where the caller knows interrupts are unmasked;
 * spin_unlock_irq() unmasks them whatever they were before.
 */
static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	do_raw_spin_unlock(lock);
	local_irq_enable();
	preempt_enable();
}

/* Masks interrupts, saving their state in flags, then takes the lock. */
#define spin_lock_irqsave(lock, flags)            \
	do {                                      \
		local_irq_save(flags);            \
		spin_lock(lock);                  \
	} while (0)

/* Drops the lock, then puts the interrupt mask back as flags saved it. */
static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	do_raw_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

#endif
