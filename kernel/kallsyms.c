/*
 * kallsyms: looks addresses up in the symbol table that the link links
 * into the image (scripts/mkkallsyms.py): kallsyms_num symbols sorted by
 * address, one more address marking the end of the last, and their names.
 */
#include <mk64/kallsyms.h>
#include <mk64/sprintf.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_name_offsets[];
extern const char kallsyms_names[];

const char *kallsyms_lookup(u64 addr, u64 *offset, u64 *size)
{
	u64 n = kallsyms_num, lo = 0, hi = n;

	if (!n || addr < kallsyms_addresses[0] || addr >= kallsyms_addresses[n])
		return NULL;
	/* The last symbol starting at or below addr. */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - kallsyms_addresses[lo];
	if (size)
		*size = kallsyms_addresses[lo + 1] - kallsyms_addresses[lo];
	return kallsyms_names + kallsyms_name_offsets[lo];
}

static int format_symbol(char *buf, size_t size, u64 addr, u64 lookup)
{
	u64 offset, sym_size;
	const char *name = kallsyms_lookup(lookup, &offset, &sym_size);

	if (!name)
		return snprintf(buf, size, "0x%016llx", (unsigned long long)addr);
	return snprintf(buf, size, "%s+0x%llx/0x%llx", name,
			(unsigned long long)(offset + addr - lookup),
			(unsigned long long)sym_size);
}

int sprint_symbol(char *buf, size_t size, u64 addr)
{
	return format_symbol(buf, size, addr, addr);
}

int sprint_backtrace(char *buf, size_t size, u64 addr)
{
	return format_symbol(buf, size, addr, addr - 4);
}
