/*
 * Zone watermarks and lowmem_reserve (include/mk64/watermark.h): pure
 * arithmetic on struct zone_wmark, built for the kernel and the host.
 */
#include <asm/memory.h>
#include <mk64/math.h>
#include <mk64/watermark.h>

int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256,
	[ZONE_DMA32] = 256,
	[ZONE_NORMAL] = 32,
	[ZONE_HIGHMEM] = 0,
};

unsigned long lowmem_managed_pages(const struct zone_wmark *zones, unsigned int nr)
{
	unsigned long pages = 0;

	for (unsigned int i = 0; i < nr; i++)
		if (!zones[i].highmem)
			pages += zones[i].managed;
	return pages;
}

unsigned long calculate_min_free_kbytes(unsigned long lowmem_pages)
{
	unsigned long kbytes = lowmem_pages << (PAGE_SHIFT - 10);
	unsigned long min_free = int_sqrt(kbytes * 16);

	if (min_free < MIN_FREE_KBYTES_MIN)
		return MIN_FREE_KBYTES_MIN;
	if (min_free > MIN_FREE_KBYTES_MAX)
		return MIN_FREE_KBYTES_MAX;
	return min_free;
}

void setup_per_zone_wmarks(struct zone_wmark *zones, unsigned int nr,
			   unsigned long min_free_kbytes)
{
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = lowmem_managed_pages(zones, nr);

	for (unsigned int i = 0; i < nr; i++) {
		struct zone_wmark *z = &zones[i];
		unsigned long min;

		if (z->highmem) {
			/*
			 * Atomic and __GFP_HIGH allocations rarely take
			 * highmem pages: a small reserve is enough.
			 */
			min = z->managed / 1024;
			min = max(min, SWAP_CLUSTER_MAX);
			min = min(min, HIGHMEM_WMARK_MIN_MAX);
		} else if (lowmem_pages) {
			/* pages_min <= 16384: exact below 2^50 pages. */
			min = pages_min * z->managed / lowmem_pages;
		} else {
			min = 0;
		}
		z->wmark[WMARK_MIN] = min;
		z->wmark[WMARK_LOW] = min + min / 4;
		z->wmark[WMARK_HIGH] = min + min / 2;
	}
}

void setup_per_zone_lowmem_reserve(struct zone_wmark node_zones[MAX_NR_ZONES],
				   const int ratio[MAX_NR_ZONES])
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long above = 0;	/* managed pages of zones i+1..j */

		for (int j = 0; j <= i; j++)
			node_zones[i].lowmem_reserve[j] = 0;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			above += node_zones[j].managed;
			node_zones[i].lowmem_reserve[j] =
				ratio[i] < 1 ? 0 : above / (unsigned long)ratio[i];
		}
	}
}

bool __zone_watermark_ok(unsigned long free_pages, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags,
			 const unsigned long lowmem_reserve[MAX_NR_ZONES],
			 const unsigned long nr_free[NR_PAGE_ORDERS])
{
	unsigned long min = mark;

	if (order > MAX_PAGE_ORDER)
		return false;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;

	/* free - 2^order + 1 > min + reserve, without going below zero. */
	if (free_pages < min + lowmem_reserve[highest_zoneidx] + (1UL << order))
		return false;
	if (order == 0)
		return true;

	/* Enough pages, but a high order also needs a block to split. */
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++)
		if (nr_free[o])
			return true;
	return false;
}
