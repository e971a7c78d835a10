/*
 * ktest core: walks the suites in the "ktest_suites" section and prints
 * KTAP version 1. Portable: the kernel and the host provide ktest_printf(),
 * ktest_now_ns() and ktest_insns().
 */
#include <stdarg.h>
#include <mk64/glob.h>
#include <mk64/ktest.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

extern const struct ktest_suite *const __start_ktest_suites[];
extern const struct ktest_suite *const __stop_ktest_suites[];

#define SUITE_INDENT "    "

int ktest_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static void end_case(struct ktest *t, bool fatal)
{
	if (fatal)
		longjmp(t->abort_env, 1);
}

static void fail_header(struct ktest *t, bool fatal, const char *file, int line)
{
	t->failures++;
	ktest_printf(SUITE_INDENT "# %s: %s FAILED at %s:%d\n", t->name,
		     fatal ? "ASSERTION" : "EXPECTATION", file, line);
}

void ktest_fail(struct ktest *t, bool fatal, const char *file, int line,
		const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	fail_header(t, fatal, file, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktest_printf(SUITE_INDENT "# %s\n", msg);
	end_case(t, fatal);
}

void ktest_fail_binary(struct ktest *t, bool fatal, const char *file, int line,
		       const char *left, const char *op, const char *right,
		       long long lval, long long rval)
{
	fail_header(t, fatal, file, line);
	ktest_printf(SUITE_INDENT "# Expected %s %s %s, but\n", left, op, right);
	ktest_printf(SUITE_INDENT "#     %s == %lld (0x%llx)\n", left, lval,
		     (unsigned long long)lval);
	ktest_printf(SUITE_INDENT "#     %s == %lld (0x%llx)\n", right, rval,
		     (unsigned long long)rval);
	end_case(t, fatal);
}

void ktest_fail_str(struct ktest *t, bool fatal, const char *file, int line,
		    const char *left, const char *right, const char *lval,
		    const char *rval)
{
	fail_header(t, fatal, file, line);
	ktest_printf(SUITE_INDENT "# Expected %s == %s, but\n", left, right);
	ktest_printf(SUITE_INDENT "#     %s == \"%s\"\n", left, lval ? lval : "(null)");
	ktest_printf(SUITE_INDENT "#     %s == \"%s\"\n", right, rval ? rval : "(null)");
	end_case(t, fatal);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
	longjmp(t->abort_env, 1);
}

void ktest_info(struct ktest *t, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktest_printf(SUITE_INDENT "# %s: %s\n", t->name, msg);
}

/*
 * The mark is the log's last bytes: time stamps make them unique. The tail
 * is read into a static buffer, too large for a kernel stack.
 */
#define LOG_MARK_LEN 48
static char log_tail[4096], log_mark[LOG_MARK_LEN];
static size_t log_mark_len;

void ktest_log_mark(void)
{
	size_t len = printk_log_tail(log_tail, sizeof(log_tail));

	log_mark_len = len < LOG_MARK_LEN ? len : LOG_MARK_LEN;
	memcpy(log_mark, log_tail + len - log_mark_len, log_mark_len);
}

bool ktest_log_has(const char *text)
{
	size_t len = printk_log_tail(log_tail, sizeof(log_tail)), n = strlen(text), from = 0;

	for (size_t i = len - (len < log_mark_len ? len : log_mark_len) + 1;
	     log_mark_len && i-- > 0;)
		if (!memcmp(log_tail + i, log_mark, log_mark_len)) {
			from = i + log_mark_len;
			break;
		}
	for (size_t i = from; i + n <= len; i++)
		if (!memcmp(log_tail + i, text, n))
			return true;
	return false;
}

void ktest_bench_start(struct ktest_bench *b)
{
	b->have_insns = ktest_insns(&b->insns);
	b->ns = ktest_now_ns();
}

/* Prints value/ops with one decimal, rounded to nearest. */
static void per_op(char *buf, size_t size, u64 value, u64 ops)
{
	u64 tenths = (value * 10 + ops / 2) / ops;

	snprintf(buf, size, "%llu.%llu", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
}

/*
 * The benchmark loop's own cost: ops turns of an empty loop between the
 * same two clock reads, printed beside each figure (not subtracted).
 */
static u64 empty_loop_ns(u64 ops)
{
	u64 ns = ktest_now_ns();

	for (u64 i = 0; i < ops; i++)
		__asm__ volatile("" ::: "memory");
	return ktest_now_ns() - ns;
}

void ktest_bench_end(struct ktest_bench *b, const char *name, u64 ops)
{
	u64 ns = ktest_now_ns() - b->ns;
	u64 insns = 0;
	char ns_buf[32], insn_buf[48] = "", loop_buf[32];

	if (b->have_insns && ktest_insns(&insns)) {
		char v[32];

		per_op(v, sizeof(v), insns - b->insns, ops ? ops : 1);
		snprintf(insn_buf, sizeof(insn_buf), " insns_per_op=%s", v);
	}
	per_op(ns_buf, sizeof(ns_buf), ns, ops ? ops : 1);
	per_op(loop_buf, sizeof(loop_buf), empty_loop_ns(ops), ops ? ops : 1);
	ktest_printf(SUITE_INDENT "# bench: %s ops=%llu ns_per_op=%s%s loop_ns_per_op=%s\n",
		     name, (unsigned long long)ops, ns_buf, insn_buf, loop_buf);
}

/* True when any comma-separated pattern in filter matches name. */
static bool filter_matches(const char *filter, const char *name)
{
	char pat[64];

	if (!filter || !*filter)
		return true;
	while (*filter) {
		size_t n = 0;

		while (*filter && *filter != ',') {
			if (n < sizeof(pat) - 1)
				pat[n++] = *filter;
			filter++;
		}
		pat[n] = '\0';
		if (*filter == ',')
			filter++;
		if (n && glob_match(pat, name))
			return true;
	}
	return false;
}

static bool case_selected(const char *filter, const struct ktest_suite *s,
			  const struct ktest_case *c)
{
	char full[128];

	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return filter_matches(filter, s->name) || filter_matches(filter, full);
}

static bool suite_selected(const char *filter, bool bench,
			   const struct ktest_suite *s)
{
	if (s->bench != bench)
		return false;
	for (unsigned int i = 0; i < s->ncases; i++)
		if (case_selected(filter, s, &s->cases[i]))
			return true;
	return false;
}

/* Runs one case; the ASSERT and skip paths come back here by longjmp. */
static void run_case(struct ktest *t, const struct ktest_case *c)
{
	t->name = c->name;
	t->failures = 0;
	t->skipped = false;
	t->skip_reason = NULL;
	ktest_case_start();
	if (setjmp(t->abort_env) == 0)
		c->run(t);
	ktest_case_done(t);
}

static bool run_suite(const struct ktest_suite *s, unsigned int index,
		      const char *filter, struct ktest_totals *totals)
{
	struct ktest_totals mine = { 0, 0, 0 };
	unsigned int n = 0, selected = 0;
	struct ktest t;

	for (unsigned int i = 0; i < s->ncases; i++)
		selected += case_selected(filter, s, &s->cases[i]);

	ktest_printf(SUITE_INDENT "KTAP version 1\n");
	ktest_printf(SUITE_INDENT "# Subtest: %s\n", s->name);
	ktest_printf(SUITE_INDENT "1..%u\n", selected);
	for (unsigned int i = 0; i < s->ncases; i++) {
		const struct ktest_case *c = &s->cases[i];

		if (!case_selected(filter, s, c))
			continue;
		run_case(&t, c);
		n++;
		if (t.failures) {
			mine.fail++;
			ktest_printf(SUITE_INDENT "not ok %u %s\n", n, c->name);
		} else if (t.skipped) {
			mine.skip++;
			ktest_printf(SUITE_INDENT "ok %u %s # SKIP %s\n", n, c->name,
				     t.skip_reason ? t.skip_reason : "");
		} else {
			mine.pass++;
			ktest_printf(SUITE_INDENT "ok %u %s\n", n, c->name);
		}
	}
	ktest_printf("# %s: pass:%u fail:%u skip:%u total:%u\n", s->name,
		     mine.pass, mine.fail, mine.skip, n);
	ktest_printf("%s %u %s\n", mine.fail ? "not ok" : "ok", index, s->name);
	totals->pass += mine.pass;
	totals->fail += mine.fail;
	totals->skip += mine.skip;
	return mine.fail == 0;
}

struct ktest_totals ktest_run(const char *filter, bool bench)
{
	struct ktest_totals totals = { 0, 0, 0 };
	const struct ktest_suite *const *s;
	unsigned int nsuites = 0, index = 0;

	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		nsuites += suite_selected(filter, bench, *s);

	ktest_printf("KTAP version 1\n");
	ktest_printf("1..%u\n", nsuites);
	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (suite_selected(filter, bench, *s))
			run_suite(*s, ++index, filter, &totals);
	ktest_printf("# Totals: pass:%u fail:%u skip:%u total:%u\n", totals.pass,
		     totals.fail, totals.skip,
		     totals.pass + totals.fail + totals.skip);
	return totals;
}
