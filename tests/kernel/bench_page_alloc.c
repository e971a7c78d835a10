/*
 * Page allocator figures for `make bench`: alloc+free pairs through the
 * GFP API (order 0 hits this CPU's per-CPU list) and, for order 0, the
 * same pair straight from the buddy allocator with the lists bypassed;
 * pairs that write the block's first and last word (the pair alone reuses
 * one hot block untouched); 1000 blocks held, then freed.
 */
#include <mk64/compiler.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <asm/page.h>
#include <mk64/mmzone.h>
#include <mk64/sprintf.h>

#define PAIRS 2000
#define BATCH 1000
#define ROUNDS 20

static struct page *held[BATCH];

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

static void bench_write(struct ktest *t, unsigned int order)
{
	struct ktest_bench b;
	char name[32];

	snprintf(name, sizeof(name), "page_order%u_write_pair", order);
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		unsigned long *w;

		if (!page)
			ktest_skip(t, "no free block of that order");
		w = page_address(page);
		WRITE_ONCE(w[0], i);
		WRITE_ONCE(w[(PAGE_SIZE << order) / sizeof(*w) - 1], i);
		__free_pages(page, order);
	}
	ktest_bench_end(&b, name, PAIRS);
}

static void bench_batch(struct ktest *t, unsigned int order)
{
	struct ktest_bench b;
	char name[32];

	snprintf(name, sizeof(name), "page_order%u_batch", order);
	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		for (int i = 0; i < BATCH; i++)
			if (!held[i]) {
				for (int j = 0; j < BATCH; j++)
					if (held[j])
						__free_pages(held[j], order);
				ktest_skip(t, "no free block of that order");
			}
		for (int i = 0; i < BATCH; i++)
			__free_pages(held[i], order);
	}
	ktest_bench_end(&b, name, (u64)ROUNDS * BATCH);
}

static void order0(struct ktest *t)
{
	bench_order(t, 0);
}

static void order0_write(struct ktest *t)
{
	bench_write(t, 0);
}

static void order3_write(struct ktest *t)
{
	bench_write(t, 3);
}

static void order0_batch(struct ktest *t)
{
	bench_batch(t, 0);
}

static void order3_batch(struct ktest *t)
{
	bench_batch(t, 3);
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
		  KTEST_CASE(order3), KTEST_CASE(order9), KTEST_CASE(order0_write),
		  KTEST_CASE(order3_write), KTEST_CASE(order0_batch), KTEST_CASE(order3_batch));
