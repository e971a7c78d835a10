/* Command-line parsing: values, flags, last-wins and truncation. */
#include <mk64/cmdline.h>
#include <mk64/ktest.h>

static void value_found(struct ktest *t)
{
	char v[32];

	KTEST_ASSERT_TRUE(t, cmdline_get("a=1 ktest.filter=dt* quiet", "ktest.filter", v, sizeof(v)));
	KTEST_EXPECT_STREQ(t, v, "dt*");
	KTEST_EXPECT_TRUE(t, cmdline_get("  x=\tb=2\n", "b", v, sizeof(v)));
	KTEST_EXPECT_STREQ(t, v, "2");
	KTEST_EXPECT_TRUE(t, cmdline_get("x=", "x", v, sizeof(v)));
	KTEST_EXPECT_STREQ(t, v, "");
}

static void value_absent(struct ktest *t)
{
	char v[8] = "keep";

	KTEST_EXPECT_FALSE(t, cmdline_get("", "a", v, sizeof(v)));
	KTEST_EXPECT_FALSE(t, cmdline_get("ab=1 a", "a", v, sizeof(v)));
	KTEST_EXPECT_FALSE(t, cmdline_get("xa=1", "a", v, sizeof(v)));
	KTEST_EXPECT_STREQ(t, v, "keep");
}

static void last_wins_and_truncates(struct ktest *t)
{
	char v[4];

	KTEST_ASSERT_TRUE(t, cmdline_get("a=first a=second", "a", v, sizeof(v)));
	KTEST_EXPECT_STREQ(t, v, "sec");
}

static void bare_flags(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, cmdline_has("loglevel=3 quiet", "quiet"));
	KTEST_EXPECT_FALSE(t, cmdline_has("quieter quiet=1", "quiet"));
	KTEST_EXPECT_FALSE(t, cmdline_has("", "quiet"));
}

static void sizes(struct ktest *t)
{
	char *end;

	KTEST_EXPECT_EQ(t, memparse("384M", &end), 384ull << 20);
	KTEST_EXPECT_STREQ(t, end, "");
	KTEST_EXPECT_EQ(t, memparse("2g rest", &end), 2ull << 30);
	KTEST_EXPECT_STREQ(t, end, " rest");
	KTEST_EXPECT_EQ(t, memparse("0x1000k", NULL), 0x1000ull << 10);
	KTEST_EXPECT_EQ(t, memparse("4096", NULL), 4096ull);
	KTEST_EXPECT_EQ(t, memparse("1T", NULL), 1ull << 40);
}

KTEST_SUITE(cmdline, KTEST_CASE(value_found), KTEST_CASE(value_absent),
	    KTEST_CASE(last_wins_and_truncates), KTEST_CASE(bare_flags), KTEST_CASE(sizes));
