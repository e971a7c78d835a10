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

KTEST_SUITE(sparse, KTEST_CASE(present_sections_by_hand), KTEST_CASE(no_ram));
