/*
 * kmap (mk64/highmem.h): the pkmap window's slots and use counts, and the
 * per-CPU stacks of kmap_local slots. The entries are edited through the
 * page-table API's leaf entries (pgtable_pte_alloc()), the barriers and
 * TLB maintenance come from asm/highmem.h.
 *
 * A pkmap slot's count, as Linux's pkmap_count: 0 free and in no TLB, 1
 * mapped but unused (a TLB may still hold it), n > 1 kmapped n - 1 times.
 * kmap_lock guards the counts, the slots' pages and page->virtual of
 * kmapped pages; it masks interrupts so that even a kmap from an interrupt
 * (reported) cannot deadlock on it.
 */
#include <asm/highmem.h>
#include <asm/mmu.h>
#include <mk64/compiler.h>
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/kernel.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/pfn.h>
#include <mk64/pgtable.h>
#include <mk64/printk.h>
#include <mk64/ratelimit.h>
#include <mk64/spinlock.h>

static spinlock_t kmap_lock = SPINLOCK_INIT;
static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;
static u64 *pkmap_ptes;		/* the entry of slot 0; the window is one table */


/* A caller that misuses kmap in a loop gets 10 reports per 5 s. */
static DEFINE_RATELIMIT_STATE(kmap_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

#define kmap_report(fmt, ...)                                   \
	do {                                                    \
		if (__ratelimit(&kmap_rs)) {                    \
			pr_err(fmt "\n", ##__VA_ARGS__);        \
			dump_stack_lvl(KERN_ERR);               \
		}                                               \
	} while (0)

_Static_assert(PKMAP_SIZE == PAGE_SIZE * PTRS_PER_TABLE && !(PKMAP_BASE % PKMAP_SIZE),
	       "the pkmap window must be exactly one leaf table");
_Static_assert(FIXADDR_SLOTS == PTRS_PER_TABLE && !(FIXADDR_START % (FIXADDR_SLOTS * PAGE_SIZE)),
	       "the fixmap must be exactly one leaf table");

void kmap_init(void)
{
	u64 *local;

	if (!highmem_start)
		return;
	pkmap_ptes = pgtable_pte_alloc(&init_pgtable, PKMAP_BASE);
	local = pgtable_pte_alloc(&init_pgtable, KMAP_LOCAL_START);
	if (!pkmap_ptes || !local)
		panic("kmap: no page tables for the pkmap window and kmap_local slots");
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		per_cpu(pcpu_hot, cpu).kmap_local.first = cpu * KM_MAX_IDX;
		per_cpu(pcpu_hot, cpu).kmap_local.next = cpu * KM_MAX_IDX;
		per_cpu(pcpu_hot, cpu).kmap_local.limit = (cpu + 1) * KM_MAX_IDX;
		per_cpu(pcpu_hot, cpu).kmap_local.ptes = local;
		per_cpu(pcpu_hot, cpu).kmap_local.pte_bias =
			mk_pte(0, PAGE_KERNEL) - ((u64)vmemmap << KMAP_PAGE_TO_PHYS_SHIFT);
	}
}

/* ---- kmap: the pkmap window ------------------------------------------------ */

/* Unmaps every unused slot, then one TLB flush for all of them. */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;

	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		pte_clear(&pkmap_ptes[i]);
		pkmap_page[i]->virtual = NULL;
		pkmap_page[i] = NULL;
		need_flush = true;
	}
	if (need_flush)
		flush_tlb_kernel_range(PKMAP_BASE, PKMAP_SIZE);
}

/*
 * A free slot for page, mapped; NULL when all are in use. The search goes
 * round from the last slot taken; passing slot 0 it flushes the unused
 * ones and starts a last full round, so that it sees every slot after one
 * flush.
 */
static void *map_new_virtual(struct page *page)
{
	for (unsigned int left = LAST_PKMAP; left; left--) {
		last_pkmap_nr = (last_pkmap_nr + 1) % LAST_PKMAP;
		if (!last_pkmap_nr) {
			flush_all_zero_pkmaps();
			left = LAST_PKMAP;
		}
		if (pkmap_count[last_pkmap_nr])
			continue;
		pte_set(&pkmap_ptes[last_pkmap_nr], mk_pte(PFN_PHYS(page_to_pfn(page)), PAGE_KERNEL));
		kmap_publish_pte();
		pkmap_count[last_pkmap_nr] = 1;
		pkmap_page[last_pkmap_nr] = page;
		page->virtual = (void *)PKMAP_ADDR(last_pkmap_nr);
		return page->virtual;
	}
	return NULL;
}

void *kmap(struct page *page)
{
	unsigned long flags;
	void *va;

	might_sleep();
	if (in_interrupt())
		kmap_report("kmap: called from interrupt context for pfn %#lx: kmap may sleep; use kmap_local_page()",
			    page_to_pfn(page));
	if (!PageHighMem(page))
		return page_address(page);
	spin_lock_irqsave(&kmap_lock, flags);
	va = page->virtual;
	if (!va)
		va = map_new_virtual(page);
	if (va)
		pkmap_count[PKMAP_NR(va)]++;
	spin_unlock_irqrestore(&kmap_lock, flags);
	if (!va)
		kmap_report("kmap: all %lu pkmap slots in use, cannot map pfn %#lx (no scheduler to wait for a kunmap)",
			    (unsigned long)LAST_PKMAP, page_to_pfn(page));
	return va;
}

void kunmap(struct page *page)
{
	unsigned long flags;
	bool kmapped;

	if (!PageHighMem(page))
		return;
	spin_lock_irqsave(&kmap_lock, flags);
	kmapped = page->virtual && pkmap_count[PKMAP_NR(page->virtual)] > 1;
	if (kmapped)	/* at 1 the slot waits, mapped, for reuse or a flush */
		pkmap_count[PKMAP_NR(page->virtual)]--;
	spin_unlock_irqrestore(&kmap_lock, flags);
	if (!kmapped)
		kmap_report("kunmap: pfn %#lx is not kmapped", page_to_pfn(page));
}

void kmap_flush_unused(void)
{
	unsigned long flags;

	spin_lock_irqsave(&kmap_lock, flags);
	flush_all_zero_pkmaps();
	spin_unlock_irqrestore(&kmap_lock, flags);
}

unsigned int nr_kmapped(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += READ_ONCE(pkmap_count[i]) > 1;
	return n;
}

/* ---- kmap_local: per-CPU stacks of fixmap slots ------------------------------ */

void *kmap_local_full(const struct page *page)
{
	kmap_report("kmap_local: all %u slots of CPU %u in use, cannot map pfn %#lx", KM_MAX_IDX,
		    smp_processor_id(), page_to_pfn(page));
	return NULL;
}

void kunmap_local_bad(const void *addr)
{
	unsigned int cpu = smp_processor_id();
	const struct kmap_local_cpu *c = &this_cpu_hot()->kmap_local;
	unsigned long idx = c->next - c->first;

	if (!idx)
		kmap_report("kunmap_local: %#llx: CPU %u has no kmap_local mapping",
			    (unsigned long long)addr, cpu);
	else
		kmap_report("kunmap_local: %#llx is not CPU %u's last kmap_local mapping %#llx: out of order, left mapped",
			    (unsigned long long)addr, cpu,
			    (unsigned long long)KMAP_LOCAL_ADDR(cpu * KM_MAX_IDX + idx - 1));
}

unsigned int nr_kmap_local(void)
{
	const struct kmap_local_cpu *c = &this_cpu_hot()->kmap_local;

	return c->next - c->first;
}

unsigned int kunmap_local_all(void)
{
	struct kmap_local_cpu *c = &this_cpu_hot()->kmap_local;
	unsigned int n = c->next - c->first;

	while (c->next != c->first) {
		pte_clear(&c->ptes[c->next - 1]);
		local_flush_tlb_kmap_slot(c->next - 1);
		kmap_barrier();
		c->next--;
	}
	return n;
}
