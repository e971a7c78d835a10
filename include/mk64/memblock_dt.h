#ifndef MK64_MEMBLOCK_DT_H
#define MK64_MEMBLOCK_DT_H

#include <mk64/types.h>

/*
 * Adds the tree's RAM to memblock and reserves the kernel image, the DTB,
 * /memreserve/ entries and /reserved-memory children (marking no-map ones).
 * Returns 0 or a negative libfdt error (-FDT_ERR_NOSPACE when memblock's
 * arrays are full).
 */
int memblock_init_from_dt(const void *fdt, phys_addr_t fdt_phys, phys_addr_t kernel_phys,
			  phys_addr_t kernel_size);

#endif
