/*
 * struct page: one for every physical page frame, as Linux's. The buddy
 * allocator (mm/page_alloc.c), and later the slab allocator and the users
 * of allocated pages, keep their per-frame state here.
 *
 * Life of a page in its zone:
 *
 *   reserved --release--> free (in buddy) --alloc--> allocated --free--> free
 *                              ^    |                      |
 *                              |    v                      |
 *                           on a per-CPU list <------------'
 *
 * - reserved: the state zone_init() leaves every page in. PG_reserved, one
 *   reference, lru NULL, no owner but the boot code. Holes in the physical map and
 *   memory memblock keeps (kernel image, DTB, no-map ranges) stay reserved
 *   for good; the buddy allocator never touches such a page again.
 * - free: the page is part of a block in zone->free_area[]. Only the
 *   block's first page (its head) carries PG_buddy, the block's order in
 *   private and the free-list linkage in lru; the other pages of the block
 *   have no flags but the node/zone bits (and PG_highmem) and refcount 0.
 *   Everything about a free page is protected by zone->lock.
 * - on a per-CPU list (orders 0-3, mm/pcp.c): a block the buddy allocator
 *   counts as allocated, kept for this CPU's next request. Its first page
 *   is linked by lru into the list, refcount 0, no PG_buddy, _mapcount
 *   PAGE_PCP_MAPCOUNT; protected by the list's lock (struct per_cpu_pages).
 * - allocated: the allocator hands out a block's head with refcount 1 and
 *   the rest of the block with refcount 0, no PG_buddy, no PG_reserved
 *   (with __GFP_COMP: PG_head on the head, tails pointing at it). The
 *   owner may then use lru, mapping, index, private and the slab or
 *   compound fields as it likes; the allocator does not look at them until
 *   the block comes back, when every page of it must again be clean:
 *   refcount 0, _mapcount -1, no mapping, none of PAGE_FLAGS_CHECK_AT_FREE.
 *   A page that is not is reported ("Bad page state") and never freed.
 *
 * The node and zone ids never change after zone_init(); they live in the
 * top bits of flags (layout below), as in Linux's page->flags sections.
 */
#ifndef MK64_MM_TYPES_H
#define MK64_MM_TYPES_H

#include <mk64/compiler.h>
#include <mk64/list.h>
#include <mk64/types.h>

struct kmem_cache;

struct page {
	unsigned long flags;		/* PG_* bits, node and zone ids at the top */
	union {
		struct {	/* free in buddy, or owned by its allocator */
			struct list_head lru;	/* free list (PG_buddy), or the owner's */
			void *mapping;		/* must be NULL when freed */
			unsigned long index;
			unsigned long private;	/* the block's order while PG_buddy */
		};
		struct {	/* slab (PG_slab) */
			union {
				struct list_head slab_list;	/* on a node's list */
				struct {	/* on a CPU's partial list (mm/slub.c) */
					struct page *next;
					void *cpu_freelist;	/* that CPU's frees */
				};
			};
			struct kmem_cache *slab_cache;
			void *freelist;		/* first free object */
			union {
				unsigned long counters;
				struct {
					unsigned int inuse:16;
					unsigned int objects:15;
					unsigned int frozen:1;
					/* a free list of the slab was dropped (mm/slub.c) */
					unsigned int dropped:1;
					/* frozen on CPU cpu's partial list */
					unsigned int cpu_partial:1;
					unsigned int cpu:8;
					/* objects a debug check took out of use for good (mm/slub_debug.c) */
					unsigned int isolated:15;
				};
			};
		};
		struct {	/* tail page of a compound page (__GFP_COMP) */
			unsigned long compound_head;	/* head page address | 1 */
			unsigned char compound_order;	/* first tail page only */
		};
	};
	int _mapcount;		/* mappings - 1: -1 while unmapped */
	int _refcount;		/* 0 while free; see page_ref_*() */
	void *virtual;		/* where a kmapped highmem page is, else NULL */
};

/* One cache line, and a power of two so that pfn_to_page() is a shift. */
_Static_assert(sizeof(struct page) == 64, "struct page must stay 64 bytes");

/* Page flag bits, low bits of page->flags. */
enum pageflags {
	PG_locked,	/* owner holds the page lock */
	PG_head,	/* first page of a compound page */
	PG_slab,	/* owned by the slab allocator */
	PG_reserved,	/* never given to the buddy allocator */
	PG_buddy,	/* head of a free block in zone->free_area[] */
	PG_highmem,	/* in ZONE_HIGHMEM: not in the linear map */
	__NR_PAGEFLAGS
};

/*
 * page->flags layout, from the top (as Linux's, without sections):
 *
 *   | node (NODES_SHIFT) | zone (ZONES_SHIFT) | ... unused ... | PG_* bits |
 */
#define NODES_SHIFT 6
#define MAX_NUMNODES (1 << NODES_SHIFT)
#define ZONES_SHIFT 2
#define NODES_PGSHIFT (64 - NODES_SHIFT)
#define ZONES_PGSHIFT (NODES_PGSHIFT - ZONES_SHIFT)
#define NODES_MASK ((1UL << NODES_SHIFT) - 1)
#define ZONES_MASK ((1UL << ZONES_SHIFT) - 1)
_Static_assert(__NR_PAGEFLAGS <= ZONES_PGSHIFT, "page flags overlap the node/zone ids");

/*
 * Flags the buddy allocator refuses to take back: such a page is still in
 * use (locked, slab), never was the allocator's (reserved), is already
 * free (buddy), or is a compound head that was not taken apart.
 */
#define PAGE_FLAGS_CHECK_AT_FREE                                                \
	(1UL << PG_locked | 1UL << PG_head | 1UL << PG_slab |                   \
	 1UL << PG_reserved | 1UL << PG_buddy)

/*
 * PageFoo() tests, SetPageFoo()/ClearPageFoo() change the bit atomically
 * (other bits of the word may change under us), __SetPageFoo() and
 * __ClearPageFoo() non-atomically, for a page nobody else can see or one
 * whose flags are all protected by the same lock (zone->lock for PG_buddy).
 */
#define PAGEFLAG(name, bit)                                                     \
	static inline bool Page##name(const struct page *page)                  \
	{                                                                       \
		return READ_ONCE(page->flags) & (1UL << (bit));                 \
	}                                                                       \
	static inline void SetPage##name(struct page *page)                     \
	{                                                                       \
		__atomic_fetch_or(&page->flags, 1UL << (bit), __ATOMIC_RELAXED); \
	}                                                                       \
	static inline void ClearPage##name(struct page *page)                   \
	{                                                                       \
		__atomic_fetch_and(&page->flags, ~(1UL << (bit)), __ATOMIC_RELAXED); \
	}                                                                       \
	static inline void __SetPage##name(struct page *page)                   \
	{                                                                       \
		page->flags |= 1UL << (bit);                                    \
	}                                                                       \
	static inline void __ClearPage##name(struct page *page)                 \
	{                                                                       \
		page->flags &= ~(1UL << (bit));                                 \
	}

PAGEFLAG(Locked, PG_locked)
PAGEFLAG(Head, PG_head)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(HighMem, PG_highmem)

static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> NODES_PGSHIFT) & NODES_MASK);
}

/* Reference counts, atomic: any CPU may take or drop one. */
static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

/* One aligned store: single-copy atomic, as a relaxed atomic store. */
static inline void set_page_count(struct page *page, int v)
{
	WRITE_ONCE(page->_refcount, v);
}

static inline void page_ref_inc(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; returns how many are left (below 0: none was held). */
static inline int page_ref_dec_return(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL);
}

/* Drops a reference; true when it was the last (the page may be freed). */
static inline bool page_ref_dec_and_test(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

/*
 * A page type kept in _mapcount, as Linux marks buddy pages: the first
 * page of a block on a per-CPU free list (mm/pcp.c) carries it, so that a
 * free covering the block again is told apart from one of pages in use.
 */
#define PAGE_PCP_MAPCOUNT ((int)0xf0000000)

/* Mappings of the page into page tables (none are counted yet). */
static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

static inline unsigned long page_private(const struct page *page)
{
	return page->private;
}

static inline void set_page_private(struct page *page, unsigned long private)
{
	page->private = private;
}

/*
 * Compound pages (__GFP_COMP): the head carries PG_head and the block's
 * reference count; each tail page points at the head with bit 0 set, and
 * the first tail holds the order. Set up by prep_compound_page(), taken
 * apart when the block is freed.
 */
static inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

/* The head of the compound page that holds page, or page itself. */
static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (head & 1)
		return (struct page *)(head - 1);
	return (struct page *)page;
}

/* The order of a compound head, 0 for any other page. */
static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page[1].compound_order : 0;
}

#endif
