/*
 * SLUB's free-list helpers off the fast paths: the reports of a
 * corrupted list or a double free, the walk that checks a whole list,
 * and the random order of a new slab's list (CONFIG_SLAB_FREELIST_RANDOM).
 */
#include <mk64/printk.h>
#include <mk64/percpu.h>
#include "slub.h"

/* Per-CPU xorshift state for the free-list order; touched with interrupts masked. */
static DEFINE_PER_CPU(u64, slab_rng);

static inline u64 xorshift64(u64 x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* A number in [0, n) from x: the high half of a 32x32 product, as Linux's reciprocal_scale(). */
static inline unsigned long scale_below(u64 x, unsigned long n)
{
	return (x >> 32) * n >> 32;
}

u64 slab_random(void)
{
	u64 x = xorshift64(raw_cpu_read(slab_rng));

	raw_cpu_write(slab_rng, x);
	return x;
}

void slab_random_seed(u64 seed)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(slab_rng, cpu) = (seed ^ (0x9e3779b97f4a7c15ULL * (cpu + 1))) | 1;
}

__cold void freelist_corrupted(const struct kmem_cache *s, const void *object, const void *bad)
{
	if (object)
		pr_err("slub: %s: free list corrupted: free object %#lx points to %#lx, not an object of its slab; the rest of the list is dropped\n",
		       s->name, (unsigned long)object, (unsigned long)bad);
	else
		pr_err("slub: %s: free list corrupted: it starts at %#lx, not an object of the CPU's slab; the list is dropped\n",
		       s->name, (unsigned long)bad);
}

__cold void double_free(const struct kmem_cache *s, const void *object)
{
	pr_err("slub: %s: double free of object %#lx (already free); free ignored\n",
	       s->name, (unsigned long)object);
}

/*
 * Counts the free list at *head of the slab at base and returns its last
 * object (NULL for an empty list). A pointer that is not an object of the
 * slab (the head included) ends the list before it, reported; a list
 * longer than the slab (a loop) ends at the slab's size. *dropped tells
 * whether a part was cut off so.
 */
void *walk_freelist(const struct kmem_cache *s, unsigned long base, void **head,
		    unsigned int *count, bool *dropped)
{
	void *tail = NULL;

	*count = 0;
	*dropped = false;
	for (void *p = *head; p; p = get_freepointer(s, p)) {
		if (!object_in_slab(s, base, p) || *count == s->objects) {
			freelist_corrupted(s, tail, p);
			*dropped = true;
			if (tail)
				set_freepointer(s, tail, NULL);
			else
				*head = NULL;
			break;
		}
		tail = p;
		++*count;
	}
	return tail;
}

/*
 * Threads a new slab's free list in a random order and returns its head.
 * One pass builds a random cycle through every object, each object's
 * pointer slot holding its successor's offset meanwhile: object i goes in
 * after a random one of the i before it (Sattolo's shuffle, inside out,
 * which makes every cycle equally likely); a second pass links the cycle,
 * cut before a random first object. The generator runs in registers, this
 * CPU's state stored back once. Interrupts masked (the per-CPU state).
 */
void *shuffle_freelist(struct kmem_cache *s, unsigned long base)
{
	const unsigned long size = s->size, offset = s->offset;
	unsigned int n = s->objects;
	unsigned long start, cur;
	u64 x = raw_cpu_read(slab_rng);
#define SLOT(off) (*(unsigned long *)(base + (off) + offset))

	SLOT(0) = 0;
	for (unsigned long i = 1, off = size; i < n; i++, off += size) {
		unsigned long j;

		x = xorshift64(x);
		j = scale_below(x, i) * size;
		SLOT(off) = SLOT(j);
		SLOT(j) = off;
	}
	x = xorshift64(x);
	start = scale_below(x, n) * size;
	raw_cpu_write(slab_rng, x);
	cur = start;
	for (unsigned int k = 0; k < n; k++) {
		unsigned long next = SLOT(cur);

		set_freepointer(s, (void *)(base + cur), next == start ? NULL : (void *)(base + next));
		cur = next;
	}
#undef SLOT
	return (void *)(base + start);
}
