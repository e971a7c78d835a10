/*
 * The last step of a boot loader, for configs that load the Image and a
 * device tree with QEMU's generic loader (so that QEMU leaves the tree's
 * /memory alone): enter the Image at 0x4020_0000 with x0 = the tree at
 * 0x4800_0000 and x1-x3 = 0 (the arm64 boot protocol), MMU and caches
 * off as QEMU starts the CPU.
 */
	.text
	.globl	_start
_start:
	ldr	x0, dtb
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	ldr	x4, image
	br	x4

	.balign	8
dtb:	.quad	0x48000000
image:	.quad	0x40200000
