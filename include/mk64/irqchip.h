/*
 * Interrupt controller drivers (drivers/irqchip/): probe from the device
 * tree and the per-CPU set-up that each CPU runs for itself.
 */
#ifndef MK64_IRQCHIP_H
#define MK64_IRQCHIP_H

#include <mk64/types.h>

/*
 * Finds the GIC in fdt (GICv3 "arm,gic-v3", GICv2 "arm,gic-400",
 * "arm,cortex-a15-gic" and relatives), maps it with ioremap, quiets what
 * firmware left signalling, sets up the distributor and the boot CPU's
 * interface, and makes it the root controller. Returns 0 or a negative
 * errno (reported). Call with IRQs masked, once vmalloc works; may sleep.
 */
int irqchip_init(const void *fdt);

/*
 * The running CPU's side of the GIC: its GICv3 redistributor found by
 * affinity and woken, or its GICv2 interface number recorded; SGIs
 * enabled, PPIs masked, the priority mask open, the interface on. For
 * each secondary CPU as it comes up, IRQs masked. Never sleeps.
 */
void gic_cpu_init(void);

/*
 * Stops the memory-mapped CPU interface (GICv2's, or a GICv3's kept in
 * legacy mode by firmware) signalling this CPU. Returns false when the
 * driver has not mapped one.
 */
bool gic_cpu_if_quiesce_mmio(void);

/*
 * The physical address of the GIC's memory-mapped CPU interface (GICC) in
 * fdt: a GICv3 node's entry after its redistributor regions (present when
 * the GIC supports the legacy interface), else a GICv2 node's second.
 * Returns 0, -ENODEV with no GIC node, -ENOENT (or -EINVAL) without a
 * usable entry.
 */
int gic_cpu_interface_phys(const void *fdt, u64 *phys);

#endif
