/*
 * Host only: the memory model (mm/sparse.c) over a hand-made memblock
 * layout, against present sections worked out by hand: 128 MiB sections,
 * so 0x4000_0000 is section 8, 0x1_0000_0000 section 32 and 0x2_0000_0000
 * section 64. The struct pages live in the host's vmemmap window
 * (tests/host/vmemmap.c), where only populated sections are accessible.
 */
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>

#define TOP 0x200001000UL	/* end of the highest region: the bitmap lands below it */

static unsigned char sim_top[4096];

static void *sim_va(phys_addr_t pa)
{
	return sim_top + (pa - (TOP - sizeof(sim_top)));
}

static const struct {
	phys_addr_t base, size;
} regions[] = {
	{ 0x40001000, 0x100800 },	/* unaligned end: section 8 */
	{ 0x47fff000, 0x2000 },		/* across the 8/9 boundary */
	{ 0x50000800, 0x400 },		/* no whole page: no section */
	{ 0x100000000, 0x10000000 },	/* sections 32 and 33 exactly */
	{ 0x200000000, 0x1000 },	/* one page: section 64 */
};

/* By hand from the regions above: present section and its first RAM pfn. */
static const struct {
	unsigned long nr, first_ram_pfn;
} expected[] = {
	{ 8, 0x40001 }, { 9, 0x48000 }, { 32, 0x100000 }, { 33, 0x108000 }, { 64, 0x200000 },
};

struct seen {
	unsigned int n;
	unsigned long bad;
};

static void check_section(unsigned long nr, unsigned long first_ram_pfn, void *arg)
{
	struct seen *seen = arg;

	if (seen->n >= ARRAY_SIZE(expected) || expected[seen->n].nr != nr ||
	    expected[seen->n].first_ram_pfn != first_ram_pfn)
		seen->bad++;
	seen->n++;
}

static bool expected_present(unsigned long nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
		if (expected[i].nr == nr)
			return true;
	return false;
}

static void present_sections_by_hand(struct ktest *t)
{
	struct seen seen = { 0, 0 };
	unsigned long bad = 0;

	memblock_reset();
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
		KTEST_ASSERT_EQ(t, memblock_add(regions[i].base, regions[i].size), 0);
	KTEST_ASSERT_EQ(t, sparse_init(sim_va), 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 5UL);
	KTEST_EXPECT_GE(t, nr_mem_sections, 65UL);

	for_each_present_section(check_section, &seen);
	KTEST_EXPECT_EQ(t, seen.n, 5U);
	KTEST_EXPECT_EQ(t, seen.bad, 0UL);

	/* Every pfn's answer is its section's: first, middle and last pfn of each. */
	for (unsigned long nr = 0; nr < 70; nr++) {
		unsigned long pfn = section_nr_to_pfn(nr);

		bad += pfn_valid(pfn) != expected_present(nr);
		bad += pfn_valid(pfn + PAGES_PER_SECTION / 2) != expected_present(nr);
		bad += pfn_valid(pfn + PAGES_PER_SECTION - 1) != expected_present(nr);
		if (expected_present(nr)) {
			/* The whole section's struct pages are mapped, RAM or not. */
			pfn_to_page(pfn)->flags = 0;
			pfn_to_page(pfn + PAGES_PER_SECTION - 1)->flags = 0;
			bad += page_to_pfn(pfn_to_page(pfn + 7)) != pfn + 7;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_FALSE(t, pfn_valid(~0UL));
	KTEST_EXPECT_FALSE(t, pfn_valid(~0UL >> PAGE_SHIFT));
	/* Only the bitmap came from memblock: the host's window is anonymous. */
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 1U);
	memblock_reset();
}

/* No RAM: nothing present, every pfn invalid. */
static void no_ram(struct ktest *t)
{
	memblock_reset();
	KTEST_EXPECT_EQ(t, sparse_init(sim_va), 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 0UL);
	KTEST_EXPECT_FALSE(t, pfn_valid(0));
	KTEST_EXPECT_FALSE(t, pfn_valid(0x40000));
}

/*
 * RAM from pfn 0 (the RK3399's layout) and RAM up to the last byte of the
 * 48-bit PA range: sections 0 and 1, and the last two, 2^21 - 2 and
 * 2^21 - 1 (2^48 / 128 MiB = 2^21 sections). The bitmap, 2^21 bits, comes
 * from the top of the highest region.
 */
#define PA_TOP (1UL << 48)
#define TOP_SECTION ((PA_TOP >> 27) - 1)

static unsigned char sim_high[(TOP_SECTION + 1) / 8 + 4096];

static void *sim_high_va(phys_addr_t pa)
{
	return sim_high + (pa - (PA_TOP - sizeof(sim_high)));
}

static void from_pfn_0_to_the_top(struct ktest *t)
{
	const unsigned long probes[][2] = {
		{ 0, 1 }, { 0x8000 - 1, 1 }, { 0x8000, 1 }, { 0xffff, 1 }, { 0x10000, 0 },
		{ section_nr_to_pfn(TOP_SECTION - 2), 0 },
		{ section_nr_to_pfn(TOP_SECTION - 1), 1 },
		{ (PA_TOP >> PAGE_SHIFT) - 1, 1 }, { PA_TOP >> PAGE_SHIFT, 0 },
	};
	unsigned long bad = 0;

	memblock_reset();
	KTEST_ASSERT_EQ(t, memblock_add(0, 0x10000000), 0);
	KTEST_ASSERT_EQ(t, memblock_add(PA_TOP - 0x10000000, 0x10000000), 0);
	KTEST_ASSERT_EQ(t, sparse_init(sim_high_va), 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 4UL);
	KTEST_EXPECT_EQ(t, nr_mem_sections, TOP_SECTION + 1);
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		bad += pfn_valid(probes[i][0]) != (bool)probes[i][1];
		if (probes[i][1]) {
			pfn_to_page(probes[i][0])->flags = 0;
			bad += page_to_pfn(pfn_to_page(probes[i][0])) != probes[i][0];
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	memblock_reset();
}

/*
 * Under 1 KiB of RAM that still spans a pfn boundary (0x200 bytes from
 * 0x40000f00): no whole page, so no section, and the boot line's share of
 * RAM must not divide by zero.
 */
static unsigned char sim_tiny[0x200];

static void *sim_tiny_va(phys_addr_t pa)
{
	return sim_tiny + (pa - 0x40000f00);
}

static void under_1k_of_ram(struct ktest *t)
{
	memblock_reset();
	KTEST_ASSERT_EQ(t, memblock_add(0x40000f00, 0x200), 0);
	KTEST_EXPECT_EQ(t, sparse_init(sim_tiny_va), 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 0UL);
	KTEST_EXPECT_FALSE(t, pfn_valid(0x40000));
	memblock_reset();
}

KTEST_SUITE(sparse, KTEST_CASE(present_sections_by_hand), KTEST_CASE(no_ram),
	    KTEST_CASE(from_pfn_0_to_the_top), KTEST_CASE(under_1k_of_ram));
