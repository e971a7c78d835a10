/* ktest's platform hooks in the kernel: printk and the generic timer/PMU. */
#include <stdarg.h>
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <mk64/fault.h>
#include <mk64/ktest.h>
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/list.h>
#include <mk64/mmzone.h>
#include <mk64/preempt.h>
#include <mk64/percpu.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/vmalloc.h>

void ktest_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk(KERN_INFO "%s", line);
}

/*
 * Free pages per zone when the case started: a case gives back what it
 * takes. Pages on the per-CPU lists are free but not in NR_FREE_PAGES:
 * the lists are drained on both sides, so cases start with them empty.
 */
static unsigned long free_before[MAX_NUMNODES][MAX_NR_ZONES];
static unsigned int kmapped_before;
static size_t percpu_before;
static struct vmalloc_usage vmalloc_before;

/*
 * Pages a zone can give: its free pages and those its page tables took.
 * Page tables the kernel made during a case (vmalloc's, kept for reuse
 * as Linux keeps them) are no leak.
 */
static unsigned long zone_pages_accounted(const struct zone *zone)
{
	return zone_page_state(zone, NR_FREE_PAGES) + zone_page_state(zone, NR_PAGETABLE);
}

void ktest_case_start(void)
{
	int nid;

	vmalloc_usage(&vmalloc_before);
	ktest_slab_start();
	kmapped_before = nr_kmapped();
	percpu_before = pcpu_dynamic_used();
	drain_all_pages(NULL);
	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			free_before[nid][z] =
				zone_pages_accounted(&NODE_DATA(nid)->node_zones[z]);
}

/* Areas and their pages: a case frees what it vmalloc'd, vmapped or ioremapped. */
static void check_vmalloc(struct ktest *t)
{
	struct vmalloc_usage now;
	char area[160];

	vmalloc_usage(&now);
	if (now.nr_areas == vmalloc_before.nr_areas && now.nr_pages == vmalloc_before.nr_pages)
		return;
	if (!vmalloc_describe_newer(vmalloc_before.seq, area, sizeof(area)))
		area[0] = 0;
	ktest_fail(t, false, __FILE__, __LINE__,
		   "vmalloc leak: %ld areas and %ld pages more than before the case%s%s",
		   (long)(now.nr_areas - vmalloc_before.nr_areas),
		   (long)(now.nr_pages - vmalloc_before.nr_pages), area[0] ? "; first: " : "",
		   area);
}

/*
 * Fails the case when one of zone's per-CPU lists still holds a block
 * after drain_all_pages(): such pages are missing from NR_FREE_PAGES, so
 * a drain that forgets some would pass for a leak, or hide one.
 */
static void check_pcp_empty(struct ktest *t, const struct zone *zone)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
		unsigned int nonempty = 0;

		for (unsigned int o = 0; o < NR_PCP_LISTS; o++)
			nonempty |= !list_empty(&pcp->lists[o]) << o;
		if (pcp->count || nonempty)
			ktest_fail(t, false, __FILE__, __LINE__,
				   "per-CPU lists not empty after the drain: node %d zone %s cpu %u: count %d, lists of orders %#x not empty",
				   zone->node, zone->name, cpu, pcp->count, nonempty);
	}
}

void ktest_kmap_done(struct ktest *t)
{
	if (nr_kmap_local())
		ktest_fail(t, false, __FILE__, __LINE__,
			   "kmap_local leak: %u kmap_local/kmap_atomic slots left mapped on CPU %u",
			   kunmap_local_all(), smp_processor_id());
	if (nr_kmapped() != kmapped_before)
		ktest_fail(t, false, __FILE__, __LINE__,
			   "kmap leak: %u pages kmapped, %u before the case", nr_kmapped(),
			   kmapped_before);
}

void ktest_case_done(struct ktest *t)
{
	int nid;

	fault_expect_abandon();
	check_vmalloc(t);
	ktest_slab_done(t);
	drain_all_pages(NULL);
	for_each_online_node(nid) {
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			const struct zone *zone = &NODE_DATA(nid)->node_zones[z];
			long delta = (long)zone_pages_accounted(zone) - (long)free_before[nid][z];

			check_pcp_empty(t, zone);
			if (delta)
				ktest_fail(t, false, __FILE__, __LINE__,
					   "page leak: node %d zone %s has %ld free pages %s than before the case",
					   nid, zone->name, delta < 0 ? -delta : delta,
					   delta < 0 ? "fewer" : "more");
		}
	}
	ktest_kmap_done(t);
	if (pcpu_dynamic_used() != percpu_before)
		ktest_fail(t, false, __FILE__, __LINE__,
			   "per-CPU leak: %zu bytes of every area allocated, %zu before the case",
			   pcpu_dynamic_used(), percpu_before);
	/* A case that left a lock held or interrupts masked fails, and is undone. */
	if (preempt_count()) {
		ktest_fail(t, false, __FILE__, __LINE__,
			   "preempt count %d after the case: a lock left held", preempt_count());
		*preempt_count_ptr() = 0;
	}
	if (irqs_disabled()) {
		ktest_fail(t, false, __FILE__, __LINE__, "interrupts left masked after the case");
		local_irq_enable();
	}
}

u64 ktest_now_ns(void)
{
	return arch_clock_ns();
}

bool ktest_insns(u64 *count)
{
	return arch_insn_count(count);
}
