/* Non-local jumps: aborting a test case, and later fault fixups. */
#ifndef MK64_SETJMP_H
#define MK64_SETJMP_H

#ifdef MK64_HOST
#include <setjmp.h>
#else
#include <mk64/types.h>

/* x19-x28, x29 (fp), x30 (lr), sp: the registers a callee must preserve. */
typedef u64 jmp_buf[13];

int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));
#endif

#endif
