/*
 * kmalloc (mm/slab_common.c, mm/util.c) in the kernel: the classes each
 * size lands in (constant and variable sizes), alignment (natural for
 * powers of two, the writeback granule read here from CTR_EL0 for
 * GFP_DMA), the large path and its page counts, ZERO_SIZE_PTR, overflow,
 * krealloc and the copies, every kind of invalid kfree() reported and not
 * obeyed, and the fraction of each class's slabs that holds objects. The
 * framework's per-case check covers the kmalloc caches' objects and the
 * pages of large blocks.
 */
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/slub_def.h>
#include <mk64/spinlock.h>
#include <mk64/string.h>
#include "mm_helpers.h"

/* The classes in order, as the issue lists them: the model for every lookup. */
static const unsigned int classes[] = { 8,   16,  32,  64,   96,   128,  192,
					256, 512, 1024, 2048, 4096, 8192 };

/* The smallest class that holds size (1 <= size <= 8192), worked out from the list. */
static unsigned int model_class(size_t size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i])
			return classes[i];
	return 0;
}

static struct kmem_cache *cache_of(const void *p)
{
	struct page *page = compound_head(virt_to_page(p));

	return PageSlab(page) ? page->slab_cache : NULL;
}

static const char *const normal_names[] = { "kmalloc-8",   "kmalloc-16",  "kmalloc-32",
					    "kmalloc-64",  "kmalloc-96",  "kmalloc-128",
					    "kmalloc-192", "kmalloc-256", "kmalloc-512",
					    "kmalloc-1k",  "kmalloc-2k",  "kmalloc-4k",
					    "kmalloc-8k" };

static const char *class_name(unsigned int size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i] == size)
			return normal_names[i];
	return "?";
}

/* p came from the class the model gives for size, by name and size, and ksize() says so. */
static void check_class(struct ktest *t, void *p, size_t size)
{
	unsigned int want = model_class(size);
	struct kmem_cache *s;

	KTEST_ASSERT_TRUE(t, p != NULL && p != ZERO_SIZE_PTR);
	s = cache_of(p);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_EQ(t, s->object_size, want);
	KTEST_EXPECT_TRUE(t, !strcmp(s->name, class_name(want)));
	KTEST_EXPECT_EQ(t, ksize(p), (size_t)want);
	KTEST_EXPECT_EQ(t, kmalloc_size_roundup(size), (size_t)want);
	memset(p, 0xa5, want);
	kfree(p);
}

/* Keeps the compiler from seeing a constant: the variable-size path. */
static size_t opaque(size_t n)
{
	__asm__("" : "+r"(n));
	return n;
}

/*
 * Each class boundary: the first size of each class, size - 1, size and
 * size + 1 land in the model's class, through the table (__kmalloc) and
 * through compile-time constants; 8193 is a large block.
 */
static void class_boundaries(struct ktest *t)
{
	unsigned int prev = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		size_t sizes[] = { prev + 1, classes[i] - 1, classes[i], classes[i] + 1 };

		for (unsigned int j = 0; j < ARRAY_SIZE(sizes); j++) {
			if (!sizes[j] || sizes[j] > KMALLOC_MAX_CACHE_SIZE)
				continue;
			check_class(t, kmalloc(opaque(sizes[j]), GFP_KERNEL), sizes[j]);
		}
		prev = classes[i];
	}
#define CONST_CASE(n) check_class(t, kmalloc(n, GFP_KERNEL), n);
	CONST_CASE(1) CONST_CASE(7) CONST_CASE(8) CONST_CASE(9) CONST_CASE(15) CONST_CASE(16)
	CONST_CASE(17) CONST_CASE(24) CONST_CASE(32) CONST_CASE(33) CONST_CASE(63) CONST_CASE(64)
	CONST_CASE(65) CONST_CASE(95) CONST_CASE(96) CONST_CASE(97) CONST_CASE(127)
	CONST_CASE(128) CONST_CASE(129) CONST_CASE(191) CONST_CASE(192) CONST_CASE(193)
	CONST_CASE(255) CONST_CASE(256) CONST_CASE(257) CONST_CASE(511) CONST_CASE(512)
	CONST_CASE(513) CONST_CASE(1023) CONST_CASE(1024) CONST_CASE(1025) CONST_CASE(2047)
	CONST_CASE(2048) CONST_CASE(2049) CONST_CASE(4095) CONST_CASE(4096) CONST_CASE(4097)
	CONST_CASE(8191) CONST_CASE(8192)
#undef CONST_CASE
	{
		void *a = kmalloc(8193, GFP_KERNEL), *b = kmalloc(opaque(8193), GFP_KERNEL);

		KTEST_ASSERT_TRUE(t, a && b);
		KTEST_EXPECT_TRUE(t, cache_of(a) == NULL && cache_of(b) == NULL);
		KTEST_EXPECT_EQ(t, ksize(a), (size_t)16384);
		KTEST_EXPECT_EQ(t, ksize(b), (size_t)16384);
		KTEST_EXPECT_EQ(t, kmalloc_size_roundup(8193), (size_t)16384);
		kfree(a);
		kfree(b);
	}
}

/*
 * The probes tests/configs.cfg's kmalloc-const check disassembles: each
 * must be a direct allocation from its cache (scripts/check-kmalloc-const.py
 * names the cache each one must load). Here: what they return.
 */
__noinline void *kmalloc_const_probe_64(void)
{
	return kmalloc(64, GFP_KERNEL);
}

__noinline void *kmalloc_const_probe_100(void)
{
	return kmalloc(100, GFP_KERNEL);
}

__noinline void *kmalloc_const_probe_dma_192(void)
{
	return kmalloc(150, GFP_DMA | GFP_KERNEL);
}

__noinline void *kmalloc_const_probe_large(void)
{
	return kmalloc(20000, GFP_KERNEL);
}

__noinline void *kmalloc_const_probe_zero(void)
{
	return kmalloc(0, GFP_KERNEL);
}

static void constant_probes(struct ktest *t)
{
	void *a = kmalloc_const_probe_64(), *b = kmalloc_const_probe_100();
	void *c = kmalloc_const_probe_dma_192(), *d = kmalloc_const_probe_large();

	KTEST_ASSERT_TRUE(t, a && b && c && d);
	KTEST_EXPECT_TRUE(t, cache_of(a) == kmalloc_caches[KMALLOC_NORMAL][6]);
	KTEST_EXPECT_TRUE(t, cache_of(b) == kmalloc_caches[KMALLOC_NORMAL][7]);
	KTEST_EXPECT_TRUE(t, cache_of(c) == kmalloc_caches[KMALLOC_DMA][2]);
	KTEST_EXPECT_TRUE(t, !strcmp(cache_of(c)->name, "dma-kmalloc-192"));
	KTEST_EXPECT_TRUE(t, cache_of(d) == NULL);
	KTEST_EXPECT_EQ(t, ksize(d), (size_t)32768);
	KTEST_EXPECT_TRUE(t, kmalloc_const_probe_zero() == ZERO_SIZE_PTR);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
}

/* CTR_EL0.CWG: log2 of the writeback granule in words; 0 means "not said": 2 KiB max, Linux assumes 128. */
static unsigned int cwg_bytes(void)
{
	unsigned long ctr;

	__asm__("mrs %0, ctr_el0" : "=r"(ctr));
	ctr = (ctr >> 24) & 0xf;
	return ctr ? 4u << ctr : 128u;
}

#define ALIGN_OBJS 40

/*
 * Power-of-two classes hand out naturally aligned objects; 96 and 192 are
 * 8-aligned. A debug cache (slub_debug) aligns to at most a page, as any
 * cache here: its objects come after a left red zone, not at the slab's
 * start, so an 8 KiB one is 4 KiB-aligned. GFP_DMA objects come from ZONE_DMA, start on a writeback
 * granule and own whole granules (the cache's step is a multiple of it).
 */
static void alignment(struct ktest *t)
{
	static void *p[ALIGN_OBJS];
	unsigned int cwg = cwg_bytes();

	need_nodes(t);
	ktest_info(t, "writeback granule %u bytes", cwg);
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		unsigned int size = classes[i], natural = size & (size - 1) ? 8 : size;
		unsigned int misaligned = 0, dma_misaligned = 0, not_dma = 0;

		if (kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)]->flags & SLAB_DEBUG_FLAGS)
			natural = min(natural, (unsigned int)PAGE_SIZE);

		for (unsigned int j = 0; j < ALIGN_OBJS; j++) {
			p[j] = kmalloc(opaque(size), GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, p[j] != NULL);
			misaligned += (unsigned long)p[j] % natural != 0;
		}
		for (unsigned int j = 0; j < ALIGN_OBJS; j++)
			kfree(p[j]);
		for (unsigned int j = 0; j < ALIGN_OBJS; j++) {
			struct kmem_cache *s;

			p[j] = kmalloc(opaque(size), GFP_KERNEL | GFP_DMA);
			KTEST_ASSERT_TRUE(t, p[j] != NULL);
			s = cache_of(p[j]);
			KTEST_ASSERT_TRUE(t, s != NULL);
			dma_misaligned += (unsigned long)p[j] % max(natural, cwg) != 0 || s->size % cwg;
			not_dma += page_zonenum(virt_to_page(p[j])) != ZONE_DMA;
			KTEST_EXPECT_EQ(t, ksize(p[j]), (size_t)size);
		}
		for (unsigned int j = 0; j < ALIGN_OBJS; j++)
			kfree(p[j]);
		KTEST_EXPECT_EQ(t, misaligned, 0u);
		KTEST_EXPECT_EQ(t, dma_misaligned, 0u);
		KTEST_EXPECT_EQ(t, not_dma, 0u);
	}
}

/* Free pages everywhere once the per-CPU lists are back in the buddy allocator. */
static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * Above 8 KiB: a compound block of the order that holds the size (8193
 * and 16 KiB: order 2; 16 KiB + 1: order 3; 100 000 bytes: order 5),
 * zeroed with __GFP_ZERO, given back whole by kfree().
 */
static void large_blocks(struct ktest *t)
{
	static const struct {
		size_t size;
		unsigned int order;
	} c[] = { { 8193, 2 }, { 16384, 2 }, { 16385, 3 }, { 100000, 5 } };

	need_nodes(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		unsigned long before = free_pages_now(), nonzero = 0;
		struct page *page;
		u8 *p = kmalloc(opaque(c[i].size), GFP_KERNEL | __GFP_ZERO);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, before - free_pages_now(), 1UL << c[i].order);
		page = virt_to_page(p);
		KTEST_EXPECT_TRUE(t, PageHead(page) && !PageSlab(page));
		KTEST_EXPECT_EQ(t, compound_order(page), c[i].order);
		KTEST_EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, 0UL);
		KTEST_EXPECT_EQ(t, ksize(p), PAGE_SIZE << c[i].order);
		for (size_t b = 0; b < c[i].size; b++)
			nonzero += p[b] != 0;
		KTEST_EXPECT_EQ(t, nonzero, 0UL);
		memset(p, 0x77, c[i].size);
		kfree(p);
		KTEST_EXPECT_EQ(t, free_pages_now(), before);
	}
}

/*
 * More than the largest buddy block (4 MiB): NULL and a warning naming
 * the caller; silent with __GFP_NOWARN; SIZE_MAX too. Nothing taken.
 */
static void beyond_largest_block(struct ktest *t)
{
	size_t too_big = (PAGE_SIZE << MAX_PAGE_ORDER) + 1;

	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(opaque(too_big), GFP_KERNEL) == NULL);
	KTEST_EXPECT_REPORT(t, "kmalloc: 4194305 bytes is more than the largest block (4194304 bytes)");
	KTEST_EXPECT_REPORT(t, "caller: beyond_largest_block");
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmalloc(opaque(too_big), GFP_KERNEL | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc((size_t)-1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc_node(opaque(too_big), GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	KTEST_EXPECT_FALSE(t, ktest_log_has("kmalloc:"));
	KTEST_EXPECT_EQ(t, kmalloc_size_roundup((size_t)-1), (size_t)-1);
}

/* kmalloc(0) is ZERO_SIZE_PTR, (void *)16; kfree() of it and of NULL do nothing. */
static void zero_size(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (unsigned long)ZERO_SIZE_PTR, 16UL);
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kmalloc(opaque(0), GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kzalloc(opaque(0), GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kcalloc(opaque(0), 8, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, ksize(ZERO_SIZE_PTR), (size_t)0);
	KTEST_EXPECT_EQ(t, ksize(NULL), (size_t)0);
	KTEST_EXPECT_EQ(t, kmalloc_size_roundup(0), (size_t)0);
	ktest_log_mark();
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	KTEST_EXPECT_FALSE(t, ktest_log_has("kfree"));
}

/* kcalloc()/kmalloc_array(): NULL when n * size overflows; zeroed memory otherwise. */
static void array_overflow(struct ktest *t)
{
	size_t half = ((size_t)-1 >> 1) + 1;
	unsigned int nonzero = 0;
	u8 *p;

	KTEST_EXPECT_TRUE(t, kcalloc(opaque(half), 2, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kmalloc_array(opaque(1UL << 32), 1UL << 32, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kcalloc(opaque((size_t)-1), (size_t)-1, GFP_KERNEL) == NULL);
	p = kmalloc(opaque(80), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xff, 80);
	kfree(p);
	/* The same object again (the head of the CPU's list), zeroed. */
	p = kcalloc(opaque(10), 8, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, !strcmp(cache_of(p)->name, "kmalloc-96"));
	for (unsigned int i = 0; i < 80; i++)
		nonzero += p[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0u);
	kfree(p);
	p = kmalloc_array(opaque(3), 100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, ksize(p), (size_t)512);
	kfree(p);
}

static unsigned int pattern_errors(const u8 *p, size_t n, u8 seed)
{
	unsigned int bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += p[i] != (u8)(seed + i);
	return bad;
}

static void fill_pattern(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i);
}

/*
 * krealloc(): the same object while the new size fits ksize(), a new one
 * with the contents copied when it grows (into a large block too), the
 * same again when shrinking; NULL p allocates; size 0 frees and returns
 * ZERO_SIZE_PTR.
 */
static void krealloc_semantics(struct ktest *t)
{
	struct kmem_cache *s64 = kmalloc_caches[KMALLOC_NORMAL][6];
	long in_use;
	u8 *p, *q;

	p = kmalloc(opaque(50), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	fill_pattern(p, 50, 3);
	KTEST_EXPECT_TRUE(t, krealloc(p, 64, GFP_KERNEL) == p);
	KTEST_EXPECT_TRUE(t, krealloc(p, 10, GFP_KERNEL) == p);
	in_use = slab_objects_in_use(s64);
	q = krealloc(p, 100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q != NULL);
	KTEST_EXPECT_TRUE(t, q != p);
	KTEST_EXPECT_EQ(t, ksize(q), (size_t)128);
	KTEST_EXPECT_EQ(t, pattern_errors(q, 50, 3), 0u);
	/* The old object went back. */
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s64), in_use - 1);
	fill_pattern(q, 128, 9);
	p = krealloc(q, 20000, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, ksize(p), (size_t)32768);
	KTEST_EXPECT_EQ(t, pattern_errors(p, 128, 9), 0u);
	KTEST_EXPECT_TRUE(t, krealloc(p, 100, GFP_KERNEL) == p);
	q = krealloc(p, 0, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == ZERO_SIZE_PTR);
	p = krealloc(NULL, 30, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, ksize(p), (size_t)32);
	q = krealloc(ZERO_SIZE_PTR, 30, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q != NULL && q != ZERO_SIZE_PTR);
	in_use = slab_objects_in_use(kmalloc_caches[KMALLOC_NORMAL][5]);
	KTEST_EXPECT_TRUE(t, krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(kmalloc_caches[KMALLOC_NORMAL][5]), in_use - 1);
	kfree(q);
}

/* kstrdup(), kstrndup(), kmemdup(): exact copies in kmalloc memory of the right class. */
static void copies(struct ktest *t)
{
	static const u8 bytes[300] = { [0] = 1, [150] = 2, [299] = 3 };
	char *s;
	u8 *m;

	s = kstrdup("hello, kmalloc", GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_TRUE(t, !strcmp(s, "hello, kmalloc"));
	KTEST_EXPECT_EQ(t, ksize(s), (size_t)16);
	kfree(s);
	s = kstrndup("hello, kmalloc", 5, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_TRUE(t, !strcmp(s, "hello"));
	KTEST_EXPECT_EQ(t, ksize(s), (size_t)8);
	kfree(s);
	s = kstrndup("hi", 100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_TRUE(t, !strcmp(s, "hi"));
	kfree(s);
	KTEST_EXPECT_TRUE(t, kstrdup(NULL, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kstrndup(NULL, 4, GFP_KERNEL) == NULL);
	m = kmemdup(bytes, sizeof(bytes), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, m != NULL);
	KTEST_EXPECT_EQ(t, memcmp(m, bytes, sizeof(bytes)), 0);
	KTEST_EXPECT_EQ(t, ksize(m), (size_t)512);
	kfree(m);
}

/*
 * kmalloc_node() on each node with lowmem: the object's slab, or the
 * large block, is on that node (constant and variable sizes).
 */
static void node_placement(struct ktest *t)
{
	unsigned int nodes = 0, wrong = 0;
	int nid;

	need_nodes(t);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		bool lowmem = false;
		void *p[4];

		for (int z = 0; z < pgdat->nr_zones; z++)
			lowmem |= z <= ZONE_NORMAL && pgdat->node_zones[z].managed_pages;
		if (!lowmem)
			continue;
		nodes++;
		p[0] = kmalloc_node(64, GFP_KERNEL, nid);
		p[1] = kmalloc_node(opaque(700), GFP_KERNEL, nid);
		p[2] = kmalloc_node(20000, GFP_KERNEL, nid);
		p[3] = kmalloc_node(opaque(9000), GFP_KERNEL, nid);
		for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
			KTEST_ASSERT_TRUE(t, p[i] != NULL);
			wrong += page_to_nid(virt_to_page(p[i])) != nid;
			kfree(p[i]);
		}
	}
	ktest_info(t, "%u nodes", nodes);
	KTEST_EXPECT_GE(t, nodes, 1u);
	KTEST_EXPECT_EQ(t, wrong, 0u);
}

/* GFP_ATOMIC with interrupts masked works without reclaim; __GFP_ZERO zeroes. */
static void gfp_flags(struct ktest *t)
{
	unsigned long flags;
	unsigned int nonzero = 0;
	u8 *p;

	local_irq_save(flags);
	p = kmalloc(opaque(200), GFP_ATOMIC);
	local_irq_restore(flags);
	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xee, 256);
	kfree(p);
	p = kmalloc(opaque(200), GFP_KERNEL | __GFP_ZERO);
	KTEST_ASSERT_TRUE(t, p != NULL);
	for (unsigned int i = 0; i < 256; i++)
		nonzero += p[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0u);
	kfree(p);
}

/* Whether every byte of p[0..n) is c. */
static bool all_bytes(const void *p, size_t n, u8 c)
{
	for (size_t i = 0; i < n; i++)
		if (((const u8 *)p)[i] != c)
			return false;
	return true;
}

static u64 not_heap[4];

/*
 * kfree() of what kmalloc() did not hand out: a stack address, a pointer
 * into an object, the tail of a large block, an object of another cache,
 * a page from the page allocator, a free page, an address in the kernel
 * image, one in the linear map with no RAM behind it and three outside it. Each is reported
 * (headline, what it is, the caller) and not obeyed: the memory is
 * unchanged and still in use, and the kernel goes on.
 */
static void invalid_kfree(struct ktest *t)
{
	struct kmem_cache *s64 = kmalloc_caches[KMALLOC_NORMAL][6];
	struct kmem_cache *other = kmem_cache_create("test_not_kmalloc", 64, 0, 0, NULL);
	u64 on_stack[4] = { 1, 2, 3, 4 };
	struct page *page, *freed;
	u8 *obj, *large, *foreign;
	unsigned long before;
	long in_use;

	need_nodes(t);
	KTEST_ASSERT_TRUE(t, other != NULL);
	obj = kmalloc(opaque(64), GFP_KERNEL);
	large = kmalloc(opaque(20000), GFP_KERNEL);
	foreign = kmem_cache_alloc(other, GFP_KERNEL);
	page = alloc_page(GFP_KERNEL);
	freed = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, obj && large && foreign && page && freed);
	__free_page(freed);
	memset(obj, 0x11, 64);
	memset(large, 0x22, 20000);
	memset(foreign, 0x33, 64);
	memset(page_address(page), 0x44, PAGE_SIZE);
	in_use = slab_objects_in_use(s64);
	before = free_pages_now();

	ktest_log_mark();
	kfree(on_stack + 1);
	KTEST_EXPECT_REPORT(t, "kfree: ");
	KTEST_EXPECT_REPORT(t, "is not a kmalloc object; not freed");
	KTEST_EXPECT_REPORT(t, "on a kernel stack");
	KTEST_EXPECT_REPORT(t, "caller: invalid_kfree+");
	KTEST_EXPECT_EQ(t, on_stack[1], (u64)2);

	ktest_log_mark();
	kfree(obj + 24);
	KTEST_EXPECT_REPORT(t, "is not a kmalloc object; not freed");
	KTEST_EXPECT_REPORT(t, "24 bytes into the kmalloc-64 object at");
	ktest_log_mark();
	kfree(large + PAGE_SIZE);
	KTEST_EXPECT_REPORT(t, "4096 bytes into the kmalloc_large block at");
	ktest_log_mark();
	kfree(foreign);
	KTEST_EXPECT_REPORT(t, "in a slab of cache test_not_kmalloc, not a kmalloc cache");
	ktest_log_mark();
	kfree(page_address(page));
	KTEST_EXPECT_REPORT(t, "in a page neither slab nor kmalloc_large (order 0)");
	ktest_log_mark();
	kfree(page_address(freed));
	KTEST_EXPECT_REPORT(t, "in a free page");
	ktest_log_mark();
	kfree(not_heap);
	KTEST_EXPECT_REPORT(t, "outside the linear map (in the kernel image)");
	ktest_log_mark();
	/* The linear map's last page: far above any RAM of these boards. */
	kfree((void *)(KIMAGE_VADDR - PAGE_SIZE));
	KTEST_EXPECT_REPORT(t, "in the linear map but not on RAM it maps");
	ktest_log_mark();
	kfree((void *)0x1000);
	KTEST_EXPECT_REPORT(t, "outside the linear map");
	/* Just below the linear map and in vmalloc space: __pa() wraps below RAM and far above it. */
	ktest_log_mark();
	kfree((void *)(PAGE_OFFSET - PAGE_SIZE));
	KTEST_EXPECT_REPORT(t, "outside the linear map");
	ktest_log_mark();
	kfree((void *)VMALLOC_START);
	KTEST_EXPECT_REPORT(t, "outside the linear map");
	ktest_log_mark();
	KTEST_EXPECT_EQ(t, ksize(obj + 8), (size_t)0);
	KTEST_EXPECT_REPORT(t, "ksize: ");

	/* Nothing was freed, nothing written. */
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s64), in_use);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(other), 1L);
	KTEST_EXPECT_EQ(t, free_pages_now(), before);
	KTEST_EXPECT_TRUE(t, all_bytes(obj, 64, 0x11));
	KTEST_EXPECT_TRUE(t, all_bytes(large, 20000, 0x22));
	KTEST_EXPECT_TRUE(t, all_bytes(foreign, 64, 0x33));
	KTEST_EXPECT_TRUE(t, all_bytes(page_address(page), PAGE_SIZE, 0x44));
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	/* And the real frees still work. */
	kfree(obj);
	kfree(large);
	kmem_cache_free(other, foreign);
	__free_page(page);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s64), in_use - 1);
	kmem_cache_destroy(other);
}

/*
 * kfree() into a slab this CPU does not allocate from, the first of its
 * partial list after the first such free (the path that reads no struct
 * page): a pointer inside an object and a second free of the same object
 * are reported there too, and not obeyed.
 */
static void invalid_kfree_partial(struct ktest *t)
{
	static void *held[64];
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][2];
	struct page *active, *slab;
	unsigned int n = 3 * s->objects, a = 0, b = 0;
	long in_use;

	KTEST_ASSERT_TRUE(t, n <= ARRAY_SIZE(held));
	for (unsigned int i = 0; i < n; i++) {
		held[i] = kmalloc(opaque(192), GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, held[i] != NULL);
	}
	active = compound_head(virt_to_page(held[n - 1]));
	/* Two objects of one full slab the CPU has moved past. */
	slab = compound_head(virt_to_page(held[s->objects]));
	KTEST_ASSERT_TRUE(t, slab != active);
	for (unsigned int i = 0; i < n; i++)
		if (compound_head(virt_to_page(held[i])) == slab && held[i] != held[s->objects])
			b = i;
	a = s->objects;
	KTEST_ASSERT_TRUE(t, b != 0);
	in_use = slab_objects_in_use(s);
	kfree(held[a]);
	memset(held[b], 0x5a, 192);
	ktest_log_mark();
	kfree((u8 *)held[b] + 8);
	KTEST_EXPECT_REPORT(t, "8 bytes into the kmalloc-192 object at");
	KTEST_EXPECT_TRUE(t, all_bytes(held[b], 192, 0x5a));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), in_use - 1);
	kfree(held[b]);
	ktest_log_mark();
	kfree(held[b]);
	/* A debug cache (slub_debug) reports it in its own words. */
	KTEST_EXPECT_REPORT(t, s->flags & SLAB_DEBUG_FLAGS ?
				       "BUG kmalloc-192 (Not tainted): Object already free\n" :
				       "slub: kmalloc-192: double free of object");
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), in_use - 2);
	for (unsigned int i = 0; i < n; i++)
		if (i != a && i != b)
			kfree(held[i]);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), in_use - (long)n);
}

/*
 * Linux's calculate_order() by hand for each class (8 objects wanted with
 * one CPU, at most 1/16 wasted): powers of two fill their slabs (8 KiB:
 * 4 to an order-3 slab), 96 and 192 leave 4096 % 96 = 4096 % 192 = 64
 * bytes of an order-0 slab: 4032 / 4096 = 98.4%. Goal: >= 95% each.
 */
static void memory_efficiency(struct ktest *t)
{
	static const struct {
		unsigned int size, order, objects;
	} want[] = {
		{ 8, 0, 512 },	{ 16, 0, 256 }, { 32, 0, 128 },	 { 64, 0, 64 },	  { 96, 0, 42 },
		{ 128, 0, 32 }, { 192, 0, 21 }, { 256, 0, 16 },	 { 512, 0, 8 },	  { 1024, 1, 8 },
		{ 2048, 2, 8 }, { 4096, 3, 8 }, { 8192, 3, 4 },
	};
	struct kmem_cache *c64 = kmem_cache_create("test_eff64", 64, 0, 0, NULL);

	KTEST_ASSERT_TRUE(t, c64 != NULL);
	if (c64->flags & SLAB_DEBUG_FLAGS) {
		kmem_cache_destroy(c64);
		ktest_skip(t, "the goal is for caches without debug (slub_debug)");
	}
	for (unsigned int i = 0; i <= ARRAY_SIZE(want); i++) {
		struct kmem_cache *s = i < ARRAY_SIZE(want) ? kmalloc_caches[KMALLOC_NORMAL][
			kmalloc_index(want[i].size)] : c64;
		unsigned int size = i < ARRAY_SIZE(want) ? want[i].size : 64;
		unsigned long slab = PAGE_SIZE << s->order, used = (unsigned long)s->objects * size;
		unsigned long permille = used * 1000 / slab;

		ktest_info(t, "%s: %u objects of %u bytes in %lu: %lu.%lu%%", s->name, s->objects,
			   size, slab, permille / 10, permille % 10);
		if (i < ARRAY_SIZE(want)) {
			KTEST_EXPECT_EQ(t, s->order, want[i].order);
			KTEST_EXPECT_EQ(t, s->objects, want[i].objects);
		}
		KTEST_EXPECT_EQ(t, s->size, size);
		KTEST_EXPECT_GE(t, permille, 950UL);
	}
	kmem_cache_destroy(c64);
}

KTEST_SUITE(kmalloc, KTEST_CASE(class_boundaries), KTEST_CASE(constant_probes),
	    KTEST_CASE(alignment), KTEST_CASE(large_blocks), KTEST_CASE(beyond_largest_block),
	    KTEST_CASE(zero_size), KTEST_CASE(array_overflow), KTEST_CASE(krealloc_semantics),
	    KTEST_CASE(copies), KTEST_CASE(node_placement), KTEST_CASE(gfp_flags), KTEST_CASE(invalid_kfree),
	    KTEST_CASE(invalid_kfree_partial),
	    KTEST_CASE(memory_efficiency));
