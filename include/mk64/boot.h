/* The state the boot loader handed over, as start_kernel found it. */
#ifndef MK64_BOOT_H
#define MK64_BOOT_H

#include <mk64/types.h>

#define COMMAND_LINE_SIZE 1024

struct boot_info {
	phys_addr_t fdt_phys;	/* x0 at entry */
	const void *fdt;	/* mapped and validated blob, or NULL */
	phys_addr_t kimage_phys; /* where _text was loaded */
	unsigned int entry_el;	/* CurrentEL at entry: 1 or 2 */
	bool boot_regs_nonzero;	/* x1-x3 were not 0 as the protocol asks */
	bool canary_seeded;	/* the stack canary came from the DT */
	char cmdline[COMMAND_LINE_SIZE];
};

extern struct boot_info boot_info;

#endif
