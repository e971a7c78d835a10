/*
 * The host's stand-in for arm64's <asm/slub_fast.h>: the same three fast
 * paths in C. The host runs one context with no interrupts, so nothing
 * can come between their reads and the commit. Included by mm/slub.h
 * after the free-pointer encoding and the object-start test it uses.
 */
#ifndef ASM_SLUB_FAST_H
#define ASM_SLUB_FAST_H

static inline bool slab_pop_fast(struct kmem_cache_cpu *c, unsigned long span,
				 unsigned long magic, unsigned long random, unsigned long offset,
				 void **objectp)
{
	unsigned long object = (unsigned long)c->freelist, fp_addr = object + offset;

	if (!offset_is_object(object - c->base, span, magic))
		return false;
	c->freelist = (void *)freelist_ptr(random, *(unsigned long *)fp_addr, fp_addr);
	*objectp = (void *)object;
	return true;
}

static inline bool slab_push_fast(struct kmem_cache_cpu *c, unsigned long span,
				  unsigned long random, unsigned long offset, void *object)
{
	unsigned long head = (unsigned long)c->freelist, fp_addr = (unsigned long)object + offset;

	if ((unsigned long)object - c->free_base >= span || (unsigned long)object == head)
		return false;
	*(unsigned long *)fp_addr = freelist_ptr(random, head, fp_addr);
	c->freelist = object;
	return true;
}

static inline bool kfree_fast(struct pcpu_hot *hot, const void *p)
{
	struct kmem_cache *s = hot->kfree_cache;

	if (!object_in_slab(s, hot->kfree_cpu_slab->free_base, p))
		return false;
	return slab_push_fast(hot->kfree_cpu_slab, s->span, s->random, s->offset, (void *)p);
}

#endif
