/*
 * kmap figures for `make bench`: kmap+kunmap and kmap_atomic+kunmap_atomic
 * pairs on a highmem page (make bench boots a highmem= machine for them)
 * and on a lowmem page, where both are page_address(). The kmap pair
 * reuses the page's mapping after the first round, as repeated kmaps of a
 * page do; the kmap_atomic pair maps and unmaps (one local TLBI) each time.
 */
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>

#define PAIRS 2000

static struct page *bench_page(struct ktest *t, bool high)
{
	struct page *page;

	if (high && !highmem_start)
		ktest_skip(t, "no highmem= on the command line");
	page = alloc_pages(high ? GFP_HIGHUSER : GFP_KERNEL, 0);
	if (!page)
		ktest_skip(t, "no free page");
	return page;
}

static void bench_kmap(struct ktest *t, bool high, const char *name)
{
	struct page *page = bench_page(t, high);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		void *va = kmap(page);

		*(volatile char *)va;
		kunmap(page);
	}
	ktest_bench_end(&b, name, PAIRS);
	kmap_flush_unused();
	__free_pages(page, 0);
}

static void bench_kmap_atomic(struct ktest *t, bool high, const char *name)
{
	struct page *page = bench_page(t, high);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		void *va = kmap_atomic(page);

		*(volatile char *)va;
		kunmap_atomic(va);
	}
	ktest_bench_end(&b, name, PAIRS);
	__free_pages(page, 0);
}

static void kmap_pair(struct ktest *t)
{
	bench_kmap(t, true, "kmap_pair");
}

static void kmap_atomic_pair(struct ktest *t)
{
	bench_kmap_atomic(t, true, "kmap_atomic_pair");
}

static void kmap_pair_lowmem(struct ktest *t)
{
	bench_kmap(t, false, "kmap_pair_lowmem");
}

static void kmap_atomic_pair_lowmem(struct ktest *t)
{
	bench_kmap_atomic(t, false, "kmap_atomic_pair_lowmem");
}

KTEST_BENCH_SUITE(bench_kmap, KTEST_CASE(kmap_pair), KTEST_CASE(kmap_atomic_pair),
		  KTEST_CASE(kmap_pair_lowmem), KTEST_CASE(kmap_atomic_pair_lowmem));
