/*
 * The memory model, Linux's SPARSEMEM_VMEMMAP (mk64/mmzone.h says why
 * 128 MiB sections): which sections are present, and their struct pages
 * mapped into the vmemmap window, each section's from its own node.
 *
 * Portable: the window is reached through the arch hooks
 * arch_vmemmap_init() and vmemmap_populate() (page tables in the kernel,
 * an address-space reservation on the host), the bitmap through va_of.
 */
#include <mk64/errno.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/string.h>

struct page *vmemmap;
unsigned long *present_sections;
unsigned long nr_mem_sections;
unsigned long nr_present_sections, nr_vmemmap_blocks;

void for_each_present_section(void (*fn)(unsigned long nr, unsigned long first_ram_pfn,
					 void *arg),
			      void *arg)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long next = 0;	/* sections below this one are done */

	for (unsigned int r = 0; r < mem->cnt; r++) {
		const struct memblock_region *reg = &mem->regions[r];
		unsigned long s = (unsigned long)((reg->base + PAGE_SIZE - 1) >> PAGE_SHIFT);
		unsigned long e = (unsigned long)((reg->base + reg->size) >> PAGE_SHIFT);

		if (s >= e)
			continue;
		for (unsigned long nr = max(next, pfn_to_section_nr(s));
		     nr <= pfn_to_section_nr(e - 1); nr++)
			fn(nr, max(s, section_nr_to_pfn(nr)), arg);
		next = max(next, pfn_to_section_nr(e - 1) + 1);
	}
}

phys_addr_t vmemmap_alloc_section(int nid)
{
	phys_addr_t pa = memblock_phys_alloc_try_nid(SECTION_MEMMAP_SIZE, SECTION_MEMMAP_SIZE, nid);

	return pa ? pa : memblock_phys_alloc_try_nid(SECTION_MEMMAP_SIZE, PAGE_SIZE, nid);
}

static void mark_present(unsigned long nr, unsigned long first_ram_pfn, void *arg)
{
	(void)first_ram_pfn;
	(void)arg;
	present_sections[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
	nr_present_sections++;
}

/* Maps one present section's struct pages; the first failure is kept in *arg. */
static void populate_section(unsigned long nr, unsigned long first_ram_pfn, void *arg)
{
	int *err = arg, nid = early_pfn_to_nid(first_ram_pfn);
	phys_addr_t pa = 0;

	if (*err)
		return;
	*err = vmemmap_populate((unsigned long)pfn_to_page(section_nr_to_pfn(nr)),
				nid, &pa);
	if (*err)
		pr_err("Cannot allocate the struct pages of section %lu (node %d, %lu KiB)\n", nr,
		       nid, (unsigned long)SECTION_MEMMAP_SIZE >> 10);
	else if (pa && IS_ALIGNED(pa, SECTION_MEMMAP_SIZE))
		nr_vmemmap_blocks++;
}

int sparse_init(void *(*va_of)(phys_addr_t pa))
{
	unsigned long start_pfn = (unsigned long)(memblock_start_of_DRAM() >> PAGE_SHIFT);
	unsigned long end_pfn = (unsigned long)(memblock_end_of_DRAM() >> PAGE_SHIFT);
	unsigned long bytes, memmap_kb, ram_kb = (unsigned long)(memblock_phys_mem_size() >> 10);
	phys_addr_t pa;
	int err = 0;

	nr_mem_sections = nr_present_sections = nr_vmemmap_blocks = 0;
	present_sections = NULL;
	if (end_pfn <= start_pfn)
		return 0;
	vmemmap = arch_vmemmap_init(start_pfn, end_pfn);
	if (!vmemmap) {
		pr_err("vmemmap: the window cannot hold struct pages for pfns %#lx-%#lx\n",
		       start_pfn, end_pfn - 1);
		return -ENOMEM;
	}
	bytes = ALIGN_UP(pfn_to_section_nr(end_pfn - 1) + 1, (unsigned long)BITS_PER_LONG) / 8;
	pa = memblock_phys_alloc(bytes, sizeof(long));
	if (!pa) {
		pr_err("vmemmap: no memory for the section bitmap (%lu bytes)\n", bytes);
		return -ENOMEM;
	}
	present_sections = va_of(pa);
	memset(present_sections, 0, bytes);
	for_each_present_section(mark_present, NULL);
	/* Only now: pfn_valid() must never see a half-written bitmap. */
	nr_mem_sections = bytes * 8;
	for_each_present_section(populate_section, &err);
	if (err)
		return err;
	memmap_kb = nr_present_sections * (unsigned long)(SECTION_MEMMAP_SIZE >> 10);
	/* A degenerate tree with under 1 KiB of RAM: no division by zero. */
	ram_kb = max(ram_kb, 1UL);
	pr_info("vmemmap: %lu sections present, %lu MiB of struct pages (%lu.%lu%% of RAM), "
		"%lu in 2 MiB blocks\n",
		nr_present_sections, memmap_kb >> 10, memmap_kb * 100 / ram_kb,
		memmap_kb * 1000 / ram_kb % 10, nr_vmemmap_blocks);
	return 0;
}
