/*
 * Nodes, zones and the hand-over from memblock (mm/mm_init.c), checked
 * against the device tree and memblock as they are after boot: the nodes
 * the DT names, the boot CPU's node, zone_dma_bits and the zones the config
 * works out by hand, zones that tile each node, struct pages that say what
 * they are, exactly the free memblock pages handed to the buddy allocator
 * (and still there, but for what the kernel allocated since), and blocks
 * from every zone that are real, mapped, unreserved RAM.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/memory.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/dt.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/list.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/pfn.h>
#include <mk64/spinlock.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "mm_helpers.h"

static unsigned long node_end_pfn(const pg_data_t *pgdat)
{
	return pgdat->node_start_pfn + pgdat->node_spanned_pages;
}

/* The available /memory nodes' ids: a bit per id, 0 for UMA. */
static u64 dt_node_ids(const void *fdt, bool *numa)
{
	int node = -1, with = 0, without = 0;
	u64 ids = 0;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		const char *status = dt_string(fdt, node, "status");
		u32 nid;

		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
			continue;
		if (dt_u32(fdt, node, "numa-node-id", &nid) && nid < MAX_NUMNODES) {
			ids |= 1ULL << nid;
			with++;
		} else {
			without++;
		}
	}
	*numa = with && !without;
	return *numa ? ids : 1;
}

/* Every online node is a DT node id and the other way round (RAM permitting). */
static void nodes_match_dt(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	int nid, count = 0;
	bool numa;
	u64 ids;

	need_nodes(t);
	ids = dt_node_ids(fdt, &numa);
	ktest_info(t, "%d node(s), DT %s", nr_online_nodes, numa ? "NUMA" : "UMA");
	for_each_online_node(nid) {
		KTEST_EXPECT_TRUE(t, ids & (1ULL << nid));
		KTEST_EXPECT_EQ(t, NODE_DATA(nid)->node_id, nid);
		count++;
	}
	KTEST_EXPECT_EQ(t, count, nr_online_nodes);
	KTEST_EXPECT_EQ(t, count, __builtin_popcountll(ids));
}

/* Each /memory bank's RAM lies inside the span of the node the DT names. */
static void node_spans_cover_banks(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	const struct memblock_type *mem = &memblock.memory;
	int node = -1, pieces = 0;
	bool numa;

	need_nodes(t);
	dt_node_ids(fdt, &numa);
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		u32 nid = 0;
		u64 base, size;

		if (numa)
			dt_u32(fdt, node, "numa-node-id", &nid);
		for (int i = 0; !dt_reg(fdt, node, i, &base, &size); i++) {
			for (unsigned int r = 0; r < mem->cnt; r++) {
				const struct memblock_region *reg = &mem->regions[r];
				unsigned long s = PFN_UP(max(base, reg->base));
				unsigned long e = PFN_DOWN(min(base + size, reg->base + reg->size));

				if (s >= e)
					continue;
				pieces++;
				KTEST_ASSERT_TRUE(t, node_online((int)nid));
				KTEST_EXPECT_GE(t, s, NODE_DATA(nid)->node_start_pfn);
				KTEST_EXPECT_LE(t, e, node_end_pfn(NODE_DATA(nid)));
			}
		}
	}
	KTEST_EXPECT_GT(t, pieces, 0);
}

/* node_distance() is the DT's distance-matrix, or 10 local / 20 remote. */
static void distances_match_dt(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	int map = dt_find_compatible(fdt, "numa-distance-map-v1");
	const fdt32_t *m = NULL;
	int a, b, len = 0;

	need_nodes(t);
	if (map >= 0)
		m = fdt_getprop(fdt, map, "distance-matrix", &len);
	for_each_online_node(a) {
		for_each_online_node(b) {
			int want = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;

			/* The last entry for a -> b, or for b -> a when b < a (Linux's rule). */
			for (int i = 0; m && i < len / 12; i++) {
				int from = (int)fdt32_to_cpu(m[3 * i]), to = (int)fdt32_to_cpu(m[3 * i + 1]);

				if ((from == a && to == b) || (from == b && to == a && b < a))
					want = (int)fdt32_to_cpu(m[3 * i + 2]);
			}
			KTEST_EXPECT_EQ(t, node_distance(a, b), want);
		}
	}
}

/*
 * The zones tile their node in order, DMA below 4 GiB (RAM starting below
 * it), with managed <= present <= spanned and struct pages that name their
 * zone and node.
 */
static void zones_tile_nodes(struct ktest *t)
{
	bool low_ram = memblock_start_of_DRAM() < (1ULL << 32);
	int nid;

	need_nodes(t);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long next = pgdat->node_start_pfn, present = 0;

		KTEST_EXPECT_EQ(t, pgdat->nr_zones, highmem_start ? ZONE_HIGHMEM + 1 : ZONE_NORMAL + 1);
		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];

			KTEST_EXPECT_EQ(t, zone->zone_start_pfn, next);
			KTEST_EXPECT_EQ(t, zone->node, nid);
			KTEST_EXPECT_EQ(t, (int)zone->type, z);
			KTEST_EXPECT_TRUE(t, zone->zone_mem_map == pfn_to_page(zone->zone_start_pfn));
			KTEST_EXPECT_LE(t, zone->managed_pages, zone->present_pages);
			KTEST_EXPECT_LE(t, zone->present_pages, zone->spanned_pages);
			if (z == ZONE_DMA && low_ram)
				KTEST_EXPECT_LE(t, zone_end_pfn(zone), 1UL << (32 - PAGE_SHIFT));
			/* A zone may start or end in a hole without struct pages. */
			if (zone->spanned_pages && pfn_valid(zone->zone_start_pfn) &&
			    pfn_valid(zone_end_pfn(zone) - 1)) {
				struct page *first = zone->zone_mem_map;
				struct page *last = first + zone->spanned_pages - 1;

				KTEST_EXPECT_EQ(t, (int)page_zonenum(first), z);
				KTEST_EXPECT_EQ(t, (int)page_zonenum(last), z);
				KTEST_EXPECT_EQ(t, page_to_nid(first), nid);
				KTEST_EXPECT_EQ(t, page_to_nid(last), nid);
			}
			next = zone_end_pfn(zone);
			present += zone->present_pages;
		}
		KTEST_EXPECT_EQ(t, next, node_end_pfn(pgdat));
		KTEST_EXPECT_EQ(t, present, pgdat->node_present_pages);
	}
}

/* Each node's pg_data_t: linear-mapped, memblock-reserved, on the node (struct pages: the vmemmap suite). */
static void memmap_on_node(struct ktest *t)
{
	int nid;

	need_nodes(t);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long pfn = PFN_DOWN(__pa(pgdat));

		KTEST_EXPECT_TRUE(t, virt_addr_is_linear(pgdat));
		KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(__pa(pgdat), sizeof(*pgdat)));
		KTEST_EXPECT_GE(t, pfn, pgdat->node_start_pfn);
		KTEST_EXPECT_LT(t, pfn, node_end_pfn(pgdat));
	}
}

/* True when some node of the tree has a dma-ranges property. */
static bool dt_has_dma_ranges(const void *fdt)
{
	for (int node = 0, depth = 0; node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth))
		if (fdt_getprop(fdt, node, "dma-ranges", NULL))
			return true;
	return false;
}

/*
 * zone_dma_bits is what the config says: ktest.zone_dma_bits= (a DT whose
 * dma-ranges lower it), else the zone_dma_bits= bootarg, else 32 for a tree
 * without dma-ranges.
 */
static void zone_dma_bits_as_configured(struct ktest *t)
{
	const char *cmdline = boot_info.cmdline;
	unsigned long want;
	char val[8];

	need_nodes(t);
	if (cmdline_get(cmdline, "ktest.zone_dma_bits", val, sizeof(val)) ||
	    cmdline_get(cmdline, "zone_dma_bits", val, sizeof(val)))
		want = strtoul(val, NULL, 0);
	else if (!dt_has_dma_ranges(boot_info.fdt))
		want = 32;
	else
		ktest_skip(t, "dma-ranges without ktest.zone_dma_bits= to say what they give");
	KTEST_EXPECT_EQ(t, (unsigned long)zone_dma_bits, want);
}

/*
 * Every populated zone spans exactly the range the config worked out by
 * hand (ktest.zones=), and every zone it does not list is empty.
 */
static void zones_as_configured(struct ktest *t)
{
	const struct config_zone *want;
	bool listed[MAX_NUMNODES][MAX_NR_ZONES] = { { false } };
	int n, nid;

	need_nodes(t);
	n = config_zones(t, &want);
	for (int i = 0; i < n; i++) {
		const struct config_zone *w = &want[i];
		const struct zone *zone;

		KTEST_ASSERT_TRUE(t, node_online(w->nid));
		KTEST_ASSERT_LT(t, (int)w->type, NODE_DATA(w->nid)->nr_zones);
		zone = &NODE_DATA(w->nid)->node_zones[w->type];
		listed[w->nid][w->type] = true;
		ktest_info(t, "node %d zone %s: [mem %#llx-%#llx] expected", w->nid, zone->name,
			   (unsigned long long)w->first, (unsigned long long)w->last);
		KTEST_EXPECT_EQ(t, zone->zone_start_pfn, PFN_DOWN(w->first));
		KTEST_EXPECT_EQ(t, zone_end_pfn(zone), PFN_DOWN(w->last) + 1);
	}
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			if (!listed[nid][z])
				KTEST_EXPECT_EQ(t, NODE_DATA(nid)->node_zones[z].spanned_pages, 0UL);
}

/*
 * CPU 0 is on the node of the cpu node whose reg is this CPU's MPIDR (0
 * without numa-node-id); the CPUs the DT lists have nodes, the next has
 * none.
 */
static void boot_cpu_node(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	int cpus = fdt_path_offset(fdt, "/cpus"), node, want = -1, count = 0;
	u64 hwid = arch_cpu_hwid();

	need_nodes(t);
	KTEST_ASSERT_GE(t, cpus, 0);
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		u32 nid = 0;
		int len;

		if (!type || strcmp(type, "cpu"))
			continue;
		count++;
		reg = fdt_getprop(fdt, node, "reg", &len);
		KTEST_ASSERT_TRUE(t, reg && (len == 4 || len == 8));
		if ((len == 4 ? fdt32_to_cpu(reg[0]) : fdt64_ld((const fdt64_t *)reg)) != hwid)
			continue;
		dt_u32(fdt, node, "numa-node-id", &nid);
		want = (int)nid;
	}
	KTEST_ASSERT_GE(t, want, 0);
	if (!node_online(want))
		ktest_skip(t, "the boot CPU's node has no memory");
	ktest_info(t, "boot CPU MPIDR %#llx: DT node %d, cpu_to_node(0) %d, %d CPUs",
		   (unsigned long long)hwid, want, cpu_to_node(0), count);
	KTEST_EXPECT_EQ(t, cpu_to_node(0), want);
	KTEST_EXPECT_EQ(t, numa_node_id(), want);
	for (int cpu = 0; cpu < count && cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_TRUE(t, node_online(cpu_to_node((unsigned int)cpu)));
	if (count < NR_CPUS)
		KTEST_EXPECT_EQ(t, cpu_to_node((unsigned int)count), NUMA_NO_NODE);
}

/* Pages of RAM (no-map excluded) that no reserved range touches. */
static unsigned long memblock_free_pages(void)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long n = 0;

	for (unsigned int r = 0; r < mem->cnt; r++) {
		const struct memblock_region *reg = &mem->regions[r];

		if (reg->flags & MEMBLOCK_NOMAP)
			continue;
		for (unsigned long pfn = PFN_UP(reg->base); pfn < PFN_DOWN(reg->base + reg->size); pfn++)
			n += !memblock_is_region_reserved((phys_addr_t)pfn << PAGE_SHIFT, PAGE_SIZE);
	}
	return n;
}

/* Pages in zone's free lists, counted block by block. */
static unsigned long free_list_pages(struct zone *zone)
{
	unsigned long pages = 0;
	struct page *page;

	spin_lock(&zone->lock);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		list_for_each_entry(page, &zone->free_area[order].free_list, lru)
			pages += 1UL << order;
	spin_unlock(&zone->lock);
	return pages;
}

/*
 * Pages the kernel itself may hold from the buddy allocator when this
 * suite runs (the framework has emptied the per-CPU lists): none yet, a
 * slab or so per cache once SLUB's boot caches exist. Far below a block of
 * the order the hand-over gives most memory in (MAX_PAGE_ORDER, 1024
 * pages), so losing one still fails.
 */
#define BOOT_PAGES_IN_USE_MAX 256

/*
 * The hand-over released exactly memblock's free pages, all of them
 * managed; every other page of a zone is still reserved. What the free
 * lists hold is what NR_FREE_PAGES says, never more than the zone manages,
 * and short of it only by what the kernel has allocated since.
 */
static void handover_accounting(struct ktest *t)
{
	unsigned long managed = 0, free = 0;
	int nid;

	need_nodes(t);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long reserved = 0, absent = 0;
			unsigned long zone_free = zone_page_state(zone, NR_FREE_PAGES);

			/* Pages of absent sections have no struct page: count them apart. */
			for (unsigned long i = 0; i < zone->spanned_pages; i++) {
				if (!pfn_valid(zone->zone_start_pfn + i))
					absent++;
				else
					reserved += PageReserved(&zone->zone_mem_map[i]);
			}
			KTEST_EXPECT_EQ(t, reserved + absent, zone->spanned_pages - zone->managed_pages);
			KTEST_EXPECT_EQ(t, free_list_pages(zone), zone_free);
			KTEST_EXPECT_LE(t, zone_free, zone->managed_pages);
			managed += zone->managed_pages;
			free += zone_free;
		}
	}
	ktest_info(t, "%lu pages managed, %lu free, %lu in use", managed, free, managed - free);
	KTEST_EXPECT_LE(t, managed - free, (unsigned long)BOOT_PAGES_IN_USE_MAX);
	KTEST_EXPECT_EQ(t, managed, handover_pages);
	KTEST_EXPECT_EQ(t, handover_pages, memblock_free_pages());
}

/* A block of 2^order from zone: real, unreserved, mapped RAM of the zone. */
static void alloc_check_free(struct ktest *t, struct zone *zone, unsigned int order)
{
	unsigned long before = zone_page_state(zone, NR_FREE_PAGES), pfn;
	phys_addr_t pa, size = PAGE_SIZE << order;
	struct page *page;
	u64 *p;

	page = alloc_pages_zone(zone, order);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pfn = zone_page_to_pfn(zone, page);
	pa = (phys_addr_t)pfn << PAGE_SHIFT;
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), before - (1UL << order));
	KTEST_EXPECT_TRUE(t, zone_spans_pfn(zone, pfn + (1UL << order) - 1));
	KTEST_EXPECT_EQ(t, pfn & ((1UL << order) - 1), 0UL);
	KTEST_EXPECT_EQ(t, (int)page_zonenum(page), (int)zone->type);
	KTEST_EXPECT_EQ(t, page_to_nid(page), zone->node);
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(pa, size));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(pa));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(pa + size - 1));
	if (PageHighMem(page)) {
		/* No linear address: writing it is kmap's business. */
		KTEST_EXPECT_TRUE(t, page_address(page) == NULL);
	} else {
		p = __va(pa);
		for (unsigned long i = 0; i < size / sizeof(*p); i += 64)
			p[i] = pa + i;
		for (unsigned long i = 0; i < size / sizeof(*p); i += 64)
			KTEST_EXPECT_EQ(t, p[i], pa + i);
	}
	KTEST_ASSERT_TRUE(t, page_ref_dec_and_test(page));
	KTEST_EXPECT_TRUE(t, free_pages_zone(zone, page, order));
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), before);
}

static void alloc_from_every_zone(struct ktest *t)
{
	int nid, zones = 0;

	need_nodes(t);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];

			if (!zone->managed_pages)
				continue;
			alloc_check_free(t, zone, 0);
			alloc_check_free(t, zone, 3);
			zones++;
		}
	}
	KTEST_EXPECT_GT(t, zones, 0);
}

KTEST_SUITE(mm_init, KTEST_CASE(nodes_match_dt), KTEST_CASE(node_spans_cover_banks),
	    KTEST_CASE(distances_match_dt), KTEST_CASE(zone_dma_bits_as_configured),
	    KTEST_CASE(zones_as_configured),
	    KTEST_CASE(boot_cpu_node), KTEST_CASE(zones_tile_nodes),
	    KTEST_CASE(memmap_on_node), KTEST_CASE(handover_accounting),
	    KTEST_CASE(alloc_from_every_zone));
