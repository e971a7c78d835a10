/*
 * Per-CPU variables with Linux's names and meanings.
 *
 * DEFINE_PER_CPU(type, name) puts name in the template that every CPU's
 * area is copied from (setup_per_cpu_areas()); alloc_percpu() takes room
 * at the same offset in every area. Either way the program holds a
 * per-CPU pointer (&name, or alloc_percpu()'s result), which is never
 * dereferenced itself (in the kernel that faults: asm/percpu.h):
 * this_cpu_ptr() turns it into the running CPU's copy, per_cpu_ptr() into
 * any CPU's.
 *
 * What the accessors guarantee, with no scheduler (code never moves to
 * another CPU) and no LSE atomics (ARMv8.0):
 *   this_cpu_read(), this_cpu_write(): one load or store of a naturally
 *     aligned variable of at most 8 bytes: an interrupt sees the value
 *     before or after, never half of it. Safe anywhere.
 *   this_cpu_add/sub/inc/dec(): a read-modify-write with interrupts masked
 *     around it (Linux's generic fallback; an LL/SC loop would be no
 *     cheaper), so an interrupt handler updating the same variable on
 *     this CPU loses no update. Safe anywhere, interrupt handlers
 *     included; not against other CPUs (a CPU's copy is its own).
 *   raw_cpu_*(): the plain access, no masking: for callers that have
 *     interrupts masked, or whose variable no interrupt handler writes
 *     (or writes back as it found it, as the preempt count).
 *   per_cpu(), per_cpu_ptr(): another CPU's copy, with no synchronisation
 *     with that CPU: the caller brings its own (a lock, or a cross-call
 *     that runs on that CPU instead, kernel/smp.c).
 *
 * struct pcpu_hot (Linux x86's name) holds the fields the fast paths read
 * on every call; it is first in every area, so that this_cpu_hot()
 * reaches them with no address to form (asm/percpu.h).
 */
#ifndef MK64_PERCPU_H
#define MK64_PERCPU_H

#include <asm/irqflags.h>
#include <asm/percpu.h>
#include <mk64/compiler.h>
#include <mk64/smp.h>
#include <mk64/types.h>

/* Marks per-CPU pointers, as Linux's (sparse's address space; nothing to the compiler). */
#define __percpu

#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name) __section(PER_CPU_SECTION) __typeof__(type) name
/* A cache line of its own in each area: no false sharing with the next variable. */
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(PER_CPU_SECTION) __aligned(64) __typeof__(type) name

/*
 * Added to a per-CPU pointer gives CPU cpu's copy (Linux's meaning); set
 * for each possible CPU by setup_per_cpu_areas() (mm/percpu.c).
 */
extern unsigned long __per_cpu_offset[NR_CPUS];
#define per_cpu_offset(cpu) (__per_cpu_offset[cpu])

/*
 * The CPUs with an area: in the kernel the possible ones (nr_cpu_ids,
 * from setup_per_cpu_areas() on), on the host all NR_CPUS it may play.
 */
extern unsigned int pcpu_nr_units;
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < pcpu_nr_units; (cpu)++)

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __per_cpu_offset[cpu]))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), cpu))

/* The running CPU's copy: an MRS and an ADD (asm/percpu.h). */
#define raw_cpu_ptr(ptr) ((__typeof__(ptr))(__my_cpu_area() + __pcpu_offset(ptr)))
#define this_cpu_ptr(ptr) raw_cpu_ptr(ptr)

#define raw_cpu_read(pcp) (*raw_cpu_ptr(&(pcp)))
#define raw_cpu_write(pcp, val) ((void)(*raw_cpu_ptr(&(pcp)) = (val)))
#define raw_cpu_add(pcp, val) ((void)(*raw_cpu_ptr(&(pcp)) += (val)))
#define raw_cpu_sub(pcp, val) raw_cpu_add(pcp, -(val))
#define raw_cpu_inc(pcp) raw_cpu_add(pcp, 1)
#define raw_cpu_dec(pcp) raw_cpu_sub(pcp, 1)

#define this_cpu_read(pcp) READ_ONCE(*raw_cpu_ptr(&(pcp)))
#define this_cpu_write(pcp, val) WRITE_ONCE(*raw_cpu_ptr(&(pcp)), (val))
#define this_cpu_add(pcp, val)                                                  \
	do {                                                                    \
		unsigned long flags_;                                           \
		local_irq_save(flags_);                                         \
		raw_cpu_add(pcp, val);                                          \
		local_irq_restore(flags_);                                      \
	} while (0)
#define this_cpu_sub(pcp, val) this_cpu_add(pcp, -(val))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp) this_cpu_sub(pcp, 1)

struct kmem_cache;
struct kmem_cache_cpu;

/*
 * A CPU's kmap_local stack (mk64/highmem.h), in slot numbers of all CPUs'
 * kmap_local slots: [first, next) mapped, first = cpu * KM_MAX_IDX, limit
 * = first + KM_MAX_IDX; ptes points at the entry of slot 0; pte_bias turns
 * a struct page's address into its entry (kmap_pte()). Only mm/highmem.c
 * and the inline fast paths of mk64/highmem.h touch it.
 */
struct kmap_local_cpu {
	/* in this order: unmapping loads first and next, mapping next and limit, each one LDP */
	unsigned long first, next, limit;
	u64 *ptes;
	u64 pte_bias;
};

/*
 * Each CPU's most used fields. Only their CPU writes them, except that
 * setup (smp.c) fills a secondary CPU's before starting it.
 */
struct pcpu_hot {
	unsigned int cpu_number;	/* smp_processor_id() */
	/* mk64/preempt.h; an interrupt handler leaves it as it found it */
	int preempt_count;
	/*
	 * The cache this CPU's kfree() tries first and this CPU's slabs of it
	 * (mm/slab_common.c): one LDP; written together with interrupts masked.
	 */
	struct kmem_cache *kfree_cache;
	struct kmem_cache_cpu *kfree_cpu_slab;
	int numa_node;			/* numa_node_id(): cpu_to_node() of this CPU */
	struct kmap_local_cpu kmap_local;
} __aligned(PCPU_HOT_SIZE);

DECLARE_PER_CPU(struct pcpu_hot, pcpu_hot);

static __always_inline struct pcpu_hot *this_cpu_hot(void)
{
	return (struct pcpu_hot *)(__my_cpu_area() + PCPU_HOT_OFFSET);
}

/*
 * Gives each possible CPU (nr_cpu_ids) its area, from memblock on the
 * CPU's node, a copy of the template; the boot CPU moves to its own.
 * Boot CPU, once, after free_area_init() and before the first
 * alloc_percpu() (kernel only: the host's areas are tests/host/cpu.c's).
 */
void setup_per_cpu_areas(void);

/*
 * Gives CPU cpu the area at area (PERCPU_UNIT_SIZE bytes): the template
 * copied in, the dynamic part zeroed. For setup_per_cpu_areas() and the
 * host's areas.
 */
void pcpu_setup_area(unsigned int cpu, void *area);

/*
 * size bytes (align a power of two up to 64) at one offset in every
 * possible CPU's area, zeroed in each: a per-CPU pointer, or NULL when
 * the areas' dynamic part has no such room (-ENOMEM). Never sleeps.
 */
void __percpu *__alloc_percpu(size_t size, size_t align);
#define alloc_percpu(type) ((type __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))

/* Gives back what __alloc_percpu() returned; NULL is ignored. Never sleeps. */
void free_percpu(void __percpu *ptr);

/* Bytes of the areas' dynamic part allocated now (for the tests' leak check). */
size_t pcpu_dynamic_used(void);
#endif
