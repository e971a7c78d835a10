/* What the portable kernel asks of the architecture (arch/arm64/). */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <mk64/types.h>

/* Nanoseconds since the kernel was entered, from the generic timer. */
u64 arch_clock_ns(void);
/* Records the counter at entry; the time base of arch_clock_ns(). */
void arch_clock_init(void);
u64 arch_counter_freq(void);

/*
 * Before the GIC driver takes over, or with none: the EL1 timers off and
 * the GIC's CPU interface no longer signalling (GICv3 through its system
 * registers, GICv2 through the MMIO interface the driver mapped), so that
 * nothing firmware left enabled can fire. Idempotent.
 */
void arch_quiesce_irq_sources(void);

/* Instructions retired, from the PMU; false when there is none. */
bool arch_insn_count(u64 *count);

/* Exception level the kernel was entered at (1 or 2). */
unsigned int arch_entry_el(void);

/* Prints the CPU line of the boot log (MIDR in words). */
void arch_print_cpu(void);

/* MIDR in words into buf: "ARM Cortex-A53 r0p4", or the implementer and part number. */
void arch_midr_name(u64 midr, char *buf, size_t size);

/* Physical address bits the CPU implements (ID_AA64MMFR0_EL1.PARange). */
unsigned int arch_phys_addr_bits(void);

/* MPIDR_EL1 affinity fields of this CPU, as Linux prints them. */
u64 arch_cpu_hwid(void);
u64 arch_midr(void);

#endif
