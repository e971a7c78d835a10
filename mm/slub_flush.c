/*
 * Giving SLUB's memory back: flushing per-CPU slabs onto their nodes'
 * lists, freeing empty slabs (kmem_cache_shrink() and the shrinker's
 * entry points), and the counts the leak check and slabinfo read.
 */
#include <asm/irqflags.h>
#include <mk64/preempt.h>
#include <mk64/smp.h>
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

/*
 * What the CPUs' own slabs hold, added up by each CPU in a cross-call:
 * only a CPU may follow its partial list and lockless lists, which it
 * changes with no lock (the rule of mk64/slub_def.h).
 */
struct cpu_slab_count {
	struct kmem_cache *s;		/* the cache counted in use; NULL for empty pages */
	long in_use;
	unsigned long empty_pages;
};

/* Whether cpu holds slabs of the counted cache; read from another CPU, a hint. */
static bool cpu_holds_slabs(int cpu, void *info)
{
	return has_cpu_slab(cpu, ((struct cpu_slab_count *)info)->s);
}

/* Whether cpu has partial slabs of any cache; slab_lock held by the caller. */
static bool cpu_holds_partial(int cpu, void *info)
{
	struct kmem_cache *s;

	(void)info;
	for_each_slab_cache(s)
		if (READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->partial))
			return true;
	return false;
}

/*
 * The running CPU's objects of s in use (its active slab's, less its
 * array's, and its partial slabs'): on that CPU, interrupts masked.
 */
static void count_cpu_in_use(void *info)
{
	struct cpu_slab_count *count = info;
	const struct kmem_cache *s = count->s;
	const struct kmem_cache_cpu *c = this_cpu_slab(count->s);
	long in_use = 0;

	if (c->page && !c->page->dropped)
		in_use += frozen_in_use(s, c->page, c->freelist) - c->avail;
	for (struct page *page = c->partial; page; page = page->next)
		if (!page->dropped)
			in_use += frozen_in_use(s, page, page->cpu_freelist);
	__atomic_fetch_add(&count->in_use, in_use, __ATOMIC_RELAXED);
}

/*
 * The pages of the running CPU's empty partial slabs, of every cache
 * (slab_lock held by the caller): on that CPU, interrupts masked.
 */
static void count_cpu_empty(void *info)
{
	struct cpu_slab_count *count = info;
	unsigned long pages = 0;
	struct kmem_cache *s;

	for_each_slab_cache(s)
		for (struct page *page = this_cpu_slab(s)->partial; page; page = page->next)
			if (!page->dropped && !frozen_in_use(s, page, page->cpu_freelist))
				pages += 1UL << s->order;
	__atomic_fetch_add(&count->empty_pages, pages, __ATOMIC_RELAXED);
}

/*
 * Runs fn on each CPU cond picks, through a cross-call that waits; a CPU
 * that does not answer is reported by the call and left out. Where no
 * wait is allowed (interrupts masked, interrupt context: the CPUs called
 * might be waiting for this one), on the running CPU only.
 */
static void count_on_cpus(smp_cond_func_t cond, smp_call_func_t fn, struct cpu_slab_count *count)
{
	unsigned long flags;

	if (!irqs_disabled() && !in_interrupt()) {
		on_each_cpu_cond(cond, fn, count, true);
		return;
	}
	local_irq_save(flags);
	fn(count);
	local_irq_restore(flags);
}

unsigned long slab_empty_pages(void)
{
	struct cpu_slab_count count = { 0 };
	struct kmem_cache_node *n;
	unsigned long flags;
	struct kmem_cache *s;
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
					count.empty_pages += 1UL << s->order;
			spin_unlock_irqrestore(&n->list_lock, flags);
		}
	}
	/* Empty slabs on the CPUs' partial lists: slab_shrink_empty() flushes them. */
	count_on_cpus(cpu_holds_partial, count_cpu_empty, &count);
	spin_unlock(&slab_lock);
	return count.empty_pages;
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
 * hold, and the active slabs' objects in the CPUs' arrays, each CPU
 * counting its own (count_on_cpus()). A slab whose free list was
 * dropped is left out: its lost objects would never come back. So are
 * the objects a debug check isolated (mm/slub_debug.c): no one holds
 * them, and they are never handed out again.
 */
long slab_objects_in_use(const struct kmem_cache *s)
{
	struct cpu_slab_count count = { .s = (struct kmem_cache *)s };
	struct kmem_cache_node *n;
	int nid;

	for_each_kmem_cache_node(s, nid, n) {
		struct list_head *lists[] = { &n->partial, &n->full };
		unsigned long flags;
		struct page *page;

		spin_lock_irqsave(&n->list_lock, flags);
		for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
			list_for_each_entry(page, lists[i], slab_list)
				if (!page->dropped)
					count.in_use += page->inuse - page->isolated;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	count_on_cpus(cpu_holds_slabs, count_cpu_in_use, &count);
	return count.in_use;
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
