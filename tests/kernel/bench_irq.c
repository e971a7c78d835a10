/*
 * The IRQ entry and exit round trip (`make bench`): an SGI sent to this
 * CPU, taken at once since IRQs are unmasked, through the vectors,
 * acknowledge, handler, end of interrupt and back. Named after the GIC
 * that ran it; `make bench` boots GICv2 and GICv3.
 */
#include <mk64/irq.h>
#include <mk64/ktest.h>
#include <mk64/sprintf.h>

#define BENCH_SGI 8
#define BENCH_OPS 2000u

static unsigned int sgi_calls;

static irqreturn_t count_sgi(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	sgi_calls++;
	return IRQ_HANDLED;
}

static void bench_sgi_self(struct ktest *t)
{
	cpumask_t self = cpumask_of(smp_processor_id());
	struct ktest_bench b;
	char name[32];

	if (!irq_root_chip())
		ktest_skip(t, "no interrupt controller driver");
	KTEST_ASSERT_EQ(t, request_irq(BENCH_SGI, count_sgi, 0, "bench", NULL), 0);
	sgi_calls = 0;
	ktest_bench_start(&b);
	for (unsigned int i = 1; i <= BENCH_OPS; i++) {
		gic_send_sgi(self, BENCH_SGI);
		while (READ_ONCE(sgi_calls) < i)
			;
	}
	snprintf(name, sizeof(name), "irq_sgi_self_%s", irq_root_chip()->name);
	ktest_bench_end(&b, name, BENCH_OPS);
	free_irq(BENCH_SGI, NULL);
	KTEST_EXPECT_EQ(t, sgi_calls, BENCH_OPS);
}

KTEST_BENCH_SUITE(bench_irq, KTEST_CASE(bench_sgi_self));
