/*
 * Shared by the kernel-only files of the page allocator (as Linux's
 * mm/internal.h): the GFP API and zonelist walk (gfp.c), the per-CPU
 * lists (pcp.c), the allocation failure report (show_mem.c) and reclaim
 * (vmscan.c). The fast paths of gfp.c inline the per-CPU list operations
 * below.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <mk64/gfp.h>
#include <mk64/mmzone.h>

/*
 * Whether a request for gfp from node nid may take pages from the zone
 * that ref names: one its zone modifier allows, on nid only with
 * __GFP_THISNODE.
 */
static __always_inline bool zone_allowed(const struct zoneref *ref, gfp_t gfp, int nid)
{
	return ref->zone_idx <= (int)gfp_zone(gfp) &&
	       likely(!(gfp & __GFP_THISNODE) || ref->zone->node == nid);
}

/* ---- per-CPU lists (pcp.c) ----------------------------------------------- */

/* The per-CPU lists' lock: see struct per_cpu_pages. */
static __always_inline bool pcp_trylock(struct per_cpu_pages *pcp)
{
	/* Any non-zero value marks it held: its own address is in a register already. */
	return !__atomic_exchange_n(&pcp->locked, (unsigned long)pcp, __ATOMIC_ACQUIRE);
}

static __always_inline void pcp_unlock(struct per_cpu_pages *pcp)
{
	__atomic_store_n(&pcp->locked, 0, __ATOMIC_RELEASE);
}

/*
 * Takes the hot block (the head) or, with __GFP_COLD, the cold one (the
 * tail) off a non-empty list, ready for its new owner: one reference, no
 * page type. Caller holds the lock.
 */
static __always_inline struct page *pcp_pop(struct per_cpu_pages *pcp, unsigned int order,
					    gfp_t gfp)
{
	struct list_head *list = &pcp->lists[order];
	struct page *page = (gfp & __GFP_COLD) ? list_last_entry(list, struct page, lru)
					       : list_first_entry(list, struct page, lru);

	list_del(&page->lru);
	pcp->count -= 1 << order;
	page->_mapcount = -1;
	page->_refcount = 1;
	return page;
}

/*
 * A block of order (<= PAGE_ALLOC_COSTLY_ORDER) from this CPU's list of
 * zone, refilled when empty; straight from the buddy allocator when the
 * list is busy. NULL when the zone has none.
 */
struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, gfp_t gfp);

/*
 * free_pages_prepare() without the reports, for a block of order <=
 * PAGE_ALLOC_COSTLY_ORDER whose pages are in the common state: true when
 * it may go on a per-CPU list as it is. The first page's refcount was
 * just seen to drop to 0. A page of the block that heads a block on a
 * per-CPU list fails on its _mapcount (PAGE_PCP_MAPCOUNT); a pointer that
 * is outside the zone's span fails the bounds check (free_pages_prepare()
 * then names it); one inside the span in an absent section faults in the vmemmap.
 */
static __always_inline bool free_pages_fast_ok(const struct zone *zone, const struct page *page,
					       unsigned int order)
{
	unsigned long idx = (unsigned long)(page - zone->zone_mem_map);
	unsigned long bad = (zone->zone_start_pfn + idx) & ((1UL << order) - 1);

	if (idx >= zone->spanned_pages || zone->spanned_pages - idx < (1UL << order))
		return false;
	for (unsigned int i = 0; i < 1U << order; i++)
		bad |= (page[i].flags & PAGE_FLAGS_CHECK_AT_FREE) |
		       ((u32)page[i]._mapcount + 1u) | (uintptr_t)page[i].mapping |
		       (i ? (u32)page[i]._refcount : 0);
	return !bad;
}

/* Gives a batch back to the buddy allocator once the lists passed high. */
void pcp_trim(struct zone *zone, struct per_cpu_pages *pcp, unsigned int order);

/*
 * Puts a checked block on the head of this CPU's list of its order, or in
 * the buddy allocator when the list is busy.
 */
static __always_inline void pcp_push(struct zone *zone, struct page *page, unsigned int order)
{
	struct per_cpu_pages *pcp = this_cpu_pageset(zone);

	if (unlikely(!pcp_trylock(pcp))) {
		free_pages_zone(zone, page, order);
		return;
	}
	page->_mapcount = PAGE_PCP_MAPCOUNT;
	list_add(&page->lru, &pcp->lists[order]);
	pcp->count += 1 << order;
	if (unlikely(pcp->count > pcp->high)) {
		pcp_trim(zone, pcp, order);
		return;
	}
	pcp_unlock(pcp);
}

/* free_unref_page() for a block in an unusual state: checked with reports. */
void free_unref_page_checked(struct zone *zone, struct page *page, unsigned int order);

/*
 * Linux's free_unref_page(): a block of order <= PAGE_ALLOC_COSTLY_ORDER
 * whose last reference is gone goes, once checked, on the head of this
 * CPU's list; past high, a batch goes back to the buddy allocator.
 */
static __always_inline void free_unref_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);

	if (unlikely(!free_pages_fast_ok(zone, page, order)))
		free_unref_page_checked(zone, page, order);
	else
		pcp_push(zone, page, order);
}

/* ---- the allocation failure report (show_mem.c) --------------------------- */

/*
 * Linux's warn_alloc(): the failure line, the call trace and the memory
 * summary, unless __GFP_NOWARN; rate-limited by nopage_rs.
 */
void warn_alloc(gfp_t gfp, unsigned int order);

/*
 * The warning before a __GFP_NOFAIL request fails after rounds of reclaim,
 * the last stalls of them without progress (warn_alloc() follows).
 */
void nofail_gives_up(gfp_t gfp, unsigned int order, unsigned int rounds, unsigned int stalls);

#endif
