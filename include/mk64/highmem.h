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
 * Misuse is reported: kmap from an interrupt (the mapping is still made),
 * and, refused with nothing changed, unmapping out of order or what is not
 * mapped, nesting too deep, kmap with every pkmap slot in use.
 */
#ifndef MK64_HIGHMEM_H
#define MK64_HIGHMEM_H

#include <asm/highmem.h>
#include <asm/load_pair.h>
#include <mk64/compiler.h>
#include <mk64/mm_types.h>
#include <mk64/mmzone.h>
#include <mk64/percpu.h>
#include <mk64/pgtable.h>
#include <mk64/preempt.h>
#include <mk64/types.h>

/* Takes the page tables of both windows; at boot, once the vmemmap is set up. */
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

/* A CPU's kmap_local stack: struct kmap_local_cpu, in pcpu_hot (mk64/percpu.h). */

/* Misuse: report, and refuse to map (NULL) or unmap. */
void *kmap_local_full(const struct page *page);
void kunmap_local_bad(const void *addr);

#define kmap_barrier() __asm__ volatile("" : : : "memory")

#define KMAP_PAGE_TO_PHYS_SHIFT 6
_Static_assert(sizeof(struct page) << KMAP_PAGE_TO_PHYS_SHIFT == PAGE_SIZE,
	       "kmap_pte() needs 64-byte struct pages");

/*
 * page's entry in a kmap slot, mk_pte(pfn << PAGE_SHIFT, PAGE_KERNEL) in
 * two instructions: with 64-byte struct pages the physical address is
 * (page - vmemmap) << 6 in bytes, and adding the attributes is OR-ing
 * them, so the entry is (page << 6) plus a bias that kmap_init() works
 * out once (modulo 2^64 the shift distributes over the subtraction).
 */
static __always_inline u64 kmap_pte(u64 pte_bias, const struct page *page)
{
	return ((u64)page << KMAP_PAGE_TO_PHYS_SHIFT) + pte_bias;
}

/*
 * Maps page in this CPU's next kmap_local slot; returns its address, or
 * NULL (reported) when the CPU's KM_MAX_IDX slots are all in use. Never
 * sleeps; the caller must not move to another CPU until kunmap_local().
 *
 * Inline, as the whole pair must cost a few dozen instructions. The index
 * goes up before the entry is written and down after it is cleared, with
 * compiler barriers between: an interrupt handler that maps and unmaps
 * meanwhile uses the slots above and leaves them as it found them. The
 * entry is invalid and in no TLB (break-before-make): kunmap_local()
 * flushed it.
 */
static __always_inline void *kmap_local_page_hot(struct pcpu_hot *hot, struct page *page)
{
	struct kmap_local_cpu *c = &hot->kmap_local;
	unsigned long slot, limit, pte_bias;
	u64 *ptes;

	if (!PageHighMem(page))
		return lowmem_page_address(page);
	load_pair(&c->next, &slot, &limit);
	if (unlikely(slot >= limit))
		return kmap_local_full(page);
	/*
	 * True of every CPU's slots; said so that a kunmap_local() inlined
	 * into the same function needs no range check of its own.
	 */
	if (slot >= FIX_KMAP_SLOTS)
		__builtin_unreachable();
	load_pair((const unsigned long *)&c->ptes, (unsigned long *)&ptes, &pte_bias);
	WRITE_ONCE(c->next, slot + 1);
	kmap_barrier();
	pte_set(&ptes[slot], kmap_pte(pte_bias, page));
	kmap_publish_pte();
	return (void *)KMAP_LOCAL_ADDR(slot);
}

/* kmap_local_page_hot() on the running CPU's pcpu_hot. */
static __always_inline void *kmap_local_page(struct page *page)
{
	return kmap_local_page_hot(this_cpu_hot(), page);
}

/* kunmap_local() for a caller that has this CPU's pcpu_hot at hand. */
static __always_inline void kunmap_local_hot(struct pcpu_hot *hot, const void *addr)
{
	struct kmap_local_cpu *c = &hot->kmap_local;
	u64 slot = ((u64)addr - KMAP_LOCAL_START) >> PAGE_SHIFT;
	unsigned long next, first;

	if (slot >= FIX_KMAP_SLOTS)
		return;
	load_pair(&c->first, &first, &next);
	if (unlikely(slot + 1 != next || next == first)) {
		kunmap_local_bad(addr);
		return;
	}
	pte_clear(&c->ptes[slot]);
	local_flush_tlb_kmap_slot(slot);
	kmap_barrier();
	WRITE_ONCE(c->next, slot);
}

/*
 * Unmaps addr, which must be this CPU's most recent kmap_local mapping;
 * a lowmem address needs nothing.
 */
static __always_inline void kunmap_local(const void *addr)
{
	kunmap_local_hot(this_cpu_hot(), addr);
}

/* kmap_local_page() in a section without preemption, until kunmap_atomic(). */
static inline void *kmap_atomic(struct page *page)
{
	struct pcpu_hot *hot = this_cpu_hot();	/* one MRS for both */

	preempt_disable_hot(hot);
	return kmap_local_page_hot(hot, page);
}

static inline void kunmap_atomic(const void *addr)
{
	struct pcpu_hot *hot = this_cpu_hot();	/* one MRS for both */

	kunmap_local_hot(hot, addr);
	preempt_enable_hot(hot);
}

/* For the test framework's leak check. */
unsigned int nr_kmap_local(void);	/* this CPU's slots in use */
unsigned int kunmap_local_all(void);	/* unmaps them; returns how many */
unsigned int nr_kmapped(void);		/* pkmap slots in use */

#endif
