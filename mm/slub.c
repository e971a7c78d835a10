/*
 * SLUB: caches of fixed-size objects carved from buddy pages, with Linux's
 * API (mk64/slab.h) and layout (mk64/slub_def.h).
 *
 * Fast paths: an allocation takes the first object of this CPU's lockless
 * free list, a free of an object of this CPU's active slab pushes it
 * there; both with interrupts masked on this CPU, which is what keeps the
 * per-CPU state consistent (chosen over Linux's transaction id: without
 * LSE atomics a cmpxchg_double is an LDXP/STXP loop with barriers, about
 * a dozen instructions more than masking and unmasking, which is three).
 * Everything else (taking remote frees back, partial slabs, new slabs,
 * frees into other slabs) goes through the node's list_lock.
 *
 * The free pointer of a free object is stored as Linux's
 * CONFIG_SLAB_FREELIST_HARDENED stores it: ptr ^ s->random ^ swab(address
 * of the pointer). Each pointer read back must be NULL or an object start
 * of the same slab; one that is not means the free list was overwritten
 * (a use after free, an overflow) and is reported once, the rest of that
 * list dropped: its objects are never handed out again, the slab is
 * never empty again. A free of the object that heads the free list (an
 * immediate double free, Linux's set_freepointer() BUG_ON) is reported
 * and ignored.
 */
#include <asm/cache.h>
#include <mk64/bitops.h>
#include <mk64/cmdline.h>
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/slub_def.h>
#include <mk64/string.h>

/* A non-canonical address: no object pointer is ever this far from it. */
#define SLAB_NO_BASE (1UL << 63)
/* objects is a 15-bit field of struct page. */
#define MAX_OBJS_PER_PAGE 32767
/* Linux's defaults: slub_min_order=0, slub_max_order=PAGE_ALLOC_COSTLY_ORDER. */
#define SLUB_MAX_ORDER PAGE_ALLOC_COSTLY_ORDER
/* Linux's bounds of min_partial. */
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
#define SLAB_MIN_ALIGN 8
#define SLAB_SUPPORTED_FLAGS (SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_PANIC)

LIST_HEAD(slab_caches);
spinlock_t slab_lock = SPINLOCK_INIT;

static bool init_on_alloc, init_on_free;
static struct kmem_cache *kmem_cache;	/* the cache of struct kmem_cache */
static struct kmem_cache kmem_cache_boot;

/* Per-CPU xorshift state for the free-list order; touched with interrupts masked. */
static struct {
	u64 state;
} __aligned(SLAB_CPU_ALIGN) slab_rng[NR_CPUS];

static u64 slab_random(void)
{
	u64 x = slab_rng[smp_processor_id()].state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	slab_rng[smp_processor_id()].state = x;
	return x;
}

/* A number in [0, n): the high half of a 32x32 product, as Linux's reciprocal_scale(). */
static unsigned int slab_random_below(unsigned int n)
{
	return (unsigned int)(((slab_random() >> 32) * n) >> 32);
}

static __always_inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	return &s->cpu_slab[smp_processor_id()];
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
	unsigned long addr = (unsigned long)object + s->offset;

	return (void *)freelist_ptr(s->random, *(unsigned long *)addr, addr);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long addr = (unsigned long)object + s->offset;

	*(unsigned long *)addr = freelist_ptr(s->random, (unsigned long)fp, addr);
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
	return off < span && off * magic < magic;
}

/* Whether p is an object start of the slab whose first object is at base. */
static __always_inline bool object_in_slab(const struct kmem_cache *s, unsigned long base,
					   const void *p)
{
	return offset_is_object((unsigned long)p - base, s->span, s->div_magic);
}

/* Slab pages are lowmem (no __GFP_HIGHMEM): in the linear map. */
static __always_inline unsigned long slab_base(const struct page *page)
{
	return (unsigned long)pfn_to_virt(page_to_pfn(page));
}

static struct kmem_cache_node *slab_node(struct kmem_cache *s, const struct page *page)
{
	return &s->node[page_to_nid(page)];
}

static __cold void freelist_corrupted(const struct kmem_cache *s, const void *object,
				      const void *bad)
{
	if (object)
		pr_err("slub: %s: free list corrupted: free object %#lx points to %#lx, not an object of its slab; the rest of the list is dropped\n",
		       s->name, (unsigned long)object, (unsigned long)bad);
	else
		pr_err("slub: %s: free list corrupted: it starts at %#lx, not an object of the CPU's slab; the list is dropped\n",
		       s->name, (unsigned long)bad);
}

static __cold void double_free(const struct kmem_cache *s, const void *object)
{
	pr_err("slub: %s: double free of object %#lx (already free); free ignored\n",
	       s->name, (unsigned long)object);
}

/*
 * Counts the free list at *head of the slab at base and returns its last
 * object (NULL for an empty list). A pointer that is not an object of the
 * slab (the head included) ends the list before it, reported; a list
 * longer than the slab (a loop) ends at the slab's size.
 */
static void *walk_freelist(const struct kmem_cache *s, unsigned long base, void **head,
			   unsigned int *count)
{
	void *tail = NULL;

	*count = 0;
	for (void *p = *head; p; p = get_freepointer(s, p)) {
		if (!object_in_slab(s, base, p) || *count == s->objects) {
			freelist_corrupted(s, tail, p);
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

/* ---- slabs ------------------------------------------------------------------ */

/*
 * Threads a new slab's free list in a random order and returns its head:
 * Sattolo's shuffle makes a random cycle through every object (each
 * object's pointer slot holding its successor's index meanwhile), cut
 * before a random first object. Interrupts masked (the per-CPU state).
 */
static void *shuffle_freelist(struct kmem_cache *s, unsigned long base)
{
	unsigned int n = s->objects, start, cur;
#define SLOT(i) (*(unsigned long *)(base + (unsigned long)(i) * s->size + s->offset))

	for (unsigned int i = 0; i < n; i++)
		SLOT(i) = i;
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = slab_random_below(i);
		unsigned long t = SLOT(i);

		SLOT(i) = SLOT(j);
		SLOT(j) = t;
	}
	start = slab_random_below(n);
	cur = start;
	for (unsigned int k = 0; k < n; k++) {
		unsigned int next = (unsigned int)SLOT(cur);
		void *obj = (void *)(base + (unsigned long)cur * s->size);

		set_freepointer(s, obj, next == start ? NULL : (void *)(base + (unsigned long)next * s->size));
		cur = next;
	}
#undef SLOT
	return (void *)(base + (unsigned long)start * s->size);
}

/*
 * A new slab from the buddy allocator on node nid, its objects
 * constructed, not yet on any list and without a free list. Interrupts
 * as the caller had them (may reclaim).
 */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp, int nid)
{
	gfp_t page_gfp = (gfp & ~(GFP_ZONEMASK | __GFP_ZERO)) | s->allocflags;
	struct kmem_cache_node *n;
	unsigned long flags, base;
	struct page *page;

	if (s->order)
		page_gfp |= __GFP_COMP;
	page = alloc_pages_node(nid == NUMA_NO_NODE ? numa_node_id() : nid, page_gfp, s->order);
	if (!page)
		return NULL;
	base = slab_base(page);
	page->slab_cache = s;
	page->freelist = NULL;
	page->counters = 0;
	page->objects = s->objects & MAX_OBJS_PER_PAGE;
	__SetPageSlab(page);
	if (s->ctor)
		for (unsigned int i = 0; i < s->objects; i++)
			s->ctor((void *)(base + (unsigned long)i * s->size));
	n = slab_node(s, page);
	spin_lock_irqsave(&n->list_lock, flags);
	n->nr_slabs++;
	spin_unlock_irqrestore(&n->list_lock, flags);
	return page;
}

/* Gives a slab that is on no list, and no longer counted, back to the buddy allocator. */
static void free_slab(struct kmem_cache *s, struct page *page)
{
	page->slab_cache = NULL;
	page->freelist = NULL;
	page->counters = 0;
	__ClearPageSlab(page);
	__free_pages(page, s->order);
}

/* Files an unfrozen slab by its count; true when it must be freed instead. n locked. */
static bool file_slab(struct kmem_cache *s, struct kmem_cache_node *n, struct page *page)
{
	if (page->inuse == 0 && n->nr_partial >= s->min_partial) {
		n->nr_slabs--;
		return true;
	}
	if (page->inuse == page->objects) {
		list_add(&page->slab_list, &n->full);
	} else {
		list_add_tail(&page->slab_list, &n->partial);
		n->nr_partial++;
	}
	return false;
}

/*
 * Gives up this CPU's active slab: the objects left on the lockless list
 * go back on the slab's own list and the slab onto its node's lists (or
 * back to the buddy allocator when empty and the node has enough).
 * Interrupts masked.
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	void *head = c->freelist, *tail;
	struct kmem_cache_node *n = slab_node(s, page);
	unsigned int count;
	bool discard;

	c->page = NULL;
	c->freelist = NULL;
	tail = walk_freelist(s, c->base, &head, &count);
	c->base = SLAB_NO_BASE;
	c->alloc_base = SLAB_NO_BASE;
	c->free_base = SLAB_NO_BASE;
	spin_lock(&n->list_lock);
	if (tail) {
		set_freepointer(s, tail, page->freelist);
		page->freelist = head;
		page->inuse -= count;
	}
	page->frozen = 0;
	discard = file_slab(s, n, page);
	spin_unlock(&n->list_lock);
	if (discard)
		free_slab(s, page);
}

/* Makes page this CPU's active slab, with the free list at head. Interrupts masked. */
static void activate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page,
			  void *head)
{
	c->page = page;
	c->base = slab_base(page);
	c->alloc_base = s->zero_gfp & ~__GFP_ZERO ? SLAB_NO_BASE : c->base;
	c->free_base = s->init_on_free ? SLAB_NO_BASE : c->base;
	c->freelist = head;
}

/*
 * Freezes a slab of n (a partial one with free objects, or this CPU's,
 * when called with page): takes its free list, all its objects then
 * counted in use until deactivate_slab(). Returns the list, NULL when the
 * slab has none. n locked.
 */
static void *freeze_slab(struct page *page)
{
	void *head = page->freelist;

	page->freelist = NULL;
	page->inuse = page->objects;
	page->frozen = 1;
	return head;
}

/* A partial slab of node nid, frozen, with its free list in *head; or NULL. Interrupts masked. */
static struct page *get_partial(struct kmem_cache *s, int nid, void **head)
{
	struct kmem_cache_node *n = &s->node[nid];
	struct page *page = NULL;

	if (!READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	if (!list_empty(&n->partial)) {
		page = list_first_entry(&n->partial, struct page, slab_list);
		list_del(&page->slab_list);
		n->nr_partial--;
		*head = freeze_slab(page);
	}
	spin_unlock(&n->list_lock);
	return page;
}

/*
 * Whether node nid has memory in a zone the cache's slabs may come from.
 * For a node that has none, an allocation asking for it is served from
 * any node, as Linux's slab_nodes: asking for its slabs again and again
 * would otherwise take a new slab each time.
 */
static bool node_has_slab_memory(const struct kmem_cache *s, int nid)
{
	const pg_data_t *pgdat;

	if (nid < 0 || nid >= MAX_NUMNODES || !(pgdat = NODE_DATA(nid)))
		return false;
	for (int z = 0; z < pgdat->nr_zones && z <= (int)gfp_zone(s->allocflags); z++)
		if (pgdat->node_zones[z].managed_pages)
			return true;
	return false;
}

/*
 * The slow path of an allocation, interrupts masked (flags: as the caller
 * had them): this CPU's lockless list is empty, does not start with an
 * object of its slab (reported, dropped), or its slab is on another node
 * than asked for. Takes the frees other CPUs made into the active slab,
 * else a partial slab, else a new one (with interrupts as the caller had
 * them while the page allocator runs). Returns the first object of the
 * new list, taken off it, or NULL; interrupts as the caller had them.
 */
static __noinline void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int nid,
					unsigned long flags)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct page *page = c->page;
	void *head = NULL, *object;
	int want;

	if (nid != NUMA_NO_NODE && !node_has_slab_memory(s, nid))
		nid = NUMA_NO_NODE;
	want = nid == NUMA_NO_NODE ? numa_node_id() : nid;
	if (c->freelist && !object_in_slab(s, c->base, c->freelist)) {
		freelist_corrupted(s, NULL, c->freelist);
		c->freelist = NULL;
	}
	if (page && (nid == NUMA_NO_NODE || page_to_nid(page) == nid)) {
		if (c->freelist)
			goto take;
		spin_lock(&slab_node(s, page)->list_lock);
		head = freeze_slab(page);
		spin_unlock(&slab_node(s, page)->list_lock);
		if (head) {
			c->freelist = head;
			goto take;
		}
	}
	if (page)
		deactivate_slab(s, c);
	page = want >= 0 ? get_partial(s, want, &head) : NULL;
	if (!page) {
		local_irq_restore(flags);
		page = new_slab(s, gfp, nid);
		local_irq_save(flags);
		if (!page) {
			local_irq_restore(flags);
			return NULL;
		}
		c = this_cpu_slab(s);
		if (c->page)
			deactivate_slab(s, c);
		head = shuffle_freelist(s, slab_base(page));
		page->inuse = page->objects;
		page->frozen = 1;
	}
	activate_slab(s, c, page, head);
take:
	object = c->freelist;
	c->freelist = get_freepointer(s, object);
	c->in_use++;
	local_irq_restore(flags);
	if (unlikely(gfp & s->zero_gfp))
		memset(object, 0, s->object_size);
	return object;
}

static __noinline void *slab_alloc_zero(struct kmem_cache *s, void *object)
{
	memset(object, 0, s->object_size);
	return object;
}

/*
 * The fast path: the head of this CPU's lockless list, checked to be an
 * object of the CPU's slab (every pointer read back from a free object
 * reaches here, or deactivate_slab()'s walk, before it is used).
 */
static __always_inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *object;

	local_irq_save(flags);
	c = this_cpu_slab(s);
	object = c->freelist;
	if (unlikely(!object || !object_in_slab(s, c->alloc_base, object) ||
		     (nid != NUMA_NO_NODE && page_to_nid(c->page) != nid)))
		return slab_alloc_slow(s, gfp, nid, flags);
	c->freelist = get_freepointer(s, object);
	c->in_use++;
	local_irq_restore(flags);
	/* init_on_alloc took the slow path (alloc_base): only __GFP_ZERO is left. */
	if (unlikely(gfp & __GFP_ZERO))
		return slab_alloc_zero(s, object);
	return object;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_node(s, gfp, NUMA_NO_NODE);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid)
{
	return slab_alloc_node(s, gfp, nid);
}

/*
 * The slow path of a free, interrupts masked: object is not in this CPU's
 * active slab. It goes on its slab's own list under the node's lock; a
 * full slab becomes partial, an empty one goes back to the buddy
 * allocator when the node has more than min_partial partial slabs.
 */
static __always_inline void slab_free_slow(struct kmem_cache *s, void *object)
{
	struct page *page = compound_head(virt_to_page(object));
	struct kmem_cache_node *n;
	bool discard = false;

	if (!PageSlab(page) || page->slab_cache != s ||
	    !object_in_slab(s, slab_base(page), object)) {
		pr_err("slub: %s: free of %#lx, not an object of this cache; ignored\n", s->name,
		       (unsigned long)object);
		return;
	}
	n = slab_node(s, page);
	spin_lock(&n->list_lock);
	/* The head of the list again, or a slab with nothing in use: freed before. */
	if (object == page->freelist || !page->inuse) {
		spin_unlock(&n->list_lock);
		double_free(s, object);
		return;
	}
	if (unlikely(s->init_on_free))
		memset(object, 0, s->object_size);
	set_freepointer(s, object, page->freelist);
	page->freelist = object;
	if (!page->frozen && page->inuse == page->objects) {
		list_move_tail(&page->slab_list, &n->partial);
		n->nr_partial++;
	}
	if (!--page->inuse && !page->frozen && n->nr_partial > s->min_partial) {
		list_del(&page->slab_list);
		n->nr_partial--;
		n->nr_slabs--;
		discard = true;
	}
	this_cpu_slab(s)->in_use--;
	spin_unlock(&n->list_lock);
	if (discard)
		free_slab(s, page);
}

/*
 * A free the fast path did not take, interrupts masked: NULL (ignored),
 * the list's head again (a double free), an object of the active slab
 * with init_on_free, or an object of another slab.
 */
static __always_inline void __slab_free_other(struct kmem_cache *s, void *object)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (!object)
		return;
	if (object == c->freelist) {
		double_free(s, object);
	} else if ((unsigned long)object - c->base < s->span) {
		memset(object, 0, s->object_size);
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
		c->in_use--;
	} else {
		slab_free_slow(s, object);
	}
}

/* __slab_free_other(), then interrupts back as the caller had them (flags). */
static __noinline void slab_free_other(struct kmem_cache *s, void *object, unsigned long flags)
{
	__slab_free_other(s, object);
	local_irq_restore(flags);
}

/*
 * The fast path: an object of this CPU's active slab goes on the head of
 * its lockless list; true when it did. A pointer into the slab that is
 * not an object start is caught when it comes off the list
 * (slab_alloc_node()). Interrupts masked.
 */
static __always_inline bool slab_free_fast(struct kmem_cache *s, struct kmem_cache_cpu *c,
					   void *object)
{
	void *head = c->freelist;

	if (unlikely((unsigned long)object - c->free_base >= s->span || object == head))
		return false;
	set_freepointer(s, object, head);
	c->freelist = object;
	c->in_use--;
	return true;
}

void kmem_cache_free(struct kmem_cache *s, void *object)
{
	unsigned long flags;

	local_irq_save(flags);
	if (unlikely(!slab_free_fast(s, this_cpu_slab(s), object)))
		return slab_free_other(s, object, flags);
	local_irq_restore(flags);
}

/*
 * The bulk paths keep the list and the cache's fields in registers: the
 * stores into p[] could alias them otherwise.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p)
{
	const unsigned long span = s->span, magic = s->div_magic, random = s->random;
	const unsigned int offset = s->offset;
	struct kmem_cache_cpu *c;
	unsigned long flags;
	size_t i = 0;

	while (i < size) {
		size_t first = i;
		unsigned long base;
		void *object;

		local_irq_save(flags);
		c = this_cpu_slab(s);
		object = c->freelist;
		base = c->alloc_base;
		for (; i < size; i++) {
			unsigned long addr = (unsigned long)object + offset;

			if (unlikely(!object || !offset_is_object((unsigned long)object - base, span, magic)))
				break;
			p[i] = object;
			object = (void *)freelist_ptr(random, *(unsigned long *)addr, addr);
		}
		c->freelist = object;
		c->in_use += (long)(i - first);
		if (i == size) {
			local_irq_restore(flags);
			break;
		}
		object = slab_alloc_slow(s, gfp & ~__GFP_ZERO, NUMA_NO_NODE, flags);
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

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	const unsigned long span = s->span, random = s->random;
	const unsigned int offset = s->offset;
	struct kmem_cache_cpu *c;
	unsigned long flags, base;
	void *head;
	size_t i = 0;

	local_irq_save(flags);
	c = this_cpu_slab(s);
	while (i < size) {
		size_t first = i;

		head = c->freelist;
		base = c->free_base;
		for (; i < size; i++) {
			void *object = p[i];
			unsigned long addr = (unsigned long)object + offset;

			if (unlikely((unsigned long)object - base >= span || object == head))
				break;
			*(unsigned long *)addr = freelist_ptr(random, (unsigned long)head, addr);
			head = object;
		}
		c->freelist = head;
		c->in_use -= (long)(i - first);
		if (i < size)
			__slab_free_other(s, p[i++]);
	}
	local_irq_restore(flags);
}

/* ---- shrinking -------------------------------------------------------------- */

/*
 * Gives up cpu's active slab of s. For another CPU than the caller's this
 * is safe only while that CPU does not run (true until secondary CPUs
 * start; they will need a cross-call, as Linux's flush_all()).
 */
static void flush_cpu_slab(struct kmem_cache *s, unsigned int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	unsigned long flags;

	local_irq_save(flags);
	if (c->page)
		deactivate_slab(s, c);
	local_irq_restore(flags);
}

static void flush_all(struct kmem_cache *s)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		flush_cpu_slab(s, cpu);
}

/*
 * Takes up to max_pages pages' worth of empty slabs (all of them for
 * ~0UL) off s's partial lists and frees them; returns the pages freed.
 */
static unsigned long free_empty_slabs(struct kmem_cache *s, unsigned long max_pages)
{
	unsigned long freed = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = &s->node[nid];
		struct page *page, *tmp;
		unsigned long flags;
		LIST_HEAD(empty);

		if (!READ_ONCE(n->nr_partial))
			continue;
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(page, tmp, &n->partial, slab_list) {
			if (freed >= max_pages)
				break;
			if (page->inuse)
				continue;
			list_move(&page->slab_list, &empty);
			n->nr_partial--;
			n->nr_slabs--;
			freed += 1UL << s->order;
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
		list_for_each_entry_safe(page, tmp, &empty, slab_list)
			free_slab(s, page);
	}
	return freed;
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	flush_all(s);
	free_empty_slabs(s, ~0UL);
	return 0;
}

unsigned long slab_empty_pages(void)
{
	unsigned long pages = 0, flags;
	struct kmem_cache *s;

	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		for (int nid = 0; nid < MAX_NUMNODES; nid++) {
			struct kmem_cache_node *n = &s->node[nid];
			struct page *page;

			if (!READ_ONCE(n->nr_partial))
				continue;
			spin_lock_irqsave(&n->list_lock, flags);
			list_for_each_entry(page, &n->partial, slab_list)
				if (!page->inuse)
					pages += 1UL << s->order;
			spin_unlock_irqrestore(&n->list_lock, flags);
		}
	}
	spin_unlock(&slab_lock);
	return pages;
}

unsigned long slab_shrink_empty(unsigned long nr_pages)
{
	unsigned long freed = 0;
	struct kmem_cache *s;

	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		if (freed >= nr_pages)
			break;
		freed += free_empty_slabs(s, nr_pages - freed);
	}
	spin_unlock(&slab_lock);
	return freed;
}

long slab_objects_in_use(const struct kmem_cache *s)
{
	long in_use = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		in_use += READ_ONCE(s->cpu_slab[cpu].in_use);
	return in_use;
}

unsigned long slab_pages(const struct kmem_cache *s)
{
	unsigned long slabs = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		slabs += READ_ONCE(s->node[nid].nr_slabs);
	return slabs << s->order;
}

/* ---- creation and destruction ----------------------------------------------- */

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
	/*
	 * A constructed object keeps its state while free: its pointer goes
	 * after it. Otherwise in its middle, where a small overflow from the
	 * object before does not reach it (Linux since 5.7).
	 */
	if (ctor) {
		s->offset = s->size;
		s->size += sizeof(void *);
	} else {
		s->offset = ALIGN_DOWN(size / 2, (unsigned int)sizeof(void *));
	}
	s->size = ALIGN_UP(s->size, s->align);
	order = calculate_order(s->size);
	if (order < 0)
		return "object too large for a slab";
	s->order = (unsigned int)order;
	s->objects = min((unsigned int)((PAGE_SIZE << order) / s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	s->span = (unsigned long)s->objects * s->size;
	s->div_magic = ~0UL / s->size + 1;
	/* Linux's set_min_partial(s, ilog2(s->size) / 2). */
	s->min_partial = min(max((fls64(s->size) - 1) / 2, (unsigned int)MIN_PARTIAL),
			     (unsigned int)MAX_PARTIAL);
	s->allocflags = flags & SLAB_CACHE_DMA ? __GFP_DMA : flags & SLAB_CACHE_DMA32 ? __GFP_DMA32 : 0;
	s->zero_gfp = init_on_alloc && !ctor ? ~0u : __GFP_ZERO;
	s->init_on_free = init_on_free && !ctor;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		s->cpu_slab[cpu] = (struct kmem_cache_cpu){
			.base = SLAB_NO_BASE, .alloc_base = SLAB_NO_BASE, .free_base = SLAB_NO_BASE };
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = &s->node[nid];

		n->list_lock = (spinlock_t)SPINLOCK_INIT;
		n->nr_partial = 0;
		n->nr_slabs = 0;
		INIT_LIST_HEAD(&n->partial);
		INIT_LIST_HEAD(&n->full);
	}
	return NULL;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *why = name ? NULL : "no name";
	unsigned long irqflags;

	if (!why) {
		s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
		why = s ? init_cache(s, name, size, align, flags, ctor) : "out of memory";
	}
	if (why) {
		if (s)
			kmem_cache_free(kmem_cache, s);
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
	unsigned int lost = 0;
	long in_use;

	if (!s)
		return;
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
	flush_all(s);
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = &s->node[nid];
		struct page *page, *tmp;

		struct list_head *lists[] = { &n->partial, &n->full };

		/* Only slabs whose free list was dropped have objects counted in use now. */
		for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++) {
			list_for_each_entry_safe(page, tmp, lists[i], slab_list) {
				lost += page->inuse != 0;
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
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		slab_rng[cpu].state = (seed ^ (0x9e3779b97f4a7c15ULL * (cpu + 1))) | 1;
	kmem_cache = &kmem_cache_boot;
	init_cache(kmem_cache, "kmem_cache", sizeof(struct kmem_cache), SLAB_CPU_ALIGN,
		   SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	kmem_cache->random = slab_random();
	list_add(&kmem_cache->list, &slab_caches);
	for_each_online_node(nid)
		nodes = nid + 1;
	pr_info("SLUB: HWalign=%u, Order=0-%u, MinObjects=0, CPUs=1, Nodes=%d\n",
		cache_line_size(), SLUB_MAX_ORDER, nodes ? nodes : 1);
	pr_info("mem auto-init: init_on_alloc:%s, init_on_free:%s\n", init_on_alloc ? "on" : "off",
		init_on_free ? "on" : "off");
}
