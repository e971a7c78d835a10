/*
 * From memblock to the buddy allocator: NUMA nodes from the device tree,
 * their zones, their struct pages (in the vmemmap, mm/sparse.c), and the
 * hand-over of every free page (Linux's free_area_init() and
 * memblock_free_all()), with Linux's log.
 *
 * Nodes: the numa-node-id of each /memory node (Linux's of_numa); when no
 * /memory node has one, or only some do, all RAM is node 0. Distances come
 * from /distance-map (numa-distance-map-v1), else 10 local, 20 remote.
 * CPUs: the numa-node-id of each /cpus cpu node, its reg an MPIDR; the boot
 * CPU (logical 0) is the one whose reg is the MPIDR the arch code passed to
 * set_boot_cpu_hwid(), the others are numbered in tree order, as Linux's
 * of_parse_and_init_cpus(). A CPU on a node without memory uses the
 * nearest node with memory.
 *
 * Zones, with Linux arm64's rules: ZONE_DMA ends at what the most
 * constrained bus's dma-ranges reach, at most the 32-bit limit
 * (zone_dma_bits = min(32, fls64(of_dma_get_max_cpu_address())); the
 * zone_dma_bits= bootarg overrides it), ZONE_DMA32 ends at 4 GiB and so is
 * empty unless the DMA limit is lower, ZONE_NORMAL holds the
 * rest. When RAM starts above 4 GiB, everything is ZONE_DMA, as in Linux's
 * max_zone_phys(). ZONE_HIGHMEM exists only with highmem=SIZE: the top
 * SIZE of RAM (from highmem_start) is kept out of the linear map, so its
 * pages have no kernel address until mapped (page_address() is NULL), as
 * on a 32-bit machine; the lower zones end where it starts.
 *
 * Portable: the memory the structures live in is reached through the
 * caller's va_of; only mm_core_init() at the end is kernel-only.
 */
#include <libfdt.h>
#include <asm/memory.h>
#include <mk64/bitops.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/gfp.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/percpu.h>
#include <mk64/pfn.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/watermark.h>

/* 0 until set: by the zone_dma_bits= bootarg, else by free_area_init() from the DT. */
unsigned int zone_dma_bits;

/* arm64's MPIDR affinity fields (Aff3, Aff2-0): what a cpu node's reg may hold. */
#define MPIDR_HWID_BITMASK 0xff00ffffffULL
#define INVALID_HWID (~0ULL)

static u64 boot_cpu_hwid = INVALID_HWID;
static u64 cpu_hwid[NR_CPUS];
/* The DT's node of each logical CPU, then one with memory (mk64/topology.h). */
int cpu_node_map[NR_CPUS];
unsigned int nr_cpu_ids = 1;

/* A /memory reg entry and its node, sorted by base. */
struct node_bank {
	phys_addr_t base, end;
	int nid;
};

static struct node_bank node_banks[DT_MAX_BANKS];
static int nr_node_banks;
static u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES];
static unsigned long max_zone_pfn[MAX_NR_ZONES];
phys_addr_t highmem_start;

/* ZONE_HIGHMEM with highmem=, else ZONE_NORMAL: the zone that ends at the end of RAM. */
static int last_zone(void)
{
	return highmem_start ? ZONE_HIGHMEM : ZONE_NORMAL;
}

int highmem_init(phys_addr_t size)
{
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	phys_addr_t hs;

	if (!size || size >= (end - start) / 2)
		return -EINVAL;
	hs = ALIGN_DOWN(end - size, (phys_addr_t)MAX_ORDER_NR_PAGES << PAGE_SHIFT);
	if (hs <= start || memblock_is_region_reserved(hs, end - hs))
		return -EBUSY;
	highmem_start = hs;
	memblock.limit = hs;	/* boot allocations must have a linear address */
	return 0;
}

pg_data_t *node_data[MAX_NUMNODES];
int nr_online_nodes;
unsigned long handover_pages;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem",
};

int node_distance(int from, int to)
{
	if (from < 0 || from >= MAX_NUMNODES || to < 0 || to >= MAX_NUMNODES)
		return REMOTE_DISTANCE;
	return numa_distance[from][to];
}

static void add_bank(phys_addr_t base, phys_addr_t end, int nid)
{
	int i = nr_node_banks++;

	while (i > 0 && node_banks[i - 1].base > base) {
		node_banks[i] = node_banks[i - 1];
		i--;
	}
	node_banks[i] = (struct node_bank){ base, end, nid };
}

/*
 * Fills node_banks from the available /memory nodes. Returns 0 or a
 * negative error; with no bank at all, all RAM is node 0.
 */
/*
 * Whether some node's banks are not one run in address order, so that its
 * span would cover another node's memory (interleaved nodes). Each pfn has
 * one struct page here, in the array of the node whose span holds it, so
 * that is not supported.
 */
static bool nodes_interleaved(void)
{
	u64 seen = 0;

	for (int i = 0; i < nr_node_banks; i++) {
		u64 bit = 1ULL << node_banks[i].nid;

		if (i && node_banks[i - 1].nid == node_banks[i].nid)
			continue;
		if (seen & bit)
			return true;
		seen |= bit;
	}
	return false;
}

static int numa_read_banks(const void *fdt)
{
	static const char memory[] = "memory";
	int node = -1, with_id = 0, without_id = 0;

	nr_node_banks = 0;
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", memory,
						     sizeof(memory))) >= 0) {
		const char *status = dt_string(fdt, node, "status");
		u32 nid = 0;
		u64 base, size;

		if (status && strcmp(status, "okay") && strcmp(status, "ok"))
			continue;
		if (dt_u32(fdt, node, "numa-node-id", &nid))
			with_id++;
		else
			without_id++;
		if (nid >= MAX_NUMNODES) {
			pr_warn("NUMA: numa-node-id %u of %s too large, using node 0\n", nid,
				fdt_get_name(fdt, node, NULL));
			nid = 0;
		}
		for (int i = 0; !dt_reg(fdt, node, i, &base, &size); i++) {
			if (!size)
				continue;
			if (nr_node_banks == DT_MAX_BANKS)
				return -ENOSPC;
			add_bank(base, base + size, (int)nid);
		}
	}
	if (with_id && without_id) {
		pr_warn("NUMA: some /memory nodes have no numa-node-id, using one node\n");
		with_id = 0;
	}
	if (with_id && nodes_interleaved()) {
		pr_warn("NUMA: nodes' memory ranges interleave (not supported), using one node\n");
		with_id = 0;
	}
	if (!with_id)
		for (int i = 0; i < nr_node_banks; i++)
			node_banks[i].nid = 0;
	if (!nr_node_banks)
		add_bank(0, ~(phys_addr_t)0, 0);
	return 0;
}

/* Defaults, then /distance-map's (from, to, distance) triplets. */
static void numa_read_distances(const void *fdt)
{
	const fdt32_t *m;
	int node, len;

	for (int a = 0; a < MAX_NUMNODES; a++)
		for (int b = 0; b < MAX_NUMNODES; b++)
			numa_distance[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	node = dt_find_compatible(fdt, "numa-distance-map-v1");
	if (node < 0)
		return;
	m = fdt_getprop(fdt, node, "distance-matrix", &len);
	if (!m || len % 12) {
		pr_warn("NUMA: /distance-map has no valid distance-matrix\n");
		return;
	}
	for (int i = 0; i < len / 12; i++) {
		u32 a = fdt32_to_cpu(m[3 * i]), b = fdt32_to_cpu(m[3 * i + 1]);
		u32 d = fdt32_to_cpu(m[3 * i + 2]);

		if (a >= MAX_NUMNODES || b >= MAX_NUMNODES || d > 255 ||
		    (a == b) != (d == LOCAL_DISTANCE) || d < LOCAL_DISTANCE) {
			pr_warn("NUMA: invalid distance-matrix entry %u -> %u: %u\n", a, b, d);
			continue;
		}
		numa_distance[a][b] = (u8)d;
		/* An entry for a -> b also sets b -> a unless b -> a is given. */
		if (b > a)
			numa_distance[b][a] = (u8)d;
	}
}

void set_boot_cpu_hwid(u64 hwid)
{
	boot_cpu_hwid = hwid;
}

u64 cpu_logical_map(unsigned int cpu)
{
	return cpu < nr_cpu_ids ? cpu_hwid[cpu] : INVALID_HWID;
}

/* A node's path for messages, or its name when the path does not fit. */
static const char *node_path(const void *fdt, int node, char *buf, int size)
{
	const char *name;

	if (!fdt_get_path(fdt, node, buf, size))
		return buf;
	name = fdt_get_name(fdt, node, NULL);
	return name ? name : "?";
}

/* Records the next logical CPU, cpu: its MPIDR and the DT's node (or NUMA_NO_NODE). */
static void add_cpu(unsigned int cpu, u64 hwid, int nid)
{
	cpu_hwid[cpu] = hwid;
	cpu_node_map[cpu] = nid;
	nr_cpu_ids = cpu + 1;
}

static bool hwid_known(u64 hwid)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_hwid[cpu] == hwid)
			return true;
	return false;
}

/*
 * The cpu nodes under /cpus: logical numbers (the boot CPU 0, the others
 * in tree order) and their numa-node-id. Bad ones are reported and skipped.
 */
static void numa_read_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	unsigned int next = 1;
	bool boot_found = false;
	char path[96];

	nr_cpu_ids = 1;
	cpu_hwid[0] = boot_cpu_hwid;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpu_node_map[cpu] = NUMA_NO_NODE;
	if (cpus < 0)
		return;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = dt_string(fdt, node, "device_type");
		const char *status = dt_string(fdt, node, "status");
		int nid = NUMA_NO_NODE;
		u32 id;
		u64 hwid;

		/* Disabled CPUs may come online later; only failed ones are gone. */
		if (!type || strcmp(type, "cpu") || (status && !strncmp(status, "fail", 4)))
			continue;
		if (dt_cpu_hwid(fdt, node, &hwid) || (hwid & ~MPIDR_HWID_BITMASK)) {
			pr_err("%s: invalid reg property\n", node_path(fdt, node, path, sizeof(path)));
			continue;
		}
		if (dt_u32(fdt, node, "numa-node-id", &id)) {
			if (id < MAX_NUMNODES)
				nid = (int)id;
			else
				pr_warn("OF: NUMA: %s: node id %u exceeds maximum value, using node 0\n",
					node_path(fdt, node, path, sizeof(path)), id);
		}
		if (hwid == boot_cpu_hwid && !boot_found) {
			boot_found = true;
			cpu_node_map[0] = nid;
		} else if (hwid_known(hwid)) {
			pr_err("%s: duplicate cpu reg properties in the DT\n",
			       node_path(fdt, node, path, sizeof(path)));
		} else if (next == NR_CPUS) {
			pr_warn("%s: more than %d CPUs, ignored\n",
				node_path(fdt, node, path, sizeof(path)), NR_CPUS);
		} else {
			add_cpu(next++, hwid, nid);
		}
	}
	if (!boot_found)
		pr_warn("missing boot CPU MPIDR 0x%010llx in /cpus: CPU 0 on node 0\n",
			(unsigned long long)boot_cpu_hwid);
}

/* The online node nearest to nid (ties: lowest id), or 0 when none is. */
static int nearest_node_with_memory(int nid)
{
	int best = -1, n;

	for_each_online_node(n)
		if (best < 0 || node_distance(nid, n) < node_distance(nid, best))
			best = n;
	return best < 0 ? 0 : best;
}

/*
 * Once the nodes are online: a CPU without a node is on node 0 (Linux's
 * early_map_cpu_to_node()), one on a node without memory on the nearest
 * node that has some.
 */
static void numa_map_cpus(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		int nid = cpu_node_map[cpu] == NUMA_NO_NODE ? 0 : cpu_node_map[cpu];

		if (!node_online(nid)) {
			int near = nearest_node_with_memory(nid);

			pr_warn("NUMA: CPU %u (MPIDR 0x%010llx): node %d has no memory, using node %d\n",
				cpu, (unsigned long long)cpu_hwid[cpu], nid, near);
			nid = near;
		}
		cpu_node_map[cpu] = nid;
		pr_info("NUMA: CPU %u (MPIDR 0x%010llx) on node %d\n", cpu,
			(unsigned long long)cpu_hwid[cpu], nid);
	}
	/* numa_node_id()'s copies, where areas exist already (the host's; re-runs). */
	for (unsigned int cpu = 0; cpu < pcpu_nr_units; cpu++)
		per_cpu(pcpu_hot, cpu).numa_node = cpu_node_map[cpu];
}

static void warn_bad_dma_ranges(const void *fdt, int node, const char *why, void *arg)
{
	char path[96];

	(void)arg;
	pr_warn("OF: %s: malformed dma-ranges ignored: %s\n",
		node_path(fdt, node, path, sizeof(path)), why);
}

/*
 * Linux arm64's zone_sizes_init(): ZONE_DMA reaches no further than the
 * most constrained bus, and never past 32 bits. A zone_dma_bits= bootarg,
 * already in zone_dma_bits, wins.
 */
static void zone_dma_bits_init(const void *fdt)
{
	unsigned int bits;
	char path[96];
	int node, err;
	u64 limit;

	err = dt_dma_max_cpu_address(fdt, &limit, &node, warn_bad_dma_ranges, NULL);
	if (err)
		pr_warn("OF: cannot read every dma-ranges (%s)\n", fdt_strerror(err));
	bits = min(32U, fls64(limit));
	if (node >= 0)
		pr_info("OF: %s: dma-ranges reach 0x%016llx, the lowest bus limit (%u bits)\n",
			node_path(fdt, node, path, sizeof(path)), (unsigned long long)limit,
			fls64(limit));
	if (zone_dma_bits && zone_dma_bits != bits)
		pr_notice("zone_dma_bits=%u from the command line (the DT gives %u)\n",
			  zone_dma_bits, bits);
	if (!zone_dma_bits)
		zone_dma_bits = bits;
}

/* The node a physical address belongs to, or -1 when no bank holds it. */
static int phys_to_nid(phys_addr_t pa)
{
	for (int i = 0; i < nr_node_banks; i++)
		if (pa >= node_banks[i].base && pa < node_banks[i].end)
			return node_banks[i].nid;
	return -1;
}

typedef void (*node_range_fn)(int nid, unsigned long start_pfn, unsigned long end_pfn,
			      void *arg);

/*
 * Calls fn for each whole-page piece of RAM, memblock memory cut at the
 * bank (node) boundaries, in address order; no-map RAM only with_nomap.
 */
static void for_each_node_range(bool with_nomap, node_range_fn fn, void *arg)
{
	const struct memblock_type *mem = &memblock.memory;

	for (unsigned int r = 0; r < mem->cnt; r++) {
		const struct memblock_region *reg = &mem->regions[r];
		phys_addr_t end = reg->base + reg->size;

		if ((reg->flags & MEMBLOCK_NOMAP) && !with_nomap)
			continue;
		for (int b = 0; b < nr_node_banks; b++) {
			unsigned long s = PFN_UP(max(reg->base, node_banks[b].base));
			unsigned long e = PFN_DOWN(min(end, node_banks[b].end));

			if (s < e)
				fn(node_banks[b].nid, s, e, arg);
		}
	}
}

static void print_node_range(int nid, unsigned long s, unsigned long e, void *arg)
{
	(void)arg;
	pr_info("  node %3d: [mem 0x%016llx-0x%016llx]\n", nid, (unsigned long long)PFN_PHYS(s),
		(unsigned long long)PFN_PHYS(e) - 1);
}

struct span {
	int nid;
	unsigned long start, end;	/* pfns; start == end: empty */
	unsigned long pages;		/* of the ranges inside [start, end) */
};

static void node_span(int nid, unsigned long s, unsigned long e, void *arg)
{
	struct span *sp = arg;

	if (nid != sp->nid)
		return;
	if (sp->start == sp->end) {
		sp->start = s;
		sp->end = e;
	}
	sp->start = min(sp->start, s);
	sp->end = max(sp->end, e);
}

/* Counts the pages of the node's ranges inside [start, end). */
static void count_in_span(int nid, unsigned long s, unsigned long e, void *arg)
{
	struct span *sp = arg;

	s = max(s, sp->start);
	e = min(e, sp->end);
	if (nid == sp->nid && s < e)
		sp->pages += e - s;
}

/*
 * Linux's max_zone_phys(): the end of a zone of the lowest zone_bits of
 * the address space, moved to 4 GiB or all of RAM when RAM starts above it,
 * and never past the end of RAM.
 */
static unsigned long max_zone_pfn_for(unsigned int zone_bits)
{
	phys_addr_t mask = (1ULL << zone_bits) - 1;
	phys_addr_t start = memblock_start_of_DRAM();

	if (start > 0xffffffffULL)
		mask = ~(phys_addr_t)0;
	else if (start > mask)
		mask = 0xffffffffULL;
	return PFN_DOWN(min(mask, memblock_end_of_DRAM() - 1) + 1);
}

static void zone_limits(void)
{
	unsigned long lo = PFN_DOWN(memblock_start_of_DRAM());

	max_zone_pfn[ZONE_DMA] = max_zone_pfn_for(zone_dma_bits);
	max_zone_pfn[ZONE_DMA32] = max(max_zone_pfn[ZONE_DMA], max_zone_pfn_for(32));
	max_zone_pfn[ZONE_NORMAL] = PFN_DOWN(memblock_end_of_DRAM());
	if (highmem_start) {
		for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++)
			max_zone_pfn[z] = min(max_zone_pfn[z], PFN_DOWN(highmem_start));
		max_zone_pfn[ZONE_HIGHMEM] = PFN_DOWN(memblock_end_of_DRAM());
	}
	pr_info("Zone ranges:\n");
	for (int z = ZONE_DMA; z <= last_zone(); z++) {
		unsigned long s = z == ZONE_DMA ? lo : max(lo, max_zone_pfn[z - 1]);

		if (s >= max_zone_pfn[z])
			pr_info("  %-8s empty\n", zone_names[z]);
		else
			pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone_names[z],
				(unsigned long long)PFN_PHYS(s),
				(unsigned long long)PFN_PHYS(max_zone_pfn[z]) - 1);
	}
}

int early_pfn_to_nid(unsigned long pfn)
{
	int nid = phys_to_nid(PFN_PHYS(pfn));

	/* As Linux, a node in any case: no caller has a use for "none". */
	if (nid < 0)
		nid = nr_node_banks ? node_banks[0].nid : 0;
	return nid;
}

phys_addr_t early_node_end(int nid)
{
	phys_addr_t end = 0;

	for (int i = 0; i < nr_node_banks; i++)
		if (node_banks[i].nid == nid)
			end = max(end, node_banks[i].end);
	return end;
}

static int init_node(int nid, void *(*va_of)(phys_addr_t pa))
{
	struct span sp = { .nid = nid };
	phys_addr_t pgdat_pa;
	pg_data_t *pgdat;

	for_each_node_range(true, node_span, &sp);
	if (sp.start == sp.end)
		return 0;
	pgdat_pa = memblock_phys_alloc_try_nid(sizeof(*pgdat), PAGE_SIZE, nid);
	if (!pgdat_pa) {
		pr_err("Cannot allocate NODE_DATA(%d) (%zu bytes)\n", nid, sizeof(*pgdat));
		return -ENOMEM;
	}
	pr_info("NODE_DATA(%d) allocated [mem 0x%016llx-0x%016llx]\n", nid,
		(unsigned long long)pgdat_pa, (unsigned long long)(pgdat_pa + sizeof(*pgdat) - 1));
	pr_info("Initmem setup node %d [mem 0x%016llx-0x%016llx]\n", nid,
		(unsigned long long)PFN_PHYS(sp.start), (unsigned long long)PFN_PHYS(sp.end) - 1);

	pgdat = va_of(pgdat_pa);
	memset(pgdat, 0, sizeof(*pgdat));
	pgdat->node_id = nid;
	pgdat->node_start_pfn = sp.start;
	pgdat->node_spanned_pages = sp.end - sp.start;
	pgdat->nr_zones = last_zone() + 1;
	for (int z = ZONE_DMA; z < pgdat->nr_zones; z++) {
		unsigned long zs = z == ZONE_DMA ? sp.start : max_zone_pfn[z - 1];
		unsigned long ze = max_zone_pfn[z];
		struct zone *zone = &pgdat->node_zones[z];
		struct span present = { .nid = nid };

		zs = min(max(zs, sp.start), sp.end);
		ze = z == last_zone() ? sp.end : min(max(ze, zs), sp.end);
		zone_init(zone, zone_names[z], nid, (enum zone_type)z, pfn_to_page(zs), zs,
			  ze - zs);
		present.start = zs;
		present.end = ze;
		for_each_node_range(false, count_in_span, &present);
		zone->present_pages = present.pages;
		pgdat->node_present_pages += present.pages;
		if (zone->spanned_pages != present.pages)
			pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n", nid,
				zone->name, zone->spanned_pages - present.pages);
	}
	node_set_online(nid, pgdat);
	nr_online_nodes++;
	return 0;
}

/*
 * The struct pages of pfns [s, e) of node pgdat, each in its zone; pfns
 * outside the node's span go to its first or last zone.
 */
static void init_node_pages(const pg_data_t *pgdat, unsigned long s, unsigned long e)
{
	unsigned long node_end = pgdat->node_start_pfn + pgdat->node_spanned_pages;

	for (int z = 0; z < pgdat->nr_zones; z++) {
		const struct zone *zone = &pgdat->node_zones[z];
		unsigned long lo = zone->zone_start_pfn, hi = zone_end_pfn(zone);

		if (!zone->spanned_pages)
			continue;
		if (lo == pgdat->node_start_pfn)
			lo = 0;
		if (hi == node_end)
			hi = ~0UL;
		lo = max(lo, s);
		hi = min(hi, e);
		if (lo < hi)
			memmap_init_range(pfn_to_page(lo), hi - lo, pgdat->node_id,
					  (enum zone_type)z);
	}
}

/*
 * Every struct page of a present section: in the node whose span holds
 * its pfn, else (a hole at a node's edge: Linux's init_unavailable_range())
 * in the node of the section's first RAM.
 */
static void init_section_pages(unsigned long nr, unsigned long first_ram_pfn, void *arg)
{
	unsigned long pfn = section_nr_to_pfn(nr), end = pfn + PAGES_PER_SECTION;
	int owner = early_pfn_to_nid(first_ram_pfn);

	(void)arg;
	while (pfn < end) {
		const pg_data_t *pgdat = NODE_DATA(owner);
		unsigned long next = end;
		int nid;

		for_each_online_node(nid) {
			const pg_data_t *p = NODE_DATA(nid);
			unsigned long s = p->node_start_pfn, e = s + p->node_spanned_pages;

			if (pfn >= s && pfn < e) {
				pgdat = p;
				next = min(end, e);
				break;
			}
			if (s > pfn)
				next = min(next, s);
		}
		init_node_pages(pgdat, pfn, next);
		pfn = next;
	}
}

/* Starts from no node at all, so that host tests may run it again and again. */
int free_area_init(const void *fdt, void *(*va_of)(phys_addr_t pa))
{
	int err;

	memset(node_data, 0, sizeof(node_data));
	memset(zone_table, 0, sizeof(zone_table));
	nr_online_nodes = 0;
	err = numa_read_banks(fdt);
	if (err)
		return err;
	numa_read_distances(fdt);
	numa_read_cpus(fdt);
	zone_dma_bits_init(fdt);
	zone_limits();
	pr_info("Early memory node ranges\n");
	for_each_node_range(true, print_node_range, NULL);
	err = sparse_init(va_of);
	for (int nid = 0; nid < MAX_NUMNODES && !err; nid++)
		err = init_node(nid, va_of);
	numa_map_cpus();
	if (!err && nr_online_nodes)
		for_each_present_section(init_section_pages, NULL);
	return err;
}

/* Gives the free pfns [s, e) of node nid to the zones they fall in. */
static void release_range(int nid, unsigned long s, unsigned long e)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	for (int z = 0; z < pgdat->nr_zones; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long zs = max(s, zone->zone_start_pfn), ze = min(e, zone_end_pfn(zone));
		long n;

		if (zs >= ze)
			continue;
		n = __free_pages_memory(zone, zs, ze);
		if (n > 0)
			handover_pages += (unsigned long)n;
	}
}

/* The parts of the range that no reserved region touches, whole pages. */
static void release_unreserved(int nid, unsigned long s, unsigned long e, void *arg)
{
	const struct memblock_type *rsv = &memblock.reserved;
	phys_addr_t lo = PFN_PHYS(s), end = PFN_PHYS(e);

	(void)arg;
	for (unsigned int i = 0; i < rsv->cnt && lo < end; i++) {
		const struct memblock_region *r = &rsv->regions[i];

		if (r->base + r->size <= lo)
			continue;
		if (r->base >= end)
			break;
		if (PFN_UP(lo) < PFN_DOWN(r->base))
			release_range(nid, PFN_UP(lo), PFN_DOWN(r->base));
		lo = r->base + r->size;
	}
	if (PFN_UP(lo) < PFN_DOWN(end))
		release_range(nid, PFN_UP(lo), PFN_DOWN(end));
}

unsigned long memblock_free_all(void)
{
	unsigned long before = handover_pages;

	for_each_node_range(false, release_unreserved, NULL);
	return handover_pages - before;
}

/* ---- zonelists and watermarks ------------------------------------------- */

unsigned long min_free_kbytes;

/* Appends the populated zones of pgdat, highest first, at refs[n]. */
static int add_node_zones(struct zoneref *refs, int n, pg_data_t *pgdat)
{
	for (int z = pgdat->nr_zones - 1; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];

		if (zone->present_pages)
			refs[n++] = (struct zoneref){ zone, z };
	}
	return n;
}

/*
 * Node order for nid's zonelist, Linux's find_next_best_node() without
 * its CPU and round-robin tweaks: the nearest unused node, ties by id.
 */
static int build_zonelist(pg_data_t *pgdat, int order[MAX_NUMNODES])
{
	struct zoneref *refs = pgdat->node_zonelist._zonerefs;
	u64 used = 0;
	int n = 0, nr = 0;

	for (int i = 0; i < nr_online_nodes; i++) {
		int best = -1, nid;

		for_each_online_node(nid) {
			if (used & (1ULL << nid))
				continue;
			if (best < 0 ||
			    node_distance(pgdat->node_id, nid) < node_distance(pgdat->node_id, best))
				best = nid;
		}
		used |= 1ULL << best;
		order[nr++] = best;
		n = add_node_zones(refs, n, NODE_DATA(best));
	}
	refs[n] = (struct zoneref){ NULL, 0 };
	return nr;
}

void build_all_zonelists(void)
{
	unsigned long total = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		int order[MAX_NUMNODES], nr = build_zonelist(pgdat, order);
		char line[MAX_NUMNODES * 4 + 1];
		int len = 0;

		for (int i = 0; i < nr; i++)
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %d", order[i]);
		pr_info("Fallback order for Node %d:%s\n", nid, line);
		for (int z = 0; z < pgdat->nr_zones; z++)
			total += pgdat->node_zones[z].managed_pages;
	}
	pr_info("Built %d zonelists, mobility grouping off.  Total pages: %lu\n",
		nr_online_nodes, total);
}

void setup_zone_watermarks(void)
{
	static struct zone_wmark wm[MAX_NUMNODES][MAX_NR_ZONES];
	int nid;

	/* One row per node, indexed by zone type: absent zones are empty. */
	memset(wm, 0, sizeof(wm));
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			wm[nid][z].managed = NODE_DATA(nid)->node_zones[z].managed_pages;
	for (int n = 0; n < MAX_NUMNODES; n++)
		wm[n][ZONE_HIGHMEM].highmem = true;
	min_free_kbytes = calculate_min_free_kbytes(
		lowmem_managed_pages(&wm[0][0], MAX_NUMNODES * MAX_NR_ZONES));
	setup_per_zone_wmarks(&wm[0][0], MAX_NUMNODES * MAX_NR_ZONES, min_free_kbytes);
	pr_info("min_free_kbytes: %lu\n", min_free_kbytes);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		setup_per_zone_lowmem_reserve(wm[nid], sysctl_lowmem_reserve_ratio);
		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];

			_Static_assert(MAX_NR_ZONES == 4, "the log line prints four reserves");
			memcpy(zone->_watermark, wm[nid][z].wmark, sizeof(zone->_watermark));
			memcpy(zone->lowmem_reserve, wm[nid][z].lowmem_reserve,
			       sizeof(zone->lowmem_reserve));
			for (int i = 0; i < MAX_NR_ZONES; i++)
				zone->low_reserve[i] =
					zone->_watermark[WMARK_LOW] + zone->lowmem_reserve[i];
			pr_info("Node %d, zone %6s: present %lu, managed %lu, min %lu, low %lu, "
				"high %lu, lowmem_reserve[%lu %lu %lu %lu]\n",
				nid, zone->name, zone->present_pages, zone->managed_pages,
				zone->_watermark[WMARK_MIN], zone->_watermark[WMARK_LOW],
				zone->_watermark[WMARK_HIGH], zone->lowmem_reserve[0],
				zone->lowmem_reserve[1], zone->lowmem_reserve[2],
				zone->lowmem_reserve[3]);
		}
	}
}

#ifndef MK64_HOST
extern char _text[], __start_rodata[], __end_rodata[], _sdata[], _edata[], __bss_start[],
	__bss_end[];

static void *linear_va(phys_addr_t pa)
{
	return __va(pa);
}

#define SECTION_KB(start, end) (((unsigned long)(end) - (unsigned long)(start)) >> 10)

void mm_core_init(const void *fdt)
{
	unsigned long physpages = 0, managed = 0;
	int nid, err;

	err = free_area_init(fdt, linear_va);
	if (err)
		panic("free_area_init: cannot set up nodes and zones (%d)", err);
	setup_per_cpu_areas();
	memblock_free_all();
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		physpages += pgdat->node_present_pages;
		for (int z = 0; z < pgdat->nr_zones; z++)
			managed += pgdat->node_zones[z].managed_pages;
	}
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK bss, %luK reserved)\n",
		managed << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10),
		SECTION_KB(_text, __start_rodata), SECTION_KB(_sdata, _edata),
		SECTION_KB(__start_rodata, __end_rodata), SECTION_KB(__bss_start, __bss_end),
		(physpages - managed) << (PAGE_SHIFT - 10));
	build_all_zonelists();
	setup_zone_watermarks();
	setup_per_cpu_pageset();
}
#endif
