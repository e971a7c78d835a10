/*
 * GICv3 ("arm,gic-v3": QEMU virt,gic-version=3, the RK3399): a
 * distributor for SPIs, a redistributor per CPU for its SGIs and PPIs
 * (found by the affinity in its GICR_TYPER, in one of the DT's
 * redistributor regions), and the CPU interface as system registers.
 * Interrupts are Group 1 (non-secure): signalled as IRQ whether the GIC
 * has one security state (QEMU without EL3, GICD_CTLR.DS = 1) or two
 * (TF-A owns Group 0 and secure Group 1). SPIs are routed to the boot CPU
 * by affinity. Priority drop and deactivation are one write (EOImode 0).
 */
#include <asm/arch.h>
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/irqchip.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include "irq-gic-common.h"
#include "irqchip.h"

#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_ENABLE_G1A (1u << 1)
#define GICD_CTLR_ENABLE_G1 (1u << 0)
#define GICD_IROUTER 0x6000		/* 64 bits per INTID */
#define GICD_PIDR2 0xffe8
#define GICD_SIZE 0x10000

#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_PIDR2 GICD_PIDR2
#define GICR_SGI_OFFSET 0x10000		/* the SGI frame after the RD frame */
#define GICR_FRAME 0x10000

#define ICC_IAR1_INTID_MASK 0xffffff
#define ICC_SGI1R_TARGET_LIST_SHIFT 0
#define ICC_SGI1R_AFFINITY_1_SHIFT 16
#define ICC_SGI1R_SGI_ID_SHIFT 24
#define ICC_SGI1R_AFFINITY_2_SHIFT 32
#define ICC_SGI1R_AFFINITY_3_SHIFT 48
#define MPIDR_AFF(mpidr, n) (((mpidr) >> ((n) == 3 ? 32 : (n) * 8)) & 0xff)

#define MAX_REDIST_REGIONS 8
#define RWP_TIMEOUT_LOOPS 1000000

struct redist_region {
	volatile u8 *base;
	u64 phys, size;
};

static volatile u8 *dist_base;
static struct redist_region regions[MAX_REDIST_REGIONS];
static unsigned int nr_regions;
static u64 redist_stride;		/* 0: from each frame's GICR_TYPER */
static unsigned int gic_nr_irqs;

/* Each logical CPU's redistributor RD frame and MPIDR, found by the CPU itself. */
static volatile u8 *cpu_rd[NR_CPUS];
static u64 cpu_mpidr[NR_CPUS];
static cpumask_t cpus_with_rd;

static volatile u8 *this_sgi_base(void)
{
	return cpu_rd[smp_processor_id()] + GICR_SGI_OFFSET;
}

/* Waits for a register write to take effect (GICD_CTLR.RWP, GICR_CTLR.RWP). */
static void wait_rwp(volatile u8 *ctlr, u32 bit)
{
	for (int i = 0; i < RWP_TIMEOUT_LOOPS; i++) {
		if (!(readl_relaxed(ctlr) & bit))
			return;
	}
	pr_err("GICv3: register write still pending after %d reads; going on\n", RWP_TIMEOUT_LOOPS);
}

/* SGIs and PPIs through this CPU's redistributor, SPIs through the distributor. */
static volatile u8 *bank(unsigned int hwirq)
{
	return hwirq < GIC_SPI_BASE ? this_sgi_base() : dist_base;
}

static void gic_v3_mask(unsigned int hwirq)
{
	gic_poke_bit(bank(hwirq), GIC_DIST_ENABLE_CLEAR, hwirq);
	if (hwirq < GIC_SPI_BASE)
		wait_rwp(cpu_rd[smp_processor_id()] + GICR_CTLR, GICR_CTLR_RWP);
	else
		wait_rwp(dist_base + GIC_DIST_CTRL, GICD_CTLR_RWP);
}

static void gic_v3_unmask(unsigned int hwirq)
{
	gic_poke_bit(bank(hwirq), GIC_DIST_ENABLE_SET, hwirq);
}

static void gic_v3_set_type(unsigned int hwirq, unsigned int type)
{
	gic_configure_irq(bank(hwirq), hwirq, type);
}

static bool gic_v3_get_pending(unsigned int hwirq)
{
	return gic_peek_bit(bank(hwirq), GIC_DIST_PENDING_SET, hwirq);
}

static void gic_v3_set_pending(unsigned int hwirq, bool pending)
{
	gic_poke_bit(bank(hwirq), pending ? GIC_DIST_PENDING_SET : GIC_DIST_PENDING_CLEAR, hwirq);
}

/* The acknowledge must complete before the handler touches the device. */
static unsigned int gic_v3_ack(u32 *iar)
{
	*iar = (u32)read_sysreg(SYS_ICC_IAR1_EL1);
	dsb(sy);
	return *iar & ICC_IAR1_INTID_MASK;
}

static void gic_v3_eoi(u32 iar)
{
	write_sysreg(iar, SYS_ICC_EOIR1_EL1);
	isb();
}

/*
 * One ICC_SGI1R_EL1 write per cluster (Aff3.Aff2.Aff1), Aff0 0-15 in its
 * target list. CPUs that have not run gic_cpu_init() are left out.
 */
static void gic_v3_ipi_send_mask(unsigned int sgi, cpumask_t cpus)
{
	cpus &= READ_ONCE(cpus_with_rd);
	/* The targets' handlers must see what was written before the SGI. */
	dsb(ishst);
	while (cpus) {
		unsigned int first = (unsigned int)__builtin_ctzl(cpus);
		u64 cluster = cpu_mpidr[first] & ~0xffull;
		u16 list = 0;

		for (unsigned int cpu = first; cpu < NR_CPUS; cpu++) {
			if ((cpus & cpumask_of(cpu)) && (cpu_mpidr[cpu] & ~0xffull) == cluster &&
			    MPIDR_AFF(cpu_mpidr[cpu], 0) < 16) {
				list |= (u16)(1u << MPIDR_AFF(cpu_mpidr[cpu], 0));
				cpus &= ~cpumask_of(cpu);
			}
		}
		cpus &= ~cpumask_of(first);
		write_sysreg(MPIDR_AFF(cluster, 3) << ICC_SGI1R_AFFINITY_3_SHIFT |
			     MPIDR_AFF(cluster, 2) << ICC_SGI1R_AFFINITY_2_SHIFT |
			     MPIDR_AFF(cluster, 1) << ICC_SGI1R_AFFINITY_1_SHIFT |
			     (u64)sgi << ICC_SGI1R_SGI_ID_SHIFT | list, SYS_ICC_SGI1R_EL1);
	}
	isb();
}

/* A PMR write is not ordered with the GIC's signalling until synchronised. */
static u8 gic_v3_set_priority_mask(u8 pmr)
{
	u8 old = (u8)read_sysreg(SYS_ICC_PMR_EL1);

	write_sysreg(pmr, SYS_ICC_PMR_EL1);
	isb();
	dsb(sy);
	return old;
}

/* The RD frame whose GICR_TYPER affinity is mpidr's, or NULL; its region in *region. */
static volatile u8 *find_redist(u64 mpidr, unsigned int *region)
{
	u64 aff = MPIDR_AFF(mpidr, 3) << 24 | MPIDR_AFF(mpidr, 2) << 16 |
		  MPIDR_AFF(mpidr, 1) << 8 | MPIDR_AFF(mpidr, 0);

	for (unsigned int r = 0; r < nr_regions; r++) {
		volatile u8 *p = regions[r].base, *end = p + regions[r].size;

		while (p + 2 * GICR_FRAME <= end) {
			u64 typer = readq_relaxed(p + GICR_TYPER);
			u32 arch = (readl_relaxed(p + GICR_PIDR2) >> 4) & 0xf;

			if (arch != 3 && arch != 4)
				break;
			if (typer >> 32 == aff) {
				*region = r;
				return p;
			}
			if (typer & GICR_TYPER_LAST)
				break;
			if (redist_stride)
				p += redist_stride;
			else
				p += (typer & GICR_TYPER_VLPIS ? 4 : 2) * GICR_FRAME;
		}
	}
	return NULL;
}

static void gic_v3_cpu_init(void)
{
	unsigned int cpu = smp_processor_id();
	u64 mpidr = arch_cpu_hwid();
	unsigned int r = 0;
	volatile u8 *rd = find_redist(mpidr, &r);

	if (!rd) {
		pr_err("GICv3: CPU%u: no redistributor for MPIDR 0x%llx; its interrupts stay off\n",
		       cpu, (unsigned long long)mpidr);
		return;
	}
	if (!cpu_rd[cpu])
		pr_info("GICv3: CPU%u: found redistributor %llx region %u:0x%016llx\n", cpu,
		(unsigned long long)mpidr, r,
		(unsigned long long)(regions[r].phys + (u64)(rd - regions[r].base)));
	cpu_rd[cpu] = rd;
	cpu_mpidr[cpu] = mpidr;
	__atomic_fetch_or(&cpus_with_rd, cpumask_of(cpu), __ATOMIC_RELEASE);
	/* Wake the redistributor: it forwards nothing while asleep. */
	writel_relaxed(readl_relaxed(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP,
		       rd + GICR_WAKER);
	for (int i = 0; readl_relaxed(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP; i++) {
		if (i == RWP_TIMEOUT_LOOPS) {
			pr_err("GICv3: CPU%u: redistributor still asleep; going on\n", cpu);
			break;
		}
	}
	writel_relaxed(~0u, rd + GICR_SGI_OFFSET + GIC_DIST_IGROUP);
	gic_cpu_config(rd + GICR_SGI_OFFSET);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	/* The CPU interface: system registers, EOImode 0, all priorities through. */
	write_sysreg(read_sysreg(SYS_ICC_SRE_EL1) | ICC_SRE_SRE, SYS_ICC_SRE_EL1);
	isb();
	write_sysreg(DEFAULT_PMR_VALUE, SYS_ICC_PMR_EL1);
	write_sysreg(0, SYS_ICC_BPR1_EL1);
	write_sysreg(read_sysreg(SYS_ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE, SYS_ICC_CTLR_EL1);
	write_sysreg(ICC_IGRPEN1_EN, SYS_ICC_IGRPEN1_EL1);
	isb();
}

static const struct irq_chip gic_chip_v3 = {
	.name = "gicv3",
	.irq_mask = gic_v3_mask,
	.irq_unmask = gic_v3_unmask,
	.irq_set_type = gic_v3_set_type,
	.irq_get_pending = gic_v3_get_pending,
	.irq_set_pending = gic_v3_set_pending,
	.irq_ack = gic_v3_ack,
	.irq_eoi = gic_v3_eoi,
	.ipi_send_mask = gic_v3_ipi_send_mask,
	.set_priority_mask = gic_v3_set_priority_mask,
	.cpu_init = gic_v3_cpu_init,
};

static struct irq_chip gic_chip;

static int map_regions(const void *fdt, int node)
{
	u32 n = 1, stride;
	u64 addr;

	dt_u32(fdt, node, "#redistributor-regions", &n);
	if (!n || n > MAX_REDIST_REGIONS) {
		pr_err("GICv3: %u redistributor regions: expected 1..%d\n", n, MAX_REDIST_REGIONS);
		return -EINVAL;
	}
	if (dt_u32(fdt, node, "redistributor-stride", &stride) && stride &&
	    !(stride & (GICR_FRAME - 1)))
		redist_stride = stride;
	for (unsigned int r = 0; r < n; r++) {
		struct redist_region *rg = &regions[r];

		if (dt_reg(fdt, node, (int)r + 1, &addr, &rg->size) ||
		    dt_translate(fdt, node, addr, &rg->phys) || !rg->size) {
			pr_err("GICv3: no reg entry for redistributor region %u\n", r);
			return -ENOENT;
		}
		rg->base = ioremap(rg->phys, rg->size);
		if (!rg->base)
			return -ENOMEM;
	}
	nr_regions = n;
	return 0;
}

int gic_v3_init(const void *fdt, int node)
{
	u64 addr, size, phys, boot_aff;
	int err;

	if (dt_reg(fdt, node, 0, &addr, &size) || dt_translate(fdt, node, addr, &phys)) {
		pr_err("GICv3: no distributor reg in the device tree; no interrupts\n");
		return -ENOENT;
	}
	dist_base = ioremap(phys, GICD_SIZE);
	if (!dist_base)
		return -ENOMEM;
	err = map_regions(fdt, node);
	if (err)
		return err;
	writel_relaxed(0, dist_base + GIC_DIST_CTRL);
	wait_rwp(dist_base + GIC_DIST_CTRL, GICD_CTLR_RWP);
	gic_nr_irqs = gic_dist_nr_irqs(dist_base);
	pr_info("GICv3: %u SPIs implemented\n", gic_nr_irqs - GIC_SPI_BASE);
	for (unsigned int i = GIC_SPI_BASE; i < gic_nr_irqs; i += 32)
		writel_relaxed(~0u, dist_base + GIC_DIST_IGROUP + i / 8);
	gic_dist_config(dist_base, gic_nr_irqs);
	wait_rwp(dist_base + GIC_DIST_CTRL, GICD_CTLR_RWP);
	writel_relaxed(GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1,
		       dist_base + GIC_DIST_CTRL);
	wait_rwp(dist_base + GIC_DIST_CTRL, GICD_CTLR_RWP);
	/* SPIs to the boot CPU (IRM 0: this affinity, not any). */
	boot_aff = arch_cpu_hwid();
	for (unsigned int i = GIC_SPI_BASE; i < gic_nr_irqs; i++)
		writeq_relaxed(boot_aff, dist_base + GICD_IROUTER + i * 8);
	gic_v3_cpu_init();
	if (!cpu_rd[0])
		return -ENODEV;
	gic_chip = gic_chip_v3;
	gic_chip.nr_irqs = gic_nr_irqs;
	set_handle_irq(&gic_chip);
	return 0;
}
