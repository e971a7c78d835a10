/*
 * Exception vectors: 16 entries of 128 bytes, 2 KiB aligned. Every entry
 * checks the stack pointer, saves a struct pt_regs and calls
 * do_exception(regs, vector index) (traps.c). When that returns (after a
 * WARN, to send an expected fault to its landing pad, or after masking an
 * interrupt in the saved PSTATE) the frame is restored, sp included, and
 * the exception returns. The handler runs with DAIF all masked, as the
 * exception left it, so nothing can overwrite ELR/SPSR_EL1 before the
 * ERET; the ERET gives the interrupted code back its own DAIF, IRQs
 * unmasked included.
 *
 * The stack check comes before the first store: with sp outside init_stack
 * (or less than EXCEPTION_STACK_MIN of it left) or misaligned, saving the
 * frame would fault again, and again. Such an entry switches to
 * overflow_stack instead, and the handler reports a stack overflow. During
 * the check x0 and x1 wait in TPIDR_EL0 and TPIDRRO_EL0, free because the
 * kernel never runs anything at EL0.
 */
#include <asm/assembler.h>
#include <asm/memory.h>
#include <asm/ptrace.h>

	.macro ventry index
.Lventry\index:
	msr	tpidr_el0, x0
	msr	tpidrro_el0, x1
	mov	x0, sp
	adr_l	x1, init_stack
	sub	x1, x0, x1			/* bytes of stack left */
	tst	x0, #15
	b.ne	1f
	cmp	x1, #EXCEPTION_STACK_MIN
	b.lo	1f
	cmp	x1, #THREAD_SIZE
	b.hi	1f
	sub	sp, sp, #PT_REGS_SIZE
2:	str	x0, [sp, #S_SP]			/* sp before the exception */
	mrs	x0, tpidr_el0
	mrs	x1, tpidrro_el0
	stp	x0, x1, [sp]
	mov	x1, #\index
	b	exception_common
1:	adr_l	x1, overflow_stack + OVERFLOW_STACK_SIZE - PT_REGS_SIZE
	mov	sp, x1
	b	2b
	.org	.Lventry\index + 128		/* an error if the entry outgrew its slot */
	.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\i
	.endr

/* sp = the frame, x0-x1 and sp saved in it, x1 = the vector index. */
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
	str	x30, [sp, #S_LR]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #S_PC]
	mrs	x4, esr_el1
	mrs	x5, far_el1
	stp	x4, x5, [sp, #S_ESR]
	/* A frame record, so a backtrace continues into the interrupted code. */
	stp	x29, x2, [sp, #-16]!
	mov	x29, sp
	add	x0, sp, #16
	bl	do_exception
	add	sp, sp, #16

	ldp	x0, x1, [sp, #S_PC]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #S_LR]
	/* sp comes from the frame too, so x0 and x1 go last, via scratch. */
	ldr	x0, [sp, #S_SP]
	msr	tpidr_el0, x0
	ldp	x0, x1, [sp]
	msr	tpidrro_el0, x1
	mrs	x1, tpidr_el0
	mov	sp, x1
	mrs	x1, tpidrro_el0
	eret

/*
 * Where an expected fault resumes (fault.c): x0 holds fault_expect()'s
 * jmp_buf, which returns true from there. Uses no stack, as sp may be the
 * one that faulted.
 */
	.globl	fault_expect_landing
fault_expect_landing:
	mov	w1, #1
	b	longjmp

	.bss
	.balign	16
	.globl	overflow_stack
overflow_stack:	.skip	OVERFLOW_STACK_SIZE
