/*
 * The generic timer as the tick: each CPU's EL1 virtual timer (CNTV_*),
 * its PPI from the device tree's timer node, fires every 1/HZ s. The
 * kernel always runs at EL1, so the virtual timer is the one to use
 * whether it was entered at EL1 or EL2 (head.S leaves CNTVOFF_EL2 at 0
 * and gives EL1 the physical timer too; that one, the node's second
 * interrupt, stays off). The frequency is CNTFRQ_EL0, as firmware set it.
 *
 * Deadlines are absolute (CNTV_CVAL): each tick sets the next one a
 * period after the last deadline, not after the handler ran, so handler
 * latency does not make the tick drift. After a long masked section the
 * missed ticks fire back to back, each counted: jiffies stays in step with
 * the counter.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/sysreg.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/jiffies.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/smp.h>

/* The timer node's interrupts, in the binding's order. */
enum arch_timer_ppi { ARCH_TIMER_PHYS_SECURE_PPI, ARCH_TIMER_PHYS_NONSECURE_PPI,
		      ARCH_TIMER_VIRT_PPI, ARCH_TIMER_HYP_PPI, ARCH_TIMER_MAX_TIMER_PPI };

static const char *const timer_compatibles[] = { "arm,armv8-timer", "arm,armv7-timer" };

unsigned long jiffies;

static unsigned int timer_irq;
static unsigned int timer_type;
static u64 period;
static u64 next_deadline[NR_CPUS];
static unsigned long ticks[NR_CPUS];
static void (*tick_hook)(void *);
static void *tick_hook_arg;

static void set_next(unsigned int cpu)
{
	next_deadline[cpu] += period;
	write_sysreg(next_deadline[cpu], cntv_cval_el0);
	write_sysreg(ARCH_TIMER_CTRL_ENABLE, cntv_ctl_el0);
	isb();
}

static irqreturn_t arch_timer_handler_virt(int irq, void *dev_id)
{
	unsigned int cpu = smp_processor_id();
	void (*hook)(void *) = __atomic_load_n(&tick_hook, __ATOMIC_ACQUIRE);

	(void)irq;
	(void)dev_id;
	if (!(read_sysreg(cntv_ctl_el0) & ARCH_TIMER_CTRL_IT_STAT))
		return IRQ_NONE;
	ticks[cpu]++;
	if (cpu == 0)
		WRITE_ONCE(jiffies, jiffies + 1);
	set_next(cpu);
	if (hook)
		hook(READ_ONCE(tick_hook_arg));
	return IRQ_HANDLED;
}

int tick_set_hook(void (*fn)(void *arg), void *arg)
{
	if (fn && READ_ONCE(tick_hook))
		return -EBUSY;
	if (!fn) {
		WRITE_ONCE(tick_hook, NULL);
		/* A CPU may be in the old hook: each CPU's next interrupt is after it. */
		return kick_all_cpus_sync();
	}
	WRITE_ONCE(tick_hook_arg, arg);
	__atomic_store_n(&tick_hook, fn, __ATOMIC_RELEASE);
	return 0;
}

unsigned long tick_count_cpu(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(ticks[cpu]) : 0;
}

unsigned int arch_timer_irq(void)
{
	return timer_irq;
}

void arch_timer_starting_cpu(void)
{
	unsigned int cpu = smp_processor_id();

	if (!timer_irq)
		return;
	isb();
	next_deadline[cpu] = read_sysreg(cntvct_el0);
	set_next(cpu);
	enable_percpu_irq(timer_irq, timer_type);
}

int arch_timer_init(const void *fdt)
{
	u64 freq = arch_counter_freq();
	unsigned int type, phys_type;
	size_t which;
	int node, virt, phys, err;

	node = fdt ? dt_find_compatible_any(fdt, timer_compatibles,
					    ARRAY_SIZE(timer_compatibles), &which)
		   : -1;
	if (node < 0) {
		pr_err("arch_timer: no timer node in the device tree; no tick\n");
		return -ENODEV;
	}
	virt = irq_of_parse_and_map(fdt, node, ARCH_TIMER_VIRT_PPI, &type);
	phys = irq_of_parse_and_map(fdt, node, ARCH_TIMER_PHYS_NONSECURE_PPI, &phys_type);
	if (virt < GIC_PPI_BASE || virt >= GIC_SPI_BASE) {
		pr_err("arch_timer: no virtual timer PPI in the timer node (%d); no tick\n", virt);
		return virt < 0 ? virt : -EINVAL;
	}
	/* Level-triggered whatever the polarity cell says: the GIC has no other. */
	timer_type = type == IRQ_TYPE_EDGE_RISING ? type : IRQ_TYPE_LEVEL_HIGH;
	period = freq / HZ;
	err = request_percpu_irq((unsigned int)virt, arch_timer_handler_virt, "arch_timer", NULL);
	if (err) {
		pr_err("arch_timer: cannot take PPI %d: error %d; no tick\n", virt, err);
		return err;
	}
	timer_irq = (unsigned int)virt;
	pr_info("arch_timer: cp15 timer(s) running at %llu.%02lluMHz (virt).\n",
		(unsigned long long)(freq / 1000000), (unsigned long long)(freq / 10000 % 100));
	if (phys >= 0)
		pr_info("arch_timer: tick on the virtual timer, INTID %d, %u Hz; the EL1 physical timer (INTID %d) stays off%s\n",
			virt, HZ, phys,
			arch_entry_el() == 2 ? " (entered at EL2: CNTHCTL_EL2 lets EL1 reach it)" : "");
	arch_timer_starting_cpu();
	return 0;
}
