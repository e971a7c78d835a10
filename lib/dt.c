/*
 * Device-tree helpers over libfdt. dt_check() validates a blob once, so the
 * rest may walk its structure; property contents are never trusted: every
 * length, cell count and string terminator is checked where it is used.
 * Multi-byte values are loaded byte by byte because the blob may sit at any
 * 8-byte-aligned address and libfdt only keeps cells 4-byte aligned.
 */
#include <stdarg.h>
#include <libfdt.h>
#include <mk64/dt.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>

/*
 * Deeper nesting is rejected by dt_check(): real trees are a handful of
 * levels deep, and walking up to the root then stays cheap.
 */
#define DT_MAX_DEPTH 32

static char diag[160];

static __printf(3, 4) int fail(const char **why, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(diag, sizeof(diag), fmt, ap);
	va_end(ap);
	if (why)
		*why = diag;
	return err;
}

/* Big-endian value of 1 to 3 cells (of 3, the top one falls off). */
static u64 load_cells(const u8 *p, int cells)
{
	u64 v = 0;

	for (int i = 0; i < cells * 4; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * fdt_check_full() lets properties or NOPs come before the root node, where
 * libfdt's lookups (which start at offset 0) would not find it, and allows
 * any depth; the helpers assume neither.
 */
static int check_shape(const void *fdt, const char **why)
{
	int node = 0, depth = 0, next;

	if (fdt_next_tag(fdt, 0, &next) != FDT_BEGIN_NODE)
		return fail(why, -FDT_ERR_BADSTRUCTURE,
			    "structure block does not start with the root node");
	while (node >= 0 && depth >= 0) {
		if (depth >= DT_MAX_DEPTH)
			return fail(why, -FDT_ERR_BADSTRUCTURE,
				    "nodes nested deeper than %d levels",
				    DT_MAX_DEPTH);
		node = fdt_next_node(fdt, node, &depth);
	}
	return 0;
}

/* Returns 0 or a negative libfdt error; *why explains it (NULL on success). */
/* What fdt_check_full's error codes mean for the blob, in words. */
static const char *structure_error(int err)
{
	switch (err) {
	case -FDT_ERR_BADOFFSET:
		return "a name or string offset points outside its block";
	case -FDT_ERR_TRUNCATED:
		return "a tag, name or property runs past the end of its block";
	case -FDT_ERR_BADSTRUCTURE:
		return "nodes and properties are not properly nested";
	default:
		return "the structure block is malformed";
	}
}

int dt_check(const void *fdt, size_t max_size, const char **why)
{
	u32 magic, size;
	int err;

	if (why)
		*why = NULL;
	if (!fdt)
		return fail(why, -FDT_ERR_BADMAGIC, "no device tree (null pointer)");
	if ((uintptr_t)fdt & 7)
		return fail(why, -FDT_ERR_ALIGNMENT,
			    "device tree at %p is not 8-byte aligned", fdt);
	if (max_size < sizeof(struct fdt_header))
		return fail(why, -FDT_ERR_TRUNCATED,
			    "device tree truncated: %zu bytes, the header needs %zu",
			    max_size, sizeof(struct fdt_header));
	magic = fdt_magic(fdt);
	if (magic != FDT_MAGIC)
		return fail(why, -FDT_ERR_BADMAGIC,
			    "bad magic 0x%08x (expected 0x%08x)", magic, FDT_MAGIC);
	err = fdt_check_header(fdt);
	if (err == -FDT_ERR_BADVERSION)
		return fail(why, err,
			    "unsupported version %u (last compatible %u)",
			    fdt_version(fdt), fdt_last_comp_version(fdt));
	if (err)
		return fail(why, err,
			    "bad header (%s): size %u, rsvmap @%u, struct @%u+%u, strings @%u+%u",
			    fdt_strerror(err), fdt_totalsize(fdt),
			    fdt_off_mem_rsvmap(fdt), fdt_off_dt_struct(fdt),
			    fdt_size_dt_struct(fdt), fdt_off_dt_strings(fdt),
			    fdt_size_dt_strings(fdt));
	/* Before 16, node names were full paths: nothing here expects that. */
	if (fdt_version(fdt) < 16)
		return fail(why, -FDT_ERR_BADVERSION,
			    "unsupported version %u (need 16 or later)",
			    fdt_version(fdt));
	size = fdt_totalsize(fdt);
	if (size > max_size)
		return fail(why, -FDT_ERR_TRUNCATED,
			    "device tree truncated: totalsize %u, only %zu bytes available",
			    size, max_size);
	err = fdt_check_full(fdt, size);
	if (err)
		return fail(why, err, "bad structure: %s (%s)", fdt_strerror(err),
			    structure_error(err));
	return check_shape(fdt, why);
}

size_t dt_early_span(const void *fdt, size_t readable)
{
	size_t total;

	if (readable < sizeof(fdt32_t) || fdt_magic(fdt) != FDT_MAGIC)
		return 0;
	if (readable < sizeof(struct fdt_header))
		return sizeof(struct fdt_header);
	total = fdt_totalsize(fdt);
	if (total < sizeof(struct fdt_header) || total > DT_MAX_SIZE)
		return 0;
	return total;
}

/* Returns the header's totalsize; only meaningful once dt_check() passed. */
size_t dt_size(const void *fdt)
{
	return fdt_totalsize(fdt);
}

/* Returns the string, or NULL when absent, empty or not NUL-terminated. */
const char *dt_string(const void *fdt, int node, const char *prop)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, prop, &len);
	if (!s || len <= 0 || strnlen(s, len) == (size_t)len)
		return NULL;
	return s;
}

/* Returns true with *val set when prop is exactly one cell. */
bool dt_u32(const void *fdt, int node, const char *prop, u32 *val)
{
	const u8 *p;
	int len;

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p || len != 4)
		return false;
	*val = (u32)load_cells(p, 1);
	return true;
}

/* #address-cells of bus, or -FDT_ERR_BADNCELLS unless 1 or 2. */
static int addr_cells(const void *fdt, int bus)
{
	int na = fdt_address_cells(fdt, bus);

	return na == 0 || na > 2 ? -FDT_ERR_BADNCELLS : na;
}

/* #size-cells of bus, or -FDT_ERR_BADNCELLS unless 1 or 2. */
static int size_cells(const void *fdt, int bus)
{
	int ns = fdt_size_cells(fdt, bus);

	return ns == 0 || ns > 2 ? -FDT_ERR_BADNCELLS : ns;
}

/* A node's "reg" as an array of (address, size) entries. */
struct reg_table {
	const u8 *p;
	int count;
	int na, ns;
};

/*
 * Looks up node's reg, decoded with bus's cells (the parent, or the bus that
 * defines them for /reserved-memory). Returns 0, -FDT_ERR_NOTFOUND without
 * reg, or an error for bad cells or a length that is not whole entries.
 */
static int reg_table(const void *fdt, int node, int bus, struct reg_table *t)
{
	int len;

	t->p = fdt_getprop(fdt, node, "reg", &len);
	if (!t->p)
		return len;
	t->na = addr_cells(fdt, bus);
	if (t->na < 0)
		return t->na;
	t->ns = size_cells(fdt, bus);
	if (t->ns < 0)
		return t->ns;
	if (len % ((t->na + t->ns) * 4))
		return -FDT_ERR_BADVALUE;
	t->count = len / ((t->na + t->ns) * 4);
	return 0;
}

static void reg_entry(const struct reg_table *t, int i, u64 *addr, u64 *size)
{
	const u8 *p = t->p + i * (t->na + t->ns) * 4;

	*addr = load_cells(p, t->na);
	*size = load_cells(p + t->na * 4, t->ns);
}

/* Returns 0 with entry index of node's reg, or -FDT_ERR_*. */
int dt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	struct reg_table t;
	int parent, err;

	parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return parent;
	err = reg_table(fdt, node, parent, &t);
	if (err)
		return err;
	if (index < 0 || index >= t.count)
		return -FDT_ERR_NOTFOUND;
	reg_entry(&t, index, addr, size);
	return 0;
}

/*
 * Maps *addr through the (child, parent, size) entries of a ranges or
 * dma-ranges property of len bytes at p, with na, pa and ns cells.
 */
static int map_entries(const u8 *p, int len, int na, int pa, int ns, u64 *addr)
{
	int stride = (na + pa + ns) * 4;
	const u8 *end;

	if (len % stride)
		return -FDT_ERR_BADVALUE;
	for (end = p + len; p < end; p += stride) {
		u64 child = load_cells(p, na);
		u64 parent = load_cells(p + na * 4, pa);
		u64 size = load_cells(p + (na + pa) * 4, ns);

		if (*addr >= child && *addr - child < size) {
			if (*addr - child > UINT64_MAX - parent)
				return -FDT_ERR_BADVALUE;
			*addr = *addr - child + parent;
			return 0;
		}
	}
	return -FDT_ERR_NOTFOUND;
}

/* Maps *addr from bus's address space into that of its parent up. */
static int map_ranges(const void *fdt, int bus, int up, u64 *addr)
{
	int len, na, ns, pa;
	const u8 *p;

	p = fdt_getprop(fdt, bus, "ranges", &len);
	if (!p)
		return len;
	/* An empty ranges means the bus maps its addresses 1:1. */
	if (len == 0)
		return 0;
	na = addr_cells(fdt, bus);
	ns = size_cells(fdt, bus);
	pa = addr_cells(fdt, up);
	if (na < 0 || ns < 0 || pa < 0)
		return -FDT_ERR_BADNCELLS;
	return map_entries(p, len, na, pa, ns, addr);
}

/*
 * Returns 0 with *cpu_addr set, or -FDT_ERR_*: NOTFOUND when not mapped,
 * BADVALUE when the translation leaves the 64-bit address space.
 */
int dt_translate(const void *fdt, int node, u64 addr, u64 *cpu_addr)
{
	int bus, up, err;

	/* Each step goes one level up, so this ends at the root (offset 0). */
	for (bus = fdt_parent_offset(fdt, node); bus > 0; bus = up) {
		up = fdt_parent_offset(fdt, bus);
		if (up < 0)
			return up;
		err = map_ranges(fdt, bus, up, &addr);
		if (err)
			return err;
	}
	if (bus < 0)
		return bus;
	*cpu_addr = addr;
	return 0;
}

/* Like Linux: no status, "okay" or "ok" means the node is in use. */
static bool available(const void *fdt, int node)
{
	const char *status = dt_string(fdt, node, "status");

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

/* Inserts after every bank with a base <= base, so ties keep blob order. */
static void insert_sorted(struct dt_range *banks, int n, u64 base, u64 size)
{
	int i = n;

	while (i > 0 && banks[i - 1].base > base) {
		banks[i] = banks[i - 1];
		i--;
	}
	banks[i].base = base;
	banks[i].size = size;
}

/* Returns the bank count (> 0) or -FDT_ERR_*. */
int dt_memory_banks(const void *fdt, struct dt_range *banks, int max)
{
	static const char memory[] = "memory";
	struct reg_table t;
	int node, parent, err, n = 0;

	node = -1;
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     memory, sizeof(memory))) >= 0) {
		if (!available(fdt, node))
			continue;
		parent = fdt_parent_offset(fdt, node);
		if (parent < 0)
			return parent;
		err = reg_table(fdt, node, parent, &t);
		if (err == -FDT_ERR_NOTFOUND)
			continue;
		if (err)
			return err;
		for (int i = 0; i < t.count; i++) {
			u64 base, size;

			reg_entry(&t, i, &base, &size);
			if (!size)
				continue;
			if (n >= max)
				return -FDT_ERR_NOSPACE;
			insert_sorted(banks, n++, base, size);
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return node;
	return n ? n : -FDT_ERR_NOTFOUND;
}

static int add_reserved(struct dt_reserved *out, int n, int max, u64 base,
			u64 size, enum dt_reserved_kind kind, bool no_map,
			const char *name)
{
	if (n >= max)
		return -FDT_ERR_NOSPACE;
	out[n].base = base;
	out[n].size = size;
	out[n].kind = kind;
	out[n].no_map = no_map;
	out[n].name = name;
	return n + 1;
}

/* The usable /reserved-memory children with reg, appended from out[n]. */
static int reserved_memory(const void *fdt, struct dt_reserved *out, int n,
			   int max)
{
	struct reg_table t;
	int rm, child, err;

	rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm == -FDT_ERR_NOTFOUND)
		return n;
	if (rm < 0)
		return rm;
	fdt_for_each_subnode(child, fdt, rm) {
		const char *name = fdt_get_name(fdt, child, NULL);
		bool no_map = fdt_getprop(fdt, child, "no-map", NULL) != NULL;

		if (!available(fdt, child))
			continue;
		/* Children under /reserved-memory use its own cells. */
		err = reg_table(fdt, child, rm, &t);
		if (err == -FDT_ERR_NOTFOUND)
			continue;
		if (err)
			return err;
		for (int i = 0; i < t.count; i++) {
			u64 base, size;

			reg_entry(&t, i, &base, &size);
			if (!size)
				continue;
			n = add_reserved(out, n, max, base, size,
					 DT_RSV_RESERVED_MEMORY, no_map,
					 name ? name : "?");
			if (n < 0)
				return n;
		}
	}
	return child == -FDT_ERR_NOTFOUND ? n : child;
}

/* Returns the number of entries filled, or -FDT_ERR_*. */
int dt_reserved_ranges(const void *fdt, struct dt_reserved *out, int max)
{
	int count, n = 0;

	count = fdt_num_mem_rsv(fdt);
	if (count < 0)
		return count;
	for (int i = 0; i < count; i++) {
		uint64_t base, size;
		int err = fdt_get_mem_rsv(fdt, i, &base, &size);

		if (err)
			return err;
		n = add_reserved(out, n, max, base, size, DT_RSV_MEMRESERVE,
				 false, "memreserve");
		if (n < 0)
			return n;
	}
	return reserved_memory(fdt, out, n, max);
}

/* Follows the '/'-separated names in [p, end) down from node. */
static int walk_path(const void *fdt, int node, const char *p, const char *end)
{
	while (p < end && node >= 0) {
		const char *q;

		if (*p == '/') {
			p++;
			continue;
		}
		q = memchr(p, '/', end - p);
		if (!q)
			q = end;
		node = fdt_subnode_offset_namelen(fdt, node, p, q - p);
		p = q;
	}
	return node;
}

/*
 * Returns the node offset, -FDT_ERR_BADPATH for an unknown alias or empty
 * path, -FDT_ERR_BADVALUE for an alias that is not an absolute path, or
 * -FDT_ERR_NOTFOUND. Aliases are resolved here rather than by libfdt, which
 * would follow a relative or unterminated alias value.
 */
int dt_find_node(const void *fdt, const char *path_or_alias, int len)
{
	const char *p = path_or_alias, *end, *name_end, *target;
	int aliases, tlen, node = 0;

	if (!p || len <= 0)
		return -FDT_ERR_BADPATH;
	end = p + strnlen(p, len);
	if (p == end)
		return -FDT_ERR_BADPATH;
	if (*p != '/') {
		name_end = memchr(p, '/', end - p);
		if (!name_end)
			name_end = end;
		aliases = fdt_path_offset(fdt, "/aliases");
		if (aliases < 0)
			return -FDT_ERR_BADPATH;
		target = fdt_getprop_namelen(fdt, aliases, p, name_end - p, &tlen);
		if (!target)
			return -FDT_ERR_BADPATH;
		if (tlen <= 0 || target[0] != '/' ||
		    strnlen(target, tlen) == (size_t)tlen)
			return -FDT_ERR_BADVALUE;
		node = walk_path(fdt, 0, target, target + strlen(target));
		p = name_end;
	}
	return walk_path(fdt, node, p, end);
}

/* Returns the console node offset or -FDT_ERR_*; *options may be NULL. */
int dt_stdout_node(const void *fdt, const char **options)
{
	const char *path, *colon;
	int chosen, node;

	if (options)
		*options = NULL;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return chosen;
	path = dt_string(fdt, chosen, "stdout-path");
	if (!path)
		path = dt_string(fdt, chosen, "linux,stdout-path");
	if (!path)
		return -FDT_ERR_NOTFOUND;
	colon = strchr(path, ':');
	node = dt_find_node(fdt, path, colon ? colon - path : (int)strlen(path));
	if (node >= 0 && colon && options)
		*options = colon + 1;
	return node;
}

/* Returns the kernel command line, never NULL. */
const char *dt_bootargs(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? dt_string(fdt, chosen, "bootargs") : NULL;

	return args ? args : "";
}

/* Returns a name for the board, never NULL. */
const char *dt_model(const void *fdt)
{
	const char *model = dt_string(fdt, 0, "model");

	if (!model)
		model = dt_string(fdt, 0, "compatible");
	return model ? model : "unknown";
}

/*
 * Returns true with *seed set when /chosen has a usable seed. rng-seed is
 * folded as big-endian 64-bit words (the last one zero-padded), the byte
 * order of kaslr-seed.
 */
bool dt_seed(const void *fdt, u64 *seed)
{
	const u8 *p;
	bool found = false;
	int chosen, len;
	u64 v = 0;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		p = fdt_getprop(fdt, chosen, "rng-seed", &len);
		if (p && len > 0) {
			for (int i = 0; i < len; i++)
				v ^= (u64)p[i] << (8 * (7 - i % 8));
			found = true;
		}
		p = fdt_getprop(fdt, chosen, "kaslr-seed", &len);
		if (p && len == 8) {
			v ^= load_cells(p, 2);
			found = true;
		}
	}
	*seed = v;
	return found;
}

/* Returns the first matching node in document order, or -FDT_ERR_*. */
int dt_find_compatible(const void *fdt, const char *compat)
{
	return fdt_node_offset_by_compatible(fdt, -1, compat);
}

int dt_find_compatible_any(const void *fdt, const char *const *compats, size_t n, size_t *which)
{
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		int len;
		const char *list = fdt_getprop(fdt, node, "compatible", &len);

		for (size_t i = 0; list && i < n; i++) {
			if (fdt_stringlist_contains(list, len, compats[i])) {
				if (which)
					*which = i;
				return node;
			}
		}
	}
	return node;
}

/* Entries a dma-ranges may have: real buses have a handful. */
#define DT_MAX_DMA_ENTRIES 64

/*
 * One node on the path from the root during the dma-ranges walk: its
 * dma-ranges (NULL when missing or empty: 1:1) and their cells.
 */
struct dma_level {
	int node;
	const u8 *ranges;
	int len, na, pa, ns;
};

/*
 * Reads the dma-ranges of the node at path[depth], checking their shape:
 * its own #address-cells and #size-cells, its parent's #address-cells (a
 * third address cell, PCI's phys.hi, is flags and dropped by
 * load_cells()), whole entries, at most DT_MAX_DMA_ENTRIES. Returns 0, or
 * -FDT_ERR_* with diag set (the level then counts as 1:1).
 */
static int dma_level_read(const void *fdt, struct dma_level *path, int depth)
{
	struct dma_level *l = &path[depth];
	int up = depth ? path[depth - 1].node : l->node, stride;

	l->ranges = fdt_getprop(fdt, l->node, "dma-ranges", &l->len);
	if (!l->ranges || !l->len) {
		l->ranges = NULL;
		return 0;
	}
	l->na = fdt_address_cells(fdt, l->node);
	l->ns = fdt_size_cells(fdt, l->node);
	l->pa = fdt_address_cells(fdt, up);
	if (l->na < 1 || l->na > 3 || l->pa < 1 || l->pa > 3 || l->ns < 1 || l->ns > 2) {
		l->ranges = NULL;
		return fail(NULL, -FDT_ERR_BADNCELLS,
			    "#address-cells %d, parent #address-cells %d, #size-cells %d "
			    "(need 1-3, 1-3, 1-2)", l->na, l->pa, l->ns);
	}
	stride = (l->na + l->pa + l->ns) * 4;
	if (l->len % stride || l->len / stride > DT_MAX_DMA_ENTRIES) {
		int len = l->len;

		l->ranges = NULL;
		if (len % stride)
			return fail(NULL, -FDT_ERR_BADVALUE,
				    "length %d is not a multiple of %d (%d+%d+%d cells an entry)",
				    len, stride, l->na, l->pa, l->ns);
		return fail(NULL, -FDT_ERR_BADVALUE, "%d entries, more than %d", len / stride,
			    DT_MAX_DMA_ENTRIES);
	}
	return 0;
}

/*
 * Maps addr, an address on the child side of the bus at path[depth], to a
 * CPU address through the dma-ranges of that bus and every ancestor below
 * the root; a missing or empty one is 1:1, as in Linux's DMA translation.
 * Returns 0 or -FDT_ERR_* with diag set.
 */
static int dma_to_cpu(const void *fdt, const struct dma_level *path, int depth, u64 addr,
		      u64 *cpu)
{
	for (; depth > 0; depth--) {
		const struct dma_level *l = &path[depth];
		int err;

		if (!l->ranges)
			continue;
		err = map_entries(l->ranges, l->len, l->na, l->pa, l->ns, &addr);
		if (err)
			return fail(NULL, err, "bus address %#llx not translatable through %s",
				    (unsigned long long)addr, fdt_get_name(fdt, l->node, NULL));
	}
	*cpu = addr;
	return 0;
}

/*
 * The highest CPU address the dma-ranges of the node at path[depth] reach
 * (already read by dma_level_read()): returns 0 with *reach set, 1 when it
 * has none (1:1, no constraint), or -FDT_ERR_* with diag set.
 */
static int dma_reach(const void *fdt, const struct dma_level *path, int depth, u64 *reach)
{
	const struct dma_level *l = &path[depth];
	bool found = false;
	int stride;

	if (!l->ranges)
		return 1;
	stride = (l->na + l->pa + l->ns) * 4;
	*reach = 0;
	for (const u8 *p = l->ranges, *end = p + l->len; p < end; p += stride) {
		u64 size = load_cells(p + (l->na + l->pa) * 4, l->ns), cpu = 0, last;
		int err;

		if (!size)
			continue;
		/* On the root, parent addresses are CPU addresses. */
		err = dma_to_cpu(fdt, path, depth - 1, load_cells(p + l->na * 4, l->pa), &cpu);
		if (err)
			return err;
		last = cpu + (size - 1) < cpu ? UINT64_MAX : cpu + (size - 1);
		*reach = *reach > last ? *reach : last;
		found = true;
	}
	if (!found)
		return fail(NULL, -FDT_ERR_BADVALUE, "every entry has size 0");
	return 0;
}

/*
 * Walks every available node (a disabled one hides its subtree, as Linux's
 * for_each_available_child_of_node()), keeping the path from the root so
 * that no node's parent has to be searched for: linear in the blob, times
 * the entries and the depth.
 */
int dt_dma_max_cpu_address(const void *fdt, u64 *max_addr, int *limit_node,
			   dt_bad_node_fn bad, void *arg)
{
	struct dma_level path[DT_MAX_DEPTH + 1];
	int node = 0, depth = 0, hidden = -1, err;
	u64 reach = 0;

	*max_addr = UINT64_MAX;
	*limit_node = -1;
	for (; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (hidden >= 0 && depth > hidden)
			continue;
		hidden = -1;
		if (depth > DT_MAX_DEPTH)
			return -FDT_ERR_BADSTRUCTURE;
		path[depth].node = node;
		if (node && !available(fdt, node)) {
			hidden = depth;
			continue;
		}
		err = dma_level_read(fdt, path, depth);
		if (!err)
			err = dma_reach(fdt, path, depth, &reach);
		if (err < 0 && bad)
			bad(fdt, node, diag, arg);
		if (!err && reach < *max_addr) {
			*max_addr = reach;
			*limit_node = node;
		}
	}
	return node == -FDT_ERR_NOTFOUND || depth < 0 ? 0 : node;
}

/* Linux's of_get_cpu_hwid(): the first reg entry with /cpus' #address-cells. */
int dt_cpu_hwid(const void *fdt, int node, u64 *hwid)
{
	int parent = fdt_parent_offset(fdt, node), na, len;
	const u8 *p;

	if (parent < 0)
		return parent;
	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p)
		return len;
	na = addr_cells(fdt, parent);
	if (na < 0)
		return na;
	if (len < na * 4)
		return -FDT_ERR_BADVALUE;
	*hwid = load_cells(p, na);
	return 0;
}
