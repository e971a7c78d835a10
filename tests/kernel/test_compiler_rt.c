/*
 * kernel/compiler_rt.c, the libgcc helpers the kernel provides itself,
 * against a bit-at-a-time model. The compiler calls __popcountdi2 for
 * __builtin_popcountll under -mgeneral-regs-only; both ways are checked.
 */
#include <mk64/ktest.h>
#include <mk64/types.h>

int __popcountdi2(unsigned long x);

static int popcount_model(u64 x)
{
	int n = 0;

	for (int i = 0; i < 64; i++)
		n += (x >> i) & 1;
	return n;
}

static void popcount_matches_model(struct ktest *t)
{
	static const u64 fixed[] = {
		0, 1, 0x8000000000000000ull, ~0ull, 0x5555555555555555ull,
		0xaaaaaaaaaaaaaaaaull, 0x00ff00ff00ff00ffull, 0x0101010101010101ull,
		0x7fffffffffffffffull, 0xfffffffffffffffeull,
	};
	u64 x = 0x9e3779b97f4a7c15ull;
	unsigned int bad = 0;

	KTEST_EXPECT_EQ(t, __popcountdi2(0), 0);
	KTEST_EXPECT_EQ(t, __popcountdi2(~0ul), 64);
	for (unsigned int i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		KTEST_EXPECT_EQ(t, __popcountdi2(fixed[i]), popcount_model(fixed[i]));
		KTEST_EXPECT_EQ(t, __builtin_popcountll(fixed[i]), popcount_model(fixed[i]));
	}
	/* xorshift64: every bit count from sparse to dense comes up. */
	for (int i = 0; i < 4096; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		bad += __popcountdi2(x) != popcount_model(x);
		bad += __popcountdi2(x & (x >> 3)) != popcount_model(x & (x >> 3));
	}
	KTEST_EXPECT_EQ(t, bad, 0u);
}

KTEST_SUITE(compiler_rt, KTEST_CASE(popcount_matches_model));
