/*
 * Every CPU's interrupts and the cross-CPU calls (kernel/smp.c): each
 * online CPU takes its own timer interrupts at the tick's rate; each
 * answers calls, one at a time, all at once, with the caller included
 * (on_each_cpu), waited for or not, in the context Linux gives them;
 * a CPU that spins with interrupts masked (made to by the test through
 * its mailbox, released afterwards) is reported by name with the
 * function, the caller gets -ETIMEDOUT, and a call it never took never
 * runs; waiting with interrupts masked WARNs; a WARN in another CPU's
 * handler names that CPU and the handler goes on; and the two users of
 * the calls: drain_all_pages() empties every CPU's per-CPU lists, under
 * pressure too, and from reclaim on a secondary CPU, and SLUB's flush
 * gives up every CPU's slabs, each CPU its own, leaving those of a CPU
 * that does not answer untouched; SLUB's counts are each CPU's own,
 * taken while another CPU churns its slabs. A call a CPU took is waited
 * for to its end; a busy slot is waited for with interrupts on.
 *
 * Waits are bounded by the counter; every wait that must end does end
 * within its bound or the case fails.
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <mk64/errno.h>
#include <mk64/gfp.h>
#include <mk64/irq.h>
#include <mk64/jiffies.h>
#include <mk64/ktest.h>
#include <mk64/panic.h>
#include <mk64/percpu.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/shrinker.h>
#include <mk64/slab.h>
#include <mk64/slub_def.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "mm_helpers.h"

/* Generous: QEMU's CPUs take turns in one host thread. */
#define WAIT_NS 10000000000ull
/*
 * The timeout the cases that provoke one set, in ms: the CPUs that are not
 * held must still answer within it on a busy host.
 */
#define SHORT_TIMEOUT_MS 1000

static unsigned int need_secondaries(struct ktest *t)
{
	unsigned int n = num_online_cpus();

	if (n < 2)
		ktest_skip(t, "one CPU online");
	if (!irq_root_chip())
		ktest_skip(t, "no interrupt controller driver");
	return n;
}

/* The highest online CPU: a secondary one once need_secondaries() passed. */
static unsigned int last_cpu(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

/* Spins until *mask equals want or WAIT_NS pass; returns *mask. */
static cpumask_t wait_mask(const cpumask_t *mask, cpumask_t want)
{
	u64 start = arch_clock_ns();

	while (__atomic_load_n(mask, __ATOMIC_ACQUIRE) != want && arch_clock_ns() - start < WAIT_NS)
		cpu_relax();
	return __atomic_load_n(mask, __ATOMIC_ACQUIRE);
}

/* ---- every CPU's tick --------------------------------------------------------- */

#define TICK_WINDOW 20

/*
 * Over TICK_WINDOW periods of the counter, each online CPU takes about as
 * many timer interrupts of its own: at least half (QEMU runs a CPU's
 * interrupts when its turn comes), at most half again as many.
 */
static void every_cpu_takes_timer_interrupts(struct ktest *t)
{
	unsigned int irq = arch_timer_irq(), cpu;
	unsigned int before[NR_CPUS] = { 0 };
	u64 freq = read_sysreg(cntfrq_el0), start;

	need_secondaries(t);
	if (!irq)
		ktest_skip(t, "no tick");
	for_each_online_cpu(cpu)
		before[cpu] = kstat_irqs_cpu(irq, cpu);
	isb();
	start = read_sysreg(cntvct_el0);
	for (;;) {
		isb();
		if (read_sysreg(cntvct_el0) - start >= freq / HZ * TICK_WINDOW)
			break;
		cpu_relax();
	}
	for_each_online_cpu(cpu) {
		unsigned int took = kstat_irqs_cpu(irq, cpu) - before[cpu];

		ktest_info(t, "CPU%u: %u timer interrupts in %u ticks' time, %lu ticks in all", cpu,
			   took, TICK_WINDOW, tick_count_cpu(cpu));
		KTEST_EXPECT_GE(t, took, TICK_WINDOW / 2u);
		KTEST_EXPECT_LE(t, took, TICK_WINDOW * 3u / 2);
		KTEST_EXPECT_GE(t, tick_count_cpu(cpu), (unsigned long)TICK_WINDOW / 2);
	}
}

/* ---- calls and where they run ----------------------------------------------------- */

/* What a called function saw, on the CPU that ran it. */
struct call_seen {
	unsigned int cpu, calls;
	bool hardirq, irqs_disabled;
	int preempt;
};

static void record_call(void *info)
{
	struct call_seen *seen = &((struct call_seen *)info)[smp_processor_id()];

	seen->cpu = smp_processor_id();
	seen->hardirq = in_hardirq();
	seen->irqs_disabled = irqs_disabled();
	seen->preempt = preempt_count();
	__atomic_store_n(&seen->calls, seen->calls + 1, __ATOMIC_RELEASE);
}

/* The CPUs that were called, one bit each. */
static void mark_cpu(void *info)
{
	__atomic_fetch_or((cpumask_t *)info, cpumask_of(smp_processor_id()), __ATOMIC_RELEASE);
}

/*
 * Each CPU runs a function sent to it alone in its interrupt handler
 * (hardirq count, interrupts masked); the caller's own CPU runs it
 * directly, interrupts masked, in process context, as Linux's. Offline
 * CPUs are refused.
 */
static void call_single_each_cpu(struct ktest *t)
{
	static struct call_seen seen[NR_CPUS];
	unsigned int cpu, self = smp_processor_id();

	need_secondaries(t);
	memset(seen, 0, sizeof(seen));
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_call, seen, true), 0);
		KTEST_EXPECT_EQ(t, seen[cpu].calls, 1u);
		KTEST_EXPECT_EQ(t, seen[cpu].cpu, cpu);
		KTEST_EXPECT_TRUE(t, seen[cpu].irqs_disabled);
		KTEST_EXPECT_EQ(t, seen[cpu].hardirq, cpu != self);
		KTEST_EXPECT_EQ(t, seen[cpu].preempt, cpu != self ? HARDIRQ_OFFSET : 0);
	}
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	for (cpu = 0; cpu <= NR_CPUS; cpu++)
		if (!cpu_online(cpu))
			KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_call, seen, true),
					-ENXIO);
	/* Without waiting: the call returns at once, the function runs soon after. */
	cpu = last_cpu();
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_call, seen, false), 0);
	{
		u64 start = arch_clock_ns();

		while (__atomic_load_n(&seen[cpu].calls, __ATOMIC_ACQUIRE) < 2 &&
		       arch_clock_ns() - start < WAIT_NS)
			cpu_relax();
	}
	KTEST_EXPECT_EQ(t, __atomic_load_n(&seen[cpu].calls, __ATOMIC_ACQUIRE), 2u);
	KTEST_EXPECT_TRUE(t, seen[cpu].hardirq);
}

/* smp_call_function(): every other online CPU, not the caller; waited for or not. */
static void call_function_others(struct ktest *t)
{
	cpumask_t others = cpu_online_mask() & ~cpumask_of(smp_processor_id()), called = 0;

	need_secondaries(t);
	KTEST_EXPECT_EQ(t, smp_call_function(mark_cpu, &called, true), 0);
	KTEST_EXPECT_EQ(t, called, others);
	called = 0;
	KTEST_EXPECT_EQ(t, smp_call_function(mark_cpu, &called, false), 0);
	KTEST_EXPECT_EQ(t, wait_mask(&called, others), others);
}

/*
 * on_each_cpu(): every online CPU, the caller included, which runs it
 * with interrupts masked, as Linux's; waited for or not.
 */
static void on_each_cpu_includes_caller(struct ktest *t)
{
	static struct call_seen seen[NR_CPUS];
	unsigned int self = smp_processor_id(), cpu;
	cpumask_t called = 0;

	need_secondaries(t);
	memset(seen, 0, sizeof(seen));
	KTEST_EXPECT_EQ(t, on_each_cpu(record_call, seen, true), 0);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, seen[cpu].calls, 1u);
		KTEST_EXPECT_TRUE(t, seen[cpu].irqs_disabled);
		KTEST_EXPECT_EQ(t, seen[cpu].hardirq, cpu != self);
	}
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, on_each_cpu(mark_cpu, &called, false), 0);
	/* The caller's own run is done on return even without waiting. */
	KTEST_EXPECT_TRUE(t, __atomic_load_n(&called, __ATOMIC_ACQUIRE) & cpumask_of(self));
	KTEST_EXPECT_EQ(t, wait_mask(&called, cpu_online_mask()), cpu_online_mask());
}

static bool odd_cpu(int cpu, void *info)
{
	(void)info;
	return cpu & 1;
}

/* A mask, and a condition, pick the CPUs: no other runs the function. */
static void call_many_by_mask_and_cond(struct ktest *t)
{
	cpumask_t odd = cpu_online_mask() & 0xaaaaaaaaaaaaaaaaul, called = 0;
	cpumask_t some = cpumask_of(0) | cpumask_of(last_cpu());

	need_secondaries(t);
	KTEST_EXPECT_EQ(t, smp_call_function_many(some, mark_cpu, &called, true), 0);
	KTEST_EXPECT_EQ(t, called, cpumask_of(last_cpu()));
	called = 0;
	KTEST_EXPECT_EQ(t, on_each_cpu_mask(some, mark_cpu, &called, true), 0);
	KTEST_EXPECT_EQ(t, called, some);
	called = 0;
	KTEST_EXPECT_EQ(t, on_each_cpu_cond(odd_cpu, mark_cpu, &called, true), 0);
	KTEST_EXPECT_EQ(t, called, odd);
	called = 0;
	KTEST_EXPECT_EQ(t, smp_call_function_many(0, mark_cpu, &called, true), 0);
	KTEST_EXPECT_EQ(t, called, 0ul);
}

/* ---- a CPU that does not answer ------------------------------------------------- */

/* A CPU held in a mailbox function with interrupts masked, until released. */
struct hold {
	cpumask_t held;		/* 1 once the CPU spins */
	int release;
};

static void hold_irqs_masked(void *arg)
{
	struct hold *h = arg;
	unsigned long flags;

	local_irq_save(flags);
	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&h->release, __ATOMIC_ACQUIRE))
		cpu_relax();
	local_irq_restore(flags);
}

/* Makes cpu spin with interrupts masked; false (and the case failed) if it did not. */
static bool hold_cpu(struct ktest *t, unsigned int cpu, struct hold *h)
{
	*h = (struct hold){ 0, 0 };
	KTEST_EXPECT_EQ(t, smp_mailbox_post(cpu, hold_irqs_masked, h), 0);
	KTEST_EXPECT_EQ(t, wait_mask(&h->held, 1), 1ul);
	return __atomic_load_n(&h->held, __ATOMIC_ACQUIRE);
}

static void release_cpu(struct ktest *t, unsigned int cpu, struct hold *h)
{
	__atomic_store_n(&h->release, 1, __ATOMIC_RELEASE);
	KTEST_EXPECT_EQ(t, smp_mailbox_wait(cpu, WAIT_NS), 0);
}

static void count_call(void *info)
{
	__atomic_fetch_add((int *)info, 1, __ATOMIC_RELAXED);
}

static void do_nothing(void *info)
{
	(void)info;
}

/*
 * With one CPU spinning, interrupts masked: a waited call to it comes
 * back -ETIMEDOUT, reported (CPU, caller, function's symbol) and
 * withdrawn, so it never runs there; on_each_cpu() still reaches the
 * others; a call left queued without waiting keeps the caller's slot
 * for that CPU, so the next call is refused with a report, and runs once
 * the CPU is released. Afterwards the CPU answers again.
 */
static void unanswered_call_reported(struct ktest *t)
{
	const char *mark = "smp_call test: unanswered";
	unsigned long old_timeout = csd_lock_timeout_ms;
	unsigned int cpu, self = smp_processor_id();
	cpumask_t called = 0;
	char line[96];
	struct hold h;
	int runs = 0;

	need_secondaries(t);
	cpu = last_cpu();
	if (!hold_cpu(t, cpu, &h)) {
		release_cpu(t, cpu, &h);
		return;
	}
	csd_lock_timeout_ms = SHORT_TIMEOUT_MS;
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, true), -ETIMEDOUT);
	snprintf(line, sizeof(line), "smp: CPU%u did not answer a cross-CPU call from CPU%u to count_call+0x",
		 cpu, self);
	KTEST_EXPECT_EQ(t, log_count_after(mark, line), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "never took the call"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, " unanswered_call_reported+"), 1);
	KTEST_EXPECT_EQ(t, on_each_cpu(mark_cpu, &called, true), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, called, cpu_online_mask() & ~cpumask_of(cpu));
	KTEST_EXPECT_EQ(t, log_count_after(mark, "never took the call"), 2);
	/* Not waited for: queued; the next call finds the slot still taken. */
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, false), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, true), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "still holds this CPU's earlier call"), 1);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&runs, __ATOMIC_RELAXED), 0);
	csd_lock_timeout_ms = old_timeout;
	release_cpu(t, cpu, &h);
	/* Calls run in order: once this one is answered, the queued one ran, the withdrawn never. */
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, do_nothing, NULL, true), 0);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&runs, __ATOMIC_RELAXED), 1);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, true), 0);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&runs, __ATOMIC_RELAXED), 2);
}

/* Keeps its CPU in the call until a deadline, then writes into the caller's frame. */
struct slow_call {
	u64 until;
	int done;
};

static void slow_call(void *info)
{
	struct slow_call *s = info;

	while (arch_clock_ns() < s->until)
		cpu_relax();
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

/*
 * A call the target took and still runs when the timeout passes is
 * waited for to its end (its function writes into the caller's frame):
 * reported once per timeout ("still waiting"), then answered, and the
 * caller gets 0; the slot is free for the next call.
 */
static void running_call_waited_for(struct ktest *t)
{
	const char *mark = "smp_call test: running call";
	unsigned long old_timeout = csd_lock_timeout_ms;
	unsigned int cpu, self = smp_processor_id();
	struct slow_call s = { 0 };
	int err, runs = 0;
	char line[112];
	long reports;

	need_secondaries(t);
	cpu = last_cpu();
	csd_lock_timeout_ms = SHORT_TIMEOUT_MS;
	printk(KERN_INFO "%s\n", mark);
	/* Two and a half timeouts: two reports at most. */
	s.until = arch_clock_ns() + SHORT_TIMEOUT_MS * 2500000ull;
	err = smp_call_function_single(cpu, slow_call, &s, true);
	csd_lock_timeout_ms = old_timeout;
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&s.done, __ATOMIC_ACQUIRE), 1);
	snprintf(line, sizeof(line), "smp: CPU%u took the call and is still running slow_call+0x", cpu);
	reports = log_count_after(mark, line);
	KTEST_EXPECT_GE(t, reports, 1l);
	KTEST_EXPECT_LE(t, reports, 2l);
	snprintf(line, sizeof(line), "smp: CPU%u did not answer a cross-CPU call from CPU%u to slow_call+0x",
		 cpu, self);
	KTEST_EXPECT_EQ(t, log_count_after(mark, line), reports);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "never took the call"), 0);
	snprintf(line, sizeof(line), "smp: CPU%u answered the cross-CPU call from CPU%u after ", cpu, self);
	KTEST_EXPECT_EQ(t, log_count_after(mark, line), 1);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, true), 0);
	KTEST_EXPECT_EQ(t, runs, 1);
}

/* Releases a held CPU at the second tick of one CPU after it is set. */
struct tick_release {
	struct hold *h;
	unsigned int cpu;
	unsigned int ticks;
};

static void release_at_second_tick(void *arg)
{
	struct tick_release *r = arg;

	if (smp_processor_id() != r->cpu)
		return;
	if (__atomic_add_fetch(&r->ticks, 1, __ATOMIC_RELAXED) == 2)
		__atomic_store_n(&r->h->release, 1, __ATOMIC_RELEASE);
}

/*
 * Waiting for a busy slot leaves the caller's interrupts as they were:
 * with this CPU's slot for a held CPU taken by a call not waited for, a
 * second call waits for it, and meanwhile this CPU's own tick releases
 * the held CPU, which then takes both. Were interrupts masked for that
 * wait (two CPUs calling each other would stall each other so), the tick
 * would not come and the call would be refused after the timeout.
 */
static void busy_slot_wait_takes_interrupts(struct ktest *t)
{
	const char *mark = "smp_call test: busy slot";
	unsigned long old_timeout = csd_lock_timeout_ms;
	struct tick_release r = { 0 };
	int err = -1, hook_err = -1, runs = 0;
	unsigned int cpu;
	struct hold h;

	need_secondaries(t);
	if (!arch_timer_irq())
		ktest_skip(t, "no timer interrupt");
	cpu = last_cpu();
	if (!hold_cpu(t, cpu, &h)) {
		release_cpu(t, cpu, &h);
		return;
	}
	csd_lock_timeout_ms = SHORT_TIMEOUT_MS;
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, count_call, &runs, false), 0);
	r = (struct tick_release){ .h = &h, .cpu = smp_processor_id() };
	if (!tick_set_hook(release_at_second_tick, &r)) {
		err = smp_call_function_single(cpu, count_call, &runs, false);
		hook_err = tick_set_hook(NULL, NULL);
	}
	csd_lock_timeout_ms = old_timeout;
	release_cpu(t, cpu, &h);
	KTEST_EXPECT_EQ(t, hook_err, 0);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_GE(t, __atomic_load_n(&r.ticks, __ATOMIC_RELAXED), 2u);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "still holds this CPU's earlier call"), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, do_nothing, NULL, true), 0);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&runs, __ATOMIC_RELAXED), 2);
}

/*
 * A call from process context with interrupts masked is a deadlock risk,
 * whether it waits for the answer or (for its slot) may have to: a
 * WARNING, once, and the call still made.
 */
static void wait_with_irqs_masked_warns(struct ktest *t)
{
	const char *mark = "smp_call test: masked wait";
	unsigned long flags;
	int runs = 0, err;

	need_secondaries(t);
	printk(KERN_INFO "%s\n", mark);
	local_irq_save(flags);
	err = smp_call_function_single(last_cpu(), count_call, &runs, false);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single(last_cpu(), do_nothing, NULL, true), 0);
	KTEST_EXPECT_EQ(t, runs, 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "may wait for its slot with interrupts disabled: deadlock risk"), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "WARNING: CPU: "), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "WARN_ON(irqs_disabled())"), 1);
	/* Once: waiting with interrupts masked does not warn again; with them on, never. */
	local_irq_save(flags);
	err = smp_call_function_single(last_cpu(), count_call, &runs, true);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, runs, 2);
	KTEST_EXPECT_EQ(t, smp_call_function_single(last_cpu(), count_call, &runs, true), 0);
	KTEST_EXPECT_EQ(t, runs, 3);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "WARNING: CPU: "), 1);
}

struct warn_probe {
	unsigned int line;
	bool went_on, hardirq;
};

static void warn_here(void *info)
{
	struct warn_probe *w = info;

	w->line = __LINE__ + 1;
	WARN_ON(w->line);
	w->hardirq = in_hardirq();
	w->went_on = true;
}

/*
 * A WARN in a function another CPU runs in its interrupt handler: the
 * report names that CPU and the site, and the handler goes on.
 */
static void warn_in_handler_names_cpu(struct ktest *t)
{
	const char *mark = "smp_call test: warn in handler";
	struct warn_probe w = { 0 };
	unsigned int cpu;
	char line[96];

	need_secondaries(t);
	cpu = last_cpu();
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, warn_here, &w, true), 0);
	KTEST_EXPECT_TRUE(t, w.went_on);
	KTEST_EXPECT_TRUE(t, w.hardirq);
	snprintf(line, sizeof(line), "WARNING: CPU: %u PID: 0 at tests/kernel/test_smp_call.c:%u warn_here+",
		 cpu, w.line);
	KTEST_EXPECT_EQ(t, log_count_after(mark, line), 1);
	KTEST_EXPECT_EQ(t, log_count_after(mark, "Internal error"), 0);
}

/* ---- drain_all_pages() ----------------------------------------------------------- */

#define FILL_PAGES 4

/* Allocates and frees a few pages: the running CPU's list of their zone fills. */
static void fill_pcp(void *arg)
{
	struct page *pages[FILL_PAGES];

	(void)arg;
	for (int i = 0; i < FILL_PAGES; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < FILL_PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
}

/* Runs fn(arg) on every online CPU in process context (the mailboxes), the caller last. */
static void on_all_in_process(struct ktest *t, void (*fn)(void *arg), void *arg)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			KTEST_EXPECT_EQ(t, smp_mailbox_call(cpu, fn, arg, WAIT_NS), 0);
	fn(arg);
}

static long pcp_pages(unsigned int cpu)
{
	long pages = 0;
	int nid;

	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			pages += READ_ONCE(per_cpu_ptr(NODE_DATA(nid)->node_zones[z].per_cpu_pageset, cpu)->count);
	return pages;
}

/*
 * Every CPU's lists hold pages; drain_all_pages() from this CPU empties
 * them all, and exactly the pages they held come back to the buddy
 * allocator's free count.
 */
static void drain_all_pages_empties_every_cpu(struct ktest *t)
{
	unsigned long free_before;
	long held = 0;
	unsigned int cpu;

	need_secondaries(t);
	need_nodes(t);
	on_all_in_process(t, fill_pcp, NULL);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_GT(t, pcp_pages(cpu), 0l);
		held += pcp_pages(cpu);
	}
	free_before = nr_free_pages();
	drain_all_pages(NULL);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, pcp_pages(cpu), 0l);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before + (unsigned long)held);
}

/* Reclaim's entry, with its drain, on the CPU that runs it (a mailbox). */
static void reclaim_here(void *arg)
{
	int *ran_as_reclaimer = arg;

	try_to_free_pages(GFP_KERNEL, 0, numa_node_id());
	*ran_as_reclaimer = !(current->flags & PF_MEMALLOC) && current->comm &&
			    !strncmp(current->comm, "swapper/", 8);
}

/*
 * Reclaim on a secondary CPU, in its own context (swapper/N), drains
 * every CPU's lists, the boot CPU's too, which answers while it waits for
 * the mailbox.
 */
static void secondary_reclaim_drains_every_cpu(struct ktest *t)
{
	unsigned int cpu;
	int ok = 0;

	need_secondaries(t);
	need_nodes(t);
	on_all_in_process(t, fill_pcp, NULL);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_GT(t, pcp_pages(cpu), 0l);
	KTEST_EXPECT_EQ(t, smp_mailbox_call(last_cpu(), reclaim_here, &ok, WAIT_NS), 0);
	KTEST_EXPECT_TRUE(t, ok);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, pcp_pages(cpu), 0l);
}

struct remote_free {
	struct page *page;
};

static void free_on_cpu(void *arg)
{
	__free_page(((struct remote_free *)arg)->page);
}

/*
 * Under pressure: with the buddy allocator at min, the one free page is
 * on another CPU's list. A request that may not reclaim fails; one that
 * may gets it back through reclaim's drain, which that CPU runs, and
 * every other CPU's lists are empty afterwards.
 */
static void drain_under_pressure_reaches_other_cpus(struct ktest *t)
{
	struct remote_free rf;
	struct page *got;
	unsigned int cpu, other;
	LIST_HEAD(taken);
	bool ready;

	need_secondaries(t);
	need_nodes(t);
	other = last_cpu();
	rf.page = alloc_pages_node(cpu_to_node(other), GFP_KERNEL | __GFP_THISNODE, 0);
	KTEST_ASSERT_TRUE(t, rf.page != NULL);
	ready = take_zones(cpu_to_node(other), ZONE_NORMAL, false, TAKE_TO_MIN, &taken);
	KTEST_EXPECT_EQ(t, smp_mailbox_call(other, free_on_cpu, &rf, WAIT_NS), 0);
	if (ready) {
		KTEST_EXPECT_EQ(t, pcp_pages(other), 1l);
		got = alloc_pages_node(cpu_to_node(other), GFP_NOWAIT | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, got == NULL);
		if (got)
			__free_pages(got, 0);
		got = alloc_pages_node(cpu_to_node(other), GFP_KERNEL | __GFP_NOWARN, 0);
		KTEST_EXPECT_TRUE(t, got != NULL);
		for_each_online_cpu(cpu)
			if (cpu != smp_processor_id())
				KTEST_EXPECT_EQ(t, pcp_pages(cpu), 0l);
		if (got) {
			KTEST_EXPECT_TRUE(t, page_zone(got) == page_zone(rf.page));
			__free_pages(got, 0);
		}
	}
	release_all(&taken);
	KTEST_EXPECT_TRUE(t, ready);
}

/* ---- SLUB's flush of every CPU ----------------------------------------------------- */

#define FLUSH_OBJECT_SIZE 256

static struct kmem_cache *flush_cache;

/* Allocates objects of three slabs and frees them: the running CPU holds slabs. */
static void use_flush_cache(void *arg)
{
	unsigned int n = 3 * 4096 / FLUSH_OBJECT_SIZE;
	void *objs[3 * 4096 / FLUSH_OBJECT_SIZE];

	(void)arg;
	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(flush_cache, GFP_KERNEL);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(flush_cache, objs[i]);
}

static bool holds_slabs(unsigned int cpu)
{
	const struct kmem_cache_cpu *c = per_cpu_ptr(flush_cache->cpu_slab, cpu);

	return READ_ONCE(c->page) || READ_ONCE(c->partial);
}

/*
 * Every CPU holds slabs of a cache; kmem_cache_shrink() from this CPU
 * makes each give them up and frees every slab. A CPU that does not
 * answer keeps its own untouched (-ETIMEDOUT, reported), its slabs are
 * not counted by another (slab_objects_in_use() reports it), and
 * kmem_cache_destroy() keeps the cache then; once released, all work.
 */
static void slub_flush_reaches_every_cpu(struct ktest *t)
{
	const char *mark = "smp_call test: slub flush";
	unsigned long old_timeout = csd_lock_timeout_ms;
	unsigned int cpu, held;
	struct page *page;
	struct hold h;

	need_secondaries(t);
	flush_cache = kmem_cache_create("smp_call_flush", FLUSH_OBJECT_SIZE, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, flush_cache != NULL);
	on_all_in_process(t, use_flush_cache, NULL);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_TRUE(t, holds_slabs(cpu));
	KTEST_EXPECT_GT(t, slab_pages(flush_cache), 0ul);
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(flush_cache), 0);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_FALSE(t, holds_slabs(cpu));
	KTEST_EXPECT_EQ(t, slab_pages(flush_cache), 0ul);

	/* A CPU that does not answer keeps its slabs; the others give theirs up. */
	on_all_in_process(t, use_flush_cache, NULL);
	held = last_cpu();
	page = per_cpu_ptr(flush_cache->cpu_slab, held)->page;
	KTEST_EXPECT_TRUE(t, page != NULL);
	if (hold_cpu(t, held, &h)) {
		csd_lock_timeout_ms = SHORT_TIMEOUT_MS;
		printk(KERN_INFO "%s\n", mark);
		KTEST_EXPECT_EQ(t, kmem_cache_shrink(flush_cache), -ETIMEDOUT);
		KTEST_EXPECT_EQ(t, log_count_after(mark, "to flush_cpu_slab+0x"), 1);
		for_each_online_cpu(cpu)
			KTEST_EXPECT_EQ(t, holds_slabs(cpu), cpu == held);
		KTEST_EXPECT_TRUE(t, per_cpu_ptr(flush_cache->cpu_slab, held)->page == page);
		/* Its slabs are counted by it alone: not while it does not answer. */
		slab_objects_in_use(flush_cache);
		KTEST_EXPECT_EQ(t, log_count_after(mark, "to count_cpu_in_use+0x"), 1);
		kmem_cache_destroy(flush_cache);
		KTEST_EXPECT_EQ(t, log_count_after(mark, "kmem_cache_destroy smp_call_flush: a CPU did not give up its slabs of the cache; cache kept"), 1);
		csd_lock_timeout_ms = old_timeout;
	}
	release_cpu(t, held, &h);
	KTEST_EXPECT_EQ(t, kmem_cache_shrink(flush_cache), 0);
	KTEST_EXPECT_FALSE(t, holds_slabs(held));
	KTEST_EXPECT_EQ(t, slab_pages(flush_cache), 0ul);
	kmem_cache_destroy(flush_cache);
	flush_cache = NULL;
}

/* ---- SLUB's counts while another CPU changes its slabs ------------------------- */

#define CHURN_MAX 512
#define CHURN_ROUNDS 200

struct churn {
	struct kmem_cache *s;
	unsigned int nr;	/* objects held at most */
	int done;
};

/*
 * Allocates nr objects and frees them, first one of each slab (each full
 * slab goes onto the CPU's partial list, which overflows onto the node's),
 * then the rest: slabs keep going onto that list and off it.
 */
static void churn_slabs(void *arg)
{
	static void *objs[CHURN_MAX];
	struct churn *c = arg;
	unsigned int step = c->s->objects;

	for (int round = 0; round < CHURN_ROUNDS; round++) {
		for (unsigned int i = 0; i < c->nr; i++)
			objs[i] = kmem_cache_alloc(c->s, GFP_KERNEL);
		for (unsigned int first = 0; first < step; first++)
			for (unsigned int i = first; i < c->nr; i += step)
				kmem_cache_free(c->s, objs[i]);
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

/*
 * slab_objects_in_use() and slab_empty_pages() from this CPU while
 * another allocates and frees on a cache of its own: each CPU counts its
 * own slabs, so no count follows a partial list its CPU is changing (a
 * slab unfrozen meanwhile would lead the walk into a node's list or a
 * freed page: a count far off, a fault or an endless loop). The counts
 * stay within what the other CPU can hold, give or take the slabs moving
 * between its lists and its node's while counted; exact once it stops.
 */
static void slab_counts_while_other_cpu_churns(struct ktest *t)
{
	struct churn c = { 0 };
	long lo = 0, hi = 0, slack;
	unsigned long counts = 0;
	unsigned int cpu;

	need_secondaries(t);
	c.s = kmem_cache_create("smp_call_churn", 256, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, c.s != NULL);
	slack = (long)c.s->objects * (c.s->cpu_partial_slabs + 2);
	c.nr = min(c.s->objects * (c.s->cpu_partial_slabs + 4), (unsigned int)CHURN_MAX);
	cpu = last_cpu();
	KTEST_EXPECT_EQ(t, smp_mailbox_post(cpu, churn_slabs, &c), 0);
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE)) {
		long in_use = slab_objects_in_use(c.s);

		lo = min(lo, in_use);
		hi = max(hi, in_use);
		slab_empty_pages();
		counts++;
	}
	KTEST_EXPECT_EQ(t, smp_mailbox_wait(cpu, WAIT_NS), 0);
	ktest_info(t, "%lu counts, in use from %ld to %ld", counts, lo, hi);
	KTEST_EXPECT_GE(t, lo, -slack);
	KTEST_EXPECT_LE(t, hi, (long)c.nr + slack);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(c.s), 0l);
	kmem_cache_destroy(c.s);
}

KTEST_SUITE(smp_call, KTEST_CASE(every_cpu_takes_timer_interrupts),
	    KTEST_CASE(call_single_each_cpu), KTEST_CASE(call_function_others),
	    KTEST_CASE(on_each_cpu_includes_caller), KTEST_CASE(call_many_by_mask_and_cond),
	    KTEST_CASE(unanswered_call_reported), KTEST_CASE(running_call_waited_for),
	    KTEST_CASE(busy_slot_wait_takes_interrupts), KTEST_CASE(wait_with_irqs_masked_warns),
	    KTEST_CASE(warn_in_handler_names_cpu),
	    KTEST_CASE(drain_all_pages_empties_every_cpu),
	    KTEST_CASE(drain_under_pressure_reaches_other_cpus),
	    KTEST_CASE(secondary_reclaim_drains_every_cpu),
	    KTEST_CASE(slub_flush_reaches_every_cpu),
	    KTEST_CASE(slab_counts_while_other_cpu_churns));
