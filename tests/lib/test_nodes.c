/*
 * mm/mm_init.c on the host: small device trees written with libfdt's
 * sequential-write API, memblock filled from them as the kernel does
 * (memblock_init_from_dt()), then free_area_init() over simulated RAM:
 * each /memory bank is a few MiB of fixture memory that va_of maps its
 * physical addresses into. Checks nodes, zone boundaries, holes, where
 * pg_data_t and the struct pages land, distances, CPU nodes and the
 * warnings for bad input.
 *
 * Host only: in the kernel, free_area_init() would replace the live nodes.
 */
#ifdef MK64_HOST
#include <libfdt.h>
#include <asm/memory.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "../fixture.h"
#include "../host/vmemmap_host.h"

#define SZ_1M 0x100000ULL
#define SZ_4G 0x100000000ULL
#define MAX_SIM_BANKS 4
#define SIM_BANK_MAX (4 * SZ_1M)
#define NO_ID (-1)		/* a node without numa-node-id */
#define PFN(pa) ((unsigned long)((pa) >> PAGE_SHIFT))

struct bank {
	u64 base, size;
	int nid;		/* numa-node-id, or NO_ID */
};

struct cpu {
	u32 reg;
	int nid;
};

/* A test tree: one /memory node per bank, in this order. */
struct tree {
	const struct bank *banks;
	int nr_banks;
	const struct cpu *cpus;
	int nr_cpus;
	const u32 *matrix;	/* distance-matrix cells, or NULL */
	int matrix_cells;
	u64 dma_limit;		/* a bus with dma-ranges reaching [0, dma_limit), or 0 */
};

/* A case's state, in fixture memory: the caller's globals, the tree, the RAM. */
static struct nodes_state {
	struct memblock saved_memblock;
	pg_data_t *saved_node_data[MAX_NUMNODES];
	int saved_nr_online_nodes;
	unsigned int saved_zone_dma_bits;
	phys_addr_t saved_highmem_start;
	struct page *saved_vmemmap;
	unsigned long *saved_present_sections;
	unsigned long saved_nr_mem_sections, saved_nr_present_sections, saved_nr_vmemmap_blocks;
	const struct tree *tree;
	char log[8192];
	u64 blob[1024];
	u8 ram[MAX_SIM_BANKS][SIM_BANK_MAX] __aligned(4096);
} *fx;

static void isolate(void *mem)
{
	fx = mem;
	fx->saved_memblock = memblock;
	memcpy(fx->saved_node_data, node_data, sizeof(node_data));
	fx->saved_nr_online_nodes = nr_online_nodes;
	fx->saved_zone_dma_bits = zone_dma_bits;
	fx->saved_highmem_start = highmem_start;
	fx->saved_vmemmap = vmemmap;
	fx->saved_present_sections = present_sections;
	fx->saved_nr_mem_sections = nr_mem_sections;
	fx->saved_nr_present_sections = nr_present_sections;
	fx->saved_nr_vmemmap_blocks = nr_vmemmap_blocks;
}

static void restore(void *mem)
{
	struct nodes_state *state = mem;

	memblock = state->saved_memblock;
	memcpy(node_data, state->saved_node_data, sizeof(node_data));
	memset(zone_table, 0, sizeof(zone_table));
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_data[nid])
			node_set_online(nid, node_data[nid]);
	nr_online_nodes = state->saved_nr_online_nodes;
	zone_dma_bits = state->saved_zone_dma_bits;
	highmem_start = state->saved_highmem_start;
	vmemmap = state->saved_vmemmap;
	present_sections = state->saved_present_sections;
	nr_mem_sections = state->saved_nr_mem_sections;
	nr_present_sections = state->saved_nr_present_sections;
	nr_vmemmap_blocks = state->saved_nr_vmemmap_blocks;
	fx = NULL;
}

static const struct test_fixture nodes_fixture = { sizeof(*fx), isolate, restore };

#define NODES_TEST(name) FIXTURE_CASE(name, nodes_fixture)

/* va_of for free_area_init(): the simulated RAM of the bank holding pa. */
static void *sim_va(phys_addr_t pa)
{
	for (int i = 0; i < fx->tree->nr_banks; i++) {
		const struct bank *b = &fx->tree->banks[i];

		if (pa >= b->base && pa - b->base < b->size)
			return fx->ram[i] + (pa - b->base);
	}
	return NULL;
}

/* The bank whose simulated RAM holds [p, p + size), or -1. */
static int bank_of(const void *p, size_t size)
{
	for (int i = 0; i < fx->tree->nr_banks; i++) {
		const u8 *start = fx->ram[i];

		if ((const u8 *)p >= start && (const u8 *)p + size <= start + fx->tree->banks[i].size)
			return i;
	}
	return -1;
}

static void prop_cells(void *fdt, const char *name, const u32 *cells, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	fdt_property(fdt, name, be, n * 4);
}

/* Writes tree into fx->blob with libfdt's sequential-write calls. */
static int build_tree(const struct tree *tree)
{
	void *fdt = fx->blob;
	char name[32];
	int err = 0;

	err |= fdt_create(fdt, sizeof(fx->blob));
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	for (int i = 0; i < tree->nr_banks; i++) {
		const struct bank *b = &tree->banks[i];
		u32 reg[4] = { (u32)(b->base >> 32), (u32)b->base, (u32)(b->size >> 32),
			       (u32)b->size };

		snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)b->base);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "device_type", "memory");
		prop_cells(fdt, "reg", reg, 4);
		if (b->nid != NO_ID)
			err |= fdt_property_u32(fdt, "numa-node-id", (u32)b->nid);
		err |= fdt_end_node(fdt);
	}
	if (tree->nr_cpus) {
		err |= fdt_begin_node(fdt, "cpus");
		err |= fdt_property_u32(fdt, "#address-cells", 1);
		err |= fdt_property_u32(fdt, "#size-cells", 0);
		for (int i = 0; i < tree->nr_cpus; i++) {
			/* Named by index: a duplicate reg must not be a duplicate name. */
			snprintf(name, sizeof(name), "cpu@%d", i);
			err |= fdt_begin_node(fdt, name);
			err |= fdt_property_string(fdt, "device_type", "cpu");
			err |= fdt_property_u32(fdt, "reg", tree->cpus[i].reg);
			if (tree->cpus[i].nid != NO_ID)
				err |= fdt_property_u32(fdt, "numa-node-id", (u32)tree->cpus[i].nid);
			err |= fdt_end_node(fdt);
		}
		err |= fdt_end_node(fdt);
	}
	if (tree->matrix) {
		err |= fdt_begin_node(fdt, "distance-map");
		err |= fdt_property_string(fdt, "compatible", "numa-distance-map-v1");
		prop_cells(fdt, "distance-matrix", tree->matrix, tree->matrix_cells);
		err |= fdt_end_node(fdt);
	}
	if (tree->dma_limit) {
		u32 ranges[5] = { 0, 0, 0, (u32)(tree->dma_limit >> 32), (u32)tree->dma_limit };

		err |= fdt_begin_node(fdt, "soc");
		err |= fdt_property_u32(fdt, "#address-cells", 1);
		err |= fdt_property_u32(fdt, "#size-cells", 2);
		err |= fdt_property(fdt, "ranges", NULL, 0);
		prop_cells(fdt, "dma-ranges", ranges, 5);
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	return err;
}

/*
 * Builds the tree, fills memblock from it with the kernel image and the
 * DTB at the start of the first bank, marks the log and runs
 * free_area_init() with zone_dma_bits preset (0: from the tree). Returns
 * what free_area_init() returns.
 */
static int setup(struct ktest *t, const struct tree *tree, unsigned int dma_bits, u64 boot_hwid)
{
	phys_addr_t base = tree->banks[0].base;

	fx->tree = tree;
	for (int i = 0; i < tree->nr_banks; i++)
		KTEST_ASSERT_LE(t, tree->banks[i].size, SIM_BANK_MAX);
	KTEST_ASSERT_EQ(t, build_tree(tree), 0);
	KTEST_ASSERT_EQ(t, dt_check(fx->blob, sizeof(fx->blob), NULL), 0);
	memblock_reset();
	highmem_start = 0;
	zone_dma_bits = dma_bits;
	set_boot_cpu_hwid(boot_hwid);
	KTEST_ASSERT_EQ(t, memblock_init_from_dt(fx->blob, base + 0x10000, base, 0x10000), 0);
	pr_info("test_nodes: free_area_init %s\n", t->name);
	return free_area_init(fx->blob, sim_va);
}

/* Where text first occurs in log[from, len), or len. */
static size_t find(const char *log, size_t from, size_t len, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = from; i + n <= len; i++)
		if (!memcmp(log + i, text, n))
			return i;
	return len;
}

/* True when the log since setup() holds text. */
static bool logged(struct ktest *t, const char *text)
{
	size_t len = printk_log_tail(fx->log, sizeof(fx->log)), at;
	char mark[96];

	snprintf(mark, sizeof(mark), "test_nodes: free_area_init %s\n", t->name);
	at = find(fx->log, 0, len, mark);
	return at < len && find(fx->log, at, len, text) < len;
}

static unsigned long node_end_pfn(const pg_data_t *pgdat)
{
	return pgdat->node_start_pfn + pgdat->node_spanned_pages;
}

/*
 * Node nid spans [start, end) pfns with present pages, its pg_data_t lies
 * in a bank of the node (want_bank_nid: the nid the tree gave that bank,
 * NO_ID for UMA), and the struct pages at its ends name it.
 */
static void check_node(struct ktest *t, int nid, unsigned long start, unsigned long end,
		       unsigned long present, int want_bank_nid)
{
	pg_data_t *pgdat;
	int b;

	KTEST_ASSERT_TRUE(t, node_online(nid));
	pgdat = NODE_DATA(nid);
	KTEST_EXPECT_EQ(t, pgdat->node_id, nid);
	KTEST_EXPECT_EQ(t, pgdat->node_start_pfn, start);
	KTEST_EXPECT_EQ(t, node_end_pfn(pgdat), end);
	KTEST_EXPECT_EQ(t, pgdat->node_present_pages, present);
	b = bank_of(pgdat, sizeof(*pgdat));
	KTEST_ASSERT_GE(t, b, 0);
	KTEST_EXPECT_EQ(t, fx->tree->banks[b].nid, want_bank_nid);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(start)), nid);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(end - 1)), nid);
}

/* Zone z of node nid spans [start, end) with present pages; struct pages name it. */
static void check_zone(struct ktest *t, int nid, int z, unsigned long start, unsigned long end,
		       unsigned long present)
{
	struct zone *zone;

	KTEST_ASSERT_TRUE(t, node_online(nid));
	zone = &NODE_DATA(nid)->node_zones[z];
	KTEST_EXPECT_EQ(t, zone->zone_start_pfn, start);
	KTEST_EXPECT_EQ(t, zone_end_pfn(zone), end);
	KTEST_EXPECT_EQ(t, zone->present_pages, present);
	if (zone->spanned_pages) {
		KTEST_EXPECT_EQ(t, (int)page_zonenum(zone->zone_mem_map), z);
		KTEST_EXPECT_EQ(t, (int)page_zonenum(zone->zone_mem_map + zone->spanned_pages - 1),
				z);
	}
}

#define B0 0x40000000ULL

/* No numa-node-id: one node over both banks and the hole between them. */
NODES_TEST(uma_with_hole)
{
	static const struct bank banks[] = { { B0 + 8 * SZ_1M, 4 * SZ_1M, NO_ID },
					     { B0, 4 * SZ_1M, NO_ID } };
	static const struct tree tree = { banks, 2, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 1);
	check_node(t, 0, PFN(B0), PFN(B0 + 12 * SZ_1M), 2048, NO_ID);
	check_zone(t, 0, ZONE_DMA, PFN(B0), PFN(B0 + 12 * SZ_1M), 2048);
	check_zone(t, 0, ZONE_DMA32, PFN(B0 + 12 * SZ_1M), PFN(B0 + 12 * SZ_1M), 0);
	check_zone(t, 0, ZONE_NORMAL, PFN(B0 + 12 * SZ_1M), PFN(B0 + 12 * SZ_1M), 0);
	KTEST_EXPECT_EQ(t, zone_dma_bits, 32U);
	KTEST_EXPECT_TRUE(t, logged(t, "On node 0, zone DMA: 1024 pages in unavailable ranges"));
	KTEST_EXPECT_EQ(t, node_distance(0, 0), LOCAL_DISTANCE);
}

/* Interleaved nodes (node 0 on both sides of node 1): one node, said so. */
NODES_TEST(interleaved_nodes_one_node)
{
	static const struct bank banks[] = { { B0, 2 * SZ_1M, 0 },
					     { B0 + 4 * SZ_1M, 2 * SZ_1M, 1 },
					     { B0 + 8 * SZ_1M, 2 * SZ_1M, 0 } };
	static const struct tree tree = { banks, 3, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 1);
	KTEST_EXPECT_FALSE(t, node_online(1));
	KTEST_EXPECT_TRUE(t, logged(t, "NUMA: nodes' memory ranges interleave"));
	KTEST_EXPECT_EQ(t, NODE_DATA(0)->node_present_pages, 1536UL);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 4 * SZ_1M))), 0);
}

/* Two nodes, node 1's bank first in the blob; default distances. */
NODES_TEST(two_nodes)
{
	static const struct bank banks[] = { { 0x80000000ULL, 4 * SZ_1M, 1 },
					     { B0, 2 * SZ_1M, 0 } };
	static const struct tree tree = { banks, 2, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 2);
	check_node(t, 0, PFN(B0), PFN(B0 + 2 * SZ_1M), 512, 0);
	check_node(t, 1, PFN(0x80000000ULL), PFN(0x80400000ULL), 1024, 1);
	check_zone(t, 1, ZONE_DMA, PFN(0x80000000ULL), PFN(0x80400000ULL), 1024);
	KTEST_EXPECT_FALSE(t, node_online(2));
	KTEST_EXPECT_EQ(t, node_distance(0, 1), REMOTE_DISTANCE);
	KTEST_EXPECT_EQ(t, node_distance(1, 0), REMOTE_DISTANCE);
	KTEST_EXPECT_EQ(t, node_distance(1, 1), LOCAL_DISTANCE);
	KTEST_EXPECT_TRUE(t, logged(t, "  node   1: [mem 0x0000000080000000-0x00000000803fffff]"));
}

/* Only some /memory nodes have an id: one node, with a warning. */
NODES_TEST(mixed_ids_one_node)
{
	static const struct bank banks[] = { { B0, 2 * SZ_1M, 1 },
					     { B0 + 2 * SZ_1M, 2 * SZ_1M, NO_ID } };
	static const struct tree tree = { banks, 2, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 1);
	KTEST_EXPECT_FALSE(t, node_online(1));
	KTEST_EXPECT_TRUE(t, node_online(0));
	KTEST_EXPECT_EQ(t, NODE_DATA(0)->node_present_pages, 1024UL);
	KTEST_EXPECT_TRUE(t, logged(t, "some /memory nodes have no numa-node-id, using one node"));
}

/* RAM across 4 GiB: ZONE_DMA below it, ZONE_NORMAL above, DMA32 empty. */
NODES_TEST(zones_straddle_4g)
{
	static const struct bank banks[] = { { SZ_4G - 2 * SZ_1M, 4 * SZ_1M, NO_ID } };
	static const struct tree tree = { banks, 1, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	check_zone(t, 0, ZONE_DMA, PFN(SZ_4G - 2 * SZ_1M), PFN(SZ_4G), 512);
	check_zone(t, 0, ZONE_DMA32, PFN(SZ_4G), PFN(SZ_4G), 0);
	check_zone(t, 0, ZONE_NORMAL, PFN(SZ_4G), PFN(SZ_4G + 2 * SZ_1M), 512);
}

/* RAM only above 4 GiB: all of it is ZONE_DMA (Linux's max_zone_phys()). */
NODES_TEST(zones_above_4g)
{
	static const struct bank banks[] = { { 2 * SZ_4G, 4 * SZ_1M, NO_ID } };
	static const struct tree tree = { banks, 1, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	check_zone(t, 0, ZONE_DMA, PFN(2 * SZ_4G), PFN(2 * SZ_4G + 4 * SZ_1M), 1024);
	check_zone(t, 0, ZONE_DMA32, PFN(2 * SZ_4G + 4 * SZ_1M), PFN(2 * SZ_4G + 4 * SZ_1M), 0);
	check_zone(t, 0, ZONE_NORMAL, PFN(2 * SZ_4G + 4 * SZ_1M), PFN(2 * SZ_4G + 4 * SZ_1M), 0);
}

#define G1 0x40000000ULL
static const struct bank across_1g[] = { { G1 - 2 * SZ_1M, 4 * SZ_1M, NO_ID } };

/* zone_dma_bits=30 (the bootarg): ZONE_DMA ends at 1 GiB, DMA32 takes the rest. */
NODES_TEST(zone_dma_bits_lowered)
{
	static const struct tree tree = { across_1g, 1, NULL, 0, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 30, 0), 0);
	check_zone(t, 0, ZONE_DMA, PFN(G1 - 2 * SZ_1M), PFN(G1), 512);
	check_zone(t, 0, ZONE_DMA32, PFN(G1), PFN(G1 + 2 * SZ_1M), 512);
	check_zone(t, 0, ZONE_NORMAL, PFN(G1 + 2 * SZ_1M), PFN(G1 + 2 * SZ_1M), 0);
}

/* A bus whose dma-ranges reach 1 GiB sets zone_dma_bits 30 by itself. */
NODES_TEST(zone_dma_bits_from_dma_ranges)
{
	static const struct tree tree = { across_1g, 1, NULL, 0, NULL, 0, G1 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, zone_dma_bits, 30U);
	check_zone(t, 0, ZONE_DMA, PFN(G1 - 2 * SZ_1M), PFN(G1), 512);
	check_zone(t, 0, ZONE_DMA32, PFN(G1), PFN(G1 + 2 * SZ_1M), 512);
	KTEST_EXPECT_TRUE(t, logged(t, "OF: /soc: dma-ranges reach 0x000000003fffffff"));
}

/* The bootarg wins over the tree, and says so. */
NODES_TEST(zone_dma_bits_bootarg_overrides)
{
	static const struct tree tree = { across_1g, 1, NULL, 0, NULL, 0, G1 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 31, 0), 0);
	KTEST_EXPECT_EQ(t, zone_dma_bits, 31U);
	check_zone(t, 0, ZONE_DMA, PFN(G1 - 2 * SZ_1M), PFN(G1 + 2 * SZ_1M), 1024);
	KTEST_EXPECT_TRUE(t, logged(t, "zone_dma_bits=31 from the command line (the DT gives 30)"));
}

/* A /distance-map entry sets both directions; a missing one keeps the default. */
NODES_TEST(distance_map)
{
	static const struct bank banks[] = { { B0, SZ_1M, 0 }, { B0 + 2 * SZ_1M, SZ_1M, 1 },
					     { B0 + 4 * SZ_1M, SZ_1M, 2 } };
	static const u32 matrix[] = { 0, 0, 10, 0, 1, 15, 1, 1, 10, 2, 0, 30 };
	static const struct tree tree = { banks, 3, NULL, 0, matrix, 12, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 3);
	KTEST_EXPECT_EQ(t, node_distance(0, 1), 15);
	KTEST_EXPECT_EQ(t, node_distance(1, 0), 15);
	KTEST_EXPECT_EQ(t, node_distance(2, 0), 30);
	KTEST_EXPECT_EQ(t, node_distance(0, 2), REMOTE_DISTANCE);
	KTEST_EXPECT_EQ(t, node_distance(1, 2), REMOTE_DISTANCE);
	KTEST_EXPECT_EQ(t, node_distance(2, 2), LOCAL_DISTANCE);
	KTEST_EXPECT_EQ(t, node_distance(-1, 0), REMOTE_DISTANCE);
}

/* Bad input: a matrix that is not whole triplets, a node id too large. */
NODES_TEST(bad_input_warned)
{
	static const struct bank banks[] = { { B0, SZ_1M, 0 }, { B0 + 2 * SZ_1M, SZ_1M, 99 } };
	static const u32 matrix[] = { 0, 1, 15, 1 };
	static const struct tree tree = { banks, 2, NULL, 0, matrix, 4, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0), 0);
	KTEST_EXPECT_EQ(t, nr_online_nodes, 1);
	/* Top-down, node 0's structures land in the bank the tree gave 99. */
	check_node(t, 0, PFN(B0), PFN(B0 + 3 * SZ_1M), 512, 99);
	KTEST_EXPECT_EQ(t, node_distance(0, 1), REMOTE_DISTANCE);
	KTEST_EXPECT_TRUE(t, logged(t, "NUMA: numa-node-id 99 of memory@40200000 too large"));
	KTEST_EXPECT_TRUE(t, logged(t, "NUMA: /distance-map has no valid distance-matrix"));
}

/*
 * Struct pages taken from memblock as in the kernel (vmemmap_host_backed):
 * a section's 2 MiB does not fit in 1 MiB banks: -ENOMEM and a message,
 * no crash.
 */
NODES_TEST(memmap_too_big)
{
	static const struct bank banks[] = { { B0, SZ_1M, NO_ID }, { 4 * SZ_4G, SZ_1M, NO_ID } };
	static const struct tree tree = { banks, 2, NULL, 0, NULL, 0, 0 };
	int err;

	vmemmap_host_backed = true;
	err = setup(t, &tree, 0, 0);
	vmemmap_host_backed = false;
	KTEST_EXPECT_EQ(t, err, -ENOMEM);
	KTEST_EXPECT_TRUE(t, logged(t, "Cannot allocate the struct pages of section 8 (node 0, 2048 KiB)"));
	KTEST_EXPECT_EQ(t, cpu_to_node(0), 0);
}

/* The node whose bank holds the memory behind section nr's struct pages, or -2. */
static int memmap_bank_nid(unsigned long nr)
{
	phys_addr_t pa = vmemmap_host_backing((unsigned long)pfn_to_page(section_nr_to_pfn(nr)));
	int b = pa ? bank_of(sim_va(pa), SECTION_MEMMAP_SIZE) : -1;

	return b < 0 ? -2 : fx->tree->banks[b].nid;
}

/*
 * Two nodes 7 GiB apart, node 0 with two banks in one section and a hole
 * between them, node 1 with a bank in a section of its own, the struct
 * pages from memblock as in the kernel. Expected values by hand: sections
 * of 128 MiB, so B0 (1 GiB) is section 8 and B0 + 7 GiB section 64.
 */
NODES_TEST(sections_with_holes)
{
	static const struct bank banks[] = { { B0, 4 * SZ_1M, 0 },
					     { B0 + 8 * SZ_1M, 4 * SZ_1M, 0 },
					     { B0 + 7 * 1024 * SZ_1M, 4 * SZ_1M, 1 } };
	static const struct tree tree = { banks, 3, NULL, 0, NULL, 0, 0 };
	static const struct { u64 pa; bool valid; int nid; int zone; } probes[] = {
		{ B0 - 1, false, 0, 0 },			/* below RAM: section 7 */
		{ B0, true, 0, ZONE_DMA },
		{ B0 + 4 * SZ_1M, true, 0, ZONE_DMA },		/* hole inside node 0 */
		{ B0 + 12 * SZ_1M, true, 0, ZONE_DMA },		/* past node 0, same section */
		{ B0 + 128 * SZ_1M - 1, true, 0, ZONE_DMA },	/* last pfn of section 8 */
		{ B0 + 128 * SZ_1M, false, 0, 0 },		/* section 9: no RAM */
		{ B0 + 5 * 1024 * SZ_1M, false, 0, 0 },
		{ B0 + 7 * 1024 * SZ_1M - 1, false, 0, 0 },	/* section 63 */
		{ B0 + 7 * 1024 * SZ_1M, true, 1, ZONE_NORMAL },
		{ B0 + 7 * 1024 * SZ_1M + 100 * SZ_1M, true, 1, ZONE_NORMAL },
		{ B0 + 7 * 1024 * SZ_1M + 128 * SZ_1M, false, 0, 0 },	/* section 65 */
	};
	unsigned long bad = 0;
	int err;

	vmemmap_host_backed = true;
	err = setup(t, &tree, 0, 0);
	vmemmap_host_backed = false;
	KTEST_ASSERT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 2UL);
	KTEST_EXPECT_EQ(t, nr_vmemmap_blocks, 2UL);
	KTEST_EXPECT_TRUE(t, logged(t, "vmemmap: 2 sections present, 4 MiB of struct pages (33.3% of RAM), 2 in 2 MiB blocks"));
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		unsigned long pfn = PFN(probes[i].pa);
		const struct page *page = pfn_to_page(pfn);

		if (pfn_valid(pfn) != probes[i].valid ||
		    (probes[i].valid &&
		     (page_to_pfn(page) != pfn || page_to_nid(page) != probes[i].nid ||
		      (int)page_zonenum(page) != probes[i].zone || !PageReserved(page)))) {
			pr_err("test_nodes: pfn %#lx not as expected\n", pfn);
			bad++;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	/* Each section's struct pages in its own node's memory, 2 MiB each. */
	KTEST_EXPECT_EQ(t, memmap_bank_nid(8), 0);
	KTEST_EXPECT_EQ(t, memmap_bank_nid(64), 1);
	check_node(t, 0, PFN(B0), PFN(B0 + 12 * SZ_1M), 2048, 0);
	check_node(t, 1, PFN(B0 + 7 * 1024 * SZ_1M), PFN(B0 + 7 * 1024 * SZ_1M + 4 * SZ_1M),
		   1024, 1);
}

/*
 * Two nodes in one section (node 1 from B0 + 8 MiB): one 2 MiB of struct
 * pages, on node 0 (the section's first RAM), whose pages still name the
 * node of their pfn; the hole between the nodes and the rest of the
 * section belong to node 0.
 */
NODES_TEST(two_nodes_share_a_section)
{
	static const struct bank banks[] = { { B0, 4 * SZ_1M, 0 }, { B0 + 8 * SZ_1M, 4 * SZ_1M, 1 } };
	static const struct tree tree = { banks, 2, NULL, 0, NULL, 0, 0 };
	int err;

	vmemmap_host_backed = true;
	err = setup(t, &tree, 0, 0);
	vmemmap_host_backed = false;
	KTEST_ASSERT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 1UL);
	KTEST_EXPECT_EQ(t, memmap_bank_nid(8), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 4 * SZ_1M - 1))), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 6 * SZ_1M))), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 8 * SZ_1M))), 1);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 12 * SZ_1M - 1))), 1);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0 + 12 * SZ_1M))), 0);
	KTEST_EXPECT_TRUE(t, PageReserved(pfn_to_page(PFN(B0 + 6 * SZ_1M))));
	KTEST_EXPECT_TRUE(t, pfn_valid(PFN(B0 + 128 * SZ_1M - 1)));
	KTEST_EXPECT_FALSE(t, pfn_valid(PFN(B0 + 128 * SZ_1M)));
	check_node(t, 0, PFN(B0), PFN(B0 + 4 * SZ_1M), 1024, 0);
	check_node(t, 1, PFN(B0 + 8 * SZ_1M), PFN(B0 + 12 * SZ_1M), 1024, 1);
}

/*
 * A node with 2 MiB free but no 2 MiB-aligned block for its section's
 * struct pages: they take 2 MiB of pages (mapped with 4K pages in the
 * kernel), top-down below the section bitmap (8 bytes at the bank's end,
 * allocated first), so at B0 + 1.5 MiB - 4 KiB.
 */
NODES_TEST(memmap_without_a_block)
{
	static const struct bank banks[] = { { B0 + SZ_1M, 5 * SZ_1M / 2, NO_ID } };
	static const struct tree tree = { banks, 1, NULL, 0, NULL, 0, 0 };
	int err;

	vmemmap_host_backed = true;
	err = setup(t, &tree, 0, 0);
	vmemmap_host_backed = false;
	KTEST_ASSERT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, nr_present_sections, 1UL);
	KTEST_EXPECT_EQ(t, nr_vmemmap_blocks, 0UL);
	KTEST_EXPECT_EQ(t, vmemmap_host_backing((unsigned long)pfn_to_page(section_nr_to_pfn(8))),
			(phys_addr_t)(B0 + 3 * SZ_1M / 2 - 0x1000));
	KTEST_EXPECT_TRUE(t, logged(t, "vmemmap: 1 sections present, 2 MiB of struct pages (80.0% of RAM), 0 in 2 MiB blocks"));
}

/*
 * Node 0's 1 MiB cannot hold its section's 2 MiB of struct pages: they
 * come from node 1 (8 MiB in two banks; the section bitmap takes its last
 * bytes, so the highest free 2 MiB-aligned block is 0x8040_0000), said
 * so; node 1's own section takes the block below, 0x8020_0000.
 */
NODES_TEST(memmap_from_another_node)
{
	static const struct bank banks[] = { { B0, SZ_1M, 0 }, { 0x80000000ULL, 4 * SZ_1M, 1 },
					     { 0x80400000ULL, 4 * SZ_1M, 1 } };
	static const struct tree tree = { banks, 3, NULL, 0, NULL, 0, 0 };
	int err;

	vmemmap_host_backed = true;
	err = setup(t, &tree, 0, 0);
	vmemmap_host_backed = false;
	KTEST_ASSERT_EQ(t, err, 0);
	KTEST_EXPECT_TRUE(t, logged(t, "NUMA: node 0 full, 2048 KiB for it at 0x80400000 on node 1"));
	KTEST_EXPECT_EQ(t, memmap_bank_nid(8), 1);
	KTEST_EXPECT_EQ(t, memmap_bank_nid(16), 1);
	KTEST_EXPECT_EQ(t, vmemmap_host_backing((unsigned long)pfn_to_page(section_nr_to_pfn(16))),
			(phys_addr_t)0x80200000ULL);
	KTEST_EXPECT_EQ(t, nr_vmemmap_blocks, 2UL);
	/* The struct pages say where the pages are, not where they live. */
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(B0))), 0);
	KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(PFN(0x80000000ULL))), 1);
}

static const struct bank numa_banks[] = { { B0, 2 * SZ_1M, 0 }, { 0x80000000ULL, 2 * SZ_1M, 1 } };

/*
 * The boot CPU (MPIDR 0x100) is logical CPU 0 wherever it sits in /cpus;
 * the others follow in tree order with their nodes.
 */
NODES_TEST(cpu_nodes)
{
	static const struct cpu cpus[] = { { 0x0, 1 }, { 0x1, 0 }, { 0x100, 1 }, { 0x101, NO_ID } };
	static const struct tree tree = { numa_banks, 2, cpus, 4, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0x100), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(0), 1);
	KTEST_EXPECT_EQ(t, numa_node_id(), 1);
	KTEST_EXPECT_EQ(t, cpu_to_node(1), 1);
	KTEST_EXPECT_EQ(t, cpu_to_node(2), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(3), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(4), NUMA_NO_NODE);
	KTEST_EXPECT_EQ(t, cpu_to_node(NR_CPUS), NUMA_NO_NODE);
	KTEST_EXPECT_TRUE(t, logged(t, "NUMA: CPU 0 (MPIDR 0x0000000100) on node 1"));
	/* The logical map the secondary CPUs are started from: Aff1 clusters kept. */
	KTEST_EXPECT_EQ(t, nr_cpu_ids, 4u);
	KTEST_EXPECT_EQ(t, cpu_logical_map(0), 0x100ull);
	KTEST_EXPECT_EQ(t, cpu_logical_map(1), 0x0ull);
	KTEST_EXPECT_EQ(t, cpu_logical_map(2), 0x1ull);
	KTEST_EXPECT_EQ(t, cpu_logical_map(3), 0x101ull);
	KTEST_EXPECT_EQ(t, cpu_logical_map(4), ~0ull);
}

/*
 * The RK3399's /cpus: four Cortex-A53s at MPIDR 0x0-0x3 (cluster 0) and
 * two Cortex-A72s at 0x100-0x101 (cluster 1), booted on 0x0: logical CPUs
 * 0-5 in that order.
 */
NODES_TEST(cpu_map_rk3399)
{
	static const struct cpu cpus[] = { { 0x0, NO_ID },   { 0x1, NO_ID },   { 0x2, NO_ID },
					   { 0x3, NO_ID },   { 0x100, NO_ID }, { 0x101, NO_ID } };
	static const u64 want[] = { 0x0, 0x1, 0x2, 0x3, 0x100, 0x101 };
	static const struct tree tree = { numa_banks, 1, cpus, 6, NULL, 0, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0x0), 0);
	KTEST_EXPECT_EQ(t, nr_cpu_ids, 6u);
	for (unsigned int cpu = 0; cpu < 6; cpu++) {
		KTEST_EXPECT_EQ(t, cpu_logical_map(cpu), want[cpu]);
		KTEST_EXPECT_EQ(t, cpu_to_node(cpu), 0);
	}
	KTEST_EXPECT_EQ(t, cpu_logical_map(6), ~0ull);
}

/*
 * A CPU on a node without memory goes to the nearest node with memory; a
 * node id too large, a duplicate reg and a missing boot CPU are reported.
 */
NODES_TEST(cpu_nodes_bad)
{
	static const struct cpu cpus[] = { { 0x0, 2 }, { 0x1, 99 }, { 0x1, 0 } };
	static const u32 matrix[] = { 2, 0, 40, 2, 1, 25 };
	static const struct tree tree = { numa_banks, 2, cpus, 3, matrix, 6, 0 };

	KTEST_ASSERT_EQ(t, setup(t, &tree, 0, 0x7), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(0), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(1), 1);
	KTEST_EXPECT_EQ(t, cpu_to_node(2), 0);
	KTEST_EXPECT_EQ(t, cpu_to_node(3), NUMA_NO_NODE);
	KTEST_EXPECT_TRUE(t, logged(t, "missing boot CPU MPIDR 0x0000000007 in /cpus"));
	KTEST_EXPECT_TRUE(t, logged(t, "node 2 has no memory, using node 1"));
	KTEST_EXPECT_TRUE(t, logged(t, "OF: NUMA: /cpus/cpu@1: node id 99 exceeds maximum value"));
	KTEST_EXPECT_TRUE(t, logged(t, "/cpus/cpu@2: duplicate cpu reg properties in the DT"));
}

KTEST_SUITE(nodes, KTEST_CASE(uma_with_hole), KTEST_CASE(interleaved_nodes_one_node),
	    KTEST_CASE(two_nodes),
	    KTEST_CASE(mixed_ids_one_node), KTEST_CASE(zones_straddle_4g),
	    KTEST_CASE(zones_above_4g), KTEST_CASE(zone_dma_bits_lowered),
	    KTEST_CASE(zone_dma_bits_from_dma_ranges), KTEST_CASE(zone_dma_bits_bootarg_overrides),
	    KTEST_CASE(distance_map), KTEST_CASE(bad_input_warned), KTEST_CASE(memmap_too_big),
	    KTEST_CASE(sections_with_holes), KTEST_CASE(two_nodes_share_a_section),
	    KTEST_CASE(memmap_without_a_block), KTEST_CASE(memmap_from_another_node),
	    KTEST_CASE(cpu_nodes), KTEST_CASE(cpu_nodes_bad), KTEST_CASE(cpu_map_rk3399));
#endif
