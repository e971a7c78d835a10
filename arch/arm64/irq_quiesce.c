/*
 * Quiet interrupt sources before the kernel unmasks IRQs with no interrupt
 * controller driver: the EL1 timers off and the GIC's CPU interface no
 * longer signalling, whichever GIC the board has. Firmware may leave a
 * timer running or a device's interrupt enabled; traps.c reports and masks
 * an interrupt that still arrives, but a quiet CPU interface makes that
 * the exception. A GICv3 whose firmware kept the legacy interface (SRE
 * does not stick) is quieted through its memory-mapped GICC, as a GICv2.
 */
#include <libfdt.h>
#include <limits.h>
#include <asm/arch.h>
#include <asm/early_map.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>

/*
 * GIC device-tree compatibles: GICv3 first, then GICv2's as Linux's
 * irq-gic.c matches them.
 */
static const char *const gic_compatibles[] = {
	"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
	"arm,cortex-a7-gic", "arm,pl390",
};

/* The GIC CPU interface's control register: bits 1:0 enable signalling. */
#define GICC_CTLR 0x000

/* Mapped once, at the first quiesce; the GIC driver will take it over. */
static volatile u32 *gicc_base;

/*
 * GICv3 through its system registers (the RK3399; QEMU gic-version=3):
 * Group 1 interrupts no longer signalled. Returns false when SRE does not
 * stick (firmware kept the legacy memory-mapped interface, head.S's
 * BOOT_EL2_GIC_SRE_STUCK_OFF): there is no system register interface then.
 */
static bool quiesce_gicv3(void)
{
	write_sysreg(read_sysreg(SYS_ICC_SRE_EL1) | ICC_SRE_SRE, SYS_ICC_SRE_EL1);
	isb();
	if (!(read_sysreg(SYS_ICC_SRE_EL1) & ICC_SRE_SRE))
		return false;
	write_sysreg(0, SYS_ICC_IGRPEN1_EL1);
	return true;
}

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

/*
 * The memory-mapped CPU interface: GICv2's (QEMU virt's default), or a
 * GICv3's whose firmware kept the legacy interface. Clearing GICC_CTLR's
 * enables stops it signalling IRQs and FIQs to this CPU.
 */
static void quiesce_gicc_mmio(const void *fdt)
{
	u64 phys;
	int err;

	if (gicc_base)
		goto quiet;
	err = gic_cpu_interface_phys(fdt, &phys);
	if (err == -ENODEV && !cpu_has_gic_sysregs())
		return;
	if (err) {
		pr_warn("irq: GIC CPU interface left as firmware set it: %s\n",
			err == -ENODEV ? "no GIC node in the device tree" :
			"no usable GICC reg entry in the GIC node");
		return;
	}
	gicc_base = early_ioremap(phys, PAGE_SIZE);
	if (!gicc_base) {
		pr_warn("irq: no fixmap slot for the GIC CPU interface; cannot quiet it\n");
		return;
	}
quiet:
	gicc_base[GICC_CTLR / 4] = 0;
	dsb(sy);
}

void arch_quiesce_irq_sources(void)
{
	/* The EL1 timers' control registers are UNKNOWN at reset. */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	if ((!cpu_has_gic_sysregs() || !quiesce_gicv3()) && boot_info.fdt)
		quiesce_gicc_mmio(boot_info.fdt);
	isb();
}
