/*
 * ioremap: device registers in the vmalloc region, as arm64 Linux maps
 * them: Device-nGnRE (or Normal non-cacheable for ioremap_wc), never
 * executable (PXN/UXN, and WXN would forbid it anyway), 4K pages, with a
 * guard page after each mapping like any vmalloc area. RAM is refused: a
 * Device alias of memory the linear map holds as Normal is a
 * mismatched-attributes violation.
 */
#include <asm/io.h>
#include <mk64/memblock.h>
#include <mk64/printk.h>
#include <mk64/vmalloc.h>

static void *ioremap_caller(phys_addr_t phys, size_t size, pgprot_t prot, const void *caller)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE), last = phys + size - 1;
	unsigned long bytes;
	struct vm_struct *area;

	if (!size || last < phys)
		return NULL;
	bytes = ALIGN_UP(last + 1, PAGE_SIZE) - base;
	for (phys_addr_t p = base; p < base + bytes; p += PAGE_SIZE) {
		if (memblock_is_memory(p)) {
			pr_warn("ioremap: [%pa+0x%zx] is RAM; not mapped\n", &phys, size);
			return NULL;
		}
	}
	area = get_vm_area_caller(bytes, VM_IOREMAP, caller);
	if (!area)
		return NULL;
	area->phys_addr = base;
	if (ioremap_page_range((unsigned long)area->addr, (unsigned long)area->addr + bytes, base,
			       prot)) {
		free_vm_area(area);
		return NULL;
	}
	return (u8 *)area->addr + (phys - base);
}

void *ioremap(phys_addr_t phys, size_t size)
{
	return ioremap_caller(phys, size, PAGE_KERNEL_DEVICE, __builtin_return_address(0));
}

void *ioremap_wc(phys_addr_t phys, size_t size)
{
	return ioremap_caller(phys, size, PAGE_KERNEL_NC, __builtin_return_address(0));
}

void iounmap(volatile void *addr)
{
	if (is_vmalloc_addr((const void *)addr))
		vunmap((const void *)ALIGN_DOWN((unsigned long)addr, PAGE_SIZE));
}
