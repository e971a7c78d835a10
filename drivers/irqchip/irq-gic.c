/*
 * GICv2 (QEMU virt's default, "arm,cortex-a15-gic"; "arm,gic-400"): a
 * distributor and a memory-mapped CPU interface per CPU at one address,
 * banked by the CPU that accesses it. Priority drop and deactivation are
 * one write (GICC_EOIR, EOImode 0): no split mode.
 *
 * Security: with the Security Extensions (a GIC-400 behind TF-A) the
 * kernel's non-secure accesses see only Group 1, whose enable is then bit
 * 0 of GICD_CTLR and GICC_CTLR; without them (QEMU virt) bit 0 enables
 * Group 0, signalled as IRQ since FIQEn is 0. Writing 1 is right in both.
 */
#include <asm/arch.h>
#include <asm/io.h>
#include <mk64/dt.h>
#include <asm/sysreg.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/irqchip.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include "irq-gic-common.h"
#include "irqchip.h"

#define GIC_DIST_TARGET 0x800
#define GIC_DIST_SOFTINT 0xf00
#define GICD_SGI_TARGET_SELF (2u << 24)	/* TargetListFilter: the requesting CPU only */

#define GIC_CPU_CTRL 0x00
#define GIC_CPU_PRIMASK 0x04
#define GIC_CPU_BINPOINT 0x08
#define GIC_CPU_INTACK 0x0c
#define GIC_CPU_EOI 0x10
#define GICC_IAR_INT_ID_MASK 0x3ff
#define GIC_DIST_SIZE 0x1000
#define GIC_CPU_SIZE 0x2000		/* GICC_DIR is in the second page */

static volatile u8 *dist_base;
static volatile u8 *cpu_base;
static unsigned int gic_nr_irqs;
static u64 cpu_phys;

/* Each logical CPU's interface bit in the target lists, learnt by the CPU itself. */
static u8 gic_cpu_map[NR_CPUS];

int gic_map_cpu_if(const void *fdt)
{
	int err;

	if (cpu_base)
		return 0;
	err = gic_cpu_interface_phys(fdt, &cpu_phys);
	if (err)
		return err;
	cpu_base = ioremap(cpu_phys, GIC_CPU_SIZE);
	return cpu_base ? 0 : -ENOMEM;
}

bool gic_cpu_if_quiesce_mmio(void)
{
	if (!cpu_base)
		return false;
	writel_relaxed(0, cpu_base + GIC_CPU_CTRL);
	dsb(sy);
	return true;
}

/* SGIs and PPIs are banked per CPU; the distributor's view is the caller's. */
static void gic_mask(unsigned int hwirq)
{
	gic_poke_bit(dist_base, GIC_DIST_ENABLE_CLEAR, hwirq);
}

static void gic_unmask(unsigned int hwirq)
{
	gic_poke_bit(dist_base, GIC_DIST_ENABLE_SET, hwirq);
}

static void gic_set_type(unsigned int hwirq, unsigned int type)
{
	gic_configure_irq(dist_base, hwirq, type);
}

static bool gic_get_pending(unsigned int hwirq)
{
	return gic_peek_bit(dist_base, GIC_DIST_PENDING_SET, hwirq);
}

/* SGIs have per-source pending bits (GICD_[CS]PENDSGIR); tests pend SPIs only. */
static void gic_set_pending(unsigned int hwirq, bool pending)
{
	gic_poke_bit(dist_base, pending ? GIC_DIST_PENDING_SET : GIC_DIST_PENDING_CLEAR, hwirq);
}

static unsigned int gic_ack(u32 *iar)
{
	*iar = readl_relaxed(cpu_base + GIC_CPU_INTACK);
	return *iar & GICC_IAR_INT_ID_MASK;
}

static void gic_eoi(u32 iar)
{
	writel_relaxed(iar, cpu_base + GIC_CPU_EOI);
}

static void gic_ipi_send_mask(unsigned int sgi, cpumask_t cpus)
{
	u32 targets = 0;

	/* The target's handler must see what was written before the SGI. */
	dsb(ishst);
	if (cpus == cpumask_of(smp_processor_id())) {
		writel_relaxed(GICD_SGI_TARGET_SELF | sgi, dist_base + GIC_DIST_SOFTINT);
		return;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (cpus & cpumask_of(cpu))
			targets |= gic_cpu_map[cpu];
	}
	if (targets)
		writel_relaxed(targets << 16 | sgi, dist_base + GIC_DIST_SOFTINT);
}

static u8 gic_set_priority_mask(u8 pmr)
{
	u8 old = (u8)readl_relaxed(cpu_base + GIC_CPU_PRIMASK);

	writel_relaxed(pmr, cpu_base + GIC_CPU_PRIMASK);
	dsb(sy);
	return old;
}

/*
 * A read of GICD_ITARGETSR0-7 returns the reading CPU's own interface bit;
 * a uniprocessor GIC may return 0, when there is nobody else to target.
 */
static void gic_cpu_init_v2(void)
{
	u8 mask = 0;

	for (unsigned int i = 0; i < 32 && !mask; i += 4)
		mask = (u8)readl_relaxed(dist_base + GIC_DIST_TARGET + i);
	gic_cpu_map[smp_processor_id()] = mask;
	gic_cpu_config(dist_base);
	writel_relaxed(DEFAULT_PMR_VALUE, cpu_base + GIC_CPU_PRIMASK);
	writel_relaxed(0, cpu_base + GIC_CPU_BINPOINT);
	writel_relaxed(1, cpu_base + GIC_CPU_CTRL);
}

static const struct irq_chip gic_chip_v2 = {
	.name = "gicv2",
	.irq_mask = gic_mask,
	.irq_unmask = gic_unmask,
	.irq_set_type = gic_set_type,
	.irq_get_pending = gic_get_pending,
	.irq_set_pending = gic_set_pending,
	.irq_ack = gic_ack,
	.irq_eoi = gic_eoi,
	.ipi_send_mask = gic_ipi_send_mask,
	.set_priority_mask = gic_set_priority_mask,
	.cpu_init = gic_cpu_init_v2,
};

static struct irq_chip gic_chip;

int gic_v2_init(const void *fdt, int node)
{
	u64 addr, size, phys;
	u8 boot_target;

	if (dt_reg(fdt, node, 0, &addr, &size) || dt_translate(fdt, node, addr, &phys)) {
		pr_err("GIC: no distributor reg in the device tree; no interrupts\n");
		return -ENOENT;
	}
	dist_base = ioremap(phys, GIC_DIST_SIZE);
	if (!dist_base || gic_map_cpu_if(fdt)) {
		pr_err("GIC: cannot map the distributor or the CPU interface; no interrupts\n");
		return -ENOMEM;
	}
	gic_cpu_if_quiesce_mmio();
	writel_relaxed(0, dist_base + GIC_DIST_CTRL);
	gic_nr_irqs = gic_dist_nr_irqs(dist_base);
	gic_dist_config(dist_base, gic_nr_irqs);
	/* SPIs go to the boot CPU; a uniprocessor GIC ignores the targets. */
	gic_cpu_init_v2();
	boot_target = gic_cpu_map[0] ? gic_cpu_map[0] : 1;
	for (unsigned int i = GIC_SPI_BASE; i < gic_nr_irqs; i++)
		writeb_relaxed(boot_target, dist_base + GIC_DIST_TARGET + i);
	writel_relaxed(1, dist_base + GIC_DIST_CTRL);
	gic_chip = gic_chip_v2;
	gic_chip.nr_irqs = gic_nr_irqs;
	set_handle_irq(&gic_chip);
	pr_info("GIC: GICv2 distributor at [mem %pa], CPU interface at [mem %pa], %u SPIs implemented\n",
		&phys, &cpu_phys, gic_nr_irqs - GIC_SPI_BASE);
	return 0;
}
