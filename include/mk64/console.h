/* Console selection from the device tree (drivers/serial/console.c). */
#ifndef MK64_CONSOLE_H
#define MK64_CONSOLE_H

#include <mk64/dt.h>
#include <mk64/types.h>

/*
 * Finds the UART named by /chosen stdout-path, maps it and registers it as
 * the console. Without a usable one (fdt NULL, no stdout-path, unknown
 * device) it falls back to console_init_fallback() and says why.
 */
void console_init(const void *fdt);

/*
 * Once vmalloc works: maps the console UART's registers with ioremap and
 * gives its early fixmap slot back.
 */
void console_remap(void);

/*
 * Probes the known boards' UARTs (QEMU virt's PL011, the RK3399's UART2) by
 * their ID registers and registers the first found, skipping those
 * console_probe_allowed() refuses. Returns the board's name, or NULL when
 * none answered (then there is no console).
 */
const char *console_init_fallback(void);

/*
 * The fallback probe's decision: whether the UART page [phys, phys + size)
 * of a board whose RAM can only lie in board_ram may be read. Never when
 * one of the nram known RAM ranges overlaps it, nor when nram < 0 (RAM not
 * fully known), nor when the kernel image (at kimage, which is RAM) lies
 * outside board_ram: then this is another board, and the address may be
 * its RAM.
 */
bool console_probe_allowed(phys_addr_t phys, size_t size, const struct dt_range *ram, int nram,
			   phys_addr_t kimage, const struct dt_range *board_ram);

#endif
