/* The register frame saved on every exception entry (arch/arm64/entry.S). */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define S_X29 (29 * 8)
#define S_LR (30 * 8)
#define S_SP (31 * 8)
#define S_PC (32 * 8)
#define S_PSTATE (33 * 8)
#define S_ESR (34 * 8)
#define S_FAR (35 * 8)
#define PT_REGS_SIZE (36 * 8)

#ifndef __ASSEMBLY__
#include <mk64/types.h>

struct pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
	u64 esr;
	u64 far;
};

_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "entry.S frame layout");
_Static_assert(__builtin_offsetof(struct pt_regs, sp) == S_SP, "entry.S frame layout");
_Static_assert(__builtin_offsetof(struct pt_regs, far) == S_FAR, "entry.S frame layout");
#endif

#endif
