/*
 * Quiet interrupt sources before the kernel unmasks IRQs with no interrupt
 * controller driver: the EL1 timers off and the GIC's CPU interface no
 * longer signalling, whichever GIC the board has. Firmware may leave a
 * timer running or a device's interrupt enabled; traps.c reports and masks
 * an interrupt that still arrives, but a quiet CPU interface makes that
 * the exception.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/early_map.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>

/* GICv2 device-tree compatibles, as Linux's irq-gic.c matches them. */
static const char *const gicv2_compatibles[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
	"arm,pl390",
};

/* The GICv2 CPU interface's control register: bit 0 enables signalling. */
#define GICC_CTLR 0x000

/* Mapped once, at the first quiesce; the GIC driver will take it over. */
static volatile u32 *gicc_base;

/*
 * GICv3 through its system registers (the RK3399; QEMU gic-version=3):
 * Group 1 interrupts no longer signalled. SRE may not stick (firmware's
 * choice), and then there is no system register interface to quiet.
 */
static void quiesce_gicv3(void)
{
	write_sysreg(read_sysreg(SYS_ICC_SRE_EL1) | ICC_SRE_SRE, SYS_ICC_SRE_EL1);
	isb();
	if (read_sysreg(SYS_ICC_SRE_EL1) & ICC_SRE_SRE)
		write_sysreg(0, SYS_ICC_IGRPEN1_EL1);
}

/*
 * GICv2 (QEMU virt's default): the CPU interface is memory mapped, the
 * second reg entry of the GIC node. Clearing GICC_CTLR's enables stops it
 * signalling IRQs and FIQs to this CPU.
 */
static void quiesce_gicv2(const void *fdt)
{
	u64 addr, size, phys;
	int node = -1;

	if (gicc_base)
		goto quiet;
	for (size_t i = 0; i < ARRAY_SIZE(gicv2_compatibles) && node < 0; i++)
		node = dt_find_compatible(fdt, gicv2_compatibles[i]);
	if (node < 0)
		return;
	if (dt_reg(fdt, node, 1, &addr, &size) || dt_translate(fdt, node, addr, &phys)) {
		pr_warn("irq: GICv2 %s has no usable CPU interface reg; cannot quiet it\n",
			fdt_get_name(fdt, node, NULL));
		return;
	}
	gicc_base = early_ioremap(phys, PAGE_SIZE);
	if (!gicc_base) {
		pr_warn("irq: no fixmap slot for the GICv2 CPU interface; cannot quiet it\n");
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
	if (cpu_has_gic_sysregs())
		quiesce_gicv3();
	else if (boot_info.fdt)
		quiesce_gicv2(boot_info.fdt);
	isb();
}
