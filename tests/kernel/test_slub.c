/*
 * SLUB (mm/slub.c) in the kernel: the layout Linux's formulas give (worked
 * out by hand below), alignment, constructors, zeroing, the bulk API,
 * node and zone placement, the hardened free list, shrinking, destroy,
 * and the shrinker under a low-memory GFP_KERNEL allocation. Each case
 * makes its own caches and destroys them; the framework's leak check
 * (pages and objects per cache) sees the rest.
 */
#include <libfdt.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/spinlock.h>
#include <mk64/slub_def.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "mm_helpers.h"

#define MAX_OBJS 600

static void *objs[MAX_OBJS];

static struct page *slab_of(const void *obj)
{
	return compound_head(virt_to_page(obj));
}

/* Free pages everywhere once the per-CPU lists are back in the buddy allocator. */
static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * Slab order and objects per slab for object sizes, from Linux's
 * calculate_order() by hand (8 objects wanted with one CPU, waste at most
 * 1/16, then 1/8, 1/4; 8 bytes of pointer after the object with a ctor):
 * 64: order 0, 64; 96: 4096 % 96 = 64 <= 256, 42; 192: 4096 % 192 = 64,
 * 21; 700: order 1 (8 * 700 > 4096), 8192 % 700 = 492 <= 512, 11; 2048:
 * order 2, 8; 3000: order 3 (24000 > 16384), 32768 % 3000 = 2768 > 2048
 * but <= 4096, 10; 8192: at most 4 fit order 3, so 4 wanted, order 3, 4.
 *
 * With slub_debug=FZPU (Linux's calculate_sizes()): the size rounded to
 * 8, a word more when that leaves no right red zone, then the free
 * pointer (8), two 24-byte tracks, a word of padding and the 8-byte left
 * red zone: size + 72 for a size already a multiple of 8 (64: 144), else
 * its round-up + 72 (1: 80). 64: 28 to an order-0 slab (4096 % 144 = 64);
 * 96: 176, 23 (48 left); 192: 272, 15 (16 left); 700: 776, order 1
 * (8 * 776 > 4096), 10 (432 <= 512); 2048: 2128, order 3 (8 * 2128 >
 * 16384), 15 (848 <= 2048); 3000: 3080, order 3, 10 (1968 <= 2048); 8192:
 * 8272, 3 fit order 3 (7952 left: 1/4 waste), 3; 1: 80, 51.
 */
static void layout_by_linux_formulas(struct ktest *t)
{
	static const struct layout {
		unsigned int size, order, objects, step;
	} plain[] = {
		{ 64, 0, 64, 64 },	{ 96, 0, 42, 96 },    { 192, 0, 21, 192 },
		{ 700, 1, 11, 704 },	{ 2048, 2, 8, 2048 }, { 3000, 3, 10, 3000 },
		{ 8192, 3, 4, 8192 },	{ 1, 0, 512, 8 },
	}, fzpu[ARRAY_SIZE(plain)] = {
		{ 64, 0, 28, 144 },	{ 96, 0, 23, 176 },    { 192, 0, 15, 272 },
		{ 700, 1, 10, 776 },	{ 2048, 3, 15, 2128 }, { 3000, 3, 10, 3080 },
		{ 8192, 3, 3, 8272 },	{ 1, 0, 51, 80 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(plain); i++) {
		struct kmem_cache *s = kmem_cache_create("test_layout", plain[i].size, 0, 0, NULL);
		const struct layout *want;

		KTEST_ASSERT_TRUE(t, s != NULL);
		want = slab_mode(t, s) == SLAB_FZPU ? &fzpu[i] : &plain[i];
		KTEST_EXPECT_EQ(t, s->order, want->order);
		KTEST_EXPECT_EQ(t, s->objects, want->objects);
		KTEST_EXPECT_EQ(t, s->size, want->step);
		kmem_cache_destroy(s);
	}
}

/*
 * Every object of two slabs' worth is aligned as asked (at least 8; with
 * SLAB_HWCACHE_ALIGN the 64-byte line, halved while the object fits in
 * half: 24 bytes get 32, 100 get 64) and owns its size: patterns written
 * into all of them read back intact.
 */
static void object_alignment(struct ktest *t)
{
	static const struct {
		unsigned int size, align;
		slab_flags_t flags;
		unsigned int want;
	} c[] = {
		{ 1, 0, 0, 8 },	     { 7, 0, 0, 8 },	    { 24, 16, 0, 16 },
		{ 100, 256, 0, 256 }, { 24, 0, SLAB_HWCACHE_ALIGN, 32 },
		{ 100, 0, SLAB_HWCACHE_ALIGN, 64 }, { 8, 0, SLAB_HWCACHE_ALIGN, 8 },
		{ 300, 128, SLAB_HWCACHE_ALIGN, 128 }, { 1000, 4096, 0, 4096 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		struct kmem_cache *s = kmem_cache_create("test_align", c[i].size, c[i].align,
							 c[i].flags, NULL);
		unsigned int n;

		KTEST_ASSERT_TRUE(t, s != NULL);
		n = min(2 * s->objects + 1, (unsigned int)MAX_OBJS);
		for (unsigned int j = 0; j < n; j++) {
			objs[j] = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, objs[j] != NULL);
			KTEST_EXPECT_EQ(t, (unsigned long)objs[j] % c[i].want, 0UL);
			memset(objs[j], (int)j, c[i].size);
		}
		for (unsigned int j = 0; j < n; j++) {
			unsigned int bad = 0;

			for (unsigned int b = 0; b < c[i].size; b++)
				bad += ((u8 *)objs[j])[b] != (u8)j;
			KTEST_EXPECT_EQ(t, bad, 0u);
			kmem_cache_free(s, objs[j]);
		}
		kmem_cache_destroy(s);
	}
}

static unsigned int ctor_calls;

static void test_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x5c, 200);
}

/*
 * The constructor runs on every object of a slab when the slab is made (a
 * 200-byte object with its pointer after it is a 208-byte step: 19 to an
 * order-0 slab; with slub_debug=FZPU a 280-byte one, 208 + 8 + 2 * 24 +
 * 8 + 8: 14), never on allocation; a freed object keeps its state (a
 * constructed one is never poisoned).
 */
static void ctor_once_per_object(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_ctor", 200, 0, 0, test_ctor);
	unsigned int bad = 0, n;
	u8 *a, *b;

	KTEST_ASSERT_TRUE(t, s != NULL);
	n = slab_mode(t, s) == SLAB_FZPU ? 14 : 19;
	ctor_calls = 0;
	for (unsigned int i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		for (unsigned int j = 0; j < 200; j++)
			bad += ((u8 *)objs[i])[j] != 0x5c;
	}
	KTEST_EXPECT_EQ(t, bad, 0u);
	KTEST_EXPECT_EQ(t, ctor_calls, n);
	kmem_cache_free(s, objs[3]);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, b == objs[3]);
	KTEST_EXPECT_EQ(t, ctor_calls, n);
	KTEST_EXPECT_EQ(t, b[0], 0x5c);
	KTEST_EXPECT_EQ(t, b[199], 0x5c);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, ctor_calls, 2 * n);
	kmem_cache_free(s, a);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
}

/* zalloc and __GFP_ZERO give a zeroed object even when it was dirty when freed. */
static void zalloc_zeroes(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_zero", 120, 0, 0, NULL);
	unsigned int nonzero = 0;
	u8 *a, *b;

	KTEST_ASSERT_TRUE(t, s != NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a != NULL);
	memset(a, 0xff, 120);
	kmem_cache_free(s, a);
	b = kmem_cache_zalloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, b == a);
	for (unsigned int i = 0; i < 120; i++)
		nonzero += b[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0u);
	memset(b, 0xff, 120);
	kmem_cache_free(s, b);
	b = kmem_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);
	KTEST_EXPECT_TRUE(t, b == a);
	for (unsigned int i = 0; i < 120; i++)
		nonzero += b[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0u);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

/*
 * Bulk: as many distinct objects of the cache as asked, over several
 * slabs, zeroed with __GFP_ZERO, all given back by the bulk free.
 */
static void bulk_api(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_bulk", 64, 0, 0, NULL);
	unsigned int dup = 0, foreign = 0, nonzero = 0;

	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, 300, objs), 300);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 300L);
	for (unsigned int i = 0; i < 300; i++) {
		struct page *page = slab_of(objs[i]);

		foreign += !PageSlab(page) || page->slab_cache != s;
		for (unsigned int j = 0; j < 64; j++)
			nonzero += ((u8 *)objs[i])[j] != 0;
		for (unsigned int j = 0; j < i; j++)
			dup += objs[j] == objs[i];
		memset(objs[i], 0xee, 64);
	}
	KTEST_EXPECT_EQ(t, dup, 0u);
	KTEST_EXPECT_EQ(t, foreign, 0u);
	KTEST_EXPECT_EQ(t, nonzero, 0u);
	kmem_cache_free_bulk(s, 300, objs);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_destroy(s);
}

/* Whether s's bulk frees use the CPU's array: not a debug cache's, nor with init_on_free. */
static bool uses_cpu_array(const struct kmem_cache *s)
{
	return !(s->flags & SLAB_DEBUG_FLAGS) && !s->init_on_free;
}

/* Objects in this CPU's array of s. */
static unsigned int array_objects(const struct kmem_cache *s)
{
	return this_cpu_ptr(s->cpu_slab)->avail;
}

/* How many of p[0..n) are also in q[0..m) (each p[i] counted once). */
static unsigned int common_objects(void *const *p, unsigned int n, void *const *q, unsigned int m)
{
	unsigned int found = 0;

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < m; j++)
			if (p[i] == q[j]) {
				found++;
				break;
			}
	return found;
}

/*
 * ktest_log_mark() after a line of its own: the same report twice in a
 * row ends the log with the same bytes, which the mark cannot tell apart.
 */
static void mark_step(unsigned int step)
{
	pr_info("# bulk double free, step %u\n", step);
	ktest_log_mark();
}

/* Pairs i < j of p[0..n) with p[i] == p[j]. */
static unsigned int duplicates(void *const *p, unsigned int n)
{
	unsigned int dup = 0;

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < i; j++)
			dup += p[i] == p[j];
	return dup;
}

/*
 * The CPU's array at its edges, on a cache whose frees are tested with
 * span_mask (64) and one tested by division (96): 16 frees of the active
 * slab fill it, the 17th moves those onto the list (LIFO: they come back
 * from it last first) and starts it again; a bulk allocation takes the
 * array's top first, then the list; odd counts; objects in use exact all
 * along. The model: a stack of what was freed. Plain caches only check
 * the array's count (debug and init_on_free caches never use it).
 */
static void bulk_array_edges(struct ktest *t)
{
	static const unsigned int sizes[] = { 64, 96 };

	for (unsigned int k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct kmem_cache *s = kmem_cache_create("test_bulk_array", sizes[k], 0, 0, NULL);
		void *got[17], *more[8];
		bool arr;

		KTEST_ASSERT_TRUE(t, s != NULL);
		arr = uses_cpu_array(s);
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, objs), 20);
		KTEST_EXPECT_EQ(t, duplicates(objs, 20), 0u);
		kmem_cache_free_bulk(s, 16, objs);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 4L);
		if (arr)
			KTEST_EXPECT_EQ(t, array_objects(s), 16u);
		kmem_cache_free_bulk(s, 1, objs + 16);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 3L);
		if (arr) {
			KTEST_EXPECT_EQ(t, array_objects(s), 1u);
			/* The top of the array, then the list's head: the 16 freed before, last first. */
			KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 17, got), 17);
			KTEST_EXPECT_TRUE(t, got[0] == objs[16]);
			for (unsigned int i = 1; i < 17; i++)
				KTEST_EXPECT_TRUE(t, got[i] == objs[16 - i]);
			KTEST_EXPECT_EQ(t, array_objects(s), 0u);
		} else {
			KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 17, got), 17);
			KTEST_EXPECT_EQ(t, common_objects(got, 17, objs, 17), 17u);
		}
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 20L);
		/* Odd counts: 7 in, 5 out (the top 5), 3 out (2 from the array, 1 from the list). */
		kmem_cache_free_bulk(s, 7, got);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 13L);
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 5, more), 5);
		if (arr) {
			KTEST_EXPECT_EQ(t, common_objects(more, 5, got + 2, 5), 5u);
			KTEST_EXPECT_EQ(t, array_objects(s), 2u);
		}
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, more + 5), 3);
		if (arr)
			KTEST_EXPECT_EQ(t, common_objects(more + 5, 3, got, 2), 2u);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 21L);
		/* None handed out twice, none still held handed out. */
		KTEST_EXPECT_EQ(t, duplicates(more, 8), 0u);
		KTEST_EXPECT_EQ(t, common_objects(more, 8, got + 7, 10), 0u);
		KTEST_EXPECT_EQ(t, common_objects(more, 8, objs + 17, 3), 0u);
		kmem_cache_free_bulk(s, 8, more);
		kmem_cache_free_bulk(s, 10, got + 7);
		kmem_cache_free_bulk(s, 3, objs + 17);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
		kmem_cache_destroy(s);
	}
}

/*
 * Objects of several slabs freed in bulk in an interleaved order: the
 * active slab's go into the array, the others' onto their slabs; every
 * count exact. Shrinking with objects in the array gives every slab back
 * (an object the array kept would keep its slab), and so does destroying
 * the cache with objects there (no report of objects in use).
 */
static void bulk_array_mixed_shrink_destroy(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_bulk_mix", 64, 0, 0, NULL);
	void *order[300];

	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, objs), 300);
	/* Every 7th (a stride prime to 300): slabs alternate within one call. */
	for (unsigned int i = 0; i < 300; i++)
		order[i] = objs[i * 7 % 300];
	kmem_cache_free_bulk(s, 150, order);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 150L);
	kmem_cache_free_bulk(s, 140, order + 150);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 10L);
	kmem_cache_free_bulk(s, 10, order + 290);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	/* Now some of the active slab's in the array, nothing in use. */
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 10, objs), 10);
	kmem_cache_free_bulk(s, 10, objs);
	if (uses_cpu_array(s))
		KTEST_EXPECT_TRUE(t, array_objects(s) != 0);
	kmem_cache_shrink(s);
	KTEST_EXPECT_EQ(t, array_objects(s), 0u);
	KTEST_EXPECT_EQ(t, slab_pages(s), 0UL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 10, objs), 10);
	kmem_cache_free_bulk(s, 10, objs);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_FALSE(t, ktest_log_has("still has objects"));
}

/*
 * A double free through the bulk API is caught as a free of the list's
 * head is: the object this CPU freed last into its active slab, freed
 * again, whichever of kmem_cache_free() and kmem_cache_free_bulk() each
 * free took, and twice in one bulk call (within a pair of the span_mask
 * test and across two pairs); each reported once and ignored, so no
 * object is handed out twice afterwards.
 */
static void bulk_double_free_caught(struct ktest *t)
{
	static const unsigned int sizes[] = { 64, 96 };

	for (unsigned int k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct kmem_cache *s = kmem_cache_create("test_bulk_dfree", sizes[k], 0, 0, NULL);
		const char *report;
		void *x[4], *again[4], *got[12];

		KTEST_ASSERT_TRUE(t, s != NULL);
		report = slab_mode(t, s) == SLAB_FZPU ?
				 "BUG test_bulk_dfree (Not tainted): Object already free\n" :
				 "slub: test_bulk_dfree: double free of object";
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, x), 3);
		again[0] = again[1] = x[1];
		mark_step(1);
		kmem_cache_free_bulk(s, 2, again);
		KTEST_EXPECT_REPORT(t, report);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
		mark_step(2);
		kmem_cache_free_bulk(s, 1, again);
		KTEST_EXPECT_REPORT(t, report);
		mark_step(3);
		kmem_cache_free(s, x[1]);
		KTEST_EXPECT_REPORT(t, report);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
		kmem_cache_free(s, x[0]);
		mark_step(4);
		kmem_cache_free_bulk(s, 1, x);
		KTEST_EXPECT_REPORT(t, report);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 1L);
		kmem_cache_free_bulk(s, 1, x + 2);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);

		/* Twice within a pair, then across two pairs. */
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, x), 3);
		again[0] = x[0], again[1] = x[1], again[2] = x[2], again[3] = x[2];
		mark_step(5);
		kmem_cache_free_bulk(s, 4, again);
		KTEST_EXPECT_REPORT(t, report);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, x), 3);
		again[0] = x[0], again[1] = x[1], again[2] = x[1], again[3] = x[2];
		mark_step(6);
		kmem_cache_free_bulk(s, 4, again);
		KTEST_EXPECT_REPORT(t, report);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);

		KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 12, got), 12);
		KTEST_EXPECT_EQ(t, duplicates(got, 12), 0u);
		kmem_cache_free_bulk(s, 12, got);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
		kmem_cache_destroy(s);
	}
}

/*
 * kmem_cache_alloc_node() on each node with memory: the object's slab is
 * there. The cache has a node structure for each online node, itself on
 * that node, and none for the other possible nodes.
 */
static void alloc_node_each_node(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_node", 256, 0, 0, NULL);
	unsigned int nodes = 0;
	int nid;

	need_nodes(t);
	KTEST_ASSERT_TRUE(t, s != NULL);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		KTEST_EXPECT_EQ(t, s->node[nid] != NULL, node_online(nid));
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		bool normal = false;

		for (int z = 0; z < pgdat->nr_zones; z++)
			normal |= z <= ZONE_NORMAL && pgdat->node_zones[z].managed_pages;
		if (!normal)
			continue;
		nodes++;
		KTEST_EXPECT_EQ(t, page_to_nid(slab_of(s->node[nid])), nid);
		for (unsigned int i = 0; i < 20; i++) {
			void *obj = kmem_cache_alloc_node(s, GFP_KERNEL, nid);

			KTEST_ASSERT_TRUE(t, obj != NULL);
			KTEST_EXPECT_EQ(t, page_to_nid(slab_of(obj)), nid);
			objs[i] = obj;
		}
		for (unsigned int i = 0; i < 20; i++)
			kmem_cache_free(s, objs[i]);
	}
	ktest_info(t, "%u nodes", nodes);
	KTEST_EXPECT_GE(t, nodes, 1u);
	kmem_cache_destroy(s);
}

/* SLAB_CACHE_DMA's slabs come from ZONE_DMA, SLAB_CACHE_DMA32's from DMA32 or DMA. */
static void dma_caches_zone(struct ktest *t)
{
	struct kmem_cache *dma = kmem_cache_create("test_dma", 128, 0, SLAB_CACHE_DMA, NULL);
	struct kmem_cache *dma32 = kmem_cache_create("test_dma32", 128, 0, SLAB_CACHE_DMA32, NULL);

	need_nodes(t);
	KTEST_ASSERT_TRUE(t, dma && dma32);
	for (unsigned int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(dma, GFP_KERNEL);
		objs[100 + i] = kmem_cache_alloc(dma32, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] && objs[100 + i]);
		KTEST_EXPECT_EQ(t, (int)page_zonenum(slab_of(objs[i])), (int)ZONE_DMA);
		KTEST_EXPECT_LE(t, (int)page_zonenum(slab_of(objs[100 + i])), (int)ZONE_DMA32);
	}
	for (unsigned int i = 0; i < 100; i++) {
		kmem_cache_free(dma, objs[i]);
		kmem_cache_free(dma32, objs[100 + i]);
	}
	kmem_cache_destroy(dma);
	kmem_cache_destroy(dma32);
}

/*
 * A second free in a row of the same object is reported and ignored: the
 * object is handed out once afterwards, not twice. The hardened free
 * list's report; a debug cache's is its own (slub_debug suite).
 */
static void double_free_caught(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_dfree", 64, 0, 0, NULL);
	void *a, *x, *y;

	KTEST_ASSERT_TRUE(t, s != NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a != NULL);
	kmem_cache_free(s, a);
	ktest_log_mark();
	kmem_cache_free(s, a);
	KTEST_EXPECT_REPORT(t, slab_mode(t, s) == SLAB_FZPU ?
				       "BUG test_dfree (Not tainted): Object already free\n" :
				       "slub: test_dfree: double free of object");
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	x = kmem_cache_alloc(s, GFP_KERNEL);
	y = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, x == a);
	KTEST_EXPECT_TRUE(t, y != a && y != NULL);
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);
	kmem_cache_destroy(s);
}

/*
 * An overwritten free pointer is reported before it is used, not followed:
 * the object after it in the list is never handed out, the allocations
 * that follow come from another slab, and destroying the cache frees the
 * damaged slab with it.
 */
static void corrupted_pointer_caught(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_corrupt", 64, 0, 0, NULL);
	void *a, *b, *c[8];
	unsigned int reused = 0, same_slab = 0;

	KTEST_ASSERT_TRUE(t, s != NULL);
	if (slab_mode(t, s) != SLAB_PLAIN) {
		kmem_cache_destroy(s);
		ktest_skip(t, "a debug cache's free list is checked by its own path (slub_debug suite)");
	}
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a && b);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	/* a heads the list and points at b: a use after free overwrites it. */
	*(unsigned long *)((char *)a + s->offset) ^= 0x1000;
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_KERNEL) == a);
	KTEST_EXPECT_FALSE(t, ktest_log_has("free list corrupted"));
	/* The bad pointer heads the list now: the next allocation reads it. */
	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		c[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, c[i] != NULL);
		reused += c[i] == b;
		same_slab += slab_of(c[i]) == slab_of(a);
	}
	KTEST_EXPECT_REPORT(t, "slub: test_corrupt: free list corrupted");
	KTEST_EXPECT_EQ(t, reused, 0u);
	KTEST_EXPECT_EQ(t, same_slab, 0u);
	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++)
		kmem_cache_free(s, c[i]);
	kmem_cache_free(s, a);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_REPORT(t, "kmem_cache_destroy test_corrupt: 1 slabs with dropped free lists");
}

/*
 * Shrink gives back every slab of a cache with no object in use, destroy
 * every slab of the cache: free page counts as before.
 */
static void shrink_and_destroy_return_pages(struct ktest *t)
{
	unsigned long before_create, before, during, pages, kept, kept100;
	struct kmem_cache *s;

	need_nodes(t);
	shrink_all_caches();
	before_create = free_pages_now();
	s = kmem_cache_create("test_shrink", 512, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	/*
	 * The figures below, or slub_debug=FZPU's: 592-byte steps, 13 to an
	 * order-1 slab (8192 % 592 = 496 <= 512), 31 slabs of 2 pages for
	 * 400; no CPU partial list, so as each slab empties it stays on the
	 * node while that has at most min_partial (ilog2(592) / 2 = 4, at
	 * least 5): 5 slabs, 10 pages, kept after the 100 as after the 400.
	 */
	if (slab_mode(t, s) == SLAB_FZPU) {
		pages = 62;
		kept = kept100 = 10;
	} else {
		pages = 50;
		kept = 21;
		kept100 = 13;
	}
	before = free_pages_now();
	for (unsigned int i = 0; i < 400; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
	}
	during = free_pages_now();
	/* 8 objects per order-0 slab: 50 slabs. */
	KTEST_EXPECT_EQ(t, before - during, pages);
	KTEST_EXPECT_EQ(t, slab_pages(s), pages);
	for (unsigned int i = 0; i < 400; i++)
		kmem_cache_free(s, objs[i]);
	/*
	 * Slabs 1-49 went onto the CPU's partial list (16 at most for order
	 * 0) as they were first freed into; the 17th and the 34th overflowed
	 * it, 17 empty slabs unfrozen each time: the node keeps min_partial
	 * (ilog2(512) / 2 = 4, at least 5) of the first 17, the rest went
	 * back. Left: 5 on the node, 15 on the CPU's list, its active slab.
	 */
	KTEST_EXPECT_EQ(t, slab_pages(s), kept);
	KTEST_EXPECT_EQ(t, free_pages_now(), before - kept);
	kmem_cache_shrink(s);
	KTEST_EXPECT_EQ(t, slab_pages(s), 0UL);
	KTEST_EXPECT_EQ(t, free_pages_now(), before);
	for (unsigned int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
	}
	for (unsigned int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	/* 13 slabs: 12 on the CPU's partial list, the active one. */
	KTEST_EXPECT_EQ(t, slab_pages(s), kept100);
	kmem_cache_destroy(s);
	/* The cache of caches gives back the slab the cache lived in. */
	shrink_all_caches();
	KTEST_EXPECT_EQ(t, free_pages_now(), before_create);
}

/*
 * A cache with objects in use is reported by destroy, naming it and the
 * count, and stays as it was: its objects intact, its pages kept, still
 * usable; once they are freed it can be destroyed.
 */
static void destroy_with_objects_reported(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_live", 96, 0, 0, NULL);
	unsigned long pages;
	unsigned int bad = 0;

	KTEST_ASSERT_TRUE(t, s != NULL);
	for (unsigned int i = 0; i < 3; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		memset(objs[i], 0x3c, 96);
	}
	pages = slab_pages(s);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_REPORT(t, "kmem_cache_destroy test_live: Slab cache still has objects (3 in use)");
	KTEST_EXPECT_EQ(t, slab_pages(s), pages);
	for (unsigned int i = 0; i < 3; i++)
		for (unsigned int j = 0; j < 96; j++)
			bad += ((u8 *)objs[i])[j] != 0x3c;
	KTEST_EXPECT_EQ(t, bad, 0u);
	objs[3] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, objs[3] != NULL);
	for (unsigned int i = 0; i < 4; i++)
		kmem_cache_free(s, objs[i]);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_FALSE(t, ktest_log_has("kmem_cache_destroy"));
}

/*
 * Zones at min: a GFP_KERNEL page allocation reclaims, and the SLUB
 * shrinker gives back the empty slabs a cache kept (min_partial of
 * them), so it succeeds.
 */
static void shrinker_frees_empty_slabs(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_shrinker", 2048, 0, 0, NULL);
	unsigned long kept;
	struct page *page;
	LIST_HEAD(taken);
	bool ready;

	need_nodes(t);
	KTEST_ASSERT_TRUE(t, s != NULL);
	for (unsigned int i = 0; i < 80; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
	}
	for (unsigned int i = 0; i < 80; i++)
		kmem_cache_free(s, objs[i]);
	kept = slab_pages(s);
	/* min_partial 5 empty order-2 slabs, and the CPU's active one. */
	KTEST_EXPECT_GE(t, kept, 20UL);
	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_MIN, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0) == NULL);
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page != NULL);
		KTEST_EXPECT_LT(t, slab_pages(s), kept);
		if (page)
			__free_pages(page, 0);
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
	kmem_cache_destroy(s);
}

/*
 * A new slab made in reclaim (PF_MEMALLOC) comes from the reserves when
 * the zones are down to min; outside reclaim the same request fails.
 */
static void reclaim_allocations_use_reserves(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_memalloc", 256, 0, 0, NULL);
	unsigned int noreclaim;
	LIST_HEAD(taken);
	void *obj = NULL;
	bool ready;

	need_nodes(t);
	KTEST_ASSERT_TRUE(t, s != NULL);
	ready = take_zones(numa_node_id(), ZONE_NORMAL, false, TAKE_TO_MIN, &taken);
	if (ready) {
		KTEST_EXPECT_TRUE(t, kmem_cache_alloc(s, GFP_NOWAIT | __GFP_NOWARN) == NULL);
		noreclaim = memalloc_noreclaim_save();
		obj = kmem_cache_alloc(s, GFP_NOWAIT | __GFP_NOWARN);
		memalloc_noreclaim_restore(noreclaim);
		KTEST_EXPECT_TRUE(t, obj != NULL);
	}
	if (obj)
		kmem_cache_free(s, obj);
	kmem_cache_shrink(s);
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
	kmem_cache_destroy(s);
}

/* Bad arguments are refused with a report, not a crash. */
static void create_refuses_bad_arguments(struct ktest *t)
{
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmem_cache_create("test_bad", 0, 0, 0, NULL) == NULL);
	KTEST_EXPECT_REPORT(t, "kmem_cache_create(test_bad) failed: object size out of range");
	KTEST_EXPECT_TRUE(t, kmem_cache_create("test_bad", 64, 24, 0, NULL) == NULL);
	KTEST_EXPECT_REPORT(t, "alignment not a power of two");
	KTEST_EXPECT_TRUE(t, kmem_cache_create("test_bad", 64, 0, 0x80000, NULL) == NULL);
	/* 0x80000 is Linux's SLAB_TYPESAFE_BY_RCU: there is no RCU here. */
	KTEST_EXPECT_REPORT(t, "unsupported flags");
}

static bool boot_param_on(const char *name)
{
	char val[8];

	return cmdline_get(boot_info.cmdline, name, val, sizeof(val)) && !strcmp(val, "1");
}

/*
 * Booted with init_on_alloc=1 init_on_free=1 (virt-init-on): a freed
 * object is zeroed but for its free pointer, and handed out again zeroed
 * without __GFP_ZERO; a cache with a constructor is left alone, as in
 * Linux.
 */
static void init_on_alloc_free(struct ktest *t)
{
	struct kmem_cache *s, *cs;
	unsigned int dirty = 0;
	u8 *a, *b;

	if (!boot_param_on("init_on_alloc") || !boot_param_on("init_on_free"))
		ktest_skip(t, "needs init_on_alloc=1 init_on_free=1");
	s = kmem_cache_create("test_init", 100, 0, 0, NULL);
	cs = kmem_cache_create("test_init_ctor", 200, 0, 0, test_ctor);
	KTEST_ASSERT_TRUE(t, s && cs);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a != NULL);
	memset(a, 0xab, 100);
	kmem_cache_free(s, a);
	for (unsigned int i = 0; i < 100; i++)
		if (i < s->offset || i >= s->offset + 8)
			dirty += a[i] != 0;
	KTEST_EXPECT_EQ(t, dirty, 0u);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, b == a);
	for (unsigned int i = 0; i < 100; i++)
		dirty += b[i] != 0;
	KTEST_EXPECT_EQ(t, dirty, 0u);
	kmem_cache_free(s, b);
	a = kmem_cache_alloc(cs, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, a[0], 0x5c);
	kmem_cache_free(cs, a);
	KTEST_EXPECT_EQ(t, a[199], 0x5c);
	kmem_cache_destroy(s);
	kmem_cache_destroy(cs);
}

/*
 * slabinfo's line for a 700-byte cache, worked out by hand: step 704
 * (700 rounded to the 8-byte pointer), order 1 (8 * 704 > 4096) with
 * 8192 / 704 = 11 objects (448 bytes of waste <= 8192 / 16): pagesperslab
 * 2. 30 objects fill ceil(30 / 11) = 3 slabs, num_objs 33. Freeing the
 * first 10 (all from the first slab, whose 11 objects a fresh cache hands
 * out first) empties no slab: 20 active, still 3 slabs. After freeing the
 * rest and shrinking: no slab. Linux's SLUB prints active_slabs = num_slabs.
 * With slub_debug=FZPU: objsize 776 (700 + 4 + 72), 10 to an order-1
 * slab (8192 % 776 = 432 <= 512), 30 objects fill 3 slabs exactly, the
 * first emptied by the 10 frees and kept (min_partial 5).
 */
static void slabinfo_counts(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_slabinfo", 700, 0, 0, NULL);
	static const char *const plain[3] = {
		"] test_slabinfo         30     33    704   11    2 : tunables    0    0    0 : slabdata      3      3      0\n",
		"] test_slabinfo         20     33    704   11    2 : tunables    0    0    0 : slabdata      3      3      0\n",
		"] test_slabinfo          0      0    704   11    2 : tunables    0    0    0 : slabdata      0      0      0\n",
	};
	static const char *const fzpu[3] = {
		"] test_slabinfo         30     30    776   10    2 : tunables    0    0    0 : slabdata      3      3      0\n",
		"] test_slabinfo         20     30    776   10    2 : tunables    0    0    0 : slabdata      3      3      0\n",
		"] test_slabinfo          0      0    776   10    2 : tunables    0    0    0 : slabdata      0      0      0\n",
	};
	const char *const *want;

	KTEST_ASSERT_TRUE(t, s != NULL);
	want = slab_mode(t, s) == SLAB_FZPU ? fzpu : plain;
	for (unsigned int i = 0; i < 30; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
	}
	/*
	 * One mark for the three prints: a mark is the log's last 48 bytes,
	 * and lines ending alike would make a second one ambiguous.
	 */
	ktest_log_mark();
	print_slabinfo("test_slabinfo");
	for (unsigned int i = 0; i < 10; i++)
		kmem_cache_free(s, objs[i]);
	print_slabinfo("test_slabinfo");
	for (unsigned int i = 10; i < 30; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	print_slabinfo("test_slabinfo");
	for (unsigned int i = 0; i < 3; i++)
		KTEST_EXPECT_REPORT(t, want[i]);
	kmem_cache_destroy(s);
	ktest_log_mark();
	print_slabinfo("test_slabinfo");
	KTEST_EXPECT_FALSE(t, ktest_log_has("test_slabinfo "));
}

/* Where text starts in the log's tail, or -1. */
static long log_find(const char *text)
{
	static char tail[4096];
	size_t len = printk_log_tail(tail, sizeof(tail)), n = strlen(text);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(tail + i, text, n))
			return (long)i;
	return -1;
}

/*
 * The two header lines exactly as Linux's /proc/slabinfo prints them, and
 * the caches newest first (Linux adds each new cache at the head of
 * slab_caches and lists from there): b, made second, before a. A 64-byte
 * cache: order 0, 4096 / 64 = 64 objects (slub_debug=FZPU: 144-byte
 * steps, 28); no slab yet.
 */
static void slabinfo_header_and_order(struct ktest *t)
{
	struct kmem_cache *a = kmem_cache_create("test_slabinfo_a", 64, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("test_slabinfo_b", 64, 0, 0, NULL);
	long header, line_a, line_b;
	bool fzpu;

	KTEST_ASSERT_TRUE(t, a && b);
	fzpu = slab_mode(t, a) == SLAB_FZPU;
	ktest_log_mark();
	print_slabinfo("test_slabinfo_");
	KTEST_EXPECT_REPORT(t, "] slabinfo - version: 2.1\n");
	KTEST_EXPECT_REPORT(t, "] # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	KTEST_EXPECT_FALSE(t, ktest_log_has("kmalloc-"));
	header = log_find("] # name ");
	line_b = log_find(fzpu ? "] test_slabinfo_b        0      0    144   28    1 : tunables    0    0    0 : slabdata      0      0      0\n" :
				 "] test_slabinfo_b        0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n");
	line_a = log_find(fzpu ? "] test_slabinfo_a        0      0    144   28    1 : tunables    0    0    0 : slabdata      0      0      0\n" :
				 "] test_slabinfo_a        0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n");
	KTEST_EXPECT_TRUE(t, header >= 0 && header < line_b && line_b < line_a);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
}

/*
 * The SLUB line's CPUs= is nr_cpu_ids, the possible CPUs: counted here
 * from the DT's /cpus by hand (cpu nodes not marked failed, at most
 * NR_CPUS; 1 without a DT or /cpus), as Linux's count for the same tree.
 */
static void summary_counts_possible_cpus(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	int cpus = fdt ? fdt_path_offset(fdt, "/cpus") : -1, node;
	unsigned int want = 0;

	if (cpus >= 0) {
		fdt_for_each_subnode(node, fdt, cpus) {
			const char *type = fdt_getprop(fdt, node, "device_type", NULL);
			const char *status = fdt_getprop(fdt, node, "status", NULL);

			if (type && !strcmp(type, "cpu") && !(status && !strncmp(status, "fail", 4)))
				want++;
		}
	}
	want = min(max(want, 1u), (unsigned int)NR_CPUS);
	ktest_info(t, "DT: %u CPUs; nr_cpu_ids %u", want, nr_cpu_ids);
	KTEST_EXPECT_EQ(t, nr_cpu_ids, want);
}

KTEST_SUITE(slub, KTEST_CASE(layout_by_linux_formulas), KTEST_CASE(object_alignment),
	    KTEST_CASE(summary_counts_possible_cpus),
	    KTEST_CASE(ctor_once_per_object), KTEST_CASE(zalloc_zeroes), KTEST_CASE(bulk_api),
	    KTEST_CASE(bulk_array_edges), KTEST_CASE(bulk_array_mixed_shrink_destroy),
	    KTEST_CASE(bulk_double_free_caught),
	    KTEST_CASE(alloc_node_each_node), KTEST_CASE(dma_caches_zone),
	    KTEST_CASE(double_free_caught), KTEST_CASE(corrupted_pointer_caught),
	    KTEST_CASE(shrink_and_destroy_return_pages), KTEST_CASE(destroy_with_objects_reported),
	    KTEST_CASE(shrinker_frees_empty_slabs), KTEST_CASE(reclaim_allocations_use_reserves),
	    KTEST_CASE(create_refuses_bad_arguments), KTEST_CASE(init_on_alloc_free),
	    KTEST_CASE(slabinfo_counts), KTEST_CASE(slabinfo_header_and_order));
