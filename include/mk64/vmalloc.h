/*
 * vmalloc (mm/vmalloc.c): virtually contiguous kernel memory in the
 * vmalloc region (asm/memory.h), mapped page by page through the
 * page-table API, with Linux's API and meanings. Each area is a vm_struct
 * on vmap_area_list in address order; an unmapped guard page follows every
 * area unless VM_NO_GUARD, so running off its end faults (the fault report
 * names the area) instead of corrupting a neighbour.
 *
 * Addresses are handed out lowest first from the free-range tree
 * (mk64/vmap_area.h) and the region's first page is never handed out, so
 * the page below every area is unmapped too: another area's guard page,
 * free space, or that first page (kernel stacks rely on it) — unless the
 * area below was made with VM_NO_GUARD.
 *
 * ioremap and friends are in asm/io.h, kvmalloc in this header.
 */
#ifndef MK64_VMALLOC_H
#define MK64_VMALLOC_H

#include <asm/memory.h>
#include <mk64/gfp.h>
#include <mk64/list.h>
#include <mk64/pgtable.h>
#include <mk64/topology.h>
#include <mk64/types.h>

#define PAGE_ALIGN(addr) ALIGN_UP(addr, PAGE_SIZE)

/* vm_struct flags, Linux's values. */
#define VM_IOREMAP		0x00000001	/* ioremap() and friends */
#define VM_ALLOC		0x00000002	/* vmalloc() */
#define VM_MAP			0x00000004	/* vmap()ed pages */
#define VM_USERMAP		0x00000008	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020	/* not yet mapped: being set up */
#define VM_NO_GUARD		0x00000040	/* no guard page after the area */

struct vm_struct {
	struct list_head list;		/* on vmap_area_list, by address */
	void *addr;
	unsigned long size;		/* bytes, the guard page included */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* vmalloc's pages */
	unsigned int nr_pages;
	phys_addr_t phys_addr;		/* ioremap's start */
	const void *caller;		/* who asked: a return address */
	unsigned long seq;		/* creation order, for the leak check */
};

/* The area's usable bytes: its size less the guard page. */
static inline unsigned long get_vm_area_size(const struct vm_struct *area)
{
	return area->size - (area->flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
}

static inline bool is_vmalloc_addr(const void *addr)
{
	return (u64)addr >= VMALLOC_START && (u64)addr < VMALLOC_END;
}

/* Sets up the region and its fault describer (boot, once slab works). */
void vmalloc_init(void);

/*
 * size bytes (rounded up to pages) of virtually contiguous memory, its
 * pages from anywhere (highmem included) and not zeroed; NULL on failure,
 * with a "vmalloc error" report unless __GFP_NOWARN. May sleep.
 */
void *vmalloc(unsigned long size);
/* As vmalloc(), zeroed. */
void *vzalloc(unsigned long size);
/* As vmalloc(), its pages from node when it has them (NUMA_NO_NODE: any). */
void *vmalloc_node(unsigned long size, int node);
/* As vmalloc(), every page below 4 GiB (for 32-bit devices). */
void *vmalloc_32(unsigned long size);
/* As vmalloc() with the page allocator's flags. */
void *__vmalloc(unsigned long size, gfp_t gfp);
/*
 * The general form: start aligned to align (a power of two; below a page
 * means a page), pages as gfp and node say, caller recorded for
 * vmallocinfo and fault reports.
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node,
		     const void *caller);

/*
 * Frees what vmalloc() returned: unmaps it (the TLB flushed before the
 * range can be reused) and frees its pages. NULL is ignored; anything
 * else that is not an area's start is reported and left alone. From
 * interrupt context the work is deferred (vfree_atomic()). May sleep.
 */
void vfree(const void *addr);
/*
 * Queues addr for freeing by the next vmalloc(), vfree(), vmap() or
 * vunmap() in process context; never sleeps. Uses the area's first
 * word to link it: it must be writable vmalloc memory.
 */
void vfree_atomic(const void *addr);

/*
 * Maps count pages, virtually contiguous, with prot (e.g. PAGE_KERNEL);
 * flags adds VM_* bits to VM_MAP. The pages stay the caller's. NULL on
 * failure. May sleep.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
/* Unmaps what vmap() mapped; the pages are not freed. May sleep. */
void vunmap(const void *addr);

/* The page mapped at a vmalloc/vmap address, or NULL. */
struct page *vmalloc_to_page(const void *addr);
/* Its page frame number, or 0. */
unsigned long vmalloc_to_pfn(const void *addr);
/* The live area holding addr (its guard page included), or NULL. O(log n). */
struct vm_struct *find_vm_area(const void *addr);

/* An area of size bytes (and a guard), mapped by no one yet; NULL on failure. */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller);
/* Unmaps and frees an area from get_vm_area_caller(), not its pages. */
void free_vm_area(struct vm_struct *area);
/* Maps [addr, end) to phys with prot (ioremap); returns 0 or -errno. */
int ioremap_page_range(unsigned long addr, unsigned long end, phys_addr_t phys, pgprot_t prot);

/*
 * kvmalloc, as Linux 6.1 decides: kmalloc first (for more than a page
 * without warning or retrying hard), vmalloc when that fails and flags
 * allow sleeping; sizes above INT_MAX fail. kvfree() frees either.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node);
static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}
static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, NUMA_NO_NODE);
}
void kvfree(const void *addr);

/*
 * Prints every area as /proc/vmallocinfo does: "0x<start>-0x<end> <size>
 * <caller> pages=N phys=... ioremap|vmalloc|vmap vpages N<node>=count".
 */
void print_vmallocinfo(void);

/* For the per-test leak check (tests/ktest_kernel.c). */
struct vmalloc_usage {
	unsigned long nr_areas, nr_pages;	/* live areas, the vmalloc ones' pages */
	unsigned long seq;			/* areas made so far */
};
/*
 * Runs deferred frees, gives spare nodes back to their cache (so that
 * object counts compare), then fills *u.
 */
void vmalloc_usage(struct vmalloc_usage *u);
/* Describes a live area made after seq into buf; false when there is none. */
bool vmalloc_describe_newer(unsigned long seq, char *buf, size_t size);

#endif
