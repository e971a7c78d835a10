/*
 * __call_on_stack(fn, arg, sp, daif), for call_on_stack() (stacktrace.c),
 * which has set the CPU's stack bounds with IRQs masked: calls fn(arg) on
 * the stack whose top is sp, with the caller's DAIF, and comes back to the
 * caller's stack with IRQs and FIQs masked again, for call_on_stack() to
 * put the bounds back. fn's frame record links to this one, on the
 * caller's stack, so backtraces cross from one stack to the other.
 */
	.text
	.globl	__call_on_stack
__call_on_stack:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mov	x19, sp
	mov	sp, x2
	msr	daif, x3
	mov	x2, x0
	mov	x0, x1
	blr	x2
	msr	daifset, #3
	mov	sp, x19
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
