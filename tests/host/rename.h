/*
 * Force-included (-include) into every host-compiled file of lib/ and
 * tests/ except tests/host/main.c: the functions mk64 implements under C
 * library names get an mk64_ prefix, so that the host binary tests ours
 * and they clash neither with the C library's nor with ASan's interceptors.
 *
 * Macros only, no #include: system headers read later (libfdt_env.h reads
 * <string.h> and <stdlib.h>) then declare the prefixed names with the C
 * library's prototypes, which are compatible with ours, and feature-test
 * macros that a file defines before its first #include still work.
 */
#ifndef MK64_HOST_RENAME_H
#define MK64_HOST_RENAME_H

/*
 * Fortified glibc headers define inline wrappers under these names, which
 * would become second definitions of ours.
 */
#undef _FORTIFY_SOURCE

#define memcpy mk64_memcpy
#define memmove mk64_memmove
#define memset mk64_memset
#define memcmp mk64_memcmp
#define memchr mk64_memchr
#define strlen mk64_strlen
#define strnlen mk64_strnlen
#define strcmp mk64_strcmp
#define strncmp mk64_strncmp
#define strchr mk64_strchr
#define strrchr mk64_strrchr
#define strstr mk64_strstr
#define strlcpy mk64_strlcpy
#define strtoul mk64_strtoul
#define strtoull mk64_strtoull
#define vsnprintf mk64_vsnprintf
#define snprintf mk64_snprintf

#endif
