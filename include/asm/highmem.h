/*
 * kmap's arch side (mm/highmem.c is the portable side): where its windows
 * are and the barriers and TLB maintenance for their entries.
 *
 * - pkmap: kmap()'s LAST_PKMAP slots, PKMAP_BASE..+PKMAP_SIZE (asm/memory.h),
 *   shared by every CPU: a slot is flushed from every TLB before reuse.
 * - kmap_local/kmap_atomic: KM_MAX_IDX fixmap slots per CPU, the last
 *   NR_CPUS * KM_MAX_IDX of the fixmap, CPU n's from FIX_KMAP_BEGIN +
 *   n * KM_MAX_IDX up. A slot is only ever used by its CPU, so its TLB
 *   entry is dropped on that CPU only, as Linux does for these slots.
 */
#ifndef ASM_HIGHMEM_H
#define ASM_HIGHMEM_H

#include <asm/memory.h>
#include <asm/sysreg.h>
#include <mk64/smp.h>
#include <mk64/types.h>

#define LAST_PKMAP (PKMAP_SIZE >> PAGE_SHIFT)
#define PKMAP_NR(va) (((u64)(va) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr) (PKMAP_BASE + ((u64)(nr) << PAGE_SHIFT))

/* Nesting depth of kmap_local/kmap_atomic on one CPU (Linux's). */
#define KM_MAX_IDX 16
#define FIX_KMAP_SLOTS (KM_MAX_IDX * NR_CPUS)
#define FIX_KMAP_BEGIN (FIXADDR_SLOTS - FIX_KMAP_SLOTS)
#define KMAP_LOCAL_START (FIXADDR_START + FIX_KMAP_BEGIN * PAGE_SIZE)
#define KMAP_LOCAL_SIZE (FIX_KMAP_SLOTS * PAGE_SIZE)
#define KMAP_LOCAL_ADDR(slot) (KMAP_LOCAL_START + ((u64)(slot) << PAGE_SHIFT))

/*
 * After an invalid entry became valid: the walker sees it before the next
 * access. No TLB maintenance, as no TLB holds an invalid entry.
 */
static inline void kmap_publish_pte(void)
{
	dsb(ishst);
	isb();
}

/*
 * After a valid entry was cleared: drops the page's last-level entry from
 * this CPU's TLB only (the slot never was used elsewhere). The operand is
 * VA[55:12] in bits 43:0; the slots' VA bits there do not carry past 43,
 * so it is a constant plus the slot.
 */
static inline void local_flush_tlb_kmap_slot(u64 slot)
{
	dsb(nshst);
	__asm__ volatile("tlbi vaale1, %0"
			 : : "r"(((KMAP_LOCAL_START >> PAGE_SHIFT) & ((UL(1) << 44) - 1)) + slot)
			 : "memory");
	dsb(nsh);
	isb();
}

#endif
