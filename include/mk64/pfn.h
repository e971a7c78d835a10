/* Page frame numbers from physical addresses and back, as Linux's <linux/pfn.h>. */
#ifndef MK64_PFN_H
#define MK64_PFN_H

#include <asm/memory.h>
#include <mk64/types.h>

/* The first pfn at or above x, the pfn holding x, and the address of pfn x. */
#define PFN_UP(x) ((unsigned long)(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#define PFN_DOWN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

#endif
