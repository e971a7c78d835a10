/* Assembler macros shared by the .S files. */
#ifndef ASM_ASSEMBLER_H
#define ASM_ASSEMBLER_H

#ifdef __ASSEMBLY__
/*
 * reg = the address of sym, PC-relative (+/- 4 GiB): the physical address
 * while the MMU is off, the link address once running there.
 */
	.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm
#endif

#endif
