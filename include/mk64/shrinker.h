/*
 * Shrinkers: caches that can give memory back when the page allocator runs
 * short, with Linux's interface (<linux/shrinker.h>). Direct reclaim
 * (try_to_free_pages(), mm/vmscan.c) asks each registered shrinker how
 * many objects it could free (count_objects), then has it free a share of
 * them in batches (scan_objects). There is no swap and no page cache: the
 * per-CPU page lists and the shrinkers are all reclaim has.
 */
#ifndef MK64_SHRINKER_H
#define MK64_SHRINKER_H

#include <mk64/gfp.h>
#include <mk64/list.h>

struct shrink_control {
	gfp_t gfp_mask;			/* the allocation that is reclaiming */
	int nid;			/* its node */
	unsigned long nr_to_scan;	/* objects to look at in this call */
	unsigned long nr_scanned;	/* objects looked at; nr_to_scan unless the shrinker says */
};

/* scan_objects() cannot make progress now (e.g. a lock it needs is busy). */
#define SHRINK_STOP (~0UL)
/* Objects in a batch handed to scan_objects(). */
#define SHRINK_BATCH 128
/* Cost of recreating an object, as Linux's: a typical cache's seeks. */
#define DEFAULT_SEEKS 2

struct shrinker {
	/* Freeable objects, 0 when none (scan_objects is then not called). */
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *);
	/* Frees up to sc->nr_to_scan objects: the number freed, or SHRINK_STOP. */
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *);
	int seeks;		/* higher: costlier to recreate, scanned less; 0 counts as 1 */
	struct list_head list;
};

/*
 * Adds shrinker to those direct reclaim calls. Returns 0. Its callbacks run
 * with the shrinker list locked: they must not register or unregister a
 * shrinker; allocations they make may use the reserves (PF_MEMALLOC) and
 * do not reclaim recursively.
 */
int register_shrinker(struct shrinker *shrinker);

/* Removes shrinker: once this returns, reclaim no longer calls it. */
void unregister_shrinker(struct shrinker *shrinker);

/*
 * Direct reclaim for an allocation of 2^order pages with gfp from node nid:
 * drains the per-CPU page lists and asks every shrinker for a share of its
 * objects, with the running context marked PF_MEMALLOC. Returns the
 * progress: how many pages the free counts of the zones the request may
 * use (its zone modifier, __GFP_THISNODE) grew by; 0 when none came back
 * there or, above PAGE_ALLOC_COSTLY_ORDER, when none of those zones has a
 * free block of the order afterwards. Called with __GFP_DIRECT_RECLAIM
 * only (may sleep once there is something to wait for); returns 0 at once
 * when called from reclaim itself (PF_MEMALLOC).
 */
unsigned long try_to_free_pages(gfp_t gfp, unsigned int order, int nid);

#endif
