/*
 * clear_page() and copy_page() (arch/arm64/page.c): the DC ZVA block size
 * against DCZID_EL0 as the architecture defines it and the cores' manuals
 * give it, zeroing by DC ZVA and by stores, each touching exactly its page,
 * and the BUG on a misaligned page. Checked byte by byte against patterns.
 */
#include <asm/memory.h>
#include <asm/page.h>
#include <asm/sysreg.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mm_types.h>
#include <mk64/string.h>

#define NR_PAGES 4

static u8 pattern(unsigned int page, size_t i)
{
	return (u8)(i * 7 + (i >> 8) + page * 0x35 + 1);
}

static u8 *alloc_filled(struct ktest *t, struct page **page)
{
	u8 *va;

	*page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, *page != NULL);
	va = page_address(*page);
	for (unsigned int p = 0; p < NR_PAGES; p++)
		for (size_t i = 0; i < PAGE_SIZE; i++)
			va[p * PAGE_SIZE + i] = pattern(p, i);
	return va;
}

/*
 * Page p of the block at va holds what page src was filled with (zeroes
 * for src = -1); fails at the first byte that does not.
 */
static void expect_page(struct ktest *t, const char *what, const u8 *va, unsigned int p, int src)
{
	for (size_t i = 0; i < PAGE_SIZE; i++) {
		u8 want = src < 0 ? 0 : pattern((unsigned int)src, i);

		if (va[p * PAGE_SIZE + i] == want)
			continue;
		ktest_fail(t, false, __FILE__, __LINE__, "%s: page %u byte %zu = %#x, want %#x",
			   what, p, i, va[p * PAGE_SIZE + i], want);
		return;
	}
}

/*
 * DCZID_EL0.BS is log2 of the block in 4-byte words; the Cortex-A53, A57
 * and A72 manuals give 64 bytes (BS = 4). DZP set means no DC ZVA at all,
 * and clear_page() keeps to stores for blocks over a quarter page too.
 */
static void zva_block_from_dczid(struct ktest *t)
{
	u64 dczid = read_sysreg(dczid_el0);
	unsigned int part = (read_sysreg(midr_el1) >> 4) & 0xfff;
	bool arm = ((read_sysreg(midr_el1) >> 24) & 0xff) == 0x41;
	unsigned int block = 4u << (dczid & 0xf);

	if ((dczid & (1 << 4)) || block > PAGE_SIZE / 4) {
		KTEST_EXPECT_EQ(t, zva_block_size, 0u);
		return;
	}
	KTEST_EXPECT_EQ(t, zva_block_size, block);
	if (arm && (part == 0xd03 || part == 0xd07 || part == 0xd08))
		KTEST_EXPECT_EQ(t, zva_block_size, 64u);
}

/* Zeroes pages 1 and 2 in turn, then checks every page of the block. */
static void clear_two_pages(struct ktest *t, const char *how)
{
	struct page *page;
	u8 *va = alloc_filled(t, &page);

	clear_page(va + PAGE_SIZE);
	expect_page(t, how, va, 0, 0);
	expect_page(t, how, va, 1, -1);
	expect_page(t, how, va, 2, 2);
	clear_page(va + 2 * PAGE_SIZE);
	expect_page(t, how, va, 1, -1);
	expect_page(t, how, va, 2, -1);
	expect_page(t, how, va, 3, 3);
	__free_pages(page, 2);
}

static void clear_page_zva_and_stores(struct ktest *t)
{
	unsigned int boot = zva_block_size;

	if (boot)
		clear_two_pages(t, "clear_page by DC ZVA");
	zva_block_size = 0;
	clear_two_pages(t, "clear_page by stores");
	zva_block_size = boot;
	if (!boot)
		ktest_skip(t, "DC ZVA prohibited (DCZID_EL0.DZP): stores only");
}

static void clear_misaligned(void *arg)
{
	clear_page(arg);
}

/* Nothing is zeroed: the check comes before any store. */
static void clear_page_misaligned_bugs(struct ktest *t)
{
	struct fault_info fi;
	struct page *page;
	u8 *va = alloc_filled(t, &page);

	KTEST_EXPECT_TRUE(t, fault_expect(clear_misaligned, va + PAGE_SIZE + 64, &fi));
	KTEST_EXPECT_TRUE(t, fi.bug != NULL && fi.bug->cond != NULL &&
			     !strcmp(fi.bug->cond, "!IS_ALIGNED((uintptr_t)page, PAGE_SIZE)"));
	for (unsigned int p = 0; p < NR_PAGES; p++)
		expect_page(t, "misaligned clear_page", va, p, (int)p);
	__free_pages(page, 2);
}

static void copy_page_exact(struct ktest *t)
{
	struct page *page;
	u8 *va = alloc_filled(t, &page);

	copy_page(va + 2 * PAGE_SIZE, va + PAGE_SIZE);
	expect_page(t, "copy_page", va, 0, 0);
	expect_page(t, "copy_page", va, 1, 1);
	expect_page(t, "copy_page", va, 2, 1);
	expect_page(t, "copy_page", va, 3, 3);
	__free_pages(page, 2);
}

KTEST_SUITE(page_ops, KTEST_CASE(zva_block_from_dczid), KTEST_CASE(clear_page_zva_and_stores),
	    KTEST_CASE(clear_page_misaligned_bugs), KTEST_CASE(copy_page_exact));
