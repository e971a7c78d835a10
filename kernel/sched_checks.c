/*
 * Atomic-context checks: the per-CPU preempt counts and might_sleep()'s
 * report (Linux's __might_sleep), printed without Linux's "BUG: " prefix,
 * which the test runner takes for a crash.
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <mk64/kernel.h>
#include <mk64/panic.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/spinlock.h>

#define MIGHT_SLEEP_INTERVAL_NS 1000000000ull /* as Linux's HZ jiffies */

/* The sites that reported, so that their limits can be reset. */
static struct might_sleep_site *reported_sites;
static spinlock_t sites_lock = SPINLOCK_INIT;

/* Whether site may report now; if so, starts its next interval. */
static bool site_may_report(struct might_sleep_site *site)
{
	u64 now = arch_clock_ns();
	unsigned long flags;
	bool report = false;

	spin_lock_irqsave(&sites_lock, flags);
	if (!site->reported) {
		site->reported = true;
		site->next = reported_sites;
		reported_sites = site;
		report = true;
	} else if (now - site->reported_ns >= MIGHT_SLEEP_INTERVAL_NS) {
		report = true;
	}
	if (report)
		site->reported_ns = now;
	spin_unlock_irqrestore(&sites_lock, flags);
	return report;
}

void might_sleep_ratelimit_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&sites_lock, flags);
	for (struct might_sleep_site *site = reported_sites; site; site = site->next)
		site->reported = false;
	reported_sites = NULL;
	spin_unlock_irqrestore(&sites_lock, flags);
}

void __might_sleep(struct might_sleep_site *site)
{
	int count = preempt_count();
	bool irqs_off = irqs_disabled();

	/* Boot runs with interrupts masked; an oops has worse news. */
	if (system_state == SYSTEM_BOOTING || system_state > SYSTEM_RUNNING || oops_in_progress)
		return;
	if (!count && !irqs_off)
		return;
	if (!site_may_report(site))
		return;
	pr_err("sleeping function called from invalid context at %s:%u\n", site->file, site->line);
	pr_err("in_atomic(): %d, irqs_disabled(): %d, pid: 0, name: %s\n", count != 0, irqs_off,
	       current->comm);
	pr_err("preempt_count: %x, expected: 0\n", count);
	dump_stack_lvl(KERN_ERR);
}
