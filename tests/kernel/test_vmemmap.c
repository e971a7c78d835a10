/*
 * The memory model after boot (mm/sparse.c, arch/arm64/vmemmap.c), checked
 * against an independent model: the device tree's /memory banks (clipped
 * to where memblock ends, which mem= moves), with 128 MiB sections worked
 * out here from the banks alone. pfn_valid() is true exactly in sections
 * some bank touches; the struct pages of bank pfns name the bank's node;
 * each present section's 2 MiB of struct pages is mapped in the vmemmap
 * window from a bank of its node and nothing else in the window around
 * RAM is; the Memory: line's totals follow. A config may give the number
 * of present sections worked out by hand (ktest.present_sections=N).
 */
#include <libfdt.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "mm_helpers.h"

#define SECTION_BYTES (1ULL << SECTION_SIZE_BITS)

struct dt_bank {
	u64 base, end;
	int nid;
};

static struct dt_bank banks[DT_MAX_BANKS];
static int nr_banks;

/* The available /memory banks (node 0 unless every node has numa-node-id), clipped to memblock. */
static void read_banks(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	u64 limit = memblock_end_of_DRAM();
	int node = -1, with = 0, without = 0;

	need_nodes(t);
	nr_banks = 0;
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		const char *status = dt_string(fdt, node, "status");
		u64 base, size;
		u32 nid = 0;

		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
			continue;
		if (dt_u32(fdt, node, "numa-node-id", &nid))
			with++;
		else
			without++;
		for (int i = 0; !dt_reg(fdt, node, i, &base, &size); i++) {
			if (!size || base >= limit)
				continue;
			KTEST_ASSERT_LT(t, nr_banks, DT_MAX_BANKS);
			banks[nr_banks++] = (struct dt_bank){ base, min(base + size, limit), (int)nid };
		}
	}
	for (int i = 0; with && without && i < nr_banks; i++)
		banks[i].nid = 0;
	KTEST_ASSERT_GT(t, nr_banks, 0);
}

/* The bank holding pa, or NULL. */
static const struct dt_bank *bank_of(u64 pa)
{
	for (int i = 0; i < nr_banks; i++)
		if (pa >= banks[i].base && pa < banks[i].end)
			return &banks[i];
	return NULL;
}

/*
 * The node whose span (first to last bank of the node) holds pa, else -1:
 * where a page that is not RAM but has a struct page belongs.
 */
static int span_nid(u64 pa)
{
	for (int i = 0; i < nr_banks; i++) {
		u64 lo = banks[i].base, hi = banks[i].end;

		for (int j = 0; j < nr_banks; j++) {
			if (banks[j].nid != banks[i].nid)
				continue;
			lo = min(lo, banks[j].base);
			hi = max(hi, banks[j].end);
		}
		if (pa >= lo && pa < hi)
			return banks[i].nid;
	}
	return -1;
}

/* Whether some bank has a whole page in section nr; its lowest such address in *first. */
static bool section_has_ram(unsigned long nr, u64 *first)
{
	u64 s = (u64)nr * SECTION_BYTES, e = s + SECTION_BYTES;
	bool found = false;

	for (int i = 0; i < nr_banks; i++) {
		u64 lo = ALIGN_UP(max(s, banks[i].base), PAGE_SIZE);
		u64 hi = ALIGN_DOWN(min(e, banks[i].end), PAGE_SIZE);

		if (lo < hi && (!found || lo < *first)) {
			*first = lo;
			found = true;
		}
	}
	return found;
}

/* The sections to look at: from below the first bank to past the last. */
static void section_range(unsigned long *lo, unsigned long *hi)
{
	u64 start = ~0ULL, end = 0;

	for (int i = 0; i < nr_banks; i++) {
		start = min(start, banks[i].base);
		end = max(end, banks[i].end);
	}
	*lo = (unsigned long)(start / SECTION_BYTES);
	*lo = *lo ? *lo - 1 : 0;
	*hi = (unsigned long)((end - 1) / SECTION_BYTES) + 2;
}

/* pfn_valid() of a section's first, middle and last pfn is whether a bank is in it. */
static void pfn_valid_matches_banks(struct ktest *t)
{
	unsigned long lo, hi, present = 0, bad = 0;
	char val[16];

	read_banks(t);
	section_range(&lo, &hi);
	for (unsigned long nr = lo; nr < hi; nr++) {
		unsigned long pfn = (unsigned long)(nr * SECTION_BYTES >> PAGE_SHIFT);
		u64 first;
		bool want = section_has_ram(nr, &first);

		present += want;
		const unsigned long offs[] = { 0, PAGES_PER_SECTION / 2, PAGES_PER_SECTION - 1 };

		for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
			unsigned long off = offs[i];

			if (pfn_valid(pfn + off) != want) {
				ktest_info(t, "pfn %#lx: pfn_valid() %d, the banks say %d", pfn + off,
					   pfn_valid(pfn + off), want);
				bad++;
			}
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, present, nr_present_sections);
	KTEST_EXPECT_FALSE(t, pfn_valid(~0UL >> PAGE_SHIFT));
	if (cmdline_get(boot_info.cmdline, "ktest.present_sections", val, sizeof(val)))
		KTEST_EXPECT_EQ(t, present, strtoul(val, NULL, 0));
	ktest_info(t, "%lu banks, %lu sections present", (unsigned long)nr_banks, present);
}

/*
 * Every bank's first and last page, the pages just outside it and the
 * first and last page of its sections, those in a present section: round trip through the struct page, the bank's
 * node, RAM in a zone of that node that spans it; a page that is not RAM
 * reserved, in the node whose span holds it or else the node of its
 * section's first RAM (Linux's rule for holes at a node's edge).
 */
static void struct_pages_match_banks(struct ktest *t)
{
	unsigned long bad = 0, checked = 0;

	read_banks(t);
	for (int i = 0; i < nr_banks; i++) {
		u64 probes[] = { ALIGN_UP(banks[i].base, PAGE_SIZE), banks[i].end - 1,
				 ALIGN_UP(banks[i].end, PAGE_SIZE), banks[i].base - 1,
				 ALIGN_DOWN(banks[i].base, SECTION_BYTES),
				 ALIGN_UP(banks[i].end, SECTION_BYTES) - 1 };

		for (size_t p = 0; p < ARRAY_SIZE(probes); p++) {
			unsigned long pfn = (unsigned long)(probes[p] >> PAGE_SHIFT);
			const struct dt_bank *b = bank_of(probes[p]);
			const struct page *page;
			struct zone *zone;
			u64 first;

			if (!section_has_ram(pfn_to_section_nr(pfn), &first))
				continue;
			checked++;
			page = pfn_to_page(pfn);
			zone = page_zone(page);
			if (page_to_pfn(page) != pfn || !zone) {
				bad++;
				continue;
			}
			if (b && (page_to_nid(page) != b->nid || !zone_spans_pfn(zone, pfn) ||
				  zone->node != b->nid)) {
				ktest_info(t, "pfn %#lx: node %d zone %s, bank node %d", pfn,
					   page_to_nid(page), zone->name, b->nid);
				bad++;
			}
			if (!b) {
				int want = span_nid(probes[p]);

				if (want < 0)
					want = bank_of(first)->nid;
				if (!PageReserved(page) || page_to_nid(page) != want) {
					ktest_info(t, "pfn %#lx: not RAM: reserved %d, node %d (want %d)",
						   pfn, PageReserved(page), page_to_nid(page), want);
					bad++;
				}
			}
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_GT(t, checked, 0UL);
}

/*
 * Each present section's struct pages: 2 MiB mapped at its place in the
 * window, physically contiguous, memblock-reserved, in a bank of the node
 * of the section's first RAM (the configs' nodes all have room), a 2 MiB
 * block when aligned. Absent sections have nothing mapped.
 */
static void memmap_mapped_per_section(struct ktest *t)
{
	unsigned long lo, hi, blocks = 0, bad = 0;

	read_banks(t);
	section_range(&lo, &hi);
	for (unsigned long nr = lo; nr < hi; nr++) {
		u64 va = (u64)pfn_to_page(section_nr_to_pfn(nr)), first;
		struct pgtable_walk w, w_last;
		bool want = section_has_ram(nr, &first), mapped, last_mapped;
		const struct dt_bank *b;

		mapped = pgtable_walk(&init_pgtable, va, &w);
		last_mapped = pgtable_walk(&init_pgtable, va + SECTION_MEMMAP_SIZE - 1, &w_last);
		if (mapped != want || last_mapped != want) {
			ktest_info(t, "section %lu: struct pages mapped %d/%d, RAM %d", nr, mapped,
				   last_mapped, want);
			bad++;
			continue;
		}
		if (!want)
			continue;
		b = bank_of(w.phys);
		if (w_last.phys != w.phys + SECTION_MEMMAP_SIZE - 1 || !b ||
		    b->nid != bank_of(first)->nid ||
		    !memblock_is_region_reserved(w.phys, SECTION_MEMMAP_SIZE) ||
		    (IS_ALIGNED(w.phys, SECTION_MEMMAP_SIZE) != (w.size == SECTION_MEMMAP_SIZE))) {
			ktest_info(t, "section %lu: struct pages at %#llx (leaf %llu bytes)", nr,
				   (unsigned long long)w.phys, (unsigned long long)w.size);
			bad++;
		}
		blocks += w.size == SECTION_MEMMAP_SIZE;
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, blocks, nr_vmemmap_blocks);
}

/*
 * The Memory: line: RAM is the banks' pages less no-map ones, and the
 * reserved part holds each present section's 2 MiB of struct pages and,
 * on the configs that give ktest.present_sections, little else (the
 * image, the DTB, the table pool: well under 32 MiB), where struct pages
 * for the whole span would have cost more.
 */
static void memory_line_totals(struct ktest *t)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long ram = 0, nomap = 0, physpages = 0, managed = 0, reserved, memmap;
	char val[16];
	int nid;

	read_banks(t);
	for (int i = 0; i < nr_banks; i++)
		ram += (unsigned long)((ALIGN_DOWN(banks[i].end, PAGE_SIZE) -
					ALIGN_UP(banks[i].base, PAGE_SIZE)) >> PAGE_SHIFT);
	for (unsigned int r = 0; r < mem->cnt; r++)
		if (mem->regions[r].flags & MEMBLOCK_NOMAP)
			nomap += (unsigned long)(mem->regions[r].size >> PAGE_SHIFT);
	for_each_online_node(nid) {
		physpages += NODE_DATA(nid)->node_present_pages;
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			managed += NODE_DATA(nid)->node_zones[z].managed_pages;
	}
	KTEST_EXPECT_EQ(t, physpages, ram - nomap);
	reserved = physpages - managed;
	memmap = nr_present_sections * PAGES_PER_SECTION * sizeof(struct page) / PAGE_SIZE;
	KTEST_EXPECT_GE(t, reserved, memmap);
	if (cmdline_get(boot_info.cmdline, "ktest.present_sections", val, sizeof(val)))
		KTEST_EXPECT_LT(t, reserved, memmap + (32UL << (20 - PAGE_SHIFT)));
	ktest_info(t, "Memory: %luK RAM, %luK reserved, %luK of it struct pages",
		   physpages << 2, reserved << 2, memmap << 2);
}

static __attribute__((noinline, noipa)) void read_at(void *addr)
{
	(void)*(volatile u64 *)addr;
}

/*
 * The struct page of a pfn in a section with no RAM (the first one past
 * the banks, by the model) is not mapped: reading it really faults, and
 * the headline names the pfn.
 */
static void absent_struct_page_faults(struct ktest *t)
{
	unsigned long lo, hi, nr, pfn;
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;
	u64 first;

	read_banks(t);
	section_range(&lo, &hi);
	nr = hi - 1;
	KTEST_ASSERT_FALSE(t, section_has_ram(nr, &first));
	pfn = section_nr_to_pfn(nr) + 5;
	KTEST_ASSERT_TRUE(t, fault_expect(read_at, pfn_to_page(pfn), &fi));
	KTEST_EXPECT_STREQ(t, fi.area, "vmemmap");
	snprintf(want, sizeof(want),
		 "Unable to handle kernel paging request at virtual address %016llx (read): "
		 "vmemmap, struct page of pfn %#lx (section %lu, no RAM)",
		 (unsigned long long)pfn_to_page(pfn), pfn, nr);
	KTEST_EXPECT_STREQ(t, fi.headline, want);
}

/*
 * The page after a bank's end, inside a present section but in no bank (a
 * hole: virt-odd-ram's 513 MiB leaves 127 MiB of section 12 without RAM),
 * has a struct page but no linear mapping: virt_addr_valid() is false
 * there, and for a page only partly in a bank; true for the bank's last
 * whole page when the linear map holds it (below highmem).
 */
static void virt_addr_valid_in_holes(struct ktest *t)
{
	unsigned int holes = 0;

	read_banks(t);
	for (int i = 0; i < nr_banks; i++) {
		u64 end = banks[i].end, next = ALIGN_UP(end, PAGE_SIZE);
		u64 last = ALIGN_DOWN(end, PAGE_SIZE) - PAGE_SIZE;

		if (last >= banks[i].base && (!highmem_start || last < highmem_start))
			KTEST_EXPECT_TRUE(t, virt_addr_valid(__va(last)));
		if (end != next)
			KTEST_EXPECT_FALSE(t, virt_addr_valid(__va(end - 1)));
		if (bank_of(next) || !pfn_valid((unsigned long)(next >> PAGE_SHIFT)))
			continue;
		KTEST_EXPECT_FALSE(t, virt_addr_valid(__va(next)));
		holes++;
	}
	if (!holes)
		ktest_skip(t, "no bank ends inside a present section");
	ktest_info(t, "%u holes in present sections", holes);
}

/* init_pgtable's environment with table allocations that run out. */
static struct {
	const struct pgtable_env *orig;
	int tables_left;
} tight;

static phys_addr_t tight_alloc(void *ctx)
{
	(void)ctx;
	if (!tight.tables_left)
		return 0;
	tight.tables_left--;
	return tight.orig->alloc_table(tight.orig->ctx);
}

static void tight_free(void *ctx, phys_addr_t table)
{
	(void)ctx;
	tight.orig->free_table(tight.orig->ctx, table);
}

static void tight_sync(void *ctx)
{
	(void)ctx;
	tight.orig->sync(tight.orig->ctx);
}

static void tight_flush(void *ctx, u64 va, u64 size)
{
	(void)ctx;
	tight.orig->flush_tlb(tight.orig->ctx, va, size);
}

/*
 * vmemmap_populate() that runs out of page-table pages midway, after it
 * wrote leaves: the last quarter of the window (512 GiB, one level-0
 * entry) holds no section on any config, and a start 1 MiB past a 2 MiB
 * boundary puts the range in two level-3 tables (pages, as the VA and PA
 * alignments differ). With three tables to give (level 1, 2 and the first
 * level 3), the first half is mapped when the second level-3 table fails.
 * -ENOMEM must leave nothing: no table, no mapping, the section's memory
 * back in memblock. (pgtable_map() itself frees only tables left empty.)
 */
static void populate_failure_leaves_nothing(struct ktest *t)
{
	/* Tables are where init_pgtable's are: in the linear map. */
	const struct pgtable_env env = { tight_alloc, tight_free, NULL, tight_sync, tight_flush,
					  NULL, init_pgtable.env->table_offset };
	unsigned long start = VMEMMAP_START + VMEMMAP_SIZE / 4 * 3 + (1UL << 20);
	unsigned long tables = init_pgtable.table_pages;
	phys_addr_t reserved = memblock_reserved_size(), pa = 0;
	struct pgtable_walk w;
	int err;

	KTEST_ASSERT_FALSE(t, pgtable_walk(&init_pgtable, start, &w));
	KTEST_ASSERT_EQ(t, w.level, 0);
	tight.orig = init_pgtable.env;
	tight.tables_left = 3;
	init_pgtable.env = &env;
	err = vmemmap_populate(start, 0, &pa);
	init_pgtable.env = tight.orig;
	KTEST_EXPECT_EQ(t, err, -ENOMEM);
	KTEST_EXPECT_EQ(t, tight.tables_left, 0);
	KTEST_EXPECT_EQ(t, init_pgtable.table_pages, tables);
	KTEST_EXPECT_FALSE(t, pgtable_walk(&init_pgtable, start, &w));
	KTEST_EXPECT_EQ(t, w.level, 0);
	KTEST_EXPECT_FALSE(t, pgtable_walk(&init_pgtable, start + SECTION_MEMMAP_SIZE - 1, &w));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), reserved);
}

KTEST_SUITE(vmemmap, KTEST_CASE(pfn_valid_matches_banks), KTEST_CASE(struct_pages_match_banks),
	    KTEST_CASE(memmap_mapped_per_section), KTEST_CASE(memory_line_totals),
	    KTEST_CASE(absent_struct_page_faults), KTEST_CASE(virt_addr_valid_in_holes),
	    KTEST_CASE(populate_failure_leaves_nothing));
