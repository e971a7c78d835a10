/*
 * SLUB's shrinker: direct reclaim (mm/vmscan.c) gets the empty slabs that
 * caches keep on their partial lists (up to min_partial per node) back
 * into the buddy allocator. Objects here are pages. Reclaim runs as
 * PF_MEMALLOC, so a slab a cache needs meanwhile comes from the reserves.
 *
 * Kernel only (mk/host.mk): the shrinker list is.
 */
#include <mk64/shrinker.h>
#include <mk64/slub_def.h>

static unsigned long slab_count(struct shrinker *shrinker, struct shrink_control *sc)
{
	(void)shrinker;
	(void)sc;
	return slab_empty_pages();
}

static unsigned long slab_scan(struct shrinker *shrinker, struct shrink_control *sc)
{
	(void)shrinker;
	return slab_shrink_empty(sc->nr_to_scan);
}

/* Empty slabs are cheap to make again: scanned more than a typical cache. */
static struct shrinker slab_shrinker = {
	.count_objects = slab_count,
	.scan_objects = slab_scan,
	.seeks = 1,
};

void slab_shrinker_init(void)
{
	register_shrinker(&slab_shrinker);
}
