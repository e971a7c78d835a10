/*
 * Early mappings: entries added to the tables head.S built, or, once the
 * final tables are live, made through the page-table API at the same
 * fixmap addresses. Every change is invalid -> valid, which needs no TLB
 * invalidation, only a barrier so the walker sees the store first.
 */
#include <libfdt.h>
#include <asm/early_map.h>
#include <asm/highmem.h>
#include <asm/mmu.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <mk64/compiler.h>
#include <mk64/dt.h>

extern u64 kernel_l2[PTRS_PER_TABLE];
extern u64 early_fixmap_l3[PTRS_PER_TABLE];

phys_addr_t kimage_phys;
static unsigned int fixmap_next;

static void publish_entries(void)
{
	dsb(ishst);
	isb();
}

void *early_ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	size_t pages = (ALIGN_UP(phys + max(size, (size_t)1), PAGE_SIZE) - base) >> PAGE_SHIFT;
	unsigned int first = fixmap_next;

	u64 va = FIXADDR_START + first * PAGE_SIZE;

	if (pages > FIX_KMAP_BEGIN - fixmap_next)
		return NULL;
	if (mmu_final_tables_live()) {
		if (pgtable_map(&init_pgtable, va, base, pages * PAGE_SIZE, PAGE_KERNEL_DEVICE,
				PGTABLE_NO_BLOCKS))
			return NULL;
		fixmap_next += pages;
	} else {
		for (size_t i = 0; i < pages; i++)
			early_fixmap_l3[fixmap_next++] =
				(base + i * PAGE_SIZE) | PROT_DEVICE | DESC_PAGE;
		publish_entries();
	}
	return (void *)(va + (phys - base));
}

bool early_iounmap(void *addr, size_t size)
{
	u64 va = ALIGN_DOWN((u64)addr, PAGE_SIZE);
	size_t pages = (ALIGN_UP((u64)addr + max(size, (size_t)1), PAGE_SIZE) - va) >> PAGE_SHIFT;
	unsigned int first = (unsigned int)((va - FIXADDR_START) >> PAGE_SHIFT);

	if (va < FIXADDR_START || first + pages != fixmap_next)
		return false;
	if (mmu_final_tables_live()) {
		if (pgtable_unmap(&init_pgtable, va, pages * PAGE_SIZE))
			return false;
	} else {
		/* Valid -> invalid: the TLB must forget it before a slot is reused. */
		for (size_t i = 0; i < pages; i++)
			early_fixmap_l3[first + i] = 0;
		dsb(ishst);
		for (size_t i = 0; i < pages; i++)
			__tlbi_vaae1is(va + i * PAGE_SIZE);
		dsb(ish);
		isb();
	}
	fixmap_next = first;
	return true;
}

static void map_fdt_block(unsigned int i, phys_addr_t base)
{
	unsigned int index = (EARLY_FDT_VADDR >> L2_SHIFT) % PTRS_PER_TABLE + i;

	kernel_l2[index] = (base + i * SECTION_SIZE) | PROT_KERNEL_RO | DESC_BLOCK;
	publish_entries();
}

/*
 * The boot protocol lets us map cacheable only the 2 MiB blocks the blob
 * occupies: whatever follows may be device or secure memory, which a
 * cacheable mapping would expose to speculative reads. So the second block
 * is mapped only when a header with the right magic and a sane totalsize
 * (or the header itself) runs into it; x0 pointing at garbage gets the one
 * block, and dt_check() then says what is wrong.
 */
const void *early_map_fdt(phys_addr_t phys, size_t *mapped)
{
	phys_addr_t base = ALIGN_DOWN(phys, SECTION_SIZE);
	const void *fdt = (const void *)(EARLY_FDT_VADDR + (phys - base));

	map_fdt_block(0, base);
	*mapped = base + SECTION_SIZE - phys;
	if (dt_early_span(fdt, *mapped) > *mapped) {
		map_fdt_block(1, base);
		*mapped += SECTION_SIZE;
	}
	return fdt;
}
