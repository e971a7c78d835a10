/*
 * Device memory mappings (arch/arm64/ioremap.c): registers mapped into the
 * vmalloc region, never executable, never over RAM.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <mk64/types.h>

/*
 * Maps size bytes of registers at phys as Device-nGnRE (ioremap) or
 * Normal non-cacheable (ioremap_wc, write-combining), both execute-never.
 * Returns the address of phys, or NULL: nothing to map, RAM (a second
 * mapping of RAM with other attributes breaks the architecture's rules),
 * or no space. May sleep.
 */
void *ioremap(phys_addr_t phys, size_t size);
void *ioremap_wc(phys_addr_t phys, size_t size);
/* Unmaps what ioremap*() returned (any address inside its first page). */
void iounmap(volatile void *addr);

#endif
