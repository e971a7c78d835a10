/*
 * Faults (arch/arm64/fault.c): a synchronous exception decoded into words,
 * memory areas that say who owns a faulting address, and functions run with
 * their faults expected (tests). The oops report itself is in
 * arch/arm64/traps.c.
 */
#ifndef MK64_FAULT_H
#define MK64_FAULT_H

#include <asm/ptrace.h>
#include <mk64/panic.h>
#include <mk64/types.h>

/* ESR_EL1: the exception class (bits 31:26) and the ones decoded here. */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) ((unsigned int)((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL (1UL << 25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define ESR_EC_UNKNOWN 0x00u	/* undefined instruction, among others */
#define ESR_EC_FP_ASIMD 0x07u	/* FP/SIMD access trapped by CPACR_EL1.FPEN */
#define ESR_EC_IABT_LOW 0x20u
#define ESR_EC_IABT_CUR 0x21u
#define ESR_EC_PC_ALIGN 0x22u
#define ESR_EC_DABT_LOW 0x24u
#define ESR_EC_DABT_CUR 0x25u
#define ESR_EC_SP_ALIGN 0x26u
#define ESR_EC_SERROR 0x2fu
#define ESR_EC_BRK64 0x3cu

/* Abort ISS fields. */
#define ESR_ABT_FSC(esr) ((unsigned int)(esr) & 0x3f)
#define ESR_ABT_WNR (1UL << 6)
#define ESR_ABT_S1PTW (1UL << 7)
#define ESR_ABT_CM (1UL << 8)
#define ESR_ABT_EA (1UL << 9)
#define ESR_ABT_FNV (1UL << 10)
#define ESR_ABT_SET(esr) ((unsigned int)((esr) >> 11) & 3)
#define ESR_DABT_ISV (1UL << 24)
#define ESR_BRK_IMM(esr) ((unsigned int)(esr) & 0xffff)

/* What an abort's fault status code says went wrong. */
enum fault_kind {
	FAULT_KIND_NONE,	/* not an abort */
	FAULT_ADDR_SIZE,
	FAULT_TRANSLATION,
	FAULT_ACCESS_FLAG,
	FAULT_PERMISSION,
	FAULT_ALIGNMENT,
	FAULT_EXTERNAL,		/* synchronous external abort or parity error */
	FAULT_TLB_CONFLICT,
	FAULT_OTHER,
};

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

#define FAULT_HEADLINE_SIZE 256

/* One exception, decoded. */
struct fault_info {
	unsigned int vector;	/* vector index 0-15 (entry.S) */
	u64 esr;
	unsigned int ec;	/* ESR_EC(esr); 0 for interrupts */
	enum fault_kind kind;
	int level;		/* translation table level of the fault, or -1 */
	bool walk;		/* external abort on a translation table walk */
	enum fault_access access;
	bool far_valid;
	u64 far;		/* the faulting address (aborts, PC alignment) */
	u64 pc;			/* ELR_EL1: the instruction that faulted */
	const char *area;	/* the area holding far, "unmapped hole", or NULL */
	const struct bug_site *bug;	/* a BUG()'s site */
	/* With a bad sp at entry: the stack's bounds, [low, high); else 0. */
	u64 stack_low, stack_high;
	char headline[FAULT_HEADLINE_SIZE];	/* the report's first line */
};

/*
 * A range of kernel virtual addresses that can describe its own addresses
 * in a fault's headline ("vmalloc guard page after foo+0x40/0x80" rather
 * than "vmalloc"). The smallest registered area holding the address wins;
 * then the built-in layout (NULL page, kernel image sections, linear map,
 * the regions of asm/memory.h) decides; an address in none is a hole.
 */
struct fault_area {
	u64 start, end;		/* [start, end) */
	const char *name;
	/*
	 * Optional: writes what info->far is into buf, in words that follow
	 * "...at virtual address X: ". Without it, the name is used.
	 * Runs in the exception handler: it must not fault, allocate or lock.
	 */
	void (*describe)(const struct fault_area *area, const struct fault_info *info,
			 char *buf, size_t size);
	struct fault_area *next;
};

/* Adds area to the registry (boot CPU, before faults in it can happen). */
void register_fault_area(struct fault_area *area);
/* Removes an area added by register_fault_area(). */
void unregister_fault_area(struct fault_area *area);

/*
 * Runs fn(arg) with its synchronous exceptions expected: a fault (abort,
 * undefined instruction, BRK, BUG, ...) in fn prints nothing, fills *info
 * with what the report would have said and returns true here, with fn
 * abandoned. Returns false, *info zeroed, when fn returns. WARNs in fn
 * report and continue as usual; a fault in the handler itself, or an
 * interrupt or SError, is reported as ever. Nests.
 */
bool fault_expect(void (*fn)(void *arg), void *arg, struct fault_info *info);

/*
 * Forgets every running fault_expect(): for ktest, whose ASSERTs and skips
 * leave fn by longjmp, past fault_expect()'s own clean-up.
 */
void fault_expect_abandon(void);

/*
 * Stores up to max return addresses of the current call chain from the
 * frame records, innermost first: the first is in stack_trace_save()'s
 * caller. Returns how many it stored.
 */
unsigned int stack_trace_save(u64 *store, unsigned int max);

/* For the exception handler (arch/arm64/traps.c) and tests. */

/* Decodes the exception in regs taken through vector into *info. */
void fault_decode(const struct pt_regs *regs, unsigned int vector,
		  struct fault_info *info);
/* Prints the decoded ESR ("Mem abort info:" and the like) for an oops. */
void fault_show_esr(const struct fault_info *info);
/*
 * If a fault_expect() is running, records *info for it and points regs at
 * the landing pad that returns there; returns whether it did.
 */
bool fault_fixup(struct pt_regs *regs, const struct fault_info *info);
/* The vectors put regs on the overflow stack: sp was bad at entry. */
bool fault_on_overflow_stack(const struct pt_regs *regs);
/*
 * For an exception taken with a bad sp (info->stack_high set), prints the
 * bounds of the stack it overflowed and of the CPU's overflow stack, as
 * Linux's report does; otherwise nothing.
 */
void fault_show_stacks(const struct fault_info *info);

#endif
