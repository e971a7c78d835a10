/*
 * The page-table core: VMSAv8-64 tables, 4K granule, four levels (L0-L3),
 * 9 VA bits per level from bit 47 down to bit 12; bits 63:48 select
 * TTBR0/1 in hardware and only ever reach flush_tlb() here.
 *
 * Every operation is a loop over the entries of one table that a range
 * covers, recursing (at most four deep) into next-level tables. Valid
 * entries change only by break-before-make: invalidate, flush the TLB
 * for the entry's range (the flush syncs the tables first), then write
 * the new value.
 */
#include <asm/pgtable-hwdef.h>
#include <mk64/compiler.h>
#include <mk64/errno.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>

#define LEAF_LEVEL 3
#define BITS_PER_LEVEL 9
#define PHYS_BITS 48

#define DESC_VALID UL(1)
#define DESC_TYPE_MASK UL(3)
#define DESC_OA_MASK (((UL(1) << PHYS_BITS) - 1) & ~(PAGE_SIZE - 1))

static unsigned int level_shift(int level)
{
	return PAGE_SHIFT + BITS_PER_LEVEL * (LEAF_LEVEL - level);
}

/* Bytes one entry of a level-`level` table maps. */
static u64 level_size(int level)
{
	return UL(1) << level_shift(level);
}

/* Bytes of [va, va + size) that fall into va's entry at this level. */
static u64 entry_chunk(int level, u64 va, u64 size)
{
	u64 span = level_size(level);

	return min(span - (va & (span - 1)), size);
}

static u64 *entry_of(u64 *table, int level, u64 va)
{
	return &table[(va >> level_shift(level)) & (PTRS_PER_TABLE - 1)];
}

static bool desc_valid(u64 desc)
{
	return desc & DESC_VALID;
}

static bool desc_is_table(u64 desc, int level)
{
	return level < LEAF_LEVEL && (desc & DESC_TYPE_MASK) == DESC_TABLE;
}

static bool desc_is_leaf(u64 desc, int level)
{
	return desc_valid(desc) && !desc_is_table(desc, level);
}

static phys_addr_t desc_phys(u64 desc)
{
	return desc & DESC_OA_MASK;
}

static pgprot_t desc_prot(u64 desc)
{
	return desc & ~(DESC_OA_MASK | DESC_TYPE_MASK);
}

static u64 make_leaf(int level, phys_addr_t pa, pgprot_t prot)
{
	return pa | prot | (level == LEAF_LEVEL ? DESC_PAGE : DESC_BLOCK);
}

static u64 *table_va(const struct pgtable *pt, phys_addr_t table)
{
	const struct pgtable_env *env = pt->env;

	if (!env->table_va)
		return (u64 *)(uintptr_t)(table + env->table_offset);
	return env->table_va(env->ctx, table);
}

static void sync_tables(struct pgtable *pt)
{
	pt->env->sync(pt->env->ctx);
}

static bool table_empty(const u64 *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (READ_ONCE(table[i]))
			return false;
	return true;
}

/* A zeroed table page, counted in table_pages; NULL when there is none. */
static u64 *alloc_table(struct pgtable *pt, phys_addr_t *phys)
{
	*phys = pt->env->alloc_table(pt->env->ctx);
	if (!*phys)
		return NULL;
	pt->table_pages++;
	return table_va(pt, *phys);
}

/* The "break" of break-before-make for the valid entry mapping va. */
static void break_entry(struct pgtable *pt, u64 *entry, int level, u64 va)
{
	u64 span = level_size(level);

	WRITE_ONCE(*entry, 0);
	pt->env->flush_tlb(pt->env->ctx, ALIGN_DOWN(va, span), span);
}

/* True for a table pgtable_pte_alloc() handed an entry of. */
static bool table_kept(const struct pgtable *pt, const u64 *entry)
{
	phys_addr_t table = desc_phys(READ_ONCE(*entry));

	for (unsigned int i = 0; i < pt->nr_kept; i++)
		if (pt->kept[i] == table)
			return true;
	return false;
}

/* The 2 MiB of VA one level-3 table maps, as struct pgtable's leaf_va. */
static u64 leaf_span_of(u64 va)
{
	return ALIGN_DOWN(va, level_size(LEAF_LEVEL - 1));
}

/* Any 2 MiB-aligned leaf_va differs from it. */
#define NO_LEAF_VA UL(1)

static void forget_leaf(struct pgtable *pt)
{
	pt->leaf_va = NO_LEAF_VA;
	pt->leaf_table = NULL;
}

/* Unhooks and frees the empty table that *entry points to. */
static void free_table(struct pgtable *pt, u64 *entry, int level, u64 va)
{
	phys_addr_t table = desc_phys(*entry);

	forget_leaf(pt);	/* it may be the cached table, or hold it */
	break_entry(pt, entry, level, va);	/* no walk may still reach it */
	pt->env->free_table(pt->env->ctx, table);
	pt->table_pages--;
}

/*
 * The next-level table for the entry mapping va: the one it points to, a
 * new empty one, or for a block one of equivalent smaller entries that
 * replaces it (break-before-make). NULL on -ENOMEM.
 */
static u64 *next_table(struct pgtable *pt, u64 *entry, int level, u64 va)
{
	u64 desc = READ_ONCE(*entry);
	u64 step = level_size(level + 1);
	phys_addr_t phys;
	u64 *table;

	if (desc_is_table(desc, level))
		return table_va(pt, desc_phys(desc));
	table = alloc_table(pt, &phys);
	if (!table)
		return NULL;
	if (desc_valid(desc)) {
		for (int i = 0; i < PTRS_PER_TABLE; i++)
			table[i] = make_leaf(level + 1, desc_phys(desc) + i * step, desc_prot(desc));
		break_entry(pt, entry, level, va);
	} else {
		sync_tables(pt);	/* its zeroes before the entry */
	}
	WRITE_ONCE(*entry, phys | DESC_TABLE);
	return table;
}

/* True when some page of [va, va + size) is mapped (or, !mapped, unmapped). */
static bool range_has(const struct pgtable *pt, u64 *table, int level, u64 va,
		      u64 size, bool mapped)
{
	while (size) {
		u64 n = entry_chunk(level, va, size);
		u64 desc = READ_ONCE(*entry_of(table, level, va));

		if (desc_is_table(desc, level)) {
			if (range_has(pt, table_va(pt, desc_phys(desc)), level + 1, va, n, mapped))
				return true;
		} else if (desc_valid(desc) == mapped) {
			return true;
		}
		va += n;
		size -= n;
	}
	return false;
}

static bool block_allowed(int level, u64 va, phys_addr_t pa, u64 size, unsigned int flags)
{
	if (level == 0 || (level < LEAF_LEVEL && (flags & PGTABLE_NO_BLOCKS)) ||
	    (level == 1 && (flags & PGTABLE_NO_1G)))
		return false;
	return size == level_size(level) && IS_ALIGNED(va | pa, size);
}

static int map_range(struct pgtable *pt, u64 *table, int level, u64 va, phys_addr_t pa,
		     u64 size, pgprot_t prot, unsigned int flags)
{
	while (size) {
		u64 n = entry_chunk(level, va, size);
		u64 *entry = entry_of(table, level, va);
		u64 *next;
		int err;

		/* No leaf in the range (see range_has()): invalid or a table. */
		if (!desc_valid(READ_ONCE(*entry)) && block_allowed(level, va, pa, n, flags)) {
			WRITE_ONCE(*entry, make_leaf(level, pa, prot));
		} else {
			next = next_table(pt, entry, level, va);
			if (!next)
				return -ENOMEM;
			err = map_range(pt, next, level + 1, va, pa, n, prot, flags);
			if (err) {
				if (table_empty(next) && !table_kept(pt, entry))
					free_table(pt, entry, level, va);
				return err;
			}
		}
		va += n;
		pa += n;
		size -= n;
	}
	return 0;
}

/* keep: tables that become empty stay (see pgtable_unmap_keep_tables()). */
static int unmap_range(struct pgtable *pt, u64 *table, int level, u64 va, u64 size, bool keep)
{
	while (size) {
		u64 n = entry_chunk(level, va, size);
		u64 *entry = entry_of(table, level, va);
		u64 desc = READ_ONCE(*entry);
		u64 *next;
		int err;

		if (desc_is_leaf(desc, level) && n == level_size(level)) {
			WRITE_ONCE(*entry, 0);	/* flushed with the whole range */
		} else if (desc_valid(desc)) {
			next = next_table(pt, entry, level, va);
			if (!next)
				return -ENOMEM;
			err = unmap_range(pt, next, level + 1, va, n, keep);
			if (!keep && table_empty(next) && !table_kept(pt, entry))
				free_table(pt, entry, level, va);
			if (err)
				return err;
		}
		va += n;
		size -= n;
	}
	return 0;
}

static int protect_range(struct pgtable *pt, u64 *table, int level, u64 va, u64 size,
			 pgprot_t prot)
{
	while (size) {
		u64 n = entry_chunk(level, va, size);
		u64 *entry = entry_of(table, level, va);
		u64 desc = READ_ONCE(*entry);
		u64 *next;
		int err;

		/* Every page is mapped (see range_has()): a leaf or a table. */
		if (desc_is_leaf(desc, level) && desc_prot(desc) == prot) {
			/* nothing to change */
		} else if (desc_is_leaf(desc, level) && n == level_size(level)) {
			break_entry(pt, entry, level, va);
			WRITE_ONCE(*entry, make_leaf(level, desc_phys(desc), prot));
		} else {
			next = next_table(pt, entry, level, va);
			if (!next)
				return -ENOMEM;
			err = protect_range(pt, next, level + 1, va, n, prot);
			if (err)
				return err;
		}
		va += n;
		size -= n;
	}
	return 0;
}

static void free_tables(struct pgtable *pt, phys_addr_t table, int level)
{
	u64 *entries = table_va(pt, table);

	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (desc_is_table(entries[i], level))
			free_tables(pt, desc_phys(entries[i]), level + 1);
	pt->env->free_table(pt->env->ctx, table);
	pt->table_pages--;
}

/* Page aligned, not empty, and within one 2^48 half: no wrap-around. */
static bool va_range_ok(u64 va, u64 size)
{
	u64 last = va + size - 1;

	return size && IS_ALIGNED(va | size, PAGE_SIZE) && last >= va &&
	       !((va ^ last) >> VA_BITS);
}

/* The attributes must leave the address and the type to us. */
static bool prot_ok(pgprot_t prot)
{
	return !(prot & (DESC_OA_MASK | DESC_TYPE_MASK));
}

int pgtable_init(struct pgtable *pt, const struct pgtable_env *env)
{
	pt->env = env;
	pt->table_pages = 0;
	pt->nr_kept = 0;
	forget_leaf(pt);
	return alloc_table(pt, &pt->root) ? 0 : -ENOMEM;
}

int pgtable_map(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, pgprot_t prot,
		unsigned int flags)
{
	u64 *root = table_va(pt, pt->root);
	phys_addr_t pa_last = pa + size - 1;
	int err;

	if (!va_range_ok(va, size) || !IS_ALIGNED(pa, PAGE_SIZE) || pa_last < pa ||
	    pa_last >> PHYS_BITS || !prot_ok(prot))
		return -EINVAL;
	if (range_has(pt, root, 0, va, size, true))
		return -EEXIST;
	err = map_range(pt, root, 0, va, pa, size, prot, flags);
	sync_tables(pt);
	return err;
}

int pgtable_unmap(struct pgtable *pt, u64 va, u64 size)
{
	int err;

	if (!va_range_ok(va, size))
		return -EINVAL;
	err = unmap_range(pt, table_va(pt, pt->root), 0, va, size, false);
	pt->env->flush_tlb(pt->env->ctx, va, size);
	return err;
}

/*
 * The last-level table for va, or NULL when the walk ends above it (in a
 * hole or at a block); remembered in pt->leaf_va/leaf_table.
 */
static __noinline u64 *walk_to_leaf(struct pgtable *pt, u64 va)
{
	u64 *table = table_va(pt, pt->root);

	for (int level = 0; level < LEAF_LEVEL; level++) {
		u64 desc = READ_ONCE(*entry_of(table, level, va));

		if (!desc_is_table(desc, level))
			return NULL;
		table = table_va(pt, desc_phys(desc));
	}
	pt->leaf_va = leaf_span_of(va);
	pt->leaf_table = table;
	return table;
}

/* walk_to_leaf(), without the walk when va's table is the one remembered. */
static inline u64 *find_leaf_table(struct pgtable *pt, u64 va)
{
	if (leaf_span_of(va) == pt->leaf_va)
		return pt->leaf_table;
	return walk_to_leaf(pt, va);
}

/*
 * The entry for va in the remembered level-3 table when that table also
 * holds the nr - 1 entries after it (nr not 0), else NULL.
 */
static inline u64 *remembered_ptes(const struct pgtable *pt, u64 va, u64 nr)
{
	unsigned int first = (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);

	if (leaf_span_of(va) != pt->leaf_va || nr - 1 >= PTRS_PER_TABLE - first)
		return NULL;
	return pt->leaf_table + first;
}

/*
 * One walk per last-level table, then its entries cleared in a row: the
 * common case of pages in kept tables. A block on the way is split by the
 * general path.
 */
static __noinline int unmap_keep_tables_walk(struct pgtable *pt, u64 va, u64 size)
{
	u64 start = va, total = size;
	int err = 0;

	while (size && !err) {
		unsigned int first = (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
		u64 n = min(size, (u64)(PTRS_PER_TABLE - first) << PAGE_SHIFT);
		u64 *table = find_leaf_table(pt, va);

		if (table) {
			for (unsigned int i = 0; i < n >> PAGE_SHIFT; i++)
				WRITE_ONCE(table[first + i], 0);
		} else {
			/* A hole (nothing to do) or a block to split. */
			err = unmap_range(pt, table_va(pt, pt->root), 0, va, n, true);
		}
		va += n;
		size -= n;
	}
	pt->env->flush_tlb(pt->env->ctx, start, total);
	return err;
}

int pgtable_unmap_keep_tables(struct pgtable *pt, u64 va, u64 size)
{
	/*
	 * Within the remembered table (vmalloc's common case): no walk at
	 * all, and a page-aligned range there is a valid one.
	 */
	u64 *pte = remembered_ptes(pt, va, size >> PAGE_SHIFT);

	if (!pte || !IS_ALIGNED(va | size, PAGE_SIZE)) {
		if (!va_range_ok(va, size))
			return -EINVAL;
		return unmap_keep_tables_walk(pt, va, size);
	}
	for (u64 i = 0; i < size >> PAGE_SHIFT; i++)
		WRITE_ONCE(pte[i], 0);
	pt->env->flush_tlb(pt->env->ctx, va, size);
	return 0;
}

/* The last-level table for va, made (or split from a block) as needed. */
static u64 *leaf_table(struct pgtable *pt, u64 va)
{
	u64 *table = find_leaf_table(pt, va);

	if (table)
		return table;
	table = table_va(pt, pt->root);
	for (int level = 0; table && level < LEAF_LEVEL; level++) {
		u64 *entry = entry_of(table, level, va);
		u64 desc = READ_ONCE(*entry);

		table = desc_is_table(desc, level) ? table_va(pt, desc_phys(desc))
						   : next_table(pt, entry, level, va);
	}
	return table;
}

/* Writes nr page entries from pte on; -EEXIST (the rest left) at a valid one. */
static __always_inline int set_ptes(u64 *pte, struct page *const *pages, unsigned int nr,
				    pgprot_t prot)
{
	for (u64 *end = pte + nr; pte != end; pte++, pages++) {
		if (*pte)
			return -EEXIST;
		WRITE_ONCE(*pte, make_leaf(LEAF_LEVEL,
					   (phys_addr_t)page_to_pfn(*pages) << PAGE_SHIFT, prot));
	}
	return 0;
}

static __noinline int map_pages_walk(struct pgtable *pt, u64 va, struct page *const *pages,
				     unsigned int nr, pgprot_t prot)
{
	int err = 0;

	while (nr && !err) {
		unsigned int first = (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
		unsigned int n = min(nr, PTRS_PER_TABLE - first);
		u64 *table = leaf_table(pt, va);

		err = table ? set_ptes(table + first, pages, n, prot) : -ENOMEM;
		pages += n;
		va += (u64)n << PAGE_SHIFT;
		nr -= n;
	}
	sync_tables(pt);
	return err;
}

int pgtable_map_pages(struct pgtable *pt, u64 va, struct page *const *pages, unsigned int nr,
		      pgprot_t prot)
{
	/* As in pgtable_unmap_keep_tables(). */
	u64 *pte = remembered_ptes(pt, va, nr);
	int err;

	if (!prot_ok(prot))
		return -EINVAL;
	if (!pte || !IS_ALIGNED(va, PAGE_SIZE)) {
		if (!nr || !va_range_ok(va, (u64)nr << PAGE_SHIFT))
			return -EINVAL;
		return map_pages_walk(pt, va, pages, nr, prot);
	}
	err = set_ptes(pte, pages, nr, prot);
	sync_tables(pt);
	return err;
}

int pgtable_protect(struct pgtable *pt, u64 va, u64 size, pgprot_t prot)
{
	u64 *root = table_va(pt, pt->root);
	int err;

	if (!va_range_ok(va, size) || !prot_ok(prot))
		return -EINVAL;
	if (range_has(pt, root, 0, va, size, false))
		return -ENOENT;
	err = protect_range(pt, root, 0, va, size, prot);
	sync_tables(pt);
	return err;
}

/*
 * Down to va's level-3 entry, making tables; the last one is kept. Undoes
 * the tables it made when that fails.
 */
static u64 *pte_alloc(struct pgtable *pt, u64 *table, int level, u64 va)
{
	u64 *entry = entry_of(table, level, va);
	u64 *next, *pte = NULL;

	if (desc_is_leaf(READ_ONCE(*entry), level))
		return NULL;
	next = next_table(pt, entry, level, va);
	if (!next)
		return NULL;
	if (level < LEAF_LEVEL - 1) {
		pte = pte_alloc(pt, next, level + 1, va);
	} else if (table_kept(pt, entry)) {
		pte = entry_of(next, LEAF_LEVEL, va);
	} else if (pt->nr_kept < PGTABLE_MAX_KEPT) {
		pt->kept[pt->nr_kept++] = desc_phys(READ_ONCE(*entry));
		pte = entry_of(next, LEAF_LEVEL, va);
	}
	if (!pte && table_empty(next) && !table_kept(pt, entry))
		free_table(pt, entry, level, va);
	return pte;
}

u64 *pgtable_pte_alloc(struct pgtable *pt, u64 va)
{
	u64 *pte;

	if (!va_range_ok(va, PAGE_SIZE))
		return NULL;
	pte = pte_alloc(pt, table_va(pt, pt->root), 0, va);
	sync_tables(pt);
	return pte;
}

bool pgtable_walk(const struct pgtable *pt, u64 va, struct pgtable_walk *w)
{
	u64 *table = table_va(pt, pt->root);
	u64 desc;

	for (int level = 0;; level++) {
		desc = READ_ONCE(*entry_of(table, level, va));
		if (!desc_is_table(desc, level)) {
			w->level = level;
			w->size = level_size(level);
			break;
		}
		table = table_va(pt, desc_phys(desc));
	}
	w->desc = desc_valid(desc) ? desc : 0;
	w->phys = desc_valid(desc) ? desc_phys(desc) + (va & (w->size - 1)) : 0;
	return desc_valid(desc);
}

void pgtable_destroy(struct pgtable *pt)
{
	forget_leaf(pt);
	free_tables(pt, pt->root, 0);
	pt->root = 0;
}
