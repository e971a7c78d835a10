/*
 * memblock: the boot-time view of physical memory (mm/memblock.c). RAM
 * regions come from the device tree's /memory nodes, reservations from the
 * kernel image, the DTB, /memreserve/ and /reserved-memory; allocations are
 * carved out of memory that is not reserved, top-down, and are themselves
 * recorded as reserved. Used until the page allocator takes over.
 *
 * A range [base, base + size) that would wrap past the top of the address
 * space is clamped to end there; size 0 does nothing. -ENOSPC (a list would
 * need more than MEMBLOCK_MAX_REGIONS) always leaves everything unchanged.
 *
 * Portable (builds for the host). Not thread-safe: boot runs on one CPU.
 */
#ifndef MK64_MEMBLOCK_H
#define MK64_MEMBLOCK_H

#include <mk64/types.h>

#define MEMBLOCK_MAX_REGIONS 128

/* Region flags, as Linux's. */
#define MEMBLOCK_NOMAP (1u << 0)	/* keep out of the linear map */

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	unsigned int flags;
};

struct memblock_type {
	unsigned int cnt;	/* regions in use, sorted by base, never adjacent-mergeable */
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t limit;	/* allocations stay below this (0: no limit) */
};

extern struct memblock memblock;

/* Adds RAM; overlapping or adjacent ranges merge. Returns 0 or -ENOSPC. */
int memblock_add(phys_addr_t base, phys_addr_t size);
/* Marks a range reserved (it may lie outside RAM). Returns 0 or -ENOSPC. */
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/*
 * Marks RAM no-map: it stays reserved and out of the linear map. Returns 0
 * or -ENOSPC.
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
/*
 * mem=: keeps only the first size bytes of RAM, counted from the lowest
 * address across holes. Returns the address RAM now ends at, or 0 when
 * there was no more than size to begin with (nothing dropped).
 */
phys_addr_t memblock_mem_limit(phys_addr_t size);
/* Drops RAM at and above limit (a physical address; 0: no-op). */
void memblock_cap_memory(phys_addr_t limit);

/*
 * Allocates size bytes aligned to align (a power of two) from RAM that is
 * not reserved, highest address first, below memblock.limit. The memory is
 * not zeroed. Returns the physical address, or 0 when nothing fits (never
 * an allocation at address 0) or align is 0 or not a power of two.
 */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);

/*
 * size bytes aligned to align, on node nid (by the device tree's banks,
 * early_pfn_to_nid()) while it has room, else anywhere with a warning.
 * Returns the physical address or 0; the memory is not zeroed.
 */
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);

/*
 * Frees a range previously allocated (or reserved). Returns 0, or -ENOSPC
 * (nothing freed) when splitting a reservation needs a region too many.
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
bool memblock_is_memory(phys_addr_t addr);
/* True when addr is RAM that belongs in the linear map (not MEMBLOCK_NOMAP). */
bool memblock_is_map_memory(phys_addr_t addr);
/* True when [base, base + size) overlaps a reserved range. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/*
 * The whole pages of a memory region that belong in the linear map: sets
 * [*start, *end) and returns true, or false for a no-map or sub-page one.
 */
bool memblock_region_linear(const struct memblock_region *r, phys_addr_t *start,
			    phys_addr_t *end);

/* Empties both lists (host tests; the kernel starts with them empty). */
void memblock_reset(void);

/* Prints both lists, one region a line ("memblock_dump"). */
void memblock_dump(void);

#endif
