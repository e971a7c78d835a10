/*
 * Per-CPU variables (mk64/percpu.h): each CPU's area and where TPIDR_EL1
 * points, the accessors against a model of one copy per CPU, a per-CPU
 * pointer used as an address faulting with a headline that says so,
 * alloc_percpu()'s zeroed room at one offset in every area; and SLUB's
 * fast paths as restartable sections (asm/restart.h, asm/slub_fast.h):
 * the table covers them, the fixup sends only a section's own range back
 * to its start, and a tick handler that allocates and frees on the same
 * caches while process context runs the fast paths in a loop corrupts
 * nothing (without the restart, the handler's pop or push in the middle
 * of process context's would hand one object out twice or lose one,
 * which the patterns and the count of objects in use would show).
 */
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/restart.h>
#include <asm/sysreg.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/jiffies.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/percpu.h>
#include <mk64/printk.h>
#include <mk64/slab.h>
#include <mk64/slub_def.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include "mm_helpers.h"

#define NOINLINE __attribute__((noinline, noipa))

static DEFINE_PER_CPU(u64, test_counter);
static DEFINE_PER_CPU_ALIGNED(u32, test_aligned);

static void area_of_each_cpu(struct ktest *t)
{
	unsigned int cpu;

	KTEST_EXPECT_EQ(t, pcpu_nr_units, nr_cpu_ids);
	KTEST_EXPECT_EQ(t, read_sysreg(tpidr_el1), (u64)(uintptr_t)this_cpu_hot());
	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)this_cpu_hot(),
			(u64)(uintptr_t)per_cpu_ptr(&pcpu_hot, smp_processor_id()));
	KTEST_EXPECT_EQ(t, this_cpu_hot()->cpu_number, smp_processor_id());
	for_each_possible_cpu(cpu) {
		u64 area = (u64)(uintptr_t)per_cpu_ptr(&pcpu_hot, cpu);

		/* Its own PERCPU_UNIT_SIZE, in the linear map, on its CPU's node. */
		KTEST_EXPECT_EQ(t, per_cpu(pcpu_hot, cpu).cpu_number, cpu);
		KTEST_EXPECT_TRUE(t, virt_addr_is_linear(area));
		if (virt_addr_is_linear(area))
			KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page((void *)area)), cpu_to_node(cpu));
		for (unsigned int other = 0; other < cpu; other++) {
			u64 o = (u64)(uintptr_t)per_cpu_ptr(&pcpu_hot, other);

			KTEST_EXPECT_TRUE(t, area >= o + PERCPU_UNIT_SIZE || o >= area + PERCPU_UNIT_SIZE);
		}
	}
}

/*
 * Moves the running CPU's area and reads it back: without a dependency
 * on set_my_cpu_area(), the compiler may hand back the read made before
 * the move (the MRS is not volatile). In one function, as the boot CPU's
 * move in setup_per_cpu_areas() is, so that nothing but that dependency
 * orders them.
 */
static NOINLINE unsigned long area_seen_after_move(unsigned long to)
{
	unsigned long mine = __my_cpu_area(), seen;

	set_my_cpu_area(to);
	seen = __my_cpu_area();
	set_my_cpu_area(mine);
	return seen;
}

static void area_read_after_move(struct ktest *t)
{
	unsigned long mine, to, seen, flags;

	/* Masked: no handler may run on the moved area (it is never used). */
	local_irq_save(flags);
	mine = __my_cpu_area();
	to = mine + PERCPU_UNIT_SIZE;
	seen = area_seen_after_move(to);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, seen, to);
	KTEST_EXPECT_EQ(t, read_sysreg(tpidr_el1), mine);
}

static void accessors_one_copy_per_cpu(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;

	/* A per-CPU pointer is PERCPU_BASE plus the offset in each area. */
	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)&test_counter & ~(PERCPU_UNIT_SIZE - 1), PERCPU_BASE);
	KTEST_EXPECT_EQ(t, (u64)(uintptr_t)&test_aligned % 64, 0ull);
	for_each_possible_cpu(cpu)
		per_cpu(test_counter, cpu) = 1000 + cpu;
	KTEST_EXPECT_EQ(t, this_cpu_read(test_counter), 1000ull + me);
	this_cpu_write(test_counter, 7);
	this_cpu_inc(test_counter);
	this_cpu_add(test_counter, 10);
	this_cpu_dec(test_counter);
	raw_cpu_add(test_counter, 100);
	this_cpu_sub(test_counter, 4);
	KTEST_EXPECT_EQ(t, this_cpu_read(test_counter), 113ull);
	KTEST_EXPECT_EQ(t, raw_cpu_read(test_counter), 113ull);
	KTEST_EXPECT_TRUE(t, this_cpu_ptr(&test_counter) == per_cpu_ptr(&test_counter, me));
	/* Every other CPU's copy untouched. */
	for_each_possible_cpu(cpu)
		if (cpu != me)
			KTEST_EXPECT_EQ(t, per_cpu(test_counter, cpu), 1000ull + cpu);
	/* The same offset in each area. */
	for_each_possible_cpu(cpu)
		KTEST_EXPECT_EQ(t, (u64)(uintptr_t)per_cpu_ptr(&test_counter, cpu) -
					   (u64)(uintptr_t)per_cpu_ptr(&pcpu_hot, cpu),
				(u64)(uintptr_t)&test_counter - PERCPU_BASE);
}

static NOINLINE void read_at(void *addr)
{
	(void)*(volatile const u64 *)addr;
}

static void percpu_pointer_is_no_address(struct ktest *t)
{
	struct fault_info fi;

	KTEST_ASSERT_TRUE(t, fault_expect(read_at, &test_counter, &fi));
	KTEST_EXPECT_EQ(t, fi.far, (u64)(uintptr_t)&test_counter);
	KTEST_EXPECT_TRUE(t, fi.area && strstr(fi.area, "per-CPU pointer used as an address"));
	if (fi.area)
		ktest_info(t, "area: %s", fi.area);
}

struct four {
	u64 v[4];
};

static void alloc_percpu_zeroed_per_cpu(struct ktest *t)
{
	size_t used = pcpu_dynamic_used();
	struct four __percpu *a, *b, *again;
	unsigned int cpu;

	a = alloc_percpu(struct four);
	KTEST_ASSERT_TRUE(t, a != NULL);
	b = alloc_percpu(struct four);
	KTEST_ASSERT_TRUE(t, b != NULL);
	KTEST_EXPECT_EQ(t, pcpu_dynamic_used(), used + 2 * sizeof(struct four));
	for_each_possible_cpu(cpu) {
		struct four *pa = per_cpu_ptr(a, cpu), *pb = per_cpu_ptr(b, cpu);

		for (int i = 0; i < 4; i++)
			KTEST_EXPECT_EQ(t, pa->v[i] | pb->v[i], 0ull);
		/* No overlap within an area. */
		KTEST_EXPECT_TRUE(t, pa + 1 <= pb || pb + 1 <= pa);
		memset(pa, 0xff, sizeof(*pa));
	}
	this_cpu_ptr(b)->v[0] = 42;
	KTEST_EXPECT_EQ(t, per_cpu_ptr(b, smp_processor_id())->v[0], 42ull);
	free_percpu(a);
	/* Room given back is zeroed again for the next allocation. */
	again = alloc_percpu(struct four);
	KTEST_ASSERT_TRUE(t, again != NULL);
	for_each_possible_cpu(cpu)
		KTEST_EXPECT_EQ(t, per_cpu_ptr(again, cpu)->v[3], 0ull);
	free_percpu(again);
	free_percpu(b);
	KTEST_EXPECT_EQ(t, pcpu_dynamic_used(), used);
	/* Bad requests. */
	KTEST_EXPECT_TRUE(t, __alloc_percpu(8, 3) == NULL);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(8, 128) == NULL);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(PERCPU_UNIT_SIZE, 8) == NULL);
	KTEST_EXPECT_EQ(t, pcpu_dynamic_used(), used);
}

static void alloc_percpu_fills_then_fails(struct ktest *t)
{
	static void __percpu *got[PERCPU_UNIT_SIZE / 1024];
	size_t used = pcpu_dynamic_used();
	unsigned int n = 0;

	while (n < ARRAY_SIZE(got) && (got[n] = __alloc_percpu(1024, 64)))
		n++;
	/* The template and what the boot made use part of the areas. */
	KTEST_EXPECT_LT(t, n, (unsigned int)ARRAY_SIZE(got));
	KTEST_EXPECT_GT(t, n, 0u);
	KTEST_EXPECT_LE(t, used + n * 1024ul, PERCPU_UNIT_SIZE);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(1024, 64) == NULL);
	while (n)
		free_percpu(got[--n]);
	KTEST_EXPECT_EQ(t, pcpu_dynamic_used(), used);
}

/* ---- restartable sections ------------------------------------------------ */

/* The section whose start lies in [fn, fn + 256), or NULL. */
static const struct restart_entry *section_in(const void *fn)
{
	for (const struct restart_entry *e = __start___restart_table; e < __stop___restart_table;
	     e++)
		if (e->start - (u64)(uintptr_t)fn < 256)
			return e;
	return NULL;
}

static void sections_cover_fast_paths(struct ktest *t)
{
	const void *fns[] = { (const void *)kmem_cache_alloc, (const void *)kmem_cache_free,
			      (const void *)kfree };

	for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
		const struct restart_entry *e = section_in(fns[i]);
		struct pt_regs regs;

		KTEST_EXPECT_TRUE(t, e != NULL);
		if (!e)
			continue;
		/* A dozen instructions or so, ending with the commit store. */
		KTEST_EXPECT_GT(t, e->end - e->start, 8 * 4ull);
		KTEST_EXPECT_LT(t, e->end - e->start, 24 * 4ull);
		KTEST_EXPECT_EQ(t, *(const u32 *)(uintptr_t)(e->end - 4) & 0xffc00000u,
				0xf9000000u);	/* STR Xt, [Xn, #imm] */
		regs.pc = e->start + 8;
		restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.pc, e->start);
		regs.pc = e->end - 4;
		restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.pc, e->start);
		regs.pc = e->end;
		restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.pc, e->end);
		regs.pc = e->start - 4;
		restart_fixup(&regs);
		KTEST_EXPECT_EQ(t, regs.pc, e->start - 4);
	}
}

#define PATTERN_IRQ 0xa5
#define PATTERN_TASK 0x3c
#define OBJ_SIZE 64
#define RUN_NS (2ull * 1000000000ull)
#define WANT_RESTARTS 8

static struct kmem_cache *restart_cache;

/* What each CPU's tick handler holds from one tick to the next. */
struct held {
	void *obj, *kobj;
	unsigned long runs, bad;
};

static DEFINE_PER_CPU(struct held, tick_held);

static bool filled(const void *p, u8 pattern)
{
	for (unsigned int i = 0; i < OBJ_SIZE; i++)
		if (((const u8 *)p)[i] != pattern)
			return false;
	return true;
}

/*
 * Takes new objects first, then checks and frees the ones of the last
 * tick: not last in, first out, so that a pop or push of its own in the
 * middle of the interrupted code's would change what that code commits.
 */
static void tick_swap(void *arg)
{
	struct held *h = this_cpu_ptr(&tick_held);
	void *obj = kmem_cache_alloc(restart_cache, GFP_ATOMIC);
	void *kobj = kmalloc(OBJ_SIZE, GFP_ATOMIC);

	(void)arg;
	if (obj)
		memset(obj, PATTERN_IRQ, OBJ_SIZE);
	if (kobj)
		memset(kobj, PATTERN_IRQ, OBJ_SIZE);
	if (h->obj) {
		h->bad += !filled(h->obj, PATTERN_IRQ);
		kmem_cache_free(restart_cache, h->obj);
	}
	if (h->kobj) {
		h->bad += !filled(h->kobj, PATTERN_IRQ);
		kfree(h->kobj);
	}
	h->obj = obj;
	h->kobj = kobj;
	h->runs++;
}

static void fast_paths_restart_under_ticks(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;
	unsigned long restarts = restart_count_cpu(me), bad = 0, loops = 0, runs = 0;
	const char *mark = "percpu test: restart";
	u64 start = arch_clock_ns();

	if (!arch_timer_irq())
		ktest_skip(t, "no timer interrupt");
	printk(KERN_INFO "%s\n", mark);
	restart_cache = kmem_cache_create("percpu-restart", OBJ_SIZE, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, restart_cache != NULL);
	if (restart_cache->flags & SLAB_DEBUG_FLAGS) {
		kmem_cache_destroy(restart_cache);
		ktest_skip(t, "slub_debug: debug caches take no fast path");
	}
	KTEST_ASSERT_EQ(t, tick_set_hook(tick_swap, NULL), 0);
	while (restart_count_cpu(me) - restarts < WANT_RESTARTS && arch_clock_ns() - start < RUN_NS) {
		for (int i = 0; i < 256; i++) {
			void *obj = kmem_cache_alloc(restart_cache, GFP_KERNEL);
			void *kobj = kmalloc(OBJ_SIZE, GFP_KERNEL);

			if (!obj || !kobj) {
				bad++;
				kmem_cache_free(restart_cache, obj);
				kfree(kobj);
				continue;
			}
			memset(obj, PATTERN_TASK, OBJ_SIZE);
			memset(kobj, PATTERN_TASK, OBJ_SIZE);
			bad += !filled(obj, PATTERN_TASK) + !filled(kobj, PATTERN_TASK);
			kfree(kobj);
			kmem_cache_free(restart_cache, obj);
		}
		loops++;
	}
	KTEST_EXPECT_EQ(t, tick_set_hook(NULL, NULL), 0);
	for_each_possible_cpu(cpu) {
		struct held *h = per_cpu_ptr(&tick_held, cpu);

		if (h->obj)
			bad += !filled(h->obj, PATTERN_IRQ);
		if (h->kobj)
			bad += !filled(h->kobj, PATTERN_IRQ);
		kmem_cache_free(restart_cache, h->obj);
		kfree(h->kobj);
		bad += h->bad;
		runs += h->runs;
		*h = (struct held){ 0 };
	}
	ktest_info(t, "%lu rounds of 256, %lu ticks, %lu restarts", loops, runs,
		   restart_count_cpu(me) - restarts);
	KTEST_EXPECT_EQ(t, bad, 0ul);
	/* No corrupted list or double free reported on the way. */
	KTEST_EXPECT_EQ(t, log_count_after(mark, "slub: "), 0);
	KTEST_EXPECT_GT(t, runs, 0ul);
	/* The mechanism under test was exercised. */
	KTEST_EXPECT_GT(t, restart_count_cpu(me) - restarts, 0ul);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(restart_cache), 0l);
	kmem_cache_destroy(restart_cache);
}

KTEST_SUITE(percpu, KTEST_CASE(area_of_each_cpu), KTEST_CASE(area_read_after_move),
	    KTEST_CASE(accessors_one_copy_per_cpu),
	    KTEST_CASE(percpu_pointer_is_no_address), KTEST_CASE(alloc_percpu_zeroed_per_cpu),
	    KTEST_CASE(alloc_percpu_fills_then_fails), KTEST_CASE(sections_cover_fast_paths),
	    KTEST_CASE(fast_paths_restart_under_ticks));
