/*
 * printk: every message goes to a ring buffer first, with a level byte per
 * line, so that a console registered later replays what was logged before
 * it existed. Protected by logbuf_lock with interrupts off; a fault while
 * the lock is held (oops_in_progress) takes the lock by trylock only, so an
 * oops report is never lost to a deadlock.
 */
#include <mk64/printk.h>
#include <mk64/spinlock.h>
#include <mk64/sprintf.h>
#include <asm/arch.h>

#define LOG_BUF_SIZE (64 * 1024)

extern int oops_in_progress;

static char log_buf[LOG_BUF_SIZE];
static u64 log_head;		/* bytes ever written; the ring holds the last */
static bool line_open;		/* the last line has no '\n' yet */
static int line_level;
static int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
static struct console *console;
static spinlock_t logbuf_lock = SPINLOCK_INIT;

void console_set_loglevel(int level)
{
	console_loglevel = level;
}

bool have_console(void)
{
	return console != NULL;
}

static void log_putc(char c)
{
	log_buf[log_head++ % LOG_BUF_SIZE] = c;
}

static void con_write(int level, const char *s, size_t n)
{
	if (console && level < console_loglevel)
		console->write(console, s, n);
}

/* Emits text to the ring and the console; the level byte starts each line. */
static void emit(int level, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!line_open) {
			char stamp[24];
			u64 ns = arch_clock_ns();
			int len = snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
					   (unsigned long long)(ns / 1000000000ULL),
					   (unsigned long long)(ns % 1000000000ULL / 1000));

			log_putc((char)('0' + level));
			for (int k = 0; k < len; k++)
				log_putc(stamp[k]);
			con_write(level, stamp, (size_t)len);
			line_open = true;
			line_level = level;
		}
		size_t j = i;
		while (j < n && s[j] != '\n')
			j++;
		if (j < n)
			j++; /* include the newline */
		for (size_t k = i; k < j; k++)
			log_putc(s[k]);
		con_write(line_level, s + i, j - i);
		if (s[j - 1] == '\n')
			line_open = false;
		i = j - 1;
	}
}

/* Takes logbuf_lock, or only tries to while an oops is being reported. */
static bool logbuf_lock_irqsave(unsigned long *flags)
{
	*flags = arch_local_irq_save();
	if (oops_in_progress)
		return spin_trylock(&logbuf_lock);
	spin_lock(&logbuf_lock);
	return true;
}

static void logbuf_unlock_irqrestore(bool locked, unsigned long flags)
{
	if (locked)
		spin_unlock(&logbuf_lock);
	arch_local_irq_restore(flags);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	int level = LOGLEVEL_DEFAULT, len;
	bool cont = false, locked;
	unsigned long flags;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	len = vsnprintf(text, sizeof(text), fmt, ap);
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;

	locked = logbuf_lock_irqsave(&flags);
	if (line_open && !cont)
		emit(line_level, "\n", 1);
	emit(cont && line_open ? line_level : level, text, (size_t)len);
	logbuf_unlock_irqrestore(locked, flags);
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

/* Replays the ring to con, line by line, honouring each line's level. */
static void replay(struct console *con)
{
	u64 start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	u64 pos = start;
	char line[256];

	/* After a wrap the oldest bytes start mid-line: skip to the next one. */
	if (start)
		while (pos < log_head && log_buf[pos++ % LOG_BUF_SIZE] != '\n')
			;
	while (pos < log_head) {
		int level = log_buf[pos++ % LOG_BUF_SIZE] - '0';
		size_t n = 0;
		char c = 0;

		while (pos < log_head && c != '\n') {
			c = log_buf[pos++ % LOG_BUF_SIZE];
			line[n++] = c;
			if (n == sizeof(line) || c == '\n' || pos == log_head) {
				if (level < console_loglevel)
					con->write(con, line, n);
				n = 0;
			}
		}
	}
}

size_t printk_log_tail(char *buf, size_t size)
{
	u64 n = min((u64)size, min(log_head, (u64)LOG_BUF_SIZE));
	unsigned long flags;

	spin_lock_irqsave(&logbuf_lock, flags);
	for (u64 i = 0; i < n; i++)
		buf[i] = log_buf[(log_head - n + i) % LOG_BUF_SIZE];
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return (size_t)n;
}

void register_console(struct console *con)
{
	unsigned long flags;
	bool locked = logbuf_lock_irqsave(&flags);

	console = con;
	replay(con);
	logbuf_unlock_irqrestore(locked, flags);
}
