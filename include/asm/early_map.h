/*
 * Boot-time mappings (arch/arm64/early_map.c): device registers through
 * fixmap slots and the DTB through its window, usable before the final
 * page tables exist and kept at the same addresses in them.
 */
#ifndef ASM_EARLY_MAP_H
#define ASM_EARLY_MAP_H

#include <mk64/types.h>

/* Physical address the image was loaded at (set by start_kernel). */
extern phys_addr_t kimage_phys;

/*
 * Maps size bytes of device registers at phys as Device-nGnRE, never
 * executable. Returns the virtual address, or NULL when the fixmap is full.
 */
void *early_ioremap(phys_addr_t phys, size_t size);

/*
 * Unmaps what the last early_ioremap() mapped and gives its slots back (a
 * failed probe's). Returns false, changing nothing, when addr/size is not
 * the most recent mapping: slots are handed out and returned in order.
 */
bool early_iounmap(void *addr, size_t size);

/*
 * Maps the 2 MiB block holding a DTB at phys read-only, and the next one
 * only when a sane header's totalsize runs into it (dt_early_span()).
 * Returns its virtual address and sets *mapped to the bytes readable from
 * there on.
 */
const void *early_map_fdt(phys_addr_t phys, size_t *mapped);

#endif
