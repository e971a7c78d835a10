/*
 * kmalloc figures for `make bench`: kmalloc+kfree pairs at constant sizes
 * (the cache chosen at compile time; 16 KiB is a large block from the
 * page allocator), and 1000 64-byte objects held before they are freed.
 */
#include <mk64/ktest.h>
#include <mk64/slab.h>

#define PAIRS 2000
#define LARGE_PAIRS 200
#define BATCH 1000
#define ROUNDS 20

static void *held[BATCH];

/* One warm-up pair, then n timed ones. */
#define KMALLOC_PAIR_BENCH(fn, size, n)                                         \
	static void fn(struct ktest *t)                                         \
	{                                                                       \
		struct ktest_bench b;                                           \
		void *p = kmalloc(size, GFP_KERNEL);                            \
                                                                                \
		if (!p)                                                         \
			ktest_skip(t, "no memory");                             \
		kfree(p);                                                       \
		ktest_bench_start(&b);                                          \
		for (int i = 0; i < (n); i++)                                   \
			kfree(kmalloc(size, GFP_KERNEL));                       \
		ktest_bench_end(&b, #fn, (n));                                  \
	}

KMALLOC_PAIR_BENCH(kmalloc8_pair, 8, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc64_pair, 64, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc256_pair, 256, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc1k_pair, 1024, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc4k_pair, 4096, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc8k_pair, 8192, PAIRS)
KMALLOC_PAIR_BENCH(kmalloc16k_pair, 16384, LARGE_PAIRS)

static void kmalloc64_batch(struct ktest *t)
{
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmalloc(64, GFP_KERNEL);
		if (!held[BATCH - 1])
			ktest_skip(t, "no memory");
		for (int i = 0; i < BATCH; i++)
			kfree(held[i]);
	}
	ktest_bench_end(&b, "kmalloc64_batch", (u64)ROUNDS * BATCH);
}

KTEST_BENCH_SUITE(bench_kmalloc, KTEST_CASE(kmalloc8_pair), KTEST_CASE(kmalloc64_pair),
		  KTEST_CASE(kmalloc256_pair), KTEST_CASE(kmalloc1k_pair),
		  KTEST_CASE(kmalloc4k_pair), KTEST_CASE(kmalloc8k_pair),
		  KTEST_CASE(kmalloc16k_pair), KTEST_CASE(kmalloc64_batch));
