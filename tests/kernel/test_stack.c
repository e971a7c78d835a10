/*
 * Kernel stacks: the bounds the exception vectors check sp against,
 * call_on_stack(), and stack overflows provoked for real on a fresh stack
 * with an unmapped page below it (runaway recursion, a frame larger than
 * the stack, sp moved below the base), each caught by fault_expect() and
 * reported with the stack's bounds; then the CPU is back on its own stack
 * with its own bounds. Also an exception nesting on the overflow stack.
 *
 * Nothing here may print the test runner's crash markers.
 */
#include <asm/memory.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <mk64/fault.h>
#include <mk64/kallsyms.h>
#include <mk64/ktest.h>
#include <mk64/sched.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/vmalloc.h>

#define NOINLINE __attribute__((noinline, noipa))

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void check_headline(struct ktest *t, const struct fault_info *fi, const char *prefix,
			   const char *part)
{
	KTEST_EXPECT_TRUE(t, starts_with(fi->headline, prefix));
	KTEST_EXPECT_TRUE(t, strstr(fi->headline, part));
	if (!starts_with(fi->headline, prefix) || !strstr(fi->headline, part))
		ktest_info(t, "headline: %s; want %s...%s", fi->headline, prefix, part);
}

static NOINLINE void read_at(void *addr)
{
	(void)*(volatile const char *)addr;
}

/* Whether a read of addr faults, taken for real. */
static bool read_faults(const void *addr)
{
	struct fault_info fi;

	return fault_expect(read_at, (void *)(uintptr_t)addr, &fi);
}

/* ---- a fresh stack with nothing mapped below it ---------------------------- */

/* A THREAD_SIZE stack from vmalloc, as boot gives one to a CPU. */
static void *fresh_stack(struct ktest *t)
{
	void *stack = arch_alloc_vmap_stack(THREAD_SIZE, numa_node_id());

	KTEST_ASSERT_TRUE(t, stack != NULL);
	return stack;
}

/* ---- the CPU's own stack --------------------------------------------------- */

static void bounds_of_this_cpu(struct ktest *t)
{
	const struct cpu_stacks *cs = this_cpu_stacks();
	const struct stack_info *s = &cs->stack;
	volatile char here = 0;
	u64 local = (u64)(uintptr_t)&here;

	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)cs, (u64)(uintptr_t)this_cpu_ptr(&cpu_stacks));
	KTEST_EXPECT_EQ(t, read_sysreg(tpidr_el1) + PCPU_STACKS, (u64)(uintptr_t)cs);
	KTEST_EXPECT_EQ(t, s->high - s->low, THREAD_SIZE);
	KTEST_EXPECT_EQ(t, s->low & (PAGE_SIZE - 1), 0ull);
	KTEST_EXPECT_TRUE(t, local >= s->low && local < s->high);
	/* The whole stack is there; the page below it faults. */
	KTEST_EXPECT_FALSE(t, read_faults((void *)s->low));
	KTEST_EXPECT_FALSE(t, read_faults((void *)(s->high - 1)));
	KTEST_EXPECT_TRUE(t, read_faults((void *)(s->low - 1)));
	KTEST_EXPECT_TRUE(t, read_faults((void *)(s->low - PAGE_SIZE)));
}

/*
 * Boot moved the boot CPU off init_stack onto a stack of its own from
 * vmalloc (kernel/main.c); start_kernel()'s frame stays on init_stack.
 */
static void boot_cpu_on_vmalloc_stack(struct ktest *t)
{
	const struct stack_info *s = &this_cpu_stacks()->stack;
	const struct vm_struct *area = find_vm_area((const void *)s->low);
	char caller[KSYM_SYMBOL_LEN];
	volatile char here = 0;

	/* This very frame is in vmalloc memory. */
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((const void *)&here));
	KTEST_EXPECT_TRUE(t, vmalloc_to_page((const void *)&here) != NULL);
	KTEST_EXPECT_TRUE(t, find_vm_area((const void *)&here) == area);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((const void *)s->low));
	KTEST_ASSERT_TRUE(t, area != NULL);
	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)area->addr, s->low);
	KTEST_EXPECT_EQ(t, get_vm_area_size(area), THREAD_SIZE);
	KTEST_EXPECT_TRUE(t, area->flags & VM_ALLOC);
	sprint_symbol(caller, sizeof(caller), (u64)(uintptr_t)area->caller);
	KTEST_EXPECT_TRUE(t, starts_with(caller, "switch_boot_stack+"));
	KTEST_ASSERT_TRUE(t, s->outer != NULL);
	KTEST_EXPECT_EQ(t, s->outer->low, (u64)(uintptr_t)init_stack);
	KTEST_EXPECT_EQ(t, s->outer->high, (u64)(uintptr_t)init_stack + THREAD_SIZE);
	KTEST_EXPECT_TRUE(t, s->outer->outer == NULL);
}

/* ---- call_on_stack() ------------------------------------------------------- */

struct seen {
	u64 local;
	struct stack_info stack;
	struct stack_info outer;
	bool irqs_masked;
	bool on_stack_here, on_stack_caller;
	const void *caller_local;
	u64 pcs[16];
	unsigned int npcs;
};

static NOINLINE void look_around(void *arg)
{
	struct seen *seen = arg;
	volatile char here = 0;
	const struct stack_info *s = &this_cpu_stacks()->stack;

	seen->local = (u64)(uintptr_t)&here;
	seen->stack = *s;
	if (s->outer)
		seen->outer = *s->outer;
	seen->irqs_masked = read_sysreg(daif) & PSR_I_BIT;
	seen->on_stack_here = object_is_on_stack((const void *)&here);
	seen->on_stack_caller = object_is_on_stack(seen->caller_local);
	seen->npcs = stack_trace_save(seen->pcs, ARRAY_SIZE(seen->pcs));
}

static bool trace_has(const struct seen *seen, const char *name)
{
	char sym[KSYM_SYMBOL_LEN];

	for (unsigned int i = 0; i < seen->npcs; i++) {
		sprint_backtrace(sym, sizeof(sym), seen->pcs[i]);
		if (starts_with(sym, name) && sym[strlen(name)] == '+')
			return true;
	}
	return false;
}

static NOINLINE void call_on_stack_switches(struct ktest *t)
{
	struct stack_info before = this_cpu_stacks()->stack;
	volatile char mine = 0;
	struct seen seen = { .caller_local = (const void *)&mine };
	void *stack = fresh_stack(t);
	u64 base = (u64)(uintptr_t)stack;

	call_on_stack(stack, THREAD_SIZE, look_around, &seen);
	vfree(stack);

	KTEST_EXPECT_TRUE(t, seen.local >= base && seen.local < base + THREAD_SIZE);
	KTEST_EXPECT_EQ(t, seen.stack.low, base);
	KTEST_EXPECT_EQ(t, seen.stack.high, base + THREAD_SIZE);
	KTEST_EXPECT_EQ(t, seen.outer.low, before.low);
	KTEST_EXPECT_EQ(t, seen.outer.high, before.high);
	/* fn runs as the caller does: tests run with IRQs unmasked. */
	KTEST_EXPECT_FALSE(t, seen.irqs_masked);
	KTEST_EXPECT_TRUE(t, seen.on_stack_here);
	KTEST_EXPECT_TRUE(t, seen.on_stack_caller);
	/* The backtrace crosses from the fresh stack into this one. */
	KTEST_EXPECT_TRUE(t, trace_has(&seen, "__call_on_stack"));
	KTEST_EXPECT_TRUE(t, trace_has(&seen, "call_on_stack_switches"));
	/* Back on the caller's stack, with its bounds. */
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.low, before.low);
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.high, before.high);
	KTEST_EXPECT_TRUE(t, this_cpu_stacks()->stack.outer == before.outer);
	KTEST_EXPECT_FALSE(t, read_sysreg(daif) & PSR_I_BIT);
}

/* ---- overflows ------------------------------------------------------------- */

static volatile int deepest;

/* Each frame holds a buffer the compiler cannot drop; the stack runs out. */
static NOINLINE int recurse(volatile int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	deepest = depth;
	if (depth >= 0)
		return recurse(depth + 1) + frame[0];
	return frame[0];
}

static void recurse_on(void *arg)
{
	(void)arg;
	recurse(0);
}

/* One frame larger than the whole stack: its lowest byte is below the base. */
static NOINLINE void large_frame(void *arg)
{
	volatile char frame[THREAD_SIZE];

	(void)arg;
	frame[0] = 1;
	(void)frame[0];
}

/* sp moved 64 bytes below the base, then an exception. */
static NOINLINE void sp_below_base(void *arg)
{
	u64 below = this_cpu_stacks()->stack.low - 64;

	(void)arg;
	__asm__ volatile("mov	x9, sp\n\t"
			 "mov	sp, %0\n\t"
			 "brk	#0x104\n\t"
			 "mov	sp, x9"
			 : : "r"(below) : "x9", "memory");
}

struct on_fresh {
	void *base;
	void (*fn)(void *arg);
};

static void run_on_fresh(void *arg)
{
	struct on_fresh *of = arg;

	call_on_stack(of->base, THREAD_SIZE, of->fn, NULL);
}

/*
 * Runs fn on a fresh stack under fault_expect(), from this stack: the fault
 * leaves the fresh stack for good. Checks what every overflow report says
 * and that the CPU is back on its own stack, where faults are ordinary
 * again; returns the fresh stack's base (freed by then).
 */
static u64 overflow_on_fresh(struct ktest *t, void (*fn)(void *arg), struct fault_info *fi)
{
	struct stack_info before = this_cpu_stacks()->stack;
	struct on_fresh of = { fresh_stack(t), fn };
	u64 base = (u64)(uintptr_t)of.base;
	struct fault_info null_fi;
	bool faulted;

	faulted = fault_expect(run_on_fresh, &of, fi);
	vfree(of.base);

	KTEST_EXPECT_TRUE(t, faulted);
	KTEST_EXPECT_STREQ(t, fi->area, "kernel stack");
	KTEST_EXPECT_EQ(t, fi->stack_low, base);
	KTEST_EXPECT_EQ(t, fi->stack_high, base + THREAD_SIZE);
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.low, before.low);
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.high, before.high);
	KTEST_EXPECT_TRUE(t, this_cpu_stacks()->stack.outer == before.outer);
	KTEST_EXPECT_TRUE(t, fault_expect(read_at, NULL, &null_fi));
	KTEST_EXPECT_TRUE(t, starts_with(null_fi.headline,
					 "Unable to handle kernel NULL pointer dereference"));
	return base;
}

static void overflow_by_recursion(struct ktest *t)
{
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;
	u64 base;

	deepest = 0;
	base = overflow_on_fresh(t, recurse_on, &fi);
	/* 16 KiB of frames of a little over 256 bytes each. */
	KTEST_EXPECT_GE(t, deepest, (int)(THREAD_SIZE / 320));
	KTEST_EXPECT_LE(t, deepest, (int)(THREAD_SIZE / 256));
	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_DABT_CUR);
	KTEST_EXPECT_EQ(t, (int)fi.kind, FAULT_TRANSLATION);
	KTEST_EXPECT_EQ(t, (int)fi.access, FAULT_WRITE);
	KTEST_ASSERT_TRUE(t, fi.far < base && fi.far >= base - PAGE_SIZE);
	snprintf(want, sizeof(want), ": write at %016llx, %llu bytes below the stack (sp ",
		 (unsigned long long)fi.far, (unsigned long long)(base - fi.far));
	check_headline(t, &fi, "kernel stack overflow in recurse+0x", want);
}

static void overflow_by_large_frame(struct ktest *t)
{
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;
	u64 base = overflow_on_fresh(t, large_frame, &fi);

	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_DABT_CUR);
	KTEST_ASSERT_TRUE(t, fi.far < base && fi.far >= base - PAGE_SIZE);
	snprintf(want, sizeof(want), ": write at %016llx, %llu bytes below the stack (sp ",
		 (unsigned long long)fi.far, (unsigned long long)(base - fi.far));
	check_headline(t, &fi, "kernel stack overflow in large_frame+0x", want);
}

static void overflow_sp_below_base(struct ktest *t)
{
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;
	u64 base = overflow_on_fresh(t, sp_below_base, &fi);

	KTEST_EXPECT_EQ(t, fi.ec, ESR_EC_BRK64);
	KTEST_EXPECT_EQ(t, ESR_BRK_IMM(fi.esr), 0x104u);
	snprintf(want, sizeof(want), ": sp %016llx, 64 bytes below the stack",
		 (unsigned long long)base - 64);
	check_headline(t, &fi, "kernel stack overflow in sp_below_base+0x", want);
}

/* The lines an unexpected overflow's oops prints after its headline. */
static void overflow_report_lines(struct ktest *t)
{
	u64 over = (u64)(uintptr_t)this_cpu_ptr(&cpu_stacks)->overflow_stack;
	char want[96];
	struct fault_info fi;
	u64 base = overflow_on_fresh(t, recurse_on, &fi);

	ktest_log_mark();
	fault_show_stacks(&fi);
	snprintf(want, sizeof(want), "Task stack:     [0x%016llx..0x%016llx]\n",
		 (unsigned long long)base, (unsigned long long)base + THREAD_SIZE);
	KTEST_EXPECT_REPORT(t, want);
	snprintf(want, sizeof(want), "Overflow stack: [0x%016llx..0x%016llx]\n",
		 (unsigned long long)over, (unsigned long long)over + OVERFLOW_STACK_SIZE);
	KTEST_EXPECT_REPORT(t, want);

	/* An ordinary fault has no stack lines. */
	KTEST_ASSERT_TRUE(t, fault_expect(read_at, NULL, &fi));
	ktest_log_mark();
	fault_show_stacks(&fi);
	KTEST_EXPECT_FALSE(t, ktest_log_has("stack:"));
}

/*
 * On the fresh stack itself: the overflow lands back there, the run goes
 * on there with the fresh stack's bounds, and call_on_stack() returns.
 */
struct caught_there {
	bool overflowed, null_faulted;
	struct fault_info overflow, null;
	struct stack_info after;
};

static void catch_there(void *arg)
{
	struct caught_there *c = arg;

	c->overflowed = fault_expect(recurse_on, NULL, &c->overflow);
	c->after = this_cpu_stacks()->stack;
	c->null_faulted = fault_expect(read_at, NULL, &c->null);
}

static void overflow_caught_on_fresh_stack(struct ktest *t)
{
	struct stack_info before = this_cpu_stacks()->stack;
	struct caught_there c;
	void *stack = fresh_stack(t);
	u64 base = (u64)(uintptr_t)stack;

	call_on_stack(stack, THREAD_SIZE, catch_there, &c);
	vfree(stack);

	KTEST_EXPECT_TRUE(t, c.overflowed);
	KTEST_EXPECT_TRUE(t, starts_with(c.overflow.headline, "kernel stack overflow in recurse+0x"));
	KTEST_EXPECT_EQ(t, c.overflow.stack_low, base);
	KTEST_EXPECT_EQ(t, c.after.low, base);
	KTEST_EXPECT_EQ(t, c.after.high, base + THREAD_SIZE);
	KTEST_EXPECT_TRUE(t, c.null_faulted);
	KTEST_EXPECT_TRUE(t, starts_with(c.null.headline,
					 "Unable to handle kernel NULL pointer dereference"));
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.low, before.low);
	KTEST_EXPECT_EQ(t, this_cpu_stacks()->stack.high, before.high);
}

/* ---- the overflow stack ---------------------------------------------------- */

#define NEST_DEPTH 1024

/* A BRK taken with sp at arg: how the vectors take it depends on sp alone. */
static NOINLINE void brk_at_sp(void *arg)
{
	u64 sp = (u64)(uintptr_t)arg;

	__asm__ volatile("mov	x9, sp\n\t"
			 "mov	sp, %0\n\t"
			 "brk	#0x105\n\t"
			 "mov	sp, x9"
			 : : "r"(sp) : "x9", "memory");
}

static void check_plain_brk(struct ktest *t, bool faulted, const struct fault_info *fi)
{
	KTEST_EXPECT_TRUE(t, faulted);
	KTEST_EXPECT_EQ(t, fi->ec, ESR_EC_BRK64);
	KTEST_EXPECT_EQ(t, ESR_BRK_IMM(fi->esr), 0x105u);
	KTEST_EXPECT_EQ(t, fi->stack_high, 0ull);
	KTEST_EXPECT_TRUE(t, starts_with(fi->headline, "Unexpected kernel BRK exception (brk #0x105)"));
}

static void nested_on_overflow_stack(struct ktest *t)
{
	u8 *top = this_cpu_ptr(&cpu_stacks)->overflow_stack + OVERFLOW_STACK_SIZE;
	u8 *sp = top - NEST_DEPTH;
	u8 saved[NEST_DEPTH];
	struct fault_info fi;
	size_t changed = 0;
	bool faulted;

	/* The running handler's frames: a nested entry must leave them be. */
	memcpy(saved, sp, NEST_DEPTH);
	for (size_t i = 0; i < NEST_DEPTH; i++)
		sp[i] = (u8)(i * 7 + 1);
	faulted = fault_expect(brk_at_sp, sp, &fi);
	for (size_t i = 0; i < NEST_DEPTH; i++)
		changed += sp[i] != (u8)(i * 7 + 1);
	memcpy(sp, saved, NEST_DEPTH);

	KTEST_EXPECT_EQ(t, changed, (size_t)0);
	/* An ordinary exception, not a bad stack. */
	check_plain_brk(t, faulted, &fi);
}

/*
 * The vectors' bounds to the byte, on a fresh stack and on the overflow
 * stack: EXCEPTION_STACK_MIN left is enough, 16 bytes less is not; above
 * the top is no stack at all.
 */
struct edges {
	u64 sp[3];
	bool faulted[3];
	struct fault_info fi[3];
};

static void edges_there(void *arg)
{
	const struct stack_info *s = &this_cpu_stacks()->stack;
	struct edges *e = arg;

	e->sp[0] = s->low + EXCEPTION_STACK_MIN;
	e->sp[1] = s->low + EXCEPTION_STACK_MIN - 16;
	e->sp[2] = s->high + 16;
	for (int i = 0; i < 3; i++)
		e->faulted[i] = fault_expect(brk_at_sp, (void *)(uintptr_t)e->sp[i], &e->fi[i]);
}

static void entry_check_edges(struct ktest *t)
{
	u64 over = (u64)(uintptr_t)this_cpu_ptr(&cpu_stacks)->overflow_stack;
	void *stack = fresh_stack(t);
	u64 base = (u64)(uintptr_t)stack;
	char want[FAULT_HEADLINE_SIZE];
	struct fault_info fi;
	struct edges e;
	bool faulted;

	call_on_stack(stack, THREAD_SIZE, edges_there, &e);
	vfree(stack);

	check_plain_brk(t, e.faulted[0], &e.fi[0]);
	KTEST_EXPECT_TRUE(t, e.faulted[1]);
	KTEST_EXPECT_EQ(t, e.fi[1].stack_low, base);
	snprintf(want, sizeof(want), ": sp %016llx, %lu bytes left on the stack",
		 (unsigned long long)e.sp[1], EXCEPTION_STACK_MIN - 16ul);
	check_headline(t, &e.fi[1], "kernel stack overflow in brk_at_sp+0x", want);
	KTEST_EXPECT_TRUE(t, e.faulted[2]);
	snprintf(want, sizeof(want), ": not on the stack %016llx-%016llx",
		 (unsigned long long)base, (unsigned long long)base + THREAD_SIZE);
	check_headline(t, &e.fi[2], "Bad kernel stack pointer ", want);

	/* The overflow stack's own edge, as a handler running there meets it. */
	faulted = fault_expect(brk_at_sp, (void *)(uintptr_t)(over + EXCEPTION_STACK_MIN), &fi);
	check_plain_brk(t, faulted, &fi);
	faulted = fault_expect(brk_at_sp, (void *)(uintptr_t)(over + EXCEPTION_STACK_MIN - 16), &fi);
	KTEST_EXPECT_TRUE(t, faulted);
	KTEST_EXPECT_TRUE(t, starts_with(fi.headline, "Bad kernel stack pointer "));
}

KTEST_SUITE(stack,
	    KTEST_CASE(bounds_of_this_cpu), KTEST_CASE(boot_cpu_on_vmalloc_stack),
	    KTEST_CASE(call_on_stack_switches),
	    KTEST_CASE(overflow_by_recursion), KTEST_CASE(overflow_by_large_frame),
	    KTEST_CASE(overflow_sp_below_base), KTEST_CASE(overflow_report_lines),
	    KTEST_CASE(overflow_caught_on_fresh_stack), KTEST_CASE(nested_on_overflow_stack),
	    KTEST_CASE(entry_check_edges));
