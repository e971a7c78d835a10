/*
 * Exception vectors: 16 entries of 128 bytes, 2 KiB aligned. Every entry
 * saves a struct pt_regs and calls do_exception(regs, vector index), which
 * reports and stops (a later issue adds recovery).
 */
#include <asm/ptrace.h>

	.macro ventry index
	.balign	128
	sub	sp, sp, #PT_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	exception_common
	.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\i
	.endr

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #PT_REGS_SIZE
	stp	x30, x2, [sp, #240]		/* lr, sp before the exception */
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #S_PC]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #S_ESR]
	/* A frame record, so a backtrace continues into the interrupted code. */
	ldr	x2, [sp, #S_PC]
	stp	x29, x2, [sp, #-16]!
	mov	x29, sp
	add	x0, sp, #16
	bl	do_exception
	b	.
