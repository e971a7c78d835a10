/* setjmp/longjmp: the mechanism behind ASSERT and, later, fault fixups. */
#include <mk64/ktest.h>
#include <mk64/setjmp.h>

static jmp_buf env;

static __attribute__((noinline)) void jump_back(int val)
{
	longjmp(env, val);
}

static void returns_value(struct ktest *t)
{
	volatile int stage = 0;
	int r = setjmp(env);

	if (stage++ == 0) {
		KTEST_EXPECT_EQ(t, r, 0);
		jump_back(7);
	}
	KTEST_EXPECT_EQ(t, r, 7);
	KTEST_EXPECT_EQ(t, stage, 2);
}

static void zero_becomes_one(struct ktest *t)
{
	volatile int stage = 0;
	int r = setjmp(env);

	if (stage++ == 0)
		jump_back(0);
	KTEST_EXPECT_EQ(t, r, 1);
}

KTEST_SUITE(setjmp, KTEST_CASE(returns_value), KTEST_CASE(zero_becomes_one));
