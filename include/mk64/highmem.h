/*
 * Temporary kernel mappings of pages, as Linux's: a highmem page (in
 * ZONE_HIGHMEM, out of the linear map, see highmem=) has no kernel address
 * until mapped. Without high memory, or for a lowmem page, every call
 * returns page_address(page) and unmapping does nothing, as on real arm64.
 *
 * - kmap()/kunmap(): a slot of the pkmap window shared by every CPU, with
 *   a use count; kmapping a page that is kmapped already reuses its
 *   mapping, and page_address() returns it meanwhile. Unused slots keep
 *   their mapping until the window wraps, when they are all unmapped with
 *   one TLB flush. Process context only (it may sleep once there is a
 *   scheduler).
 * - kmap_local_page()/kunmap_local() and kmap_atomic()/kunmap_atomic(): a
 *   per-CPU stack of KM_MAX_IDX fixmap slots, cheap, usable anywhere,
 *   interrupt handlers included; released in reverse order. kmap_atomic()
 *   also disables preemption until kunmap_atomic().
 * Misuse (kmap from an interrupt, wrong order, too deep, unmapping what
 * is not mapped) is reported and refused rather than followed.
 */
#ifndef MK64_HIGHMEM_H
#define MK64_HIGHMEM_H

#include <asm/highmem.h>
#include <mk64/compiler.h>
#include <mk64/gfp.h>
#include <mk64/mm_types.h>
#include <mk64/preempt.h>
#include <mk64/types.h>

/* Takes the page tables of both windows; at boot, after paging_init(). */
void kmap_init(void);

/*
 * Maps page until kunmap(page); returns its address. With every pkmap
 * slot in use, reports it and returns NULL (there is no scheduler to wait
 * for a kunmap). May sleep.
 */
void *kmap(struct page *page);

/* Drops one kmap() reference; the mapping stays, unused, for reuse. */
void kunmap(struct page *page);

/* Unmaps every unused pkmap slot (one TLB flush), as Linux's. */
void kmap_flush_unused(void);

/* Out-of-line halves of the kmap_local calls below: highmem only. */
void *__kmap_local_page(struct page *page);
void __kunmap_local(const void *addr);

/*
 * Maps page in this CPU's next kmap_local slot; returns its address, or
 * NULL (reported) when the CPU's KM_MAX_IDX slots are all in use. Never
 * sleeps; the caller must not move to another CPU until kunmap_local().
 */
static inline void *kmap_local_page(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	return __kmap_local_page(page);
}

/* Unmaps addr, which must be this CPU's most recent kmap_local mapping. */
static inline void kunmap_local(const void *addr)
{
	if ((u64)addr - KMAP_LOCAL_START < KMAP_LOCAL_SIZE)
		__kunmap_local(addr);
}

/* kmap_local_page() in a section without preemption, until kunmap_atomic(). */
static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	return kmap_local_page(page);
}

static inline void kunmap_atomic(const void *addr)
{
	kunmap_local(addr);
	preempt_enable();
}

/* For the test framework's leak check. */
unsigned int nr_kmap_local(void);	/* this CPU's slots in use */
unsigned int kunmap_local_all(void);	/* unmaps them; returns how many */
unsigned int nr_kmapped(void);		/* pkmap slots in use */

#endif
