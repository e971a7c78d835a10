/*
 * SLUB (mm/slub.c) on the host, over the buddy core: two nodes' zones of
 * real memory in fixture memory (tests/host/pages.c hands their pages to
 * the slab layer), under ASan and UBSan. A randomised model test drives
 * several caches with random sizes, alignments and constructors through
 * random allocations (some on a given node, some in bulk), frees in random
 * order from two simulated CPUs (the host's smp_processor_id() is
 * switched) and shrinks; every live object holds a pattern of its own,
 * checked before it is freed, and the model's count of live objects per
 * cache must be SLUB's. At the end every page is back in the buddy
 * allocator.
 */
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/sched.h>
#include <mk64/slub_def.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "../fixture.h"
#include "pages_host.h"

#define NODE0_PAGES 1024
#define NODE1_PAGES 512
#define SIM_PAGES (NODE0_PAGES + NODE1_PAGES)
#define START_PFN 0x40000UL	/* 1 GiB: aligned for every order */
#define MAX_LIVE 1500
#define NR_CACHES 4

static struct slub_state {
	pg_data_t pgdat[2];
	pg_data_t *saved_node_data[2];
	struct {
		void *obj;
		u8 cache;
		u8 fill;
	} live[MAX_LIVE];
	unsigned int nr_live;
	struct page memmap[SIM_PAGES] __aligned(64);
	u8 mem[SIM_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
} *fx;

static void fixture_init(void *mem)
{
	fx = mem;
}

static const struct test_fixture slub_fixture = { sizeof(*fx), fixture_init, NULL };

static struct zone *node_zone(int nid)
{
	return &fx->pgdat[nid].node_zones[ZONE_NORMAL];
}

static unsigned long zone_free_pages(void)
{
	return zone_page_state(node_zone(0), NR_FREE_PAGES) +
	       zone_page_state(node_zone(1), NR_FREE_PAGES);
}

/* What the simulated CPU 1 runs: reports name the running context. */
static struct task_struct cpu1_task = { .comm = "swapper/1" };

/*
 * Node 0: NODE0_PAGES from START_PFN, node 1 the next NODE1_PAGES; both
 * online. CPU 1 gets a context.
 */
static void setup(struct ktest *t)
{
	unsigned long start[2] = { START_PFN, START_PFN + NODE0_PAGES };
	unsigned long n[2] = { NODE0_PAGES, NODE1_PAGES };

	current_tasks[1] = &cpu1_task;
	host_pages_map(fx->memmap, fx->mem, START_PFN);
	for (int nid = 0; nid < 2; nid++) {
		struct page *memmap = fx->memmap + (start[nid] - START_PFN);

		fx->pgdat[nid].nr_zones = ZONE_NORMAL + 1;
		zone_init(node_zone(nid), "Normal", nid, ZONE_NORMAL, memmap, start[nid], n[nid]);
		memmap_init_range(memmap, n[nid], nid, ZONE_NORMAL);
		KTEST_ASSERT_EQ(t, __free_pages_memory(node_zone(nid), start[nid], start[nid] + n[nid]),
				(long)n[nid]);
		host_pages_set_zone(nid, node_zone(nid));
		fx->saved_node_data[nid] = node_data[nid];
		node_set_online(nid, &fx->pgdat[nid]);
	}
}

/* Every cache's empty slabs back (the cache of caches' too), then the zones as found. */
static void teardown(struct ktest *t)
{
	struct kmem_cache *s;

	for_each_slab_cache(s)
		kmem_cache_shrink(s);
	KTEST_EXPECT_EQ(t, zone_free_pages(), (unsigned long)SIM_PAGES);
	for (int nid = 0; nid < 2; nid++) {
		node_data[nid] = fx->saved_node_data[nid];
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone_table[nid << ZONES_SHIFT | z] = NULL;
	}
	host_pages_unmap();
	host_cpu = 0;
	current_tasks[1] = NULL;
}

static u64 rng_state;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)((rng_state >> 32) * n >> 32);
}

static struct page *slab_of(const void *obj)
{
	return compound_head(virt_to_page(obj));
}

static unsigned int ctor_runs;

static void ctor(void *obj)
{
	ctor_runs++;
	*(u32 *)obj = 0xc7c7c7c7;
}

struct cache_model {
	struct kmem_cache *s;
	unsigned int size, align;
	bool ctor;
	long live;
};

static struct cache_model caches[NR_CACHES];

/* The pattern of a live object: its fill byte, after a constructed first word. */
static bool object_intact(const struct cache_model *c, const u8 *obj, u8 fill)
{
	unsigned int from = c->ctor ? 4 : 0;

	for (unsigned int i = from; i < c->size; i++)
		if (obj[i] != fill)
			return false;
	return !c->ctor || *(const u32 *)obj == 0xc7c7c7c7;
}

/* A new object: aligned, in a slab of its cache, no live object's, then filled. */
static bool take_object(struct ktest *t, unsigned int ci, void *obj)
{
	struct cache_model *c = &caches[ci];
	struct page *page;
	u8 fill;

	if (!obj) {
		ktest_fail(t, false, __FILE__, __LINE__, "cache %u: allocation failed", ci);
		return false;
	}
	page = compound_head(virt_to_page(obj));
	if (!PageSlab(page) || page->slab_cache != c->s ||
	    (unsigned long)obj % (c->align ? c->align : 8)) {
		ktest_fail(t, false, __FILE__, __LINE__, "cache %u: bad object %p", ci, obj);
		return false;
	}
	for (unsigned int i = 0; i < fx->nr_live; i++)
		if (fx->live[i].obj == obj) {
			ktest_fail(t, false, __FILE__, __LINE__, "object %p handed out twice", obj);
			return false;
		}
	if (c->ctor && *(u32 *)obj != 0xc7c7c7c7) {
		ktest_fail(t, false, __FILE__, __LINE__, "constructed object %p not constructed", obj);
		return false;
	}
	fill = (u8)(rnd(255) + 1);
	memset((u8 *)obj + (c->ctor ? 4 : 0), fill, c->size - (c->ctor ? 4 : 0));
	fx->live[fx->nr_live].obj = obj;
	fx->live[fx->nr_live].cache = (u8)ci;
	fx->live[fx->nr_live++].fill = fill;
	c->live++;
	return true;
}

/* Checks and frees live object i (the last one moves into its place). */
static void drop_object(struct ktest *t, unsigned int i)
{
	struct cache_model *c = &caches[fx->live[i].cache];
	void *obj = fx->live[i].obj;

	KTEST_EXPECT_TRUE(t, object_intact(c, obj, fx->live[i].fill));
	kmem_cache_free(c->s, obj);
	c->live--;
	fx->live[i] = fx->live[--fx->nr_live];
}

static void make_caches(struct ktest *t)
{
	static const unsigned int aligns[] = { 0, 8, 16, 64, 128 };

	for (unsigned int i = 0; i < NR_CACHES; i++) {
		struct cache_model *c = &caches[i];

		c->size = 8 + rnd(i == 3 ? 3000 : 400);
		c->align = aligns[rnd(ARRAY_SIZE(aligns))];
		c->ctor = rnd(3) == 0;
		c->live = 0;
		c->s = kmem_cache_create("host_model", c->size, c->align, 0, c->ctor ? ctor : NULL);
		KTEST_ASSERT_TRUE(t, c->s != NULL);
		ktest_info(t, "cache %u: size %u align %u ctor %d: order %u, %u objects of %u bytes",
			   i, c->size, c->align, c->ctor, c->s->order, c->s->objects, c->s->size);
	}
}

static void check_counts(struct ktest *t)
{
	for (unsigned int i = 0; i < NR_CACHES; i++)
		KTEST_EXPECT_EQ(t, slab_objects_in_use(caches[i].s), caches[i].live);
}

FIXTURE_CASE(random_model, slub_fixture)
{
	void *bulk[16];

	setup(t);
	rng_state = 0x9e3779b97f4a7c15ULL;
	make_caches(t);
	for (unsigned int op = 0; op < 30000 && !t->failures; op++) {
		unsigned int what = rnd(100), ci = rnd(NR_CACHES);

		host_cpu = rnd(4) == 0;	/* CPU 1 a quarter of the time */
		if (what < 35 && fx->nr_live < MAX_LIVE - 16) {
			int nid = rnd(4) == 0 ? (int)rnd(2) : NUMA_NO_NODE;
			void *obj = kmem_cache_alloc_node(caches[ci].s, GFP_KERNEL, nid);

			if (take_object(t, ci, obj) && nid != NUMA_NO_NODE)
				KTEST_EXPECT_EQ(t, page_to_nid(compound_head(virt_to_page(obj))), nid);
		} else if (what < 37 && fx->nr_live < MAX_LIVE - 16) {
			unsigned int n = 1 + rnd(16);

			KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(caches[ci].s, GFP_KERNEL, n, bulk),
					(int)n);
			for (unsigned int i = 0; i < n; i++)
				take_object(t, ci, bulk[i]);
		} else if (what < 98 && fx->nr_live) {
			drop_object(t, rnd(fx->nr_live));
		} else if (what < 99) {
			kmem_cache_shrink(caches[ci].s);
		} else {
			check_counts(t);
		}
	}
	check_counts(t);
	ktest_info(t, "%u objects live at the end, %lu pages free of %u", fx->nr_live,
		   zone_free_pages(), SIM_PAGES);
	while (fx->nr_live) {
		host_cpu = rnd(2);
		drop_object(t, rnd(fx->nr_live));
	}
	host_cpu = 0;
	check_counts(t);
	for (unsigned int i = 0; i < NR_CACHES; i++)
		kmem_cache_destroy(caches[i].s);
	teardown(t);
}

/* ---- kmalloc ------------------------------------------------------------------ */

#define KMALLOC_LIVE 600
#define LARGE_MAX (16 * PAGE_SIZE)
/* Usable bytes live at most: a quarter of the memory, so that any block still fits. */
#define KMALLOC_BUDGET (SIM_PAGES * PAGE_SIZE / 4)

/* kmalloc's classes by hand: Linux's kmalloc-N sizes. */
static const unsigned int kmalloc_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512,
					      1024, 2048, 4096, 8192 };

static struct {
	u8 *p;
	size_t usable;	/* the model's ksize() */
	u8 fill;
} klive[KMALLOC_LIVE];
static unsigned int nr_klive;
static size_t klive_bytes;

/* The model's ksize() for size: its class, or the power-of-two block of pages above 8 KiB. */
static size_t model_ksize(size_t size)
{
	size_t block = PAGE_SIZE;

	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++)
		if (size <= kmalloc_sizes[i])
			return kmalloc_sizes[i];
	while (block < size)
		block *= 2;
	return block;
}

/* A size to ask for: any class, its boundaries often, or a large block. */
static size_t random_size(void)
{
	unsigned int c = rnd(ARRAY_SIZE(kmalloc_sizes) + 2);
	size_t top, below;

	if (c >= ARRAY_SIZE(kmalloc_sizes))
		return 8193 + rnd(LARGE_MAX - 8192);
	top = kmalloc_sizes[c];
	below = c ? kmalloc_sizes[c - 1] : 0;
	switch (rnd(4)) {
	case 0:
		return top;
	case 1:
		return below + 1;
	default:
		return below + 1 + rnd((u32)(top - below));
	}
}

/* The class cache a kmalloc object of usable bytes lives in. */
static struct kmem_cache *class_cache(size_t usable)
{
	return usable > KMALLOC_MAX_CACHE_SIZE ? NULL : kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(usable)];
}

/* Objects of each class the model holds, then pages in use: every slab and large block. */
static void check_kmalloc_counts(struct ktest *t)
{
	unsigned long large_pages = 0, slab_total = 0;
	struct kmem_cache *s;

	for (unsigned int c = 0; c < ARRAY_SIZE(kmalloc_sizes); c++) {
		long want = 0;

		for (unsigned int i = 0; i < nr_klive; i++)
			want += klive[i].usable == kmalloc_sizes[c];
		KTEST_EXPECT_EQ(t, slab_objects_in_use(class_cache(kmalloc_sizes[c])), want);
	}
	for (unsigned int i = 0; i < nr_klive; i++)
		if (klive[i].usable > KMALLOC_MAX_CACHE_SIZE)
			large_pages += klive[i].usable / PAGE_SIZE;
	spin_lock(&slab_lock);
	for_each_slab_cache(s)
		slab_total += slab_pages(s);
	spin_unlock(&slab_lock);
	KTEST_EXPECT_EQ(t, SIM_PAGES - zone_free_pages(), slab_total + large_pages);
}

/* A new kmalloc object of usable bytes: its size, alignment and place, then filled. */
static void take_kmalloc(struct ktest *t, u8 *p, size_t usable, bool zeroed)
{
	size_t align = usable > KMALLOC_MAX_CACHE_SIZE ? PAGE_SIZE :
		       usable == 96 || usable == 192 ? 8 : min(usable, (size_t)PAGE_SIZE);
	struct page *page;

	KTEST_ASSERT_TRUE(t, p != NULL && !ZERO_OR_NULL_PTR(p));
	KTEST_EXPECT_EQ(t, ksize(p), usable);
	KTEST_EXPECT_EQ(t, (unsigned long)p % align, 0UL);
	page = compound_head(virt_to_page(p));
	if (usable <= KMALLOC_MAX_CACHE_SIZE)
		KTEST_EXPECT_TRUE(t, PageSlab(page) && page->slab_cache == class_cache(usable));
	else
		KTEST_EXPECT_TRUE(t, !PageSlab(page) && compound_order(page) ==
					     (unsigned int)__builtin_ctzl(usable / PAGE_SIZE));
	for (unsigned int i = 0; i < nr_klive; i++)
		if (p < klive[i].p + klive[i].usable && klive[i].p < p + usable)
			ktest_fail(t, false, __FILE__, __LINE__, "%p overlaps live %p", p, klive[i].p);
	if (zeroed)
		for (size_t i = 0; i < usable; i++)
			if (p[i]) {
				ktest_fail(t, false, __FILE__, __LINE__, "%p: byte %zu not zeroed", p, i);
				break;
			}
	klive[nr_klive].p = p;
	klive[nr_klive].usable = usable;
	klive[nr_klive].fill = (u8)(rnd(255) + 1);
	/* The whole usable size is the caller's, as ksize() promises. */
	memset(p, klive[nr_klive].fill, usable);
	klive_bytes += usable;
	nr_klive++;
}

static bool kmalloc_intact(unsigned int i, size_t n)
{
	for (size_t b = 0; b < n; b++)
		if (klive[i].p[b] != klive[i].fill)
			return false;
	return true;
}

/*
 * kmalloc on the host: random sizes over every class and large blocks
 * (boundaries often), kmalloc/kzalloc/kmalloc_node/krealloc, frees in
 * random order from two simulated CPUs, occasional shrinks. Each live
 * object's usable bytes hold its own pattern, checked before it is freed
 * or resized; ksize(), alignment, cache and block order are checked
 * against a model worked out by hand, and the pages in use must be the
 * slabs' plus the model's large blocks. Then every object is freed, the
 * classes destroyed and every page is back in the buddy allocator.
 */
FIXTURE_CASE(kmalloc_model, slub_fixture)
{
	unsigned int allocs = 0, large = 0, remote = 0, most = 0;

	setup(t);
	rng_state = 0x2545f4914f6cdd1dULL;
	create_kmalloc_caches();
	nr_klive = 0;
	klive_bytes = 0;
	for (unsigned int op = 0; op < 20000 && !t->failures; op++) {
		/* Filling up over the first half, emptying over the second. */
		unsigned int what = rnd(100), fill = op < 10000 ? 55 : 40;

		host_cpu = rnd(3) == 0;	/* CPU 1 a third of the time */
		most = max(most, nr_klive);
		size_t size = random_size();

		if (what < fill && nr_klive < KMALLOC_LIVE && klive_bytes + size <= KMALLOC_BUDGET) {
			bool zero = rnd(4) == 0;
			gfp_t gfp = GFP_KERNEL | (zero ? __GFP_ZERO : 0);
			void *p = rnd(4) ? kmalloc(size, gfp) : kmalloc_node(size, gfp, (int)rnd(2));

			take_kmalloc(t, p, model_ksize(size), zero);
			allocs++;
			large += size > KMALLOC_MAX_CACHE_SIZE;
		} else if (what < fill + 5 && nr_klive && klive_bytes + size <= KMALLOC_BUDGET) {
			unsigned int i = rnd(nr_klive);
			size_t keep = min(size, klive[i].usable);
			size_t usable = size <= klive[i].usable ? klive[i].usable : model_ksize(size);
			u8 *q;

			KTEST_EXPECT_TRUE(t, kmalloc_intact(i, klive[i].usable));
			q = krealloc(klive[i].p, size, GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, q != NULL);
			for (size_t b = 0; b < keep; b++)
				if (q[b] != klive[i].fill) {
					ktest_fail(t, false, __FILE__, __LINE__, "krealloc lost byte %zu", b);
					break;
				}
			/* Within ksize(): the object itself, else a new one of the size's class. */
			KTEST_EXPECT_TRUE(t, (q == klive[i].p) == (size <= klive[i].usable));
			klive_bytes -= klive[i].usable;
			klive[i] = klive[--nr_klive];
			take_kmalloc(t, q, usable, false);
		} else if (what < 97 && nr_klive) {
			unsigned int i = rnd(nr_klive);

			KTEST_EXPECT_TRUE(t, kmalloc_intact(i, klive[i].usable));
			kfree(klive[i].p);
			klive_bytes -= klive[i].usable;
			klive[i] = klive[--nr_klive];
			remote += host_cpu;
		} else if (what < 99) {
			kmem_cache_shrink(class_cache(kmalloc_sizes[rnd(ARRAY_SIZE(kmalloc_sizes))]));
		} else {
			check_kmalloc_counts(t);
		}
	}
	check_kmalloc_counts(t);
	ktest_info(t, "%u allocations (%u large), %u frees on CPU 1, at most %u live, %u at the end",
		   allocs, large, remote, most, nr_klive);
	while (nr_klive) {
		unsigned int i = rnd(nr_klive);

		host_cpu = rnd(2);
		KTEST_EXPECT_TRUE(t, kmalloc_intact(i, klive[i].usable));
		kfree(klive[i].p);
		klive_bytes -= klive[i].usable;
		klive[i] = klive[--nr_klive];
	}
	host_cpu = 0;
	check_kmalloc_counts(t);
	destroy_kmalloc_caches();
	teardown(t);
}

/*
 * Frees by another CPU into this CPU's active slab go to the slab's own
 * list; this CPU takes them back once its lockless list runs out, before
 * it takes a new slab. The other CPU's free into a full slab freezes it
 * onto that CPU's partial list (where a double free is caught too): this
 * CPU's next slab is a new one, and frees from both CPUs empty all three.
 */
FIXTURE_CASE(remote_frees, slub_fixture)
{
	struct kmem_cache *s;
	unsigned long pages;
	void *objs[128];
	unsigned int back = 0;

	setup(t);
	s = kmem_cache_create("host_remote", 256, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->objects, 16u);
	for (unsigned int i = 0; i < 16; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	pages = slab_pages(s);
	KTEST_EXPECT_EQ(t, pages, 1UL);
	host_cpu = 1;
	for (unsigned int i = 0; i < 8; i++)
		kmem_cache_free(s, objs[i]);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 8L);
	host_cpu = 0;
	for (unsigned int i = 0; i < 8; i++)
		objs[32 + i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (unsigned int i = 0; i < 8; i++) {
		for (unsigned int j = 0; j < 8; j++)
			back += objs[32 + i] == objs[j];
	}
	for (unsigned int i = 0; i < 8; i++)
		objs[i] = objs[32 + i];
	KTEST_EXPECT_EQ(t, back, 8u);
	KTEST_EXPECT_EQ(t, slab_pages(s), 1UL);
	/* A second slab; then CPU 1 frees into the first, now full and not CPU 0's. */
	objs[16] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, slab_pages(s), 2UL);
	host_cpu = 1;
	kmem_cache_free(s, objs[5]);
	KTEST_EXPECT_TRUE(t, per_cpu_ptr(s->cpu_slab, 1)->partial == slab_of(objs[5]));
	ktest_log_mark();
	kmem_cache_free(s, objs[5]);
	KTEST_EXPECT_TRUE(t, ktest_log_has("double free of object"));
	host_cpu = 0;
	for (unsigned int i = 17; i < 17 + 15; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	objs[5] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, slab_pages(s), 3UL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 32L);
	for (unsigned int i = 0; i < 32; i++) {
		host_cpu = i % 2;
		kmem_cache_free(s, objs[i]);
	}
	host_cpu = 0;
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_destroy(s);
	teardown(t);
}

/*
 * Shrink gives every empty slab back, destroy every slab: the zones' free
 * pages as before, for caches of order 0 to 3 on both nodes.
 */
FIXTURE_CASE(every_page_back, slub_fixture)
{
	static const unsigned int sizes[] = { 32, 700, 2048, 4000 };
	void *objs[200];

	setup(t);
	for (unsigned int k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct kmem_cache *s = kmem_cache_create("host_pages", sizes[k], 0, 0, NULL);
		unsigned long before;

		KTEST_ASSERT_TRUE(t, s != NULL);
		KTEST_EXPECT_EQ(t, s->order, k);
		before = zone_free_pages();
		for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++) {
			objs[i] = kmem_cache_alloc_node(s, GFP_KERNEL, (int)(i % 2));
			KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		}
		KTEST_EXPECT_EQ(t, before - zone_free_pages(), slab_pages(s));
		for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
			kmem_cache_free(s, objs[i]);
		kmem_cache_shrink(s);
		KTEST_EXPECT_EQ(t, slab_pages(s), 0UL);
		KTEST_EXPECT_EQ(t, zone_free_pages(), before);
		for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
			kmem_cache_free(s, objs[i]);
		kmem_cache_destroy(s);
	}
	teardown(t);
}

/*
 * CPU partial lists, with 256-byte objects (16 a slab, order 0: 16 slabs
 * at most on a list, min_partial 5). 20 slabs are filled on CPU 0; the
 * first free into each of the first 16 full slabs puts it on CPU 0's
 * partial list and the rest go there without the node's lock (no slab
 * reaches a node's partial list); the 17th slab overflows the list and
 * all 17 are unfrozen: the one with 15 objects and the first 4 empty ones
 * (the list is newest first) stay partial, the other 12 go back: 8 slabs
 * left. Allocations then take a slab from the partial list before a new
 * one. Another CPU's frees into a slab on CPU 0's list take the lock;
 * shrink drains both lists; the count of objects in use stays exact.
 */
FIXTURE_CASE(cpu_partial_lists, slub_fixture)
{
	static void *objs[320];
	struct kmem_cache_cpu *c0, *c1;
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	struct page *page;
	long live = 320;

	setup(t);
	s = kmem_cache_create("host_partial", 256, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->objects, 16u);
	KTEST_ASSERT_EQ(t, s->cpu_partial_slabs, 16u);
	c0 = per_cpu_ptr(s->cpu_slab, 0);
	c1 = per_cpu_ptr(s->cpu_slab, 1);
	n = s->node[0];
	for (unsigned int i = 0; i < 320; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, slab_pages(s), 20UL);
	for (unsigned int slab = 0; slab < 16; slab++) {
		for (unsigned int i = 0; i < 16; i++) {
			kmem_cache_free(s, objs[slab * 16 + i]);
			live--;
		}
		KTEST_EXPECT_TRUE(t, c0->partial == slab_of(objs[slab * 16]));
		KTEST_EXPECT_EQ(t, c0->nr_partial, slab + 1);
		KTEST_EXPECT_EQ(t, n->nr_partial, 0u);
		KTEST_EXPECT_EQ(t, slab_objects_in_use(s), live);
	}
	ktest_log_mark();
	kmem_cache_free(s, objs[15]);
	KTEST_EXPECT_TRUE(t, ktest_log_has("double free of object"));
	kmem_cache_free(s, objs[256]);
	live--;
	KTEST_EXPECT_TRUE(t, c0->partial == NULL);
	KTEST_EXPECT_EQ(t, c0->nr_partial, 0u);
	KTEST_EXPECT_EQ(t, n->nr_partial, 5u);
	KTEST_EXPECT_EQ(t, slab_pages(s), 8UL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), live);

	/* Slab 18 (full) onto CPU 0's list: CPU 0's next slab, no new one. */
	page = slab_of(objs[272]);
	kmem_cache_free(s, objs[272]);
	kmem_cache_free(s, objs[273]);
	KTEST_EXPECT_TRUE(t, c0->partial == page);
	for (unsigned int i = 272; i < 274; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_EXPECT_TRUE(t, slab_of(objs[i]) == page);
	}
	KTEST_EXPECT_TRUE(t, c0->page == page && c0->partial == NULL);
	KTEST_EXPECT_EQ(t, slab_pages(s), 8UL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), live);

	/* Slab 19 onto CPU 1's list; CPU 0's free into it takes the lock. */
	host_cpu = 1;
	kmem_cache_free(s, objs[288]);
	host_cpu = 0;
	kmem_cache_free(s, objs[289]);
	live -= 2;
	KTEST_EXPECT_TRUE(t, c1->partial == slab_of(objs[288]));
	KTEST_EXPECT_TRUE(t, c0->partial == NULL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), live);
	kmem_cache_shrink(s);
	KTEST_EXPECT_TRUE(t, c0->partial == NULL && c1->partial == NULL && c0->page == NULL);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), live);

	for (unsigned int i = 257; i < 320; i++) {
		if (i == 288 || i == 289)
			continue;
		host_cpu = i % 2;
		kmem_cache_free(s, objs[i]);
		live--;
	}
	host_cpu = 0;
	KTEST_EXPECT_EQ(t, live, 0L);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_destroy(s);
	teardown(t);
}

/*
 * A new slab hands out each of its objects exactly once, in a random
 * order (CONFIG_SLAB_FREELIST_RANDOM): over 8 slabs of 64 objects, few
 * objects follow their address neighbour (about 1 a slab expected; the
 * address order would give 63) and the first objects are not all at the
 * same place.
 */
FIXTURE_CASE(shuffled_order, slub_fixture)
{
	static void *objs[8][64];
	unsigned int in_order = 0, same_first = 0;
	struct kmem_cache *s;

	setup(t);
	s = kmem_cache_create("host_shuffle", 64, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->objects, 64u);
	for (unsigned int slab = 0; slab < 8; slab++) {
		u64 seen = 0;
		unsigned long base;

		for (unsigned int i = 0; i < 64; i++)
			objs[slab][i] = kmem_cache_alloc(s, GFP_KERNEL);
		base = (unsigned long)page_address(slab_of(objs[slab][0]));
		for (unsigned int i = 0; i < 64; i++) {
			unsigned long off = (unsigned long)objs[slab][i] - base;

			KTEST_EXPECT_TRUE(t, off < 4096 && off % 64 == 0);
			seen |= 1ULL << (off / 64 % 64);
			in_order += i && objs[slab][i] == (char *)objs[slab][i - 1] + 64;
		}
		KTEST_EXPECT_EQ(t, seen, ~0ULL);
		same_first += (unsigned long)objs[slab][0] - base ==
			      (unsigned long)objs[0][0] - (unsigned long)page_address(slab_of(objs[0][0]));
	}
	ktest_info(t, "%u of 504 objects after their neighbour, %u of 8 slabs start as the first",
		   in_order, same_first);
	KTEST_EXPECT_LT(t, in_order, 40u);
	KTEST_EXPECT_LT(t, same_first, 8u);
	for (unsigned int slab = 0; slab < 8; slab++)
		for (unsigned int i = 0; i < 64; i++)
			kmem_cache_free(s, objs[slab][i]);
	kmem_cache_destroy(s);
	teardown(t);
}

/*
 * kmem_cache_free_bulk() of objects of slabs the CPU does not hold frees
 * each slab's run as one list: three full slabs' objects (16 a slab) end
 * on CPU 0's partial list, no slab on the node's; the head of such a list
 * freed again is caught. A run into a slab on CPU 1's partial list goes
 * under the node's lock. The count of objects in use stays exact.
 */
FIXTURE_CASE(bulk_free_detached, slub_fixture)
{
	static void *objs[80];
	struct kmem_cache_cpu *c0;
	struct kmem_cache *s;
	void *again;

	setup(t);
	s = kmem_cache_create("host_bulk", 256, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->objects, 16u);
	c0 = per_cpu_ptr(s->cpu_slab, 0);
	for (unsigned int i = 0; i < 64; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free_bulk(s, 48, objs);
	KTEST_EXPECT_EQ(t, c0->nr_partial, 3u);
	KTEST_EXPECT_TRUE(t, c0->partial == slab_of(objs[32]));
	KTEST_EXPECT_EQ(t, s->node[0]->nr_partial, 0u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 16L);
	/* The last object of a run heads its slab's list. */
	again = objs[47];
	ktest_log_mark();
	kmem_cache_free_bulk(s, 1, &again);
	KTEST_EXPECT_TRUE(t, ktest_log_has("double free of object"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 16L);
	kmem_cache_free_bulk(s, 16, objs + 48);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);

	/* A fifth, full slab; CPU 1 takes it with one free, CPU 0 frees the rest at once. */
	kmem_cache_shrink(s);
	for (unsigned int i = 0; i < 17; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	host_cpu = 1;
	kmem_cache_free(s, objs[0]);
	host_cpu = 0;
	KTEST_EXPECT_TRUE(t, per_cpu_ptr(s->cpu_slab, 1)->partial == slab_of(objs[1]));
	kmem_cache_free_bulk(s, 15, objs + 1);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 1L);
	kmem_cache_free(s, objs[16]);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_destroy(s);
	teardown(t);
}

/*
 * Objects in another CPU's array (CPU 1 frees its active slab's in bulk)
 * are free objects to every count: slab_objects_in_use() from CPU 0 sees
 * them so; CPU 0's frees of the rest go under the node's lock; shrinking
 * flushes CPU 1's array with its slab, and every page comes back.
 */
FIXTURE_CASE(bulk_array_other_cpu, slub_fixture)
{
	static void *objs[20];
	struct kmem_cache *s;

	setup(t);
	s = kmem_cache_create("host_bulk_array", 64, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	host_cpu = 1;
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, objs), 20);
	kmem_cache_free_bulk(s, 12, objs);
	KTEST_EXPECT_EQ(t, per_cpu_ptr(s->cpu_slab, 1)->avail, 12u);
	host_cpu = 0;
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 8L);
	kmem_cache_free_bulk(s, 8, objs + 12);
	KTEST_EXPECT_EQ(t, per_cpu_ptr(s->cpu_slab, 0)->avail, 0u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_shrink(s);
	KTEST_EXPECT_EQ(t, per_cpu_ptr(s->cpu_slab, 1)->avail, 0u);
	KTEST_EXPECT_EQ(t, slab_pages(s), 0UL);
	kmem_cache_destroy(s);
	teardown(t);
}

/*
 * A debug cache (slub_debug's F Z P U as flags) of 64-byte objects: the
 * layout by hand from Linux's calculate_sizes() (64 + a word of right
 * red zone, the free pointer, two 24-byte tracks, a word of padding, an
 * 8-byte left red zone: 144-byte steps, the object 8 bytes in, 28 to a
 * page), the contents (0xcc red zones, 0x6b poison ending in 0xa5), a
 * right red zone overflow found on free and a write after free found on
 * the next allocation, each reported and its object isolated; bulk
 * allocations and frees, one from the other CPU, go through the checks
 * too. Destroy frees the isolated objects' slab: every page back.
 */
FIXTURE_CASE(debug_redzone_and_poison, slub_fixture)
{
	static void *objs[56];
	struct kmem_cache *s;
	unsigned int again = 0;
	u8 *p, *q;

	setup(t);
	s = kmem_cache_create("host_debug", 64, 0,
			      SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			      NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_EQ(t, s->size, 144u);
	KTEST_EXPECT_EQ(t, s->objects, 28u);
	KTEST_EXPECT_EQ(t, s->red_left_pad, 8u);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p && q);
	KTEST_EXPECT_EQ(t, ((unsigned long)p - (unsigned long)page_address(slab_of(p))) % 144, 8ul);
	KTEST_EXPECT_TRUE(t, p[-1] == 0xcc && p[64] == 0xcc && p[71] == 0xcc);
	KTEST_EXPECT_TRUE(t, p[0] == 0x6b && p[62] == 0x6b && p[63] == 0xa5);

	p[64] = 0x41;
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug (Not tainted): Right Redzone overwritten\n"));
	KTEST_EXPECT_TRUE(t, ktest_log_has(". First byte 0x41 instead of 0xcc\n"));

	kmem_cache_free(s, q);
	q[5] = 0;
	ktest_log_mark();
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, objs[0] != q);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug (Not tainted): Poison overwritten\n"));
	KTEST_EXPECT_TRUE(t, ktest_log_has(". First byte 0x0 instead of 0x6b\n"));
	host_cpu = 1;
	kmem_cache_free(s, objs[0]);
	host_cpu = 0;

	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, ARRAY_SIZE(objs), objs),
			(int)ARRAY_SIZE(objs));
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		again += objs[i] == p || objs[i] == q;
	KTEST_EXPECT_EQ(t, again, 0u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 56L);
	kmem_cache_free_bulk(s, ARRAY_SIZE(objs), objs);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, ktest_log_has("kmem_cache_destroy host_debug: 2 isolated objects freed with the cache\n"));
	teardown(t);
}

/* The object of the slot i of the debug cache (144-byte slots, the object 8 bytes in) p is in. */
static u8 *debug_slot(const u8 *p, unsigned int i)
{
	return (u8 *)page_address(slab_of(p)) + 8 + i * 144;
}

/*
 * A write after free running 16 bytes past a free object of the debug
 * cache of debug_redzone_and_poison (its right red zone, then its free
 * pointer): the next allocation reports both, follows neither and
 * isolates the slab's 27 free objects (the list past the pointer is
 * lost), a new slab serving it. Stray frees of two of them are reported
 * as such and not counted again; destroy frees all 27 with the cache.
 */
FIXTURE_CASE(debug_freeptr_overwritten, slub_fixture)
{
	struct kmem_cache *s;
	u8 *p, *q, *r, *other;
	unsigned int i = 0;

	setup(t);
	s = kmem_cache_create("host_debug2", 64, 0,
			      SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			      NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_ASSERT_EQ(t, s->size, 144u);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p && q);
	kmem_cache_free(s, q);
	memset(q + 64, 0x41, 16);
	ktest_log_mark();
	r = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, r != NULL);
	KTEST_EXPECT_TRUE(t, slab_of(r) != slab_of(q));
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug2 (Not tainted): Right Redzone overwritten\n"));
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug2 (Not tainted): Freepointer corrupt\n"));
	KTEST_EXPECT_TRUE(t, ktest_log_has("every free object of its slab isolated\n"));
	KTEST_EXPECT_EQ(t, (unsigned int)slab_of(q)->isolated, 27u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);

	while (debug_slot(q, i) == p || debug_slot(q, i) == q)
		i++;
	other = debug_slot(q, i);
	ktest_log_mark();
	kmem_cache_free(s, q);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug2 (Not tainted): Object already isolated\n"));
	ktest_log_mark();
	kmem_cache_free(s, other);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug2 (Not tainted): Object already isolated\n"));
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, (unsigned int)slab_of(q)->isolated, 27u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	kmem_cache_free(s, p);
	kmem_cache_free(s, r);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, ktest_log_has("kmem_cache_destroy host_debug2: 27 isolated objects freed with the cache\n"));
	teardown(t);
}

/*
 * Isolated objects freed again: one isolated on its free (its right red
 * zone overwritten), freed twice; one isolated on allocation (written
 * after its free), never handed out, then freed by a stray pointer. Each
 * second free is reported as such, not as damage, and counted once.
 */
FIXTURE_CASE(debug_isolated_twice, slub_fixture)
{
	struct kmem_cache *s;
	u8 *p, *q, *r, *keep;

	setup(t);
	s = kmem_cache_create("host_debug3", 64, 0,
			      SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			      NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	keep = kmem_cache_alloc(s, GFP_KERNEL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, keep && p && q);
	p[64] = 0x41;
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug3 (Not tainted): Right Redzone overwritten\n"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug3 (Not tainted): Object already isolated\n"));
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);

	kmem_cache_free(s, q);
	q[5] = 0;
	ktest_log_mark();
	r = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, r != NULL);
	KTEST_EXPECT_TRUE(t, r != q);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug3 (Not tainted): Poison overwritten\n"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	ktest_log_mark();
	kmem_cache_free(s, q);
	KTEST_EXPECT_TRUE(t, ktest_log_has("BUG host_debug3 (Not tainted): Object already isolated\n"));
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	KTEST_EXPECT_EQ(t, (unsigned int)slab_of(p)->isolated, 2u);

	kmem_cache_free(s, keep);
	kmem_cache_free(s, r);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_FALSE(t, ktest_log_has("still has objects"));
	KTEST_EXPECT_TRUE(t, ktest_log_has("kmem_cache_destroy host_debug3: 2 isolated objects freed with the cache\n"));
	teardown(t);
}

KTEST_SUITE(slub_host, KTEST_CASE(random_model), KTEST_CASE(kmalloc_model),
	    KTEST_CASE(remote_frees),
	    KTEST_CASE(every_page_back), KTEST_CASE(cpu_partial_lists), KTEST_CASE(shuffled_order),
	    KTEST_CASE(bulk_free_detached),
	    KTEST_CASE(bulk_array_other_cpu), KTEST_CASE(debug_redzone_and_poison),
	    KTEST_CASE(debug_freeptr_overwritten), KTEST_CASE(debug_isolated_twice));
