/*
 * ktest.crash=<kind>: raise an exception nobody handles, so a test config
 * can check the report that follows (tests/configs.cfg, exception-report).
 */
#include <mk64/ktest.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/string.h>

void ktest_crash(const char *kind)
{
	pr_info("ktest: crashing on purpose: %s\n", kind);
	if (!strcmp(kind, "null"))
		(void)*(volatile int *)0;
	else if (!strcmp(kind, "undef"))
		__asm__ volatile("udf #0");
	else if (!strcmp(kind, "brk"))
		__asm__ volatile("brk #0x100");
	else if (!strcmp(kind, "bug"))
		BUG();
	else
		pr_err("ktest: unknown ktest.crash=%s (null, undef, brk, bug)\n", kind);
}
