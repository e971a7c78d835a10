/* Time stamps from the generic timer's virtual counter (CNTVOFF is 0). */
#include <asm/arch.h>
#include <asm/sysreg.h>

static u64 counter_at_entry;
static u64 counter_freq;

static u64 read_counter(void)
{
	isb(); /* the counter read must not be hoisted above earlier code */
	return read_sysreg(cntvct_el0);
}

u64 arch_counter_freq(void)
{
	return counter_freq;
}

void arch_clock_init(void)
{
	counter_freq = read_sysreg(cntfrq_el0);
	/* CNTFRQ is set by firmware; a zero would make every stamp divide by 0. */
	if (!counter_freq)
		counter_freq = 24000000;
	counter_at_entry = read_counter();
}

u64 arch_clock_ns(void)
{
	u64 ticks, secs;

	if (!counter_freq)
		return 0;
	ticks = read_counter() - counter_at_entry;
	secs = ticks / counter_freq;
	return secs * 1000000000ULL +
	       (ticks % counter_freq) * 1000000000ULL / counter_freq;
}
