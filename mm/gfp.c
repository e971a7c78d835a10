/*
 * The page allocator's GFP-level API (include/mk64/gfp.h): zone selection
 * from the flags, the walk along the node's zonelist with the watermark
 * and lowmem_reserve check, the per-CPU lists of order-0 pages,
 * __GFP_ZERO, the retries after direct reclaim (mm/vmscan.c), and Linux's
 * allocation failure report with its memory summary. The zone-level buddy
 * core is mm/page_alloc.c.
 *
 * Kernel only: pages are reached through the linear map.
 */
#ifndef MK64_HOST
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/page.h>
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/shrinker.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/watermark.h>

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* Composites before their parts, as Linux's %pGg prints them. */
static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_COLD, "__GFP_COLD" },
};

/* "GFP_KERNEL|__GFP_ZERO": names of the set flags, unknown bits in hex. */
static void format_gfp(char *buf, size_t size, gfp_t gfp)
{
	const char *sep = "";
	int len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < ARRAY_SIZE(gfp_names) && (size_t)len < size; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		len += snprintf(buf + len, size - (size_t)len, "%s%s", sep, gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
		sep = "|";
	}
	if (gfp && (size_t)len < size)
		snprintf(buf + len, size - (size_t)len, "%s%#x", sep, gfp);
}

/*
 * Linux's show_mem() for the zones: watermarks, lowmem_reserve and the
 * free blocks per order (as /proc/buddyinfo, in sizes). Counters are read
 * without the locks: a snapshot.
 */
static void show_free_areas(void)
{
	int nid;

	pr_warn("Mem-Info:\n");
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			char line[NR_PAGE_ORDERS * 16 + 32];
			unsigned long total = 0;
			int len = 0;

			if (!zone->present_pages)
				continue;
			pr_warn("Node %d %s free:%lukB min:%lukB low:%lukB high:%lukB "
				"present:%lukB managed:%lukB\n",
				nid, zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
				K(zone->_watermark[WMARK_MIN]), K(zone->_watermark[WMARK_LOW]),
				K(zone->_watermark[WMARK_HIGH]), K(zone->present_pages),
				K(zone->managed_pages));
			pr_warn("lowmem_reserve[]: %lu %lu %lu %lu\n", zone->lowmem_reserve[0],
				zone->lowmem_reserve[1], zone->lowmem_reserve[2],
				zone->lowmem_reserve[3]);
			for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
				unsigned long n = READ_ONCE(zone->free_area[o].nr_free);

				len += snprintf(line + len, sizeof(line) - (size_t)len, "%lu*%lukB ",
						n, K(1UL << o));
				total += K(n << o);
			}
			pr_warn("Node %d %s: %s= %lukB\n", nid, zone->name, line, total);
		}
	}
}

DEFINE_RATELIMIT_STATE(nopage_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

/*
 * Linux's warn_alloc(): the failure line, the call trace and the memory
 * summary, unless __GFP_NOWARN; ten reports in five seconds at most.
 * No tasks yet: the boot context is swapper/0.
 */

static __noinline __cold void warn_alloc(gfp_t gfp, unsigned int order)
{
	char names[256];

	if (((gfp & __GFP_NOWARN) && !(gfp & __GFP_NOFAIL)) || !__ratelimit(&nopage_rs))
		return;
	format_gfp(names, sizeof(names), gfp);
	pr_warn("swapper/0: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n",
		order, gfp, names);
	dump_stack_lvl(KERN_WARNING);
	show_free_areas();
}

/* Linux's gfp_to_alloc_flags(), for the watermark check. */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = 0;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if (gfp & __GFP_ATOMIC)
		alloc_flags |= ALLOC_HARDER;
	return alloc_flags;
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

static inline bool zone_watermark_fast(struct zone *zone, unsigned int order,
				       enum zone_type highest_zoneidx, enum zone_watermarks mark,
				       unsigned int alloc_flags)
{
	return zone_above_watermark(zone, order, highest_zoneidx, mark) ||
	       zone_watermark_ok(zone, order, highest_zoneidx, mark, alloc_flags);
}

/* ---- per-CPU page lists -------------------------------------------------- */

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
	batch = (1UL << (63 - __builtin_clzl(batch + batch / 2))) - 1;
	return batch ? (int)batch : 1;
}

void setup_per_cpu_pageset(void)
{
	int nid;

	for_each_online_node(nid) {
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];
			int batch = zone_batchsize(zone);

			for (int cpu = 0; cpu < NR_CPUS; cpu++) {
				struct per_cpu_pages *pcp = &zone->pageset[cpu];

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

static inline struct per_cpu_pages *this_cpu_pageset(struct zone *zone)
{
	return &zone->pageset[smp_processor_id()];
}

/* The per-CPU lists' lock: see struct per_cpu_pages. */
static __always_inline bool pcp_trylock(struct per_cpu_pages *pcp)
{
	return !__atomic_exchange_n(&pcp->locked, 1, __ATOMIC_ACQUIRE);
}

static __always_inline void pcp_unlock(struct per_cpu_pages *pcp)
{
	__atomic_store_n(&pcp->locked, 0, __ATOMIC_RELEASE);
}

/*
 * For the lists of another CPU, or from a context no interrupt holds it
 * in. Waits reading, not writing, so that the holder keeps its line.
 */
static void pcp_lock(struct per_cpu_pages *pcp)
{
	while (!pcp_trylock(pcp))
		while (__atomic_load_n(&pcp->locked, __ATOMIC_RELAXED))
			__asm__ volatile("yield" ::: "memory");
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
static struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, gfp_t gfp)
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

/*
 * free_pages_prepare() without the reports, for a block of order <=
 * PAGE_ALLOC_COSTLY_ORDER whose pages are in the common state: true when
 * it may go on a per-CPU list as it is. The first page's refcount was
 * just seen to drop to 0. A page of the block that heads a block on a
 * per-CPU list fails on its _mapcount (PAGE_PCP_MAPCOUNT); a pointer that
 * is not a struct page of the zone fails the bounds or the field checks
 * (free_pages_prepare() then names what is wrong).
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
		       (u32)(page[i]._mapcount + 1) | (uintptr_t)page[i].mapping |
		       (i ? (u32)page[i]._refcount : 0);
	return !bad;
}

/* Gives a batch back to the buddy allocator once the lists passed high. */
static __noinline void pcp_trim(struct zone *zone, struct per_cpu_pages *pcp, unsigned int order)
{
	free_pcppages_bulk(zone, pcp->batch, pcp, order);
	pcp_unlock(pcp);
}

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
static __noinline void free_unref_page_checked(struct zone *zone, struct page *page,
					       unsigned int order)
{
	if (free_pages_prepare(zone, page, order))
		pcp_push(zone, page, order);
}

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

/*
 * Empties one CPU's lists of zone. Their lock makes this safe from any
 * CPU, as Linux's remote draining since 6.0; not from an interrupt handler
 * (the code it interrupted may hold the lock).
 */
static void drain_pages_zone(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = &zone->pageset[cpu];

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
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		drain_pages(zone, cpu);
}

/* ---- allocation ------------------------------------------------------------ */

/* Zeroes a new block, through a temporary mapping for highmem. */
static __noinline void zero_pages(struct page *page, unsigned int order)
{
	u8 *va = page_address(page);

	for (unsigned long i = 0; i < (1UL << order); i++)
		if (va)
			clear_page(va + i * PAGE_SIZE);
		else
			clear_page_phys((phys_addr_t)(page_to_pfn(page) + i) << PAGE_SHIFT);
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
 * mark (lowered by alloc_flags' allowances) that has a block. As Linux's
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

		if (ref->zone_idx > (int)highest ||
		    unlikely((gfp & __GFP_THISNODE) && zone->node != nid) ||
		    !zone_watermark_fast(zone, order, highest, mark, alloc_flags))
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
 * Reclaim rounds: an ordinary request of order <= PAGE_ALLOC_COSTLY_ORDER
 * retries while reclaim makes progress, at most MAX_RECLAIM_RETRIES
 * rounds; __GFP_NOFAIL gives up after NOFAIL_STALL_ROUNDS rounds in a row
 * without progress.
 */
#define MAX_RECLAIM_RETRIES 16
#define NOFAIL_STALL_ROUNDS MAX_RECLAIM_RETRIES

/* The warning before a __GFP_NOFAIL request fails (warn_alloc() follows). */
static __noinline __cold void nofail_gives_up(gfp_t gfp, unsigned int order, unsigned int rounds)
{
	char names[256];

	format_gfp(names, sizeof(names), gfp);
	pr_warn("page allocation: __GFP_NOFAIL request order:%u, mode:%#x(%s) failing: "
		"no reclaim progress in %u rounds\n", order, gfp, names, rounds);
}

/*
 * The direct-reclaim loop of Linux's __alloc_pages_slowpath(), without
 * compaction: direct reclaim, then another pass along the zonelist at
 * min, for as long as the flags
 * allow. __GFP_NORETRY: one round. __GFP_RETRY_MAYFAIL: while reclaim
 * makes progress. __GFP_NOFAIL: until it has made none for
 * NOFAIL_STALL_ROUNDS rounds; then, unlike Linux, it fails with a warning
 * (with nothing else running, nothing would ever free a page).
 */
static __noinline struct page *alloc_pages_slowpath(int nid, gfp_t gfp, unsigned int order)
{
	unsigned int rounds = 0, stalls = 0;

	for (;;) {
		unsigned long progress = try_to_free_pages(gfp, order, nid);
		struct page *page = get_page_from_freelist(nid, gfp, order, WMARK_MIN,
							   gfp_to_alloc_flags(gfp));

		if (page)
			return page;
		rounds++;
		if (gfp & __GFP_NOFAIL) {
			stalls = progress ? 0 : stalls + 1;
			if (stalls < NOFAIL_STALL_ROUNDS)
				continue;
			nofail_gives_up(gfp, order, stalls);
			return NULL;
		}
		if ((gfp & __GFP_NORETRY) || !progress)
			return NULL;
		if (gfp & __GFP_RETRY_MAYFAIL)
			continue;
		if (order > PAGE_ALLOC_COSTLY_ORDER || rounds >= MAX_RECLAIM_RETRIES)
			return NULL;
	}
}

/*
 * The whole allocation after the fast path missed, as Linux's: a pass
 * along the zonelist at the low watermark; below it, kswapd is woken and
 * a pass at min with the flags' allowances follows; then direct reclaim
 * when the flags allow it, the failure report when nothing was found.
 */
static __noinline struct page *__alloc_pages(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	/* NUMA_NO_NODE or an offline node: the local one, unless only nid will do. */
	if (!node_online(nid) && !(gfp & __GFP_THISNODE))
		nid = numa_node_id();
	if (node_online(nid) && order <= MAX_PAGE_ORDER) {
		page = get_page_from_freelist(nid, gfp, order, WMARK_LOW, 0);
		if (!page && (gfp & __GFP_KSWAPD_RECLAIM))
			wake_all_kswapds(nid, gfp, order);
		if (!page)
			page = get_page_from_freelist(nid, gfp, order, WMARK_MIN,
						      gfp_to_alloc_flags(gfp));
		if (!page && (gfp & __GFP_DIRECT_RECLAIM))
			page = alloc_pages_slowpath(nid, gfp, order);
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
	if (unlikely(!zone || !zone_above_watermark(zone, order, highest, WMARK_LOW)))
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
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
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
	order = pages > 1 ? 64 - (unsigned int)__builtin_clzl(pages - 1) : 0;
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
#endif
