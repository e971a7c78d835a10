/* panic, BUG and WARN: report in Linux's words, then stop or continue. */
#include <stdarg.h>
#include <asm/psci.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>

/* Set while reporting a fatal error: printk then never waits for its lock. */
int oops_in_progress;

void machine_halt(void)
{
	psci_system_off();
	pr_emerg("System halted.\n");
	for (;;)
		__asm__ volatile("wfi");
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	oops_in_progress = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	machine_halt();
}

void __bug(const char *file, int line, const char *cond)
{
	oops_in_progress = 1;
	pr_emerg("------------[ cut here ]------------\n");
	if (cond)
		pr_emerg("kernel BUG at %s:%d: %s\n", file, line, cond);
	else
		pr_emerg("kernel BUG at %s:%d!\n", file, line);
	panic("BUG at %s:%d", file, line);
}

void __warn(const char *file, int line, const char *cond)
{
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: %s:%d: %s\n", file, line, cond);
	pr_warn("---[ end trace ]---\n");
}
