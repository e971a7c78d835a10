/*
 * Runner of the ThreadSanitizer binaries (mk/tsan.mk): the ktest platform
 * hooks on the C library, printk for the code under test (lock debugging's
 * reports, from any thread), the per-CPU state mk64/preempt.h and
 * mk64/smp.h expect (a CPU per thread: host_cpu is thread-local here; an
 * area per CPU holding its pcpu_hot, as tests/host/cpu.c gives the ASan
 * binary, without mm/percpu.c and all it needs), and main(). Only the suites built into the binary run: the threaded lock
 * tests, which the ASan binary (single-threaded) cannot hold.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/arch.h>
#include <mk64/ktest.h>
#include <mk64/panic.h>
#include <mk64/percpu.h>
#include <mk64/printk.h>

#define LOG_TAIL_SIZE 16384

_Thread_local unsigned int host_cpu;

/* The template is pcpu_hot alone, all zeroes: each area starts as a copy. */
__section(PER_CPU_HOT_SECTION) struct pcpu_hot pcpu_hot;
unsigned long __per_cpu_offset[NR_CPUS];
static struct pcpu_hot areas[NR_CPUS] __aligned(64);

_Static_assert(sizeof(struct pcpu_hot) == PCPU_HOT_SIZE, "one pcpu_hot per area");

__attribute__((constructor)) static void tsan_percpu_init(void)
{
	if (__per_cpu_end - __per_cpu_start != sizeof(struct pcpu_hot)) {
		fprintf(stderr, "tsan: per-CPU variables besides pcpu_hot: the areas hold only it\n");
		abort();
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		__per_cpu_offset[cpu] = (unsigned long)&areas[cpu] - (unsigned long)__per_cpu_start;
}

/* The log: every printk'd line, numbered so that ktest_log_mark() is unique. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_tail[LOG_TAIL_SIZE];
static size_t log_len;
static unsigned long log_lines;

void ktest_printf(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&log_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&log_lock);
}

static void log_append(const char *line, int n)
{
	char entry[600];
	int len = snprintf(entry, sizeof(entry), "<%lu> %.*s\n", log_lines++, n, line);
	size_t add = (size_t)len < sizeof(entry) ? (size_t)len : sizeof(entry) - 1;

	if (log_len + add > LOG_TAIL_SIZE) {
		size_t drop = log_len + add - LOG_TAIL_SIZE;

		memmove(log_tail, log_tail + drop, log_len - drop);
		log_len -= drop;
	}
	memcpy(log_tail + log_len, entry, add);
	log_len += add;
}

/* Each line, without its level, to the log and as a KTAP diagnostic. */
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
	pthread_mutex_lock(&log_lock);
	while (*line) {
		int n = (int)strcspn(line, "\n");

		printf("# %.*s\n", n, line);
		log_append(line, n);
		line += n + (line[n] == '\n');
	}
	fflush(stdout);
	pthread_mutex_unlock(&log_lock);
	return len;
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

size_t printk_log_tail(char *buf, size_t size)
{
	size_t n;

	pthread_mutex_lock(&log_lock);
	n = size < log_len ? size : log_len;
	memcpy(buf, log_tail + log_len - n, n);
	pthread_mutex_unlock(&log_lock);
	return n;
}

/* No frame walker on the host: the line a report's trace starts with. */
void dump_stack_lvl(const char *lvl)
{
	(void)lvl;
	printk(KERN_ERR "Call trace: (not walked on the host)\n");
}


/* Threads are joined by each case: nothing outlives one. */
void ktest_case_start(void)
{
}

void ktest_case_done(struct ktest *t)
{
	(void)t;
}

/* Exits 0 when no case failed; ThreadSanitizer exits 66 after a report. */
int main(void)
{
	return ktest_run(NULL, false).fail ? 1 : 0;
}
