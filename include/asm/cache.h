/* Cache geometry for the portable core (arch/arm64/cpu.c; the host's in tests/host/cpu.c). */
#ifndef ASM_CACHE_H
#define ASM_CACHE_H

/*
 * Linux's cache_line_size(): the cache writeback granule from CTR_EL0.CWG,
 * the largest line any cache of the system writes back, in bytes; 128
 * (Linux's ARCH_DMA_MINALIGN) when the register does not say.
 */
unsigned int cache_line_size(void);

#endif
