/*
 * ARM PrimeCell PL011 (QEMU virt). Polled transmit only; the boot loader (or
 * QEMU) has configured the line, and we keep its settings.
 */
#include <mk64/serial.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

static void pl011_putc(struct uart_port *port, char c)
{
	volatile u32 *fr = (volatile u32 *)(port->membase + UARTFR);

	for (int i = 0; (*fr & UARTFR_TXFF) && i < UART_POLL_LIMIT; i++)
		;
	*(volatile u32 *)(port->membase + UARTDR) = (u8)c;
}

const struct uart_driver pl011_driver = {
	.compatible = "arm,pl011",
	.name = "ttyAMA",
	.putc = pl011_putc,
};
