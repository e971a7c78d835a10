/*
 * lib/string.c. memcpy, memmove and memset are checked against a model of
 * what they do a byte at a time, over every length up to MAX_LEN at every
 * alignment of source and destination and, for memmove, overlaps in both
 * directions at every distance that matters, then at a few large sizes.
 * Memory is filled with a position-dependent pattern and checked byte by
 * byte, never with a copy or fill loop a compiler could turn back into a
 * call of the function under test.
 *
 * Buffers end 0 to 15 bytes before the fixture memory does (memcpy's
 * destination: before its half of it), so at offset 0 on the host ASan
 * reports any access past their end; string_edges does the same for both
 * ends in the kernel, with unmapped pages. A call's destination and the
 * bytes around it are checked after the call, the whole fixture after each
 * sweep, so a stray write anywhere shows.
 */
#include <mk64/ktest.h>
#include <mk64/string.h>
#include "../fixture.h"

/* Every offset within a 16-byte access. */
#define MAX_OFF 16
/*
 * Every length through the straight-line code for short buffers and past
 * two blocks of the copy and fill loops, with every remainder.
 */
#define MAX_LEN 300
#define BUF_LEN (MAX_OFF + MAX_LEN)
/* Around a destination, checked after each call. */
#define SLACK 32

/*
 * Period 256 in the low term; the high term tells apart bytes 256 apart,
 * so a byte from the wrong place almost never matches.
 */
static u8 pattern(size_t i)
{
	return (u8)(i * 7 + (i >> 8) + 1);
}

/* The fixture memory of the running case: arena_size bytes. */
static u8 *arena;
static size_t arena_size;

static void arena_init(void *mem, size_t size)
{
	arena = mem;
	arena_size = size;
	for (size_t i = 0; i < size; i++)
		arena[i] = pattern(i);
}

/* A fixture of size bytes that becomes the arena. */
#define ARENA_FIXTURE(name, size)                                               \
	static void name##_init(void *mem)                                      \
	{                                                                       \
		arena_init(mem, size);                                          \
	}                                                                       \
	static const struct test_fixture name = { size, name##_init, NULL }

static void restore(size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		arena[i] = pattern(i);
}

/* What is checked after a call writing [d, d + len): SLACK more either side. */
static void check_window(size_t d, size_t len, size_t *from, size_t *to)
{
	*from = d > SLACK ? d - SLACK : 0;
	*to = min(d + len + SLACK, arena_size);
}

/*
 * The model of a move: byte i of the arena holds the pattern of the byte
 * it came from, as if len bytes went from s to d through a temporary copy.
 */
static void expect_moved(struct ktest *t, const char *fn, size_t d, size_t s, size_t len,
			 size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		size_t orig = i - d < len ? s + (i - d) : i;

		if (arena[i] != pattern(orig))
			ktest_fail(t, true, __FILE__, __LINE__,
				   "%s(a+%zu, a+%zu, %zu): a[%zu] = %#x, want %#x (a[%zu] before)",
				   fn, d, s, len, i, arena[i], pattern(orig), orig);
	}
}

/* After a sweep of calls, each undone: the whole arena is the pattern. */
static void expect_untouched(struct ktest *t, const char *sweep)
{
	for (size_t i = 0; i < arena_size; i++)
		if (arena[i] != pattern(i))
			ktest_fail(t, true, __FILE__, __LINE__,
				   "a[%zu] = %#x, want %#x: a call of %s wrote far outside its destination",
				   i, arena[i], pattern(i), sweep);
}

/* memmove(a + d, a + s, len) or memcpy, checked and undone. */
static void move_one(struct ktest *t, bool may_overlap, size_t d, size_t s, size_t len)
{
	const char *fn = may_overlap ? "memmove" : "memcpy";
	void *ret = may_overlap ? memmove(arena + d, arena + s, len)
				: memcpy(arena + d, arena + s, len);
	size_t from, to;

	if (ret != arena + d)
		ktest_fail(t, true, __FILE__, __LINE__, "%s(a+%zu, a+%zu, %zu) returned a%+td",
			   fn, d, s, len, (u8 *)ret - arena);
	check_window(d, len, &from, &to);
	expect_moved(t, fn, d, s, len, from, to);
	restore(d, d + len);
}

/* memset(a + d, c, len), checked and undone. */
static void set_one(struct ktest *t, size_t d, int c, size_t len)
{
	void *ret = memset(arena + d, c, len);
	size_t from, to;

	if (ret != arena + d)
		ktest_fail(t, true, __FILE__, __LINE__, "memset(a+%zu, %#x, %zu) returned a%+td",
			   d, c, len, (u8 *)ret - arena);
	check_window(d, len, &from, &to);
	for (size_t i = from; i < to; i++) {
		u8 want = i - d < len ? (u8)c : pattern(i);

		if (arena[i] != want)
			ktest_fail(t, true, __FILE__, __LINE__,
				   "memset(a+%zu, %#x, %zu): a[%zu] = %#x, want %#x",
				   d, c, len, i, arena[i], want);
	}
	restore(d, d + len);
}

/*
 * The destination in the first half, the source in the second; each ends
 * da (sa) bytes before its half does, so both take every alignment.
 */
ARENA_FIXTURE(copy_arena, 2 * BUF_LEN);

FIXTURE_CASE(memcpy_alignments, copy_arena)
{
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t da = 0; da < MAX_OFF; da++)
			for (size_t sa = 0; sa < MAX_OFF; sa++)
				move_one(t, false, BUF_LEN - da - len, 2 * BUF_LEN - sa - len, len);
	expect_untouched(t, "memcpy");
}

ARENA_FIXTURE(set_arena, BUF_LEN);

FIXTURE_CASE(memset_alignments, set_arena)
{
	/* 0x1a5 and -1: only the low byte counts. */
	static const int values[] = { 0, 0xff, 0x5a, 0x1a5, -1 };

	for (size_t v = 0; v < ARRAY_SIZE(values); v++)
		for (size_t len = 0; len <= MAX_LEN; len++)
			for (size_t off = 0; off < MAX_OFF; off++)
				set_one(t, BUF_LEN - off - len, values[v], len);
	expect_untouched(t, "memset");
}

/*
 * Distances between overlapping source and destination: every one up to
 * just past a 16-byte access, then around the 32-, 64- and 128-byte steps
 * of the code and up to near MAX_LEN.
 */
static const size_t move_dists[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
	31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257,
};
#define MAX_DIST 257

ARENA_FIXTURE(move_arena, MAX_OFF + MAX_DIST + MAX_LEN);

/*
 * Source and destination in one buffer, dist bytes apart, the upper one
 * ending a bytes before the buffer does: each direction, every alignment.
 */
FIXTURE_CASE(memmove_overlap, move_arena)
{
	for (size_t i = 0; i < ARRAY_SIZE(move_dists); i++)
		for (size_t len = 0; len <= MAX_LEN; len++)
			for (size_t a = 0; a < MAX_OFF; a++) {
				size_t hi = arena_size - a - len, lo = hi - move_dists[i];

				move_one(t, true, lo, hi, len);
				move_one(t, true, hi, lo, len);
			}
	expect_untouched(t, "memmove");
}

#define LARGE (2 * 4096 + 2 * MAX_OFF)

ARENA_FIXTURE(large_arena, 2 * LARGE);

/* A few sizes that run the loops many times, a page among them. */
FIXTURE_CASE(large_sizes, large_arena)
{
	static const size_t lens[] = { 1000, 4096, 4096 + 129, 2 * 4096 + 17 };
	static const size_t offs[] = { 0, 1, 8, 15 };
	static const size_t dists[] = { 1, 16, 17, 128, 129, 4095 };

	for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
		size_t len = lens[l];

		for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
			set_one(t, LARGE - offs[i] - len, 0, len);
			set_one(t, LARGE - offs[i] - len, 0xc3, len);
			for (size_t j = 0; j < ARRAY_SIZE(offs); j++)
				move_one(t, false, LARGE - offs[i] - len,
					 2 * LARGE - offs[j] - len, len);
			for (size_t j = 0; j < ARRAY_SIZE(dists); j++) {
				size_t hi = arena_size - offs[i] - len, lo = hi - dists[j];

				move_one(t, true, lo, hi, len);
				move_one(t, true, hi, lo, len);
			}
		}
	}
	expect_untouched(t, "memset, memcpy or memmove");
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

static void strstr_first(struct ktest *t)
{
	const char *s = "abcabcd";

	KTEST_EXPECT_TRUE(t, strstr(s, "abc") == s);
	KTEST_EXPECT_TRUE(t, strstr(s, "bca") == s + 1);
	KTEST_EXPECT_TRUE(t, strstr(s, "abcd") == s + 3);
	KTEST_EXPECT_TRUE(t, strstr(s, "d") == s + 6);
	KTEST_EXPECT_TRUE(t, strstr(s, "abcde") == NULL);
	KTEST_EXPECT_TRUE(t, strstr(s, "x") == NULL);
	KTEST_EXPECT_TRUE(t, strstr(s, "") == s);
	KTEST_EXPECT_TRUE(t, strstr("", "") != NULL);
	KTEST_EXPECT_TRUE(t, strstr("", "a") == NULL);
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
	    KTEST_CASE(large_sizes),
	    KTEST_CASE(memcmp_order),
	    KTEST_CASE(memchr_bytes),
	    KTEST_CASE(strlen_strnlen),
	    KTEST_CASE(strcmp_order),
	    KTEST_CASE(strncmp_bounded),
	    KTEST_CASE(strchr_strrchr),
	    KTEST_CASE(strstr_first),
	    KTEST_CASE(strlcpy_truncation),
	    KTEST_CASE(strtoull_bases),
	    KTEST_CASE(strtoull_base0),
	    KTEST_CASE(strtoull_sign_space),
	    KTEST_CASE(strtoull_no_digits),
	    KTEST_CASE(strtoull_bad_base),
	    KTEST_CASE(strtoull_overflow),
	    KTEST_CASE(strtoul_width));
