/* Integer arithmetic helpers shared by the kernel and the host builds. */
#ifndef MK64_MATH_H
#define MK64_MATH_H

#include <mk64/types.h>

/* floor(sqrt(x)), exact for every unsigned long (64 bits on both builds). */
unsigned long int_sqrt(unsigned long x);

#endif
