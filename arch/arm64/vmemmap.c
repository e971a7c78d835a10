/*
 * The vmemmap window's arch side: its base, each present section's struct
 * pages mapped into init_pgtable (a 2 MiB block when the memory for them
 * is one; mm/sparse.c decides which sections), and a fault headline that
 * names the pfn whose struct page was touched.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <mk64/errno.h>
#include <mk64/fault.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/pgtable.h>
#include <mk64/sprintf.h>

/* "vmemmap, struct page of pfn 0x48000 (section 9, no RAM)": a bad pfn_to_page(). */
static void describe_vmemmap(const struct fault_area *area, const struct fault_info *info,
			     char *buf, size_t size)
{
	unsigned long pfn = (unsigned long)((info->far - (u64)vmemmap) / sizeof(struct page));

	snprintf(buf, size, "%s, struct page of pfn %#lx (section %lu, %s)", area->name, pfn,
		 pfn_to_section_nr(pfn), pfn_valid(pfn) ? "present" : "no RAM");
}

static struct fault_area vmemmap_area = {
	VMEMMAP_START, VMEMMAP_START + VMEMMAP_SIZE, "vmemmap", describe_vmemmap, NULL
};
static bool area_registered;

/*
 * As arm64 Linux: the window starts with the struct page of the linear
 * map's first pfn (PHYS_OFFSET), so it covers exactly what the linear map
 * can (paging_init() already dropped RAM beyond that).
 */
struct page *arch_vmemmap_init(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long first = (unsigned long)(PHYS_OFFSET >> PAGE_SHIFT);

	if (start_pfn < first || end_pfn - first > VMEMMAP_SIZE / sizeof(struct page))
		return NULL;
	if (!area_registered) {
		register_fault_area(&vmemmap_area);
		area_registered = true;
	}
	return (struct page *)VMEMMAP_START - first;
}

/*
 * The window was never mapped, so no TLB holds an entry for it: the
 * DSB+ISB pgtable_map() ends with (env sync) is all the new entries need
 * before the struct pages are written through them.
 */
int vmemmap_populate(unsigned long start, int nid, phys_addr_t *pa)
{
	phys_addr_t mem = vmemmap_alloc_section(nid);
	int err;

	if (!mem)
		return -ENOMEM;
	err = pgtable_map(&init_pgtable, start, mem, SECTION_MEMMAP_SIZE, PAGE_KERNEL,
			  PGTABLE_NO_1G);
	if (err) {
		/*
		 * -ENOMEM leaves what was mapped mapped: take it out (with
		 * its TLB entries, which a speculative walk may have made)
		 * before the memory behind it goes back. The range is whole
		 * and aligned, so unmapping splits nothing and cannot fail.
		 */
		int unmapped = pgtable_unmap(&init_pgtable, start, SECTION_MEMMAP_SIZE);

		BUG_ON(unmapped);
		memblock_phys_free(mem, SECTION_MEMMAP_SIZE);
		return err;
	}
	*pa = mem;
	return 0;
}
