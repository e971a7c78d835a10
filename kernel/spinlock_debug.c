/*
 * Lock debugging (mk64/spinlock_debug.h): built into the kernel made with
 * -DCONFIG_DEBUG_SPINLOCK only (and into the host's threaded
 * ThreadSanitizer binary of that flag). Each lock's debug fields are
 * written by its holder, right after it takes the lock or before it
 * releases it (and by a wrong CPU's unlock), so another CPU reading them
 * may see a stale holder, but never itself: a CPU's own writes reach its
 * own reads in order, and it cleared its CPU number before its last
 * release. Other CPUs read them for their reports, so every access is a
 * relaxed atomic one (plain loads and stores on arm64): no torn values.
 */
#include <asm/arch.h>
#include <asm/processor.h>
#include <mk64/kallsyms.h>
#include <mk64/panic.h>
#include <mk64/printk.h>
#include <mk64/smp.h>
#include <mk64/spinlock.h>
#include <mk64/sprintf.h>

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static u64 bound_ns = SPIN_DEBUG_BOUND_NS;

/*
 * Set while a CPU prints a report: the report's own printk() takes
 * logbuf_lock, perhaps the very lock reported, and must not report again.
 */
static bool reporting[NR_CPUS];
static unsigned long reports, misuse_reports;

unsigned long spin_debug_reports(bool misuse_only)
{
	return __atomic_load_n(misuse_only ? &misuse_reports : &reports, __ATOMIC_RELAXED);
}

u64 spin_debug_set_bound(u64 ns)
{
	return __atomic_exchange_n(&bound_ns, ns, __ATOMIC_RELAXED);
}

/*
 * "spinlock WHAT on CPU#N[: MS ms]", then the lock, the holder as the
 * caller saw it (owner_cpu as stored: CPU + 1, 0 for none) and a trace.
 */
static void report(const spinlock_t *lock, unsigned int cpu, const char *what, bool misuse,
		   unsigned int owner_cpu, unsigned long owner_ip, long long held_ms)
{
	char name[KSYM_SYMBOL_LEN], site[KSYM_SYMBOL_LEN], owner[sizeof(site) + 40];

	if (reporting[cpu])
		return;
	reporting[cpu] = true;
	__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED);
	if (misuse)
		__atomic_fetch_add(&misuse_reports, 1, __ATOMIC_RELAXED);
	if (held_ms >= 0)
		pr_err("spinlock %s on CPU#%u: %lld ms\n", what, cpu, held_ms);
	else
		pr_err("spinlock %s on CPU#%u\n", what, cpu);
	if (kallsyms_lookup((u64)lock, NULL, NULL)) {
		char sym[KSYM_SYMBOL_LEN];

		sprint_symbol(sym, sizeof(sym), (u64)lock);
		snprintf(name, sizeof(name), "%#018lx (%s)", (unsigned long)lock, sym);
	} else {
		snprintf(name, sizeof(name), "%#018lx", (unsigned long)lock);
	}
	if (owner_cpu) {
		sprint_backtrace(site, sizeof(site), owner_ip);
		snprintf(owner, sizeof(owner), "owner CPU#%u, taken at %s", owner_cpu - 1, site);
	} else {
		snprintf(owner, sizeof(owner), "owner: none");
	}
	pr_err(" lock: %s, %s\n", name, owner);
	dump_stack_lvl(KERN_ERR);
	reporting[cpu] = false;
}

static void set_owner(spinlock_t *lock, unsigned int cpu, unsigned long ip)
{
	STORE(lock->debug.owner_ip, ip);
	STORE(lock->debug.locked_ns, arch_clock_ns());
	STORE(lock->debug.owner_cpu, cpu + 1);
}

/* As arch_spin_lock()'s wait, with a look at the clock on every turn. */
static void wait_bounded(spinlock_t *lock, u16 ticket, unsigned int cpu)
{
	u64 start = arch_clock_ns();
	bool reported = false;

	while ((u16)__atomic_load_n(&lock->tickets.owner, __ATOMIC_ACQUIRE) != ticket) {
		if (!reported && arch_clock_ns() - start > LOAD(bound_ns)) {
			reported = true;
			report(lock, cpu, "lockup suspected", false, LOAD(lock->debug.owner_cpu),
			       LOAD(lock->debug.owner_ip), -1);
		}
		cpu_relax();
	}
}

void do_raw_spin_lock(spinlock_t *lock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	unsigned int cpu = smp_processor_id();
	u32 old;
	u16 ticket;

	if (arch_spin_is_locked(lock) && LOAD(lock->debug.owner_cpu) == cpu + 1) {
		report(lock, cpu, "recursion", true, cpu + 1, LOAD(lock->debug.owner_ip), -1);
		STORE(lock->debug.recursion, LOAD(lock->debug.recursion) + 1);
		return;
	}
	old = arch_spin_queue(lock);
	ticket = (u16)(old >> 16);
	if (ticket != (u16)old)
		wait_bounded(lock, ticket, cpu);
	set_owner(lock, cpu, ip);
}

bool do_raw_spin_trylock(spinlock_t *lock)
{
	if (!arch_spin_trylock(lock))
		return false;
	set_owner(lock, smp_processor_id(), (unsigned long)__builtin_return_address(0));
	return true;
}

void do_raw_spin_unlock(spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id();
	unsigned int owner_cpu = LOAD(lock->debug.owner_cpu);
	unsigned long owner_ip = LOAD(lock->debug.owner_ip);
	u64 locked_ns = LOAD(lock->debug.locked_ns), held_ns;
	unsigned int recursion;

	if (!arch_spin_is_locked(lock)) {
		report(lock, cpu, "already unlocked", true, 0, 0, -1);
		return;
	}
	if (owner_cpu != cpu + 1) {
		report(lock, cpu, "wrong CPU", true, owner_cpu, owner_ip, -1);
	} else if ((recursion = LOAD(lock->debug.recursion))) {
		STORE(lock->debug.recursion, recursion - 1);
		return;
	}
	held_ns = arch_clock_ns() - locked_ns;
	STORE(lock->debug.recursion, 0);
	STORE(lock->debug.owner_ip, 0);
	STORE(lock->debug.locked_ns, 0);
	STORE(lock->debug.owner_cpu, 0);
	arch_spin_unlock(lock);
	/* Reported once released: the report may need this very lock. */
	if (owner_cpu == cpu + 1 && locked_ns && held_ns > LOAD(bound_ns))
		report(lock, cpu, "held too long", false, owner_cpu, owner_ip,
		       (long long)(held_ns / 1000000));
}
