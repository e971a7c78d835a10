/*
 * The kernel's final page tables (init_mm's): built in C through the
 * page-table API, then swapped in for the boot tables head.S made.
 *
 *  - the linear map of all RAM but no-map regions, with the largest blocks
 *    that fit, the kernel image's alias in it read-only;
 *  - the kernel image at KIMAGE_VADDR with 4K pages and W^X: text RX,
 *    rodata R, data/bss RW, none of it both writable and executable;
 *  - the fixmap slots and the DTB window the boot tables already had, at the
 *    same addresses, so pointers into them stay valid;
 *  - TTBR0 pointing at an empty table, so user/low addresses (NULL) fault.
 *
 * Table pages come from pgtable_alloc_page(): a 2 MiB pool from memblock,
 * mapped at its linear address in the boot tables so it is reachable before
 * the switch; after it, memblock until the hand-over to the buddy
 * allocator, then alloc_pages(GFP_KERNEL), counted in their zone's
 * NR_PAGETABLE. Freed table pages are kept for reuse by later tables.
 * Single-threaded at boot; the SMP issue adds a lock for
 * init_pgtable's later users (fixmap, ioremap, vmalloc).
 */
#include <asm/arch.h>
#include <asm/daifflags.h>
#include <asm/early_map.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/page.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <mk64/compiler.h>
#include <mk64/errno.h>
#include <mk64/gfp.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/pgtable.h>
#include <mk64/printk.h>
#include <mk64/smp.h>

extern char _text[], __start_rodata[], _sdata[], _end[], init_stack_guard[];
extern u64 kernel_l0[PTRS_PER_TABLE], kernel_l2[PTRS_PER_TABLE];
extern u64 early_fixmap_l3[PTRS_PER_TABLE];
extern u64 early_linear_l1[PTRS_PER_TABLE], early_linear_l2[PTRS_PER_TABLE];
void idmap_replace_ttbr1(phys_addr_t ttbr1, phys_addr_t empty);

phys_addr_t memstart_addr;
struct pgtable init_pgtable;

static struct {
	phys_addr_t base;	/* the boot pool, 2 MiB */
	unsigned int next;	/* pages handed out from it */
	phys_addr_t free_list;	/* freed table pages, linked through word 0 */
	bool linear_live;	/* the final linear map is in TTBR1 */
} pool;

static phys_addr_t empty_table;

#define POOL_PAGES (SECTION_SIZE / PAGE_SIZE)

phys_addr_t pgtable_alloc_page(void)
{
	phys_addr_t pa = 0;

	if (pool.free_list) {
		pa = pool.free_list;
		pool.free_list = *(phys_addr_t *)__va(pa);
	} else if (pool.base && pool.next < POOL_PAGES) {
		pa = pool.base + (phys_addr_t)pool.next++ * PAGE_SIZE;
	} else if (handover_pages) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		pa = page ? (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT : 0;
		if (page)
			__atomic_fetch_add(&page_zone(page)->vm_stat[NR_PAGETABLE], 1,
					   __ATOMIC_RELAXED);
	} else if (pool.linear_live) {
		pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	}
	if (pa)
		clear_page(__va(pa));
	return pa;
}

void pgtable_free_page(phys_addr_t pa)
{
	*(phys_addr_t *)__va(pa) = pool.free_list;
	pool.free_list = pa;
}

static phys_addr_t env_alloc(void *ctx)
{
	(void)ctx;
	return pgtable_alloc_page();
}

static void env_free(void *ctx, phys_addr_t pa)
{
	(void)ctx;
	pgtable_free_page(pa);
}

static void env_sync(void *ctx)
{
	(void)ctx;
	dsb(ishst);
	isb();
}

/*
 * By VA for small ranges, all of EL1 beyond that; a single page (a
 * one-page vmalloc area) without the loop.
 */
static __always_inline void flush_range(u64 start, u64 size)
{
	u64 last = start + size - 1;

	if (size == PAGE_SIZE) {
		dsb(ishst);
		__tlbi_vaae1is(start);
		dsb(ish);
		isb();
		return;
	}
	if (size > 64 * PAGE_SIZE) {
		flush_tlb_all();
		return;
	}
	dsb(ishst);
	/* Counted, not compared: a range ending at 2^64 must not wrap. */
	for (u64 pfn = start >> PAGE_SHIFT; pfn <= last >> PAGE_SHIFT; pfn++)
		__tlbi_vaae1is(pfn << PAGE_SHIFT);
	dsb(ish);
	isb();
}

void flush_tlb_kernel_range(u64 start, u64 size)
{
	flush_range(start, size);
}

/* The DSB ISHST before the TLBIs is the sync the page-table core skips. */
static void env_flush(void *ctx, u64 va, u64 size)
{
	(void)ctx;
	flush_range(va, size);
}

/* Tables are reached through the linear map: table_offset set by paging_init(). */
static struct pgtable_env kernel_env = {
	.alloc_table = env_alloc,
	.free_table = env_free,
	.sync = env_sync,
	.flush_tlb = env_flush,
};

static unsigned int table_index(u64 va, unsigned int shift)
{
	return (va >> shift) % PTRS_PER_TABLE;
}

/*
 * Takes a 2 MiB pool for table pages and maps it at its linear address in
 * the boot tables, which have no linear map: that is how the final tables
 * get written before they are live.
 */
static void setup_boot_pool(void)
{
	u64 va;

	pool.base = memblock_phys_alloc(SECTION_SIZE, SECTION_SIZE);
	if (!pool.base)
		panic("paging: no 2 MiB for the page-table pool");
	va = (u64)__va(pool.base);
	kernel_l0[table_index(va, L0_SHIFT)] = __pa_symbol(early_linear_l1) | DESC_TABLE;
	early_linear_l1[table_index(va, L1_SHIFT)] = __pa_symbol(early_linear_l2) | DESC_TABLE;
	early_linear_l2[table_index(va, L2_SHIFT)] = pool.base | PROT_KERNEL_RW | DESC_BLOCK;
	dsb(ishst);
	isb();
}

static void map_or_die(u64 va, phys_addr_t pa, u64 size, pgprot_t prot, unsigned int flags,
		       const char *what)
{
	int err = pgtable_map(&init_pgtable, va, pa, size, prot, flags);

	if (err)
		panic("paging: cannot map %s [%pa+0x%llx]: error %d", what, &pa,
		      (unsigned long long)size, err);
}

static void map_linear(void)
{
	const struct memblock_type *mem = &memblock.memory;

	phys_addr_t start, end;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		if (!memblock_region_linear(&mem->regions[i], &start, &end))
			continue;
		if (highmem_start)	/* highmem has no linear address */
			end = min(end, highmem_start);
		if (end > start)
			map_or_die((u64)__va(start), start, end - start, PAGE_KERNEL, 0, "RAM");
	}
}

/*
 * W^X for the image and for its alias in the linear map; the boot stack's
 * guard page stays unmapped.
 */
static void map_kernel(void)
{
	static const struct {
		char *start, *end;
		pgprot_t prot;
		const char *name;
	} sections[] = {
		{ _text, __start_rodata, PAGE_KERNEL_ROX, "kernel text" },
		{ __start_rodata, _sdata, PAGE_KERNEL_RO, "kernel rodata" },
		{ _sdata, _end, PAGE_KERNEL, "kernel data" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		u64 start = (u64)sections[i].start, size = (u64)sections[i].end - start;

		map_or_die(start, __pa_symbol(start), size, sections[i].prot, PGTABLE_NO_BLOCKS,
			   sections[i].name);
	}
	if (pgtable_unmap(&init_pgtable, (u64)init_stack_guard, PAGE_SIZE))
		panic("paging: cannot unmap the boot stack's guard page");
	if (memblock_is_memory(kimage_phys) &&
	    pgtable_protect(&init_pgtable, (u64)__va(kimage_phys),
			    (u64)_sdata - (u64)_text, PAGE_KERNEL_RO))
		panic("paging: cannot make the kernel's linear alias read-only");
}

/* The boot tables' fixmap slots and DTB window, at the same addresses. */
static void map_boot_windows(void)
{
	unsigned int fdt_index = table_index(EARLY_FDT_VADDR, L2_SHIFT);

	for (unsigned int i = 0; i < FIXADDR_SLOTS; i++) {
		u64 desc = early_fixmap_l3[i];

		if (desc & 1)
			map_or_die(FIXADDR_START + i * PAGE_SIZE, desc & PTE_ADDR_MASK, PAGE_SIZE,
				   desc & PTE_ATTR_MASK, PGTABLE_NO_BLOCKS, "fixmap");
	}
	for (unsigned int i = 0; i < EARLY_FDT_SIZE / SECTION_SIZE; i++) {
		u64 desc = kernel_l2[fdt_index + i];

		if (desc & 1)
			map_or_die(EARLY_FDT_VADDR + i * SECTION_SIZE, desc & PTE_ADDR_MASK,
				   SECTION_SIZE, PAGE_KERNEL_RO, 0, "device tree");
	}
}

static void switch_to_final_tables(void)
{
	void (*replace)(phys_addr_t, phys_addr_t) =
		(void *)__pa_symbol(idmap_replace_ttbr1);
	unsigned long flags = local_daif_save();

	replace(init_pgtable.root, empty_table);
	/* The identity map is no longer needed: low addresses now fault. */
	write_sysreg(empty_table, ttbr0_el1);
	/* WXN: whatever is writable is never executable, whatever a map says. */
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_WXN, sctlr_el1);
	isb();
	local_flush_tlb_all();
	local_daif_restore(flags);
	pool.linear_live = true;
}

/* RAM the linear map or the CPU cannot address is dropped, and said so. */
static void clip_unaddressable_ram(void)
{
	phys_addr_t limit = min(memstart_addr + LINEAR_MAP_SIZE,
				(phys_addr_t)1 << arch_phys_addr_bits());

	if (memblock_end_of_DRAM() > limit) {
		pr_warn("paging: ignoring RAM above %pa: beyond the linear map or the CPU's %u-bit physical range\n",
			&limit, arch_phys_addr_bits());
		memblock_cap_memory(limit);
	}
}

void paging_init(void)
{
	memstart_addr = ALIGN_DOWN(memblock_start_of_DRAM(), PUD_SIZE);
	kernel_env.table_offset = (u64)__va(0);
	clip_unaddressable_ram();
	setup_boot_pool();
	empty_table = pgtable_alloc_page();
	if (!empty_table || pgtable_init(&init_pgtable, &kernel_env))
		panic("paging: no memory for the root tables");
	map_linear();
	map_kernel();
	map_boot_windows();
	switch_to_final_tables();
	pr_info("paging: final tables live: %lu table pages (%lu KiB), TTBR0 empty\n",
		init_pgtable.table_pages, init_pgtable.table_pages * PAGE_SIZE / 1024);
}

bool mmu_final_tables_live(void)
{
	return pool.linear_live;
}

static void print_region(const char *name, u64 start, u64 end)
{
	static const struct { unsigned int shift; const char *unit; } units[] = {
		{ 40, "TiB" }, { 30, "GiB" }, { 20, "MiB" },
	};
	u64 size = end - start;
	size_t u = 0;

	while (u < ARRAY_SIZE(units) - 1 && size < (UL(1) << units[u].shift))
		u++;
	pr_info("    %-9s: 0x%016llx - 0x%016llx   (%6llu %s)\n", name, (unsigned long long)start,
		(unsigned long long)end, (unsigned long long)(size >> units[u].shift),
		units[u].unit);
}

void print_memory_layout(void)
{
	extern char __end_rodata[], _edata[], __bss_start[], __bss_end[];
	const struct { const char *name; char *start, *end; } sections[] = {
		{ ".text", _text, __start_rodata },
		{ ".rodata", __start_rodata, __end_rodata },
		{ ".data", _sdata, _edata },
		{ ".bss", __bss_start, __bss_end },
	};

	pr_info("Virtual kernel memory layout:\n");
	print_region("linear", PAGE_OFFSET, PAGE_OFFSET + LINEAR_MAP_SIZE);
	print_region("  RAM", (u64)__va(memblock_start_of_DRAM()),
		     (u64)__va(memblock_end_of_DRAM()));
	print_region("kimage", KIMAGE_VADDR, KIMAGE_VADDR + KIMAGE_MAX_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		pr_info("    %9s: 0x%016llx - 0x%016llx   (%6llu KiB)\n", sections[i].name,
			(unsigned long long)sections[i].start, (unsigned long long)sections[i].end,
			(unsigned long long)((u64)sections[i].end - (u64)sections[i].start) >> 10);
	print_region("dtb win", EARLY_FDT_VADDR, EARLY_FDT_VADDR + EARLY_FDT_SIZE);
	print_region("fixmap", FIXADDR_START, FIXADDR_END);
	print_region("vmalloc", VMALLOC_START, VMALLOC_END);
	print_region("vmemmap", VMEMMAP_START, VMEMMAP_START + VMEMMAP_SIZE);
	print_region("pkmap", PKMAP_BASE, PKMAP_BASE + PKMAP_SIZE);
}
