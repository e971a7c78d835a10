/*
 * Two adjacent longs in one LDP. GCC 12 does not pair the loads of the
 * SLUB fast paths by itself (mm/slub.h), and there every instruction
 * counts. The host tests have a plain C stand-in.
 */
#ifndef ASM_LOAD_PAIR_H
#define ASM_LOAD_PAIR_H

#include <mk64/compiler.h>

struct long_pair {
	unsigned long first, second;
};

static __always_inline void load_pair(const unsigned long *p, unsigned long *first,
				      unsigned long *second)
{
	__asm__("ldp %0, %1, %2" : "=r"(*first), "=r"(*second) : "Ump"(*(const struct long_pair *)p));
}

#endif
