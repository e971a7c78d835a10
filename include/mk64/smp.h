/*
 * CPU numbering. Only the boot CPU runs so far (secondary CPUs start in a
 * later issue); per-CPU data is already indexed by CPU so that code
 * written against it stays right when they do.
 */
#ifndef MK64_SMP_H
#define MK64_SMP_H

#define NR_CPUS 8

/*
 * The possible CPUs (Linux's nr_cpu_ids): the boot CPU and the others the
 * DT lists (not failed ones), at most NR_CPUS; logical numbers are below
 * it. 1 until the DT's /cpus is read (mm/mm_init.c).
 */
extern unsigned int nr_cpu_ids;

#ifndef MK64_HOST
/* The CPU running the caller: the boot CPU, 0, until secondaries start. */
static inline unsigned int smp_processor_id(void)
{
	return 0;
}
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
