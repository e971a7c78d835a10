/*
 * The cross-CPU call round trip (`make bench`, -smp 4): a call to another
 * CPU waited for (SGI out, the target's IRQ entry, its queue, the answer
 * back), and on_each_cpu() waited for on every CPU at once. Under
 * -icount the figure counts every CPU's instructions, the target's and
 * the caller's spinning alike.
 */
#include <mk64/irq.h>
#include <mk64/ktest.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>

#define BENCH_CALLS 1000u

static unsigned int calls;

static void count_call(void *info)
{
	(void)info;
	__atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
}

static void need_secondaries(struct ktest *t)
{
	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU online");
	if (!irq_root_chip())
		ktest_skip(t, "no interrupt controller driver");
}

static void smp_call_single_rtt(struct ktest *t)
{
	struct ktest_bench b;
	unsigned int ok = 0;

	need_secondaries(t);
	calls = 0;
	smp_call_function_single(1, count_call, NULL, true);
	ktest_bench_start(&b);
	for (unsigned int i = 0; i < BENCH_CALLS; i++)
		ok += !smp_call_function_single(1, count_call, NULL, true);
	ktest_bench_end(&b, "smp_call_single_rtt", BENCH_CALLS);
	KTEST_EXPECT_EQ(t, ok, BENCH_CALLS);
	KTEST_EXPECT_EQ(t, calls, BENCH_CALLS + 1);
}

static void on_each_cpu_rtt(struct ktest *t)
{
	unsigned int ok = 0, cpus = num_online_cpus();
	struct ktest_bench b;
	char name[32];

	need_secondaries(t);
	calls = 0;
	ktest_bench_start(&b);
	for (unsigned int i = 0; i < BENCH_CALLS; i++)
		ok += !on_each_cpu(count_call, NULL, true);
	snprintf(name, sizeof(name), "on_each_cpu_%ucpus_rtt", cpus);
	ktest_bench_end(&b, name, BENCH_CALLS);
	KTEST_EXPECT_EQ(t, ok, BENCH_CALLS);
	KTEST_EXPECT_EQ(t, calls, BENCH_CALLS * cpus);
}

KTEST_BENCH_SUITE(bench_smp_call, KTEST_CASE(smp_call_single_rtt), KTEST_CASE(on_each_cpu_rtt));
