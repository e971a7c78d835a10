/* printk: the kernel log (kernel/printk.c). */
#ifndef MK64_PRINTK_H
#define MK64_PRINTK_H

#include <stdarg.h>
#include <mk64/compiler.h>
#include <mk64/ratelimit.h>
#include <mk64/types.h>

/* Log levels as in Linux: SOH + digit, 0 (emergency) to 7 (debug). */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

#define LOGLEVEL_DEFAULT 4
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_QUIET 4

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/*
 * Formats a message into the log buffer with a "[    s.micros] " time
 * stamp and prints it on the console when its level is below the console
 * loglevel. Messages logged before a console exists are printed when one is
 * registered. Never sleeps; safe from any context. Returns the length.
 */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

/*
 * printk() at most DEFAULT_RATELIMIT_BURST times per
 * DEFAULT_RATELIMIT_INTERVAL from this call site (each expansion has a
 * state of its own); later intervals report what was dropped.
 */
#define printk_ratelimited(fmt, ...)                                            \
	do {                                                                    \
		static DEFINE_RATELIMIT_STATE(rs_, DEFAULT_RATELIMIT_INTERVAL,  \
					      DEFAULT_RATELIMIT_BURST);         \
		if (__ratelimit(&rs_))                                          \
			printk(fmt, ##__VA_ARGS__);                             \
	} while (0)

#define pr_emerg_ratelimited(fmt, ...) printk_ratelimited(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_ratelimited(fmt, ...) printk_ratelimited(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...) printk_ratelimited(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...) printk_ratelimited(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

/*
 * True when the caller may print, under one default limit shared by every
 * caller (lib/ratelimit.c): one noisy caller silences the others, which is
 * why Linux prefers printk_ratelimited().
 */
extern struct ratelimit_state printk_ratelimit_state;
bool __printk_ratelimit(const char *func);
#define printk_ratelimit() __printk_ratelimit(__func__)

/* Sets the console loglevel (bootargs "loglevel=N", "quiet"). */
void console_set_loglevel(int level);

/* A console: where printk's text goes. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t n);
	void *data;
};

/*
 * Makes con the console and replays the log buffer to it, so messages from
 * before any console existed are not lost. A later call replaces it.
 */
void register_console(struct console *con);
bool have_console(void);

/*
 * Copies the last size bytes of the log ring into buf, for tests. Each line
 * there starts with its level digit, then the "[    s.micros] " stamp.
 */
size_t printk_log_tail(char *buf, size_t size);

#endif
