/*
 * Freestanding string and memory functions.
 *
 * memcpy, memmove and memset move 8 bytes an access, in pairs the compiler
 * turns into ldp/stp, at any alignment: all C runs with the MMU on
 * (boot/head.S does everything before that in assembly), where RAM is
 * Normal memory and SCTLR_EL1.A is clear, so unaligned accesses are legal.
 * They would fault on Device memory: MMIO goes through the drivers' own
 * accessors, never through these. Every access stays inside the buffers,
 * so a page boundary next to one is never crossed. The str* functions stay
 * byte-wise so that they never read past a terminator, which ASan on the
 * host would rightly report.
 */
#include <mk64/compiler.h>
#include <mk64/string.h>

/*
 * Built with -fno-tree-loop-distribute-patterns (Makefile, mk/host.mk):
 * GCC would otherwise recognise the loops below as memcpy/memset idioms and
 * compile them into calls to the very functions they implement. The loops
 * with a constant count are unrolled whole ("GCC unroll") into straight
 * runs of ldp/stp.
 */

typedef u64 __attribute__((__aligned__(1), __may_alias__)) unaligned_u64;
typedef u32 __attribute__((__aligned__(1), __may_alias__)) unaligned_u32;

static __always_inline u64 load64(const u8 *p)
{
	return *(const unaligned_u64 *)p;
}

static __always_inline void store64(u8 *p, u64 v)
{
	*(unaligned_u64 *)p = v;
}

/* Above this, the copy and fill loops run; at or below, straight-line code. */
#define SMALL 128

/*
 * Copies the first and the last k bytes of an n-byte buffer, k <= n <= 2k
 * (the two halves may overlap), loading everything before storing anything:
 * correct however dst and src overlap.
 */
static __always_inline void copy_ends(u8 *d, const u8 *s, size_t n, size_t k)
{
	u8 *dt = d + n - k;
	const u8 *st = s + n - k;
	u64 head[SMALL / 16], tail[SMALL / 16];

	/* One base register for the tail, so that its accesses pair up. */
	OPTIMIZER_HIDE_VAR(dt);
	OPTIMIZER_HIDE_VAR(st);

	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		head[i] = load64(s + 8 * i);
	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		tail[i] = load64(st + 8 * i);
	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		store64(d + 8 * i, head[i]);
	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		store64(dt + 8 * i, tail[i]);
}

/* n <= SMALL bytes; any overlap. */
static __always_inline void copy_small(u8 *d, const u8 *s, size_t n)
{
	if (n <= 16) {
		if (n >= 8) {
			copy_ends(d, s, n, 8);
		} else if (n >= 4) {
			u32 a = *(const unaligned_u32 *)s;
			u32 b = *(const unaligned_u32 *)(s + n - 4);

			*(unaligned_u32 *)d = a;
			*(unaligned_u32 *)(d + n - 4) = b;
		} else if (n) {
			/* 1 to 3 bytes: the first, the middle and the last. */
			u8 a = s[0], b = s[n / 2], c = s[n - 1];

			d[0] = a;
			d[n / 2] = b;
			d[n - 1] = c;
		}
	} else if (n <= 32) {
		copy_ends(d, s, n, 16);
	} else if (n <= 64) {
		copy_ends(d, s, n, 32);
	} else {
		copy_ends(d, s, n, 64);
	}
}

/* Copies 128 bytes as 16-byte pairs, each loaded just before it is stored. */
static __always_inline void copy_block(u8 *d, const u8 *s)
{
	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < SMALL; i += 16) {
		u64 a = load64(s + i), b = load64(s + i + 8);

		store64(d + i, a);
		store64(d + i + 8, b);
	}
}

/*
 * n > SMALL; ascending, so correct when dst is below src even if they
 * overlap (may_overlap). The first 16 bytes are loaded first and stored
 * last; from the next 16-byte boundary of dst on, a block an iteration,
 * each pair stored just after it was loaded: a store never reaches a
 * source byte not yet read. The rest, up to a block: without overlap, the
 * last block again, some bytes twice; with it, copy_small(), which reads
 * only bytes past the last store.
 */
static __always_inline void copy_forward(u8 *d, const u8 *s, size_t n, bool may_overlap)
{
	u64 h0 = load64(s), h1 = load64(s + 8);
	size_t skip = 16 - ((uintptr_t)d & 15);
	u8 *p = d + skip, *last = d + n - SMALL;
	const u8 *sp = s + skip;

	for (; p < last; p += SMALL, sp += SMALL)
		copy_block(p, sp);
	if (may_overlap)
		copy_small(p, sp, d + n - p);
	else
		copy_block(last, s + n - SMALL);
	store64(d, h0);
	store64(d + 8, h1);
}

/* The mirror image of copy_forward(): correct when dst is above src. */
static __always_inline void copy_backward(u8 *d, const u8 *s, size_t n)
{
	u8 *end = d + n;
	const u8 *se = s + n;
	u64 t0 = load64(se - 16), t1 = load64(se - 8);
	size_t skip = (((uintptr_t)end - 1) & 15) + 1;
	u8 *p = end - skip, *first = d + SMALL;

	for (se -= skip; p > first; p -= SMALL, se -= SMALL)
		_Pragma("GCC unroll 16")
		for (size_t i = 16; i <= SMALL; i += 16) {
			u64 a = load64(se - i), b = load64(se - i + 8);

			store64(p - i, a);
			store64(p - i + 8, b);
		}
	copy_small(d, s, p - d);
	store64(end - 16, t0);
	store64(end - 8, t1);
}

/* Returns dst. The buffers must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	if (n <= SMALL)
		copy_small(dst, src, n);
	else
		copy_forward(dst, src, n, false);
	return dst;
}

/* Returns dst. The buffers may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	if (n <= SMALL)
		copy_small(dst, src, n);
	/*
	 * dst - src wraps to a huge value when dst is below src, so one
	 * compare tells whether an ascending copy reads each byte before
	 * overwriting it.
	 */
	else if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n, true);
	else
		copy_backward(dst, src, n);
	return dst;
}

/* Stores v to the first and the last k bytes of n, k <= n <= 2k. */
static __always_inline void set_ends(u8 *p, u64 v, size_t n, size_t k)
{
	u8 *t = p + n - k;

	OPTIMIZER_HIDE_VAR(t);

	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		store64(p + 8 * i, v);
	_Pragma("GCC unroll 8")
	for (size_t i = 0; i < k / 8; i++)
		store64(t + 8 * i, v);
}

/* Returns s. */
void *memset(void *s, int c, size_t n)
{
	u8 *p = s, *end = p + n, *last;
	u64 v = 0x0101010101010101ULL * (u8)c;

	if (n <= 16) {
		if (n >= 8) {
			set_ends(p, v, n, 8);
		} else if (n >= 4) {
			*(unaligned_u32 *)p = (u32)v;
			*(unaligned_u32 *)(end - 4) = (u32)v;
		} else if (n) {
			p[0] = (u8)c;
			p[n / 2] = (u8)c;
			p[n - 1] = (u8)c;
		}
	} else if (n <= 32) {
		set_ends(p, v, n, 16);
	} else if (n <= 64) {
		set_ends(p, v, n, 32);
	} else if (n <= SMALL) {
		set_ends(p, v, n, 64);
	} else {
		/* Unaligned head and tail; aligned 16-byte stores between. */
		store64(p, v);
		store64(p + 8, v);
		p = (u8 *)ALIGN_DOWN((uintptr_t)p + 16, 16);
		for (last = end - SMALL; p < last; p += SMALL)
			_Pragma("GCC unroll 16")
			for (size_t i = 0; i < SMALL; i += 8)
				store64(p + i, v);
		set_ends(end - SMALL, v, SMALL, SMALL / 2);
	}
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

/* Returns the first place needle occurs in haystack (haystack for ""), or NULL. */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
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
