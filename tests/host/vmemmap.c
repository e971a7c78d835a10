/*
 * The vmemmap hooks on the host (mk64/mmzone.h): the window is a PROT_NONE
 * reservation of address space covering the RAM span's sections, and a
 * populated section becomes readable and writable in it, so a struct page
 * of a section that was not populated faults under the tests as it would
 * in the kernel.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <mk64/errno.h>
#include <mk64/mmzone.h>
#include "vmemmap_host.h"

bool vmemmap_host_backed;

static void *window;
static size_t window_size;

#define MAX_RECORDED 64
static struct {
	unsigned long va;
	phys_addr_t pa;
} backing[MAX_RECORDED];
static int nr_backing;

struct page *arch_vmemmap_init(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long first = start_pfn & PAGE_SECTION_MASK;
	unsigned long last = ALIGN_UP(end_pfn, PAGES_PER_SECTION);

	if (window)
		munmap(window, window_size);
	nr_backing = 0;
	window_size = (last - first) * sizeof(struct page);
	window = mmap(NULL, window_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (window == MAP_FAILED) {
		window = NULL;
		return NULL;
	}
	return (struct page *)((char *)window - first * sizeof(struct page));
}

int vmemmap_populate(unsigned long start, int nid, phys_addr_t *pa)
{
	*pa = 0;
	if (vmemmap_host_backed) {
		*pa = vmemmap_alloc_section(nid);
		if (!*pa)
			return -ENOMEM;
		if (nr_backing < MAX_RECORDED) {
			backing[nr_backing].va = start;
			backing[nr_backing++].pa = *pa;
		}
	}
	return mprotect((void *)start, SECTION_MEMMAP_SIZE, PROT_READ | PROT_WRITE) ? -ENOMEM : 0;
}

phys_addr_t vmemmap_host_backing(unsigned long va)
{
	for (int i = 0; i < nr_backing; i++)
		if (backing[i].va == va)
			return backing[i].pa;
	return 0;
}
