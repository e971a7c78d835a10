/* Error numbers, as Linux's (returned negated). */
#ifndef MK64_ERRNO_H
#define MK64_ERRNO_H

#define ENOENT 2
#define ENXIO 6
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ETIMEDOUT 110

#endif
