/*
 * The running context, Linux's struct task_struct and current, reduced to
 * what runs before threads exist: the flags word (PF_*) and the name that
 * reports print. Each CPU runs one context so far, the boot CPU init_task
 * (Linux's swapper/0), each other CPU its swapper/N. State that belongs
 * to a context lives here, not in per-CPU variables, so that it follows
 * the context once the thread layer (which will own this structure and
 * switch current) moves it between CPUs.
 */
#ifndef MK64_SCHED_H
#define MK64_SCHED_H

#include <mk64/compiler.h>
#include <mk64/smp.h>
#include <mk64/types.h>

/*
 * Allocating on behalf of reclaim (Linux's value): allocations may use
 * every reserve and do not enter direct reclaim again (mk64/gfp.h).
 */
#define PF_MEMALLOC 0x00000800

struct task_struct {
	unsigned int flags;	/* PF_*; written only by the context itself */
	const char *comm;	/* its name in reports */
};

/* The boot CPU's context. */
extern struct task_struct init_task;

/* What each CPU runs; the thread layer will switch these. */
extern struct task_struct *current_tasks[NR_CPUS];

/*
 * Gives secondary CPU cpu its context, "swapper/N" (Linux's idle thread):
 * the boot CPU, before it starts the CPU. Never sleeps.
 */
void idle_task_init(unsigned int cpu);

static __always_inline struct task_struct *get_current(void)
{
	return current_tasks[smp_processor_id()];
}

#define current get_current()

/*
 * Marks the running context as reclaiming (PF_MEMALLOC), as Linux's
 * memalloc_noreclaim_save(): its allocations may use all reserves and do
 * not reclaim. Returns what memalloc_noreclaim_restore() must put back,
 * so that sections nest.
 */
static inline unsigned int memalloc_noreclaim_save(void)
{
	unsigned int flags = current->flags & PF_MEMALLOC;

	current->flags |= PF_MEMALLOC;
	return flags;
}

/* Ends the section memalloc_noreclaim_save() began. */
static inline void memalloc_noreclaim_restore(unsigned int flags)
{
	current->flags = (current->flags & ~PF_MEMALLOC) | flags;
}

/*
 * Whether obj lies on a stack the kernel runs on (Linux's
 * object_is_on_stack()): the stack this CPU runs on, one call_on_stack()
 * was called from, or the CPU's overflow stack. Arch code
 * (arch/arm64/traps.c); never on the host, whose stacks are its C library's.
 */
bool object_is_on_stack(const void *obj);

#endif
