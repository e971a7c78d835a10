/*
 * CPU numbering: the possible CPUs (the DT's, numbered as Linux does), the
 * online ones, the running one; and running a function on other CPUs:
 * cross-CPU calls (kernel/smp.c) and each secondary CPU's mailbox
 * (arch/arm64/smp.c).
 */
#ifndef MK64_SMP_H
#define MK64_SMP_H

#include <mk64/types.h>

#define NR_CPUS 8

/*
 * The possible CPUs (Linux's nr_cpu_ids): the boot CPU and the others the
 * DT lists (not failed ones), at most NR_CPUS; logical numbers are below
 * it. 1 until the DT's /cpus is read (mm/mm_init.c).
 */
extern unsigned int nr_cpu_ids;

/*
 * The MPIDR affinity fields (MPIDR_EL1 & 0xff00ffffff) of possible CPU
 * cpu, from its DT node's reg; ~0 for a CPU that is not possible
 * (mm/mm_init.c).
 */
u64 cpu_logical_map(unsigned int cpu);

/*
 * The CPUs running the kernel, one bit per CPU: the boot CPU from the
 * start, each secondary CPU once it has come up (arch/arm64/smp.c).
 * Possible CPUs that failed to come up are never online.
 */
extern unsigned long cpu_online_bits;

/* A set of logical CPUs, one bit each (Linux's struct cpumask, reduced). */
typedef unsigned long cpumask_t;
#define cpumask_of(cpu) (1UL << (cpu))

static inline cpumask_t cpu_online_mask(void)
{
	return __atomic_load_n(&cpu_online_bits, __ATOMIC_ACQUIRE);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && (__atomic_load_n(&cpu_online_bits, __ATOMIC_ACQUIRE) >> cpu & 1);
}

static inline unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(__atomic_load_n(&cpu_online_bits, __ATOMIC_ACQUIRE));
}

#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) \
		if (!cpu_online(cpu)) {} else

/* ---- cross-CPU calls (kernel/smp.c) ---------------------------------------- */

/*
 * A function run on another CPU by a cross-call: in that CPU's interrupt
 * handler (hardirq context, interrupts masked), so it must not sleep, and
 * should be short: the CPU serves nothing else meanwhile.
 */
typedef void (*smp_call_func_t)(void *info);

/* Whether on_each_cpu_cond() calls cpu (Linux's smp_cond_func_t). */
typedef bool (*smp_cond_func_t)(int cpu, void *info);

/*
 * How long a caller waits for a CPU to answer a call (Linux's
 * csd_lock_timeout, in ms; 5000 as Linux's default). Tests shorten it.
 */
extern unsigned long csd_lock_timeout_ms;

/*
 * Runs func(info) on cpu: in its interrupt handler, through an SGI, or
 * directly with interrupts masked when cpu is the running CPU. With wait,
 * returns once func has returned there. Returns 0; -ENXIO when cpu is
 * not online; -ETIMEDOUT when cpu did not take the call within
 * csd_lock_timeout_ms (reported: the CPU and func's symbol; func never
 * runs there), or when this caller's slot for cpu still held an earlier
 * call not waited for (the new call is not made). A call cpu took is
 * waited for to its end, reported again every csd_lock_timeout_ms. Never
 * sleeps; spins while waiting, interrupts enabled if the caller's were.
 * Calling with interrupts masked risks a deadlock (two CPUs waiting for
 * each other) and WARNs once, as Linux, when waiting or from process
 * context.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait);

/*
 * smp_call_function_single() on every online CPU of mask but the running
 * one, all at once (one SGI write for all): Linux's
 * smp_call_function_many(). Returns 0 or -ETIMEDOUT (each CPU that did
 * not answer is reported).
 */
int smp_call_function_many(cpumask_t mask, smp_call_func_t func, void *info, bool wait);

/* smp_call_function_many() to every other online CPU. */
int smp_call_function(smp_call_func_t func, void *info, bool wait);

/*
 * func(info) on every online CPU of mask, the running one included (there
 * last, with interrupts masked, as Linux's on_each_cpu_mask()); returns
 * as smp_call_function_many().
 */
int on_each_cpu_mask(cpumask_t mask, smp_call_func_t func, void *info, bool wait);

/* on_each_cpu_mask() of every online CPU (Linux's on_each_cpu()). */
int on_each_cpu(smp_call_func_t func, void *info, bool wait);

/*
 * on_each_cpu_mask() of the online CPUs for which cond_func(cpu, info),
 * evaluated on the calling CPU, is true (Linux's on_each_cpu_cond(): for
 * per-CPU state that only its CPU may touch, such as SLUB's).
 */
int on_each_cpu_cond(smp_cond_func_t cond_func, smp_call_func_t func, void *info, bool wait);

/*
 * Makes every other online CPU take an interrupt, and waits for them
 * (Linux's kick_all_cpus_sync()): on return, none is still inside an
 * interrupt handler or masked section it was in at the call. Never
 * sleeps. Returns 0, or -ETIMEDOUT when a CPU did not take the call
 * within csd_lock_timeout_ms (reported, and no longer waited for).
 */
int kick_all_cpus_sync(void);

#ifndef MK64_HOST
#include <asm/smp.h>

/* The CPU running the caller, from TPIDR_EL1 (asm/smp.h). */
static inline unsigned int smp_processor_id(void)
{
	return raw_smp_processor_id();
}

/*
 * Takes the cross-call and wake-up SGIs (IPI_CALL_FUNC, IPI_RESCHEDULE):
 * once, after irqchip_init(), before smp_init(). Returns 0 or -errno.
 */
int call_function_init(void);

/*
 * Starts every possible secondary CPU (PSCI CPU_ON, from the DT's /psci),
 * each on its own vmalloc'd stack; reports and skips one that cannot be
 * started or does not come up. Once up, a CPU sets up its GIC interface
 * and tick and idles in wfi with interrupts enabled, answering cross-CPU
 * calls and running what smp_mailbox_post() gives it. Boot CPU, once,
 * after irqchip_init(), arch_timer_init() and call_function_init(), before
 * the tests; sleeps.
 */
void smp_init(const void *fdt);

/*
 * Wakes cpu's idle loop (an SGI, Linux's smp_send_reschedule()): it looks
 * at its mailbox. Never sleeps.
 */
void smp_send_reschedule(unsigned int cpu);

/*
 * Hands fn(arg) to online secondary CPU cpu, whose idle loop runs it in
 * process context with interrupts enabled (as Linux's smp_call_on_cpu()
 * runs a function in a task there; the boot CPU's tests run so), woken by
 * smp_send_reschedule(). So fn may allocate with GFP_KERNEL and vmalloc,
 * and cpu answers cross-calls while it runs. Returns 0, -EINVAL for the
 * running CPU or one not online, -EBUSY while the CPU still runs an
 * earlier function. One poster per CPU at a time (the tests' CPU). Never
 * sleeps.
 */
int smp_mailbox_post(unsigned int cpu, void (*fn)(void *arg), void *arg);

/*
 * Waits up to timeout_ns for cpu to finish what smp_mailbox_post() gave it;
 * returns 0, or -ETIMEDOUT (the CPU may still finish later, and stays
 * busy meanwhile). Spins; never sleeps.
 */
int smp_mailbox_wait(unsigned int cpu, u64 timeout_ns);

/* smp_mailbox_post() then smp_mailbox_wait(). */
int smp_mailbox_call(unsigned int cpu, void (*fn)(void *arg), void *arg, u64 timeout_ns);
#else
/*
 * The host tests play several CPUs in turn by setting host_cpu
 * (tests/host/cpu.c), so that per-CPU code sees another CPU's state. The
 * threaded ThreadSanitizer binary (MK64_HOST_THREADS) runs a CPU per
 * thread: there each thread has its own.
 */
#ifdef MK64_HOST_THREADS
extern _Thread_local unsigned int host_cpu;
#else
extern unsigned int host_cpu;
#endif

static inline unsigned int smp_processor_id(void)
{
	return host_cpu;
}
#endif

#endif
