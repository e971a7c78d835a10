/*
 * Lock debugging (mk64/spinlock_debug.h) with a thread per CPU, in the
 * ThreadSanitizer binary built with -DCONFIG_DEBUG_SPINLOCK (mk/tsan.mk),
 * which also runs the spinlock_threads suite through the checks first
 * (and this suite's first case checks that it misused nothing). Here the
 * other CPU is real: a lock taken on one thread and dropped on another, a
 * holder thread that keeps a lock while another waits past the bound; and
 * ThreadSanitizer checks that the debug fields' accesses from several
 * CPUs are race-free. The host has no symbol table: the lock and the call
 * site are printed as addresses.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/spinlock.h>
#include <mk64/sprintf.h>

#define MS 1000000ull
#define TEST_BOUND_NS (20 * MS)
#define WAIT_NS 10000000000ull

static spinlock_t debug_lock = SPINLOCK_INIT;

/* A function run as CPU cpu on a thread of its own. */
struct job {
	pthread_t thread;
	unsigned int cpu;
	void (*fn)(struct job *j);
	int preempt_after;	/* the CPU's count when fn returned */
};

static void *job_main(void *arg)
{
	struct job *j = arg;

	host_cpu = j->cpu;
	j->fn(j);
	j->preempt_after = preempt_count();
	return NULL;
}

static void start(struct ktest *t, struct job *j, unsigned int cpu, void (*fn)(struct job *j))
{
	*j = (struct job){ .cpu = cpu, .fn = fn };
	KTEST_ASSERT_EQ(t, pthread_create(&j->thread, NULL, job_main, j), 0);
}

static void finish(struct ktest *t, struct job *j)
{
	pthread_join(j->thread, NULL);
	KTEST_EXPECT_EQ(t, j->preempt_after, 0);
}

static void run(struct ktest *t, unsigned int cpu, void (*fn)(struct job *j))
{
	struct job j;

	start(t, &j, cpu, fn);
	finish(t, &j);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* " lock: <address>, " as the reports name debug_lock. */
static const char *lock_line(void)
{
	static char line[64];

	snprintf(line, sizeof(line), " lock: %#018lx, ", (unsigned long)&debug_lock);
	return line;
}

static void lock_is_free(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, spin_is_locked(&debug_lock));
	KTEST_EXPECT_EQ(t, __atomic_load_n(&debug_lock.debug.owner_cpu, __ATOMIC_RELAXED), 0u);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&debug_lock.debug.recursion, __ATOMIC_RELAXED), 0u);
}

static void no_misuse_in_threads_suite(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, spin_debug_reports(true), 0ul);
}

static bool still_held;

static void take_twice(struct job *j)
{
	(void)j;
	spin_lock(&debug_lock);
	spin_lock(&debug_lock);
	spin_unlock(&debug_lock);
	still_held = spin_is_locked(&debug_lock);
	spin_unlock(&debug_lock);
}

static void recursion_on_a_thread(struct ktest *t)
{
	unsigned long before = spin_debug_reports(true);

	ktest_log_mark();
	run(t, 2, take_twice);
	KTEST_EXPECT_EQ(t, spin_debug_reports(true), before + 1);
	KTEST_EXPECT_REPORT(t, "spinlock recursion on CPU#2\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, ", owner CPU#2, taken at 0x");
	KTEST_EXPECT_REPORT(t, "Call trace:");
	KTEST_EXPECT_TRUE(t, still_held);
	lock_is_free(t);
}

/* Takes the lock and leaves, its count dropped as its unlock would have. */
static void take_and_leave(struct job *j)
{
	(void)j;
	spin_lock(&debug_lock);
	preempt_enable();
}

/* Drops a lock it never took, with the count its spin_lock() would have raised. */
static void drop_unowned(struct job *j)
{
	(void)j;
	preempt_disable();
	spin_unlock(&debug_lock);
}

static void unlock_from_another_cpu(struct ktest *t)
{
	ktest_log_mark();
	run(t, 1, take_and_leave);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&debug_lock));
	run(t, 2, drop_unowned);
	KTEST_EXPECT_REPORT(t, "spinlock wrong CPU on CPU#2\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, ", owner CPU#1, taken at 0x");
	/* Released all the same. */
	lock_is_free(t);
}

static void unlock_free_lock(struct ktest *t)
{
	u32 val = debug_lock.val;

	ktest_log_mark();
	run(t, 3, drop_unowned);
	KTEST_EXPECT_REPORT(t, "spinlock already unlocked on CPU#3\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, ", owner: none\n");
	KTEST_EXPECT_EQ(t, debug_lock.val, val);
	lock_is_free(t);
}

static unsigned long reports_before;
static bool holding;

/* Holds the lock until a report appears (or WAIT_NS pass). */
static void hold_until_reported(struct job *j)
{
	u64 end = now_ns() + WAIT_NS;

	(void)j;
	spin_lock(&debug_lock);
	__atomic_store_n(&holding, true, __ATOMIC_RELEASE);
	while (spin_debug_reports(false) == reports_before && now_ns() < end)
		sleep_ms(1);
	spin_unlock(&debug_lock);
}

static void lock_and_unlock(struct job *j)
{
	(void)j;
	spin_lock(&debug_lock);
	spin_unlock(&debug_lock);
}

static void lockup_behind_a_holder(struct ktest *t)
{
	struct job holder, waiter;
	u64 old, end = now_ns() + WAIT_NS;

	reports_before = spin_debug_reports(false);
	holding = false;
	old = spin_debug_set_bound(TEST_BOUND_NS);
	ktest_log_mark();
	start(t, &holder, 1, hold_until_reported);
	while (!__atomic_load_n(&holding, __ATOMIC_ACQUIRE) && now_ns() < end)
		sleep_ms(1);
	start(t, &waiter, 2, lock_and_unlock);
	finish(t, &holder);
	finish(t, &waiter);
	spin_debug_set_bound(old);
	KTEST_EXPECT_REPORT(t, "spinlock lockup suspected on CPU#2\n");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, ", owner CPU#1, taken at 0x");
	/* And the holder kept it past the bound too. */
	KTEST_EXPECT_REPORT(t, "spinlock held too long on CPU#1: ");
	lock_is_free(t);
}

static void hold_50ms(struct job *j)
{
	(void)j;
	spin_lock(&debug_lock);
	sleep_ms(50);
	spin_unlock(&debug_lock);
}

static void held_too_long_on_a_thread(struct ktest *t)
{
	u64 old = spin_debug_set_bound(TEST_BOUND_NS);

	ktest_log_mark();
	run(t, 3, hold_50ms);
	spin_debug_set_bound(old);
	KTEST_EXPECT_REPORT(t, "spinlock held too long on CPU#3: ");
	KTEST_EXPECT_REPORT(t, lock_line());
	KTEST_EXPECT_REPORT(t, ", owner CPU#3, taken at 0x");
	lock_is_free(t);
}

KTEST_SUITE(spinlock_debug_threads, KTEST_CASE(no_misuse_in_threads_suite),
	    KTEST_CASE(recursion_on_a_thread), KTEST_CASE(unlock_from_another_cpu),
	    KTEST_CASE(unlock_free_lock), KTEST_CASE(lockup_behind_a_holder),
	    KTEST_CASE(held_too_long_on_a_thread));
