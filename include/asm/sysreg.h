/* System register access; only arch/arm64 code includes this. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <mk64/types.h>

#define read_sysreg(r) ({ u64 v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

#endif
