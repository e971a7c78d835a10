/*
 * start_kernel: from the first C instruction to power-off. Order matters:
 * the DTB is validated before anything reads it, the console comes from the
 * DTB (so everything logged earlier is replayed when it registers), the
 * stack canary is reseeded before any protected frame can be live across
 * the change, and the test suites run last.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/boot.h>
#include <asm/daifflags.h>
#include <asm/early_map.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/page.h>
#include <asm/psci.h>
#include <asm/stacktrace.h>
#include <generated/version.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/console.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/highmem.h>
#include <mk64/irqchip.h>
#include <mk64/jiffies.h>
#include <mk64/kernel.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/mmzone.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/slub_def.h>
#include <mk64/smp.h>
#include <mk64/stackprotector.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/vmalloc.h>

extern char _text[], _end[], _edata[];

/* Linker symbols are distinct objects to C: compare them as addresses. */
#define IMAGE_BYTES(end) ((u64)(uintptr_t)(end) - (u64)(uintptr_t)_text)

void start_kernel(phys_addr_t fdt_phys, phys_addr_t load_phys, u64 entry_el,
		  u64 boot_regs, u64 el2_notes) __noreturn;

enum system_states system_state = SYSTEM_BOOTING;

/* Maps and validates the DTB at x0; returns it, or NULL with *why set. */
static const void *setup_fdt(phys_addr_t phys, char *why, size_t size)
{
	const char *reason;
	size_t mapped;
	const void *fdt;

	if (!phys) {
		snprintf(why, size, "no device tree: the boot loader passed x0 = 0");
		return NULL;
	}
	if (phys & 7) {
		snprintf(why, size, "x0 = %pa is not 8-byte aligned, not a device tree", &phys);
		return NULL;
	}
	if (phys >> arch_phys_addr_bits()) {
		snprintf(why, size, "x0 = %pa is beyond the CPU's %u-bit physical range",
			 &phys, arch_phys_addr_bits());
		return NULL;
	}
	fdt = early_map_fdt(phys, &mapped);
	if (mapped >= sizeof(struct fdt_header) && fdt_magic(fdt) == FDT_MAGIC &&
	    fdt_totalsize(fdt) > DT_MAX_SIZE) {
		snprintf(why, size, "device tree at %pa: totalsize %u is above the arm64 boot protocol's 2 MiB limit",
			 &phys, fdt_totalsize(fdt));
		return NULL;
	}
	if (dt_check(fdt, mapped, &reason)) {
		snprintf(why, size, "invalid device tree at %pa: %s", &phys, reason);
		return NULL;
	}
	return fdt;
}

/* The device tree is unusable: say why, then stop through PSCI if we can. */
static __noreturn void fatal_boot_error(const char *why)
{
	pr_emerg("Error: %s\n", why);
	pr_emerg("Cannot continue without a valid device tree; stopping.\n");
	psci_init(boot_info.fdt);
	machine_halt();
}

static void print_memory(const void *fdt)
{
	struct dt_range banks[DT_MAX_BANKS];
	struct dt_reserved rsv[DT_MAX_RESERVED];
	phys_addr_t initrd_start, initrd_end;
	int n = dt_memory_banks(fdt, banks, DT_MAX_BANKS);

	for (int i = 0; i < n; i++)
		pr_info("Memory: bank %d: [mem 0x%016llx-0x%016llx] %llu MiB\n", i,
			(unsigned long long)banks[i].base,
			(unsigned long long)(banks[i].base + banks[i].size - 1),
			(unsigned long long)(banks[i].size >> 20));
	pr_info("Reserved: [mem 0x%016llx-0x%016llx] kernel image\n",
		(unsigned long long)boot_info.kimage_phys,
		(unsigned long long)(boot_info.kimage_phys + IMAGE_BYTES(_end) - 1));
	pr_info("Reserved: [mem 0x%016llx-0x%016llx] device tree blob\n",
		(unsigned long long)boot_info.fdt_phys,
		(unsigned long long)(boot_info.fdt_phys + dt_size(fdt) - 1));
	if (dt_initrd(fdt, &initrd_start, &initrd_end))
		pr_info("Reserved: [mem 0x%016llx-0x%016llx] initrd\n",
			(unsigned long long)initrd_start, (unsigned long long)initrd_end - 1);
	n = dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	if (n < 0)
		pr_warn("Reserved: cannot read reserved ranges (%s)\n", fdt_strerror(n));
	for (int i = 0; i < n; i++)
		pr_info("Reserved: [mem 0x%016llx-0x%016llx] %s%s\n",
			(unsigned long long)rsv[i].base,
			(unsigned long long)(rsv[i].base + rsv[i].size - 1), rsv[i].name,
			rsv[i].no_map ? " (no-map)" : "");
}

/* mem=SIZE: use only the first SIZE bytes of RAM, as Linux does. */
static void apply_mem_limit(void)
{
	char val[24];
	phys_addr_t end;

	if (!cmdline_get(boot_info.cmdline, "mem", val, sizeof(val)))
		return;
	end = memblock_mem_limit(memparse(val, NULL));
	if (end)
		pr_notice("Memory limited to %s by mem=: RAM now ends at %pa\n", val, &end);
}

/* highmem=SIZE: the top SIZE of RAM becomes ZONE_HIGHMEM, out of the linear map. */
static void setup_highmem(void)
{
	char val[24];
	int err;

	if (!cmdline_get(boot_info.cmdline, "highmem", val, sizeof(val)))
		return;
	err = highmem_init(memparse(val, NULL));
	if (err)
		pr_warn("highmem=%s ignored: %s\n", val,
			err == -EINVAL ? "empty, or half of RAM or more" :
					 "the range holds the kernel, the DTB or an initrd");
	else
		pr_notice("HighMem: [mem %pa and up] kept out of the linear map (highmem=%s)\n",
			  &highmem_start, val);
}

/* zone_dma_bits=N: ZONE_DMA covers what devices with N address bits reach. */
static void setup_zone_dma_bits(void)
{
	char val[8];
	unsigned long bits;

	if (!cmdline_get(boot_info.cmdline, "zone_dma_bits", val, sizeof(val)))
		return;
	bits = strtoul(val, NULL, 0);
	if (bits < 24 || bits > 48)
		pr_warn("zone_dma_bits=%s ignored: not in 24..48\n", val);
	else
		zone_dma_bits = (unsigned int)bits;
}

static void setup_cmdline(const void *fdt)
{
	const char *cmdline = boot_info.cmdline;
	char val[8];

	strlcpy(boot_info.cmdline, dt_bootargs(fdt), sizeof(boot_info.cmdline));
	if (cmdline_get(cmdline, "loglevel", val, sizeof(val)))
		console_set_loglevel((int)strtoul(val, NULL, 10));
	else if (cmdline_has(cmdline, "quiet"))
		console_set_loglevel(CONSOLE_LOGLEVEL_QUIET);
}

static void run_tests(void)
{
	const char *cmdline = boot_info.cmdline;
	char filter[128] = "", val[8];
	struct ktest_totals totals;
	bool bench;

	if (cmdline_get(cmdline, "ktest.enable", val, sizeof(val)) && !strcmp(val, "0")) {
		pr_info("ktest: disabled by ktest.enable=0\n");
		return;
	}
	bench = cmdline_get(cmdline, "ktest.bench", val, sizeof(val)) && !strcmp(val, "1");
	cmdline_get(cmdline, "ktest.filter", filter, sizeof(filter));
	totals = ktest_run(filter, bench);
	pr_info("ktest: %u passed, %u failed, %u skipped\n", totals.pass, totals.fail,
		totals.skip);
}

/* The rest of boot and the tests, on the boot CPU's vmalloc'd stack. */
static void rest_init(void *unused)
{
	char crash[32];

	(void)unused;
	/*
	 * The GIC driver takes over from firmware (quieting what it left on
	 * first) and the tick starts before the secondary CPUs come up, as
	 * Linux's init_IRQ() and time_init() come before smp_init(): each of
	 * them sets up its own side of both. Then boot is done, and process
	 * context runs with interrupts unmasked from here, as Linux's does, so
	 * that irqs_disabled() means a section that masked them, and
	 * might_sleep() checks its callers.
	 */
	if (!irqchip_init(boot_info.fdt)) {
		arch_timer_init(boot_info.fdt);
		call_function_init();
	}
	smp_init(boot_info.fdt);
	local_irq_enable();
	system_state = SYSTEM_RUNNING;
	run_tests();
	if (cmdline_has(boot_info.cmdline, "slabinfo"))
		print_slabinfo(NULL);
	if (cmdline_has(boot_info.cmdline, "vmallocinfo"))
		print_vmallocinfo();
	if (cmdline_get(boot_info.cmdline, "ktest.crash", crash, sizeof(crash)))
		ktest_crash(crash);
	machine_halt();
}

/*
 * Moves the boot CPU off init_stack for good, onto a stack from vmalloc
 * with an unmapped page below it, where rest_init() runs. start_kernel()'s
 * frame stays on init_stack, where backtraces still reach it.
 */
static __noinline __noreturn void switch_boot_stack(void)
{
	void *stack = arch_alloc_vmap_stack(THREAD_SIZE, numa_node_id());

	if (!stack)
		panic("no memory for the boot CPU's stack");
	call_on_stack(stack, THREAD_SIZE, rest_init, NULL);
	__builtin_unreachable();
}

__no_stack_protector void start_kernel(phys_addr_t fdt_phys, phys_addr_t load_phys,
				       u64 entry_el, u64 boot_regs, u64 el2_notes)
{
	char why[160];
	const void *fdt;
	u64 seed;
	int n;

	arch_clock_init();
	clear_page_init();
	kimage_phys = load_phys;
	boot_info.kimage_phys = load_phys;
	boot_info.fdt_phys = fdt_phys;
	boot_info.entry_el = (unsigned int)entry_el;
	boot_info.boot_regs_nonzero = boot_regs != 0;

	pr_notice("Booting mk64 on physical CPU 0x%010llx [0x%08llx]\n",
		  (unsigned long long)arch_cpu_hwid(), (unsigned long long)arch_midr());
	pr_notice("mk64 version " MK64_RELEASE " (" MK64_REVISION ") (" MK64_COMPILER
		  ") #1 SMP " MK64_BUILD_DATE "\n");

	fdt = setup_fdt(fdt_phys, why, sizeof(why));
	boot_info.fdt = fdt;
	console_init(fdt);
	/* .bss, the stack and a console exist: an SError now gets its report. */
	local_serror_enable();
	if (!fdt)
		fatal_boot_error(why);
	n = dt_memory_banks(fdt, NULL, 0);
	if (n == -FDT_ERR_NOTFOUND)
		fatal_boot_error("device tree has no /memory node with a usable reg");
	if (n < 0 && n != -FDT_ERR_NOSPACE) {
		snprintf(why, sizeof(why), "device tree /memory: %s", fdt_strerror(n));
		fatal_boot_error(why);
	}
	setup_cmdline(fdt);
	psci_init(fdt);	/* first, so that any panic from here on powers off */
	if (dt_seed(fdt, &seed)) {
		boot_init_stack_canary(seed);
		boot_info.canary_seeded = true;
	}

	pr_info("Machine model: %s\n", dt_model(fdt));
	arch_print_cpu();
	if (el2_notes & BOOT_EL2_GIC_SRE_STUCK_OFF) {
		pr_warn("GICv3: ICC_SRE_EL2.SRE stays 0 after being set: firmware keeps the GIC system registers from EL2 and EL1\n");
		pr_warn("GICv3: ICH_HCR_EL2 left as firmware set it; EL1 cannot use ICC_* registers\n");
	}
	pr_info("Kernel image: loaded at 0x%016llx, linked at 0x%016llx, %llu KiB (%llu KiB file)\n",
		(unsigned long long)load_phys, (unsigned long long)KIMAGE_VADDR,
		(unsigned long long)IMAGE_BYTES(_end) >> 10,
		(unsigned long long)IMAGE_BYTES(_edata) >> 10);
	pr_info("Device tree: at 0x%016llx, %zu bytes, valid\n",
		(unsigned long long)fdt_phys, dt_size(fdt));
	if (boot_info.boot_regs_nonzero)
		pr_warn("WARNING: x1-x3 not zero at entry: boot loader ignores the arm64 boot protocol\n");
	pr_info("stack protector: canary %s\n",
		boot_info.canary_seeded ? "seeded from /chosen rng-seed/kaslr-seed"
					: "not seeded: no /chosen rng-seed or kaslr-seed");
	print_memory(fdt);
	pr_notice("Kernel command line: %s\n", boot_info.cmdline);
	n = memblock_init_from_dt(fdt, fdt_phys, load_phys, IMAGE_BYTES(_end));
	if (n) {
		snprintf(why, sizeof(why), "device tree memory map: %s", fdt_strerror(n));
		fatal_boot_error(why);
	}
	apply_mem_limit();
	setup_highmem();
	setup_zone_dma_bits();
	if (memblock_alloc_dt_dynamic(fdt))
		fatal_boot_error("device tree /reserved-memory: too many dynamic reservations");
	paging_init();
	print_memory_layout();
	set_boot_cpu_hwid(arch_cpu_hwid());
	mm_core_init(fdt);
	kmap_init();
	/* The free-list order's seed: the boot loader's when it gave one, else the counter. */
	kmem_cache_init(boot_info.cmdline, boot_info.canary_seeded ? seed : arch_clock_ns());
	create_kmalloc_caches();
	slab_shrinker_init();
	vmalloc_init();
	console_remap();
	switch_boot_stack();
}
