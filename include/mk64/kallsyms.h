/*
 * The kernel's own symbol table (kernel/kallsyms.c), for backtraces and
 * fault reports. scripts/mkkallsyms.py generates it from `nm` of the image
 * in a second link pass (scripts/mkkallsyms.sh).
 */
#ifndef MK64_KALLSYMS_H
#define MK64_KALLSYMS_H

#include <mk64/types.h>

/* Room for "name+0x1c/0x80" or a bare address. */
#define KSYM_SYMBOL_LEN 128

/*
 * The symbol holding addr: returns its name and sets *offset (addr minus
 * its start) and *size (up to the next symbol); NULL when addr is outside
 * the kernel image. offset and size may be NULL.
 */
const char *kallsyms_lookup(u64 addr, u64 *offset, u64 *size);

/* Writes "name+0x1c/0x80", or the bare address; returns its length. */
int sprint_symbol(char *buf, size_t size, u64 addr);

/*
 * As sprint_symbol() for a return address: names the function that holds
 * the call before it, which differs when the call ends a noreturn function.
 */
int sprint_backtrace(char *buf, size_t size, u64 addr);

#endif
