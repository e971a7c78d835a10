/*
 * -fstack-protector-strong support, for the kernel and for Debian's libfdt
 * (built the same way). The guard starts as a fixed value and is reseeded
 * from the device tree's /chosen rng-seed or kaslr-seed by start_kernel,
 * which has no canary of its own, before any protected frame could be live
 * across the change.
 */
#include <mk64/compiler.h>
#include <mk64/panic.h>
#include <mk64/stackprotector.h>

/* The zero low byte stops string overflows from copying the canary out. */
unsigned long __stack_chk_guard = 0x5d1c3a9e4b7f2600UL;

void __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack is corrupted in: %p",
	      __builtin_return_address(0));
}

__no_stack_protector void boot_init_stack_canary(u64 seed)
{
	__stack_chk_guard = (seed ^ __stack_chk_guard) & ~0xffUL;
}
