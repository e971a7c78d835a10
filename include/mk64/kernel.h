/*
 * The system's life cycle and might_sleep(), Linux's check that code which
 * may sleep is not called where sleeping is not allowed: inside a spinlock
 * or preempt_disable() section, or with interrupts masked. Nothing sleeps
 * yet (no scheduler), but callers are checked now so that the day
 * something does, no caller holds a lock across it.
 */
#ifndef MK64_KERNEL_H
#define MK64_KERNEL_H

#include <asm/irqflags.h>
#include <mk64/compiler.h>
#include <mk64/preempt.h>
#include <mk64/types.h>

/* As Linux's; only BOOTING and RUNNING are used so far. */
enum system_states {
	SYSTEM_BOOTING,		/* interrupts masked, nothing checked */
	SYSTEM_SCHEDULING,	/* a scheduler could run: checks on */
	SYSTEM_RUNNING,		/* boot done, tests or work running */
	SYSTEM_HALT,
	SYSTEM_POWER_OFF,
};

/* Set by start_kernel (kernel/main.c). */
extern enum system_states system_state;

/* A might_sleep() call site: where it is, and when it last reported. */
struct might_sleep_site {
	const char *file;
	unsigned int line;
	bool reported;
	u64 reported_ns;
	struct might_sleep_site *next;	/* in the list of sites that reported */
};

/*
 * Out of line, called only when a check failed: once the system is
 * running, prints "sleeping function called from invalid context at
 * file:line", the context and a call trace, at most once a second per
 * site. Never sleeps; the caller goes on.
 */
void __might_sleep(struct might_sleep_site *site);

/*
 * Forgets when every site last reported, so that the next failure at any
 * site reports at once: for tests.
 */
void might_sleep_ratelimit_reset(void);

/*
 * The check itself is inline and cheap (a DAIF read and the preempt count)
 * so that hot paths such as the page allocator's can afford it.
 */
#define might_sleep_if(cond)                                                   \
	do {                                                                   \
		static struct might_sleep_site might_sleep_site_ = {           \
			.file = __FILE__, .line = __LINE__ };                  \
		if ((cond) && unlikely(in_atomic() || irqs_disabled()))        \
			__might_sleep(&might_sleep_site_);                     \
	} while (0)

#define might_sleep() might_sleep_if(true)

#endif
