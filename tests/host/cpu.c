/*
 * The state the kernel keeps per CPU, for the host build of the portable
 * core: the interrupt mask of tests/host/include/asm/irqflags.h (starting
 * unmasked, as process context runs in the kernel) and the preempt counts
 * that spinlocks raise (mk64/preempt.h), and which CPU runs (mk64/smp.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/preempt.h>
#include <mk64/sched.h>

unsigned long host_daif = PSR_F_BIT;
unsigned int host_cpu;
struct preempt_count_cpu preempt_counts[NR_CPUS];

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
