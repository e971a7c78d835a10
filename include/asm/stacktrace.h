/*
 * The stacks each CPU runs on, as the exception vectors (arch/arm64/entry.S)
 * and the backtraces (arch/arm64/traps.c) know them. Each CPU's struct
 * cpu_stacks is at PCPU_STACKS in its per-CPU area, which TPIDR_EL1 points
 * at (asm/percpu.h), so the vectors reach it without a spare register of
 * their own: the boot CPU's is set up in boot/head.S before VBAR_EL1, a
 * secondary CPU's before it takes its first exception.
 */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include <asm/memory.h>
#include <asm/percpu.h>

/*
 * An exception taken with less than this much of its stack left runs on
 * the CPU's overflow stack instead and is reported as a stack overflow:
 * printing an oops takes about 2.5 KiB (-fstack-usage: pt_regs,
 * do_exception, show_trace, printk).
 */
#define EXCEPTION_STACK_MIN 3072
/*
 * Room for the overflow report and, below it, one more exception that
 * nests while the report runs (it gets EXCEPTION_STACK_MIN too).
 */
#define OVERFLOW_STACK_SIZE 8192

/* Offsets in struct cpu_stacks, for entry.S. */
#define CPU_STACK_LOW 0
#define CPU_STACK_HIGH 8
#define CPU_OVERFLOW_STACK 32
/* The same from the start of the CPU's per-CPU area. */
#define PCPU_STACK_LOW (PCPU_STACKS + CPU_STACK_LOW)
#define PCPU_STACK_HIGH (PCPU_STACKS + CPU_STACK_HIGH)
#define PCPU_OVERFLOW_STACK (PCPU_STACKS + CPU_OVERFLOW_STACK)

#ifndef __ASSEMBLY__
#include <asm/sysreg.h>
#include <mk64/compiler.h>
#include <mk64/percpu.h>
#include <mk64/types.h>

/* A stack: sp runs from high down to low. */
struct stack_info {
	u64 low, high;				/* [low, high) */
	/* The stack call_on_stack() was called on, for backtraces; or NULL. */
	const struct stack_info *outer;
};

struct cpu_stacks {
	/*
	 * The stack this CPU runs on: init_stack at boot, then a vmalloc'd
	 * one; another while call_on_stack() runs a function on it.
	 */
	struct stack_info stack;
	/* Where the vectors put an exception taken with a bad sp. */
	u8 overflow_stack[OVERFLOW_STACK_SIZE] __aligned(16);
};

_Static_assert(__builtin_offsetof(struct cpu_stacks, stack.low) == CPU_STACK_LOW, "entry.S");
_Static_assert(__builtin_offsetof(struct cpu_stacks, stack.high) == CPU_STACK_HIGH, "entry.S");
_Static_assert(__builtin_offsetof(struct cpu_stacks, overflow_stack) == CPU_OVERFLOW_STACK,
	       "entry.S");

/* At PCPU_STACKS in each CPU's area (arch/arm64/stacktrace.c, linker.ld). */
DECLARE_PER_CPU(struct cpu_stacks, cpu_stacks);

/* The boot CPU's first stack (boot/head.S), with an unmapped page below. */
extern char init_stack[];

/* The running CPU's stacks, the ones its exception vectors check against. */
static inline struct cpu_stacks *this_cpu_stacks(void)
{
	return (struct cpu_stacks *)(__my_cpu_area() + PCPU_STACKS);
}

static inline bool on_stack(const struct stack_info *s, u64 addr, u64 size)
{
	return addr >= s->low && addr < s->high && size <= s->high - addr;
}

/*
 * Runs fn(arg) on the stack [base, base + size) (16-byte aligned, size at
 * least EXCEPTION_STACK_MIN plus fn's needs) and returns when fn returns.
 * Meanwhile that stack is the CPU's own: the vectors check sp against its
 * bounds, so running off its bottom is reported as a stack overflow, and
 * backtraces continue from it into the caller's stack. fn must leave by
 * returning, or by a fault caught by a fault_expect() on either stack
 * (which puts the caller's stack back); no other longjmp. Interrupts stay
 * as the caller has them while fn runs. May sleep if fn does.
 */
void call_on_stack(void *base, u64 size, void (*fn)(void *arg), void *arg);

/*
 * A kernel stack of stack_size bytes from vmalloc, its pages from node when
 * it has them, with an unmapped page below it (mk64/vmalloc.h), so running
 * off its bottom faults; the caller is recorded as the area's. NULL on
 * failure. Not zeroed. vfree() frees it. May sleep.
 */
void *arch_alloc_vmap_stack(size_t stack_size, int node);
#endif

#endif
