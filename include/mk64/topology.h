/*
 * Which NUMA node each CPU is on (mm/mm_init.c), from the numa-node-id of
 * the /cpus cpu nodes, as Linux's <linux/topology.h>. Valid once
 * free_area_init() has run; before, every CPU is on node 0.
 */
#ifndef MK64_TOPOLOGY_H
#define MK64_TOPOLOGY_H

#include <mk64/percpu.h>
#include <mk64/smp.h>
#include <mk64/types.h>

#define NUMA_NO_NODE (-1)

/*
 * Tells mm which cpu node is the boot CPU (logical CPU 0): its MPIDR
 * affinity fields (MPIDR_EL1 & 0xff00ffffff), read by the arch code since
 * mm/ reads no system register. Call before free_area_init().
 */
void set_boot_cpu_hwid(u64 hwid);

/* cpu_to_node()'s table, filled by free_area_init(). */
extern int cpu_node_map[NR_CPUS];

/*
 * The node of logical CPU cpu, always one with memory: the DT's, else the
 * nearest node with memory, else 0. NUMA_NO_NODE for a CPU the DT does not
 * describe (never for CPU 0). Never sleeps.
 */
static inline int cpu_to_node(unsigned int cpu)
{
	return cpu < NR_CPUS ? cpu_node_map[cpu] : NUMA_NO_NODE;
}

/* The node of the CPU running the caller: its per-CPU copy (mk64/percpu.h). */
static inline int numa_node_id(void)
{
	return this_cpu_hot()->numa_node;
}

#endif
