/*
 * Host runner for the ktest suites: the platform hooks on top of the C
 * library, printk for the code under test, and main(). Built without
 * tests/host/rename.h, so everything here is the C library's own.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <mk64/ktest.h>
#include <mk64/printk.h>

/*
 * Formats with the C library, not with the vsnprintf under test, and
 * flushes so that sanitizer reports on stderr land where they happened.
 */
void ktest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/*
 * printk for the portable code under test: the level prefix is dropped and
 * every line, a final one without '\n' included, becomes a KTAP diagnostic
 * ("# " + text), so that it cannot break the KTAP stream. Continuations
 * (KERN_CONT) therefore start a line of their own.
 */
int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	const char *line = text;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	len = vsnprintf(text, sizeof(text), fmt, ap);
	if (len < 0)
		return len;
	while (*line) {
		int n = (int)strcspn(line, "\n");

		printf("# %.*s\n", n, line);
		line += n + (line[n] == '\n');
	}
	fflush(stdout);
	return len < (int)sizeof(text) ? len : (int)sizeof(text) - 1;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintk(fmt, ap);
	va_end(ap);
	return len;
}

/* Nothing outlives a case on the host: ASan's leak check covers the rest. */
void ktest_case_start(void)
{
}

void ktest_case_done(struct ktest *t)
{
	(void)t;
}

/* Returns CLOCK_MONOTONIC in nanoseconds. */
u64 ktest_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Returns false: the host build has no instruction counter. */
bool ktest_insns(u64 *count)
{
	(void)count;
	return false;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--bench] [FILTER]\n"
		"FILTER: comma-separated globs over suite or suite.case\n",
		prog);
	return 2;
}

/* Exits 0 when no case failed, 1 when one did, 2 on a usage error. */
int main(int argc, char **argv)
{
	const char *filter = NULL;
	bool bench = false;
	struct ktest_totals totals;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bench"))
			bench = true;
		else if (argv[i][0] == '-' || filter)
			return usage(argv[0]);
		else
			filter = argv[i];
	}
	totals = ktest_run(filter, bench);
	return totals.fail ? 1 : 0;
}
