/*
 * The buddy allocator's core, zone level: free lists per order, splitting
 * on allocation, merging with the buddy on free, the release of boot memory
 * and the checks that keep a bad free from corrupting the lists. Semantics
 * and names are Linux's (mm/page_alloc.c); the GFP-level API, watermarks
 * and per-CPU lists sit on top of alloc_pages_zone()/free_pages_zone().
 *
 * Portable: the core manipulates struct pages only, never the memory they
 * describe, so the host tests run it over a simulated memmap.
 */
#include <mk64/errno.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/ratelimit.h>
#include <mk64/sched.h>
#include <mk64/sprintf.h>

struct zone *zone_table[MAX_NUMNODES << ZONES_SHIFT];

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	__SetPageBuddy(page);
}

static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page_private(page);
}

/* Free lists and counters change only here, under zone->lock. */
static void add_to_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_order(page, order);
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
	zone->vm_stat[NR_FREE_PAGES] += 1L << order;
}

static void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	set_page_private(page, 0);
	zone->free_area[order].nr_free--;
	zone->vm_stat[NR_FREE_PAGES] -= 1L << order;
}

/*
 * Puts the block of 2^order pages at pfn (page) on the free lists, merged
 * with its buddy, the buddy of the result and so on while they are free
 * blocks of the same order inside the zone. Caller holds zone->lock; the
 * block is valid and not free.
 */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!zone_spans_pfn(zone, buddy_pfn))
			break;
		buddy = page + ((long)buddy_pfn - (long)pfn);
		if (!PageBuddy(buddy) || buddy_order(buddy) != order)
			break;
		del_page_from_free_list(buddy, zone, order);
		if (buddy_pfn < pfn) {
			page = buddy;
			pfn = buddy_pfn;
		}
		order++;
	}
	add_to_free_list(page, zone, order);
}

/*
 * page heads a block of order high just taken off the lists; keeps its
 * first 2^low pages and frees the upper halves as it halves the rest.
 */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), zone, high);
	}
}

/*
 * Takes the first block of the smallest order >= order that is free and
 * splits it down to order. Returns its head, not yet prepared for the
 * caller, or NULL. Caller holds zone->lock.
 */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		page = list_first_entry_or_null(&area->free_list, struct page, lru);
		if (!page)
			continue;
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, order, current_order);
		return page;
	}
	return NULL;
}

/*
 * The free block that holds pfn, or NULL. A block of order o holding pfn
 * starts at pfn with its low o bits cleared, so each order has one
 * candidate. Caller holds zone->lock.
 */
static struct page *free_block_holding(struct zone *zone, unsigned long pfn)
{
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long head_pfn = pfn & ~((1UL << order) - 1);
		struct page *head;

		if (!zone_spans_pfn(zone, head_pfn))
			break;
		head = zone_pfn_to_page(zone, head_pfn);
		if (PageBuddy(head) && buddy_order(head) >= order)
			return head;
	}
	return NULL;
}

/* ---- bad pages ------------------------------------------------------------ */

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",
	[PG_head] = "head",
	[PG_slab] = "slab",
	[PG_reserved] = "reserved",
	[PG_buddy] = "buddy",
	[PG_highmem] = "highmem",
};

/* "0x...(name|name|node=N|zone=N)", like Linux's %pGp; zone ids with node. */
static void format_page_flags(char *buf, size_t size, unsigned long flags, bool ids)
{
	int len = snprintf(buf, size, "%#lx(", flags);
	const char *sep = "";

	for (unsigned int bit = 0; bit < __NR_PAGEFLAGS && (size_t)len < size; bit++) {
		if (!(flags & (1UL << bit)))
			continue;
		len += snprintf(buf + len, size - (size_t)len, "%s%s", sep, pageflag_names[bit]);
		sep = "|";
	}
	if (ids && (size_t)len < size)
		len += snprintf(buf + len, size - (size_t)len, "%snode=%lu|zone=%lu", sep,
				(flags >> NODES_PGSHIFT) & NODES_MASK,
				(flags >> ZONES_PGSHIFT) & ZONES_MASK);
	if ((size_t)len < size)
		snprintf(buf + len, size - (size_t)len, ")");
}

DEFINE_RATELIMIT_STATE(bad_page_rs, 60 * NSEC_PER_SEC, 60);

/*
 * Reports a page the allocator refuses, in Linux's words but without its
 * "BUG: " prefix (the test runner takes that for a crash), and leaves the
 * page as it is. At most 60 reports a minute, as Linux's; the count of
 * those left out comes with the next one, naming the running context
 * (current). In the kernel the call trace names the caller.
 */
static void bad_page(const struct page *page, unsigned long pfn, const char *reason,
		     unsigned long bad_flags)
{
	char flags[128];

	if (!__ratelimit(&bad_page_rs))
		return;
	printk(KERN_ALERT "Bad page state in process %s  pfn:%05lx\n", current->comm, pfn);
	format_page_flags(flags, sizeof(flags), page->flags, true);
	printk(KERN_ALERT "page:%p refcount:%d mapcount:%d mapping:%p index:0x%lx pfn:0x%lx\n",
	       (const void *)page, page_ref_count(page), page_mapcount(page), page->mapping,
	       page->index, pfn);
	printk(KERN_ALERT "flags: %s\n", flags);
	printk(KERN_ALERT "page dumped because: %s\n", reason);
	if (bad_flags) {
		format_page_flags(flags, sizeof(flags), bad_flags, false);
		printk(KERN_ALERT "bad because of flags: %s\n", flags);
	}
#ifndef MK64_HOST
	dump_stack_lvl(KERN_ALERT);
#endif
}

/*
 * Reports and returns false unless the page may go back to the allocator
 * once the flags in allowed (left for the caller to clear) are cleared.
 * Inlined in the per-page loop, where a call would cost more than it does.
 */
static __always_inline bool free_page_is_ok(const struct page *page, unsigned long pfn,
					    unsigned long allowed)
{
	unsigned long bad_flags = page->flags & PAGE_FLAGS_CHECK_AT_FREE & ~allowed;
	const char *reason;

	if (page->_mapcount != -1)
		reason = page->_mapcount == PAGE_PCP_MAPCOUNT
				 ? "block on a per-CPU free list (freed twice?)"
				 : "nonzero mapcount";
	else if (page->mapping)
		reason = "non-NULL mapping";
	else if (page_ref_count(page))
		reason = "nonzero _refcount";
	else if (bad_flags)
		reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	else
		return true;
	bad_page(page, pfn, reason, bad_flags);
	return false;
}

/* ---- zone level API ------------------------------------------------------- */

void zone_init(struct zone *zone, const char *name, int nid, enum zone_type type,
	       struct page *memmap, unsigned long start_pfn, unsigned long spanned_pages)
{
	*zone = (struct zone){
		.name = name,
		.node = nid,
		.type = type,
		.zone_mem_map = memmap,
		.zone_start_pfn = start_pfn,
		.spanned_pages = spanned_pages,
		.present_pages = spanned_pages,
		.lock = SPINLOCK_INIT,
	};
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		INIT_LIST_HEAD(&zone->free_area[order].free_list);
}

void memmap_init_range(struct page *page, unsigned long nr, int nid, enum zone_type type)
{
	unsigned long flags = 1UL << PG_reserved;

	/* lru stays NULL: nobody links a reserved page, and the allocator sets it when it does. */
	if (type == ZONE_HIGHMEM)
		flags |= 1UL << PG_highmem;
	flags |= ((unsigned long)nid & NODES_MASK) << NODES_PGSHIFT |
		 ((unsigned long)type & ZONES_MASK) << ZONES_PGSHIFT;
	for (struct page *end = page + nr; page < end; page++) {
		page->flags = flags;
		page->lru.next = page->lru.prev = NULL;
		page->mapping = NULL;
		page->index = page->private = 0;
		page->_mapcount = -1;
		page->_refcount = 1;
		page->virtual = NULL;
	}
}

/*
 * Releases one block of reserved pages: all of them or, when one is not
 * reserved, none (reported). Caller checked the range is in the zone.
 */
static bool __free_pages_core(struct zone *zone, struct page *page, unsigned long pfn,
			      unsigned int order)
{
	unsigned long nr_pages = 1UL << order, flags;

	/* One pass; a page found not reserved undoes it. */
	for (unsigned long i = 0; i < nr_pages; i++) {
		unsigned long page_flags = page[i].flags;

		if (unlikely(!(page_flags & (1UL << PG_reserved)))) {
			bad_page(page + i, pfn + i, "released page is not reserved",
				 page_flags & PAGE_FLAGS_CHECK_AT_FREE);
			while (i--) {
				__SetPageReserved(page + i);
				set_page_count(page + i, 1);
			}
			return false;
		}
		page[i].flags = page_flags & ~(1UL << PG_reserved);
		page[i]._refcount = 0;
	}
	zone_lock_irqsave(zone, flags);
	zone->managed_pages += nr_pages;
	__free_one_page(page, pfn, zone, order);
	zone_unlock_irqrestore(zone, flags);
	return true;
}

long __free_pages_memory(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	if (start_pfn > end_pfn || start_pfn < zone->zone_start_pfn ||
	    end_pfn > zone_end_pfn(zone)) {
		pr_err("page_alloc: pfns %#lx-%#lx are not in zone %s (%#lx-%#lx)\n",
		       start_pfn, end_pfn, zone->name, zone->zone_start_pfn, zone_end_pfn(zone));
		return -EINVAL;
	}
	while (pfn < end_pfn) {
		/* The largest order pfn is aligned to, then down to what fits. */
		unsigned int order = pfn ? min((unsigned int)__builtin_ctzl(pfn), MAX_PAGE_ORDER)
					 : MAX_PAGE_ORDER;

		while (pfn + (1UL << order) > end_pfn)
			order--;
		if (!__free_pages_core(zone, zone_pfn_to_page(zone, pfn), pfn, order))
			return -EINVAL;
		pfn += 1UL << order;
	}
	return (long)(end_pfn - start_pfn);
}

struct page *alloc_pages_zone(struct zone *zone, unsigned int order)
{
	unsigned long flags;
	struct page *page;

	zone_lock_irqsave(zone, flags);
	page = __rmqueue_smallest(zone, order);
	zone_unlock_irqrestore(zone, flags);
	if (page)
		set_page_count(page, 1);
	return page;
}

/*
 * The block is an aligned block of order inside the zone and each of its
 * pages may be freed; reports and returns false if not. page is known to
 * point into the memmap. A compound head's PG_head was checked by
 * free_compound_ok() (compound) and is left to the teardown. Reads only;
 * runs without the lock: the block is the caller's.
 */
static bool free_block_is_ok(struct zone *zone, struct page *page, unsigned long pfn,
			     unsigned int order, bool compound)
{
	const char *reason = NULL;

	if (order > MAX_PAGE_ORDER)
		reason = "order above MAX_PAGE_ORDER";
	else if (!IS_ALIGNED(pfn, 1UL << order))
		reason = "pfn not aligned to the order";
	else if (pfn + (1UL << order) > zone_end_pfn(zone))
		reason = "block runs past the end of the zone";
	if (reason) {
		bad_page(page, pfn, reason, 0);
		return false;
	}
	if (!free_page_is_ok(page, pfn, compound ? 1UL << PG_head : 0))
		return false;
	for (unsigned long i = 1; i < 1UL << order; i++)
		if (!free_page_is_ok(page + i, pfn + i, 0))
			return false;
	return true;
}

/*
 * Whether the compound page at head, freed as a block of order, may be
 * taken apart: the order must be the one it was made with and every tail
 * must still point at head. Reports and returns false if not. Reads only:
 * a refused free leaves the compound page whole.
 */
static bool free_compound_ok(struct page *head, unsigned long pfn, unsigned int order)
{
	unsigned long tail_head = (unsigned long)head | 1;
	char reason[80];

	if (!order) {
		bad_page(head, pfn, "compound head freed as an order-0 page", 0);
		return false;
	}
	if (head[1].compound_order != order) {
		snprintf(reason, sizeof(reason), "compound page of order %u freed as order %u",
			 head[1].compound_order, order);
		bad_page(head, pfn, reason, 0);
		return false;
	}
	for (unsigned long i = 1; i < 1UL << order; i++) {
		if (head[i].compound_head != tail_head) {
			bad_page(head + i, pfn + i, "corrupted compound_head in a tail page", 0);
			return false;
		}
	}
	return true;
}

/* Makes a checked compound page of order a plain block again. */
static void destroy_compound_page(struct page *head, unsigned int order)
{
	for (unsigned long i = 1; i < 1UL << order; i++)
		INIT_LIST_HEAD(&head[i].lru);
	__ClearPageHead(head);
}

/*
 * Every check of a free that needs no lock, with no write: reports and
 * returns false when the block may not be freed; *compound tells whether
 * it is a compound page to take apart once the free goes ahead.
 */
static bool free_pages_check(struct zone *zone, struct page *page, unsigned int order,
			     bool *compound)
{
	uintptr_t offset = (uintptr_t)page - (uintptr_t)zone->zone_mem_map;
	unsigned long pfn;

	*compound = false;
	if (offset / sizeof(*page) >= zone->spanned_pages || offset % sizeof(*page)) {
		printk(KERN_ALERT "Bad page state in process %s  page:%p not in zone %s\n",
		       current->comm, (void *)page, zone->name);
		return false;
	}
	pfn = zone_page_to_pfn(zone, page);
	if (PageHead(page) && order <= MAX_PAGE_ORDER && IS_ALIGNED(pfn, 1UL << order) &&
	    pfn + (1UL << order) <= zone_end_pfn(zone)) {
		if (!free_compound_ok(page, pfn, order))
			return false;
		*compound = true;
	}
	return free_block_is_ok(zone, page, pfn, order, *compound);
}

void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long tail_head = (unsigned long)page | 1;

	__SetPageHead(page);
	for (unsigned long i = 1; i < 1UL << order; i++)
		page[i].compound_head = tail_head;
	page[1].compound_order = (unsigned char)order;
}

bool free_pages_prepare(struct zone *zone, struct page *page, unsigned int order)
{
	bool compound;

	if (!free_pages_check(zone, page, order, &compound))
		return false;
	if (compound)
		destroy_compound_page(page, order);
	return true;
}

void report_bad_page(const struct page *page, const char *reason)
{
	const struct zone *zone = page_zone(page);

	/* By its zone: the host's buddy tests give zones arrays of their own. */
	bad_page(page, zone_page_to_pfn(zone, page), reason, 0);
}

bool free_pages_zone(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long pfn, flags, holder_pfn = 0;
	unsigned int holder_order = 0;
	struct page *holder;
	char reason[80];
	bool compound;

	if (!free_pages_check(zone, page, order, &compound))
		return false;
	pfn = zone_page_to_pfn(zone, page);

	/*
	 * A double free: a page that was freed and merged into a larger block
	 * carries no flag of its own, the head of that block does.
	 */
	zone_lock_irqsave(zone, flags);
	holder = free_block_holding(zone, pfn);
	if (holder) {
		holder_pfn = zone_page_to_pfn(zone, holder);
		holder_order = buddy_order(holder);
	} else {
		if (compound)
			destroy_compound_page(page, order);
		__free_one_page(page, pfn, zone, order);
	}
	zone_unlock_irqrestore(zone, flags);
	if (!holder)
		return true;
	snprintf(reason, sizeof(reason), "already free, in the free order-%u block at pfn 0x%lx",
		 holder_order, holder_pfn);
	bad_page(page, pfn, reason, 0);
	return false;
}

int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct list_head *list)
{
	unsigned long flags;
	int i;

	zone_lock_irqsave(zone, flags);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue_smallest(zone, order);

		if (!page)
			break;
		page->_mapcount = PAGE_PCP_MAPCOUNT;
		list_add_tail(&page->lru, list);
	}
	zone_unlock_irqrestore(zone, flags);
	return i;
}

void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			unsigned int order)
{
	unsigned long flags;

	zone_lock_irqsave(zone, flags);
	for (unsigned int i = 0; i < NR_PCP_LISTS && count > 0; i++) {
		unsigned int o = (order + i) % NR_PCP_LISTS;
		struct list_head *list = &pcp->lists[o];

		while (count > 0 && !list_empty(list)) {
			struct page *page = list_last_entry(list, struct page, lru);

			list_del(&page->lru);
			page->_mapcount = -1;
			__free_one_page(page, zone_page_to_pfn(zone, page), zone, o);
			pcp->count -= 1 << o;
			count -= 1 << o;
		}
	}
	zone_unlock_irqrestore(zone, flags);
}

struct page *alloc_pages_no_watermarks(unsigned int order)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = pgdat->nr_zones - 1; z >= 0; z--) {
			struct page *page = alloc_pages_zone(&pgdat->node_zones[z], order);

			if (page)
				return page;
		}
	}
	return NULL;
}

bool free_pages_no_pcp(struct page *page, unsigned int order)
{
	if (!page_ref_dec_and_test(page))
		return true;
	return free_pages_zone(page_zone(page), page, order);
}
