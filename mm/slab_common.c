/*
 * kmalloc (mk64/slab.h): the size classes as SLUB caches made at boot, the
 * large path straight to the page allocator, and kfree()/ksize()/
 * krealloc() that tell the two apart by struct page.
 *
 * A large block is a compound page whose head's private field holds
 * KMALLOC_LARGE_MARK while it is allocated: Linux frees any compound page
 * kfree() is given, mk64 refuses one kmalloc_large() did not hand out.
 */
#include <asm/cache.h>
#include <mk64/bitops.h>
#include <mk64/gfp.h>
#include <mk64/kallsyms.h>
#include <mk64/kernel.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/slub_def.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "slub.h"

#define KMALLOC_LARGE_MARK 0x6b6d616c6c6f63UL	/* "kmalloc" */
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* The class index of sizes 1..192 by (size - 1) / 8: Linux's size_index[]. */
static const u8 size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,		/* 8, 16, 32, 32, 64 x4 */
	1, 1, 1, 1, 7, 7, 7, 7,		/* 96 x4, 128 x4 */
	2, 2, 2, 2, 2, 2, 2, 2,		/* 192 x8 */
};

static const char *const kmalloc_names[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	[KMALLOC_NORMAL] = { NULL, "kmalloc-96", "kmalloc-192", "kmalloc-8", "kmalloc-16",
			     "kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
			     "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k" },
	[KMALLOC_DMA] = { NULL, "dma-kmalloc-96", "dma-kmalloc-192", "dma-kmalloc-8",
			  "dma-kmalloc-16", "dma-kmalloc-32", "dma-kmalloc-64", "dma-kmalloc-128",
			  "dma-kmalloc-256", "dma-kmalloc-512", "dma-kmalloc-1k", "dma-kmalloc-2k",
			  "dma-kmalloc-4k", "dma-kmalloc-8k" },
};

/*
 * The cache kfree() tries first, per CPU (pcpu_hot.kfree_cache): the
 * kmalloc cache of the last object whose cache it had to look up. Only a
 * guess: kfree() frees without a lookup only an object start of that
 * cache's slabs this CPU holds (its active slab, the first of its partial
 * list), which proves the cache; kmalloc caches are never destroyed, so
 * the pointer stays good. Until the first lookup, kfree_no_cache: its
 * span is 0, so every pointer misses its slabs. Next to it in pcpu_hot,
 * this CPU's kmem_cache_cpu of it, so that kfree() needs no address
 * arithmetic; the two are written together with interrupts masked, so
 * that an interrupt handler's kfree() never sees them disagree.
 */
static struct kmem_cache kfree_no_cache;
static DEFINE_PER_CPU(struct kmem_cache_cpu, kfree_no_cpu_slab);

static void set_kfree_cache(struct pcpu_hot *hot, struct kmem_cache *s,
			    struct kmem_cache_cpu *c)
{
	unsigned long flags;

	local_irq_save(flags);
	hot->kfree_cache = s;
	hot->kfree_cpu_slab = c;
	local_irq_restore(flags);
}

void kfree_cache_init(void)
{
	unsigned int cpu;

	kfree_no_cache.cpu_slab = &kfree_no_cpu_slab;
	for_each_possible_cpu(cpu)
		set_kfree_cache(per_cpu_ptr(&pcpu_hot, cpu), &kfree_no_cache,
				per_cpu_ptr(&kfree_no_cpu_slab, cpu));
}

/* The cache for 1 <= size <= KMALLOC_MAX_CACHE_SIZE. */
static __always_inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index = size <= 192 ? size_index[(size - 1) / 8] : fls64(size - 1);

	return kmalloc_caches[kmalloc_type(flags)][index];
}

void create_kmalloc_caches(void)
{
	for (int type = 0; type < NR_KMALLOC_TYPES; type++) {
		for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			unsigned int size = i == 1 ? 96 : i == 2 ? 192 : 1u << i;
			/* Power-of-two classes naturally aligned, as Linux since 5.4. */
			unsigned int align = i >= KMALLOC_SHIFT_LOW ? min(size, (unsigned int)PAGE_SIZE) : 0;
			slab_flags_t flags = SLAB_PANIC;
			struct kmem_cache *s;

			if (type == KMALLOC_DMA) {
				/* Whole writeback granules: no line shared with another object. */
				align = max(align, cache_line_size());
				flags |= SLAB_CACHE_DMA;
			}
			s = kmem_cache_create(kmalloc_names[type][i], size, align, flags, NULL);
			/* After creation: the flag marks the cache, it changes no layout. */
			s->flags |= SLAB_KMALLOC;
			kmalloc_caches[type][i] = s;
		}
	}
}

void destroy_kmalloc_caches(void)
{
	for (int type = 0; type < NR_KMALLOC_TYPES; type++) {
		for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			kmem_cache_destroy(kmalloc_caches[type][i]);
			kmalloc_caches[type][i] = NULL;
		}
	}
	kfree_cache_init();
}

/* ---- the large path ---------------------------------------------------------- */

static unsigned int large_order(size_t size)
{
	return size <= PAGE_SIZE ? 0 : fls64((size - 1) >> PAGE_SHIFT);
}

static __noinline void *__kmalloc_large_node(size_t size, gfp_t flags, int node,
					     unsigned long caller)
{
	struct page *page;

	if (unlikely(size > PAGE_SIZE << MAX_PAGE_ORDER)) {
		if (!(flags & __GFP_NOWARN)) {
			char sym[KSYM_SYMBOL_LEN];

			sprint_backtrace(sym, sizeof(sym), caller);
			pr_warn("kmalloc: %lu bytes is more than the largest block (%lu bytes); failed\n"
				"  caller: %s\n",
				(unsigned long)size, PAGE_SIZE << MAX_PAGE_ORDER, sym);
		}
		return NULL;
	}
	/* The block must be in the linear map: never highmem. */
	page = alloc_pages_node(node, (flags & ~__GFP_HIGHMEM) | __GFP_COMP, large_order(size));
	if (!page)
		return NULL;
	page->private = KMALLOC_LARGE_MARK;
	return pfn_to_virt(page_to_pfn(page));
}

void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	return __kmalloc_large_node(size, flags, node, _RET_IP_);
}

void *kmalloc_large(size_t size, gfp_t flags)
{
	return __kmalloc_large_node(size, flags, NUMA_NO_NODE, _RET_IP_);
}

void *__kmalloc_node(size_t size, gfp_t flags, int node)
{
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return __kmalloc_large_node(size, flags, node, _RET_IP_);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	return kmem_cache_alloc_node(kmalloc_slab(size, flags), flags, node);
}

void *__kmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return __kmalloc_large_node(size, flags, NUMA_NO_NODE, _RET_IP_);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	return kmem_cache_alloc(kmalloc_slab(size, flags), flags);
}

/* ---- telling objects apart ---------------------------------------------------- */

/*
 * The head page of the kmalloc object that starts at p (not NULL or
 * ZERO_SIZE_PTR), *cache set to its cache for a slab object and to NULL
 * for a large block; NULL for anything else. A slab object is an object
 * start in a slab of a kmalloc cache (SLAB_KMALLOC), a large block's
 * pointer its first byte. Reads only struct pages that exist
 * (pfn_valid()): a slab or large block is in the linear map by
 * construction, so this agrees with virt_addr_valid() for them. No test
 * of its own for the linear map: __pa() of any address outside it wraps
 * to below the start of RAM (no present section there) or above its end
 * (beyond nr_mem_sections), and the host's fixture memory, which is the
 * host's linear map, is not where the kernel's is.
 */
static __always_inline struct page *kmalloc_page(const void *p, struct kmem_cache **cache)
{
	unsigned long addr = (unsigned long)p;
	struct page *page;

	if (unlikely(!pfn_valid(__pa(p) >> PAGE_SHIFT)))
		return NULL;
	page = compound_head(virt_to_page(p));
	if (likely(PageSlab(page))) {
		struct kmem_cache *s = page->slab_cache;
		unsigned long off = addr - slab_first_object(s, page);

		if (unlikely(!(s->flags & SLAB_KMALLOC) || off >= s->span || off % s->size))
			return NULL;
		*cache = s;
		return page;
	}
	if (page->private != KMALLOC_LARGE_MARK || !PageHead(page) ||
	    addr != (unsigned long)pfn_to_virt(page_to_pfn(page)))
		return NULL;
	*cache = NULL;
	return page;
}

/* What p is, for a report: it is not a kmalloc object start. */
static void describe_pointer(const void *p, char *buf, size_t len)
{
	unsigned long addr = (unsigned long)p, base;
	struct page *page;

	if (object_is_on_stack(p)) {
		snprintf(buf, len, "on a kernel stack");
		return;
	}
	if (!virt_addr_is_linear(p)) {
		snprintf(buf, len, "outside the linear map%s",
			 addr - KIMAGE_VADDR < KIMAGE_MAX_SIZE ? " (in the kernel image)" : "");
		return;
	}
	if (!virt_addr_valid(p)) {
		snprintf(buf, len, "in the linear map but not on RAM it maps");
		return;
	}
	page = compound_head(virt_to_page(p));
	base = (unsigned long)pfn_to_virt(page_to_pfn(page));
	if (PageSlab(page)) {
		const struct kmem_cache *s = page->slab_cache;
		unsigned long off = addr - slab_first_object(s, page);

		if (!(s->flags & SLAB_KMALLOC))
			snprintf(buf, len, "in a slab of cache %s, not a kmalloc cache", s->name);
		else if (off >= s->span)
			snprintf(buf, len, "in the unused tail of a %s slab", s->name);
		else
			snprintf(buf, len, "%lu bytes into the %s object at %#lx", off % s->size,
				 s->name, addr - off % s->size);
	} else if (page->private == KMALLOC_LARGE_MARK && PageHead(page)) {
		snprintf(buf, len, "%lu bytes into the kmalloc_large block at %#lx", addr - base,
			 base);
	} else if (PageBuddy(page) || !page_ref_count(page)) {
		snprintf(buf, len, "in a free page");
	} else if (PageReserved(page)) {
		snprintf(buf, len, "in a reserved page");
	} else {
		snprintf(buf, len, "in a page neither slab nor kmalloc_large (order %u)",
			 compound_order(page));
	}
}

static __cold __noinline void bad_pointer(const char *fn, const void *p, unsigned long caller,
					  const char *what)
{
	char desc[96], sym[KSYM_SYMBOL_LEN];

	describe_pointer(p, desc, sizeof(desc));
	sprint_backtrace(sym, sizeof(sym), caller);
	pr_err("%s: %#lx is not a kmalloc object; %s\n", fn, (unsigned long)p, what);
	pr_err("  %#lx: %s\n", (unsigned long)p, desc);
	pr_err("  caller: %s\n", sym);
}

/*
 * kfree() of anything its guess did not take: kmalloc_page()'s full
 * check, the guess updated to a slab object's cache. Only ever a tail
 * call of kfree()'s, so its return address is kfree()'s caller: kfree()
 * needs no stack frame to pass it.
 */
static __noinline void kfree_lookup(const void *p)
{
	struct kmem_cache *s;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	page = kmalloc_page(p, &s);
	if (likely(page && s)) {
		set_kfree_cache(this_cpu_hot(), s, this_cpu_slab(s));
		kmem_cache_free(s, (void *)p);
	} else if (page) {
		page->private = 0;
		__free_pages(page, compound_order(page));
	} else {
		bad_pointer("kfree", p, _RET_IP_, "not freed");
	}
}

/*
 * kfree()'s second fast path, on its guess: an object start of the first
 * slab of this CPU's partial list of that cache goes on its cpu_freelist,
 * as in kmem_cache_free(). Anything else goes to kfree_lookup(), as a
 * tail call.
 */
static __noinline void kfree_other(const void *p)
{
	struct pcpu_hot *hot = this_cpu_hot();
	unsigned long flags;
	bool done;

	local_irq_save(flags);
	done = slab_free_partial(hot->kfree_cache, hot->kfree_cpu_slab, (void *)p);
	local_irq_restore(flags);
	if (unlikely(!done))
		return kfree_lookup(p);
}

/*
 * The fast path is SLUB's own free fast path on the cache this CPU's
 * kfree() last looked up (kfree_cache): an object start of this CPU's
 * active slab of it goes on the lockless list. Being in that slab, which
 * this CPU holds, proves the cache, so no struct page is read: a stack
 * address, a pointer inside an object, a page of no slab, an address
 * outside the linear map, NULL and ZERO_SIZE_PTR all fail the one
 * object-start test and go on to kfree_lookup()'s full check and report.
 */
void kfree(const void *p)
{
	/* free_base: SLAB_NO_BASE with init_on_free, which zeroes on the slow path. */
	if (unlikely(!kfree_fast(this_cpu_hot(), p)))
		return kfree_other(p);
}

/* ksize() for a caller's return address. */
static size_t __ksize(const void *p, unsigned long caller)
{
	struct kmem_cache *s;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	page = kmalloc_page(p, &s);
	if (!page) {
		bad_pointer("ksize", p, caller, "size 0");
		return 0;
	}
	if (s)
		return s->object_size;
	return PAGE_SIZE << compound_order(page);
}

size_t ksize(const void *p)
{
	return __ksize(p, _RET_IP_);
}

size_t kmalloc_size_roundup(size_t size)
{
	if (!size)
		return 0;
	/* No block that large: kmalloc() would fail, the size stays as asked. */
	if (size > PAGE_SIZE << MAX_PAGE_ORDER)
		return size;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << large_order(size);
	return kmalloc_slab(size, 0)->object_size;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old = 0;
	void *q;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		old = __ksize(p, _RET_IP_);
		if (!old)
			return NULL;
		if (new_size <= old)
			return (void *)p;
	}
	q = __kmalloc(new_size, flags);
	if (q && old) {
		memcpy(q, p, old);
		kfree(p);
	}
	return q;
}
