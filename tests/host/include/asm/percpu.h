/*
 * The host build's stand-in for <asm/percpu.h>: the per-CPU variables'
 * template is the host linker's section "percpu" (bounded by its
 * __start_/__stop_ symbols), the areas are tests/host/cpu.c's, and the
 * running CPU is host_cpu, so per-CPU code run for one CPU and then
 * another sees each CPU's own copy.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <mk64/smp.h>	/* host_cpu */
#include <mk64/types.h>

#define PERCPU_UNIT_SIZE (64UL * 1024)
#define PER_CPU_SECTION "percpu"
/* No order within the section on the host: pcpu_hot is where it lands. */
#define PER_CPU_HOT_SECTION PER_CPU_SECTION
#define PCPU_HOT_OFFSET __pcpu_offset(&pcpu_hot)
#define PCPU_HOT_SIZE 128
#define PCPU_HOT_CPU_NUMBER 0

extern char __start_percpu[], __stop_percpu[];
extern unsigned long __per_cpu_offset[];

#define __per_cpu_start __start_percpu
#define __per_cpu_load __start_percpu
#define __per_cpu_end __stop_percpu

static inline unsigned long __my_cpu_area(void)
{
	return (unsigned long)__per_cpu_start + __per_cpu_offset[host_cpu];
}

static inline unsigned long __pcpu_offset(const void *ptr)
{
	return (unsigned long)ptr - (unsigned long)__per_cpu_start;
}
#endif
