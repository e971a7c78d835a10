/*
 * Ticket spinlocks. ARMv8.0 has no LSE atomics, so the compiler's builtins
 * become load-exclusive/store-exclusive loops (-mno-outline-atomics); they
 * need the MMU and caches on, which holds for all C code.
 */
#ifndef MK64_SPINLOCK_H
#define MK64_SPINLOCK_H

#include <asm/irqflags.h>
#include <mk64/compiler.h>
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
static inline void spin_lock(spinlock_t *lock)
{
	u32 old = __atomic_fetch_add(&lock->val, TICKET_NEXT, __ATOMIC_ACQUIRE);
	u16 ticket = (u16)(old >> 16);

	if (likely(ticket == (u16)old))
		return;
	while ((u16)__atomic_load_n(&lock->val, __ATOMIC_ACQUIRE) != ticket)
		__asm__ volatile("yield" ::: "memory");
}

/* Takes the lock only if nobody holds or waits for it. */
static inline bool spin_trylock(spinlock_t *lock)
{
	u32 old = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);

	if ((u16)(old >> 16) != (u16)old)
		return false;
	return __atomic_compare_exchange_n(&lock->val, &old, old + TICKET_NEXT,
					   false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* The owner half wraps without carrying into the next-ticket half. */
static inline void spin_unlock(spinlock_t *lock)
{
	u32 owner = __atomic_load_n(&lock->tickets.owner, __ATOMIC_RELAXED);

	__atomic_store_n(&lock->tickets.owner, (u16)(owner + 1), __ATOMIC_RELEASE);
}

#define spin_lock_irqsave(lock, flags)            \
	do {                                      \
		flags = arch_local_irq_save();    \
		spin_lock(lock);                  \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_local_irq_restore(flags);
}

#endif
