/* CPU identification for the boot log, and the PMU instruction counter. */
#include <asm/arch.h>
#include <asm/cache.h>
#include <asm/sysreg.h>
#include <mk64/compiler.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>

struct cpu_part {
	u8 implementer;
	u16 part;
	const char *name;
};

static const struct cpu_part cpu_parts[] = {
	{ 0x41, 0xd03, "ARM Cortex-A53" },   { 0x41, 0xd04, "ARM Cortex-A35" },
	{ 0x41, 0xd05, "ARM Cortex-A55" },   { 0x41, 0xd07, "ARM Cortex-A57" },
	{ 0x41, 0xd08, "ARM Cortex-A72" },   { 0x41, 0xd09, "ARM Cortex-A73" },
	{ 0x41, 0xd0a, "ARM Cortex-A75" },   { 0x41, 0xd0b, "ARM Cortex-A76" },
	{ 0x41, 0xd0c, "ARM Neoverse-N1" },  { 0x41, 0xd0d, "ARM Cortex-A77" },
	{ 0x41, 0xd40, "ARM Neoverse-V1" },  { 0x41, 0xd41, "ARM Cortex-A78" },
	{ 0x41, 0xd46, "ARM Cortex-A510" },  { 0x41, 0xd47, "ARM Cortex-A710" },
	{ 0x41, 0xd49, "ARM Neoverse-N2" },  { 0x51, 0x800, "Qualcomm Kryo 2xx Gold" },
	{ 0x61, 0x022, "Apple M1 Icestorm" }, { 0x61, 0x023, "Apple M1 Firestorm" },
};

static const char *implementer_name(unsigned int imp)
{
	switch (imp) {
	case 0x00: return "software (QEMU)";
	case 0x41: return "ARM";
	case 0x42: return "Broadcom";
	case 0x43: return "Cavium";
	case 0x46: return "Fujitsu";
	case 0x48: return "HiSilicon";
	case 0x4e: return "NVIDIA";
	case 0x50: return "APM";
	case 0x51: return "Qualcomm";
	case 0x61: return "Apple";
	case 0xc0: return "Ampere";
	default: return "unknown implementer";
	}
}

unsigned int arch_phys_addr_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int parange = id_field(read_sysreg(id_aa64mmfr0_el1), ID_AA64MMFR0_PARANGE_SHIFT);

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

u64 arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffULL;
}

u64 arch_midr(void)
{
	return read_sysreg(midr_el1);
}

void arch_midr_name(u64 midr, char *buf, size_t size)
{
	unsigned int imp = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;
	unsigned int variant = (midr >> 20) & 0xf, rev = midr & 0xf;
	const char *name = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(cpu_parts); i++)
		if (cpu_parts[i].implementer == imp && cpu_parts[i].part == part)
			name = cpu_parts[i].name;
	if (name)
		snprintf(buf, size, "%s r%up%u", name, variant, rev);
	else
		snprintf(buf, size, "%s part 0x%03x r%up%u", implementer_name(imp), part, variant,
			 rev);
}

void arch_print_cpu(void)
{
	u64 midr = read_sysreg(midr_el1);
	char name[64];

	arch_midr_name(midr, name, sizeof(name));
	pr_info("CPU: %s (MIDR_EL1 0x%08llx), entered at EL%u\n", name, (unsigned long long)midr,
		arch_entry_el());
}

/* PMUv3 event 0x08, INST_RETIRED, on counter 0; exact under QEMU icount. */
static bool pmu_ready;

static bool pmu_init(void)
{
	unsigned int ver = id_field(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_PMUVER_SHIFT);

	if (ver == 0 || ver == ID_AA64DFR0_PMUVER_IMPDEF ||
	    ((read_sysreg(pmcr_el0) >> PMCR_N_SHIFT) & 0x1f) == 0)
		return false;
	write_sysreg(0, pmselr_el0);
	isb();
	write_sysreg(0x08, pmxevtyper_el0);
	write_sysreg(1, pmcntenset_el0);
	write_sysreg(read_sysreg(pmcr_el0) | 1, pmcr_el0); /* E: enable */
	isb();
	return true;
}

/*
 * The event counter is 32 bits wide: extend it in software, which is exact
 * as long as callers sample it at least every 2^32 instructions.
 */
bool arch_insn_count(u64 *count)
{
	static u64 extended;
	u32 now;

	if (!pmu_ready && !(pmu_ready = pmu_init()))
		return false;
	isb();
	now = (u32)read_sysreg(pmevcntr0_el0);
	extended += (u32)(now - (u32)extended);
	*count = extended;
	return true;
}

unsigned int cache_line_size(void)
{
	unsigned int cwg = (unsigned int)(read_sysreg(ctr_el0) >> CTR_CWG_SHIFT) & 0xf;

	return cwg ? 4u << cwg : 128;
}
