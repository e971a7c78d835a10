/*
 * Host runner for the ktest suites: the platform hooks on top of the C
 * library, printk for the code under test, and main(). Built without
 * tests/host/rename.h, so everything here is the C library's own.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/arch.h>
#include <mk64/ktest.h>
#include <mk64/printk.h>
#include "../fixture.h"

#define HOST_PAGE_SIZE 4096

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
 * The last LOG_TAIL_SIZE bytes printk'd, as the kernel's log ring keeps
 * them (a level digit and a time stamp before each line), for the suites'
 * printk_log_tail() checks.
 */
#define LOG_TAIL_SIZE 16384

static char log_tail[LOG_TAIL_SIZE];
static size_t log_len;

static void log_append(int level, const char *line, int n)
{
	unsigned long long us = arch_clock_ns() / 1000;
	char entry[600];
	int len = snprintf(entry, sizeof(entry), "%d[%5llu.%06llu] %.*s\n", level,
			   us / 1000000, us % 1000000, n, line);
	size_t add = (size_t)len < sizeof(entry) ? (size_t)len : sizeof(entry) - 1;

	if (log_len + add > LOG_TAIL_SIZE) {
		size_t drop = log_len + add - LOG_TAIL_SIZE;

		memmove(log_tail, log_tail + drop, log_len - drop);
		log_len -= drop;
	}
	memcpy(log_tail + log_len, entry, add);
	log_len += add;
}

size_t printk_log_tail(char *buf, size_t size)
{
	size_t n = size < log_len ? size : log_len;

	memcpy(buf, log_tail + log_len - n, n);
	return n;
}

/*
 * printk for the portable code under test: the level prefix is dropped and
 * every line, a final one without '\n' included, becomes a KTAP diagnostic
 * ("# " + text), so that it cannot break the KTAP stream. Continuations
 * (KERN_CONT) therefore start a line of their own. Lines also go to the
 * log tail.
 */
int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	const char *line = text;
	int len, level = LOGLEVEL_DEFAULT;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	len = vsnprintf(text, sizeof(text), fmt, ap);
	if (len < 0)
		return len;
	while (*line) {
		int n = (int)strcspn(line, "\n");

		printf("# %.*s\n", n, line);
		log_append(level, line, n);
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

/* Fixture bytes handed out and not given back, as the kernel counts pages. */
static size_t fixture_bytes;

/* Nothing else outlives a case on the host: ASan's leak check covers the rest. */
void ktest_case_start(void)
{
	fixture_bytes = 0;
	ktest_slab_start();
}

void ktest_case_done(struct ktest *t)
{
	ktest_slab_done(t);
	if (fixture_bytes)
		ktest_fail(t, false, __FILE__, __LINE__,
			   "fixture leak: %zu bytes not given back by the case", fixture_bytes);
}

/*
 * Page-aligned as in the kernel, but exactly size bytes, so that ASan sees
 * an access just past the end.
 */
void *fixture_mem_alloc(size_t size)
{
	void *mem;

	if (posix_memalign(&mem, HOST_PAGE_SIZE, size))
		return NULL;
	fixture_bytes += size;
	return memset(mem, 0, size);
}

void fixture_mem_free(void *mem, size_t size)
{
	fixture_bytes -= size;
	free(mem);
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
