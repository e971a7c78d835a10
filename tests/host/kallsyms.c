/*
 * mk64/kallsyms.h on the host: the host binary has no kernel symbol table,
 * so a code address is printed bare, as the kernel prints one outside its
 * image.
 */
#include <mk64/kallsyms.h>
#include <mk64/sprintf.h>

int sprint_backtrace(char *buf, size_t size, u64 addr)
{
	return snprintf(buf, size, "%#lx", (unsigned long)addr);
}

/* No symbol table: nothing is found, and sprint_symbol() prints the address. */
const char *kallsyms_lookup(u64 addr, u64 *offset, u64 *size)
{
	(void)addr;
	(void)offset;
	(void)size;
	return NULL;
}

int sprint_symbol(char *buf, size_t size, u64 addr)
{
	return snprintf(buf, size, "%#lx", (unsigned long)addr);
}
