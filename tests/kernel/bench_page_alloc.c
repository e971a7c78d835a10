/*
 * Buddy allocator figures for `make bench`: alloc+free pairs of a few
 * orders straight from the zones (no per-CPU lists yet).
 */
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
		struct page *page = alloc_pages_early(order);

		if (!page)
			ktest_skip(t, "no free block of that order");
		free_pages_early(page, order);
	}
	ktest_bench_end(&b, name, PAIRS);
}

static void order0(struct ktest *t)
{
	bench_order(t, 0);
}

static void order3(struct ktest *t)
{
	bench_order(t, 3);
}

static void order9(struct ktest *t)
{
	bench_order(t, 9);
}

KTEST_BENCH_SUITE(bench_page_alloc, KTEST_CASE(order0), KTEST_CASE(order3), KTEST_CASE(order9));
