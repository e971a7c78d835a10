/*
 * kmap, kmap_local and kmap_atomic (mk64/highmem.h). A mapping is checked
 * against the page it should map three ways: the live tables
 * (pgtable_walk), the CPU (AT S1E1R), and the contents, written through
 * one mapping of the page and read through another. An unmapping is
 * checked by a read that must fault, which a TLB still holding the entry
 * would let through. The highmem cases skip without highmem= (the
 * virt-highmem config runs them); lowmem pages go through page_address()
 * everywhere.
 */
#include <asm/highmem.h>
#include <asm/mmu.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/pfn.h>
#include <mk64/pgtable.h>
#include <mk64/preempt.h>

#define NOINLINE __attribute__((noinline, noipa))

/* Slots released from a full window before kmapping again. */
#define RELEASED 100u

/* One page more than the pkmap window holds. */
static struct page *pages[LAST_PKMAP + 1];

static NOINLINE void read_at(void *addr)
{
	(void)*(volatile u64 *)addr;
}

static phys_addr_t phys_of(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

/* The CPU's translation of va, 0 when it faults. */
static phys_addr_t at_translate(u64 va)
{
	u64 par;

	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va));
	par = read_sysreg(par_el1);
	return (par & 1) ? 0 : (par & PTE_ADDR_MASK);
}

/* va maps page, read-write, in the tables and for the CPU. */
static bool maps(const void *va, const struct page *page)
{
	struct pgtable_walk w;

	return va && pgtable_walk(&init_pgtable, (u64)va, &w) && w.level == 3 &&
	       w.phys == phys_of(page) && (w.desc & PTE_ATTR_MASK) == PAGE_KERNEL &&
	       at_translate((u64)va) == phys_of(page);
}

/* Reading va faults at va: nothing, TLB included, maps it any more. */
static bool unmapped(const void *va)
{
	struct fault_info fi;

	return fault_expect(read_at, (void *)va, &fi) && fi.far == (u64)va;
}

static bool in_pkmap(const void *va)
{
	return (u64)va - PKMAP_BASE < PKMAP_SIZE && !((u64)va % PAGE_SIZE);
}

static bool in_kmap_local(const void *va)
{
	return (u64)va - KMAP_LOCAL_START < KMAP_LOCAL_SIZE && !((u64)va % PAGE_SIZE);
}

static void need_highmem(struct ktest *t)
{
	if (!highmem_start)
		ktest_skip(t, "no highmem= on the command line");
}

/* n highmem pages into pages[], with no stale pkmap mapping among them. */
static void alloc_high(struct ktest *t, unsigned int n)
{
	need_highmem(t);
	kmap_flush_unused();
	for (unsigned int i = 0; i < n; i++)
		pages[i] = NULL;
	for (unsigned int i = 0; i < n; i++) {
		pages[i] = alloc_pages(GFP_HIGHUSER, 0);
		KTEST_ASSERT_TRUE(t, pages[i] != NULL);
		KTEST_ASSERT_TRUE(t, PageHighMem(pages[i]));
		KTEST_ASSERT_TRUE(t, page_address(pages[i]) == NULL);
	}
}

/* Leaves the window as the case found it: unused slots unmapped. */
static void free_high(unsigned int n)
{
	kmap_flush_unused();
	for (unsigned int i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
}

/* Every call on a lowmem page gives its linear address and maps nothing. */
static void lowmem_pages_use_the_linear_map(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	unsigned int kmapped = nr_kmapped();
	void *lin, *va;

	KTEST_ASSERT_TRUE(t, page != NULL);
	lin = page_address(page);
	KTEST_EXPECT_TRUE(t, lin == pfn_to_virt(page_to_pfn(page)));
	KTEST_EXPECT_TRUE(t, kmap(page) == lin);
	KTEST_EXPECT_EQ(t, nr_kmapped(), kmapped);
	kunmap(page);
	va = kmap_local_page(page);
	KTEST_EXPECT_TRUE(t, va == lin);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	kunmap_local(va);
	va = kmap_atomic(page);
	KTEST_EXPECT_TRUE(t, va == lin);
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	kunmap_atomic(va);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	__free_pages(page, 0);
}

/* Without highmem= a highmem request gets lowmem, and the same answers. */
static void no_highmem_means_page_address(struct ktest *t)
{
	struct page *page;
	void *va;

	if (highmem_start)
		ktest_skip(t, "highmem= given");
	page = alloc_pages(GFP_HIGHUSER, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_FALSE(t, PageHighMem(page));
	va = kmap_atomic(page);
	KTEST_EXPECT_TRUE(t, va == page_address(page) && va != NULL);
	kunmap_atomic(va);
	KTEST_EXPECT_TRUE(t, kmap(page) == page_address(page));
	kunmap(page);
	__free_pages(page, 0);
}

/* kmap maps the page in the window, and page_address() follows it. */
static void kmap_maps_highmem_page(struct ktest *t)
{
	u64 *va, *local;

	alloc_high(t, 1);
	va = kmap(pages[0]);
	KTEST_ASSERT_TRUE(t, in_pkmap(va));
	KTEST_EXPECT_TRUE(t, page_address(pages[0]) == va);
	KTEST_EXPECT_TRUE(t, maps(va, pages[0]));
	KTEST_EXPECT_EQ(t, nr_kmapped(), 1u);
	/* Through kmap, back through kmap_local, and the other way round. */
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		va[i] = 0x6b6d6170ull * i;
	local = kmap_local_page(pages[0]);
	KTEST_ASSERT_TRUE(t, in_kmap_local(local));
	KTEST_EXPECT_TRUE(t, maps(local, pages[0]));
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		if (local[i] != 0x6b6d6170ull * i)
			KTEST_ASSERT_EQ(t, local[i], 0x6b6d6170ull * i);
	local[7] = 0xfeed;
	kunmap_local(local);
	KTEST_EXPECT_EQ(t, va[7], 0xfeedull);
	KTEST_EXPECT_TRUE(t, unmapped(local));
	kunmap(pages[0]);
	KTEST_EXPECT_EQ(t, nr_kmapped(), 0u);
	kmap_flush_unused();
	KTEST_EXPECT_TRUE(t, page_address(pages[0]) == NULL);
	KTEST_EXPECT_TRUE(t, unmapped(va));
	free_high(1);
}

/* A second kmap reuses the mapping; the slot lives while a use is left. */
static void kmap_reuses_mapping_and_counts_uses(struct ktest *t)
{
	void *va;

	alloc_high(t, 2);
	va = kmap(pages[0]);
	KTEST_ASSERT_TRUE(t, in_pkmap(va));
	KTEST_EXPECT_TRUE(t, kmap(pages[0]) == va);
	KTEST_EXPECT_TRUE(t, kmap(pages[0]) == va);
	KTEST_EXPECT_EQ(t, nr_kmapped(), 1u);
	kunmap(pages[0]);
	kunmap(pages[0]);
	/* One use left: a flush of unused slots leaves it alone. */
	kmap_flush_unused();
	KTEST_EXPECT_TRUE(t, page_address(pages[0]) == va);
	KTEST_EXPECT_TRUE(t, maps(va, pages[0]));
	KTEST_EXPECT_EQ(t, nr_kmapped(), 1u);
	kunmap(pages[0]);
	KTEST_EXPECT_EQ(t, nr_kmapped(), 0u);
	/* Unused, it stays mapped for the next kmap of the page. */
	KTEST_EXPECT_TRUE(t, page_address(pages[0]) == va);
	KTEST_EXPECT_TRUE(t, kmap(pages[0]) == va);
	KTEST_EXPECT_TRUE(t, maps(va, pages[0]));
	/* Another page gets another slot. */
	KTEST_EXPECT_TRUE(t, in_pkmap(kmap(pages[1])) && page_address(pages[1]) != va);
	KTEST_EXPECT_EQ(t, nr_kmapped(), 2u);
	kunmap(pages[1]);
	kunmap(pages[0]);
	/* One kunmap too many is reported and changes nothing. */
	ktest_log_mark();
	kunmap(pages[0]);
	KTEST_EXPECT_REPORT(t, "kunmap: pfn 0x");
	KTEST_EXPECT_REPORT(t, " is not kmapped");
	KTEST_EXPECT_TRUE(t, kmap(pages[0]) == va);
	kunmap(pages[0]);
	kmap_flush_unused();
	KTEST_EXPECT_TRUE(t, page_address(pages[0]) == NULL);
	KTEST_EXPECT_TRUE(t, page_address(pages[1]) == NULL);
	KTEST_EXPECT_TRUE(t, unmapped(va));
	free_high(2);
}

/*
 * Every slot busy: one more kmap is refused and reported, the others stay
 * intact. Once some are released, the next kmap unmaps all of those
 * together and takes one.
 */
static void kmap_window_exhausted_and_recovered(struct ktest *t)
{
	static bool slot_used[LAST_PKMAP];
	static void *old[RELEASED];
	unsigned int lost = 0, was_old = 0;
	void *va;

	alloc_high(t, LAST_PKMAP + 1);
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		slot_used[i] = false;
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		u64 *p = kmap(pages[i]);

		KTEST_ASSERT_TRUE(t, in_pkmap(p));
		KTEST_ASSERT_FALSE(t, slot_used[PKMAP_NR(p)]);
		slot_used[PKMAP_NR(p)] = true;
		*p = page_to_pfn(pages[i]);
	}
	KTEST_EXPECT_EQ(t, nr_kmapped(), (unsigned int)LAST_PKMAP);
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmap(pages[LAST_PKMAP]) == NULL);
	KTEST_EXPECT_REPORT(t, "kmap: all 512 pkmap slots in use, cannot map pfn 0x");
	KTEST_EXPECT_TRUE(t, page_address(pages[LAST_PKMAP]) == NULL);
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		u64 *p = page_address(pages[i]);

		if (!maps(p, pages[i]) || *p != page_to_pfn(pages[i]))
			KTEST_ASSERT_TRUE(t, maps(p, pages[i]) && *p == page_to_pfn(pages[i]));
	}

	for (unsigned int i = 0; i < RELEASED; i++) {
		old[i] = page_address(pages[i]);
		kunmap(pages[i]);
	}
	va = kmap(pages[LAST_PKMAP]);
	KTEST_ASSERT_TRUE(t, in_pkmap(va));
	KTEST_EXPECT_TRUE(t, maps(va, pages[LAST_PKMAP]));
	/* All released slots were unmapped at once; the new one is one of them. */
	for (unsigned int i = 0; i < RELEASED; i++) {
		lost += page_address(pages[i]) == NULL;
		was_old += old[i] == va;
		if (old[i] != va && !unmapped(old[i]))
			KTEST_ASSERT_TRUE(t, unmapped(old[i]));
	}
	KTEST_EXPECT_EQ(t, lost, RELEASED);
	KTEST_EXPECT_EQ(t, was_old, 1u);
	KTEST_EXPECT_EQ(t, nr_kmapped(), (unsigned int)(LAST_PKMAP - RELEASED + 1));
	for (unsigned int i = RELEASED; i <= LAST_PKMAP; i++)
		kunmap(pages[i]);
	KTEST_EXPECT_EQ(t, nr_kmapped(), 0u);
	free_high(LAST_PKMAP + 1);
}

/* kmap from an interrupt handler is reported (the mapping is still made). */
static void kmap_from_interrupt_reported(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 0);
	void *va;

	KTEST_ASSERT_TRUE(t, page != NULL);
	ktest_log_mark();
	irq_enter();
	KTEST_EXPECT_TRUE(t, in_interrupt());
	va = kmap(page);
	irq_exit();
	KTEST_EXPECT_REPORT(t, "kmap: called from interrupt context for pfn 0x");
	KTEST_EXPECT_TRUE(t, va != NULL && (PageHighMem(page) ? maps(va, page)
							     : va == page_address(page)));
	kunmap(page);
	kmap_flush_unused();
	__free_pages(page, 0);
}

/*
 * kmap_atomic nests to KM_MAX_IDX levels, each its own slot, released in
 * reverse order; one level more is refused and reported.
 */
static void kmap_atomic_nests(struct ktest *t)
{
	u64 *va[KM_MAX_IDX];

	alloc_high(t, KM_MAX_IDX);
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_atomic(pages[i]);
		KTEST_ASSERT_TRUE(t, in_kmap_local(va[i]));
		KTEST_EXPECT_EQ(t, preempt_count(), (int)i + 1);
		KTEST_EXPECT_EQ(t, nr_kmap_local(), i + 1);
		*va[i] = 0x1000 + i;
		for (unsigned int j = 0; j < i; j++)
			KTEST_ASSERT_TRUE(t, va[j] != va[i]);
	}
	ktest_log_mark();
	KTEST_EXPECT_TRUE(t, kmap_atomic(pages[0]) == NULL);
	KTEST_EXPECT_REPORT(t, "kmap_local: all 16 slots of CPU 0 in use, cannot map pfn 0x");
	kunmap_atomic(NULL);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), (unsigned int)KM_MAX_IDX);
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		KTEST_EXPECT_TRUE(t, maps(va[i], pages[i]));
		KTEST_EXPECT_EQ(t, *va[i], 0x1000ull + i);
	}
	for (unsigned int i = KM_MAX_IDX; i-- > 0;) {
		kunmap_atomic(va[i]);
		KTEST_EXPECT_TRUE(t, unmapped(va[i]));
		KTEST_EXPECT_EQ(t, preempt_count(), (int)i);
	}
	/* What was written through the slots is in the pages: read via kmap. */
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		u64 *p = kmap(pages[i]);

		KTEST_EXPECT_EQ(t, *p, 0x1000ull + i);
		kunmap(pages[i]);
	}
	free_high(KM_MAX_IDX);
}

/*
 * An interrupt (and __GFP_ZERO of a highmem page, which zeroes through
 * kmap_local) maps above the interrupted code's slots and leaves them.
 */
static void kmap_local_nests_under_interrupts(struct ktest *t)
{
	u64 *outer, *inner, *zeroed;
	struct page *fresh;
	bool zero = true;

	alloc_high(t, 2);
	outer = kmap_atomic(pages[0]);
	KTEST_ASSERT_TRUE(t, outer != NULL);
	*outer = 0x0badc0de;
	irq_enter();
	inner = kmap_local_page(pages[1]);
	KTEST_EXPECT_TRUE(t, maps(inner, pages[1]));
	*inner = ~0ull;
	fresh = alloc_pages(GFP_ATOMIC | __GFP_HIGHMEM | __GFP_ZERO, 0);
	kunmap_local(inner);
	irq_exit();
	KTEST_ASSERT_TRUE(t, fresh != NULL);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 1u);
	KTEST_EXPECT_TRUE(t, maps(outer, pages[0]));
	KTEST_EXPECT_EQ(t, *outer, 0x0badc0deull);
	zeroed = kmap_local_page(fresh);
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		zero &= zeroed[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	kunmap_local(zeroed);
	kunmap_atomic(outer);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	__free_pages(fresh, 0);
	free_high(2);
}

/* Out of order, or with nothing mapped: reported, and nothing unmapped. */
static void kunmap_local_misuse_reported(struct ktest *t)
{
	u64 *a, *b;

	alloc_high(t, 2);
	a = kmap_local_page(pages[0]);
	b = kmap_local_page(pages[1]);
	KTEST_ASSERT_TRUE(t, a != NULL && b != NULL);
	ktest_log_mark();
	kunmap_local(a);
	KTEST_EXPECT_REPORT(t, "is not CPU 0's last kmap_local mapping");
	KTEST_EXPECT_REPORT(t, ": out of order, left mapped");
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 2u);
	KTEST_EXPECT_TRUE(t, maps(a, pages[0]));
	KTEST_EXPECT_TRUE(t, maps(b, pages[1]));
	kunmap_local(b);
	kunmap_local(a);
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	KTEST_EXPECT_TRUE(t, unmapped(a));
	ktest_log_mark();
	kunmap_local(a);
	KTEST_EXPECT_REPORT(t, ": CPU 0 has no kmap_local mapping");
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	free_high(2);
}

/* The per-case leak check catches a slot or a kmap left behind. */
static void leaks_caught_by_the_case_check(struct ktest *t)
{
	struct ktest inner = { .name = "inner" };
	void *va;

	alloc_high(t, 1);
	va = kmap_local_page(pages[0]);
	KTEST_ASSERT_TRUE(t, va != NULL);
	ktest_log_mark();
	ktest_kmap_done(&inner);
	KTEST_EXPECT_EQ(t, inner.failures, 1u);
	KTEST_EXPECT_REPORT(t, "kmap_local leak: 1 kmap_local/kmap_atomic slots left mapped on CPU 0");
	KTEST_EXPECT_EQ(t, nr_kmap_local(), 0u);
	KTEST_EXPECT_TRUE(t, unmapped(va));

	KTEST_ASSERT_TRUE(t, kmap(pages[0]) != NULL);
	ktest_log_mark();
	ktest_kmap_done(&inner);
	KTEST_EXPECT_EQ(t, inner.failures, 2u);
	KTEST_EXPECT_REPORT(t, "kmap leak: 1 pages kmapped, 0 before the case");
	kunmap(pages[0]);
	ktest_kmap_done(&inner);
	KTEST_EXPECT_EQ(t, inner.failures, 2u);
	free_high(1);
}

KTEST_SUITE(kmap, KTEST_CASE(lowmem_pages_use_the_linear_map),
	    KTEST_CASE(no_highmem_means_page_address), KTEST_CASE(kmap_maps_highmem_page),
	    KTEST_CASE(kmap_reuses_mapping_and_counts_uses),
	    KTEST_CASE(kmap_window_exhausted_and_recovered),
	    KTEST_CASE(kmap_from_interrupt_reported), KTEST_CASE(kmap_atomic_nests),
	    KTEST_CASE(kmap_local_nests_under_interrupts),
	    KTEST_CASE(kunmap_local_misuse_reported), KTEST_CASE(leaks_caught_by_the_case_check));
