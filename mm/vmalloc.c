/*
 * vmalloc, vmap and the vmalloc region's areas (mk64/vmalloc.h).
 *
 * An area is a range of the region taken from the free-range tree
 * (mm/vmap_area.c), its size plus a guard page that is never mapped,
 * recorded as a vmap_area in the busy tree (by address: find_vm_area() and
 * vfree() are O(log n)) pointing at its vm_struct, which is on
 * vmap_area_list in address order. The first page of the region is never
 * handed out: the page below any area is unmapped.
 *
 * The vmap_area, its vm_struct and a small area's page array are one
 * object (struct vmap_node), and every node of the free-range tree and its
 * stash is one too: a steady vmalloc/vfree cycle takes its node from the
 * stash and gives it back there, allocating no metadata at all.
 *
 * Locking: vmap_area_lock (a spinlock) for the trees, the list and the
 * counters, never held across an allocation; page-table edits under
 * vmap_pgtable_lock, which stands for Linux's sleeping init_mm lock: the
 * GFP_KERNEL table allocation inside may sleep, so it spins without
 * raising the preempt count (mk64/spinlock.h's arch_ variants). Tables
 * stay once made (pgtable_unmap_keep_tables()), as Linux's do.
 *
 * Freeing unmaps at once and flushes the TLB for the range before the
 * range is reusable and before its pages are freed, so a use after vfree()
 * faults and is named. Linux defers the flush and the range's return to
 * batch them ("lazy purge"); here that would save only the TLBIs (one
 * instruction a page) and one tree insertion, and would let a stale TLB
 * entry hide a use after free, so it is not done.
 */
#include <limits.h>
#include <asm/mmu.h>
#include <mk64/errno.h>
#include <mk64/kernel.h>
#include <mk64/kallsyms.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/slab.h>
#include <mk64/string.h>
#include "vmalloc_internal.h"

/* Spare nodes kept beyond what one allocation needs, before some go back. */
#define STASH_MAX 8
/* Two: one for the area, one when carving splits a free range. */
#define STASH_NEED 2
/* Pages whose array rides in the node: a kernel stack's. */
#define VM_INLINE_PAGES (THREAD_SIZE / PAGE_SIZE)

/* A busy area's records, or (its vmap_area alone in use) a free range's. */
struct vmap_node {
	struct vmap_area va;
	struct vm_struct vm;
	struct page *pages[VM_INLINE_PAGES];
};

spinlock_t vmap_area_lock = SPINLOCK_INIT;
struct rb_root vmap_busy_root;
LIST_HEAD(vmap_area_list);
unsigned long vmap_nr_areas, vmap_seq;
struct vmap_freed vmap_freed_history[VMAP_FREED_HISTORY];
unsigned int vmap_freed_next;

static struct vmap_free_tree free_tree;
static spinlock_t vmap_pgtable_lock = SPINLOCK_INIT;
static struct kmem_cache *vmap_node_cachep;
/* vfree_atomic()'s queue: areas linked through their first word. */
static void *deferred_head;

static struct vmap_area *va_of(const struct rb_node *node)
{
	return rb_entry(node, struct vmap_area, rb_node);
}

void vmalloc_init(void)
{
	struct vmap_area *va;

	vmap_node_cachep = kmem_cache_create("vmap_area", sizeof(struct vmap_node), 0, SLAB_PANIC,
					     NULL);
	va = kmem_cache_alloc(vmap_node_cachep, GFP_KERNEL);
	if (!va)
		panic("vmalloc: no memory for the free-range tree");
	vmap_free_init(&free_tree, VMALLOC_START + PAGE_SIZE, VMALLOC_END, va);
	vmalloc_fault_init();
}

/* ---- areas ---------------------------------------------------------------- */

struct vmap_area *vmap_busy_lookup(unsigned long addr)
{
	struct rb_node *n = READ_ONCE(vmap_busy_root.rb_node);

	for (int depth = 0; n && depth < 128; depth++) {
		struct vmap_area *va = va_of(n);

		if (addr < READ_ONCE(va->va_start))
			n = READ_ONCE(n->rb_left);
		else if (addr >= READ_ONCE(va->va_end))
			n = READ_ONCE(n->rb_right);
		else
			return va;
	}
	return NULL;
}

/* vmap_busy_lookup() under vmap_area_lock: the tree is whole, no bound needed. */
static __always_inline struct vmap_area *busy_find(unsigned long addr)
{
	struct rb_node *n = vmap_busy_root.rb_node;

	while (n) {
		struct vmap_area *va = va_of(n);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* The busy area starting at addr, or NULL; under vmap_area_lock. */
static __always_inline struct vmap_area *busy_find_start(unsigned long addr)
{
	struct rb_node *n = vmap_busy_root.rb_node;

	while (n) {
		struct vmap_area *va = va_of(n);

		if (addr == va->va_start)
			return va;
		n = addr < va->va_start ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/*
 * Until the stash holds STASH_NEED nodes: allocates more, dropping the
 * lock meanwhile. False (lock held) when the cache has none.
 */
static __noinline bool stash_refill(gfp_t gfp)
{
	while (free_tree.nr_stash < STASH_NEED) {
		struct vmap_area *va;

		spin_unlock(&vmap_area_lock);
		va = kmem_cache_alloc(vmap_node_cachep, gfp);
		spin_lock(&vmap_area_lock);
		if (!va)
			return false;
		vmap_stash_push(&free_tree, va);
	}
	return true;
}

/* Frees the stash's nodes beyond keep; called and returns without the lock. */
static void stash_trim(unsigned int keep)
{
	struct vmap_area *extra = NULL, *va;

	spin_lock(&vmap_area_lock);
	while (free_tree.nr_stash > keep) {
		va = vmap_stash_pop(&free_tree);
		va->stash_next = extra;
		extra = va;
	}
	spin_unlock(&vmap_area_lock);
	while ((va = extra)) {
		extra = va->stash_next;
		kmem_cache_free(vmap_node_cachep, va);
	}
}

static __always_inline bool stash_fill(gfp_t gfp)
{
	return likely(free_tree.nr_stash >= STASH_NEED) || stash_refill(gfp);
}

void vmap_stash_drain(void)
{
	stash_trim(0);
}

static __always_inline void insert_busy(struct vmap_area *va)
{
	struct rb_node **link = &vmap_busy_root.rb_node, *parent = NULL;
	struct list_head *prev = &vmap_area_list;

	/* The predecessor of a new leaf: the last node the descent went right at. */
	while (*link) {
		parent = *link;
		if (va->va_start < va_of(parent)->va_start) {
			link = &parent->rb_left;
		} else {
			prev = &va_of(parent)->vm->list;
			link = &parent->rb_right;
		}
	}
	rb_link_node(&va->rb_node, parent, link);
	rb_insert_color(&va->rb_node, &vmap_busy_root);
	list_add(&va->vm->list, prev);
}

static struct vmap_node *node_of(struct vmap_area *va)
{
	return container_of(va, struct vmap_node, va);
}

/*
 * An area of size bytes, its guard included, at align: a node from the
 * stash in the busy tree and on the list, its vm_struct filled in with
 * pages (for vmalloc, NULL: the node's own array). NULL when the region
 * or the node cache is exhausted.
 */
static __always_inline struct vm_struct *reserve_area(unsigned long size, unsigned long flags,
						      unsigned long align, struct page **pages,
						      gfp_t gfp, const void *caller)
{
	struct vmap_node *node;
	struct vm_struct *vm;
	unsigned long addr;

	spin_lock(&vmap_area_lock);
	/* No flag to learn of a missing node: stash_fill() made sure of one. */
	if (unlikely(!stash_fill(gfp)) ||
	    unlikely(!(addr = vmap_free_take(&free_tree, size, align, NULL)))) {
		spin_unlock(&vmap_area_lock);
		return NULL;
	}
	node = node_of(vmap_stash_pop(&free_tree));
	vm = &node->vm;
	node->va.va_start = addr;
	node->va.va_end = addr + size;
	node->va.vm = vm;
	vm->addr = (void *)addr;
	vm->size = size;
	vm->flags = flags;
	vm->pages = !pages && (flags & VM_ALLOC) ? node->pages : pages;
	vm->nr_pages = 0;
	vm->phys_addr = 0;
	vm->caller = caller;
	vm->seq = ++vmap_seq;
	insert_busy(&node->va);
	vmap_nr_areas++;
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* Remembers vm, being freed, for the fault describer; under vmap_area_lock. */
static __always_inline void remember_freed(const struct vm_struct *vm)
{
	struct vmap_freed *h = &vmap_freed_history[vmap_freed_next % VMAP_FREED_HISTORY];

	WRITE_ONCE(h->size, 0);	/* the describer skips a half-written entry */
	h->start = (unsigned long)vm->addr;
	h->flags = vm->flags;
	h->caller = vm->caller;
	WRITE_ONCE(h->size, get_vm_area_size(vm));
	vmap_freed_next++;
}

/*
 * An area of size usable bytes (page aligned) and a guard page unless
 * VM_NO_GUARD, as reserve_area() makes it; NULL on failure.
 */
static __always_inline struct vm_struct *new_vm(unsigned long size, unsigned long flags,
						unsigned long align, struct page **pages, gfp_t gfp,
						const void *caller)
{
	unsigned long total = size + (flags & VM_NO_GUARD ? 0 : PAGE_SIZE);

	/*
	 * The area and page-table locks do not mask interrupts: a handler
	 * taking them over the code it interrupted would wait forever.
	 * Linux BUG()s here; refusing keeps the kernel running.
	 */
	if (WARN_ON(in_interrupt()))
		return NULL;
	if (size < PAGE_SIZE || total < size || total > VMALLOC_END - VMALLOC_START)
		return NULL;
	return reserve_area(total, flags, align, pages, gfp & ~(GFP_ZONEMASK | __GFP_ZERO), caller);
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller)
{
	return new_vm(PAGE_ALIGN(size), flags, PAGE_SIZE, NULL, GFP_KERNEL, caller);
}

static void map_lock(void)
{
	arch_spin_lock(&vmap_pgtable_lock);
}

static void map_unlock(void)
{
	arch_spin_unlock(&vmap_pgtable_lock);
}

/* An address that starts no area, handed to fn ("vfree", "vunmap"): said, not freed. */
static __noinline __cold void report_bad_free(const void *addr, const char *fn,
					       const void *caller)
{
	char sym[KSYM_SYMBOL_LEN];
	struct vm_struct *vm = find_vm_area(addr);

	sprint_symbol(sym, sizeof(sym), (u64)caller);
	pr_err("%s: %p is not the start of a vmalloc area; not freed\n", fn, addr);
	if (vm)
		pr_err("  %p: %lu bytes into the area at %p (%lu bytes)\n", addr,
		       (unsigned long)addr - (unsigned long)vm->addr, vm->addr,
		       get_vm_area_size(vm));
	else if (!is_vmalloc_addr(addr))
		pr_err("  %p: outside the vmalloc region\n", addr);
	else
		pr_err("  %p: in no live area (freed already?)\n", addr);
	pr_err("  caller: %s\n", sym);
}

/*
 * A dying vmalloc area's pages, copied out of its node under the lock:
 * once the node is back with the free tree, another CPU may reuse it.
 * Four scalars, not an array: no stack canary on the vfree() path.
 */
struct dead_pages {
	struct page **array;	/* an array of the area's own, or NULL */
	struct page *p0, *p1, *p2, *p3;	/* else the node's */
	unsigned int nr;
};
_Static_assert(VM_INLINE_PAGES == 4, "struct dead_pages holds a node's page array");

static __always_inline void take_dead_pages(struct dead_pages *d, struct vmap_node *node)
{
	struct vm_struct *vm = &node->vm;

	d->array = vm->pages == node->pages ? NULL : vm->pages;
	d->nr = vm->flags & VM_ALLOC ? vm->nr_pages : 0;
	d->p0 = node->pages[0];
	d->p1 = node->pages[1];
	d->p2 = node->pages[2];
	d->p3 = node->pages[3];
}

static __always_inline void free_dead_pages(const struct dead_pages *d)
{
	if (d->array) {
		for (unsigned int i = 0; i < d->nr; i++)
			__free_pages(d->array[i], 0);
	} else {
		if (d->nr > 0)
			__free_pages(d->p0, 0);
		if (d->nr > 1)
			__free_pages(d->p1, 0);
		if (d->nr > 2)
			__free_pages(d->p2, 0);
		if (d->nr > 3)
			__free_pages(d->p3, 0);
	}
}

/*
 * Unmaps, frees the pages when free_pages (vfree) and the area. The range
 * goes back to the free tree in the same critical section as it leaves
 * the busy tree, after its TLB entries are gone (unmapping allocates
 * nothing, so it may run under the spinlock).
 */
static __always_inline void remove_area(const void *addr, bool free_pages, const char *fn,
					const void *caller)
{
	struct dead_pages dead;
	struct vm_struct *vm;
	struct vmap_area *va;
	bool ok;

	spin_lock(&vmap_area_lock);
	va = busy_find_start((unsigned long)addr);
	if (unlikely(!va)) {
		spin_unlock(&vmap_area_lock);
		report_bad_free(addr, fn, caller);
		return;
	}
	vm = va->vm;
	rb_erase(&va->rb_node, &vmap_busy_root);
	list_del(&vm->list);
	vmap_nr_areas--;
	map_lock();
	pgtable_unmap_keep_tables(&init_pgtable, va->va_start, get_vm_area_size(vm));
	map_unlock();
	remember_freed(vm);
	take_dead_pages(&dead, node_of(va));
	ok = vmap_free_insert(&free_tree, va);
	spin_unlock(&vmap_area_lock);
	WARN_ON(!ok);
	if (free_pages && dead.nr)
		free_dead_pages(&dead);
	if (unlikely(dead.array))
		kvfree(dead.array);
	if (unlikely(free_tree.nr_stash > STASH_MAX))
		stash_trim(STASH_MAX);
}

/* remove_area() for the callers off the hot path. */
static __noinline void remove_area_slow(const void *addr, bool free_pages, const char *fn,
					const void *caller)
{
	remove_area(addr, free_pages, fn, caller);
}

void free_vm_area(struct vm_struct *area)
{
	remove_area_slow(area->addr, false, "free_vm_area", __builtin_return_address(0));
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va;
	struct vm_struct *vm;

	spin_lock(&vmap_area_lock);
	va = busy_find((unsigned long)addr);
	vm = va ? va->vm : NULL;
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* ---- vmalloc -------------------------------------------------------------- */

static void *vmalloc_fail(unsigned long size, gfp_t gfp, const char *why)
{
	if (!(gfp & __GFP_NOWARN))
		pr_warn("vmalloc error: size %lu, %s, mode:0x%x\n", size, why, gfp);
	return NULL;
}

/*
 * The page array of an area of nr pages, too many for its node: from
 * kmalloc, or as Linux when large, vmalloc'd itself ("vpages").
 */
static __noinline struct page **alloc_page_array(unsigned int nr, gfp_t gfp, int node,
						 const void *caller)
{
	size_t bytes = (size_t)nr * sizeof(struct page *);

	gfp &= ~(GFP_ZONEMASK | __GFP_ZERO);
	if (bytes <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_node(bytes, gfp, node);
	return __vmalloc_node(bytes, 1, gfp, node, caller);
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node,
		     const void *caller)
{
	unsigned long real = PAGE_ALIGN(size);
	gfp_t page_gfp = gfp | __GFP_NOWARN;
	struct page **pages = NULL;
	struct vm_struct *vm;
	int err, page_node;
	unsigned int nr;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	vfree_deferred();
	if (!size || real < size || real > VMALLOC_END - VMALLOC_START ||
	    (real >> PAGE_SHIFT) > UINT_MAX)
		return vmalloc_fail(size, gfp, "invalid size");
	if (align & (align - 1))
		return vmalloc_fail(size, gfp, "alignment not a power of two");
	nr = (unsigned int)(real >> PAGE_SHIFT);
	if (nr > VM_INLINE_PAGES) {
		pages = alloc_page_array(nr, gfp, node, caller);
		if (!pages)
			return vmalloc_fail(size, gfp, "no memory for the page array");
	}
	vm = new_vm(real, VM_ALLOC | VM_UNINITIALIZED, max(align, PAGE_SIZE), pages, gfp,
		    caller);
	if (!vm) {
		kvfree(pages);
		return vmalloc_fail(size, gfp, "vmalloc space or its metadata exhausted");
	}
	pages = vm->pages;
	/* Any page will do, highmem too, unless a zone was asked for. */
	if (!(gfp & (__GFP_DMA | __GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	page_node = node == NUMA_NO_NODE ? numa_node_id() : node;
	if (nr == 1) {
		/* The bulk call's setup would cost more than it saves. */
		pages[0] = alloc_pages_node(page_node, page_gfp, 0);
		vm->nr_pages = pages[0] != NULL;
	} else {
		/* From the per-CPU list under one lock while it has them. */
		for (unsigned int i = 0; i < nr; i++)
			pages[i] = NULL;
		while (vm->nr_pages < nr) {
			unsigned long got = alloc_pages_bulk_array_node(page_gfp, page_node,
									nr - vm->nr_pages,
									pages + vm->nr_pages);

			if (!got)
				break;
			vm->nr_pages += got;
		}
	}
	if (vm->nr_pages < nr) {
		vfree(vm->addr);
		return vmalloc_fail(size, gfp, "failed to allocate pages");
	}
	map_lock();
	err = pgtable_map_pages(&init_pgtable, (u64)vm->addr, pages, nr, PAGE_KERNEL);
	map_unlock();
	if (err) {
		vfree(vm->addr);
		return vmalloc_fail(size, gfp, "failed to map pages");
	}
	__atomic_store_n(&vm->flags, vm->flags & ~VM_UNINITIALIZED, __ATOMIC_RELEASE);
	return vm->addr;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, __builtin_return_address(0));
}

void *vmalloc_32(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | GFP_DMA32, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc_node(size, 1, gfp, NUMA_NO_NODE, __builtin_return_address(0));
}

void vfree_atomic(const void *addr)
{
	void **link = (void **)addr;
	void *head = __atomic_load_n(&deferred_head, __ATOMIC_RELAXED);

	if (!addr)
		return;
	do {
		*link = head;
	} while (!__atomic_compare_exchange_n(&deferred_head, &head, (void *)addr, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

void vfree_deferred(void)
{
	void *p;

	if (likely(!READ_ONCE(deferred_head)))
		return;
	p = __atomic_exchange_n(&deferred_head, NULL, __ATOMIC_ACQUIRE);
	while (p) {
		void *next = *(void **)p;

		remove_area_slow(p, true, "vfree", __builtin_return_address(0));
		p = next;
	}
}

void vfree(const void *addr)
{
	if (!addr)
		return;
	if (in_interrupt()) {
		vfree_atomic(addr);
		return;
	}
	might_sleep();
	vfree_deferred();
	remove_area(addr, true, "vfree", __builtin_return_address(0));
}

/* ---- vmap ----------------------------------------------------------------- */

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *vm;
	int err;

	might_sleep();
	vfree_deferred();
	if (!count)
		return NULL;
	vm = new_vm((unsigned long)count << PAGE_SHIFT, flags | VM_MAP, PAGE_SIZE, NULL, GFP_KERNEL,
		    __builtin_return_address(0));
	if (!vm)
		return NULL;
	map_lock();
	err = pgtable_map_pages(&init_pgtable, (u64)vm->addr, pages, count, prot);
	map_unlock();
	if (err) {
		free_vm_area(vm);
		return NULL;
	}
	return vm->addr;
}

void vunmap(const void *addr)
{
	might_sleep();
	BUG_ON(in_interrupt());
	vfree_deferred();
	if (addr)
		remove_area_slow(addr, false, "vunmap", __builtin_return_address(0));
}

int ioremap_page_range(unsigned long addr, unsigned long end, phys_addr_t phys, pgprot_t prot)
{
	int err;

	map_lock();
	err = pgtable_map(&init_pgtable, addr, phys, end - addr, prot, PGTABLE_NO_BLOCKS);
	map_unlock();
	return err;
}

struct page *vmalloc_to_page(const void *addr)
{
	struct pgtable_walk w;
	unsigned long pfn;

	if (!pgtable_walk(&init_pgtable, (u64)addr, &w))
		return NULL;
	pfn = w.phys >> PAGE_SHIFT;
	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}
