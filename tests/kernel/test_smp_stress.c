/*
 * Every online CPU at once against the allocators, for a bounded number of
 * operations: kmalloc of every size class and of large sizes, objects of
 * caches all CPUs share, alloc_pages of orders 0-4 (highmem ones written
 * through kmap_atomic), vmalloc; each object filled with a pattern made
 * from its address, its owner and the owner's count, handed to another
 * CPU through a ring per pair of CPUs (most frees are remote), checked
 * byte for byte and freed there. Meanwhile the boot CPU's tick allocates
 * GFP_ATOMIC from its interrupt handler. Afterwards every counter (free
 * pages per zone, objects per cache, vmalloc areas, kmap slots) is back
 * where it was, and the operations are counted: a config asks for a number
 * (ktest.stress_ops=) and gets exactly that many, printed in a line the
 * test runner adds up over the configs.
 *
 * Then with memory tight: the load runs with GFP_NOWAIT while the tick
 * digs with GFP_ATOMIC below the min watermark down to its own floor
 * (__GFP_HIGH's half and __GFP_ATOMIC's further quarter, Linux's
 * ALLOC_HIGH and ALLOC_HARDER), and a GFP_KERNEL from the handler is
 * reported once and served without reclaim; a tick that finds the
 * per-CPU page list held by the code it interrupted takes the buddy
 * allocator instead of waiting; on a NUMA machine every CPU's allocations
 * come from its own node (the DT's numa-node-id of its cpu node).
 *
 * The seed of the CPUs' generators is printed (ktest.stress_seed= gives
 * it back): each CPU's sequence of requests follows from it; which CPU
 * frees what, and when, follows the interleaving.
 *
 * Secondary CPUs run the load from their mailbox (arch/arm64/smp.c), in
 * process context with interrupts unmasked (vmalloc and GFP_KERNEL need
 * one), taking their own ticks; the tick hooks here act on the boot CPU's.
 */
#include <libfdt.h>
#include <asm/arch.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <mk64/boot.h>
#include <mk64/cmdline.h>
#include <mk64/dt.h>
#include <mk64/gfp.h>
#include <mk64/highmem.h>
#include <mk64/jiffies.h>
#include <mk64/kernel.h>
#include <mk64/ktest.h>
#include <mk64/mmzone.h>
#include <mk64/percpu.h>
#include <mk64/preempt.h>
#include <mk64/printk.h>
#include <mk64/ratelimit.h>
#include <mk64/shrinker.h>
#include <mk64/slab.h>
#include <mk64/slub_def.h>
#include <mk64/smp.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include <mk64/topology.h>
#include <mk64/vmalloc.h>
#include "mm_helpers.h"

/* Long enough for any load; a hang is the runner's timeout to catch. */
#define CALL_TIMEOUT_NS (600 * NSEC_PER_SEC)
/* ktest.stress_ops= when a config gives none: a short run. */
#define STRESS_DEFAULT_OPS 24000ul
#define INVALID_CONTEXT "sleeping function called from invalid context at "

enum stress_kind { K_KMALLOC, K_LARGE, K_CACHE, K_PAGES, K_HIGHMEM, K_VMALLOC, NR_KINDS };

static const char *const kind_names[NR_KINDS] = {
	"kmalloc", "kmalloc_large", "kmem_cache", "alloc_pages", "highmem pages", "vmalloc",
};

/*
 * Out of 64 draws: small objects most, vmalloc least (its free flushes
 * the TLBs of every CPU, which QEMU with a host thread per CPU makes
 * cost milliseconds).
 */
static const unsigned int kind_weights[NR_KINDS] = { 24, 4, 16, 12, 7, 1 };

/* kmalloc's size classes, each drawn as often as the others. */
static const u32 kmalloc_classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048,
				       4096, 8192 };
#define LARGE_MAX (64u << 10)
#define VMALLOC_MAX (40u << 10)
#define PAGE_ORDERS 5		/* 0-4 */
#define HIGHMEM_ORDERS 3	/* 0-2 */

/* The shared caches: odd sizes, one aligned to cache lines. */
static const struct {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
} cache_specs[] = {
	{ "stress_24", 24, 0 },
	{ "stress_200", 200, 0 },
	{ "stress_1000", 1000, SLAB_HWCACHE_ALIGN },
};
#define NR_CACHES ARRAY_SIZE(cache_specs)

/* An object in flight: what its owner made, for whoever frees it. */
struct stress_obj {
	void *ptr;		/* the object; pages: the first struct page */
	u32 size;		/* bytes; pages: the order */
	u32 tag;		/* the owner's count of its allocations */
	u8 kind, owner, cache;
};

/* One producer, one consumer: head written by the first, tail by the second. */
#define RING_SLOTS 32
struct stress_ring {
	unsigned long head __aligned(64);
	unsigned long tail __aligned(64);
	struct stress_obj slot[RING_SLOTS] __aligned(64);
};

/* Objects a CPU frees itself (one draw in eight), oldest first. */
#define LOCAL_SLOTS 16

struct stress_cpu {
	u64 rng;
	u32 tag;
	unsigned long allocs, frees, remote, failed, bad;
	unsigned long kinds[NR_KINDS];
	unsigned long highmem;		/* highmem blocks among them */
	unsigned int kmap_left;		/* kmap_local slots still in use at the end */
	struct stress_obj local[LOCAL_SLOTS];
	unsigned int nlocal;
} __aligned(64);

struct stress_run {
	unsigned int nr, cpus[NR_CPUS];
	bool tight;			/* GFP_NOWAIT, failures allowed, until stop */
	unsigned long allocs_per_cpu;	/* without tight */
	u64 deadline;			/* with tight: arch_clock_ns() */
	unsigned long done, stop;
	struct kmem_cache *caches[NR_CACHES];
	struct stress_cpu cpu[NR_CPUS];
	struct stress_ring ring[NR_CPUS][NR_CPUS];	/* [from][to] */
	unsigned long reported;		/* bad objects described so far */
	/*
	 * With tick_vfree, vmalloc areas bound for the tick's CPU go to its
	 * tick instead, through a ring per CPU: vfree() from the interrupt
	 * is deferred to the next vmalloc or vfree of any CPU. tick_frees
	 * counts them (and what the tick left, freed after the load).
	 */
	bool tick_vfree;
	unsigned int tick_cpu;
	struct stress_ring tick_ring[NR_CPUS];
	struct stress_cpu tick_frees;
};

static struct stress_run *run;

/* ---- generator and patterns -------------------------------------------------- */

static u64 splitmix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* xorshift64*: a CPU's own sequence. */
static u64 next_rand(u64 *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dull;
}

static u32 rand_below(u64 *x, u32 n)
{
	return (u32)((next_rand(x) >> 32) * n >> 32);
}

static u64 stress_seed(void)
{
	char val[24];

	if (cmdline_get(boot_info.cmdline, "ktest.stress_seed", val, sizeof(val)))
		return strtoull(val, NULL, 0);
	return splitmix64(arch_clock_ns());
}

/* What an object's bytes must be: its address, owner, count and kind mixed. */
static u64 pattern_key(const struct stress_obj *o, unsigned long part)
{
	return splitmix64((u64)(uintptr_t)o->ptr ^ ((u64)o->owner << 56) ^ ((u64)o->tag << 16) ^
			  ((u64)o->kind << 8) ^ (part << 40));
}

/* One multiply-add a word: instructions are what an emulated CPU lacks. */
static u64 pattern_word(u64 key, size_t i)
{
	return key + i * 0xd6e8feb86659fd93ull;
}

/* Every byte of [p, p + size), p 8-byte aligned: words, then the tail. */
static void fill(void *p, size_t size, u64 key)
{
	u64 *w = p;
	size_t words = size / 8, i;

	for (i = 0; i < words; i++)
		w[i] = pattern_word(key, i);
	for (size_t j = 0; j < size % 8; j++)
		((u8 *)p)[words * 8 + j] = (u8)(pattern_word(key, words) >> (8 * j));
}

/* The offset of the first byte that is not the pattern, or -1. */
static long check(const void *p, size_t size, u64 key)
{
	const u64 *w = p;
	size_t words = size / 8, i;

	for (i = 0; i < words; i++)
		if (w[i] != pattern_word(key, i)) {
			u64 diff = w[i] ^ pattern_word(key, i);

			return (long)(i * 8 + (size_t)__builtin_ctzll(diff) / 8);
		}
	for (size_t j = 0; j < size % 8; j++)
		if (((const u8 *)p)[words * 8 + j] != (u8)(pattern_word(key, words) >> (8 * j)))
			return (long)(words * 8 + j);
	return -1;
}

/* Fills or checks each page of a block through a kmap_atomic slot. */
static long pages_pattern(const struct stress_obj *o, bool write)
{
	struct page *page = o->ptr;

	for (unsigned long i = 0; i < 1ul << o->size; i++) {
		void *va = kmap_atomic(page + i);
		long bad = -1;

		if (write)
			fill(va, PAGE_SIZE, pattern_key(o, i));
		else
			bad = check(va, PAGE_SIZE, pattern_key(o, i));
		kunmap_atomic(va);
		if (bad >= 0)
			return (long)(i * PAGE_SIZE) + bad;
	}
	return -1;
}

static size_t obj_bytes(const struct stress_obj *o)
{
	return o->kind == K_PAGES || o->kind == K_HIGHMEM ? PAGE_SIZE << o->size : o->size;
}

/* ---- one CPU's share ---------------------------------------------------------- */

/*
 * Draws a request and makes it; false when the allocation failed. The
 * draws do not depend on the outcome, so a CPU's requests follow from the
 * seed alone.
 */
static bool stress_alloc(struct stress_cpu *c, unsigned int me, struct stress_obj *o)
{
	gfp_t gfp = run->tight ? GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL;
	u32 pick = rand_below(&c->rng, 64), cls = rand_below(&c->rng, ARRAY_SIZE(kmalloc_classes));
	u32 r = (u32)next_rand(&c->rng);
	unsigned int kind = 0;

	while (pick >= kind_weights[kind])
		pick -= kind_weights[kind++];
	/* vmalloc's page tables come GFP_KERNEL: not while memory is tight. */
	if (run->tight && kind == K_VMALLOC)
		kind = K_KMALLOC;
	*o = (struct stress_obj){ .kind = (u8)kind, .owner = (u8)me, .tag = c->tag++ };
	switch (kind) {
	case K_KMALLOC: {
		u32 low = cls ? kmalloc_classes[cls - 1] : 0;

		o->size = low + 1 + r % (kmalloc_classes[cls] - low);
		o->ptr = kmalloc(o->size, gfp);
		break;
	}
	case K_LARGE:
		o->size = KMALLOC_MAX_CACHE_SIZE + 1 + r % (LARGE_MAX - KMALLOC_MAX_CACHE_SIZE);
		o->ptr = kmalloc(o->size, gfp);
		break;
	case K_CACHE:
		o->cache = (u8)(r % NR_CACHES);
		o->size = cache_specs[o->cache].size;
		o->ptr = kmem_cache_alloc(run->caches[o->cache], gfp);
		break;
	case K_PAGES:
		o->size = r % PAGE_ORDERS;
		o->ptr = alloc_pages(gfp, o->size);
		break;
	case K_HIGHMEM:
		o->size = r % HIGHMEM_ORDERS;
		o->ptr = alloc_pages(gfp | __GFP_HIGHMEM, o->size);
		break;
	default:
		o->size = 1 + r % VMALLOC_MAX;
		o->ptr = vmalloc(o->size);
		break;
	}
	if (!o->ptr) {
		c->failed++;
		return false;
	}
	c->allocs++;
	c->kinds[kind]++;
	if (kind == K_HIGHMEM)
		c->highmem += PageHighMem((struct page *)o->ptr);
	if (kind == K_PAGES || kind == K_HIGHMEM)
		pages_pattern(o, true);
	else
		fill(o->ptr, o->size, pattern_key(o, 0));
	return true;
}

/* Checks every byte of o, then frees it; a bad one is counted and described. */
static void stress_free(struct stress_cpu *c, unsigned int me, const struct stress_obj *o)
{
	bool pages = o->kind == K_PAGES || o->kind == K_HIGHMEM;
	long bad = pages ? pages_pattern(o, false) : check(o->ptr, o->size, pattern_key(o, 0));

	if (bad >= 0) {
		c->bad++;
		if (__atomic_fetch_add(&run->reported, 1, __ATOMIC_RELAXED) < 4)
			pr_err("smp_stress: CPU%u found %s %p (%zu bytes, CPU%u's #%u) changed at byte %ld\n",
			       me, kind_names[o->kind], o->ptr, obj_bytes(o), o->owner, o->tag,
			       bad);
	}
	switch (o->kind) {
	case K_KMALLOC:
	case K_LARGE:
		kfree(o->ptr);
		break;
	case K_CACHE:
		kmem_cache_free(run->caches[o->cache], o->ptr);
		break;
	case K_PAGES:
	case K_HIGHMEM:
		__free_pages(o->ptr, o->size);
		break;
	default:
		vfree(o->ptr);
		break;
	}
	c->frees++;
	c->remote += o->owner != me;
}

static bool ring_push(struct stress_ring *r, const struct stress_obj *o)
{
	unsigned long head = r->head;

	if (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) == RING_SLOTS)
		return false;
	r->slot[head % RING_SLOTS] = *o;
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
	return true;
}

static bool ring_pop(struct stress_ring *r, struct stress_obj *o)
{
	unsigned long tail = r->tail;

	if (tail == __atomic_load_n(&r->head, __ATOMIC_ACQUIRE))
		return false;
	*o = r->slot[tail % RING_SLOTS];
	__atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE);
	return true;
}

/* Frees whatever the other CPUs handed this one. */
static void consume(struct stress_cpu *c, unsigned int me)
{
	struct stress_obj o;

	for (unsigned int i = 0; i < run->nr; i++)
		while (ring_pop(&run->ring[run->cpus[i]][me], &o))
			stress_free(c, me, &o);
}

static bool stress_stop(unsigned long n)
{
	if (!run->tight)
		return n >= run->allocs_per_cpu;
	return READ_ONCE(run->stop) || arch_clock_ns() > run->deadline;
}

/*
 * One CPU's load: a request per turn, its object kept (one in eight) or
 * handed to another CPU, whose ring is waited for while full (freeing
 * what comes in meanwhile: two CPUs waiting for each other both drain).
 * A CPU that is done keeps draining until all are: nothing is pushed
 * after the last CPU is done, so the last pass empties every ring.
 */
static void stress_worker(void *unused)
{
	unsigned int me = smp_processor_id();
	struct stress_cpu *c = &run->cpu[me];

	(void)unused;
	for (unsigned long n = 0; !stress_stop(n); n++) {
		struct stress_obj o;
		/* One draw in eight keeps the object, the others pick another CPU. */
		u32 to = rand_below(&c->rng, 8 * (run->nr - 1));
		bool made;

		consume(c, me);
		made = stress_alloc(c, me, &o);
		if (to < run->nr - 1) {
			if (!made)
				continue;
			if (c->nlocal == LOCAL_SLOTS) {
				stress_free(c, me, &c->local[0]);
				c->nlocal--;
				memmove(&c->local[0], &c->local[1],
					sizeof(c->local[0]) * c->nlocal);
			}
			c->local[c->nlocal++] = o;
			continue;
		}
		/* One of the others, the running CPU skipped. */
		to = to % (run->nr - 1) + 1;
		for (unsigned int i = 0; i < run->nr; i++)
			if (run->cpus[i] == me)
				to = run->cpus[(i + to) % run->nr];
		if (made && run->tick_vfree && to == run->tick_cpu && o.kind == K_VMALLOC &&
		    ring_push(&run->tick_ring[me], &o))
			continue;
		while (made && !ring_push(&run->ring[me][to], &o)) {
			consume(c, me);
			cpu_relax();
		}
	}
	__atomic_fetch_add(&run->done, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&run->done, __ATOMIC_ACQUIRE) < run->nr) {
		consume(c, me);
		cpu_relax();
	}
	consume(c, me);
	for (unsigned int i = 0; i < c->nlocal; i++)
		stress_free(c, me, &c->local[i]);
	c->nlocal = 0;
	c->kmap_left = nr_kmap_local();
	drain_local_pages(NULL);
}

/* Runs fn on every online CPU at once, the running one included. */
static void on_all_cpus(struct ktest *t, void (*fn)(void *arg), void *arg)
{
	for (unsigned int i = 1; i < run->nr; i++)
		KTEST_ASSERT_EQ(t, smp_mailbox_post(run->cpus[i], fn, arg), 0);
	fn(arg);
	for (unsigned int i = 1; i < run->nr; i++)
		KTEST_ASSERT_EQ(t, smp_mailbox_wait(run->cpus[i], CALL_TIMEOUT_NS), 0);
}

/* ---- set-up and the counters ------------------------------------------------------ */

/*
 * What must be back where it was once the load is over: the pages the
 * zones can give (free, or in page tables vmalloc keeps: the framework's
 * per-zone check, summed, before the load's caches and state go), the
 * objects of every kmalloc cache, vmalloc's areas and pages, kmapped pages.
 */
struct stress_counters {
	unsigned long pages;
	long kmalloc_in_use[KMALLOC_SHIFT_HIGH + 1];
	struct vmalloc_usage vm;
	unsigned int kmapped;
};

/* With the CPUs parked: empty slabs back, the per-CPU page lists drained, then read. */
static void read_counters(struct stress_counters *sc)
{
	int nid;

	vmalloc_usage(&sc->vm);
	shrink_all_caches();
	sc->pages = 0;
	drain_all_pages(NULL);
	for_each_online_node(nid) {
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++) {
			const struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			sc->pages += zone_page_state(zone, NR_FREE_PAGES) +
				     zone_page_state(zone, NR_PAGETABLE);
		}
	}
	for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
		const struct kmem_cache *cache = kmalloc_caches[KMALLOC_NORMAL][i];

		sc->kmalloc_in_use[i] = cache ? slab_objects_in_use(cache) : 0;
	}
	sc->kmapped = nr_kmapped();
}

/* The counters against before; the load's own caches must hold nothing. */
static void expect_counters_back(struct ktest *t, const struct stress_counters *before)
{
	struct stress_counters now;

	read_counters(&now);
	KTEST_EXPECT_EQ(t, now.pages, before->pages);
	for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
		if (now.kmalloc_in_use[i] != before->kmalloc_in_use[i])
			ktest_fail(t, false, __FILE__, __LINE__,
				   "%s: %ld objects in use after the load, %ld before",
				   kmalloc_caches[KMALLOC_NORMAL][i]->name, now.kmalloc_in_use[i],
				   before->kmalloc_in_use[i]);
	for (unsigned int i = 0; i < NR_CACHES; i++)
		KTEST_EXPECT_EQ(t, slab_objects_in_use(run->caches[i]), 0l);
	KTEST_EXPECT_EQ(t, now.vm.nr_areas, before->vm.nr_areas);
	KTEST_EXPECT_EQ(t, now.vm.nr_pages, before->vm.nr_pages);
	KTEST_EXPECT_EQ(t, now.kmapped, before->kmapped);
	for (unsigned int i = 0; i < run->nr; i++)
		KTEST_EXPECT_EQ(t, run->cpu[run->cpus[i]].kmap_left, 0u);
}

/* The run's state and shared caches; every CPU's generator seeded from seed. */
static void stress_setup(struct ktest *t, u64 seed)
{
	unsigned int cpu;

	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU online");
	run = vzalloc(sizeof(*run));
	KTEST_ASSERT_TRUE(t, run != NULL);
	for_each_online_cpu(cpu) {
		run->cpus[run->nr++] = cpu;
		run->cpu[cpu].rng = splitmix64(seed + cpu) | 1;
	}
	for (unsigned int i = 0; i < NR_CACHES; i++) {
		run->caches[i] = kmem_cache_create(cache_specs[i].name, cache_specs[i].size, 0,
						   cache_specs[i].flags, NULL);
		KTEST_ASSERT_TRUE(t, run->caches[i] != NULL);
	}
}

static void stress_teardown(void)
{
	if (!run)
		return;
	for (unsigned int i = 0; i < NR_CACHES; i++)
		kmem_cache_destroy(run->caches[i]);
	vfree(run);
	run = NULL;
}

/* The sums over the CPUs. */
static struct stress_cpu stress_totals(void)
{
	struct stress_cpu sum = { 0 };

	for (unsigned int i = 0; i < run->nr; i++) {
		const struct stress_cpu *c = &run->cpu[run->cpus[i]];

		sum.allocs += c->allocs;
		sum.frees += c->frees;
		sum.remote += c->remote;
		sum.failed += c->failed;
		sum.bad += c->bad;
		sum.highmem += c->highmem;
		for (unsigned int k = 0; k < NR_KINDS; k++)
			sum.kinds[k] += c->kinds[k];
	}
	sum.frees += run->tick_frees.frees;
	sum.remote += run->tick_frees.remote;
	sum.bad += run->tick_frees.bad;
	return sum;
}

/* Whether some zone is HighMem with pages in it (highmem=). */
static bool have_highmem(void)
{
	int nid;

	for_each_online_node(nid)
		for (int z = 0; z < NODE_DATA(nid)->nr_zones; z++)
			if (NODE_DATA(nid)->node_zones[z].type == ZONE_HIGHMEM &&
			    NODE_DATA(nid)->node_zones[z].managed_pages)
				return true;
	return false;
}

/* ---- the tick during the load -------------------------------------------------------- */

/* What the boot CPU's tick does meanwhile: GFP_ATOMIC objects, a kmap_atomic page. */
struct tick_load {
	unsigned int cpu;
	unsigned long runs, ops, failed, bad, vfreed;
	bool stopped;
	struct page *high;	/* a page kept for kmap_atomic (highmem when there is some) */
};

static struct tick_load tick_load;

static void tick_load_hook(void *arg)
{
	struct tick_load *tl = arg;
	struct stress_obj o = { .kind = K_KMALLOC, .owner = (u8)tl->cpu, .tag = (u32)tl->runs };
	void *va;

	if (smp_processor_id() != tl->cpu || READ_ONCE(tl->stopped))
		return;
	o.size = kmalloc_classes[tl->runs % ARRAY_SIZE(kmalloc_classes)];
	o.ptr = kmalloc(o.size, GFP_ATOMIC);
	if (o.ptr) {
		fill(o.ptr, o.size, pattern_key(&o, 0));
		tl->bad += check(o.ptr, o.size, pattern_key(&o, 0)) >= 0;
		kfree(o.ptr);
		tl->ops += 2;
	} else {
		tl->failed++;
	}
	/* A vmalloc area from each CPU's ring, if any: vfree() defers it. */
	for (unsigned int i = 0; i < run->nr; i++) {
		struct stress_obj area;

		if (ring_pop(&run->tick_ring[run->cpus[i]], &area)) {
			stress_free(&run->tick_frees, tl->cpu, &area);
			tl->vfreed++;
		}
	}
	/* Maybe over a kmap_atomic slot of the interrupted code: the slot above it. */
	o = (struct stress_obj){ .kind = K_HIGHMEM, .ptr = tl->high, .tag = (u32)tl->runs };
	va = kmap_atomic(tl->high);
	fill(va, PAGE_SIZE, pattern_key(&o, 0));
	tl->bad += check(va, PAGE_SIZE, pattern_key(&o, 0)) >= 0;
	kunmap_atomic(va);
	WRITE_ONCE(tl->runs, tl->runs + 1);
}

static unsigned long config_ops(struct ktest *t)
{
	char val[24], *end;
	unsigned long ops;

	if (!cmdline_get(boot_info.cmdline, "ktest.stress_ops", val, sizeof(val)))
		return STRESS_DEFAULT_OPS;
	ops = strtoul(val, &end, 0);
	if (*end || !ops)
		ktest_fail(t, true, __FILE__, __LINE__, "ktest.stress_ops=%s: not a number", val);
	return ops;
}

/*
 * The bounded load: ktest.stress_ops= operations, an allocation and a free
 * of each object, in equal shares per CPU (the config's number must
 * divide); every allocation must succeed, every object come back intact,
 * most of them freed by another CPU, every kind drawn; the counters back.
 */
static void stress_all_cpus(struct ktest *t)
{
	unsigned long ops = config_ops(t), ticks, left, flags;
	bool hooked;
	struct stress_counters before;
	struct stress_cpu sum;
	u64 seed = stress_seed(), start;

	stress_setup(t, seed);
	if (ops % (2ul * run->nr)) {
		stress_teardown();
		ktest_fail(t, true, __FILE__, __LINE__,
			   "ktest.stress_ops=%lu: not a multiple of 2 x %u CPUs", ops, run->nr);
	}
	run->allocs_per_cpu = ops / (2ul * run->nr);
	ktest_info(t, "seed %#llx (ktest.stress_seed= repeats it), %u CPUs, %lu allocations each",
		   (unsigned long long)seed, run->nr, run->allocs_per_cpu);
	tick_load = (struct tick_load){ .cpu = smp_processor_id() };
	tick_load.high = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_TRUE(t, tick_load.high != NULL);
	read_counters(&before);
	start = arch_clock_ns();
	run->tick_cpu = tick_load.cpu;
	run->tick_vfree = arch_timer_irq() != 0;
	/* Masked while the hook starts and stops: each tick counted runs it. */
	local_irq_save(flags);
	ticks = tick_count_cpu(tick_load.cpu);
	hooked = run->tick_vfree && !tick_set_hook(tick_load_hook, &tick_load);
	local_irq_restore(flags);
	KTEST_ASSERT_EQ(t, hooked, run->tick_vfree);
	on_all_cpus(t, stress_worker, NULL);
	local_irq_save(flags);
	WRITE_ONCE(tick_load.stopped, true);
	ticks = tick_count_cpu(tick_load.cpu) - ticks;
	local_irq_restore(flags);
	tick_set_hook(NULL, NULL);
	left = 0;
	for (unsigned int i = 0; i < run->nr; i++) {
		struct stress_obj area;

		while (ring_pop(&run->tick_ring[run->cpus[i]], &area)) {
			stress_free(&run->tick_frees, tick_load.cpu, &area);
			left++;
		}
	}
	sum = stress_totals();
	ktest_info(t, "%lu allocations, %lu frees (%lu remote), %lu ms; kinds:", sum.allocs,
		   sum.frees, sum.remote, (unsigned long)((arch_clock_ns() - start) / 1000000));
	for (unsigned int k = 0; k < NR_KINDS; k++) {
		ktest_info(t, "  %s: %lu", kind_names[k], sum.kinds[k]);
		KTEST_EXPECT_GT(t, sum.kinds[k], 0ul);
	}
	ktest_info(t, "tick: %lu runs in %lu ticks, %lu GFP_ATOMIC operations, %lu failed, %lu vfree()s deferred (%lu areas left for after)",
		   tick_load.runs, ticks, tick_load.ops, tick_load.failed, tick_load.vfreed, left);
	/* With highmem=, kmap_atomic really maps: the blocks and the tick's page are highmem. */
	if (have_highmem()) {
		KTEST_EXPECT_GT(t, sum.highmem, 0ul);
		KTEST_EXPECT_TRUE(t, PageHighMem(tick_load.high));
	}
	/* The line the runner adds up: ops that were asked for and done. */
	printk(KERN_INFO "smp_stress: %lu operations on %u CPUs\n", sum.allocs + sum.frees,
	       run->nr);
	KTEST_EXPECT_EQ(t, sum.allocs, run->allocs_per_cpu * run->nr);
	KTEST_EXPECT_EQ(t, sum.allocs + sum.frees, ops);
	KTEST_EXPECT_EQ(t, sum.failed, 0ul);
	KTEST_EXPECT_EQ(t, sum.bad, 0ul);
	/* Seven in eight are handed over: well over three quarters. */
	KTEST_EXPECT_GT(t, sum.remote * 4, sum.frees * 3);
	KTEST_EXPECT_EQ(t, tick_load.failed, 0ul);
	KTEST_EXPECT_EQ(t, tick_load.bad, 0ul);
	KTEST_EXPECT_EQ(t, tick_load.runs, ticks);
	/* Areas were handed to the tick all along: a long run has it free some. */
	if (ticks >= 50)
		KTEST_EXPECT_GT(t, tick_load.vfreed, 0ul);
	expect_counters_back(t, &before);
	__free_page(tick_load.high);
	stress_teardown();
}

/* CPU cpu's per-CPU page lists of zone. */
static struct per_cpu_pages *cpu_pageset(struct zone *zone, unsigned int cpu)
{
	return per_cpu_ptr(zone->per_cpu_pageset, cpu);
}

/* ---- memory tight: the tick into the reserves ------------------------------------------ */

#define DIG_PER_TICK 32
#define STASH_MAX 4096
#define KERNEL_TICKS 5
#define TIGHT_TIMEOUT_NS (30 * NSEC_PER_SEC)

enum dig_stage { DIG, KERNEL_ALLOCS, DIG_DONE };

/* The tick's side while memory is tight: what it took, and what it saw. */
struct dig {
	unsigned int cpu, stage;
	struct zone *zone;
	unsigned long min, floor, slack;
	unsigned long dipped, lowest, refused, refused_free_max, pcp_held;
	unsigned long nowait_tried, nowait_wrong;
	unsigned long kernel_calls, kernel_got;
	u64 kernel_first_ns, kernel_last_ns;
	unsigned int kernel_ticks;
	bool hardirq;
	unsigned long nr;
	struct page *stash[STASH_MAX];
};

static struct dig *dig;

static unsigned long zone_free(const struct zone *zone)
{
	return (unsigned long)zone_page_state(zone, NR_FREE_PAGES);
}

/*
 * Each tick: GFP_ATOMIC pages, kept, until a request is refused. Below
 * min, a GFP_NOWAIT request goes first and must be refused (more than
 * slack pages below). Then GFP_KERNEL for KERNEL_TICKS ticks, reported
 * and served without reclaim, and the load is stopped.
 */
static void dig_hook(void *arg)
{
	struct dig *d = arg;

	if (smp_processor_id() != d->cpu || d->stage == DIG_DONE)
		return;
	d->hardirq = in_hardirq();
	d->pcp_held += READ_ONCE(cpu_pageset(d->zone, d->cpu)->locked) != 0;
	if (d->stage == DIG) {
		for (unsigned int i = 0; i < DIG_PER_TICK && d->nr < STASH_MAX; i++) {
			unsigned long free = zone_free(d->zone);
			struct page *page;

			if (free + d->slack < d->min) {
				d->nowait_tried++;
				page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
				if (page) {
					d->nowait_wrong++;
					__free_page(page);
				}
			}
			page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
			if (!page) {
				d->refused++;
				d->refused_free_max = max(d->refused_free_max, free);
				d->stage = KERNEL_ALLOCS;
				break;
			}
			d->stash[d->nr++] = page;
			if (page_zone(page) == d->zone && free < d->min) {
				d->dipped++;
				d->lowest = min(d->lowest, free);
			}
		}
		return;
	}
	if (!d->kernel_ticks++)
		d->kernel_first_ns = arch_clock_ns();
	d->kernel_last_ns = arch_clock_ns();
	for (unsigned int order = 0; order < 2; order++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		d->kernel_calls++;
		if (page) {
			d->kernel_got++;
			__free_pages(page, order);
		}
	}
	if (d->kernel_ticks == KERNEL_TICKS) {
		d->stage = DIG_DONE;
		WRITE_ONCE(run->stop, 1);
	}
}

/* Reclaim must not run while memory is tight: nothing here may reclaim. */
static unsigned long shrinker_calls, shrinker_irq_calls;

static unsigned long count_calls(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	__atomic_fetch_add(&shrinker_calls, 1, __ATOMIC_RELAXED);
	if (in_interrupt())
		__atomic_fetch_add(&shrinker_irq_calls, 1, __ATOMIC_RELAXED);
	return 0;
}

static unsigned long scan_nothing(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return SHRINK_STOP;
}

static struct shrinker reclaim_watch = {
	.count_objects = count_calls,
	.scan_objects = scan_nothing,
	.seeks = DEFAULT_SEEKS,
};

/*
 * Every zone a GFP_KERNEL request of this CPU's node may use (both nodes'
 * on a NUMA machine: the zonelist falls back) taken down to min plus two
 * per-CPU batches a CPU: the load's GFP_NOWAIT requests get a little,
 * then are refused at min.
 */
static bool take_down_to_min(struct list_head *taken)
{
	bool ok = true;

	for (struct zoneref *ref = NODE_DATA(numa_node_id())->node_zonelist._zonerefs; ref->zone;
	     ref++) {
		struct zone *zone = ref->zone;

		if (ref->zone_idx <= (int)gfp_zone(GFP_KERNEL) && zone->managed_pages)
			ok &= take_free_pages(zone, zone->_watermark[WMARK_MIN] +
						      2ul * cpu_pageset(zone, 0)->batch * run->nr,
					      taken);
	}
	return ok;
}

/*
 * Memory taken down to min and a little (take_down_to_min()); the load
 * (GFP_NOWAIT, which stops at min) on every CPU; the boot CPU's tick
 * digging with GFP_ATOMIC. The tick's requests must succeed below min
 * (the reserve) down to GFP_ATOMIC's floor, min less half less a quarter
 * of the rest (plus the zone's lowmem_reserve), some below __GFP_HIGH's
 * floor alone (ALLOC_HARDER at work), and be refused there; GFP_NOWAIT
 * is refused below min. Linux's figures, worked out here from the zone's
 * min. slack: pages the other CPUs may free between the tick's reading
 * and its request, a per-CPU batch each (they run at once only with a
 * host thread per CPU, or when QEMU switches CPUs inside the handler).
 */
static void atomic_from_tick_into_reserves(struct ktest *t)
{
	const char *mark = "smp_stress: memory tight";
	struct stress_counters before;
	unsigned long reserve;
	struct stress_cpu sum;
	LIST_HEAD(taken);
	u64 seed = stress_seed();

	if (!arch_timer_irq())
		ktest_skip(t, "no tick");
	stress_setup(t, seed);
	dig = vzalloc(sizeof(*dig));
	KTEST_ASSERT_TRUE(t, dig != NULL);
	dig->cpu = smp_processor_id();
	dig->zone = first_kernel_zone();
	dig->min = dig->zone->_watermark[WMARK_MIN];
	reserve = dig->zone->lowmem_reserve[gfp_zone(GFP_ATOMIC)];
	dig->floor = dig->min - dig->min / 2;
	dig->floor = dig->floor - dig->floor / 4 + reserve;
	dig->slack = (run->nr - 1) * (unsigned long)(cpu_pageset(dig->zone, dig->cpu)->batch + 16);
	dig->lowest = ~0ul;
	run->tight = true;
	run->deadline = arch_clock_ns() + TIGHT_TIMEOUT_NS;
	ktest_info(t, "seed %#llx, zone %s of node %d: min %lu, GFP_ATOMIC floor %lu, slack %lu",
		   (unsigned long long)seed, dig->zone->name, dig->zone->node, dig->min, dig->floor,
		   dig->slack);
	read_counters(&before);
	shrinker_calls = shrinker_irq_calls = 0;
	register_shrinker(&reclaim_watch);
	might_sleep_ratelimit_reset();
	printk(KERN_INFO "%s\n", mark);
	KTEST_EXPECT_TRUE(t, take_down_to_min(&taken));
	KTEST_ASSERT_EQ(t, tick_set_hook(dig_hook, dig), 0);
	on_all_cpus(t, stress_worker, NULL);
	tick_set_hook(NULL, NULL);
	while (dig->nr)
		__free_page(dig->stash[--dig->nr]);
	release_all(&taken);
	unregister_shrinker(&reclaim_watch);
	sum = stress_totals();
	ktest_info(t, "load: %lu allocations, %lu refused, %lu frees (%lu remote)", sum.allocs,
		   sum.failed, sum.frees, sum.remote);
	ktest_info(t, "tick: %lu pages below min (lowest at %lu free), refused at %lu free; the interrupted code held the per-CPU list %lu times",
		   dig->dipped, dig->lowest, dig->refused_free_max, dig->pcp_held);
	KTEST_EXPECT_EQ(t, dig->stage, (unsigned int)DIG_DONE);
	KTEST_EXPECT_TRUE(t, dig->hardirq);
	KTEST_EXPECT_GT(t, dig->dipped, 0ul);
	KTEST_EXPECT_GE(t, dig->lowest + dig->slack, dig->floor);
	/* Below __GFP_HIGH's floor alone: __GFP_ATOMIC's quarter was used too. */
	KTEST_EXPECT_LT(t, dig->lowest, dig->min - dig->min / 2 + reserve);
	KTEST_EXPECT_GT(t, dig->refused, 0ul);
	KTEST_EXPECT_LE(t, dig->refused_free_max, dig->floor + dig->slack);
	KTEST_EXPECT_GT(t, dig->nowait_tried, 0ul);
	KTEST_EXPECT_EQ(t, dig->nowait_wrong, 0ul);
	/* The load ran into min too, and every object came back intact. */
	KTEST_EXPECT_GT(t, sum.allocs, 0ul);
	KTEST_EXPECT_GT(t, sum.failed, 0ul);
	KTEST_EXPECT_EQ(t, sum.allocs, sum.frees);
	KTEST_EXPECT_EQ(t, sum.bad, 0ul);
	/* GFP_KERNEL from the handler: reported once for its site, never reclaiming. */
	KTEST_EXPECT_EQ(t, dig->kernel_calls, 2ul * KERNEL_TICKS);
	KTEST_EXPECT_EQ(t, shrinker_calls, 0ul);
	KTEST_EXPECT_EQ(t, shrinker_irq_calls, 0ul);
	if (dig->kernel_last_ns - dig->kernel_first_ns < NSEC_PER_SEC) {
		KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT "mm/gfp.c:"), 1);
		KTEST_EXPECT_EQ(t, log_count_after(mark, " dig_hook+"), 1);
	}
	KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT),
			log_count_after(mark, INVALID_CONTEXT "mm/gfp.c:"));
	might_sleep_ratelimit_reset();
	expect_counters_back(t, &before);
	vfree(dig);
	dig = NULL;
	stress_teardown();
}

/* ---- a per-CPU list held by the interrupted code ------------------------------------------ */

struct held_pcp {
	unsigned int cpu;
	struct zone *zone;
	unsigned long runs, got, wrong_free, pcp_changed, waited;
	int pcp_count;
	unsigned long done;
};

/*
 * From the tick, with this CPU's list of the zone held: a block of every
 * per-CPU order, taken from and given back to the buddy allocator (the
 * free count moves by exactly the block), the list untouched.
 */
static void held_pcp_hook(void *arg)
{
	struct held_pcp *h = arg;
	struct per_cpu_pages *pcp = cpu_pageset(h->zone, h->cpu);

	if (smp_processor_id() != h->cpu || h->runs)
		return;
	for (unsigned int order = 0; order <= PAGE_ALLOC_COSTLY_ORDER; order++) {
		unsigned long free = zone_free(h->zone);
		struct page *page = alloc_pages(GFP_ATOMIC, order);

		if (!page)
			continue;
		h->got++;
		h->wrong_free += page_zone(page) != h->zone ||
				 zone_free(h->zone) != free - (1ul << order);
		memset(page_address(page), 0x3c, PAGE_SIZE << order);
		__free_pages(page, order);
		h->wrong_free += zone_free(h->zone) != free;
	}
	h->pcp_changed = READ_ONCE(pcp->count) != h->pcp_count;
	WRITE_ONCE(h->runs, 1);
}

/* Another CPU's watch: a handler that waits for the list is let go, and says so. */
static void release_if_stuck(void *arg)
{
	struct held_pcp *h = arg;
	u64 end = arch_clock_ns() + 3 * NSEC_PER_SEC;

	while (!__atomic_load_n(&h->runs, __ATOMIC_ACQUIRE) && arch_clock_ns() < end)
		cpu_relax();
	if (!__atomic_load_n(&h->runs, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&cpu_pageset(h->zone, h->cpu)->locked, __ATOMIC_ACQUIRE)) {
		h->waited = 1;
		__atomic_store_n(&cpu_pageset(h->zone, h->cpu)->locked, 0, __ATOMIC_RELEASE);
	}
}

/*
 * The situation built on purpose: the boot CPU takes its own per-CPU list
 * of its first zone (as its allocation fast path does, with interrupts
 * on) and lets the tick in. The handler must fall back to the buddy
 * allocator; were it to wait, the code holding the list would never run
 * again (with a second CPU, that CPU lets it go after 3 s and the case
 * fails instead of hanging). The list gets a few pages first, so that
 * using it would show.
 */
static void tick_never_waits_for_held_pcp(struct ktest *t)
{
	struct held_pcp h = { .cpu = smp_processor_id(), .zone = first_kernel_zone() };
	struct per_cpu_pages *pcp = cpu_pageset(h.zone, h.cpu);
	unsigned int watcher = 0, cpu;
	struct page *pages[4];
	unsigned long flags;
	u64 end;

	if (!arch_timer_irq())
		ktest_skip(t, "no tick");
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		if (pages[i])
			__free_page(pages[i]);
	for_each_online_cpu(cpu)
		if (cpu != h.cpu && !watcher)
			watcher = cpu;
	local_irq_save(flags);
	KTEST_ASSERT_FALSE(t, __atomic_exchange_n(&pcp->locked, 1, __ATOMIC_ACQUIRE));
	h.pcp_count = pcp->count;
	KTEST_EXPECT_GT(t, h.pcp_count, 0);
	printk(KERN_INFO "smp_stress: CPU%u holds its per-CPU list of zone %s; a hang here is a tick handler waiting for it\n",
	       h.cpu, h.zone->name);
	if (watcher)
		KTEST_EXPECT_EQ(t, smp_mailbox_post(watcher, release_if_stuck, &h), 0);
	if (tick_set_hook(held_pcp_hook, &h)) {
		__atomic_store_n(&pcp->locked, 0, __ATOMIC_RELEASE);
		local_irq_restore(flags);
		ktest_fail(t, true, __FILE__, __LINE__, "tick hook busy");
	}
	local_irq_enable();
	end = arch_clock_ns() + 5 * NSEC_PER_SEC;
	while (!READ_ONCE(h.runs) && arch_clock_ns() < end)
		cpu_relax();
	local_irq_restore(flags);
	tick_set_hook(NULL, NULL);
	if (watcher)
		KTEST_EXPECT_EQ(t, smp_mailbox_wait(watcher, CALL_TIMEOUT_NS), 0);
	KTEST_EXPECT_EQ(t, h.waited, 0ul);
	/* Still held, unless the watch had to let it go. */
	KTEST_EXPECT_EQ(t, __atomic_exchange_n(&pcp->locked, 0, __ATOMIC_RELEASE) != 0, !h.waited);
	KTEST_EXPECT_EQ(t, h.runs, 1ul);
	KTEST_EXPECT_EQ(t, h.got, PAGE_ALLOC_COSTLY_ORDER + 1ul);
	KTEST_EXPECT_EQ(t, h.wrong_free, 0ul);
	KTEST_EXPECT_EQ(t, h.pcp_changed, 0ul);
	KTEST_EXPECT_EQ(t, pcp->count, h.pcp_count);
}

/* ---- NUMA: each CPU's node ------------------------------------------------------------ */

/* The numa-node-id of cpu's node in the DT (0 without one), or -1 when not found. */
static int dt_cpu_node(unsigned int cpu)
{
	const void *fdt = boot_info.fdt;
	int cpus = fdt ? fdt_path_offset(fdt, "/cpus") : -1, node;

	if (cpus < 0)
		return -1;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = dt_string(fdt, node, "device_type");
		u64 hwid;
		u32 nid = 0;

		if (!type || strcmp(type, "cpu") || dt_cpu_hwid(fdt, node, &hwid) ||
		    hwid != cpu_logical_map(cpu))
			continue;
		dt_u32(fdt, node, "numa-node-id", &nid);
		return (int)nid;
	}
	return -1;
}

struct node_check {
	int want;
	unsigned long checked, wrong;
	int first_wrong;
	const char *first_what;
};

static void node_expect(struct node_check *nc, struct page *page, const char *what)
{
	nc->checked++;
	if (page_to_nid(page) != nc->want && !nc->wrong++) {
		nc->first_wrong = page_to_nid(page);
		nc->first_what = what;
	}
}

/*
 * On the CPU under test, its per-CPU slabs given back before
 * (shrink_all_caches()): pages of every order, kmalloc of every class and a large
 * one, a new cache's object, every page of a vmalloc area.
 */
static void allocate_on_node(void *arg)
{
	struct node_check *nc = arg;
	struct kmem_cache *s;
	void *objs[ARRAY_SIZE(kmalloc_classes) + 1], *area, *obj;

	for (unsigned int order = 0; order < PAGE_ORDERS; order++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		if (page) {
			node_expect(nc, page, "alloc_pages");
			__free_pages(page, order);
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmalloc(i < ARRAY_SIZE(kmalloc_classes) ? kmalloc_classes[i] : LARGE_MAX,
				  GFP_KERNEL);
		if (objs[i])
			node_expect(nc, virt_to_page(objs[i]), "kmalloc");
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
	s = kmem_cache_create("stress_node", 136, 0, 0, NULL);
	obj = s ? kmem_cache_alloc(s, GFP_KERNEL) : NULL;
	if (obj) {
		node_expect(nc, virt_to_page(obj), "kmem_cache_alloc");
		kmem_cache_free(s, obj);
	}
	area = vmalloc(16 * PAGE_SIZE);
	for (unsigned int i = 0; area && i < 16; i++)
		node_expect(nc, vmalloc_to_page((char *)area + i * PAGE_SIZE), "vmalloc");
	vfree(area);
	if (s)
		kmem_cache_destroy(s);
	drain_local_pages(NULL);
}

static void allocations_on_local_node(struct ktest *t)
{
	unsigned int cpu;

	need_nodes(t);
	if (nr_online_nodes < 2)
		ktest_skip(t, "one node");
	for_each_online_cpu(cpu) {
		struct node_check nc = { .want = dt_cpu_node(cpu) };

		KTEST_ASSERT_GE(t, nc.want, 0);
		KTEST_EXPECT_EQ(t, cpu_to_node(cpu), nc.want);
		shrink_all_caches();
		if (cpu == smp_processor_id())
			allocate_on_node(&nc);
		else
			KTEST_ASSERT_EQ(t, smp_mailbox_call(cpu, allocate_on_node, &nc,
							    CALL_TIMEOUT_NS), 0);
		/* Every order, every class and a large one, the cache's, 16 pages. */
		KTEST_EXPECT_EQ(t, nc.checked,
				PAGE_ORDERS + ARRAY_SIZE(kmalloc_classes) + 1 + 1 + 16ul);
		if (nc.wrong)
			ktest_fail(t, false, __FILE__, __LINE__,
				   "CPU%u (node %d): %lu of %lu allocations elsewhere, the first a %s on node %d",
				   cpu, nc.want, nc.wrong, nc.checked, nc.first_what,
				   nc.first_wrong);
	}
}

/* ---- each CPU's context ---------------------------------------------------------------- */

static void gfp_kernel_masked(void *arg)
{
	unsigned long flags;
	struct page *page;

	local_irq_save(flags);
	page = alloc_page(GFP_KERNEL);
	local_irq_restore(flags);
	*(bool *)arg = page != NULL;
	if (page)
		__free_page(page);
	drain_local_pages(NULL);
}

/*
 * GFP_KERNEL with interrupts masked on a secondary CPU is reported,
 * naming the CPU's own context (swapper/N, as Linux's idle tasks), and
 * served. The allocator reads the context's flags on its slow
 * paths, so every CPU must have one.
 */
static void invalid_context_names_each_cpu(struct ktest *t)
{
	unsigned int cpu;

	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU online");
	for_each_online_cpu(cpu) {
		char mark[48], name[40];
		bool got = false;

		if (cpu == smp_processor_id())
			continue;
		snprintf(mark, sizeof(mark), "smp_stress: GFP_KERNEL masked on CPU%u", cpu);
		snprintf(name, sizeof(name), "irqs_disabled(): 1, pid: 0, name: swapper/%u\n", cpu);
		might_sleep_ratelimit_reset();
		printk(KERN_INFO "%s\n", mark);
		KTEST_ASSERT_EQ(t, smp_mailbox_call(cpu, gfp_kernel_masked, &got, CALL_TIMEOUT_NS),
				0);
		KTEST_EXPECT_TRUE(t, got);
		KTEST_EXPECT_EQ(t, log_count_after(mark, INVALID_CONTEXT "mm/gfp.c:"), 1);
		KTEST_EXPECT_EQ(t, log_count_after(mark, name), 1);
		KTEST_EXPECT_EQ(t, log_count_after(mark, " gfp_kernel_masked+"), 1);
	}
	might_sleep_ratelimit_reset();
}

KTEST_SUITE(smp_stress, KTEST_CASE(invalid_context_names_each_cpu), KTEST_CASE(stress_all_cpus),
	    KTEST_CASE(atomic_from_tick_into_reserves), KTEST_CASE(tick_never_waits_for_held_pcp),
	    KTEST_CASE(allocations_on_local_node));
