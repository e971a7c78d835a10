/*
 * panic, BUG and WARN (kernel/panic.c; the reports in arch/arm64/traps.c).
 *
 * BUG() and WARN_ON() are a single `brk #BUG_BRK_IMM` instruction plus an
 * entry in the __bug_table section that maps its address to file:line and
 * the condition's text. The BRK handler finds the entry: a WARN prints its
 * report and continues after the brk, a BUG prints an oops and stops. The
 * check itself costs a compare and a branch, with no call in the hot path.
 */
#ifndef MK64_PANIC_H
#define MK64_PANIC_H

#include <mk64/compiler.h>
#include <mk64/types.h>

/* Set while reporting a fatal error: printk then never waits for its lock. */
extern int oops_in_progress;

/*
 * Prints "Kernel panic - not syncing: <msg>" and a call trace (unless an
 * oops is already being reported), then stops the machine.
 */
void panic(const char *fmt, ...) __noreturn __printf(1, 2);

/* Stops this CPU for good: power off if possible, else wait forever. */
void machine_halt(void) __noreturn;

/* Prints the CPU line and a call trace of its caller at log level lvl. */
void dump_stack_lvl(const char *lvl);

/* The brk comment that marks a BUG or a WARN (as Linux's). */
#define BUG_BRK_IMM 0x800

/* Where a BUG or WARN is, and what it checks. */
struct bug_site {
	const char *file;
	const char *cond;	/* the condition's text, NULL for BUG() */
	unsigned int line;
	unsigned int flags;
};
#define BUGFLAG_WARNING (1u << 0)

/* One __bug_table entry: a brk instruction and its site. */
struct bug_entry {
	u64 addr;
	const struct bug_site *site;
};

/* The __bug_table entry of the brk at addr, or NULL. */
const struct bug_entry *find_bug(u64 addr);

#ifndef MK64_HOST
#define BUG_SITE_(flags_, cond_)                                                \
	do {                                                                    \
		static const struct bug_site bug_site_ = {                      \
			__FILE__, cond_, __LINE__, flags_ };                    \
		__asm__ volatile("1:	brk %[imm]\n"                           \
				 "	.pushsection __bug_table, \"a\"\n"      \
				 "	.balign 8\n"                            \
				 "	.quad 1b, %c[site]\n"                   \
				 "	.popsection"                            \
				 : : [imm] "i"(BUG_BRK_IMM), [site] "S"(&bug_site_)); \
	} while (0)
#else
/* mm/ and lib/ also build for the host tests: a BUG aborts, a WARN prints. */
#include <stdio.h>
#define BUG_SITE_(flags_, cond_)                                                \
	do {                                                                    \
		if ((flags_) & BUGFLAG_WARNING)                                 \
			fprintf(stderr, "WARNING: at %s:%d: %s\n", __FILE__,     \
				__LINE__, (const char *)(cond_));               \
		else                                                            \
			__builtin_trap();                                       \
	} while (0)
#endif

/* Reports "kernel BUG at file:line!" with an oops, and stops. */
#define BUG()                                   \
	do {                                    \
		BUG_SITE_(0, NULL);             \
		__builtin_unreachable();        \
	} while (0)

#define BUG_ON(cond)                                    \
	do {                                            \
		if (unlikely(cond)) {                   \
			BUG_SITE_(0, #cond);            \
			__builtin_unreachable();        \
		}                                       \
	} while (0)

/* Reports a WARNING naming file:line when cond is true; returns cond. */
#define WARN_ON(cond)                                           \
	({                                                      \
		bool warn_on_ = !!(cond);                       \
		if (unlikely(warn_on_))                         \
			BUG_SITE_(BUGFLAG_WARNING, #cond);      \
		unlikely(warn_on_);                             \
	})

#endif
