/* libfdt_env.h includes the C library's headers; the kernel provides them. */
#include <mk64/string.h>
