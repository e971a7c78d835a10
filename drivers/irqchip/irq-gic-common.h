/*
 * What GICv2 and GICv3 share (irq-gic-common.c): the distributor's
 * register layout for the banks of per-interrupt bits and bytes, which the
 * GICv3 redistributor's SGI frame repeats for INTIDs 0-31.
 */
#ifndef IRQ_GIC_COMMON_H
#define IRQ_GIC_COMMON_H

#include <mk64/types.h>

#define GIC_DIST_CTRL 0x000
#define GIC_DIST_CTR 0x004		/* GICD_TYPER */
#define GIC_DIST_IGROUP 0x080
#define GIC_DIST_ENABLE_SET 0x100
#define GIC_DIST_ENABLE_CLEAR 0x180
#define GIC_DIST_PENDING_SET 0x200
#define GIC_DIST_PENDING_CLEAR 0x280
#define GIC_DIST_ACTIVE_CLEAR 0x380
#define GIC_DIST_PRI 0x400
#define GIC_DIST_CONFIG 0xc00

/* INTIDs the distributor implements, from GICD_TYPER.ITLinesNumber (max 1020). */
unsigned int gic_dist_nr_irqs(volatile void *dist);

/* SPIs [32, nr_irqs): disabled, not pending or active, level, default priority. */
void gic_dist_config(volatile void *dist, unsigned int nr_irqs);

/* INTIDs 0-31 of one CPU at base: PPIs off, SGIs on, default priority. */
void gic_cpu_config(volatile void *base);

/* One INTID's bit in the enable/pending banks at base + off. */
void gic_poke_bit(volatile void *base, unsigned int off, unsigned int hwirq);
bool gic_peek_bit(volatile void *base, unsigned int off, unsigned int hwirq);

/* One INTID's trigger: edge (IRQ_TYPE_EDGE_RISING) or level. */
void gic_configure_irq(volatile void *base, unsigned int hwirq, unsigned int type);

#endif
