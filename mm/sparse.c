/*
 * pfn_to_page() in constant time across holes in the physical map, with
 * the struct page arrays kept per node (Linux's SPARSEMEM, without the
 * per-section arrays): the physical address space from the start to the
 * end of RAM is cut into 2 MiB sections, and a byte per section names the
 * node whose array covers the section's pfns. A section where two nodes meet (a node
 * boundary that is not 2 MiB aligned, which the device tree allows but
 * nobody does) is marked shared and looked up among the nodes.
 *
 * Portable: the table lives in memblock memory reached through va_of.
 */
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/string.h>

u8 *section_nid;
unsigned long first_section, nr_sections;

void sparse_init(void *(*va_of)(phys_addr_t pa))
{
	unsigned long start_pfn = ~0UL, end_pfn = 0, sections;
	phys_addr_t pa;
	int nid;

	for_each_online_node(nid) {
		const pg_data_t *pgdat = NODE_DATA(nid);

		start_pfn = min(start_pfn, pgdat->node_start_pfn);
		end_pfn = max(end_pfn, pgdat->node_start_pfn + pgdat->node_spanned_pages);
	}
	section_nid = NULL;
	nr_sections = 0;
	if (end_pfn <= start_pfn)
		return;
	first_section = start_pfn >> PFN_SECTION_SHIFT;
	sections = ((end_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT) - first_section;
	pa = memblock_phys_alloc(sections, 8);
	if (!pa) {
		pr_warn("sparse: no memory for the section table: pfn_to_page() walks the nodes\n");
		return;
	}
	nr_sections = sections;
	section_nid = va_of(pa);
	memset(section_nid, SECTION_NO_NODE, nr_sections);
	for_each_online_node(nid) {
		const pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long first = pgdat->node_start_pfn >> PFN_SECTION_SHIFT;
		unsigned long last = (pgdat->node_start_pfn + pgdat->node_spanned_pages - 1) >>
				     PFN_SECTION_SHIFT;

		for (unsigned long s = first; pgdat->node_spanned_pages && s <= last; s++) {
			u8 *entry = &section_nid[s - first_section];

			*entry = *entry == SECTION_NO_NODE ? (u8)nid : SECTION_SHARED;
		}
	}
}

struct page *pfn_to_page_shared(unsigned long pfn)
{
	int nid;

	for_each_online_node(nid) {
		struct page *page = node_pfn_to_page(NODE_DATA(nid), pfn);

		if (page)
			return page;
	}
	return NULL;
}
