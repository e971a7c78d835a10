/*
 * The kernel's virtual address layout (48-bit VA, 4K granule). This issue
 * uses only the kernel image region and its early window; the later regions
 * are reserved here so that their users find a fixed place.
 *
 *   0xffff000000000000  linear map of all RAM (PAGE_OFFSET, 128 TiB)
 *   0xffff800000000000  kernel image (KIMAGE_VADDR, 2 MiB aligned)
 *   0xffff80003f800000  early FDT window (4 MiB: any DTB up to 2 MiB, more if it fits)
 *   0xffff80003fe00000  early fixmap (512 x 4K slots: console, ...)
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define SECTION_SHIFT 21
#define SECTION_SIZE (UL(1) << SECTION_SHIFT)

#define VA_BITS 48
#define PAGE_OFFSET UL(0xffff000000000000)
#define KIMAGE_VADDR UL(0xffff800000000000)

/* The early window lives in the last 8 MiB of the kernel image's 1 GiB. */
#define EARLY_FDT_VADDR (KIMAGE_VADDR + UL(0x3f800000))
#define EARLY_FDT_SIZE (UL(2) * SECTION_SIZE)
#define EARLY_FIXMAP_VADDR (KIMAGE_VADDR + UL(0x3fe00000))
#define EARLY_FIXMAP_SLOTS 512
#define KIMAGE_MAX_SIZE (EARLY_FDT_VADDR - KIMAGE_VADDR)

#define THREAD_SIZE (UL(16) * 1024)

#endif
