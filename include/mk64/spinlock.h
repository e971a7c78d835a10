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

/* Owner ticket in bits 0-15, next ticket in bits 16-31. */
typedef struct {
	u32 val;
} spinlock_t;

#define SPINLOCK_INIT { 0 }
#define TICKET_NEXT (1u << 16)

static inline void spin_lock(spinlock_t *lock)
{
	u32 old = __atomic_fetch_add(&lock->val, TICKET_NEXT, __ATOMIC_ACQUIRE);
	u16 ticket = (u16)(old >> 16);

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
	u32 old = __atomic_load_n(&lock->val, __ATOMIC_RELAXED), new;

	do {
		new = (old & 0xffff0000u) | (u16)(old + 1);
	} while (!__atomic_compare_exchange_n(&lock->val, &old, new, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
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
