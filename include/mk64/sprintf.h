/* Kernel printf family (lib/vsprintf.c). */
#ifndef MK64_SPRINTF_H
#define MK64_SPRINTF_H

#include <stdarg.h>
#include <mk64/compiler.h>
#include <mk64/types.h>

/*
 * Formats: %d %i %u %x %X %o %c %s %p %% with flags '-' '0' '+' ' ' '#',
 * width and precision (also '*'), length modifiers hh h l ll z t.
 * %pa prints a phys_addr_t passed by reference as 0x%016llx, like Linux.
 * Returns the length the full output would have (like C's vsnprintf);
 * writes at most size bytes including the terminating NUL.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
