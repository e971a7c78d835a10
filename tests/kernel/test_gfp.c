/*
 * Zone watermarks, lowmem_reserve and zonelists as mm_core_init() left
 * them, recomputed here from the formulas and the zones' managed
 * pages, independently of mm/watermark.c; then the GFP API: zone
 * modifiers, __GFP_ZERO, watermarks for ordinary and atomic requests,
 * lowmem_reserve, NUMA fallback and the failure report; last the per-CPU
 * lists of order-0 pages.
 */
#include <asm/memory.h>
#include <mk64/gfp.h>
#include <mk64/topology.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/string.h>
#include "mm_helpers.h"

/* floor(sqrt(x)) by bisection. */
static unsigned long test_sqrt(unsigned long x)
{
	unsigned long lo = 0, hi = 1UL << 32;

	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * min_free_kbytes = int_sqrt(lowmem KiB * 16) in [128, 65536]; each zone's
 * min is its share by managed pages, low min * 5/4, high min * 3/2; zone
 * i's lowmem_reserve[j] is the managed pages of zones i+1..j over the
 * ratio of zone i (256 DMA, 256 DMA32, 32 Normal).
 */
static void watermarks_match_formulas(struct ktest *t)
{
	static const unsigned long ratio[MAX_NR_ZONES] = { 256, 256, 32, 0 };
	unsigned long lowmem = 0, kbytes, pages_min;
	int nid, zones = 0;

	need_nodes(t);
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			if (z != ZONE_HIGHMEM)
				lowmem += NODE_DATA(nid)->node_zones[z].managed_pages;
	kbytes = test_sqrt(lowmem * 4 * 16);
	kbytes = kbytes < 128 ? 128 : kbytes > 65536 ? 65536 : kbytes;
	KTEST_EXPECT_EQ(t, min_free_kbytes, kbytes);
	pages_min = kbytes / 4;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long min = pages_min * zone->managed_pages / lowmem, above = 0;

			/* HighMem: a small fixed reserve, clamp(managed / 1024, 32, 128). */
			if (z == ZONE_HIGHMEM)
				min = zone->managed_pages / 1024 < 32 ? 32 :
				      zone->managed_pages / 1024 > 128 ? 128 : zone->managed_pages / 1024;

			KTEST_EXPECT_EQ(t, zone->_watermark[WMARK_MIN], min);
			KTEST_EXPECT_EQ(t, zone->_watermark[WMARK_LOW], min * 5 / 4);
			KTEST_EXPECT_EQ(t, zone->_watermark[WMARK_HIGH], min * 3 / 2);
			for (int j = 0; j < MAX_NR_ZONES; j++) {
				if (j > z && j < pgdat->nr_zones)
					above += pgdat->node_zones[j].managed_pages;
				KTEST_EXPECT_EQ(t, zone->lowmem_reserve[j],
						j > z && ratio[z] ? above / ratio[z] : 0UL);
			}
			zones++;
		}
	}
	KTEST_EXPECT_GT(t, zones, 0);
}

/*
 * Each node's zonelist: every populated zone once, nodes by distance from
 * it (its own first), highest zone first within a node.
 */
static void zonelists_ordered(struct ktest *t)
{
	int nid, populated = 0, other;

	need_nodes(t);
	for_each_online_node(other)
		for (int z = 0; z < NODE_DATA(other)->nr_zones; z++)
			populated += NODE_DATA(other)->node_zones[z].present_pages != 0;
	for_each_online_node(nid) {
		const struct zoneref *ref = NODE_DATA(nid)->node_zonelist._zonerefs;
		int n = 0;

		KTEST_ASSERT_TRUE(t, ref[0].zone != NULL);
		KTEST_EXPECT_EQ(t, ref[0].zone->node, nid);
		for (; ref[n].zone; n++) {
			const struct zone *zone = ref[n].zone;

			KTEST_EXPECT_EQ(t, ref[n].zone_idx, (int)zone->type);
			KTEST_EXPECT_NE(t, zone->present_pages, 0UL);
			if (!n)
				continue;
			if (zone->node == ref[n - 1].zone->node)
				KTEST_EXPECT_LT(t, ref[n].zone_idx, ref[n - 1].zone_idx);
			else
				KTEST_EXPECT_LE(t, node_distance(nid, ref[n - 1].zone->node),
						node_distance(nid, zone->node));
		}
		KTEST_EXPECT_EQ(t, n, populated);
	}
}

/* The highest populated zone of node nid at or below highest, or NULL. */
static struct zone *expected_zone(int nid, enum zone_type highest)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	for (int z = min((int)highest, pgdat->nr_zones - 1); z >= 0; z--)
		if (pgdat->node_zones[z].present_pages)
			return &pgdat->node_zones[z];
	return NULL;
}

/* Each zone modifier lands in its zone, or the highest populated one below. */
static void zone_modifiers(struct ktest *t)
{
	static const gfp_t flags[] = { GFP_DMA, GFP_DMA32, GFP_KERNEL, GFP_HIGHUSER, GFP_ATOMIC };
	static const enum zone_type highest[] = { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL,
						  ZONE_HIGHMEM, ZONE_NORMAL };

	need_nodes(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
		struct zone *want = expected_zone(numa_node_id(), highest[i]);
		struct page *page;

		KTEST_EXPECT_EQ(t, (int)gfp_zone(flags[i]), (int)highest[i]);
		KTEST_ASSERT_TRUE(t, want != NULL);
		page = alloc_pages(flags[i], 1);
		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(page), numa_node_id());
		KTEST_EXPECT_EQ(t, (int)page_zonenum(page), (int)want->type);
		KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
		ktest_info(t, "mode %#x: zone %s", flags[i], want->name);
		__free_pages(page, 1);
	}
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
}

/*
 * The flags kernel code passes every day have Linux 6.1's bit values
 * (___GFP_* in <linux/gfp.h>, written out here) and change nothing where
 * they are documented to: each request lands in the zone GFP_KERNEL's
 * does, GFP_HIGHUSER_MOVABLE in GFP_HIGHUSER's.
 */
static void everyday_flags_accepted(struct ktest *t)
{
	static const gfp_t noops[] = { __GFP_MOVABLE, __GFP_RECLAIMABLE, __GFP_WRITE,
				       __GFP_ACCOUNT, __GFP_MOVABLE | __GFP_ACCOUNT };
	struct zone *want;

	KTEST_EXPECT_EQ(t, __GFP_MOVABLE, 0x08u);
	KTEST_EXPECT_EQ(t, __GFP_RECLAIMABLE, 0x10u);
	KTEST_EXPECT_EQ(t, __GFP_WRITE, 0x1000u);
	KTEST_EXPECT_EQ(t, __GFP_MEMALLOC, 0x20000u);
	KTEST_EXPECT_EQ(t, __GFP_NOMEMALLOC, 0x80000u);
	KTEST_EXPECT_EQ(t, __GFP_ACCOUNT, 0x400000u);
	KTEST_EXPECT_EQ(t, GFP_KERNEL_ACCOUNT, 0x400cc0u);
	KTEST_EXPECT_EQ(t, GFP_HIGHUSER_MOVABLE, 0x100ccau);
	KTEST_EXPECT_EQ(t, (int)gfp_zone(GFP_HIGHUSER_MOVABLE), (int)ZONE_HIGHMEM);
	KTEST_EXPECT_EQ(t, (int)gfp_zone(__GFP_MOVABLE), (int)ZONE_NORMAL);

	need_nodes(t);
	want = expected_zone(numa_node_id(), ZONE_NORMAL);
	KTEST_ASSERT_TRUE(t, want != NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(noops); i++) {
		struct page *page = alloc_pages(GFP_KERNEL | noops[i], 0);

		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_TRUE(t, page_zone(page) == want);
		__free_pages(page, 0);
	}
	want = expected_zone(numa_node_id(), ZONE_HIGHMEM);
	KTEST_ASSERT_TRUE(t, want != NULL);
	{
		struct page *page = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);

		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_TRUE(t, page_zone(page) == want);
		__free_pages(page, 0);
	}
}

/*
 * The failure report names every flag as Linux's %pGg does, composites
 * first; the modes are worked out by hand from the bit values above.
 */
static void failure_report_names_flags(struct ktest *t)
{
	ratelimit_state_init(&nopage_rs, 3600 * NSEC_PER_SEC, 10);
	printk(KERN_INFO "gfp test: mark names\n");
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_MOVABLE | __GFP_RECLAIMABLE |
					 __GFP_WRITE | __GFP_NOMEMALLOC, MAX_PAGE_ORDER + 1) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_MEMALLOC |
					 __GFP_THISNODE, MAX_PAGE_ORDER + 1) == NULL);
	KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark names",
					   "swapper/0: page allocation failure: order:11, mode:0x481cd8("
					   "GFP_KERNEL_ACCOUNT|__GFP_NOMEMALLOC|__GFP_RECLAIMABLE|"
					   "__GFP_MOVABLE|__GFP_WRITE), nodemask=(null)\n"), 1);
	KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark names",
					   "swapper/0: page allocation failure: order:11, mode:0x360cca("
					   "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_MEMALLOC|"
					   "__GFP_THISNODE), nodemask=(null)\n"), 1);
	ratelimit_state_init(&nopage_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
}

static bool all_bytes(const void *p, size_t n, u8 v)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* A dirtied block comes back zeroed with __GFP_ZERO, by page and by address. */
static void zero_pages(struct ktest *t)
{
	struct page *page, *again;
	unsigned long addr, addr2;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	memset(page_address(page), 0xa5, PAGE_SIZE << 2);
	__free_pages(page, 2);
	again = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KTEST_ASSERT_TRUE(t, again != NULL);
	/* The buddy hands the block just freed out again: it was dirty. */
	KTEST_EXPECT_TRUE(t, again == page);
	KTEST_EXPECT_TRUE(t, all_bytes(page_address(again), PAGE_SIZE << 2, 0));
	__free_pages(again, 2);

	addr = __get_free_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NE(t, addr, 0UL);
	KTEST_EXPECT_TRUE(t, virt_addr_is_linear((void *)addr));
	memset((void *)addr, 0x5a, PAGE_SIZE);
	free_pages(addr, 0);
	addr2 = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);
	KTEST_ASSERT_NE(t, addr2, 0UL);
	KTEST_EXPECT_EQ(t, addr2, addr);
	KTEST_EXPECT_TRUE(t, all_bytes((void *)addr2, PAGE_SIZE, 0));
	free_pages(addr2, 0);
}

/*
 * At min, GFP_KERNEL fails (reported once, silent with __GFP_NOWARN) and
 * GFP_ATOMIC and __GFP_HIGH still get pages.
 */
static void atomic_below_min(struct ktest *t)
{
	static const char failure_line[] = "swapper/0: page allocation failure: order:0, "
		"mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null)\n";
	struct zone *first;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	first = first_kernel_zone();
	KTEST_ASSERT_GT(t, first->_watermark[WMARK_MIN], 3UL);
	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_MIN, &taken);
	if (ready) {
		printk(KERN_INFO "gfp test: mark nowarn\n");
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark nowarn", "page allocation failure"), 0);
		printk(KERN_INFO "gfp test: mark warn\n");
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_ZERO, 0) == NULL);
		KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark warn", failure_line), 1);
		KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark warn", "page allocation failure"), 1);
		KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark warn", "Mem-Info:"), 1);

		page = alloc_pages(GFP_ATOMIC, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		if (page) {
			KTEST_EXPECT_TRUE(t, page_zone(page) == first);
			__free_pages(page, 0);
		}
		page = alloc_pages(GFP_KERNEL | __GFP_HIGH, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		if (page)
			__free_pages(page, 0);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/*
 * Where a lower zone has a reserve against Normal (virt-5g), a GFP_KERNEL
 * request that finds Normal at min may take the lower zone only down to
 * min + lowmem_reserve; GFP_DMA, whose class is the lower zone, goes on.
 */
static void lowmem_reserve_protects(struct ktest *t)
{
	struct zone *normal, *low = NULL;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	if (nr_online_nodes != 1)
		ktest_skip(t, "one node only");
	normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	for (int z = ZONE_NORMAL - 1; z >= 0 && !low; z--)
		if (NODE_DATA(0)->node_zones[z].present_pages)
			low = &NODE_DATA(0)->node_zones[z];
	if (!normal->present_pages || !low || !low->lowmem_reserve[ZONE_NORMAL])
		ktest_skip(t, "no Normal zone above a zone with a reserve for it");

	ready = take_free_pages(normal, normal->_watermark[WMARK_MIN], &taken);
	if (ready) {
		page = alloc_pages(GFP_KERNEL, 0);
		KTEST_EXPECT_TRUE(t, page && page_zone(page) == low);
		if (page)
			__free_pages(page, 0);
		ready = take_free_pages(low, low->_watermark[WMARK_MIN] +
				low->lowmem_reserve[ZONE_NORMAL], &taken);
	}
	if (ready) {
		/* Well above its min, yet kept from the GFP_KERNEL request. */
		KTEST_EXPECT_GT(t, zone_page_state(low, NR_FREE_PAGES),
				low->_watermark[WMARK_MIN] + 1);
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
		page = alloc_pages(GFP_DMA | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page && page_zone(page) == low);
		if (page)
			__free_pages(page, 0);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/* The nearest online node to nid other than nid, ties by id. */
static int nearest_other_node(int nid)
{
	int best = -1, other;

	for_each_online_node(other)
		if (other != nid &&
		    (best < 0 || node_distance(nid, other) < node_distance(nid, best)))
			best = other;
	return best;
}

/* Each node's requests land on it, then on the nearest node once it is at min. */
static void numa_local_then_nearest(struct ktest *t)
{
	int nid, last = -1;
	LIST_HEAD(taken);
	struct page *page;
	bool ready;

	need_nodes(t);
	if (nr_online_nodes < 2)
		ktest_skip(t, "one node");
	for_each_online_node(nid) {
		page = alloc_pages_node(nid, GFP_KERNEL, 0);
		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(page), nid);
		__free_pages(page, 0);
		last = nid;
	}

	/* The last node's own zones at min + reserve: its requests go elsewhere. */
	ready = take_zones(last, ZONE_NORMAL, true, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages_node(last, GFP_KERNEL, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		if (page) {
			KTEST_EXPECT_EQ(t, page_to_nid(page), nearest_other_node(last));
			__free_pages(page, 0);
		}
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/* ---- per-CPU lists (the framework empties them around every case) -------- */

/*
 * Each listed zone's per-CPU lists, on every CPU, have the batch and high
 * that the config worked out by hand (ktest.zones=) from Linux's
 * zone_batchsize() and this tree's high = 6 * batch.
 */
static void pcp_batch_high_by_hand(struct ktest *t)
{
	const struct config_zone *want;
	unsigned int cpu;
	int n;

	need_nodes(t);
	n = config_zones(t, &want);
	for (int i = 0; i < n; i++) {
		const struct zone *zone;

		KTEST_ASSERT_TRUE(t, node_online(want[i].nid));
		KTEST_ASSERT_LT(t, (int)want[i].type, NODE_DATA(want[i].nid)->nr_zones);
		zone = &NODE_DATA(want[i].nid)->node_zones[want[i].type];
		ktest_info(t, "node %d zone %s: batch %d, high %d expected", want[i].nid,
			   zone->name, want[i].batch, want[i].high);
		for_each_possible_cpu(cpu) {
			KTEST_EXPECT_EQ(t, per_cpu_ptr(zone->per_cpu_pageset, cpu)->batch, want[i].batch);
			KTEST_EXPECT_EQ(t, per_cpu_ptr(zone->per_cpu_pageset, cpu)->high, want[i].high);
		}
	}
}

/*
 * A page freed goes on the head of the list, not to the buddy, and is the
 * next one handed out; the refill took one batch from the buddy.
 */
static void pcp_hot_reuse_and_refill(struct ktest *t)
{
	struct page *page, *again;
	struct per_cpu_pages *pcp;
	struct zone *zone;
	unsigned long free;

	need_nodes(t);
	zone = first_kernel_zone();
	free = zone_page_state(zone, NR_FREE_PAGES);
	pcp = this_cpu_pageset(zone);
	KTEST_ASSERT_EQ(t, pcp->count, 0);
	KTEST_ASSERT_GT(t, pcp->batch, 0);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_ASSERT_TRUE(t, page_zone(page) == zone);
	KTEST_EXPECT_EQ(t, pcp->count, pcp->batch - 1);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free - (unsigned long)pcp->batch);
	__free_pages(page, 0);
	KTEST_EXPECT_EQ(t, pcp->count, pcp->batch);
	KTEST_EXPECT_TRUE(t, list_first_entry(&pcp->lists[0], struct page, lru) == page);
	again = alloc_pages(GFP_KERNEL, 0);
	KTEST_EXPECT_TRUE(t, again == page);
	if (again)
		__free_pages(again, 0);
}

/*
 * alloc_pages_bulk_array_node() fills the empty slots, in order, with the
 * per-CPU list's pages from its head (read off the list beforehand),
 * leaves a filled slot alone, and for what the list does not serve
 * (__GFP_ZERO) fills one slot and says so.
 */
static void bulk_fills_empty_slots(struct ktest *t)
{
	struct page *pages[8] = { NULL }, *want[7], *kept, *zeroed[2] = { NULL, NULL };
	struct per_cpu_pages *pcp;
	struct zone *zone;
	struct page *p;
	int n = 0, count;

	need_nodes(t);
	zone = first_kernel_zone();
	pcp = this_cpu_pageset(zone);
	kept = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, kept != NULL && page_zone(kept) == zone);
	/* As many empty slots as the list has pages, up to 7 (a small zone's batch is less). */
	count = pcp->count;
	if (count < 2) {
		__free_pages(kept, 0);
		ktest_skip(t, "per-CPU list below 2 pages");
	}
	list_for_each_entry(p, &pcp->lists[0], lru) {
		if (n == 7)
			break;
		want[n++] = p;
	}
	pages[1] = kept;
	KTEST_EXPECT_EQ(t, alloc_pages_bulk_array_node(GFP_KERNEL, numa_node_id(), n + 1, pages),
			(unsigned long)n + 1);
	KTEST_EXPECT_TRUE(t, pages[1] == kept);
	for (int i = 0, w = 0; i <= n; i++) {
		if (i == 1)
			continue;
		KTEST_EXPECT_TRUE(t, pages[i] == want[w++]);
		KTEST_EXPECT_EQ(t, page_ref_count(pages[i]), 1);
	}
	KTEST_EXPECT_EQ(t, pcp->count, count - n);
	/* Dirty: the page freed last is the list's head again. */
	memset(page_address(pages[n]), 0x5a, PAGE_SIZE);
	for (int i = 0; i <= n; i++)
		if (pages[i])
			__free_pages(pages[i], 0);

	KTEST_EXPECT_EQ(t, alloc_pages_bulk_array_node(GFP_KERNEL | __GFP_ZERO, numa_node_id(), 2,
						       zeroed), 1UL);
	KTEST_ASSERT_TRUE(t, zeroed[0] != NULL);
	KTEST_EXPECT_TRUE(t, zeroed[1] == NULL);
	KTEST_EXPECT_TRUE(t, all_bytes(page_address(zeroed[0]), PAGE_SIZE, 0));
	__free_pages(zeroed[0], 0);
}

/* __GFP_COLD takes the tail of the list, where the page just freed is not. */
static void pcp_cold_from_tail(struct ktest *t)
{
	struct page *page, *cold, *tail, *hot;
	struct per_cpu_pages *pcp;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pcp = this_cpu_pageset(page_zone(page));
	__free_pages(page, 0);
	KTEST_ASSERT_GT(t, pcp->count, 1);
	tail = list_last_entry(&pcp->lists[0], struct page, lru);
	cold = alloc_pages(GFP_KERNEL | __GFP_COLD, 0);
	KTEST_EXPECT_TRUE(t, cold == tail);
	KTEST_EXPECT_TRUE(t, cold != page);
	hot = alloc_pages(GFP_KERNEL, 0);
	KTEST_EXPECT_TRUE(t, hot == page);
	if (cold)
		__free_pages(cold, 0);
	if (hot)
		__free_pages(hot, 0);
}

/*
 * Freeing one page past high sends a batch from the tail back to the
 * buddy; the list never holds more than high. drain_all_pages() returns
 * the rest, and the zone's free count is what it was.
 */
static void pcp_high_drain(struct ktest *t)
{
	struct page *page, *next;
	struct per_cpu_pages *pcp;
	struct zone *zone;
	unsigned long free;
	LIST_HEAD(held);
	int n = 0, max_count = 0;

	need_nodes(t);
	zone = first_kernel_zone();
	pcp = this_cpu_pageset(zone);
	free = zone_page_state(zone, NR_FREE_PAGES);
	for (; n <= pcp->high; n++) {
		page = alloc_pages(GFP_KERNEL, 0);
		KTEST_ASSERT_TRUE(t, page != NULL);
		list_add(&page->lru, &held);
		KTEST_ASSERT_TRUE(t, page_zone(page) == zone);
	}
	drain_all_pages(NULL);
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free - (unsigned long)n);
	list_for_each_entry_safe(page, next, &held, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
		max_count = max(max_count, pcp->count);
	}
	KTEST_EXPECT_EQ(t, max_count, pcp->high);
	KTEST_EXPECT_EQ(t, pcp->count, pcp->high + 1 - pcp->batch);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES),
			free - (unsigned long)(pcp->high + 1 - pcp->batch));
	drain_all_pages(NULL);
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free);
}

/* An order-0 page freed while mapped is reported and stays off the list. */
static void pcp_bad_free_caught(struct ktest *t)
{
	struct per_cpu_pages *pcp;
	struct page *page;
	int count;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	pcp = this_cpu_pageset(page_zone(page));
	count = pcp->count;
	page->_mapcount = 0;
	printk(KERN_INFO "gfp test: mark bad free\n");
	__free_pages(page, 0);
	KTEST_EXPECT_EQ(t, log_count_after("gfp test: mark bad free", "Bad page state"), 1);
	KTEST_EXPECT_EQ(t, pcp->count, count);
	/* Repaired, it frees normally. */
	page->_mapcount = -1;
	set_page_count(page, 1);
	__free_pages(page, 0);
	KTEST_EXPECT_EQ(t, pcp->count, count + 1);
}

/*
 * With the buddy at min, a page on a per-CPU list is out of reach of a
 * request that may not reclaim, and comes back through the drain for one
 * that may.
 */
static void pcp_drained_on_failure(struct ktest *t)
{
	struct page *page, *got;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_MIN, &taken);
	__free_pages(page, 0);
	if (ready) {
		KTEST_EXPECT_EQ(t, this_cpu_pageset(page_zone(page))->count, 1);
		got = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, got == NULL);
		if (got)
			__free_pages(got, 0);
		got = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, got != NULL);
		if (got) {
			KTEST_EXPECT_TRUE(t, page_zone(got) == page_zone(page));
			__free_pages(got, 0);
		}
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

KTEST_SUITE(gfp, KTEST_CASE(watermarks_match_formulas), KTEST_CASE(zonelists_ordered),
	    KTEST_CASE(zone_modifiers), KTEST_CASE(everyday_flags_accepted),
	    KTEST_CASE(failure_report_names_flags), KTEST_CASE(zero_pages), KTEST_CASE(atomic_below_min),
	    KTEST_CASE(lowmem_reserve_protects), KTEST_CASE(numa_local_then_nearest),
	    KTEST_CASE(pcp_batch_high_by_hand), KTEST_CASE(pcp_hot_reuse_and_refill),
	    KTEST_CASE(pcp_cold_from_tail), KTEST_CASE(bulk_fills_empty_slots),
	    KTEST_CASE(pcp_high_drain),
	    KTEST_CASE(pcp_bad_free_caught), KTEST_CASE(pcp_drained_on_failure));
