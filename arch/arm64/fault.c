/*
 * Fault decoding: turns an exception into a struct fault_info (class, fault
 * kind and level, access, address) and a one-line headline in Linux's
 * words, asking the memory area that holds the address to say what it is.
 * Also runs functions whose faults are expected (fault_expect), for tests.
 */
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/percpu.h>
#include <asm/mmu.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <mk64/fault.h>
#include <mk64/kallsyms.h>
#include <mk64/memblock.h>
#include <mk64/printk.h>
#include <mk64/setjmp.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

/* Addresses this low are a NULL pointer plus a small offset or index. */
#define NULL_GUARD_SIZE (16 * PAGE_SIZE)

extern char _text[], _etext[], __start_rodata[], __end_rodata[];
extern char _sdata[], _edata[], __bss_start[], __bss_end[];

/* entry.S: resumes at fault_expect()'s setjmp with x0 = its jmp_buf. */
void fault_expect_landing(void);

static const char *const vector_names[16] = {
	"Synchronous (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
	"Synchronous (EL1h)", "IRQ (EL1h)", "FIQ (EL1h)", "SError (EL1h)",
	"Synchronous (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)",
	"SError (EL0, AArch64)", "Synchronous (EL0, AArch32)", "IRQ (EL0, AArch32)",
	"FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

static const char *const kind_names[] = {
	[FAULT_KIND_NONE] = "no fault",
	[FAULT_ADDR_SIZE] = "address size fault",
	[FAULT_TRANSLATION] = "translation fault",
	[FAULT_ACCESS_FLAG] = "access flag fault",
	[FAULT_PERMISSION] = "permission fault",
	[FAULT_ALIGNMENT] = "alignment fault",
	[FAULT_EXTERNAL] = "synchronous external abort",
	[FAULT_TLB_CONFLICT] = "TLB conflict abort",
	[FAULT_OTHER] = "unknown fault status code",
};

static const char *const access_names[] = { "read", "write", "exec" };

static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case ESR_EC_FP_ASIMD: return "trapped FP/SIMD access";
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

static bool is_abort(unsigned int ec)
{
	return ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR ||
	       ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR;
}

/* ---- the area registry ---------------------------------------------------- */

static struct fault_area *fault_areas;

void register_fault_area(struct fault_area *area)
{
	area->next = fault_areas;
	fault_areas = area;
}

void unregister_fault_area(struct fault_area *area)
{
	for (struct fault_area **p = &fault_areas; *p; p = &(*p)->next) {
		if (*p == area) {
			*p = area->next;
			return;
		}
	}
}

/* "kernel text (start_kernel+0x10/0x3a0)": the symbol the address is in. */
static void describe_symbol(const struct fault_area *area, const struct fault_info *info,
			    char *buf, size_t size)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!kallsyms_lookup(info->far, NULL, NULL)) {
		snprintf(buf, size, "%s", area->name);
		return;
	}
	sprint_symbol(sym, sizeof(sym), info->far);
	snprintf(buf, size, "%s (%s)", area->name, sym);
}

/* The linear map: the physical address, and whether it is RAM. */
static void describe_linear(const struct fault_area *area, const struct fault_info *info,
			    char *buf, size_t size)
{
	phys_addr_t phys;
	const char *what;

	if (!mmu_final_tables_live()) {
		snprintf(buf, size, "%s, not set up yet", area->name);
		return;
	}
	phys = __pa(info->far);
	if (phys < memblock_start_of_DRAM())
		what = "below RAM";
	else if (phys >= memblock_end_of_DRAM())
		what = "beyond RAM";
	else if (!memblock_is_memory(phys))
		what = "hole between RAM banks";
	else
		what = "RAM";
	snprintf(buf, size, "%s, %s at phys 0x%016llx", area->name, what,
		 (unsigned long long)phys);
}

/* The layout of asm/memory.h and the image's sections; smallest wins. */
static const struct fault_area builtin_areas[] = {
	{ 0, NULL_GUARD_SIZE, "NULL page", NULL, NULL },
	{ NULL_GUARD_SIZE, 1UL << VA_BITS, "lower half (TTBR0)", NULL, NULL },
	{ 1UL << VA_BITS, PAGE_OFFSET, "non-canonical address", NULL, NULL },
	{ PAGE_OFFSET, PAGE_OFFSET + LINEAR_MAP_SIZE, "linear map", describe_linear, NULL },
	{ KIMAGE_VADDR, KIMAGE_VADDR + KIMAGE_MAX_SIZE, "kernel image region", NULL, NULL },
	{ (u64)_text, (u64)_etext, "kernel text", describe_symbol, NULL },
	{ (u64)__start_rodata, (u64)__end_rodata, "kernel rodata", describe_symbol, NULL },
	{ (u64)_sdata, (u64)_edata, "kernel data", describe_symbol, NULL },
	{ (u64)__bss_start, (u64)__bss_end, "kernel bss", describe_symbol, NULL },
	{ PERCPU_BASE, PERCPU_BASE + PERCPU_UNIT_SIZE,
	  "per-CPU pointer used as an address (this_cpu_ptr() or per_cpu_ptr() it)", NULL, NULL },
	{ EARLY_FDT_VADDR, EARLY_FDT_VADDR + EARLY_FDT_SIZE, "boot-time DTB window", NULL, NULL },
	{ FIXADDR_START, FIXADDR_END, "fixmap", NULL, NULL },
	{ VMALLOC_START, VMALLOC_END, "vmalloc/ioremap region", NULL, NULL },
	{ VMEMMAP_START, VMEMMAP_START + VMEMMAP_SIZE, "vmemmap", NULL, NULL },
	{ PKMAP_BASE, PKMAP_BASE + PKMAP_SIZE, "pkmap", NULL, NULL },
};

static bool smaller_area(const struct fault_area *a, const struct fault_area *best)
{
	return !best || a->end - a->start < best->end - best->start;
}

/* The smallest registered area holding addr, else the smallest built-in one. */
static const struct fault_area *find_area(u64 addr)
{
	const struct fault_area *best = NULL;

	for (const struct fault_area *a = fault_areas; a; a = a->next)
		if (addr >= a->start && addr < a->end && smaller_area(a, best))
			best = a;
	if (best)
		return best;
	for (size_t i = 0; i < ARRAY_SIZE(builtin_areas); i++) {
		const struct fault_area *a = &builtin_areas[i];

		if (addr >= a->start && addr < a->end && smaller_area(a, best))
			best = a;
	}
	return best;
}

/* ---- decoding ------------------------------------------------------------- */

/* The fault status code (ISS bits 5:0) of an abort. */
static void decode_fsc(struct fault_info *info)
{
	static const enum fault_kind by_group[4] = {
		FAULT_ADDR_SIZE, FAULT_TRANSLATION, FAULT_ACCESS_FLAG, FAULT_PERMISSION
	};
	unsigned int fsc = ESR_ABT_FSC(info->esr);

	if (fsc < 0x10) {
		info->kind = by_group[fsc >> 2];
		info->level = fsc & 3;
	} else if (fsc == 0x10 || fsc == 0x18) {
		info->kind = FAULT_EXTERNAL;
	} else if ((fsc & ~3u) == 0x14 || (fsc & ~3u) == 0x1c) {
		info->kind = FAULT_EXTERNAL;
		info->walk = true;
		info->level = fsc & 3;
	} else if (fsc == 0x21) {
		info->kind = FAULT_ALIGNMENT;
	} else if (fsc == 0x30) {
		info->kind = FAULT_TLB_CONFLICT;
	} else {
		info->kind = FAULT_OTHER;
	}
}

/* "level 1 translation fault", as the report's FSC line says it. */
static void fsc_text(const struct fault_info *info, char *buf, size_t size)
{
	if (info->level >= 0)
		snprintf(buf, size, "level %d %s%s", info->level, kind_names[info->kind],
			 info->walk ? " on a translation table walk" : "");
	else
		snprintf(buf, size, "%s", kind_names[info->kind]);
}

/*
 * What went wrong, in Linux's words: permission faults by access, then the
 * NULL page, then the fault kind. The permission words name the access
 * themselves, the others get "(read)" and the like; the NULL page needs no
 * area.
 */
static const char *abort_what(const struct fault_info *info, bool *say_access,
			      bool *say_area)
{
	*say_access = false;
	*say_area = true;
	if (info->kind == FAULT_PERMISSION) {
		if (info->access == FAULT_WRITE)
			return "write to read-only memory";
		if (info->access == FAULT_EXEC)
			return "execute from non-executable memory";
		return "read from unreadable memory";
	}
	if (info->far < NULL_GUARD_SIZE) {
		*say_area = false;
		return "NULL pointer dereference";
	}
	*say_access = true;
	switch (info->kind) {
	case FAULT_ALIGNMENT: return "unaligned access";
	case FAULT_EXTERNAL: return "synchronous external abort";
	case FAULT_ADDR_SIZE: return "address size fault";
	case FAULT_TLB_CONFLICT: return "TLB conflict abort";
	default: return "paging request";
	}
}

static void decode_abort(const struct pt_regs *regs, struct fault_info *info)
{
	u64 esr = info->esr;
	const struct fault_area *area;
	char where[FAULT_HEADLINE_SIZE] = "", access[16] = "";
	bool say_access, say_area;
	const char *what;

	decode_fsc(info);
	if (info->ec == ESR_EC_IABT_LOW || info->ec == ESR_EC_IABT_CUR)
		info->access = FAULT_EXEC;
	else if ((esr & ESR_ABT_WNR) && !(esr & ESR_ABT_CM))	/* CM sets WnR */
		info->access = FAULT_WRITE;
	else
		info->access = FAULT_READ;
	info->far_valid = !(esr & ESR_ABT_FNV);
	if (!info->far_valid) {
		snprintf(info->headline, sizeof(info->headline),
			 "Unable to handle kernel %s at an unknown virtual address (%s)",
			 kind_names[info->kind], access_names[info->access]);
		return;
	}
	info->far = regs->far;
	area = find_area(info->far);
	info->area = area ? area->name : "unmapped hole";
	what = abort_what(info, &say_access, &say_area);
	if (area && area->describe)
		area->describe(area, info, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "%s", info->area);
	if (say_access)
		snprintf(access, sizeof(access), " (%s)", access_names[info->access]);
	snprintf(info->headline, sizeof(info->headline),
		 "Unable to handle kernel %s at virtual address %016llx%s%s%s", what,
		 (unsigned long long)info->far, access, say_area ? ": " : "",
		 say_area ? where : "");
}

/*
 * sp was bad at entry, so whatever the exception, that is the news: where
 * sp (or the access that faulted) was against the stack's bounds, and in
 * which function. A stack runs off its bottom, so sp below its base (by at
 * most a stack's size) or too close to it is an overflow; sp elsewhere is
 * just a bad pointer.
 */
static void decode_bad_stack(const struct pt_regs *regs, struct fault_info *info)
{
	const struct stack_info *stack = &this_cpu_stacks()->stack;
	u64 sp = regs->sp, lo = stack->low, hi = stack->high;
	char *head = info->headline, pc[KSYM_SYMBOL_LEN];
	size_t size = sizeof(info->headline);

	info->area = "kernel stack";
	info->stack_low = lo;
	info->stack_high = hi;
	sprint_symbol(pc, sizeof(pc), regs->pc);
	if (sp & 15) {
		snprintf(head, size, "Bad kernel stack pointer %016llx: not 16-byte aligned",
			 (unsigned long long)sp);
	} else if (sp > hi || sp < lo - (hi - lo)) {
		snprintf(head, size, "Bad kernel stack pointer %016llx in %s: not on the stack %016llx-%016llx",
			 (unsigned long long)sp, pc, (unsigned long long)lo,
			 (unsigned long long)hi);
	} else if (info->far_valid && is_abort(info->ec) && info->far < lo &&
		   info->far >= lo - (hi - lo)) {
		snprintf(head, size, "kernel stack overflow in %s: %s at %016llx, %llu bytes below the stack (sp %016llx)",
			 pc, access_names[info->access], (unsigned long long)info->far,
			 (unsigned long long)(lo - info->far), (unsigned long long)sp);
	} else if (sp < lo) {
		snprintf(head, size, "kernel stack overflow in %s: sp %016llx, %llu bytes below the stack",
			 pc, (unsigned long long)sp, (unsigned long long)(lo - sp));
	} else {
		snprintf(head, size, "kernel stack overflow in %s: sp %016llx, %llu bytes left on the stack",
			 pc, (unsigned long long)sp, (unsigned long long)(sp - lo));
	}
}

bool fault_on_overflow_stack(const struct pt_regs *regs)
{
	/* Where entry.S puts the frame of an exception taken with a bad sp. */
	u64 top = (u64)this_cpu_stacks()->overflow_stack + OVERFLOW_STACK_SIZE;

	return (u64)regs == top - PT_REGS_SIZE;
}

void fault_show_stacks(const struct fault_info *info)
{
	u64 over = (u64)this_cpu_stacks()->overflow_stack;

	if (!info->stack_high)
		return;
	pr_emerg("Task stack:     [0x%016llx..0x%016llx]\n", (unsigned long long)info->stack_low,
		 (unsigned long long)info->stack_high);
	pr_emerg("Overflow stack: [0x%016llx..0x%016llx]\n", (unsigned long long)over,
		 (unsigned long long)(over + OVERFLOW_STACK_SIZE));
}

void fault_decode(const struct pt_regs *regs, unsigned int vector,
		  struct fault_info *info)
{
	char *head = info->headline, pc[KSYM_SYMBOL_LEN];
	size_t size = sizeof(info->headline);
	const struct bug_entry *bug;

	memset(info, 0, sizeof(*info));
	info->vector = vector & 15;
	info->pc = regs->pc;
	info->level = -1;
	sprint_symbol(pc, sizeof(pc), regs->pc);
	if ((vector & 3) == 1 || (vector & 3) == 2) {
		/* ESR and FAR describe the last synchronous exception, not this. */
		snprintf(head, size, "Unexpected interrupt: %s at %s",
			 vector_names[info->vector], pc);
		return;
	}
	info->esr = regs->esr;
	info->ec = ESR_EC(regs->esr);
	if ((vector & 3) == 3) {
		snprintf(head, size,
			 "SError Interrupt on CPU0, code 0x%016llx -- asynchronous external abort, taken at %s",
			 (unsigned long long)info->esr, pc);
		return;
	}
	switch (info->ec) {
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		decode_abort(regs, info);
		break;
	case ESR_EC_PC_ALIGN:
		info->far_valid = true;
		info->far = regs->far;
		info->access = FAULT_EXEC;
		snprintf(head, size,
			 "Unable to handle kernel branch to misaligned address %016llx",
			 (unsigned long long)info->far);
		break;
	case ESR_EC_SP_ALIGN:
		snprintf(head, size,
			 "Unable to handle kernel misaligned stack pointer %016llx at %s",
			 (unsigned long long)regs->sp, pc);
		break;
	case ESR_EC_UNKNOWN:
		snprintf(head, size, "Undefined instruction in the kernel at %s", pc);
		break;
	case ESR_EC_BRK64:
		bug = ESR_BRK_IMM(info->esr) == BUG_BRK_IMM ? find_bug(regs->pc) : NULL;
		if (bug && !(bug->site->flags & BUGFLAG_WARNING)) {
			info->bug = bug->site;
			snprintf(head, size, "kernel BUG at %s:%u!", bug->site->file,
				 bug->site->line);
		} else {
			snprintf(head, size, "Unexpected kernel BRK exception (brk #0x%x) at %s",
				 ESR_BRK_IMM(info->esr), pc);
		}
		break;
	default:
		snprintf(head, size, "Unhandled exception in the kernel: %s (EC 0x%02x) at %s",
			 esr_class_name(info->ec), info->ec, pc);
		break;
	}
	if (fault_on_overflow_stack(regs))
		decode_bad_stack(regs, info);
}

void fault_show_esr(const struct fault_info *info)
{
	u64 esr = info->esr;
	char fsc[64];

	if ((info->vector & 3) == 1 || (info->vector & 3) == 2)
		return;
	pr_emerg("%s info:\n", is_abort(info->ec) ? "Mem abort" : "Exception");
	pr_emerg("  ESR = 0x%016llx\n", (unsigned long long)esr);
	pr_emerg("  EC = 0x%02x: %s, IL = %u bits\n", info->ec, esr_class_name(info->ec),
		 esr & ESR_IL ? 32 : 16);
	if ((info->vector & 3) == 3) {
		pr_emerg("  SError: a bus or memory error reported asynchronously: the access that\n");
		pr_emerg("  caused it may be long past, not at pc, or may be firmware's, left pending\n");
		pr_emerg("  before the kernel started (it is unmasked once the console is up)\n");
	}
	if (!is_abort(info->ec)) {
		pr_emerg("  ISS = 0x%07llx\n", (unsigned long long)ESR_ISS(esr));
		return;
	}
	fsc_text(info, fsc, sizeof(fsc));
	pr_emerg("  SET = %u, FnV = %u\n", ESR_ABT_SET(esr), !!(esr & ESR_ABT_FNV));
	pr_emerg("  EA = %u, S1PTW = %u\n", !!(esr & ESR_ABT_EA), !!(esr & ESR_ABT_S1PTW));
	pr_emerg("  FSC = 0x%02x: %s\n", ESR_ABT_FSC(esr), fsc);
	if (info->ec == ESR_EC_DABT_LOW || info->ec == ESR_EC_DABT_CUR) {
		pr_emerg("Data abort info:\n");
		pr_emerg("  ISV = %u, ISS = 0x%08llx\n", !!(esr & ESR_DABT_ISV),
			 (unsigned long long)ESR_ISS(esr));
		pr_emerg("  CM = %u, WnR = %u\n", !!(esr & ESR_ABT_CM), !!(esr & ESR_ABT_WNR));
	}
}

/* ---- expected faults ------------------------------------------------------ */

struct fault_expectation {
	jmp_buf env;
	unsigned long daif;	/* the fault returns with the faulting code's */
	/* The stack fault_expect() runs on, should fn fault on another. */
	struct stack_info stack;
	struct fault_info *info;
	struct fault_expectation *outer;
};

/* The innermost fault_expect() running, or NULL. */
static struct fault_expectation *expecting;

bool fault_expect(void (*fn)(void *arg), void *arg, struct fault_info *info)
{
	struct fault_expectation e = { .info = info, .outer = expecting };

	memset(info, 0, sizeof(*info));
	e.daif = arch_local_save_flags();
	e.stack = this_cpu_stacks()->stack;
	if (setjmp(e.env)) {
		/* The landing pad runs masked, so no exception sees the old bounds. */
		this_cpu_stacks()->stack = e.stack;
		expecting = e.outer;
		arch_local_irq_restore(e.daif);
		return true;
	}
	expecting = &e;
	fn(arg);
	expecting = e.outer;
	return false;
}

void fault_expect_abandon(void)
{
	expecting = NULL;
}

bool fault_fixup(struct pt_regs *regs, const struct fault_info *info)
{
	struct fault_expectation *e = expecting;

	if (!e)
		return false;
	*e->info = *info;
	regs->regs[0] = (u64)e->env;
	regs->pc = (u64)fault_expect_landing;
	regs->pstate |= PSR_I_BIT | PSR_F_BIT;
	return true;
}
