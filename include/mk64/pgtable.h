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
struct page;

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
#define PAGE_KERNEL_NC		((pgprot_t)PROT_NORMAL_NC)	/* Normal non-cacheable, RW, XN */

struct pgtable_env {
	/* A zeroed page for a table; 0 when there is none. */
	phys_addr_t (*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, phys_addr_t table);
	/*
	 * Where the CPU (or the host test) reads and writes a table page;
	 * NULL when that is always table + table_offset (a linear map: one
	 * addition instead of a call on every level of every walk).
	 */
	u64 *(*table_va)(void *ctx, phys_addr_t table);
	/* Makes stores to tables visible to the walker (DSB ISHST). */
	void (*sync)(void *ctx);
	/*
	 * Makes the stores to tables visible to the walker (as sync), then
	 * invalidates the TLB entries of [va, va + size), then DSB+ISB.
	 */
	void (*flush_tlb)(void *ctx, u64 va, u64 size);
	void *ctx;
	u64 table_offset;	/* see table_va */
};

/* Leaf tables pgtable_pte_alloc() handed out, kept even when empty. */
#define PGTABLE_MAX_KEPT 4

struct pgtable {
	phys_addr_t root;		/* the level-0 table */
	const struct pgtable_env *env;
	unsigned long table_pages;	/* tables in use, the root included */
	unsigned int nr_kept;
	phys_addr_t kept[PGTABLE_MAX_KEPT];
	/*
	 * The last level-3 table pgtable_map_pages() or
	 * pgtable_unmap_keep_tables() walked to, and the 2 MiB of VA it maps
	 * (1 when none): runs of small mappings in one 2 MiB (vmalloc's)
	 * skip the walk. Forgotten whenever a table is freed.
	 */
	u64 leaf_va;
	u64 *leaf_table;
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
 * As pgtable_unmap(), but tables that become empty stay, for ranges that
 * are mapped again and again (vmalloc, as Linux's keeps its tables): no
 * table is scanned or freed. Their pages stay counted in table_pages.
 */
int pgtable_unmap_keep_tables(struct pgtable *pt, u64 va, u64 size);

/*
 * Maps nr scattered pages, pages[i] at va + i * PAGE_SIZE, with 4K entries
 * (vmalloc, vmap), making tables as needed; no TLB maintenance is needed
 * for invalid -> valid. Returns 0, -EINVAL (bad input), -ENOMEM, or
 * -EEXIST when an entry is already valid; after an error the entries
 * written stay: the caller, who owns the range, unmaps it.
 */
int pgtable_map_pages(struct pgtable *pt, u64 va, struct page *const *pages, unsigned int nr,
		      pgprot_t prot);

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

/*
 * The level-3 entry that maps the page at va, allocating the tables above
 * it, for a window whose pages are mapped and unmapped one at a time on a
 * hot path (kmap): the caller then changes the entry with pte_set() and
 * pte_clear() and does the barriers and TLB maintenance itself. The table
 * holding the entry is kept even when it empties, until pgtable_destroy().
 * Returns NULL when a block maps va, va is not a page address, a table
 * cannot be allocated, or PGTABLE_MAX_KEPT tables are kept already (for
 * another 2 MiB than va's).
 */
u64 *pgtable_pte_alloc(struct pgtable *pt, u64 va);

/* A level-3 (page) descriptor for pa with prot. */
static inline u64 mk_pte(phys_addr_t pa, pgprot_t prot)
{
	return pa | prot | DESC_PAGE;
}

/*
 * Writes a page descriptor into an entry from pgtable_pte_alloc() that
 * must be invalid and out of every TLB (break-before-make); the walker
 * sees it after the caller's barrier.
 */
static inline void pte_set(u64 *ptep, u64 pte)
{
	*(volatile u64 *)ptep = pte;
}

/* Invalidates such an entry; the caller then flushes the TLB for it. */
static inline void pte_clear(u64 *ptep)
{
	*(volatile u64 *)ptep = 0;
}

/* Translates va. Returns true when mapped, filling *w either way. */
bool pgtable_walk(const struct pgtable *pt, u64 va, struct pgtable_walk *w);

/*
 * Unmaps everything and frees every table, the root included. No TLB
 * maintenance: the tables must no longer be live in a TTBR.
 */
void pgtable_destroy(struct pgtable *pt);

#endif
