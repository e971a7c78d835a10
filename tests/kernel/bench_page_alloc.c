/*
 * Page allocator figures for `make bench`: alloc+free pairs through the
 * GFP API (order 0 hits this CPU's per-CPU list) and, for order 0, the
 * same pair straight from the buddy allocator with the lists bypassed.
 */
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/sprintf.h>

#define PAIRS 2000

static void bench_order(struct ktest *t, unsigned int order)
{
	struct ktest_bench b;
	char name[32];

	snprintf(name, sizeof(name), "page_order%u_pair", order);
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		if (!page)
			ktest_skip(t, "no free block of that order");
		__free_pages(page, order);
	}
	ktest_bench_end(&b, name, PAIRS);
}

static void order0(struct ktest *t)
{
	bench_order(t, 0);
}

/* The zone-level core below the GFP API: no watermark, no per-CPU list. */
static void order0_nopcp(struct ktest *t)
{
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		struct page *page = alloc_pages_no_watermarks(0);

		if (!page)
			ktest_skip(t, "no free page");
		free_pages_no_pcp(page, 0);
	}
	ktest_bench_end(&b, "page_order0_nopcp_pair", PAIRS);
}

static void order3(struct ktest *t)
{
	bench_order(t, 3);
}

static void order9(struct ktest *t)
{
	bench_order(t, 9);
}

KTEST_BENCH_SUITE(bench_page_alloc, KTEST_CASE(order0), KTEST_CASE(order0_nopcp),
		  KTEST_CASE(order3), KTEST_CASE(order9));
