/*
 * Rate limiting of reports. The lock is only ever tried: a report that
 * finds it taken (another CPU, or the context this one interrupted) is
 * dropped and counted, so a flood of reports from every CPU never queues
 * up behind it and an interrupt can never deadlock on it. Hence missed is
 * updated atomically, also without the lock. The raw arch_spin_*() calls
 * leave the preempt count alone: nobody ever waits for this lock, and the
 * host build of lib/ has no preempt count.
 *
 * The clock is the caller's business: ___ratelimit_at() takes the time,
 * so it runs the same in the kernel and in the host tests, and
 * ___ratelimit() reads arch_clock_ns(), which each side provides.
 */
#include <asm/arch.h>
#include <mk64/printk.h>
#include <mk64/ratelimit.h>

void ratelimit_state_init(struct ratelimit_state *rs, u64 interval, int burst)
{
	*rs = (struct ratelimit_state)RATELIMIT_STATE_INIT(*rs, interval, burst);
}

/*
 * Whether now lies more than interval after begin. Differences are taken
 * modulo 2^64, so a clock that wraps around is no different; a now before
 * begin (read on another CPU just before begin was) is not past it.
 */
static bool interval_over(const struct ratelimit_state *rs, u64 now)
{
	u64 elapsed = now - rs->begin;

	return (s64)elapsed >= 0 && elapsed > rs->interval;
}

bool ___ratelimit_at(struct ratelimit_state *rs, u64 now, const char *func)
{
	int suppressed = 0;
	bool ok;

	if (!rs->interval)
		return true;
	if (!arch_spin_trylock(&rs->lock)) {
		__atomic_fetch_add(&rs->missed, 1, __ATOMIC_RELAXED);
		return false;
	}
	if (!rs->started || interval_over(rs, now)) {
		suppressed = __atomic_exchange_n(&rs->missed, 0, __ATOMIC_RELAXED);
		rs->started = true;
		rs->begin = now;
		rs->printed = 0;
	}
	ok = rs->printed < rs->burst;
	if (ok)
		rs->printed++;
	else
		__atomic_fetch_add(&rs->missed, 1, __ATOMIC_RELAXED);
	arch_spin_unlock(&rs->lock);

	/* Outside the lock: printing is slow, and the count is ours now. */
	if (suppressed)
		printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, suppressed);
	return ok;
}

bool ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	return ___ratelimit_at(rs, arch_clock_ns(), func);
}

DEFINE_RATELIMIT_STATE(printk_ratelimit_state, DEFAULT_RATELIMIT_INTERVAL,
		       DEFAULT_RATELIMIT_BURST);

bool __printk_ratelimit(const char *func)
{
	return ___ratelimit(&printk_ratelimit_state, func);
}
