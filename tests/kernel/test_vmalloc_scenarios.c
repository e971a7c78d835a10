/*
 * Linux's lib/test_vmalloc.c scenarios as a suite (vmalloc_scenarios.c),
 * a few loops each; the two that hold thousands of areas skip on a machine
 * without the memory for them. bench_vmalloc times the same functions.
 */
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include "vmalloc_scenarios.h"

#define LOOPS 50

#define SCENARIO_CASE(fn, big)                                                  \
	static void fn##_case(struct ktest *t)                                  \
	{                                                                       \
		u64 rng = 0x2545f4914f6cdd1dULL;                                \
		const char *err;                                                \
                                                                                \
		if ((big) && nr_free_pages() < TV_BIG_PAGES)                    \
			ktest_skip(t, "not enough free memory");                \
		err = fn(LOOPS, &rng, NULL);                                          \
		if (err)                                                        \
			ktest_fail(t, false, __FILE__, __LINE__, "%s", err);    \
	}

SCENARIO_CASE(tv_fix_size, false)
SCENARIO_CASE(tv_random_size, false)
SCENARIO_CASE(tv_fix_align, false)
SCENARIO_CASE(tv_random_size_align, false)
SCENARIO_CASE(tv_full_fit, true)
SCENARIO_CASE(tv_long_busy_list, true)
SCENARIO_CASE(tv_align_shift, false)

KTEST_SUITE(vmalloc_scenarios, KTEST_CASE(tv_fix_size_case), KTEST_CASE(tv_random_size_case),
	    KTEST_CASE(tv_fix_align_case), KTEST_CASE(tv_random_size_align_case),
	    KTEST_CASE(tv_full_fit_case), KTEST_CASE(tv_long_busy_list_case),
	    KTEST_CASE(tv_align_shift_case));
