/*
 * slabinfo: every cache's counts in /proc/slabinfo's format version 2.1,
 * with Linux's column widths, so that tools reading Linux's read ours.
 */
#include <mk64/printk.h>
#include <mk64/spinlock.h>
#include <mk64/slub_def.h>
#include <mk64/string.h>

/*
 * Linux's SLUB line: no tunables (those were SLAB's), and active_slabs is
 * num_slabs (SLUB does not tell slabs holding objects from empty ones).
 * objsize is the object's step in a slab, as Linux prints s->size.
 */
static void cache_show(const struct kmem_cache *s)
{
	unsigned long slabs = slab_pages(s) >> s->order;
	long in_use = slab_objects_in_use(s);

	pr_info("%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
		s->name, (unsigned long)in_use, slabs * s->objects, s->size, s->objects,
		1 << s->order, 0u, 0u, 0u, slabs, slabs, 0UL);
}

void print_slabinfo(const char *prefix)
{
	size_t len = prefix ? strlen(prefix) : 0;

	pr_info("slabinfo - version: 2.1\n");
	pr_info("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock(&slab_lock);
	/* Newest first, as Linux lists its slab_caches (it adds at the head, mk64 at the tail). */
	for (struct list_head *pos = slab_caches.prev; pos != &slab_caches; pos = pos->prev) {
		const struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		if (!strncmp(s->name, prefix ? prefix : "", len))
			cache_show(s);
	}
	spin_unlock(&slab_lock);
}
