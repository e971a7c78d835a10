/*
 * Linux's lib/test_vmalloc.c scenarios, written here from their
 * description, shared by the vmalloc_scenarios suite (correctness, few
 * loops) and bench_vmalloc (per-loop cost). Each runs loops iterations and
 * returns NULL, or what went wrong; every area it made is freed however it
 * ends. rng is the caller's generator state.
 */
#ifndef TESTS_VMALLOC_SCENARIOS_H
#define TESTS_VMALLOC_SCENARIOS_H

#include <mk64/ktest.h>
#include <mk64/types.h>

/* With a timer, the loops (not the set-up) are timed and reported under name. */
struct tv_timer {
	struct ktest_bench b;
	const char *name;
};

/* vmalloc(1 page), touch it, vfree. */
const char *tv_fix_size(unsigned int loops, u64 *rng, struct tv_timer *tm);
/* 1-100 pages, random. */
const char *tv_random_size(unsigned int loops, u64 *rng, struct tv_timer *tm);
/* 5 pages aligned to twice the stack size, zeroed. */
const char *tv_fix_align(unsigned int loops, u64 *rng, struct tv_timer *tm);
/* 1-10 pages aligned to 2^0..2^22, zeroed; the alignment is checked. */
const char *tv_random_size_align(unsigned int loops, u64 *rng, struct tv_timer *tm);
/*
 * 8192 one-page areas held with 8192 others between them freed: one-page
 * holes (with their guard pages) that each loop's vmalloc(1 page) must fill
 * exactly, at a hole's address.
 */
const char *tv_full_fit(unsigned int loops, u64 *rng, struct tv_timer *tm);
/* 15000 live one-page areas, then 100-page + 1-page pairs. */
const char *tv_long_busy_list(unsigned int loops, u64 *rng, struct tv_timer *tm);
/*
 * One page at every power-of-two alignment 2^0..2^63: must succeed exactly
 * while an aligned address with room exists in the region, and fail
 * cleanly (NULL, no report) beyond.
 */
const char *tv_align_shift(unsigned int loops, u64 *rng, struct tv_timer *tm);

/* Pages the held areas of full fit and long busy list need, with margin. */
#define TV_BIG_PAGES (2 * 16384UL + 4096)

#endif
