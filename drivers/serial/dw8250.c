/*
 * Synopsys DesignWare APB UART, an 8250 with registers every 1 << reg-shift
 * bytes (RK3399 UART2: reg-shift 2, 32-bit access). Polled transmit; the
 * baud rate the boot loader set (1500000 on the RockPI) is left alone.
 */
#include <mk64/serial.h>

#define UART_TX 0
#define UART_IER 1
#define UART_LCR 3
#define UART_LCR_DLAB 0x80	/* offsets 0 and 1 are the divisor latch */
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static u32 serial_in(struct uart_port *port, unsigned int reg)
{
	volatile u8 *addr = port->membase + (reg << port->regshift);

	return port->iowidth == 4 ? *(volatile u32 *)addr : *addr;
}

static void serial_out(struct uart_port *port, unsigned int reg, u32 val)
{
	volatile u8 *addr = port->membase + (reg << port->regshift);

	if (port->iowidth == 4)
		*(volatile u32 *)addr = val;
	else
		*addr = (u8)val;
}

/*
 * No interrupts, and above all not IER.PTIME: with it set (and FIFOs on) a
 * DesignWare UART turns LSR.THRE into "FIFO full", the opposite of what
 * putc() polls for. The boot loader may have left either, and may have
 * left LCR.DLAB set, when offset 1 is the divisor's high byte (a write
 * there changes the baud rate): DLAB goes first, the frame format stays.
 */
static void dw8250_init(struct uart_port *port)
{
	u32 lcr = serial_in(port, UART_LCR);

	if (lcr & UART_LCR_DLAB)
		serial_out(port, UART_LCR, lcr & ~UART_LCR_DLAB);
	serial_out(port, UART_IER, 0);
}

static bool dw8250_putc(struct uart_port *port, char c)
{
	int i = 0;

	if (port->dead)
		return false;
	while (!(serial_in(port, UART_LSR) & UART_LSR_THRE))
		if (++i == UART_POLL_LIMIT) {
			port->dead = true;
			return false;
		}
	serial_out(port, UART_TX, (u8)c);
	return true;
}

/* The component type register reads "DW" 0x0110 on DesignWare APB UARTs. */
#define DW_UART_CTR 0x3f
#define DW_UART_CTR_APB_UART 0x44570110

static bool dw8250_identify(struct uart_port *port)
{
	return serial_in(port, DW_UART_CTR) == DW_UART_CTR_APB_UART;
}

const struct uart_driver dw8250_driver = {
	.compatible = "snps,dw-apb-uart",
	.name = "ttyS",
	.init = dw8250_init,
	.putc = dw8250_putc,
	.identify = dw8250_identify,
};
