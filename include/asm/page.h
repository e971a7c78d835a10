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
 */
extern unsigned int zva_block_size;

/* Reads DCZID_EL0 once at boot: whether and by how much DC ZVA zeroes. */
void clear_page_init(void);

/* Zeroes the page at page (page-aligned, else BUG). Never sleeps. */
void clear_page(void *page);

/* Copies the page at from to the page at to (both page-aligned). */
void copy_page(void *to, const void *from);

#endif
