/*
 * The page API around the buddy allocator: the single-page and
 * address-based helpers, alloc_pages_exact(), reference counts
 * (get_page/put_page, a second reference on a block that is not compound,
 * a reference dropped twice), compound pages, the per-CPU lists of orders
 * 1-3 and their busy fallback, __GFP_THISNODE, and virt_to_page() across
 * the physical map.
 *
 * Counts are taken with the per-CPU lists drained, so that every free page
 * is in NR_FREE_PAGES.
 */
#include <asm/memory.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "mm_helpers.h"

static unsigned long free_after_drain(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

/* nr_free_pages() is the sum of the zones' counters and follows a block. */
static void nr_free_pages_counts(struct ktest *t)
{
	unsigned long sum = 0, before;
	struct page *page;
	int nid;

	need_nodes(t);
	before = free_after_drain();
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			sum += zone_page_state(&NODE_DATA(nid)->node_zones[z], NR_FREE_PAGES);
	KTEST_EXPECT_EQ(t, before, sum);
	page = alloc_pages(GFP_KERNEL, 5);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, free_after_drain(), before - 32);
	__free_pages(page, 5);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
}

/* alloc_page, __get_free_page, get_zeroed_page and their frees. */
static void single_page_helpers(struct ktest *t)
{
	unsigned long before, addr, zeroed;
	struct page *page;

	need_nodes(t);
	before = free_after_drain();
	page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	__free_page(page);

	addr = __get_free_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, addr, 0UL);
	KTEST_EXPECT_TRUE(t, virt_addr_valid((void *)addr));
	KTEST_EXPECT_TRUE(t, page_address(virt_to_page((void *)addr)) == (void *)addr);
	memset((void *)addr, 0xa5, PAGE_SIZE);
	free_page(addr);

	/* The hot page just freed comes back, dirty, unless asked zeroed. */
	zeroed = get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, zeroed, 0UL);
	KTEST_EXPECT_EQ(t, zeroed, addr);
	KTEST_EXPECT_TRUE(t, all_bytes((void *)zeroed, 0, PAGE_SIZE));
	free_page(zeroed);
	free_page(0);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
}

/* Only the pages asked for stay allocated, each a page of its own. */
static void exact_allocation(struct ktest *t)
{
	unsigned long before;
	unsigned char *va;

	need_nodes(t);
	KTEST_EXPECT_TRUE(t, alloc_pages_exact(0, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages_exact((PAGE_SIZE << MAX_PAGE_ORDER) + 1,
					       GFP_KERNEL | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages_exact(~(size_t)0, GFP_KERNEL | __GFP_NOWARN) == NULL);
	before = free_after_drain();
	va = alloc_pages_exact(5 * PAGE_SIZE - 100, GFP_KERNEL | __GFP_ZERO | __GFP_COMP);
	KTEST_ASSERT_TRUE(t, va != NULL);
	KTEST_EXPECT_EQ(t, free_after_drain(), before - 5);
	KTEST_EXPECT_TRUE(t, all_bytes(va, 0, 5 * PAGE_SIZE));
	for (int i = 0; i < 5; i++) {
		struct page *page = virt_to_page(va + i * PAGE_SIZE);

		KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
		KTEST_EXPECT_FALSE(t, PageHead(page) || PageTail(page));
	}
	/* The block was order 3 and aligned to it: its first page starts it. */
	KTEST_EXPECT_EQ(t, page_to_pfn(virt_to_page(va)) % 8, 0UL);
	memset(va, 0x5a, 5 * PAGE_SIZE);
	free_pages_exact(va, 5 * PAGE_SIZE - 100);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
}

/*
 * A compound page: head and tails linked, references taken and dropped
 * through any of its pages, the whole block freed by the last one and
 * taken apart.
 */
static void compound_pages(struct ktest *t)
{
	unsigned long before;
	struct page *page;

	need_nodes(t);
	before = free_after_drain();
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_FALSE(t, PageTail(page));
	KTEST_EXPECT_EQ(t, compound_order(page), 2U);
	for (int i = 1; i < 4; i++) {
		KTEST_EXPECT_TRUE(t, PageTail(page + i));
		KTEST_EXPECT_TRUE(t, compound_head(page + i) == page);
		KTEST_EXPECT_EQ(t, compound_order(page + i), 0U);
	}
	get_page(page + 3);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 2);
	KTEST_EXPECT_EQ(t, page_ref_count(page + 3), 0);
	put_page(page + 3);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	KTEST_EXPECT_EQ(t, free_after_drain(), before - 4);
	put_page(page + 2);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
	KTEST_EXPECT_FALSE(t, PageHead(page));
	for (int i = 1; i < 4; i++)
		KTEST_EXPECT_FALSE(t, PageTail(page + i));

	/* Order 0 never is compound. */
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_FALSE(t, PageHead(page));
	__free_page(page);
}

/* A compound page freed with another order is reported and kept. */
static void compound_wrong_order_caught(struct ktest *t)
{
	unsigned long before;
	struct page *page;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	before = free_after_drain();
	printk(KERN_INFO "page_api test: mark wrong order\n");
	__free_pages(page, 1);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark wrong order", "Bad page state"), 1);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark wrong order",
					   "compound page of order 2 freed as order 1"), 1);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_TRUE(t, compound_head(page + 3) == page);
	/* Given its reference back, it frees with the right order. */
	set_page_count(page, 1);
	__free_pages(page, 2);
	KTEST_EXPECT_EQ(t, free_after_drain(), before + 4);
}

/*
 * A compound page whose free is refused by a check that comes after the
 * compound ones (a tail left locked) stays whole: a later put_page() of a
 * tail, once it is right, still finds the head and frees the whole block.
 */
static void compound_refused_free_stays_whole(struct ktest *t)
{
	unsigned long before;
	struct page *page;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	before = free_after_drain();
	SetPageLocked(page + 2);
	printk(KERN_INFO "page_api test: mark locked tail\n");
	put_page(page + 1);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark locked tail",
					   "PAGE_FLAGS_CHECK_AT_FREE flag(s) set"), 1);
	KTEST_EXPECT_EQ(t, free_after_drain(), before);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_EQ(t, compound_order(page), 2U);
	for (int i = 1; i < 4; i++)
		KTEST_EXPECT_TRUE(t, compound_head(page + i) == page);
	ClearPageLocked(page + 2);
	set_page_count(page, 1);
	put_page(page + 3);
	KTEST_EXPECT_EQ(t, free_after_drain(), before + 4);
	KTEST_EXPECT_FALSE(t, PageHead(page));
	for (int i = 1; i < 4; i++)
		KTEST_EXPECT_FALSE(t, PageTail(page + i));
}

/*
 * Someone else holds the first page of a block that is not compound: the
 * block's owner freeing it gives back the rest now, the first page with
 * the last reference.
 */
static void extra_reference_on_plain_block(struct ktest *t)
{
	unsigned long before;
	struct page *page;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, page != NULL);
	before = free_after_drain();
	get_page(page);
	__free_pages(page, 2);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	KTEST_EXPECT_EQ(t, free_after_drain(), before + 3);
	put_page(page);
	KTEST_EXPECT_EQ(t, free_after_drain(), before + 4);
}

/*
 * Dropping a reference nobody holds is reported and changes nothing,
 * whether the block went back to the buddy allocator or still waits on a
 * per-CPU list.
 */
static void double_free_caught(struct ktest *t)
{
	static const unsigned int orders[] = { 0, 3, 6 };

	need_nodes(t);
	for (unsigned int i = 0; i < 2 * ARRAY_SIZE(orders); i++) {
		unsigned int order = orders[i % ARRAY_SIZE(orders)];
		bool drained = i < ARRAY_SIZE(orders);
		struct page *page = alloc_pages(GFP_KERNEL, order);
		struct per_cpu_pages *pcp;
		unsigned long free;
		int count;

		KTEST_ASSERT_TRUE(t, page != NULL);
		pcp = this_cpu_pageset(page_zone(page));
		__free_pages(page, order);
		if (drained)
			drain_all_pages(NULL);
		count = pcp->count;
		free = nr_free_pages();
		printk(KERN_INFO "page_api test: mark double free\n");
		__free_pages(page, order);
		KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark double free",
						   "Bad page state"), 1);
		KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark double free",
						   "freed twice?"), 1);
		KTEST_EXPECT_EQ(t, page_ref_count(page), 0);
		KTEST_EXPECT_EQ(t, pcp->count, count);
		KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	}
}

/*
 * A page freed with a larger order than it has, over a page that waits on
 * a per-CPU list, is refused: the list's page is not handed out twice.
 */
static void wrong_order_over_pcp_caught(struct ktest *t)
{
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long free;
	int count;

	need_nodes(t);
	page = alloc_pages(GFP_KERNEL, 1);
	KTEST_ASSERT_TRUE(t, page != NULL);
	split_page(page, 1);
	__free_page(page + 1);
	pcp = this_cpu_pageset(page_zone(page));
	KTEST_EXPECT_TRUE(t, list_first_entry(&pcp->lists[0], struct page, lru) == page + 1);
	count = pcp->count;
	free = nr_free_pages();
	printk(KERN_INFO "page_api test: mark wrong order over pcp\n");
	__free_pages(page, 1);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark wrong order over pcp",
					   "block on a per-CPU free list"), 1);
	KTEST_EXPECT_EQ(t, pcp->count, count);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	/* Given its reference back, the page frees as what it is. */
	set_page_count(page, 1);
	__free_page(page);
	KTEST_EXPECT_EQ(t, pcp->count, count + 1);
}

/*
 * Orders 1-3 have per-CPU lists too: an order-3 request refills its list
 * with a batch of blocks, and a freed block is the next one handed out.
 */
static void pcp_small_orders(struct ktest *t)
{
	struct per_cpu_pages *pcp;
	struct page *page, *again;
	struct zone *zone;
	unsigned long free;
	int blocks;

	need_nodes(t);
	zone = first_kernel_zone();
	drain_all_pages(NULL);
	pcp = this_cpu_pageset(zone);
	blocks = max(pcp->batch >> 3, 1);
	free = zone_page_state(zone, NR_FREE_PAGES);
	page = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, page_zone(page) == zone);
	KTEST_EXPECT_EQ(t, pcp->count, (blocks - 1) * 8);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free - (unsigned long)blocks * 8);
	__free_pages(page, 3);
	KTEST_EXPECT_EQ(t, pcp->count, blocks * 8);
	KTEST_EXPECT_TRUE(t, list_first_entry(&pcp->lists[3], struct page, lru) == page);
	again = alloc_pages(GFP_KERNEL, 3);
	KTEST_EXPECT_TRUE(t, again == page);
	if (again)
		__free_pages(again, 3);
	drain_all_pages(NULL);
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free);
}

/*
 * While this CPU's lists are held (by code an interrupt handler
 * interrupted, say), allocations and frees go to the buddy allocator and
 * leave the lists alone.
 */
static void pcp_busy_uses_buddy(struct ktest *t)
{
	struct per_cpu_pages *pcp;
	struct page *page, *block;
	struct zone *zone;
	unsigned long free;

	need_nodes(t);
	zone = first_kernel_zone();
	drain_all_pages(NULL);
	pcp = this_cpu_pageset(zone);
	free = zone_page_state(zone, NR_FREE_PAGES);
	pcp->locked = 1;
	page = alloc_page(GFP_KERNEL);
	block = alloc_pages(GFP_KERNEL, 2);
	pcp->locked = 0;
	KTEST_ASSERT_TRUE(t, page != NULL && block != NULL);
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free - 5);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	KTEST_EXPECT_EQ(t, page_ref_count(block), 1);
	pcp->locked = 1;
	__free_page(page);
	__free_pages(block, 2);
	pcp->locked = 0;
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, zone_page_state(zone, NR_FREE_PAGES), free);
}

/*
 * __GFP_THISNODE: the node asked for or nothing. With the last node's
 * zones at min + reserve, its requests fail instead of falling back.
 */
static void thisnode_never_falls_back(struct ktest *t)
{
	int nid, last = -1;
	LIST_HEAD(taken);
	struct page *page;
	bool ready;

	need_nodes(t);
	for_each_online_node(nid) {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE, 0);
		KTEST_ASSERT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, page_to_nid(page), nid);
		__free_page(page);
		last = nid;
	}
	/* No node given: the local one. An offline node with __GFP_THISNODE: nothing. */
	page = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, page_to_nid(page), numa_node_id());
	__free_page(page);
	KTEST_EXPECT_FALSE(t, node_online(MAX_NUMNODES - 1));
	KTEST_EXPECT_TRUE(t, alloc_pages_node(MAX_NUMNODES - 1,
					      GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	if (nr_online_nodes < 2)
		ktest_skip(t, "one node: nothing to fall back to");
	ready = take_zones(last, ZONE_NORMAL, true, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages_node(last, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page == NULL);
		if (page)
			__free_page(page);
		page = alloc_pages_node(last, GFP_KERNEL, 0);
		KTEST_EXPECT_TRUE(t, page != NULL && page_to_nid(page) != last);
		if (page)
			__free_page(page);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/*
 * virt_to_page() of a linear address and of its last byte is the page
 * page_address() came from (pfn_valid() and pfn_to_page() against the
 * device tree: the vmemmap suite).
 */
static void virt_to_page_round_trip(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, virt_addr_valid(page_address(page)));
	KTEST_EXPECT_TRUE(t, virt_to_page(page_address(page)) == page);
	KTEST_EXPECT_TRUE(t, virt_to_page((char *)page_address(page) + PAGE_SIZE - 1) == page);
	KTEST_EXPECT_EQ(t, (u64)page_to_pfn(page) << PAGE_SHIFT, (u64)__pa(page_address(page)));
	__free_page(page);
	KTEST_EXPECT_FALSE(t, virt_addr_valid((void *)KIMAGE_VADDR));
}

/*
 * Allocation failures and bad pages are reported at a limited rate: with
 * room for two reports, the third failure is silent (but still fails),
 * and so is a bad free once the limit is reached, until the next interval
 * says how many were left out.
 */
static void reports_rate_limited(struct ktest *t)
{
	struct page *page;

	need_nodes(t);
	ratelimit_state_init(&nopage_rs, 3600 * NSEC_PER_SEC, 2);
	printk(KERN_INFO "page_api test: mark failures\n");
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark failures",
					   "page allocation failure: order:11"), 2);
	ratelimit_state_init(&nopage_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

	/* One report an hour: the second bad free is silent, and counted. */
	page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, page != NULL);
	__free_page(page);
	ratelimit_state_init(&bad_page_rs, 3600 * NSEC_PER_SEC, 1);
	printk(KERN_INFO "page_api test: mark limited bad pages\n");
	__free_page(page);
	__free_page(page);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 0);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark limited bad pages",
					   "Bad page state"), 1);
	/* A new interval: the next report says how many were left out. */
	bad_page_rs.interval = 1;
	__free_page(page);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark limited bad pages",
					   "Bad page state"), 2);
	KTEST_EXPECT_EQ(t, log_count_after("page_api test: mark limited bad pages",
					   "bad_page: 1 callbacks suppressed"), 1);
	ratelimit_state_init(&bad_page_rs, 60 * NSEC_PER_SEC, 60);
}

KTEST_SUITE(page_api, KTEST_CASE(nr_free_pages_counts), KTEST_CASE(single_page_helpers),
	    KTEST_CASE(exact_allocation), KTEST_CASE(compound_pages),
	    KTEST_CASE(compound_wrong_order_caught),
	    KTEST_CASE(compound_refused_free_stays_whole), KTEST_CASE(extra_reference_on_plain_block),
	    KTEST_CASE(double_free_caught), KTEST_CASE(wrong_order_over_pcp_caught),
	    KTEST_CASE(pcp_small_orders),
	    KTEST_CASE(pcp_busy_uses_buddy), KTEST_CASE(thisnode_never_falls_back),
	    KTEST_CASE(virt_to_page_round_trip), KTEST_CASE(reports_rate_limited));
