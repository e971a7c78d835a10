/*
 * Secondary CPUs (arch/arm64/smp.c): the CPUs a config starts are online
 * and the others are not (ktest.cpus=ONLINE/POSSIBLE, worked out by hand
 * in tests/configs.cfg), each CPU runs what its mailbox gets and reports
 * who it is from its own registers (MPIDR against the DT's reg), on its
 * own vmalloc'd stack with a guard page, with the boot CPU's translation
 * registers; each CPU is on the node the config says
 * (ktest.cpu_nodes=N,N,...) and allocates there; and every CPU at once
 * allocates, hands its objects to the next CPU and frees the next's.
 */
#include <asm/arch.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/errno.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/slab.h>
#include <mk64/slub_def.h>
#include <mk64/smp.h>
#include <mk64/string.h>
#include <mk64/topology.h>

/* Generous: QEMU's CPUs are threads sharing a busy host. */
#define CALL_TIMEOUT_NS 10000000000ull

/* What a CPU says about itself, read on that CPU. */
struct cpu_report {
	unsigned int id;
	int node;
	u64 mpidr, tpidr, sp, daif, current_el;
	u64 sctlr, tcr, mair, ttbr0, ttbr1;
	struct stack_info stack;
};

static void report_self(void *arg)
{
	struct cpu_report *r = arg;
	volatile char here = 0;

	r->id = smp_processor_id();
	r->node = numa_node_id();
	r->mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffULL;
	r->tpidr = read_sysreg(tpidr_el1);
	r->sp = (u64)&here;
	r->daif = read_sysreg(daif);
	r->current_el = read_sysreg(CurrentEL) >> 2;
	r->sctlr = read_sysreg(sctlr_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->mair = read_sysreg(mair_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->stack = this_cpu_stacks()->stack;
	(void)here;
}

static unsigned int need_secondaries(struct ktest *t)
{
	unsigned int n = num_online_cpus();

	if (n < 2)
		ktest_skip(t, "one CPU online");
	return n;
}

/* Runs fn(arg) on online secondary CPU cpu and waits for it. */
static void call_on(struct ktest *t, unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	KTEST_ASSERT_EQ(t, smp_mailbox_call(cpu, fn, arg, CALL_TIMEOUT_NS), 0);
}

/* ---- which CPUs are up ----------------------------------------------------- */

static void cpus_as_configured(struct ktest *t)
{
	char val[16], *end;
	unsigned long online, possible;
	unsigned int cpu, counted = 0;

	if (!cmdline_get(boot_info.cmdline, "ktest.cpus", val, sizeof(val)))
		ktest_skip(t, "no ktest.cpus= for this config");
	online = strtoul(val, &end, 10);
	KTEST_ASSERT_EQ(t, *end, '/');
	possible = strtoul(end + 1, NULL, 10);
	KTEST_EXPECT_EQ(t, num_online_cpus(), online);
	KTEST_EXPECT_EQ(t, nr_cpu_ids, possible);
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_LT(t, cpu, nr_cpu_ids);
		counted++;
	}
	KTEST_EXPECT_EQ(t, counted, online);
	KTEST_EXPECT_FALSE(t, cpu_online(NR_CPUS));
}

/* ---- each CPU, from its own registers --------------------------------------- */

static void each_cpu_reports_itself(struct ktest *t)
{
	static struct cpu_report reports[NR_CPUS];
	struct cpu_report boot;
	unsigned int cpu;

	need_secondaries(t);
	report_self(&boot);
	KTEST_EXPECT_EQ(t, boot.id, 0u);
	KTEST_EXPECT_EQ(t, boot.mpidr, cpu_logical_map(0));
	for_each_online_cpu(cpu) {
		struct cpu_report *r = &reports[cpu];

		if (!cpu)
			continue;
		memset(r, 0, sizeof(*r));
		call_on(t, cpu, report_self, r);
		KTEST_EXPECT_EQ(t, r->id, cpu);
		KTEST_EXPECT_EQ(t, r->mpidr, cpu_logical_map(cpu));
		/* TPIDR_EL1: its own per-CPU area, in the linear map on its node. */
		KTEST_EXPECT_EQ(t, r->tpidr, (u64)per_cpu_ptr(&pcpu_hot, cpu));
		KTEST_EXPECT_TRUE(t, virt_addr_is_linear(r->tpidr));
		if (virt_addr_is_linear(r->tpidr))
			KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page((void *)r->tpidr)),
					cpu_to_node(cpu));
		/* Its own stack, a vmalloc'd one of THREAD_SIZE, and sp on it. */
		KTEST_EXPECT_EQ(t, r->stack.high - r->stack.low, (u64)THREAD_SIZE);
		KTEST_EXPECT_GE(t, r->stack.low, VMALLOC_START);
		KTEST_EXPECT_LT(t, r->stack.high, VMALLOC_END);
		KTEST_EXPECT_TRUE(t, r->sp >= r->stack.low && r->sp < r->stack.high);
		KTEST_EXPECT_TRUE(t, r->stack.outer == NULL);
		/* The mailbox runs in process context: IRQs on, FIQs off; EL1. */
		KTEST_EXPECT_TRUE(t, !(r->daif & PSR_I_BIT) && (r->daif & PSR_F_BIT));
		KTEST_EXPECT_EQ(t, r->current_el, 1ull);
		KTEST_EXPECT_EQ(t, cpu_entry_el(cpu), arch_entry_el());
		KTEST_EXPECT_EQ(t, r->sctlr, boot.sctlr);
		KTEST_EXPECT_TRUE(t, r->sctlr & SCTLR_WXN);
		KTEST_EXPECT_EQ(t, r->tcr, boot.tcr);
		KTEST_EXPECT_EQ(t, r->mair, boot.mair);
		KTEST_EXPECT_EQ(t, r->ttbr0, boot.ttbr0);
		KTEST_EXPECT_EQ(t, r->ttbr1, boot.ttbr1);
		for (unsigned int other = 1; other < cpu; other++) {
			if (!cpu_online(other))
				continue;
			KTEST_EXPECT_NE(t, r->mpidr, reports[other].mpidr);
			KTEST_EXPECT_TRUE(t, r->stack.high <= reports[other].stack.low ||
						     r->stack.low >= reports[other].stack.high);
		}
		KTEST_EXPECT_NE(t, r->mpidr, boot.mpidr);
	}
}

static __attribute__((noinline, noipa)) void read_byte(void *addr)
{
	(void)*(volatile const char *)addr;
}

/* The page below each secondary's stack is unmapped: reading it faults. */
static void secondary_stacks_have_guard_pages(struct ktest *t)
{
	unsigned int cpu;

	need_secondaries(t);
	for_each_online_cpu(cpu) {
		const struct stack_info *s = &per_cpu(cpu_stacks, cpu).stack;
		struct fault_info fi;

		if (!cpu)
			continue;
		KTEST_EXPECT_TRUE(t, fault_expect(read_byte, (void *)(s->low - 1), &fi));
		KTEST_EXPECT_EQ(t, fi.far, s->low - 1);
		KTEST_EXPECT_FALSE(t, fault_expect(read_byte, (void *)s->low, &fi));
	}
}

/* ---- nodes ----------------------------------------------------------------- */

struct node_probe {
	int node, page_nid;
};

static void probe_node(void *arg)
{
	struct node_probe *p = arg;
	struct page *page = alloc_page(GFP_NOWAIT);

	p->node = numa_node_id();
	p->page_nid = page ? page_to_nid(page) : NUMA_NO_NODE;
	if (page)
		__free_page(page);
	drain_local_pages(NULL);
}

static void cpu_nodes_as_configured(struct ktest *t)
{
	char val[64];
	const char *p = val;
	unsigned int cpu;

	if (!cmdline_get(boot_info.cmdline, "ktest.cpu_nodes", val, sizeof(val)))
		ktest_skip(t, "no ktest.cpu_nodes= for this config");
	for (cpu = 0; *p; cpu++) {
		char *end;
		long nid = (long)strtoul(p, &end, 10);

		KTEST_ASSERT_TRUE(t, end != p && (*end == ',' || !*end));
		KTEST_ASSERT_LT(t, cpu, nr_cpu_ids);
		KTEST_EXPECT_EQ(t, cpu_to_node(cpu), (int)nid);
		if (cpu_online(cpu)) {
			struct node_probe probe = { NUMA_NO_NODE, NUMA_NO_NODE };

			if (cpu)
				call_on(t, cpu, probe_node, &probe);
			else
				probe_node(&probe);
			KTEST_EXPECT_EQ(t, probe.node, (int)nid);
			KTEST_EXPECT_EQ(t, probe.page_nid, (int)nid);
		}
		p = *end ? end + 1 : end;
	}
	KTEST_EXPECT_EQ(t, cpu, nr_cpu_ids);
}

/* ---- the mailbox's rules ----------------------------------------------------- */

static void hold_until_released(void *arg)
{
	int *gate = arg;

	__atomic_store_n(&gate[0], 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&gate[1], __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void count_call(void *arg)
{
	__atomic_fetch_add((int *)arg, 1, __ATOMIC_RELAXED);
}

static void mailbox_rules(struct ktest *t)
{
	int gate[2] = { 0, 0 }, calls = 0;
	unsigned int cpu = 1;

	need_secondaries(t);
	while (!cpu_online(cpu))
		cpu++;
	KTEST_EXPECT_EQ(t, smp_mailbox_post(0, count_call, &calls), -EINVAL);
	KTEST_EXPECT_EQ(t, smp_mailbox_post(NR_CPUS - 1 + 1, count_call, &calls), -EINVAL);
	for (unsigned int off = 0; off < NR_CPUS; off++)
		if (!cpu_online(off))
			KTEST_EXPECT_EQ(t, smp_mailbox_post(off, count_call, &calls), -EINVAL);
	KTEST_ASSERT_EQ(t, smp_mailbox_post(cpu, hold_until_released, gate), 0);
	while (!__atomic_load_n(&gate[0], __ATOMIC_ACQUIRE))
		cpu_relax();
	KTEST_EXPECT_EQ(t, smp_mailbox_post(cpu, count_call, &calls), -EBUSY);
	KTEST_EXPECT_EQ(t, smp_mailbox_wait(cpu, 1000000), -ETIMEDOUT);
	__atomic_store_n(&gate[1], 1, __ATOMIC_RELEASE);
	KTEST_EXPECT_EQ(t, smp_mailbox_wait(cpu, CALL_TIMEOUT_NS), 0);
	for (int i = 0; i < 3; i++)
		call_on(t, cpu, count_call, &calls);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&calls, __ATOMIC_RELAXED), 3);
}

/* ---- every CPU at once --------------------------------------------------------- */

#define STRESS_OBJS 48
#define STRESS_ROUNDS 16

/* One CPU's objects of a round, freed by the next CPU. */
struct stress_slot {
	void *kmalloced[STRESS_OBJS];
	size_t kmalloc_size[STRESS_OBJS];
	void *cached[STRESS_OBJS];
	struct page *pages[STRESS_OBJS];
	unsigned int order[STRESS_OBJS];
};

static struct stress {
	struct kmem_cache *cache;
	unsigned int nr, cpus[NR_CPUS];		/* the online CPUs, in order */
	unsigned int round;
	struct stress_slot slots[NR_CPUS];
	unsigned long ops[NR_CPUS], bad[NR_CPUS], failed[NR_CPUS];
} stress;

#define STRESS_CACHE_SIZE 200

static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Each object's bytes name its CPU, round and index. */
static u8 pattern(unsigned int cpu, unsigned int round, unsigned int i, size_t at)
{
	return (u8)(cpu * 131 + round * 31 + i * 7 + at);
}

/*
 * Writes every stride-th byte of [p, p + size) and its last byte: every
 * byte of a slab object, one per cache line of pages (instructions are
 * what an emulated CPU lacks).
 */
static void fill(void *p, size_t size, size_t stride, unsigned int cpu, unsigned int round,
		 unsigned int i)
{
	u8 *b = p;

	for (size_t at = 0; at < size; at += stride)
		b[at] = pattern(cpu, round, i, at);
	b[size - 1] = pattern(cpu, round, i, size - 1);
}

static bool intact(const void *p, size_t size, size_t stride, unsigned int cpu,
		   unsigned int round, unsigned int i)
{
	const u8 *b = p;

	for (size_t at = 0; at < size; at += stride)
		if (b[at] != pattern(cpu, round, i, at))
			return false;
	return b[size - 1] == pattern(cpu, round, i, size - 1);
}

/* The calling CPU's index in stress.cpus. */
static unsigned int stress_index(void)
{
	unsigned int me = smp_processor_id();

	for (unsigned int i = 0; i < stress.nr; i++)
		if (stress.cpus[i] == me)
			return i;
	return 0;
}

/* Phase one: fills this CPU's slot with objects of every kind. */
static void stress_alloc(void *unused)
{
	unsigned int me = smp_processor_id(), round = stress.round;
	struct stress_slot *slot = &stress.slots[me];
	u64 x = 0x9e3779b97f4a7c15ull * (me + 1) + round;

	(void)unused;
	for (unsigned int i = 0; i < STRESS_OBJS; i++) {
		size_t size = 1 + next_rand(&x) % 8192;
		unsigned int order = next_rand(&x) % 5;

		slot->kmalloc_size[i] = size;
		slot->kmalloced[i] = kmalloc(size, GFP_NOWAIT);
		slot->cached[i] = kmem_cache_alloc(stress.cache, GFP_NOWAIT);
		slot->order[i] = order;
		slot->pages[i] = alloc_pages(GFP_NOWAIT, order);
		stress.ops[me] += 3;
		if (!slot->kmalloced[i] || !slot->cached[i] || !slot->pages[i]) {
			stress.failed[me]++;
			continue;
		}
		fill(slot->kmalloced[i], size, 1, me, round, i);
		fill(slot->cached[i], STRESS_CACHE_SIZE, 1, me, round, i);
		fill(page_address(slot->pages[i]), PAGE_SIZE << order, 64, me, round, i);
	}
}

/* Phase two: checks and frees the previous CPU's slot (remote frees). */
static void stress_free(void *unused)
{
	unsigned int me = smp_processor_id(), round = stress.round;
	unsigned int from = stress.cpus[(stress_index() + stress.nr - 1) % stress.nr];
	struct stress_slot *slot = &stress.slots[from];

	(void)unused;
	for (unsigned int i = 0; i < STRESS_OBJS; i++) {
		bool whole = slot->kmalloced[i] && slot->cached[i] && slot->pages[i];

		if (whole && (!intact(slot->kmalloced[i], slot->kmalloc_size[i], 1, from, round, i) ||
			      !intact(slot->cached[i], STRESS_CACHE_SIZE, 1, from, round, i) ||
			      !intact(page_address(slot->pages[i]), PAGE_SIZE << slot->order[i], 64,
				      from, round, i)))
			stress.bad[me]++;
		kfree(slot->kmalloced[i]);
		if (slot->cached[i])
			kmem_cache_free(stress.cache, slot->cached[i]);
		if (slot->pages[i])
			__free_pages(slot->pages[i], slot->order[i]);
		stress.ops[me] += 3;
	}
}

/* Runs fn on every online CPU at once, the running one included. */
static void on_all_cpus(struct ktest *t, void (*fn)(void *arg))
{
	for (unsigned int i = 1; i < stress.nr; i++)
		KTEST_ASSERT_EQ(t, smp_mailbox_post(stress.cpus[i], fn, NULL), 0);
	fn(NULL);
	for (unsigned int i = 1; i < stress.nr; i++)
		KTEST_ASSERT_EQ(t, smp_mailbox_wait(stress.cpus[i], CALL_TIMEOUT_NS), 0);
}

static void all_cpus_allocate_and_free_remotely(struct ktest *t)
{
	unsigned long ops = 0, bad = 0, failed = 0;
	unsigned int cpu;

	need_secondaries(t);
	memset(&stress, 0, sizeof(stress));
	for_each_online_cpu(cpu)
		stress.cpus[stress.nr++] = cpu;
	stress.cache = kmem_cache_create("smp_stress", STRESS_CACHE_SIZE, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, stress.cache != NULL);
	for (stress.round = 0; stress.round < STRESS_ROUNDS; stress.round++) {
		on_all_cpus(t, stress_alloc);
		on_all_cpus(t, stress_free);
	}
	/* Every CPU's slabs of the cache go back through cross-calls. */
	kmem_cache_destroy(stress.cache);
	for (unsigned int i = 0; i < stress.nr; i++) {
		ops += stress.ops[stress.cpus[i]];
		bad += stress.bad[stress.cpus[i]];
		failed += stress.failed[stress.cpus[i]];
	}
	ktest_info(t, "%u CPUs, %lu allocations and frees, %lu failed allocations", stress.nr,
		   ops, failed);
	KTEST_EXPECT_EQ(t, ops, 6ul * STRESS_OBJS * STRESS_ROUNDS * stress.nr);
	KTEST_EXPECT_EQ(t, bad, 0ul);
	KTEST_EXPECT_EQ(t, failed, 0ul);
}

KTEST_SUITE(smp, KTEST_CASE(cpus_as_configured), KTEST_CASE(each_cpu_reports_itself),
	    KTEST_CASE(secondary_stacks_have_guard_pages), KTEST_CASE(cpu_nodes_as_configured),
	    KTEST_CASE(mailbox_rules), KTEST_CASE(all_cpus_allocate_and_free_remotely));
