/*
 * vsnprintf: C's integer, character and string conversions plus Linux's
 * %pa. No floating point, as the kernel keeps off the FP/SIMD registers.
 */
#include <stdarg.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

/* Output that keeps counting once the buffer is full. */
struct sink {
	char *buf;
	size_t size;
	size_t len;	/* length of the full output so far */
};

enum length { LEN_INT, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T };

struct spec {
	bool left, plus, space, alt, zero;
	unsigned int width;
	int prec;		/* -1 when not given */
	enum length length;
};

/* The last byte of the buffer is kept for the terminator. */
static void put(struct sink *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* n copies of c; counting, not looping, past the buffer (huge widths). */
static void put_repeat(struct sink *o, char c, size_t n)
{
	for (; n && o->len + 1 < o->size; n--)
		o->buf[o->len++] = c;
	o->len += n;
}

static void put_padded(struct sink *o, const struct spec *sp, const char *s,
		       size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		put_repeat(o, ' ', pad);
	while (n--)
		put(o, *s++);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

/*
 * Prints magnitude v in base with an optional sign character and "0x"/"0X"
 * prefix (x is 'x', 'X' or 0), honouring width, precision and flags.
 */
static void put_number(struct sink *o, const struct spec *sp,
		       unsigned long long v, unsigned int base, bool upper,
		       char sign, char x)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[22];		/* 2^64 - 1 has 22 octal digits */
	size_t nd = 0, zeros, body, prec = sp->prec < 0 ? 1 : sp->prec;

	/* No digits for 0 itself: the precision's zero padding makes "0". */
	for (; v; v /= base)
		tmp[nd++] = digits[v % base];
	if (sp->alt && base == 8 && prec <= nd)
		prec = nd + 1;
	zeros = prec > nd ? prec - nd : 0;
	body = !!sign + (x ? 2 : 0) + zeros + nd;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > body) {
		zeros += sp->width - body;
		body = sp->width;
	}

	if (!sp->left && sp->width > body)
		put_repeat(o, ' ', sp->width - body);
	if (sign)
		put(o, sign);
	if (x) {
		put(o, '0');
		put(o, x);
	}
	put_repeat(o, '0', zeros);
	while (nd)
		put(o, tmp[--nd]);
	if (sp->left && sp->width > body)
		put_repeat(o, ' ', sp->width - body);
}

/*
 * The argument of an integer conversion, read with the type its length
 * modifier names and converted as C says (hh and h through int promotion).
 */
static unsigned long long fetch_unsigned(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return (ptrdiff_t)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Decimal digits at *f, saturating at INT_MAX. */
static int parse_count(const char **f)
{
	int n = 0;

	for (; **f >= '0' && **f <= '9'; (*f)++) {
		int d = **f - '0';

		n = n > (__INT_MAX__ - d) / 10 ? __INT_MAX__ : n * 10 + d;
	}
	return n;
}

/* Parses flags, width, precision and length; returns the conversion. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}

	if (*f == '*') {
		int w = va_arg(*ap, int);

		f++;
		/* Negative means '-' flag; negated unsigned for INT_MIN. */
		if (w < 0) {
			sp->left = true;
			sp->width = 0U - (unsigned int)w;
		} else {
			sp->width = w;
		}
	} else {
		sp->width = parse_count(&f);
	}

	sp->prec = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			f++;
			sp->prec = p < 0 ? -1 : p;
		} else {
			sp->prec = parse_count(&f);
		}
	}

	sp->length = LEN_INT;
	if (*f == 'h') {
		sp->length = LEN_H;
		if (*++f == 'h') {
			sp->length = LEN_HH;
			f++;
		}
	} else if (*f == 'l') {
		sp->length = LEN_L;
		if (*++f == 'l') {
			sp->length = LEN_LL;
			f++;
		}
	} else if (*f == 'z') {
		sp->length = LEN_Z;
		f++;
	} else if (*f == 't') {
		sp->length = LEN_T;
		f++;
	}
	return f;
}

/*
 * Prints the conversion at f (spec starts at the '%'); returns where the
 * format goes on. An unknown or truncated spec is printed as it stands.
 */
static const char *convert(struct sink *o, const char *spec, const char *f,
			   const struct spec *sp, va_list *ap)
{
	switch (*f) {
	case 'd':
	case 'i': {
		long long v = fetch_signed(ap, sp->length);
		unsigned long long mag = v;
		char sign = v < 0 ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;

		/* Negated unsigned: LLONG_MIN has no positive counterpart. */
		if (v < 0)
			mag = 0 - mag;
		put_number(o, sp, mag, 10, false, sign, 0);
		break;
	}
	case 'u':
		put_number(o, sp, fetch_unsigned(ap, sp->length), 10, false, 0,
			   0);
		break;
	case 'o':
		put_number(o, sp, fetch_unsigned(ap, sp->length), 8, false, 0,
			   0);
		break;
	case 'x':
	case 'X': {
		unsigned long long v = fetch_unsigned(ap, sp->length);

		put_number(o, sp, v, 16, *f == 'X', 0, sp->alt && v ? *f : 0);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);

		put_padded(o, sp, &c, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);

		if (!s)
			s = "(null)";
		put_padded(o, sp, s,
			   sp->prec < 0 ? strlen(s) : strnlen(s, sp->prec));
		break;
	}
	case 'p':
		if (f[1] == 'a') {
			const phys_addr_t *pa = va_arg(*ap, phys_addr_t *);
			struct spec full = *sp;

			f++;
			if (!pa) {
				put_padded(o, sp, "(null)", 6);
				break;
			}
			full.prec = 16;
			put_number(o, &full, *pa, 16, false, 0, 'x');
		} else {
			put_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16,
				   false, 0, 'x');
		}
		break;
	case '%':
		put(o, '%');
		break;
	default:
		/* Print through the bad character, but never past the NUL. */
		if (*f)
			f++;
		while (spec < f)
			put(o, *spec++);
		return f;
	}
	return f + 1;
}

/*
 * Returns the length of the full output (capped at INT_MAX), of which the
 * first size - 1 bytes are stored and NUL-terminated when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink o = { buf, size, 0 };
	va_list args;

	/* A va_list parameter may be an array in disguise: take a real one. */
	va_copy(args, ap);
	while (*fmt) {
		struct spec sp = { 0 };
		const char *f;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		f = parse_spec(fmt + 1, &sp, &args);
		fmt = convert(&o, fmt, f, &sp, &args);
	}
	va_end(args);

	if (size)
		buf[min(o.len, size - 1)] = '\0';
	return o.len > __INT_MAX__ ? __INT_MAX__ : (int)o.len;
}

/* Returns what vsnprintf() returns. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
