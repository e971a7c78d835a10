/*
 * System registers: the raw encodings of those the assembler does not name
 * for ARMv8.0 (the GICv3 ICC_ and ICH_ registers), the fields and values the
 * boot code and the exception handlers write, and C accessors. Included by
 * assembly (head.S, hyp-stub.S) and C; only arch/arm64 code and its tests
 * include it.
 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <mk64/const.h>

/* GICv3 CPU interface, op0_op1_CRn_CRm_op2. */
#define SYS_ICC_SRE_EL1 S3_0_C12_C12_5
#define SYS_ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define SYS_ICC_PMR_EL1 S3_0_C4_C6_0
#define SYS_ICC_IAR1_EL1 S3_0_C12_C12_0
#define SYS_ICC_EOIR1_EL1 S3_0_C12_C12_1
#define SYS_ICC_BPR1_EL1 S3_0_C12_C12_3
#define SYS_ICC_CTLR_EL1 S3_0_C12_C12_4
#define SYS_ICC_SGI1R_EL1 S3_0_C12_C11_5
#define SYS_ICC_SRE_EL2 S3_4_C12_C9_5
#define SYS_ICH_HCR_EL2 S3_4_C12_C11_0
#define ICC_SRE_SRE_SHIFT 0
#define ICC_SRE_SRE (UL(1) << ICC_SRE_SRE_SHIFT)	/* system register interface in use */
#define ICC_SRE_EL2_ENABLE (UL(1) << 3)	/* EL1 may set its own ICC_SRE_EL1.SRE */
#define ICC_IGRPEN1_EN (UL(1) << 0)
#define ICC_CTLR_EOIMODE (UL(1) << 1)	/* split priority drop and deactivation */

/* CNT[PV]_CTL_EL0: the EL1 timers' control. */
#define ARCH_TIMER_CTRL_ENABLE (UL(1) << 0)
#define ARCH_TIMER_CTRL_IT_MASK (UL(1) << 1)
#define ARCH_TIMER_CTRL_IT_STAT (UL(1) << 2)

/* ID registers: the fields read here. */
#define ID_AA64PFR0_GIC_SHIFT 24	/* 1: GICv3 system registers */
#define ID_AA64DFR0_PMUVER_SHIFT 8	/* 0: none, 0xf: IMPLEMENTATION DEFINED */
#define ID_AA64DFR0_PMUVER_IMPDEF 0xf
#define ID_AA64MMFR0_PARANGE_SHIFT 0
#define PMCR_N_SHIFT 11			/* event counters implemented, 5 bits */
#define CTR_DMINLINE_SHIFT 16		/* log2 of the smallest D-cache line, in words */
#define CTR_CWG_SHIFT 24		/* log2 of the cache writeback granule, in words; 0: unknown */

/* HCR_EL2: only RW; nothing of EL1 traps to EL2, nothing is routed there. */
#define HCR_RW (UL(1) << 31)		/* EL1 is AArch64 */
#define HCR_HOST_NVHE_FLAGS HCR_RW

/* CNTHCTL_EL2 (non-VHE): EL1 reaches the physical counter and timer. */
#define CNTHCTL_EL1PCTEN (UL(1) << 0)
#define CNTHCTL_EL1PCEN (UL(1) << 1)

/*
 * CPTR_EL2 (non-VHE): bits 13, 12, 9 and 7:0 are RES1. Bit 8 is TZ on
 * cores with SVE (RES1 without): set, SVE stays trapped to EL2 as EL1 has no
 * use for it either (CPACR_EL1.ZEN is 0). TFP and TTA clear: FP/SIMD and
 * trace are EL1's to trap (CPACR_EL1).
 */
#define CPTR_EL2_RES1 UL(0x32ff)
#define CPTR_EL2_TZ (UL(1) << 8)
#define CPTR_EL2_VALUE (CPTR_EL2_RES1 | CPTR_EL2_TZ)

/* SCTLR_EL1: RES1 bits of ARMv8.0, then the MMU-on set. */
#define SCTLR_EL1_RES1 ((UL(1) << 11) | (UL(1) << 20) | (UL(1) << 22) | \
			(UL(1) << 23) | (UL(1) << 28) | (UL(1) << 29))
#define SCTLR_M (UL(1) << 0)
#define SCTLR_C (UL(1) << 2)
#define SCTLR_SA (UL(1) << 3)
#define SCTLR_SA0 (UL(1) << 4)
#define SCTLR_I (UL(1) << 12)
#define SCTLR_WXN (UL(1) << 19)
#define SCTLR_EL1_MMU_OFF SCTLR_EL1_RES1
#define SCTLR_EL1_MMU_ON (SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | \
			  SCTLR_SA0 | SCTLR_I)

/* SCTLR_EL2: the ARMv8.0 RES1 bits with the MMU, caches and alignment checks off. */
#define SCTLR_EL2_RES1 ((UL(1) << 4) | (UL(1) << 5) | (UL(1) << 11) | (UL(1) << 16) | \
			(UL(1) << 18) | (UL(1) << 22) | (UL(1) << 23) | (UL(1) << 28) | \
			(UL(1) << 29))
#define SCTLR_EL2_MMU_OFF SCTLR_EL2_RES1

/*
 * CPACR_EL1.FPEN: 0 traps every FP/SIMD instruction at EL1 and EL0. The
 * kernel keeps it 0 (see the SIMD rule in the Makefile).
 */
#define CPACR_EL1_FPEN_SHIFT 20
#define CPACR_EL1_FPEN (UL(3) << CPACR_EL1_FPEN_SHIFT)

/* PSTATE/SPSR: the mode field and the DAIF mask bits. */
#define PSR_MODE_EL1h UL(0x5)
#define PSR_F_BIT (UL(1) << 6)
#define PSR_I_BIT (UL(1) << 7)
#define PSR_A_BIT (UL(1) << 8)
#define PSR_D_BIT (UL(1) << 9)
#define PSR_DAIF_MASK (PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)
/* Where init_kernel_el's ERET lands: EL1 on its own stack, all masked. */
#define INIT_PSTATE_EL1 (PSR_DAIF_MASK | PSR_MODE_EL1h)

/* DAIFSet/DAIFClr immediates: D=8, A=4, I=2, F=1. */
#define DAIF_SERROR_IMM 4
#define DAIF_ALL_IMM 0xf

/* ESR_ELx exception classes the EL2 stub tells apart. */
#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_WIDTH 6
#define ESR_ELx_EC_HVC64 0x16

/* SMCCC: the answer of a call no one implements. */
#define SMCCC_RET_NOT_SUPPORTED (-1)

#ifndef __ASSEMBLY__
#include <mk64/types.h>

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

/* By name (read_sysreg(sctlr_el1)) or by a SYS_ encoding above. */
#define read_sysreg(r) ({ u64 v_; __asm__ volatile("mrs %0, " __stringify(r) : "=r"(v_)); v_; })
#define write_sysreg(v, r) \
	__asm__ volatile("msr " __stringify(r) ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

/* The 4-bit ID register field at shift. */
#define id_field(reg, shift) ((unsigned int)((reg) >> (shift)) & 0xf)

/* True when the GICv3 CPU interface is reachable as system registers. */
static inline bool cpu_has_gic_sysregs(void)
{
	return id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_GIC_SHIFT) != 0;
}
#endif

#endif
