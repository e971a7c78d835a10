/*
 * Restartable sections (asm/restart.h): the IRQ entry's fixup.
 */
#include <asm/ptrace.h>
#include <asm/restart.h>
#include <mk64/percpu.h>

static DEFINE_PER_CPU(unsigned long, restart_count);

/*
 * [lo, hi): from the first section's start to the last one's end, worked
 * out at the first interrupt: most interrupts come from outside it and
 * cost one test. Every CPU works out the same, so a race is harmless.
 */
static u64 span_lo, span_hi;

static void find_span(void)
{
	u64 lo = ~0ull, hi = 0;

	for (const struct restart_entry *e = __start___restart_table; e < __stop___restart_table;
	     e++) {
		lo = e->start < lo ? e->start : lo;
		hi = e->end > hi ? e->end : hi;
	}
	WRITE_ONCE(span_lo, lo);
	WRITE_ONCE(span_hi, hi);
}

void restart_fixup(struct pt_regs *regs)
{
	if (unlikely(!READ_ONCE(span_hi)))
		find_span();
	if (regs->pc - span_lo >= span_hi - span_lo)
		return;
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
