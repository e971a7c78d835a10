/*
 * Cross-CPU function calls (Linux's kernel/smp.c): a call is a
 * call_single_data (csd) put on the target CPU's queue, and an SGI
 * (IPI_CALL_FUNC) makes the target run the queue from its interrupt
 * handler. The caller may wait for the answer: a CPU that has not taken
 * the call within csd_lock_timeout_ms (interrupts masked for good) is
 * reported and the call withdrawn, instead of hanging the caller; one
 * that took it and is still running the function is reported once per
 * csd_lock_timeout_ms and waited for, as Linux does: the function may use
 * what the caller lent it (its stack) until it returns.
 *
 * Each CPU owns one csd per target CPU for its process context and one
 * for its interrupt handlers (Linux's per-CPU cfd_data), so that a call
 * never waits for a csd the code it interrupted holds. A csd is the
 * caller's until it sets CSD_FLAG_LOCK, then the target's until it clears
 * it (release): after running the function when the caller waits, before
 * when it does not (the csd may be reused at once). The caller may take a
 * csd back only while it is still queued, under the queue's lock.
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/errno.h>
#include <mk64/irq.h>
#include <mk64/kallsyms.h>
#include <mk64/list.h>
#include <mk64/panic.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>

#define CSD_FLAG_LOCK 1u	/* in flight: the target's */
#define CSD_FLAG_WAIT 2u	/* the caller waits: unlock after running */

struct call_single_data {
	struct list_head node;		/* on the target's queue */
	smp_call_func_t func;
	void *info;
	unsigned int flags;
	bool queued;			/* on the queue: under the queue's lock */
	unsigned int cpu;		/* the target */
} __aligned(64);

/* The calls waiting for a CPU, in order; interrupts masked under the lock. */
struct call_queue {
	spinlock_t lock;
	struct list_head list;
} __aligned(64);

unsigned long csd_lock_timeout_ms = 5000;

static struct call_queue call_queues[NR_CPUS];

/* [in an interrupt handler][calling CPU][target CPU] */
static struct call_single_data cfd[2][NR_CPUS][NR_CPUS];

static u64 csd_timeout_ns(void)
{
	return (u64)READ_ONCE(csd_lock_timeout_ms) * 1000000;
}

static bool csd_locked(const struct call_single_data *csd)
{
	return __atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK;
}

static void csd_unlock(struct call_single_data *csd)
{
	__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
}

/* What became of a call the target did not answer in time. */
enum csd_stall {
	CSD_WITHDRAWN,		/* never taken: withdrawn */
	CSD_EARLIER,		/* the slot still holds an earlier call: not made */
	CSD_RUNNING,		/* taken, func still running: waited for */
};

/*
 * Linux's "csd: Detected non-responsive CSD lock" report: a headline
 * naming the CPU and the function, then what became of the call, then the
 * caller's stack.
 */
static void report_unanswered(const struct call_single_data *csd, u64 waited_ns,
			      enum csd_stall stall)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, sizeof(sym), (u64)(uintptr_t)csd->func);
	pr_err("smp: CPU%u did not answer a cross-CPU call from CPU%u to %s in %llu ms\n",
	       csd->cpu, smp_processor_id(), sym, (unsigned long long)(waited_ns / 1000000));
	if (stall == CSD_EARLIER)
		pr_err("smp: CPU%u still holds this CPU's earlier call (info %p): the new call is not made\n",
		       csd->cpu, csd->info);
	else if (stall == CSD_WITHDRAWN)
		pr_err("smp: CPU%u never took the call (interrupts masked, or stuck): withdrawn, %s(info %p) will not run there\n",
		       csd->cpu, sym, csd->info);
	else
		pr_err("smp: CPU%u took the call and is still running %s(info %p): still waiting\n",
		       csd->cpu, sym, csd->info);
	dump_stack_lvl(KERN_ERR);
}

/*
 * Waits, until start + the timeout, for csd's previous call to end; then
 * takes it for a call that waits or not. Interrupts as the caller had
 * them: only this CPU's own context takes its csds, so a free one stays
 * free.
 */
static bool csd_lock(struct call_single_data *csd, u64 start, bool wait)
{
	while (csd_locked(csd)) {
		if (arch_clock_ns() - start > csd_timeout_ns())
			return false;
		cpu_relax();
	}
	__atomic_store_n(&csd->flags, CSD_FLAG_LOCK | (wait ? CSD_FLAG_WAIT : 0), __ATOMIC_RELAXED);
	return true;
}

/* Queues csd on its target; true when the queue was empty (send an SGI). */
static bool csd_queue(struct call_single_data *csd)
{
	struct call_queue *q = &call_queues[csd->cpu];
	bool first;

	arch_spin_lock(&q->lock);
	first = list_empty(&q->list);
	list_add_tail(&csd->node, &q->list);
	csd->queued = true;
	arch_spin_unlock(&q->lock);
	return first;
}

/* Takes csd back if its target has not taken it yet; true if so. */
static bool csd_withdraw(struct call_single_data *csd)
{
	struct call_queue *q = &call_queues[csd->cpu];
	unsigned long flags;
	bool withdrawn;

	local_irq_save(flags);
	arch_spin_lock(&q->lock);
	withdrawn = csd->queued;
	if (withdrawn) {
		list_del(&csd->node);
		csd->queued = false;
		csd_unlock(csd);
	}
	arch_spin_unlock(&q->lock);
	local_irq_restore(flags);
	return withdrawn;
}

/*
 * Waits for csd's answer. Past start + the timeout, withdraws a call not
 * taken yet (-ETIMEDOUT); a taken one is reported once per timeout and
 * waited for to the end (0): func may still use what the caller lent.
 */
static int csd_wait(struct call_single_data *csd, u64 start)
{
	u64 next = csd_timeout_ns();
	unsigned int reports = 0;

	while (csd_locked(csd)) {
		u64 waited = arch_clock_ns() - start;

		if (waited > next) {
			if (!reports && csd_withdraw(csd)) {
				report_unanswered(csd, waited, CSD_WITHDRAWN);
				return -ETIMEDOUT;
			}
			report_unanswered(csd, waited, CSD_RUNNING);
			reports++;
			next = waited + csd_timeout_ns();
		}
		cpu_relax();
	}
	if (reports)
		pr_err("smp: CPU%u answered the cross-CPU call from CPU%u after %llu ms\n", csd->cpu,
		       smp_processor_id(), (unsigned long long)((arch_clock_ns() - start) / 1000000));
	return 0;
}

/* Runs the running CPU's queue, from its IPI_CALL_FUNC handler. */
static void flush_smp_call_function_queue(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];

	for (;;) {
		struct call_single_data *csd = NULL;
		smp_call_func_t func;
		void *info;

		arch_spin_lock(&q->lock);
		if (!list_empty(&q->list)) {
			csd = list_first_entry(&q->list, struct call_single_data, node);
			list_del(&csd->node);
			csd->queued = false;
		}
		arch_spin_unlock(&q->lock);
		if (!csd)
			return;
		func = csd->func;
		info = csd->info;
		if (!(csd->flags & CSD_FLAG_WAIT)) {
			csd_unlock(csd);
			func(info);
		} else {
			func(info);
			csd_unlock(csd);
		}
	}
}

/*
 * Waiting with interrupts masked deadlocks when the CPU waited for waits
 * for this one in turn; Linux WARNs (once) whenever it could happen: a
 * call that waits for its answer, and from process context any call,
 * which may have to wait for its slot (csd_lock()). An interrupt handler
 * has its own slots, and its calls that do not wait never wait for one
 * held by what it interrupted.
 */
static void check_wait_context(smp_call_func_t func, bool wait, cpumask_t targets)
{
	static bool warned;
	char sym[KSYM_SYMBOL_LEN];

	if (!targets || !irqs_disabled() || (!wait && in_interrupt()) || oops_in_progress ||
	    READ_ONCE(warned))
		return;
	WRITE_ONCE(warned, true);
	sprint_symbol(sym, sizeof(sym), (u64)(uintptr_t)func);
	pr_warn("smp: cross-CPU call to %s %s with interrupts disabled: deadlock risk (a CPU calling this one waits for ever)\n",
		sym, wait ? "waits" : "may wait for its slot");
	WARN_ON(irqs_disabled());
}

/*
 * The one path of every call: takes this context's slot for each online
 * CPU of mask but the running one (waiting, if a slot still holds an
 * earlier call, with interrupts as the caller had them: a CPU sending
 * this one a call meanwhile gets its answer), then with interrupts
 * masked queues func(info) on each, sends one SGI to those whose queue
 * was empty and runs func locally when run_local; then waits for the
 * others when wait.
 */
static int smp_call_function_many_cond(cpumask_t mask, smp_call_func_t func, void *info,
				       bool wait, bool run_local)
{
	unsigned int this = smp_processor_id(), cpu;
	cpumask_t targets = mask & cpu_online_mask() & ~cpumask_of(this), ipis = 0;
	struct call_single_data *row = cfd[in_interrupt() ? 1 : 0][this];
	u64 start = arch_clock_ns();
	unsigned long flags;
	int err = 0;

	check_wait_context(func, wait, targets);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct call_single_data *csd = &row[cpu];

		if ((targets & cpumask_of(cpu)) && !csd_lock(csd, start, wait)) {
			report_unanswered(csd, arch_clock_ns() - start, CSD_EARLIER);
			targets &= ~cpumask_of(cpu);
			err = -ETIMEDOUT;
		}
	}
	local_irq_save(flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct call_single_data *csd = &row[cpu];

		if (!(targets & cpumask_of(cpu)))
			continue;
		csd->func = func;
		csd->info = info;
		csd->cpu = cpu;
		if (csd_queue(csd))
			ipis |= cpumask_of(cpu);
	}
	if (ipis)
		arch_send_call_function_ipi_mask(ipis);
	if (run_local && (mask & cpumask_of(this)))
		func(info);
	local_irq_restore(flags);
	if (!wait)
		return err;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if ((targets & cpumask_of(cpu)) && csd_wait(&row[cpu], start))
			err = -ETIMEDOUT;
	return err;
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	if (!cpu_online(cpu))
		return -ENXIO;
	return smp_call_function_many_cond(cpumask_of(cpu), func, info, wait, true);
}

int smp_call_function_many(cpumask_t mask, smp_call_func_t func, void *info, bool wait)
{
	return smp_call_function_many_cond(mask, func, info, wait, false);
}

int smp_call_function(smp_call_func_t func, void *info, bool wait)
{
	return smp_call_function_many_cond(cpu_online_mask(), func, info, wait, false);
}

int on_each_cpu_mask(cpumask_t mask, smp_call_func_t func, void *info, bool wait)
{
	return smp_call_function_many_cond(mask, func, info, wait, true);
}

int on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	return smp_call_function_many_cond(cpu_online_mask(), func, info, wait, true);
}

int on_each_cpu_cond(smp_cond_func_t cond_func, smp_call_func_t func, void *info, bool wait)
{
	cpumask_t mask = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cond_func((int)cpu, info))
			mask |= cpumask_of(cpu);
	return mask ? smp_call_function_many_cond(mask, func, info, wait, true) : 0;
}

static void do_nothing(void *unused)
{
	(void)unused;
}

int kick_all_cpus_sync(void)
{
	return smp_call_function(do_nothing, NULL, true);
}

static irqreturn_t ipi_call_function(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	flush_smp_call_function_queue();
	return IRQ_HANDLED;
}

/* Nothing to do: taking the interrupt ends the target's wfi. */
static irqreturn_t ipi_reschedule(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;
}

void smp_send_reschedule(unsigned int cpu)
{
	gic_send_sgi(cpumask_of(cpu), IPI_RESCHEDULE);
}

int call_function_init(void)
{
	int err;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		call_queues[cpu].lock = (spinlock_t)SPINLOCK_INIT;
		INIT_LIST_HEAD(&call_queues[cpu].list);
	}
	err = request_percpu_irq(IPI_CALL_FUNC, ipi_call_function, "IPI function call", NULL);
	if (!err)
		err = request_percpu_irq(IPI_RESCHEDULE, ipi_reschedule, "IPI rescheduling", NULL);
	if (err)
		pr_err("smp: cannot take the IPI SGIs: error %d; no cross-CPU calls\n", err);
	return err;
}
