/* Helpers shared by the in-kernel memory-management suites. */
#include <asm/memory.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/gfp.h>
#include <mk64/topology.h>
#include <mk64/printk.h>
#include <mk64/slub_def.h>
#include <mk64/spinlock.h>
#include <mk64/string.h>
#include "mm_helpers.h"

enum slab_mode slab_mode(struct ktest *t, const struct kmem_cache *s)
{
	slab_flags_t debug = s->flags & SLAB_DEBUG_FLAGS;

	if (!debug)
		return SLAB_PLAIN;
	if (debug == (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER))
		return SLAB_FZPU;
	ktest_skip(t, "debug flags with no figures worked out");
}

void need_nodes(struct ktest *t)
{
	if (!nr_online_nodes)
		ktest_skip(t, "no nodes: mm_core_init() did not run");
}

struct zone *first_kernel_zone(void)
{
	const struct zoneref *z = NODE_DATA(numa_node_id())->node_zonelist._zonerefs;

	while (z->zone && z->zone->type > gfp_zone(GFP_KERNEL))
		z++;
	return z->zone;
}

bool take_free_pages(struct zone *zone, unsigned long leave, struct list_head *taken)
{
	unsigned long free;

	drain_all_pages(NULL);
	while ((free = zone_page_state(zone, NR_FREE_PAGES)) > leave) {
		int order = min(63 - __builtin_clzl(free - leave), MAX_PAGE_ORDER);
		struct page *page = NULL;

		for (; order >= 0 && !page; order--)
			page = alloc_pages_zone(zone, (unsigned int)order);
		if (!page)
			return false;
		set_page_private(page, (unsigned long)order + 1);
		list_add(&page->lru, taken);
	}
	return free == leave;
}

bool take_zones(int nid, enum zone_type highest, bool own_node, enum take_level level,
		struct list_head *taken)
{
	for (struct zoneref *ref = NODE_DATA(nid)->node_zonelist._zonerefs; ref->zone; ref++) {
		struct zone *zone = ref->zone;
		unsigned long min = zone->_watermark[WMARK_MIN], leave = 0;

		if (ref->zone_idx > (int)highest || (own_node && zone->node != nid))
			continue;
		switch (level) {
		case TAKE_TO_RESERVE:
			break;
		case TAKE_TO_ATOMIC_MIN:
			leave = min - min / 2 - (min - min / 2) / 4;
			break;
		case TAKE_TO_HIGH_MIN:
			leave = min - min / 2;
			break;
		case TAKE_TO_MIN:
			leave = min;
			break;
		case TAKE_TO_MIN_LOW:
			leave = (min + zone->_watermark[WMARK_LOW]) / 2;
			break;
		}
		if (!take_free_pages(zone, leave + zone->lowmem_reserve[highest], taken))
			return false;
	}
	return true;
}

void release_all(struct list_head *taken)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, taken, lru) {
		unsigned int order = (unsigned int)page_private(page);

		list_del(&page->lru);
		set_page_private(page, 0);
		__free_pages(page, order);
	}
}

/* The length of s up to the first c or its end. */
static size_t span_to(const char *s, char c)
{
	size_t n = 0;

	while (s[n] && s[n] != c)
		n++;
	return n;
}

/*
 * Parses the NODE:ZONE:FIRST-LAST:BATCH:HIGH entry at s into z. Returns
 * where it ends (at ',' or the end of the string), NULL when it is bad.
 */
static const char *parse_config_zone(const char *s, struct config_zone *z)
{
	static const char *const names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem" };
	size_t len;
	char *p;

	z->nid = (int)strtoul(s, &p, 10);
	if (p == s || *p++ != ':' || z->nid >= MAX_NUMNODES)
		return NULL;
	len = span_to(p, ':');
	z->type = MAX_NR_ZONES;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (strlen(names[i]) == len && !strncmp(p, names[i], len))
			z->type = (enum zone_type)i;
	if (z->type == MAX_NR_ZONES || p[len] != ':')
		return NULL;
	s = p + len + 1;
	z->first = strtoull(s, &p, 0);
	if (p == s || *p != '-')
		return NULL;
	s = p + 1;
	z->last = strtoull(s, &p, 0);
	if (p == s || *p != ':' || z->last <= z->first || (z->first | (z->last + 1)) % PAGE_SIZE)
		return NULL;
	s = p + 1;
	z->batch = (int)strtoul(s, &p, 10);
	if (p == s || *p != ':')
		return NULL;
	s = p + 1;
	z->high = (int)strtoul(s, &p, 10);
	if (p == s || (*p && *p != ','))
		return NULL;
	return p;
}

#define MAX_CONFIG_ZONES 16

int config_zones(struct ktest *t, const struct config_zone **zones)
{
	static struct config_zone parsed[MAX_CONFIG_ZONES];
	static char val[512];
	const char *s = val;
	int n = 0;

	if (!cmdline_get(boot_info.cmdline, "ktest.zones", val, sizeof(val)))
		ktest_skip(t, "no ktest.zones= for this config");
	while (*s) {
		const char *end = n < MAX_CONFIG_ZONES ? parse_config_zone(s, &parsed[n]) : NULL;

		if (!end)
			ktest_fail(t, true, __FILE__, __LINE__,
				   "ktest.zones=: bad entry \"%.*s\" (want NODE:ZONE:FIRST-LAST:BATCH:HIGH, whole pages)",
				   (int)span_to(s, ','), s);
		n++;
		s = *end ? end + 1 : end;
	}
	*zones = parsed;
	return n;
}

int log_count_after(const char *mark, const char *s)
{
	static char buf[16384];
	size_t n = printk_log_tail(buf, sizeof(buf) - 1), ml = strlen(mark), sl = strlen(s);
	size_t from = 0;
	int count = 0;

	buf[n] = '\0';
	for (size_t i = 0; i + ml <= n; i++)
		if (!memcmp(buf + i, mark, ml))
			from = i + ml;
	for (size_t i = from; i + sl <= n; i++)
		count += !memcmp(buf + i, s, sl);
	return count;
}

void shrink_all_caches(void)
{
	struct kmem_cache *s;

	spin_lock(&slab_lock);
	for_each_slab_cache(s)
		kmem_cache_shrink(s);
	spin_unlock(&slab_lock);
}
