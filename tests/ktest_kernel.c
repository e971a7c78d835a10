/* ktest's platform hooks in the kernel: printk and the generic timer/PMU. */
#include <stdarg.h>
#include <asm/arch.h>
#include <mk64/fault.h>
#include <mk64/ktest.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>

void ktest_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk(KERN_INFO "%s", line);
}

void ktest_case_done(void)
{
	fault_expect_abandon();
}

u64 ktest_now_ns(void)
{
	return arch_clock_ns();
}

bool ktest_insns(u64 *count)
{
	return arch_insn_count(count);
}
