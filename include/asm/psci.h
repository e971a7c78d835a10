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

/* SYSTEM_OFF; returns only when there is no PSCI or the call failed. */
void psci_system_off(void);

#endif
