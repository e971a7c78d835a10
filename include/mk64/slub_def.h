/*
 * SLUB's data structures (as Linux's <linux/slub_def.h>): a cache, its
 * per-CPU active slabs and its per-node lists. mm/slub.c.
 *
 * A slab is a buddy block of 2^order pages (compound when order > 0)
 * whose head struct page carries PG_slab and the slab fields of
 * mk64/mm_types.h: slab_cache, freelist (objects freed while the slab is
 * not this CPU's), inuse (objects not on that list), objects, frozen (it
 * is some CPU's active slab). Objects lie at size-byte steps from the
 * first page's start; a free object holds the next free one's address at
 * offset, obfuscated (mm/slub.c).
 *
 * Each node online when a cache is made gets its struct kmem_cache_node,
 * allocated on that node (as Linux's), freed with the cache; the two boot
 * caches (kmem_cache, kmem_cache_node) have static ones for every
 * possible node.
 *
 * A slab is in one of four states:
 *   frozen: a CPU's active slab, on no list; only that CPU takes objects
 *     from it (its lockless freelist); frees from elsewhere go to
 *     page->freelist under the node's list_lock. Or on a CPU's partial
 *     list (Linux's cpu partial; cpu_partial set, cpu its CPU): a full
 *     slab goes there on the first free into it by that CPU; that CPU's
 *     further frees go onto page->cpu_freelist with no lock, the others'
 *     onto page->freelist under the lock. inuse counts neither the CPU's
 *     lockless list (with its array, entry[]) nor cpu_freelist (they are
 *     subtracted when the slab is unfrozen, or counted by
 *     slab_objects_in_use()).
 *   partial: some objects free, on its node's partial list.
 *   full: no object free, on its node's full list.
 *   empty: kept on the partial list while the node has fewer than
 *     min_partial partial slabs, else given back to the buddy allocator.
 * page->freelist and counters (inuse, frozen, cpu_partial, ...), and a
 * node's lists and counts, are protected by that node's list_lock; a
 * CPU's kmem_cache_cpu and the cpu_freelist and next of the slabs on its
 * partial list by masking interrupts on that CPU (the fast paths' pop and
 * push of the lockless list: by restarting when interrupted, mm/slub.c),
 * and only that CPU touches them. The rule for SMP: another CPU's
 * per-CPU state is flushed by that CPU, in a cross-call (flush_all(), as
 * Linux's with on_each_cpu_cond()), an interrupt like any other for those
 * sections, and counted by that CPU in the same way
 * (slab_objects_in_use(), slab_empty_pages()).
 */
#ifndef MK64_SLUB_DEF_H
#define MK64_SLUB_DEF_H

#include <mk64/list.h>
#include <mk64/mm_types.h>
#include <mk64/percpu.h>
#include <mk64/slab.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>

/* Separates the per-CPU structures: the Cortex-A53's and A72's line. */
#define SLAB_CPU_ALIGN 64
/* Objects a CPU's array holds (struct kmem_cache_cpu's entry[]). */
#define SLUB_CPU_ARRAY 16

/*
 * A CPU's slabs of a cache, with no counter of objects in use: those are
 * counted from the slabs when asked (slab_objects_in_use()), not on every
 * allocation and free.
 */
struct kmem_cache_cpu {
	/*
	 * In this order for the fast paths' LDPs: allocation reads base and
	 * freelist as one, a free freelist and free_base.
	 */
	/* page's first object, SLAB_NO_BASE without one */
	unsigned long base;
	void *freelist;		/* next free object of page (encoded links) */
	/* base for the free fast path, or SLAB_NO_BASE to send frees to the slow one */
	unsigned long free_base;
	struct page *page;	/* the active slab, or NULL */
	struct page *partial;	/* frozen slabs this CPU frees into without a lock */
	/*
	 * partial's first object, for frees into that slab without a struct
	 * page lookup; SLAB_NO_BASE without one, and when frees of the cache
	 * must take the slow path (init_on_free: mm/slub.h)
	 */
	unsigned long partial_base;
	unsigned int nr_partial;	/* slabs on partial */
	/*
	 * Free objects of page that kmem_cache_free_bulk() put here with no
	 * free pointer written (as Linux's SLAB array_cache): entry[0] to
	 * entry[avail - 1], the last the last freed. kmem_cache_alloc_bulk()
	 * takes them first; every other path first moves them onto freelist
	 * (mm/slub.c's drain_cpu_array()), and free_base is SLAB_NO_BASE
	 * while there are any so that single frees take that path.
	 */
	unsigned int avail;
	void *entry[SLUB_CPU_ARRAY];
} __aligned(SLAB_CPU_ALIGN);

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned int nr_partial;	/* slabs on partial, empty ones included */
	struct list_head partial;
	struct list_head full;		/* slabs with no free object */
	unsigned long nr_slabs;		/* slabs of the cache on this node */
};

struct kmem_cache {
	/*
	 * The fast paths' fields first, in this order for their LDPs
	 * (mm/slub.h, mm/slub.c): cpu_slab with span, then div_magic with
	 * random and offset with zero_gfp on allocation; span with div_magic
	 * and random with offset elsewhere.
	 */
	struct kmem_cache_cpu __percpu *cpu_slab;	/* alloc_percpu() */
	unsigned long span;		/* objects * size: bytes of a slab that hold objects */
	unsigned long div_magic;	/* ceil(2^64 / size): object starts without a division */
	unsigned long random;		/* the free pointers' secret */
	unsigned long offset;		/* of the free pointer in a free object */
	/* allocations with these gfp_t flags zero the object; a long, for the LDP */
	unsigned long zero_gfp;
	/*
	 * When the object step and span are powers of two, the bits no
	 * offset of an object start from the first object has set; else 0.
	 * Lets kmem_cache_free_bulk() test many objects with one AND.
	 */
	unsigned long span_mask;
	unsigned int object_size;	/* what the user asked for */
	unsigned int size;		/* object step in a slab */
	/* debug caches: the object and its right red zone end here (Linux's s->inuse) */
	unsigned int inuse;
	/* debug caches: the left red zone before each object, the first object's offset */
	unsigned int red_left_pad;
	unsigned int objects;		/* per slab */
	unsigned int align;
	bool init_on_free;
	unsigned int order;		/* of a slab's block */
	unsigned int min_partial;	/* partial slabs a node keeps, even empty */
	unsigned int cpu_partial_slabs;	/* most slabs on a CPU's partial list */
	slab_flags_t flags;
	gfp_t allocflags;		/* zone flags of the slab pages */
	void (*ctor)(void *);
	const char *name;
	struct list_head list;		/* in slab_caches */
	/*
	 * One for each node online when the cache was made (allocated from
	 * the kmem_cache_node cache on that node), NULL for the others.
	 */
	struct kmem_cache_node *node[MAX_NUMNODES];
};

/* Every cache, under slab_lock (Linux's slab_caches and slab_mutex). */
extern struct list_head slab_caches;
extern spinlock_t slab_lock;

/*
 * Each cache of slab_caches in s, slab_lock held. Not list_for_each_entry():
 * its last step forms a struct kmem_cache pointer from the list head, not
 * aligned as the type must be.
 */
#define for_each_slab_cache(s)                                                  \
	for (struct list_head *pos_ = slab_caches.next;                         \
	     pos_ != &slab_caches && ((s) = list_entry(pos_, struct kmem_cache, list)); \
	     pos_ = pos_->next)

/*
 * Objects of s handed out and not given back, over every CPU: exact when
 * no CPU is allocating from s at the same time. Each CPU counts its own
 * slabs in a cross-call that waits (a CPU that does not answer is
 * reported and left out); with interrupts masked or in interrupt context,
 * where it may not wait, only the running CPU's are counted. Never sleeps.
 */
long slab_objects_in_use(const struct kmem_cache *s);

/*
 * The debug flags (SLAB_DEBUG_FLAGS) slub_debug=option gives the cache
 * name, Linux's rules: blocks separated by ';', each letters (F Z P U T;
 * '-' clears the block's) then optionally ',' and cache names ("prefix*"
 * matching by prefix); the first block listing the cache gives its flags,
 * else the last block without a list, else none. An empty option (bare
 * slub_debug) and a block of no letters give F Z P U. Unknown letters are
 * ignored (reported once at boot).
 */
slab_flags_t slub_debug_flags(const char *option, const char *name);

/* Pages in s's slabs, of every node. */
unsigned long slab_pages(const struct kmem_cache *s);

/*
 * Prints /proc/slabinfo (format 2.1) at KERN_INFO: the header, then each
 * cache whose name begins with prefix (every cache for NULL), newest
 * first. Takes slab_lock: not from a slab callback; does not sleep.
 */
void print_slabinfo(const char *prefix);

/*
 * Gives empty slabs of every cache back to the buddy allocator, at most
 * nr_pages pages' worth (the per-CPU slabs included); returns the pages
 * freed. For the shrinker (mm/slub_shrink.c).
 */
unsigned long slab_shrink_empty(unsigned long nr_pages);


/*
 * Pages slab_shrink_empty() could free now; the CPUs' partial slabs
 * counted as in slab_objects_in_use(). Takes slab_lock.
 */
unsigned long slab_empty_pages(void);

/* Registers SLUB's shrinker with direct reclaim (mm/slub_shrink.c, kernel only). */
void slab_shrinker_init(void);

#endif
