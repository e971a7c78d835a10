/*
 * UL(x): x as an unsigned long in C, bare in assembly, so one definition of
 * a constant serves head.S and C alike.
 */
#ifndef MK64_CONST_H
#define MK64_CONST_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#endif
