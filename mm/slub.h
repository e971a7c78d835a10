/*
 * SLUB's internals shared by its files (mm/slub*.c): the free pointer
 * encoding and the object-start test the fast paths inline, and the
 * functions one file calls in another.
 *
 *   mm/slub.c           allocation and free: fast paths, slow paths, slabs
 *   mm/slub_freelist.c  free-list hardening reports, walks, randomised order
 *   mm/slub_bulk.c      kmem_cache_alloc_bulk()/kmem_cache_free_bulk()
 *   mm/slub_flush.c     flushing per-CPU slabs, shrinking, counting
 *   mm/slub_cache.c     cache creation (layout, order), destruction, init
 *   mm/slub_debug.c     debug caches: slub_debug=, red zones, poison, tracks, reports
 */
#ifndef MK64_MM_SLUB_H
#define MK64_MM_SLUB_H

#include <asm/load_pair.h>
#include <mk64/mmzone.h>
#include <mk64/slub_def.h>

/* The caller of the function this is in (Linux's). */
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

/* A non-canonical address: no object pointer is ever this far from it. */
#define SLAB_NO_BASE (1UL << 63)
/* objects is a 15-bit field of struct page. */
#define MAX_OBJS_PER_PAGE 32767

/*
 * Where and when a debug cache's object was last allocated or freed
 * (SLAB_STORE_USER): two of these follow the object's metadata.
 */
struct track {
	unsigned long addr;	/* the caller */
	u64 when;		/* arch_clock_ns() */
	unsigned int cpu;
	int pid;
};

/* Whether s is a debug cache: every allocation and free on mm/slub_debug.c's path. */
static __always_inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

static __always_inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	return this_cpu_ptr(s->cpu_slab);
}

/* ---- free pointers ---------------------------------------------------------- */

/* How ptr is stored at ptr_addr, and back: the cache's secret and the place mixed in. */
static __always_inline unsigned long freelist_ptr(unsigned long random, unsigned long ptr,
						  unsigned long ptr_addr)
{
	return ptr ^ random ^ __builtin_bswap64(ptr_addr);
}

static __always_inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long random, offset, addr;

	load_pair(&s->random, &random, &offset);
	addr = (unsigned long)object + offset;
	return (void *)freelist_ptr(random, *(unsigned long *)addr, addr);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long random, offset, addr;

	load_pair(&s->random, &random, &offset);
	addr = (unsigned long)object + offset;
	*(unsigned long *)addr = freelist_ptr(random, (unsigned long)fp, addr);
}

/*
 * Whether off from a slab's first object is an object start: below span
 * (the cache's), and a multiple of the object step, tested without a
 * division (Lemire, Kaser and Kurz, "Faster remainder by direct
 * computation", 2019): for off < 2^32, off is a multiple of size exactly
 * when off * magic, magic = ceil(2^64 / size), is below magic modulo 2^64.
 */
static __always_inline bool offset_is_object(unsigned long off, unsigned long span,
					     unsigned long magic)
{
	/* Both tests without a branch between them: one compare-and-branch pair. */
	return (off < span) & (off * magic < magic);
}

/* Whether p is an object start of the slab whose first object is at base. */
static __always_inline bool object_in_slab(const struct kmem_cache *s, unsigned long base,
					   const void *p)
{
	unsigned long span, magic;

	load_pair(&s->span, &span, &magic);
	return offset_is_object((unsigned long)p - base, span, magic);
}

/* The fast paths, which use the two definitions above. */
#include <asm/slub_fast.h>

/* Slab pages are lowmem (no __GFP_HIGHMEM): in the linear map. */
static __always_inline unsigned long slab_base(const struct page *page)
{
	return (unsigned long)pfn_to_virt(page_to_pfn(page));
}

/* A slab's first object: after its left red zone in a debug cache. */
static __always_inline unsigned long slab_first_object(const struct kmem_cache *s,
						       const struct page *page)
{
	return slab_base(page) + s->red_left_pad;
}

/* The node structure of page's node. */
static inline struct kmem_cache_node *slab_node(struct kmem_cache *s, const struct page *page)
{
	return s->node[page_to_nid(page)];
}

/*
 * The slab of object, when object is an object start of one of s's slabs;
 * NULL otherwise. object must be in the linear map.
 */
static __always_inline struct page *object_slab(struct kmem_cache *s, void *object)
{
	struct page *page = compound_head(virt_to_page(object));

	if (PageSlab(page) && page->slab_cache == s && object_in_slab(s, slab_base(page), object))
		return page;
	return NULL;
}

/*
 * Whether page is on this CPU's partial list. Read without the lock: the
 * bits only this CPU changes while the slab is on its list (another CPU's
 * locked update of inuse writes them back as they were).
 */
static __always_inline bool on_this_cpu_partial(const struct page *page)
{
	return page->cpu_partial && page->cpu == smp_processor_id();
}

/* Pushes the objects head to tail (linked already) onto page's cpu_freelist. */
static __always_inline void cpu_partial_push(struct kmem_cache *s, struct page *page, void *head,
					     void *tail)
{
	set_freepointer(s, tail, page->cpu_freelist);
	page->cpu_freelist = head;
}

/*
 * Whether frees of s may take the lockless paths (free_base,
 * partial_base): not with init_on_free, which zeroes each object on the
 * slow path after its check.
 */
static inline bool slab_free_lockless(const struct kmem_cache *s)
{
	return !s->init_on_free;
}

/* Makes page (or NULL) the first slab of c's partial list. Interrupts masked. */
static __always_inline void set_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c,
					    struct page *page)
{
	c->partial = page;
	c->partial_base = page && slab_free_lockless(s) ? slab_base(page) : SLAB_NO_BASE;
}

/*
 * The free path after the active slab's: an object start of the first
 * slab of this CPU's partial list (where the frees of objects held a
 * while go: the slab the last locked free froze) goes on its
 * cpu_freelist, with no struct page lookup; true when it did. Not the
 * head of that list (a double free), nor when !slab_free_lockless()
 * (partial_base says none then). Interrupts masked.
 */
static __always_inline bool slab_free_partial(struct kmem_cache *s, struct kmem_cache_cpu *c,
					      void *object)
{
	struct page *page = c->partial;

	if (unlikely(!object_in_slab(s, c->partial_base, object) ||
		     object == page->cpu_freelist))
		return false;
	cpu_partial_push(s, page, object, object);
	return true;
}

/* Each node structure n of s, nid its node (Linux's for_each_kmem_cache_node()). */
#define for_each_kmem_cache_node(s, nid, n)                                     \
	for ((nid) = 0; (nid) < MAX_NUMNODES; (nid)++)                          \
		if (!((n) = (s)->node[nid])) {                                  \
		} else

/* mm/slab_common.c: every CPU's kfree() guess back to none (kmem_cache_init()). */
void kfree_cache_init(void);

/* mm/slub_freelist.c */
/* The next number of this CPU's xorshift generator; interrupts masked. */
u64 slab_random(void);
/* Seeds every CPU's generator from seed (the DT's rng-seed, or 0). */
void slab_random_seed(u64 seed);
void freelist_corrupted(const struct kmem_cache *s, const void *object, const void *bad);
void double_free(const struct kmem_cache *s, const void *object);
void *walk_freelist(const struct kmem_cache *s, unsigned long base, void **head,
		    unsigned int *count, bool *dropped);
void *shuffle_freelist(struct kmem_cache *s, unsigned long base);

/* mm/slub_debug.c */
/* Reads slub_debug from cmdline (Linux's syntax); once, before any cache is made. */
void slub_debug_setup(const char *cmdline);
/* flags with the debug flags slub_debug= gives the cache name. */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
/* A new slab of a debug cache laid out: padding and red zones, objects poisoned. */
void setup_slab_debug(struct kmem_cache *s, struct page *page);
void *debug_slab_alloc(unsigned long flags, struct kmem_cache *s, gfp_t gfp, int nid,
		       unsigned long caller);
void debug_slab_free(unsigned long flags, struct kmem_cache *s, void *object,
		     unsigned long caller);
/*
 * Linux's slab_pad_check(): a debug slab about to go back to the buddy
 * allocator still holds 0x5a after its last object (reported if not).
 */
void slab_pad_check(const struct kmem_cache *s, const struct page *page);
/* debug_slab_free() with interrupts masked already, left so; caller: for the track. */
void debug_free_masked(struct kmem_cache *s, void *object, unsigned long caller);

/* mm/slub.c */
struct page *new_slab(struct kmem_cache *s, gfp_t gfp, int nid);
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int nid, unsigned long addr,
		      unsigned long flags);
void __slab_free_other(struct kmem_cache *s, void *object);
void slab_free_locked(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page,
		      void *head, void *tail, unsigned int cnt);
/*
 * Moves the objects of c's array onto c's lockless list, the last freed
 * ending as its head (so the double-free test against the head still
 * sees it), and lets single frees take the fast path again. Interrupts
 * masked.
 */
void drain_cpu_array(struct kmem_cache *s, struct kmem_cache_cpu *c);
void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c);
void unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c);
void free_slab(struct kmem_cache *s, struct page *page);

/* mm/slub_flush.c */
/*
 * Each CPU holding slabs of s gives them up (its active slab and partial
 * list back to the nodes' lists), run by that CPU through a cross-call
 * that waits. Returns 0, or -ETIMEDOUT when a CPU did not answer
 * (reported): its slabs stay its own.
 */
int flush_all(struct kmem_cache *s);

#endif
