/* lib/test_vmalloc.c's scenarios over mk64's vmalloc (vmalloc_scenarios.h). */
#include <asm/memory.h>
#include <mk64/string.h>
#include <mk64/vmalloc.h>
#include "vmalloc_scenarios.h"

#define FULL_FIT_HOLES 8192
#define BUSY_AREAS 15000

static u32 rnd(u64 *s, u32 n)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (u32)((*s >> 32) * n >> 32);
}

static void timer_start(struct tv_timer *tm)
{
	if (tm)
		ktest_bench_start(&tm->b);
}

static void timer_end(struct tv_timer *tm, unsigned int loops)
{
	if (tm)
		ktest_bench_end(&tm->b, tm->name, loops);
}

static void *caller(void)
{
	return __builtin_return_address(0);
}

const char *tv_fix_size(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	(void)rng;
	timer_start(tm);
	for (unsigned int i = 0; i < loops; i++) {
		u8 *p = vmalloc(PAGE_SIZE);

		if (!p)
			return "vmalloc(1 page) failed";
		*p = 'a';
		vfree(p);
	}
	timer_end(tm, loops);
	return NULL;
}

const char *tv_random_size(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	timer_start(tm);
	for (unsigned int i = 0; i < loops; i++) {
		unsigned long n = 1 + rnd(rng, 100);
		u8 *p = vmalloc(n * PAGE_SIZE);

		if (!p)
			return "vmalloc(1-100 pages) failed";
		p[0] = 'a';
		p[n * PAGE_SIZE - 1] = 'a';
		vfree(p);
	}
	timer_end(tm, loops);
	return NULL;
}

const char *tv_fix_align(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	const unsigned long align = 2 * THREAD_SIZE;

	(void)rng;
	timer_start(tm);
	for (unsigned int i = 0; i < loops; i++) {
		u8 *p = __vmalloc_node(5 * PAGE_SIZE, align, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
				       caller());

		if (!p)
			return "5 aligned pages failed";
		if (!IS_ALIGNED((unsigned long)p, align) || p[5 * PAGE_SIZE - 1]) {
			vfree(p);
			return "5 aligned pages: misaligned or not zeroed";
		}
		vfree(p);
	}
	timer_end(tm, loops);
	return NULL;
}

const char *tv_random_size_align(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	timer_start(tm);
	for (unsigned int i = 0; i < loops; i++) {
		unsigned long align = 1UL << rnd(rng, 23), size = (1 + rnd(rng, 10)) * PAGE_SIZE;
		u8 *p = __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, caller());

		if (!p)
			return "random size and alignment failed";
		if (!IS_ALIGNED((unsigned long)p, max(align, PAGE_SIZE)) || p[size - 1]) {
			vfree(p);
			return "random size and alignment: misaligned or not zeroed";
		}
		vfree(p);
	}
	timer_end(tm, loops);
	return NULL;
}

const char *tv_full_fit(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	void **held = vzalloc(2 * FULL_FIT_HOLES * sizeof(void *));
	unsigned long lowest_hole = ~0UL;
	const char *err = NULL;

	(void)rng;
	if (!held)
		return "no memory for the pointer array";
	for (unsigned int i = 0; i < 2 * FULL_FIT_HOLES && !err; i++)
		if (!(held[i] = vmalloc(PAGE_SIZE)))
			err = "filling: vmalloc(1 page) failed";
	/* Punch: every other area goes; its page and guard page make a hole. */
	for (unsigned int i = 1; i < 2 * FULL_FIT_HOLES; i += 2) {
		if (held[i])
			lowest_hole = min(lowest_hole, (unsigned long)held[i]);
		vfree(held[i]);
		held[i] = NULL;
	}
	timer_start(tm);
	for (unsigned int i = 0; i < loops && !err; i++) {
		u8 *p = vmalloc(PAGE_SIZE);

		if (!p) {
			err = "vmalloc(1 page) into a hole failed";
			break;
		}
		*p = 1;
		/*
		 * Lowest first, and nothing lower holds two pages (the first
		 * area of the fill would have taken it): the lowest hole.
		 */
		if ((unsigned long)p != lowest_hole)
			err = "vmalloc(1 page) did not fill the lowest hole";
		vfree(p);
	}
	timer_end(tm, loops);
	for (unsigned int i = 0; i < 2 * FULL_FIT_HOLES; i += 2)
		vfree(held[i]);
	vfree(held);
	return err;
}

const char *tv_long_busy_list(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	void **held = vzalloc(BUSY_AREAS * sizeof(void *));
	const char *err = NULL;

	(void)rng;
	if (!held)
		return "no memory for the pointer array";
	for (unsigned int i = 0; i < BUSY_AREAS && !err; i++)
		if (!(held[i] = vmalloc(PAGE_SIZE)))
			err = "filling: vmalloc(1 page) failed";
	timer_start(tm);
	for (unsigned int i = 0; i < loops && !err; i++) {
		u8 *p1 = vmalloc(100 * PAGE_SIZE), *p2 = vmalloc(PAGE_SIZE);

		if (!p1 || !p2)
			err = "100 + 1 pages failed";
		else
			*p1 = *p2 = 'a';
		vfree(p1);
		vfree(p2);
	}
	timer_end(tm, loops);
	for (unsigned int i = 0; i < BUSY_AREAS; i++)
		vfree(held[i]);
	vfree(held);
	return err;
}

/* Whether the region has an address aligned to align with two pages (area + guard) above it. */
static bool aligned_room(unsigned long align)
{
	unsigned long first = VMALLOC_START + PAGE_SIZE;
	unsigned long a = (first + align - 1) & ~(align - 1);

	return a >= first && a <= VMALLOC_END - 2 * PAGE_SIZE;
}

const char *tv_align_shift(unsigned int loops, u64 *rng, struct tv_timer *tm)
{
	(void)rng;
	timer_start(tm);
	for (unsigned int i = 0; i < loops; i++) {
		for (unsigned int shift = 0; shift < 64; shift++) {
			unsigned long align = 1UL << shift;
			u8 *p = __vmalloc_node(PAGE_SIZE, align, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
					       NUMA_NO_NODE, caller());

			if (!p != !aligned_room(max(align, PAGE_SIZE))) {
				vfree(p);
				return p ? "an impossible alignment succeeded"
					 : "a possible alignment failed";
			}
			if (p && !IS_ALIGNED((unsigned long)p, align)) {
				vfree(p);
				return "misaligned";
			}
			vfree(p);
		}
	}
	timer_end(tm, loops);
	return NULL;
}
