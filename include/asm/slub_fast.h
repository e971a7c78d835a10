/*
 * SLUB's per-CPU fast paths as restartable sections (asm/restart.h): the
 * reads of this CPU's lockless list and the one store that commits, with
 * interrupts left as they are. An interrupt handler that allocates or
 * frees on this CPU meanwhile (GFP_ATOMIC from the tick) sends the
 * section back to its first instruction, which reads the list afresh.
 * Each returns false, having changed nothing, when the slow path must run
 * (with interrupts masked: it reads everything again).
 *
 * The free list encoding and the object-start test are mm/slub.h's:
 * a free pointer is stored as ptr ^ random ^ swab(its address), and off
 * is an object start when off < span and off * magic < magic.
 * (No MUL directly after a load: Cortex-A53 erratum 835769.)
 */
#ifndef ASM_SLUB_FAST_H
#define ASM_SLUB_FAST_H

#include <asm/restart.h>
#include <mk64/percpu.h>
#include <mk64/slub_def.h>

_Static_assert(__builtin_offsetof(struct kmem_cache_cpu, base) == 0, "slab_pop_fast");
_Static_assert(__builtin_offsetof(struct kmem_cache_cpu, freelist) == 8, "the sections");
_Static_assert(__builtin_offsetof(struct kmem_cache_cpu, free_base) == 16, "the sections");
_Static_assert(__builtin_offsetof(struct kmem_cache, span) == 8, "kfree_fast");
_Static_assert(__builtin_offsetof(struct kmem_cache, div_magic) == 16, "kfree_fast");
_Static_assert(__builtin_offsetof(struct kmem_cache, random) == 24, "kfree_fast");
_Static_assert(__builtin_offsetof(struct kmem_cache, offset) == 32, "kfree_fast");
_Static_assert(__builtin_offsetof(struct pcpu_hot, kfree_cache) == 8, "kfree_fast");
_Static_assert(__builtin_offsetof(struct pcpu_hot, kfree_cpu_slab) == 16, "kfree_fast");

/*
 * Takes the head of c's lockless list into *objectp when it is an object
 * start of c's slab (span, magic: the cache's); c's list then starts at
 * the head's decoded free pointer (random, offset: the cache's).
 */
static __always_inline bool slab_pop_fast(struct kmem_cache_cpu *c, unsigned long span,
					  unsigned long magic, unsigned long random,
					  unsigned long offset, void **objectp)
{
	unsigned long base, object, t1, t2;

	__asm__ volatile goto(RESTART_SECTION_START
		     "	ldp	%[base], %[obj], [%[c]]\n"
		     "	sub	%[t1], %[obj], %[base]\n"
		     "	mul	%[t2], %[t1], %[magic]\n"
		     "	cmp	%[magic], %[t2]\n"
		     "	ccmp	%[span], %[t1], #0, hi\n"
		     "	b.ls	%l[slow]\n"
		     "	ldr	%[t1], [%[obj], %[offset]]\n"
		     "	add	%[t2], %[obj], %[offset]\n"
		     "	rev	%[t2], %[t2]\n"
		     "	eor	%[t2], %[t2], %[random]\n"
		     "	eor	%[t1], %[t1], %[t2]\n"
		     "	str	%[t1], [%[c], #8]\n"
		     RESTART_SECTION_END
		     : [base] "=&r"(base), [obj] "=&r"(object), [t1] "=&r"(t1), [t2] "=&r"(t2)
		     : [c] "r"(c), [span] "r"(span), [magic] "r"(magic), [random] "r"(random),
		       [offset] "r"(offset)
		     : "cc", "memory"
		     : slow);
	*objectp = (void *)object;
	return true;
slow:
	return false;
}

/*
 * Pushes object onto c's lockless list when it lies within span of c's
 * free_base (the active slab's first object, or SLAB_NO_BASE) and is not
 * the list's head already (a double free); random, offset: the cache's.
 */
static __always_inline bool slab_push_fast(struct kmem_cache_cpu *c, unsigned long span,
					   unsigned long random, unsigned long offset,
					   void *object)
{
	unsigned long head, t1, t2;

	__asm__ volatile goto(RESTART_SECTION_START
		     "	ldp	%[head], %[t1], [%[c], #8]\n"
		     "	sub	%[t1], %[obj], %[t1]\n"
		     "	cmp	%[t1], %[span]\n"
		     "	ccmp	%[obj], %[head], #4, lo\n"
		     "	b.eq	%l[slow]\n"
		     "	add	%[t2], %[obj], %[offset]\n"
		     "	rev	%[t2], %[t2]\n"
		     "	eor	%[t2], %[t2], %[random]\n"
		     "	eor	%[t2], %[t2], %[head]\n"
		     "	str	%[t2], [%[obj], %[offset]]\n"
		     "	str	%[obj], [%[c], #8]\n"
		     RESTART_SECTION_END
		     : [head] "=&r"(head), [t1] "=&r"(t1), [t2] "=&r"(t2)
		     : [c] "r"(c), [span] "r"(span), [random] "r"(random), [offset] "r"(offset),
		       [obj] "r"(object)
		     : "cc", "memory"
		     : slow);
	return true;
slow:
	return false;
}

/*
 * kfree()'s: pushes p onto the lockless list of this CPU's slabs of the
 * cache it tried last (hot's kfree pair, read inside the section) when p
 * is an object start of that active slab and not the list's head.
 */
static __always_inline bool kfree_fast(struct pcpu_hot *hot, const void *p)
{
	unsigned long s, c, head, t1, t2, t3;

	__asm__ volatile goto(RESTART_SECTION_START
		     "	ldp	%[s], %[c], [%[hot], #8]\n"
		     "	ldp	%[head], %[t1], [%[c], #8]\n"
		     "	ldp	%[t2], %[t3], [%[s], #8]\n"
		     "	sub	%[t1], %[p], %[t1]\n"
		     "	cmp	%[p], %[head]\n"
		     "	ccmp	%[t2], %[t1], #0, ne\n"
		     "	mul	%[t2], %[t3], %[t1]\n"
		     "	ccmp	%[t3], %[t2], #0, hi\n"
		     "	b.ls	%l[slow]\n"
		     "	ldp	%[t2], %[t3], [%[s], #24]\n"
		     "	add	%[t1], %[p], %[t3]\n"
		     "	rev	%[t1], %[t1]\n"
		     "	eor	%[t1], %[t1], %[t2]\n"
		     "	eor	%[t1], %[t1], %[head]\n"
		     "	str	%[t1], [%[p], %[t3]]\n"
		     "	str	%[p], [%[c], #8]\n"
		     RESTART_SECTION_END
		     : [s] "=&r"(s), [c] "=&r"(c), [head] "=&r"(head), [t1] "=&r"(t1),
		       [t2] "=&r"(t2), [t3] "=&r"(t3)
		     : [hot] "r"(hot), [p] "r"(p)
		     : "cc", "memory"
		     : slow);
	return true;
slow:
	return false;
}

#endif
