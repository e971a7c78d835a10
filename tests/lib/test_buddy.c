/*
 * The buddy allocator core (mm/page_alloc.c), compound pages included,
 * over a simulated zone: a memmap for SIM_PAGES pfns at a fake base, in
 * fixture memory, with holes that stay reserved. The core only manipulates struct pages, so no memory
 * is touched; the memmap holds exactly the zone's pages and ends the
 * fixture, so ASan (host) sees any look past it.
 *
 * A model keeps one byte per pfn (hole, free, used). check_zone() walks
 * the free lists and demands that the free blocks are exactly the largest
 * aligned blocks the model's free pages form (what eager merging must
 * give), with consistent counters and page state; it is how every case
 * compares the allocator with what it should have done.
 */
#include <mk64/errno.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/string.h>
#include "../fixture.h"

/*
 * The main zone: pfns [0x80003, 0x81003), unaligned at both ends. Holes:
 * [0x80100, 0x80180), 0x80555 and the last three pfns. 3964 free pages.
 */
#define SIM_PAGES 4096
#define SIM_START 0x80003UL
#define SIM_END (SIM_START + SIM_PAGES)
#define SIM_FREE 3964UL

static const struct { unsigned long start, end; } sim_ranges[] = {
	{ SIM_START, 0x80100 },
	{ 0x80180, 0x80555 },
	{ 0x80556, 0x81000 },
};

/* The zone's initial free blocks, worked out by hand. */
static const unsigned long sim_initial_nr_free[NR_PAGE_ORDERS] = {
	2, 1, 2, 2, 2, 2, 2, 3, 1, 2, 2,
};

/* Where the small zones of the exact cases start (aligned). */
#define TINY_START 0x90000UL

enum { M_HOLE, M_FREE, M_USED };

static struct zone sim_zone;

/*
 * A case's state, in fixture memory (tests/fixture.h). The memmap comes
 * last, so that on the host ASan sees a look past its end.
 */
static struct buddy_state {
	u8 model[SIM_PAGES];
	s8 got_order[SIM_PAGES], want_order[SIM_PAGES];
	u16 free_run[SIM_PAGES];	/* free pages from here on */
	struct { struct page *page; u8 order; } blocks[SIM_PAGES];
	struct page memmap[SIM_PAGES] __aligned(64);
} *fx;

static void fixture_init(void *mem)
{
	fx = mem;
}

static const struct test_fixture buddy_fixture = { sizeof(*fx), fixture_init, NULL };

static unsigned long idx_of(unsigned long pfn)
{
	return pfn - sim_zone.zone_start_pfn;
}

static unsigned long pfn_of(const struct page *page)
{
	return zone_page_to_pfn(&sim_zone, page);
}

static void model_set(unsigned long pfn, unsigned int order, u8 state)
{
	memset(&fx->model[idx_of(pfn)], state, 1UL << order);
}

/* The main zone, freshly released, and its model. */
static void setup_sim(struct ktest *t)
{
	zone_init(&sim_zone, "Normal", 0, ZONE_NORMAL, fx->memmap, SIM_START, SIM_PAGES);
	memmap_init_range(fx->memmap, SIM_PAGES, 0, ZONE_NORMAL);
	memset(fx->model, M_HOLE, sizeof(fx->model));
	for (unsigned int i = 0; i < ARRAY_SIZE(sim_ranges); i++) {
		unsigned long s = sim_ranges[i].start, e = sim_ranges[i].end;

		KTEST_ASSERT_EQ(t, __free_pages_memory(&sim_zone, s, e), (long)(e - s));
		memset(&fx->model[idx_of(s)], M_FREE, e - s);
	}
}

/* A zone of n pages at TINY_START, in the same memmap, all free. */
static void setup_tiny(struct ktest *t, int nid, enum zone_type type, unsigned long n)
{
	zone_init(&sim_zone, "Tiny", nid, type, fx->memmap, TINY_START, n);
	memmap_init_range(fx->memmap, n, nid, type);
	KTEST_ASSERT_EQ(t, __free_pages_memory(&sim_zone, TINY_START, TINY_START + n), (long)n);
	memset(fx->model, M_HOLE, sizeof(fx->model));
	memset(fx->model, M_FREE, n);
}

/* The model's free pages as the largest aligned blocks, into want_order. */
static void model_blocks(void)
{
	unsigned long n = sim_zone.spanned_pages;

	for (unsigned long i = n; i-- > 0;) {
		u16 next = i + 1 < n ? fx->free_run[i + 1] : 0;

		fx->free_run[i] = fx->model[i] != M_FREE ? 0 : (u16)(next + 1);
	}
	memset(fx->want_order, -1, n);
	for (unsigned long i = 0; i < n;) {
		unsigned long pfn = sim_zone.zone_start_pfn + i;
		int order = MAX_PAGE_ORDER;

		if (fx->model[i] != M_FREE) {
			i++;
			continue;
		}
		while (!IS_ALIGNED(pfn, 1UL << order) || (1UL << order) > fx->free_run[i])
			order--;
		fx->want_order[i] = (s8)order;
		i += 1UL << order;
	}
}

#define CHECK_ZONE(t) check_zone(t, __LINE__)

/*
 * The free lists against the model; reports the first difference at the
 * caller's line and returns false.
 */
static bool check_zone(struct ktest *t, int line)
{
	const struct zone *z = &sim_zone;
	unsigned long n = z->spanned_pages, total = 0;

#define FAIL(...) (ktest_fail(t, false, __FILE__, line, __VA_ARGS__), false)
	if (zone_is_locked(z))
		return FAIL("zone lock left held");
	memset(fx->got_order, -1, n);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		const struct list_head *head = &z->free_area[order].free_list, *pos = head->next;
		unsigned long count = 0;

		for (; pos != head; pos = pos->next, count++) {
			const struct page *page = list_entry(pos, struct page, lru);
			unsigned long pfn, i;

			if (count > n || page < z->zone_mem_map || page >= z->zone_mem_map + n)
				return FAIL("order %u list: entry %lu is not a page of the zone",
					    order, count);
			pfn = pfn_of(page);
			i = idx_of(pfn);
			if (!PageBuddy(page) || page_private(page) != order ||
			    page_ref_count(page))
				return FAIL("pfn %#lx on order %u list: flags %#lx private %lu ref %d",
					    pfn, order, page->flags, page_private(page),
					    page_ref_count(page));
			if (!IS_ALIGNED(pfn, 1UL << order) || i + (1UL << order) > n)
				return FAIL("pfn %#lx order %u: misaligned or past the zone", pfn,
					    order);
			if (fx->got_order[i] >= 0)
				return FAIL("pfn %#lx listed twice", pfn);
			fx->got_order[i] = (s8)order;
		}
		if (count != z->free_area[order].nr_free)
			return FAIL("order %u: %lu blocks listed, nr_free %lu", order, count,
				    z->free_area[order].nr_free);
		total += count << order;
	}
	if (total != zone_page_state(z, NR_FREE_PAGES))
		return FAIL("%lu pages listed, NR_FREE_PAGES %lu", total,
			    zone_page_state(z, NR_FREE_PAGES));

	model_blocks();
	for (unsigned long i = 0; i < n; i++) {
		const struct page *page = &z->zone_mem_map[i];
		unsigned long pfn = z->zone_start_pfn + i;

		if (fx->got_order[i] != fx->want_order[i])
			return FAIL("pfn %#lx heads a free block of order %d, expected %d", pfn,
				    fx->got_order[i], fx->want_order[i]);
		if (PageBuddy(page) != (fx->got_order[i] >= 0))
			return FAIL("pfn %#lx: PG_buddy but not listed", pfn);
		if (PageReserved(page) != (fx->model[i] == M_HOLE))
			return FAIL("pfn %#lx: PG_reserved %d, model %u", pfn, PageReserved(page),
				    fx->model[i]);
		if (fx->model[i] == M_FREE && page_ref_count(page))
			return FAIL("free pfn %#lx has refcount %d", pfn, page_ref_count(page));
	}
	return true;
#undef FAIL
}

/* Allocates, checks the block against the model and marks it used. */
static struct page *m_alloc(struct ktest *t, unsigned int order)
{
	struct page *page = alloc_pages_zone(&sim_zone, order);
	unsigned long pfn, i;

	if (!page)
		return NULL;
	KTEST_ASSERT_TRUE(t, page >= sim_zone.zone_mem_map &&
			     page < sim_zone.zone_mem_map + sim_zone.spanned_pages);
	pfn = pfn_of(page);
	i = idx_of(pfn);
	KTEST_ASSERT_TRUE(t, IS_ALIGNED(pfn, 1UL << order));
	KTEST_ASSERT_LE(t, i + (1UL << order), sim_zone.spanned_pages);
	KTEST_ASSERT_EQ(t, page_private(page), 0UL);
	for (unsigned long j = 0; j < 1UL << order; j++) {
		KTEST_ASSERT_EQ(t, fx->model[i + j], M_FREE);
		KTEST_ASSERT_FALSE(t, PageBuddy(page + j));
		KTEST_ASSERT_EQ(t, page_ref_count(page + j), j ? 0 : 1);
	}
	model_set(pfn, order, M_USED);
	return page;
}

/* Drops the allocation's reference and frees; the free must succeed. */
static void m_free(struct ktest *t, struct page *page, unsigned int order)
{
	KTEST_ASSERT_TRUE(t, page_ref_dec_and_test(page));
	KTEST_ASSERT_TRUE(t, free_pages_zone(&sim_zone, page, order));
	model_set(pfn_of(page), order, M_FREE);
}

static u64 prng(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

FIXTURE_CASE(initial_layout, buddy_fixture)
{
	setup_sim(t);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		KTEST_EXPECT_EQ(t, sim_zone.free_area[order].nr_free, sim_initial_nr_free[order]);
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), SIM_FREE);
	KTEST_EXPECT_EQ(t, sim_zone.managed_pages, SIM_FREE);
	KTEST_EXPECT_EQ(t, sim_zone.spanned_pages, (unsigned long)SIM_PAGES);
	/* The first pfn cannot merge with its buddy 0x80002, outside the zone. */
	KTEST_EXPECT_TRUE(t, PageBuddy(&fx->memmap[0]));
	KTEST_EXPECT_EQ(t, page_private(&fx->memmap[0]), 0UL);
	/* Two MAX_ORDER blocks, at 0x80800 and 0x80c00. */
	KTEST_EXPECT_EQ(t, page_private(&fx->memmap[idx_of(0x80800)]), 10UL);
	KTEST_EXPECT_EQ(t, page_private(&fx->memmap[idx_of(0x80c00)]), 10UL);
	/* Holes stay as memmap_init_range() left them. */
	KTEST_EXPECT_EQ(t, page_ref_count(&fx->memmap[idx_of(0x80555)]), 1);
	KTEST_EXPECT_EQ(t, page_mapcount(&fx->memmap[idx_of(0x80555)]), 0);
}

static unsigned long list_head_pfn(unsigned int order)
{
	const struct list_head *list = &sim_zone.free_area[order].free_list;

	return list_empty(list) ? 0 : pfn_of(list_first_entry(list, struct page, lru));
}

/* A block splits into its low half and frees the high halves, order by order. */
FIXTURE_CASE(split_and_merge, buddy_fixture)
{
	struct page *a, *b, *c;

	setup_tiny(t, 0, ZONE_NORMAL, MAX_ORDER_NR_PAGES);
	a = m_alloc(t, 0);
	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, pfn_of(a), TINY_START);
	for (unsigned int order = 0; order < MAX_PAGE_ORDER; order++) {
		KTEST_EXPECT_EQ(t, sim_zone.free_area[order].nr_free, 1UL);
		KTEST_EXPECT_EQ(t, list_head_pfn(order), TINY_START + (1UL << order));
	}
	KTEST_EXPECT_EQ(t, sim_zone.free_area[MAX_PAGE_ORDER].nr_free, 0UL);
	b = m_alloc(t, 0);
	KTEST_ASSERT_TRUE(t, b != NULL);
	KTEST_EXPECT_EQ(t, pfn_of(b), TINY_START + 1);

	/* a's buddy b is in use: a stays an order-0 block. */
	m_free(t, a, 0);
	KTEST_EXPECT_EQ(t, sim_zone.free_area[0].nr_free, 1UL);
	KTEST_EXPECT_EQ(t, list_head_pfn(0), TINY_START);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	m_free(t, b, 0);
	KTEST_EXPECT_EQ(t, sim_zone.free_area[MAX_PAGE_ORDER].nr_free, 1UL);
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), MAX_ORDER_NR_PAGES);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));

	/*
	 * A buddy that is free but of a smaller order must not be merged:
	 * a = order 1 at +0, b = +2 and c = +3; b freed is an order-0 block
	 * where a's order-1 buddy starts.
	 */
	a = m_alloc(t, 1);
	b = m_alloc(t, 0);
	c = m_alloc(t, 0);
	KTEST_ASSERT_TRUE(t, a && b && c);
	KTEST_EXPECT_EQ(t, pfn_of(b), TINY_START + 2);
	KTEST_EXPECT_EQ(t, pfn_of(c), TINY_START + 3);
	m_free(t, b, 0);
	m_free(t, a, 1);
	KTEST_EXPECT_EQ(t, list_head_pfn(1), TINY_START);
	KTEST_EXPECT_EQ(t, list_head_pfn(0), TINY_START + 2);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	m_free(t, c, 0);
	KTEST_EXPECT_EQ(t, sim_zone.free_area[MAX_PAGE_ORDER].nr_free, 1UL);
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));
}

/* Every order, from the main zone: one block out and back. */
FIXTURE_CASE(every_order, buddy_fixture)
{
	setup_sim(t);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct page *page = m_alloc(t, order);

		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES),
				SIM_FREE - (1UL << order));
		KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
		m_free(t, page, order);
		KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	}
	KTEST_EXPECT_TRUE(t, alloc_pages_zone(&sim_zone, NR_PAGE_ORDERS) == NULL);
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), SIM_FREE);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		KTEST_EXPECT_EQ(t, sim_zone.free_area[order].nr_free, sim_initial_nr_free[order]);
}

static unsigned int nblocks;

/* Frees every block in blocks[], in a random order. */
static void free_all_blocks(struct ktest *t, u64 *seed)
{
	while (nblocks) {
		unsigned int k = (unsigned int)(prng(seed) % nblocks);

		m_free(t, fx->blocks[k].page, fx->blocks[k].order);
		fx->blocks[k] = fx->blocks[--nblocks];
	}
}

/*
 * Order 0 until nothing is left, then everything back; then the largest
 * order first down to 0, which must take exactly the initial blocks.
 */
FIXTURE_CASE(exhaustion_and_recovery, buddy_fixture)
{
	u64 seed = 0x9e3779b97f4a7c15ULL;
	struct page *page;

	setup_sim(t);
	nblocks = 0;
	while ((page = m_alloc(t, 0)) != NULL) {
		KTEST_ASSERT_LT(t, nblocks, SIM_FREE);
		fx->blocks[nblocks].page = page;
		fx->blocks[nblocks++].order = 0;
	}
	KTEST_EXPECT_EQ(t, nblocks, SIM_FREE);
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), 0UL);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		KTEST_EXPECT_TRUE(t, alloc_pages_zone(&sim_zone, order) == NULL);
	free_all_blocks(t, &seed);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));

	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		unsigned long taken = 0;

		while ((page = m_alloc(t, (unsigned int)order)) != NULL) {
			fx->blocks[nblocks].page = page;
			fx->blocks[nblocks++].order = (u8)order;
			taken++;
		}
		KTEST_EXPECT_EQ(t, taken, sim_initial_nr_free[order]);
	}
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), 0UL);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	free_all_blocks(t, &seed);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), SIM_FREE);
}

/* True when the model has a free aligned run of 2^order pages. */
static bool model_has_block(unsigned int order)
{
	model_blocks();
	for (unsigned long i = 0; i < sim_zone.spanned_pages; i++)
		if (fx->want_order[i] >= (int)order)
			return true;
	return false;
}

#define RANDOM_OPS 10000
#define CHECK_EVERY 8

/*
 * Random allocations (orders geometric: half are order 0) and frees of
 * random blocks, against the model: every block handed out is free in the
 * model and every failure is a real shortage; the free lists are checked
 * in full every CHECK_EVERY operations and at the end. Phases of mostly
 * allocations, until even order 0 fails, alternate with phases of mostly
 * frees, until three quarters are free again.
 */
FIXTURE_CASE(random_against_model, buddy_fixture)
{
	u64 seed = 0x2545f4914f6cdd1dULL;
	unsigned long allocs = 0, failures = 0, exhausted = 0;
	bool filling = true;

	setup_sim(t);
	nblocks = 0;
	for (unsigned int op = 0; op < RANDOM_OPS; op++) {
		u64 r = prng(&seed);
		unsigned long free_before = zone_page_state(&sim_zone, NR_FREE_PAGES);

		unsigned int free_share = filling ? 16 : 224;	/* of 256 */

		if (!filling && free_before >= SIM_FREE / 4 * 3)
			filling = true;
		if (nblocks && (r & 0xff) < free_share) {
			unsigned int k = (unsigned int)((r >> 8) % nblocks);
			unsigned int order = fx->blocks[k].order;

			m_free(t, fx->blocks[k].page, order);
			fx->blocks[k] = fx->blocks[--nblocks];
			KTEST_ASSERT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES),
					free_before + (1UL << order));
		} else {
			unsigned int order = (unsigned int)__builtin_ctzll(r >> 8 | 1ULL << 50);
			struct page *page;

			if (order > MAX_PAGE_ORDER)
				order = MAX_PAGE_ORDER;
			page = m_alloc(t, order);
			if (page) {
				fx->blocks[nblocks].page = page;
				fx->blocks[nblocks++].order = (u8)order;
				allocs++;
				KTEST_ASSERT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES),
						free_before - (1UL << order));
			} else {
				KTEST_ASSERT_FALSE(t, model_has_block(order));
				KTEST_ASSERT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES),
						free_before);
				failures++;
				if (!order) {
					KTEST_ASSERT_EQ(t, free_before, 0UL);
					exhausted++;
					filling = false;
				}
			}
		}
		if (op % CHECK_EVERY == 0)
			KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	}
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	ktest_info(t, "%lu allocations, %lu failed, exhausted %lu times, %u blocks left",
		   allocs, failures, exhausted, nblocks);
	KTEST_EXPECT_GE(t, exhausted, 2UL);
	free_all_blocks(t, &seed);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), SIM_FREE);
}

/*
 * A free the allocator must refuse: false, the page untouched, and the
 * zone still as the model says.
 */
#define EXPECT_REFUSED(t, pg, order)                                            \
	do {                                                                    \
		struct page copy_ = *(pg);                                      \
		ktest_log_mark();                                               \
		KTEST_EXPECT_FALSE(t, free_pages_zone(&sim_zone, pg, order));   \
		KTEST_EXPECT_EQ(t, memcmp(&copy_, pg, sizeof(copy_)), 0);       \
		KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));                            \
	} while (0)

FIXTURE_CASE(bad_frees, buddy_fixture)
{
	struct page *a, *lo, *hi, *p[8], *hole = &fx->memmap[idx_of(0x80555)];
	static struct page stray;
	unsigned int n;

	setup_sim(t);

	/* A hole: reserved; its reference dropped, as a caller would. */
	set_page_count(hole, 0);
	EXPECT_REFUSED(t, hole, 0);
	KTEST_EXPECT_REPORT(t, "Bad page state in process swapper/0  pfn:80555\n");
	KTEST_EXPECT_REPORT(t, "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set\n");
	KTEST_EXPECT_REPORT(t, "bad because of flags: 0x8(reserved)\n");
	KTEST_EXPECT_REPORT(t, "flags: 0x200000000000008(reserved|node=0|zone=2)\n");
	set_page_count(hole, 1);

	/* Still referenced: the allocation's reference was not dropped. */
	a = m_alloc(t, 2);
	KTEST_ASSERT_TRUE(t, a != NULL);
	EXPECT_REFUSED(t, a, 2);
	KTEST_EXPECT_REPORT(t, "page dumped because: nonzero _refcount\n");
	KTEST_EXPECT_REPORT(t, " refcount:1 mapcount:0 mapping:");
	set_page_count(a, 0);

	/* A tail page that is mapped, has a mapping, is slab. */
	a[3]._mapcount = 0;
	EXPECT_REFUSED(t, a, 2);
	KTEST_EXPECT_REPORT(t, "page dumped because: nonzero mapcount\n");
	a[3]._mapcount = -1;
	a[1].mapping = &sim_zone;
	EXPECT_REFUSED(t, a, 2);
	KTEST_EXPECT_REPORT(t, "page dumped because: non-NULL mapping\n");
	a[1].mapping = NULL;
	__SetPageSlab(&a[2]);
	EXPECT_REFUSED(t, a, 2);
	KTEST_EXPECT_REPORT(t, "bad because of flags: 0x4(slab)\n");
	__ClearPageSlab(&a[2]);

	/* Not a block of the zone: misaligned, too large, past the end, elsewhere. */
	EXPECT_REFUSED(t, a + 1, 1);
	KTEST_EXPECT_REPORT(t, "page dumped because: pfn not aligned to the order\n");
	EXPECT_REFUSED(t, a, NR_PAGE_ORDERS);
	KTEST_EXPECT_REPORT(t, "page dumped because: order above MAX_PAGE_ORDER\n");
	EXPECT_REFUSED(t, &fx->memmap[idx_of(0x81000)], 2);
	KTEST_EXPECT_REPORT(t, "page dumped because: block runs past the end of the zone\n");
	ktest_log_mark();
	KTEST_EXPECT_FALSE(t, free_pages_zone(&sim_zone, fx->memmap + SIM_PAGES, 0));
	KTEST_EXPECT_REPORT(t, "not in zone Normal\n");
	ktest_log_mark();
	KTEST_EXPECT_FALSE(t, free_pages_zone(&sim_zone, &stray, 0));
	KTEST_EXPECT_REPORT(t, "not in zone Normal\n");
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));

	/* The block is fine after all. */
	KTEST_EXPECT_TRUE(t, free_pages_zone(&sim_zone, a, 2));
	model_set(pfn_of(a), 2, M_FREE);
	KTEST_ASSERT_TRUE(t, CHECK_ZONE(t));

	/* Order-0 pages until two in a row are buddies, lo and hi. */
	for (n = 0; n < ARRAY_SIZE(p); n++) {
		p[n] = m_alloc(t, 0);
		KTEST_ASSERT_TRUE(t, p[n] != NULL);
		if (n && pfn_of(p[n]) == (pfn_of(p[n - 1]) ^ 1))
			break;
	}
	KTEST_ASSERT_LT(t, n, ARRAY_SIZE(p));
	lo = pfn_of(p[n]) & 1 ? p[n - 1] : p[n];
	hi = lo + 1;

	/* hi freed is a block head: freeing it again, or a block over it. */
	m_free(t, hi, 0);
	EXPECT_REFUSED(t, hi, 0);
	KTEST_EXPECT_REPORT(t, "bad because of flags: 0x10(buddy)\n");
	set_page_count(lo, 0);
	EXPECT_REFUSED(t, lo, 1);
	KTEST_EXPECT_REPORT(t, "bad because of flags: 0x10(buddy)\n");
	set_page_count(lo, 1);

	/* lo freed merges with hi: hi is inside a free block, without flags. */
	m_free(t, lo, 0);
	KTEST_EXPECT_FALSE(t, PageBuddy(hi));
	EXPECT_REFUSED(t, hi, 0);
	KTEST_EXPECT_REPORT(t, "page dumped because: already free, in the free order-");
	EXPECT_REFUSED(t, lo, 0);
	for (unsigned int i = 0; i + 1 < n; i++)
		m_free(t, p[i], 0);

	/* Random free pages of the initial blocks, freed again. */
	for (u64 seed = 0x853c49e6748fea9bULL, k = 0; k < 8; k++) {
		unsigned long i = (unsigned long)(prng(&seed) % SIM_PAGES);

		if (fx->model[i] == M_FREE)
			EXPECT_REFUSED(t, &fx->memmap[i], 0);
	}

	/* Releasing memory twice, or outside the zone. */
	ktest_log_mark();
	KTEST_EXPECT_EQ(t, __free_pages_memory(&sim_zone, 0x80800, 0x80c00), -EINVAL);
	KTEST_EXPECT_REPORT(t, "page dumped because: released page is not reserved\n");
	ktest_log_mark();
	KTEST_EXPECT_EQ(t, __free_pages_memory(&sim_zone, SIM_START - 1, SIM_START + 1),
			-EINVAL);
	KTEST_EXPECT_REPORT(t, "pfns 0x80002-0x80004 are not in zone Normal (0x80003-0x81003)\n");
	KTEST_EXPECT_EQ(t, __free_pages_memory(&sim_zone, SIM_END - 1, SIM_END + 1), -EINVAL);
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), SIM_FREE);
	KTEST_EXPECT_EQ(t, sim_zone.managed_pages, SIM_FREE);
}

/*
 * Blocks that do not fit the zone, next to memmap entries that would pass
 * every page check, as a neighbouring zone's could: zone [0x90000, 0x90806)
 * is two MAX_ORDER blocks, an order-2 and an order-1 block.
 */
#define EDGE_PAGES (2 * MAX_ORDER_NR_PAGES + 6)

FIXTURE_CASE(zone_edges, buddy_fixture)
{
	struct page *a, *b, *beyond = &fx->memmap[EDGE_PAGES];

	setup_tiny(t, 0, ZONE_NORMAL, EDGE_PAGES);
	for (unsigned int i = 0; i < 2; i++) {
		beyond[i] = (struct page){ ._mapcount = -1 };
		set_page_links(&beyond[i], ZONE_NORMAL, 0);
	}

	/* Two free MAX_ORDER buddies are not one block of order 11. */
	a = m_alloc(t, MAX_PAGE_ORDER);
	b = m_alloc(t, MAX_PAGE_ORDER);
	KTEST_ASSERT_TRUE(t, a && b);
	if (b < a)
		a = b;
	set_page_count(a, 0);
	set_page_count(a + MAX_ORDER_NR_PAGES, 0);
	EXPECT_REFUSED(t, a, NR_PAGE_ORDERS);
	KTEST_EXPECT_REPORT(t, "page dumped because: order above MAX_PAGE_ORDER\n");
	for (unsigned int i = 0; i < 2; i++) {
		b = a + i * MAX_ORDER_NR_PAGES;
		KTEST_EXPECT_TRUE(t, free_pages_zone(&sim_zone, b, MAX_PAGE_ORDER));
		model_set(pfn_of(b), MAX_PAGE_ORDER, M_FREE);
	}

	/* The last block, 0x90804, freed as an order-2 block reaching past the end. */
	a = m_alloc(t, 1);
	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, pfn_of(a), TINY_START + EDGE_PAGES - 2);
	set_page_count(a, 0);
	EXPECT_REFUSED(t, a, 2);
	KTEST_EXPECT_REPORT(t, "page dumped because: block runs past the end of the zone\n");
	set_page_count(a, 1);

	/* Its buddy past the end looks free: no merging with it. */
	__SetPageBuddy(beyond);
	set_page_private(beyond, 1);
	INIT_LIST_HEAD(&beyond->lru);
	m_free(t, a, 1);
	KTEST_EXPECT_EQ(t, sim_zone.free_area[1].nr_free, 1UL);
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));
	KTEST_EXPECT_EQ(t, zone_page_state(&sim_zone, NR_FREE_PAGES), EDGE_PAGES);
}

/* Node and zone ids in page->flags survive everything the allocator does. */
FIXTURE_CASE(page_links, buddy_fixture)
{
	struct page *page;

	setup_tiny(t, MAX_NUMNODES - 1, ZONE_HIGHMEM, MAX_ORDER_NR_PAGES);
	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i += 97) {
		KTEST_EXPECT_EQ(t, page_to_nid(&fx->memmap[i]), MAX_NUMNODES - 1);
		KTEST_EXPECT_TRUE(t, page_zonenum(&fx->memmap[i]) == ZONE_HIGHMEM);
		KTEST_EXPECT_TRUE(t, PageHighMem(&fx->memmap[i]));
	}
	page = m_alloc(t, 3);
	KTEST_ASSERT_TRUE(t, page != NULL);
	SetPageLocked(page);
	KTEST_EXPECT_EQ(t, page_to_nid(page), MAX_NUMNODES - 1);
	ClearPageLocked(page);
	m_free(t, page, 3);
	KTEST_EXPECT_EQ(t, page_to_nid(page), MAX_NUMNODES - 1);
	KTEST_EXPECT_TRUE(t, page_zonenum(page) == ZONE_HIGHMEM);
	KTEST_EXPECT_TRUE(t, PageHighMem(page));
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));

	setup_tiny(t, 0, ZONE_DMA, MAX_ORDER_NR_PAGES);
	KTEST_EXPECT_EQ(t, page_to_nid(&fx->memmap[5]), 0);
	KTEST_EXPECT_TRUE(t, page_zonenum(&fx->memmap[5]) == ZONE_DMA);
	KTEST_EXPECT_FALSE(t, PageHighMem(&fx->memmap[5]));
}

/*
 * A compound block: made, refused when freed with another order, as a
 * single page, with a tail that no longer points at its head or with a
 * tail that may not be freed (left whole each time), and taken apart when
 * freed right.
 */
FIXTURE_CASE(compound_blocks, buddy_fixture)
{
	struct page *page;

	setup_sim(t);
	page = m_alloc(t, 3);
	KTEST_ASSERT_TRUE(t, page != NULL);
	prep_compound_page(page, 3);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_EQ(t, compound_order(page), 3u);
	for (int i = 1; i < 8; i++) {
		KTEST_EXPECT_TRUE(t, PageTail(page + i));
		KTEST_EXPECT_TRUE(t, compound_head(page + i) == page);
	}
	KTEST_ASSERT_TRUE(t, page_ref_dec_and_test(page));

	EXPECT_REFUSED(t, page, 2);
	KTEST_EXPECT_REPORT(t, "compound page of order 3 freed as order 2");
	EXPECT_REFUSED(t, page, 0);
	KTEST_EXPECT_REPORT(t, "compound head freed as an order-0 page");
	page[5].compound_head = 0;
	EXPECT_REFUSED(t, page, 3);
	KTEST_EXPECT_REPORT(t, "corrupted compound_head in a tail page");
	page[5].compound_head = (unsigned long)page | 1;
	KTEST_EXPECT_TRUE(t, PageHead(page) && PageTail(page + 7));

	/*
	 * Refused by a check that comes after the compound ones (a tail
	 * still locked, a tail still referenced): the compound page stays
	 * whole, head and every tail as they were.
	 */
	SetPageLocked(page + 6);
	EXPECT_REFUSED(t, page, 3);
	KTEST_EXPECT_REPORT(t, "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set\n");
	ClearPageLocked(page + 6);
	set_page_count(page + 2, 1);
	EXPECT_REFUSED(t, page, 3);
	KTEST_EXPECT_REPORT(t, "page dumped because: nonzero _refcount\n");
	set_page_count(page + 2, 0);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_EQ(t, compound_order(page), 3u);
	for (int i = 1; i < 8; i++)
		KTEST_EXPECT_TRUE(t, PageTail(page + i) && compound_head(page + i) == page);

	KTEST_ASSERT_TRUE(t, free_pages_zone(&sim_zone, page, 3));
	model_set(pfn_of(page), 3, M_FREE);
	KTEST_EXPECT_FALSE(t, PageHead(page));
	for (int i = 1; i < 8; i++)
		KTEST_EXPECT_FALSE(t, PageTail(page + i));
	KTEST_EXPECT_TRUE(t, CHECK_ZONE(t));
}

KTEST_SUITE(buddy, KTEST_CASE(initial_layout), KTEST_CASE(split_and_merge),
	    KTEST_CASE(every_order), KTEST_CASE(exhaustion_and_recovery),
	    KTEST_CASE(random_against_model), KTEST_CASE(bad_frees), KTEST_CASE(zone_edges),
	    KTEST_CASE(page_links), KTEST_CASE(compound_blocks));
