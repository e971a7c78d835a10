/*
 * The allocators with several CPUs working at once (`make bench`, -smp 4):
 * kmalloc-64, a 64-byte kmem_cache and order-0 page alloc+free pairs, and
 * 100 kmalloc-64 objects held then freed, each run by CPU 0 alone while
 * the other CPUs idle (<op>_1of4) and by every CPU at once (<op>_smp4),
 * the same loop, started together: the secondaries get it through their
 * mailbox (process context, interrupts on, as the tests' CPU runs) and
 * wait at a start line that CPU 0 opens once the clock is read. Then the
 * remote frees: objects and pages allocated by CPU 1 freed by CPU 0
 * (kfree64_remote, free_page_remote; the frees alone are timed) beside
 * the same frees of CPU 0's own (..._local), and the held batches with
 * each CPU freeing the next one's (kmalloc64_held100_remote_smp4: every free
 * remote, 4 CPUs at once).
 *
 * How to read them. Under -icount QEMU runs the CPUs in one host thread,
 * in turn (TCG's round robin; -icount rules out a thread per CPU), each
 * for a slice of instructions (the time to the next timer event shared
 * out among them) or until it yields or waits (yield, wfe, wfi end its
 * turn), and the virtual clock counts the instructions of every CPU: it
 * is one clock for all, and it advances by one nanosecond per instruction
 * whichever CPU runs it. So with N CPUs busy the elapsed time is the sum
 * of their instructions, and each figure is the elapsed time divided by
 * the operations of all CPUs together: the instructions one operation
 * costs, the same measure as on one CPU. (On hardware the N CPUs run side
 * by side: elapsed time per operation would be a 1/N of it, plus what
 * sharing costs there.) icount_loop_1of4 and icount_loop_smp4 show it: a
 * loop of two instructions a turn (subs, b.ne) gives 2.0 per turn on one
 * CPU and on four (2.0, not 0.5: every CPU's turns count). The PMU's
 * instruction counter agrees (insns_per_op): QEMU derives it from the one
 * instruction count, so it too counts every CPU's instructions.
 *
 * A turn lasts millions of instructions when nothing yields
 * (icount_turn_smp4: about 2.4 million with HZ = 100), longer than a
 * CPU's whole loop of pairs; so the pair loops yield every TURN_OPS
 * pairs, and the held batches meet at a barrier every round, for the
 * CPUs' loops to interleave every few thousand instructions.
 *
 * What QEMU does not model: caches, so a line that CPUs share costs no
 * more than a private one. What it does: every instruction of a slow or
 * remote path, and a lock held by a CPU whose turn ends stops the others
 * that want it until its next turn; their spin yields (cpu_relax() is
 * yield), so each waits a few instructions a turn, not a turn. Since a
 * turn ends at a yield (never inside an allocator lock) or at a timer
 * event, that is rare, and not counted apart: the _smpN figures include
 * it.
 */
#include <asm/arch.h>
#include <asm/processor.h>
#include <mk64/gfp.h>
#include <mk64/irq.h>
#include <mk64/ktest.h>
#include <mk64/list.h>
#include <mk64/mm_types.h>
#include <mk64/slab.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>

/*
 * The pair loops hand over to the next CPU every TURN_OPS operations;
 * PAIRS per CPU.
 */
#define TURN_OPS 64u
#define PAIRS (1600u * TURN_OPS)
#define HELD 100u
#define HELD_OPS 20000u
#define REMOTE_OBJS 10000u
#define LOOP_TURNS 1000000u
#define TURN_READS 100000u
#define TURN_GAP_NS 2000u
/* Generous: QEMU's CPUs take turns in one host thread. */
#define WAIT_NS 10000000000ull

/*
 * One loop run on CPUs 0..cpus-1 at once: run(l, cpu) does ops operations
 * on cpu, warm (if any) one untimed before the start line.
 */
struct smp_loop {
	void (*warm)(struct smp_loop *l);
	void (*run)(struct smp_loop *l, unsigned int cpu);
	unsigned int cpus, ops;
	/* The CPU whose held batch a CPU frees: cpu + shift, modulo cpus. */
	unsigned int shift;
	struct kmem_cache *cache;
	unsigned int arrived, go, finished, failed, turns;
	/* The rounds' barrier: waiting CPUs, and its generation. */
	unsigned int waiting, generation;
	void *held[NR_CPUS];
};

static void count_failure(struct smp_loop *l)
{
	__atomic_fetch_add(&l->failed, 1, __ATOMIC_RELAXED);
}

/* Waits until *word reaches value or WAIT_NS pass; true if it did. */
static bool wait_for(unsigned int *word, unsigned int value)
{
	u64 start = arch_clock_ns();

	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != value) {
		if (arch_clock_ns() - start > WAIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

/* Every CPU of the loop waits here until all have come (a generation count). */
static void loop_barrier(struct smp_loop *l)
{
	unsigned int gen = __atomic_load_n(&l->generation, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&l->waiting, 1, __ATOMIC_ACQ_REL) == l->cpus) {
		__atomic_store_n(&l->waiting, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&l->generation, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&l->generation, __ATOMIC_ACQUIRE) == gen)
		cpu_relax();
}

/* l->go: the start line opened, or the loop called off (a CPU missing). */
#define LOOP_GO 1u
#define LOOP_CALLED_OFF 2u

/*
 * A secondary's part, from its mailbox: warm up, wait at the start line
 * (CPU 0 always opens it or calls the loop off), run.
 */
static void loop_on_secondary(void *arg)
{
	struct smp_loop *l = arg;
	unsigned int go;

	if (l->warm)
		l->warm(l);
	__atomic_fetch_add(&l->arrived, 1, __ATOMIC_RELEASE);
	while (!(go = __atomic_load_n(&l->go, __ATOMIC_ACQUIRE)))
		cpu_relax();
	if (go == LOOP_GO)
		l->run(l, smp_processor_id());
	__atomic_fetch_add(&l->finished, 1, __ATOMIC_RELEASE);
}

static void need_cpus(struct ktest *t)
{
	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU online");
	for (unsigned int cpu = 0; cpu < num_online_cpus(); cpu++)
		if (!cpu_online(cpu))
			ktest_skip(t, "online CPUs not numbered from 0");
	if (smp_processor_id() != 0)
		ktest_skip(t, "not on CPU 0");
}

/* The secondaries back in their idle loops; no allocation failed. */
static void loop_join(struct ktest *t, struct smp_loop *l)
{
	for (unsigned int cpu = 1; cpu < l->cpus; cpu++)
		KTEST_EXPECT_EQ(t, smp_mailbox_wait(cpu, WAIT_NS), 0);
	KTEST_EXPECT_EQ(t, l->failed, 0u);
}

/*
 * Runs l on CPUs 0..cpus-1 (ops each), b started at the start line and
 * ending once the last has finished: the caller ends it, then
 * loop_join(). A CPU that cannot be given the loop or does not come to
 * the start line calls it off, and the case fails.
 */
static void loop_run(struct ktest *t, struct smp_loop *l, unsigned int cpus, struct ktest_bench *b)
{
	unsigned int posted = 1;
	bool all_came;

	l->cpus = cpus;
	l->arrived = l->go = l->finished = l->failed = l->turns = l->waiting = l->generation = 0;
	while (posted < cpus && !smp_mailbox_post(posted, loop_on_secondary, l))
		posted++;
	if (l->warm)
		l->warm(l);
	all_came = posted == cpus && wait_for(&l->arrived, cpus - 1);
	if (!all_came) {
		__atomic_store_n(&l->go, LOOP_CALLED_OFF, __ATOMIC_RELEASE);
		l->cpus = posted;
		loop_join(t, l);
		KTEST_ASSERT_EQ(t, posted, cpus);
		KTEST_ASSERT_TRUE(t, all_came);
	}
	ktest_bench_start(b);
	__atomic_store_n(&l->go, LOOP_GO, __ATOMIC_RELEASE);
	l->run(l, 0);
	KTEST_EXPECT_TRUE(t, wait_for(&l->finished, cpus - 1));
}

/*
 * l on CPUs 0..cpus-1, reported as "<base>_smpN" (cpus = N, all online)
 * or "<base>_1ofN" (CPU 0 alone) per operation of all of them.
 */
static void run_loop(struct ktest *t, struct smp_loop *l, const char *base, unsigned int cpus)
{
	struct ktest_bench b;
	char name[48];

	loop_run(t, l, cpus, &b);
	if (cpus == 1)
		snprintf(name, sizeof(name), "%s_1of%u", base, num_online_cpus());
	else
		snprintf(name, sizeof(name), "%s_smp%u", base, cpus);
	ktest_bench_end(&b, name, (u64)cpus * l->ops);
	loop_join(t, l);
}

/* The loop on CPU 0 alone, then on every online CPU. */
static void alone_and_all(struct ktest *t, struct smp_loop *l, const char *base)
{
	need_cpus(t);
	run_loop(t, l, base, 1);
	run_loop(t, l, base, num_online_cpus());
}

/* ---- the known instruction count --------------------------------------- */

static void two_insn_loop(struct smp_loop *l, unsigned int cpu)
{
	unsigned long n = l->ops;

	(void)cpu;
	__asm__ volatile("1:	subs	%0, %0, #1\n\tb.ne	1b" : "+r"(n) : : "cc");
}

static void icount_loop(struct ktest *t)
{
	static struct smp_loop l;

	l = (struct smp_loop){ .run = two_insn_loop, .ops = LOOP_TURNS };
	alone_and_all(t, &l, "icount_loop");
}

/*
 * Reads the clock ops times; a step longer than TURN_GAP_NS (a read takes
 * a few dozen) means the other CPUs ran meanwhile: one more turn.
 */
static void count_turns(struct smp_loop *l, unsigned int cpu)
{
	u64 last = arch_clock_ns();
	unsigned int turns = 0;

	(void)cpu;
	for (unsigned int i = l->ops; i > 0; i--) {
		u64 now = arch_clock_ns();

		turns += now - last > TURN_GAP_NS;
		last = now;
	}
	__atomic_fetch_add(&l->turns, turns, __ATOMIC_RELAXED);
}

/*
 * How long a CPU runs before QEMU hands over to the next: the elapsed
 * time over the turns that all CPUs' clock reads saw ("icount_turn_smpN",
 * per turn). Reported, not asserted: it depends on the timers' deadlines.
 */
static void icount_turn(struct ktest *t)
{
	static struct smp_loop l;
	struct ktest_bench b;
	char name[32];

	need_cpus(t);
	l = (struct smp_loop){ .run = count_turns, .ops = TURN_READS };
	loop_run(t, &l, num_online_cpus(), &b);
	snprintf(name, sizeof(name), "icount_turn_smp%u", l.cpus);
	KTEST_EXPECT_GT(t, l.turns, 0u);
	ktest_bench_end(&b, name, l.turns ? l.turns : 1);
	loop_join(t, &l);
}

/* ---- pairs: the per-CPU fast paths ------------------------------------- */

static void kmalloc64_warm(struct smp_loop *l)
{
	(void)l;
	kfree(kmalloc(64, GFP_KERNEL));
}

/*
 * The pair loops: the inner one as the 1-CPU figure's (what it uses in
 * locals, counting down); after each TURN_OPS pairs, cpu_relax(), whose
 * yield ends the CPU's turn in QEMU, so that the CPUs' loops interleave
 * every few thousand instructions rather than in QEMU's turns of millions
 * (icount_turn); a fraction of an instruction per pair.
 */
static void kmalloc64_pairs(struct smp_loop *l, unsigned int cpu)
{
	(void)cpu;
	for (unsigned int n = l->ops / TURN_OPS; n > 0; n--) {
		for (unsigned int i = TURN_OPS; i > 0; i--)
			kfree(kmalloc(64, GFP_KERNEL));
		cpu_relax();
	}
}

static void kmalloc64_pair(struct ktest *t)
{
	static struct smp_loop l;

	l = (struct smp_loop){ .warm = kmalloc64_warm, .run = kmalloc64_pairs, .ops = PAIRS };
	alone_and_all(t, &l, "kmalloc64_pair");
}

static void cache_warm(struct smp_loop *l)
{
	kmem_cache_free(l->cache, kmem_cache_alloc(l->cache, GFP_KERNEL));
}

static void cache_pairs(struct smp_loop *l, unsigned int cpu)
{
	struct kmem_cache *s = l->cache;

	(void)cpu;
	for (unsigned int n = l->ops / TURN_OPS; n > 0; n--) {
		for (unsigned int i = TURN_OPS; i > 0; i--)
			kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
		cpu_relax();
	}
}

/* One cache that every CPU shares, as the 1-CPU figure's (bench_slub). */
static void kmem_cache64_pair(struct ktest *t)
{
	static struct smp_loop l;

	need_cpus(t);
	l = (struct smp_loop){ .warm = cache_warm, .run = cache_pairs, .ops = PAIRS };
	l.cache = kmem_cache_create("bench64", 64, 0, 0, NULL);
	if (!l.cache)
		ktest_skip(t, "no cache");
	alone_and_all(t, &l, "kmem_cache64_pair");
	kmem_cache_destroy(l.cache);
}

static void page_pairs(struct smp_loop *l, unsigned int cpu)
{
	(void)cpu;
	for (unsigned int n = l->ops / TURN_OPS; n > 0; n--) {
		for (unsigned int i = TURN_OPS; i > 0; i--) {
			struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

			if (!page)
				count_failure(l);
			else
				__free_pages(page, 0);
		}
		cpu_relax();
	}
}

static void page_warm(struct smp_loop *l)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

	if (!page)
		count_failure(l);
	else
		__free_pages(page, 0);
}

static void page_order0_pair(struct ktest *t)
{
	static struct smp_loop l;

	l = (struct smp_loop){ .warm = page_warm, .run = page_pairs, .ops = PAIRS };
	alone_and_all(t, &l, "page_order0_pair");
}

/* ---- held batches, freed by their CPU or by the next -------------------- */

/*
 * count kmalloc-64 objects chained through their first word, NULL ending
 * the chain, in *head; returns how many allocations failed.
 */
static unsigned int alloc_chain(unsigned int count, void **head)
{
	unsigned int failed = 0;

	*head = NULL;
	for (unsigned int i = 0; i < count; i++) {
		void **p = kmalloc(64, GFP_KERNEL);

		if (!p) {
			failed++;
			continue;
		}
		*p = *head;
		*head = p;
	}
	return failed;
}

static void free_chain(void *head)
{
	while (head) {
		void *next = *(void **)head;

		kfree(head);
		head = next;
	}
}

/*
 * Rounds of: HELD objects allocated, barrier, the batch of CPU cpu +
 * shift freed, barrier. An operation is one object's kmalloc and kfree.
 */
static void held_rounds(struct smp_loop *l, unsigned int cpu)
{
	unsigned int from = (cpu + l->shift) % l->cpus;

	for (unsigned int r = 0; r < l->ops / HELD; r++) {
		if (alloc_chain(HELD, &l->held[cpu]))
			count_failure(l);
		loop_barrier(l);
		free_chain(l->held[from]);
		loop_barrier(l);
	}
}

static void kmalloc64_held100(struct ktest *t)
{
	static struct smp_loop l;

	l = (struct smp_loop){ .run = held_rounds, .ops = HELD_OPS };
	alone_and_all(t, &l, "kmalloc64_held100");
}

static void kmalloc64_held100_remote(struct ktest *t)
{
	static struct smp_loop l;

	need_cpus(t);
	l = (struct smp_loop){ .run = held_rounds, .ops = HELD_OPS, .shift = 1 };
	run_loop(t, &l, "kmalloc64_held100_remote", num_online_cpus());
}

/* ---- one CPU's frees of another's objects and pages --------------------- */

static void *chain;
static LIST_HEAD(pages);
static unsigned int chain_failures;

static void alloc_objects(void *arg)
{
	(void)arg;
	chain_failures = alloc_chain(REMOTE_OBJS, &chain);
}

static void alloc_page_list(void *arg)
{
	(void)arg;
	chain_failures = 0;
	for (unsigned int i = 0; i < REMOTE_OBJS; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

		if (page)
			list_add(&page->lru, &pages);
		else
			chain_failures++;
	}
}

static void free_page_list(void)
{
	while (!list_empty(&pages)) {
		struct page *page = list_first_entry(&pages, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, 0);
	}
}

/*
 * alloc(NULL) on CPU by (its mailbox, or here for CPU 0), then CPU 0's
 * frees of what it allocated timed: "<name>" per free.
 */
static void frees_of(struct ktest *t, unsigned int by, void (*alloc)(void *arg),
		     void (*free_all)(void), const char *name)
{
	struct ktest_bench b;

	if (by)
		KTEST_ASSERT_EQ(t, smp_mailbox_call(by, alloc, NULL, WAIT_NS), 0);
	else
		alloc(NULL);
	KTEST_EXPECT_EQ(t, chain_failures, 0u);
	ktest_bench_start(&b);
	free_all();
	ktest_bench_end(&b, name, REMOTE_OBJS - chain_failures);
}

static void free_objects(void)
{
	free_chain(chain);
	chain = NULL;
}

static void kfree64_remote(struct ktest *t)
{
	need_cpus(t);
	frees_of(t, 0, alloc_objects, free_objects, "kfree64_local");
	frees_of(t, 1, alloc_objects, free_objects, "kfree64_remote");
}

static void free_page_remote(struct ktest *t)
{
	need_cpus(t);
	frees_of(t, 0, alloc_page_list, free_page_list, "free_page_local");
	frees_of(t, 1, alloc_page_list, free_page_list, "free_page_remote");
}

KTEST_BENCH_SUITE(bench_smp_alloc, KTEST_CASE(icount_loop), KTEST_CASE(icount_turn),
		  KTEST_CASE(kmalloc64_pair),
		  KTEST_CASE(kmem_cache64_pair), KTEST_CASE(page_order0_pair),
		  KTEST_CASE(kmalloc64_held100), KTEST_CASE(kmalloc64_held100_remote),
		  KTEST_CASE(kfree64_remote), KTEST_CASE(free_page_remote));
