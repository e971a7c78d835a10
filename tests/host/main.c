/*
 * Host runner for the ktest suites: the platform hooks on top of the C
 * library, and main(). Built without tests/host/rename.h, so everything
 * here is the C library's own.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <mk64/ktest.h>

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
