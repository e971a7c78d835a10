/*
 * Filling memblock from the device tree: RAM from every /memory node, and
 * reserved what must not be handed out — the kernel image, the DTB itself,
 * an initrd named by /chosen, every /memreserve/ entry and /reserved-memory
 * child (no-map ones are also kept out of the linear map).
 */
#include <libfdt.h>
#include <asm/memory.h>
#include <mk64/compiler.h>
#include <mk64/dt.h>
#include <mk64/errno.h>
#include <mk64/memblock.h>
#include <mk64/memblock_dt.h>
#include <mk64/printk.h>
#include <mk64/string.h>

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

#define MAX_DYNAMIC_RESERVED 8

static struct dt_reserved dynamic[MAX_DYNAMIC_RESERVED];
static int nr_dynamic;

/* A "size"/"alignment" value of #size-cells (1 or 2) cells; false otherwise. */
static bool read_size(const void *fdt, int node, const char *name, int cells, u64 *val)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || cells < 1 || cells > 2 || len != cells * 4)
		return false;
	*val = cells == 2 ? ((u64)fdt32_ld(p) << 32) | fdt32_ld(p + 1) : fdt32_ld(p);
	return true;
}

int memblock_alloc_dt_dynamic(const void *fdt)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory"), node, cells;

	if (parent < 0)
		return 0;
	cells = fdt_size_cells(fdt, parent);
	fdt_for_each_subnode(node, fdt, parent) {
		const char *status = dt_string(fdt, node, "status");
		struct dt_reserved *r = &dynamic[nr_dynamic];
		u64 size, align = PAGE_SIZE;

		if (fdt_getprop(fdt, node, "reg", NULL) || (status && strcmp(status, "okay") &&
							    strcmp(status, "ok")))
			continue;
		if (!read_size(fdt, node, "size", cells, &size) || !size ||
		    (read_size(fdt, node, "alignment", cells, &align) && (align & (align - 1)))) {
			pr_warn("Reserved memory: %s: bad size or alignment, ignored\n",
				fdt_get_name(fdt, node, NULL));
			continue;
		}
		if (nr_dynamic == MAX_DYNAMIC_RESERVED)
			return -ENOSPC;
		r->base = memblock_phys_alloc(ALIGN_UP(size, PAGE_SIZE), max(align, (u64)PAGE_SIZE));
		if (!r->base) {
			pr_warn("Reserved memory: failed to allocate %llu KiB for %s\n",
				(unsigned long long)size >> 10, fdt_get_name(fdt, node, NULL));
			continue;
		}
		r->size = size;
		r->kind = DT_RSV_RESERVED_MEMORY;
		r->no_map = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
		r->name = fdt_get_name(fdt, node, NULL);
		if (r->no_map && memblock_mark_nomap(r->base, size))
			return -ENOSPC;
		pr_info("Reserved memory: allocated [mem %pa-0x%016llx] for %s%s\n", &r->base,
			(unsigned long long)(r->base + size - 1), r->name, r->no_map ? " (no-map)" : "");
		nr_dynamic++;
	}
	return 0;
}

int memblock_dt_dynamic(const struct dt_reserved **out)
{
	*out = dynamic;
	return nr_dynamic;
}
