/* Kernel command-line parsing (lib/cmdline.c): space-separated words. */
#ifndef MK64_CMDLINE_H
#define MK64_CMDLINE_H

#include <mk64/types.h>

/*
 * Finds the last "name=value" word in cmdline and copies value (truncated
 * to size - 1) into val. Returns false when name does not occur with '='.
 */
bool cmdline_get(const char *cmdline, const char *name, char *val, size_t size);

/*
 * Parses a size with an optional K, M, G or T suffix (binary), as Linux's
 * memparse: "384M" is 402653184. Sets *end past what it used.
 */
unsigned long long memparse(const char *s, char **end);

/* True when the bare word occurs in cmdline ("quiet"). */
bool cmdline_has(const char *cmdline, const char *word);

#endif
