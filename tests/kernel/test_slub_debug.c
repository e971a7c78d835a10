/*
 * SLUB's debug caches (mm/slub_debug.c): the layout worked out by hand
 * from Linux's calculate_sizes(), what a fresh and a freed object hold,
 * and each detection provoked on purpose, its report's headline and INFO
 * line checked to the byte, the damaged object never handed out again and
 * the kernel going on. Each case makes its own caches and destroys them
 * (which frees isolated objects' slabs); the framework's leak check sees
 * the rest. slub_debug='s syntax is checked on made-up options.
 *
 * A 64-byte cache with F Z P U: the object rounded to 8 is 64 = its size,
 * so a word of right red zone (inuse 72); the free pointer after it (72,
 * poison may not cover it); two 24-byte tracks (80..128); a word of
 * padding (128..136); the 8-byte left red zone of the slot: a 144-byte
 * step, the object 8 bytes into it. 28 to an order-0 slab (4032 bytes),
 * 64 bytes of slab tail.
 */
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/gfp.h>
#include <mk64/kallsyms.h>
#include <mk64/ktest.h>
#include <mk64/slub_def.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "mm_helpers.h"

#define FZPU (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define STEP 144
#define PER_SLAB 28
#define LEFT_PAD 8
#define FREEPTR 72	/* from the object */
#define TRACKS 80
#define PADDING 128

static void *objs[2 * PER_SLAB];

static struct kmem_cache *debug_cache(struct ktest *t, const char *name)
{
	struct kmem_cache *s = kmem_cache_create(name, 64, 0, FZPU, NULL);

	KTEST_ASSERT_TRUE(t, s != NULL);
	return s;
}

static unsigned long slab_start(const void *obj)
{
	return (unsigned long)page_address(compound_head(virt_to_page(obj)));
}

/* Whether the n bytes at p all hold value. */
static bool all_bytes(const void *p, u8 value, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (((const u8 *)p)[i] != value)
			return false;
	return true;
}

/* Expects the INFO line of a wrong range first..last whose first byte is got, not want. */
static void expect_range(struct ktest *t, const u8 *first, const u8 *last, u8 got, u8 want)
{
	char line[128];

	snprintf(line, sizeof(line), "INFO: 0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
		 (unsigned long)first, (unsigned long)last,
		 (unsigned long)first - slab_start(first), got, want);
	KTEST_EXPECT_REPORT(t, line);
}

/* Expects the report's FIX line isolating obj. */
static void expect_isolated(struct ktest *t, const char *cache, const void *obj)
{
	char line[128];

	snprintf(line, sizeof(line), "FIX %s: Object at 0x%lx isolated: never handed out again\n",
		 cache, (unsigned long)obj);
	KTEST_EXPECT_REPORT(t, line);
}

/*
 * The kernel goes on and obj is never handed out again: two slabs' worth
 * of allocations come back without it, and all of them are counted in
 * use, the isolated object not.
 */
static void expect_never_again(struct ktest *t, struct kmem_cache *s, const void *obj)
{
	unsigned int again = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		again += objs[i] == obj;
	}
	KTEST_EXPECT_EQ(t, again, 0u);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), (long)ARRAY_SIZE(objs));
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_cache_free(s, objs[i]);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
}

/* Destroys s, which must report n isolated objects freed with it. */
static void destroy_isolated(struct ktest *t, struct kmem_cache *s, unsigned int n)
{
	char line[96];

	snprintf(line, sizeof(line), "kmem_cache_destroy %s: %u isolated objects freed with the cache\n",
		 s->name, n);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_REPORT(t, line);
}

/*
 * The layout above, and the contents Linux gives it: an allocated object
 * poisoned (0x6b, its last byte 0xa5) between active red zones (0xcc),
 * its alloc track naming this function; freed, the same poison between
 * inactive red zones (0xbb); padding and the slab's tail 0x5a.
 */
static void debug_layout(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_layout");
	unsigned long off, addr;
	char sym[KSYM_SYMBOL_LEN];
	u8 *p;

	KTEST_EXPECT_EQ(t, s->size, (unsigned int)STEP);
	KTEST_EXPECT_EQ(t, s->objects, (unsigned int)PER_SLAB);
	KTEST_EXPECT_EQ(t, s->order, 0u);
	KTEST_EXPECT_EQ(t, s->red_left_pad, (unsigned int)LEFT_PAD);
	KTEST_EXPECT_EQ(t, s->inuse, 72u);
	KTEST_EXPECT_EQ(t, s->offset, (unsigned long)FREEPTR);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	off = (unsigned long)p - slab_start(p);
	KTEST_EXPECT_EQ(t, off % STEP, (unsigned long)LEFT_PAD);
	KTEST_EXPECT_TRUE(t, all_bytes(p - LEFT_PAD, 0xcc, LEFT_PAD));
	KTEST_EXPECT_TRUE(t, all_bytes(p, 0x6b, 63) && p[63] == 0xa5);
	KTEST_EXPECT_TRUE(t, all_bytes(p + 64, 0xcc, 8));
	KTEST_EXPECT_TRUE(t, all_bytes(p + PADDING, 0x5a, STEP - LEFT_PAD - PADDING));
	KTEST_EXPECT_TRUE(t, all_bytes((u8 *)slab_start(p) + PER_SLAB * STEP, 0x5a,
				       PAGE_SIZE - PER_SLAB * STEP));
	addr = *(unsigned long *)(p + TRACKS);
	sprint_backtrace(sym, sizeof(sym), addr);
	KTEST_EXPECT_EQ(t, strncmp(sym, "debug_layout+", 13), 0);
	kmem_cache_free(s, p);
	/* Reads of a freed object: what the debug layout left there. */
	KTEST_EXPECT_TRUE(t, all_bytes(p - LEFT_PAD, 0xbb, LEFT_PAD));
	KTEST_EXPECT_TRUE(t, all_bytes(p, 0x6b, 63) && p[63] == 0xa5);
	KTEST_EXPECT_TRUE(t, all_bytes(p + 64, 0xbb, 8));
	kmem_cache_destroy(s);
}

/*
 * A 1-byte object's right red zone is 7 bytes: a free pointer inside the
 * object would cover it. It goes after, so a free and a new allocation
 * find nothing wrong (red zones and checks only, no poison).
 */
static void tiny_object_freepointer(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_dbg_tiny", 1, 0,
						 SLAB_RED_ZONE | SLAB_CONSISTENCY_CHECKS, NULL);
	void *p[4];

	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_GE(t, s->offset, 8ul);
	ktest_log_mark();
	for (unsigned int round = 0; round < 2; round++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
			p[i] = kmem_cache_alloc(s, GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, p[i] != NULL);
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(p); i++)
			kmem_cache_free(s, p[i]);
	}
	KTEST_EXPECT_FALSE(t, ktest_log_has("BUG "));
	kmem_cache_destroy(s);
}

/* One byte past the object, and one more two bytes on: the right red zone. */
static void right_redzone_overwritten(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_right");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	p[64] = 0x41;
	p[66] = 0x42;
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_REPORT(t, "=============================================================================\n");
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_right (Not tainted): Right Redzone overwritten\n");
	expect_range(t, p + 64, p + 66, 0x41, 0xcc);
	KTEST_EXPECT_REPORT(t, "INFO: Allocated in right_redzone_overwritten+");
	KTEST_EXPECT_REPORT(t, " cpu=0 pid=0\n");
	KTEST_EXPECT_REPORT(t, ": 41 cc 42 cc cc cc cc cc ");
	KTEST_EXPECT_FALSE(t, ktest_log_has("BUG:"));
	expect_isolated(t, "test_dbg_right", p);
	expect_never_again(t, s, p);
	destroy_isolated(t, s, 1);
}

/* The byte before the object: the left red zone. */
static void left_redzone_overwritten(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_left");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	p[-1] = 0x42;
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_left (Not tainted): Left Redzone overwritten\n");
	expect_range(t, p - 1, p - 1, 0x42, 0xcc);
	expect_isolated(t, "test_dbg_left", p);
	expect_never_again(t, s, p);
	destroy_isolated(t, s, 1);
}

/*
 * A write into a freed object is found when the object would be handed
 * out again (it heads its slab's list): reported with both tracks, the
 * object isolated, another one handed out.
 */
static void use_after_free(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_uaf");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *q;

	KTEST_ASSERT_TRUE(t, p != NULL);
	kmem_cache_free(s, p);
	p[10] = 0x43;
	p[20] = 0x44;
	ktest_log_mark();
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q != NULL && q != p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_uaf (Not tainted): Poison overwritten\n");
	expect_range(t, p + 10, p + 20, 0x43, 0x6b);
	KTEST_EXPECT_REPORT(t, "INFO: Allocated in use_after_free+");
	KTEST_EXPECT_REPORT(t, "INFO: Freed in use_after_free+");
	expect_isolated(t, "test_dbg_uaf", p);
	kmem_cache_free(s, q);
	expect_never_again(t, s, p);
	destroy_isolated(t, s, 1);
}

/* The last poison byte alone: "End Poison", 0xa5 expected. */
static void end_poison_overwritten(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_end");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	kmem_cache_free(s, p);
	p[63] = 0;
	ktest_log_mark();
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_end (Not tainted): End Poison overwritten\n");
	expect_range(t, p + 63, p + 63, 0, 0xa5);
	destroy_isolated(t, s, 1);
}

/*
 * A write past the last object, into the slab's 64-byte tail: found when
 * the slab goes back to the buddy allocator (here with its cache).
 */
static void padding_overwritten(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_pad");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *tail;

	KTEST_ASSERT_TRUE(t, p != NULL);
	tail = (u8 *)slab_start(p) + PER_SLAB * STEP;
	kmem_cache_free(s, p);
	tail[3] = 0x45;
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_pad (Not tainted): Padding overwritten\n");
	expect_range(t, tail + 3, tail + 3, 0x45, 0x5a);
}

/* A second free is refused: the object stays free once, and is handed out once. */
static void double_free(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_dfree");
	void *p = kmem_cache_alloc(s, GFP_KERNEL), *q = kmem_cache_alloc(s, GFP_KERNEL), *x, *y;
	char line[96];

	KTEST_ASSERT_TRUE(t, p && q);
	kmem_cache_free(s, p);
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_dfree (Not tainted): Object already free\n");
	KTEST_EXPECT_REPORT(t, "INFO: Freed in double_free+");
	snprintf(line, sizeof(line), "FIX test_dbg_dfree: Object at 0x%lx not freed\n",
		 (unsigned long)p);
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 1L);
	x = kmem_cache_alloc(s, GFP_KERNEL);
	y = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, x == p);
	KTEST_EXPECT_TRUE(t, y != NULL && y != p);
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}

/*
 * Frees that are none: a pointer inside an object, and a page that is no
 * slab. Both reported and ignored; the object is still in use.
 */
static void invalid_free(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_inval");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char line[96];

	KTEST_ASSERT_TRUE(t, p && page);
	ktest_log_mark();
	kmem_cache_free(s, p + 8);
	snprintf(line, sizeof(line), "BUG test_dbg_inval (Not tainted): Invalid object pointer 0x%lx\n",
		 (unsigned long)(p + 8));
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 1L);
	ktest_log_mark();
	kmem_cache_free(s, page_address(page));
	snprintf(line, sizeof(line),
		 "BUG test_dbg_inval (Not tainted): Attempt to free object(0x%lx) outside of slab\n",
		 (unsigned long)page_address(page));
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_EQ(t, page_ref_count(page), 1);
	__free_page(page);
	/* p's red zones are intact: the bad frees touched nothing. */
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_FALSE(t, ktest_log_has("BUG "));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	kmem_cache_destroy(s);
}

/* An object of b freed into a: reported, then freed into b, as Linux does. */
static void wrong_cache(struct ktest *t)
{
	struct kmem_cache *a = debug_cache(t, "test_dbg_a"), *b = debug_cache(t, "test_dbg_b");
	void *p = kmem_cache_alloc(b, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	ktest_log_mark();
	kmem_cache_free(a, p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_a (Not tainted): Wrong slab cache. test_dbg_a but object is from test_dbg_b\n");
	KTEST_EXPECT_EQ(t, slab_objects_in_use(b), 0L);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(a), 0L);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
}

/*
 * A free object's pointer overwritten (outside the object, where poison
 * does not reach): found when the object would be handed out, every free
 * object of its slab isolated (the rest of the list is unknown), the
 * allocation served from a new slab.
 */
static void corrupted_freepointer(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_fp");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *q;

	KTEST_ASSERT_TRUE(t, p != NULL);
	kmem_cache_free(s, p);
	*(unsigned long *)(p + FREEPTR) ^= 0x1000;
	ktest_log_mark();
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q != NULL);
	KTEST_EXPECT_TRUE(t, slab_start(q) != slab_start(p));
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_fp (Not tainted): Freepointer corrupt\n");
	kmem_cache_free(s, q);
	expect_never_again(t, s, p);
	destroy_isolated(t, s, PER_SLAB);
}

/*
 * The same found by a free's walk of the list (looking for a double free):
 * the object holding the bad pointer named, the free objects isolated,
 * the object being freed freed.
 */
static void corrupted_freechain(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_chain");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *q = kmem_cache_alloc(s, GFP_KERNEL);
	char line[96];

	KTEST_ASSERT_TRUE(t, p && q);
	kmem_cache_free(s, p);
	*(unsigned long *)(p + FREEPTR) ^= 0x1000;
	ktest_log_mark();
	kmem_cache_free(s, q);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_chain (Not tainted): Freechain corrupt\n");
	snprintf(line, sizeof(line), "INFO: Object 0x%lx @offset=%lu", (unsigned long)p,
		 (unsigned long)p - slab_start(p));
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	expect_never_again(t, s, p);
	/* 28 objects, q allocated: p and the 26 never used isolated. */
	destroy_isolated(t, s, PER_SLAB - 1);
}

/*
 * A write after free running 16 bytes past the object (its right red
 * zone, then the free pointer): the next allocation reports both and
 * follows neither, the slab's free objects isolated (all but p's: 27),
 * the allocation served from a new slab. A stray free of the damaged
 * object and of another isolated one, past the lost pointer (its left
 * red zone still says free), each reported as such and not counted again.
 */
static void freepointer_overrun(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_overrun");
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *q = kmem_cache_alloc(s, GFP_KERNEL), *r, *other;
	unsigned int i = 0;
	char line[128];

	KTEST_ASSERT_TRUE(t, p && q);
	kmem_cache_free(s, q);
	memset(q + 64, 0x41, 16);
	ktest_log_mark();
	r = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, r != NULL);
	KTEST_EXPECT_TRUE(t, slab_start(r) != slab_start(q));
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_overrun (Not tainted): Right Redzone overwritten\n");
	expect_range(t, q + 64, q + 71, 0x41, 0xbb);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_overrun (Not tainted): Freepointer corrupt\n");
	snprintf(line, sizeof(line),
		 "FIX test_dbg_overrun: Object at 0x%lx and every free object of its slab isolated\n",
		 (unsigned long)q);
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);

	while (slab_start(q) + LEFT_PAD + i * STEP == (unsigned long)p ||
	       slab_start(q) + LEFT_PAD + i * STEP == (unsigned long)q)
		i++;
	other = (u8 *)(slab_start(q) + LEFT_PAD + i * STEP);
	ktest_log_mark();
	kmem_cache_free(s, q);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_overrun (Not tainted): Object already isolated\n");
	ktest_log_mark();
	kmem_cache_free(s, other);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_overrun (Not tainted): Object already isolated\n");
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	kmem_cache_free(s, p);
	kmem_cache_free(s, r);
	expect_never_again(t, s, q);
	destroy_isolated(t, s, PER_SLAB - 1);
}

/*
 * An isolated object freed again: one isolated on its free (right red
 * zone), freed a second time; one isolated when it would have been
 * handed out (written after its free), then freed by a stray pointer.
 * Each second free is its own report, not damage, and counted once: the
 * object kept stays the only one in use, the cache destroyable.
 */
static void isolated_freed_again(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_again");
	u8 *keep = kmem_cache_alloc(s, GFP_KERNEL), *p = kmem_cache_alloc(s, GFP_KERNEL);
	u8 *q = kmem_cache_alloc(s, GFP_KERNEL), *r;
	char line[96];

	KTEST_ASSERT_TRUE(t, keep && p && q);
	p[64] = 0x41;
	kmem_cache_free(s, p);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	ktest_log_mark();
	kmem_cache_free(s, p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_again (Not tainted): Object already isolated\n");
	snprintf(line, sizeof(line), "FIX test_dbg_again: Object at 0x%lx not freed\n",
		 (unsigned long)p);
	KTEST_EXPECT_REPORT(t, line);
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);

	kmem_cache_free(s, q);
	q[5] = 0;
	r = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, r != NULL && r != q);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	ktest_log_mark();
	kmem_cache_free(s, q);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_again (Not tainted): Object already isolated\n");
	KTEST_EXPECT_FALSE(t, ktest_log_has("overwritten"));
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 2L);
	kmem_cache_free(s, r);
	kmem_cache_free(s, keep);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	ktest_log_mark();
	kmem_cache_destroy(s);
	KTEST_EXPECT_FALSE(t, ktest_log_has("still has objects"));
	KTEST_EXPECT_REPORT(t, "kmem_cache_destroy test_dbg_again: 2 isolated objects freed with the cache\n");
}

/*
 * The bulk API's tracks name its caller, not kmem_cache_alloc_bulk() or
 * kmem_cache_free_bulk(): a red zone overrun found by the bulk free shows
 * the bulk allocation's track, a write after the bulk free (into the
 * object freed last, the head of the slab's list) the next allocation's
 * report both.
 */
static void bulk_tracks(struct ktest *t)
{
	struct kmem_cache *s = debug_cache(t, "test_dbg_bulk");
	u8 *p[4], *q;

	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 4, (void **)p), 4);
	p[0][64] = 0x41;
	ktest_log_mark();
	kmem_cache_free_bulk(s, 4, (void **)p);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_bulk (Not tainted): Right Redzone overwritten\n");
	KTEST_EXPECT_REPORT(t, "INFO: Allocated in bulk_tracks+");
	KTEST_EXPECT_FALSE(t, ktest_log_has("in kmem_cache_alloc_bulk+"));
	p[3][10] = 0x43;
	ktest_log_mark();
	KTEST_ASSERT_EQ(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, 1, (void **)&q), 1);
	KTEST_EXPECT_TRUE(t, q != p[3]);
	KTEST_EXPECT_REPORT(t, "BUG test_dbg_bulk (Not tainted): Poison overwritten\n");
	KTEST_EXPECT_REPORT(t, "INFO: Allocated in bulk_tracks+");
	KTEST_EXPECT_REPORT(t, "INFO: Freed in bulk_tracks+");
	KTEST_EXPECT_FALSE(t, ktest_log_has("in kmem_cache_alloc_bulk+"));
	KTEST_EXPECT_FALSE(t, ktest_log_has("in kmem_cache_free_bulk+"));
	kmem_cache_free_bulk(s, 1, (void **)&q);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(s), 0L);
	destroy_isolated(t, s, 2);
}

/* SLAB_TRACE prints each allocation and free. */
static void trace(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("test_dbg_trace", 64, 0, SLAB_TRACE, NULL);
	void *p;
	char line[96];

	KTEST_ASSERT_TRUE(t, s != NULL);
	ktest_log_mark();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	snprintf(line, sizeof(line), "TRACE test_dbg_trace alloc 0x%lx inuse=1 ", (unsigned long)p);
	KTEST_EXPECT_REPORT(t, line);
	kmem_cache_free(s, p);
	snprintf(line, sizeof(line), "TRACE test_dbg_trace free 0x%lx inuse=1 ", (unsigned long)p);
	KTEST_EXPECT_REPORT(t, line);
	kmem_cache_destroy(s);
}

/* slub_debug='s syntax, on made-up values: the flags each cache gets. */
static void option_syntax(struct ktest *t)
{
	static const struct {
		const char *option, *name;
		slab_flags_t flags;
	} cases[] = {
		{ "", "any", FZPU },
		{ "FZPU", "any", FZPU },
		{ "fz", "any", SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE },
		{ "T", "any", SLAB_TRACE },
		{ "-", "any", 0 },
		{ "FZ-P", "any", SLAB_POISON },
		{ "Q", "any", 0 },
		{ "F,test_a", "test_a", SLAB_CONSISTENCY_CHECKS },
		{ "F,test_a", "test_b", 0 },
		{ ",test_a", "test_a", FZPU },
		{ "P;U,kmalloc-*", "kmalloc-64", SLAB_STORE_USER },
		{ "P;U,kmalloc-*", "dentry", SLAB_POISON },
		{ "U,kmalloc-6*", "kmalloc-8", 0 },
		{ "ZP,foo,bar;F,bar", "bar", SLAB_RED_ZONE | SLAB_POISON },
		{ "ZP,foo,bar;F,bar", "baz", 0 },
		{ "FZPU;-,kmalloc-64", "kmalloc-64", 0 },
		{ "FZPU;-,kmalloc-64", "kmalloc-32", FZPU },
		{ "F;;Z", "any", SLAB_RED_ZONE },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		slab_flags_t got = slub_debug_flags(cases[i].option, cases[i].name);

		if (got != cases[i].flags)
			ktest_info(t, "slub_debug=%s for %s: %#x, want %#x", cases[i].option,
				   cases[i].name, got, cases[i].flags);
		KTEST_EXPECT_EQ(t, got, cases[i].flags);
	}
}

/* Booted with slub_debug=FZPU (virt-slub-debug): every cache has the four flags. */
static void boot_option_applied(struct ktest *t)
{
	char val[32];
	struct kmem_cache *s;
	unsigned int without = 0;

	if (!cmdline_get(boot_info.cmdline, "slub_debug", val, sizeof(val)) || strcmp(val, "FZPU"))
		ktest_skip(t, "not booted with slub_debug=FZPU");
	spin_lock(&slab_lock);
	for_each_slab_cache(s)
		without += (s->flags & SLAB_DEBUG_FLAGS) != FZPU;
	spin_unlock(&slab_lock);
	KTEST_EXPECT_EQ(t, without, 0u);
}

KTEST_SUITE(slub_debug, KTEST_CASE(debug_layout), KTEST_CASE(tiny_object_freepointer),
	    KTEST_CASE(right_redzone_overwritten),
	    KTEST_CASE(left_redzone_overwritten), KTEST_CASE(use_after_free),
	    KTEST_CASE(end_poison_overwritten), KTEST_CASE(padding_overwritten),
	    KTEST_CASE(double_free), KTEST_CASE(invalid_free),
	    KTEST_CASE(wrong_cache), KTEST_CASE(corrupted_freepointer),
	    KTEST_CASE(corrupted_freechain), KTEST_CASE(freepointer_overrun),
	    KTEST_CASE(isolated_freed_again), KTEST_CASE(bulk_tracks), KTEST_CASE(trace),
	    KTEST_CASE(option_syntax), KTEST_CASE(boot_option_applied));
