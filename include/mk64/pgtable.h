/*
 * The page-table API (mm/pgtable.c): every kernel mapping — the linear map,
 * the kernel image, fixmap, ioremap, vmalloc, kmap — goes through it. It
 * builds and edits VMSAv8-64 4K-granule, 4-level tables (48-bit VA; the
 * upper VA bits select TTBR0/1 in hardware and are ignored here).
 *
 * Portable: it never touches a system register. The environment supplies
 * table pages, a way to reach them, and the barrier/TLB maintenance, so the
 * same code runs in the kernel and on the host over simulated memory.
 *
 * Concurrency: one pgtable is edited by one CPU at a time (the caller's
 * lock, e.g. init_mm's); walking is safe against nothing.
 */
#ifndef MK64_PGTABLE_H
#define MK64_PGTABLE_H

#include <asm/pgtable-hwdef.h>
#include <mk64/types.h>

typedef u64 pgprot_t;

/*
 * Attribute sets, as Linux names them, built from the descriptor bits
 * (asm/pgtable-hwdef.h): all are global, access flag set, inner shareable
 * (Normal) and never executable at EL0.
 */
#define PAGE_KERNEL		((pgprot_t)PROT_KERNEL_RW)	/* RW, XN */
#define PAGE_KERNEL_RO		((pgprot_t)PROT_KERNEL_RO)	/* RO, XN */
#define PAGE_KERNEL_ROX		((pgprot_t)PROT_KERNEL_ROX)	/* RO, executable */
#define PAGE_KERNEL_EXEC	((pgprot_t)PROT_KERNEL_EXEC)	/* RW, executable */
#define PAGE_KERNEL_DEVICE	((pgprot_t)PROT_DEVICE)		/* Device-nGnRE, RW, XN */

struct pgtable_env {
	/* A zeroed page for a table; 0 when there is none. */
	phys_addr_t (*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, phys_addr_t table);
	/* Where the CPU (or the host test) reads and writes a table page. */
	u64 *(*table_va)(void *ctx, phys_addr_t table);
	/* Makes stores to tables visible to the walker (DSB ISHST). */
	void (*sync)(void *ctx);
	/* Invalidates the TLB entries of [va, va + size), then DSB+ISB. */
	void (*flush_tlb)(void *ctx, u64 va, u64 size);
	void *ctx;
};

struct pgtable {
	phys_addr_t root;		/* the level-0 table */
	const struct pgtable_env *env;
	unsigned long table_pages;	/* tables in use, the root included */
};

/* Map flags. */
#define PGTABLE_NO_BLOCKS	(1u << 0)	/* 4K pages only (W^X-split image, vmalloc) */
#define PGTABLE_NO_1G		(1u << 1)	/* at most 2M blocks */

/* Results of pgtable_walk(). */
struct pgtable_walk {
	int level;		/* level of the leaf (1, 2, 3), or of the hole */
	u64 desc;		/* the leaf descriptor, or 0 */
	phys_addr_t phys;	/* the translation of va, when mapped */
	u64 size;		/* bytes the leaf (or the hole's entry) maps: 1G, 2M, 4K */
};

/* Creates an empty table set. Returns 0 or -ENOMEM. */
int pgtable_init(struct pgtable *pt, const struct pgtable_env *env);

/*
 * Maps [va, va + size) to [pa, pa + size) with prot, using the largest
 * blocks that both addresses' alignment and flags allow, allocating
 * intermediate tables. All three must be page aligned. Fails with -EEXIST
 * (nothing changed) if any part is already mapped, -ENOMEM if a table
 * cannot be allocated (what was mapped stays mapped), -EINVAL on bad input:
 * unaligned, empty, wrapping around (or across VA bit 48), PA beyond 48 bits,
 * or prot with address or descriptor-type bits.
 */
int pgtable_map(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, pgprot_t prot,
		unsigned int flags);

/*
 * Unmaps [va, va + size): splits a block that is only partly covered,
 * frees tables that become empty, and invalidates the TLB for the range.
 * Holes are fine. Returns 0, -ENOMEM when a split needs a table, or -EINVAL.
 */
int pgtable_unmap(struct pgtable *pt, u64 va, u64 size);

/*
 * Changes the attributes of the mapped range [va, va + size) to prot,
 * splitting blocks at the edges. Every changed or split leaf goes through
 * break-before-make, which unmaps the whole leaf for a moment: on live
 * tables, never use it on a block that holds the code, the stack or the
 * page tables the operation itself uses (a live linear-map block is all of
 * these; map ranges that will change later with PGTABLE_NO_BLOCKS).
 * Returns 0, -ENOENT when part of the range is unmapped (nothing changed),
 * -ENOMEM or -EINVAL.
 */
int pgtable_protect(struct pgtable *pt, u64 va, u64 size, pgprot_t prot);

/* Translates va. Returns true when mapped, filling *w either way. */
bool pgtable_walk(const struct pgtable *pt, u64 va, struct pgtable_walk *w);

/*
 * Unmaps everything and frees every table, the root included. No TLB
 * maintenance: the tables must no longer be live in a TTBR.
 */
void pgtable_destroy(struct pgtable *pt);

#endif
