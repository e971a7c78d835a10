/*
 * panic, and the __bug_table that BUG() and WARN_ON() fill (their reports
 * are the BRK handler's, arch/arm64/traps.c).
 */
#include <stdarg.h>
#include <asm/irqflags.h>
#include <asm/psci.h>
#include <mk64/console.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>

extern const struct bug_entry __start___bug_table[], __stop___bug_table[];

int oops_in_progress;

void machine_halt(void)
{
	local_irq_disable();
	system_state = SYSTEM_HALT;
	psci_system_off();
	pr_emerg("System halted.\n");
	for (;;)
		__asm__ volatile("wfi");
}

void panic(const char *fmt, ...)
{
	bool oopsing = oops_in_progress;
	char msg[256];
	va_list ap;

	local_irq_disable();
	oops_in_progress = 1;
	if (!have_console())
		console_init_fallback();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	/* An oops has just printed the trace that matters. */
	if (!oopsing)
		dump_stack_lvl(KERN_EMERG);
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	machine_halt();
}

const struct bug_entry *find_bug(u64 addr)
{
	for (const struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++)
		if (b->addr == addr)
			return b;
	return NULL;
}
