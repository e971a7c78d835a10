/*
 * The page allocator's API for the host build of SLUB (tests/host/pages.c):
 * alloc_pages_node() and __free_pages() over zones a test hands over, made
 * with the buddy core (mm/page_alloc.c) on struct pages and real memory of
 * its own; page_address()/virt_to_page() reach that memory through
 * memstart_addr and vmemmap as in the kernel.
 */
#ifndef TESTS_HOST_PAGES_HOST_H
#define TESTS_HOST_PAGES_HOST_H

#include <mk64/mmzone.h>

/*
 * Makes [start_pfn, start_pfn + n) of memmap and mem (n pages each) the
 * linear map's and vmemmap's view: __va(start_pfn << PAGE_SHIFT) is mem,
 * pfn_to_page(start_pfn) is memmap, and start_pfn's section is the only
 * present one (pfn_valid(); the pages must not cross into the next).
 * start_pfn's section must be below 64. Saves what it replaces.
 */
void host_pages_map(struct page *memmap, void *mem, unsigned long start_pfn);

/* Puts back what host_pages_map() replaced and forgets every zone. */
void host_pages_unmap(void);

/* The zone alloc_pages_node(nid, ...) takes pages from (NULL: none). */
void host_pages_set_zone(int nid, struct zone *zone);

#endif
