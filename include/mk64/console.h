/* Console selection from the device tree (drivers/serial/console.c). */
#ifndef MK64_CONSOLE_H
#define MK64_CONSOLE_H

#include <mk64/types.h>

/*
 * Finds the UART named by /chosen stdout-path, maps it and registers it as
 * the console. Without a usable one (fdt NULL, no stdout-path, unknown
 * device) it falls back to console_init_fallback() and says why.
 */
void console_init(const void *fdt);

/*
 * Probes the known boards' UARTs (QEMU virt's PL011, the RK3399's UART2) by
 * their ID registers and registers the first found. Returns the board's
 * name, or NULL when none answered (then there is no console).
 */
const char *console_init_fallback(void);

#endif
