/*
 * SLUB figures for `make bench`, on a 64-byte cache with the hardened free
 * list (always on): alloc+free pairs (the fast paths), 1000 objects held
 * before they are freed (frees into slabs that are no longer the CPU's),
 * the same from new slabs every round (each round's slabs given back by
 * kmem_cache_shrink(): new slabs, their shuffled free lists), bulk
 * alloc+free of 16, and of 1000 (over many slabs), per object.
 */
#include <mk64/ktest.h>
#include <mk64/slab.h>

#define PAIRS 2000
#define BATCH 1000
#define ROUNDS 20
#define BULK 16

static void *held[BATCH];

static struct kmem_cache *bench_cache(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("bench64", 64, 0, 0, NULL);

	if (!s)
		ktest_skip(t, "no cache");
	return s;
}

static void kmem_cache64_pair(struct ktest *t)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_end(&b, "kmem_cache64_pair", PAIRS);
	kmem_cache_destroy(s);
}

static void kmem_cache64_batch(struct ktest *t)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kmem_cache_free(s, held[i]);
	}
	ktest_bench_end(&b, "kmem_cache64_batch", (u64)ROUNDS * BATCH);
	kmem_cache_destroy(s);
}

static void kmem_cache64_fresh(struct ktest *t)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kmem_cache_free(s, held[i]);
		kmem_cache_shrink(s);
	}
	ktest_bench_end(&b, "kmem_cache64_fresh", (u64)ROUNDS * BATCH);
	kmem_cache_destroy(s);
}

static void kmem_cache64_bulk16(struct ktest *t)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++) {
		if (!kmem_cache_alloc_bulk(s, GFP_KERNEL, BULK, held))
			ktest_skip(t, "no memory");
		kmem_cache_free_bulk(s, BULK, held);
	}
	ktest_bench_end(&b, "kmem_cache64_bulk16", (u64)PAIRS * BULK);
	kmem_cache_destroy(s);
}

static void kmem_cache64_bulk1000(struct ktest *t)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		if (!kmem_cache_alloc_bulk(s, GFP_KERNEL, BATCH, held))
			ktest_skip(t, "no memory");
		kmem_cache_free_bulk(s, BATCH, held);
	}
	ktest_bench_end(&b, "kmem_cache64_bulk1000", (u64)ROUNDS * BATCH);
	kmem_cache_destroy(s);
}

KTEST_BENCH_SUITE(bench_slub, KTEST_CASE(kmem_cache64_pair), KTEST_CASE(kmem_cache64_batch),
		  KTEST_CASE(kmem_cache64_fresh), KTEST_CASE(kmem_cache64_bulk16),
		  KTEST_CASE(kmem_cache64_bulk1000));
