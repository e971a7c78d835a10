/*
 * The compiler's run-time helpers that the kernel uses, written here with
 * general registers only, because the kernel does not link libgcc: libgcc
 * is built for user space and its helpers may use FP/SIMD registers (its
 * __popcountdi2 counts bits with CNT on a vector register), which the
 * kernel traps (CPACR_EL1.FPEN = 0) and exception entry does not save. A
 * new helper the compiler asks for fails the link, and lands here.
 */
#include <mk64/types.h>

int __popcountdi2(unsigned long x);

/* Bits set in x: the classic SWAR sum, pairs, nibbles, then bytes. */
int __popcountdi2(unsigned long x)
{
	u64 v = x;

	v = v - ((v >> 1) & 0x5555555555555555ull);
	v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (int)((v * 0x0101010101010101ull) >> 56);
}
