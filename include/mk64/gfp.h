/*
 * GFP ("get free pages") flags and the page allocator API, with Linux's
 * names, bit values (Linux 6.1's ___GFP_*, <linux/gfp.h>) and meaning.
 * mm/gfp.c.
 *
 * Zone modifiers (at most one): __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM;
 * none means ZONE_NORMAL. gfp_zone() gives the highest zone the request
 * may use; it may fall back to every lower zone, nearest node first along
 * the zonelist of the node asked for (only that node's zones with
 * __GFP_THISNODE).
 *
 * Watermarks, as Linux's: a first pass takes a block only from a zone
 * that keeps more than WMARK_LOW plus its lowmem_reserve[gfp_zone()] free
 * pages afterwards. When no zone does, kswapd is woken (with
 * __GFP_KSWAPD_RECLAIM; there is no kswapd thread yet, so the wakeup is
 * only recorded on the node: pg_data_t.kswapd_*) and a second pass
 * allows down to WMARK_MIN, which __GFP_HIGH lowers by half and
 * __GFP_ATOMIC (in GFP_ATOMIC) by a further quarter (mk64/watermark.h).
 *
 * Blocks of order 0 to PAGE_ALLOC_COSTLY_ORDER come from per-CPU lists of
 * each zone (struct per_cpu_pages), refilled from the buddy allocator in
 * batches; the watermark is checked against the buddy's free pages before
 * the list is used, as in Linux.
 *
 * Reserves: __GFP_MEMALLOC, or an allocation made in reclaim (the running
 * context's PF_MEMALLOC, mk64/sched.h: a shrinker's own allocations), may
 * take pages with no watermark at all once the pass at min found none;
 * __GFP_NOMEMALLOC forbids that, even in reclaim, and also takes away
 * __GFP_ATOMIC's extra quarter. An allocation in reclaim never reclaims.
 *
 * A request with __GFP_DIRECT_RECLAIM that finds no zone runs direct
 * reclaim (the per-CPU lists and the shrinkers, mk64/shrinker.h) and tries
 * again. A round makes progress only when pages came back into zones the
 * request may use (its zone modifier, __GFP_THISNODE); above order 3
 * (PAGE_ALLOC_COSTLY_ORDER) only when, besides, one of them now has a
 * free block of the order. Rounds (MAX_RECLAIM_RETRIES = 16, as Linux's
 * should_reclaim_retry()): once with __GFP_NORETRY; by default while
 * rounds make progress, at most 16, and one round only above order 3;
 * with __GFP_RETRY_MAYFAIL while rounds make progress, at most 16, above
 * order 3 too; with __GFP_NOFAIL until 16 rounds in a row make none, at
 * most 16 * 16 rounds, then it fails with a warning (a deviation from
 * Linux: nothing else would free memory). Every request therefore ends.
 * A __GFP_NOFAIL failure is reported even with __GFP_NOWARN. GFP_ATOMIC
 * and GFP_NOWAIT never reclaim. Nothing sleeps yet, but a request that
 * may block made where blocking is not allowed (a spinlock held,
 * interrupts masked) is reported as Linux's might_sleep() does, and
 * served without reclaim.
 *
 * Accepted with no effect here, so that code written for Linux passes
 * them unchanged: __GFP_MOVABLE and __GFP_RECLAIMABLE (no grouping of
 * pages by mobility, no ZONE_MOVABLE: GFP_HIGHUSER_MOVABLE is served as
 * GFP_HIGHUSER), __GFP_WRITE (no page cache to spread dirty pages over),
 * __GFP_ACCOUNT (no memory cgroups), __GFP_HARDWALL (no cpusets). The
 * failure report names every flag (Linux's %pGg).
 */
#ifndef MK64_GFP_H
#define MK64_GFP_H

#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/topology.h>
#include <mk64/types.h>

typedef unsigned int gfp_t;

#define __GFP_DMA		0x01u	/* ZONE_DMA only */
#define __GFP_HIGHMEM		0x02u	/* ZONE_HIGHMEM and below */
#define __GFP_DMA32		0x04u	/* ZONE_DMA32 and below */
#define __GFP_MOVABLE		0x08u	/* migratable: a no-op here (below) */
#define __GFP_RECLAIMABLE	0x10u	/* a reclaimable cache: a no-op here */
#define __GFP_HIGH		0x20u	/* high priority: may use half of min */
#define __GFP_IO		0x40u	/* may start I/O */
#define __GFP_FS		0x80u	/* may call into file systems */
#define __GFP_ZERO		0x100u	/* return zeroed pages */
#define __GFP_ATOMIC		0x200u	/* cannot sleep: may dip further below min */
#define __GFP_DIRECT_RECLAIM	0x400u	/* may reclaim itself (sleeps) */
#define __GFP_KSWAPD_RECLAIM	0x800u	/* may wake the reclaim thread */
#define __GFP_WRITE		0x1000u	/* a page cache page to be dirtied: a no-op here */
#define __GFP_NOWARN		0x2000u	/* no failure report */
#define __GFP_RETRY_MAYFAIL	0x4000u	/* retry hard, may still fail */
#define __GFP_NOFAIL		0x8000u	/* must not fail */
#define __GFP_NORETRY		0x10000u	/* do not retry after reclaim */
#define __GFP_MEMALLOC		0x20000u	/* may use every reserve */
#define __GFP_COMP		0x40000u	/* order > 0: make a compound page */
#define __GFP_NOMEMALLOC	0x80000u	/* never the reserves, even in reclaim */
#define __GFP_HARDWALL		0x100000u	/* user allocation: cpuset bound */
#define __GFP_THISNODE		0x200000u	/* the node asked for, no fallback */
#define __GFP_ACCOUNT		0x400000u	/* charge to the memory cgroup: a no-op here */
/*
 * An order-0 page that is likely cold in the cache (for DMA, say): from
 * the tail of the per-CPU list. Linux dropped the flag in 4.15; this bit
 * is above every bit Linux 6.1 uses.
 */
#define __GFP_COLD		0x10000000u

#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32)
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT __GFP_KSWAPD_RECLAIM
#define GFP_NOIO __GFP_RECLAIM
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (GFP_KERNEL | __GFP_HARDWALL)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32

/* Whether gfp lets the allocator sleep (to reclaim): Linux's definition. */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/*
 * The highest zone gfp may allocate from; __GFP_DMA wins over the others,
 * then __GFP_DMA32. As Linux's GFP_ZONE_TABLE: the zone for each of the
 * eight combinations of the three bits, two bits each, read with a shift.
 */
#define GFP_ZONE_ENTRY(bits)                                                    \
	(((bits) & __GFP_DMA     ? ZONE_DMA :                                   \
	  (bits) & __GFP_DMA32   ? ZONE_DMA32 :                                 \
	  (bits) & __GFP_HIGHMEM ? ZONE_HIGHMEM : ZONE_NORMAL) << ((bits) * 2))
#define GFP_ZONE_TABLE                                                          \
	(GFP_ZONE_ENTRY(0u) | GFP_ZONE_ENTRY(1u) | GFP_ZONE_ENTRY(2u) |         \
	 GFP_ZONE_ENTRY(3u) | GFP_ZONE_ENTRY(4u) | GFP_ZONE_ENTRY(5u) |         \
	 GFP_ZONE_ENTRY(6u) | GFP_ZONE_ENTRY(7u))
_Static_assert(GFP_ZONEMASK == 7, "GFP_ZONE_TABLE indexes the three low bits");

static inline enum zone_type gfp_zone(gfp_t gfp)
{
	return (enum zone_type)((GFP_ZONE_TABLE >> ((gfp & GFP_ZONEMASK) * 2)) & 3);
}

/*
 * A block of 2^order pages for gfp, from the zonelist of node nid (any
 * online node when nid is not). Returns its first page with refcount 1,
 * zeroed with __GFP_ZERO, or NULL after a failure report (unless
 * __GFP_NOWARN). With __GFP_DIRECT_RECLAIM it may reclaim (and will
 * sleep once there is something to wait for).
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);

/* alloc_pages_node() for the node of the CPU running the caller. */
static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(numa_node_id(), gfp, order);
}

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

/*
 * Linux's alloc_pages_bulk_array_node(): puts an order-0 page from node
 * nid (or its fallbacks) in each NULL slot of page_array[0, nr_pages),
 * from the start, taking them from this CPU's list under one lock while
 * it has some and the zone is above its low watermark, else one page by
 * alloc_pages_node(). Returns how many leading slots hold a page (fewer
 * than nr_pages when memory is short: call again, or give up); may sleep
 * as gfp allows.
 */
unsigned long alloc_pages_bulk_array_node(gfp_t gfp, int nid, unsigned long nr_pages,
					  struct page **page_array);

/*
 * Drops a reference to the block of 2^order pages at page; the last one
 * gives it back (a bad block is reported and kept out of the free lists).
 * When others still hold the first page of a block that is not compound,
 * the rest of the block is freed now and the first page with the last
 * reference, as in Linux. Dropping a reference nobody holds (a double
 * free) is reported and changes nothing.
 */
void __free_pages(struct page *page, unsigned int order);

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

/*
 * Takes a reference to the page, or to the compound page a tail page
 * belongs to. The caller must already hold one.
 */
static inline void get_page(struct page *page)
{
	page_ref_inc(compound_head(page));
}

/*
 * Drops a reference taken with get_page() or given by the allocator; the
 * last one frees the page, or the whole compound page.
 */
void put_page(struct page *page);

/*
 * Makes each page of a non-compound block of 2^order pages an order-0
 * page of its own with one reference, to be freed one by one.
 */
void split_page(struct page *page, unsigned int order);

/*
 * size bytes (rounded up to pages) of physically contiguous lowmem: the
 * smallest block that holds them, its unused tail pages freed. Returns the
 * linear-map address or NULL. __GFP_COMP is ignored.
 */
void *alloc_pages_exact(size_t size, gfp_t gfp);

/* Frees what alloc_pages_exact(size) returned, page by page. */
void free_pages_exact(void *virt, size_t size);

/* Free pages in every zone's free areas (not the per-CPU lists). */
unsigned long nr_free_pages(void);

/* How often allocation failures may be reported: 10 in 5 s, as Linux 4.x. */
extern struct ratelimit_state nopage_rs;

/*
 * Gives the pages on this CPU's per-CPU lists of zone (of every zone when
 * zone is NULL) back to the buddy allocator; from an interrupt handler, a
 * list the interrupted code holds is left alone. Never sleeps.
 */
void drain_local_pages(struct zone *zone);

/*
 * drain_local_pages() on every CPU with pages on its lists, each run by
 * that CPU (a cross-call, waited for): the lists are empty on return
 * unless a CPU did not answer (reported). Process context with
 * interrupts enabled (reclaim's); spins, never sleeps.
 */
void drain_all_pages(struct zone *zone);

/*
 * Sizes and empties every zone's per-CPU lists from its managed pages;
 * run once the zones are handed their memory, before the first allocation.
 */
void setup_per_cpu_pageset(void);

/*
 * The linear-map address of page, or NULL for a highmem page (not mapped
 * until kmapped).
 */
void *page_address(const struct page *page);

/*
 * alloc_pages() for lowmem (highmem flags are not allowed): returns the
 * block's linear-map address, or 0 on failure.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

/* One zeroed lowmem page's linear-map address, or 0. */
static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/*
 * The struct page of a linear-map address of RAM: arithmetic, no check
 * (Linux's virt_to_page(); virt_addr_valid() says whether addr has one).
 */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

/*
 * Whether addr is a linear-map address of a page of RAM that the linear map
 * holds: false for no-map RAM, highmem, a hole in a present section and a
 * page only partly RAM, all of which may have a struct page. As arm64 Linux's, from
 * memblock (two binary searches over its regions); never sleeps.
 */
static inline bool virt_addr_valid(const void *addr)
{
	phys_addr_t page;

	if (!virt_addr_is_linear(addr))
		return false;
	page = __pa(addr) & ~(phys_addr_t)(PAGE_SIZE - 1);
	if (highmem_start && page >= highmem_start)
		return false;
	return memblock_is_map_memory(page) && memblock_is_map_memory(page + PAGE_SIZE - 1);
}

/* __free_pages() by the linear-map address __get_free_pages() returned; 0 is ignored. */
void free_pages(unsigned long addr, unsigned int order);

static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

#endif
