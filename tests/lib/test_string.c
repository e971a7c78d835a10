/*
 * lib/string.c. Buffers are filled with position-dependent patterns and
 * checked byte by byte, never with a copy or fill loop a compiler could
 * turn back into a call of the function under test.
 */
#include <mk64/ktest.h>
#include <mk64/string.h>

#define MAX_OFF 16
#define MAX_LEN 64
/*
 * Big enough for every offset + length, and no bigger: on the host, ASan
 * catches a read or write just past the largest combinations.
 */
#define BUF_LEN (MAX_OFF + MAX_LEN)

static u8 pattern(size_t i)
{
	return (u8)(i * 7 + 1);
}

static u8 guard(size_t i)
{
	return (u8)(i * 13 + 0x5a);
}

static void fill(u8 *buf, size_t n, u8 (*fn)(size_t))
{
	for (size_t i = 0; i < n; i++)
		buf[i] = fn(i);
}

static void check_memcpy(struct ktest *t, size_t da, size_t sa, size_t len)
{
	u8 src[BUF_LEN];
	u8 dst[BUF_LEN];
	void *ret;

	fill(src, sizeof(src), pattern);
	fill(dst, sizeof(dst), guard);
	ret = memcpy(dst + da, src + sa, len);
	if (ret != dst + da)
		ktest_fail(t, true, __FILE__, __LINE__,
			   "memcpy(dst+%zu, src+%zu, %zu) returned dst%+td",
			   da, sa, len, (u8 *)ret - dst);
	for (size_t i = 0; i < sizeof(dst); i++) {
		bool in = i >= da && i < da + len;
		u8 want = in ? pattern(sa + i - da) : guard(i);

		if (dst[i] != want)
			ktest_fail(t, true, __FILE__, __LINE__,
				   "memcpy(dst+%zu, src+%zu, %zu): dst[%zu] = %#x, want %#x",
				   da, sa, len, i, dst[i], want);
	}
}

static void memcpy_alignments(struct ktest *t)
{
	for (size_t da = 0; da < MAX_OFF; da++)
		for (size_t sa = 0; sa < MAX_OFF; sa++)
			for (size_t len = 0; len <= MAX_LEN; len++)
				check_memcpy(t, da, sa, len);
}

static void check_memset(struct ktest *t, size_t off, int c, size_t len)
{
	u8 buf[BUF_LEN];
	void *ret;

	fill(buf, sizeof(buf), guard);
	ret = memset(buf + off, c, len);
	if (ret != buf + off)
		ktest_fail(t, true, __FILE__, __LINE__,
			   "memset(buf+%zu, %#x, %zu) returned buf%+td",
			   off, c, len, (u8 *)ret - buf);
	for (size_t i = 0; i < sizeof(buf); i++) {
		bool in = i >= off && i < off + len;
		u8 want = in ? (u8)c : guard(i);

		if (buf[i] != want)
			ktest_fail(t, true, __FILE__, __LINE__,
				   "memset(buf+%zu, %#x, %zu): buf[%zu] = %#x, want %#x",
				   off, c, len, i, buf[i], want);
	}
}

static void memset_alignments(struct ktest *t)
{
	/* 0x1a5 and -1: only the low byte counts. */
	static const int values[] = { 0, 0xff, 0x5a, 0x1a5, -1 };

	for (size_t v = 0; v < ARRAY_SIZE(values); v++)
		for (size_t off = 0; off < MAX_OFF; off++)
			for (size_t len = 0; len <= MAX_LEN; len++)
				check_memset(t, off, values[v], len);
}

#define MOVE_LEN (2 * MAX_OFF + MAX_LEN)

/* The result must be as if the source went through a temporary copy. */
static void check_memmove(struct ktest *t, size_t d, size_t s, size_t len)
{
	u8 buf[MOVE_LEN];
	void *ret;

	fill(buf, sizeof(buf), pattern);
	ret = memmove(buf + d, buf + s, len);
	if (ret != buf + d)
		ktest_fail(t, true, __FILE__, __LINE__,
			   "memmove(buf+%zu, buf+%zu, %zu) returned buf%+td",
			   d, s, len, (u8 *)ret - buf);
	for (size_t i = 0; i < sizeof(buf); i++) {
		bool in = i >= d && i < d + len;
		u8 want = pattern(in ? s + i - d : i);

		if (buf[i] != want)
			ktest_fail(t, true, __FILE__, __LINE__,
				   "memmove(buf+%zu, buf+%zu, %zu): buf[%zu] = %#x, want %#x",
				   d, s, len, i, buf[i], want);
	}
}

/*
 * Every source and destination offset within one buffer, so the ranges
 * overlap in both directions, touch, coincide and lie apart, at every
 * relative alignment.
 */
static void memmove_overlap(struct ktest *t)
{
	for (size_t d = 0; d < 2 * MAX_OFF; d++)
		for (size_t s = 0; s < 2 * MAX_OFF; s++)
			for (size_t len = 0; len <= MAX_LEN; len++)
				check_memmove(t, d, s, len);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void memcmp_order(struct ktest *t)
{
	static const u8 a[] = { 1, 2, 3, 0x80, 5 };
	static const u8 b[] = { 1, 2, 3, 0x01, 5 };
	static const u8 c[] = { 1, 2, 3, 0x80, 6 };

	KTEST_EXPECT_EQ(t, memcmp(a, a, sizeof(a)), 0);
	KTEST_EXPECT_EQ(t, memcmp(a, b, 0), 0);
	KTEST_EXPECT_EQ(t, memcmp(a, b, 3), 0);
	/* Bytes compare unsigned: 0x80 is above 0x01. */
	KTEST_EXPECT_EQ(t, sign(memcmp(a, b, sizeof(a))), 1);
	KTEST_EXPECT_EQ(t, sign(memcmp(b, a, sizeof(a))), -1);
	KTEST_EXPECT_EQ(t, sign(memcmp(a, c, sizeof(a))), -1);
	KTEST_EXPECT_EQ(t, sign(memcmp(c, a, sizeof(a))), 1);
	KTEST_EXPECT_EQ(t, memcmp(a, c, sizeof(a) - 1), 0);
}

static void memchr_bytes(struct ktest *t)
{
	static const u8 s[] = { 'a', 0xc1, 0, 'b', 0xc1, 'c' };

	KTEST_EXPECT_TRUE(t, memchr(s, 'a', sizeof(s)) == s);
	KTEST_EXPECT_TRUE(t, memchr(s, 0xc1, sizeof(s)) == s + 1);
	/* c is converted to unsigned char, so -0x3f and 0x1c1 mean 0xc1. */
	KTEST_EXPECT_TRUE(t, memchr(s, -0x3f, sizeof(s)) == s + 1);
	KTEST_EXPECT_TRUE(t, memchr(s, 0x1c1, sizeof(s)) == s + 1);
	KTEST_EXPECT_TRUE(t, memchr(s, 0, sizeof(s)) == s + 2);
	KTEST_EXPECT_TRUE(t, memchr(s, 'c', sizeof(s)) == s + 5);
	KTEST_EXPECT_TRUE(t, memchr(s, 'c', sizeof(s) - 1) == NULL);
	KTEST_EXPECT_TRUE(t, memchr(s, 'z', sizeof(s)) == NULL);
	KTEST_EXPECT_TRUE(t, memchr(s, 'a', 0) == NULL);
}

static void strlen_strnlen(struct ktest *t)
{
	/* Not terminated: strnlen must stop at maxlen (ASan checks). */
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };

	KTEST_EXPECT_EQ(t, strlen(""), 0U);
	KTEST_EXPECT_EQ(t, strlen("a"), 1U);
	KTEST_EXPECT_EQ(t, strlen("hello, world"), 12U);
	KTEST_EXPECT_EQ(t, strlen("ab\0cd"), 2U);
	KTEST_EXPECT_EQ(t, strnlen("hello", 0), 0U);
	KTEST_EXPECT_EQ(t, strnlen("hello", 3), 3U);
	KTEST_EXPECT_EQ(t, strnlen("hello", 5), 5U);
	KTEST_EXPECT_EQ(t, strnlen("hello", 100), 5U);
	KTEST_EXPECT_EQ(t, strnlen(unterminated, sizeof(unterminated)), 4U);
}

static void strcmp_order(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, strcmp("", ""), 0);
	KTEST_EXPECT_EQ(t, strcmp("abc", "abc"), 0);
	KTEST_EXPECT_EQ(t, sign(strcmp("abc", "abd")), -1);
	KTEST_EXPECT_EQ(t, sign(strcmp("abd", "abc")), 1);
	KTEST_EXPECT_EQ(t, sign(strcmp("ab", "abc")), -1);
	KTEST_EXPECT_EQ(t, sign(strcmp("abc", "ab")), 1);
	KTEST_EXPECT_EQ(t, sign(strcmp("", "a")), -1);
	/* Characters compare as unsigned char. */
	KTEST_EXPECT_EQ(t, sign(strcmp("\x80", "\x01")), 1);
	KTEST_EXPECT_EQ(t, sign(strcmp("a\xff", "a")), 1);
}

static void strncmp_bounded(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, strncmp("abc", "abd", 0), 0);
	KTEST_EXPECT_EQ(t, strncmp("abc", "abd", 2), 0);
	KTEST_EXPECT_EQ(t, sign(strncmp("abc", "abd", 3)), -1);
	KTEST_EXPECT_EQ(t, sign(strncmp("abd", "abc", 100)), 1);
	/* Equal strings stop at the terminator however large n is. */
	KTEST_EXPECT_EQ(t, strncmp("abc", "abc", 100), 0);
	KTEST_EXPECT_EQ(t, sign(strncmp("ab", "abc", 3)), -1);
	KTEST_EXPECT_EQ(t, sign(strncmp("abc", "ab", 3)), 1);
	KTEST_EXPECT_EQ(t, strncmp("ab", "abc", 2), 0);
	KTEST_EXPECT_EQ(t, sign(strncmp("\x80", "\x01", 1)), 1);
}

static void strchr_strrchr(struct ktest *t)
{
	static const char s[] = "hello, world";

	KTEST_EXPECT_TRUE(t, strchr(s, 'h') == s);
	KTEST_EXPECT_TRUE(t, strchr(s, 'o') == s + 4);
	KTEST_EXPECT_TRUE(t, strchr(s, 'd') == s + 11);
	KTEST_EXPECT_TRUE(t, strchr(s, 'z') == NULL);
	/* The terminator is part of the string. */
	KTEST_EXPECT_TRUE(t, strchr(s, '\0') == s + 12);
	/* c is converted to char. */
	KTEST_EXPECT_TRUE(t, strchr(s, 'o' + 0x100) == s + 4);
	KTEST_EXPECT_TRUE(t, strchr("", 'a') == NULL);

	KTEST_EXPECT_TRUE(t, strrchr(s, 'o') == s + 8);
	KTEST_EXPECT_TRUE(t, strrchr(s, 'h') == s);
	KTEST_EXPECT_TRUE(t, strrchr(s, 'd') == s + 11);
	KTEST_EXPECT_TRUE(t, strrchr(s, 'z') == NULL);
	KTEST_EXPECT_TRUE(t, strrchr(s, '\0') == s + 12);
	KTEST_EXPECT_TRUE(t, strrchr(s, 'l' + 0x100) == s + 10);
	KTEST_EXPECT_TRUE(t, strrchr("", 'a') == NULL);
}

static void strlcpy_truncation(struct ktest *t)
{
	char buf[8];

	/* size 0 writes nothing at all. */
	buf[0] = 'x';
	KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 0), 5U);
	KTEST_EXPECT_EQ(t, buf[0], 'x');

	KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 1), 5U);
	KTEST_EXPECT_STREQ(t, buf, "");

	buf[3] = 'x';
	KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 3), 5U);
	KTEST_EXPECT_STREQ(t, buf, "he");
	KTEST_EXPECT_EQ(t, buf[3], 'x');

	KTEST_EXPECT_EQ(t, strlcpy(buf, "1234567", sizeof(buf)), 7U);
	KTEST_EXPECT_STREQ(t, buf, "1234567");

	KTEST_EXPECT_EQ(t, strlcpy(buf, "12345678", sizeof(buf)), 8U);
	KTEST_EXPECT_STREQ(t, buf, "1234567");

	KTEST_EXPECT_EQ(t, strlcpy(buf, "", sizeof(buf)), 0U);
	KTEST_EXPECT_STREQ(t, buf, "");
}

/* Checks the value and how many characters were consumed. */
static void expect_strtoull(struct ktest *t, int line, const char *s, int base,
			    unsigned long long want, size_t want_used)
{
	char *end = NULL;
	unsigned long long v = strtoull(s, &end, base);

	if (v != want)
		ktest_fail(t, false, __FILE__, line,
			   "strtoull(\"%s\", %d) = %llu, want %llu", s, base,
			   v, want);
	if (end != s + want_used)
		ktest_fail(t, false, __FILE__, line,
			   "strtoull(\"%s\", %d) used %td chars, want %zu", s,
			   base, end - s, want_used);
}

#define EXPECT_STRTOULL(t, s, base, want, used) \
	expect_strtoull(t, __LINE__, s, base, want, used)

static void strtoull_bases(struct ktest *t)
{
	EXPECT_STRTOULL(t, "0", 10, 0, 1);
	EXPECT_STRTOULL(t, "123", 10, 123, 3);
	EXPECT_STRTOULL(t, "123abc", 10, 123, 3);
	EXPECT_STRTOULL(t, "0123", 10, 123, 4);
	EXPECT_STRTOULL(t, "1f", 16, 0x1f, 2);
	EXPECT_STRTOULL(t, "DeadBeef", 16, 0xdeadbeef, 8);
	EXPECT_STRTOULL(t, "0x1f", 16, 0x1f, 4);
	EXPECT_STRTOULL(t, "0X1F", 16, 0x1f, 4);
	EXPECT_STRTOULL(t, "17", 8, 017, 2);
	EXPECT_STRTOULL(t, "129", 8, 012, 2);
	EXPECT_STRTOULL(t, "1011", 2, 11, 4);
	EXPECT_STRTOULL(t, "1012", 2, 5, 3);
	EXPECT_STRTOULL(t, "zZ", 36, 36 * 35 + 35, 2);
	EXPECT_STRTOULL(t, "10", 36, 36, 2);
	/* The 0x prefix belongs to base 0 and 16 only. */
	EXPECT_STRTOULL(t, "0x1f", 10, 0, 1);
	EXPECT_STRTOULL(t, "0x1f", 36, 0 * 36 * 36 * 36 + 33 * 36 * 36 +
			1 * 36 + 15, 4);
}

static void strtoull_base0(struct ktest *t)
{
	EXPECT_STRTOULL(t, "42", 0, 42, 2);
	EXPECT_STRTOULL(t, "0x2A", 0, 42, 4);
	EXPECT_STRTOULL(t, "0X2a", 0, 42, 4);
	EXPECT_STRTOULL(t, "052", 0, 42, 3);
	EXPECT_STRTOULL(t, "0", 0, 0, 1);
	/* A leading 0 means octal, where 8 is not a digit. */
	EXPECT_STRTOULL(t, "08", 0, 0, 1);
	EXPECT_STRTOULL(t, "0789", 0, 07, 2);
	/* "0x" without a hex digit is 0 followed by "x". */
	EXPECT_STRTOULL(t, "0x", 0, 0, 1);
	EXPECT_STRTOULL(t, "0xg", 0, 0, 1);
	EXPECT_STRTOULL(t, "0xg", 16, 0, 1);
	EXPECT_STRTOULL(t, "0x 1", 0, 0, 1);
}

static void strtoull_sign_space(struct ktest *t)
{
	EXPECT_STRTOULL(t, " \t\n\v\f\r42 ", 10, 42, 8);
	EXPECT_STRTOULL(t, "+42", 10, 42, 3);
	EXPECT_STRTOULL(t, "  -0x10", 0, 0ULL - 16, 7);
	/* Like C, a minus sign negates in the unsigned type. */
	EXPECT_STRTOULL(t, "-1", 10, ~0ULL, 2);
	EXPECT_STRTOULL(t, "-0", 10, 0, 2);
	EXPECT_STRTOULL(t, "-18446744073709551615", 10, 1, 21);
	/* One sign only, and no space after it. */
	EXPECT_STRTOULL(t, "+-1", 10, 0, 0);
	EXPECT_STRTOULL(t, "- 1", 10, 0, 0);
}

/* No digits: 0 and *end = s, even past spaces and a sign. */
static void strtoull_no_digits(struct ktest *t)
{
	EXPECT_STRTOULL(t, "", 10, 0, 0);
	EXPECT_STRTOULL(t, "   ", 10, 0, 0);
	EXPECT_STRTOULL(t, "  +", 0, 0, 0);
	EXPECT_STRTOULL(t, "-", 10, 0, 0);
	EXPECT_STRTOULL(t, " x1", 16, 0, 0);
	EXPECT_STRTOULL(t, "9", 8, 0, 0);
	EXPECT_STRTOULL(t, "g", 16, 0, 0);
}

/* Bases outside 0 and 2..36 convert nothing. */
static void strtoull_bad_base(struct ktest *t)
{
	EXPECT_STRTOULL(t, "10", 1, 0, 0);
	EXPECT_STRTOULL(t, "0", 1, 0, 0);
	EXPECT_STRTOULL(t, "10", 37, 0, 0);
	EXPECT_STRTOULL(t, "10", -1, 0, 0);
	EXPECT_STRTOULL(t, "10", -16, 0, 0);
}

/*
 * Overflow returns ULLONG_MAX (for any sign: there is no errno to tell it
 * apart from "-1") and still consumes every digit, as in C.
 */
static void strtoull_overflow(struct ktest *t)
{
	EXPECT_STRTOULL(t, "18446744073709551615", 10, ~0ULL, 20);
	EXPECT_STRTOULL(t, "18446744073709551616", 10, ~0ULL, 20);
	EXPECT_STRTOULL(t, "18446744073709551620", 10, ~0ULL, 20);
	EXPECT_STRTOULL(t, "99999999999999999999999x", 10, ~0ULL, 23);
	EXPECT_STRTOULL(t, "0xffffffffffffffff", 0, ~0ULL, 18);
	EXPECT_STRTOULL(t, "0x10000000000000000", 0, ~0ULL, 19);
	EXPECT_STRTOULL(t, "0x0000000000000000000001", 0, 1, 24);
	EXPECT_STRTOULL(t, "1777777777777777777777", 8, ~0ULL, 22);
	EXPECT_STRTOULL(t, "2000000000000000000000", 8, ~0ULL, 22);
	EXPECT_STRTOULL(t, "-18446744073709551616", 10, ~0ULL, 21);
	EXPECT_STRTOULL(t, "3w5e11264sgsf", 36, ~0ULL, 13);
	EXPECT_STRTOULL(t, "3w5e11264sgsg", 36, ~0ULL, 13);
	EXPECT_STRTOULL(t, "3w5e11264sgse", 36, ~0ULL - 1, 13);
}

static void strtoul_width(struct ktest *t)
{
	const char *s = "0x7fffffff,";
	char *end;

	KTEST_EXPECT_EQ(t, strtoul(s, &end, 0), 0x7fffffffUL);
	KTEST_EXPECT_TRUE(t, end == s + 10);
	/* end may be NULL. */
	KTEST_EXPECT_EQ(t, strtoul("  99", NULL, 10), 99UL);
	KTEST_EXPECT_EQ(t, strtoull("  99", NULL, 10), 99ULL);
	KTEST_EXPECT_EQ(t, strtoul("-1", NULL, 10), ~0UL);
	KTEST_EXPECT_EQ(t, strtoul("", NULL, 10), 0UL);

	/* Overflow saturates at the width of unsigned long. */
	s = sizeof(long) == 8 ? "18446744073709551616" : "4294967296";
	KTEST_EXPECT_EQ(t, strtoul(s, &end, 10), ~0UL);
	KTEST_EXPECT_EQ(t, *end, '\0');
	s = sizeof(long) == 8 ? "18446744073709551615" : "4294967295";
	KTEST_EXPECT_EQ(t, strtoul(s, &end, 10), ~0UL);
	s = sizeof(long) == 8 ? "18446744073709551614" : "4294967294";
	KTEST_EXPECT_EQ(t, strtoul(s, &end, 10), ~0UL - 1);
}

KTEST_SUITE(string,
	    KTEST_CASE(memcpy_alignments),
	    KTEST_CASE(memset_alignments),
	    KTEST_CASE(memmove_overlap),
	    KTEST_CASE(memcmp_order),
	    KTEST_CASE(memchr_bytes),
	    KTEST_CASE(strlen_strnlen),
	    KTEST_CASE(strcmp_order),
	    KTEST_CASE(strncmp_bounded),
	    KTEST_CASE(strchr_strrchr),
	    KTEST_CASE(strlcpy_truncation),
	    KTEST_CASE(strtoull_bases),
	    KTEST_CASE(strtoull_base0),
	    KTEST_CASE(strtoull_sign_space),
	    KTEST_CASE(strtoull_no_digits),
	    KTEST_CASE(strtoull_bad_base),
	    KTEST_CASE(strtoull_overflow),
	    KTEST_CASE(strtoul_width));
