/* The GIC drivers' probes, for irqchip.c. */
#ifndef DRIVERS_IRQCHIP_H
#define DRIVERS_IRQCHIP_H

/* Each returns 0 or a negative errno, reported. */
int gic_v2_init(const void *fdt, int node);
int gic_v3_init(const void *fdt, int node);

/*
 * Maps the memory-mapped CPU interface fdt's GIC node names (GICv2's, or a
 * GICv3's legacy one) for gic_cpu_if_quiesce_mmio(). Returns 0 or -errno.
 */
int gic_map_cpu_if(const void *fdt);

#endif
