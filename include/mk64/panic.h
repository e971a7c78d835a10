/* panic, BUG_ON and WARN_ON (kernel/panic.c). */
#ifndef MK64_PANIC_H
#define MK64_PANIC_H

#include <mk64/compiler.h>

/* Prints "Kernel panic - not syncing: <msg>" and stops the machine. */
void panic(const char *fmt, ...) __noreturn __printf(1, 2);

/* Prints a BUG report naming file:line and stops. */
void __bug(const char *file, int line, const char *cond) __noreturn;
/* Prints a WARNING naming file:line and the condition, then continues. */
void __warn(const char *file, int line, const char *cond);

#define BUG() __bug(__FILE__, __LINE__, NULL)
#define BUG_ON(cond)                                          \
	do {                                                  \
		if (unlikely(cond))                           \
			__bug(__FILE__, __LINE__, #cond);     \
	} while (0)
#define WARN_ON(cond)                                           \
	({                                                      \
		bool warn_on_ = !!(cond);                       \
		if (unlikely(warn_on_))                         \
			__warn(__FILE__, __LINE__, #cond);      \
		unlikely(warn_on_);                             \
	})

/* Stops this CPU for good: power off if possible, else wait forever. */
void machine_halt(void) __noreturn;

#endif
