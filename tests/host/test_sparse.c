/*
 * Host only: pfn_to_page() (mm/sparse.c) over two hand-made nodes, the
 * second starting inside the 2 MiB section where the first ends, with a
 * hole between them, against the nodes' own arrays; then without memory
 * for the section table. The table comes from memblock over a small
 * simulated range.
 */
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>

#define SIM_BASE 0x100000000UL
#define SIM_SIZE 0x10000UL

static unsigned char sim_ram[SIM_SIZE];

static void *sim_va(phys_addr_t pa)
{
	return sim_ram + (pa - SIM_BASE);
}

/* Node 0: pfns 0x40000-0x48080; node 1: 0x48100-0x50000 (section 0x240 shared). */
#define NODE0_START 0x40000UL
#define NODE0_END 0x48080UL
#define NODE1_START 0x48100UL
#define NODE1_END 0x50000UL

static struct page memmap0[NODE0_END - NODE0_START];
static struct page memmap1[NODE1_END - NODE1_START];
static pg_data_t node0, node1;

static struct page *expected(unsigned long pfn)
{
	if (pfn >= NODE0_START && pfn < NODE0_END)
		return memmap0 + (pfn - NODE0_START);
	if (pfn >= NODE1_START && pfn < NODE1_END)
		return memmap1 + (pfn - NODE1_START);
	return NULL;
}

static void two_nodes_and_a_shared_section(struct ktest *t)
{
	pg_data_t *saved[MAX_NUMNODES];
	unsigned long bad = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		saved[nid] = node_data[nid];
		node_data[nid] = NULL;
	}
	memblock_reset();
	KTEST_ASSERT_EQ(t, memblock_add(SIM_BASE, SIM_SIZE), 0);
	node0 = (pg_data_t){ .node_id = 0, .node_mem_map = memmap0, .node_start_pfn = NODE0_START,
			     .node_spanned_pages = NODE0_END - NODE0_START };
	node1 = (pg_data_t){ .node_id = 1, .node_mem_map = memmap1, .node_start_pfn = NODE1_START,
			     .node_spanned_pages = NODE1_END - NODE1_START };
	node_data[0] = &node0;
	node_data[1] = &node1;

	sparse_init(sim_va);
	KTEST_ASSERT_TRUE(t, section_nid != NULL);
	/* From the first node's section to the last one's: nothing below RAM. */
	KTEST_EXPECT_EQ(t, first_section, NODE0_START >> PFN_SECTION_SHIFT);
	KTEST_EXPECT_EQ(t, nr_sections, (NODE1_END - NODE0_START) >> PFN_SECTION_SHIFT);
	KTEST_EXPECT_EQ(t, section_nid[0], 0);
	KTEST_EXPECT_EQ(t, section_nid[(NODE0_END - NODE0_START) >> PFN_SECTION_SHIFT],
			SECTION_SHARED);
	KTEST_EXPECT_EQ(t, section_nid[nr_sections - 1], 1);
	for (unsigned long pfn = 0; pfn < NODE1_END + 2 * PAGES_PER_SECTION; pfn++)
		bad += pfn_to_page(pfn) != expected(pfn) || pfn_valid(pfn) != !!expected(pfn);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_TRUE(t, pfn_to_page(~0UL) == NULL);

	/* No memory for the table: reported, and lookups walk the nodes. */
	memblock_reset();
	sparse_init(sim_va);
	KTEST_EXPECT_TRUE(t, section_nid == NULL);
	for (unsigned long pfn = NODE0_START - 1; pfn <= NODE1_END; pfn++)
		bad += pfn_to_page(pfn) != expected(pfn);
	KTEST_EXPECT_EQ(t, bad, 0UL);

	memblock_reset();
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		node_data[nid] = saved[nid];
}

KTEST_SUITE(sparse, KTEST_CASE(two_nodes_and_a_shared_section));
