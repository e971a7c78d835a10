/*
 * Quiet interrupt sources as firmware left them, before the GIC driver
 * sets the controller up (drivers/irqchip/irqchip.c calls this first) or
 * when no driver can: the EL1 timers off and the GIC's CPU interface no
 * longer signalling, whichever GIC the board has. A GICv3 whose firmware
 * kept the legacy interface (SRE does not stick) is quieted through its
 * memory-mapped GICC, as a GICv2, which the driver has mapped.
 */
#include <asm/arch.h>
#include <asm/sysreg.h>
#include <mk64/irqchip.h>

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

void arch_quiesce_irq_sources(void)
{
	/* The EL1 timers' control registers are UNKNOWN at reset. */
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	if (!cpu_has_gic_sysregs() || !quiesce_gicv3())
		gic_cpu_if_quiesce_mmio();
	isb();
}
