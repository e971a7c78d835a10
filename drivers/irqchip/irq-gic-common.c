/*
 * The distributor set-up GICv2 and GICv3 share (Linux's irq-gic-common.c):
 * both lay out one bit (enable, pending, active), two bits (trigger) or a
 * byte (priority) per INTID in the same banks.
 */
#include <asm/io.h>
#include <mk64/irq.h>
#include "irq-gic-common.h"

unsigned int gic_dist_nr_irqs(volatile void *dist)
{
	unsigned int n = ((readl_relaxed((u8 *)dist + GIC_DIST_CTR) & 0x1f) + 1) * 32;

	return n > NR_IRQS ? NR_IRQS : n;
}

void gic_dist_config(volatile void *dist, unsigned int nr_irqs)
{
	volatile u8 *d = dist;

	for (unsigned int i = GIC_SPI_BASE; i < nr_irqs; i += 16)
		writel_relaxed(0, d + GIC_DIST_CONFIG + i / 4);
	for (unsigned int i = GIC_SPI_BASE; i < nr_irqs; i += 4)
		writel_relaxed(GICD_INT_DEF_PRI * 0x01010101u, d + GIC_DIST_PRI + i);
	for (unsigned int i = GIC_SPI_BASE; i < nr_irqs; i += 32) {
		writel_relaxed(~0u, d + GIC_DIST_ENABLE_CLEAR + i / 8);
		writel_relaxed(~0u, d + GIC_DIST_PENDING_CLEAR + i / 8);
		writel_relaxed(~0u, d + GIC_DIST_ACTIVE_CLEAR + i / 8);
	}
}

void gic_cpu_config(volatile void *base)
{
	volatile u8 *b = base;

	writel_relaxed(0xffff0000u, b + GIC_DIST_ENABLE_CLEAR);
	writel_relaxed(0x0000ffffu, b + GIC_DIST_ENABLE_SET);
	writel_relaxed(~0u, b + GIC_DIST_ACTIVE_CLEAR);
	for (unsigned int i = 0; i < GIC_SPI_BASE; i += 4)
		writel_relaxed(GICD_INT_DEF_PRI * 0x01010101u, b + GIC_DIST_PRI + i);
}

void gic_poke_bit(volatile void *base, unsigned int off, unsigned int hwirq)
{
	writel_relaxed(1u << (hwirq % 32), (u8 *)base + off + hwirq / 32 * 4);
}

bool gic_peek_bit(volatile void *base, unsigned int off, unsigned int hwirq)
{
	return readl_relaxed((u8 *)base + off + hwirq / 32 * 4) & (1u << (hwirq % 32));
}

/* Bit 1 of each INTID's two-bit field: 1 edge, 0 level. RO for SGIs, maybe for PPIs. */
void gic_configure_irq(volatile void *base, unsigned int hwirq, unsigned int type)
{
	volatile u8 *reg = (u8 *)base + GIC_DIST_CONFIG + hwirq / 16 * 4;
	u32 bit = 2u << (hwirq % 16 * 2), val = readl_relaxed(reg);

	val = type == IRQ_TYPE_EDGE_RISING ? val | bit : val & ~bit;
	writel_relaxed(val, reg);
}
