/*
 * mm/pgtable.c over simulated memory: SIM_PAGES table pages at a fake
 * physical base, handed out zeroed and poisoned when freed. The hooks check
 * the rules as they are used: table_va and free_table accept only pages in
 * use, a sync must not find a new table linked before an earlier sync made
 * its contents visible, and a TLB flush must find every store synced and its
 * range unmapped (break-before-make). After each operation every table is
 * counted, non-empty and synced. A random sequence runs against a model.
 */
#include <asm/pgtable-hwdef.h>
#include <mk64/compiler.h>
#include <mk64/errno.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>
#include <mk64/string.h>
#include "../fixture.h"

#define SZ_4K PAGE_SIZE
#define SZ_1M (UL(1) << 20)
#define SZ_2M (UL(1) << 21)
#define SZ_1G (UL(1) << 30)
#define SZ_512G (UL(1) << 39)

#define SIM_PAGES 32
#define SIM_PHYS UL(0x1000000000)	/* clear of every PA the tests map */
#define SIM_POISON UL(0xdeadbeefdeadbeef)	/* a table descriptor to nowhere */
#define FLUSH_LOG 32

#define ADDR_MASK UL(0x0000fffffffff000)
#define TYPE_MASK UL(3)

/* Test addresses: TTBR1 at a 512G boundary (root entries 0 and 1), RAM. */
#define VA_BASE UL(0xffff000000000000)
#define VA_512G (VA_BASE + SZ_512G)
#define PA_RAM UL(0x40000000)

/* Random test: a window of WIN_UNITS units of 4K or 2M around VA_512G. */
#define WIN_UNITS 2048

struct window {
	u64 va;
	u64 unit;
	bool pages;	/* unaligned PAs and PGTABLE_NO_BLOCKS too */
};

static struct sim {
	u64 (*page)[PTRS_PER_TABLE];	/* SIM_PAGES of them, in the fixture */
	bool used[SIM_PAGES];
	bool fresh[SIM_PAGES];		/* allocated since the last sync */
	unsigned int in_use;
	int allocs_left;		/* before alloc_table fails; < 0: no limit */
	struct ktest *t;
	const struct pgtable *pt;
	u64 synced_hash;		/* of the tables at the last sync */
	unsigned long syncs;
	bool check_flush;		/* flushed ranges must be unmapped */
	unsigned int nflush;
	struct { u64 va, size; } flush[FLUSH_LOG];
	const struct window *win;	/* units wholly flushed go to fx->win_flushed */
} sim;

/* The random test's model: what each unit of the window maps. */
struct model {
	phys_addr_t pa[WIN_UNITS];	/* 0: unmapped */
	u8 prot[WIN_UNITS];
};

/*
 * A case's memory, in fixture memory (tests/fixture.h). The table pages
 * come last, so that on the host ASan sees an access past the last one.
 */
static struct pgtable_state {
	struct model model, before;
	bool win_flushed[WIN_UNITS];
	u64 page[SIM_PAGES][PTRS_PER_TABLE] __aligned(PAGE_SIZE);
} *fx;

static void fixture_init(void *mem)
{
	fx = mem;
	sim.page = fx->page;
}

static const struct test_fixture pgtable_fixture = { sizeof(*fx), fixture_init, NULL };

static const pgprot_t prots[] = {
	PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_ROX, PAGE_KERNEL_EXEC, PAGE_KERNEL_DEVICE,
};

static u64 level_bytes(int level)
{
	return UL(1) << (PAGE_SHIFT + 9 * (3 - level));
}

static pgprot_t desc_prot(u64 desc)
{
	return desc & ~(ADDR_MASK | TYPE_MASK);
}

static u64 mix(u64 x)
{
	x ^= x >> 33;
	x *= UL(0xff51afd7ed558ccd);
	return x ^ (x >> 33);
}

static unsigned int sim_index(phys_addr_t phys, const char *who)
{
	u64 i = (phys - SIM_PHYS) / PAGE_SIZE;

	if (phys < SIM_PHYS || i >= SIM_PAGES || !IS_ALIGNED(phys, PAGE_SIZE) || !sim.used[i])
		ktest_fail(sim.t, true, __FILE__, __LINE__,
			   "%s(%#lx): not a table page in use", who, phys);
	return i;
}

static phys_addr_t sim_alloc(void *ctx)
{
	struct sim *s = ctx;

	if (s->allocs_left == 0)
		return 0;
	for (unsigned int p = 0; p < SIM_PAGES; p++) {
		if (s->used[p])
			continue;
		if (s->allocs_left > 0)
			s->allocs_left--;
		s->used[p] = true;
		s->fresh[p] = true;
		s->in_use++;
		memset(s->page[p], 0, PAGE_SIZE);
		return SIM_PHYS + p * PAGE_SIZE;
	}
	return 0;
}

static void sim_free(void *ctx, phys_addr_t table)
{
	struct sim *s = ctx;
	unsigned int p = sim_index(table, "free_table");

	s->used[p] = false;
	s->in_use--;
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		s->page[p][i] = SIM_POISON;
}

static u64 *sim_table_va(void *ctx, phys_addr_t table)
{
	struct sim *s = ctx;

	return s->page[sim_index(table, "table_va")];
}

struct tree_stats {
	unsigned long tables;
	unsigned long empty;	/* non-root tables without a valid entry */
	unsigned long junk;	/* invalid entries that are not 0 */
	unsigned long fresh;	/* tables linked since they were allocated, unsynced */
	u64 mapped;		/* bytes */
	u64 hash;		/* of every non-zero entry and where it is */
};

/* pgtable_pte_alloc() keeps its tables even when they are empty. */
static bool table_is_kept(phys_addr_t table)
{
	for (unsigned int i = 0; i < sim.pt->nr_kept; i++)
		if (sim.pt->kept[i] == table)
			return true;
	return false;
}

static void scan_table(phys_addr_t table, int level, struct tree_stats *st)
{
	unsigned int p = sim_index(table, "table entry");
	const u64 *entry = sim.page[p];
	bool empty = true;

	st->tables++;
	st->fresh += level > 0 && sim.fresh[p];
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		if (entry[i])
			st->hash += mix(entry[i] ^ mix(p * PTRS_PER_TABLE + i + 1));
		if (!(entry[i] & 1)) {
			st->junk += entry[i] != 0;
			continue;
		}
		empty = false;
		if (level < 3 && (entry[i] & TYPE_MASK) == DESC_TABLE)
			scan_table(entry[i] & ADDR_MASK, level + 1, st);
		else
			st->mapped += level_bytes(level);
	}
	st->empty += empty && level > 0 && !table_is_kept(table);
}

static struct tree_stats scan_tables(void)
{
	struct tree_stats st = { 0 };

	scan_table(sim.pt->root, 0, &st);
	return st;
}

/* What the walker can see: the contents of every reachable table. */
static u64 tables_hash(void)
{
	return scan_tables().hash;
}

/* Also checks that no new table was linked before its zeroes were synced. */
static void sim_sync(void *ctx)
{
	struct sim *s = ctx;
	struct tree_stats st = scan_tables();

	if (st.fresh)
		ktest_fail(s->t, false, __FILE__, __LINE__,
			   "a new table was linked before a sync made its contents visible");
	for (unsigned int p = 0; p < SIM_PAGES; p++)
		s->fresh[p] = false;
	s->syncs++;
	s->synced_hash = st.hash;
}

/* Marks the window units that [va, va + size) covers whole. */
static void mark_flushed(const struct window *win, u64 va, u64 size)
{
	u64 end = win->va + WIN_UNITS * win->unit;
	u64 lo = max(va, win->va), hi = min(va + size, end);

	for (u64 a = ALIGN_UP(lo, win->unit); a + win->unit <= hi; a += win->unit)
		fx->win_flushed[(a - win->va) / win->unit] = true;
}

/* True when a page of [va, va + size) is mapped; *where is the first one. */
static bool first_mapped(const struct pgtable *pt, u64 va, u64 size, u64 *where)
{
	struct pgtable_walk w;
	u64 step;

	for (; size; va += step, size -= step) {
		if (pgtable_walk(pt, va, &w)) {
			*where = va;
			return true;
		}
		step = min(w.size - (va & (w.size - 1)), size);
	}
	return false;
}

/* A sync first, as the kernel's flush (DSB ISHST before the TLBIs). */
static void sim_flush_tlb(void *ctx, u64 va, u64 size)
{
	struct sim *s = ctx;
	u64 where;

	sim_sync(ctx);
	if (s->nflush < FLUSH_LOG) {
		s->flush[s->nflush].va = va;
		s->flush[s->nflush].size = size;
	}
	s->nflush++;
	if (s->win)
		mark_flushed(s->win, va, size);
	if (!s->check_flush)
		return;
	if (first_mapped(s->pt, va, size, &where))
		ktest_fail(s->t, false, __FILE__, __LINE__,
			   "flush_tlb(%#lx, %#lx) while %#lx is still mapped", va, size, where);
}

static const struct pgtable_env sim_env = {
	.alloc_table = sim_alloc,
	.free_table = sim_free,
	.table_va = sim_table_va,
	.sync = sim_sync,
	.flush_tlb = sim_flush_tlb,
	.ctx = &sim,
};

/* Resets the simulation and makes pt an empty table set over it. */
static void start(struct ktest *t, struct pgtable *pt)
{
	for (unsigned int p = 0; p < SIM_PAGES; p++) {
		sim.used[p] = false;
		sim.fresh[p] = false;
		for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
			sim.page[p][i] = SIM_POISON;
	}
	sim.in_use = 0;
	sim.allocs_left = -1;
	sim.t = t;
	sim.pt = pt;
	sim.synced_hash = 0;
	sim.syncs = 0;
	sim.check_flush = true;
	sim.nflush = 0;
	sim.win = NULL;
	KTEST_ASSERT_EQ(t, pgtable_init(pt, &sim_env), 0);
	KTEST_ASSERT_EQ(t, pt->table_pages, 1UL);
	KTEST_ASSERT_EQ(t, sim.in_use, 1u);
}

/* Frees everything and checks that the simulated memory is all free again. */
static void finish(struct ktest *t, struct pgtable *pt)
{
	pgtable_destroy(pt);
	KTEST_EXPECT_EQ(t, pt->table_pages, 0UL);
	KTEST_EXPECT_EQ(t, sim.in_use, 0u);
}

/*
 * Every table reachable, counted in table_pages and by the allocator, none
 * empty but the root, and every store synced. Returns the bytes mapped.
 */
static u64 check_tables(struct ktest *t, int line, const struct pgtable *pt)
{
	struct tree_stats st = scan_tables();

	if (st.tables != pt->table_pages || st.tables != sim.in_use || st.empty || st.junk)
		ktest_fail(t, false, __FILE__, line,
			   "%lu tables, table_pages %lu, %u pages in use, %lu empty, %lu junk",
			   st.tables, pt->table_pages, sim.in_use, st.empty, st.junk);
	if (st.hash != sim.synced_hash)
		ktest_fail(t, false, __FILE__, line, "tables changed since the last sync");
	return st.mapped;
}

#define CHECK_TABLES(pt) check_tables(t, __LINE__, pt)

static void expect_leaf(struct ktest *t, int line, const struct pgtable *pt, u64 va,
			int level, phys_addr_t pa, pgprot_t prot)
{
	u64 size = level_bytes(level);
	u64 want = ALIGN_DOWN(pa, size) | prot | (level == 3 ? DESC_PAGE : DESC_BLOCK);
	struct pgtable_walk w;
	bool mapped = pgtable_walk(pt, va, &w);

	if (mapped && w.level == level && w.size == size && w.phys == pa && w.desc == want)
		return;
	ktest_fail(t, false, __FILE__, line, "walk(%#lx): %s level %d size %#lx phys %#lx",
		   va, mapped ? "mapped" : "hole", w.level, w.size, w.phys);
	ktest_info(t, "desc %#lx, want level %d phys %#lx desc %#lx", w.desc, level, pa, want);
}

static void expect_hole(struct ktest *t, int line, const struct pgtable *pt, u64 va,
			int level)
{
	struct pgtable_walk w;
	bool mapped = pgtable_walk(pt, va, &w);

	if (mapped || w.level != level || w.size != level_bytes(level) || w.desc || w.phys)
		ktest_fail(t, false, __FILE__, line,
			   "walk(%#lx): %s level %d size %#lx desc %#lx, want a level %d hole",
			   va, mapped ? "mapped" : "hole", w.level, w.size, w.desc, level);
}

/* Every page of [va, va + size) maps pa + its offset with prot. */
static void expect_linear(struct ktest *t, int line, const struct pgtable *pt, u64 va,
			  u64 size, phys_addr_t pa, pgprot_t prot)
{
	struct pgtable_walk w;

	for (u64 off = 0; off < size; off += w.size - ((va + off) & (w.size - 1))) {
		if (!pgtable_walk(pt, va + off, &w) || w.phys != pa + off ||
		    desc_prot(w.desc) != prot) {
			ktest_fail(t, false, __FILE__, line,
				   "walk(%#lx): phys %#lx desc %#lx, want phys %#lx prot %#lx",
				   va + off, w.phys, w.desc, pa + off, prot);
			return;
		}
	}
}

#define EXPECT_LEAF(pt, va, level, pa, prot) expect_leaf(t, __LINE__, pt, va, level, pa, prot)
#define EXPECT_HOLE(pt, va, level) expect_hole(t, __LINE__, pt, va, level)
#define EXPECT_LINEAR(pt, va, size, pa, prot) expect_linear(t, __LINE__, pt, va, size, pa, prot)

static bool flush_logged(u64 va, u64 size)
{
	for (unsigned int i = 0; i < min(sim.nflush, (unsigned int)FLUSH_LOG); i++)
		if (sim.flush[i].va == va && sim.flush[i].size == size)
			return true;
	return false;
}

/* The largest block that VA, PA and flags allow, and the walk inside it. */
FIXTURE_CASE(map_picks_block_size, pgtable_fixture)
{
	const u64 va = VA_BASE + SZ_1G;
	struct pgtable pt;

	start(t, &pt);
	/* 1G + 2M + 4K, all aligned: one of each size. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_1G + SZ_2M + SZ_4K, PAGE_KERNEL, 0), 0);
	EXPECT_LEAF(&pt, va, 1, PA_RAM, PAGE_KERNEL);
	EXPECT_LEAF(&pt, va + SZ_1G - SZ_4K, 1, PA_RAM + SZ_1G - SZ_4K, PAGE_KERNEL);
	EXPECT_LEAF(&pt, va + SZ_1G + 0x1234, 2, PA_RAM + SZ_1G + 0x1234, PAGE_KERNEL);
	EXPECT_LEAF(&pt, va + SZ_1G + SZ_2M - 8, 2, PA_RAM + SZ_1G + SZ_2M - 8, PAGE_KERNEL);
	EXPECT_LEAF(&pt, va + SZ_1G + SZ_2M + 0xff8, 3, PA_RAM + SZ_1G + SZ_2M + 0xff8, PAGE_KERNEL);
	EXPECT_HOLE(&pt, va + SZ_1G + SZ_2M + SZ_4K, 3);
	EXPECT_HOLE(&pt, va - SZ_4K, 1);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G + SZ_2M + SZ_4K);

	/* PGTABLE_NO_1G: 2M blocks where a 1G block would fit. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 4 * SZ_1G, PA_RAM, SZ_1G, PAGE_KERNEL_RO,
				       PGTABLE_NO_1G), 0);
	EXPECT_LEAF(&pt, va + 4 * SZ_1G, 2, PA_RAM, PAGE_KERNEL_RO);
	EXPECT_LEAF(&pt, va + 5 * SZ_1G - SZ_4K, 2, PA_RAM + SZ_1G - SZ_4K, PAGE_KERNEL_RO);

	/* PGTABLE_NO_BLOCKS: pages where a 2M block would fit. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 8 * SZ_1G, PA_RAM, SZ_2M, PAGE_KERNEL_ROX,
				       PGTABLE_NO_BLOCKS), 0);
	EXPECT_LEAF(&pt, va + 8 * SZ_1G, 3, PA_RAM, PAGE_KERNEL_ROX);
	EXPECT_LEAF(&pt, va + 8 * SZ_1G + SZ_2M - SZ_4K, 3, PA_RAM + SZ_2M - SZ_4K, PAGE_KERNEL_ROX);

	/* PA 2M- but not 1G-aligned with the VA: 2M blocks. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 12 * SZ_1G, PA_RAM + SZ_2M, SZ_1G,
				       PAGE_KERNEL_EXEC, 0), 0);
	EXPECT_LEAF(&pt, va + 12 * SZ_1G, 2, PA_RAM + SZ_2M, PAGE_KERNEL_EXEC);
	EXPECT_LEAF(&pt, va + 13 * SZ_1G - SZ_4K, 2, PA_RAM + SZ_2M + SZ_1G - SZ_4K,
		    PAGE_KERNEL_EXEC);

	/* PA off by a page from the VA's alignment: pages only. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 16 * SZ_1G, PA_RAM + SZ_4K, SZ_2M + SZ_4K,
				       PAGE_KERNEL_DEVICE, 0), 0);
	EXPECT_LEAF(&pt, va + 16 * SZ_1G, 3, PA_RAM + SZ_4K, PAGE_KERNEL_DEVICE);
	EXPECT_LEAF(&pt, va + 16 * SZ_1G + SZ_2M, 3, PA_RAM + SZ_2M + SZ_4K, PAGE_KERNEL_DEVICE);
	/* ...and so is a VA one page past a 2M boundary for an aligned PA. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 20 * SZ_1G + SZ_4K, PA_RAM, 2 * SZ_2M,
				       PAGE_KERNEL, 0), 0);
	EXPECT_LEAF(&pt, va + 20 * SZ_1G + SZ_2M, 3, PA_RAM + SZ_2M - SZ_4K, PAGE_KERNEL);

	/* TTBR0 (its own 1G: bits 63:48 are not translated) and the last page. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, 32 * SZ_1G, PA_RAM, SZ_2M, PAGE_KERNEL_EXEC, 0), 0);
	EXPECT_LEAF(&pt, 32 * SZ_1G + 8, 2, PA_RAM + 8, PAGE_KERNEL_EXEC);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, ~0UL - SZ_4K + 1, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	EXPECT_LEAF(&pt, ~0UL, 3, PA_RAM + SZ_4K - 1, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), (SZ_1G + SZ_2M + SZ_4K) + SZ_1G + SZ_2M + SZ_1G +
			(SZ_2M + SZ_4K) + 2 * SZ_2M + SZ_2M + SZ_4K);
	KTEST_EXPECT_EQ(t, sim.nflush, 0u);

	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va, SZ_1G + SZ_2M + SZ_4K), 0);
	for (u64 g = 4; g <= 12; g += 4)
		KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va + g * SZ_1G, SZ_1G), 0);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va + 16 * SZ_1G, SZ_2M + SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va + 20 * SZ_1G + SZ_4K, 2 * SZ_2M), 0);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, 32 * SZ_1G, SZ_2M), 0);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, ~0UL - SZ_4K + 1, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
	finish(t, &pt);
}

/* A hole reports the level of the empty entry and the size it spans. */
FIXTURE_CASE(walk_reports_holes, pgtable_fixture)
{
	struct pgtable pt;

	start(t, &pt);
	EXPECT_HOLE(&pt, VA_BASE, 0);
	EXPECT_HOLE(&pt, 0, 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G + SZ_1G + SZ_2M, PA_RAM, SZ_4K,
				       PAGE_KERNEL, 0), 0);
	EXPECT_HOLE(&pt, VA_BASE, 0);
	EXPECT_HOLE(&pt, VA_512G, 1);
	EXPECT_HOLE(&pt, VA_512G + SZ_1G, 2);
	EXPECT_HOLE(&pt, VA_512G + SZ_1G + SZ_2M + SZ_4K, 3);
	EXPECT_LEAF(&pt, VA_512G + SZ_1G + SZ_2M, 3, PA_RAM, PAGE_KERNEL);
	/* Bits 63:48 are not translated: the TTBR0 alias walks the same. */
	EXPECT_LEAF(&pt, (VA_512G + SZ_1G + SZ_2M) & ~VA_BASE, 3, PA_RAM, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, VA_512G + SZ_1G + SZ_2M, SZ_4K), 0);
	EXPECT_HOLE(&pt, VA_512G + SZ_1G + SZ_2M, 0);
	finish(t, &pt);
}

FIXTURE_CASE(rejects_bad_input, pgtable_fixture)
{
	const u64 va = VA_BASE, top = ~0UL - SZ_4K + 1, pa_top = (UL(1) << 48) - SZ_4K;
	struct pgtable pt;

	start(t, &pt);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va + 0x800, PA_RAM, SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, PA_RAM + 8, SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K + 1, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, PA_RAM, 0, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, top, PA_RAM, 2 * SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	/* Across bit 48 the table index wraps: refused as a wrap-around too. */
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, VA_BASE - SZ_4K, PA_RAM, 2 * SZ_4K, PAGE_KERNEL, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, pa_top + SZ_4K, SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, pa_top, 2 * SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, top, 2 * SZ_4K, PAGE_KERNEL, 0), -EINVAL);
	/* Attributes must not carry address or type bits. */
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K, PAGE_KERNEL | SZ_4K, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K, PAGE_KERNEL | 1, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va + 8, SZ_4K), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, top, 2 * SZ_4K), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, 2 * SZ_4K, 0 - SZ_4K), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, 2 * SZ_4K, 0 - SZ_4K, PAGE_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va, SZ_4K - 8, PAGE_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, top, 2 * SZ_4K, PAGE_KERNEL), -EINVAL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
	KTEST_EXPECT_EQ(t, sim.in_use, 1u);
	KTEST_EXPECT_EQ(t, sim.syncs, 0UL);
	KTEST_EXPECT_EQ(t, sim.nflush, 0u);

	/* The limits themselves are fine. */
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, top, pa_top, SZ_4K, PAGE_KERNEL, 0), 0);
	EXPECT_LEAF(&pt, top, 3, pa_top, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, top, SZ_4K, PAGE_KERNEL_RO | 2), -EINVAL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, top, SZ_4K, PAGE_KERNEL_RO), 0);
	EXPECT_LEAF(&pt, top, 3, pa_top, PAGE_KERNEL_RO);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, top, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

/* -EEXIST on any overlap, with not a single word of the tables changed. */
FIXTURE_CASE(map_refuses_overlap, pgtable_fixture)
{
	const u64 block = VA_BASE + SZ_1G + SZ_2M, page = VA_BASE + 4 * SZ_1G;
	const struct { u64 va, size; } overlaps[] = {
		{ block, SZ_2M },
		{ block + SZ_4K, SZ_4K },
		{ block - SZ_4K, 2 * SZ_4K },
		{ block + SZ_2M - SZ_4K, SZ_2M },
		{ VA_BASE, 4 * SZ_1G + SZ_4K },	/* tables to make before the page */
		{ page - SZ_2M, SZ_2M + SZ_4K },
		{ page, SZ_512G - 4 * SZ_1G },
	};
	unsigned long syncs, pages;
	struct pgtable pt;
	u64 hash;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, block, PA_RAM, SZ_2M, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, page, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	hash = tables_hash();
	syncs = sim.syncs;
	pages = pt.table_pages;
	for (unsigned int i = 0; i < ARRAY_SIZE(overlaps); i++) {
		KTEST_EXPECT_EQ(t, pgtable_map(&pt, overlaps[i].va, PA_RAM, overlaps[i].size,
					       PAGE_KERNEL_RO, PGTABLE_NO_BLOCKS), -EEXIST);
		KTEST_EXPECT_EQ(t, pgtable_map(&pt, overlaps[i].va, PA_RAM, overlaps[i].size,
					       PAGE_KERNEL_RO, 0), -EEXIST);
	}
	KTEST_EXPECT_EQ(t, tables_hash(), hash);
	KTEST_EXPECT_EQ(t, sim.syncs, syncs);
	KTEST_EXPECT_EQ(t, pt.table_pages, pages);
	KTEST_EXPECT_EQ(t, sim.in_use, pages);
	KTEST_EXPECT_EQ(t, sim.nflush, 0u);
	EXPECT_LEAF(&pt, block, 2, PA_RAM, PAGE_KERNEL);

	/* Right next to both is free. */
	KTEST_EXPECT_EQ(t, pgtable_map(&pt, block + SZ_2M, PA_RAM, page - block - SZ_2M,
				       PAGE_KERNEL_RO, 0), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), page - block + SZ_4K);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, block, page - block + SZ_4K), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

/* A 1G block loses one page: 2M blocks around a table of pages. */
FIXTURE_CASE(unmap_splits_block, pgtable_fixture)
{
	const u64 va = VA_512G + 3 * SZ_1G, hole = va + SZ_2M + SZ_4K;
	const pgprot_t prot = PAGE_KERNEL_EXEC;
	struct pgtable pt;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_1G, prot, 0), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 2UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, hole, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	EXPECT_LEAF(&pt, va, 2, PA_RAM, prot);
	EXPECT_LEAF(&pt, va + SZ_2M, 3, PA_RAM + SZ_2M, prot);
	EXPECT_HOLE(&pt, hole, 3);
	EXPECT_LEAF(&pt, hole + SZ_4K, 3, PA_RAM + SZ_2M + 2 * SZ_4K, prot);
	EXPECT_LEAF(&pt, va + 2 * SZ_2M - SZ_4K, 3, PA_RAM + 2 * SZ_2M - SZ_4K, prot);
	EXPECT_LEAF(&pt, va + 2 * SZ_2M, 2, PA_RAM + 2 * SZ_2M, prot);
	EXPECT_LEAF(&pt, va + SZ_1G - SZ_4K, 2, PA_RAM + SZ_1G - SZ_4K, prot);
	EXPECT_LINEAR(&pt, va, hole - va, PA_RAM, prot);
	EXPECT_LINEAR(&pt, hole + SZ_4K, va + SZ_1G - hole - SZ_4K, PA_RAM + hole + SZ_4K - va,
		      prot);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G - SZ_4K);
	/* Each block went invalid and out of the TLB before its table went in. */
	KTEST_EXPECT_TRUE(t, flush_logged(va, SZ_1G));
	KTEST_EXPECT_TRUE(t, flush_logged(va + SZ_2M, SZ_2M));
	KTEST_EXPECT_TRUE(t, flush_logged(hole, SZ_4K));

	/* A 2M-aligned cut splits the 1G level only. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + SZ_1G, PA_RAM, SZ_1G, prot, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, va + SZ_1G + 8 * SZ_2M, 2 * SZ_2M), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	EXPECT_LEAF(&pt, va + SZ_1G + 8 * SZ_2M - SZ_4K, 2, PA_RAM + 8 * SZ_2M - SZ_4K, prot);
	EXPECT_HOLE(&pt, va + SZ_1G + 9 * SZ_2M, 2);
	EXPECT_LEAF(&pt, va + SZ_1G + 10 * SZ_2M, 2, PA_RAM + 10 * SZ_2M, prot);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 2 * SZ_1G - SZ_4K - 2 * SZ_2M);
	finish(t, &pt);
}

/* Emptied tables go back, up to the root, whatever the holes. */
FIXTURE_CASE(unmap_frees_tables, pgtable_fixture)
{
	const u64 va = VA_512G + SZ_4K;
	struct pgtable pt;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, va, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
	/* Each freed table's range left the TLB (walk caches). */
	KTEST_EXPECT_TRUE(t, flush_logged(VA_512G, SZ_2M));
	KTEST_EXPECT_TRUE(t, flush_logged(VA_512G, SZ_1G));
	KTEST_EXPECT_TRUE(t, flush_logged(VA_512G, SZ_512G));
	KTEST_EXPECT_TRUE(t, flush_logged(va, SZ_4K));

	/* Scattered mappings, one unmap with holes between them. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + 3 * SZ_2M, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G + 2 * SZ_1G, PA_RAM, SZ_2M, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G - SZ_1G, 0, SZ_1G, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G + SZ_512G, 0, SZ_4K, PAGE_KERNEL, 0), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G + SZ_2M + 3 * SZ_4K);
	/* Holes only: nothing to do. */
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_512G + 3 * SZ_1G, 8 * SZ_1G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G + SZ_2M + 3 * SZ_4K);
	/* A range that cuts no block but leaves the outermost ones. */
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_512G, SZ_512G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G + SZ_4K);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_BASE, 3 * SZ_512G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);

	/* destroy frees a populated set too. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, 5 * SZ_2M, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, 0, PA_RAM, SZ_4K, PAGE_KERNEL, 0), 0);
	KTEST_EXPECT_GT(t, sim.in_use, 5u);
	finish(t, &pt);
}

/*
 * pgtable_unmap_keep_tables(): the same holes and TLB maintenance as
 * pgtable_unmap(), across two last-level tables, but emptied tables stay
 * (vmalloc maps there again); a block in the way is still split; holes are
 * fine; pgtable_unmap() later frees the kept tables.
 */
FIXTURE_CASE(unmap_keep_tables, pgtable_fixture)
{
	const u64 va = VA_512G + SZ_2M - 3 * SZ_4K, blk = VA_512G + SZ_1G;
	const pgprot_t prot = PAGE_KERNEL;
	struct pgtable pt;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, 6 * SZ_4K, prot, PGTABLE_NO_BLOCKS), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);	/* root, L1, L2 and two L3 */
	KTEST_ASSERT_EQ(t, pgtable_unmap_keep_tables(&pt, va + SZ_4K, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	EXPECT_LEAF(&pt, va, 3, PA_RAM, prot);
	for (int i = 1; i < 5; i++)
		EXPECT_HOLE(&pt, va + i * SZ_4K, 3);
	EXPECT_LEAF(&pt, va + 5 * SZ_4K, 3, PA_RAM + 5 * SZ_4K, prot);
	KTEST_EXPECT_TRUE(t, flush_logged(va + SZ_4K, 4 * SZ_4K));
	KTEST_ASSERT_EQ(t, pgtable_unmap_keep_tables(&pt, va - SZ_1G, 2 * SZ_1G), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	EXPECT_HOLE(&pt, va, 3);
	EXPECT_HOLE(&pt, va + 5 * SZ_4K, 3);

	KTEST_ASSERT_EQ(t, pgtable_map(&pt, blk, PA_RAM, SZ_2M, prot, 0), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 6UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap_keep_tables(&pt, blk + SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 7UL);
	EXPECT_LEAF(&pt, blk, 3, PA_RAM, prot);
	EXPECT_HOLE(&pt, blk + SZ_4K, 3);
	EXPECT_LEAF(&pt, blk + 2 * SZ_4K, 3, PA_RAM + 2 * SZ_4K, prot);
	KTEST_EXPECT_TRUE(t, flush_logged(blk, SZ_2M));

	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_512G, SZ_512G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
	finish(t, &pt);
}

/*
 * pgtable_unmap_keep_tables() remembers the last-level table it walked to;
 * once pgtable_unmap() frees that table and the simulated allocator hands
 * its page out again as a level-2 table, the next unmap of the same 2 MiB
 * must walk to the new last-level table, not clear an entry of the page's
 * new use.
 */
FIXTURE_CASE(keep_tables_forgets_freed_table, pgtable_fixture)
{
	const u64 va = VA_512G + 3 * SZ_2M + 5 * SZ_4K;
	const pgprot_t prot = PAGE_KERNEL;
	struct pgtable pt;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_4K, prot, PGTABLE_NO_BLOCKS), 0);
	/* Keeps the level-2 table alive when va's last-level table goes. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + SZ_2M, PA_RAM, SZ_4K, prot, PGTABLE_NO_BLOCKS),
			0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap_keep_tables(&pt, va, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, va, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	/* A new 1 GiB takes the freed page as its level-2 table. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + SZ_1G, PA_RAM, SZ_4K, prot, PGTABLE_NO_BLOCKS),
			0);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM + SZ_4K, SZ_4K, prot, PGTABLE_NO_BLOCKS),
			0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 7UL);
	KTEST_ASSERT_EQ(t, pgtable_unmap_keep_tables(&pt, va, SZ_4K), 0);
	EXPECT_HOLE(&pt, va, 3);
	EXPECT_LEAF(&pt, va + SZ_1G, 3, PA_RAM, prot);
	EXPECT_LEAF(&pt, va + SZ_2M, 3, PA_RAM, prot);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_512G, SZ_512G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

#define MAP_PAGES 6

/*
 * pgtable_map_pages() and pgtable_unmap_keep_tables(): across two
 * last-level tables (walks), then inside the one remembered (no walk):
 * each page at its place, an entry already valid refused with the
 * entries before it written, and bad input refused there as well as on
 * the walk with nothing changed. Only the pages' frame numbers matter:
 * the kernel's own struct pages of the frames from PA_RAM on; on the
 * host, where the vmemmap may not be set up, an array standing in for
 * it during the case (expectations only, so that it is always put back).
 */
FIXTURE_CASE(map_pages_remembered_table, pgtable_fixture)
{
	const u64 va = VA_512G + SZ_2M - 2 * SZ_4K;
	const pgprot_t prot = PAGE_KERNEL;
	struct page *pages[MAP_PAGES];
	phys_addr_t pa[MAP_PAGES];
	struct pgtable pt;
	u64 hash;
#ifdef MK64_HOST
	static struct page fake[MAP_PAGES];
	struct page *saved = vmemmap;
	const unsigned long base = 0;
#else
	const unsigned long base = PA_RAM >> PAGE_SHIFT;
#endif

	start(t, &pt);
#ifdef MK64_HOST
	vmemmap = fake;
#endif
	for (unsigned int i = 0; i < MAP_PAGES; i++) {
		/* Out of order: each entry must get its own page. */
		unsigned long pfn = base + (i * 5) % MAP_PAGES;

		pages[i] = pfn_to_page(pfn);
		pa[i] = (phys_addr_t)pfn << PAGE_SHIFT;
	}
	KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, va, pages, 4, prot), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);	/* root, L1, L2 and two L3 */
	for (unsigned int i = 0; i < 4; i++)
		EXPECT_LEAF(&pt, va + i * SZ_4K, 3, pa[i], prot);
	EXPECT_HOLE(&pt, va + 4 * SZ_4K, 3);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 4 * SZ_4K);

	/* The second table is the one remembered now. */
	KTEST_EXPECT_EQ(t, pgtable_unmap_keep_tables(&pt, va + 2 * SZ_4K, 2 * SZ_4K), 0);
	KTEST_EXPECT_TRUE(t, flush_logged(va + 2 * SZ_4K, 2 * SZ_4K));
	EXPECT_HOLE(&pt, va + 2 * SZ_4K, 3);
	EXPECT_HOLE(&pt, va + 3 * SZ_4K, 3);
	KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, va + 3 * SZ_4K, pages + 4, 2, PAGE_KERNEL_RO), 0);
	EXPECT_HOLE(&pt, va + 2 * SZ_4K, 3);
	EXPECT_LEAF(&pt, va + 3 * SZ_4K, 3, pa[4], PAGE_KERNEL_RO);
	EXPECT_LEAF(&pt, va + 4 * SZ_4K, 3, pa[5], PAGE_KERNEL_RO);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 4 * SZ_4K);

	/* The entry at va + 3 pages is valid: the one before it is written all the same. */
	KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, va + 2 * SZ_4K, pages, 2, prot), -EEXIST);
	EXPECT_LEAF(&pt, va + 2 * SZ_4K, 3, pa[0], prot);
	EXPECT_LEAF(&pt, va + 3 * SZ_4K, 3, pa[4], PAGE_KERNEL_RO);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 5 * SZ_4K);

	hash = tables_hash();
	for (int remembered = 1; remembered >= 0; remembered--) {
		u64 at = remembered ? va + 5 * SZ_4K : VA_512G + SZ_1G;

		KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, at + 8, pages, 1, prot), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, at, pages, 0, prot), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, at, pages, 1, prot | SZ_4K), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map_pages(&pt, at, pages, 1, prot | 1), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap_keep_tables(&pt, at + 8, SZ_4K), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap_keep_tables(&pt, at, SZ_4K + 8), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap_keep_tables(&pt, at, 8), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap_keep_tables(&pt, at, 0), -EINVAL);
	}
	KTEST_EXPECT_EQ(t, tables_hash(), hash);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
#ifdef MK64_HOST
	vmemmap = saved;
#endif
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, VA_512G, SZ_512G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

/* New attributes for part of a 1G block: split at both edges only. */
FIXTURE_CASE(protect_splits_edges, pgtable_fixture)
{
	const u64 va = VA_512G - SZ_1G, lo = va + SZ_2M - 2 * SZ_4K, hi = va + 2 * SZ_2M + 2 * SZ_4K;
	const pgprot_t rw = PAGE_KERNEL, ro = PAGE_KERNEL_RO;
	unsigned int flushes;
	struct pgtable pt;
	u64 hash;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, SZ_1G, rw, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_protect(&pt, lo, hi - lo, ro), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	EXPECT_LEAF(&pt, va, 3, PA_RAM, rw);
	EXPECT_LEAF(&pt, lo - SZ_4K, 3, PA_RAM + lo - va - SZ_4K, rw);
	EXPECT_LEAF(&pt, lo, 3, PA_RAM + lo - va, ro);
	EXPECT_LEAF(&pt, va + SZ_2M, 2, PA_RAM + SZ_2M, ro);
	EXPECT_LEAF(&pt, hi - SZ_4K, 3, PA_RAM + hi - va - SZ_4K, ro);
	EXPECT_LEAF(&pt, hi, 3, PA_RAM + hi - va, rw);
	EXPECT_LEAF(&pt, va + 3 * SZ_2M, 2, PA_RAM + 3 * SZ_2M, rw);
	EXPECT_LINEAR(&pt, va, lo - va, PA_RAM, rw);
	EXPECT_LINEAR(&pt, lo, hi - lo, PA_RAM + lo - va, ro);
	EXPECT_LINEAR(&pt, hi, va + SZ_1G - hi, PA_RAM + hi - va, rw);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G);
	KTEST_EXPECT_TRUE(t, flush_logged(va, SZ_1G));
	KTEST_EXPECT_TRUE(t, flush_logged(va, SZ_2M));
	KTEST_EXPECT_TRUE(t, flush_logged(va + SZ_2M, SZ_2M));
	KTEST_EXPECT_TRUE(t, flush_logged(va + 2 * SZ_2M, SZ_2M));
	KTEST_EXPECT_TRUE(t, flush_logged(lo, SZ_4K));
	KTEST_EXPECT_TRUE(t, flush_logged(hi - SZ_4K, SZ_4K));

	/* The same attributes again, or on part of a block: nothing changes. */
	hash = tables_hash();
	flushes = sim.nflush;
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, lo, hi - lo, ro), 0);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va + 8 * SZ_2M + SZ_4K, SZ_4K, rw), 0);
	KTEST_EXPECT_EQ(t, tables_hash(), hash);
	KTEST_EXPECT_EQ(t, sim.nflush, flushes);

	/* A whole block stays a block. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G, PA_RAM, SZ_1G, rw, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_protect(&pt, VA_512G, SZ_1G, PAGE_KERNEL_ROX), 0);
	EXPECT_LEAF(&pt, VA_512G + SZ_4K, 1, PA_RAM + SZ_4K, PAGE_KERNEL_ROX);
	KTEST_EXPECT_TRUE(t, flush_logged(VA_512G, SZ_1G));
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 2 * SZ_1G);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va, 2 * SZ_1G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

/* -ENOENT when any page is unmapped, and then nothing changed. */
FIXTURE_CASE(protect_refuses_holes, pgtable_fixture)
{
	const u64 va = VA_512G + SZ_1G;
	unsigned int flushes;
	struct pgtable pt;
	u64 hash;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va, PA_RAM, 2 * SZ_2M, PAGE_KERNEL, 0), 0);
	KTEST_ASSERT_EQ(t, pgtable_unmap(&pt, va + SZ_2M + SZ_4K, SZ_4K), 0);
	hash = tables_hash();
	flushes = sim.nflush;
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va, 2 * SZ_2M, PAGE_KERNEL_RO), -ENOENT);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va, 2 * SZ_2M + SZ_4K, PAGE_KERNEL_RO), -ENOENT);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va - SZ_4K, SZ_2M, PAGE_KERNEL_RO), -ENOENT);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, VA_BASE, SZ_4K, PAGE_KERNEL_RO), -ENOENT);
	KTEST_EXPECT_EQ(t, tables_hash(), hash);
	KTEST_EXPECT_EQ(t, sim.nflush, flushes);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	EXPECT_LEAF(&pt, va, 2, PA_RAM, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, pgtable_protect(&pt, va, SZ_2M + SZ_4K, PAGE_KERNEL_RO), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 2 * SZ_2M - SZ_4K);
	finish(t, &pt);
}

/*
 * Where in [va, va + size) the mapping of pa stops: it must be mapped up
 * to there and unmapped from there.
 */
static u64 mapped_prefix(struct ktest *t, const struct pgtable *pt, u64 va, u64 size,
			 phys_addr_t pa)
{
	struct pgtable_walk w;
	u64 off = 0;

	while (off < size && pgtable_walk(pt, va + off, &w) && w.phys == pa + off)
		off += SZ_4K;
	for (u64 rest = off; rest < size; rest += SZ_4K)
		if (pgtable_walk(pt, va + rest, &w))
			ktest_fail(t, false, __FILE__, __LINE__, "%#lx mapped after the hole at %#lx",
				   va + rest, va + off);
	return off;
}

/*
 * Unmap or protect of one page of a 1G block with k tables to split it (it
 * needs two): the rest of the block as it was, whether or not it fails.
 */
static void split_fails(struct ktest *t, int k, bool protect)
{
	const u64 block = VA_512G + SZ_1G, page = block + SZ_2M + SZ_4K;
	const int want = k < 2 ? -ENOMEM : 0;
	struct pgtable pt;
	int err;

	start(t, &pt);
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, block, PA_RAM, SZ_1G, PAGE_KERNEL, 0), 0);
	sim.allocs_left = k;
	sim.check_flush = protect;	/* unmap flushes its range, mapped or not */
	if (protect)
		err = pgtable_protect(&pt, page, SZ_4K, PAGE_KERNEL_RO);
	else
		err = pgtable_unmap(&pt, page, SZ_4K);
	sim.check_flush = true;
	KTEST_EXPECT_EQ(t, err, want);
	KTEST_EXPECT_EQ(t, pt.table_pages, 2UL + k);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_1G - (protect || want ? 0 : SZ_4K));
	if (protect)
		EXPECT_LEAF(&pt, page, want ? 1 + k : 3, PA_RAM + page - block,
			    want ? PAGE_KERNEL : PAGE_KERNEL_RO);
	EXPECT_LINEAR(&pt, block, page - block, PA_RAM, PAGE_KERNEL);
	EXPECT_LINEAR(&pt, page + SZ_4K, block + SZ_1G - page - SZ_4K,
		      PA_RAM + page + SZ_4K - block, PAGE_KERNEL);
	sim.allocs_left = -1;
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, block, SZ_1G), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	finish(t, &pt);
}

/* Allocation failing at every possible point: consistent, and recoverable. */
FIXTURE_CASE(enomem_midway, pgtable_fixture)
{
	/* Pages either side of a 512G boundary, a 2M block, then pages. */
	const u64 va = VA_512G - 2 * SZ_4K, size = 2 * SZ_4K + SZ_2M + 2 * SZ_4K;
	const phys_addr_t pa = PA_RAM - 2 * SZ_4K;
	u64 last_prefix = 0;
	struct pgtable pt;

	for (int k = 0; k <= 6; k++) {
		start(t, &pt);
		sim.allocs_left = k;
		KTEST_EXPECT_EQ(t, pgtable_map(&pt, va, pa, size, PAGE_KERNEL, 0),
				k < 6 ? -ENOMEM : 0);
		KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), mapped_prefix(t, &pt, va, size, pa));
		KTEST_EXPECT_LE(t, last_prefix, mapped_prefix(t, &pt, va, size, pa));
		last_prefix = mapped_prefix(t, &pt, va, size, pa);
		sim.allocs_left = -1;
		KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, va, size), 0);
		KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
		KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
		finish(t, &pt);
	}
	KTEST_EXPECT_EQ(t, last_prefix, size);

	for (int k = 0; k <= 2; k++) {
		split_fails(t, k, false);
		split_fails(t, k, true);
	}
}

/*
 * pgtable_pte_alloc(): one table per level down to the entry, kept when
 * it empties; refused over a block, for a bad address, with no memory (no
 * table left behind) and beyond PGTABLE_MAX_KEPT tables.
 */
FIXTURE_CASE(pte_alloc_keeps_its_table, pgtable_fixture)
{
	const u64 va = VA_512G + 5 * SZ_2M + 3 * SZ_4K;
	struct pgtable pt;
	u64 *pte;

	start(t, &pt);
	pte = pgtable_pte_alloc(&pt, va);
	KTEST_ASSERT_TRUE(t, pte != NULL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	KTEST_EXPECT_EQ(t, *pte, 0UL);
	EXPECT_HOLE(&pt, va, 3);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va) == pte);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va + SZ_4K) == pte + 1);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va - 3 * SZ_4K) == pte - 3);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);

	pte_set(pte, mk_pte(PA_RAM, PAGE_KERNEL));
	sim_sync(&sim);
	EXPECT_LEAF(&pt, va, 3, PA_RAM, PAGE_KERNEL);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_4K);
	pte_clear(pte);
	sim_sync(&sim);
	EXPECT_HOLE(&pt, va, 3);
	/* Mapped and unmapped through the API too, it stays. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, va + SZ_4K, PA_RAM, SZ_4K, PAGE_KERNEL_RO, 0), 0);
	EXPECT_LEAF(&pt, va + SZ_4K, 3, PA_RAM, PAGE_KERNEL_RO);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, VA_512G, SZ_1G), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 4UL);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va) == pte);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);

	/* A block maps it, or not a page address: nothing changes. */
	KTEST_ASSERT_EQ(t, pgtable_map(&pt, VA_512G + SZ_1G, PA_RAM, SZ_2M, PAGE_KERNEL, 0), 0);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, VA_512G + SZ_1G + SZ_4K) == NULL);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va + 8) == NULL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	EXPECT_LEAF(&pt, VA_512G + SZ_1G + SZ_4K, 2, PA_RAM + SZ_4K, PAGE_KERNEL);

	/* No memory halfway: the tables made on the way go back. */
	sim.allocs_left = 1;
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, VA_512G + 2 * SZ_512G) == NULL);
	sim.allocs_left = -1;
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_2M);

	/* Three more tables fill the list; a fifth is refused, a kept one is not. */
	for (unsigned int i = 1; i < PGTABLE_MAX_KEPT; i++)
		KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va + i * SZ_2M) != NULL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL + PGTABLE_MAX_KEPT - 1);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va + PGTABLE_MAX_KEPT * SZ_2M) == NULL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 5UL + PGTABLE_MAX_KEPT - 1);
	KTEST_EXPECT_TRUE(t, pgtable_pte_alloc(&pt, va) == pte);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), SZ_2M);
	finish(t, &pt);
}

static u64 next_random(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Every page of the window against the model, one walk per leaf or hole. */
static void check_window(struct ktest *t, const struct pgtable *pt, const struct window *win)
{
	const u64 end = WIN_UNITS * win->unit;
	struct pgtable_walk w;

	for (u64 off = 0, step; off < end; off += step) {
		bool mapped = pgtable_walk(pt, win->va + off, &w);

		step = min(w.size - ((win->va + off) & (w.size - 1)), end - off);
		if (mapped && ((w.desc & TYPE_MASK) != (w.level == 3 ? DESC_PAGE : DESC_BLOCK) ||
			       !IS_ALIGNED(w.desc & ADDR_MASK, w.size)))
			ktest_fail(t, true, __FILE__, __LINE__, "walk(%#lx): level %d desc %#lx",
				   win->va + off, w.level, w.desc);
		for (u64 o = off; o < off + step; o += min(step, win->unit)) {
			u64 u = o / win->unit;
			phys_addr_t want = fx->model.pa[u] ? fx->model.pa[u] + o % win->unit : 0;

			if (mapped != !!want || (mapped && (w.phys + o - off != want ||
					desc_prot(w.desc) != prots[fx->model.prot[u]])))
				ktest_fail(t, true, __FILE__, __LINE__,
					   "walk(%#lx): phys %#lx desc %#lx, want phys %#lx prot %#lx",
					   win->va + o, mapped ? w.phys + o - off : 0, w.desc, want,
					   prots[fx->model.prot[u]]);
		}
	}
}

/* Units whose translation changed from a valid one must have been flushed. */
static void check_flushed(struct ktest *t, const struct window *win)
{
	const struct model *now = &fx->model, *was = &fx->before;

	for (unsigned int u = 0; u < WIN_UNITS; u++)
		if (was->pa[u] && (now->pa[u] != was->pa[u] || now->prot[u] != was->prot[u]) &&
		    !fx->win_flushed[u])
			ktest_fail(t, true, __FILE__, __LINE__, "%#lx changed without a TLB flush",
				   win->va + u * win->unit);
}

enum op_kind { OP_MAP, OP_UNMAP, OP_PROTECT };

struct op {
	enum op_kind kind;
	unsigned int first, n;	/* window units */
	phys_addr_t pa;
	unsigned int prot;	/* index into prots[] */
	unsigned int flags;
};

static bool all_units(unsigned int first, unsigned int n, bool mapped)
{
	for (unsigned int u = first; u < first + n; u++)
		if (!!fx->model.pa[u] != mapped)
			return false;
	return true;
}

/* Moves op to the next run of units that are (un)mapped, and within it. */
static void fit_to_run(struct op *op, bool mapped)
{
	unsigned int u = op->first, end;

	while (u < WIN_UNITS && !!fx->model.pa[u] != mapped)
		u++;
	for (end = u; end < WIN_UNITS && end < u + op->n && !!fx->model.pa[end] == mapped; end++)
		;
	if (end > u) {
		op->first = u;
		op->n = end - u;
	}
}

/* Moves op, an aligned 512 units, to the next such slot (un)mapped whole. */
static void fit_to_slot(struct op *op, bool mapped)
{
	for (unsigned int u = op->first; u < WIN_UNITS; u += 512) {
		if (all_units(u, 512, mapped)) {
			op->first = u;
			return;
		}
	}
}

/*
 * Ops map, unmap and protect an aligned 512 units (2M or 1G), or up to 4, 64
 * or a quarter of the window. Most maps go to a hole and most protects to a
 * mapping, so that they mostly succeed.
 */
static void random_op(const struct window *win, u64 *seed, struct op *op)
{
	u64 r = next_random(seed), va;
	bool slot = (r >> 8) % 8 < 3;	/* an aligned 512 units: 2M or 1G */

	op->kind = r % 8 < 3 ? OP_MAP : r % 8 < 6 ? OP_UNMAP : OP_PROTECT;
	op->first = (r >> 16) % WIN_UNITS;
	op->prot = (r >> 32) % ARRAY_SIZE(prots);
	if (slot) {
		op->first &= ~511u;
		op->n = 512;
	} else {
		op->n = 1 + (r >> 40) % ((r >> 12) % 2 ? 4 : (r >> 13) % 2 ? 64 : WIN_UNITS / 4);
		op->n = min(op->n, WIN_UNITS - op->first);
	}
	if (op->kind != OP_UNMAP && slot && (r >> 60) % 4)
		fit_to_slot(op, op->kind == OP_PROTECT);
	else if (op->kind != OP_UNMAP && (r >> 60) % 4)
		fit_to_run(op, op->kind == OP_PROTECT);

	/* A PA congruent with the VA modulo 1G, else 2M, else (pages) 4K. */
	r = next_random(seed);
	va = win->va + op->first * win->unit;
	op->pa = UL(0x4000000000) + (r % 64) * SZ_1G + (va & (SZ_1G - 1));
	if ((r >> 8) % 4 == 1)
		op->pa += ((r >> 16) % 512) * SZ_2M;
	if ((r >> 8) % 4 == 2 && win->pages)
		op->pa += ((r >> 16) % 512) * SZ_4K;
	op->flags = 0;
	if ((r >> 28) % 4 == 0)
		op->flags = PGTABLE_NO_1G;
	if ((r >> 28) % 4 == 1 && win->pages)
		op->flags = PGTABLE_NO_BLOCKS;
}

/* Applies op to the model; returns what the real one must return. */
static int model_apply(const struct window *win, const struct op *op)
{
	unsigned int end = op->first + op->n;

	if (op->kind == OP_MAP && !all_units(op->first, op->n, false))
		return -EEXIST;
	if (op->kind == OP_PROTECT && !all_units(op->first, op->n, true))
		return -ENOENT;
	for (unsigned int u = op->first; u < end; u++) {
		if (op->kind == OP_MAP)
			fx->model.pa[u] = op->pa + (u - op->first) * win->unit;
		else if (op->kind == OP_UNMAP)
			fx->model.pa[u] = 0;
		fx->model.prot[u] = op->kind == OP_UNMAP ? 0 : op->prot;
	}
	return 0;
}

static int run_op(struct pgtable *pt, const struct window *win, const struct op *op)
{
	u64 va = win->va + op->first * win->unit, size = op->n * win->unit;

	switch (op->kind) {
	case OP_MAP:
		return pgtable_map(pt, va, op->pa, size, prots[op->prot], op->flags);
	case OP_UNMAP:
		return pgtable_unmap(pt, va, size);
	default:
		return pgtable_protect(pt, va, size, prots[op->prot]);
	}
}

static void random_ops(struct ktest *t, const struct window *win, unsigned int ops, u64 seed)
{
	static const char *const names[] = { "map", "unmap", "protect" };
	struct pgtable pt;
	u64 mapped = 0;
	struct op op;
	int err, want;

	start(t, &pt);
	sim.win = win;
	memset(&fx->model, 0, sizeof(fx->model));
	for (unsigned int i = 0; i < ops; i++) {
		random_op(win, &seed, &op);
		fx->before = fx->model;
		want = model_apply(win, &op);
		memset(fx->win_flushed, 0, sizeof(fx->win_flushed));
		err = run_op(&pt, win, &op);
		if (err != want)
			ktest_fail(t, true, __FILE__, __LINE__, "op %u: %s(%#lx, %#lx) = %d, want %d",
				   i, names[op.kind], win->va + op.first * win->unit,
				   op.n * win->unit, err, want);
		check_window(t, &pt, win);
		check_flushed(t, win);
		mapped = 0;
		for (unsigned int u = 0; u < WIN_UNITS; u++)
			mapped += fx->model.pa[u] ? win->unit : 0;
		KTEST_ASSERT_EQ(t, CHECK_TABLES(&pt), mapped);
	}
	KTEST_EXPECT_GT(t, mapped, 0UL);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&pt, win->va, WIN_UNITS * win->unit), 0);
	KTEST_EXPECT_EQ(t, CHECK_TABLES(&pt), 0UL);
	KTEST_EXPECT_EQ(t, pt.table_pages, 1UL);
	sim.win = NULL;
	finish(t, &pt);
}

/* 8M of pages and 2M blocks across a 512G boundary. */
FIXTURE_CASE(random_pages, pgtable_fixture)
{
	static const struct window win = { VA_512G - 4 * SZ_1M, SZ_4K, true };

	random_ops(t, &win, 200, 0x9e3779b97f4a7c15);
}

/* 4G of 2M and 1G blocks across a 512G boundary. */
FIXTURE_CASE(random_blocks, pgtable_fixture)
{
	static const struct window win = { VA_512G - 2 * SZ_1G, SZ_2M, false };

	random_ops(t, &win, 150, 0x2545f4914f6cdd1d);
}

/*
 * The attribute sets, built from bits, against the descriptors worked out
 * by hand from the Arm ARM (D8.3): UXN 54, PXN 53, nG 11 clear, AF 10,
 * SH[9:8] = 3 inner shareable, AP[2] 7 read-only, AttrIndx[4:2] (MAIR index
 * 0 Normal, 3 Device-nGnRE).
 */
static void prot_sets_match_the_architecture(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, PAGE_KERNEL, 0x0060000000000700ull);
	KTEST_EXPECT_EQ(t, PAGE_KERNEL_RO, 0x0060000000000780ull);
	KTEST_EXPECT_EQ(t, PAGE_KERNEL_ROX, 0x0040000000000780ull);
	KTEST_EXPECT_EQ(t, PAGE_KERNEL_EXEC, 0x0040000000000700ull);
	KTEST_EXPECT_EQ(t, PAGE_KERNEL_DEVICE, 0x006000000000040cull);
	KTEST_EXPECT_EQ(t, PROT_KERNEL_EXEC, 0x0040000000000700ull);
	KTEST_EXPECT_EQ(t, PROT_KERNEL_RW, 0x0060000000000700ull);
	KTEST_EXPECT_EQ(t, PROT_KERNEL_RO, 0x0060000000000780ull);
}

KTEST_SUITE(pgtable, KTEST_CASE(map_picks_block_size), KTEST_CASE(walk_reports_holes),
	    KTEST_CASE(rejects_bad_input), KTEST_CASE(map_refuses_overlap),
	    KTEST_CASE(unmap_splits_block), KTEST_CASE(unmap_frees_tables),
	    KTEST_CASE(unmap_keep_tables), KTEST_CASE(keep_tables_forgets_freed_table),
	    KTEST_CASE(map_pages_remembered_table),
	    KTEST_CASE(protect_splits_edges),
	    KTEST_CASE(protect_refuses_holes), KTEST_CASE(enomem_midway),
	    KTEST_CASE(pte_alloc_keeps_its_table), KTEST_CASE(random_pages),
	    KTEST_CASE(random_blocks),
	    KTEST_CASE(prot_sets_match_the_architecture));
