/*
 * The page allocator's GFP-level API (include/mk64/gfp.h): zone selection
 * from the flags, the walk along the node's zonelist with the watermark
 * and lowmem_reserve check, __GFP_ZERO, the retries after direct reclaim
 * (mm/vmscan.c) and the frees. The per-CPU lists are mm/pcp.c, the
 * failure report mm/show_mem.c, the zone-level buddy core
 * mm/page_alloc.c.
 *
 * Kernel only: pages are reached through the linear map.
 */
#include <asm/memory.h>
#include <asm/page.h>
#include <mk64/bitops.h>
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/shrinker.h>
#include <mk64/string.h>
#include <mk64/watermark.h>
#include "internal.h"

/*
 * Linux's gfp_to_alloc_flags(), for the watermark check. A request that
 * refuses the reserves (__GFP_NOMEMALLOC) does not dig deeper for
 * __GFP_ATOMIC either.
 */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = 0;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if ((gfp & (__GFP_ATOMIC | __GFP_NOMEMALLOC)) == __GFP_ATOMIC)
		alloc_flags |= ALLOC_HARDER;
	return alloc_flags;
}

/*
 * Linux's __gfp_pfmemalloc_flags(): whether the request may take pages
 * with no watermark at all, the reserves kept for freeing memory:
 * __GFP_MEMALLOC, or the running context is reclaiming (PF_MEMALLOC);
 * never with __GFP_NOMEMALLOC. There are no interrupt handlers that
 * allocate yet: once there are, an interrupt must not inherit the
 * PF_MEMALLOC of the context it interrupted (Linux's !in_interrupt()).
 */
static bool gfp_pfmemalloc_allowed(gfp_t gfp)
{
	if (gfp & __GFP_NOMEMALLOC)
		return false;
	return (gfp & __GFP_MEMALLOC) || (current->flags & PF_MEMALLOC);
}

/*
 * Whether zone may give 2^order pages to a request for highest_zoneidx,
 * against watermark mark lowered by the allowances in alloc_flags. Out of
 * line: its array would weigh on the callers' frames.
 */
static __noinline bool zone_watermark_ok(struct zone *zone, unsigned int order,
					 enum zone_type highest_zoneidx, enum zone_watermarks mark,
					 unsigned int alloc_flags)
{
	unsigned long nr_free[NR_PAGE_ORDERS];

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		nr_free[o] = READ_ONCE(zone->free_area[o].nr_free);
	return __zone_watermark_ok(zone_page_state(zone, NR_FREE_PAGES), order,
				   zone->_watermark[mark], highest_zoneidx, alloc_flags,
				   zone->lowmem_reserve, nr_free);
}

/*
 * Linux's zone_watermark_fast(): a request that leaves the zone above the
 * mark plus the reserve passes without the allowances or the count of
 * blocks per order (whether a block of the order is there shows when it
 * is taken).
 */
static __always_inline bool zone_above_watermark(const struct zone *zone, unsigned int order,
						  enum zone_type highest_zoneidx,
						  enum zone_watermarks mark)
{
	return READ_ONCE(zone->vm_stat[NR_FREE_PAGES]) >=
	       (long)(zone->_watermark[mark] + zone->lowmem_reserve[highest_zoneidx] +
		      (1UL << order));
}

/*
 * zone_above_watermark() at WMARK_LOW, the fast paths' mark, from the sum
 * kept for it; ">" and "- 1": order 0 compares with no addition of its own.
 */
static __always_inline bool zone_above_low_watermark(const struct zone *zone, unsigned int order,
						      enum zone_type highest_zoneidx)
{
	return READ_ONCE(zone->vm_stat[NR_FREE_PAGES]) >
	       (long)(zone->low_reserve[highest_zoneidx] + (1UL << order) - 1);
}

static inline bool zone_watermark_fast(struct zone *zone, unsigned int order,
				       enum zone_type highest_zoneidx, enum zone_watermarks mark,
				       unsigned int alloc_flags)
{
	return zone_above_watermark(zone, order, highest_zoneidx, mark) ||
	       zone_watermark_ok(zone, order, highest_zoneidx, mark, alloc_flags);
}

/* ---- allocation ------------------------------------------------------------ */

/* Zeroes a new block; highmem a page at a time through kmap_local. */
static __noinline void zero_pages(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		void *va = kmap_local_page(page + i);

		clear_page(va);
		kunmap_local(va);
	}
}

/* Linux's prep_new_page(): what the flags ask of a block just taken. */
static __noinline struct page *prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		zero_pages(page, order);
	if ((gfp & __GFP_COMP) && order)
		prep_compound_page(page, order);
	return page;
}

/*
 * One pass along the zonelist of node nid: the first zone above watermark
 * mark (lowered by alloc_flags' allowances; any zone with
 * ALLOC_NO_WATERMARKS) that has a block. As Linux's
 * fast path, the watermark is read without zone->lock: racing allocations
 * may take a zone a few pages further down, never the free lists out of
 * order.
 */
static struct page *get_page_from_freelist(int nid, gfp_t gfp, unsigned int order,
					   enum zone_watermarks mark, unsigned int alloc_flags)
{
	enum zone_type highest = gfp_zone(gfp);

	for (struct zoneref *ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone; ref++) {
		struct zone *zone = ref->zone;
		struct page *page;

		if (!zone_allowed(ref, gfp, nid) ||
		    (likely(!(alloc_flags & ALLOC_NO_WATERMARKS)) &&
		     !zone_watermark_fast(zone, order, highest, mark, alloc_flags)))
			continue;
		page = order <= PAGE_ALLOC_COSTLY_ORDER ? rmqueue_pcplist(zone, order, gfp)
							: alloc_pages_zone(zone, order);
		if (!page)
			continue;
		if (unlikely(gfp & (__GFP_ZERO | __GFP_COMP)))
			return prep_new_page(page, order, gfp);
		return page;
	}
	return NULL;
}

/*
 * Linux's wake_all_kswapds(): a request found no zone above its low
 * watermark, so every node whose zones it may use needs background
 * reclaim up to their high watermarks. There is no kswapd thread yet
 * (threads come with the scheduler): the wakeup is recorded on the node,
 * with the largest order and highest zone asked, for the thread to serve.
 */
static __noinline void wake_all_kswapds(int nid, gfp_t gfp, unsigned int order)
{
	enum zone_type highest = gfp_zone(gfp);
	int woken = -1;

	for (struct zoneref *ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone; ref++) {
		pg_data_t *pgdat = NODE_DATA(ref->zone->node);

		/* Once per node: its zones come one after another in the list. */
		if (ref->zone_idx > (int)highest || pgdat->node_id == woken ||
		    ((gfp & __GFP_THISNODE) && pgdat->node_id != nid))
			continue;
		woken = pgdat->node_id;
		pgdat->kswapd_order = max(pgdat->kswapd_order, (int)order);
		pgdat->kswapd_highest_zoneidx = max(pgdat->kswapd_highest_zoneidx, highest);
		pgdat->kswapd_wakeups++;
	}
}

/*
 * Rounds of reclaim (Linux's): a request gives up after this many rounds
 * without the progress it needs; __GFP_NOFAIL after this many in a row
 * without any, and after NOFAIL_MAX_ROUNDS in all.
 */
#define MAX_RECLAIM_RETRIES 16
#define NOFAIL_MAX_ROUNDS (MAX_RECLAIM_RETRIES * MAX_RECLAIM_RETRIES)

/*
 * Linux's should_reclaim_retry(), bounded whatever the shrinkers do:
 * whether to reclaim again after round `rounds` (from 1) brought progress
 * pages back where the request can use them (try_to_free_pages());
 * *stalls counts the rounds in a row that brought none. Without
 * __GFP_NOFAIL, a round without progress ends the retries, and so does
 * the MAX_RECLAIM_RETRIES-th; above PAGE_ALLOC_COSTLY_ORDER only
 * __GFP_RETRY_MAYFAIL retries at all, as in Linux.
 */
static bool should_reclaim_retry(gfp_t gfp, unsigned int order, unsigned long progress,
				 unsigned int rounds, unsigned int *stalls)
{
	*stalls = progress ? 0 : *stalls + 1;
	if (gfp & __GFP_NOFAIL)
		return *stalls < MAX_RECLAIM_RETRIES && rounds < NOFAIL_MAX_ROUNDS;
	if ((gfp & __GFP_NORETRY) || !progress)
		return false;
	if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
		return false;
	return rounds < MAX_RECLAIM_RETRIES;
}

/*
 * The direct-reclaim loop of Linux's __alloc_pages_slowpath(), without
 * compaction: direct reclaim, then another pass along the zonelist at min
 * with alloc_flags, for as long as should_reclaim_retry() allows. A
 * __GFP_NOFAIL request that gives up fails with a warning, unlike Linux's
 * (with nothing else running, nothing would ever free a page).
 */
static __noinline struct page *alloc_pages_slowpath(int nid, gfp_t gfp, unsigned int order,
						    unsigned int alloc_flags)
{
	unsigned int rounds = 0, stalls = 0;
	unsigned long progress;
	struct page *page;

	do {
		progress = try_to_free_pages(gfp, order, nid);
		page = get_page_from_freelist(nid, gfp, order, WMARK_MIN, alloc_flags);
		if (page)
			return page;
	} while (should_reclaim_retry(gfp, order, progress, ++rounds, &stalls));
	if (gfp & __GFP_NOFAIL)
		nofail_gives_up(gfp, order, rounds, stalls);
	return NULL;
}

/*
 * The whole allocation after the fast path missed, as Linux's: a pass
 * along the zonelist at the low watermark; below it, kswapd is woken and
 * a pass at min with the flags' allowances follows, then one with no
 * watermark for a request that may use the reserves; then direct reclaim
 * when the flags allow it and the caller is not reclaiming already, the
 * failure report when nothing was found.
 */
static __noinline struct page *__alloc_pages(int nid, gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp);
	struct page *page = NULL;

	/* NUMA_NO_NODE or an offline node: the local one, unless only nid will do. */
	if (!node_online(nid) && !(gfp & __GFP_THISNODE))
		nid = numa_node_id();
	if (node_online(nid) && order <= MAX_PAGE_ORDER) {
		page = get_page_from_freelist(nid, gfp, order, WMARK_LOW, 0);
		if (!page && (gfp & __GFP_KSWAPD_RECLAIM))
			wake_all_kswapds(nid, gfp, order);
		if (!page)
			page = get_page_from_freelist(nid, gfp, order, WMARK_MIN, alloc_flags);
		if (!page && gfp_pfmemalloc_allowed(gfp)) {
			alloc_flags |= ALLOC_NO_WATERMARKS;
			page = get_page_from_freelist(nid, gfp, order, WMARK_MIN, alloc_flags);
		}
		if (!page && (gfp & __GFP_DIRECT_RECLAIM) && !(current->flags & PF_MEMALLOC))
			page = alloc_pages_slowpath(nid, gfp, order, alloc_flags);
	}
	if (!page)
		warn_alloc(gfp, order);
	return page;
}

/*
 * The fast path: a small block from this CPU's list of the first zone the
 * request may use, when that zone is above its low watermark plus its
 * reserve and the list has one, for a request that wants nothing done to
 * the block. Everything else, with the same result, is __alloc_pages().
 */
static __always_inline struct page *alloc_pages_fast(int nid, gfp_t gfp, unsigned int order)
{
	enum zone_type highest = gfp_zone(gfp);
	struct per_cpu_pages *pcp;
	struct page *page = NULL;
	struct zoneref *ref;
	struct zone *zone;

	if (unlikely(!node_online(nid) || order > PAGE_ALLOC_COSTLY_ORDER ||
		     (gfp & (__GFP_THISNODE | __GFP_ZERO | __GFP_COMP))))
		return __alloc_pages(nid, gfp, order);
	for (ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone_idx > (int)highest; ref++)
		;
	zone = ref->zone;
	if (unlikely(!zone || !zone_above_low_watermark(zone, order, highest)))
		return __alloc_pages(nid, gfp, order);

	pcp = this_cpu_pageset(zone);
	if (unlikely(!pcp_trylock(pcp)))
		return __alloc_pages(nid, gfp, order);
	if (likely(!list_empty(&pcp->lists[order])))
		page = pcp_pop(pcp, order, gfp);
	pcp_unlock(pcp);
	if (unlikely(!page))
		return __alloc_pages(nid, gfp, order);
	return page;
}

/*
 * A request that may block, made where blocking is not allowed: reported
 * (Linux's might_sleep()), then served without direct reclaim, which could
 * wait for a per-CPU list the interrupted code holds. While booting,
 * interrupts are masked and nothing is wrong. Out of line, so that the
 * check costs the fast path no stack frame.
 */
static __noinline struct page *alloc_pages_atomic_context(int nid, gfp_t gfp, unsigned int order)
{
	if (system_state < SYSTEM_SCHEDULING)
		return __alloc_pages(nid, gfp, order);
	might_sleep();
	return __alloc_pages(nid, gfp & ~__GFP_DIRECT_RECLAIM, order);
}

/* Order 0, by far the most common, gets a copy of the fast path of its own. */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (gfpflags_allow_blocking(gfp) && unlikely(in_atomic() || irqs_disabled()))
		return alloc_pages_atomic_context(nid, gfp, order);
	if (!order)
		return alloc_pages_fast(nid, gfp, 0);
	return alloc_pages_fast(nid, gfp, order);
}

unsigned long alloc_pages_bulk_array_node(gfp_t gfp, int nid, unsigned long nr_pages,
					  struct page **page_array)
{
	enum zone_type highest = gfp_zone(gfp);
	struct per_cpu_pages *pcp;
	unsigned long nr = 0;
	struct zoneref *ref;
	struct zone *zone;

	while (nr < nr_pages && page_array[nr])
		nr++;
	if (nr == nr_pages)
		return nr;
	/* What alloc_pages_fast() leaves to __alloc_pages(), and a lone page. */
	if (nr_pages - nr == 1 || !node_online(nid) ||
	    (gfp & (__GFP_THISNODE | __GFP_ZERO | __GFP_COMP)) ||
	    (gfpflags_allow_blocking(gfp) && (in_atomic() || irqs_disabled())))
		goto one;
	for (ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone_idx > (int)highest; ref++)
		;
	zone = ref->zone;
	if (!zone || !zone_above_low_watermark(zone, 0, highest))
		goto one;
	pcp = this_cpu_pageset(zone);
	if (!pcp_trylock(pcp))
		goto one;
	for (; nr < nr_pages && !list_empty(&pcp->lists[0]); nr++) {
		if (!page_array[nr])
			page_array[nr] = pcp_pop(pcp, 0, gfp);
	}
	pcp_unlock(pcp);
	if (nr == nr_pages)
		return nr;
one:
	/* The slot at nr is empty; an empty list is refilled on the way. */
	page_array[nr] = alloc_pages_node(nid, gfp, 0);
	if (!page_array[nr])
		return nr;
	for (nr++; nr < nr_pages && page_array[nr];)
		nr++;
	return nr;
}

/* A block whose last reference is gone, to a per-CPU list or the zone. */
static inline void free_the_page(struct page *page, unsigned int order)
{
	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER))
		free_unref_page(page, order);
	else
		free_pages_zone(page_zone(page), page, order);
}

/* A reference dropped that nobody held: undone and reported. */
static __noinline __cold void page_ref_underflow(struct page *page)
{
	page_ref_inc(page);
	report_bad_page(page, "reference dropped with refcount 0 (freed twice?)");
}

/*
 * __free_pages() past the common case: a reference dropped that nobody
 * held, the rest of a block whose first page others still hold (head:
 * whether it was compound when the reference was dropped), or a block
 * above the per-CPU orders.
 */
static __noinline void free_pages_slow(struct page *page, unsigned int order, int refs,
				       bool head)
{
	if (refs < 0) {
		page_ref_underflow(page);
	} else if (!refs) {
		free_the_page(page, order);
	} else if (!head) {
		while (order-- > 0)
			free_the_page(page + (1UL << order), order);
	}
}

static __always_inline void free_pages_fast(struct page *page, unsigned int order)
{
	/*
	 * Read before the reference goes: after, the last holder may have
	 * freed the compound page and someone else got it as a plain block.
	 */
	bool head = order && (page->flags & (1UL << PG_head));
	int refs = page_ref_dec_return(page);

	if (likely(!refs && order <= PAGE_ALLOC_COSTLY_ORDER))
		free_unref_page(page, order);
	else
		free_pages_slow(page, order, refs, head);
}

/* As alloc_pages_node(): order 0 has a copy of its own. */
void __free_pages(struct page *page, unsigned int order)
{
	if (!order)
		free_pages_fast(page, 0);
	else
		free_pages_fast(page, order);
}

void put_page(struct page *page)
{
	page = compound_head(page);
	__free_pages(page, compound_order(page));
}

void split_page(struct page *page, unsigned int order)
{
	for (unsigned long i = 1; i < (1UL << order); i++)
		set_page_count(page + i, 1);
}

unsigned long nr_free_pages(void)
{
	unsigned long pages = 0;
	int nid;

	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			pages += zone_page_state(&NODE_DATA(nid)->node_zones[z], NR_FREE_PAGES);
	return pages;
}

void *page_address(const struct page *page)
{
	if (PageHighMem(page))
		return page->virtual;
	return lowmem_page_address(page);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (virt_addr_valid((void *)addr))
		__free_pages(virt_to_page((void *)addr), order);
	else
		pr_err("free_pages: %#lx is not in the linear map of RAM\n", addr);
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned long pages, addr;
	unsigned int order;

	if (!size || size > (PAGE_SIZE << MAX_PAGE_ORDER)) {
		if (size)
			warn_alloc(gfp, MAX_PAGE_ORDER + 1);
		return NULL;
	}
	pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	order = fls64(pages - 1);
	addr = __get_free_pages(gfp & ~__GFP_COMP, order);
	if (!addr)
		return NULL;
	split_page(virt_to_page((void *)addr), order);
	for (unsigned long i = pages; i < (1UL << order); i++)
		free_page(addr + i * PAGE_SIZE);
	return (void *)addr;
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + size;

	for (; addr < end; addr += PAGE_SIZE)
		free_page(addr);
}
