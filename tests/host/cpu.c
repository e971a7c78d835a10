/*
 * The state the kernel keeps per CPU, for the host build of the portable
 * core: the interrupt mask of tests/host/include/asm/irqflags.h (starting
 * unmasked, as process context runs in the kernel) and the preempt counts
 * that spinlocks raise (mk64/preempt.h).
 */
#include <asm/irqflags.h>
#include <mk64/preempt.h>

unsigned long host_daif = PSR_F_BIT;
struct preempt_count_cpu preempt_counts[NR_CPUS];
