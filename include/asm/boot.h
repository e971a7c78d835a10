/*
 * What head.S hands start_kernel besides the boot registers: notes from the
 * EL2 set-up, reported once there is a console (bits of start_kernel's
 * el2_notes argument).
 */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

/* ICC_SRE_EL2.SRE read back 0 after being set: the ICH_ registers were left alone. */
#define BOOT_EL2_GIC_SRE_STUCK_OFF 1

#endif
