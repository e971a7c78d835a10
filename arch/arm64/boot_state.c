/* What the boot loader handed over, recorded by start_kernel. */
#include <asm/arch.h>
#include <mk64/boot.h>

struct boot_info boot_info;

unsigned int arch_entry_el(void)
{
	return boot_info.entry_el;
}
