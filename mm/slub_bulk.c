/*
 * SLUB's bulk API: many objects through the per-CPU list with interrupts
 * masked once, the slow paths of mm/slub.c when it runs out.
 */
#include <mk64/string.h>
#include "slub.h"


/*
 * The bulk paths keep the list and the cache's fields in registers: the
 * stores into p[] could alias them otherwise.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p)
{
	const unsigned long span = s->span, magic = s->div_magic, random = s->random;
	const unsigned long offset = s->offset;
	struct kmem_cache_cpu *c;
	unsigned long flags;
	size_t i = 0;

	while (i < size) {
		unsigned long base;
		void *object;

		local_irq_save(flags);
		c = this_cpu_slab(s);
		object = c->freelist;
		base = c->base;
		for (; i < size; i++) {
			unsigned long addr = (unsigned long)object + offset;

			/* NULL fails the test too (slab_alloc_node()). */
			if (unlikely(!offset_is_object((unsigned long)object - base, span, magic)))
				break;
			p[i] = object;
			object = (void *)freelist_ptr(random, *(unsigned long *)addr, addr);
		}
		c->freelist = object;
		if (i == size) {
			local_irq_restore(flags);
			break;
		}
		object = slab_alloc_slow(flags, s, gfp & ~__GFP_ZERO, NUMA_NO_NODE);
		if (!object) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
		p[i++] = object;
	}
	if (unlikely(gfp & s->zero_gfp))
		for (i = 0; i < size; i++)
			memset(p[i], 0, s->object_size);
	return (int)size;
}

/*
 * Frees p[0] and the objects right after it in the same slab, when that
 * is not the CPU's active one, as one list: linked here, spliced once
 * (Linux's build_detached_freelist()), onto the slab's cpu_freelist when
 * it is on this CPU's partial list, else under the node's lock. Anything
 * else goes alone through __slab_free_other(). Returns how many objects
 * it took. Interrupts masked.
 */
static size_t free_detached(struct kmem_cache *s, struct kmem_cache_cpu *c, void **p, size_t size)
{
	void *head = p[0], *tail = p[0];
	unsigned int cnt = 1;
	struct page *page;
	unsigned long base;

	/* A debug cache's every free comes here (its per-CPU slab is never set). */
	if (unlikely(kmem_cache_debug(s))) {
		debug_free_masked(s, head);
		return 1;
	}
	/* init_on_free zeroes each object after its check: one at a time. */
	page = head && !s->init_on_free ? object_slab(s, head) : NULL;
	if (!page || page == c->page) {
		__slab_free_other(s, head);
		return 1;
	}
	base = slab_base(page);
	while (cnt < size && p[cnt] != head && object_in_slab(s, base, p[cnt])) {
		set_freepointer(s, p[cnt], head);
		head = p[cnt++];
	}
	if (!on_this_cpu_partial(page))
		slab_free_locked(s, c, page, head, tail, cnt);
	else if (head == page->cpu_freelist || tail == page->cpu_freelist)
		double_free(s, tail);
	else
		cpu_partial_push(s, page, head, tail);
	return cnt;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	const unsigned long span = s->span, random = s->random;
	const unsigned long offset = s->offset;
	struct kmem_cache_cpu *c;
	unsigned long flags, base;
	void *head;
	size_t i = 0;

	local_irq_save(flags);
	c = this_cpu_slab(s);
	while (i < size) {
		void **next = p + i, **end = p + size;

		head = c->freelist;
		base = c->free_base;
		while (next < end) {
			void *object = *next;
			unsigned long addr = (unsigned long)object + offset;

			if (unlikely(((unsigned long)object - base >= span) | (object == head)))
				break;
			*(unsigned long *)addr = freelist_ptr(random, (unsigned long)head, addr);
			head = object;
			next++;
		}
		c->freelist = head;
		i = (size_t)(next - p);
		if (i < size)
			i += free_detached(s, c, next, size - i);
	}
	local_irq_restore(flags);
}
