/*
 * Filling memblock from the device tree: RAM from every /memory node, and
 * reserved what must not be handed out — the kernel image, the DTB itself,
 * an initrd named by /chosen, every /memreserve/ entry and /reserved-memory
 * child (no-map ones are also kept out of the linear map).
 */
#include <libfdt.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/printk.h>

/* A /chosen cell property of 4 or 8 bytes (linux,initrd-start/-end). */
static bool chosen_addr(const void *fdt, const char *name, u64 *val)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const void *p = node >= 0 ? fdt_getprop(fdt, node, name, &len) : NULL;

	if (p && len == 4)
		*val = fdt32_ld(p);
	else if (p && len == 8)
		*val = fdt64_ld(p);
	return p && (len == 4 || len == 8);
}

bool dt_initrd(const void *fdt, phys_addr_t *start, phys_addr_t *end)
{
	u64 s, e;

	if (!chosen_addr(fdt, "linux,initrd-start", &s) ||
	    !chosen_addr(fdt, "linux,initrd-end", &e) || e <= s)
		return false;
	*start = s;
	*end = e;
	return true;
}

int memblock_init_from_dt(const void *fdt, phys_addr_t fdt_phys, phys_addr_t kernel_phys,
			  phys_addr_t kernel_size)
{
	struct dt_range banks[DT_MAX_BANKS];
	struct dt_reserved rsv[DT_MAX_RESERVED];
	phys_addr_t initrd_start, initrd_end;
	int n, err = 0;

	n = dt_memory_banks(fdt, banks, DT_MAX_BANKS);
	if (n < 0)
		return n;
	for (int i = 0; i < n && !err; i++)
		err = memblock_add(banks[i].base, banks[i].size);
	if (!err)
		err = memblock_reserve(kernel_phys, kernel_size);
	if (!err)
		err = memblock_reserve(fdt_phys, dt_size(fdt));
	if (!err && dt_initrd(fdt, &initrd_start, &initrd_end))
		err = memblock_reserve(initrd_start, initrd_end - initrd_start);
	n = dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	if (n < 0)
		return n;
	for (int i = 0; i < n && !err; i++)
		err = rsv[i].no_map ? memblock_mark_nomap(rsv[i].base, rsv[i].size)
				    : memblock_reserve(rsv[i].base, rsv[i].size);
	return err ? -FDT_ERR_NOSPACE : 0;
}
