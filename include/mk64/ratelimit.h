/*
 * Rate limiting of reports, as Linux's <linux/ratelimit.h>: at most burst
 * messages per interval get through; the others are counted, and the first
 * call of a later interval reports them as "func: N callbacks suppressed".
 * Times are nanoseconds (Linux counts jiffies): where Linux writes 5 * HZ,
 * write 5 * NSEC_PER_SEC.
 */
#ifndef MK64_RATELIMIT_H
#define MK64_RATELIMIT_H

#include <mk64/spinlock.h>
#include <mk64/types.h>

#define NSEC_PER_SEC 1000000000ULL

#define DEFAULT_RATELIMIT_INTERVAL (5 * NSEC_PER_SEC)
#define DEFAULT_RATELIMIT_BURST 10

struct ratelimit_state {
	spinlock_t lock;	/* tried, never waited for */
	u64 interval;		/* ns; 0: no limit */
	int burst;		/* messages per interval; 0: none */
	int printed;		/* in the current interval */
	int missed;		/* suppressed since the last report; atomic */
	bool started;		/* begin is valid */
	u64 begin;		/* of the current interval, ns */
};

#define RATELIMIT_STATE_INIT(name, interval_init, burst_init)                   \
	{ .lock = SPINLOCK_INIT, .interval = (interval_init), .burst = (burst_init) }

#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)                 \
	struct ratelimit_state name = RATELIMIT_STATE_INIT(name, interval_init, burst_init)

/* Makes rs a fresh state: no interval started, nothing printed or missed. */
void ratelimit_state_init(struct ratelimit_state *rs, u64 interval, int burst);

/*
 * True when the caller may print, at time now (ns; only differences count,
 * so the clock may wrap around, and a now slightly before the interval's
 * start is taken as inside it). An interval starts with the first call,
 * and again with the first call more than interval after that start; such
 * a call first reports the calls suppressed until then, as "func: N
 * callbacks suppressed" (KERN_WARNING). A call that finds rs in use (on
 * another CPU, or in the context it interrupted) does not wait: it counts
 * as suppressed. Never sleeps, never fails; any context.
 */
bool ___ratelimit_at(struct ratelimit_state *rs, u64 now, const char *func);

/* ___ratelimit_at() now, by arch_clock_ns(). */
bool ___ratelimit(struct ratelimit_state *rs, const char *func);

#define __ratelimit(state) ___ratelimit(state, __func__)

#endif
