/*
 * The GIC driver and the tick, for real: an SGI sent to this CPU arrives
 * with its INTID, in interrupt context; the priority mask holds an
 * interrupt back and lets it through; an SPI no device drives stays
 * silent until software pends it; the tick's rate against the counter;
 * allocations from the tick handler (GFP_ATOMIC served, GFP_KERNEL
 * reported once and served as atomic).
 *
 * Waits are bounded by the counter, never by loop counts, and every wait
 * that must end does end within its bound or the case fails.
 */
#include <libfdt.h>
#include <asm/irqflags.h>
#include <asm/sysreg.h>
#include <mk64/boot.h>
#include <mk64/errno.h>
#include <mk64/gfp.h>
#include <mk64/irq.h>
#include <mk64/jiffies.h>
#include <mk64/kernel.h>
#include <mk64/ktest.h>
#include <mk64/mm_types.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/slab.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "mm_helpers.h"

#define TEST_SGI 7
#define INVALID_CONTEXT "sleeping function called from invalid context at "

/* What a handler saw, for the case to check after it ran. */
struct irq_seen {
	unsigned int calls;
	int irq;
	bool in_interrupt, in_hardirq, in_irq, irqs_disabled, in_atomic;
	int hardirq_count;
	unsigned int cpu;
};

static struct irq_seen seen;

static irqreturn_t record_handler(int irq, void *dev_id)
{
	struct irq_seen *s = dev_id;

	s->irq = irq;
	s->in_interrupt = in_interrupt();
	s->in_hardirq = in_hardirq();
	s->in_irq = in_irq();
	s->irqs_disabled = irqs_disabled();
	s->in_atomic = in_atomic();
	s->hardirq_count = hardirq_count();
	s->cpu = smp_processor_id();
	WRITE_ONCE(s->calls, s->calls + 1);
	return IRQ_HANDLED;
}

static u64 counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static u64 ms_to_counts(unsigned int ms)
{
	return read_sysreg(cntfrq_el0) / 1000 * ms;
}

/* Spins until *calls reaches want or ms of counter time pass; returns *calls. */
static unsigned int wait_calls(const unsigned int *calls, unsigned int want, unsigned int ms)
{
	u64 end = counter() + ms_to_counts(ms);

	while (READ_ONCE(*calls) < want && counter() < end)
		;
	return READ_ONCE(*calls);
}

static void need_gic(struct ktest *t)
{
	if (!irq_root_chip())
		ktest_skip(t, "no interrupt controller driver");
}

static void request_test_irq(struct ktest *t, unsigned int irq)
{
	seen = (struct irq_seen){ .irq = -1 };
	KTEST_ASSERT_EQ(t, request_irq(irq, record_handler, 0, "ktest", &seen), 0);
}

static void sgi_to_self(struct ktest *t)
{
	unsigned int cpu = smp_processor_id(), before;

	need_gic(t);
	request_test_irq(t, TEST_SGI);
	before = kstat_irqs_cpu(TEST_SGI, cpu);
	gic_send_sgi(cpumask_of(cpu), TEST_SGI);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 100), 1u);
	/* Nothing more comes: one SGI, one interrupt. */
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 2, 10), 1u);
	free_irq(TEST_SGI, &seen);
	KTEST_EXPECT_EQ(t, seen.irq, TEST_SGI);
	KTEST_EXPECT_EQ(t, seen.cpu, cpu);
	KTEST_EXPECT_EQ(t, kstat_irqs_cpu(TEST_SGI, cpu) - before, 1u);
	/* Another id goes to its own handler, not this one. */
	request_test_irq(t, TEST_SGI + 1);
	gic_send_sgi(cpumask_of(cpu), TEST_SGI + 1);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 100), 1u);
	free_irq(TEST_SGI + 1, &seen);
	KTEST_EXPECT_EQ(t, seen.irq, TEST_SGI + 1);
}

/* A handler runs in hardirq context, IRQs masked, one level deep. */
static void context_in_handler(struct ktest *t)
{
	need_gic(t);
	KTEST_ASSERT_FALSE(t, in_interrupt());
	request_test_irq(t, TEST_SGI);
	gic_send_sgi(cpumask_of(smp_processor_id()), TEST_SGI);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 100), 1u);
	free_irq(TEST_SGI, &seen);
	KTEST_EXPECT_TRUE(t, seen.in_interrupt);
	KTEST_EXPECT_TRUE(t, seen.in_hardirq);
	KTEST_EXPECT_TRUE(t, seen.in_irq);
	KTEST_EXPECT_TRUE(t, seen.irqs_disabled);
	KTEST_EXPECT_TRUE(t, seen.in_atomic);
	KTEST_EXPECT_EQ(t, seen.hardirq_count, HARDIRQ_OFFSET);
	/* And process context again after it. */
	KTEST_EXPECT_FALSE(t, in_interrupt());
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/*
 * The GIC signals an interrupt only when its priority value is below the
 * mask: at the default priority's own value it waits, pending; one step
 * above, it is taken.
 */
static void priority_mask_blocks(struct ktest *t)
{
	u8 old;

	need_gic(t);
	request_test_irq(t, TEST_SGI);
	old = irq_set_priority_mask(GICD_INT_DEF_PRI);
	gic_send_sgi(cpumask_of(smp_processor_id()), TEST_SGI);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 20), 0u);
	KTEST_EXPECT_TRUE(t, irq_is_pending(TEST_SGI));
	irq_set_priority_mask(GICD_INT_DEF_PRI + 0x10);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 100), 1u);
	KTEST_EXPECT_FALSE(t, irq_is_pending(TEST_SGI));
	irq_set_priority_mask(old);
	free_irq(TEST_SGI, &seen);
	KTEST_EXPECT_EQ(t, old, (u8)DEFAULT_PMR_VALUE);
}

/* Whether any device node's interrupts name INTID irq. */
static bool dt_names_irq(const void *fdt, int irq)
{
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		int got;

		for (int i = 0; (got = irq_of_parse_and_map(fdt, node, i, NULL)) >= 0; i++) {
			if (got == irq)
				return true;
		}
	}
	return false;
}

/*
 * The highest SPI the GIC implements that no device node names (PCI's
 * interrupt-map names the lowest SPIs on QEMU virt, far from it): enabled,
 * it stays silent; pended by software while masked, it waits; unmasked,
 * it arrives once.
 */
static void unwired_spi_silent(struct ktest *t)
{
	int spi;

	need_gic(t);
	KTEST_ASSERT_TRUE(t, boot_info.fdt != NULL);
	for (spi = (int)irq_root_chip()->nr_irqs - 1; spi >= GIC_SPI_BASE; spi--) {
		if (!dt_names_irq(boot_info.fdt, spi))
			break;
	}
	KTEST_ASSERT_GE(t, spi, GIC_SPI_BASE);
	request_test_irq(t, (unsigned int)spi);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 20), 0u);
	KTEST_EXPECT_FALSE(t, irq_is_pending((unsigned int)spi));
	/* Masked, a pending SPI waits; unmasked, it arrives. */
	disable_irq((unsigned int)spi);
	irq_set_pending((unsigned int)spi, true);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 20), 0u);
	KTEST_EXPECT_TRUE(t, irq_is_pending((unsigned int)spi));
	enable_irq((unsigned int)spi);
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 1, 100), 1u);
	/* An edge-less level SPI pended by software is taken once. */
	KTEST_EXPECT_EQ(t, wait_calls(&seen.calls, 2, 10), 1u);
	free_irq((unsigned int)spi, &seen);
	KTEST_EXPECT_EQ(t, seen.irq, spi);
	KTEST_EXPECT_TRUE(t, seen.in_hardirq);
}

/*
 * Over a window of TICK_WINDOW periods measured on the counter, jiffies
 * advances by the window's length in ticks: counter counts * HZ / CNTFRQ,
 * worked out here from CNTFRQ_EL0. One tick either way is the window's
 * alignment against the tick; one more allows for a tick taken late at
 * either end (QEMU delivers timer interrupts when its host thread runs).
 */
#define TICK_WINDOW 25
#define TICK_SLACK 2

/*
 * Waits up to a second until this CPU's tick has handled every deadline
 * the counter passed: QEMU raises a due timer's interrupt from its I/O
 * thread, which a loaded host can delay by more than a tick. Once the
 * next deadline is ahead of the counter, jiffies is in step with it.
 */
static bool tick_caught_up(u64 freq)
{
	u64 start = counter();

	while (read_sysreg(cntv_cval_el0) <= counter())
		if (counter() - start > freq)
			return false;
	return true;
}

static void tick_rate(struct ktest *t)
{
	u64 freq = read_sysreg(cntfrq_el0), c0, c1, expected;
	unsigned long j0, j1, k0;
	unsigned int irq = arch_timer_irq(), cpu = smp_processor_id();

	if (!irq)
		ktest_skip(t, "no tick");
	KTEST_ASSERT_TRUE(t, tick_caught_up(freq));
	k0 = kstat_irqs_cpu(irq, cpu);
	c0 = counter();
	j0 = READ_ONCE(jiffies);
	while (counter() - c0 < freq / HZ * TICK_WINDOW)
		;
	KTEST_ASSERT_TRUE(t, tick_caught_up(freq));
	c1 = counter();
	j1 = READ_ONCE(jiffies);
	expected = (c1 - c0) * HZ / freq;
	KTEST_EXPECT_GE(t, (u64)(j1 - j0) + TICK_SLACK, expected);
	KTEST_EXPECT_LE(t, (u64)(j1 - j0), expected + TICK_SLACK);
	/*
	 * Each tick is an interrupt of the timer's PPI on this CPU; a few
	 * more may find the timer's condition already gone (QEMU under load
	 * can signal the level a little late), and do nothing.
	 */
	KTEST_EXPECT_GE(t, kstat_irqs_cpu(irq, cpu) - k0, (unsigned int)(j1 - j0));
	KTEST_EXPECT_LE(t, kstat_irqs_cpu(irq, cpu) - k0, (unsigned int)(j1 - j0) + TICK_SLACK);
	/* The binding's third interrupt, PPI 11, on QEMU virt as on the RK3399. */
	KTEST_EXPECT_EQ(t, irq, 27u);
}

/* ---- allocations from the tick -------------------------------------------- */

#define ATOMIC_TICKS 10u

struct tick_alloc {
	gfp_t gfp;
	unsigned int cpu;	/* the hook acts on this CPU's ticks only */
	unsigned int runs, got, wanted;
	bool hardirq;
};

/*
 * From the tick handler: a page and a kmalloc object of a size class that
 * changes every tick, written and freed at once.
 */
static void tick_alloc_hook(void *arg)
{
	struct tick_alloc *ta = arg;
	static const size_t sizes[] = { 8, 96, 192, 512, 1024, 4096 };
	struct page *page;
	void *obj;

	if (smp_processor_id() != ta->cpu || ta->runs >= ta->wanted)
		return;
	ta->hardirq = in_hardirq();
	page = alloc_pages(ta->gfp, 0);
	if (page) {
		memset(page_address(page), 0x5a, PAGE_SIZE);
		__free_pages(page, 0);
		ta->got++;
	}
	obj = kmalloc(sizes[ta->runs % ARRAY_SIZE(sizes)], ta->gfp);
	if (obj) {
		memset(obj, 0xa5, sizes[ta->runs % ARRAY_SIZE(sizes)]);
		kfree(obj);
		ta->got++;
	}
	WRITE_ONCE(ta->runs, ta->runs + 1);
}

/* Runs tick_alloc_hook for n ticks; returns whether they all ran in time. */
static bool run_tick_hook(struct ktest *t, struct tick_alloc *ta, unsigned int n)
{
	bool done;

	ta->wanted = n;
	ta->cpu = smp_processor_id();
	KTEST_ASSERT_EQ(t, tick_set_hook(tick_alloc_hook, ta), 0);
	done = wait_calls(&ta->runs, n, n * 1000 / HZ + 500) == n;
	KTEST_EXPECT_EQ(t, tick_set_hook(NULL, NULL), 0);
	return done;
}

static void gfp_atomic_from_tick(struct ktest *t)
{
	const char *mark = "irq test: atomic tick";
	struct tick_alloc ta = { .gfp = GFP_ATOMIC };

	if (!arch_timer_irq())
		ktest_skip(t, "no tick");
	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_TRUE(t, run_tick_hook(t, &ta, ATOMIC_TICKS));
	KTEST_EXPECT_EQ(t, ta.got, 2 * ATOMIC_TICKS);
	KTEST_EXPECT_TRUE(t, ta.hardirq);
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 0);
}

/*
 * GFP_KERNEL from the tick: reported from the page allocator's check with
 * the handler's context (hardirq count in preempt_count, IRQs off), once
 * for the site however many ticks call it, and served without sleeping.
 */
static void gfp_kernel_from_tick_reported(struct ktest *t)
{
	const char *mark = "irq test: kernel tick";
	struct tick_alloc ta = { .gfp = GFP_KERNEL };
	char count_line[48];

	if (!arch_timer_irq())
		ktest_skip(t, "no tick");
	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_TRUE(t, run_tick_hook(t, &ta, 3));
	KTEST_EXPECT_EQ(t, ta.got, 2 * 3u);
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT "mm/gfp.c:"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "in_atomic(): 1, irqs_disabled(): 1, pid: 0"), 1);
	snprintf(count_line, sizeof(count_line), "preempt_count: %x, expected: 0\n", HARDIRQ_OFFSET);
	KTEST_EXPECT_EQ(t, log_count_after(mark, count_line), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, " tick_alloc_hook+"), 1);
	might_sleep_ratelimit_reset();
}

/*
 * A root whose interrupt-parent is a GIC of cells cells, and a timer and
 * a UART node with the given interrupts, with libfdt's sequential-write
 * calls. Returns the offsets of the timer and the UART.
 */
static void irq_tree(struct ktest *t, void *buf, int size, u32 cells, const fdt32_t *timer,
		     int ntimer, const fdt32_t *uart, int nuart, int *timer_node, int *uart_node)
{
	int err = fdt_create(buf, size);

	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "interrupt-parent", 1);
	err |= fdt_begin_node(buf, "interrupt-controller@fee00000");
	err |= fdt_property_u32(buf, "#interrupt-cells", cells);
	err |= fdt_property_u32(buf, "phandle", 1);
	err |= fdt_end_node(buf);
	err |= fdt_begin_node(buf, "timer");
	err |= fdt_property(buf, "interrupts", timer, ntimer * 4);
	err |= fdt_end_node(buf);
	err |= fdt_begin_node(buf, "serial@ff1a0000");
	err |= fdt_property(buf, "interrupts", uart, nuart * 4);
	err |= fdt_end_node(buf);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	KTEST_ASSERT_EQ(t, err, 0);
	*timer_node = fdt_path_offset(buf, "/timer");
	*uart_node = fdt_path_offset(buf, "/serial@ff1a0000");
	KTEST_ASSERT_GE(t, *timer_node, 0);
	KTEST_ASSERT_GE(t, *uart_node, 0);
}

#define C(x) cpu_to_fdt32(x)

/*
 * Interrupt cells to INTIDs, worked out by hand from the GIC binding (SPI
 * n is n + 32, PPI n is n + 16): the RK3399's 4-cell timer and UART2
 * (rk3399.dtsi: PPIs 13, 14, 11, 10 level-low; SPI 100) and QEMU virt's
 * 3-cell timer (flags 0xf04: a CPU mask over level-high).
 */
static void dt_interrupt_cells(struct ktest *t)
{
	const fdt32_t rk_timer[] = { C(1), C(13), C(8), C(0), C(1), C(14), C(8), C(0),
					    C(1), C(11), C(8), C(0), C(1), C(10), C(8), C(0) };
	const fdt32_t rk_uart[] = { C(0), C(100), C(4), C(0) };
	const fdt32_t virt_timer[] = { C(1), C(13), C(0xf04), C(1), C(14), C(0xf04),
					      C(1), C(11), C(0xf04), C(1), C(10), C(0xf04) };
	const fdt32_t bad[] = { C(2), C(1), C(4), C(1), C(16), C(4), C(0), C(988), C(4) };
	static u8 buf[1024] __aligned(8);
	int timer, uart;
	unsigned int type = 0;

	irq_tree(t, buf, sizeof(buf), 4, rk_timer, 16, rk_uart, 4, &timer, &uart);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 0, &type), 29);
	KTEST_EXPECT_EQ(t, type, 8u);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 1, NULL), 30);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 2, NULL), 27);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 3, NULL), 26);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 4, NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, uart, 0, &type), 132);
	KTEST_EXPECT_EQ(t, type, 4u);

	irq_tree(t, buf, sizeof(buf), 3, virt_timer, 12, bad, 9, &timer, &uart);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 2, &type), 27);
	KTEST_EXPECT_EQ(t, type, 4u);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, timer, 1, NULL), 30);
	/* A type that is neither SPI nor PPI, PPI 16, SPI 988 (INTID 1020). */
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, uart, 0, NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, uart, 1, NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, irq_of_parse_and_map(buf, uart, 2, NULL), -EINVAL);
}

KTEST_SUITE(irq, KTEST_CASE(dt_interrupt_cells), KTEST_CASE(sgi_to_self), KTEST_CASE(context_in_handler),
	    KTEST_CASE(priority_mask_blocks), KTEST_CASE(unwired_spi_silent), KTEST_CASE(tick_rate),
	    KTEST_CASE(gfp_atomic_from_tick), KTEST_CASE(gfp_kernel_from_tick_reported));
