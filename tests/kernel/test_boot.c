/*
 * What head.S and start_kernel promise: the image header, the exception
 * level, the MMU/cache state, the link-address mapping, FP/SIMD for libfdt,
 * the vector table, and a live device tree that agrees with itself.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/pgtable-hwdef.h>
#include <mk64/boot.h>
#include <mk64/dt.h>
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

/*
 * With interrupts unmasked and no interrupt controller driver, nothing may
 * fire: the EL1 timers are off and a GICv3 CPU interface signals no Group
 * 1 interrupt.
 */
static void irq_sources_quiet(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, read_sysreg(cntv_ctl_el0) & 1, 0ull);
	KTEST_EXPECT_EQ(t, read_sysreg(cntp_ctl_el0) & 1, 0ull);
	if (!((read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf))
		ktest_skip(t, "no GIC system register interface");
	KTEST_ASSERT_EQ(t, read_sysreg(s3_0_c12_c12_5) & 1, 1ull);	/* ICC_SRE_EL1.SRE */
	KTEST_EXPECT_EQ(t, read_sysreg(s3_0_c12_c12_7) & 1, 0ull);	/* ICC_IGRPEN1_EL1 */
}

KTEST_SUITE(boot, KTEST_CASE(image_header), KTEST_CASE(runs_at_link_address),
	    KTEST_CASE(exception_level), KTEST_CASE(mmu_and_caches_on), KTEST_CASE(irq_sources_quiet),
	    KTEST_CASE(translation_matches_load_address), KTEST_CASE(device_tree_live),
	    KTEST_CASE(stack_canary), KTEST_CASE(clock_advances));
