/*
 * clear_page() and copy_page(). DC ZVA zeroes a whole block of memory (64
 * bytes on the Cortex-A53 and A72) in one instruction, without reading it
 * first; DCZID_EL0 gives the block size and whether a hypervisor prohibits
 * it (DZP), in which case stores do the work.
 */
#include <asm/memory.h>
#include <asm/page.h>
#include <asm/sysreg.h>
#include <mk64/compiler.h>
#include <mk64/panic.h>
#include <mk64/string.h>

#define DCZID_BS_MASK 0xfUL	/* log2 of the block size in 4-byte words */
#define DCZID_DZP (1UL << 4)	/* DC ZVA prohibited */

/* DC ZVAs an iteration of clear_page()'s loop. */
#define ZVA_UNROLL 4

unsigned int zva_block_size;

void clear_page_init(void)
{
	u64 dczid = read_sysreg(dczid_el0);
	unsigned long block = 4UL << (dczid & DCZID_BS_MASK);

	/*
	 * The architecture allows blocks up to 2 KiB; the loop needs a page
	 * to hold ZVA_UNROLL of them, which every known core's does.
	 */
	if (!(dczid & DCZID_DZP) && block * ZVA_UNROLL <= PAGE_SIZE)
		zva_block_size = block;
}

void clear_page(void *page)
{
	u8 *p = page, *end = p + PAGE_SIZE;
	size_t block = zva_block_size;

	/* DC ZVA would zero around a misaligned page, silently. */
	BUG_ON(!IS_ALIGNED((uintptr_t)page, PAGE_SIZE));
	if (!block) {
		memset(page, 0, PAGE_SIZE);
		return;
	}
	do {
		_Pragma("GCC unroll 4")
		for (int i = 0; i < ZVA_UNROLL; i++, p += block)
			__asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
	} while (p != end);
}

/* memcpy's aligned path is already the loop a page copy would use. */
void copy_page(void *to, const void *from)
{
	memcpy(to, from, PAGE_SIZE);
}
