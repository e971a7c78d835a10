/*
 * The running CPU's number, and the hand-over from a CPU starting
 * secondary CPUs (arch/arm64/smp.c) to their first instructions
 * (boot/head.S's secondary_entry).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/percpu.h>

/*
 * struct secondary_boot's offsets, for head.S. It is read with the MMU and
 * caches off, so its writer cleans it to the point of coherency.
 */
#define SECONDARY_BOOT_TTBR1 0
#define SECONDARY_BOOT_TCR 8
#define SECONDARY_BOOT_MAIR 16
#define SECONDARY_BOOT_SCTLR 24
#define SECONDARY_BOOT_TTBR0 32
#define SECONDARY_BOOT_AREA 40
#define SECONDARY_BOOT_SP 48
#define SECONDARY_BOOT_SHIFT 6		/* log2 of its size: one cache line each */

#ifndef __ASSEMBLY__
#include <mk64/compiler.h>
#include <mk64/types.h>

/*
 * What a secondary CPU needs to join the boot CPU: the boot CPU's final
 * translation registers (TTBR0 holds its empty table), its per-CPU area
 * for TPIDR_EL1, and the top of its stack.
 */
struct secondary_boot {
	u64 ttbr1, tcr, mair, sctlr, ttbr0;
	u64 area, sp;
} __aligned(1 << SECONDARY_BOOT_SHIFT);

_Static_assert(__builtin_offsetof(struct secondary_boot, ttbr1) == SECONDARY_BOOT_TTBR1, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, tcr) == SECONDARY_BOOT_TCR, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, mair) == SECONDARY_BOOT_MAIR, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, sctlr) == SECONDARY_BOOT_SCTLR, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, ttbr0) == SECONDARY_BOOT_TTBR0, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, area) == SECONDARY_BOOT_AREA, "head.S");
_Static_assert(__builtin_offsetof(struct secondary_boot, sp) == SECONDARY_BOOT_SP, "head.S");
_Static_assert(sizeof(struct secondary_boot) == 1 << SECONDARY_BOOT_SHIFT, "head.S");

/* The exception level online CPU cpu was started at (2 or 1); 0 if offline. */
unsigned int cpu_entry_el(unsigned int cpu);

/*
 * pcpu_hot.cpu_number in the running CPU's per-CPU area (mk64/percpu.h),
 * which never changes: the read needs no ordering, and the compiler may
 * reuse it.
 */
static __always_inline unsigned int raw_smp_processor_id(void)
{
	return *(const unsigned int *)(__my_cpu_area() + PCPU_HOT_OFFSET + PCPU_HOT_CPU_NUMBER);
}
#endif

#endif
