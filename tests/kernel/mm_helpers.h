/* Helpers shared by the in-kernel memory-management suites (mm_helpers.c). */
#ifndef TESTS_KERNEL_MM_HELPERS_H
#define TESTS_KERNEL_MM_HELPERS_H

#include <mk64/ktest.h>
#include <mk64/list.h>
#include <mk64/mmzone.h>
#include <mk64/slab.h>

/* Skips the case when mm_core_init() has not set up any node. */
void need_nodes(struct ktest *t);

/* This CPU's node's first zone a GFP_KERNEL request may use (HighMem comes before it). */
struct zone *first_kernel_zone(void);

/*
 * Takes blocks from zone with the zone-level core (no watermark) until
 * exactly leave pages are free, onto taken (order + 1 in private): the
 * opposite of Linux's drain, which gives pages back. The per-CPU lists
 * are emptied first, so that no free page hides there for a failing
 * allocation's drain to bring back. Returns false when it cannot get there
 * (fewer than leave free already included).
 */
bool take_free_pages(struct zone *zone, unsigned long leave, struct list_head *taken);

/*
 * How much take_zones() leaves in each zone, on top of its lowmem_reserve
 * for the request's highest zone: the thresholds of the watermark checks
 * (a request left at its own is one page short).
 */
enum take_level {
	TAKE_TO_RESERVE,	/* the reserve alone: even GFP_ATOMIC fails */
	TAKE_TO_ATOMIC_MIN,	/* GFP_ATOMIC's: min - min / 2, less a quarter of that */
	TAKE_TO_HIGH_MIN,	/* __GFP_HIGH's alone: min - min / 2 */
	TAKE_TO_MIN,		/* min: GFP_KERNEL's */
	TAKE_TO_MIN_LOW,	/* halfway from min to low: GFP_KERNEL passes, waking kswapd */
};

/*
 * take_free_pages() from every zone of node nid's zonelist that a request
 * whose highest zone is highest may use (only nid's own zones with
 * own_node), down to level. Returns false when one cannot get there.
 */
bool take_zones(int nid, enum zone_type highest, bool own_node, enum take_level level,
		struct list_head *taken);

/* Frees every block take_free_pages() put on taken. */
void release_all(struct list_head *taken);

/*
 * Every cache's per-CPU slabs, every CPU's, back on their nodes' lists
 * (kmem_cache_shrink()'s flush_all(), a cross-call), and the empty ones
 * freed to the buddy allocator.
 */
void shrink_all_caches(void);

/*
 * A populated zone as the config says it must be: tests/configs.cfg works
 * these out by hand from the machine's memory and the boot arguments, and
 * passes them as ktest.zones=NODE:ZONE:FIRST-LAST:BATCH:HIGH[,...] (ZONE
 * DMA, DMA32, Normal or HighMem; FIRST-LAST its physical range, whole
 * pages, inclusive as the boot log prints it; BATCH and HIGH its per-CPU
 * lists').
 */
struct config_zone {
	int nid;
	enum zone_type type;
	phys_addr_t first, last;
	int batch, high;
};

/*
 * Points *zones at the entries of ktest.zones= (at most 16), parsed again
 * on each call, and returns how many there are. Skips the case when the
 * config gives none; ends it (an assertion failure naming the entry) when
 * one does not parse.
 */
int config_zones(struct ktest *t, const struct config_zone **zones);

/* Occurrences of s after the last occurrence of mark in the log's tail. */
int log_count_after(const char *mark, const char *s);

/*
 * Which layout figures a case worked out by hand apply to cache s: mk64's
 * own, or those of slub_debug=FZPU (virt-slub-debug: red zones, poison,
 * tracks, checks). Skips the case for any other set of debug flags, for
 * which it has none.
 */
enum slab_mode { SLAB_PLAIN, SLAB_FZPU };
enum slab_mode slab_mode(struct ktest *t, const struct kmem_cache *s);

#endif
