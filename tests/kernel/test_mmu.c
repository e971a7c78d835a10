/*
 * The final page tables, checked through the hardware (AT S1E1R) and the
 * page-table API: the linear map matches __pa/__va and never reaches past
 * RAM, blocks are as large as alignment allows, the image is W^X, and
 * low addresses, holes and memory beyond RAM are unmapped.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <mk64/compiler.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>

extern char _text[], __start_rodata[], _sdata[], _end[], init_stack[], init_stack_guard[];

/* The hardware's translation of va for a kernel read, or 0 when it faults. */
static phys_addr_t at_translate(u64 va)
{
	u64 par;

	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va));
	par = read_sysreg(par_el1);
	return (par & 1) ? 0 : (par & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
}

static void need_final_tables(struct ktest *t)
{
	if (!mmu_final_tables_live())
		ktest_skip(t, "final page tables not live");
}

/*
 * Calls fn for a spread of pages in every linear-mapped RAM region, passing
 * the region as the linear map covers it (highmem cut off).
 */
static void for_each_sample(struct ktest *t,
			    void (*fn)(struct ktest *t, const struct memblock_region *r, phys_addr_t pa))
{
	const struct memblock_type *mem = &memblock.memory;
	phys_addr_t start, end;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		struct memblock_region r = mem->regions[i];

		if (!memblock_region_linear(&r, &start, &end))
			continue;
		if (highmem_start)
			end = min(end, highmem_start);
		if (end <= start)
			continue;
		r.size = min(r.base + r.size, end) - r.base;
		for (phys_addr_t pa = start; pa < end; pa += (end - start) / 7 + PAGE_SIZE)
			fn(t, &r, ALIGN_DOWN(pa, PAGE_SIZE));
		fn(t, &r, end - PAGE_SIZE);
	}
}

static void check_linear(struct ktest *t, const struct memblock_region *r, phys_addr_t pa)
{
	struct pgtable_walk w;
	u64 va = (u64)__va(pa) + 0x18;

	(void)r;
	KTEST_EXPECT_EQ(t, at_translate(va), pa + 0x18);
	KTEST_EXPECT_EQ(t, __pa(va), pa + 0x18);
	KTEST_EXPECT_TRUE(t, pgtable_walk(&init_pgtable, va, &w));
	KTEST_EXPECT_EQ(t, w.phys, pa + 0x18);
}

static void linear_map_translates(struct ktest *t)
{
	need_final_tables(t);
	for_each_sample(t, check_linear);
}

/* Largest block inside the region whose interior no W^X edge splits. */
static u64 expected_block(const struct memblock_region *r, phys_addr_t pa)
{
	static const u64 sizes[] = { PUD_SIZE, SECTION_SIZE, PAGE_SIZE };
	phys_addr_t alias_end = kimage_phys + ((u64)_sdata - (u64)_text);

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		phys_addr_t b = ALIGN_DOWN(pa, sizes[i]), e = b + sizes[i];
		bool split = (kimage_phys > b && kimage_phys < e) || (alias_end > b && alias_end < e);

		if (b >= r->base && e <= r->base + r->size && !split)
			return sizes[i];
	}
	return 0;
}

static void check_block(struct ktest *t, const struct memblock_region *r, phys_addr_t pa)
{
	struct pgtable_walk w;

	KTEST_ASSERT_TRUE(t, pgtable_walk(&init_pgtable, (u64)__va(pa), &w));
	KTEST_EXPECT_EQ(t, w.size, expected_block(r, pa));
	/* The block never maps anything outside RAM. */
	KTEST_EXPECT_GE(t, ALIGN_DOWN(pa, w.size), r->base);
	KTEST_EXPECT_LE(t, ALIGN_DOWN(pa, w.size) + w.size, r->base + r->size);
}

static void linear_map_block_sizes(struct ktest *t)
{
	need_final_tables(t);
	for_each_sample(t, check_block);
}

static void kernel_image_translates(struct ktest *t)
{
	char *syms[] = { _text, __start_rodata, _sdata, init_stack, _end - 1 };

	need_final_tables(t);
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++)
		KTEST_EXPECT_EQ(t, at_translate((u64)syms[i]), __pa_symbol(syms[i]));
}

static u64 leaf_attrs(struct ktest *t, u64 va)
{
	struct pgtable_walk w;

	if (!pgtable_walk(&init_pgtable, va, &w)) {
		ktest_info(t, "0x%llx is not mapped", (unsigned long long)va);
		return 0;
	}
	return w.desc & (PTE_AP_RO | PTE_PXN | PTE_UXN);
}

static void kernel_is_w_xor_x(struct ktest *t)
{
	need_final_tables(t);
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)_text), PTE_AP_RO | PTE_UXN);
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)__start_rodata), PTE_AP_RO | PTE_PXN | PTE_UXN);
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)_sdata), PTE_PXN | PTE_UXN);
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)_end - 1), PTE_PXN | PTE_UXN);
	/* The linear alias of text and rodata is read-only, and nothing there runs. */
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)__va(kimage_phys)), PTE_AP_RO | PTE_PXN | PTE_UXN);
	KTEST_EXPECT_EQ(t, leaf_attrs(t, (u64)__va(__pa_symbol(_sdata))), PTE_PXN | PTE_UXN);
}

static void holes_are_unmapped(struct ktest *t)
{
	need_final_tables(t);
	KTEST_EXPECT_EQ(t, at_translate(0), 0ull);
	KTEST_EXPECT_EQ(t, at_translate(0x40000000), 0ull);
	KTEST_EXPECT_EQ(t, at_translate(VMALLOC_START), 0ull);
	KTEST_EXPECT_EQ(t, at_translate(PKMAP_BASE), 0ull);
	KTEST_EXPECT_EQ(t, at_translate((u64)init_stack_guard), 0ull);
	KTEST_EXPECT_NE(t, at_translate((u64)init_stack_guard - 1), 0ull);
	KTEST_EXPECT_EQ(t, at_translate((u64)__va(memblock_end_of_DRAM())), 0ull);
	if (memblock_start_of_DRAM() > PHYS_OFFSET)
		KTEST_EXPECT_EQ(t, at_translate((u64)__va(memblock_start_of_DRAM()) - PAGE_SIZE), 0ull);
}

static void write_byte(void *p)
{
	*(volatile u8 *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile u8 *)p;
}

/*
 * Scratch addresses for mappings made by hand: at the top of the vmalloc
 * region, far from the areas vmalloc hands out from its bottom (stacks,
 * the GIC's registers: a GICv3's redistributor region is 15 MiB on QEMU).
 */
#define SCRATCH_VA (VMALLOC_END - 0x800000)

/* Map, protect and unmap on the live tables: the TLB must follow each step. */
static void live_map_protect_unmap(struct ktest *t)
{
	u64 va = SCRATCH_VA + 0x123000, size = 4 * PAGE_SIZE;
	unsigned long tables = init_pgtable.table_pages;
	struct fault_info f;
	struct page *page;
	phys_addr_t pa;

	need_final_tables(t);
	page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pa = (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
	KTEST_ASSERT_EQ(t, pgtable_map(&init_pgtable, va, pa, size, PAGE_KERNEL, PGTABLE_NO_BLOCKS), 0);
	*(volatile u64 *)(va + 8) = 0x5eed;
	KTEST_EXPECT_EQ(t, *(volatile u64 *)__va(pa + 8), 0x5eedull);

	KTEST_EXPECT_EQ(t, pgtable_protect(&init_pgtable, va + PAGE_SIZE, PAGE_SIZE, PAGE_KERNEL_RO), 0);
	KTEST_EXPECT_TRUE(t, fault_expect(write_byte, (void *)(va + PAGE_SIZE), &f));
	KTEST_EXPECT_EQ(t, (int)f.kind, (int)FAULT_PERMISSION);
	KTEST_EXPECT_EQ(t, f.far, va + PAGE_SIZE);
	KTEST_EXPECT_FALSE(t, fault_expect(read_byte, (void *)(va + PAGE_SIZE), &f));

	KTEST_EXPECT_EQ(t, pgtable_unmap(&init_pgtable, va + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_TRUE(t, fault_expect(read_byte, (void *)(va + 2 * PAGE_SIZE), &f));
	KTEST_EXPECT_EQ(t, (int)f.kind, (int)FAULT_TRANSLATION);
	KTEST_EXPECT_FALSE(t, fault_expect(write_byte, (void *)(va + 3 * PAGE_SIZE), &f));

	KTEST_EXPECT_EQ(t, pgtable_unmap(&init_pgtable, va, size), 0);
	KTEST_EXPECT_TRUE(t, fault_expect(read_byte, (void *)va, &f));
	KTEST_EXPECT_EQ(t, init_pgtable.table_pages, tables);
	__free_pages(page, 2);
}

static void call_code(void *code)
{
	((void (*)(void))code)();
}

/* SCTLR_EL1.WXN: a writable mapping never executes, even if it asks to. */
static void writable_never_executes(struct ktest *t)
{
	u64 va = SCRATCH_VA + 0x200000;
	struct fault_info f;
	struct page *page;
	phys_addr_t pa;

	need_final_tables(t);
	KTEST_EXPECT_TRUE(t, read_sysreg(sctlr_el1) & SCTLR_WXN);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pa = (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
	KTEST_ASSERT_EQ(t, pgtable_map(&init_pgtable, va, pa, PAGE_SIZE, PAGE_KERNEL_EXEC,
				       PGTABLE_NO_BLOCKS), 0);
	*(volatile u32 *)va = 0xd65f03c0; /* ret */
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 : : "r"(va) : "memory");
	KTEST_EXPECT_TRUE(t, fault_expect(call_code, (void *)va, &f));
	KTEST_EXPECT_EQ(t, (int)f.access, (int)FAULT_EXEC);
	KTEST_EXPECT_EQ(t, (int)f.kind, (int)FAULT_PERMISSION);
	KTEST_EXPECT_EQ(t, pgtable_unmap(&init_pgtable, va, PAGE_SIZE), 0);
	__free_pages(page, 0);
}

static void table_pages_accounted(struct ktest *t)
{
	need_final_tables(t);
	KTEST_EXPECT_GE(t, init_pgtable.table_pages, 4ul);
	KTEST_EXPECT_EQ(t, read_sysreg(ttbr1_el1) & PTE_ADDR_MASK, init_pgtable.root);
}

KTEST_SUITE(mmu, KTEST_CASE(linear_map_translates), KTEST_CASE(linear_map_block_sizes),
	    KTEST_CASE(kernel_image_translates), KTEST_CASE(kernel_is_w_xor_x),
	    KTEST_CASE(holes_are_unmapped), KTEST_CASE(live_map_protect_unmap),
	    KTEST_CASE(writable_never_executes),
	    KTEST_CASE(table_pages_accounted));
