/*
 * Whole-page zeroing and copying (arch/arm64/page.c). Both take linear or
 * other Normal-memory addresses of page-aligned pages, never Device memory.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <mk64/types.h>

/*
 * Bytes one DC ZVA zeroes, from DCZID_EL0 at boot; 0 when clear_page()
 * zeroes with stores (DC ZVA prohibited, or before clear_page_init()).
 * Tests may change it, and must put it back.
 *
 * Read on the boot CPU only, and shared by every CPU. A rule for the SMP
 * bring-up: each secondary must read its own DCZID_EL0 before it may call
 * clear_page(), and refuse to come online when the block size or DZP
 * differs (big.LITTLE systems may mix cores; a larger block here than a
 * CPU's own would zero past the page). No secondary exists yet, so there
 * is no hook to call.
 */
extern unsigned int zva_block_size;

/* Reads DCZID_EL0 once at boot: whether and by how much DC ZVA zeroes. */
void clear_page_init(void);

/* Zeroes the page at page (page-aligned, else BUG). Never sleeps. */
void clear_page(void *page);

/* Copies the page at from to the page at to (both page-aligned). */
void copy_page(void *to, const void *from);

#endif
