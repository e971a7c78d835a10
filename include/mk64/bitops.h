/* Bit searches, as Linux's <linux/bitops.h>. */
#ifndef MK64_BITOPS_H
#define MK64_BITOPS_H

#include <mk64/types.h>

/* The 1-based position of the most significant set bit of x; 0 for 0. */
static inline unsigned int fls64(u64 x)
{
	return x ? 64 - (unsigned int)__builtin_clzll(x) : 0;
}

#endif
