/*
 * TLB maintenance for the kernel's (EL1, TTBR1) mappings. Each helper ends
 * with DSB and ISB: the invalidation has completed and later instructions
 * are fetched and translated after it.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <asm/memory.h>
#include <asm/sysreg.h>
#include <mk64/types.h>

/* Every EL1 entry of this CPU only (the boot CPU, before others run). */
static inline void local_flush_tlb_all(void)
{
	dsb(nshst);
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
}

/* Every EL1 entry, on every CPU of the inner shareable domain. */
static inline void flush_tlb_all(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
}

/*
 * One page's entries for every ASID, walk-cache entries included (VAAE1IS,
 * not the last-level VAALE1IS): freeing a table needs that. The operand is
 * VA[55:12] in bits 43:0. No barriers: the caller brackets a batch.
 */
static inline void __tlbi_vaae1is(u64 va)
{
	__asm__ volatile("tlbi vaae1is, %0" : : "r"((va >> PAGE_SHIFT) & ((UL(1) << 44) - 1))
			 : "memory");
}

#endif
