/* Fixture memory in the kernel: whole pages from the page allocator. */
#include <mk64/gfp.h>
#include "fixture.h"

void *fixture_mem_alloc(size_t size)
{
	return alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
}

void fixture_mem_free(void *mem, size_t size)
{
	free_pages_exact(mem, size);
}
