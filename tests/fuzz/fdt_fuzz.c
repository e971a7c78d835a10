/*
 * libFuzzer target for lib/dt.c: any bytes go to dt_check(); a blob it
 * accepts then goes through every other dt.h helper. Their results are
 * read in full and checked for the promises dt.h makes, so that ASan sees
 * any pointer that leads outside the blob and abort() flags a broken one.
 * The input is copied to a buffer of exactly its size, so reading one byte
 * past it is caught too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <mk64/dt.h>

/* Bounds the per-input work, so large inputs still run quickly. */
#define MAX_NODES 256
#define MAX_REGS 8

static volatile size_t sink;

static void read_string(const char *s)
{
	if (!s)
		abort();
	sink += strlen(s);
}

/* Every report of a malformed node says why. */
static void bad_node(const void *fdt, int node, const char *why, void *arg)
{
	(void)arg;
	if (!why || !why[0] || !fdt_get_name(fdt, node, NULL))
		abort();
	sink += strlen(why);
}

static void check_globals(const void *fdt)
{
	static struct dt_range banks[DT_MAX_BANKS];
	static struct dt_reserved rsv[DT_MAX_RESERVED];
	const char *options;
	int n;
	u64 seed;

	n = dt_memory_banks(fdt, banks, DT_MAX_BANKS);
	if (n > DT_MAX_BANKS || n == 0)
		abort();
	for (int i = 0; i < n; i++)
		if (!banks[i].size || (i && banks[i - 1].base > banks[i].base))
			abort();

	n = dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	if (n > DT_MAX_RESERVED)
		abort();
	for (int i = 0; i < n; i++)
		read_string(rsv[i].name);

	n = dt_stdout_node(fdt, &options);
	if (options)
		sink += strlen(options);
	if (n >= 0 && !fdt_get_name(fdt, n, NULL))
		abort();
	read_string(dt_bootargs(fdt));
	read_string(dt_model(fdt));
	dt_seed(fdt, &seed);
	sink += seed;
	if (!dt_dma_max_cpu_address(fdt, &seed, &n, bad_node, NULL)) {
		/* A limit comes with the node that sets it, and only then. */
		if ((n < 0) != (seed == UINT64_MAX) || (n >= 0 && !fdt_get_name(fdt, n, NULL)))
			abort();
		sink += seed + (u64)n;
	}
}

static void check_node(const void *fdt, int node)
{
	const char *compat, *name;
	char path[256];
	u64 addr, size, cpu;
	u32 val;
	int len;

	for (int i = 0; i < MAX_REGS && !dt_reg(fdt, node, i, &addr, &size); i++)
		if (!dt_translate(fdt, node, addr, &cpu))
			sink += cpu;
	if (!dt_cpu_hwid(fdt, node, &cpu))
		sink += cpu;
	compat = dt_string(fdt, node, "compatible");
	if (compat) {
		int first = dt_find_compatible(fdt, compat);

		/* This node matches, so the first match is it or an earlier one. */
		if (first < 0 || first > node)
			abort();
	}
	if (dt_u32(fdt, node, "#address-cells", &val))
		sink += val;
	/* The node's name looked up as an alias, and its full path. */
	name = fdt_get_name(fdt, node, &len);
	if (name)
		dt_find_node(fdt, name, len);
	if (!fdt_get_path(fdt, node, path, sizeof(path)))
		dt_find_node(fdt, path, (int)strlen(path));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	void *fdt;
	int node, n = 0;

	/* malloc's alignment satisfies dt_check()'s 8-byte rule. */
	fdt = malloc(size ? size : 1);
	if (!fdt)
		return 0;
	memcpy(fdt, data, size);
	if (dt_check(fdt, size, &why)) {
		if (!why || !why[0])
			abort();
		free(fdt);
		return 0;
	}
	if (why || dt_size(fdt) > size)
		abort();
	check_globals(fdt);
	for (node = 0; node >= 0 && n < MAX_NODES; node = fdt_next_node(fdt, node, NULL), n++)
		check_node(fdt, node);
	/* Queries made of the input's last bytes, not NUL-terminated. */
	if (size >= 16)
		dt_find_node(fdt, (const char *)data + size - 16, 16);
	free(fdt);
	return 0;
}
