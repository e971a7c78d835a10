/*
 * lib/ratelimit.c: bursts and suppression within an interval, the report of
 * what was suppressed when a later one starts, no limit for interval 0, a
 * clock that wraps or reads slightly behind, a contended state, and the
 * wrappers that read the clock themselves (__ratelimit, printk_ratelimited,
 * printk_ratelimit). Most cases give the time explicitly, so that they run
 * the same in the kernel and on the host; each checks the log for its own
 * reports.
 */
#include <asm/arch.h>
#include <mk64/ktest.h>
#include <mk64/printk.h>
#include <mk64/ratelimit.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "../fixture.h"

#define SEC NSEC_PER_SEC

/* The log's tail, read in fixture memory. */
static struct rl_log {
	char buf[8192];
} *fx;

static void fixture_init(void *mem)
{
	fx = mem;
}

static const struct test_fixture log_fixture = { sizeof(*fx), fixture_init, NULL };

#define RATELIMIT_CASE(name) FIXTURE_CASE(name, log_fixture)

/* Occurrences of text in the log's tail. */
static int log_count(const char *text)
{
	size_t len = printk_log_tail(fx->buf, sizeof(fx->buf)), n = strlen(text);
	int count = 0;

	for (size_t i = 0; i + n <= len; i++)
		count += !memcmp(fx->buf + i, text, n);
	return count;
}

/* The level digit of the last log line holding text, or -1. */
static int log_level_of(const char *text)
{
	size_t len = printk_log_tail(fx->buf, sizeof(fx->buf)), n = strlen(text);

	for (size_t i = len - min(len, n) + 1; i-- > 0;) {
		if (memcmp(fx->buf + i, text, n))
			continue;
		while (i > 0 && fx->buf[i - 1] != '\n')
			i--;
		return fx->buf[i] - '0';
	}
	return -1;
}

/* burst calls get through, every other call of the interval is counted. */
RATELIMIT_CASE(burst_then_suppressed)
{
	DEFINE_RATELIMIT_STATE(rs, SEC, 3);
	const u64 t0 = 1000;

	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + (u64)i, "rl_burst"));
	for (int i = 0; i < 5; i++)
		KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, t0 + 3 + (u64)i * SEC / 8, "rl_burst"));
	/* Exactly interval after the start is still the same interval. */
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, t0 + SEC, "rl_burst"));
	KTEST_EXPECT_EQ(t, rs.printed, 3);
	KTEST_EXPECT_EQ(t, rs.missed, 6);
	KTEST_EXPECT_EQ(t, rs.begin, t0);
	KTEST_EXPECT_EQ(t, log_count("rl_burst"), 0);
}

/* A new interval starts afresh and reports the count, once. */
RATELIMIT_CASE(new_interval_reports)
{
	DEFINE_RATELIMIT_STATE(rs, SEC, 2);
	const u64 t0 = 5 * SEC;

	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0, "rl_report"));
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + 1, "rl_report"));
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, t0 + 2, "rl_report"));

	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + SEC + 1, "rl_report"));
	KTEST_EXPECT_EQ(t, log_count("] rl_report: 3 callbacks suppressed\n"), 1);
	KTEST_EXPECT_EQ(t, log_level_of("rl_report: 3 callbacks"), 4);
	KTEST_EXPECT_EQ(t, rs.missed, 0);
	KTEST_EXPECT_EQ(t, rs.printed, 1);
	KTEST_EXPECT_EQ(t, rs.begin, t0 + SEC + 1);

	/* The new interval has its own burst, counted from its start. */
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + 2 * SEC, "rl_report"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, t0 + 2 * SEC + 1, "rl_report"));
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + 4 * SEC, "rl_report"));
	KTEST_EXPECT_EQ(t, log_count("rl_report: 1 callbacks suppressed\n"), 1);

	/* Nothing suppressed, nothing reported. */
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0 + 6 * SEC, "rl_report"));
	KTEST_EXPECT_EQ(t, log_count("rl_report"), 2);
}

/* Interval 0: no limit at all, whatever the burst and the time. */
RATELIMIT_CASE(interval_zero_never_limits)
{
	DEFINE_RATELIMIT_STATE(rs, 0, 1);
	DEFINE_RATELIMIT_STATE(none, 0, 0);
	unsigned int passed = 0;

	for (u64 i = 0; i < 1000; i++) {
		passed += ___ratelimit_at(&rs, i % 7, "rl_zero");
		passed += ___ratelimit_at(&none, ~i, "rl_zero");
	}
	KTEST_EXPECT_EQ(t, passed, 2000u);
	KTEST_EXPECT_EQ(t, rs.missed + none.missed, 0);
	KTEST_EXPECT_EQ(t, log_count("rl_zero"), 0);
}

/* Burst 0 with an interval: everything suppressed, and still reported. */
RATELIMIT_CASE(burst_zero_suppresses_all)
{
	DEFINE_RATELIMIT_STATE(rs, SEC, 0);

	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, (u64)i, "rl_mute"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 2 * SEC, "rl_mute"));
	KTEST_EXPECT_EQ(t, log_count("rl_mute: 4 callbacks suppressed\n"), 1);
	KTEST_EXPECT_EQ(t, rs.missed, 1);
}

/*
 * Only differences of the clock count: an interval across the wrap of a
 * 64-bit clock ends on time, and a time slightly before the start (read
 * on another CPU just before it) is not taken for a wrap of 2^64 ns.
 */
RATELIMIT_CASE(clock_wrap_harmless)
{
	DEFINE_RATELIMIT_STATE(rs, 1000, 2);
	const u64 t0 = ~0ULL - 500;

	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, t0, "rl_wrap"));
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, ~0ULL, "rl_wrap"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 100, "rl_wrap"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, t0 + 1000, "rl_wrap"));	/* 499 */
	KTEST_EXPECT_EQ(t, log_count("rl_wrap"), 0);
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, 500, "rl_wrap"));
	KTEST_EXPECT_EQ(t, log_count("rl_wrap: 2 callbacks suppressed\n"), 1);
	KTEST_EXPECT_EQ(t, rs.begin, 500ULL);

	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, 501, "rl_wrap"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 400, "rl_wrap"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 0, "rl_wrap"));
	KTEST_EXPECT_EQ(t, rs.begin, 500ULL);
	KTEST_EXPECT_EQ(t, rs.missed, 2);
	/* A long time later, 2^62 ns, is a new interval. */
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, 500 + (1ULL << 62), "rl_wrap"));
	KTEST_EXPECT_EQ(t, log_count("rl_wrap: 2 callbacks suppressed\n"), 2);
}

/* A state in use elsewhere: the call does not wait and counts as suppressed. */
RATELIMIT_CASE(contended_counts_as_suppressed)
{
	DEFINE_RATELIMIT_STATE(rs, SEC, 5);

	KTEST_ASSERT_TRUE(t, arch_spin_trylock(&rs.lock));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 10, "rl_busy"));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&rs, 11, "rl_busy"));
	arch_spin_unlock(&rs.lock);
	KTEST_EXPECT_EQ(t, rs.missed, 2);
	KTEST_EXPECT_EQ(t, rs.printed, 0);

	/* The first call to get the lock starts an interval and reports. */
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&rs, 12, "rl_busy"));
	KTEST_EXPECT_EQ(t, log_count("rl_busy: 2 callbacks suppressed\n"), 1);
	KTEST_EXPECT_EQ(t, rs.printed, 1);

	/* Given back: taking it again works. */
	KTEST_ASSERT_TRUE(t, arch_spin_trylock(&rs.lock));
	arch_spin_unlock(&rs.lock);

	ratelimit_state_init(&rs, 2 * SEC, 1);
	KTEST_EXPECT_EQ(t, rs.interval, 2 * SEC);
	KTEST_EXPECT_EQ(t, rs.burst, 1);
	KTEST_EXPECT_EQ(t, rs.printed + rs.missed, 0);
	KTEST_EXPECT_FALSE(t, rs.started);
	KTEST_ASSERT_TRUE(t, arch_spin_trylock(&rs.lock));
	arch_spin_unlock(&rs.lock);
}

/*
 * __ratelimit() reads arch_clock_ns(): within an hour-long interval the
 * burst holds; a 1 ms interval is over once the clock has moved past it.
 */
RATELIMIT_CASE(wrapper_reads_clock)
{
	DEFINE_RATELIMIT_STATE(hour, 3600 * SEC, 2);
	DEFINE_RATELIMIT_STATE(ms, SEC / 1000, 1);
	char want[96];
	u64 t0;

	KTEST_EXPECT_TRUE(t, __ratelimit(&hour));
	KTEST_EXPECT_TRUE(t, __ratelimit(&hour));
	KTEST_EXPECT_FALSE(t, __ratelimit(&hour));

	t0 = arch_clock_ns();
	KTEST_EXPECT_TRUE(t, ___ratelimit_at(&ms, t0, __func__));
	KTEST_EXPECT_FALSE(t, ___ratelimit_at(&ms, t0, __func__));
	for (unsigned long spins = 0; arch_clock_ns() - t0 <= ms.interval; spins++)
		KTEST_ASSERT_LT(t, spins, 50000000UL);
	KTEST_EXPECT_TRUE(t, __ratelimit(&ms));
	snprintf(want, sizeof(want), "%s: 1 callbacks suppressed\n", __func__);
	KTEST_EXPECT_EQ(t, log_count(want), 1);
}

/* Each printk_ratelimited() call site has its own default limit. */
RATELIMIT_CASE(printk_ratelimited_per_site)
{
	for (int i = 0; i < 3 * DEFAULT_RATELIMIT_BURST; i++) {
		printk_ratelimited(KERN_INFO "rl site A %d\n", i);
		if (i % 2)
			pr_warn_ratelimited("rl site B %d\n", i);
	}
	KTEST_EXPECT_EQ(t, log_count("] rl site A "), DEFAULT_RATELIMIT_BURST);
	KTEST_EXPECT_EQ(t, log_count("] rl site B "), DEFAULT_RATELIMIT_BURST);
	KTEST_EXPECT_EQ(t, log_level_of("] rl site A "), 6);
	KTEST_EXPECT_EQ(t, log_level_of("] rl site B "), 4);
}

static bool another_caller(void)
{
	return printk_ratelimit();
}

/* printk_ratelimit(): one default limit, shared by all its callers. */
RATELIMIT_CASE(printk_ratelimit_shared)
{
	unsigned int passed = 0;

	ratelimit_state_init(&printk_ratelimit_state, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	for (int i = 0; i < 2 * DEFAULT_RATELIMIT_BURST; i++)
		passed += printk_ratelimit();
	KTEST_EXPECT_EQ(t, passed, (unsigned int)DEFAULT_RATELIMIT_BURST);
	KTEST_EXPECT_FALSE(t, another_caller());
	KTEST_EXPECT_EQ(t, printk_ratelimit_state.missed, DEFAULT_RATELIMIT_BURST + 1);
	ratelimit_state_init(&printk_ratelimit_state, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
}

KTEST_SUITE(ratelimit, KTEST_CASE(burst_then_suppressed), KTEST_CASE(new_interval_reports),
	    KTEST_CASE(interval_zero_never_limits), KTEST_CASE(burst_zero_suppresses_all),
	    KTEST_CASE(clock_wrap_harmless), KTEST_CASE(contended_counts_as_suppressed),
	    KTEST_CASE(wrapper_reads_clock), KTEST_CASE(printk_ratelimited_per_site),
	    KTEST_CASE(printk_ratelimit_shared));
