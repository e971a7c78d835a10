/*
 * Kernel entry. The boot loader jumps here with the MMU and data cache off,
 * x0 = physical address of the DTB, x1-x3 = 0, at EL2 or EL1, wherever in
 * RAM it placed the image (2 MiB aligned). This code is position independent
 * until the MMU is on: it drops to EL1, builds the early page tables (an
 * identity map for the switch, the image at KIMAGE_VADDR), enables the MMU and
 * caches, and jumps to C at the link address.
 *
 * Register use until start_kernel: x19 = DTB phys, x20-x22 = x1-x3 at entry,
 * x23 = CurrentEL at entry, x24 = physical load address of _text, x25 = the
 * EL2 set-up's BOOT_EL2_* notes (asm/boot.h), reported once there is a
 * console.
 *
 * Every exception stays masked until start_kernel has a console: an SError
 * that firmware left pending is taken only when .bss, the stack and the
 * console exist to report it.
 */
#include <asm/assembler.h>
#include <asm/boot.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/smp.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>

	.section ".head.text", "ax"
	.globl	_text
_text:
	/* The arm64 Image header (Linux's Documentation/arch/arm64/booting). */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	_kernel_size_le			/* image_size, from linker.ld */
	.quad	0xa				/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5: no PE header */

primary_entry:
	/*
	 * The boot protocol says DAIF is masked at entry; a loader that got
	 * it wrong would otherwise take an IRQ or SError into whatever
	 * VBAR it left, before we own any vector table.
	 */
	msr	daifset, #DAIF_ALL_IMM
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mrs	x23, CurrentEL
	lsr	x23, x23, #2
	adr	x24, _text
	tst	x24, #(SECTION_SIZE - 1)	/* booti guarantees 2 MiB alignment */
	b.ne	.
	bl	init_kernel_el
	bl	create_early_tables
	bl	enable_mmu
	ldr	x8, =primary_switched
	br	x8

/*
 * Leaves the CPU at EL1h with all exceptions masked. From EL2 it configures
 * a non-VHE hypervisor state that gets out of EL1's way: AArch64 EL1, the
 * physical timer and counter, GICv3 system registers, the PMU counters, the
 * real MIDR/MPIDR, and our own EL2 vectors (hyp-stub.S) in place of the
 * boot loader's, whose code lies in RAM the kernel now owns. FP/SIMD is
 * trapped at EL1 (CPACR_EL1.FPEN = 0): the kernel uses none.
 */
init_kernel_el:
	mov	x25, xzr
	cmp	x23, #2
	b.eq	1f
	cmp	x23, #1
	b.ne	.				/* EL3 entry: not supported */
	msr	spsel, #1			/* the protocol allows EL1t entry */
	ldr	x0, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	b	2f
1:	ldr	x0, =SCTLR_EL2_MMU_OFF
	msr	sctlr_el2, x0
	adr_l	x0, __hyp_stub_vectors
	msr	vbar_el2, x0
	ldr	x0, =HCR_HOST_NVHE_FLAGS
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	msr	cnthp_ctl_el2, xzr		/* the EL2 timer off: it is UNKNOWN at reset */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #ID_AA64PFR0_GIC_SHIFT, #4
	cbz	x0, 3f
	/*
	 * SRE may not stick: firmware that left ICC_SRE_EL3.SRE at 0 (the
	 * legacy memory-mapped interface at EL3) makes it RAZ/WI here. Read
	 * it back, and touch the ICH_ registers only if it stuck.
	 */
	mrs	x0, SYS_ICC_SRE_EL2
	mov	x1, #(ICC_SRE_SRE | ICC_SRE_EL2_ENABLE)
	orr	x0, x0, x1
	msr	SYS_ICC_SRE_EL2, x0
	isb
	mrs	x0, SYS_ICC_SRE_EL2
	tbnz	x0, #ICC_SRE_SRE_SHIFT, 5f
	orr	x25, x25, #BOOT_EL2_GIC_SRE_STUCK_OFF
	b	3f
5:	msr	SYS_ICH_HCR_EL2, xzr
	/* MDCR_EL2: no debug traps; with a PMU, all its counters to EL1. */
3:	mov	x1, xzr
	mrs	x0, id_aa64dfr0_el1
	ubfx	x0, x0, #ID_AA64DFR0_PMUVER_SHIFT, #4
	cbz	x0, 4f
	cmp	x0, #ID_AA64DFR0_PMUVER_IMPDEF
	b.eq	4f
	mrs	x0, pmcr_el0
	ubfx	x1, x0, #PMCR_N_SHIFT, #5
4:	msr	mdcr_el2, x1
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	ldr	x0, =CPTR_EL2_VALUE
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	ldr	x0, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #INIT_PSTATE_EL1
	msr	spsr_el2, x0
	adr	x0, 2f
	msr	elr_el2, x0
	isb
	eret
2:	msr	cpacr_el1, xzr			/* FP/SIMD traps: see the Makefile's SIMD rule */
	isb
	ret

/* x0 = start, x1 = end: invalidate the data cache lines to PoC. */
inval_dcache_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #CTR_DMINLINE_SHIFT, #4
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * x0 = L2 table, x1 = first index, x2 = count, x3 = first block descriptor:
 * fills consecutive 2 MiB block entries.
 */
map_sections:
1:	str	x3, [x0, x1, lsl #3]
	add	x1, x1, #1
	add	x3, x3, #SECTION_SIZE
	subs	x2, x2, #1
	b.ne	1b
	ret

/* x0 = table, x1 = index, x2 = next-level table: writes a table entry. */
link_table:
	orr	x2, x2, #DESC_TABLE
	str	x2, [x0, x1, lsl #3]
	ret

/*
 * Builds the early tables with the MMU off. The tables' lines are
 * invalidated before (a dirty line evicted later would overwrite them) and
 * after (the walker's cacheable reads must not hit stale lines).
 */
create_early_tables:
	mov	x28, lr
	adr_l	x0, __early_pgtables_start
	adr_l	x1, __early_pgtables_end
	bl	inval_dcache_range
	adr_l	x0, __early_pgtables_start
	adr_l	x1, __early_pgtables_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	/* Identity map: the 2 MiB block holding _text and this code. */
	adr_l	x0, idmap_l0
	ubfx	x1, x24, #L0_SHIFT, #9
	adr_l	x2, idmap_l1
	bl	link_table
	adr_l	x0, idmap_l1
	ubfx	x1, x24, #L1_SHIFT, #9
	adr_l	x2, idmap_l2
	bl	link_table
	adr_l	x0, idmap_l2
	ubfx	x1, x24, #L2_SHIFT, #9
	mov	x2, #1
	ldr	x3, =PROT_KERNEL_EXEC | DESC_BLOCK
	orr	x3, x3, x24
	bl	map_sections

	/* Kernel image at KIMAGE_VADDR, in 2 MiB blocks. */
	ldr	x5, =KIMAGE_VADDR
	adr_l	x0, kernel_l0
	ubfx	x1, x5, #L0_SHIFT, #9
	adr_l	x2, kernel_l1
	bl	link_table
	adr_l	x0, kernel_l1
	ubfx	x1, x5, #L1_SHIFT, #9
	adr_l	x2, kernel_l2
	bl	link_table
	adr_l	x0, kernel_l2
	ubfx	x1, x5, #L2_SHIFT, #9
	adr_l	x2, _text
	adr_l	x3, _end
	sub	x2, x3, x2
	ldr	x4, =SECTION_SIZE - 1
	add	x2, x2, x4
	lsr	x2, x2, #SECTION_SHIFT
	ldr	x3, =PROT_KERNEL_EXEC | DESC_BLOCK
	orr	x3, x3, x24
	bl	map_sections

	/* The early fixmap's last-level table; C fills its slots. */
	adr_l	x0, kernel_l2
	ldr	x5, =FIXADDR_START
	ubfx	x1, x5, #L2_SHIFT, #9
	adr_l	x2, early_fixmap_l3
	bl	link_table

	dmb	sy
	adr_l	x0, __early_pgtables_start
	adr_l	x1, __early_pgtables_end
	bl	inval_dcache_range
	mov	lr, x28
	ret

/*
 * Turns the MMU on. Runs from the identity map, so the return address stays
 * valid; the TLBs may hold entries from an earlier EL1 regime (a boot loader
 * at EL1), and instructions fetched with the MMU off are discarded after.
 */
enable_mmu:
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1
	ubfx	x1, x1, #ID_AA64MMFR0_PARANGE_SHIFT, #3
	cmp	x1, #TCR_IPS_MAX
	mov	x2, #TCR_IPS_MAX
	csel	x1, x1, x2, ls
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	adr_l	x0, idmap_l0
	msr	ttbr0_el1, x0
	adr_l	x0, kernel_l0
	msr	ttbr1_el1, x0
	ldr	x0, =SCTLR_EL1_MMU_ON
	/* fall through */

/* x0 = SCTLR_EL1 with the MMU on; MAIR, TCR and both TTBRs are set. */
__enable_mmu:
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret
	.ltorg

/*
 * A secondary CPU's first instruction (arch/arm64/smp.c passes this
 * physical address to PSCI CPU_ON), with the MMU and caches off, at EL2 or
 * EL1 as firmware starts it, x0 = its logical CPU number (the context ID).
 * It takes the boot CPU's path to EL1, then turns the MMU on with the
 * boot CPU's final kernel tables in TTBR1 and the identity map in TTBR0
 * (the TLBs invalidated first: they may hold firmware's EL1 entries), with
 * MAIR and TCR as the boot CPU has them. Its struct secondary_boot was
 * cleaned to the point of coherency for these uncached reads.
 */
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #DAIF_ALL_IMM
	mov	x19, x0
	mrs	x23, CurrentEL
	lsr	x23, x23, #2
	bl	init_kernel_el
	adr_l	x20, secondary_boot
	add	x20, x20, x19, lsl #SECONDARY_BOOT_SHIFT
	ldr	x0, [x20, #SECONDARY_BOOT_MAIR]
	msr	mair_el1, x0
	ldr	x0, [x20, #SECONDARY_BOOT_TCR]
	msr	tcr_el1, x0
	adr_l	x0, idmap_l0
	msr	ttbr0_el1, x0
	ldr	x0, [x20, #SECONDARY_BOOT_TTBR1]
	msr	ttbr1_el1, x0
	/* WXN comes later: the identity map is writable and executable. */
	ldr	x0, =SCTLR_EL1_MMU_ON
	bl	__enable_mmu
	ldr	x8, =secondary_switched
	br	x8
	.ltorg

/*
 * x0 = new TTBR1 table, x1 = an empty table. Replaces the kernel's tables
 * while running from the identity map: TTBR1 first points at nothing and
 * the TLBs are emptied, so old and new entries for one address never meet
 * in the TLB (a TLB conflict abort on real cores). Touches no memory, so
 * the stack may be unmapped meanwhile; the caller masks exceptions.
 */
	.globl	idmap_replace_ttbr1
idmap_replace_ttbr1:
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	ttbr1_el1, x0
	isb
	ret

	.text
/* Now at the link address, with the MMU and caches on. */
primary_switched:
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	/*
	 * Until setup_per_cpu_areas() the boot CPU's per-CPU area is the
	 * template as loaded (asm/percpu.h); the vectors check sp against the
	 * stack its cpu_stacks names.
	 */
	adr_l	x0, __per_cpu_load
	msr	tpidr_el1, x0
	adr_l	x1, init_stack
	add	x2, x1, #THREAD_SIZE
	.if	CPU_STACK_HIGH != CPU_STACK_LOW + 8
	.error	"the stp below stores low and high as a pair"
	.endif
	stp	x1, x2, [x0, #PCPU_STACK_LOW]
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	sp, x2
	mov	x29, xzr			/* end of the frame-pointer chain */
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x24
	mov	x2, x23
	orr	x3, x20, x21
	orr	x3, x3, x22
	mov	x4, x25
	bl	start_kernel
2:	wfi
	b	2b

/*
 * A secondary CPU at the link address, x19 = its CPU number, x23 = the
 * exception level it was started at. TPIDR_EL1
 * and VBAR_EL1 first, so that any exception finds its vectors and their
 * stack bounds; then the boot CPU's final state: TTBR0 on the empty table
 * (low addresses fault), SCTLR with WXN, whose effect the TLBs may have
 * cached, hence the invalidation.
 */
secondary_switched:
	adr_l	x20, secondary_boot
	add	x20, x20, x19, lsl #SECONDARY_BOOT_SHIFT
	ldr	x0, [x20, #SECONDARY_BOOT_AREA]
	msr	tpidr_el1, x0
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, [x20, #SECONDARY_BOOT_TTBR0]
	msr	ttbr0_el1, x0
	isb
	ldr	x0, [x20, #SECONDARY_BOOT_SCTLR]
	msr	sctlr_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, [x20, #SECONDARY_BOOT_SP]
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x23
	bl	secondary_start_kernel
3:	wfi
	b	3b

	.section ".early_pgtables", "aw", %nobits
	.balign	PAGE_SIZE
	.globl	kernel_l0, kernel_l2, early_fixmap_l3, early_linear_l1, early_linear_l2
idmap_l0:	.skip	PAGE_SIZE
idmap_l1:	.skip	PAGE_SIZE
idmap_l2:	.skip	PAGE_SIZE
kernel_l0:	.skip	PAGE_SIZE
kernel_l1:	.skip	PAGE_SIZE
kernel_l2:	.skip	PAGE_SIZE
early_fixmap_l3: .skip	PAGE_SIZE
/* For C to map its first page-table pool at its linear address. */
early_linear_l1: .skip	PAGE_SIZE
early_linear_l2: .skip	PAGE_SIZE

/*
 * The boot stack, with a page below it that paging_init() leaves unmapped:
 * running off the stack faults instead of overwriting .data.
 */
	.section ".bss..stack", "aw", %nobits
	.balign	PAGE_SIZE
	.globl	init_stack_guard, init_stack
init_stack_guard: .skip	PAGE_SIZE
init_stack:	.skip	THREAD_SIZE
