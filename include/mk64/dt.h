/*
 * Device-tree helpers over libfdt (lib/dt.c). Portable: built into the
 * kernel and, for tests and fuzzing, for the host. Every function takes a
 * blob that dt_check() accepted; none of them trusts anything else.
 */
#ifndef MK64_DT_H
#define MK64_DT_H

#include <mk64/types.h>

#define DT_MAX_BANKS 32
#define DT_MAX_RESERVED 64

struct dt_range {
	u64 base;
	u64 size;
};

enum dt_reserved_kind {
	DT_RSV_MEMRESERVE,	/* a /memreserve/ entry of the header's map */
	DT_RSV_RESERVED_MEMORY,	/* a /reserved-memory child with reg */
};

struct dt_reserved {
	u64 base;
	u64 size;
	enum dt_reserved_kind kind;
	bool no_map;		/* "no-map": keep out of the linear map too */
	const char *name;	/* node name, or "memreserve" */
};

/*
 * Validates the blob once, before anything trusts it: header, totalsize not
 * above max_size, then a full structure walk (fdt_check_full). Returns 0, or
 * a negative libfdt error with *why set to a one-line diagnosis such as
 * "bad magic 0x12345678 (expected 0xd00dfeed)".
 */
int dt_check(const void *fdt, size_t max_size, const char **why);

/* The arm64 boot protocol's cap on a DTB's size. */
#define DT_MAX_SIZE (2u << 20)

/*
 * How many bytes from fdt an early mapping should cover, judged from the
 * first `readable` bytes alone, before anything else is mapped: the
 * header's totalsize when the magic is right and totalsize lies between
 * the header's size and DT_MAX_SIZE; the header's size when the magic is
 * right but the header is cut off at `readable`; otherwise 0 (map nothing
 * more). A bound for mapping, not a validation: dt_check() comes after.
 */
size_t dt_early_span(const void *fdt, size_t readable);

/* Total size from the header (only after dt_check). */
size_t dt_size(const void *fdt);

/*
 * Decodes entry index of node's "reg" with its parent's #address-cells and
 * #size-cells (1 or 2 each; others are an error). Returns 0 or -FDT_ERR_*.
 */
int dt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size);

/*
 * Translates a bus address of node's parent bus to a CPU physical address
 * through the "ranges" of every ancestor (empty ranges: identity).
 * Returns 0, or -FDT_ERR_NOTFOUND when an ancestor has no ranges covering it.
 */
int dt_translate(const void *fdt, int node, u64 addr, u64 *cpu_addr);

/* Told about a node the caller should warn about: why is one line, valid until the next call. */
typedef void (*dt_bad_node_fn)(const void *fdt, int node, const char *why, void *arg);

/*
 * Linux's of_dma_get_max_cpu_address(): for every available node with a
 * non-empty dma-ranges, the highest CPU address its entries reach (each
 * parent address translated through the ancestors' dma-ranges, missing or
 * empty ones 1:1); sets *max_addr to the lowest of those and *limit_node
 * to that node, or UINT64_MAX and -1 when no bus is constrained. Malformed
 * dma-ranges (bad cells, a length that is not whole entries, only empty
 * entries, an address no ancestor maps) are passed to bad (may be NULL)
 * and ignored. Returns 0 or a negative libfdt error from the walk.
 */
int dt_dma_max_cpu_address(const void *fdt, u64 *max_addr, int *limit_node,
			   dt_bad_node_fn bad, void *arg);

/*
 * A cpu node's hardware id (arm64: MPIDR affinity), the first cell or two
 * of its reg as /cpus' #address-cells says. Returns 0 or -FDT_ERR_*.
 */
int dt_cpu_hwid(const void *fdt, int node, u64 *hwid);

/*
 * Fills banks with the reg entries of every node with device_type "memory",
 * sorted by base. Returns the count, or a negative error (-FDT_ERR_NOTFOUND
 * when there is none; -FDT_ERR_NOSPACE beyond max).
 */
int dt_memory_banks(const void *fdt, struct dt_range *banks, int max);

/*
 * Fills out with the /memreserve/ entries, then every /reserved-memory child
 * that has reg (dynamic "size"-only children are skipped). Returns the count
 * or a negative error.
 */
int dt_reserved_ranges(const void *fdt, struct dt_reserved *out, int max);

/* Resolves "/path" or "alias" (a name in /aliases) to a node offset. */
int dt_find_node(const void *fdt, const char *path_or_alias, int len);

/*
 * The console node named by /chosen "stdout-path" (or "linux,stdout-path"):
 * alias or path, with what follows ':' returned in *options (or NULL).
 * Returns the node offset or a negative error.
 */
int dt_stdout_node(const void *fdt, const char **options);

/* /chosen "bootargs", or "" when absent. */
const char *dt_bootargs(const void *fdt);

/* Root "model", else the first root "compatible", else "unknown". */
const char *dt_model(const void *fdt);

/*
 * Folds /chosen "rng-seed" (any length) and "kaslr-seed" into one 64-bit
 * value. Returns false when neither is present.
 */
bool dt_seed(const void *fdt, u64 *seed);

/* First node compatible with compat, or a negative error. */
int dt_find_compatible(const void *fdt, const char *compat);

/*
 * First node, in tree order, compatible with any of the n strings in
 * compats, found in one walk of the tree (a lookup per string walks it
 * n times: each walk of QEMU's tree is ~0.3 ms at boot). Sets *which,
 * when not NULL, to the index of the string it matched. Returns the
 * node's offset or a negative error (-FDT_ERR_NOTFOUND: none).
 */
int dt_find_compatible_any(const void *fdt, const char *const *compats, size_t n, size_t *which);

/* String property or NULL (also NULL when not NUL-terminated). */
const char *dt_string(const void *fdt, int node, const char *prop);

/* u32 property; false when absent or not 4 bytes long. */
bool dt_u32(const void *fdt, int node, const char *prop, u32 *val);

#endif
