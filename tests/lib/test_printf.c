/* lib/vsprintf.c: every conversion, flag, width, precision and length. */
#include <stdarg.h>
#include <mk64/ktest.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

_Static_assert(sizeof(long) == 8 && sizeof(void *) == 8 &&
	       sizeof(size_t) == 8, "the expected strings assume LP64");

#define GUARD 0x7e

/*
 * Formats into a guarded buffer and checks the text, the return value and
 * that nothing past the terminator was written.
 */
static void check_vfmt(struct ktest *t, int line, const char *want,
		       const char *fmt, va_list ap)
{
	char buf[128];
	size_t len = strlen(want);
	int n;

	memset(buf, GUARD, sizeof(buf));
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strcmp(buf, want))
		ktest_fail_str(t, false, __FILE__, line, fmt, "want", buf,
			       want);
	if (n < 0 || (size_t)n != len)
		ktest_fail_binary(t, false, __FILE__, line, "return", "==",
				  "strlen(want)", n, len);
	for (size_t i = len + 1; i < sizeof(buf); i++) {
		if (buf[i] != GUARD) {
			ktest_fail(t, false, __FILE__, line,
				   "\"%s\" wrote buf[%zu], past the NUL",
				   fmt, i);
			break;
		}
	}
}

static void __printf(4, 5) expect_fmt(struct ktest *t, int line,
				      const char *want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vfmt(t, line, want, fmt, ap);
	va_end(ap);
}

/* Same without compile-time checks, for formats GCC rightly frowns on. */
static void expect_raw(struct ktest *t, int line, const char *want,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vfmt(t, line, want, fmt, ap);
	va_end(ap);
}

/* snprintf without the format checks, for outputs GCC knows overflow int. */
static int raw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define EXPECT_FMT(t, want, ...) expect_fmt(t, __LINE__, want, __VA_ARGS__)
#define EXPECT_RAW(t, want, ...) expect_raw(t, __LINE__, want, __VA_ARGS__)

static void conversions(struct ktest *t)
{
	EXPECT_RAW(t, "", "");
	EXPECT_FMT(t, "plain text", "plain text");
	EXPECT_FMT(t, "100%", "100%%");
	EXPECT_FMT(t, "%%", "%%%%");
	EXPECT_FMT(t, "0 42 -42", "%d %d %d", 0, 42, -42);
	EXPECT_FMT(t, "0 42 -42", "%i %i %i", 0, 42, -42);
	EXPECT_FMT(t, "0 42 4294967254", "%u %u %u", 0U, 42U, -42U);
	EXPECT_FMT(t, "0 2a deadbeef", "%x %x %x", 0U, 42U, 0xdeadbeefU);
	EXPECT_FMT(t, "0 2A DEADBEEF", "%X %X %X", 0U, 42U, 0xdeadbeefU);
	EXPECT_FMT(t, "0 52 37777777777", "%o %o %o", 0U, 42U, ~0U);
	EXPECT_FMT(t, "A", "%c", 'A');
	EXPECT_FMT(t, "abc", "%s", "abc");
	EXPECT_FMT(t, "<abc|7|x>", "<%s|%d|%c>", "abc", 7, 'x');
}

static void limits(struct ktest *t)
{
	EXPECT_FMT(t, "-2147483648", "%d", (int)INT32_MIN);
	EXPECT_FMT(t, "2147483647", "%d", (int)INT32_MAX);
	EXPECT_FMT(t, "4294967295", "%u", (unsigned int)UINT32_MAX);
	EXPECT_FMT(t, "-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT_FMT(t, "9223372036854775807", "%lld", (long long)INT64_MAX);
	EXPECT_FMT(t, "-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT_FMT(t, "18446744073709551615", "%llu", ~0ULL);
	EXPECT_FMT(t, "ffffffffffffffff", "%llx", ~0ULL);
	EXPECT_FMT(t, "FFFFFFFFFFFFFFFF", "%llX", ~0ULL);
	EXPECT_FMT(t, "1777777777777777777777", "%llo", ~0ULL);
	EXPECT_FMT(t, "8000000000000000", "%llx", (long long)INT64_MIN);
	EXPECT_FMT(t, "-9223372036854775808", "%+lld", (long long)INT64_MIN);
	EXPECT_FMT(t, "  -2147483648", "%13d", (int)INT32_MIN);
	EXPECT_FMT(t, "-002147483648", "%013d", (int)INT32_MIN);
}

static void length_modifiers(struct ktest *t)
{
	EXPECT_FMT(t, "-1 127 255 ff", "%hhd %hhd %hhu %hhx", (signed char)-1,
		   (signed char)127, (unsigned char)255, (unsigned char)255);
	EXPECT_FMT(t, "-32768 65535 ffff", "%hd %hu %hx", (short)-32768,
		   (unsigned short)65535, (unsigned short)65535);
	/*
	 * hh and h convert the promoted int back to char and short, also
	 * when it does not fit (Clang's format checks object to that).
	 */
	EXPECT_RAW(t, "-1 127 -128", "%hhd %hhd %hhd", 255, 127, 128);
	EXPECT_RAW(t, "255 0 ff", "%hhu %hhu %hhx", 0x1ff, 0x100, -1);
	EXPECT_RAW(t, "-32768 -1 9029", "%hd %hd %hu", 0x18000, 0xffff,
		   0x12345);
	EXPECT_RAW(t, "2345 ffff 177777", "%hx %hx %ho", 0x12345, -1, -1);
	EXPECT_FMT(t, "18446744073709551615 -1", "%lu %ld", ~0UL, -1L);
	EXPECT_FMT(t, "ffffffffffffffff", "%lx", ~0UL);
	EXPECT_FMT(t, "18446744073709551615", "%zu", (size_t)-1);
	EXPECT_FMT(t, "-5 -5000000000 123", "%zd %zd %zx", (ptrdiff_t)-5,
		   (ptrdiff_t)-5000000000LL, (size_t)0x123);
	EXPECT_FMT(t, "-3 -5000000000 7fffffffffffffff", "%td %td %tx",
		   (ptrdiff_t)-3, (ptrdiff_t)-5000000000LL,
		   (ptrdiff_t)INT64_MAX);
	/* Each argument must be fetched with its own size. */
	EXPECT_FMT(t, "-1|-2|3|4|five|6|-7|8",
		   "%hhd|%lld|%d|%zu|%s|%c|%ld|%hu", (signed char)-1, -2LL, 3,
		   (size_t)4, "five", '6', -7L, (unsigned short)8);
}

static void flags(struct ktest *t)
{
	EXPECT_FMT(t, "+42 -42 +0", "%+d %+d %+d", 42, -42, 0);
	EXPECT_FMT(t, " 42 -42  0", "% d % d % d", 42, -42, 0);
	EXPECT_FMT(t, "  +42", "%+5d", 42);
	EXPECT_FMT(t, "+0042", "%+05d", 42);
	EXPECT_FMT(t, " 0042", "% 05d", 42);
	EXPECT_FMT(t, "-0042", "% 05d", -42);
	EXPECT_FMT(t, "+42  |", "%-+5d|", 42);
	EXPECT_FMT(t, " 42  |", "%- 5d|", 42);
	EXPECT_FMT(t, "00042 00000", "%05d %05d", 42, 0);
	EXPECT_FMT(t, "-0042", "%05d", -42);
	EXPECT_FMT(t, "0002a 0002A 00052", "%05x %05X %05o", 42U, 42U, 42U);
	/* '+' wins over ' ', '-' over '0'. */
	EXPECT_RAW(t, "+42", "%+ d", 42);
	EXPECT_RAW(t, "+42", "% +d", 42);
	EXPECT_RAW(t, "42   |", "%-05d|", 42);
	EXPECT_RAW(t, "-42  |", "%0-5d|", -42);
	/* Sign flags are for signed conversions only. */
	EXPECT_RAW(t, "42 2a 52", "%+u % x %+o", 42U, 42U, 42U);
	/* A precision turns '0' padding off. */
	EXPECT_RAW(t, "     042", "%08.3d", 42);
	EXPECT_RAW(t, "    -042", "%08.3d", -42);
	/* Flags may repeat. */
	EXPECT_RAW(t, "+0042", "%++0+05d", 42);
}

static void alternate_form(struct ktest *t)
{
	EXPECT_FMT(t, "0xff 0XFF", "%#x %#X", 255U, 255U);
	/* No prefix for 0, and octal 0 keeps its single digit. */
	EXPECT_FMT(t, "0 0", "%#x %#o", 0U, 0U);
	EXPECT_FMT(t, "010 0777", "%#o %#o", 8U, 0777U);
	EXPECT_FMT(t, "0x0000ff", "%#08x", 255U);
	EXPECT_FMT(t, "    0xff", "%#8x", 255U);
	EXPECT_FMT(t, "0xff    |", "%-#8x|", 255U);
	EXPECT_FMT(t, "0x00ff", "%#.4x", 255U);
	EXPECT_FMT(t, "  010", "%#5o", 8U);
	/* '#' raises the octal precision only as far as a leading 0. */
	EXPECT_FMT(t, "010 0010", "%#.3o %#.4o", 8U, 8U);
	EXPECT_FMT(t, "0 |", "%#.0o %#.0x|", 0U, 0U);
	EXPECT_FMT(t, "0xffffffffffffffff", "%#llx", ~0ULL);
	EXPECT_FMT(t, "01777777777777777777777", "%#llo", ~0ULL);
}

static void width_precision(struct ktest *t)
{
	EXPECT_FMT(t, "   42|42   |", "%5d|%-5d|", 42, 42);
	EXPECT_FMT(t, "  -42|-42   |", "%5d|%-6d|", -42, -42);
	EXPECT_FMT(t, "12345", "%3d", 12345);
	EXPECT_FMT(t, "007 -007", "%.3d %.3d", 7, -7);
	EXPECT_FMT(t, "   007|007   |", "%6.3d|%-6.3d|", 7, 7);
	EXPECT_FMT(t, "12345", "%.3d", 12345);
	/* Precision 0 prints no digits for 0, only padding. */
	EXPECT_FMT(t, "|     |1", "%.0d|%5.0d|%.0d", 0, 0, 1);
	EXPECT_FMT(t, "||", "%.0u|%.0x|", 0U, 0U);
	EXPECT_FMT(t, "", "%.d", 0);
	/* Longer than any digit buffer. */
	EXPECT_FMT(t, "000000000000000000000000000001", "%.30d", 1);
	EXPECT_FMT(t, "-000000000000000000000000000001", "%.30d", -1);
	EXPECT_FMT(t, "                            ab", "%30s", "ab");
	EXPECT_FMT(t, "00000000000000000000000000002a", "%030x", 42U);
}

static void star(struct ktest *t)
{
	EXPECT_FMT(t, "   42", "%*d", 5, 42);
	/* A negative '*' width means '-'; a negative precision, none. */
	EXPECT_FMT(t, "42   |", "%*d|", -5, 42);
	EXPECT_FMT(t, "42   |", "%-*d|", 5, 42);
	EXPECT_FMT(t, "0042", "%.*d", 4, 42);
	EXPECT_FMT(t, "42", "%.*d", -1, 42);
	EXPECT_RAW(t, "00042", "%05.*d", -1, 42);
	EXPECT_FMT(t, "   042", "%*.*d", 6, 3, 42);
	EXPECT_FMT(t, "00042", "%0*d", 5, 42);
	EXPECT_FMT(t, "abc|abcdef", "%.*s|%.*s", 3, "abcdef", -1, "abcdef");
	EXPECT_FMT(t, "  ab|", "%*.*s|", 4, 2, "abc");
	EXPECT_FMT(t, "x  |7", "%*c|%d", -3, 'x', 7);
}

static void strings_chars(struct ktest *t)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };
	const char *null = NULL;
	char buf[8];

	EXPECT_FMT(t, "", "%s", "");
	EXPECT_FMT(t, "     abc|abc     |", "%8s|%-8s|", "abc", "abc");
	EXPECT_FMT(t, "ab|abc|   ab", "%.2s|%.10s|%5.2s", "abc", "abc", "abc");
	EXPECT_FMT(t, "|", "%.0s|", "abc");
	EXPECT_FMT(t, "", "%.s", "abc");
	/* With a precision the string needs no terminator (ASan checks). */
	EXPECT_FMT(t, "abc", "%.3s", unterminated);
	EXPECT_RAW(t, "(null)|(nu|  (null)", "%s|%.3s|%8s", null, null, null);
	EXPECT_FMT(t, "  A|A  |", "%3c|%-3c|", 'A', 'A');
	/* %c prints the int converted to unsigned char. */
	EXPECT_FMT(t, "A", "%c", 0x141);
	/* '0' pads strings and characters with spaces. */
	EXPECT_RAW(t, "  abc   x", "%05s%04c", "abc", 'x');

	/* A NUL from %c is output like any character. */
	memset(buf, GUARD, sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	KTEST_EXPECT_EQ(t, buf[0], 'a');
	KTEST_EXPECT_EQ(t, buf[1], '\0');
	KTEST_EXPECT_EQ(t, buf[2], 'b');
	KTEST_EXPECT_EQ(t, buf[3], '\0');
	KTEST_EXPECT_EQ(t, buf[4], GUARD);
}

static void pointers(struct ktest *t)
{
	void *high = (void *)(uintptr_t)0xffff800000001234ULL;
	phys_addr_t pa = 0x40000000, pa_max = ~0ULL;
	const phys_addr_t *pa_null = NULL;

	EXPECT_FMT(t, "0x1234", "%p", (void *)0x1234);
	EXPECT_FMT(t, "0xffff800000001234", "%p", high);
	/* NULL is a number like any other. */
	EXPECT_FMT(t, "0x0", "%p", NULL);
	EXPECT_FMT(t, "          0x1234|0x1234          |", "%16p|%-16p|",
		   (void *)0x1234, (void *)0x1234);
	/* Only "pa" is an extension: other letters after %p are text. */
	EXPECT_FMT(t, "0x1234b", "%pb", (void *)0x1234);

	EXPECT_FMT(t, "0x0000000040000000", "%pa", &pa);
	EXPECT_FMT(t, "0xffffffffffffffff", "%pa", &pa_max);
	EXPECT_FMT(t, "[0x0000000040000000],", "[%pa],", &pa);
	EXPECT_FMT(t, "0x0000000040000000p", "%pap", &pa);
	EXPECT_FMT(t, "  0x0000000040000000|0x0000000040000000  |",
		   "%20pa|%-20pa|", &pa, &pa);
	EXPECT_FMT(t, "(null)", "%pa", pa_null);
}

static void truncation(struct ktest *t)
{
	char buf[16];

	memset(buf, GUARD, sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, 6, "hello world"), 11);
	KTEST_EXPECT_STREQ(t, buf, "hello");
	KTEST_EXPECT_EQ(t, buf[6], GUARD);

	/* Exactly fitting, and one byte short. */
	KTEST_EXPECT_EQ(t, snprintf(buf, 12, "hello world"), 11);
	KTEST_EXPECT_STREQ(t, buf, "hello world");
	KTEST_EXPECT_EQ(t, snprintf(buf, 11, "hello world"), 11);
	KTEST_EXPECT_STREQ(t, buf, "hello worl");

	memset(buf, GUARD, sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, 1, "hello"), 5);
	KTEST_EXPECT_EQ(t, buf[0], '\0');
	KTEST_EXPECT_EQ(t, buf[1], GUARD);

	/* Size 0 writes nothing, so the buffer may be NULL. */
	KTEST_EXPECT_EQ(t, snprintf(buf, 0, "hello"), 5);
	KTEST_EXPECT_EQ(t, buf[0], '\0');
	KTEST_EXPECT_EQ(t, buf[1], GUARD);
	KTEST_EXPECT_EQ(t, snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);

	/* Cut inside padding, digits, prefixes and strings. */
	memset(buf, GUARD, sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%5d", 123), 5);
	KTEST_EXPECT_STREQ(t, buf, "  1");
	KTEST_EXPECT_EQ(t, snprintf(buf, 3, "%d", -12345), 6);
	KTEST_EXPECT_STREQ(t, buf, "-1");
	KTEST_EXPECT_EQ(t, snprintf(buf, 2, "%#x", 255U), 4);
	KTEST_EXPECT_STREQ(t, buf, "0");
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%s%s", "abc", "defg"), 7);
	KTEST_EXPECT_STREQ(t, buf, "abc");
	KTEST_EXPECT_EQ(t, snprintf(buf, 5, "%-8s|", "ab"), 9);
	KTEST_EXPECT_STREQ(t, buf, "ab  ");
	KTEST_EXPECT_EQ(t, buf[5], GUARD);
}

/* Widths beyond the buffer are counted, not written; the count caps. */
static void huge_width(struct ktest *t)
{
	char buf[8];

	KTEST_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%*d", 1000000, 7),
			1000000);
	KTEST_EXPECT_STREQ(t, buf, "       ");
	/* INT_MIN as a '*' width: left-justified in 2^31 columns. */
	KTEST_EXPECT_EQ(t, raw_snprintf(buf, sizeof(buf), "%*d",
					(int)INT32_MIN, 1), (int)INT32_MAX);
	KTEST_EXPECT_STREQ(t, buf, "1      ");
	KTEST_EXPECT_EQ(t, raw_snprintf(buf, sizeof(buf), "%2147483646d", 1),
			2147483646);
	KTEST_EXPECT_EQ(t, raw_snprintf(buf, sizeof(buf), "%2147483647d|", 1),
			(int)INT32_MAX);
	KTEST_EXPECT_STREQ(t, buf, "       ");
	/* Width digits beyond INT_MAX saturate rather than overflow. */
	KTEST_EXPECT_EQ(t, raw_snprintf(buf, sizeof(buf), "%99999999999d", 1),
			(int)INT32_MAX);
}

/* Unknown or unfinished specs are printed as they stand. */
static void unknown_specs(struct ktest *t)
{
	EXPECT_RAW(t, "%y", "%y");
	EXPECT_RAW(t, "a%-5yb", "a%-5yb");
	EXPECT_RAW(t, "abc%", "abc%");
	EXPECT_RAW(t, "abc%5", "abc%5");
	EXPECT_RAW(t, "%l", "%l");
	EXPECT_RAW(t, "%hhq", "%hhq");
	/* %n would write through a pointer: it is not supported. */
	EXPECT_RAW(t, "%n|7", "%n|%d", 7);
	EXPECT_RAW(t, "%", "%-5%");
}

KTEST_SUITE(printf,
	    KTEST_CASE(conversions),
	    KTEST_CASE(limits),
	    KTEST_CASE(length_modifiers),
	    KTEST_CASE(flags),
	    KTEST_CASE(alternate_form),
	    KTEST_CASE(width_precision),
	    KTEST_CASE(star),
	    KTEST_CASE(strings_chars),
	    KTEST_CASE(pointers),
	    KTEST_CASE(truncation),
	    KTEST_CASE(huge_width),
	    KTEST_CASE(unknown_specs));
