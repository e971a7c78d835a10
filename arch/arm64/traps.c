/*
 * The minimal exception handler: every exception is unexpected for now. It
 * names the exception in words, dumps ESR/ELR/FAR and the registers, and
 * stops the machine. A fault while reporting one prints a single line and
 * halts instead of looping.
 */
#include <asm/ptrace.h>
#include <mk64/compiler.h>
#include <mk64/console.h>
#include <mk64/panic.h>
#include <mk64/printk.h>

extern int oops_in_progress;

static const char *const vector_names[16] = {
	"Synchronous (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
	"Synchronous (EL1h)", "IRQ (EL1h)", "FIQ (EL1h)", "SError (EL1h)",
	"Synchronous (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)",
	"SError (EL0, AArch64)", "Synchronous (EL0, AArch32)", "IRQ (EL0, AArch32)",
	"FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "trapped FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "trapped MSR/MRS or system instruction";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort without a change in EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort without a change in EL";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "trapped floating-point exception";
	case 0x2f: return "SError interrupt";
	case 0x30: case 0x31: return "hardware breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "reserved or unhandled exception class";
	}
}

/* Instruction and data aborts: the fault status code (ISS bits 5:0). */
static void describe_abort(u64 esr)
{
	static const char *const kinds[] = { "address size fault", "translation fault",
					     "access flag fault", "permission fault" };
	unsigned int fsc = esr & 0x3f, ec = (esr >> 26) & 0x3f;
	const char *access = ec == 0x20 || ec == 0x21 ? "instruction fetch"
			     : (esr & (1u << 6)) ? "write" : "read";

	if (fsc < 16)
		pr_emerg("Abort: %s, %s at level %u\n", access, kinds[fsc >> 2], fsc & 3);
	else if (fsc == 0x10)
		pr_emerg("Abort: %s, synchronous external abort\n", access);
	else if (fsc == 0x21)
		pr_emerg("Abort: %s, alignment fault\n", access);
	else
		pr_emerg("Abort: %s, fault status code 0x%02x\n", access, fsc);
}

static void dump_regs(const struct pt_regs *regs)
{
	pr_emerg("pc : 0x%016llx  lr : 0x%016llx\n", (unsigned long long)regs->pc,
		 (unsigned long long)regs->regs[30]);
	pr_emerg("sp : 0x%016llx  pstate : 0x%08llx\n", (unsigned long long)regs->sp,
		 (unsigned long long)regs->pstate);
	for (int i = 29; i >= 1; i -= 2)
		pr_emerg("x%-2d: 0x%016llx  x%-2d: 0x%016llx\n", i,
			 (unsigned long long)regs->regs[i], i - 1,
			 (unsigned long long)regs->regs[i - 1]);
}

void do_exception(struct pt_regs *regs, unsigned long vector);

void do_exception(struct pt_regs *regs, unsigned long vector)
{
	static int depth;
	unsigned int ec = (regs->esr >> 26) & 0x3f;

	/* A fault while reporting gets one line; a fault in that line, none. */
	if (depth++) {
		if (depth == 2)
			pr_emerg("Recursive exception (ESR 0x%08llx at 0x%016llx) while reporting one; halting\n",
				 (unsigned long long)regs->esr, (unsigned long long)regs->pc);
		for (;;)
			__asm__ volatile("wfi");
	}
	oops_in_progress = 1;
	if (!have_console())
		console_init_fallback();
	if ((vector & 3) == 1 || (vector & 3) == 2) {
		/* ESR and FAR describe the last synchronous exception, not this. */
		pr_emerg("Unhandled exception: %s: unexpected interrupt at 0x%016llx\n",
			 vector_names[vector & 15], (unsigned long long)regs->pc);
	} else {
		pr_emerg("Unhandled exception: %s: %s (EC 0x%02x)\n",
			 vector_names[vector & 15], esr_class_name(ec), ec);
		pr_emerg("ESR_EL1 0x%08llx  ELR_EL1 0x%016llx  FAR_EL1 0x%016llx\n",
			 (unsigned long long)regs->esr, (unsigned long long)regs->pc,
			 (unsigned long long)regs->far);
		if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
			describe_abort(regs->esr);
	}
	dump_regs(regs);
	panic("unhandled exception");
}
