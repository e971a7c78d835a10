/*
 * Direct reclaim (mm/vmscan.c) and the retries of the page allocator's
 * slow path: a test shrinker holds a cache of pages of the first zone a
 * GFP_KERNEL request uses and frees them when scanned (a quarter of what
 * it holds per round, rounded up, for DEFAULT_SEEKS); the zones a
 * GFP_KERNEL request may use are taken down to their watermark around it.
 */
#include <mk64/gfp.h>
#include <mk64/topology.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/shrinker.h>
#include <mk64/string.h>
#include "mm_helpers.h"

struct test_cache {
	struct shrinker shrinker;
	struct list_head pages;
	unsigned long nr;	/* pages held */
	unsigned int counts;	/* count_objects() calls */
	unsigned int scans;	/* scan_objects() calls */
	gfp_t gfp;		/* the last shrink_control's request */
	int nid;		/* and its node */
	bool stuck;		/* scan_objects() frees nothing: SHRINK_STOP */
};

static unsigned long cache_count(struct shrinker *s, struct shrink_control *sc)
{
	struct test_cache *c = container_of(s, struct test_cache, shrinker);

	c->counts++;
	c->gfp = sc->gfp_mask;
	c->nid = sc->nid;
	return c->nr;
}

static unsigned long cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct test_cache *c = container_of(s, struct test_cache, shrinker);
	unsigned long freed = 0;

	c->scans++;
	if (c->stuck)
		return SHRINK_STOP;
	while (freed < sc->nr_to_scan && c->nr) {
		struct page *page = list_first_entry(&c->pages, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, 0);
		c->nr--;
		freed++;
	}
	return freed;
}

/* Fills c with n pages of zone (no watermark) and registers its shrinker. */
static bool cache_init(struct test_cache *c, struct zone *zone, unsigned long n)
{
	*c = (struct test_cache){
		.shrinker = { .count_objects = cache_count, .scan_objects = cache_scan,
			      .seeks = DEFAULT_SEEKS },
	};
	INIT_LIST_HEAD(&c->pages);
	for (; c->nr < n; c->nr++) {
		struct page *page = alloc_pages_zone(zone, 0);

		if (!page)
			break;
		list_add(&page->lru, &c->pages);
	}
	register_shrinker(&c->shrinker);
	return c->nr == n;
}

/* Gives c's pages back. */
static void cache_release(struct test_cache *c)
{
	c->stuck = false;
	cache_scan(&c->shrinker, &(struct shrink_control){ .nr_to_scan = c->nr });
}

/* Unregisters c's shrinker and gives its pages back. */
static void cache_destroy(struct test_cache *c)
{
	unregister_shrinker(&c->shrinker);
	cache_release(c);
}

/*
 * Ends a case: c's shrinker gone and its pages back, the pages taken back,
 * and the case fails when its set-up (ready) could not be made.
 */
static void case_done(struct ktest *t, struct test_cache *c, struct list_head *taken, bool ready)
{
	cache_destroy(c);
	release_all(taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/*
 * Every zone a GFP_KERNEL request from this CPU's node may use at min +
 * reserve, the first one short by deficit more pages: deficit + 1 pages
 * must come back before a GFP_KERNEL request passes. With atomic, every
 * such zone at its lowmem_reserve: below what even GFP_ATOMIC may use.
 */
static bool take_for_reclaim(unsigned long deficit, bool atomic, struct list_head *taken)
{
	struct zone *first = first_kernel_zone();

	return take_zones(numa_node_id(), ZONE_NORMAL, false,
			  atomic ? TAKE_TO_RESERVE : TAKE_TO_MIN, taken) &&
	       take_free_pages(first, zone_page_state(first, NR_FREE_PAGES) - deficit, taken);
}

/* At min, GFP_KERNEL gets a page that the shrinker gave back. */
static void kernel_request_reclaims(struct ktest *t)
{
	struct zone *first;
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	first = first_kernel_zone();
	ready = cache_init(&c, first, 64) && take_for_reclaim(0, false, &taken);
	if (ready) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 48UL);
		if (page) {
			KTEST_EXPECT_TRUE(t, page_zone(page) == first);
			__free_pages(page, 0);
		}
	}
	case_done(t, &c, &taken, ready);
}

/*
 * GFP_NOFS and GFP_NOIO reclaim too, and each shrinker sees the request's
 * flags and node, so that a cache a file system owns can decline when
 * __GFP_FS is clear.
 */
static void nofs_noio_reclaim_with_their_flags(struct ktest *t)
{
	static const gfp_t flags[] = { GFP_NOFS | __GFP_NOWARN, GFP_NOIO | __GFP_NOWARN };

	need_nodes(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
		struct test_cache c;
		struct page *page;
		LIST_HEAD(taken);
		bool ready;

		ready = cache_init(&c, first_kernel_zone(), 64) &&
			take_for_reclaim(0, false, &taken);
		if (ready) {
			page = alloc_pages(flags[i], 0);
			KTEST_EXPECT_TRUE(t, page != NULL);
			KTEST_EXPECT_EQ(t, c.scans, 1u);
			KTEST_EXPECT_EQ(t, c.gfp, flags[i]);
			KTEST_EXPECT_EQ(t, c.nid, numa_node_id());
			if (page)
				__free_pages(page, 0);
		}
		cache_destroy(&c);
		release_all(&taken);
		KTEST_EXPECT_TRUE(t, ready);
	}
}

/* Below even GFP_ATOMIC's threshold, GFP_ATOMIC and GFP_NOWAIT fail without reclaim. */
static void atomic_never_reclaims(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64) && take_for_reclaim(0, true, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 0u);
		KTEST_EXPECT_EQ(t, c.scans, 0u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * 21 pages short: __GFP_NORETRY stops after the first round (16 pages),
 * an ordinary request goes on to a second one (12 more) and succeeds.
 */
static void noretry_reclaims_once(struct ktest *t)
{
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64) && take_for_reclaim(20, false, &taken);
	if (ready) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 48UL);
		if (page)
			__free_pages(page, 0);
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, c.counts, 2u);
		KTEST_EXPECT_EQ(t, c.nr, 36UL);
		if (page)
			__free_pages(page, 0);
	}
	case_done(t, &c, &taken, ready);
}

/* A stuck shrinker (SHRINK_STOP): __GFP_NORETRY reclaims exactly once. */
static void noretry_stuck_shrinker(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64) && take_for_reclaim(0, false, &taken);
	c.stuck = true;
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * 101 pages short with 32 in the cache: __GFP_RETRY_MAYFAIL retries while
 * the cache gives pages back (10 rounds), fails on the first round that
 * brings nothing.
 */
static void retry_mayfail_gives_up(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 32) && take_for_reclaim(100, false, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.nr, 0UL);
		KTEST_EXPECT_EQ(t, c.scans, 10u);
		KTEST_EXPECT_EQ(t, c.counts, 11u);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * __GFP_NOFAIL fails here after 16 rounds in a row without progress, with
 * a warning and the failure report despite __GFP_NOWARN.
 */
static void nofail_bounded(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 0) && take_for_reclaim(0, false, &taken);
	if (ready) {
		printk(KERN_INFO "reclaim test: mark nofail\n");
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, log_count_after("reclaim test: mark nofail",
						   "__GFP_NOFAIL request order:0, mode:0xacc0("
						   "GFP_KERNEL|__GFP_NOWARN|__GFP_NOFAIL) failing: "
						   "16 reclaim rounds, the last 16 without progress\n"), 1);
		KTEST_EXPECT_EQ(t, log_count_after("reclaim test: mark nofail",
						   "page allocation failure: order:0"), 1);
		KTEST_EXPECT_EQ(t, c.counts, 16u);
		KTEST_EXPECT_EQ(t, c.scans, 0u);
	}
	case_done(t, &c, &taken, ready);
}

/* An unregistered shrinker is not called, and its cache is not touched. */
static void unregistered_not_called(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64);
	unregister_shrinker(&c.shrinker);
	ready = ready && take_for_reclaim(0, false, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 0u);
		KTEST_EXPECT_EQ(t, c.scans, 0u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	cache_release(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/*
 * Every zone a GFP_KERNEL request from this CPU's node may use between min and low:
 * requests still get pages, and each one that may wake kswapd records a
 * wakeup on the node instead of reclaiming itself.
 */
static void below_low_wakes_kswapd(struct ktest *t)
{
	pg_data_t *pgdat = NODE_DATA(numa_node_id());
	unsigned long wakeups;
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64) &&
		take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_MIN_LOW, &taken);
	if (ready) {
		wakeups = pgdat->kswapd_wakeups;
		page = alloc_pages(GFP_KERNEL, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, pgdat->kswapd_wakeups, wakeups + 1);
		KTEST_EXPECT_GE(t, (int)pgdat->kswapd_highest_zoneidx, (int)ZONE_NORMAL);
		if (page)
			__free_pages(page, 0);
		page = alloc_pages(GFP_ATOMIC, 3);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, pgdat->kswapd_wakeups, wakeups + 2);
		KTEST_EXPECT_GE(t, pgdat->kswapd_order, 3);
		if (page)
			__free_pages(page, 3);
		/*
		 * Without __GFP_KSWAPD_RECLAIM nobody is woken. (The order-3
		 * refill left blocks on the per-CPU list: back to the zone.)
		 */
		drain_all_pages(NULL);
		page = alloc_pages(GFP_KERNEL & ~__GFP_KSWAPD_RECLAIM, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, pgdat->kswapd_wakeups, wakeups + 2);
		if (page)
			__free_pages(page, 0);
		KTEST_EXPECT_EQ(t, c.counts, 0u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	cache_destroy(&c);
	release_all(&taken);
	/* Above low again: no wakeup. */
	wakeups = pgdat->kswapd_wakeups;
	page = alloc_pages(GFP_KERNEL, 0);
	KTEST_EXPECT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, pgdat->kswapd_wakeups, wakeups);
	if (page)
		__free_pages(page, 0);
	KTEST_EXPECT_TRUE(t, ready);
}

/* Node nid's first zone a GFP_KERNEL request may use that has memory, or NULL. */
static struct zone *node_kernel_zone(int nid)
{
	for (int z = ZONE_NORMAL; z >= 0; z--)
		if (NODE_DATA(nid)->node_zones[z].managed_pages)
			return &NODE_DATA(nid)->node_zones[z];
	return NULL;
}


/*
 * A GFP_DMA request whose reclaim frees pages only above ZONE_DMA makes no
 * progress: one round, even with __GFP_RETRY_MAYFAIL, though the shrinker
 * freed 16 pages (elsewhere). The same shrinker holding DMA pages serves
 * it in one round.
 */
static void dma_request_wrong_zone_no_progress(struct ktest *t)
{
	struct zone *dma = &NODE_DATA(numa_node_id())->node_zones[ZONE_DMA];
	struct zone *above = first_kernel_zone();
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	if (!above || above->type == ZONE_DMA || !dma->managed_pages)
		ktest_skip(t, "needs a zone above ZONE_DMA and ZONE_DMA on this node");
	ready = cache_init(&c, above, 64) &&
		take_zones(numa_node_id(), ZONE_DMA, false, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 48UL);
		if (page)
			__free_pages(page, 0);
	}
	case_done(t, &c, &taken, ready);

	ready = cache_init(&c, dma, 64) &&
		take_zones(numa_node_id(), ZONE_DMA, false, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		if (page) {
			KTEST_EXPECT_TRUE(t, page_zonenum(page) == ZONE_DMA);
			__free_pages(page, 0);
		}
	}
	case_done(t, &c, &taken, ready);
}

/*
 * A __GFP_THISNODE request whose reclaim frees pages only on another node
 * makes no progress: one round instead of 16. Pages freed on its own node
 * serve it.
 */
static void thisnode_other_node_no_progress(struct ktest *t)
{
	int nid = numa_node_id(), other = MAX_NUMNODES, n;
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	for_each_online_node(n)
		if (n != nid && node_kernel_zone(n))
			other = n;
	if (other == MAX_NUMNODES)
		ktest_skip(t, "needs a second node with memory");
	ready = cache_init(&c, node_kernel_zone(other), 64) &&
		take_zones(nid, ZONE_NORMAL, true, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page == NULL);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 48UL);
		if (page)
			__free_pages(page, 0);
	}
	case_done(t, &c, &taken, ready);

	ready = cache_init(&c, node_kernel_zone(nid), 64) &&
		take_zones(nid, ZONE_NORMAL, true, TAKE_TO_MIN, &taken);
	if (ready) {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		if (page) {
			KTEST_EXPECT_EQ(t, page_to_nid(page), nid);
			__free_pages(page, 0);
		}
	}
	case_done(t, &c, &taken, ready);
}

/*
 * A shrinker that gives back one page a round (seeks so high that a
 * round's share rounds up to one) and a request 101 pages short: every
 * round makes progress, yet __GFP_RETRY_MAYFAIL and an ordinary request
 * each stop after MAX_RECLAIM_RETRIES (16) rounds.
 */
static void retries_capped_despite_progress(struct ktest *t)
{
	static const gfp_t flags[] = { GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN,
				       GFP_KERNEL | __GFP_NOWARN };
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 100) && take_for_reclaim(100, false, &taken);
	c.shrinker.seeks = 1000;
	for (unsigned int i = 0; ready && i < ARRAY_SIZE(flags); i++) {
		KTEST_EXPECT_TRUE(t, alloc_pages(flags[i], 0) == NULL);
		KTEST_EXPECT_EQ(t, c.scans, 16u * (i + 1));
		KTEST_EXPECT_EQ(t, c.nr, 100UL - 16 * (i + 1));
		/* Back to 101 short for the next request. */
		release_all(&taken);
		ready = take_for_reclaim(100, false, &taken);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * __GFP_NOFAIL with a shrinker that gives back one page a round, 301 pages
 * short: never 16 rounds in a row without progress, yet it gives up after
 * 16 * 16 rounds in all, with its warning.
 */
static void nofail_capped_despite_progress(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 300) && take_for_reclaim(300, false, &taken);
	c.shrinker.seeks = 1000;
	if (ready) {
		printk(KERN_INFO "reclaim test: mark nofail cap\n");
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.scans, 256u);
		KTEST_EXPECT_EQ(t, c.nr, 44UL);
		KTEST_EXPECT_EQ(t, log_count_after("reclaim test: mark nofail cap",
						   "256 reclaim rounds, the last 0 without progress\n"), 1);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * Above PAGE_ALLOC_COSTLY_ORDER, pages coming back make no progress unless
 * a block of the order exists: an order-10 __GFP_RETRY_MAYFAIL request
 * whose zones cannot hold an order-10 block even with every cached page
 * back reclaims once.
 */
static void costly_order_progress_needs_a_block(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 100) && take_for_reclaim(0, false, &taken);
	c.shrinker.seeks = 1000;
	for (struct zoneref *ref = NODE_DATA(numa_node_id())->node_zonelist._zonerefs;
	     ready && ref->zone; ref++) {
		if (ref->zone_idx <= ZONE_NORMAL &&
		    zone_page_state(ref->zone, NR_FREE_PAGES) + c.nr >= MAX_ORDER_NR_PAGES) {
			cache_destroy(&c);
			release_all(&taken);
			ktest_skip(t, "a zone's min is too large to rule out an order-10 block");
		}
	}
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN,
						 MAX_PAGE_ORDER) == NULL);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 99UL);
	}
	case_done(t, &c, &taken, ready);
}

/* What a shrinker that allocates saw from inside reclaim. */
static struct inside_reclaim {
	bool in_reclaim;	/* PF_MEMALLOC was set */
	bool got;		/* its GFP_KERNEL page came (from the reserves) */
	bool nomemalloc_got;	/* its __GFP_NOMEMALLOC page came */
} inside;

static unsigned long allocating_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	struct page *refused = alloc_pages(GFP_KERNEL | __GFP_NOMEMALLOC | __GFP_NOWARN, 0);

	inside.in_reclaim = current->flags & PF_MEMALLOC;
	inside.got = page != NULL;
	inside.nomemalloc_got = refused != NULL;
	if (page)
		__free_pages(page, 0);
	if (refused)
		__free_pages(refused, 0);
	return cache_scan(s, sc);
}

/*
 * With the zones at min, a shrinker's own GFP_KERNEL allocation comes from
 * the reserves (PF_MEMALLOC) and does not reclaim again (count_objects()
 * once); its __GFP_NOMEMALLOC allocation fails. Outside reclaim the flag
 * is clear again.
 */
static void shrinker_allocations_use_reserves(struct ktest *t)
{
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	inside = (struct inside_reclaim){ 0 };
	ready = cache_init(&c, first_kernel_zone(), 64) && take_for_reclaim(0, false, &taken);
	c.shrinker.scan_objects = allocating_scan;
	if (ready) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_TRUE(t, inside.in_reclaim);
		KTEST_EXPECT_TRUE(t, inside.got);
		KTEST_EXPECT_FALSE(t, inside.nomemalloc_got);
		KTEST_EXPECT_EQ(t, current->flags & PF_MEMALLOC, 0u);
		if (page)
			__free_pages(page, 0);
	}
	case_done(t, &c, &taken, ready);
}

/*
 * memalloc_noreclaim_save()/restore() nest, and the flag belongs to the
 * context: set by the caller, with the zones at min GFP_KERNEL is served
 * from the reserves without reclaim; __GFP_NOMEMALLOC is not, and does not
 * reclaim either.
 */
static void noreclaim_context_flag(struct ktest *t)
{
	unsigned int outer, inner;
	struct test_cache c;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	KTEST_ASSERT_EQ(t, current->flags & PF_MEMALLOC, 0u);
	outer = memalloc_noreclaim_save();
	inner = memalloc_noreclaim_save();
	KTEST_EXPECT_EQ(t, outer, 0u);
	KTEST_EXPECT_EQ(t, inner, (unsigned int)PF_MEMALLOC);
	memalloc_noreclaim_restore(inner);
	KTEST_EXPECT_EQ(t, current->flags & PF_MEMALLOC, (unsigned int)PF_MEMALLOC);
	memalloc_noreclaim_restore(outer);
	KTEST_EXPECT_EQ(t, current->flags & PF_MEMALLOC, 0u);

	ready = cache_init(&c, first_kernel_zone(), 64) && take_for_reclaim(0, false, &taken);
	if (ready) {
		outer = memalloc_noreclaim_save();
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOMEMALLOC | __GFP_NOWARN, 0) == NULL);
		memalloc_noreclaim_restore(outer);
		KTEST_EXPECT_EQ(t, c.counts, 0u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
		if (page)
			__free_pages(page, 0);
	}
	case_done(t, &c, &taken, ready);
}


/*
 * At GFP_ATOMIC's threshold, __GFP_MEMALLOC reaches the reserves and
 * __GFP_NOMEMALLOC overrides it. At __GFP_HIGH's, GFP_ATOMIC still passes
 * on __GFP_ATOMIC's extra quarter, which __GFP_NOMEMALLOC takes away.
 */
static void memalloc_flags(struct ktest *t)
{
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_ATOMIC_MIN, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0) == NULL);
		page = alloc_pages(GFP_ATOMIC | __GFP_MEMALLOC, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		if (page)
			__free_pages(page, 0);
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_NOWAIT | __GFP_MEMALLOC | __GFP_NOMEMALLOC |
						 __GFP_NOWARN, 0) == NULL);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);

	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_HIGH_MIN, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOMEMALLOC | __GFP_NOWARN, 0) == NULL);
		page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		if (page)
			__free_pages(page, 0);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

KTEST_SUITE(reclaim, KTEST_CASE(kernel_request_reclaims),
	    KTEST_CASE(nofs_noio_reclaim_with_their_flags), KTEST_CASE(atomic_never_reclaims),
	    KTEST_CASE(noretry_reclaims_once), KTEST_CASE(noretry_stuck_shrinker),
	    KTEST_CASE(retry_mayfail_gives_up), KTEST_CASE(nofail_bounded),
	    KTEST_CASE(unregistered_not_called), KTEST_CASE(below_low_wakes_kswapd),
	    KTEST_CASE(dma_request_wrong_zone_no_progress),
	    KTEST_CASE(thisnode_other_node_no_progress),
	    KTEST_CASE(retries_capped_despite_progress), KTEST_CASE(nofail_capped_despite_progress),
	    KTEST_CASE(costly_order_progress_needs_a_block),
	    KTEST_CASE(shrinker_allocations_use_reserves), KTEST_CASE(noreclaim_context_flag),
	    KTEST_CASE(memalloc_flags));
