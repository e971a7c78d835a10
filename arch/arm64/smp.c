/*
 * Secondary CPUs: each possible CPU the device tree lists is started with
 * PSCI CPU_ON at boot/head.S's secondary_entry, on a stack of its own from
 * vmalloc, and joins the boot CPU's page tables. Once up it sets up its
 * side of the GIC and its tick, and idles in wfi with interrupts enabled:
 * it takes its ticks and answers cross-CPU calls (kernel/smp.c) in its
 * interrupt handler, and runs its mailbox in process context: one
 * function at a time that another CPU hands it (smp_mailbox_post()), so
 * that tests run code on every CPU. An SGI (smp_send_reschedule()) wakes
 * it for the mailbox: the one way to reach another CPU is an interrupt.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/daifflags.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/psci.h>
#include <asm/smp.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/irqchip.h>
#include <mk64/jiffies.h>
#include <mk64/percpu.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/sched.h>
#include <mk64/smp.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/vmalloc.h>

/* Linux waits as long for a secondary CPU to say it is up. */
#define CPU_UP_TIMEOUT_NS 5000000000ull

/* The boot CPU is online from its first instruction. */
unsigned long cpu_online_bits = 1;

/* Read by head.S with the MMU off, one cache line per CPU. */
struct secondary_boot secondary_boot[NR_CPUS];

/*
 * Who decides a start's outcome: the CPU, by coming up in time, or the
 * boot CPU, by giving up on it first. A CPU that comes up too late finds
 * CPU_ABANDONED and parks without joining.
 */
enum cpu_boot_state { CPU_OFF, CPU_STARTING, CPU_JOINED, CPU_ABANDONED };
static u8 boot_states[NR_CPUS];

/* Moves cpu's state from from to to, unless the other side moved it first. */
static bool boot_state_move(unsigned int cpu, u8 from, u8 to)
{
	return __atomic_compare_exchange_n(&boot_states[cpu], &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* What each CPU read from its own ID registers as it came up. */
static struct {
	u64 mpidr, midr;
	unsigned int entry_el;
} cpu_ids[NR_CPUS];

/*
 * A CPU's mailbox. The poster writes fn and arg, then posted (release),
 * and wakes the CPU with an SGI; the CPU runs them and writes done =
 * posted (release), which the poster polls.
 */
struct cpu_mailbox {
	void (*fn)(void *arg);
	void *arg;
	unsigned long posted;
	unsigned long done;
} __aligned(64);

static struct cpu_mailbox mailboxes[NR_CPUS];

void secondary_entry(void);
void secondary_start_kernel(unsigned int cpu, unsigned int entry_el) __noreturn;

/* Cleans [p, p + size) to the point of coherency, for readers with caches off. */
static void dcache_clean_poc(const void *p, size_t size)
{
	u64 line = 4ull << ((read_sysreg(ctr_el0) >> CTR_DMINLINE_SHIFT) & 0xf);
	u64 addr = (u64)p & ~(line - 1);

	for (; addr < (u64)p + size; addr += line)
		__asm__ volatile("dc cvac, %0" : : "r"(addr) : "memory");
	dsb(sy);
}

/*
 * The running CPU's idle loop (Linux's do_idle() with cpu_do_idle()): the
 * mailbox is checked with interrupts masked and wfi entered so, since a
 * pending interrupt ends wfi even while masked; an SGI sent after the
 * check cannot be missed. Unmasking then takes it.
 */
static __noreturn void cpu_idle(struct cpu_mailbox *mb)
{
	unsigned long served = 0;

	for (;;) {
		unsigned long posted;

		local_irq_disable();
		posted = __atomic_load_n(&mb->posted, __ATOMIC_ACQUIRE);
		if (posted == served) {
			__asm__ volatile("dsb sy\n\twfi" : : : "memory");
			local_irq_enable();
			continue;
		}
		local_irq_enable();
		mb->fn(mb->arg);
		served = posted;
		__atomic_store_n(&mb->done, served, __ATOMIC_RELEASE);
	}
}

/*
 * A secondary CPU's first C, on its own stack with the boot CPU's tables
 * and its own TPIDR_EL1 (head.S). SErrors are let in, as on the boot CPU.
 * One the boot CPU gave up on parks for good, interrupts masked, without
 * touching the GIC. The others quiet what firmware left (the EL1 timers,
 * their GIC interface), set up their GIC interface (GICv3: the
 * redistributor of their affinity) and tick, as Linux's before
 * set_cpu_online(), and idle with interrupts enabled.
 */
void secondary_start_kernel(unsigned int cpu, unsigned int entry_el)
{
	cpu_ids[cpu].entry_el = entry_el;
	cpu_ids[cpu].mpidr = arch_cpu_hwid();
	cpu_ids[cpu].midr = arch_midr();
	local_serror_enable();
	if (!boot_state_move(cpu, CPU_STARTING, CPU_JOINED))
		for (;;)
			__asm__ volatile("wfe" : : : "memory");
	arch_quiesce_irq_sources();
	gic_cpu_init();
	arch_timer_starting_cpu();
	__atomic_fetch_or(&cpu_online_bits, 1ul << cpu, __ATOMIC_RELEASE);
	cpu_idle(&mailboxes[cpu]);
}

/* The cpu node of /cpus whose reg is hwid, or a negative libfdt error. */
static int cpu_dt_node(const void *fdt, u64 hwid)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return cpus;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = dt_string(fdt, node, "device_type");
		u64 reg;

		if (type && !strcmp(type, "cpu") && !dt_cpu_hwid(fdt, node, &reg) && reg == hwid)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

/* Fills cpu's struct secondary_boot from the running CPU's registers. */
static void prepare_boot_data(unsigned int cpu, void *stack)
{
	struct secondary_boot *sb = &secondary_boot[cpu];

	struct pcpu_hot *hot = per_cpu_ptr(&pcpu_hot, cpu);

	/* Its area is a copy of the boot CPU's early one: its own values here. */
	per_cpu(cpu_stacks, cpu).stack =
		(struct stack_info){ (u64)stack, (u64)stack + THREAD_SIZE, NULL };
	hot->cpu_number = cpu;
	hot->preempt_count = 0;
	*sb = (struct secondary_boot){
		.ttbr1 = read_sysreg(ttbr1_el1),
		.tcr = read_sysreg(tcr_el1),
		.mair = read_sysreg(mair_el1),
		.sctlr = read_sysreg(sctlr_el1),
		.ttbr0 = read_sysreg(ttbr0_el1),
		.area = (u64)hot,
		.sp = (u64)stack + THREAD_SIZE,
	};
	dcache_clean_poc(sb, sizeof(*sb));
}

/* Starts cpu and waits for it; reports why when it does not come up. */
static void boot_secondary(const void *fdt, unsigned int cpu)
{
	u64 hwid = cpu_logical_map(cpu), start;
	const char *method;
	char name[64];
	void *stack;
	int node, err;

	node = cpu_dt_node(fdt, hwid);
	method = node >= 0 ? dt_string(fdt, node, "enable-method") : NULL;
	if (!method || strcmp(method, "psci")) {
		pr_err("CPU%u: MPIDR 0x%010llx: enable-method %s%s%s not supported; skipped\n", cpu,
		       (unsigned long long)hwid, method ? "\"" : "", method ? method : "missing",
		       method ? "\"" : "");
		return;
	}
	if (!psci_available()) {
		pr_err("CPU%u: MPIDR 0x%010llx: no PSCI firmware to start it; skipped\n", cpu,
		       (unsigned long long)hwid);
		return;
	}
	stack = arch_alloc_vmap_stack(THREAD_SIZE, cpu_to_node(cpu));
	if (!stack) {
		pr_err("CPU%u: no memory for its stack; skipped\n", cpu);
		return;
	}
	prepare_boot_data(cpu, stack);
	idle_task_init(cpu);
	__atomic_store_n(&boot_states[cpu], CPU_STARTING, __ATOMIC_RELEASE);
	err = psci_cpu_on(hwid, __pa_symbol(secondary_entry), cpu);
	if (err) {
		pr_err("CPU%u: failed to boot: MPIDR 0x%010llx: PSCI CPU_ON returned %d (%s); skipped\n",
		       cpu, (unsigned long long)hwid, err, psci_error_name(err));
		__atomic_store_n(&boot_states[cpu], CPU_OFF, __ATOMIC_RELAXED);
		per_cpu(cpu_stacks, cpu).stack = (struct stack_info){ 0 };
		vfree(stack);
		return;
	}
	start = arch_clock_ns();
	while (!cpu_online(cpu)) {
		/*
		 * A CPU that comes up later parks without joining; it may
		 * still run on the stack, which stays allocated.
		 */
		if (arch_clock_ns() - start > CPU_UP_TIMEOUT_NS &&
		    boot_state_move(cpu, CPU_STARTING, CPU_ABANDONED)) {
			pr_crit("CPU%u: failed to come online: MPIDR 0x%010llx accepted CPU_ON but did not come up in %llu ms; skipped\n",
				cpu, (unsigned long long)hwid,
				(unsigned long long)(CPU_UP_TIMEOUT_NS / 1000000));
			return;
		}
		cpu_relax();
	}
	arch_midr_name(cpu_ids[cpu].midr, name, sizeof(name));
	pr_info("CPU%u: Booted secondary processor 0x%010llx [0x%08llx] %s, node %d\n", cpu,
		(unsigned long long)cpu_ids[cpu].mpidr, (unsigned long long)cpu_ids[cpu].midr, name,
		cpu_to_node(cpu));
	if (cpu_ids[cpu].entry_el != arch_entry_el())
		pr_warn("CPU%u: started at EL%u, the boot CPU at EL%u\n", cpu, cpu_ids[cpu].entry_el,
			arch_entry_el());
	if (cpu_ids[cpu].mpidr != hwid)
		pr_warn("CPU%u: MPIDR 0x%010llx, but the device tree says 0x%010llx\n", cpu,
			(unsigned long long)cpu_ids[cpu].mpidr, (unsigned long long)hwid);
}

void smp_init(const void *fdt)
{
	unsigned int cpus;

	cpu_ids[0].mpidr = arch_cpu_hwid();
	cpu_ids[0].midr = arch_midr();
	cpu_ids[0].entry_el = arch_entry_el();
	pr_info("smp: Bringing up secondary CPUs ...\n");
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++)
		boot_secondary(fdt, cpu);
	cpus = num_online_cpus();
	pr_info("smp: Brought up %d node%s, %u CPU%s\n", nr_online_nodes,
		nr_online_nodes > 1 ? "s" : "", cpus, cpus > 1 ? "s" : "");
	pr_info("SMP: Total of %u processors activated.\n", cpus);
}

unsigned int cpu_entry_el(unsigned int cpu)
{
	return cpu_online(cpu) ? cpu_ids[cpu].entry_el : 0;
}

int smp_mailbox_post(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct cpu_mailbox *mb = &mailboxes[cpu];
	unsigned long posted;

	if (cpu == smp_processor_id() || !cpu_online(cpu))
		return -EINVAL;
	posted = mb->posted;
	if (__atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) != posted)
		return -EBUSY;
	mb->fn = fn;
	mb->arg = arg;
	__atomic_store_n(&mb->posted, posted + 1, __ATOMIC_RELEASE);
	smp_send_reschedule(cpu);
	return 0;
}

int smp_mailbox_wait(unsigned int cpu, u64 timeout_ns)
{
	struct cpu_mailbox *mb = &mailboxes[cpu];
	u64 start = arch_clock_ns();

	while (__atomic_load_n(&mb->done, __ATOMIC_ACQUIRE) != mb->posted) {
		if (arch_clock_ns() - start > timeout_ns)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

int smp_mailbox_call(unsigned int cpu, void (*fn)(void *arg), void *arg, u64 timeout_ns)
{
	int err = smp_mailbox_post(cpu, fn, arg);

	return err ? err : smp_mailbox_wait(cpu, timeout_ns);
}
