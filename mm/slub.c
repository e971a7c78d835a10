/*
 * SLUB: caches of fixed-size objects carved from buddy pages, with Linux's
 * API (mk64/slab.h) and layout (mk64/slub_def.h).
 *
 * Fast paths: an allocation takes the first object of this CPU's lockless
 * free list, a free of an object of this CPU's active slab pushes it
 * there; both as restartable sections (asm/slub_fast.h): an interrupt
 * taken inside one sends it back to its start, which is what keeps the
 * per-CPU state consistent against interrupt handlers on this CPU. Chosen
 * over Linux's transaction id (without LSE atomics a cmpxchg_double is an
 * LDXP/STXP loop with barriers, about a dozen instructions) and over
 * masking interrupts around them (three instructions each way, which
 * the slow paths still do: they read everything again).
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
 *
 * A debug cache (mm/slub_debug.c) takes neither fast path: its per-CPU
 * slab is never set, and each slow path hands it over with one test.
 */
#include <mk64/gfp.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/string.h>
#include "slub.h"

/*
 * A new slab from the buddy allocator on node nid, its objects
 * constructed (a debug cache's laid out first), not yet on any list and
 * without a free list. Interrupts as the caller had them (may reclaim).
 */
struct page *new_slab(struct kmem_cache *s, gfp_t gfp, int nid)
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
	if (unlikely(kmem_cache_debug(s)))
		setup_slab_debug(s, page);
	if (s->ctor)
		for (unsigned int i = 0; i < s->objects; i++)
			s->ctor((void *)(base + s->red_left_pad + (unsigned long)i * s->size));
	n = slab_node(s, page);
	spin_lock_irqsave(&n->list_lock, flags);
	n->nr_slabs++;
	spin_unlock_irqrestore(&n->list_lock, flags);
	return page;
}

/* Gives a slab that is on no list, and no longer counted, back to the buddy allocator. */
void free_slab(struct kmem_cache *s, struct page *page)
{
	if (unlikely(kmem_cache_debug(s)))
		slab_pad_check(s, page);
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
 * Unfreezes a slab a CPU held (its active slab or one on its partial
 * list), head being the list only that CPU used: the list goes back on
 * the slab's own list and the slab onto its node's lists (or back to the
 * buddy allocator when empty and the node has enough). Interrupts masked.
 */
static void unfreeze_slab(struct kmem_cache *s, struct page *page, void *head)
{
	struct kmem_cache_node *n = slab_node(s, page);
	unsigned int count;
	bool discard, dropped;
	void *tail;

	tail = walk_freelist(s, slab_base(page), &head, &count, &dropped);
	spin_lock(&n->list_lock);
	if (dropped)
		page->dropped = 1;
	if (tail) {
		set_freepointer(s, tail, page->freelist);
		page->freelist = head;
		page->inuse -= count;
	}
	page->frozen = 0;
	page->cpu_partial = 0;
	discard = file_slab(s, n, page);
	spin_unlock(&n->list_lock);
	if (discard)
		free_slab(s, page);
}

void drain_cpu_array(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	void *head = c->freelist;

	for (unsigned int i = 0; i < c->avail; i++) {
		set_freepointer(s, c->entry[i], head);
		head = c->entry[i];
	}
	c->freelist = head;
	c->avail = 0;
	c->free_base = slab_free_lockless(s) ? c->base : SLAB_NO_BASE;
}

/* Gives up this CPU's active slab (unfreeze_slab()). Interrupts masked. */
void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	void *head;

	if (c->avail)
		drain_cpu_array(s, c);
	head = c->freelist;
	c->page = NULL;
	c->freelist = NULL;
	c->base = SLAB_NO_BASE;
	c->free_base = SLAB_NO_BASE;
	unfreeze_slab(s, page, head);
}

/* Unfreezes every slab of c's partial list (Linux's unfreeze_partials()). Interrupts masked. */
void unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->partial;

	set_cpu_partial(s, c, NULL);
	c->nr_partial = 0;
	while (page) {
		struct page *next = page->next;

		unfreeze_slab(s, page, page->cpu_freelist);
		page = next;
	}
}

/* Makes page this CPU's active slab, with the free list at head. Interrupts masked. */
static void activate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page,
			  void *head)
{
	c->page = page;
	c->base = slab_base(page);
	c->free_base = slab_free_lockless(s) ? c->base : SLAB_NO_BASE;
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

/*
 * The first slab of this CPU's partial list, made its active slab's
 * successor: the free list in *head, NULL when the list has no slab.
 * Interrupts masked.
 */
static struct page *get_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c, void **head)
{
	struct page *page = c->partial;
	struct kmem_cache_node *n;

	if (!page)
		return NULL;
	set_cpu_partial(s, c, page->next);
	c->nr_partial--;
	*head = page->cpu_freelist;
	n = slab_node(s, page);
	spin_lock(&n->list_lock);
	page->cpu_partial = 0;
	/* Only possible when its own list was dropped: the other CPUs' frees, if any. */
	if (!*head)
		*head = freeze_slab(page);
	spin_unlock(&n->list_lock);
	return page;
}

/* A partial slab of node nid, frozen, with its free list in *head; or NULL. Interrupts masked. */
static struct page *get_partial(struct kmem_cache *s, int nid, void **head)
{
	struct kmem_cache_node *n = s->node[nid];
	struct page *page = NULL;

	if (!n || !READ_ONCE(n->nr_partial))
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
 * would otherwise take a new slab each time. So is one that came online
 * after the cache was made (host tests), having no node structure.
 */
static bool node_has_slab_memory(const struct kmem_cache *s, int nid)
{
	const pg_data_t *pgdat;

	if (nid < 0 || nid >= MAX_NUMNODES || !s->node[nid] || !(pgdat = NODE_DATA(nid)))
		return false;
	for (int z = 0; z < pgdat->nr_zones && z <= (int)gfp_zone(s->allocflags); z++)
		if (pgdat->node_zones[z].managed_pages)
			return true;
	return false;
}

/*
 * The slow path of an allocation, interrupts masked (flags: as the caller
 * had them): this CPU's lockless list is empty (its array, when it holds
 * objects, moved onto it and used first), does not start with an
 * object of its slab (reported, dropped), or its slab is on another node
 * than asked for. Takes the frees other CPUs made into the active slab,
 * else a partial slab, else a new one (with interrupts as the caller had
 * them while the page allocator runs). Returns the first object of the
 * new list, taken off it, or NULL; interrupts as the caller had them.
 * addr: the allocation's caller, for a debug cache's track.
 */
__noinline void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int nid, unsigned long addr,
				 unsigned long flags)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct page *page = c->page;
	void *head = NULL, *object;
	int want;

	if (nid != NUMA_NO_NODE && !node_has_slab_memory(s, nid))
		nid = NUMA_NO_NODE;
	/* Its per-CPU slab never set, a debug cache's fast path always fails to here. */
	if (unlikely(kmem_cache_debug(s)))
		return debug_slab_alloc(flags, s, gfp, nid, addr);
	want = nid == NUMA_NO_NODE ? numa_node_id() : nid;
	if (c->freelist && !object_in_slab(s, c->base, c->freelist)) {
		freelist_corrupted(s, NULL, c->freelist);
		c->freelist = NULL;
		spin_lock(&slab_node(s, page)->list_lock);
		page->dropped = 1;
		spin_unlock(&slab_node(s, page)->list_lock);
	}
	if (c->avail)
		drain_cpu_array(s, c);
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
	page = nid == NUMA_NO_NODE ? get_cpu_partial(s, c, &head) : NULL;
	if (!page && want >= 0)
		page = get_partial(s, want, &head);
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
	local_irq_restore(flags);
	if (unlikely(gfp & s->zero_gfp))
		memset(object, 0, s->object_size);
	return object;
}

/*
 * The fast path: the head of this CPU's lockless list, checked to be an
 * object of the CPU's slab (every pointer read back from a free object
 * reaches here, or deactivate_slab()'s walk, before it is used).
 */
static __always_inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid,
					     unsigned long addr)
{
	unsigned long flags, cpu_slab, span, magic, random, offset, zero_gfp;
	void *object;

	/* A node asked for: the slow path checks the active slab's. */
	if (nid != NUMA_NO_NODE)
		goto slow;
	/* Three LDPs, in struct kmem_cache's order; this CPU's list in asm/slub_fast.h. */
	load_pair((const unsigned long *)&s->cpu_slab, &cpu_slab, &span);
	load_pair(&s->div_magic, &magic, &random);
	load_pair(&s->offset, &offset, &zero_gfp);
	/* NULL is never within span of a linear-map base: no test of its own. */
	if (unlikely(!slab_pop_fast(this_cpu_ptr((struct kmem_cache_cpu __percpu *)cpu_slab),
				    span, magic, random, offset, &object)))
		goto slow;
	/* zero_gfp: __GFP_ZERO, or every flag with init_on_alloc. */
	if (unlikely(gfp & zero_gfp))
		return memset(object, 0, s->object_size);
	return object;
slow:
	local_irq_save(flags);
	return slab_alloc_slow(s, gfp, nid, addr, flags);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_node(s, gfp, NUMA_NO_NODE, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid)
{
	return slab_alloc_node(s, gfp, nid, _RET_IP_);
}

/*
 * The locked path of a free, interrupts masked: the cnt objects head to
 * tail (linked already when more than one; checked to be object starts of
 * page) are in a slab this CPU does not hold. The first free into a full
 * slab freezes it onto this CPU's partial list, the objects on its
 * cpu_freelist, so that this CPU's next frees into it take no lock (as
 * Linux's put_cpu_partial(); too many such slabs are unfrozen together).
 * Otherwise they go on the slab's own list; an empty slab goes back to
 * the buddy allocator when the node has more than min_partial partial
 * slabs. init_on_free zeroes a single object here, after the check.
 */
void slab_free_locked(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page,
		      void *head, void *tail, unsigned int cnt)
{
	struct kmem_cache_node *n = slab_node(s, page);
	bool discard = false;

	spin_lock(&n->list_lock);
	/* The head of the slab's list again, or more than it has in use: freed before. */
	if (head == page->freelist || tail == page->freelist || page->inuse < cnt) {
		spin_unlock(&n->list_lock);
		double_free(s, head);
		return;
	}
	if (unlikely(s->init_on_free) && cnt == 1)
		memset(head, 0, s->object_size);
	if (!page->frozen && page->inuse == page->objects) {
		list_del(&page->slab_list);
		page->frozen = 1;
		page->cpu_partial = 1;
		page->cpu = smp_processor_id() & 0xff;
		set_freepointer(s, tail, NULL);
		page->cpu_freelist = head;
		page->next = c->partial;
		spin_unlock(&n->list_lock);
		set_cpu_partial(s, c, page);
		if (++c->nr_partial > s->cpu_partial_slabs)
			unfreeze_partials(s, c);
		return;
	}
	set_freepointer(s, tail, page->freelist);
	page->freelist = head;
	page->inuse -= cnt;
	if (!page->inuse && !page->frozen && n->nr_partial > s->min_partial) {
		list_del(&page->slab_list);
		n->nr_partial--;
		n->nr_slabs--;
		discard = true;
	}
	spin_unlock(&n->list_lock);
	if (discard)
		free_slab(s, page);
}

/*
 * A free neither fast path took, interrupts masked: NULL (ignored), the
 * head of a list this CPU holds again (a double free; the CPU's array
 * moved onto its list first, its last object the head), an object of the
 * active slab (with init_on_free, or while the array held objects) or of
 * a slab on this CPU's partial list with init_on_free,
 * a pointer that is no object of s (reported), or an object of a slab
 * this CPU does not hold (slab_free_locked()).
 */
void __slab_free_other(struct kmem_cache *s, void *object)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct page *page;

	if (!object)
		return;
	if (c->avail)
		drain_cpu_array(s, c);
	page = object_slab(s, object);
	if (object == c->freelist || (page && on_this_cpu_partial(page) && object == page->cpu_freelist)) {
		double_free(s, object);
	} else if ((unsigned long)object - c->base < s->span) {
		if (unlikely(s->init_on_free))
			memset(object, 0, s->object_size);
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
	} else if (!page) {
		pr_err("slub: %s: free of %#lx, not an object of this cache; ignored\n", s->name,
		       (unsigned long)object);
	} else if (on_this_cpu_partial(page)) {
		if (unlikely(s->init_on_free))
			memset(object, 0, s->object_size);
		cpu_partial_push(s, page, object, object);
	} else {
		slab_free_locked(s, c, page, object, object, 1);
	}
}

/*
 * __slab_free_other(), then interrupts back as the caller had them
 * (flags); a debug cache's every free (its per-CPU slab never set, and
 * its slabs never on a CPU's partial list, the fast paths never take one).
 */
static __noinline void slab_free_slow(unsigned long flags, struct kmem_cache *s, void *object)
{
	/* Only tail calls lead here: the return address is kmem_cache_free()'s caller's. */
	if (unlikely(kmem_cache_debug(s)))
		return debug_slab_free(flags, s, object, _RET_IP_);
	__slab_free_other(s, object);
	local_irq_restore(flags);
}

/*
 * The second fast path, interrupts back as the caller had them (flags):
 * an object of a slab on this CPU's partial list goes on its
 * cpu_freelist (the first slab's without a struct page lookup); any of
 * __slab_free_other()'s other cases goes there. No call but the last, so
 * no stack frame.
 */
static __noinline void slab_free_other(struct kmem_cache *s, void *object, unsigned long flags)
{
	struct page *page;

	if (likely(slab_free_partial(s, this_cpu_slab(s), object))) {
		local_irq_restore(flags);
		return;
	}
	page = object ? object_slab(s, object) : NULL;
	if (unlikely(!page || !on_this_cpu_partial(page) || object == page->cpu_freelist ||
		     !slab_free_lockless(s)))
		return slab_free_slow(flags, s, object);
	cpu_partial_push(s, page, object, object);
	local_irq_restore(flags);
}

/*
 * The fast path: an object of this CPU's active slab goes on the head of
 * its lockless list. A pointer into the slab that is not an object start
 * is caught when it comes off the list (slab_alloc_node()).
 */
void kmem_cache_free(struct kmem_cache *s, void *object)
{
	unsigned long flags, cpu_slab, span, random, offset;

	load_pair((const unsigned long *)&s->cpu_slab, &cpu_slab, &span);
	load_pair(&s->random, &random, &offset);
	if (likely(slab_push_fast(this_cpu_ptr((struct kmem_cache_cpu __percpu *)cpu_slab), span,
				  random, offset, object)))
		return;
	local_irq_save(flags);
	slab_free_other(s, object, flags);
}
