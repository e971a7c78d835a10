/* The kernel's final page tables (arch/arm64/mmu.c). */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <mk64/pgtable.h>
#include <mk64/types.h>

/* TTBR1's tables from paging_init() on: every kernel mapping lives here. */
extern struct pgtable init_pgtable;

/*
 * Builds the final tables from memblock (linear map, W^X kernel image, the
 * boot fixmap and DTB window) and switches to them; TTBR0 is emptied.
 * Panics when it cannot: there is no way to go on without them.
 */
void paging_init(void);

/* True once paging_init() has switched to the final tables. */
bool mmu_final_tables_live(void);

/* Prints the "Virtual kernel memory layout" table. */
void print_memory_layout(void);

/*
 * A zeroed page for page tables: a freed table page, the boot pool, then
 * memblock before the hand-over and the buddy allocator after it. Returns
 * its physical address or 0.
 */
phys_addr_t pgtable_alloc_page(void);
void pgtable_free_page(phys_addr_t pa);

/* Invalidates kernel TLB entries for [start, start + size) on all CPUs. */
void flush_tlb_kernel_range(u64 start, u64 size);

#endif
