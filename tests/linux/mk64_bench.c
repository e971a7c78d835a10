// SPDX-License-Identifier: GPL-2.0
/*
 * mk64's `make bench` figures measured inside Debian's Linux (`make
 * bench-linux`): the same operations under the same names, the same loop
 * shapes and counts, the same clock (the virtual counter, CNTVCT_EL0, read
 * around the loop and turned into nanoseconds by CNTFRQ_EL0). Under QEMU's
 * -icount shift=0 one nanosecond is one guest instruction. Each figure is
 * printed as one "# bench:" line like mk64's, with loop_ns_per_op: the
 * same loop with nothing in it (printed beside the figure, not subtracted).
 *
 * Parameters: reps (run every loop that many times, print the median),
 * scale and div (multiply and divide every count: a quick check of the
 * harness runs each loop a few times), ops (every count, instead), ref
 * (only the operations of the reference table, linux-on-qemu.md),
 * vmalloc_node_addr (the address of the kernel's __vmalloc_node() from
 * /proc/kallsyms: Debian's kernel does not export it, and the aligned
 * test_vmalloc scenarios need it; without it they are not reported), smp
 * (0: the loops above only; 1: the multi-CPU loops too; 2: those only).
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/arch_timer.h>

static unsigned int reps = 1;
module_param(reps, uint, 0444);
static unsigned int scale = 1;
module_param(scale, uint, 0444);
static unsigned int div = 1;
module_param(div, uint, 0444);
static bool ref;
module_param(ref, bool, 0444);
static unsigned int ops;
module_param(ops, uint, 0444);
static unsigned long vmalloc_node_addr;
module_param(vmalloc_node_addr, ulong, 0444);
static unsigned int smp;
module_param(smp, uint, 0444);

/* mk64's counts (tests/kernel/bench_*.c). */
#define PAIRS 2000
#define LARGE_PAIRS 200
#define BATCH 1000
#define ROUNDS 20
#define BULK 16
#define VPAIRS 1000
#define LIVE_MAX 10000
#define FULL_FIT_HOLES 8192
#define BUSY_LIST 15000

#define MAX_REPS 15

static void *held[LIVE_MAX > 2 * FULL_FIT_HOLES ? LIVE_MAX : 2 * FULL_FIT_HOLES];
static void *busy[BUSY_LIST];
static struct page *page_held[BATCH];
static u64 loop_ns[MAX_REPS];

typedef void *(*vmalloc_node_fn)(unsigned long size, unsigned long align,
				 gfp_t gfp, int node, const void *caller);

static u64 now_ns(void)
{
	u64 ticks = __arch_counter_get_cntvct();
	u32 freq = arch_timer_get_cntfrq();

	return ticks / freq * NSEC_PER_SEC + ticks % freq * NSEC_PER_SEC / freq;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

/* value/ops with one decimal, rounded to nearest, as mk64's ktest prints. */
static void per_op(char *buf, size_t size, u64 value, u64 ops)
{
	u64 tenths = div64_u64(value * 10 + ops / 2, ops);

	snprintf(buf, size, "%llu.%llu", tenths / 10, tenths % 10);
}

/* The empty loop of n iterations, timed as every figure is. */
static u64 empty_loop(u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++)
		barrier();
	return now_ns() - t;
}

static void report(const char *name, u64 n, u64 *ns, unsigned int r)
{
	char v[32], l[32];

	for (unsigned int i = 0; i < r; i++)
		loop_ns[i] = empty_loop(n);
	per_op(v, sizeof(v), median(ns, r), n);
	per_op(l, sizeof(l), median(loop_ns, r), n);
	pr_info("# bench: %s ops=%llu ns_per_op=%s loop_ns_per_op=%s\n", name, n, v, l);
}

static void failed(const char *name, const char *why)
{
	pr_info("# bench: %s failed: %s\n", name, why);
}

/*
 * One benchmark: fn(arg) runs the timed loop n times and returns its
 * nanoseconds, or U64_MAX when an allocation failed.
 */
struct bench {
	const char *name;
	u64 (*fn)(unsigned long arg, u64 n);
	unsigned long arg;
	u64 count;
	bool in_ref;
	u64 unit;	/* the loop's step: counts are whole multiples of it */
};

static void run(const struct bench *b)
{
	u64 unit = b->unit ? b->unit : 1;
	u64 count = ops ? ops : b->count * scale / max(div, 1u);
	u64 ns[MAX_REPS], n = max(count / unit, 1ull) * unit;
	unsigned int r = clamp(reps, 1u, (unsigned int)MAX_REPS);

	if (ref && !b->in_ref)
		return;
	for (unsigned int i = 0; i < r; i++) {
		ns[i] = b->fn(b->arg, n);
		if (ns[i] == U64_MAX)
			return failed(b->name, "no memory");
		cond_resched();
	}
	report(b->name, n, ns, r);
}

/* ---- page allocator (bench_page_alloc.c) ---- */

static u64 page_pair(unsigned long order, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		if (!page)
			return U64_MAX;
		__free_pages(page, order);
	}
	return now_ns() - t;
}

/* The pair that uses its block: the first and the last word written. */
static u64 page_write_pair(unsigned long order, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		unsigned long *w;

		if (!page)
			return U64_MAX;
		w = page_address(page);
		WRITE_ONCE(w[0], i);
		WRITE_ONCE(w[(PAGE_SIZE << order) / sizeof(*w) - 1], i);
		__free_pages(page, order);
	}
	return now_ns() - t;
}

/* BATCH blocks held, then freed; n counts blocks. */
static u64 page_batch(unsigned long order, u64 n)
{
	u64 t = now_ns();

	for (u64 r = 0; r < n / BATCH; r++) {
		bool missing = false;

		for (int i = 0; i < BATCH; i++)
			page_held[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		for (int i = 0; i < BATCH; i++) {
			if (page_held[i])
				__free_pages(page_held[i], order);
			else
				missing = true;
		}
		if (missing)
			return U64_MAX;
	}
	return now_ns() - t;
}

/* ---- kmalloc (bench_kmalloc.c): constant sizes, as there ---- */

#define KMALLOC_PAIR(size)                                                      \
	static u64 kmalloc_pair_##size(unsigned long arg, u64 n)                \
	{                                                                       \
		void *p = kmalloc(size, GFP_KERNEL);                            \
		u64 t;                                                          \
                                                                                \
		if (!p)                                                         \
			return U64_MAX;                                         \
		kfree(p);                                                       \
		t = now_ns();                                                   \
		for (u64 i = 0; i < n; i++)                                     \
			kfree(kmalloc(size, GFP_KERNEL));                       \
		return now_ns() - t;                                            \
	}
KMALLOC_PAIR(8)
KMALLOC_PAIR(64)
KMALLOC_PAIR(256)
KMALLOC_PAIR(1024)
KMALLOC_PAIR(4096)
KMALLOC_PAIR(8192)
KMALLOC_PAIR(16384)

static u64 kmalloc64_batch(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 r = 0; r < n / BATCH; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmalloc(64, GFP_KERNEL);
		if (!held[BATCH - 1])
			return U64_MAX;
		for (int i = 0; i < BATCH; i++)
			kfree(held[i]);
	}
	return now_ns() - t;
}

/* ---- a 64-byte kmem_cache (bench_slub.c) ---- */

static struct kmem_cache *cache64;

static u64 cache_pair(struct kmem_cache *s, u64 n)
{
	u64 t;

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	t = now_ns();
	for (u64 i = 0; i < n; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	return now_ns() - t;
}

static u64 kmem_cache64_pair(unsigned long arg, u64 n)
{
	return cache_pair(cache64, n);
}

/* slub_debug's F Z P U as the cache's flags, as ours (never merged). */
static u64 kmem_cache64_pair_debug(unsigned long arg, u64 n)
{
	struct kmem_cache *s = kmem_cache_create("mk64_bench64_debug", 64, 0,
						 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE |
						 SLAB_POISON | SLAB_STORE_USER, NULL);
	u64 t;

	if (!s)
		return U64_MAX;
	t = cache_pair(s, n);
	kmem_cache_destroy(s);
	return t;
}

/* BATCH held, then freed; shrink: the cache's empty slabs given back each round. */
static u64 kmem_cache64_held(unsigned long shrink, u64 n)
{
	u64 t = now_ns();

	for (u64 r = 0; r < n / BATCH; r++) {
		for (int i = 0; i < BATCH; i++)
			held[i] = kmem_cache_alloc(cache64, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kmem_cache_free(cache64, held[i]);
		if (shrink)
			kmem_cache_shrink(cache64);
	}
	return now_ns() - t;
}

/* Bulk alloc+free of count objects; n counts objects. */
static u64 kmem_cache64_bulk(unsigned long count, u64 n)
{
	u64 t;

	kmem_cache_free(cache64, kmem_cache_alloc(cache64, GFP_KERNEL));
	t = now_ns();
	for (u64 r = 0; r < n / count; r++) {
		if (!kmem_cache_alloc_bulk(cache64, GFP_KERNEL, count, held))
			return U64_MAX;
		kmem_cache_free_bulk(cache64, count, held);
	}
	return now_ns() - t;
}

/* ---- vmalloc, vmap, ioremap (bench_vmalloc.c) ---- */

/* One warm-up pair, then n timed ones. */
static u64 vmalloc_pair(unsigned long pages, u64 n)
{
	void *p = vmalloc(pages * PAGE_SIZE);
	u64 t;

	if (!p)
		return U64_MAX;
	vfree(p);
	t = now_ns();
	for (u64 i = 0; i < n; i++)
		vfree(vmalloc(pages * PAGE_SIZE));
	return now_ns() - t;
}

/* BATCH areas of 4 pages held, then freed; n counts areas. */
static u64 vmalloc16k_batch(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 r = 0; r < n / BATCH; r++) {
		bool missing = false;

		for (int i = 0; i < BATCH; i++)
			held[i] = vmalloc(4 * PAGE_SIZE);
		for (int i = 0; i < BATCH; i++) {
			missing |= !held[i];
			vfree(held[i]);
		}
		if (missing)
			return U64_MAX;
	}
	return now_ns() - t;
}

static void vfree_all(void **v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		vfree(v[i]);
		v[i] = NULL;
	}
}

/* One-page pairs with live one-page areas already allocated (not timed). */
static u64 vmalloc4k_live(unsigned long live, u64 n)
{
	u64 t = U64_MAX;

	for (unsigned long i = 0; i < live; i++)
		if (!(held[i] = vmalloc(PAGE_SIZE)))
			goto out;
	t = vmalloc_pair(1, n);
out:
	vfree_all(held, live);
	return t;
}

static u64 vmap_pair(unsigned long pages, u64 n)
{
	u64 t = U64_MAX;

	for (unsigned long i = 0; i < pages; i++)
		if (!(page_held[i] = alloc_page(GFP_KERNEL)))
			goto out;
	vunmap(vmap(page_held, pages, VM_MAP, PAGE_KERNEL));
	t = now_ns();
	for (u64 i = 0; i < n; i++)
		vunmap(vmap(page_held, pages, VM_MAP, PAGE_KERNEL));
	t = now_ns() - t;
out:
	for (unsigned long i = 0; i < pages; i++)
		if (page_held[i])
			__free_page(page_held[i]);
	return t;
}

/* Device registers with no RAM behind them, as ours: only mapped. */
#define IOREMAP_PHYS (1ULL << 40)

static u64 ioremap_pair(unsigned long arg, u64 n)
{
	u64 t;

	iounmap(ioremap(IOREMAP_PHYS, PAGE_SIZE));
	t = now_ns();
	for (u64 i = 0; i < n; i++)
		iounmap(ioremap(IOREMAP_PHYS, PAGE_SIZE));
	return now_ns() - t;
}

/* ---- kmap (bench_kmap.c): a lowmem page, one byte read through the mapping ---- */

/*
 * arm64 Linux has no high memory: kmap, kmap_atomic and kmap_local_page
 * are page_address() (kmap_atomic also disables preemption and page
 * faults, kmap_local_page migration), like our *_lowmem pairs.
 */
static u64 kmap_pair(unsigned long kind, u64 n)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u64 t;

	if (!page)
		return U64_MAX;
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		void *p;

		switch (kind) {
		case 0:
			p = kmap(page);
			(void)READ_ONCE(*(u8 *)p);
			kunmap(page);
			break;
		case 1:
			p = kmap_atomic(page);
			(void)READ_ONCE(*(u8 *)p);
			kunmap_atomic(p);
			break;
		default:
			p = kmap_local_page(page);
			(void)READ_ONCE(*(u8 *)p);
			kunmap_local(p);
			break;
		}
	}
	t = now_ns() - t;
	__free_page(page);
	return t;
}

/*
 * ---- lib/test_vmalloc.c's scenarios, from their description, per loop ----
 * (vmalloc_scenarios.c on our side: the same shapes, the same random
 * sequence; the set-up of full fit and long busy list not timed.)
 */

/* xorshift64 from a fixed seed, a value below n. */
static u64 rng;

static u32 rnd(u32 n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(((rng >> 32) * n) >> 32);
}

static void *vmalloc_aligned(unsigned long size, unsigned long align, gfp_t gfp)
{
	vmalloc_node_fn fn = (vmalloc_node_fn)vmalloc_node_addr;

	return fn(size, align, gfp, NUMA_NO_NODE, __builtin_return_address(0));
}

/* One page, written, freed. */
static u64 tv_fix_size(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++) {
		u8 *p = vmalloc(PAGE_SIZE);

		if (!p)
			return U64_MAX;
		WRITE_ONCE(*p, 'a');
		vfree(p);
	}
	return now_ns() - t;
}

/* 1 to 100 pages, first and last byte written, freed. */
static u64 tv_random_size(unsigned long arg, u64 n)
{
	u64 t;

	rng = 0x2545f4914f6cdd1dULL;
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		unsigned long size = (1 + rnd(100)) * PAGE_SIZE;
		u8 *p = vmalloc(size);

		if (!p)
			return U64_MAX;
		WRITE_ONCE(p[0], 'a');
		WRITE_ONCE(p[size - 1], 'a');
		vfree(p);
	}
	return now_ns() - t;
}

/* 5 pages aligned to twice the stack size, zeroed, last byte read. */
static u64 tv_fix_align(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++) {
		u8 *p = vmalloc_aligned(5 * PAGE_SIZE, 2 * THREAD_SIZE, GFP_KERNEL | __GFP_ZERO);

		if (!p)
			return U64_MAX;
		(void)READ_ONCE(p[5 * PAGE_SIZE - 1]);
		vfree(p);
	}
	return now_ns() - t;
}

/* Alignment 2^0..2^22 bytes, then 1 to 10 pages, zeroed, last byte read. */
static u64 tv_random_size_align(unsigned long arg, u64 n)
{
	u64 t;

	rng = 0x2545f4914f6cdd1dULL;
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		unsigned long align = 1UL << rnd(23), size = (1 + rnd(10)) * PAGE_SIZE;
		u8 *p = vmalloc_aligned(size, align, GFP_KERNEL | __GFP_ZERO);

		if (!p)
			return U64_MAX;
		(void)READ_ONCE(p[size - 1]);
		vfree(p);
	}
	return now_ns() - t;
}

/*
 * 2 * FULL_FIT_HOLES one-page areas, every other one freed (holes), then
 * one page into a hole per loop; only the loops timed.
 */
static u64 tv_full_fit(unsigned long arg, u64 n)
{
	u64 t = U64_MAX;

	for (int i = 0; i < 2 * FULL_FIT_HOLES; i++)
		if (!(held[i] = vmalloc(PAGE_SIZE)))
			goto out;
	for (int i = 1; i < 2 * FULL_FIT_HOLES; i += 2) {
		vfree(held[i]);
		held[i] = NULL;
	}
	t = tv_fix_size(0, n);
out:
	vfree_all(held, 2 * FULL_FIT_HOLES);
	return t;
}

/* BUSY_LIST one-page areas live; 100 pages and 1 page per loop, only the loops timed. */
static u64 tv_long_busy_list(unsigned long arg, u64 n)
{
	u64 t = U64_MAX;

	for (int i = 0; i < BUSY_LIST; i++)
		if (!(busy[i] = vmalloc(PAGE_SIZE)))
			goto out;
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		u8 *a = vmalloc(100 * PAGE_SIZE), *b = vmalloc(PAGE_SIZE);

		if (!a || !b) {
			vfree(a);
			vfree(b);
			t = U64_MAX;
			goto out;
		}
		WRITE_ONCE(*a, 'a');
		WRITE_ONCE(*b, 'a');
		vfree(a);
		vfree(b);
	}
	t = now_ns() - t;
out:
	vfree_all(busy, BUSY_LIST);
	return t;
}

/* One page at every power-of-two alignment 2^0..2^63 (the large ones fail). */
static u64 tv_align_shift(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++)
		for (int shift = 0; shift < BITS_PER_LONG; shift++)
			vfree(vmalloc_aligned(PAGE_SIZE, 1UL << shift,
					      GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN));
	return now_ns() - t;
}

/* ---- lib (bench_lib.c) ---- */

static u8 src[4096] __aligned(64), dst[4096] __aligned(64);

static u64 memcpy_4k(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++)
		memcpy(dst, src, sizeof(dst));
	return now_ns() - t;
}

static u64 memset_4k(unsigned long arg, u64 n)
{
	u64 t = now_ns();

	for (u64 i = 0; i < n; i++)
		memset(dst, i, sizeof(dst));
	return now_ns() - t;
}

static u64 page_op(unsigned long copy, u64 n)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	u8 *va;
	u64 t;

	if (!page)
		return U64_MAX;
	va = page_address(page);
	t = now_ns();
	for (u64 i = 0; i < n; i++)
		if (copy)
			copy_page(va + PAGE_SIZE, va);
		else
			clear_page(va);
	t = now_ns() - t;
	__free_pages(page, 1);
	return t;
}

static const struct bench benches[] = {
	{ "memcpy_4k", memcpy_4k, 0, PAIRS },
	{ "memset_4k", memset_4k, 0, PAIRS },
	{ "clear_page", page_op, 0, PAIRS },
	{ "copy_page", page_op, 1, PAIRS },
	{ "page_order0_pair", page_pair, 0, PAIRS, true },
	{ "page_order3_pair", page_pair, 3, PAIRS, true },
	{ "page_order9_pair", page_pair, 9, PAIRS },
	{ "page_order0_write_pair", page_write_pair, 0, PAIRS },
	{ "page_order3_write_pair", page_write_pair, 3, PAIRS },
	{ "page_order0_batch", page_batch, 0, ROUNDS * BATCH, true, BATCH },
	{ "page_order3_batch", page_batch, 3, ROUNDS * BATCH, true, BATCH },
	{ "kmalloc8_pair", kmalloc_pair_8, 0, PAIRS },
	{ "kmalloc64_pair", kmalloc_pair_64, 0, PAIRS, true },
	{ "kmalloc256_pair", kmalloc_pair_256, 0, PAIRS },
	{ "kmalloc1k_pair", kmalloc_pair_1024, 0, PAIRS },
	{ "kmalloc4k_pair", kmalloc_pair_4096, 0, PAIRS },
	{ "kmalloc8k_pair", kmalloc_pair_8192, 0, PAIRS },
	{ "kmalloc16k_pair", kmalloc_pair_16384, 0, LARGE_PAIRS },
	{ "kmalloc64_batch", kmalloc64_batch, 0, ROUNDS * BATCH, true, BATCH },
	{ "kmem_cache64_pair", kmem_cache64_pair, 0, PAIRS, true },
	{ "kmem_cache64_pair_debug", kmem_cache64_pair_debug, 0, PAIRS },
	{ "kmem_cache64_batch", kmem_cache64_held, 0, ROUNDS * BATCH, true, BATCH },
	{ "kmem_cache64_fresh", kmem_cache64_held, 1, ROUNDS * BATCH, false, BATCH },
	{ "kmem_cache64_bulk16", kmem_cache64_bulk, BULK, PAIRS * BULK, false, BULK },
	{ "kmem_cache64_bulk1000", kmem_cache64_bulk, BATCH, ROUNDS * BATCH, false, BATCH },
	{ "vmalloc4k_pair", vmalloc_pair, 1, VPAIRS },
	{ "vmalloc16k_pair", vmalloc_pair, 4, VPAIRS, true },
	{ "vmalloc64k_pair", vmalloc_pair, 16, VPAIRS },
	{ "vmalloc1m_pair", vmalloc_pair, 256, VPAIRS / 10 },
	{ "vmalloc16k_batch", vmalloc16k_batch, 0, ROUNDS * BATCH, true, BATCH },
	{ "vmalloc4k_live10", vmalloc4k_live, 10, VPAIRS },
	{ "vmalloc4k_live100", vmalloc4k_live, 100, VPAIRS },
	{ "vmalloc4k_live1000", vmalloc4k_live, 1000, VPAIRS },
	{ "vmalloc4k_live10000", vmalloc4k_live, 10000, VPAIRS },
	{ "vmap16_pair", vmap_pair, 16, VPAIRS },
	{ "ioremap_pair", ioremap_pair, 0, VPAIRS },
	{ "kmap_pair_lowmem", kmap_pair, 0, PAIRS },
	{ "kmap_atomic_pair_lowmem", kmap_pair, 1, PAIRS },
	{ "kmap_local_pair_lowmem", kmap_pair, 2, PAIRS },
	{ "tv_fix_size", tv_fix_size, 0, 1000 },
	{ "tv_random_size", tv_random_size, 0, 200 },
	{ "tv_full_fit", tv_full_fit, 0, 1000 },
	{ "tv_long_busy_list", tv_long_busy_list, 0, 1000 },
};

/* These need __vmalloc_node(). */
static const struct bench aligned_benches[] = {
	{ "tv_fix_align", tv_fix_align, 0, 1000 },
	{ "tv_random_size_align", tv_random_size_align, 0, 500 },
	{ "tv_align_shift", tv_align_shift, 0, 10 },
};

/*
 * ---- several CPUs at once (bench_smp_alloc.c), booted -smp 4 ----
 * The same loop on CPU 0 alone ("<name>_1ofN", N CPUs online) and on
 * every CPU at once ("<name>_smpN"), each CPU in a kthread bound to it,
 * timed from when the last has come to the start line until the last has
 * finished, per operation of all CPUs: under -icount the clock counts
 * every CPU's instructions, as in mk64's figures. The pair loops yield
 * (cpu_relax()) every TURN_OPS pairs, as ours, so that QEMU's turns
 * interleave the CPUs finely.
 */
#define TURN_OPS 64
#define SMP_PAIRS (1600 * TURN_OPS)
#define HELD 100
#define HELD_OPS 20000

struct smp_loop {
	void (*fn)(struct smp_loop *l, unsigned int idx, u64 n);
	unsigned int cpus, shift;
	atomic_t arrived, finished, waiting, failed;
	unsigned int generation;
	bool go;
	u64 start, end;
	struct completion done;
	void *held[NR_CPUS];
};

static void smp_kmalloc64(struct smp_loop *l, unsigned int idx, u64 n)
{
	for (u64 k = n / TURN_OPS; k > 0; k--) {
		for (unsigned int i = TURN_OPS; i > 0; i--)
			kfree(kmalloc(64, GFP_KERNEL));
		cpu_relax();
	}
}

static void smp_cache64(struct smp_loop *l, unsigned int idx, u64 n)
{
	struct kmem_cache *s = cache64;

	for (u64 k = n / TURN_OPS; k > 0; k--) {
		for (unsigned int i = TURN_OPS; i > 0; i--)
			kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
		cpu_relax();
	}
}

static void smp_page0(struct smp_loop *l, unsigned int idx, u64 n)
{
	for (u64 k = n / TURN_OPS; k > 0; k--) {
		for (unsigned int i = TURN_OPS; i > 0; i--) {
			struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

			if (page)
				__free_pages(page, 0);
			else
				atomic_inc(&l->failed);
		}
		cpu_relax();
	}
}

/* Every CPU of the loop waits here until all have come. */
static void smp_barrier(struct smp_loop *l)
{
	unsigned int gen = smp_load_acquire(&l->generation);

	if (atomic_inc_return(&l->waiting) == l->cpus) {
		atomic_set(&l->waiting, 0);
		smp_store_release(&l->generation, gen + 1);
		return;
	}
	while (smp_load_acquire(&l->generation) == gen)
		cpu_relax();
}

/*
 * Rounds of HELD kmalloc-64 objects (chained through their first word),
 * barrier, the batch of CPU idx + shift freed, barrier.
 */
static void smp_held(struct smp_loop *l, unsigned int idx, u64 n)
{
	unsigned int from = (idx + l->shift) % l->cpus;

	for (u64 r = 0; r < n / HELD; r++) {
		void *head = NULL;

		for (unsigned int i = 0; i < HELD; i++) {
			void **p = kmalloc(64, GFP_KERNEL);

			if (!p) {
				atomic_inc(&l->failed);
				continue;
			}
			*p = head;
			head = p;
		}
		l->held[idx] = head;
		smp_barrier(l);
		for (head = l->held[from]; head;) {
			void *next = *(void **)head;

			kfree(head);
			head = next;
		}
		smp_barrier(l);
	}
}

struct smp_worker {
	struct smp_loop *loop;
	unsigned int idx;
	u64 n;
};

static int smp_worker_fn(void *arg)
{
	struct smp_worker *w = arg;
	struct smp_loop *l = w->loop;

	if (l->fn != smp_held)
		l->fn(l, w->idx, TURN_OPS);	/* warm-up */
	if (atomic_inc_return(&l->arrived) == l->cpus) {
		l->start = now_ns();
		smp_store_release(&l->go, true);
	}
	while (!smp_load_acquire(&l->go))
		cpu_relax();
	l->fn(l, w->idx, w->n);
	if (atomic_inc_return(&l->finished) == l->cpus)
		l->end = now_ns();
	complete(&l->done);
	return 0;
}

/*
 * l on the first cpus online CPUs, n operations each; the elapsed ns, or
 * U64_MAX when a thread could not be made or an allocation failed.
 */
static u64 smp_run(struct smp_loop *l, unsigned int cpus, u64 n)
{
	static struct smp_worker workers[NR_CPUS];
	static struct task_struct *tasks[NR_CPUS];
	unsigned int made = 0, cpu;

	l->cpus = cpus;
	atomic_set(&l->arrived, 0);
	atomic_set(&l->finished, 0);
	atomic_set(&l->waiting, 0);
	atomic_set(&l->failed, 0);
	l->generation = 0;
	l->go = false;
	init_completion(&l->done);
	for_each_online_cpu(cpu) {
		if (made == cpus)
			break;
		workers[made] = (struct smp_worker){ .loop = l, .idx = made, .n = n };
		tasks[made] = kthread_create(smp_worker_fn, &workers[made], "mk64_bench/%u", cpu);
		if (IS_ERR(tasks[made])) {
			while (made--)
				kthread_stop(tasks[made]);	/* never woken: never runs */
			return U64_MAX;
		}
		kthread_bind(tasks[made++], cpu);
	}
	for (unsigned int i = 0; i < made; i++)
		wake_up_process(tasks[i]);
	for (unsigned int i = 0; i < made; i++)
		wait_for_completion(&l->done);
	return atomic_read(&l->failed) ? U64_MAX : l->end - l->start;
}

struct smp_bench {
	const char *name;
	void (*fn)(struct smp_loop *l, unsigned int idx, u64 n);
	unsigned int shift;
	u64 count, unit;
	bool alone;	/* also on CPU 0 alone */
};

static const struct smp_bench smp_benches[] = {
	{ "kmalloc64_pair", smp_kmalloc64, 0, SMP_PAIRS, TURN_OPS, true },
	{ "kmem_cache64_pair", smp_cache64, 0, SMP_PAIRS, TURN_OPS, true },
	{ "page_order0_pair", smp_page0, 0, SMP_PAIRS, TURN_OPS, true },
	{ "kmalloc64_held100", smp_held, 0, HELD_OPS, HELD, true },
	{ "kmalloc64_held100_remote", smp_held, 1, HELD_OPS, HELD, false },
};

static void run_smp(const struct smp_bench *b)
{
	static struct smp_loop loop;
	unsigned int online = num_online_cpus();
	u64 count = ops ? ops : b->count * scale / max(div, 1u);
	u64 n = max(count / b->unit, 1ull) * b->unit, ns;
	char name[48];

	loop = (struct smp_loop){ .fn = b->fn, .shift = b->shift };
	if (online < 2)
		return failed(b->name, "one CPU online");
	if (b->alone) {
		ns = smp_run(&loop, 1, n);
		snprintf(name, sizeof(name), "%s_1of%u", b->name, online);
		if (ns == U64_MAX)
			return failed(name, "no memory");
		report(name, n, &ns, 1);
	}
	ns = smp_run(&loop, online, n);
	snprintf(name, sizeof(name), "%s_smp%u", b->name, online);
	if (ns == U64_MAX)
		return failed(name, "no memory");
	report(name, online * n, &ns, 1);
}

/*
 * One CPU's frees of what another allocated (kfree64_remote,
 * free_page_remote) beside its frees of its own (..._local): REMOTE_OBJS
 * kmalloc-64 objects or order-0 pages allocated by a kthread on one CPU,
 * then freed by one on the first online CPU, the frees alone timed.
 */
#define REMOTE_OBJS 10000

static void *remote_chain;
static LIST_HEAD(remote_pages);
static unsigned int remote_failed;
static u64 remote_ns;

struct on_cpu {
	void (*fn)(void);
	struct completion done;
};

static int on_cpu_fn(void *arg)
{
	struct on_cpu *c = arg;

	c->fn();
	complete(&c->done);
	return 0;
}

/* fn() in a kthread bound to cpu, waited for; false if none could be made. */
static bool run_on_cpu(unsigned int cpu, void (*fn)(void))
{
	struct on_cpu c = { .fn = fn };
	struct task_struct *task;

	init_completion(&c.done);
	task = kthread_create(on_cpu_fn, &c, "mk64_bench/%u", cpu);
	if (IS_ERR(task))
		return false;
	kthread_bind(task, cpu);
	wake_up_process(task);
	wait_for_completion(&c.done);
	return true;
}

static void alloc_objects(void)
{
	for (unsigned int i = 0; i < REMOTE_OBJS; i++) {
		void **p = kmalloc(64, GFP_KERNEL);

		if (!p) {
			remote_failed++;
			continue;
		}
		*p = remote_chain;
		remote_chain = p;
	}
}

static void free_objects(void)
{
	u64 t = now_ns();

	while (remote_chain) {
		void *next = *(void **)remote_chain;

		kfree(remote_chain);
		remote_chain = next;
	}
	remote_ns = now_ns() - t;
}

static void alloc_page_list(void)
{
	for (unsigned int i = 0; i < REMOTE_OBJS; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

		if (page)
			list_add(&page->lru, &remote_pages);
		else
			remote_failed++;
	}
}

static void free_page_list(void)
{
	u64 t = now_ns();

	while (!list_empty(&remote_pages)) {
		struct page *page = list_first_entry(&remote_pages, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, 0);
	}
	remote_ns = now_ns() - t;
}

/* alloc() on the second online CPU (remote) or the first, free() on the first: "name". */
static void frees_of(const char *name, bool remote, void (*alloc)(void), void (*free)(void))
{
	unsigned int first = cpumask_first(cpu_online_mask);
	unsigned int by = remote ? cpumask_next(first, cpu_online_mask) : first;

	if (by >= nr_cpu_ids)
		return failed(name, "one CPU online");
	remote_failed = 0;
	if (!run_on_cpu(by, alloc) || !run_on_cpu(first, free))
		return failed(name, "no kthread");
	if (remote_failed)
		return failed(name, "no memory");
	report(name, REMOTE_OBJS, &remote_ns, 1);
}

static const struct {
	const char *name;
	bool remote;
	void (*alloc)(void), (*free)(void);
} remote_benches[] = {
	{ "kfree64_local", false, alloc_objects, free_objects },
	{ "kfree64_remote", true, alloc_objects, free_objects },
	{ "free_page_local", false, alloc_page_list, free_page_list },
	{ "free_page_remote", true, alloc_page_list, free_page_list },
};

static int __init mk64_bench_init(void)
{
	cache64 = kmem_cache_create("mk64_bench64", 64, 0, 0, NULL);
	if (!cache64)
		return -ENOMEM;
	pr_info("# mk64_bench: reps=%u scale=%u ref=%d init_on_alloc=%d\n", reps, scale,
		ref, want_init_on_alloc(GFP_KERNEL));
	for (unsigned int i = 0; i < ARRAY_SIZE(benches) && smp < 2; i++)
		run(&benches[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(aligned_benches) && smp < 2; i++)
		if (vmalloc_node_addr)
			run(&aligned_benches[i]);
		else if (!ref)
			failed(aligned_benches[i].name, "no __vmalloc_node address");
	for (unsigned int i = 0; i < ARRAY_SIZE(smp_benches) && smp; i++)
		run_smp(&smp_benches[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(remote_benches) && smp; i++)
		frees_of(remote_benches[i].name, remote_benches[i].remote, remote_benches[i].alloc,
			 remote_benches[i].free);
	pr_info("# mk64_bench: done\n");
	return 0;
}

/* The cache lives until then: /init looks at /sys/kernel/slab/mk64_bench64. */
static void __exit mk64_bench_exit(void)
{
	kmem_cache_destroy(cache64);
}

module_init(mk64_bench_init);
module_exit(mk64_bench_exit);
MODULE_DESCRIPTION("mk64's benchmarks, measured in Linux");
MODULE_LICENSE("GPL");
