/* UART drivers for the console (drivers/serial/). */
#ifndef MK64_SERIAL_H
#define MK64_SERIAL_H

#include <mk64/types.h>

struct uart_port {
	volatile u8 *membase;
	phys_addr_t mapbase;
	unsigned int regshift;	/* "reg-shift": register stride is 1 << regshift */
	unsigned int iowidth;	/* "reg-io-width": 1 or 4 bytes */
	/*
	 * Set when the transmitter never became ready (unclocked, held in
	 * reset, not there): from then on the port drops every byte at once
	 * instead of polling it again for each one.
	 */
	bool dead;
};

struct uart_driver {
	const char *compatible;
	const char *name;	/* console name prefix, as Linux's tty names */
	/* Puts the port in the state putc() assumes (may be NULL). */
	void (*init)(struct uart_port *port);
	/*
	 * Sends one byte. Returns false when the byte was dropped: the port
	 * is dead, or became so now after a bounded wait on a stuck FIFO.
	 */
	bool (*putc)(struct uart_port *port, char c);
	/* True when the ID registers say this UART is there (no DT to ask). */
	bool (*identify)(struct uart_port *port);
};

extern const struct uart_driver pl011_driver;
extern const struct uart_driver dw8250_driver;

/* Iterations of a TX-ready poll before the port is declared dead. */
#define UART_POLL_LIMIT 1000000

#endif
