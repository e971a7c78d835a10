/* Console selection from the device tree (drivers/serial/console.c). */
#ifndef MK64_CONSOLE_H
#define MK64_CONSOLE_H

#include <mk64/types.h>

/*
 * Finds the UART named by /chosen stdout-path, maps it and registers it as
 * the console. Without a usable one (fdt NULL, no stdout-path, unknown
 * device) it registers the build-time default and says why.
 */
void console_init(const void *fdt);

/* Registers the build-time default console (a PL011 at QEMU virt's 0x09000000). */
void console_init_fallback(void);

#endif
