/*
 * Giving SLUB's memory back: flushing per-CPU slabs onto their nodes'
 * lists, freeing empty slabs (kmem_cache_shrink() and the shrinker's
 * entry points), and the counts the leak check and slabinfo read.
 */
#include <mk64/spinlock.h>
#include "slub.h"


/* Whether cpu holds slabs of s (Linux's has_cpu_slab()); read from another CPU, a hint. */
static bool has_cpu_slab(int cpu, void *info)
{
	const struct kmem_cache_cpu *c = per_cpu_ptr(((struct kmem_cache *)info)->cpu_slab, cpu);

	return READ_ONCE(c->page) || READ_ONCE(c->partial);
}

/*
 * Gives up the running CPU's active slab of s and unfreezes its partial
 * list: on that CPU, with interrupts masked (a cross-call, or the
 * caller's own CPU in on_each_cpu_cond()), the rule of mk64/slub_def.h.
 */
static void flush_cpu_slab(void *info)
{
	struct kmem_cache *s = info;
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (c->page)
		deactivate_slab(s, c);
	unfreeze_partials(s, c);
}

int flush_all(struct kmem_cache *s)
{
	return on_each_cpu_cond(has_cpu_slab, flush_cpu_slab, s, true);
}

/*
 * Takes up to max_pages pages' worth of empty slabs (all of them for
 * ~0UL) off s's partial lists and frees them; returns the pages freed.
 */
static unsigned long free_empty_slabs(struct kmem_cache *s, unsigned long max_pages)
{
	struct kmem_cache_node *n;
	unsigned long freed = 0;
	int nid;

	for_each_kmem_cache_node(s, nid, n) {
		struct page *page, *tmp;
		unsigned long flags;
		LIST_HEAD(empty);

		if (!READ_ONCE(n->nr_partial))
			continue;
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(page, tmp, &n->partial, slab_list) {
			if (freed >= max_pages)
				break;
			if (page->inuse)
				continue;
			list_move(&page->slab_list, &empty);
			n->nr_partial--;
			n->nr_slabs--;
			freed += 1UL << s->order;
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
		list_for_each_entry_safe(page, tmp, &empty, slab_list)
			free_slab(s, page);
	}
	return freed;
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	int err = flush_all(s);

	free_empty_slabs(s, ~0UL);
	return err;
}

/*
 * Objects of a frozen slab a CPU holds, less those on the list head only
 * that CPU uses; counted without reports (the list is checked when used).
 */
static long frozen_in_use(const struct kmem_cache *s, const struct page *page, void *head)
{
	unsigned long base = slab_base(page);
	unsigned int count = 0;

	for (void *p = head; p && count < s->objects && object_in_slab(s, base, p);
	     p = get_freepointer(s, p))
		count++;
	return (long)page->inuse - count;
}

unsigned long slab_empty_pages(void)
{
	unsigned long pages = 0, flags;
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	unsigned int cpu;
	int nid;

	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		for_each_kmem_cache_node(s, nid, n) {
			struct page *page;

			if (!READ_ONCE(n->nr_partial))
				continue;
			spin_lock_irqsave(&n->list_lock, flags);
			list_for_each_entry(page, &n->partial, slab_list)
				if (!page->inuse)
					pages += 1UL << s->order;
			spin_unlock_irqrestore(&n->list_lock, flags);
		}
		/* Empty slabs on the CPUs' partial lists: slab_shrink_empty() flushes them. */
		for_each_possible_cpu(cpu)
			for (struct page *page = per_cpu_ptr(s->cpu_slab, cpu)->partial; page;
			     page = page->next)
				if (!page->dropped && !frozen_in_use(s, page, page->cpu_freelist))
					pages += 1UL << s->order;
	}
	spin_unlock(&slab_lock);
	return pages;
}

unsigned long slab_shrink_empty(unsigned long nr_pages)
{
	unsigned long freed = 0;
	struct kmem_cache *s;

	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		if (freed >= nr_pages)
			break;
		flush_all(s);
		freed += free_empty_slabs(s, nr_pages - freed);
	}
	spin_unlock(&slab_lock);
	return freed;
}

/*
 * Counted from the slabs rather than on every allocation: each slab's
 * inuse (a frozen slab counts all its objects, less the other CPUs'
 * frees), less what the CPUs' lockless lists and partial slabs' lists
 * hold, and the active slabs' objects in the CPUs' arrays. A slab whose free list was
 * dropped is left out: its lost objects would never come back. So are
 * the objects a debug check isolated (mm/slub_debug.c): no one holds
 * them, and they are never handed out again.
 */
long slab_objects_in_use(const struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned int cpu;
	long in_use = 0;
	int nid;

	for_each_kmem_cache_node(s, nid, n) {
		struct list_head *lists[] = { &n->partial, &n->full };
		unsigned long flags;
		struct page *page;

		spin_lock_irqsave(&n->list_lock, flags);
		for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
			list_for_each_entry(page, lists[i], slab_list)
				if (!page->dropped)
					in_use += page->inuse - page->isolated;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	for_each_possible_cpu(cpu) {
		const struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct page *page = READ_ONCE(c->page);

		if (page && !page->dropped)
			in_use += frozen_in_use(s, page, c->freelist) - READ_ONCE(c->avail);
		for (page = c->partial; page; page = page->next)
			if (!page->dropped)
				in_use += frozen_in_use(s, page, page->cpu_freelist);
	}
	return in_use;
}

unsigned long slab_pages(const struct kmem_cache *s)
{
	const struct kmem_cache_node *n;
	unsigned long slabs = 0;
	int nid;

	for_each_kmem_cache_node(s, nid, n)
		slabs += READ_ONCE(n->nr_slabs);
	return slabs << s->order;
}
