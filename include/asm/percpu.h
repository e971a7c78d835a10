/*
 * Where the running CPU's per-CPU area is (mk64/percpu.h): TPIDR_EL1 holds
 * its address from the CPU's first instructions in C. The area starts
 * with struct pcpu_hot (mk64/percpu.h) and then struct cpu_stacks
 * (asm/stacktrace.h), so that their fields cost an MRS and a load, as a
 * global costs an ADRP and a load, and the vectors reach the stack bounds
 * with no register but the one they free (arch/arm64/entry.S).
 *
 * The per-CPU variables' template (section .data..percpu) is linked at
 * PERCPU_BASE, a 64 KiB-aligned hole in the kernel image's region that is
 * never mapped, and loaded inside .data at __per_cpu_load (linker.ld). So
 * a per-CPU pointer (&var, or what alloc_percpu() returns) is PERCPU_BASE
 * plus the variable's offset in every area: its low 16 bits are that
 * offset, and this CPU's copy is one ADD (extended register, UXTH) away
 * from TPIDR_EL1. Using a per-CPU pointer as a pointer faults.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <asm/memory.h>

#define PERCPU_BASE (KIMAGE_VADDR + UL(0x20000000))
/* Each CPU's area: the template, then the dynamic part; at most UXTH's reach. */
#define PERCPU_UNIT_SIZE (UL(64) * 1024)
#define PER_CPU_SECTION ".data..percpu"
/* struct pcpu_hot and struct cpu_stacks get the area's first bytes, in this order. */
#define PER_CPU_HOT_SECTION ".data..percpu..hot"
#define PER_CPU_STACKS_SECTION ".data..percpu..stacks"

/* Offsets in the area, for assembly (checked against the structures in C). */
#define PCPU_HOT_OFFSET 0
#define PCPU_HOT_CPU_NUMBER 0
#define PCPU_HOT_SIZE 128
#define PCPU_STACKS PCPU_HOT_SIZE

#ifndef __ASSEMBLY__
#include <mk64/compiler.h>
#include <mk64/types.h>

/* The template as linked (never mapped) and as loaded (in .data). */
extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_load[];

/*
 * The running CPU's area. Volatile, so that no read moves across, or is
 * reused after, set_my_cpu_area(): a non-volatile asm without memory
 * inputs is a constant to the compiler, which then keeps a read made
 * before the move (even across a call). Linux's way, a fake read of the
 * stack ("Q"(*sp)) ordered by the "memory" clobber below, costs more
 * here: a stack reference ends the fast paths' shrink-wrapping, and any
 * store may alias it (kmem_cache64_pair and kmalloc64_pair 45 -> 48 ns
 * under -icount; volatile: 45, and kmap_atomic_pair 38 -> 40 either way).
 */
static __always_inline unsigned long __my_cpu_area(void)
{
	unsigned long area;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(area));
	return area;
}

/* Makes area the running CPU's (boot CPU: setup_per_cpu_areas(); others: head.S). */
static inline void set_my_cpu_area(unsigned long area)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(area) : "memory");
}

/* The offset in every CPU's area of the per-CPU pointer ptr. */
static __always_inline unsigned long __pcpu_offset(const void *ptr)
{
	return (u16)(unsigned long)ptr;
}
#endif

#endif
