/* PSCI: the firmware interface for power control (hvc or smc conduit). */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/psci.h>
#include <mk64/dt.h>
#include <mk64/printk.h>
#include <mk64/string.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

enum conduit { CONDUIT_NONE, CONDUIT_HVC, CONDUIT_SMC };

static enum conduit conduit;

/* SMCCC v1.0: the firmware may change x4-x17 too. */
static u64 psci_call(u32 fn, u64 arg0, u64 arg1, u64 arg2)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = arg0;
	register u64 x2 __asm__("x2") = arg1;
	register u64 x3 __asm__("x3") = arg2;

	if (conduit == CONDUIT_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
				 "x16", "x17", "memory");
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
				 "x16", "x17", "memory");
	return x0;
}

static const char *const psci_compatibles[] = { "arm,psci-1.0", "arm,psci-0.2" };

void psci_init(const void *fdt)
{
	const char *method = NULL;
	int node = -1;
	u32 ver;

	if (fdt) {
		node = dt_find_compatible_any(fdt, psci_compatibles, ARRAY_SIZE(psci_compatibles),
					      NULL);
		if (node < 0) {
			pr_warn("psci: no PSCI 0.2+ node in the device tree; power-off will halt\n");
			return;
		}
		method = dt_string(fdt, node, "method");
	} else {
		method = arch_entry_el() == 2 ? "smc" : "hvc";
		pr_warn("psci: no device tree; assuming QEMU virt's %s conduit\n", method);
	}
	if (method && !strcmp(method, "hvc") && arch_entry_el() == 2) {
		pr_err("psci: configuration error: /psci says method \"hvc\", but this kernel was entered at EL2\n");
		pr_err("psci: no hypervisor runs below it: an hvc would reach the kernel's own EL2 stub, not firmware; PSCI not used, power-off will halt (firmware at EL3 is reached with method = \"smc\")\n");
		return;
	}
	if (method && !strcmp(method, "hvc"))
		conduit = CONDUIT_HVC;
	else if (method && !strcmp(method, "smc"))
		conduit = CONDUIT_SMC;
	else {
		pr_warn("psci: unknown method \"%s\"; power-off will halt\n",
			method ? method : "(none)");
		return;
	}
	ver = (u32)psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	pr_info("psci: PSCIv%u.%u detected in firmware (via %s)\n", ver >> 16,
		ver & 0xffff, method);
}

void psci_system_off(void)
{
	if (conduit == CONDUIT_NONE)
		return;
	pr_info("reboot: Power down\n");
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	conduit = CONDUIT_NONE;
	pr_emerg("psci: SYSTEM_OFF returned\n");
}

bool psci_available(void)
{
	return conduit != CONDUIT_NONE;
}

/* PSCI's return codes (negative), from NOT_SUPPORTED (-1) on. */
static const char *const psci_errors[] = {
	"NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON", "ON_PENDING",
	"INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
};

const char *psci_error_name(int err)
{
	if (err < 0 && -err <= (int)ARRAY_SIZE(psci_errors))
		return psci_errors[-err - 1];
	return "unknown error";
}

int psci_cpu_on(u64 hwid, phys_addr_t entry, u64 context_id)
{
	if (conduit == CONDUIT_NONE)
		return PSCI_RET_NOT_SUPPORTED;
	return (int)psci_call(PSCI_0_2_FN64_CPU_ON, hwid, entry, context_id);
}
