/*
 * Filling memblock from the device tree: RAM from every /memory node, and
 * reserved what must not be handed out — the kernel image, the DTB itself,
 * every /memreserve/ entry and /reserved-memory child (no-map ones are also
 * kept out of the linear map).
 */
#include <libfdt.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/printk.h>

int memblock_init_from_dt(const void *fdt, phys_addr_t fdt_phys, phys_addr_t kernel_phys,
			  phys_addr_t kernel_size)
{
	struct dt_range banks[DT_MAX_BANKS];
	struct dt_reserved rsv[DT_MAX_RESERVED];
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
	n = dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	if (n < 0)
		return n;
	for (int i = 0; i < n && !err; i++)
		err = rsv[i].no_map ? memblock_mark_nomap(rsv[i].base, rsv[i].size)
				    : memblock_reserve(rsv[i].base, rsv[i].size);
	return err ? -FDT_ERR_NOSPACE : 0;
}
