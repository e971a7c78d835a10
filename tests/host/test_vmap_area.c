/*
 * The vmalloc region's free-range tree (mm/vmap_area.c, lib/rbtree.c) on
 * the host under ASan/UBSan, against a page-by-page model: random
 * allocations (sizes, alignments, a guard page after each as vmalloc
 * adds) and frees. After every step the tree must be a valid red-black
 * tree whose subtree maxima are right, its ranges sorted, never adjacent
 * (coalesced) and exactly the pages the model says are free; every live
 * area's guard page must be neither free nor another area's; a one-page
 * aligned request must get the lowest fit the model finds by scanning, and
 * a request may fail only when the model has no free run of the search
 * length. At the end everything is freed and must be one range again.
 */
#include <asm/memory.h>
#include <mk64/ktest.h>
#include <mk64/string.h>
#include <mk64/vmap_area.h>
#include "../fixture.h"

#define SPACE_PAGES 4096
#define BASE (UL(0x100000) << PAGE_SHIFT)	/* not 0: 0 means "no fit" */
#define MAX_AREAS 1024
#define NODES (2 * MAX_AREAS + 8)
#define STEPS 20000

struct area {
	unsigned long start, pages;	/* pages with the guard */
};

static struct vmap_state {
	struct vmap_free_tree tree;
	struct vmap_area nodes[NODES];
	struct vmap_area *unused[NODES];	/* nodes the test holds */
	unsigned int nr_unused;
	struct area areas[MAX_AREAS];
	unsigned int nr_areas;
	u8 owner[SPACE_PAGES];	/* 0 free, else which area + 1 (mod 255, 1..255) */
	bool busy[SPACE_PAGES];
	u8 seen[SPACE_PAGES];
} *fx;

static void fixture_init(void *mem)
{
	fx = mem;
	for (unsigned int i = 0; i < NODES; i++)
		fx->unused[i] = &fx->nodes[i];
	fx->nr_unused = NODES;
}

static const struct test_fixture vmap_fixture = { sizeof(*fx), fixture_init, NULL };

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)((rng_state >> 32) * n >> 32);
}

static struct vmap_area *node_get(void)
{
	return fx->nr_unused ? fx->unused[--fx->nr_unused] : NULL;
}

static void node_put(struct vmap_area *va)
{
	fx->unused[fx->nr_unused++] = va;
}

static unsigned long page_of(unsigned long addr)
{
	return (addr - BASE) >> PAGE_SHIFT;
}

static struct vmap_area *va_of(struct rb_node *n)
{
	return rb_entry(n, struct vmap_area, rb_node);
}

/* Black height of n's subtree, or -1 on a violation; counts nodes in *count. */
static int check_node(struct ktest *t, struct rb_node *n, struct rb_node *parent,
		      unsigned int *count)
{
	unsigned long m;
	int lh, rh;

	if (!n)
		return 1;
	(*count)++;
	KTEST_ASSERT_TRUE(t, n->rb_parent == parent);
	if (n->rb_red) {
		KTEST_ASSERT_FALSE(t, n->rb_left && n->rb_left->rb_red);
		KTEST_ASSERT_FALSE(t, n->rb_right && n->rb_right->rb_red);
	}
	lh = check_node(t, n->rb_left, n, count);
	rh = check_node(t, n->rb_right, n, count);
	KTEST_ASSERT_EQ(t, lh, rh);
	m = vmap_area_size(va_of(n));
	if (n->rb_left)
		m = max(m, va_of(n->rb_left)->subtree_max_size);
	if (n->rb_right)
		m = max(m, va_of(n->rb_right)->subtree_max_size);
	KTEST_ASSERT_EQ(t, va_of(n)->subtree_max_size, m);
	return lh + !n->rb_red;
}

/* The tree against the model; returns the number of free ranges. */
static unsigned int check_all(struct ktest *t)
{
	unsigned long prev_end = 0;
	unsigned int count = 0, ranges = 0;

	KTEST_ASSERT_FALSE(t, fx->tree.root.rb_node && fx->tree.root.rb_node->rb_red);
	check_node(t, fx->tree.root.rb_node, NULL, &count);
	memset(fx->seen, 0, sizeof(fx->seen));
	for (struct rb_node *n = rb_first(&fx->tree.root); n; n = rb_next(n)) {
		struct vmap_area *va = va_of(n);

		ranges++;
		KTEST_ASSERT_TRUE(t, va->va_start < va->va_end);
		KTEST_ASSERT_TRUE(t, IS_ALIGNED(va->va_start | va->va_end, PAGE_SIZE));
		KTEST_ASSERT_TRUE(t, va->va_start >= BASE && va->va_end <= BASE + SPACE_PAGES * PAGE_SIZE);
		/* Sorted, and never touching: touching ranges must have merged. */
		KTEST_ASSERT_TRUE(t, !prev_end || va->va_start > prev_end);
		prev_end = va->va_end;
		for (unsigned long p = page_of(va->va_start); p < page_of(va->va_end); p++) {
			KTEST_ASSERT_FALSE(t, fx->busy[p]);
			fx->seen[p] = 1;
		}
	}
	KTEST_ASSERT_EQ(t, ranges, count);
	for (unsigned long p = 0; p < SPACE_PAGES; p++)
		KTEST_ASSERT_TRUE(t, fx->busy[p] || fx->seen[p]);
	/* Each live area's last page, its guard, belongs to it alone. */
	for (unsigned int i = 0; i < fx->nr_areas; i++) {
		unsigned long guard = page_of(fx->areas[i].start) + fx->areas[i].pages - 1;

		KTEST_ASSERT_TRUE(t, fx->busy[guard] && !fx->seen[guard]);
		KTEST_ASSERT_EQ(t, fx->owner[guard], fx->owner[page_of(fx->areas[i].start)]);
	}
	return ranges;
}

/* The model's lowest free run of pages pages starting at a multiple of align pages. */
static long model_lowest(unsigned long pages, unsigned long align_pages)
{
	unsigned long base_pfn = BASE >> PAGE_SHIFT;

	for (unsigned long p = 0; p + pages <= SPACE_PAGES; p++) {
		unsigned long q;

		if ((base_pfn + p) % align_pages)
			continue;
		for (q = 0; q < pages && !fx->busy[p + q]; q++)
			;
		if (q == pages)
			return (long)p;
	}
	return -1;
}

static void do_alloc(struct ktest *t, unsigned long pages, unsigned int align_order)
{
	unsigned long align = PAGE_SIZE << align_order, size = (pages + 1) * PAGE_SIZE;
	unsigned long search = pages + 1 + (1UL << align_order) - 1;
	bool need_node;
	unsigned long addr;
	struct area *a;

	if (fx->nr_areas == MAX_AREAS)
		return;
	addr = vmap_free_take(&fx->tree, size, align, &need_node);
	if (need_node) {
		KTEST_ASSERT_EQ(t, addr, 0UL);
		vmap_stash_push(&fx->tree, node_get());
		addr = vmap_free_take(&fx->tree, size, align, &need_node);
		KTEST_ASSERT_FALSE(t, need_node);
	}
	if (!addr) {
		/* Only when nothing of the search length is free. */
		KTEST_ASSERT_EQ(t, model_lowest(search, 1), -1L);
		return;
	}
	KTEST_ASSERT_TRUE(t, IS_ALIGNED(addr, align));
	if (!align_order)
		KTEST_ASSERT_EQ(t, (long)page_of(addr), model_lowest(pages + 1, 1));
	a = &fx->areas[fx->nr_areas++];
	a->start = addr;
	a->pages = pages + 1;
	for (unsigned long p = page_of(addr); p < page_of(addr) + a->pages; p++) {
		KTEST_ASSERT_FALSE(t, fx->busy[p]);
		fx->busy[p] = true;
		fx->owner[p] = (u8)(fx->nr_areas % 255 + 1);
	}
}

static void do_free(struct ktest *t, unsigned int i)
{
	struct area a = fx->areas[i];
	struct vmap_area *va = node_get();

	KTEST_ASSERT_TRUE(t, va != NULL);
	va->va_start = a.start;
	va->va_end = a.start + a.pages * PAGE_SIZE;
	KTEST_ASSERT_TRUE(t, vmap_free_insert(&fx->tree, va));
	for (unsigned long p = page_of(a.start); p < page_of(a.start) + a.pages; p++) {
		fx->busy[p] = false;
		fx->owner[p] = 0;
	}
	fx->areas[i] = fx->areas[--fx->nr_areas];
	/* The areas' owner tags follow their slots: renumber the moved one. */
	if (i < fx->nr_areas)
		for (unsigned long p = page_of(fx->areas[i].start);
		     p < page_of(fx->areas[i].start) + fx->areas[i].pages; p++)
			fx->owner[p] = (u8)((i + 1) % 255 + 1);
}

/* Gives stashed nodes back to the test's pool, as vmalloc trims its stash. */
static void trim_stash(unsigned int keep)
{
	while (fx->tree.nr_stash > keep)
		node_put(vmap_stash_pop(&fx->tree));
}

static void setup_tree(void)
{
	vmap_free_init(&fx->tree, BASE, BASE + SPACE_PAGES * PAGE_SIZE, node_get());
	for (unsigned int i = 0; i < fx->nr_areas; i++)
		fx->owner[page_of(fx->areas[i].start)] = 0;
}

FIXTURE_CASE(random_model, vmap_fixture)
{
	setup_tree();
	for (unsigned int step = 0; step < STEPS; step++) {
		u32 op = rnd(100);

		/* Phases: fill up, then churn, then mostly free. */
		bool fill = (step / 2000) % 3 == 0;

		if (fx->nr_areas && op < (fill ? 30u : 55u)) {
			do_free(t, rnd(fx->nr_areas));
		} else {
			unsigned long pages = rnd(8) ? 1 + rnd(8) : 1 + rnd(200);
			unsigned int order = rnd(4) ? 0 : rnd(7);

			do_alloc(t, pages, order);
		}
		trim_stash(rnd(4));
		if (step % 7 == 0 || step > STEPS - 50)
			check_all(t);
	}
	while (fx->nr_areas) {
		do_free(t, rnd(fx->nr_areas));
		check_all(t);
	}
	KTEST_EXPECT_EQ(t, check_all(t), 1u);
	trim_stash(0);
	/* Every node back: the one range's node is the only one out. */
	KTEST_EXPECT_EQ(t, fx->nr_unused, (unsigned int)NODES - 1);
}

/* Alignments beyond the space, and ones whose padding would overflow, fail cleanly. */
FIXTURE_CASE(huge_alignments_fail, vmap_fixture)
{
	bool need_node;

	setup_tree();
	for (unsigned int order = PAGE_SHIFT; order < 64; order++) {
		unsigned long addr = vmap_free_take(&fx->tree, 2 * PAGE_SIZE, 1UL << order,
						    &need_node);
		bool fits = (1UL << order) <= (SPACE_PAGES - 1) * PAGE_SIZE &&
			    model_lowest(2, 1UL << (order - PAGE_SHIFT)) >= 0;

		if (need_node) {
			vmap_stash_push(&fx->tree, node_get());
			addr = vmap_free_take(&fx->tree, 2 * PAGE_SIZE, 1UL << order, &need_node);
		}
		if (addr) {
			KTEST_EXPECT_TRUE(t, IS_ALIGNED(addr, 1UL << order));
			KTEST_EXPECT_TRUE(t, fits);
			fx->areas[fx->nr_areas++] = (struct area){ addr, 2 };
			for (unsigned long p = page_of(addr); p < page_of(addr) + 2; p++)
				fx->busy[p] = true;
		}
		check_all(t);
	}
	/* 2^63 and more: never, and no overflow on the way (UBSan watches). */
	KTEST_EXPECT_EQ(t, vmap_free_take(&fx->tree, PAGE_SIZE, 1UL << 63, &need_node), 0UL);
	KTEST_EXPECT_EQ(t, vmap_free_take(&fx->tree, ~0UL << PAGE_SHIFT, PAGE_SIZE, &need_node), 0UL);
	while (fx->nr_areas)
		do_free(t, fx->nr_areas - 1);
	KTEST_EXPECT_EQ(t, check_all(t), 1u);
	trim_stash(0);
	KTEST_EXPECT_EQ(t, fx->nr_unused, (unsigned int)NODES - 1);
}

/* A range overlapping a free one is refused and changes nothing. */
FIXTURE_CASE(overlapping_free_refused, vmap_fixture)
{
	struct vmap_area *va;
	bool need_node;
	unsigned long addr;

	setup_tree();
	addr = vmap_free_take(&fx->tree, 4 * PAGE_SIZE, PAGE_SIZE, &need_node);
	KTEST_ASSERT_EQ(t, addr, BASE);
	va = node_get();
	va->va_start = addr + 2 * PAGE_SIZE;
	va->va_end = addr + 6 * PAGE_SIZE;	/* runs into the free range */
	KTEST_EXPECT_FALSE(t, vmap_free_insert(&fx->tree, va));
	va->va_start = addr;
	va->va_end = addr + 4 * PAGE_SIZE;
	KTEST_EXPECT_TRUE(t, vmap_free_insert(&fx->tree, va));
	KTEST_EXPECT_EQ(t, check_all(t), 1u);
	trim_stash(0);
	KTEST_EXPECT_EQ(t, fx->nr_unused, (unsigned int)NODES - 1);
}

KTEST_SUITE(vmap_area_host, KTEST_CASE(random_model), KTEST_CASE(huge_alignments_fail),
	    KTEST_CASE(overlapping_free_refused));
