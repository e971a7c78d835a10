/*
 * The per-CPU lists of the page allocator (struct per_cpu_pages): their
 * sizes, the refill from and the trim back to the buddy allocator, and
 * the drains. The operations that the allocation and free fast paths
 * inline are in mm/internal.h.
 *
 * Kernel only: the lists serve the GFP API (mm/gfp.c).
 */
#include <asm/arch.h>
#include <asm/processor.h>
#include <mk64/bitops.h>
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
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
 * Empties the running CPU's lists of zone, or of every zone when zone is
 * NULL. Only their CPU touches them; an interrupt handler (a drain's
 * cross-call) finds a list held by the code it interrupted and leaves it:
 * false then, and the caller tries again once that code has gone on.
 */
static bool drain_pages(struct zone *zone)
{
	bool drained = true;
	int nid;

	for_each_online_node(nid) {
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			struct zone *each = &NODE_DATA(nid)->node_zones[z];
			struct per_cpu_pages *pcp = this_cpu_pageset(each);

			if (zone && each != zone)
				continue;
			if (!pcp_trylock(pcp)) {
				drained = false;
				continue;
			}
			if (pcp->count)
				free_pcppages_bulk(each, pcp->count, pcp, 0);
			pcp_unlock(pcp);
		}
	}
	return drained;
}

void drain_local_pages(struct zone *zone)
{
	drain_pages(zone);
}

/* What drain_all_pages() asks of each CPU, and the CPUs that must try again. */
struct drain_request {
	struct zone *zone;
	cpumask_t busy;
};

/* Whether cpu has pages on its lists of the request's zone (of any with NULL). */
static bool cpu_has_pcp_pages(int cpu, void *info)
{
	const struct drain_request *req = info;
	int nid;

	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			const struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if ((!req->zone || zone == req->zone) &&
			    READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count))
				return true;
		}
	return false;
}

static void drain_pages_on_cpu(void *info)
{
	struct drain_request *req = info;

	if (!drain_pages(req->zone))
		__atomic_fetch_or(&req->busy, cpumask_of(smp_processor_id()), __ATOMIC_RELAXED);
}

/*
 * Each CPU drains its own lists (Linux's drain_all_pages(), with its
 * cpus_with_pcps test), through a cross-call that waits. A CPU whose
 * interrupted code held a list is asked again, as long as calls are
 * answered within csd_lock_timeout_ms; one that does not answer keeps its
 * lists (reported by the call).
 */
void drain_all_pages(struct zone *zone)
{
	struct drain_request req = { .zone = zone };
	u64 start = arch_clock_ns();

	on_each_cpu_cond(cpu_has_pcp_pages, drain_pages_on_cpu, &req, true);
	while (req.busy && arch_clock_ns() - start < (u64)csd_lock_timeout_ms * 1000000) {
		cpumask_t again = req.busy;

		req.busy = 0;
		cpu_relax();
		on_each_cpu_mask(again, drain_pages_on_cpu, &req, true);
	}
	if (req.busy)
		pr_warn("drain_all_pages: CPUs 0x%lx kept their lists held for %lu ms; not drained\n",
			req.busy, csd_lock_timeout_ms);
}
