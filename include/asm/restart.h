/*
 * Restartable sections: a short run of instructions that reads this CPU's
 * state and ends with the one store that commits a change to it. An
 * interrupt taken inside one sends the code back to its first instruction
 * when the handler returns (restart_fixup(), from the IRQ entry), so that
 * a handler that changed the same state meanwhile is seen afresh: the
 * section acts as if interrupts were masked around it, without the three
 * instructions that masking and unmasking cost (Linux's user-space rseq,
 * and the pre-ARMv6 kernels' kuser_cmpxchg fixup, do the same).
 *
 * The rules for a section (RESTART_SECTION() brackets it): it writes no
 * register it reads on entry (temporaries are early-clobber outputs), so
 * that starting over finds its inputs as they were; its only stores are
 * the commit, last, and stores to memory the caller owns that starting
 * over rewrites with the same effect; it leaves only by the commit or by
 * a branch that makes no change. Each inlined copy registers its own
 * [start, commit] range in __restart_table.
 */
#ifndef ASM_RESTART_H
#define ASM_RESTART_H

#include <mk64/types.h>

/*
 * Opens a section at local label 1 (its restart point) and, with
 * RESTART_SECTION_END after the commit store, records it.
 */
#define RESTART_SECTION_START "1:\n"
#define RESTART_SECTION_END                                                     \
	"2:\n"                                                                  \
	"	.pushsection __restart_table, \"a\"\n"                          \
	"	.balign 8\n"                                                    \
	"	.quad 1b, 2b\n"                                                 \
	"	.popsection\n"

struct pt_regs;

/* One section: [start, end), end just after the commit store. */
struct restart_entry {
	u64 start, end;
};

extern const struct restart_entry __start___restart_table[], __stop___restart_table[];

/*
 * An interrupt taken at regs->pc inside a section [start, end) returns to
 * start, and the running CPU's restart count goes up. From the IRQ entry,
 * before any handler runs.
 */
void restart_fixup(struct pt_regs *regs);

/* How many interrupts CPU cpu took inside a section (for tests and reports). */
unsigned long restart_count_cpu(unsigned int cpu);

#endif
