/*
 * The stacks each CPU runs on (asm/stacktrace.h): the per-CPU bounds the
 * exception vectors check sp against, the per-CPU overflow stacks, running
 * a function on another stack, and kernel stacks from vmalloc.
 */
#include <asm/irqflags.h>
#include <asm/stacktrace.h>
#include <mk64/gfp.h>
#include <mk64/panic.h>
#include <mk64/vmalloc.h>

/*
 * Right after pcpu_hot in every per-CPU area (linker.ld checks it), for
 * entry.S. The boot CPU's gets init_stack's bounds in boot/head.S.
 */
__section(PER_CPU_STACKS_SECTION) struct cpu_stacks cpu_stacks;

/*
 * call_on_stack.S: calls fn(arg) on the stack whose top is sp, with DAIF
 * set to daif; returns with IRQs and FIQs masked.
 */
void __call_on_stack(void (*fn)(void *arg), void *arg, u64 sp, unsigned long daif);

void call_on_stack(void *base, u64 size, void (*fn)(void *arg), void *arg)
{
	struct cpu_stacks *cs = this_cpu_stacks();
	struct stack_info outer = cs->stack;
	unsigned long flags;

	BUG_ON(!IS_ALIGNED((u64)base | size, 16) || size < EXCEPTION_STACK_MIN);
	/*
	 * Masked while the bounds and sp disagree: an interrupt taken then
	 * would find sp off its stack and be reported as an overflow.
	 */
	flags = arch_local_irq_save();
	cs->stack = (struct stack_info){ (u64)base, (u64)base + size, &outer };
	__call_on_stack(fn, arg, (u64)base + size, flags);
	cs->stack = outer;
	arch_local_irq_restore(flags);
}

/* Out of line, so that the caller it records is the one asking. */
void *arch_alloc_vmap_stack(size_t stack_size, int node)
{
	return __vmalloc_node(stack_size, THREAD_ALIGN, GFP_KERNEL, node,
			      __builtin_return_address(0));
}
