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
 * The stack check comes before the first store: with sp misaligned, or
 * outside the bounds of the stack this CPU runs on (struct cpu_stacks, at
 * a fixed offset in the per-CPU area TPIDR_EL1 points at), or with less than EXCEPTION_STACK_MIN of it
 * left, saving the frame could fault again, and again. Such an entry puts
 * its frame at the top of the CPU's overflow stack instead, and the
 * handler reports a stack overflow. An exception taken while already on
 * the overflow stack, with room left there, stacks its frame below the
 * running handler's as on any stack, so the first report survives.
 *
 * The check needs one register: x0 waits in SP_EL0 meanwhile. That is not
 * kernel state: the kernel runs on SP_EL1 (SPSel = 1) and SP_EL0 is EL0's
 * stack pointer, which an entry from EL0 will have to save before this
 * check once user space exists (and restore before returning there), as
 * its other registers. The EL0-visible TPIDR_EL0/TPIDRRO_EL0 are not used.
 */
#include <asm/assembler.h>
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>

	.macro ventry index
.Lventry\index:
	msr	sp_el0, x0
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #PCPU_STACK_LOW]
	add	x0, x0, #EXCEPTION_STACK_MIN
	cmp	sp, x0
	b.lo	.Lother_stack\index
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #PCPU_STACK_HIGH]
	cmp	sp, x0
	b.hi	.Lother_stack\index
.Lin_bounds\index:
	mov	x0, sp
	tst	x0, #15
	b.ne	.Lbad_stack\index
	sub	sp, sp, #PT_REGS_SIZE
.Lsave\index:				/* sp = the frame, x0 = sp before the exception */
	str	x0, [sp, #S_SP]
	mrs	x0, sp_el0
	stp	x0, x1, [sp]
	mov	x1, #\index
	b	exception_common
	.org	.Lventry\index + 128		/* an error if the entry outgrew its slot */
	.endm

/* The rest of a vector's check, out of its slot: sp is not on the CPU's stack. */
	.macro ventry_other_stack index
.Lother_stack\index:			/* on the overflow stack, with room left? */
	mrs	x0, tpidr_el1
	add	x0, x0, #PCPU_OVERFLOW_STACK + EXCEPTION_STACK_MIN
	cmp	sp, x0
	b.lo	.Lbad_stack\index
	mrs	x0, tpidr_el1
	add	x0, x0, #OVERFLOW_STACK_SIZE
	add	x0, x0, #PCPU_OVERFLOW_STACK
	cmp	sp, x0
	b.ls	.Lin_bounds\index
.Lbad_stack\index:			/* the frame at the top of the overflow stack */
	mrs	x0, tpidr_el1
	add	x0, x0, #OVERFLOW_STACK_SIZE
	add	x0, x0, #PCPU_OVERFLOW_STACK - PT_REGS_SIZE
	/* Swaps sp and x0 with no third register: sp' = sp + x0 and so on. */
	add	sp, sp, x0
	sub	x0, sp, x0
	sub	sp, sp, x0
	b	.Lsave\index
	.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\i
	.endr

	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry_other_stack \i
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
	/*
	 * sp comes from the frame too: x1 holds the frame's address for the
	 * last loads. With every exception masked, nothing can use the stack
	 * below the new sp, where the frame may be, meanwhile.
	 */
	mov	x1, sp
	ldr	x0, [x1, #S_SP]
	mov	sp, x0
	ldr	x0, [x1]
	ldr	x1, [x1, #8]
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
