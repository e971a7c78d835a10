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
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <mk64/gfp.h>
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

/*
 * Linux's warn_alloc(): the failure line, the call trace and the memory
 * summary, unless __GFP_NOWARN. No tasks yet: the boot context is
 * swapper/0.
 */
static __noinline __cold void warn_alloc(gfp_t gfp, unsigned int order)
{
	char names[256];

	if ((gfp & __GFP_NOWARN) && !(gfp & __GFP_NOFAIL))
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
 * Whether zone may give 2^order pages to a request for highest_zoneidx.
 * Out of line: its array would weigh on the order-0 fast path's frame.
 */
static __noinline bool zone_watermark_ok(struct zone *zone, unsigned int order,
					 enum zone_type highest_zoneidx, gfp_t gfp)
{
	unsigned long nr_free[NR_PAGE_ORDERS];

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		nr_free[o] = READ_ONCE(zone->free_area[o].nr_free);
	return __zone_watermark_ok(zone_page_state(zone, NR_FREE_PAGES), order,
				   zone->_watermark[WMARK_MIN], highest_zoneidx,
				   gfp_to_alloc_flags(gfp), zone->lowmem_reserve, nr_free);
}

/*
 * Linux's zone_watermark_fast(): an order-0 request that leaves the zone
 * above min + reserve passes without the flags' allowances or the count
 * of blocks per order.
 */
static inline bool zone_watermark_fast(struct zone *zone, unsigned int order,
				       enum zone_type highest_zoneidx, gfp_t gfp)
{
	if (!order && zone_page_state(zone, NR_FREE_PAGES) >
			      zone->_watermark[WMARK_MIN] + zone->lowmem_reserve[highest_zoneidx])
		return true;
	return zone_watermark_ok(zone, order, highest_zoneidx, gfp);
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
				zone->pageset[cpu] = (struct per_cpu_pages){
					.lock = SPINLOCK_INIT,
					.batch = batch,
					.high = 6 * batch,
				};
				INIT_LIST_HEAD(&zone->pageset[cpu].list);
			}
			if (zone->managed_pages)
				pr_info("Node %d, zone %6s: per-CPU lists batch %d, high %d\n", nid,
					zone->name, batch, 6 * batch);
		}
	}
}

/*
 * An order-0 page from this CPU's list of zone, refilled with a batch from
 * the buddy allocator when empty: the head for a hot page, the tail with
 * __GFP_COLD. NULL when the list is empty and so is the zone.
 */
static struct page *rmqueue_pcplist(struct zone *zone, gfp_t gfp)
{
	struct per_cpu_pages *pcp;
	unsigned long flags;
	struct page *page = NULL;

	flags = arch_local_irq_save();
	pcp = &zone->pageset[smp_processor_id()];
	spin_lock(&pcp->lock);
	if (unlikely(!pcp->count))
		pcp->count = rmqueue_bulk(zone, 0, pcp->batch, &pcp->list);
	if (likely(pcp->count)) {
		page = (gfp & __GFP_COLD) ? list_last_entry(&pcp->list, struct page, lru)
					  : list_first_entry(&pcp->list, struct page, lru);
		list_del(&page->lru);
		pcp->count--;
	}
	spin_unlock_irqrestore(&pcp->lock, flags);
	if (page)
		set_page_count(page, 1);
	return page;
}

/*
 * Linux's free_unref_page(): an order-0 page whose last reference is gone
 * goes, once checked, on the head of this CPU's list; past high, a batch
 * from the tail goes back to the buddy allocator.
 */
static void free_unref_page(struct page *page)
{
	struct zone *zone = page_zone(page);
	struct per_cpu_pages *pcp;
	unsigned long flags;

	/* free_pages_check() for one page, inline; it reports what fails. */
	if (unlikely((uintptr_t)(page - zone->zone_mem_map) >= zone->spanned_pages ||
		     page->_mapcount != -1 || page->mapping || page_ref_count(page) ||
		     (page->flags & PAGE_FLAGS_CHECK_AT_FREE))) {
		free_pages_check(zone, page, 0);
		return;
	}
	flags = arch_local_irq_save();
	pcp = &zone->pageset[smp_processor_id()];
	spin_lock(&pcp->lock);
	list_add(&page->lru, &pcp->list);
	if (++pcp->count > pcp->high) {
		free_pcppages_bulk(zone, pcp->batch, &pcp->list);
		pcp->count -= pcp->batch;
	}
	spin_unlock_irqrestore(&pcp->lock, flags);
}

/*
 * Empties one CPU's list of zone. Its lock makes this safe from any CPU,
 * as Linux's remote draining since 6.0.
 */
static void drain_pages_zone(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = &zone->pageset[cpu];
	unsigned long flags;

	spin_lock_irqsave(&pcp->lock, flags);
	if (pcp->count) {
		free_pcppages_bulk(zone, pcp->count, &pcp->list);
		pcp->count = 0;
	}
	spin_unlock_irqrestore(&pcp->lock, flags);
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

/*
 * One pass along the zonelist: the first zone above its watermark that has
 * a block. As Linux's fast path, the watermark is read without zone->lock:
 * racing allocations may take a zone a few pages further down, never the
 * free lists out of order.
 */
static struct page *get_page_from_freelist(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	enum zone_type highest = gfp_zone(gfp);

	for (struct zoneref *ref = pgdat->node_zonelist._zonerefs; ref->zone; ref++) {
		struct page *page;

		if (ref->zone_idx > (int)highest ||
		    !zone_watermark_fast(ref->zone, order, highest, gfp))
			continue;
		page = order ? alloc_pages_zone(ref->zone, order) : rmqueue_pcplist(ref->zone, gfp);
		if (page)
			return page;
	}
	return NULL;
}

/*
 * Reclaim rounds: an ordinary request of order <= PAGE_ALLOC_COSTLY_ORDER
 * retries while reclaim makes progress, at most MAX_RECLAIM_RETRIES
 * rounds; __GFP_NOFAIL gives up after NOFAIL_STALL_ROUNDS rounds in a row
 * without progress.
 */
#define PAGE_ALLOC_COSTLY_ORDER 3
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
 * Linux's __alloc_pages_slowpath() without kswapd or compaction: direct
 * reclaim, then another pass along the zonelist, for as long as the flags
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
		struct page *page = get_page_from_freelist(NODE_DATA(nid), gfp, order);

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

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	if (!node_online(nid))
		nid = next_online_node_from(0);
	if (order <= MAX_PAGE_ORDER && nid < MAX_NUMNODES) {
		page = get_page_from_freelist(NODE_DATA(nid), gfp, order);
		if (!page && (gfp & __GFP_DIRECT_RECLAIM))
			page = alloc_pages_slowpath(nid, gfp, order);
	}
	if (!page) {
		warn_alloc(gfp, order);
		return NULL;
	}
	if (gfp & __GFP_ZERO) {
		void *va = page_address(page);

		if (va) {
			memset(va, 0, PAGE_SIZE << order);
		} else {
			for (unsigned long i = 0; i < (1UL << order); i++)
				clear_page_phys((phys_addr_t)(page_to_pfn(page) + i) << PAGE_SHIFT);
		}
	}
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (!page_ref_dec_and_test(page))
		return;
	if (order)
		free_pages_zone(page_zone(page), page, order);
	else
		free_unref_page(page);
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

/* The struct page of a linear-map address, or NULL when no node has it. */
static struct page *virt_to_page(unsigned long addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (pfn - pgdat->node_start_pfn < pgdat->node_spanned_pages)
			return pgdat->node_mem_map + (pfn - pgdat->node_start_pfn);
	}
	return NULL;
}

void free_pages(unsigned long addr, unsigned int order)
{
	struct page *page;

	if (!addr)
		return;
	page = virt_to_page(addr);
	if (page)
		__free_pages(page, order);
	else
		pr_err("free_pages: %#lx is not in the linear map of RAM\n", addr);
}
#endif
