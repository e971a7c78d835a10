/*
 * Restartable sections (asm/restart.h): the IRQ entry's fixup.
 */
#include <asm/ptrace.h>
#include <asm/restart.h>
#include <mk64/percpu.h>

static DEFINE_PER_CPU(unsigned long, restart_count);

void restart_fixup(struct pt_regs *regs)
{
	for (const struct restart_entry *e = __start___restart_table; e < __stop___restart_table;
	     e++) {
		if (regs->pc - e->start < e->end - e->start) {
			regs->pc = e->start;
			raw_cpu_inc(restart_count);
			return;
		}
	}
}

unsigned long restart_count_cpu(unsigned int cpu)
{
	return cpu < pcpu_nr_units ? READ_ONCE(per_cpu(restart_count, cpu)) : 0;
}
