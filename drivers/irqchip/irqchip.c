/*
 * Finding the interrupt controller in the device tree and handing over
 * from firmware: whatever firmware left signalling is quieted first
 * (arch_quiesce_irq_sources(), through the driver's mappings), then the
 * driver sets the GIC up from scratch.
 */
#include <limits.h>
#include <asm/arch.h>
#include <asm/sysreg.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/irqchip.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include "irqchip.h"

/* GICv3 first, then GICv2's as Linux's irq-gic.c matches them. */
static const char *const gic_compatibles[] = {
	"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
	"arm,cortex-a7-gic", "arm,pl390",
};

int gic_cpu_interface_phys(const void *fdt, u64 *phys)
{
	u32 redist_regions = 1;
	int node, index = 1;
	size_t which;
	u64 addr, size;

	node = dt_find_compatible_any(fdt, gic_compatibles, ARRAY_SIZE(gic_compatibles), &which);
	if (node < 0)
		return -ENODEV;
	if (which == 0) {
		/* GICD, the redistributor regions, then GICC when legacy is supported. */
		dt_u32(fdt, node, "#redistributor-regions", &redist_regions);
		if (redist_regions > INT_MAX - 1)
			return -EINVAL;
		index = 1 + (int)redist_regions;
	}
	if (dt_reg(fdt, node, index, &addr, &size) || dt_translate(fdt, node, addr, phys))
		return -ENOENT;
	return 0;
}

/* SRE sticks unless firmware kept the GICv3 system registers from EL1. */
static bool gic_sysregs_usable(void)
{
	if (!cpu_has_gic_sysregs())
		return false;
	write_sysreg(read_sysreg(SYS_ICC_SRE_EL1) | ICC_SRE_SRE, SYS_ICC_SRE_EL1);
	isb();
	return read_sysreg(SYS_ICC_SRE_EL1) & ICC_SRE_SRE;
}

int irqchip_init(const void *fdt)
{
	size_t which;
	int node = fdt ? dt_find_compatible_any(fdt, gic_compatibles,
						ARRAY_SIZE(gic_compatibles), &which)
		       : -1;

	if (node < 0) {
		arch_quiesce_irq_sources();
		pr_warn("irq: no GIC in the device tree; interrupts stay off\n");
		return -ENODEV;
	}
	if (which == 0 && gic_sysregs_usable()) {
		arch_quiesce_irq_sources();
		return gic_v3_init(fdt, node);
	}
	/* GICv2, or a GICv3 reachable only through its legacy CPU interface. */
	if (gic_map_cpu_if(fdt))
		pr_warn("irq: GIC CPU interface left as firmware set it: no usable GICC reg entry in the GIC node\n");
	arch_quiesce_irq_sources();
	if (which == 0) {
		pr_err("GICv3: no system register interface at EL1 (firmware kept it); interrupts stay off\n");
		return -ENODEV;
	}
	return gic_v2_init(fdt, node);
}

void gic_cpu_init(void)
{
	const struct irq_chip *chip = irq_root_chip();

	if (chip)
		chip->cpu_init();
}
