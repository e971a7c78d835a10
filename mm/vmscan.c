/*
 * Direct reclaim without swap (include/mk64/shrinker.h): the per-CPU page
 * lists go back to the buddy allocator and the registered shrinkers free
 * a share of their caches. Progress is what the free page counts of the
 * zones the request may use say, not what the shrinkers return: their
 * objects need not be pages, and pages freed where the request cannot
 * take them do not help it. With other CPUs allocating and freeing at
 * the same time the count is only an estimate of what this reclaim did.
 * Reclaim runs as PF_MEMALLOC (mk64/sched.h): the shrinkers' own
 * allocations may use the reserves and do not reclaim again.
 *
 * Kernel only (mk/host.mk): the per-CPU lists it drains are.
 */
#include <mk64/gfp.h>
#include <mk64/mmzone.h>
#include <mk64/sched.h>
#include <mk64/shrinker.h>
#include <mk64/spinlock.h>
#include "internal.h"

static LIST_HEAD(shrinker_list);
/*
 * Stands for Linux's shrinker_rwsem, a lock holders may sleep under: the
 * raw lock, which does not count as atomic context for might_sleep().
 * Once something can sleep, this must become a sleeping lock: a shrinker
 * that sleeps would keep other CPUs spinning here.
 */
static spinlock_t shrinker_lock = SPINLOCK_INIT;

int register_shrinker(struct shrinker *shrinker)
{
	arch_spin_lock(&shrinker_lock);
	list_add_tail(&shrinker->list, &shrinker_list);
	arch_spin_unlock(&shrinker_lock);
	return 0;
}

void unregister_shrinker(struct shrinker *shrinker)
{
	arch_spin_lock(&shrinker_lock);
	list_del(&shrinker->list);
	arch_spin_unlock(&shrinker_lock);
}

/*
 * One shrinker's share: a quarter of its freeable objects for the default
 * seeks, more for cheaper objects, less for costlier ones (at least one),
 * handed over in batches. Stops early on SHRINK_STOP.
 */
static void do_shrink(struct shrinker *shrinker, struct shrink_control *sc)
{
	unsigned long freeable = shrinker->count_objects(shrinker, sc), to_scan;
	int seeks = shrinker->seeks > 0 ? shrinker->seeks : 1;

	if (!freeable)
		return;
	to_scan = min(freeable, DIV_ROUND_UP(freeable * DEFAULT_SEEKS, 4UL * (unsigned long)seeks));
	while (to_scan) {
		sc->nr_to_scan = min(to_scan, (unsigned long)SHRINK_BATCH);
		sc->nr_scanned = sc->nr_to_scan;
		if (shrinker->scan_objects(shrinker, sc) == SHRINK_STOP)
			break;
		to_scan -= min(to_scan, sc->nr_scanned ? sc->nr_scanned : sc->nr_to_scan);
	}
}

/*
 * Free pages in the zones a request for gfp from node nid may take from;
 * *block tells whether one of them has a free block of order or larger.
 */
static unsigned long usable_free_pages(gfp_t gfp, unsigned int order, int nid, bool *block)
{
	unsigned long pages = 0;

	*block = false;
	for (struct zoneref *ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone; ref++) {
		if (!zone_allowed(ref, gfp, nid))
			continue;
		pages += zone_page_state(ref->zone, NR_FREE_PAGES);
		for (unsigned int o = order; o < NR_PAGE_ORDERS && !*block; o++)
			*block = READ_ONCE(ref->zone->free_area[o].nr_free) != 0;
	}
	return pages;
}

unsigned long try_to_free_pages(gfp_t gfp, unsigned int order, int nid)
{
	struct shrink_control sc = { .gfp_mask = gfp, .nid = nid };
	unsigned long before, after;
	struct shrinker *shrinker;
	unsigned int noreclaim;
	bool block;

	if (current->flags & PF_MEMALLOC)
		return 0;
	noreclaim = memalloc_noreclaim_save();
	before = usable_free_pages(gfp, order, nid, &block);
	drain_all_pages(NULL);
	arch_spin_lock(&shrinker_lock);
	list_for_each_entry(shrinker, &shrinker_list, list)
		do_shrink(shrinker, &sc);
	arch_spin_unlock(&shrinker_lock);
	/* What the shrinkers freed went to the per-CPU lists first. */
	drain_all_pages(NULL);
	after = usable_free_pages(gfp, order, nid, &block);
	memalloc_noreclaim_restore(noreclaim);
	if (after <= before || (order > PAGE_ALLOC_COSTLY_ORDER && !block))
		return 0;
	return after - before;
}
