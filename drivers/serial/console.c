/*
 * The console: the UART that /chosen stdout-path names ("serial2:1500000n8"
 * or "/pl011@9000000"). Without one, the UARTs of the boards we boot on are
 * probed by their ID registers, so that a broken or missing device tree
 * still gets a diagnosis where someone is looking, and a board without that
 * UART is not written to blindly: an address that memblock or the device
 * tree says is RAM is never probed (on the RK3399, QEMU's UART address is
 * RAM, and a Device alias of Normal memory is a mismatched-attributes
 * violation), nor a board's UART when the kernel was not loaded in that
 * board's RAM. A failed probe gives its fixmap slot back.
 *
 * The load address alone does not tell the boards apart: virt's
 * 0x40200000 is also inside the RK3399's RAM window. Then the RAM check
 * decides: once memblock (or the tree's banks) is known, a virt with 3 GiB
 * or more holds 0xff1a0000 in memblock.memory and the RK3399's RAM holds
 * 0x09000000, so neither is probed (console suite). With no RAM known
 * (no usable tree), nothing but the image and the tree is mapped Normal
 * yet, so a probe that lands in the other board's RAM reads it through a
 * Device mapping with no Normal alias, fails identify() and is unmapped;
 * the candidates go in table order, virt's first.
 */
#include <libfdt.h>
#include <asm/early_map.h>
#include <asm/io.h>
#include <mk64/boot.h>
#include <mk64/compiler.h>
#include <mk64/console.h>
#include <mk64/dt.h>
#include <mk64/memblock.h>
#include <mk64/printk.h>
#include <mk64/serial.h>
#include <mk64/sprintf.h>

static const struct uart_driver *const uart_drivers[] = {
	&pl011_driver,
	&dw8250_driver,
};

struct fallback_uart {
	const struct uart_driver *driver;
	phys_addr_t phys;
	unsigned int regshift, iowidth;
	const char *board;
	struct dt_range board_ram;	/* where that board can have RAM */
};

#define PROBE_SIZE 0x1000

static const struct fallback_uart fallback_uarts[] = {
	/* virt: RAM from 1 GiB, up to 255 GiB of it. */
	{ &pl011_driver, 0x09000000, 0, 4, "QEMU virt", { 0x40000000, 0x3fc0000000 } },
	/* RK3399: RAM from 0 up to the peripherals at 0xf8000000. */
	{ &dw8250_driver, 0xff1a0000, 2, 4, "RK3399 UART2", { 0, 0xf8000000 } },
};

static struct uart_port console_port;
static size_t console_map_size;	/* what map_port() mapped */
static const struct uart_driver *console_driver;
static char console_name[32];

/* A dead port (putc() gave up once) makes this return at the first byte. */
static void uart_console_write(struct console *con, const char *s, size_t n)
{
	(void)con;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' && !console_driver->putc(&console_port, '\r'))
			return;
		if (!console_driver->putc(&console_port, s[i]))
			return;
	}
}

static struct console uart_console = {
	.name = console_name,
	.write = uart_console_write,
};

static bool map_port(phys_addr_t phys, size_t size)
{
	volatile u8 *base = early_ioremap(phys, size);

	if (!base)
		return false;
	console_map_size = size;
	console_port.membase = base;
	console_port.mapbase = phys;
	return true;
}

static void start_port(const struct uart_driver *drv)
{
	console_port.dead = false;
	if (drv->init)
		drv->init(&console_port);
	console_driver = drv;
	snprintf(console_name, sizeof(console_name), "%s0", drv->name);
	register_console(&uart_console);
}

static bool start_console(const struct uart_driver *drv, phys_addr_t phys,
			  size_t size)
{
	if (!map_port(phys, size))
		return false;
	start_port(drv);
	return true;
}

static bool overlaps(u64 base, u64 size, u64 start, u64 len)
{
	return start < base + size && base < start + len;
}

bool console_probe_allowed(phys_addr_t phys, size_t size, const struct dt_range *ram, int nram,
			   phys_addr_t kimage, const struct dt_range *board_ram)
{
	if (nram < 0)
		return false;
	for (int i = 0; i < nram; i++)
		if (overlaps(ram[i].base, ram[i].size, phys, size))
			return false;
	return kimage >= board_ram->base && kimage - board_ram->base < board_ram->size;
}

/*
 * The RAM known now: memblock's once it is filled, else the device tree's
 * banks, else none. Returns the count, or -1 when there are more ranges
 * than fit in ram[] (then nothing may be probed).
 */
static int known_ram(struct dt_range *ram, int max)
{
	const struct memblock_type *mem = &memblock.memory;
	int n;

	if (mem->cnt) {
		if (mem->cnt > (unsigned int)max)
			return -1;
		for (unsigned int i = 0; i < mem->cnt; i++) {
			ram[i].base = mem->regions[i].base;
			ram[i].size = mem->regions[i].size;
		}
		return (int)mem->cnt;
	}
	n = boot_info.fdt ? dt_memory_banks(boot_info.fdt, ram, max) : 0;
	if (n == -FDT_ERR_NOSPACE)
		return -1;
	return max(n, 0);
}

void console_remap(void)
{
	volatile u8 *early = console_port.membase;
	volatile u8 *base;

	if (!console_driver)
		return;
	base = ioremap(console_port.mapbase, console_map_size);
	if (!base) {
		pr_warn("console: ioremap of the UART failed; keeping its fixmap slot\n");
		return;
	}
	/* One store: whatever prints next uses one mapping or the other, both live. */
	WRITE_ONCE(console_port.membase, base);
	if (!early_iounmap((void *)early, console_map_size))
		pr_warn("console: the UART's fixmap slot is not the newest; left mapped\n");
}

const char *console_init_fallback(void)
{
	struct dt_range ram[DT_MAX_BANKS];
	int nram = known_ram(ram, DT_MAX_BANKS);

	for (size_t i = 0; i < ARRAY_SIZE(fallback_uarts); i++) {
		const struct fallback_uart *f = &fallback_uarts[i];

		if (!console_probe_allowed(f->phys, PROBE_SIZE, ram, nram, boot_info.kimage_phys,
					   &f->board_ram))
			continue;
		console_port.regshift = f->regshift;
		console_port.iowidth = f->iowidth;
		if (!map_port(f->phys, PROBE_SIZE))
			continue;
		if (f->driver->identify(&console_port)) {
			start_port(f->driver);
			return f->board;
		}
		early_iounmap((void *)console_port.membase, PROBE_SIZE);
	}
	return NULL;
}

static void fallback(const char *why)
{
	const char *board = console_init_fallback();

	if (board)
		pr_warn("console: %s; using the %s UART found at 0x%08llx\n", why, board,
			(unsigned long long)console_port.mapbase);
}

void console_init(const void *fdt)
{
	const struct uart_driver *drv = NULL;
	const char *options;
	char why[96];
	u64 addr, size, phys;
	u32 val;
	int node;

	if (!fdt) {
		fallback("no usable device tree");
		return;
	}
	node = dt_stdout_node(fdt, &options);
	if (node < 0) {
		fallback("no usable /chosen/stdout-path");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(uart_drivers) && !drv; i++)
		if (fdt_node_check_compatible(fdt, node, uart_drivers[i]->compatible) == 0)
			drv = uart_drivers[i];
	if (!drv) {
		snprintf(why, sizeof(why), "no driver for stdout-path node %s",
			 fdt_get_name(fdt, node, NULL));
		fallback(why);
		return;
	}
	if (dt_reg(fdt, node, 0, &addr, &size) || dt_translate(fdt, node, addr, &phys)) {
		snprintf(why, sizeof(why), "bad reg in %s", fdt_get_name(fdt, node, NULL));
		fallback(why);
		return;
	}
	console_port.regshift = dt_u32(fdt, node, "reg-shift", &val) ? val : 0;
	console_port.iowidth = dt_u32(fdt, node, "reg-io-width", &val) ? val : 1;
	if (drv == &pl011_driver)
		console_port.iowidth = 4;
	if (console_port.regshift > 4 || (console_port.iowidth != 1 && console_port.iowidth != 4)) {
		snprintf(why, sizeof(why), "unsupported reg-shift %u / reg-io-width %u",
			 console_port.regshift, console_port.iowidth);
		fallback(why);
		return;
	}
	if (!start_console(drv, phys, size ? size : 0x1000)) {
		fallback("no early fixmap slot for the UART");
		return;
	}
	pr_info("printk: console [%s] enabled: %s at MMIO 0x%08llx%s%s\n", console_name,
		drv->compatible, (unsigned long long)phys, options ? ", options " : "",
		options ? options : "");
}
