/*
 * The kernel's virtual address layout: 48-bit VA, 4K granule, kernel in the
 * upper half (TTBR1); the lower half (TTBR0) holds only the boot identity
 * map and is emptied once the final tables are live.
 *
 *   start               end (exclusive)     size     what
 *   0xffff000000000000  0xffff800000000000  128 TiB  linear map of all RAM (PAGE_OFFSET)
 *   0xffff800000000000  0xffff80003f800000  1016 MiB kernel image (KIMAGE_VADDR)
 *   0xffff80003f800000  0xffff80003fc00000  4 MiB    boot-time DTB window
 *   0xffff80003fe00000  0xffff800040000000  2 MiB    fixmap: 512 4K slots, the last
 *                                                    128 kmap_local's (asm/highmem.h)
 *   0xffff800040000000  0xfffffc0000000000  ~124 TiB vmalloc / ioremap
 *   0xfffffc0000000000  0xfffffe0000000000  2 TiB    vmemmap: struct pages of present
 *                                                    sections (mk64/mmzone.h), from
 *                                                    PHYS_OFFSET's on
 *   0xfffffe0000000000  0xfffffe0000200000  2 MiB    pkmap (kmap window)
 *
 * The linear map puts PHYS_OFFSET (the start of RAM rounded down to 1 GiB,
 * so 1 GiB blocks line up) at PAGE_OFFSET.
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <mk64/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define SECTION_SHIFT 21
#define SECTION_SIZE (UL(1) << SECTION_SHIFT)
#define PUD_SIZE (UL(1) << 30)

#define VA_BITS 48
#define PAGE_OFFSET UL(0xffff000000000000)
#define LINEAR_MAP_SIZE (UL(1) << (VA_BITS - 1))
#define KIMAGE_VADDR UL(0xffff800000000000)

/* The boot-time windows live in the last 8 MiB of the kernel image's 1 GiB. */
#define EARLY_FDT_VADDR (KIMAGE_VADDR + UL(0x3f800000))
#define EARLY_FDT_SIZE (UL(2) * SECTION_SIZE)
#define FIXADDR_START (KIMAGE_VADDR + UL(0x3fe00000))
#define FIXADDR_SLOTS 512
#define FIXADDR_END (FIXADDR_START + FIXADDR_SLOTS * PAGE_SIZE)
#define KIMAGE_MAX_SIZE (EARLY_FDT_VADDR - KIMAGE_VADDR)

#define VMALLOC_START (KIMAGE_VADDR + PUD_SIZE)
#define VMALLOC_END UL(0xfffffc0000000000)
#define VMEMMAP_START VMALLOC_END
#define VMEMMAP_SIZE (UL(2) << 40)
#define PKMAP_BASE (VMEMMAP_START + VMEMMAP_SIZE)
#define PKMAP_SIZE SECTION_SIZE

#define THREAD_SIZE (UL(16) * 1024)
/*
 * Kernel stacks' alignment in the vmalloc region: their size. (Linux
 * doubles it for its vectors' one-bit overflow test; the vectors here
 * check sp against the stack's real bounds, asm/stacktrace.h.)
 */
#define THREAD_ALIGN THREAD_SIZE

#ifndef __ASSEMBLY__
#include <mk64/types.h>

/* Set once by paging_init(), before any __va/__pa is used. */
extern phys_addr_t memstart_addr;
#define PHYS_OFFSET memstart_addr

#define __va(pa) ((void *)((u64)(pa) - PHYS_OFFSET + PAGE_OFFSET))
#define __pa(va) ((phys_addr_t)((u64)(va) - PAGE_OFFSET + PHYS_OFFSET))
#define phys_to_virt(pa) __va(pa)
#define virt_to_phys(va) __pa(va)
#define pfn_to_virt(pfn) __va((phys_addr_t)(pfn) << PAGE_SHIFT)
#define virt_addr_is_linear(va) ((u64)(va) >= PAGE_OFFSET && (u64)(va) < KIMAGE_VADDR)

/* Physical address of a kernel-image symbol. */
extern phys_addr_t kimage_phys;
#define __pa_symbol(sym) ((phys_addr_t)((u64)(sym) - KIMAGE_VADDR + kimage_phys))
#endif

#endif
