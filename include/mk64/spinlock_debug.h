/*
 * Lock debugging (Linux's CONFIG_DEBUG_SPINLOCK), in the kernel built with
 * -DCONFIG_DEBUG_SPINLOCK only (build/debug-spinlock/Image): mk64/spinlock.h
 * then takes and drops locks through the checks below (kernel/
 * spinlock_debug.c), and each lock remembers who holds it. Each report is
 * a headline naming what happened, a line naming the lock, its owner CPU
 * and the call site that took it, and the reporting CPU's call trace:
 *
 * - "spinlock recursion on CPU#N": a CPU takes a lock it holds (an
 *   interrupt handler taking a lock its own CPU holds without irqsave).
 *   Waiting could never end, so the lock is let through as if it nested:
 *   the matching unlock is counted off and leaves the lock held.
 * - "spinlock already unlocked on CPU#N": an unlock of a free lock, ignored
 *   (releasing it would push owner past next and hang the next locker).
 * - "spinlock wrong CPU on CPU#N": an unlock from a CPU that does not hold
 *   it; the lock is released, as its caller believes it held it.
 * - "spinlock lockup suspected on CPU#N": a wait longer than the bound;
 *   reported once per wait, which goes on.
 * - "spinlock held too long on CPU#N: M ms": at unlock, a hold longer
 *   than the bound.
 *
 * Only spin_lock() and friends are checked: the arch_spin_*() calls are
 * the bare lock. No report starts with "BUG:", which the test runner takes
 * for a crash: the kernel goes on after each.
 */
#ifndef MK64_SPINLOCK_DEBUG_H
#define MK64_SPINLOCK_DEBUG_H

#include <mk64/types.h>

struct spinlock;

/* What a lock remembers of its holder; all zeroes when free. */
struct spinlock_debug {
	unsigned int owner_cpu;	/* the holder's CPU + 1: 0 is nobody */
	unsigned int recursion;	/* reported recursive takes not yet unlocked */
	unsigned long owner_ip;	/* the return address of its spin_lock() call */
	u64 locked_ns;		/* arch_clock_ns() when it was taken */
};

/* The default bound on a wait and on a hold, as Linux's lockup report's. */
#define SPIN_DEBUG_BOUND_NS 1000000000ull

/*
 * The checked lock operations behind spin_lock(), spin_trylock() and
 * spin_unlock(); out of line, so that their return address is the call
 * site in the caller of the inlined spin_lock(). Never sleep.
 */
void do_raw_spin_lock(struct spinlock *lock);
bool do_raw_spin_trylock(struct spinlock *lock);
void do_raw_spin_unlock(struct spinlock *lock);

/*
 * Sets the bound for waits and holds in nanoseconds (for tests: the
 * default is SPIN_DEBUG_BOUND_NS); returns the one it replaces.
 */
u64 spin_debug_set_bound(u64 ns);

/*
 * Reports printed since boot, for tests: all of them, or only the misuse
 * ones (recursion, already unlocked, wrong CPU), which no run may print
 * unprovoked; a hold or a wait past the bound may come from an emulator
 * its host stopped for a while.
 */
unsigned long spin_debug_reports(bool misuse_only);

#endif
