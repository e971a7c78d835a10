/*
 * The state the kernel keeps per CPU, for the host build of the portable
 * core: the interrupt mask of tests/host/include/asm/irqflags.h (starting
 * unmasked, as process context runs in the kernel), which CPU runs
 * (mk64/smp.h), and a per-CPU area for each of the NR_CPUS CPUs the tests
 * may play (mk64/percpu.h), set up before main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/percpu.h>
#include <mk64/sched.h>
#include <mk64/smp.h>

unsigned long host_daif = PSR_F_BIT;
unsigned int host_cpu;

static unsigned char host_percpu_areas[NR_CPUS][PERCPU_UNIT_SIZE] __aligned(PCPU_HOT_SIZE);

__attribute__((constructor)) static void host_percpu_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		pcpu_setup_area(cpu, host_percpu_areas[cpu]);
}

/* A spin loop on the host waits for what nothing will do: say so and stop. */
void host_spin_wait_deadlock(void)
{
	fprintf(stderr, "host: spinning on a lock that is held: only one context runs, so it never "
			"will be released (a lock left held by a test or the code under test)\n");
	abort();
}

/* The host's stand-in for CTR_EL0's writeback granule. */
unsigned int cache_line_size(void)
{
	return 64;
}

/* The host runs on its C library's stacks: no kernel stack to be on. */
bool object_is_on_stack(const void *obj)
{
	(void)obj;
	return false;
}

/*
 * The host plays the CPUs in turn: each CPU the condition picks runs func
 * as that CPU, interrupts masked, as a cross-call would run it there.
 */
int on_each_cpu_cond(smp_cond_func_t cond_func, smp_call_func_t func, void *info, bool wait)
{
	unsigned int caller = host_cpu;

	(void)wait;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long flags;

		if (!cond_func((int)cpu, info))
			continue;
		host_cpu = cpu;
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
	}
	host_cpu = caller;
	return 0;
}
