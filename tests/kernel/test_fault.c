/*
 * The exception handler: faults decoded and classified (taken for real
 * through fault_expect(), so nothing is reported, or decoded from a made-up
 * frame), BUG and WARN, the symbol table and backtraces, and the stack
 * checks of the vectors. The W^X and linear-map cases need the final page
 * tables and skip without them.
 *
 * Nothing here may print the test runner's crash markers: a headline that
 * does not match is shown only by the failing check itself.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <mk64/fault.h>
#include <mk64/kallsyms.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>


#define NOINLINE __attribute__((noinline, noipa))
#define barrier() __asm__ volatile("" : : : "memory")


static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static NOINLINE void read_at(void *addr)
{
	(void)*(volatile u64 *)addr;
}

static NOINLINE void write_at(void *addr)
{
	*(volatile u64 *)addr = 0;
}

static NOINLINE void call_at(void *addr)
{
	((void (*)(void))addr)();
	barrier();
}

/* ---- real faults -------------------------------------------------------- */

static void null_read(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(read_at, (void *)8, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_DABT_CUR);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_TRUE(t, fi.level >= 0 && fi.level <= 3);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_READ);
	KTEST_EXPECT_TRUE(t, fi.far_valid);
	KTEST_EXPECT_EQ(t, fi.far, 8ull);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fi.pc, NULL, NULL), "read_at");
	KTEST_EXPECT_STREQ(t, fi.headline,
			   "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008");
}

static void null_write(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(write_at, (void *)0x10, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_DABT_CUR);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_WRITE);
	KTEST_EXPECT_EQ(t, fi.far, 0x10ull);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fi.pc, NULL, NULL), "write_at");
	KTEST_EXPECT_STREQ(t, fi.headline,
			   "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010");
}

static void null_call(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(call_at, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_IABT_CUR);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_EXEC);
	KTEST_EXPECT_EQ(t, fi.far, 0ull);
	KTEST_EXPECT_EQ(t, fi.pc, 0ull);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel NULL pointer dereference"));
}

/* Unmapped addresses outside the kernel's regions, each with its words. */
static void unmapped_regions(struct ktest *t)
{
	static const struct {
		u64 addr;
		const char *area, *headline;
	} cases[] = {
		{ 0x0000100000000000, "lower half (TTBR0)",
		  "Unable to handle kernel paging request at virtual address 0000100000000000 (read): lower half (TTBR0)" },
		{ 0x0001000000000000, "non-canonical address",
		  "Unable to handle kernel paging request at virtual address 0001000000000000 (read): non-canonical address" },
		{ PKMAP_BASE + PKMAP_SIZE + 0x1000, "unmapped hole",
		  "Unable to handle kernel paging request at virtual address fffffe0000201000 (read): unmapped hole" },
	};
	struct fault_info fi;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		KTEST_ASSERT_TRUE(t, fault_expect(read_at, (void *)cases[i].addr, &fi));
		KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
		KTEST_EXPECT_EQ(t, fi.far, cases[i].addr);
		KTEST_EXPECT_STREQ(t, fi.area, cases[i].area);
		KTEST_EXPECT_STREQ(t, fi.headline, cases[i].headline);
	}
}

static NOINLINE void undefined_insn(void *arg)
{
	(void)arg;
	__asm__ volatile("udf #0");
}

static void undefined_instruction(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(undefined_insn, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_UNKNOWN);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_KIND_NONE);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fi.pc, NULL, NULL), "undefined_insn");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Undefined instruction in the kernel at undefined_insn+0x"));
}

static NOINLINE void plain_brk(void *arg)
{
	(void)arg;
	__asm__ volatile("brk #0x100");
}

static void unknown_brk(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(plain_brk, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_BRK64);
	KTEST_EXPECT_EQ(t, ESR_BRK_IMM(fi.esr), 0x100u);
	KTEST_EXPECT_TRUE(t, fi.bug == NULL);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unexpected kernel BRK exception (brk #0x100) at plain_brk+0x"));
}

static NOINLINE void misaligned_branch(void *arg)
{
	(void)arg;
	call_at((char *)(uintptr_t)read_at + 2);
}

static void pc_alignment(struct ktest *t)
{
	u64 target = (u64)(uintptr_t)read_at + 2;
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(misaligned_branch, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_PC_ALIGN);
	KTEST_EXPECT_EQ(t, fi.far, target);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_EXEC);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel branch to misaligned address"));
}

static NOINLINE void inner_fault(void *arg)
{
	bool *inner_faulted = arg;
	struct fault_info fi;

	*inner_faulted = fault_expect(read_at, (void *)0x18, &fi) && fi.far == 0x18;
}

/* A fault inside a nested fault_expect() goes to the inner one only. */
static void nested_expect(struct ktest *t)
{
	bool inner_faulted = false;
	struct fault_info fi;

	KTEST_EXPECT_FALSE(t, fault_expect(inner_fault, &inner_faulted, &fi));
	KTEST_EXPECT_TRUE(t, inner_faulted);
	KTEST_EXPECT_EQ(t, fi.ec, 0u);
	KTEST_ASSERT_TRUE(t, fault_expect(read_at, (void *)0x20, &fi));
	KTEST_EXPECT_EQ(t, fi.far, 0x20ull);
}

/* ---- the registry --------------------------------------------------------- */

#define TEST_AREA_START (PKMAP_BASE + (UL(1) << 30))

static void describe_test_area(const struct fault_area *area, const struct fault_info *info,
			       char *buf, size_t size)
{
	snprintf(buf, size, "%s, page %llu", area->name,
		 (unsigned long long)((info->far - area->start) >> PAGE_SHIFT));
}

static void registered_area(struct ktest *t)
{
	static struct fault_area area = {
		TEST_AREA_START, TEST_AREA_START + SECTION_SIZE, "test area",
		describe_test_area, NULL
	};
	void *addr = (void *)(TEST_AREA_START + 3 * PAGE_SIZE + 8);
	struct fault_info fi;

	register_fault_area(&area);
	KTEST_EXPECT_TRUE(t, fault_expect(write_at, addr, &fi));
	unregister_fault_area(&area);
	KTEST_EXPECT_STREQ(t, fi.area, "test area");
	KTEST_EXPECT_STREQ(t, fi.headline,
			   "Unable to handle kernel paging request at virtual address fffffe0040003008 (write): test area, page 3");
	KTEST_ASSERT_TRUE(t, fault_expect(write_at, addr, &fi));
	KTEST_EXPECT_STREQ(t, fi.area, "unmapped hole");
}

/* ---- headlines from made-up frames ---------------------------------------- */

static u32 data_word = 0xd65f03c0;	/* ret, in .data */
static const u64 rodata_word = 0x1234;

/* Decodes a data (or instruction) abort with fault status fsc at far. */
static const char *decode(struct fault_info *fi, unsigned int ec, u64 iss, u64 far)
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.esr = ((u64)ec << ESR_EC_SHIFT) | ESR_IL | iss;
	regs.far = far;
	regs.pc = (u64)(uintptr_t)read_at;
	fault_decode(&regs, 4, fi);
	return fi->headline;
}

/*
 * An SError (vector 7, EL1h) says in words that it is asynchronous: ESR
 * EC 0x2f, IL, DFSC 0x11 (asynchronous SError), 0xbe000011 by hand.
 */
static void serror_headline_in_words(struct ktest *t)
{
	static const char want[] = "SError Interrupt on CPU0, code 0x00000000be000011 -- "
				   "asynchronous external abort, taken at read_at+0x0/0x";
	struct fault_info fi;
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.esr = ((u64)ESR_EC_SERROR << ESR_EC_SHIFT) | ESR_IL | 0x11;
	regs.pc = (u64)(uintptr_t)read_at;
	fault_decode(&regs, 7, &fi);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline, want));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_SERROR);
}

static void classify_permission(struct ktest *t)
{
	u64 text = (u64)(uintptr_t)kallsyms_lookup;
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;

	snprintf(want, sizeof(want),
		 "Unable to handle kernel write to read-only memory at virtual address %016llx: kernel text (kallsyms_lookup+0x0/0x",
		 (unsigned long long)text);
	KTEST_EXPECT_TRUE(t, starts_with(decode(&fi, ESR_EC_DABT_CUR, ESR_ABT_WNR | 0x0f, text),
					 want));
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_PERMISSION);
	KTEST_EXPECT_EQ(t, fi.level, 3);
	KTEST_EXPECT_STREQ(t, fi.area, "kernel text");

	decode(&fi, ESR_EC_DABT_CUR, ESR_ABT_WNR | 0x0f, (u64)(uintptr_t)&rodata_word);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel write to read-only memory"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": kernel rodata (rodata_word+0x0/0x"));

	decode(&fi, ESR_EC_IABT_CUR, 0x0f, (u64)(uintptr_t)&data_word);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_EXEC);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel execute from non-executable memory"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": kernel data (data_word+0x0/0x"));

	/* A cache maintenance fault sets WnR but is no write. */
	decode(&fi, ESR_EC_DABT_CUR, ESR_ABT_CM | ESR_ABT_WNR | 0x0e, (u64)(uintptr_t)init_stack);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_READ);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel read from unreadable memory"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": kernel bss (init_stack+0x0/0x"));
}

static void classify_fault_status(struct ktest *t)
{
	u64 far = 0xffff800040000000;	/* vmalloc */
	struct fault_info fi;

	decode(&fi, ESR_EC_DABT_CUR, 0x06, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_EQ(t, fi.level, 2);
	KTEST_EXPECT_STREQ(t, fi.headline,
			   "Unable to handle kernel paging request at virtual address ffff800040000000 (read): vmalloc/ioremap region");
	decode(&fi, ESR_EC_DABT_CUR, 0x0b, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_ACCESS_FLAG);
	KTEST_EXPECT_EQ(t, fi.level, 3);
	decode(&fi, ESR_EC_DABT_CUR, 0x01, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_ADDR_SIZE);
	KTEST_EXPECT_EQ(t, fi.level, 1);
	decode(&fi, ESR_EC_DABT_CUR, ESR_ABT_WNR | 0x21, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_ALIGNMENT);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel unaligned access"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, " (write): "));
	decode(&fi, ESR_EC_DABT_CUR, 0x15, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_EXTERNAL);
	KTEST_EXPECT_TRUE(t, fi.walk);
	KTEST_EXPECT_EQ(t, fi.level, 1);
	decode(&fi, ESR_EC_DABT_CUR, ESR_ABT_FNV | ESR_ABT_EA | 0x10, far);
	KTEST_EXPECT_FALSE(t, fi.far_valid);
	KTEST_EXPECT_STREQ(t, fi.headline,
			   "Unable to handle kernel synchronous external abort at an unknown virtual address (read)");
	decode(&fi, ESR_EC_DABT_CUR, 0x30, far);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TLB_CONFLICT);
}

/* ---- BUG and WARN --------------------------------------------------------- */

static unsigned int bug_line, warn_line;

static NOINLINE void do_bug(void *arg)
{
	(void)arg;
	bug_line = __LINE__; BUG();
}

static void bug_reports_file_line(struct ktest *t)
{
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(do_bug, NULL, &fi));
	snprintf(want, sizeof(want), "kernel BUG at tests/kernel/test_fault.c:%u!", bug_line);
	KTEST_EXPECT_STREQ(t, fi.headline, want);
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_BRK64);
	KTEST_EXPECT_EQ(t, ESR_BRK_IMM(fi.esr), (unsigned int)BUG_BRK_IMM);
	KTEST_ASSERT_TRUE(t, fi.bug != NULL);
	KTEST_EXPECT_TRUE(t, fi.bug->cond == NULL);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fi.pc, NULL, NULL), "do_bug");
}

static NOINLINE void do_bug_on(void *arg)
{
	const int *value = arg;

	BUG_ON(*value == 42);
}

static void bug_on_condition(struct ktest *t)
{
	int ok = 1, bad = 42;
	struct fault_info fi;

	KTEST_EXPECT_FALSE(t, fault_expect(do_bug_on, &ok, &fi));
	KTEST_ASSERT_TRUE(t, fault_expect(do_bug_on, &bad, &fi));
	KTEST_ASSERT_TRUE(t, fi.bug != NULL);
	KTEST_EXPECT_STREQ(t, fi.bug->cond, "*value == 42");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline, "kernel BUG at tests/kernel/test_fault.c:"));
}

struct warn_args {
	int value;
	bool ret, continued;
};

static NOINLINE void do_warn(void *arg)
{
	struct warn_args *w = arg;

	warn_line = __LINE__; w->ret = WARN_ON(w->value > 3);
	w->continued = true;
}

static void warn_on_continues(struct ktest *t)
{
	struct warn_args quiet = { 1, true, false }, loud = { 5, false, false };
	struct fault_info fi;

	KTEST_EXPECT_FALSE(t, fault_expect(do_warn, &quiet, &fi));
	KTEST_EXPECT_FALSE(t, quiet.ret);
	KTEST_EXPECT_TRUE(t, quiet.continued);
	KTEST_EXPECT_FALSE(t, fault_expect(do_warn, &loud, &fi));
	KTEST_EXPECT_TRUE(t, loud.ret);
	KTEST_EXPECT_TRUE(t, loud.continued);
}

static char log_tail[4096];

static void warn_report(struct ktest *t)
{
	struct warn_args loud = { 7, false, false };
	char want[128];

	do_warn(&loud);
	KTEST_ASSERT_TRUE(t, loud.ret && loud.continued);
	log_tail[printk_log_tail(log_tail, sizeof(log_tail) - 1)] = '\0';
	snprintf(want, sizeof(want),
		 "WARNING: CPU: 0 PID: 0 at tests/kernel/test_fault.c:%u do_warn+0x", warn_line);
	KTEST_EXPECT_TRUE(t, strstr(log_tail, "------------[ cut here ]------------\n"));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, want));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, "WARN_ON(w->value > 3)\n"));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, "pc : do_warn+0x"));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, "Call trace:\n"));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, " warn_report+0x"));
	KTEST_EXPECT_TRUE(t, strstr(log_tail, "---[ end trace 0000000000000000 ]---\n"));
}

/* ---- symbols and backtraces ----------------------------------------------- */

static void kallsyms_known_function(struct ktest *t)
{
	u64 fn = (u64)(uintptr_t)kallsyms_lookup, offset = 1, size = 0;
	char buf[KSYM_SYMBOL_LEN];

	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fn, &offset, &size), "kallsyms_lookup");
	KTEST_EXPECT_EQ(t, offset, 0ull);
	KTEST_EXPECT_GT(t, size, 0ull);
	KTEST_EXPECT_STREQ(t, kallsyms_lookup(fn + 8, &offset, NULL), "kallsyms_lookup");
	KTEST_EXPECT_EQ(t, offset, 8ull);
	KTEST_EXPECT_TRUE(t, kallsyms_lookup(0, NULL, NULL) == NULL);
	KTEST_EXPECT_TRUE(t, kallsyms_lookup(PAGE_OFFSET, NULL, NULL) == NULL);
	sprint_symbol(buf, sizeof(buf), fn + 4);
	KTEST_EXPECT_TRUE(t, starts_with(buf, "kallsyms_lookup+0x4/0x"));
	KTEST_EXPECT_STREQ(t, kallsyms_lookup((u64)(uintptr_t)&rodata_word, NULL, NULL),
			   "rodata_word");
}

static NOINLINE unsigned int bt_inner(u64 *pcs, unsigned int max)
{
	unsigned int n = stack_trace_save(pcs, max);

	barrier();
	return n;
}

static NOINLINE unsigned int bt_middle(u64 *pcs, unsigned int max)
{
	unsigned int n = bt_inner(pcs, max);

	barrier();
	return n;
}

static NOINLINE unsigned int bt_outer(u64 *pcs, unsigned int max)
{
	unsigned int n = bt_middle(pcs, max);

	barrier();
	return n;
}

static void backtrace_names_callers(struct ktest *t)
{
	static const char *const want[] = { "bt_inner", "bt_middle", "bt_outer",
					    "backtrace_names_callers" };
	char buf[KSYM_SYMBOL_LEN];
	u64 pcs[16];
	unsigned int n = bt_outer(pcs, ARRAY_SIZE(pcs));

	KTEST_ASSERT_GT(t, n, (unsigned int)ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		sprint_backtrace(buf, sizeof(buf), pcs[i]);
		KTEST_EXPECT_TRUE(t, starts_with(buf, want[i]) && buf[strlen(want[i])] == '+');
		if (!starts_with(buf, want[i]))
			ktest_info(t, "frame %zu: %s, want %s", i, buf, want[i]);
	}
}

/* ---- the vectors' stack checks -------------------------------------------- */

/*
 * Real CPUs fault on the load through the misaligned sp (SP alignment,
 * SCTLR_EL1.SA); QEMU does not check, so the brk after it traps there.
 * Either exception finds sp misaligned at entry.
 */
static NOINLINE void misaligned_sp(void *arg)
{
	(void)arg;
	__asm__ volatile("mov	x9, sp\n\t"
			 "sub	x10, x9, #8\n\t"
			 "mov	sp, x10\n\t"
			 "ldr	x11, [sp]\n\t"
			 "brk	#0x102\n\t"
			 "mov	sp, x9"
			 : : : "x9", "x10", "x11", "memory");
}

static void sp_misaligned(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(misaligned_sp, NULL, &fi));
	KTEST_EXPECT_TRUE(t, fi.ec == ESR_EC_SP_ALIGN ||
			     (fi.ec == ESR_EC_BRK64 && ESR_BRK_IMM(fi.esr) == 0x102));
	KTEST_EXPECT_STREQ(t, fi.area, "kernel stack");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline, "Bad kernel stack pointer "));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": not 16-byte aligned"));
}

/* An exception with almost no stack left runs on the overflow stack. */
static NOINLINE void nearly_out_of_stack(void *arg)
{
	u64 low = this_cpu_stacks()->stack.low + 256;

	(void)arg;
	__asm__ volatile("mov	x9, sp\n\t"
			 "mov	sp, %0\n\t"
			 "brk	#0x101\n\t"
			 "mov	sp, x9"
			 : : "r"(low) : "x9", "memory");
}

static void stack_overflow(struct ktest *t)
{
	const struct stack_info *stack = &this_cpu_stacks()->stack;
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(nearly_out_of_stack, NULL, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_BRK64);
	KTEST_EXPECT_STREQ(t, fi.area, "kernel stack");
	KTEST_EXPECT_EQ(t, fi.stack_low, stack->low);
	KTEST_EXPECT_EQ(t, fi.stack_high, stack->high);
	snprintf(want, sizeof(want), ": sp %016llx, 256 bytes left on the stack",
		 (unsigned long long)stack->low + 256);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline, "kernel stack overflow in nearly_out_of_stack+0x"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, want));
	if (!strstr(fi.headline, want))
		ktest_info(t, "headline: %s", fi.headline);
}

/* ---- with the final page tables ------------------------------------------- */

static NOINLINE void rewrite_word(void *addr)
{
	/* The same value: harmless should the write not fault. */
	*(volatile u32 *)addr = *(volatile u32 *)addr;
}

static void kernel_w_xor_x(struct ktest *t)
{
	struct fault_info fi;

	if (!mmu_final_tables_live())
		ktest_skip(t, "the early tables map the image RWX");
	KTEST_EXPECT_FALSE(t, fault_expect(read_at, (void *)(uintptr_t)kallsyms_lookup, &fi));

	KTEST_ASSERT_TRUE(t, fault_expect(rewrite_word, (void *)(uintptr_t)kallsyms_lookup, &fi));
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_PERMISSION);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_WRITE);
	KTEST_EXPECT_STREQ(t, fi.area, "kernel text");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel write to read-only memory"));

	KTEST_ASSERT_TRUE(t, fault_expect(rewrite_word, (void *)&rodata_word, &fi));
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_PERMISSION);
	KTEST_EXPECT_STREQ(t, fi.area, "kernel rodata");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel write to read-only memory"));

	KTEST_ASSERT_TRUE(t, fault_expect(call_at, &data_word, &fi));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_IABT_CUR);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_PERMISSION);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_EXEC);
	KTEST_EXPECT_STREQ(t, fi.area, "kernel data");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel execute from non-executable memory"));

	/* The linear map's alias of kernel text is never executable. */
	KTEST_ASSERT_TRUE(t, fault_expect(call_at, __va(__pa_symbol(kallsyms_lookup)), &fi));
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_EXEC);
	KTEST_EXPECT_STREQ(t, fi.area, "linear map");
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline,
					 "Unable to handle kernel execute from non-executable memory"));
	KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": linear map, RAM at phys "));
}

static void linear_map_outside_ram(struct ktest *t)
{
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;

	if (!mmu_final_tables_live())
		ktest_skip(t, "no linear map before the final tables");
	KTEST_EXPECT_FALSE(t, fault_expect(read_at, __va(start), &fi));

	KTEST_ASSERT_TRUE(t, fault_expect(read_at, __va(end), &fi));
	snprintf(want, sizeof(want),
		 "Unable to handle kernel paging request at virtual address %016llx (read): linear map, beyond RAM at phys 0x%016llx",
		 (unsigned long long)(u64)__va(end), (unsigned long long)end);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_STREQ(t, fi.area, "linear map");
	KTEST_EXPECT_STREQ(t, fi.headline, want);

	/* RAM at the start of the linear map leaves nothing below it there. */
	KTEST_ASSERT_TRUE(t, fault_expect(read_at, (char *)__va(start) - PAGE_SIZE, &fi));
	if (start > PHYS_OFFSET) {
		KTEST_EXPECT_STREQ(t, fi.area, "linear map");
		KTEST_EXPECT_TRUE(t, strstr(fi.headline, ": linear map, below RAM at phys "));
	} else {
		KTEST_EXPECT_STREQ(t, fi.area, "non-canonical address");
	}
}

KTEST_SUITE(fault,
	    KTEST_CASE(null_read), KTEST_CASE(null_write), KTEST_CASE(null_call),
	    KTEST_CASE(unmapped_regions), KTEST_CASE(undefined_instruction),
	    KTEST_CASE(unknown_brk), KTEST_CASE(pc_alignment), KTEST_CASE(nested_expect),
	    KTEST_CASE(registered_area), KTEST_CASE(serror_headline_in_words),
	    KTEST_CASE(classify_permission),
	    KTEST_CASE(classify_fault_status), KTEST_CASE(bug_reports_file_line),
	    KTEST_CASE(bug_on_condition), KTEST_CASE(warn_on_continues),
	    KTEST_CASE(warn_report), KTEST_CASE(kallsyms_known_function),
	    KTEST_CASE(backtrace_names_callers), KTEST_CASE(sp_misaligned),
	    KTEST_CASE(stack_overflow), KTEST_CASE(kernel_w_xor_x),
	    KTEST_CASE(linear_map_outside_ram));
