/*
 * Slab caches (SLUB), with Linux's API and meaning (<linux/slab.h>):
 * kmem_cache_create() makes a cache of fixed-size objects carved from
 * buddy pages (mm/slub.c); the layout is in mk64/slub_def.h.
 *
 * Hardening is always on: the free pointer inside a free object is stored
 * obfuscated (Linux's CONFIG_SLAB_FREELIST_HARDENED), each decoded
 * pointer must be an object start of the same slab, an object freed twice
 * in a row is refused, and new slabs hand out their objects in a random
 * order (CONFIG_SLAB_FREELIST_RANDOM). A detected corruption is reported
 * in one headline, the damaged free list is not followed and the kernel
 * goes on. Debug caches (SLAB_DEBUG_FLAGS, or the slub_debug= boot
 * parameter with Linux's syntax) add red zones, poisoning, alloc/free
 * tracks and full checks, reported in Linux's slub_debug style, on a slow
 * path of their own (mm/slub_debug.c). Boot parameters init_on_alloc=1 and init_on_free=1 zero
 * objects when they are handed out and when they come back (both off by
 * default here; not for caches with a constructor, as in Linux).
 */
#ifndef MK64_SLAB_H
#define MK64_SLAB_H

#include <asm/memory.h>
#include <mk64/gfp.h>
#include <mk64/topology.h>
#include <mk64/types.h>

typedef unsigned int slab_flags_t;

/* Linux 6.1's values. */
#define SLAB_CONSISTENCY_CHECKS	0x00000100u	/* debug: full checks on alloc and free */
#define SLAB_RED_ZONE		0x00000400u	/* debug: red zones around each object */
#define SLAB_POISON		0x00000800u	/* debug: poison free objects (0x6b, end 0xa5) */
#define SLAB_KMALLOC		0x00001000u	/* a kmalloc cache (set by kmalloc itself) */
#define SLAB_HWCACHE_ALIGN	0x00002000u	/* align objects on cache lines */
#define SLAB_CACHE_DMA		0x00004000u	/* slab pages from ZONE_DMA */
#define SLAB_CACHE_DMA32	0x00008000u	/* slab pages from ZONE_DMA32 */
#define SLAB_STORE_USER		0x00010000u	/* debug: record the last alloc and free */
#define SLAB_PANIC		0x00040000u	/* panic if kmem_cache_create() fails */
#define SLAB_TRACE		0x00200000u	/* debug: print each alloc and free */
/* Any of these makes a debug cache (mm/slub_debug.c), slub_debug= sets them too. */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			  SLAB_STORE_USER | SLAB_TRACE)

struct kmem_cache;

/*
 * A cache of objects of size bytes, aligned to align (0: the minimum, 8;
 * otherwise a power of two), with flags (SLAB_*). ctor, when not NULL,
 * runs once on each object when its slab is made, not on every
 * allocation: an object must be back in its constructed state when freed.
 * name must outlive the cache. Returns the cache, or NULL (after a
 * report) for bad arguments or no memory; panics instead with SLAB_PANIC.
 * May sleep.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));

/*
 * Frees the cache, its empty slabs going back to the buddy allocator. A
 * cache that still has objects allocated is reported (naming the cache and
 * how many) and left as it is, its memory in use untouched; so is one
 * whose slabs a CPU that does not answer cross-calls holds. NULL is
 * ignored. May sleep.
 */
void kmem_cache_destroy(struct kmem_cache *s);

/*
 * An object from s, from a slab on node nid (NUMA_NO_NODE: this CPU's
 * node; another node's slab when nid has no memory for it, unless
 * __GFP_THISNODE). gfp is the page allocator's for a new slab (the zone
 * comes from the cache's flags); __GFP_ZERO zeroes the object. Returns
 * NULL when no memory (reported unless __GFP_NOWARN). Sleeps only when
 * gfp allows reclaim and a new slab is needed.
 */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid);

/* kmem_cache_alloc_node() on this CPU's node. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);

/* kmem_cache_alloc() of a zeroed object. */
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

/*
 * Gives obj back to s. NULL is ignored. An object freed twice in a row,
 * or a pointer that is not an object start of one of s's slabs, is
 * reported and ignored (a pointer into the CPU's active slab that is not
 * an object start is caught, and its list dropped, before it would be
 * handed out). obj must be a linear-map address: telling any pointer
 * apart is kfree()'s diagnosis, not here yet. Never sleeps; any context.
 */
void kmem_cache_free(struct kmem_cache *s, void *obj);

/*
 * Fills p[0..size) with objects from s. Returns size, or 0 when memory ran
 * out (the objects taken so far are given back). May sleep as
 * kmem_cache_alloc() does.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p);

/* kmem_cache_free() of p[0..size), faster. */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);

/*
 * Gives every empty slab of s back to the buddy allocator (every CPU's
 * per-CPU slabs are given up first, each by its CPU). Returns 0, or
 * -ETIMEDOUT when a CPU did not answer and kept its slabs (reported).
 * May sleep.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/*
 * Sets SLUB up: the cache of caches, the boot parameters init_on_alloc=,
 * init_on_free= and slub_debug from cmdline, the free-list random state from seed,
 * the shrinker. Prints the SLUB summary line. Once, after the page
 * allocator is up.
 */
void kmem_cache_init(const char *cmdline, u64 seed);

/* ---- kmalloc (mm/slab_common.c, mm/util.c) -------------------------------- */

/*
 * kmalloc's size classes are caches of 8, 16, 32, 64, 96, 128, 192, 256,
 * 512 bytes, 1, 2, 4 and 8 KiB (Linux's kmalloc-N), made at boot; a class
 * of a power-of-two size hands out naturally aligned objects (up to a
 * page in a debug cache), 96 and 192 8-byte aligned ones. GFP_DMA requests use dma-kmalloc-N caches instead:
 * slabs from ZONE_DMA, objects aligned to and sized in whole cache
 * writeback granules (CTR_EL0.CWG, cache_line_size()), so that cache
 * maintenance on one never touches another (non-coherent DMA, RK3399).
 * Above KMALLOC_MAX_CACHE_SIZE, kmalloc_large() takes a compound page
 * straight from the page allocator.
 */
#define KMALLOC_SHIFT_LOW 3
#define KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1)
#define KMALLOC_MIN_SIZE (1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH)
_Static_assert(KMALLOC_SHIFT_HIGH == 13, "kmalloc_index() spells the classes out up to 8 KiB");

/* What kmalloc(0) returns: not NULL, faults when used, a no-op for kfree(). */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

enum kmalloc_cache_type { KMALLOC_NORMAL, KMALLOC_DMA, NR_KMALLOC_TYPES };

/* Index 1 is the 96-byte class, 2 the 192-byte one, n >= 3 the 2^n-byte one. */
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

static __always_inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	return flags & __GFP_DMA ? KMALLOC_DMA : KMALLOC_NORMAL;
}

/*
 * The class index of size (0 for 0) up to KMALLOC_MAX_CACHE_SIZE; folds
 * to a constant for a constant size. Beyond that: -1.
 */
static __always_inline int kmalloc_index(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	if (size <= 16)
		return 4;
	if (size <= 32)
		return 5;
	if (size <= 64)
		return 6;
	if (size <= 128)
		return 7;
	if (size <= 256)
		return 8;
	if (size <= 512)
		return 9;
	if (size <= 1024)
		return 10;
	if (size <= 2048)
		return 11;
	if (size <= 4096)
		return 12;
	if (size <= 8192)
		return 13;
	return -1;
}

/*
 * size bytes from the page allocator as a compound page (above
 * KMALLOC_MAX_CACHE_SIZE: kmalloc()'s large path), on node (NUMA_NO_NODE:
 * this CPU's). Returns NULL when no memory or beyond the largest buddy
 * block (a warning unless __GFP_NOWARN). Sleeps as the page allocator may.
 */
void *kmalloc_large(size_t size, gfp_t flags);
void *kmalloc_large_node(size_t size, gfp_t flags, int node);

/* kmalloc_node()/kmalloc() for a size that is not a constant: the class from a table. */
void *__kmalloc_node(size_t size, gfp_t flags, int node);
void *__kmalloc(size_t size, gfp_t flags);

/*
 * size bytes on node (NUMA_NO_NODE: any), from the class that holds them
 * (chosen at compile time for a constant size) or kmalloc_large() above
 * KMALLOC_MAX_CACHE_SIZE. flags: the page allocator's (__GFP_DMA: a DMA
 * class; __GFP_ZERO zeroes; __GFP_NOWARN silences a failure). Returns
 * ZERO_SIZE_PTR for 0, NULL when no memory. Sleeps only when flags allow
 * reclaim and a new slab or page is needed.
 */
static __always_inline void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	if (__builtin_constant_p(size)) {
		int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large_node(size, flags, node);
		index = kmalloc_index(size);
		if (!index)
			return ZERO_SIZE_PTR;
		return kmem_cache_alloc_node(kmalloc_caches[kmalloc_type(flags)][index], flags, node);
	}
	return __kmalloc_node(size, flags, node);
}

/* kmalloc_node() on this CPU's node. */
static __always_inline void *kmalloc(size_t size, gfp_t flags)
{
	if (__builtin_constant_p(size)) {
		int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large(size, flags);
		index = kmalloc_index(size);
		if (!index)
			return ZERO_SIZE_PTR;
		return kmem_cache_alloc(kmalloc_caches[kmalloc_type(flags)][index], flags);
	}
	return __kmalloc(size, flags);
}

static __always_inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/* kmalloc() of n elements of size bytes; NULL when n * size overflows. */
static __always_inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, flags);
}

/* kmalloc_array(), zeroed. */
static __always_inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/*
 * Frees what kmalloc() returned; NULL and ZERO_SIZE_PTR are ignored. A
 * pointer that is not a live kmalloc object's start (on a stack, inside
 * an object, into a page neither slab nor kmalloc_large(), outside the
 * linear map) is reported and not freed. Never sleeps; any context.
 */
void kfree(const void *p);

/*
 * The bytes usable at p, a kmalloc() object: its class's size, or the
 * large block's; 0 for NULL and ZERO_SIZE_PTR, and (reported) for a
 * pointer that is not a kmalloc object.
 */
size_t ksize(const void *p);

/* The size kmalloc(size) really gives (ksize() of it); 0 for 0. */
size_t kmalloc_size_roundup(size_t size);

/*
 * p resized to new_size bytes, contents kept up to the smaller size: p
 * itself when new_size fits in ksize(p), else a new object (p freed);
 * kmalloc() for a NULL p. new_size 0 frees p and returns ZERO_SIZE_PTR.
 * NULL when no memory (p untouched). Sleeps as kmalloc() may.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags);

/* A kmalloc() copy of len bytes at src, or NULL. */
void *kmemdup(const void *src, size_t len, gfp_t flags);

/* A kmalloc() copy of the string s; NULL for NULL or no memory. */
char *kstrdup(const char *s, gfp_t flags);

/* kstrdup() of at most max characters of s, always terminated. */
char *kstrndup(const char *s, size_t max, gfp_t flags);

/* Makes the kmalloc caches. Once, after kmem_cache_init(); panics when out of memory. */
void create_kmalloc_caches(void);

/*
 * Destroys the kmalloc caches and forgets them (a cache with objects in
 * use is reported and kept, as kmem_cache_destroy() does): for the host
 * tests, which make them anew over each case's memory. Nothing may
 * allocate or free kmalloc memory meanwhile. May sleep.
 */
void destroy_kmalloc_caches(void);

#endif
