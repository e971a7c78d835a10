#ifndef MK64_MEMBLOCK_DT_H
#define MK64_MEMBLOCK_DT_H

#include <mk64/types.h>

/*
 * The initrd /chosen names (linux,initrd-start/-end): true with
 * [*start, *end) set, false when there is none or it is empty.
 */
bool dt_initrd(const void *fdt, phys_addr_t *start, phys_addr_t *end);

/*
 * Adds the tree's RAM to memblock and reserves the kernel image, the DTB,
 * the initrd, /memreserve/ entries and /reserved-memory children (marking
 * no-map ones).
 * Returns 0 or a negative libfdt error (-FDT_ERR_NOSPACE when memblock's
 * arrays are full).
 */
int memblock_init_from_dt(const void *fdt, phys_addr_t fdt_phys, phys_addr_t kernel_phys,
			  phys_addr_t kernel_size);

struct dt_reserved;

/*
 * Allocates the /reserved-memory children that give only a "size" (and
 * maybe an "alignment"), as Linux's dynamic reservations: after mem= and
 * highmem= have shaped memblock. Logs each. Returns 0, or -ENOSPC when
 * there are more than this kernel records or memblock is full.
 */
int memblock_alloc_dt_dynamic(const void *fdt);

/* The reservations memblock_alloc_dt_dynamic() made; returns their count. */
int memblock_dt_dynamic(const struct dt_reserved **out);

#endif
