/*
 * What head.S and start_kernel promise: the image header, the exception
 * level, the MMU/cache state, the link-address mapping, FP/SIMD trapped,
 * the vector table, our own EL2 vectors, quiet interrupt sources, and a
 * live device tree that agrees with itself.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/early_map.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/pgtable-hwdef.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/compiler.h>
#include <mk64/fault.h>
#include <mk64/irqchip.h>
#include <mk64/jiffies.h>
#include <mk64/kallsyms.h>
#include <mk64/kernel.h>
#include <mk64/ktest.h>
#include <mk64/string.h>

extern char _text[], _end[], vectors[];
extern unsigned long __stack_chk_guard;

struct image_header {
	u32 code0, code1;
	u64 text_offset, image_size, flags, res2, res3, res4;
	u32 magic, res5;
};

static void image_header(struct ktest *t)
{
	const struct image_header *h = (const void *)_text;

	KTEST_EXPECT_EQ(t, h->magic, 0x644d5241u);
	KTEST_EXPECT_EQ(t, h->text_offset, 0ull);
	KTEST_EXPECT_EQ(t, h->image_size, (u64)(uintptr_t)_end - (u64)(uintptr_t)_text);
	KTEST_EXPECT_EQ(t, h->flags, 0xaull);
}

static void runs_at_link_address(struct ktest *t)
{
	u64 pc = (u64)(uintptr_t)__builtin_return_address(0);

	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)_text, KIMAGE_VADDR);
	KTEST_EXPECT_GE(t, pc, KIMAGE_VADDR);
	KTEST_EXPECT_LT(t, pc, (u64)(uintptr_t)_end);
	KTEST_EXPECT_EQ(t, boot_info.kimage_phys & (SECTION_SIZE - 1), 0ull);
}

static void exception_level(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, read_sysreg(CurrentEL) >> 2, 1ull);
	KTEST_EXPECT_TRUE(t, boot_info.entry_el == 1 || boot_info.entry_el == 2);
	KTEST_EXPECT_EQ(t, arch_entry_el(), boot_info.entry_el);
	KTEST_EXPECT_FALSE(t, boot_info.boot_regs_nonzero);
}

static void mmu_and_caches_on(struct ktest *t)
{
	u64 sctlr = read_sysreg(sctlr_el1), daif = read_sysreg(daif);

	KTEST_EXPECT_EQ(t, sctlr & (SCTLR_M | SCTLR_C | SCTLR_I), SCTLR_M | SCTLR_C | SCTLR_I);
	KTEST_EXPECT_EQ(t, read_sysreg(mair_el1), (u64)MAIR_VALUE);
	KTEST_EXPECT_EQ(t, read_sysreg(tcr_el1) & 0xffffffffull, (u64)TCR_VALUE);
	KTEST_EXPECT_EQ(t, read_sysreg(cpacr_el1) & CPACR_EL1_FPEN, 0ull);	/* FP/SIMD traps */
	KTEST_EXPECT_EQ(t, read_sysreg(vbar_el1), (u64)(uintptr_t)vectors);
	/* D and F masked, SError (A) reported, IRQs (I) unmasked once running. */
	KTEST_EXPECT_EQ(t, daif & 0x3c0, 0x240ull);
}

/* AT S1E1R: the kernel's VA must translate to where it was loaded. */
static void translation_matches_load_address(struct ktest *t)
{
	u64 par;

	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(_text));
	par = read_sysreg(par_el1);
	KTEST_ASSERT_EQ(t, par & 1, 0ull);
	KTEST_EXPECT_EQ(t, par & 0xfffffffff000ull, boot_info.kimage_phys);
}

static void device_tree_live(struct ktest *t)
{
	struct dt_range banks[DT_MAX_BANKS];
	const void *fdt = boot_info.fdt;
	bool kernel_in_ram = false, fdt_in_ram = false;
	int n;

	KTEST_ASSERT_TRUE(t, fdt != NULL);
	KTEST_EXPECT_EQ(t, fdt_magic(fdt), FDT_MAGIC);
	n = dt_memory_banks(fdt, banks, DT_MAX_BANKS);
	KTEST_ASSERT_GT(t, n, 0);
	for (int i = 0; i < n; i++) {
		u64 end = banks[i].base + banks[i].size;

		kernel_in_ram |= boot_info.kimage_phys >= banks[i].base &&
				 boot_info.kimage_phys < end;
		fdt_in_ram |= boot_info.fdt_phys >= banks[i].base &&
			      boot_info.fdt_phys + dt_size(fdt) <= end;
	}
	KTEST_EXPECT_TRUE(t, kernel_in_ram);
	KTEST_EXPECT_TRUE(t, fdt_in_ram);
	KTEST_EXPECT_GE(t, dt_stdout_node(fdt, NULL), 0);
	KTEST_EXPECT_STREQ(t, boot_info.cmdline, dt_bootargs(fdt));
}

static void stack_canary(struct ktest *t)
{
	u64 seed;

	KTEST_EXPECT_EQ(t, __stack_chk_guard & 0xff, 0ul);
	KTEST_EXPECT_EQ(t, boot_info.canary_seeded, dt_seed(boot_info.fdt, &seed));
}

static void clock_advances(struct ktest *t)
{
	u64 a = arch_clock_ns(), b;

	KTEST_EXPECT_NE(t, arch_counter_freq(), 0ull);
	for (volatile int i = 0; i < 100000; i++)
		;
	b = arch_clock_ns();
	KTEST_EXPECT_GT(t, b, a);
}

/* The one FP instruction in the kernel, on purpose (scripts/check-simd.py allows it). */
static __noinline void fpsimd_trap_probe(void *arg)
{
	(void)arg;
	__asm__ volatile(".inst 0x9e6703e0");	/* fmov d0, xzr */
}

/* CPACR_EL1.FPEN = 0: an FP/SIMD instruction faults instead of running. */
static void fp_simd_traps(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(fpsimd_trap_probe, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_FP_ASIMD);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fi.pc, NULL, NULL), "fpsimd_trap_probe");
}

/*
 * Entered at EL2, an HVC reaches the kernel's own stub (hyp-stub.S), which
 * answers SMCCC NOT_SUPPORTED and leaves the other registers alone; the
 * boot loader's vectors would have run its code, or hung.
 */
static void hvc_reaches_own_stub(struct ktest *t)
{
	register u64 x0 __asm__("x0") = 0x84000000;	/* PSCI_VERSION */
	register u64 x1 __asm__("x1") = 0x1111;
	register u64 x2 __asm__("x2") = 0x2222;
	register u64 x3 __asm__("x3") = 0x3333;

	if (boot_info.entry_el != 2)
		ktest_skip(t, "entered at EL1: no EL2 to call");
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	KTEST_EXPECT_EQ(t, x0, (u64)SMCCC_RET_NOT_SUPPORTED);
	KTEST_EXPECT_EQ(t, x1, 0x1111ull);
	KTEST_EXPECT_EQ(t, x2, 0x2222ull);
	KTEST_EXPECT_EQ(t, x3, 0x3333ull);
}

#define GICC_CTLR_ENABLES 3	/* EnableGrp0, EnableGrp1 */

/* The GICv2 CPU interface's registers, mapped from the DT's own node. */
static volatile u32 *map_gicc(struct ktest *t)
{
	static const char *const compat[] = { "arm,gic-400", "arm,cortex-a15-gic" };
	const void *fdt = boot_info.fdt;
	u64 addr, size, phys;
	volatile u32 *gicc;
	int node = dt_find_compatible_any(fdt, compat, ARRAY_SIZE(compat), NULL);

	if (node < 0)
		ktest_skip(t, "neither GIC system registers nor a GICv2 node");
	KTEST_ASSERT_EQ(t, dt_reg(fdt, node, 1, &addr, &size), 0);
	KTEST_ASSERT_EQ(t, dt_translate(fdt, node, addr, &phys), 0);
	gicc = early_ioremap(phys, PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, gicc != NULL);
	return gicc;
}

/*
 * Before the GIC driver takes over, whatever firmware left on must stop
 * signalling. QEMU resets all of these to off, so the case first turns
 * them on, as firmware may leave them (IRQs masked meanwhile), then checks
 * that arch_quiesce_irq_sources() turns them off: the EL1 timers, and the
 * GIC CPU interface, GICv3 through its system registers, GICv2 through
 * the driver's MMIO mapping. Then the driver's per-CPU set-up and the
 * tick take over again, as after boot.
 */
static void irq_sources_quiet(struct ktest *t)
{
	bool v3 = cpu_has_gic_sysregs();
	volatile u32 *gicc = v3 ? NULL : map_gicc(t);
	unsigned long flags;
	u64 ctl = 0;

	local_irq_save(flags);
	write_sysreg(1, cntv_ctl_el0);
	write_sysreg(1, cntp_ctl_el0);
	if (v3)
		write_sysreg(ICC_IGRPEN1_EN, SYS_ICC_IGRPEN1_EL1);
	else
		gicc[0] = GICC_CTLR_ENABLES;
	isb();
	arch_quiesce_irq_sources();
	if (v3) {
		KTEST_EXPECT_EQ(t, read_sysreg(SYS_ICC_SRE_EL1) & ICC_SRE_SRE, ICC_SRE_SRE);
		ctl = read_sysreg(SYS_ICC_IGRPEN1_EL1) & ICC_IGRPEN1_EN;
	} else {
		ctl = gicc[0] & GICC_CTLR_ENABLES;
	}
	KTEST_EXPECT_EQ(t, read_sysreg(cntv_ctl_el0) & 1, 0ull);
	KTEST_EXPECT_EQ(t, read_sysreg(cntp_ctl_el0) & 1, 0ull);
	KTEST_EXPECT_EQ(t, ctl, 0ull);
	gic_cpu_init();
	arch_timer_starting_cpu();
	local_irq_restore(flags);
	if (gicc)
		KTEST_EXPECT_TRUE(t, early_iounmap((void *)gicc, PAGE_SIZE));
}

/*
 * A tree of a root (2 address and size cells) and one GIC node, written
 * with libfdt's sequential-write calls (its read-write ones use SIMD).
 */
static void *gic_tree(struct ktest *t, void *buf, int size, const char *compat,
		      const fdt64_t *reg, int nregs, int redist_regions)
{
	int err = fdt_create(buf, size);

	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);
	if (compat) {
		err |= fdt_begin_node(buf, "interrupt-controller@8000000");
		err |= fdt_property_string(buf, "compatible", compat);
		if (redist_regions)
			err |= fdt_property_u32(buf, "#redistributor-regions",
						(u32)redist_regions);
		err |= fdt_property(buf, "reg", reg, nregs * 2 * (int)sizeof(*reg));
		err |= fdt_end_node(buf);
	}
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	KTEST_ASSERT_EQ(t, err, 0);
	return buf;
}

/*
 * Where the memory-mapped CPU interface is, by the GIC bindings: a GICv2
 * node's second reg entry; a GICv3 node's entry after GICD and its
 * redistributor regions (one unless #redistributor-regions says more),
 * absent when the GIC has no legacy interface. The GICv3 case is the one a
 * firmware that keeps SRE at 0 leaves us (QEMU's GICv3 always takes SRE,
 * so only the lookup can be run here).
 */
static void gic_cpu_interface_from_dt(struct ktest *t)
{
	static u64 buf[128];
	const fdt64_t v2[] = { cpu_to_fdt64(0x8000000), cpu_to_fdt64(0x10000),
			       cpu_to_fdt64(0x8010000), cpu_to_fdt64(0x10000) };
	const fdt64_t v3[] = { cpu_to_fdt64(0x8000000), cpu_to_fdt64(0x10000),
			       cpu_to_fdt64(0x80a0000), cpu_to_fdt64(0xf60000),
			       cpu_to_fdt64(0x90a0000), cpu_to_fdt64(0x20000),
			       cpu_to_fdt64(0x7fff0000), cpu_to_fdt64(0x2000) };
	u64 phys = 0;

	gic_tree(t, buf, sizeof(buf), "arm,gic-400", v2, 2, 0);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), 0);
	KTEST_EXPECT_EQ(t, phys, 0x8010000ull);
	gic_tree(t, buf, sizeof(buf), "arm,gic-v3", v3, 3, 0);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), 0);
	KTEST_EXPECT_EQ(t, phys, 0x90a0000ull);
	gic_tree(t, buf, sizeof(buf), "arm,gic-v3", v3, 4, 2);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), 0);
	KTEST_EXPECT_EQ(t, phys, 0x7fff0000ull);
	gic_tree(t, buf, sizeof(buf), "arm,gic-v3", v3, 2, 0);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), -ENOENT);
	gic_tree(t, buf, sizeof(buf), "arm,gic-v3", v3, 4, 3);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), -ENOENT);
	gic_tree(t, buf, sizeof(buf), NULL, NULL, 0, 0);
	KTEST_EXPECT_EQ(t, gic_cpu_interface_phys(buf, &phys), -ENODEV);
}

KTEST_SUITE(boot, KTEST_CASE(image_header), KTEST_CASE(runs_at_link_address),
	    KTEST_CASE(exception_level), KTEST_CASE(mmu_and_caches_on), KTEST_CASE(irq_sources_quiet),
	    KTEST_CASE(gic_cpu_interface_from_dt),
	    KTEST_CASE(fp_simd_traps), KTEST_CASE(hvc_reaches_own_stub),
	    KTEST_CASE(translation_matches_load_address), KTEST_CASE(device_tree_live),
	    KTEST_CASE(stack_canary), KTEST_CASE(clock_advances));
