/*
 * The allocation failure report: Linux's warn_alloc() with the request's
 * GFP flags by name (as %pGg prints them) and its memory summary
 * (show_free_areas()), rate-limited; and the warning before a
 * __GFP_NOFAIL request gives up.
 *
 * Kernel only: the report carries the caller's stack.
 */
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/sprintf.h>
#include "internal.h"

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* Composites before their parts, as Linux's %pGg prints them. */
static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_COLD, "__GFP_COLD" },
};

/* "GFP_KERNEL|__GFP_ZERO": names of the set flags, unknown bits in hex. */
static void format_gfp(char *buf, size_t size, gfp_t gfp)
{
	const char *sep = "";
	int len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < ARRAY_SIZE(gfp_names) && (size_t)len < size; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		len += snprintf(buf + len, size - (size_t)len, "%s%s", sep, gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
		sep = "|";
	}
	if (gfp && (size_t)len < size)
		snprintf(buf + len, size - (size_t)len, "%s%#x", sep, gfp);
}

/*
 * Linux's show_mem() for the zones: watermarks, lowmem_reserve and the
 * free blocks per order (as /proc/buddyinfo, in sizes). Counters are read
 * without the locks: a snapshot.
 */
static void show_free_areas(void)
{
	int nid;

	pr_warn("Mem-Info:\n");
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < pgdat->nr_zones; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			char line[NR_PAGE_ORDERS * 16 + 32];
			unsigned long total = 0;
			int len = 0;

			if (!zone->present_pages)
				continue;
			pr_warn("Node %d %s free:%lukB min:%lukB low:%lukB high:%lukB "
				"present:%lukB managed:%lukB\n",
				nid, zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
				K(zone->_watermark[WMARK_MIN]), K(zone->_watermark[WMARK_LOW]),
				K(zone->_watermark[WMARK_HIGH]), K(zone->present_pages),
				K(zone->managed_pages));
			pr_warn("lowmem_reserve[]: %lu %lu %lu %lu\n", zone->lowmem_reserve[0],
				zone->lowmem_reserve[1], zone->lowmem_reserve[2],
				zone->lowmem_reserve[3]);
			for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
				unsigned long n = READ_ONCE(zone->free_area[o].nr_free);

				len += snprintf(line + len, sizeof(line) - (size_t)len, "%lu*%lukB ",
						n, K(1UL << o));
				total += K(n << o);
			}
			pr_warn("Node %d %s: %s= %lukB\n", nid, zone->name, line, total);
		}
	}
}

DEFINE_RATELIMIT_STATE(nopage_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

/*
 * Linux's warn_alloc(): the failure line, the call trace and the memory
 * summary, unless __GFP_NOWARN; ten reports in five seconds at most.
 */
__cold void warn_alloc(gfp_t gfp, unsigned int order)
{
	char names[256];

	if (((gfp & __GFP_NOWARN) && !(gfp & __GFP_NOFAIL)) || !__ratelimit(&nopage_rs))
		return;
	format_gfp(names, sizeof(names), gfp);
	pr_warn("%s: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n",
		current->comm, order, gfp, names);
	dump_stack_lvl(KERN_WARNING);
	show_free_areas();
}

__cold void nofail_gives_up(gfp_t gfp, unsigned int order, unsigned int rounds,
			    unsigned int stalls)
{
	char names[256];

	format_gfp(names, sizeof(names), gfp);
	pr_warn("page allocation: __GFP_NOFAIL request order:%u, mode:%#x(%s) failing: "
		"%u reclaim rounds, the last %u without progress\n", order, gfp, names, rounds,
		stalls);
}
