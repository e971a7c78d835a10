/*
 * The per-CPU lists of the page allocator (struct per_cpu_pages): their
 * sizes, the refill from and the trim back to the buddy allocator, and
 * the drains. The operations that the allocation and free fast paths
 * inline are in mm/internal.h.
 *
 * Kernel only: the lists serve the GFP API (mm/gfp.c).
 */
#include <asm/processor.h>
#include <mk64/bitops.h>
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include "internal.h"

/*
 * Linux's zone_batchsize(): a quarter of a 1024th of the zone's pages (of
 * at most 1 MiB's worth), rounded down to 2^n - 1 so that batches do not
 * keep landing on the same cache colours.
 */
static int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = min(zone->managed_pages / 1024, (1UL << 20) / PAGE_SIZE) / 4;

	if (batch < 1)
		batch = 1;
	batch = (1UL << (fls64(batch + batch / 2) - 1)) - 1;
	return batch ? (int)batch : 1;
}

void setup_per_cpu_pageset(void)
{
	int nid;

	for_each_online_node(nid) {
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];
			int batch = zone_batchsize(zone);
			unsigned int cpu;

			zone->per_cpu_pageset = alloc_percpu(struct per_cpu_pages);
			if (!zone->per_cpu_pageset)
				panic("no per-CPU room for the lists of node %d's zone %s", nid,
				      zone->name);
			for_each_possible_cpu(cpu) {
				struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

				*pcp = (struct per_cpu_pages){ .batch = batch, .high = 6 * batch };
				for (int o = 0; o < NR_PCP_LISTS; o++)
					INIT_LIST_HEAD(&pcp->lists[o]);
			}
			if (zone->managed_pages)
				pr_info("Node %d, zone %6s: per-CPU lists batch %d, high %d\n", nid,
					zone->name, batch, 6 * batch);
		}
	}
}

/*
 * For the lists of another CPU, or from a context no interrupt holds it
 * in. Waits reading, not writing, so that the holder keeps its line.
 */
static void pcp_lock(struct per_cpu_pages *pcp)
{
	while (!pcp_trylock(pcp))
		while (__atomic_load_n(&pcp->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

/*
 * Refills an empty list with blocks of order from the buddy allocator, a
 * batch's worth of pages (at least one block). Caller holds the lock.
 */
static __noinline void pcp_refill(struct zone *zone, struct per_cpu_pages *pcp,
				  unsigned int order)
{
	int blocks = max(pcp->batch >> order, 1);

	pcp->count += rmqueue_bulk(zone, order, blocks, &pcp->lists[order]) << order;
}

struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, gfp_t gfp)
{
	struct per_cpu_pages *pcp = this_cpu_pageset(zone);
	struct page *page = NULL;

	if (!pcp_trylock(pcp))
		return alloc_pages_zone(zone, order);
	if (list_empty(&pcp->lists[order]))
		pcp_refill(zone, pcp, order);
	if (!list_empty(&pcp->lists[order]))
		page = pcp_pop(pcp, order, gfp);
	pcp_unlock(pcp);
	return page;
}

void pcp_trim(struct zone *zone, struct per_cpu_pages *pcp, unsigned int order)
{
	free_pcppages_bulk(zone, pcp->batch, pcp, order);
	pcp_unlock(pcp);
}

void free_unref_page_checked(struct zone *zone, struct page *page, unsigned int order)
{
	if (free_pages_prepare(zone, page, order))
		pcp_push(zone, page, order);
}

/*
 * Empties one CPU's lists of zone. Their lock makes this safe from any
 * CPU, as Linux's remote draining since 6.0; not from an interrupt handler
 * (the code it interrupted may hold the lock).
 */
static void drain_pages_zone(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

	pcp_lock(pcp);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
	pcp_unlock(pcp);
}

/* Empties cpu's lists of zone, or of every zone when zone is NULL. */
static void drain_pages(struct zone *zone, unsigned int cpu)
{
	int nid;

	if (zone) {
		drain_pages_zone(zone, cpu);
		return;
	}
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			drain_pages_zone(&NODE_DATA(nid)->node_zones[z], cpu);
}

void drain_local_pages(struct zone *zone)
{
	drain_pages(zone, smp_processor_id());
}

void drain_all_pages(struct zone *zone)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		drain_pages(zone, cpu);
}
