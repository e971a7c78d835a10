/*
 * SLUB's bulk API: many objects through the per-CPU array and list with
 * interrupts masked once, the slow paths of mm/slub.c when they run out.
 *
 * The array (struct kmem_cache_cpu's entry[]) holds objects of the CPU's
 * active slab that kmem_cache_free_bulk() took, as plain pointers: no
 * free pointer is written into them, none read back, so neither side
 * pays for the hardened encoding. What the list's checks give is kept:
 * each pointer is tested on its way in to be an object start of the
 * active slab (the list tests it on its way out), and one equal to the
 * last object this CPU freed into that slab (the array's top, or the
 * list's head when the array is empty) is reported as a double free and
 * ignored, as a free of the list's head is. Anything else (another
 * slab's object, a debug cache's, init_on_free) takes the paths it took
 * before.
 */
#include <mk64/string.h>
#include "slub.h"


/*
 * Moves the top n objects of c's array into p (n no more than it holds).
 * Interrupts masked.
 */
static __always_inline void take_array(struct kmem_cache *s, struct kmem_cache_cpu *c, size_t n,
				       void **p)
{
	unsigned int avail = c->avail - (unsigned int)n;
	void **from = c->entry + avail, **end = p + (n & ~3UL);

	/* Four at a time: two LDPs and two STPs. */
	while (p < end) {
		void *a = from[0], *b = from[1], *d = from[2], *e = from[3];

		p[0] = a;
		p[1] = b;
		p[2] = d;
		p[3] = e;
		p += 4;
		from += 4;
	}
	for (size_t i = 0; i < (n & 3); i++)
		p[i] = from[i];
	c->avail = avail;
	if (!avail)
		c->free_base = slab_free_lockless(s) ? c->base : SLAB_NO_BASE;
}

/*
 * __GFP_ZERO or init_on_alloc; returns size. A tail call off the fast
 * path, which then needs no stack frame.
 */
static __noinline int zero_objects(struct kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++)
		memset(p[i], 0, s->object_size);
	return (int)size;
}

/*
 * kmem_cache_alloc_bulk() when the array holds fewer than size objects:
 * those, then the list's, then the slow path's, one at a time. Interrupts
 * masked (flags: as the caller had them), given back. The list and the
 * cache's fields stay in registers: the stores into p[] could alias them
 * otherwise. addr: the caller, for a debug cache's track.
 */
static __noinline int alloc_bulk_list(unsigned long flags, struct kmem_cache *s, gfp_t gfp,
				      size_t size, void **p, unsigned long addr)
{
	const unsigned long span = s->span, magic = s->div_magic, random = s->random;
	const unsigned long offset = s->offset;
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	size_t i = c->avail;

	take_array(s, c, i, p);
	for (;;) {
		unsigned long base;
		void *object;

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
		object = slab_alloc_slow(s, gfp & ~__GFP_ZERO, NUMA_NO_NODE, addr, flags);
		if (!object) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
		p[i++] = object;
		if (i == size)
			break;
		local_irq_save(flags);
		c = this_cpu_slab(s);
		/*
		 * The slow path moved the array onto the list; what an
		 * interrupt put there since stays for a later call.
		 */
	}
	if (unlikely(gfp & s->zero_gfp))
		return zero_objects(s, size, p);
	return (int)size;
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	local_irq_save(flags);
	c = this_cpu_slab(s);
	if (unlikely(c->avail < size))
		return alloc_bulk_list(flags, s, gfp, size, p, _RET_IP_);
	take_array(s, c, size, p);
	local_irq_restore(flags);
	if (unlikely(gfp & s->zero_gfp))
		return zero_objects(s, size, p);
	return (int)size;
}

/*
 * Frees p[0] and the objects right after it in the same slab, when that
 * is not the CPU's active one, as one list: linked here, spliced once
 * (Linux's build_detached_freelist()), onto the slab's cpu_freelist when
 * it is on this CPU's partial list, else under the node's lock. Anything
 * else goes alone through __slab_free_other(). Returns how many objects
 * it took. Interrupts masked. addr: the caller, for a debug cache's track.
 */
static size_t free_detached(struct kmem_cache *s, struct kmem_cache_cpu *c, void **p, size_t size,
			    unsigned long addr)
{
	void *head = p[0], *tail = p[0];
	unsigned int cnt = 1;
	struct page *page;
	unsigned long base;

	/* A debug cache's every free comes here (its per-CPU slab is never set). */
	if (unlikely(kmem_cache_debug(s))) {
		debug_free_masked(s, head, addr);
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

/*
 * Puts p[0] and the objects right after it into c's array while they are
 * object starts of the active slab (not with init_on_free: those are
 * zeroed one at a time on the slow path) and there is room, none equal
 * to the last one freed; returns how many it took. With pairs_only, only
 * as far as span_mask's test of pairs takes it (the whole of the common
 * case, kept small enough to need no stack frame). Interrupts masked.
 */
static __always_inline size_t fill_array(struct kmem_cache *s, struct kmem_cache_cpu *c,
					 size_t size, void **p, bool pairs_only)
{
	const unsigned long span = s->span, magic = s->div_magic;
	unsigned int avail = c->avail;
	/* Objects in the array mean frees may be lockless; free_base says so otherwise. */
	const unsigned long base = avail ? c->base : c->free_base;
	size_t room = SLUB_CPU_ARRAY - avail, i;
	void **to = c->entry + avail;
	void *last = avail ? to[-1] : c->freelist;

	if (room > size)
		room = size;
	i = 0;
	if (s->span_mask) {
		/*
		 * In pairs, their offsets OR-ed and tested once at the end
		 * (the stores above avail mean nothing until it moves): any
		 * offset that is no object start leaves a bit of span_mask
		 * set, and the loop below then stops at it.
		 */
		void **q = p, **end = p + (room & ~1UL), **t = to;
		unsigned long offsets = 0;
		void *prev = last;

		while (q < end) {
			void *a = q[0], *b = q[1];

			offsets |= ((unsigned long)a - base) | ((unsigned long)b - base);
			if (unlikely(a == prev || b == a))
				break;
			t[0] = a;
			t[1] = b;
			prev = b;
			q += 2;
			t += 2;
		}
		if (!(offsets & s->span_mask)) {
			i = (size_t)(q - p);
			last = prev;
		}
	}
	for (; !pairs_only && i < room; i++) {
		void *object = p[i];
		unsigned long off = (unsigned long)object - base;

		if (unlikely(off >= span || off * magic >= magic || object == last))
			break;
		to[i] = object;
		last = object;
	}
	if (i) {
		c->avail = avail + (unsigned int)i;
		c->free_base = SLAB_NO_BASE;
	}
	return i;
}

/*
 * kmem_cache_free_bulk() after the pairs span_mask let into the array:
 * objects of the active slab one at a time (when the array is full, it
 * moves onto the list and takes more), anything else through
 * free_detached(). Interrupts masked (flags: as the caller had
 * them), given back. addr: the caller, for a debug cache's track.
 */
static __noinline void free_bulk_other(unsigned long flags, struct kmem_cache *s, size_t size,
				       void **p, unsigned long addr)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	size_t i = 0;

	for (;;) {
		i += fill_array(s, c, size - i, p + i, false);
		if (i == size)
			break;
		if (c->avail == SLUB_CPU_ARRAY)
			drain_cpu_array(s, c);
		else
			i += free_detached(s, c, p + i, size - i, addr);
	}
	local_irq_restore(flags);
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	unsigned long flags;
	size_t done;

	local_irq_save(flags);
	done = fill_array(s, this_cpu_slab(s), size, p, true);
	if (unlikely(done < size))
		return free_bulk_other(flags, s, size - done, p + done, _RET_IP_);
	local_irq_restore(flags);
}
