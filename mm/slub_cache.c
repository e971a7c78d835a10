/*
 * SLUB's caches: the layout of a new cache (alignment, free pointer
 * place, slab order), kmem_cache_create() and kmem_cache_destroy(), and
 * SLUB's start at boot (the cache of caches, boot parameters).
 */
#include <asm/cache.h>
#include <mk64/bitops.h>
#include <mk64/cmdline.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/string.h>
#include "slub.h"

/* Linux's defaults: slub_min_order=0, slub_max_order=PAGE_ALLOC_COSTLY_ORDER. */
#define SLUB_MAX_ORDER PAGE_ALLOC_COSTLY_ORDER
/* Linux's bounds of min_partial. */
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
/*
 * Pages of frozen slabs a CPU's partial list may hold, per cache: enough
 * for a thousand 64-byte objects freed out of allocation order without
 * the node's lock (kmem_cache64_batch), 64 KiB at most; the shrinker
 * and kmem_cache_shrink() give them back.
 */
#define CPU_PARTIAL_PAGES 16
#define SLAB_MIN_ALIGN 8
#define SLAB_SUPPORTED_FLAGS (SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_PANIC | \
			      SLAB_DEBUG_FLAGS)

LIST_HEAD(slab_caches);
spinlock_t slab_lock = SPINLOCK_INIT;

static bool init_on_alloc, init_on_free;
static struct kmem_cache *kmem_cache;	/* the cache of struct kmem_cache */
static struct kmem_cache *kmem_cache_node;	/* the cache of struct kmem_cache_node */
/*
 * The two boot caches and their node structures, for every possible node:
 * they exist before any slab can be made and, on the host, outlive the
 * test fixtures' nodes.
 */
static struct kmem_cache kmem_cache_boot, kmem_cache_node_boot;
static DEFINE_PER_CPU(struct kmem_cache_cpu, boot_cpu_slabs[2]);
static struct kmem_cache_node boot_nodes[2][MAX_NUMNODES];


/*
 * Linux's calc_slab_order(): the smallest order from that of min_objects
 * objects up to max_order that wastes at most 1/fract_leftover of the
 * slab; max_order + 1 when none does.
 */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_objects,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < (unsigned long)min_objects * size)
		order++;
	for (; order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/*
 * Linux's calculate_order() with slub_min_objects=0: first at least
 * 4 * (fls(nr_cpu_ids) + 1) objects (8 with one CPU) at most 1/16 waste,
 * then more waste (1/8, 1/4), then fewer objects, then any order that
 * holds one object.
 */
static int calculate_order(unsigned int size)
{
	unsigned int min_objects = 4 * (fls64(1) + 1);
	unsigned int max_objects = (PAGE_SIZE << SLUB_MAX_ORDER) / size;
	unsigned int order;

	min_objects = min(min_objects, max_objects);
	while (min_objects > 1) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return (int)order;
		}
		min_objects--;
	}
	order = calc_slab_order(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return (int)order;
	order = calc_slab_order(size, 1, MAX_PAGE_ORDER, 1);
	return order <= MAX_PAGE_ORDER ? (int)order : -1;
}

/* Linux's calculate_alignment(). */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	return ALIGN_UP(max(align, (unsigned int)SLAB_MIN_ALIGN), (unsigned int)sizeof(void *));
}

/* Lays s out; returns NULL or what is wrong with the arguments. */
static const char *init_cache(struct kmem_cache *s, const char *name, unsigned int size,
			      unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	unsigned long limit = PAGE_SIZE << MAX_PAGE_ORDER;
	unsigned int cpu;
	int order;

	if (!size || size > limit / 2)
		return "object size out of range";
	if (align & (align - 1) || align > PAGE_SIZE)
		return "alignment not a power of two up to a page";
	if (flags & ~SLAB_SUPPORTED_FLAGS)
		return "unsupported flags";
	if ((flags & SLAB_CACHE_DMA) && (flags & SLAB_CACHE_DMA32))
		return "both SLAB_CACHE_DMA and SLAB_CACHE_DMA32";
	s->name = name;
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->align = calculate_alignment(flags, align, size);
	s->size = ALIGN_UP(size, (unsigned int)sizeof(void *));
	/* Linux's calculate_sizes(): a right red zone of at least a word. */
	if ((flags & SLAB_RED_ZONE) && s->size == size)
		s->size += sizeof(void *);
	s->inuse = s->size;
	/*
	 * A constructed or poisoned object keeps its contents while free: its
	 * pointer goes after it, as it does when it would cover the right red
	 * zone of an object smaller than itself. Otherwise in its middle,
	 * where a small overflow from the object before does not reach it
	 * (Linux since 5.7).
	 */
	if (ctor || (flags & SLAB_POISON) || ((flags & SLAB_RED_ZONE) && size < sizeof(void *))) {
		s->offset = s->size;
		s->size += sizeof(void *);
	} else {
		s->offset = ALIGN_DOWN(size / 2, (unsigned int)sizeof(void *));
	}
	if (flags & SLAB_STORE_USER)
		s->size += 2 * sizeof(struct track);
	/*
	 * A word of padding, then the next object's left red zone (a word,
	 * or the alignment): an overwrite from before the object hits red
	 * zone, not a track or the free pointer.
	 */
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		s->size += sizeof(void *);
		s->red_left_pad = ALIGN_UP((unsigned int)sizeof(void *), s->align);
		s->size += s->red_left_pad;
	}
	s->size = ALIGN_UP(s->size, s->align);
	order = calculate_order(s->size);
	if (order < 0)
		return "object too large for a slab";
	s->order = (unsigned int)order;
	s->objects = min((unsigned int)((PAGE_SIZE << order) / s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	s->span = (unsigned long)s->objects * s->size;
	s->div_magic = ~0UL / s->size + 1;
	s->span_mask = (s->size & (s->size - 1)) || (s->span & (s->span - 1)) ?
			       0 : ~(s->span - 1) | (s->size - 1);
	/* Linux's set_min_partial(s, ilog2(s->size) / 2). */
	s->min_partial = min(max((fls64(s->size) - 1) / 2, (unsigned int)MIN_PARTIAL),
			     (unsigned int)MAX_PARTIAL);
	s->cpu_partial_slabs = max(CPU_PARTIAL_PAGES >> order, 1);
	s->allocflags = flags & SLAB_CACHE_DMA ? __GFP_DMA : flags & SLAB_CACHE_DMA32 ? __GFP_DMA32 : 0;
	s->zero_gfp = init_on_alloc && !ctor ? ~0u : __GFP_ZERO;
	s->init_on_free = init_on_free && !ctor;
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(s->cpu_slab, cpu) = (struct kmem_cache_cpu){
			.base = SLAB_NO_BASE, .free_base = SLAB_NO_BASE,
			.partial_base = SLAB_NO_BASE };
	return NULL;
}

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	n->list_lock = (spinlock_t)SPINLOCK_INIT;
	n->nr_partial = 0;
	n->nr_slabs = 0;
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int nid;

	for_each_kmem_cache_node(s, nid, n) {
		s->node[nid] = NULL;
		kmem_cache_free(kmem_cache_node, n);
	}
}

/* A node structure, on its node, for each online node; false when out of memory. */
static bool alloc_kmem_cache_nodes(struct kmem_cache *s)
{
	int nid;

	for_each_online_node(nid) {
		struct kmem_cache_node *n = kmem_cache_alloc_node(kmem_cache_node, GFP_KERNEL, nid);

		if (!n) {
			free_kmem_cache_nodes(s);
			return false;
		}
		init_kmem_cache_node(n);
		s->node[nid] = n;
	}
	return true;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *why = name ? NULL : "no name";
	unsigned long irqflags;

	if (!why) {
		s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
		if (s && !(s->cpu_slab = alloc_percpu(struct kmem_cache_cpu))) {
			kmem_cache_free(kmem_cache, s);
			s = NULL;
		}
		why = s ? init_cache(s, name, size, align, kmem_cache_flags(flags, name), ctor) : "out of memory";
		if (!why && !alloc_kmem_cache_nodes(s))
			why = "out of memory";
	}
	if (why) {
		if (s) {
			free_percpu(s->cpu_slab);
			kmem_cache_free(kmem_cache, s);
		}
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create: Failed to create slab '%s': %s", name ? name : "(null)",
			      why);
		pr_err("kmem_cache_create(%s) failed: %s (size %u, align %u, flags %#x)\n",
		       name ? name : "(null)", why, size, align, flags);
		return NULL;
	}
	local_irq_save(irqflags);
	s->random = slab_random();
	local_irq_restore(irqflags);
	spin_lock(&slab_lock);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock(&slab_lock);
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned int lost = 0, isolated = 0;
	long in_use;
	int nid;

	if (!s)
		return;
	/* As Linux's __kmem_cache_shutdown(): the CPUs' slabs first, then the count. */
	if (flush_all(s)) {
		pr_err("kmem_cache_destroy %s: a CPU did not give up its slabs of the cache; cache kept\n",
		       s->name);
		return;
	}
	spin_lock(&slab_lock);
	in_use = slab_objects_in_use(s);
	if (in_use) {
		spin_unlock(&slab_lock);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects (%ld in use); cache kept\n",
		       s->name, in_use);
		return;
	}
	list_del(&s->list);
	spin_unlock(&slab_lock);
	for_each_kmem_cache_node(s, nid, n) {
		struct list_head *lists[] = { &n->partial, &n->full };
		struct page *page, *tmp;

		/*
		 * Only slabs whose free list was dropped, or with objects a debug
		 * check isolated, have objects counted in use now.
		 */
		for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++) {
			list_for_each_entry_safe(page, tmp, lists[i], slab_list) {
				lost += page->dropped;
				isolated += page->isolated;
				list_del(&page->slab_list);
				n->nr_slabs--;
				free_slab(s, page);
			}
		}
		n->nr_partial = 0;
	}
	if (lost)
		pr_warn("kmem_cache_destroy %s: %u slabs with dropped free lists freed with the cache\n",
			s->name, lost);
	if (isolated)
		pr_info("kmem_cache_destroy %s: %u isolated objects freed with the cache\n", s->name,
			isolated);
	free_kmem_cache_nodes(s);
	free_percpu(s->cpu_slab);
	kmem_cache_free(kmem_cache, s);
}

static bool boot_param_on(const char *cmdline, const char *name)
{
	char val[8];

	return cmdline_get(cmdline, name, val, sizeof(val)) && !strcmp(val, "1");
}

void kmem_cache_init(const char *cmdline, u64 seed)
{
	int nodes = 0, nid;

	init_on_alloc = boot_param_on(cmdline, "init_on_alloc");
	init_on_free = boot_param_on(cmdline, "init_on_free");
	slub_debug_setup(cmdline);
	slab_random_seed(seed);
	kmem_cache = &kmem_cache_boot;
	kmem_cache_node = &kmem_cache_node_boot;
	kmem_cache->cpu_slab = &boot_cpu_slabs[0];
	kmem_cache_node->cpu_slab = &boot_cpu_slabs[1];
	init_cache(kmem_cache, "kmem_cache", sizeof(struct kmem_cache), SLAB_CPU_ALIGN,
		   kmem_cache_flags(SLAB_HWCACHE_ALIGN | SLAB_PANIC, "kmem_cache"), NULL);
	init_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node), 0,
		   kmem_cache_flags(SLAB_HWCACHE_ALIGN | SLAB_PANIC, "kmem_cache_node"), NULL);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		kmem_cache->node[nid] = &boot_nodes[0][nid];
		kmem_cache_node->node[nid] = &boot_nodes[1][nid];
		init_kmem_cache_node(kmem_cache->node[nid]);
		init_kmem_cache_node(kmem_cache_node->node[nid]);
	}
	kmem_cache->random = slab_random();
	kmem_cache_node->random = slab_random();
	kfree_cache_init();
	list_add(&kmem_cache_node->list, &slab_caches);
	list_add(&kmem_cache->list, &slab_caches);
	for_each_online_node(nid)
		nodes = nid + 1;
	pr_info("SLUB: HWalign=%u, Order=0-%u, MinObjects=0, CPUs=%u, Nodes=%d\n",
		cache_line_size(), SLUB_MAX_ORDER, nr_cpu_ids, nodes ? nodes : 1);
	pr_info("mem auto-init: init_on_alloc:%s, init_on_free:%s\n", init_on_alloc ? "on" : "off",
		init_on_free ? "on" : "off");
}

