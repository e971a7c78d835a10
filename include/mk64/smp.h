/*
 * CPU numbering: the possible CPUs (the DT's, numbered as Linux does), the
 * online ones, the running one; and running a function on another CPU.
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

#ifndef MK64_HOST
#include <asm/smp.h>

/* The CPU running the caller, from TPIDR_EL1 (asm/smp.h). */
static inline unsigned int smp_processor_id(void)
{
	return raw_smp_processor_id();
}

/*
 * Starts every possible secondary CPU (PSCI CPU_ON, from the DT's /psci),
 * each on its own vmalloc'd stack; reports and skips one that cannot be
 * started or does not come up. Once up, a CPU parks with interrupts masked
 * waiting for smp_mailbox_post(). Boot CPU, once, before the tests; sleeps.
 */
void smp_init(const void *fdt);

/*
 * Hands fn(arg) to online secondary CPU cpu, which runs it with interrupts
 * masked. Returns 0, -EINVAL for the running CPU or one not online, -EBUSY
 * while the CPU still runs an earlier function. One poster per CPU at a
 * time (the tests' CPU). Never sleeps.
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
 * (tests/host/cpu.c), so that per-CPU code sees another CPU's state.
 */
extern unsigned int host_cpu;

static inline unsigned int smp_processor_id(void)
{
	return host_cpu;
}
#endif

#endif
