/* The host's vmemmap hooks (tests/host/vmemmap.c), for tests that look inside. */
#ifndef MK64_VMEMMAP_HOST_H
#define MK64_VMEMMAP_HOST_H

#include <mk64/types.h>

/*
 * false (default): a section's struct pages are anonymous memory, none
 * taken from memblock, so host trees may have banks smaller than a
 * section's 2 MiB of struct pages. true: the memory comes from memblock
 * as in the kernel (vmemmap_alloc_section()), and where is recorded.
 */
extern bool vmemmap_host_backed;

/* The memblock memory behind the section whose struct pages start at va, or 0. */
phys_addr_t vmemmap_host_backing(unsigned long va);

#endif
