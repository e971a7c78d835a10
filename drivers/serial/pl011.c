/*
 * ARM PrimeCell PL011 (QEMU virt). Polled transmit only; the boot loader (or
 * QEMU) has configured the line, and we keep its settings.
 */
#include <mk64/serial.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

static bool pl011_putc(struct uart_port *port, char c)
{
	volatile u32 *fr = (volatile u32 *)(port->membase + UARTFR);
	int i = 0;

	if (port->dead)
		return false;
	while (*fr & UARTFR_TXFF)
		if (++i == UART_POLL_LIMIT) {
			port->dead = true;
			return false;
		}
	*(volatile u32 *)(port->membase + UARTDR) = (u8)c;
	return true;
}

/* PrimeCell identification: PeriphID0 0x11 (PL011), CellID 0xb105f00d. */
static bool pl011_identify(struct uart_port *port)
{
	static const u8 id[] = { 0x11, 0x0d, 0xf0, 0x05, 0xb1 };
	static const u16 reg[] = { 0xfe0, 0xff0, 0xff4, 0xff8, 0xffc };

	for (unsigned int i = 0; i < sizeof(id); i++)
		if ((*(volatile u32 *)(port->membase + reg[i]) & 0xff) != id[i])
			return false;
	return true;
}

const struct uart_driver pl011_driver = {
	.compatible = "arm,pl011",
	.name = "ttyAMA",
	.putc = pl011_putc,
	.identify = pl011_identify,
};
