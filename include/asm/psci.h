/* PSCI firmware calls (arch/arm64/psci.c). */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#include <mk64/types.h>

/*
 * Reads the conduit from /psci "method" when fdt is not NULL; without a
 * tree, uses the build-time default for QEMU virt (hvc at EL1 entry, smc at
 * EL2 entry). Prints the firmware's PSCI version.
 */
void psci_init(const void *fdt);

/* PSCI's NOT_SUPPORTED return code; the others are negative too. */
#define PSCI_RET_NOT_SUPPORTED (-1)

/* True once psci_init() found firmware to call. */
bool psci_available(void);

/*
 * CPU_ON (SMC64): starts the CPU whose MPIDR affinity fields are hwid at
 * physical address entry, with x0 = context_id, at the exception level
 * firmware chooses (EL2 when it exists), MMU and caches off. Returns 0 or
 * PSCI's negative code (psci_error_name()). Never sleeps.
 */
int psci_cpu_on(u64 hwid, phys_addr_t entry, u64 context_id);

/* PSCI's name of a negative return code, e.g. "INVALID_PARAMETERS". */
const char *psci_error_name(int err);

/* SYSTEM_OFF; returns only when there is no PSCI or the call failed. */
void psci_system_off(void);

#endif
