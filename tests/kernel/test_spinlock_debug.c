/*
 * Lock debugging (mk64/spinlock_debug.h), in build/debug-spinlock/Image
 * only: each report provoked on purpose and its text checked (headline,
 * the lock by address and name, its owner CPU and the call site that took
 * it, a call trace), then the lock used again to show the kernel went on.
 *
 * The other CPU is real: CPU 1, through the smp mailbox (mk64/smp.h),
 * takes the lock that CPU 0 then drops, or holds it while CPU 0 waits
 * past the bound; those cases skip with one CPU online.
 *
 * Linked after every other suite (mk/debug-spinlock.mk), so this suite
 * runs last, and its first case checks that the rest of the run, with
 * every lock of the kernel checked, misused none. (A hold or a wait past
 * the bound would not be a fault of the code there: QEMU's host may stop
 * it for as long as it likes.)
 */
#include <asm/arch.h>
#include <asm/processor.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "mm_helpers.h"

#define NOINLINE __attribute__((noinline, noipa))
#define MS 1000000ull
#define TEST_BOUND_NS (20 * MS)
#define OTHER_CPU 1u
#define CALL_TIMEOUT_NS 10000000000ull

static spinlock_t debug_lock = SPINLOCK_INIT;

/* " lock: <address> (debug_lock+0x0/0x", as the reports name it. */
static const char *lock_line(void)
{
	static char line[64];

	snprintf(line, sizeof(line), " lock: %#018lx (debug_lock+0x0/0x", (unsigned long)&debug_lock);
	return line;
}

/* The lock is free, nothing is left counted, and it still works. */
static void lock_still_works(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, spin_is_locked(&debug_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_EQ(t, debug_lock.debug.owner_cpu, 0u);
	KTEST_EXPECT_EQ(t, debug_lock.debug.recursion, 0u);
	ktest_log_mark();
	spin_lock(&debug_lock);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&debug_lock));
	spin_unlock(&debug_lock);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&debug_lock));
	KTEST_EXPECT_FALSE(t, ktest_log_has("spinlock "));
}

static void no_misuse_unprovoked(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, spin_debug_reports(true), 0ul);
}

static NOINLINE void recursion_reported(struct ktest *t)
{
	unsigned long before = spin_debug_reports(true);

	ktest_log_mark();
	spin_lock(&debug_lock);
	spin_lock(&debug_lock);
	KTEST_EXPECT_EQ(t, spin_debug_reports(true), before + 1);
	KTEST_EXPECT_REPORT(t, "spinlock recursion on CPU#0\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, "), owner CPU#0, taken at recursion_reported+0x");
	KTEST_EXPECT_REPORT(t, "Call trace:\n");
	KTEST_EXPECT_REPORT(t, " do_raw_spin_lock+0x");
	/* Let through as if it nested: the inner unlock leaves it held. */
	KTEST_EXPECT_EQ(t, preempt_count(), 2);
	spin_unlock(&debug_lock);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&debug_lock));
	KTEST_EXPECT_EQ(t, debug_lock.debug.owner_cpu, 1u);
	spin_unlock(&debug_lock);
	KTEST_EXPECT_EQ(t, spin_debug_reports(true), before + 1);
	lock_still_works(t);
}

static NOINLINE void unlock_not_held(struct ktest *t)
{
	u32 val = debug_lock.val;

	ktest_log_mark();
	/* The count a spin_lock() would have raised, for spin_unlock() to drop. */
	preempt_disable();
	spin_unlock(&debug_lock);
	KTEST_EXPECT_REPORT(t, "spinlock already unlocked on CPU#0\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, "), owner: none\n");
	KTEST_EXPECT_REPORT(t, " unlock_not_held+0x");
	/* Ignored: releasing would have put owner past next. */
	KTEST_EXPECT_EQ(t, debug_lock.val, val);
	lock_still_works(t);
}

static void need_other_cpu(struct ktest *t)
{
	if (!cpu_online(OTHER_CPU))
		ktest_skip(t, "CPU 1 not online");
}

/* On the other CPU: takes the lock and leaves it held, its count dropped. */
static NOINLINE void take_and_leave(void *arg)
{
	(void)arg;
	spin_lock(&debug_lock);
	preempt_enable();
}

static NOINLINE void unlock_wrong_cpu(struct ktest *t)
{
	need_other_cpu(t);
	ktest_log_mark();
	KTEST_ASSERT_EQ(t, smp_mailbox_call(OTHER_CPU, take_and_leave, NULL, CALL_TIMEOUT_NS), 0);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&debug_lock));
	/* The count a spin_lock() here would have raised, for spin_unlock() to drop. */
	preempt_disable();
	spin_unlock(&debug_lock);
	KTEST_EXPECT_REPORT(t, "spinlock wrong CPU on CPU#0\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, "), owner CPU#1, taken at take_and_leave+0x");
	KTEST_EXPECT_REPORT(t, " do_raw_spin_unlock+0x");
	lock_still_works(t);
}

static void spin_ms(u64 ms)
{
	u64 end = arch_clock_ns() + ms * MS;

	while (arch_clock_ns() < end)
		;
}

/* The number after text in the log since the mark; -1 without one. */
static long long number_after(const char *mark, const char *text)
{
	static char buf[4096];
	size_t n = printk_log_tail(buf, sizeof(buf) - 1);
	const char *p = NULL, *m;
	long long v = 0;

	buf[n] = '\0';
	m = strstr(buf, mark);
	for (const char *q = m ? m : buf; (q = strstr(q, text)); q++)
		p = q + strlen(text);
	if (!p || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

static NOINLINE void held_too_long(struct ktest *t)
{
	const char *mark = "spinlock_debug test: held";
	long long ms;
	u64 old;

	/* Within the (default) bound: nothing to say. */
	ktest_log_mark();
	spin_lock(&debug_lock);
	spin_unlock(&debug_lock);
	KTEST_EXPECT_FALSE(t, ktest_log_has("spinlock "));

	old = spin_debug_set_bound(TEST_BOUND_NS);
	printk(KERN_INFO "%s\n", mark);
	ktest_log_mark();
	spin_lock(&debug_lock);
	spin_ms(50);
	spin_unlock(&debug_lock);
	spin_debug_set_bound(old);
	KTEST_EXPECT_REPORT(t, "spinlock held too long on CPU#0: ");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, "), owner CPU#0, taken at held_too_long+0x");
	ms = number_after(mark, "spinlock held too long on CPU#0: ");
	KTEST_EXPECT_GE(t, ms, 50);
	KTEST_EXPECT_LT(t, ms, 60000);
	lock_still_works(t);
}

/*
 * The other CPU's side: holds the lock until a report appears (or 10 s
 * pass), which makes its own hold too long as well: reported on CPU 1.
 */
struct holder {
	unsigned long reports_before;
	bool holding;
};

static NOINLINE void hold_until_reported(void *arg)
{
	struct holder *h = arg;
	u64 end = arch_clock_ns() + CALL_TIMEOUT_NS;

	spin_lock(&debug_lock);
	__atomic_store_n(&h->holding, true, __ATOMIC_RELEASE);
	while (spin_debug_reports(false) == h->reports_before && arch_clock_ns() < end)
		cpu_relax();
	spin_unlock(&debug_lock);
}

static NOINLINE void lockup_suspected(struct ktest *t)
{
	const char *mark = "spinlock_debug test: lockup";
	static struct holder h;
	u64 old, end = arch_clock_ns() + CALL_TIMEOUT_NS;

	need_other_cpu(t);
	h = (struct holder){ .reports_before = spin_debug_reports(false) };
	old = spin_debug_set_bound(TEST_BOUND_NS);
	printk(KERN_INFO "%s\n", mark);
	ktest_log_mark();
	KTEST_ASSERT_EQ(t, smp_mailbox_post(OTHER_CPU, hold_until_reported, &h), 0);
	while (!__atomic_load_n(&h.holding, __ATOMIC_ACQUIRE) && arch_clock_ns() < end)
		cpu_relax();
	KTEST_EXPECT_TRUE(t, __atomic_load_n(&h.holding, __ATOMIC_ACQUIRE));
	spin_lock(&debug_lock);
	/* CPU 0's now, as stored: CPU + 1. */
	KTEST_EXPECT_EQ(t, debug_lock.debug.owner_cpu, 1u);
	spin_unlock(&debug_lock);
	KTEST_EXPECT_EQ(t, smp_mailbox_wait(OTHER_CPU, CALL_TIMEOUT_NS), 0);
	spin_debug_set_bound(old);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "spinlock lockup suspected on CPU#0\n"), 1);
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, "), owner CPU#1, taken at hold_until_reported+0x");
	KTEST_EXPECT_REPORT(t, " do_raw_spin_lock+0x");
	KTEST_EXPECT_EQ(t, log_count_after(mark, "spinlock held too long on CPU#1: "), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "CPU: 1 PID: 0 Comm: swapper/1"), 1);
	lock_still_works(t);
}

KTEST_SUITE(spinlock_debug, KTEST_CASE(no_misuse_unprovoked), KTEST_CASE(recursion_reported),
	    KTEST_CASE(unlock_not_held), KTEST_CASE(unlock_wrong_cpu), KTEST_CASE(held_too_long),
	    KTEST_CASE(lockup_suspected));
