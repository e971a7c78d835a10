#ifndef MK64_GLOB_H
#define MK64_GLOB_H

#include <mk64/types.h>

/* True when str matches the shell-style pattern: '*', '?' and literals. */
bool glob_match(const char *pattern, const char *str);

#endif
