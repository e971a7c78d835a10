/*
 * kvmalloc/kvfree (mk64/vmalloc.h): kmalloc when it can, vmalloc when it
 * cannot, with Linux 6.1's rule. Kernel-only, as vmalloc is.
 */
#include <limits.h>
#include <mk64/panic.h>
#include <mk64/slab.h>
#include <mk64/vmalloc.h>

void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	gfp_t kmalloc_flags = flags;
	void *ret;

	/*
	 * Above a page, the vmalloc fallback is what makes the request
	 * reliable: kmalloc may neither warn nor try hard for it.
	 */
	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node(size, kmalloc_flags, node);
	if (ret || size <= PAGE_SIZE)
		return ret;
	/* vmalloc's own allocations (tables, metadata) may sleep. */
	if (!gfpflags_allow_blocking(flags))
		return NULL;
	if (size > INT_MAX) {
		WARN_ON(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc_node(size, 1, flags, node, __builtin_return_address(0));
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}
