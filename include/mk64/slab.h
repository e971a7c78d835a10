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
 * goes on. Boot parameters init_on_alloc=1 and init_on_free=1 zero
 * objects when they are handed out and when they come back (both off by
 * default here; not for caches with a constructor, as in Linux).
 */
#ifndef MK64_SLAB_H
#define MK64_SLAB_H

#include <mk64/gfp.h>
#include <mk64/topology.h>
#include <mk64/types.h>

typedef unsigned int slab_flags_t;

/* Linux 6.1's values. */
#define SLAB_HWCACHE_ALIGN	0x00002000u	/* align objects on cache lines */
#define SLAB_CACHE_DMA		0x00004000u	/* slab pages from ZONE_DMA */
#define SLAB_CACHE_DMA32	0x00008000u	/* slab pages from ZONE_DMA32 */
#define SLAB_PANIC		0x00040000u	/* panic if kmem_cache_create() fails */

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
 * how many) and left as it is, its memory in use untouched. NULL is
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
 * Gives every empty slab of s back to the buddy allocator (the per-CPU
 * slabs are given up first). Returns 0. May sleep.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/*
 * Sets SLUB up: the cache of caches, the boot parameters init_on_alloc=
 * and init_on_free= from cmdline, the free-list random state from seed,
 * the shrinker. Prints the SLUB summary line. Once, after the page
 * allocator is up.
 */
void kmem_cache_init(const char *cmdline, u64 seed);

#endif
