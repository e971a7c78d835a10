/*
 * Freestanding string and memory functions.
 *
 * Word-sized accesses are only ever aligned ones: these functions may run
 * before the MMU is on, when all memory is Device memory and an unaligned
 * access faults. The str* functions stay byte-wise so that they never read
 * past a terminator, which ASan on the host would rightly report.
 */
#include <mk64/compiler.h>
#include <mk64/string.h>

/*
 * Unless a build remembers -fno-builtin, GCC recognises the copy and fill
 * loops below as memcpy/memset idioms and compiles them into calls to the
 * very functions they implement. The callers of the copy helpers carry the
 * attribute too, as GCC does not inline across differing options.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define __no_idiom_calls \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define __no_idiom_calls
#endif

typedef unsigned long __attribute__((__may_alias__)) word_t;
#define WORD sizeof(word_t)

static inline bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD - 1)) == 0;
}

/* True when a and b are equally far from a word boundary. */
static inline bool same_alignment(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD - 1)) == 0;
}

/* Ascending copy; memmove relies on this order when dst is below src. */
static __no_idiom_calls void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (n >= WORD && same_alignment(d, s)) {
		word_t *dw;
		const word_t *sw;

		for (; !word_aligned(d); n--)
			*d++ = *s++;
		dw = (word_t *)d;
		sw = (const word_t *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (u8 *)dw;
		s = (const u8 *)sw;
	}
	while (n--)
		*d++ = *s++;
}

/* Descending copy of the n bytes that end just below d and s. */
static __no_idiom_calls void copy_backward(u8 *d, const u8 *s, size_t n)
{
	if (n >= WORD && same_alignment(d, s)) {
		word_t *dw;
		const word_t *sw;

		for (; !word_aligned(d); n--)
			*--d = *--s;
		dw = (word_t *)d;
		sw = (const word_t *)s;
		for (; n >= WORD; n -= WORD)
			*--dw = *--sw;
		d = (u8 *)dw;
		s = (const u8 *)sw;
	}
	while (n--)
		*--d = *--s;
}

/* Returns dst. The buffers must not overlap. */
__no_idiom_calls void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

/* Returns dst. The buffers may overlap. */
__no_idiom_calls void *memmove(void *dst, const void *src, size_t n)
{
	/*
	 * dst - src wraps to a huge value when dst is below src, so one
	 * compare tells whether an ascending copy reads each byte before
	 * overwriting it.
	 */
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward((u8 *)dst + n, (const u8 *)src + n, n);
	return dst;
}

/* Returns s. */
__no_idiom_calls void *memset(void *s, int c, size_t n)
{
	u8 *p = s;
	u8 b = (u8)c;

	if (n >= WORD) {
		word_t w = (word_t)-1 / 0xff * b;
		word_t *pw;

		for (; !word_aligned(p); n--)
			*p++ = b;
		for (pw = (word_t *)p; n >= WORD; n -= WORD)
			*pw++ = w;
		p = (u8 *)pw;
	}
	while (n--)
		*p++ = b;
	return s;
}

/* Returns <0, 0 or >0 as the first differing byte (unsigned) of a is. */
int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/* Returns the first byte equal to (u8)c within n bytes, or NULL. */
void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

/* Returns the number of bytes before the terminator. */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* Returns strlen(s), but at most maxlen; reads no further than that. */
size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

/* Returns <0, 0 or >0, comparing as unsigned char like memcmp. */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* As strcmp, over at most n characters. */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

/* Returns the first (char)c in s, the terminator included, or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* Returns the last (char)c in s, the terminator included, or NULL. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/*
 * Copies as much of src as fits in size bytes, always NUL-terminated when
 * size > 0. Returns strlen(src): truncation happened when that is >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = min(len, size - 1);

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Digit value of c in any base up to 36; 36 (invalid) for a non-digit. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * C's strtoul for an unsigned type whose maximum is max (2^k - 1). There is
 * no errno: overflow returns max, and a string without digits (or a base
 * outside 0 and 2..36) returns 0 with *end = s.
 */
static unsigned long long parse_unsigned(const char *s, char **end, int base,
					 unsigned long long max)
{
	const char *p = s;
	unsigned long long val = 0;
	bool neg = false, overflow = false;
	const char *digits;

	if (base < 0 || base == 1 || base > 36)
		goto no_digits;
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	/* "0x" without a hex digit after it is the number 0 followed by x. */
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}

	for (digits = p; digit_value(*p) < (unsigned int)base; p++) {
		unsigned int d = digit_value(*p);

		if (val > (max - d) / base)
			overflow = true;
		else
			val = val * base + d;
	}
	if (p == digits)
		goto no_digits;
	if (end)
		*end = (char *)p;
	if (overflow)
		return max;
	/* Like C, a minus sign negates in the unsigned type. */
	return neg ? (0 - val) & max : val;

no_digits:
	if (end)
		*end = (char *)s;
	return 0;
}

/* Returns the value of the number at s; see parse_unsigned(). */
unsigned long strtoul(const char *s, char **end, int base)
{
	return parse_unsigned(s, end, base, ~0UL);
}

/* Returns the value of the number at s; see parse_unsigned(). */
unsigned long long strtoull(const char *s, char **end, int base)
{
	return parse_unsigned(s, end, base, ~0ULL);
}
