/* The host's stand-in for arm64's <asm/load_pair.h>: two plain loads. */
#ifndef ASM_LOAD_PAIR_H
#define ASM_LOAD_PAIR_H

static inline void load_pair(const unsigned long *p, unsigned long *first, unsigned long *second)
{
	*first = p[0];
	*second = p[1];
}

#endif
