/*
 * Integer square root by Newton's iteration on integers: started from any
 * r >= floor(sqrt(x)), r' = (r + x / r) / 2 decreases strictly until it
 * reaches floor(sqrt(x)), where it stops decreasing.
 */
#include <mk64/math.h>

_Static_assert(sizeof(unsigned long) == 8, "int_sqrt assumes a 64-bit unsigned long");

unsigned long int_sqrt(unsigned long x)
{
	unsigned int bits;
	unsigned long r, next;

	if (x < 2)
		return x;
	/*
	 * x < 2^bits, so 2^ceil(bits / 2) > sqrt(x). It is at most 2^32,
	 * and every later r is at least floor(sqrt(x)), so x / r is at most
	 * sqrt(x) + 3 and r + x / r stays near 2^33: no overflow.
	 */
	bits = 64 - (unsigned int)__builtin_clzl(x);
	r = 1UL << ((bits + 1) / 2);
	for (;;) {
		next = (r + x / r) / 2;
		if (next >= r)
			return r;
		r = next;
	}
}
