#ifndef MK64_STACKPROTECTOR_H
#define MK64_STACKPROTECTOR_H

#include <mk64/types.h>

/*
 * Mixes seed into the stack canary. Only callable from a function without a
 * canary (start_kernel): protected frames live across the call would fail.
 */
void boot_init_stack_canary(u64 seed);
void __stack_chk_fail(void) __attribute__((noreturn));

#endif
