/*
 * vmalloc figures for `make bench`: vmalloc+vfree pairs of 1, 4, 16 and
 * 256 pages, 1000 areas of 4 pages held before they are freed,
 * vmap+vunmap of 16 pages, ioremap+iounmap, a one-page pair
 * with 10, 1000 and 10000 areas already live (the free-range search and
 * the busy tree grow with them), and lib/test_vmalloc.c's scenarios per
 * loop (vmalloc_scenarios.c).
 */
#include <asm/io.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/vmalloc.h>
#include "vmalloc_scenarios.h"

#define PAIRS 1000
#define LIVE_MAX 10000
#define BATCH 1000
#define ROUNDS 20

static void *held_batch[BATCH];

/* One warm-up pair (tables, nodes), then n timed ones. */
static void pair_bench(struct ktest *t, const char *name, unsigned long size, unsigned int n)
{
	struct ktest_bench b;
	void *p = vmalloc(size);

	if (!p)
		ktest_skip(t, "no memory");
	vfree(p);
	ktest_bench_start(&b);
	for (unsigned int i = 0; i < n; i++)
		vfree(vmalloc(size));
	ktest_bench_end(&b, name, n);
}

static void vmalloc4k_pair(struct ktest *t)
{
	pair_bench(t, "vmalloc4k_pair", 4096, PAIRS);
}

static void vmalloc16k_pair(struct ktest *t)
{
	pair_bench(t, "vmalloc16k_pair", 16384, PAIRS);
}

static void vmalloc64k_pair(struct ktest *t)
{
	pair_bench(t, "vmalloc64k_pair", 16 * 4096, PAIRS);
}

static void vmalloc1m_pair(struct ktest *t)
{
	pair_bench(t, "vmalloc1m_pair", 256 * 4096, PAIRS / 10);
}

/* BATCH areas of 4 pages held, then freed, ROUNDS times; per area. */
static void vmalloc16k_batch(struct ktest *t)
{
	struct ktest_bench b;
	bool missing = false;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS && !missing; r++) {
		for (int i = 0; i < BATCH; i++)
			held_batch[i] = vmalloc(16384);
		for (int i = 0; i < BATCH; i++) {
			missing |= !held_batch[i];
			vfree(held_batch[i]);
		}
	}
	if (missing)
		ktest_skip(t, "no memory");
	ktest_bench_end(&b, "vmalloc16k_batch", (u64)ROUNDS * BATCH);
}

static void vmap16_pair(struct ktest *t)
{
	struct page *pages[16];
	struct ktest_bench b;

	for (int i = 0; i < 16; i++)
		if (!(pages[i] = alloc_page(GFP_KERNEL)))
			ktest_skip(t, "no memory");
	vunmap(vmap(pages, 16, 0, PAGE_KERNEL));
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++)
		vunmap(vmap(pages, 16, 0, PAGE_KERNEL));
	ktest_bench_end(&b, "vmap16_pair", PAIRS);
	for (int i = 0; i < 16; i++)
		__free_page(pages[i]);
}

/* Device registers with no RAM behind them: never accessed, only mapped. */
static void ioremap_pair(struct ktest *t)
{
	struct ktest_bench b;

	(void)t;
	iounmap(ioremap((phys_addr_t)1 << 40, 4096));
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++)
		iounmap(ioremap((phys_addr_t)1 << 40, 4096));
	ktest_bench_end(&b, "ioremap_pair", PAIRS);
}

static void live_bench(struct ktest *t, const char *name, unsigned int live)
{
	void **held = vzalloc(LIVE_MAX * sizeof(void *));
	struct ktest_bench b;
	unsigned int made = 0;

	if (!held)
		ktest_skip(t, "no memory");
	while (made < live && (held[made] = vmalloc(4096)))
		made++;
	if (made == live) {
		vfree(vmalloc(4096));
		ktest_bench_start(&b);
		for (int i = 0; i < PAIRS; i++)
			vfree(vmalloc(4096));
		ktest_bench_end(&b, name, PAIRS);
	}
	for (unsigned int i = 0; i < made; i++)
		vfree(held[i]);
	vfree(held);
	if (made < live)
		ktest_skip(t, "no memory");
}

static void vmalloc4k_live10(struct ktest *t)
{
	live_bench(t, "vmalloc4k_live10", 10);
}

static void vmalloc4k_live1000(struct ktest *t)
{
	live_bench(t, "vmalloc4k_live1000", 1000);
}

static void vmalloc4k_live10000(struct ktest *t)
{
	live_bench(t, "vmalloc4k_live10000", 10000);
}

/* A scenario's loops, its set-up (thousands of held areas) left out; per loop. */
#define SCENARIO_BENCH(fn, loops)                                               \
	static void fn##_bench(struct ktest *t)                                 \
	{                                                                       \
		u64 rng = 0x2545f4914f6cdd1dULL;                                \
		struct tv_timer tm = { .name = #fn };                           \
		const char *err = fn(loops, &rng, &tm);                         \
                                                                                \
		if (err)                                                        \
			ktest_fail(t, false, __FILE__, __LINE__, "%s", err);    \
	}

SCENARIO_BENCH(tv_fix_size, 1000)
SCENARIO_BENCH(tv_random_size, 200)
SCENARIO_BENCH(tv_fix_align, 1000)
SCENARIO_BENCH(tv_random_size_align, 500)
SCENARIO_BENCH(tv_full_fit, 1000)
SCENARIO_BENCH(tv_long_busy_list, 1000)
SCENARIO_BENCH(tv_align_shift, 10)

KTEST_BENCH_SUITE(bench_vmalloc, KTEST_CASE(vmalloc4k_pair), KTEST_CASE(vmalloc16k_pair),
		  KTEST_CASE(vmalloc64k_pair), KTEST_CASE(vmalloc1m_pair),
		  KTEST_CASE(vmalloc16k_batch), KTEST_CASE(vmap16_pair),
		  KTEST_CASE(ioremap_pair), KTEST_CASE(vmalloc4k_live10),
		  KTEST_CASE(vmalloc4k_live1000), KTEST_CASE(vmalloc4k_live10000),
		  KTEST_CASE(tv_fix_size_bench), KTEST_CASE(tv_random_size_bench),
		  KTEST_CASE(tv_fix_align_bench), KTEST_CASE(tv_random_size_align_bench),
		  KTEST_CASE(tv_full_fit_bench), KTEST_CASE(tv_long_busy_list_bench),
		  KTEST_CASE(tv_align_shift_bench));
