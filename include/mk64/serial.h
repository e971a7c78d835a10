/* UART drivers for the console (drivers/serial/). */
#ifndef MK64_SERIAL_H
#define MK64_SERIAL_H

#include <mk64/types.h>

struct uart_port {
	volatile u8 *membase;
	phys_addr_t mapbase;
	unsigned int regshift;	/* "reg-shift": register stride is 1 << regshift */
	unsigned int iowidth;	/* "reg-io-width": 1 or 4 bytes */
};

struct uart_driver {
	const char *compatible;
	const char *name;	/* console name prefix, as Linux's tty names */
	/* Sends one byte; gives up after a bounded wait on a stuck FIFO. */
	void (*putc)(struct uart_port *port, char c);
	/* True when the ID registers say this UART is there (no DT to ask). */
	bool (*identify)(struct uart_port *port);
};

extern const struct uart_driver pl011_driver;
extern const struct uart_driver dw8250_driver;

/* Iterations of a TX-ready poll before a byte is dropped rather than hang. */
#define UART_POLL_LIMIT 1000000

#endif
