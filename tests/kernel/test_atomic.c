/*
 * Atomic context: the preempt count that spinlocks raise, interrupt
 * masking and its nesting, might_sleep()'s "sleeping function called from
 * invalid context" report from the page allocator and its per-site limit,
 * and the interrupt vectors, with no interrupt controller driver and with
 * one (a spurious entry), entered as an interrupt would enter them.
 *
 * The system is running when the tests run: process context has
 * interrupts unmasked, so each case starts from that state and leaves it.
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/irq.h>
#include <mk64/kernel.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>
#include <mk64/sprintf.h>
#include "mm_helpers.h"

#define NOINLINE __attribute__((noinline, noipa))

#define INVALID_CONTEXT "sleeping function called from invalid context at "
#define GFP_SITE	INVALID_CONTEXT "mm/gfp.c:"
#define IRQ_HEADLINE	"irq: interrupt taken with no interrupt controller driver; masking IRQs"
#define FIQ_HEADLINE	"irq: FIQ taken with no interrupt controller driver; masking FIQs"

/* The vectors of exceptions taken at EL1 with SP_EL1 (entry.S). */
#define VECTOR_EL1H_IRQ 5
#define VECTOR_EL1H_FIQ 6
#define VECTOR_BYTES	128

extern char vectors[];

static spinlock_t test_lock = SPINLOCK_INIT;

/* Allocates and frees one page with gfp; returns whether it got one. */
static NOINLINE bool alloc_and_free(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, 0);

	if (page)
		__free_pages(page, 0);
	return page != NULL;
}

static void process_context(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (int)system_state, (int)SYSTEM_RUNNING);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_FALSE(t, in_atomic());
}

static void spinlock_counts_preemption(struct ktest *t)
{
	spinlock_t other = SPINLOCK_INIT;

	spin_lock(&test_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	KTEST_EXPECT_TRUE(t, in_atomic());
	spin_lock(&other);
	KTEST_EXPECT_EQ(t, preempt_count(), 2);
	/* A failed trylock leaves the count as it was. */
	KTEST_EXPECT_FALSE(t, spin_trylock(&other));
	KTEST_EXPECT_EQ(t, preempt_count(), 2);
	spin_unlock(&other);
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_FALSE(t, in_atomic());

	KTEST_EXPECT_TRUE(t, spin_trylock(&test_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);

	/* The raw variants leave it alone. */
	arch_spin_lock(&test_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	arch_spin_unlock(&test_lock);
	KTEST_EXPECT_TRUE(t, arch_spin_trylock(&test_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	arch_spin_unlock(&test_lock);

	preempt_disable();
	KTEST_EXPECT_TRUE(t, in_atomic());
	preempt_enable();
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static void irqsave_nests(struct ktest *t)
{
	spinlock_t other = SPINLOCK_INIT;
	unsigned long outer, inner;

	spin_lock_irqsave(&test_lock, outer);
	KTEST_EXPECT_FALSE(t, irqs_disabled_flags(outer));
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_lock_irqsave(&other, inner);
	KTEST_EXPECT_TRUE(t, irqs_disabled_flags(inner));
	KTEST_EXPECT_EQ(t, preempt_count(), 2);
	spin_unlock_irqrestore(&other, inner);
	/* The inner restore must not unmask what the outer section masked. */
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_unlock_irqrestore(&test_lock, outer);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 0);

	local_irq_save(outer);
	local_irq_save(inner);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_restore(inner);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_restore(outer);
	KTEST_EXPECT_FALSE(t, irqs_disabled());

	local_irq_disable();
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	/* FIQs stay masked whatever the IRQ state. */
	KTEST_EXPECT_TRUE(t, arch_local_save_flags() & PSR_F_BIT);
	local_irq_enable();
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_TRUE(t, arch_local_save_flags() & PSR_F_BIT);
}

static void gfp_kernel_irqs_disabled_warns(struct ktest *t)
{
	const char *mark = "atomic test: irqs off";
	unsigned long flags;
	bool got;

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	local_irq_save(flags);
	got = alloc_and_free(GFP_KERNEL);
	local_irq_restore(flags);
	KTEST_EXPECT_TRUE(t, got);
	KTEST_EXPECT_EQ(t, log_count_after(mark, GFP_SITE), 1);
	KTEST_EXPECT_EQ(
	    t,
	    log_count_after(mark, "in_atomic(): 0, irqs_disabled(): 1, pid: 0, name: swapper/0\n"),
	    1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "Call trace:\n"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, " alloc_and_free+"), 1);
}

static void gfp_kernel_under_spinlock_warns(struct ktest *t)
{
	const char *mark = "atomic test: locked";
	bool got;

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	spin_lock(&test_lock);
	got = alloc_and_free(GFP_KERNEL);
	spin_unlock(&test_lock);
	KTEST_EXPECT_TRUE(t, got);
	KTEST_EXPECT_EQ(t, log_count_after(mark, GFP_SITE), 1);
	KTEST_EXPECT_EQ(
	    t,
	    log_count_after(mark, "in_atomic(): 1, irqs_disabled(): 0, pid: 0, name: swapper/0\n"),
	    1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "preempt_count: 1, expected: 0\n"), 1);
}

/*
 * Non-blocking requests are silent in every atomic context; a GFP_KERNEL
 * one after them, from the same site, shows the check was armed.
 */
static void atomic_and_nowait_silent(struct ktest *t)
{
	const char *mark = "atomic test: nowait";
	unsigned long flags;
	int got = 0;

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	local_irq_save(flags);
	got += alloc_and_free(GFP_ATOMIC);
	got += alloc_and_free(GFP_NOWAIT);
	local_irq_restore(flags);
	spin_lock(&test_lock);
	got += alloc_and_free(GFP_ATOMIC);
	got += alloc_and_free(GFP_NOWAIT);
	spin_unlock(&test_lock);
	spin_lock_irqsave(&test_lock, flags);
	got += alloc_and_free(GFP_ATOMIC);
	got += alloc_and_free(GFP_NOWAIT);
	spin_unlock_irqrestore(&test_lock, flags);
	KTEST_EXPECT_EQ(t, got, 6);
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 0);

	spin_lock(&test_lock);
	alloc_and_free(GFP_KERNEL);
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, log_count_after(mark, GFP_SITE), 1);
}

static void gfp_kernel_process_context_silent(struct ktest *t)
{
	const char *mark = "atomic test: process";

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_TRUE(t, alloc_and_free(GFP_KERNEL));
	KTEST_EXPECT_TRUE(t, alloc_and_free(GFP_KERNEL | __GFP_ZERO));
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 0);
}

/* Two call sites of their own; each returns the line of its might_sleep(). */
static NOINLINE int sleepy_site_a(void)
{
	might_sleep();
	return __LINE__ - 1;
}

static NOINLINE int sleepy_site_b(void)
{
	might_sleep();
	return __LINE__ - 1;
}

static void site_line(char *buf, size_t size, int line)
{
	snprintf(buf, size, INVALID_CONTEXT "tests/kernel/test_atomic.c:%d\n", line);
}

static void one_report_per_site(struct ktest *t)
{
	const char *mark = "atomic test: sites";
	char a[96], b[96];
	int line_a, line_b;

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	spin_lock(&test_lock);
	line_a = sleepy_site_a();
	sleepy_site_a();
	line_b = sleepy_site_b();
	sleepy_site_a();
	spin_unlock(&test_lock);
	site_line(a, sizeof(a), line_a);
	site_line(b, sizeof(b), line_b);
	KTEST_EXPECT_EQ(t, log_count_after(mark, a), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, b), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 2);

	/* A reset lets site a report again. */
	might_sleep_ratelimit_reset();
	spin_lock(&test_lock);
	sleepy_site_a();
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, log_count_after(mark, a), 2);
}

/* While the kernel boots (interrupts masked throughout), nothing reports. */
static void silent_while_booting(struct ktest *t)
{
	const char *mark = "atomic test: booting";

	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	system_state = SYSTEM_BOOTING;
	spin_lock(&test_lock);
	sleepy_site_a();
	spin_unlock(&test_lock);
	system_state = SYSTEM_RUNNING;
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 0);
	spin_lock(&test_lock);
	sleepy_site_a();
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT), 1);
}

/*
 * Enters vector index as an exception taken here would: ELR_EL1 is the
 * return point, SPSR_EL1 the current EL1h state. Interrupts are masked
 * only while ELR and SPSR are written, so that nothing taken meanwhile
 * overwrites them; the exception returns to the state in SPSR. token
 * crosses the round trip in x11, which the C handler is free to clobber:
 * only the frame's restore brings it back.
 */
static NOINLINE u64 take_exception_at(unsigned int index, u64 token)
{
	u64 out;

	__asm__ volatile("mrs	x9, daif\n\t"
			 "orr	x9, x9, #4\n\t" /* M[3:0]: EL1h, 0b0101 */
			 "orr	x9, x9, #1\n\t"
			 "msr	daifset, #3\n\t"
			 "adr	x10, 1f\n\t"
			 "msr	elr_el1, x10\n\t"
			 "msr	spsr_el1, x9\n\t"
			 "mov	x11, %[token]\n\t"
			 "br	%[entry]\n"
			 "1:\tmov	%[out], x11"
			 : [out] "=&r"(out)
			 : [entry] "r"(vectors + index * VECTOR_BYTES), [token] "r"(token)
			 : "x9", "x10", "x11", "cc", "memory");
	return out;
}

/* Other CPUs wait in a cross-call, IRQs masked, until released. */
static unsigned int others_held;
static bool others_release;

static void hold_here(void *unused)
{
	(void)unused;
	__atomic_fetch_add(&others_held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&others_release, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/*
 * The vectors as before the GIC driver takes over: the GIC signals nothing
 * (priority mask 0) and the root controller is gone. The other CPUs are
 * held in a cross-call meanwhile, so that none takes an interrupt (its
 * tick) without a driver. Returns the controller, for attach_irqchip().
 */
static const struct irq_chip *detach_irqchip(struct ktest *t, u8 *pmr)
{
	const struct irq_chip *chip = irq_root_chip();
	unsigned int others = num_online_cpus() - 1;
	u64 start = arch_clock_ns();

	__atomic_store_n(&others_held, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&others_release, false, __ATOMIC_RELAXED);
	if (chip && others) {
		KTEST_EXPECT_EQ(t, smp_call_function(hold_here, NULL, false), 0);
		while (__atomic_load_n(&others_held, __ATOMIC_ACQUIRE) < others &&
		       arch_clock_ns() - start < 10000000000ull)
			cpu_relax();
		KTEST_EXPECT_EQ(t, __atomic_load_n(&others_held, __ATOMIC_ACQUIRE), others);
	}
	*pmr = irq_set_priority_mask(0);
	set_handle_irq(NULL);
	return chip;
}

static void attach_irqchip(const struct irq_chip *chip, u8 pmr)
{
	set_handle_irq(chip);
	irq_set_priority_mask(pmr);
	__atomic_store_n(&others_release, true, __ATOMIC_RELEASE);
}

static void irq_reported_once_and_masked(struct ktest *t)
{
	const char *mark = "atomic test: irq";
	const struct irq_chip *chip;
	u8 pmr;

	printk(KERN_INFO "%s\n", mark);
	chip = detach_irqchip(t, &pmr);
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_IRQ, 0x5eed1), 0x5eed1ull);
	/* The interrupted code goes on with IRQs masked. */
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_enable();
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_IRQ, 0x5eed2), 0x5eed2ull);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	attach_irqchip(chip, pmr);
	local_irq_enable();
	KTEST_EXPECT_EQ(t, log_count_after(mark, IRQ_HEADLINE "\n"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "irq: interrupted take_exception_at+"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "Internal error"), 0);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/*
 * With the driver, an IRQ entry that finds nothing to acknowledge (the
 * GIC answers 1023: nothing is pending, as nothing was raised) is counted
 * as spurious and the interrupted code goes on with IRQs unmasked, no
 * report. Interrupts are masked at the GIC (priority mask 0) meanwhile, so
 * that a real tick cannot be the one acknowledged.
 */
static void irq_spurious_counted(struct ktest *t)
{
	const char *mark = "atomic test: spurious";
	unsigned int cpu = smp_processor_id();
	unsigned long before;
	u8 pmr;

	if (!irq_root_chip())
		ktest_skip(t, "no interrupt controller driver");
	printk(KERN_INFO "%s\n", mark);
	pmr = irq_set_priority_mask(0);
	before = irq_spurious_count(cpu);
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_IRQ, 0x5b1), 0x5b1ull);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_IRQ, 0x5b2), 0x5b2ull);
	KTEST_EXPECT_EQ(t, irq_spurious_count(cpu) - before, 2ul);
	irq_set_priority_mask(pmr);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "irq"), 0);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "Internal error"), 0);
}

static void fiq_reported_once_irqs_untouched(struct ktest *t)
{
	const char *mark = "atomic test: fiq";

	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_FIQ, 0xf1), 0xf1ull);
	KTEST_EXPECT_EQ(t, take_exception_at(VECTOR_EL1H_FIQ, 0xf2), 0xf2ull);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_TRUE(t, arch_local_save_flags() & PSR_F_BIT);
	KTEST_EXPECT_EQ(t, log_count_after(mark, FIQ_HEADLINE "\n"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "Internal error"), 0);
}

static NOINLINE void read_at(void *addr)
{
	(void)*(volatile u64 *)addr;
}

/* An expected fault returns to its fault_expect() with the IRQ state it had. */
static void fault_keeps_irq_state(struct ktest *t)
{
	struct fault_info fi;
	unsigned long flags;
	bool faulted;

	KTEST_EXPECT_TRUE(t, fault_expect(read_at, (void *)8, &fi));
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	local_irq_save(flags);
	faulted = fault_expect(read_at, (void *)8, &fi);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_restore(flags);
	KTEST_EXPECT_TRUE(t, faulted);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
}

KTEST_SUITE(atomic, KTEST_CASE(process_context), KTEST_CASE(spinlock_counts_preemption),
	    KTEST_CASE(irqsave_nests), KTEST_CASE(gfp_kernel_irqs_disabled_warns),
	    KTEST_CASE(gfp_kernel_under_spinlock_warns), KTEST_CASE(atomic_and_nowait_silent),
	    KTEST_CASE(gfp_kernel_process_context_silent), KTEST_CASE(one_report_per_site),
	    KTEST_CASE(silent_while_booting), KTEST_CASE(irq_reported_once_and_masked),
	    KTEST_CASE(irq_spurious_counted),
	    KTEST_CASE(fiq_reported_once_irqs_untouched), KTEST_CASE(fault_keeps_irq_state));
