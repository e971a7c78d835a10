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
 * Every zone a GFP_KERNEL request from this CPU's node may use at min + reserve,
 * the first one short by deficit more pages: deficit + 1 pages must come
 * back before a GFP_KERNEL request passes. With atomic, every such zone
 * at its lowmem_reserve: below what even GFP_ATOMIC may use.
 */
static bool drain_kernel_zones(unsigned long deficit, bool atomic, struct list_head *taken)
{
	struct zone *first = first_kernel_zone();

	for (struct zoneref *ref = NODE_DATA(numa_node_id())->node_zonelist._zonerefs; ref->zone; ref++) {
		struct zone *zone = ref->zone;
		unsigned long target = zone->lowmem_reserve[ZONE_NORMAL];

		if (ref->zone_idx > ZONE_NORMAL)
			continue;
		if (!atomic)
			target += zone->_watermark[WMARK_MIN] - (zone == first ? deficit : 0);
		if (!drain_zone(zone, target, taken))
			return false;
	}
	return true;
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
	ready = cache_init(&c, first, 64) && drain_kernel_zones(0, false, &taken);
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
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
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
			drain_kernel_zones(0, false, &taken);
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
	ready = cache_init(&c, first_kernel_zone(), 64) && drain_kernel_zones(0, true, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 0u);
		KTEST_EXPECT_EQ(t, c.scans, 0u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
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
	ready = cache_init(&c, first_kernel_zone(), 64) && drain_kernel_zones(20, false, &taken);
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
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/* A stuck shrinker (SHRINK_STOP): __GFP_NORETRY reclaims exactly once. */
static void noretry_stuck_shrinker(struct ktest *t)
{
	struct test_cache c;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	ready = cache_init(&c, first_kernel_zone(), 64) && drain_kernel_zones(0, false, &taken);
	c.stuck = true;
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.counts, 1u);
		KTEST_EXPECT_EQ(t, c.scans, 1u);
		KTEST_EXPECT_EQ(t, c.nr, 64UL);
	}
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
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
	ready = cache_init(&c, first_kernel_zone(), 32) && drain_kernel_zones(100, false, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, c.nr, 0UL);
		KTEST_EXPECT_EQ(t, c.scans, 10u);
		KTEST_EXPECT_EQ(t, c.counts, 11u);
	}
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
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
	ready = cache_init(&c, first_kernel_zone(), 0) && drain_kernel_zones(0, false, &taken);
	if (ready) {
		printk(KERN_INFO "reclaim test: mark nofail\n");
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN, 0) == NULL);
		KTEST_EXPECT_EQ(t, log_count_after("reclaim test: mark nofail",
						   "__GFP_NOFAIL request order:0, mode:0xacc0("
						   "GFP_KERNEL|__GFP_NOWARN|__GFP_NOFAIL) failing: "
						   "no reclaim progress in 16 rounds\n"), 1);
		KTEST_EXPECT_EQ(t, log_count_after("reclaim test: mark nofail",
						   "page allocation failure: order:0"), 1);
		KTEST_EXPECT_EQ(t, c.counts, 16u);
		KTEST_EXPECT_EQ(t, c.scans, 0u);
	}
	cache_destroy(&c);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
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
	ready = ready && drain_kernel_zones(0, false, &taken);
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
	ready = cache_init(&c, first_kernel_zone(), 64);
	for (struct zoneref *ref = pgdat->node_zonelist._zonerefs; ready && ref->zone; ref++) {
		struct zone *zone = ref->zone;

		if (ref->zone_idx <= ZONE_NORMAL)
			ready = drain_zone(zone, zone->lowmem_reserve[ZONE_NORMAL] +
					   (zone->_watermark[WMARK_MIN] + zone->_watermark[WMARK_LOW]) / 2,
					   &taken);
	}
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

KTEST_SUITE(reclaim, KTEST_CASE(kernel_request_reclaims),
	    KTEST_CASE(nofs_noio_reclaim_with_their_flags), KTEST_CASE(atomic_never_reclaims),
	    KTEST_CASE(noretry_reclaims_once), KTEST_CASE(noretry_stuck_shrinker),
	    KTEST_CASE(retry_mayfail_gives_up), KTEST_CASE(nofail_bounded),
	    KTEST_CASE(unregistered_not_called), KTEST_CASE(below_low_wakes_kswapd));
