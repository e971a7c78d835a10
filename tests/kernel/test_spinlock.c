/*
 * The ticket lock itself, in both kernels (with and without lock
 * debugging): is_locked, the _irq variants, and a waiter that really
 * waits. One CPU runs the tests, so the holder that hands the lock on is
 * the tick: process context takes the lock, a tick hook releases it a few
 * ticks later, and process context, queued behind it meanwhile, must get
 * it then and only then: its wait sleeps in WFE, woken by the ticks'
 * exception returns, and returns once the release is seen.
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <mk64/jiffies.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/spinlock.h>

#define HANDOFF_TICKS 3u
#define NOINLINE __attribute__((noinline, noipa))

static spinlock_t test_lock = SPINLOCK_INIT;

/*
 * The bare lock and unlock as functions of their own, whose code the
 * spinlock-code config disassembles (scripts/check-spinlock-code.py).
 */
NOINLINE void spinlock_probe_lock(spinlock_t *lock)
{
	arch_spin_lock(lock);
}

NOINLINE void spinlock_probe_unlock(spinlock_t *lock)
{
	arch_spin_unlock(lock);
}

static void is_locked(struct ktest *t)
{
	spinlock_probe_lock(&test_lock);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock));
	spinlock_probe_unlock(&test_lock);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&test_lock));
	spin_lock(&test_lock);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock));
	KTEST_EXPECT_TRUE(t, arch_spin_is_locked(&test_lock));
	KTEST_EXPECT_FALSE(t, arch_spin_trylock(&test_lock));
	spin_unlock(&test_lock);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&test_lock));
	KTEST_EXPECT_TRUE(t, arch_spin_trylock(&test_lock));
	KTEST_EXPECT_TRUE(t, arch_spin_is_locked(&test_lock));
	arch_spin_unlock(&test_lock);
	KTEST_EXPECT_FALSE(t, arch_spin_is_locked(&test_lock));
}

/* spin_unlock_irq() unmasks whatever spin_lock_irq() found (Linux's rule). */
static void lock_irq(struct ktest *t)
{
	spin_lock_irq(&test_lock);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock));
	spin_unlock_irq(&test_lock);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&test_lock));
}

/* What the tick hook did, for the waiter to check once it has the lock. */
struct handoff {
	spinlock_t *lock;
	unsigned int ticks;
	bool released;
	u64 released_ns;
};

/*
 * At its HANDOFF_TICKS-th tick, hands the lock on from interrupt context;
 * ticks after that (before the case removes the hook) do nothing.
 */
static void handoff_hook(void *arg)
{
	struct handoff *h = arg;

	if (h->released || ++h->ticks != HANDOFF_TICKS)
		return;
	h->released_ns = arch_clock_ns();
	h->released = true;
	arch_spin_unlock(h->lock);
}

static void waiter_woken_by_unlock(struct ktest *t)
{
	static struct handoff h;
	u64 got_ns;
	u16 first;

	if (!arch_timer_irq())
		ktest_skip(t, "no tick");
	h = (struct handoff){ .lock = &test_lock };
	first = test_lock.tickets.next;
	arch_spin_lock(&test_lock);
	KTEST_ASSERT_EQ(t, tick_set_hook(handoff_hook, &h), 0);
	/* The next ticket, behind the one the hook releases. */
	arch_spin_lock(&test_lock);
	got_ns = arch_clock_ns();
	tick_set_hook(NULL, NULL);
	/* The acquire pairs with the hook's release: its writes are visible. */
	KTEST_EXPECT_TRUE(t, h.released);
	KTEST_EXPECT_EQ(t, h.ticks, HANDOFF_TICKS);
	KTEST_EXPECT_GE(t, got_ns, h.released_ns);
	KTEST_EXPECT_EQ(t, test_lock.tickets.owner, (u16)(first + 1));
	KTEST_EXPECT_EQ(t, test_lock.tickets.next, (u16)(first + 2));
	arch_spin_unlock(&test_lock);
	KTEST_EXPECT_FALSE(t, arch_spin_is_locked(&test_lock));
}

KTEST_SUITE(spinlock, KTEST_CASE(is_locked), KTEST_CASE(lock_irq),
	    KTEST_CASE(waiter_woken_by_unlock));
