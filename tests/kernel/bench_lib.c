/*
 * Benchmarks of the boot-time building blocks (`make bench`): string
 * functions, page zeroing and copying, formatting and device-tree look-ups
 * on the live blob.
 */
#include <libfdt.h>
#include <asm/page.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mm_types.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

#define BENCH_OPS 2000

static u8 src[4096] __aligned(64), dst[4096] __aligned(64);

static void bench_memcpy(struct ktest *t)
{
	struct ktest_bench b;

	(void)t;
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS; i++)
		memcpy(dst, src, sizeof(dst));
	ktest_bench_end(&b, "memcpy_4k", BENCH_OPS);
}

static void bench_memset(struct ktest *t)
{
	struct ktest_bench b;

	(void)t;
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS; i++)
		memset(dst, i, sizeof(dst));
	ktest_bench_end(&b, "memset_4k", BENCH_OPS);
}

/* A page of the linear map, as the page allocator's callers zero and copy. */
static void bench_page_ops(struct ktest *t)
{
	struct ktest_bench b;
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	u8 *va;

	KTEST_ASSERT_TRUE(t, page != NULL);
	va = page_address(page);
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS; i++)
		clear_page(va);
	ktest_bench_end(&b, "clear_page", BENCH_OPS);
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS; i++)
		copy_page(va + PAGE_SIZE, va);
	ktest_bench_end(&b, "copy_page", BENCH_OPS);
	__free_pages(page, 1);
}

static void bench_snprintf(struct ktest *t)
{
	struct ktest_bench b;
	char buf[96];

	(void)t;
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS; i++)
		snprintf(buf, sizeof(buf), "[mem 0x%016llx-0x%016llx] %s %d",
			 (unsigned long long)i << 12, (unsigned long long)i << 20, "bank", i);
	ktest_bench_end(&b, "snprintf_mem_range", BENCH_OPS);
}

static void bench_dt_lookup(struct ktest *t)
{
	struct dt_range banks[DT_MAX_BANKS];
	struct ktest_bench b;
	const char *options;

	if (!boot_info.fdt)
		ktest_skip(t, "no device tree");
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS / 10; i++)
		dt_stdout_node(boot_info.fdt, &options);
	ktest_bench_end(&b, "dt_stdout_node", BENCH_OPS / 10);
	ktest_bench_start(&b);
	for (int i = 0; i < BENCH_OPS / 10; i++)
		dt_memory_banks(boot_info.fdt, banks, DT_MAX_BANKS);
	ktest_bench_end(&b, "dt_memory_banks", BENCH_OPS / 10);
}

KTEST_BENCH_SUITE(bench_lib, KTEST_CASE(bench_memcpy), KTEST_CASE(bench_memset),
		  KTEST_CASE(bench_page_ops), KTEST_CASE(bench_snprintf),
		  KTEST_CASE(bench_dt_lookup));
