/*
 * highmem=SIZE (the virt-highmem config): the top of RAM is ZONE_HIGHMEM,
 * has no linear address, is handed out only to requests that allow it, and
 * __GFP_ZERO still zeroes it. Skips without highmem=.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>

static struct zone *highmem_zone(struct ktest *t)
{
	if (!highmem_start)
		ktest_skip(t, "no highmem= on the command line");
	return &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];
}

static void zone_covers_top_of_ram(struct ktest *t)
{
	struct zone *zone = highmem_zone(t);

	KTEST_EXPECT_EQ(t, (phys_addr_t)zone->zone_start_pfn << PAGE_SHIFT, highmem_start);
	KTEST_EXPECT_EQ(t, (phys_addr_t)zone_end_pfn(zone) << PAGE_SHIFT, memblock_end_of_DRAM());
	KTEST_EXPECT_GT(t, zone->managed_pages, 0ul);
	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(__va(highmem_start)));
	KTEST_EXPECT_EQ(t, read_sysreg(par_el1) & 1, 1ull);
	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(__va(highmem_start - PAGE_SIZE)));
	KTEST_EXPECT_EQ(t, read_sysreg(par_el1) & 1, 0ull);
}

static void only_highmem_requests_get_it(struct ktest *t)
{
	struct page *page;

	highmem_zone(t);
	page = alloc_pages(GFP_HIGHUSER, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, PageHighMem(page));
	KTEST_EXPECT_TRUE(t, page_address(page) == NULL);
	__free_pages(page, 0);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_FALSE(t, PageHighMem(page));
	KTEST_EXPECT_TRUE(t, page_address(page) != NULL);
	__free_pages(page, 0);
}

/* Dirties a highmem page through a scratch mapping, then asks for it zeroed. */
static void zeroed_without_linear_address(struct ktest *t)
{
	u64 va = VMALLOC_END - 0x400000;	/* far from vmalloc's areas, at the region's bottom */
	struct page *page;
	phys_addr_t pa;
	bool zero = true;

	highmem_zone(t);
	page = alloc_pages(GFP_HIGHUSER, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pa = (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
	KTEST_ASSERT_EQ(t, pgtable_map(&init_pgtable, va, pa, PAGE_SIZE, PAGE_KERNEL,
				       PGTABLE_NO_BLOCKS), 0);
	for (unsigned long i = 0; i < PAGE_SIZE / 8; i++)
		((volatile u64 *)va)[i] = ~0ull;
	__free_pages(page, 0);
	/* The per-CPU list hands the same page back: hot from the head. */
	page = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT, pa);
	for (unsigned long i = 0; i < PAGE_SIZE / 8; i++)
		zero &= ((volatile u64 *)va)[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&init_pgtable, va, PAGE_SIZE), 0);
	__free_pages(page, 0);
}

KTEST_SUITE(highmem, KTEST_CASE(zone_covers_top_of_ram), KTEST_CASE(only_highmem_requests_get_it),
	    KTEST_CASE(zeroed_without_linear_address));
