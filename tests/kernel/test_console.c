/*
 * The console's fallback probe and its UARTs' failure handling: which
 * addresses may be probed (worked out by hand from the RK3399's and QEMU
 * virt's memory maps), fixmap slots given back, a DesignWare UART's IER
 * cleared and a stuck transmitter declared dead after one timeout. The
 * UARTs here are fakes in RAM: their registers are plain memory.
 */
#include <asm/early_map.h>
#include <asm/memory.h>
#include <mk64/console.h>
#include <mk64/dt.h>
#include <mk64/ktest.h>
#include <mk64/serial.h>
#include <mk64/string.h>

#define PL011_PHYS 0x09000000ull
#define RK_UART2_PHYS 0xff1a0000ull

static const struct dt_range virt_window = { 0x40000000, 0x3fc0000000 };
static const struct dt_range rk3399_window = { 0, 0xf8000000 };

/* The RockPI 4A: 4 GiB board, RAM 0-0xf7ffffff, kernel at 0x02200000. */
static void rk3399_never_probes_qemu_address(struct ktest *t)
{
	const struct dt_range ram[] = { { 0, 0xf8000000 } };

	KTEST_EXPECT_FALSE(t, console_probe_allowed(PL011_PHYS, 0x1000, ram, 1, 0x02200000,
						    &virt_window));
	KTEST_EXPECT_TRUE(t, console_probe_allowed(RK_UART2_PHYS, 0x1000, ram, 1, 0x02200000,
						   &rk3399_window));
	/* No RAM known yet (broken DT): the load address alone rules out virt. */
	KTEST_EXPECT_FALSE(t, console_probe_allowed(PL011_PHYS, 0x1000, NULL, 0, 0x02200000,
						    &virt_window));
	KTEST_EXPECT_TRUE(t, console_probe_allowed(RK_UART2_PHYS, 0x1000, NULL, 0, 0x02200000,
						   &rk3399_window));
}

/* QEMU virt with 4 GiB from 0x40000000: 0xff1a0000 is RAM there. */
static void virt_big_ram_never_probes_rk_address(struct ktest *t)
{
	const struct dt_range ram[] = { { 0x40000000, 0x100000000 } };

	KTEST_EXPECT_TRUE(t, console_probe_allowed(PL011_PHYS, 0x1000, ram, 1, 0x40200000,
						   &virt_window));
	KTEST_EXPECT_FALSE(t, console_probe_allowed(RK_UART2_PHYS, 0x1000, ram, 1, 0x40200000,
						    &rk3399_window));
}

/*
 * virt's load address 0x40200000 is inside the RK3399's RAM window too, so
 * the window does not tell the boards apart: the RAM does. 3 GiB from
 * 0x40000000 ends at 4 GiB, past 0xff1a0000: refused; RAM that ends
 * exactly where the RK3399's UART page starts leaves it probeable.
 */
static void virt_load_address_in_rk3399_window(struct ktest *t)
{
	const struct dt_range ram3g[] = { { 0x40000000, 0xc0000000 } };
	const struct dt_range below[] = { { 0x40000000, RK_UART2_PHYS - 0x40000000 } };

	KTEST_EXPECT_FALSE(t, console_probe_allowed(RK_UART2_PHYS, 0x1000, ram3g, 1, 0x40200000,
						    &rk3399_window));
	KTEST_EXPECT_TRUE(t, console_probe_allowed(RK_UART2_PHYS, 0x1000, below, 1, 0x40200000,
						   &rk3399_window));
	KTEST_EXPECT_TRUE(t, console_probe_allowed(PL011_PHYS, 0x1000, ram3g, 1, 0x40200000,
						   &virt_window));
}

/* Overlap at the edges, a second bank, and RAM not fully known. */
static void probe_edges(struct ktest *t)
{
	const struct dt_range ram[] = { { 0x40000000, 0x1000000 }, { 0x09001000, 0x1000 } };

	/* The page ends where the second bank starts: allowed. */
	KTEST_EXPECT_TRUE(t, console_probe_allowed(PL011_PHYS, 0x1000, ram, 2, 0x40200000,
						   &virt_window));
	/* One byte more reaches into it. */
	KTEST_EXPECT_FALSE(t, console_probe_allowed(PL011_PHYS, 0x1001, ram, 2, 0x40200000,
						    &virt_window));
	KTEST_EXPECT_FALSE(t, console_probe_allowed(PL011_PHYS, 0x1000, ram, -1, 0x40200000,
						    &virt_window));
	/* The kernel just past the board's RAM window: another board. */
	KTEST_EXPECT_FALSE(t, console_probe_allowed(PL011_PHYS, 0x1000, NULL, 0, 0x4000000000,
						    &virt_window));
}

/* A failed probe's slot comes back: the next mapping gets the same address. */
static void fixmap_slot_returned(struct ktest *t)
{
	void *a = early_ioremap(PL011_PHYS + 0x10, 0x20), *b;

	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, (u64)a & (PAGE_SIZE - 1), 0x10ull);
	KTEST_ASSERT_TRUE(t, early_iounmap(a, 0x20));
	b = early_ioremap(PL011_PHYS, 0x1000);
	KTEST_ASSERT_TRUE(t, b != NULL);
	KTEST_EXPECT_EQ(t, (u64)b, (u64)a - 0x10);
	/* Only the most recent mapping can be given back. */
	a = early_ioremap(PL011_PHYS, 0x1000);
	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_FALSE(t, early_iounmap(b, 0x1000));
	KTEST_EXPECT_TRUE(t, early_iounmap(a, 0x1000));
	KTEST_EXPECT_TRUE(t, early_iounmap(b, 0x1000));
}

/* A fake DW-APB UART: 32-bit registers 4 bytes apart (reg-shift 2). */
#define DW_IER 1
#define DW_LCR 3
#define DW_LCR_DLAB 0x80
#define DW_LSR 5
#define DW_LSR_THRE 0x20
#define SENTINEL 0xa5u

static void fake_dw_port(struct uart_port *port, u32 *regs)
{
	memset(port, 0, sizeof(*port));
	port->membase = (volatile u8 *)regs;
	port->regshift = 2;
	port->iowidth = 4;
}

static void dw_init_clears_ier(struct ktest *t)
{
	u32 regs[64] = { 0 };
	struct uart_port port;

	fake_dw_port(&port, regs);
	regs[DW_IER] = 0x8f;	/* PTIME and every interrupt, as firmware may leave it */
	dw8250_driver.init(&port);
	KTEST_EXPECT_EQ(t, regs[DW_IER], 0u);
}

/*
 * A boot loader that left DLAB set: init must clear it, keeping the frame
 * format (8N1, 0x03), so that its IER write reaches IER and not the
 * divisor (the fake, plain memory, cannot show the order itself).
 */
static void dw_init_clears_dlab_first(struct ktest *t)
{
	u32 regs[64] = { 0 };
	struct uart_port port;

	fake_dw_port(&port, regs);
	regs[DW_LCR] = DW_LCR_DLAB | 0x03;
	dw8250_driver.init(&port);
	KTEST_EXPECT_EQ(t, regs[DW_LCR], 0x03u);
	KTEST_EXPECT_EQ(t, regs[DW_IER], 0u);
}

static void dw_healthy_sends(struct ktest *t)
{
	u32 regs[64] = { 0 };
	struct uart_port port;

	fake_dw_port(&port, regs);
	regs[DW_LSR] = DW_LSR_THRE;
	KTEST_EXPECT_TRUE(t, dw8250_driver.putc(&port, 'x'));
	KTEST_EXPECT_EQ(t, regs[0], (u32)'x');
	KTEST_EXPECT_FALSE(t, port.dead);
}

/*
 * THRE never set (unclocked UART): one bounded wait, the byte dropped, the
 * port dead; after that even a ready transmitter gets nothing, so later
 * bytes cost no polling at all.
 */
static void dw_stuck_port_dies_once(struct ktest *t)
{
	u32 regs[64] = { 0 };
	struct uart_port port;

	fake_dw_port(&port, regs);
	regs[0] = SENTINEL;
	KTEST_EXPECT_FALSE(t, dw8250_driver.putc(&port, 'x'));
	KTEST_EXPECT_TRUE(t, port.dead);
	KTEST_EXPECT_EQ(t, regs[0], SENTINEL);
	regs[DW_LSR] = DW_LSR_THRE;
	KTEST_EXPECT_FALSE(t, dw8250_driver.putc(&port, 'y'));
	KTEST_EXPECT_EQ(t, regs[0], SENTINEL);
}

/* The same for the PL011: TXFF (flag register bit 5) stuck at 1. */
static void pl011_stuck_port_dies_once(struct ktest *t)
{
	u32 regs[0x20] = { 0 };
	struct uart_port port;

	memset(&port, 0, sizeof(port));
	port.membase = (volatile u8 *)regs;
	port.iowidth = 4;
	regs[0] = SENTINEL;
	regs[0x18 / 4] = 1u << 5;
	KTEST_EXPECT_FALSE(t, pl011_driver.putc(&port, 'x'));
	KTEST_EXPECT_TRUE(t, port.dead);
	regs[0x18 / 4] = 0;
	KTEST_EXPECT_FALSE(t, pl011_driver.putc(&port, 'y'));
	KTEST_EXPECT_EQ(t, regs[0], SENTINEL);
}

KTEST_SUITE(console, KTEST_CASE(rk3399_never_probes_qemu_address),
	    KTEST_CASE(virt_big_ram_never_probes_rk_address),
	    KTEST_CASE(virt_load_address_in_rk3399_window), KTEST_CASE(probe_edges),
	    KTEST_CASE(fixmap_slot_returned), KTEST_CASE(dw_init_clears_ier),
	    KTEST_CASE(dw_init_clears_dlab_first),
	    KTEST_CASE(dw_healthy_sends), KTEST_CASE(dw_stuck_port_dies_once),
	    KTEST_CASE(pl011_stuck_port_dies_once));
