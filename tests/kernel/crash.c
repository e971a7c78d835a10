/*
 * ktest.crash=<kind>: raise an exception nobody handles, so a test config
 * can check the report that follows (tests/configs.cfg, exception-report).
 */
#include <mk64/ktest.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/string.h>
#include <mk64/vmalloc.h>

/* Each frame holds a buffer the compiler cannot drop; the stack runs out. */
static __attribute__((noinline)) int recurse(volatile int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth >= 0)
		return recurse(depth + 1) + frame[0];
	return frame[0];
}

/* One byte past the end of a 16 KiB vmalloc area: into its guard page. */
static __attribute__((noinline)) void run_off_vmalloc(void)
{
	volatile u8 *p = vmalloc(16384);

	if (p)
		p[16384] = 1;
}

static __attribute__((noinline)) void read_after_vfree(void)
{
	volatile u8 *p = vmalloc(8192);

	vfree((void *)p);
	if (p)
		(void)p[100];
}

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
	else if (!strcmp(kind, "overflow"))
		recurse(0);
	else if (!strcmp(kind, "vmalloc"))
		run_off_vmalloc();
	else if (!strcmp(kind, "vfree"))
		read_after_vfree();
	else
		pr_err("ktest: unknown ktest.crash=%s (null, undef, brk, bug, overflow, vmalloc, vfree)\n",
		       kind);
}
