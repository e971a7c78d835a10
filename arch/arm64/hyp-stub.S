/*
 * The EL2 vectors the kernel leaves behind when it was entered at EL2
 * (Linux's hyp stub, reduced to what a kernel with no hypervisor needs).
 * Without them VBAR_EL2 would still point into the boot loader, in RAM the
 * kernel now owns, and an HVC from EL1 (PSCI through "hvc" on a board
 * whose device tree says so) would run whatever now lies there.
 *
 * HVC from EL1 is the only exception that can reach EL2: HCR_EL2 routes no
 * interrupt or SError there and traps nothing else, CPTR_EL2 and MDCR_EL2
 * trap nothing. An HVC gets SMCCC's NOT_SUPPORTED in x0 and every other
 * register untouched: there is no service here. Anything else parks the
 * CPU, as nothing at EL2 can report it (no console mapping, MMU off).
 *
 * Runs with the EL2 MMU off, from the image's physical address.
 */
#include <asm/sysreg.h>

	.macro	invalid_vector
	.balign	0x80
	b	.
	.endm

	.text
	.balign	2048
	.globl	__hyp_stub_vectors
__hyp_stub_vectors:
	/* Current EL with SP_EL0, then with SP_ELx: sync, IRQ, FIQ, SError. */
	.rept	8
	invalid_vector
	.endr
	/* Lower EL, AArch64: synchronous. */
	.balign	0x80
	mrs	x0, esr_el2
	ubfx	x0, x0, #ESR_ELx_EC_SHIFT, #ESR_ELx_EC_WIDTH
	cmp	x0, #ESR_ELx_EC_HVC64
	b.ne	.
	mov	x0, #SMCCC_RET_NOT_SUPPORTED
	eret
	/* Lower EL AArch64 IRQ, FIQ, SError; lower EL AArch32: all four. */
	.rept	7
	invalid_vector
	.endr
