/*
 * Device memory mappings (arch/arm64/ioremap.c): registers mapped into the
 * vmalloc region, never executable, never over RAM.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <mk64/types.h>

/*
 * Maps size bytes of registers at phys as Device-nGnRE (ioremap) or
 * Normal non-cacheable (ioremap_wc, write-combining), both execute-never.
 * Returns the address of phys, or NULL: nothing to map, RAM (a second
 * mapping of RAM with other attributes breaks the architecture's rules),
 * or no space. May sleep.
 */
void *ioremap(phys_addr_t phys, size_t size);
void *ioremap_wc(phys_addr_t phys, size_t size);
/* Unmaps what ioremap*() returned (any address inside its first page). */
void iounmap(volatile void *addr);

/*
 * Register accesses with no barrier (Linux's *_relaxed): Device-nGnRE
 * keeps accesses to one device in order; ordering against normal memory
 * is the caller's (a dsb/dmb where a register write must follow memory
 * writes another agent reads).
 */
static inline u32 readl_relaxed(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void writel_relaxed(u32 val, volatile void *addr)
{
	*(volatile u32 *)addr = val;
}

static inline u64 readq_relaxed(const volatile void *addr)
{
	return *(const volatile u64 *)addr;
}

static inline void writeq_relaxed(u64 val, volatile void *addr)
{
	*(volatile u64 *)addr = val;
}

static inline void writeb_relaxed(u8 val, volatile void *addr)
{
	*(volatile u8 *)addr = val;
}

#endif
