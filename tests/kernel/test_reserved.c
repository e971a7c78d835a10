/*
 * Reservations from the device tree (and the initrd) are honoured end to
 * end: memblock has them, no-map ones are out of the linear map, and no
 * page the buddy allocator hands out ever overlaps one; mem= is obeyed.
 * Runs where the tree has some (virt-reserved, virt-mem-initrd); skips
 * elsewhere.
 */
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/dt.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/mmzone.h>

static struct dt_reserved rsv[DT_MAX_RESERVED];

/* The tree's reservations, the initrd included; skips when there are none. */
static int tree_reservations(struct ktest *t)
{
	int n = dt_reserved_ranges(boot_info.fdt, rsv, DT_MAX_RESERVED - 16);
	const struct dt_reserved *dyn;
	int ndyn = memblock_dt_dynamic(&dyn);
	phys_addr_t start, end;

	for (int i = 0; n >= 0 && i < ndyn; i++)
		rsv[n++] = dyn[i];
	if (n >= 0 && dt_initrd(boot_info.fdt, &start, &end))
		rsv[n++] = (struct dt_reserved){ start, end - start, DT_RSV_MEMRESERVE, false,
						 "initrd" };
	if (n <= 0)
		ktest_skip(t, "no /memreserve/, /reserved-memory or initrd in this tree");
	return n;
}

static bool linear_mapped(phys_addr_t pa)
{
	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(__va(pa)));
	return !(read_sysreg(par_el1) & 1);
}

static void memblock_has_them(struct ktest *t)
{
	int n = tree_reservations(t);

	for (int i = 0; i < n; i++) {
		KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(rsv[i].base, rsv[i].size));
		KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(rsv[i].base + rsv[i].size - 1, 1));
	}
}

static void no_map_is_not_mapped(struct ktest *t)
{
	int n = tree_reservations(t), nomap = 0;

	for (int i = 0; i < n; i++) {
		bool mapped = linear_mapped(rsv[i].base) ||
			      linear_mapped(rsv[i].base + rsv[i].size - 1);

		KTEST_EXPECT_EQ(t, mapped, !rsv[i].no_map);
		nomap += rsv[i].no_map;
		/* Its struct page exists; the linear map still has no page of it. */
		if (rsv[i].no_map && pfn_valid(rsv[i].base >> PAGE_SHIFT)) {
			KTEST_EXPECT_FALSE(t, virt_addr_valid(__va(rsv[i].base)));
			KTEST_EXPECT_FALSE(t, virt_addr_valid(__va(rsv[i].base + rsv[i].size - 1)));
		}
	}
	if (!nomap)
		ktest_skip(t, "no no-map reservation in this tree");
}

static bool overlaps(phys_addr_t a, u64 alen, phys_addr_t b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* Takes every free block, checks none overlaps a reservation, gives all back. */
static void allocations_avoid_them(struct ktest *t)
{
	static struct page *taken[4096];
	static unsigned int order_of[4096];
	unsigned int count = 0, bad = 0;
	int n = tree_reservations(t);

	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		struct page *page;

		while (count < ARRAY_SIZE(taken) && (page = alloc_pages_no_watermarks(order))) {
			phys_addr_t pa = (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;

			for (int i = 0; i < n; i++)
				bad += overlaps(pa, PAGE_SIZE << order, rsv[i].base, rsv[i].size);
			bad += overlaps(pa, PAGE_SIZE << order, boot_info.kimage_phys, 1) ||
			       overlaps(pa, PAGE_SIZE << order, boot_info.fdt_phys,
					dt_size(boot_info.fdt));
			order_of[count] = order;
			taken[count++] = page;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0u);
	KTEST_EXPECT_LT(t, count, (unsigned int)ARRAY_SIZE(taken));
	KTEST_EXPECT_TRUE(t, alloc_pages_no_watermarks(0) == NULL);
	while (count--)
		KTEST_EXPECT_TRUE(t, free_pages_no_pcp(taken[count], order_of[count]));
}

/* mem=SIZE leaves exactly SIZE of RAM, all of it in the zones. */
static void mem_limit_honoured(struct ktest *t)
{
	unsigned long present = 0;
	char val[24];
	int nid;

	if (!cmdline_get(boot_info.cmdline, "mem", val, sizeof(val)))
		ktest_skip(t, "no mem= on the command line");
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), (phys_addr_t)memparse(val, NULL));
	for_each_online_node(nid)
		present += NODE_DATA(nid)->node_present_pages;
	KTEST_EXPECT_EQ(t, (u64)present << PAGE_SHIFT, memparse(val, NULL));
}

/* virt-reserved's size-only "pool" child got its 4 MiB somewhere in RAM. */
static void dynamic_allocated(struct ktest *t)
{
	const struct dt_reserved *dyn;
	int n = memblock_dt_dynamic(&dyn);

	if (!n)
		ktest_skip(t, "no size-only /reserved-memory child in this tree");
	for (int i = 0; i < n; i++) {
		KTEST_EXPECT_TRUE(t, memblock_is_memory(dyn[i].base));
		KTEST_EXPECT_TRUE(t, memblock_is_memory(dyn[i].base + dyn[i].size - 1));
		KTEST_EXPECT_EQ(t, dyn[i].base & (PAGE_SIZE - 1), 0ull);
	}
}

KTEST_SUITE(reserved, KTEST_CASE(memblock_has_them), KTEST_CASE(dynamic_allocated), KTEST_CASE(no_map_is_not_mapped),
	    KTEST_CASE(allocations_avoid_them), KTEST_CASE(mem_limit_honoured));
