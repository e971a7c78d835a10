/*
 * Zone watermarks and lowmem_reserve: the arithmetic of Linux's
 * init_per_zone_wmark_min(), __setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve() and __zone_watermark_ok(), with the
 * formulas of the 2.6-era kernels:
 *
 *   min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 65536]
 *   WMARK_MIN  = the zone's share of min_free_kbytes (in pages), by
 *                managed_pages among the lowmem zones; a highmem zone gets
 *                clamp(managed / 1024, SWAP_CLUSTER_MAX, 128) instead
 *   WMARK_LOW  = min * 5/4
 *   WMARK_HIGH = min * 3/2
 *   lowmem_reserve[j] of zone i < j = managed pages of zones i+1..j
 *                                     / sysctl_lowmem_reserve_ratio[i]
 *
 * Everything works on struct zone_wmark, a plain description of one zone,
 * so that it runs on the host too; the zone setup copies the results into
 * struct zone.
 */
#ifndef MK64_WATERMARK_H
#define MK64_WATERMARK_H

#include <mk64/mmzone.h>
#include <mk64/types.h>

#define MIN_FREE_KBYTES_MIN 128UL
#define MIN_FREE_KBYTES_MAX 65536UL
/* Linux's reclaim batch; also the smallest highmem WMARK_MIN. */
#define SWAP_CLUSTER_MAX 32UL
#define HIGHMEM_WMARK_MIN_MAX 128UL

/*
 * alloc_flags of the watermark check, with Linux 4.x's values (mm/internal.h).
 * __GFP_HIGH gives ALLOC_HIGH; GFP_ATOMIC (__GFP_ATOMIC without
 * __GFP_NOMEMALLOC) gives ALLOC_HARDER as well.
 */
#define ALLOC_NO_WATERMARKS 0x04	/* no check at all: the reserves (mm/gfp.c) */
#define ALLOC_HARDER 0x10	/* try to alloc harder: min -= min / 4 */
#define ALLOC_HIGH 0x20		/* __GFP_HIGH set: min -= min / 2 */

/*
 * Default divisors for lowmem_reserve, indexed by the lower zone (Linux's
 * defaults: DMA 256, DMA32 256, NORMAL 32, HIGHMEM 0). A ratio below 1
 * means no reserve.
 */
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];

struct zone_wmark {
	/* Input */
	unsigned long managed;		/* the zone's managed_pages */
	bool highmem;			/* ZONE_HIGHMEM: not lowmem */
	/* Output, in pages */
	unsigned long wmark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
};

/* The managed pages of the lowmem (not highmem) zones among zones[0..nr). */
unsigned long lowmem_managed_pages(const struct zone_wmark *zones, unsigned int nr);

/*
 * min_free_kbytes for lowmem_pages pages of lowmem (all nodes):
 * int_sqrt(lowmem_kbytes * 16) clamped to [MIN_FREE_KBYTES_MIN,
 * MIN_FREE_KBYTES_MAX].
 */
unsigned long calculate_min_free_kbytes(unsigned long lowmem_pages);

/*
 * Sets wmark[] of every zone in zones[0..nr) (all zones of all nodes)
 * from min_free_kbytes. Each lowmem zone's WMARK_MIN is
 * floor(pages_min * managed / lowmem pages), pages_min being
 * min_free_kbytes in pages, so the lowmem zones' mins add up to pages_min
 * minus less than one page per lowmem zone; with no lowmem pages they are
 * 0. Highmem zones get clamp(managed / 1024, SWAP_CLUSTER_MAX,
 * HIGHMEM_WMARK_MIN_MAX), empty ones included, as in Linux. WMARK_LOW and
 * WMARK_HIGH are min * 5/4 and min * 3/2, rounded down.
 */
void setup_per_zone_wmarks(struct zone_wmark *zones, unsigned int nr,
			   unsigned long min_free_kbytes);

/*
 * Sets lowmem_reserve[] of the zones of one node, node_zones[] being
 * indexed by enum zone_type (absent zones with managed 0). For zone i and
 * j > i, lowmem_reserve[j] = (managed pages of zones i+1..j) / ratio[i],
 * or 0 when ratio[i] < 1: the pages an allocation that could have used
 * zone j must leave free in zone i. Entries j <= i are 0.
 */
void setup_per_zone_lowmem_reserve(struct zone_wmark node_zones[MAX_NR_ZONES],
				   const int ratio[MAX_NR_ZONES]);

/*
 * Whether a zone with free_pages free pages may give a block of 2^order
 * pages to an allocation whose preferred zone is highest_zoneidx (Linux
 * 4.x's classzone_idx), against watermark mark (in pages) and the zone's
 * lowmem_reserve[]. As Linux 4.x: min = mark, halved for ALLOC_HIGH, then
 * less a quarter for ALLOC_HARDER; free_pages - 2^order + 1 must stay
 * above min + lowmem_reserve[highest_zoneidx] (at least that many pages
 * are left once the block is taken). For order > 0, nr_free[] (the zone's
 * free block counts per order, read only then) must also show a free
 * block of at least order. Returns false for order > MAX_PAGE_ORDER.
 */
bool __zone_watermark_ok(unsigned long free_pages, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags,
			 const unsigned long lowmem_reserve[MAX_NR_ZONES],
			 const unsigned long nr_free[NR_PAGE_ORDERS]);

#endif
