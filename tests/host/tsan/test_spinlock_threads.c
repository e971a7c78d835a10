/*
 * mk64/spinlock.h with real threads, under ThreadSanitizer: a thread per
 * CPU (host_cpu is thread-local in this binary), the wait for a ticket
 * yielding instead of WFE (tests/host/tsan/include/asm/processor.h).
 *
 * Mutual exclusion: plain, non-atomic counters changed only under the lock
 * by every thread at once must add up, and a holder must never find
 * another inside. ThreadSanitizer checks the orderings too: a lock whose
 * acquire or release were too weak would let it see two unordered
 * accesses to a counter, a data race it reports (exit status 66, which
 * fails the config). The runs take the 16-bit tickets round more than
 * twice. FIFO: waiters queued one at a time (each seen to have taken its
 * ticket before the next starts) get the lock in that order. Trylock: it
 * fails while another thread holds the lock, succeeds once it is free,
 * and keeps exclusion when it is all the threads use.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <mk64/ktest.h>
#include <mk64/preempt.h>
#include <mk64/spinlock.h>

#define THREADS 4u
#define ROUNDS 40000u		/* 160000 acquisitions: 2.4 turns of the tickets */
#define FIFO_WAITERS 6u		/* CPUs 1-6; the holder is CPU 0 */
#define WAIT_NS 10000000000ull

enum lock_kind { LOCK_SPIN, LOCK_ARCH, LOCK_TRY };

struct worker {
	pthread_t thread;
	unsigned int cpu;
	enum lock_kind kind;
	unsigned int rounds;
	int preempt_after;	/* the thread's own count at its end */
	unsigned long failed_tries;
};

static spinlock_t lock = SPINLOCK_INIT;
static unsigned long counter, inside, overlaps;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The critical section: plain accesses only. */
static void critical(void)
{
	if (inside++)
		overlaps++;
	counter++;
	inside--;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	host_cpu = w->cpu;
	for (unsigned int i = 0; i < w->rounds; i++) {
		switch (w->kind) {
		case LOCK_SPIN:
			spin_lock(&lock);
			critical();
			spin_unlock(&lock);
			break;
		case LOCK_ARCH:
			arch_spin_lock(&lock);
			critical();
			arch_spin_unlock(&lock);
			break;
		case LOCK_TRY:
			while (!spin_trylock(&lock)) {
				w->failed_tries++;
				cpu_relax();
			}
			critical();
			spin_unlock(&lock);
			break;
		}
	}
	w->preempt_after = preempt_count();
	return NULL;
}

static void run_workers(struct ktest *t, enum lock_kind kind, unsigned int rounds)
{
	struct worker w[THREADS];

	counter = inside = overlaps = 0;
	for (unsigned int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .cpu = i + 1, .kind = kind, .rounds = rounds };
		KTEST_ASSERT_EQ(t, pthread_create(&w[i].thread, NULL, work, &w[i]), 0);
	}
	for (unsigned int i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		KTEST_EXPECT_EQ(t, w[i].preempt_after, 0);
	}
	KTEST_EXPECT_EQ(t, counter, (unsigned long)THREADS * rounds);
	KTEST_EXPECT_EQ(t, overlaps, 0ul);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&lock));
	/* Every ticket taken was served: next and owner agree. */
	KTEST_EXPECT_EQ(t, lock.tickets.owner, lock.tickets.next);
}

static void spin_lock_excludes(struct ktest *t)
{
	run_workers(t, LOCK_SPIN, ROUNDS);
}

static void arch_spin_lock_excludes(struct ktest *t)
{
	run_workers(t, LOCK_ARCH, ROUNDS);
}

static void trylock_excludes(struct ktest *t)
{
	run_workers(t, LOCK_TRY, ROUNDS / 4);
}

/* The tickets taken so far, as a waiter about to queue would see them. */
static u16 next_ticket(void)
{
	return __atomic_load_n(&lock.tickets.next, __ATOMIC_ACQUIRE);
}

static unsigned int served[FIFO_WAITERS], nserved;

static void *fifo_waiter(void *arg)
{
	struct worker *w = arg;

	host_cpu = w->cpu;
	spin_lock(&lock);
	served[nserved++] = w->cpu;
	spin_unlock(&lock);
	w->preempt_after = preempt_count();
	return NULL;
}

static void fifo_order(struct ktest *t)
{
	struct worker w[FIFO_WAITERS];
	unsigned int started = 0;
	u16 first;

	nserved = 0;
	arch_spin_lock(&lock);
	first = next_ticket();
	for (unsigned int i = 0; i < FIFO_WAITERS; i++) {
		u64 end = now_ns() + WAIT_NS;

		w[i] = (struct worker){ .cpu = i + 1 };
		if (pthread_create(&w[i].thread, NULL, fifo_waiter, &w[i]))
			break;
		started++;
		while (next_ticket() != (u16)(first + i + 1) && now_ns() < end)
			cpu_relax();
		KTEST_EXPECT_EQ(t, next_ticket(), (u16)(first + i + 1));
	}
	/* All queued behind the holder, none served yet. */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&nserved, __ATOMIC_RELAXED), 0u);
	arch_spin_unlock(&lock);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	KTEST_ASSERT_EQ(t, started, FIFO_WAITERS);
	KTEST_ASSERT_EQ(t, nserved, FIFO_WAITERS);
	for (unsigned int i = 0; i < FIFO_WAITERS; i++) {
		KTEST_EXPECT_EQ(t, served[i], i + 1);
		KTEST_EXPECT_EQ(t, w[i].preempt_after, 0);
	}
}

static bool try_result;

static void *try_once(void *arg)
{
	struct worker *w = arg;

	host_cpu = w->cpu;
	try_result = spin_trylock(&lock);
	if (try_result)
		spin_unlock(&lock);
	w->preempt_after = preempt_count();
	return NULL;
}

/* Runs try_once on a thread of its own; returns what its trylock said. */
static bool trylock_on_thread(struct ktest *t)
{
	struct worker w = { .cpu = 1 };

	KTEST_ASSERT_EQ(t, pthread_create(&w.thread, NULL, try_once, &w), 0);
	pthread_join(w.thread, NULL);
	KTEST_EXPECT_EQ(t, w.preempt_after, 0);
	return try_result;
}

static void trylock_across_threads(struct ktest *t)
{
	arch_spin_lock(&lock);
	KTEST_EXPECT_FALSE(t, trylock_on_thread(t));
	arch_spin_unlock(&lock);
	KTEST_EXPECT_TRUE(t, trylock_on_thread(t));
	KTEST_EXPECT_FALSE(t, spin_is_locked(&lock));
}

KTEST_SUITE(spinlock_threads, KTEST_CASE(spin_lock_excludes), KTEST_CASE(arch_spin_lock_excludes),
	    KTEST_CASE(trylock_excludes), KTEST_CASE(fifo_order), KTEST_CASE(trylock_across_threads));
