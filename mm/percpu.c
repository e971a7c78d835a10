/*
 * Per-CPU areas (mk64/percpu.h): each possible CPU's copy of the per-CPU
 * variables' template, and the dynamic part after it from which
 * alloc_percpu() gives every CPU room at the same offset (Linux's first
 * chunk with its dynamic reserve; there are no further chunks: when the
 * dynamic part is full, alloc_percpu() fails).
 *
 * The dynamic part is managed in 16-byte granules, first fit, one byte
 * of state each; allocations are rare (a cache, a zone's lists), so a
 * scan is cheap enough.
 */
#include <mk64/kernel.h>
#include <mk64/memblock.h>
#include <mk64/panic.h>
#include <mk64/percpu.h>
#include <mk64/printk.h>
#include <mk64/spinlock.h>
#include <mk64/string.h>
#include <mk64/topology.h>

#define PCPU_GRANULE 16
#define PCPU_GRANULES (PERCPU_UNIT_SIZE / PCPU_GRANULE)

enum { GRANULE_FREE, GRANULE_USED, GRANULE_LAST /* of an allocation */ };

/* First in every area (linker.ld): this_cpu_hot() needs no offset. */
__section(PER_CPU_HOT_SECTION) struct pcpu_hot pcpu_hot;

_Static_assert(__builtin_offsetof(struct pcpu_hot, cpu_number) == PCPU_HOT_CPU_NUMBER,
	       "asm/percpu.h");
_Static_assert(sizeof(struct pcpu_hot) == PCPU_HOT_SIZE, "asm/percpu.h");

unsigned long __per_cpu_offset[NR_CPUS];
unsigned int pcpu_nr_units;

static spinlock_t pcpu_lock = SPINLOCK_INIT;
/* The state of each granule of the areas; the template's are never free. */
static u8 pcpu_map[PCPU_GRANULES];
static size_t pcpu_used;

static unsigned long template_size(void)
{
	return ALIGN_UP((unsigned long)(__per_cpu_end - __per_cpu_start), PCPU_GRANULE);
}

void pcpu_setup_area(unsigned int cpu, void *area)
{
	unsigned long size = template_size();

	if (size > PERCPU_UNIT_SIZE)
		panic("percpu: the template (%lu bytes) is larger than an area", size);
	memcpy(area, __per_cpu_load, (size_t)(__per_cpu_end - __per_cpu_start));
	memset((char *)area + (__per_cpu_end - __per_cpu_start), 0,
	       PERCPU_UNIT_SIZE - (unsigned long)(__per_cpu_end - __per_cpu_start));
	__per_cpu_offset[cpu] = (unsigned long)area - (unsigned long)__per_cpu_start;
	per_cpu(pcpu_hot, cpu).cpu_number = cpu;
	per_cpu(pcpu_hot, cpu).numa_node = cpu_to_node(cpu);
	if (cpu >= pcpu_nr_units)
		pcpu_nr_units = cpu + 1;
	/* The template, as one allocation that is never freed. */
	memset(pcpu_map, GRANULE_USED, size / PCPU_GRANULE);
	pcpu_map[size / PCPU_GRANULE - 1] = GRANULE_LAST;
}

#ifndef MK64_HOST
void setup_per_cpu_areas(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		int nid = cpu_to_node(cpu);
		phys_addr_t pa = memblock_phys_alloc_try_nid(PERCPU_UNIT_SIZE, PAGE_SIZE,
							     nid == NUMA_NO_NODE ? 0 : nid);

		if (!pa)
			panic("percpu: no memory for CPU %u's area", cpu);
		pcpu_setup_area(cpu, __va(pa));
	}
	/*
	 * The boot CPU ran on the template until now: its copy has what it
	 * set (stack bounds, counts), the others' are set up before they
	 * start. From here the template is only read.
	 */
	set_my_cpu_area((unsigned long)__per_cpu_start + __per_cpu_offset[0]);
	pr_info("percpu: %u areas of %lu KiB (%lu bytes static, %lu dynamic), each on its CPU's node\n",
		nr_cpu_ids, PERCPU_UNIT_SIZE >> 10, template_size(),
		PERCPU_UNIT_SIZE - template_size());
}
#endif

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	unsigned long n = DIV_ROUND_UP(size ? size : 1, PCPU_GRANULE), step, flags;
	void __percpu *ptr = NULL;
	unsigned int cpu;

	if (!align || (align & (align - 1)) || align > 64)
		return NULL;
	step = align > PCPU_GRANULE ? align / PCPU_GRANULE : 1;
	spin_lock_irqsave(&pcpu_lock, flags);
	for (unsigned long g = 0; g + n <= PCPU_GRANULES; g += step) {
		unsigned long i = 0;

		while (i < n && pcpu_map[g + i] == GRANULE_FREE)
			i++;
		if (i < n)
			continue;
		memset(&pcpu_map[g], GRANULE_USED, n - 1);
		pcpu_map[g + n - 1] = GRANULE_LAST;
		pcpu_used += n * PCPU_GRANULE;
		ptr = (void __percpu *)(__per_cpu_start + g * PCPU_GRANULE);
		break;
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
	if (ptr)
		for (cpu = 0; cpu < pcpu_nr_units; cpu++)
			memset(per_cpu_ptr(ptr, cpu), 0, n * PCPU_GRANULE);
	return ptr;
}

void free_percpu(void __percpu *ptr)
{
	unsigned long g, flags;

	if (!ptr)
		return;
	g = __pcpu_offset(ptr) / PCPU_GRANULE;
	spin_lock_irqsave(&pcpu_lock, flags);
	if (__pcpu_offset(ptr) % PCPU_GRANULE || g < template_size() / PCPU_GRANULE ||
	    g >= PCPU_GRANULES || pcpu_map[g] == GRANULE_FREE ||
	    (g && pcpu_map[g - 1] == GRANULE_USED)) {
		spin_unlock_irqrestore(&pcpu_lock, flags);
		pr_err("free_percpu: %#lx is not an allocation of alloc_percpu(); ignored\n",
		       (unsigned long)ptr);
		return;
	}
	for (;; g++) {
		u8 state = pcpu_map[g];

		pcpu_map[g] = GRANULE_FREE;
		pcpu_used -= PCPU_GRANULE;
		if (state == GRANULE_LAST)
			break;
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
}

size_t pcpu_dynamic_used(void)
{
	return READ_ONCE(pcpu_used);
}
