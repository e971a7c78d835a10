/* Translation table descriptor and register bits (4K granule, VMSAv8-64). */
#ifndef ASM_PGTABLE_HWDEF_H
#define ASM_PGTABLE_HWDEF_H

#include <asm/memory.h>

#define PTRS_PER_TABLE 512
#define L0_SHIFT 39
#define L1_SHIFT 30
#define L2_SHIFT 21

#define DESC_TABLE UL(3)
#define DESC_BLOCK UL(1)
#define DESC_PAGE UL(3)

#define PTE_ADDR_MASK UL(0x0000fffffffff000)	/* output address, bits 47:12 */
#define PTE_ATTR_MASK (~PTE_ADDR_MASK & ~UL(3))	/* attributes: all but type and address */

/* MAIR_EL1 attribute indexes and their encodings. */
#define MT_NORMAL 0
#define MT_NORMAL_NC 1
#define MT_DEVICE_nGnRnE 2
#define MT_DEVICE_nGnRE 3
#define MAIR_VALUE ((UL(0xff) << (8 * MT_NORMAL)) | (UL(0x44) << (8 * MT_NORMAL_NC)) | \
		    (UL(0x00) << (8 * MT_DEVICE_nGnRnE)) | (UL(0x04) << (8 * MT_DEVICE_nGnRE)))

#define PTE_ATTRINDX(i) ((i) << 2)
#define PTE_AP_RO (UL(1) << 7)
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10)
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)

/*
 * Attribute sets, the same bits in a block or a page descriptor: global,
 * access flag set, never executable at EL0; Normal memory inner shareable.
 * PAGE_KERNEL* (mk64/pgtable.h) are these, typed for the page-table API;
 * the boot tables' 2 MiB blocks (head.S, early_map.c) use them as they are.
 */
#define PROT_NORMAL_BASE (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PROT_KERNEL_EXEC PROT_NORMAL_BASE			/* RW, executable */
#define PROT_KERNEL_RW (PROT_NORMAL_BASE | PTE_PXN)		/* RW */
#define PROT_KERNEL_ROX (PROT_NORMAL_BASE | PTE_AP_RO)		/* RO, executable */
#define PROT_KERNEL_RO (PROT_NORMAL_BASE | PTE_AP_RO | PTE_PXN)	/* RO */
#define PROT_NORMAL_NC (PTE_ATTRINDX(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN)
#define PROT_DEVICE (PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN)

/* TCR_EL1: 48-bit VA both halves, 4K granule, inner-shareable WBWA walks. */
#define TCR_T0SZ (UL(64) - VA_BITS)
#define TCR_T1SZ ((UL(64) - VA_BITS) << 16)
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_IRGN1_WBWA (UL(1) << 24)
#define TCR_ORGN1_WBWA (UL(1) << 26)
#define TCR_SH1_INNER (UL(3) << 28)
#define TCR_TG1_4K (UL(2) << 30)
#define TCR_IPS_SHIFT 32
#define TCR_IPS_MAX 5 /* 48 bits: the largest a 4K granule without LPA2 takes */
#define TCR_VALUE (TCR_T0SZ | TCR_T1SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
		   TCR_SH0_INNER | TCR_TG0_4K | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | \
		   TCR_SH1_INNER | TCR_TG1_4K)

#endif
