/*
 * SLUB figures for `make bench`, on a 64-byte cache with the hardened free
 * list (always on): alloc+free pairs (the fast paths), 1000 objects held
 * before they are freed (frees into slabs that are no longer the CPU's),
 * the same from new slabs every round (each round's slabs given back by
 * kmem_cache_shrink(): new slabs, their shuffled free lists), bulk
 * alloc+free of 16, and of 1000 (over many slabs), per object; and the
 * pair on a debug cache (slub_debug's F Z P U as flags: its slow path,
 * checks, poisoning and tracks).
 */
#include <mk64/ktest.h>
#include <mk64/slab.h>

#define PAIRS 2000
#define BATCH 1000
#define ROUNDS 20
#define BULK 16

static void *held[BATCH];

static struct kmem_cache *make_cache(struct ktest *t, slab_flags_t flags)
{
	struct kmem_cache *s = kmem_cache_create("bench64", 64, 0, flags, NULL);

	if (!s)
		ktest_skip(t, "no cache");
	return s;
}

static struct kmem_cache *bench_cache(struct ktest *t)
{
	return make_cache(t, 0);
}

/* One warm-up pair, then PAIRS timed ones. */
static void pairs(struct ktest *t, const char *name, slab_flags_t flags)
{
	struct kmem_cache *s = make_cache(t, flags);
	struct ktest_bench b;

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_start(&b);
	for (int i = 0; i < PAIRS; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_end(&b, name, PAIRS);
	kmem_cache_destroy(s);
}

static void kmem_cache64_pair(struct ktest *t)
{
	pairs(t, "kmem_cache64_pair", 0);
}

static void kmem_cache64_pair_debug(struct ktest *t)
{
	pairs(t, "kmem_cache64_pair_debug",
	      SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER);
}

/* BATCH objects held, then freed, ROUNDS times; shrink: new slabs each round. */
static void held_rounds(struct ktest *t, const char *name, bool shrink)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	ktest_bench_start(&b);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kmem_cache_free(s, held[i]);
		if (shrink)
			kmem_cache_shrink(s);
	}
	ktest_bench_end(&b, name, (u64)ROUNDS * BATCH);
	kmem_cache_destroy(s);
}

static void kmem_cache64_batch(struct ktest *t)
{
	held_rounds(t, "kmem_cache64_batch", false);
}

static void kmem_cache64_fresh(struct ktest *t)
{
	held_rounds(t, "kmem_cache64_fresh", true);
}

/* Bulk alloc+free of count objects, rounds times, per object. */
static void bulk_rounds(struct ktest *t, const char *name, unsigned int count,
			unsigned int rounds)
{
	struct kmem_cache *s = bench_cache(t);
	struct ktest_bench b;

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	ktest_bench_start(&b);
	for (unsigned int r = 0; r < rounds; r++) {
		if (!kmem_cache_alloc_bulk(s, GFP_KERNEL, count, held))
			ktest_skip(t, "no memory");
		kmem_cache_free_bulk(s, count, held);
	}
	ktest_bench_end(&b, name, (u64)rounds * count);
	kmem_cache_destroy(s);
}

static void kmem_cache64_bulk16(struct ktest *t)
{
	bulk_rounds(t, "kmem_cache64_bulk16", BULK, PAIRS);
}

static void kmem_cache64_bulk1000(struct ktest *t)
{
	bulk_rounds(t, "kmem_cache64_bulk1000", BATCH, ROUNDS);
}

KTEST_BENCH_SUITE(bench_slub, KTEST_CASE(kmem_cache64_pair), KTEST_CASE(kmem_cache64_pair_debug),
		  KTEST_CASE(kmem_cache64_batch),
		  KTEST_CASE(kmem_cache64_fresh), KTEST_CASE(kmem_cache64_bulk16),
		  KTEST_CASE(kmem_cache64_bulk1000));
