/*
 * The exception handler: every exception the vectors (entry.S) take comes
 * here. A WARN prints its report and continues, an expected fault goes
 * back to its fault_expect(), an interrupt goes to the GIC driver (or is
 * reported once and masked when there is none), anything else prints an oops in Linux's
 * format (headline, decoded ESR, registers, call trace, code) and stops
 * the machine. A fault while reporting one prints a single line and halts
 * instead of looping.
 */
#include <stdarg.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/restart.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <generated/version.h>
#include <mk64/compiler.h>
#include <mk64/console.h>
#include <mk64/fault.h>
#include <mk64/irq.h>
#include <mk64/kallsyms.h>
#include <mk64/panic.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>

#define MAX_TRACE 32

extern char _text[], _etext[];

void do_exception(struct pt_regs *regs, unsigned long vector);

/* Set after the first WARN, as Linux's TAINT_WARN, and shown from then on. */
static bool tainted_warn;

/* printk at a level chosen at run time: a WARN's or an oops's. */
static __printf(2, 3) void lvl_printk(const char *lvl, const char *fmt, ...)
{
	char lfmt[96];	/* the longest format used here, with its level */
	va_list ap;

	snprintf(lfmt, sizeof(lfmt), "%s%s", lvl, fmt);
	va_start(ap, fmt);
	vprintk(lfmt, ap);
	va_end(ap);
}

/* ---- backtraces ----------------------------------------------------------- */

/* Bounds a corrupt chain of stack_info.outer links. */
#define MAX_STACK_NESTING 8

/*
 * Which stack [addr, addr + size) is on: 0 this CPU's overflow stack, 1 the
 * stack it runs on, then each stack call_on_stack() was called on, outwards;
 * -1 none. A walk only moves up this list, from a handler to what it
 * interrupted, from a function to its caller.
 */
static int stack_index(u64 addr, u64 size)
{
	const struct cpu_stacks *cs = this_cpu_stacks();
	const struct stack_info overflow = {
		(u64)cs->overflow_stack, (u64)cs->overflow_stack + OVERFLOW_STACK_SIZE, &cs->stack
	};
	const struct stack_info *s = &overflow;

	for (int idx = 0; s && idx < MAX_STACK_NESTING; s = s->outer, idx++) {
		if (on_stack(s, addr, size))
			return idx;
	}
	return -1;
}

bool object_is_on_stack(const void *obj)
{
	return stack_index((u64)obj, 1) >= 0;
}

/* A walk up the frame records {caller's fp, return address}. */
struct frame_walk {
	u64 fp, prev;
	int stack;
};

static void walk_start(struct frame_walk *w, u64 fp)
{
	w->fp = fp;
	w->prev = 0;
	w->stack = -1;
}

/*
 * The next return address, or false at the end of the chain. A record must
 * lie whole on a known stack, above the previous one on the same stack, so
 * a corrupt chain ends the walk instead of faulting or looping.
 */
static bool walk_next(struct frame_walk *w, u64 *ret)
{
	u64 fp = w->fp;
	int idx;

	if (!fp || (fp & 7))
		return false;
	idx = stack_index(fp, 16);
	if (idx < 0 || idx < w->stack || (idx == w->stack && fp <= w->prev))
		return false;
	*ret = ((const u64 *)fp)[1];
	w->stack = idx;
	w->prev = fp;
	w->fp = ((const u64 *)fp)[0];
	return true;
}

__attribute__((noinline)) unsigned int stack_trace_save(u64 *store, unsigned int max)
{
	struct frame_walk w;
	unsigned int n = 0;

	walk_start(&w, (u64)__builtin_frame_address(0));
	while (n < max && walk_next(&w, &store[n]))
		n++;
	return n;
}

static void show_address(const char *lvl, u64 addr, bool return_address)
{
	char sym[KSYM_SYMBOL_LEN];

	if (return_address)
		sprint_backtrace(sym, sizeof(sym), addr);
	else
		sprint_symbol(sym, sizeof(sym), addr);
	lvl_printk(lvl, " %s\n", sym);
}

/*
 * A leaf function, or one still in its prologue, has no frame record of
 * its own: its caller is in lr only. That is the case when lr is in another
 * function than pc and is not the first record's return address.
 */
static bool lr_is_caller(const struct pt_regs *regs, u64 first_return)
{
	u64 lr = regs->regs[30], pc_offset = 0, lr_offset;

	if (lr == first_return || !kallsyms_lookup(lr - 4, &lr_offset, NULL))
		return false;
	if (!kallsyms_lookup(regs->pc, &pc_offset, NULL))
		return true;
	return regs->pc - pc_offset != lr - 4 - lr_offset;
}

/* "Call trace:" of the code regs interrupted, innermost first. */
static void show_trace(const char *lvl, const struct pt_regs *regs)
{
	struct frame_walk w;
	unsigned int n = 0;
	u64 ret = 0;
	bool more;

	walk_start(&w, regs->regs[29]);
	more = walk_next(&w, &ret);
	lvl_printk(lvl, "Call trace:\n");
	show_address(lvl, regs->pc, false);
	if (lr_is_caller(regs, more ? ret : 0))
		show_address(lvl, regs->regs[30], true);
	for (; more && n < MAX_TRACE; more = walk_next(&w, &ret), n++)
		show_address(lvl, ret, true);
}

static void show_cpu(const char *lvl)
{
	lvl_printk(lvl, "CPU: %u PID: 0 Comm: %s %s " MK64_RELEASE " #1\n", smp_processor_id(),
		   current->comm, tainted_warn ? "Tainted: G        W" : "Not tainted");
}

void dump_stack_lvl(const char *lvl)
{
	struct frame_walk w;
	unsigned int n = 0;
	u64 ret;

	show_cpu(lvl);
	lvl_printk(lvl, "Call trace:\n");
	walk_start(&w, (u64)__builtin_frame_address(0));
	while (n++ < MAX_TRACE && walk_next(&w, &ret))
		show_address(lvl, ret, true);
}

/* ---- reports -------------------------------------------------------------- */

static char flag(u64 pstate, unsigned int bit, char name)
{
	return pstate & (1UL << bit) ? name : (char)(name - 'A' + 'a');
}

static void show_regs(const char *lvl, const struct pt_regs *regs)
{
	char sym[KSYM_SYMBOL_LEN], line[80];
	u64 ps = regs->pstate;

	show_cpu(lvl);
	lvl_printk(lvl, "pstate: %08llx (%c%c%c%c %c%c%c%c EL%llu%c)\n", (unsigned long long)ps,
		   flag(ps, 31, 'N'), flag(ps, 30, 'Z'), flag(ps, 29, 'C'), flag(ps, 28, 'V'),
		   flag(ps, 9, 'D'), flag(ps, 8, 'A'), flag(ps, 7, 'I'), flag(ps, 6, 'F'),
		   (unsigned long long)(ps >> 2) & 3, ps & 1 ? 'h' : 't');
	sprint_symbol(sym, sizeof(sym), regs->pc);
	lvl_printk(lvl, "pc : %s\n", sym);
	sprint_symbol(sym, sizeof(sym), regs->regs[30]);
	lvl_printk(lvl, "lr : %s\n", sym);
	lvl_printk(lvl, "sp : %016llx\n", (unsigned long long)regs->sp);
	/* x29 down to x0, three a line, as Linux prints them. */
	for (int i = 29; i >= 0; i -= 3) {
		int len = 0;

		for (int j = i; j > i - 3 && j >= 0; j--)
			len += snprintf(line + len, sizeof(line) - (size_t)len, "%sx%-2d: %016llx",
					j == i ? "" : " ", j, (unsigned long long)regs->regs[j]);
		lvl_printk(lvl, "%s\n", line);
	}
}

/* The instructions before and at pc, as Linux's "Code:" line. */
static void show_code(const char *lvl, u64 pc)
{
	const u32 *insn = (const u32 *)pc;

	if ((pc & 3) || pc < (u64)_text + 16 || pc + 4 > (u64)_etext)
		return;
	lvl_printk(lvl, "Code: %08x %08x %08x %08x (%08x)\n", insn[-4], insn[-3], insn[-2],
		   insn[-1], insn[0]);
}

/* A WARN's brk: prints the warning and returns true; false for others. */
static bool report_warning(const struct pt_regs *regs)
{
	const struct bug_entry *bug;
	char sym[KSYM_SYMBOL_LEN];

	if (ESR_BRK_IMM(regs->esr) != BUG_BRK_IMM)
		return false;
	bug = find_bug(regs->pc);
	if (!bug || !(bug->site->flags & BUGFLAG_WARNING))
		return false;
	sprint_symbol(sym, sizeof(sym), regs->pc);
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: %u PID: 0 at %s:%u %s\n", smp_processor_id(), bug->site->file,
		bug->site->line, sym);
	pr_warn("WARN_ON(%s)\n", bug->site->cond);
	show_regs(KERN_WARNING, regs);
	show_trace(KERN_WARNING, regs);
	pr_warn("---[ end trace 0000000000000000 ]---\n");
	tainted_warn = true;
	return true;
}

/* The "Internal error: <kind>" words for an exception, as Linux's die(). */
static const char *oops_kind(const struct pt_regs *regs, const struct fault_info *info)
{
	if ((info->vector & 3) == 1 || (info->vector & 3) == 2)
		return "Oops - unexpected interrupt";
	if ((info->vector & 3) == 3)
		return "Oops - SError";
	if (fault_on_overflow_stack(regs))
		return "Oops - kernel stack overflow";
	switch (info->ec) {
	case ESR_EC_UNKNOWN: return "Oops - Undefined instruction";
	case ESR_EC_BRK64: return info->bug ? "Oops - BUG" : "Oops - BRK";
	case ESR_EC_PC_ALIGN: return "Oops - PC alignment";
	case ESR_EC_SP_ALIGN: return "Oops - SP alignment";
	default: return "Oops";
	}
}

static __noreturn void die(const struct pt_regs *regs, const struct fault_info *info)
{
	const char *kind = oops_kind(regs, info);

	oops_in_progress = 1;
	if (!have_console())
		console_init_fallback();
	if (info->bug)
		pr_emerg("------------[ cut here ]------------\n");
	pr_emerg("%s\n", info->headline);
	fault_show_stacks(info);
	if (info->bug && info->bug->cond)
		pr_emerg("BUG_ON(%s)\n", info->bug->cond);
	fault_show_esr(info);
	pr_emerg("Internal error: %s: %016llx [#1] SMP\n", kind, (unsigned long long)info->esr);
	show_regs(KERN_EMERG, regs);
	show_trace(KERN_EMERG, regs);
	show_code(KERN_EMERG, regs->pc);
	pr_emerg("---[ end trace 0000000000000000 ]---\n");
	panic("%s: Fatal exception", kind);
}

/* ---- interrupts ----------------------------------------------------------- */

#define VECTOR_EL1H_IRQ 5
#define VECTOR_EL1H_FIQ 6

/*
 * An interrupt with no interrupt controller driver (none in the device
 * tree, or before irqchip_init()): nothing can acknowledge it, yet
 * firmware may have left one enabled and pending on real hardware. It is
 * reported once and masked in the code it interrupted, which goes on: that
 * code takes it again only when it unmasks interrupts again, once per
 * unmasking, never in a loop. FIQs are never used and always take this
 * path.
 */
static void do_unexpected_irq(struct pt_regs *regs, unsigned long vector)
{
	static bool reported[2];
	bool fiq = vector == VECTOR_EL1H_FIQ;
	char sym[KSYM_SYMBOL_LEN];

	regs->pstate |= fiq ? PSR_F_BIT : PSR_I_BIT;
	if (reported[fiq])
		return;
	reported[fiq] = true;
	sprint_symbol(sym, sizeof(sym), regs->pc);
	pr_warn("irq: %s taken with no interrupt controller driver; masking %s\n",
		fiq ? "FIQ" : "interrupt", fiq ? "FIQs" : "IRQs");
	pr_warn("irq: interrupted %s, ISR_EL1 0x%llx; later ones are masked silently\n", sym,
		(unsigned long long)read_sysreg(isr_el1));
}

/*
 * An IRQ with a GIC driver: handlers run between irq_enter() and
 * irq_exit(), with DAIF all masked as the exception left it, on the stack
 * of the code they interrupted. It is not counted as a nested exception,
 * so that what a handler may take is handled as anywhere else:
 *  - a WARN (brk) prints its report and the handler goes on;
 *  - a fault a fault_expect() section expects goes to its landing pad;
 *  - any other synchronous exception (a bad access, BUG, undefined
 *    instruction, stack overflow) is an oops, as in process context, and
 *    the report's call trace runs through the handler into the
 *    interrupted code;
 *  - an IRQ cannot nest: PSTATE.I stays set until the ERET (a handler
 *    must not unmask); FIQs are never unmasked;
 *  - an SError stays pending (PSTATE.A is set) until the ERET gives the
 *    interrupted code its own mask back, and is reported there.
 */
static void do_irq(struct pt_regs *regs)
{
	restart_fixup(regs);
	irq_enter();
	handle_arch_irq(regs);
	irq_exit();
}

void do_exception(struct pt_regs *regs, unsigned long vector)
{
	/* Per CPU: each CPU's exceptions nest only on that CPU. */
	static const struct pt_regs *handling_on[NR_CPUS];
	static int depth_on[NR_CPUS];
	unsigned int cpu = smp_processor_id();
	const struct pt_regs **handling = &handling_on[cpu];
	int *depth_ptr = &depth_on[cpu];
	bool sync = (vector & 3) == 0;
	struct fault_info info;

	if (vector == VECTOR_EL1H_IRQ && irq_root_chip() && !fault_on_overflow_stack(regs)) {
		do_irq(regs);
		return;
	}
	/* A fault while reporting gets one line; a fault in that line, none. */
	if ((*depth_ptr)++) {
		oops_in_progress = 1;
		if (*depth_ptr == 2) {
			pr_emerg("Recursive exception (vector %lu, ESR 0x%016llx, ELR 0x%016llx, FAR 0x%016llx) while handling ESR 0x%016llx at 0x%016llx; halting\n",
				 vector, (unsigned long long)regs->esr,
				 (unsigned long long)regs->pc, (unsigned long long)regs->far,
				 (unsigned long long)(*handling)->esr,
				 (unsigned long long)(*handling)->pc);
			machine_halt();
		}
		for (;;)
			__asm__ volatile("wfi");
	}
	*handling = regs;
	if ((vector == VECTOR_EL1H_IRQ || vector == VECTOR_EL1H_FIQ) &&
	    !fault_on_overflow_stack(regs)) {
		irq_enter();
		do_unexpected_irq(regs, vector);
		irq_exit();
		(*depth_ptr)--;
		return;
	}
	if (sync && ESR_EC(regs->esr) == ESR_EC_BRK64 && !fault_on_overflow_stack(regs) &&
	    report_warning(regs)) {
		regs->pc += 4;
		(*depth_ptr)--;
		return;
	}
	fault_decode(regs, (unsigned int)vector, &info);
	if (sync && fault_fixup(regs, &info)) {
		(*depth_ptr)--;
		return;
	}
	die(regs, &info);
}
