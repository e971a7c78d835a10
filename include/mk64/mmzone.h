/*
 * Zones and their free areas: the buddy allocator's bookkeeping, as
 * Linux's <linux/mmzone.h>. mm/page_alloc.c holds the core.
 *
 * A zone covers the pfns [zone_start_pfn, zone_start_pfn + spanned_pages);
 * zone_mem_map is the struct page of zone_start_pfn, so the zone's pages
 * are one addition away (in the kernel it points into the vmemmap, where
 * only present sections are mapped; the host's buddy tests give a zone an
 * array of its own). Free memory is kept as blocks of 2^order
 * pages, order 0..MAX_PAGE_ORDER, each aligned to its size in pfns; a
 * block's buddy is the block of the same order at pfn ^ (1 << order), and
 * two free buddies are always merged, so the free blocks of a zone are at
 * all times the largest aligned blocks its free pages form. Blocks never
 * cross the zone's edges; holes are pages that stay PG_reserved.
 *
 * zone->lock protects free_area[], vm_stat[] and the buddy state of every
 * page of the zone (PG_buddy, and private and lru of free pages). It is
 * taken with interrupts saved (zone_lock_irqsave()).
 */
#ifndef MK64_MMZONE_H
#define MK64_MMZONE_H

#include <asm/memory.h>
#include <mk64/compiler.h>
#include <mk64/list.h>
#include <mk64/mm_types.h>
#include <mk64/percpu.h>
#include <mk64/ratelimit.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>
#include <mk64/types.h>

/*
 * Orders 0..10: blocks of 4 KiB to 4 MiB. Linux before 6.4 called the
 * number of orders MAX_ORDER (11); here it is NR_PAGE_ORDERS and the
 * largest order MAX_PAGE_ORDER, as Linux names them since.
 */
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)

enum zone_type {
	ZONE_DMA,	/* devices that reach only the lowest addresses */
	ZONE_DMA32,	/* devices with 32-bit addressing */
	ZONE_NORMAL,	/* everything else in the linear map */
	ZONE_HIGHMEM,	/* RAM kept out of the linear map (highmem=) */
	MAX_NR_ZONES
};
_Static_assert(MAX_NR_ZONES <= (1 << ZONES_SHIFT), "zone ids do not fit in page->flags");

/* The free blocks of one order. */
struct free_area {
	struct list_head free_list;	/* block heads, linked by page->lru */
	unsigned long nr_free;		/* blocks on free_list */
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
};

/* Per-zone counters, as Linux's zone_stat_item. */
enum zone_stat_item {
	NR_FREE_PAGES,		/* pages in free_area[] */
	/*
	 * Pages the kernel's page tables took from the buddy allocator, in
	 * use or kept for reuse (arch/arm64/mmu.c); changed atomically, not
	 * under zone->lock.
	 */
	NR_PAGETABLE,
	NR_VM_ZONE_STAT_ITEMS
};

/*
 * The orders kept on per-CPU lists: 0 to PAGE_ALLOC_COSTLY_ORDER, as Linux
 * since 5.14. Larger requests always take zone->lock.
 */
#define PAGE_ALLOC_COSTLY_ORDER 3
#define NR_PCP_LISTS (PAGE_ALLOC_COSTLY_ORDER + 1)

/*
 * A CPU's cache of free blocks of one zone (mm/pcp.c), a list per order:
 * freed blocks go on the head (hot, likely still in the cache), __GFP_COLD
 * takes from the tail. An empty list is refilled from the buddy allocator
 * with batch pages' worth of blocks; once count exceeds high, batch pages
 * go back. Blocks here have refcount 0 and are not in NR_FREE_PAGES.
 *
 * Protected by locked, a lock that its CPU only ever tries, with
 * interrupts left enabled (as Linux's pcp_spin_trylock() since 6.2): an
 * interrupt handler that finds it held by the code it interrupted uses
 * the buddy allocator directly instead. No other CPU takes it: another
 * CPU's drain is a cross-call its CPU runs (drain_all_pages()).
 */
struct per_cpu_pages {
	unsigned long locked;	/* 0, or held (pcp_trylock(): the structure's address) */
	int count;		/* pages on all lists */
	int high;
	int batch;
	struct list_head lists[NR_PCP_LISTS];	/* linked by page->lru */
} __aligned(64);	/* a cache line of its own: CPUs do not share lines */

struct zone {
	/* Each CPU's lists: alloc_percpu() by setup_per_cpu_pageset(). */
	struct per_cpu_pages __percpu *per_cpu_pageset;

	/* Read mostly. */
	unsigned long _watermark[NR_WMARK];	/* in pages; setup_zone_watermarks() */
	/*
	 * Pages an allocation whose highest allowed zone is [i] must leave
	 * free here on top of the watermark (0 for i <= this zone).
	 */
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	/*
	 * _watermark[WMARK_LOW] + lowmem_reserve[i], set with them: the
	 * allocation fast path's test in one load.
	 */
	unsigned long low_reserve[MAX_NR_ZONES];
	const char *name;			/* "DMA", "Normal", ... */
	int node;				/* the node the zone belongs to */
	enum zone_type type;
	struct page *zone_mem_map;		/* struct page of zone_start_pfn (not a copy) */
	/* Next to zone_mem_map: the free path's bounds check reads both as one. */
	unsigned long spanned_pages;		/* pfns covered, holes included */
	unsigned long zone_start_pfn;
	unsigned long present_pages;		/* spanned minus holes */
	unsigned long managed_pages;		/* given to the buddy allocator */

	/* Written by every allocation and free: under lock. */
	spinlock_t lock;
	struct free_area free_area[NR_PAGE_ORDERS];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

/* The running CPU's lists of zone: the caller must not move to another CPU. */
static __always_inline struct per_cpu_pages *this_cpu_pageset(struct zone *zone)
{
	return this_cpu_ptr(zone->per_cpu_pageset);
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn - zone->zone_start_pfn < zone->spanned_pages;
}

/* The struct page of a pfn the zone spans; O(1). */
static inline struct page *zone_pfn_to_page(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_mem_map + (pfn - zone->zone_start_pfn);
}

static inline unsigned long zone_page_to_pfn(const struct zone *zone, const struct page *page)
{
	return zone->zone_start_pfn + (unsigned long)(page - zone->zone_mem_map);
}

/* A counter, read without the lock: a snapshot that may be stale. */
static inline unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	long x = READ_ONCE(zone->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}

/* Records the page's zone and node in its flags. */
static inline void set_page_links(struct page *page, enum zone_type zone, int nid)
{
	page->flags &= ~((NODES_MASK << NODES_PGSHIFT) | (ZONES_MASK << ZONES_PGSHIFT));
	page->flags |= ((unsigned long)nid & NODES_MASK) << NODES_PGSHIFT |
		       ((unsigned long)zone & ZONES_MASK) << ZONES_PGSHIFT;
}

/* zone->lock with local interrupts saved. */
#define zone_lock_irqsave(zone, flags) spin_lock_irqsave(&(zone)->lock, flags)
#define zone_unlock_irqrestore(zone, flags) spin_unlock_irqrestore(&(zone)->lock, flags)

/* True while some CPU holds or waits for zone->lock. */
static inline bool zone_is_locked(const struct zone *zone)
{
	u32 val = READ_ONCE(zone->lock.val);

	return (u16)(val >> 16) != (u16)val;
}

/*
 * The buddy core, zone level (mm/page_alloc.c). The allocator API with GFP
 * flags, zonelists and watermarks is built on these.
 */

/*
 * Sets up zone over pfns [start_pfn, start_pfn + spanned_pages), whose
 * struct pages are memmap[0 .. spanned_pages): the free areas are empty
 * and managed_pages 0. present_pages starts equal to spanned_pages: a
 * caller that knows of holes lowers it. The struct pages are set up by
 * memmap_init_range(); pages are given to the allocator with
 * __free_pages_memory().
 */
void zone_init(struct zone *zone, const char *name, int nid, enum zone_type type,
	       struct page *memmap, unsigned long start_pfn, unsigned long spanned_pages);

/*
 * Initialises the nr struct pages from page on: each reserved with one
 * reference, unmapped, linked to (nid, type), PG_highmem in a highmem
 * zone (Linux's __init_single_page()). A few stores a page: boot runs it
 * for every page of every present section.
 */
void memmap_init_range(struct page *page, unsigned long nr, int nid, enum zone_type type);

/*
 * Gives the reserved pages [start_pfn, end_pfn) of zone to the buddy
 * allocator (memblock's free memory at hand-over), as the largest aligned
 * blocks that fit, and counts them in managed_pages. Returns the number of
 * pages released, or -EINVAL when the range is not inside the zone (nothing
 * released) or a page in it is not reserved: that page is reported as a
 * bad page, and the blocks before it stay released.
 */
long __free_pages_memory(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn);

/*
 * Takes a free block of 2^order pages from zone, splitting a larger one if
 * needed. Returns its first page with refcount 1 (the other pages of the
 * block have 0), or NULL when order > MAX_PAGE_ORDER or no block of that
 * order or larger is free. Takes zone->lock; never sleeps.
 */
struct page *alloc_pages_zone(struct zone *zone, unsigned int order);

/*
 * Gives back the block of 2^order pages at page, allocated from zone, once
 * its last reference is gone: every page of it must have refcount 0,
 * _mapcount -1, no mapping and none of PAGE_FLAGS_CHECK_AT_FREE. The block
 * merges with its free buddies. A block that breaks a rule, is not an
 * aligned block of the zone, or is already (partly) free is reported as
 * "Bad page state" and not freed; nothing changes. Returns true when the
 * block was freed. Takes zone->lock; never sleeps. A page pointer inside
 * the zone's span but in an absent section faults on the vmemmap instead.
 */
bool free_pages_zone(struct zone *zone, struct page *page, unsigned int order);

/*
 * The checks of free_pages_zone() that need no lock, for a block about to
 * go somewhere else than the free lists (a per-CPU list): reports and
 * returns false when the block may not be freed, and then nothing changes.
 * Once every check passed, a compound head of the right order
 * (prep_compound_page()) is taken apart.
 */
bool free_pages_prepare(struct zone *zone, struct page *page, unsigned int order);

/*
 * Makes the block of 2^order pages at page (order >= 1) a compound page:
 * PG_head on page, every tail page pointing at it, the order in the first
 * tail (Linux's __GFP_COMP).
 */
void prep_compound_page(struct page *page, unsigned int order);

/*
 * Reports page as "Bad page state" with reason (and the caller's stack in
 * the kernel) and changes nothing.
 */
void report_bad_page(const struct page *page, const char *reason);

/* How often "Bad page state" may be reported: 60 a minute, as Linux. */
extern struct ratelimit_state bad_page_rs;

/*
 * Moves up to count order-`order` blocks from the zone's free lists to the
 * tail of list (refcount 0, _mapcount PAGE_PCP_MAPCOUNT: a per-CPU list's),
 * under one zone->lock. Returns how many.
 */
int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct list_head *list);

/*
 * Gives at least count pages (or all) of the per-CPU lists of pcp back to
 * the zone's free lists under one zone->lock, coldest first, from the list
 * of order first, and lowers pcp->count. The blocks passed
 * free_pages_prepare(). Caller holds pcp->locked.
 */
void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			unsigned int order);

/*
 * Nodes (mm/mm_init.c). A node is the RAM the device tree gives one
 * numa-node-id (all of it when no /memory node has one) with its zones,
 * which split the node's pfn span at the zone limits: every pfn of the
 * span is in exactly one zone. pg_data_t, like each section's struct
 * pages, is allocated from the node's own memory when it has room.
 */
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

/*
 * A node's zonelist: every populated zone of every node, nearest node
 * first (node_distance(), ties by node id), and within a node the highest
 * zone first. An allocation walks it from the first zone its GFP flags
 * allow. Ends with a NULL zone.
 */
struct zoneref {
	struct zone *zone;
	int zone_idx;		/* zone->type, read without touching the zone */
};

struct zonelist {
	struct zoneref _zonerefs[MAX_NUMNODES * MAX_NR_ZONES + 1];
};

typedef struct pglist_data {
	struct zonelist node_zonelist;	/* built by build_all_zonelists() */
	struct zone node_zones[MAX_NR_ZONES];
	int nr_zones;			/* node_zones[0 .. nr_zones) are set up */
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;	/* pfns covered, holes included */
	unsigned long node_present_pages;	/* spanned minus holes */
	/*
	 * Background reclaim asked of kswapd (mm/gfp.c): wakeups since boot,
	 * the largest order and highest zone asked. Racy counters.
	 */
	unsigned long kswapd_wakeups;
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;
} pg_data_t;

extern pg_data_t *node_data[MAX_NUMNODES];
extern int nr_online_nodes;
/* Pages memblock_free_all() gave the buddy allocator. */
extern unsigned long handover_pages;

#define NODE_DATA(nid) (node_data[nid])

static inline bool node_online(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_data[nid];
}

/* The first online node at or after nid, or MAX_NUMNODES. */
static inline int next_online_node_from(int nid)
{
	while (nid < MAX_NUMNODES && !node_data[nid])
		nid++;
	return nid;
}

#define for_each_online_node(nid)                                               \
	for ((nid) = next_online_node_from(0); (nid) < MAX_NUMNODES;            \
	     (nid) = next_online_node_from((nid) + 1))

/*
 * Every zone of every online node by the ids at the top of page->flags
 * (node << ZONES_SHIFT | zone), so that page_zone() is one load.
 */
extern struct zone *zone_table[MAX_NUMNODES << ZONES_SHIFT];

/* Makes node nid, described by pgdat, online. */
static inline void node_set_online(int nid, pg_data_t *pgdat)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		zone_table[nid << ZONES_SHIFT | z] = &pgdat->node_zones[z];
	node_data[nid] = pgdat;
}

/* The zone a page belongs to, from the node and zone ids in its flags. */
static inline struct zone *page_zone(const struct page *page)
{
	/* A plain read: the ids never change, whatever happens to the flags below. */
	return zone_table[page->flags >> ZONES_PGSHIFT];
}

/*
 * The memory model (mm/sparse.c), Linux's SPARSEMEM_VMEMMAP: the physical
 * address space is cut into sections of 2^SECTION_SIZE_BITS bytes, and a
 * section is present when any RAM (memblock memory, no-map included) lies
 * in it. Only present sections have struct pages: every page of a present
 * section has one, RAM or not (the others stay reserved), laid out by pfn
 * in the vmemmap window, so pfn_to_page() and page_to_pfn() are one
 * addition and one subtraction with no lookup, and holes between sections
 * cost no memory.
 *
 * SECTION_SIZE_BITS 27 is Linux arm64's choice with 4K pages: a 128 MiB
 * section has 32768 pages, whose 64-byte struct pages fill exactly one
 * 2 MiB block of the vmemmap window (one block mapping per section, taken
 * from the section's own node). The price: a section with any RAM costs
 * 2 MiB of struct pages however little RAM it holds.
 */
#define SECTION_SIZE_BITS 27
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION (1UL << PFN_SECTION_SHIFT)
#define PAGE_SECTION_MASK (~(PAGES_PER_SECTION - 1))
#define SECTION_MEMMAP_SIZE (PAGES_PER_SECTION * sizeof(struct page))
_Static_assert(SECTION_MEMMAP_SIZE == SECTION_SIZE, "a section's struct pages fill one 2 MiB block");
/* A block and its buddy always share a section: merging never reads an absent one. */
_Static_assert(MAX_PAGE_ORDER + 1 <= PFN_SECTION_SHIFT, "buddies must not cross sections");

/*
 * Where the struct page of pfn 0 would be: pfn_to_page(pfn) is vmemmap +
 * pfn. Only the present sections' part of the window is mapped.
 */
extern struct page *vmemmap;
/* A bit per section from pfn 0 to the end of RAM: set when present. */
extern unsigned long *present_sections;
extern unsigned long nr_mem_sections;	/* sections present_sections covers */
/* For the log and the tests: present sections, and those mapped with a 2 MiB block. */
extern unsigned long nr_present_sections, nr_vmemmap_blocks;

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	return pfn >> PFN_SECTION_SHIFT;
}

static inline unsigned long section_nr_to_pfn(unsigned long nr)
{
	return nr << PFN_SECTION_SHIFT;
}

static inline bool present_section_nr(unsigned long nr)
{
	return nr < nr_mem_sections &&
	       (present_sections[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/*
 * Whether pfn has a struct page (Linux's pfn_valid()): true for every pfn
 * of a present section, RAM or not, false elsewhere.
 */
static inline bool pfn_valid(unsigned long pfn)
{
	return present_section_nr(pfn_to_section_nr(pfn));
}

/* The struct page of pfn, which must be pfn_valid(). */
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return vmemmap + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - vmemmap);
}

/* The linear-map address of a page that is not highmem (page_address()). */
static inline void *lowmem_page_address(const struct page *page)
{
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
}

/*
 * Sets up the memory model for the RAM in memblock: the vmemmap base
 * (arch_vmemmap_init()), the present-section bitmap (in memblock memory
 * reached through va_of) and, for each present section, its struct pages
 * mapped (vmemmap_populate()) but not yet initialised. Node ids come from
 * early_pfn_to_nid(). Logs the cost. Returns 0, or -ENOMEM (reported).
 */
int sparse_init(void *(*va_of)(phys_addr_t pa));

/*
 * Calls fn(section, first_ram_pfn, arg) for each present section, in
 * address order, first_ram_pfn being the section's lowest pfn of RAM.
 */
void for_each_present_section(void (*fn)(unsigned long nr, unsigned long first_ram_pfn,
					 void *arg),
			      void *arg);

/*
 * The memory for one section's struct pages from memblock: a 2 MiB-aligned
 * block on node nid, else one anywhere, else 2 MiB of pages on nid, else
 * anywhere (memblock_phys_alloc_try_nid()). Returns its physical address or 0.
 */
phys_addr_t vmemmap_alloc_section(int nid);

/*
 * Arch hooks. arch_vmemmap_init(): the vmemmap base for RAM in pfns
 * [start_pfn, end_pfn), or NULL when the window cannot hold it.
 * vmemmap_populate(): makes the SECTION_MEMMAP_SIZE bytes at start usable,
 * backed by memory on node nid when it can (vmemmap_alloc_section());
 * returns 0 and the backing's physical address in *pa (0 when the host
 * simulates it), or -ENOMEM with nothing mapped.
 */
struct page *arch_vmemmap_init(unsigned long start_pfn, unsigned long end_pfn);
int vmemmap_populate(unsigned long start, int nid, phys_addr_t *pa);

/*
 * The node of the RAM at pfn by the device tree's banks (mm/mm_init.c);
 * always a valid node id: a pfn in no bank gets the lowest bank's node.
 */
int early_pfn_to_nid(unsigned long pfn);

/* The end (exclusive) of node nid's highest bank; 0 when it has none. */
phys_addr_t early_node_end(int nid);

/*
 * Below the GFP API (mk64/gfp.h), for tests and benchmarks that want
 * every free block: an order-`order` block from the highest zone of the
 * first node that has one, no watermark, refcount 1; NULL when none has.
 * Never sleeps.
 */
struct page *alloc_pages_no_watermarks(unsigned int order);

/*
 * Drops a reference; the last one frees the block straight to its zone's
 * free lists, past the per-CPU lists. Returns false when the free was
 * refused as a bad page (and reported).
 */
bool free_pages_no_pcp(struct page *page, unsigned int order);

/* Distance from node from to node to, from /distance-map or the defaults. */
int node_distance(int from, int to);

/*
 * Reads the nodes, their distances, the cpu nodes' numa-node-id and the
 * DMA limit (dma-ranges) from the device tree, sets up the memory model
 * (sparse_init()), lays out each node's zones, allocates pg_data_t from
 * the node's memory (memblock, reached through va_of) and initialises the
 * struct page of every pfn of every present section reserved: a pfn in no
 * node's span belongs to the zone of the section's node nearest to it.
 * Logs the zone and node ranges. Starts from no online node, so host
 * tests may run it again. Returns 0, or -ENOMEM when a node's structures
 * do not fit anywhere.
 */
int free_area_init(const void *fdt, void *(*va_of)(phys_addr_t pa));

/*
 * ZONE_DMA is RAM below 2^zone_dma_bits: 0 until set, by the zone_dma_bits=
 * bootarg or else by free_area_init() from the DT's dma-ranges (at most 32).
 */
extern unsigned int zone_dma_bits;

/* Where ZONE_HIGHMEM starts (highmem=), or 0 without one. */
extern phys_addr_t highmem_start;

/*
 * highmem=SIZE: makes the top SIZE of RAM (rounded to the largest block)
 * ZONE_HIGHMEM, out of the linear map, and keeps boot allocations below
 * it. Call after memblock is filled, before paging_init(). Returns 0,
 * -EINVAL for a size of 0 or half of RAM or more, -EBUSY when the range
 * holds something reserved (the kernel, the DTB, an initrd).
 */
int highmem_init(phys_addr_t size);

/*
 * Hand-over: gives every page of memblock RAM that is neither reserved nor
 * no-map to its zone's buddy allocator. Returns the number of pages.
 */
unsigned long memblock_free_all(void);

/*
 * Builds every online node's zonelist from the zones' present pages and
 * the node distances and logs it ("Built N zonelists", "Fallback order
 * for Node N: ..."). Run after memblock_free_all().
 */
void build_all_zonelists(void);

/* Set by setup_zone_watermarks(): the lowmem reserve of all zones, in KiB. */
extern unsigned long min_free_kbytes;

/*
 * Linux's init_per_zone_wmark_min(): min_free_kbytes from the managed
 * lowmem pages of all nodes, then every zone's watermarks and
 * lowmem_reserve (mk64/watermark.h), each zone logged with its counts.
 * Run after memblock_free_all().
 */
void setup_zone_watermarks(void);

/*
 * Kernel only: free_area_init() over the linear map, memblock_free_all(),
 * the "Memory: ...K/...K available" line, build_all_zonelists(),
 * setup_zone_watermarks() and setup_per_cpu_pageset(). Panics when it cannot.
 */
void mm_core_init(const void *fdt);

#endif
