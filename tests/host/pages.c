/*
 * The page allocator's API on the host (tests/host/pages_host.h), for
 * mm/slub.c: a request goes to its node's zone, then to any other with
 * pages (unless __GFP_THISNODE); there are no watermarks, per-CPU lists or
 * reclaim. A block comes back to its zone when its last reference goes.
 */
#include <stdarg.h>
#include <asm/memory.h>
#include <mk64/gfp.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/string.h>
#include "pages_host.h"

phys_addr_t memstart_addr;

/* The sections below 1 << HOST_SECTIONS_BITS the map may make present. */
#define HOST_SECTIONS_BITS 6

static struct zone *zones[MAX_NUMNODES];
static struct page *saved_vmemmap;
static phys_addr_t saved_memstart;
static unsigned long *saved_present, saved_nr_sections;
static unsigned long host_present[1];

void host_pages_map(struct page *memmap, void *mem, unsigned long start_pfn)
{
	unsigned long nr = pfn_to_section_nr(start_pfn);

	saved_vmemmap = vmemmap;
	saved_memstart = memstart_addr;
	saved_present = present_sections;
	saved_nr_sections = nr_mem_sections;
	vmemmap = memmap - start_pfn;
	/* __va(pa) = pa - PHYS_OFFSET + PAGE_OFFSET, modulo 2^64. */
	memstart_addr = (start_pfn << PAGE_SHIFT) + PAGE_OFFSET - (u64)mem;
	/* Only the first section is present: pfn_valid() is false beyond it, as for a hole. */
	if (nr >= 1UL << HOST_SECTIONS_BITS)
		panic("host_pages_map: section %lu beyond the host's %u\n", nr,
		      1u << HOST_SECTIONS_BITS);
	host_present[0] = 1UL << nr;
	present_sections = host_present;
	nr_mem_sections = 1UL << HOST_SECTIONS_BITS;
}

void host_pages_unmap(void)
{
	vmemmap = saved_vmemmap;
	memstart_addr = saved_memstart;
	present_sections = saved_present;
	nr_mem_sections = saved_nr_sections;
	memset(zones, 0, sizeof(zones));
}

void host_pages_set_zone(int nid, struct zone *zone)
{
	zones[nid] = zone;
}

void *page_address(const struct page *page)
{
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	if (nid >= 0 && nid < MAX_NUMNODES && zones[nid])
		page = alloc_pages_zone(zones[nid], order);
	for (int other = 0; !page && !(gfp & __GFP_THISNODE) && other < MAX_NUMNODES; other++)
		if (zones[other])
			page = alloc_pages_zone(zones[other], order);
	if (!page) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("host: page allocation failure: order:%u, node %d\n", order, nid);
		return NULL;
	}
	if ((gfp & __GFP_COMP) && order)
		prep_compound_page(page, order);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (page_ref_dec_and_test(page))
		free_pages_zone(zones[page_to_nid(page)], page, order);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	__builtin_trap();
}
