/*
 * ktest: the in-kernel test framework, printing KTAP version 1 (the format
 * of Linux's KUnit). The same suites also build for the host (MK64_HOST),
 * where tests/host/main.c runs them.
 *
 * A suite is registered with KTEST_SUITE(name, KTEST_CASE(fn), ...); each
 * case is a void fn(struct ktest *t). EXPECT checks record a failure and go
 * on; ASSERT checks end the case. Suites made with KTEST_BENCH_SUITE run
 * only in bench mode and report figures with ktest_bench_end().
 */
#ifndef MK64_KTEST_H
#define MK64_KTEST_H

#include <mk64/compiler.h>
#include <mk64/setjmp.h>
#include <mk64/types.h>

struct ktest {
	const char *name;
	unsigned int failures;
	bool skipped;
	const char *skip_reason;
	jmp_buf abort_env;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned int ncases;
	bool bench;
};

struct ktest_totals {
	unsigned int pass, fail, skip;
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE_(ident, is_bench, ...)                                        \
	static const struct ktest_case ident##_cases[] = { __VA_ARGS__ };        \
	static const struct ktest_suite ident##_suite = {                        \
		#ident, ident##_cases, ARRAY_SIZE(ident##_cases), is_bench };    \
	static const struct ktest_suite *const ident##_suite_ptr __used          \
		__section("ktest_suites") = &ident##_suite

#define KTEST_SUITE(ident, ...) KTEST_SUITE_(ident, false, __VA_ARGS__)
#define KTEST_BENCH_SUITE(ident, ...) KTEST_SUITE_(ident, true, __VA_ARGS__)

/*
 * Runs every registered suite whose name (or "suite.case") matches one of
 * the comma-separated glob patterns in filter (NULL or "" means all), only
 * bench suites when bench is true and only the others otherwise. Prints the
 * KTAP log and a "# Totals:" line; returns the totals.
 */
struct ktest_totals ktest_run(const char *filter, bool bench);

/*
 * Raises the unhandled exception named by kind ("null", "undef", "brk", "bug",
 * "overflow", "vmalloc": past a vmalloc area's end, "vfree": a read after
 * vfree) for
 * the ktest.crash= boot argument; returns only for an unknown kind.
 */
void ktest_crash(const char *kind);

/* Platform hooks: kernel in tests/ktest_kernel.c, host in tests/host/main.c. */
void ktest_printf(const char *fmt, ...) __printf(1, 2);
u64 ktest_now_ns(void);
/*
 * Around every case: start snapshots what a case must give back; done
 * runs however the case ended, drops per-case state and fails the case
 * (EXPECT-style) for what it did not give back, e.g. leaked pages.
 */
void ktest_case_start(void);
void ktest_case_done(struct ktest *t);
/*
 * Their slab part (tests/ktest_slab.c), for both platforms: empty slabs
 * given back, objects in use per cache snapshotted, then compared.
 */
void ktest_slab_start(void);
void ktest_slab_done(struct ktest *t);
/*
 * The kernel's kmap part: fails the case for kmap_local slots still mapped
 * on this CPU (and unmaps them) or more pages kmapped than at its start.
 */
void ktest_kmap_done(struct ktest *t);
/* Instructions retired so far, or false when there is no counter. */
bool ktest_insns(u64 *count);

void ktest_fail(struct ktest *t, bool fatal, const char *file, int line,
		const char *fmt, ...) __printf(5, 6);
void ktest_fail_binary(struct ktest *t, bool fatal, const char *file, int line,
		       const char *left, const char *op, const char *right,
		       long long lval, long long rval);
void ktest_fail_str(struct ktest *t, bool fatal, const char *file, int line,
		    const char *left, const char *right, const char *lval,
		    const char *rval);
/* Marks the case skipped and ends it. */
void ktest_skip(struct ktest *t, const char *reason) __noreturn;
/* A "#" diagnostic line attached to the current case. */
void ktest_info(struct ktest *t, const char *fmt, ...) __printf(2, 3);

#define KTEST_BINARY_(t, fatal, a, op, b)                                         \
	do {                                                                      \
		__typeof__(a) ktest_a_ = (a);                                     \
		__typeof__(b) ktest_b_ = (b);                                     \
		if (!(ktest_a_ op ktest_b_))                                      \
			ktest_fail_binary(t, fatal, __FILE__, __LINE__, #a, #op, #b, \
					  (long long)ktest_a_, (long long)ktest_b_); \
	} while (0)

#define KTEST_TRUE_(t, fatal, cond)                                               \
	do {                                                                      \
		if (!(cond))                                                      \
			ktest_fail(t, fatal, __FILE__, __LINE__,                  \
				   "Expected %s to be true", #cond);              \
	} while (0)

#define KTEST_STREQ_(t, fatal, a, b)                                              \
	do {                                                                      \
		const char *ktest_a_ = (a), *ktest_b_ = (b);                      \
		if (!ktest_a_ || !ktest_b_ || ktest_strcmp(ktest_a_, ktest_b_))   \
			ktest_fail_str(t, fatal, __FILE__, __LINE__, #a, #b,      \
				       ktest_a_, ktest_b_);                       \
	} while (0)

int ktest_strcmp(const char *a, const char *b);

#define KTEST_EXPECT_TRUE(t, c) KTEST_TRUE_(t, false, c)
#define KTEST_EXPECT_FALSE(t, c) KTEST_TRUE_(t, false, !(c))
#define KTEST_EXPECT_EQ(t, a, b) KTEST_BINARY_(t, false, a, ==, b)
#define KTEST_EXPECT_NE(t, a, b) KTEST_BINARY_(t, false, a, !=, b)
#define KTEST_EXPECT_LT(t, a, b) KTEST_BINARY_(t, false, a, <, b)
#define KTEST_EXPECT_LE(t, a, b) KTEST_BINARY_(t, false, a, <=, b)
#define KTEST_EXPECT_GT(t, a, b) KTEST_BINARY_(t, false, a, >, b)
#define KTEST_EXPECT_GE(t, a, b) KTEST_BINARY_(t, false, a, >=, b)
#define KTEST_EXPECT_STREQ(t, a, b) KTEST_STREQ_(t, false, a, b)

#define KTEST_ASSERT_TRUE(t, c) KTEST_TRUE_(t, true, c)
#define KTEST_ASSERT_FALSE(t, c) KTEST_TRUE_(t, true, !(c))
#define KTEST_ASSERT_EQ(t, a, b) KTEST_BINARY_(t, true, a, ==, b)
#define KTEST_ASSERT_NE(t, a, b) KTEST_BINARY_(t, true, a, !=, b)
#define KTEST_ASSERT_LT(t, a, b) KTEST_BINARY_(t, true, a, <, b)
#define KTEST_ASSERT_LE(t, a, b) KTEST_BINARY_(t, true, a, <=, b)
#define KTEST_ASSERT_GT(t, a, b) KTEST_BINARY_(t, true, a, >, b)
#define KTEST_ASSERT_GE(t, a, b) KTEST_BINARY_(t, true, a, >=, b)
#define KTEST_ASSERT_STREQ(t, a, b) KTEST_STREQ_(t, true, a, b)

/*
 * Report checks, alike in the kernel and on the host (whose printk keeps
 * the same log tail): ktest_log_mark() remembers where the log ends, and
 * ktest_log_has() is true when text was logged after the last mark (or
 * anywhere in the tail when the log was empty at the mark).
 */
void ktest_log_mark(void);
bool ktest_log_has(const char *text);
#define KTEST_EXPECT_REPORT(t, text) KTEST_EXPECT_TRUE(t, ktest_log_has(text))

/* Benchmarks: ops operations timed between start and end. */
struct ktest_bench {
	u64 ns;
	u64 insns;
	bool have_insns;
};
void ktest_bench_start(struct ktest_bench *b);
/*
 * Prints "# bench: <name> ops=<N> ns_per_op=<X.X>[ insns_per_op=<Y.Y>]
 * loop_ns_per_op=<Z.Z>", Z the cost of an empty loop of N turns (included
 * in X, not subtracted).
 */
void ktest_bench_end(struct ktest_bench *b, const char *name, u64 ops);

#endif
