/*
 * Device-tree helpers (lib/dt.c) on small blobs built in memory with
 * libfdt's sequential-write API, then damaged on purpose. The same cases run
 * in the kernel and on the host; the blobs live in static buffers.
 */
#include <stdarg.h>
#include <libfdt.h>
#include <mk64/dt.h>
#include <mk64/ktest.h>
#include <mk64/string.h>

#define BLOB_SIZE 2048
#define MAX_CELLS 16

static u8 blob[BLOB_SIZE] __aligned(8);
static u8 work[BLOB_SIZE + 8] __aligned(8);
static struct dt_range banks[DT_MAX_BANKS];
static struct dt_reserved rsv[DT_MAX_RESERVED];

/* A property of n big-endian cells. */
static int cells(void *fdt, const char *name, int n, ...)
{
	fdt32_t v[MAX_CELLS];
	va_list ap;

	if (n > MAX_CELLS)
		return -FDT_ERR_NOSPACE;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, u32));
	va_end(ap);
	return fdt_property(fdt, name, v, n * 4);
}

/* Starts a blob with one /memreserve/ entry when rsv_size is not 0. */
static int begin(void *fdt, u64 rsv_base, u64 rsv_size)
{
	int err = fdt_create(fdt, BLOB_SIZE);

	if (!err && rsv_size)
		err = fdt_add_reservemap_entry(fdt, rsv_base, rsv_size);
	if (!err)
		err = fdt_finish_reservemap(fdt);
	return err;
}

static int node(void *fdt, const char *name)
{
	return fdt_begin_node(fdt, name);
}

static int end(void *fdt)
{
	return fdt_end_node(fdt);
}

/*
 * The tree most cases share:
 *	/memreserve/ 0x48000000 0x10000;
 *	/ { #address-cells = 2; #size-cells = 2; model; compatible;
 *	    chosen { bootargs; stdout-path = "serial0:115200n8";
 *		     rng-seed = 10 bytes; kaslr-seed; };
 *	    aliases { serial0 = "/soc/uart@1000"; soc = "/soc"; };
 *	    memory@80000000 { two banks, the higher one first };
 *	    memory@0 { one bank and a zero-sized one };
 *	    reserved-memory { tfa@40000000 (no-map), cma (size only),
 *			      off@50000000 (disabled) };
 *	    soc { 1+1 cells, ranges 0 -> 0x9000000 (1 MiB);
 *		  uart@1000 { reg = <0x1000 0x100>; }; }; };
 */
static const u8 rng_seed[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static int build_full(void *fdt)
{
	int err = begin(fdt, 0x48000000, 0x10000);

	err |= node(fdt, "");
	err |= cells(fdt, "#address-cells", 1, 2);
	err |= cells(fdt, "#size-cells", 1, 2);
	err |= fdt_property_string(fdt, "model", "mk64 test board");
	err |= fdt_property_string(fdt, "compatible", "mk64,test");

	err |= node(fdt, "chosen");
	err |= fdt_property_string(fdt, "bootargs", "console=ttyS0 quiet");
	err |= fdt_property_string(fdt, "stdout-path", "serial0:115200n8");
	err |= fdt_property(fdt, "rng-seed", rng_seed, sizeof(rng_seed));
	err |= cells(fdt, "kaslr-seed", 2, 0x01234567, 0x89abcdef);
	err |= end(fdt);

	err |= node(fdt, "aliases");
	err |= fdt_property_string(fdt, "serial0", "/soc/uart@1000");
	err |= fdt_property_string(fdt, "soc", "/soc");
	err |= end(fdt);

	err |= node(fdt, "memory@80000000");
	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= cells(fdt, "reg", 8, 0, 0x80000000, 0, 0x40000000,
		     0, 0x40000000, 0, 0x1000);
	err |= end(fdt);

	err |= node(fdt, "memory@0");
	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= cells(fdt, "reg", 8, 0, 0, 0, 0x10000000, 1, 0, 0, 0);
	err |= end(fdt);

	err |= node(fdt, "reserved-memory");
	err |= cells(fdt, "#address-cells", 1, 2);
	err |= cells(fdt, "#size-cells", 1, 2);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	err |= node(fdt, "tfa@40000000");
	err |= cells(fdt, "reg", 4, 0, 0x40000000, 0, 0x200000);
	err |= fdt_property(fdt, "no-map", NULL, 0);
	err |= end(fdt);
	err |= node(fdt, "cma");
	err |= cells(fdt, "size", 2, 0, 0x4000000);
	err |= end(fdt);
	err |= node(fdt, "off@50000000");
	err |= cells(fdt, "reg", 4, 0, 0x50000000, 0, 0x1000);
	err |= fdt_property_string(fdt, "status", "disabled");
	err |= end(fdt);
	err |= end(fdt);

	err |= node(fdt, "soc");
	err |= fdt_property_string(fdt, "compatible", "simple-bus");
	err |= cells(fdt, "#address-cells", 1, 1);
	err |= cells(fdt, "#size-cells", 1, 1);
	err |= cells(fdt, "ranges", 4, 0, 0, 0x9000000, 0x100000);
	err |= node(fdt, "uart@1000");
	err |= fdt_property(fdt, "compatible", "vendor,uart\0ns16550a",
			    sizeof("vendor,uart\0ns16550a"));
	err |= cells(fdt, "reg", 2, 0x1000, 0x100);
	err |= cells(fdt, "clock-frequency", 1, 24000000);
	err |= end(fdt);
	err |= end(fdt);

	err |= end(fdt);
	return err | fdt_finish(fdt);
}

/* True when word occurs in s. */
static bool mentions(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; s && *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

/* Builds the shared tree into blob and checks that dt_check() takes it. */
static void full_blob(struct ktest *t)
{
	const char *why;

	KTEST_ASSERT_EQ(t, build_full(blob), 0);
	KTEST_ASSERT_EQ(t, dt_check(blob, BLOB_SIZE, &why), 0);
}

/* A copy of the shared tree in work, to damage. */
static size_t full_copy(struct ktest *t)
{
	full_blob(t);
	memcpy(work, blob, fdt_totalsize(blob));
	return fdt_totalsize(blob);
}

/* Expects dt_check() to fail on work with err and a diagnosis. */
static void expect_rejected(struct ktest *t, size_t max, int err)
{
	const char *why = NULL;
	int ret = dt_check(work, max, &why);

	KTEST_EXPECT_EQ(t, ret, err);
	KTEST_EXPECT_TRUE(t, why && why[0]);
	if (why)
		ktest_info(t, "%s", why);
}

static void check_accepts_good(struct ktest *t)
{
	const char *why = "unset";

	KTEST_ASSERT_EQ(t, build_full(blob), 0);
	KTEST_EXPECT_EQ(t, dt_check(blob, fdt_totalsize(blob), &why), 0);
	KTEST_EXPECT_TRUE(t, why == NULL);
	KTEST_EXPECT_EQ(t, dt_check(blob, BLOB_SIZE, NULL), 0);
	KTEST_EXPECT_EQ(t, dt_size(blob), (size_t)fdt_totalsize(blob));
}

static void check_rejects_truncated(struct ktest *t)
{
	size_t size = full_copy(t);
	const char *why;

	expect_rejected(t, 0, -FDT_ERR_TRUNCATED);
	expect_rejected(t, sizeof(struct fdt_header) - 1, -FDT_ERR_TRUNCATED);
	expect_rejected(t, size - 1, -FDT_ERR_TRUNCATED);
	for (size_t max = 0; max < size; max++)
		KTEST_EXPECT_LT(t, dt_check(work, max, &why), 0);
	/* The header claims less than its blocks need. */
	fdt_set_totalsize(work, size - 8);
	expect_rejected(t, size, -FDT_ERR_TRUNCATED);
}

static void check_rejects_bad_magic(struct ktest *t)
{
	const char *why = NULL;

	full_copy(t);
	work[0] ^= 0x40;
	KTEST_EXPECT_EQ(t, dt_check(work, BLOB_SIZE, &why), -FDT_ERR_BADMAGIC);
	KTEST_EXPECT_TRUE(t, mentions(why, "magic"));
	KTEST_EXPECT_TRUE(t, mentions(why, "0x90"));
	KTEST_EXPECT_TRUE(t, mentions(why, "d00dfeed"));
	KTEST_EXPECT_EQ(t, dt_check(NULL, BLOB_SIZE, &why), -FDT_ERR_BADMAGIC);
	KTEST_EXPECT_TRUE(t, mentions(why, "no device tree"));
	KTEST_EXPECT_EQ(t, dt_check(work + 4, BLOB_SIZE, &why), -FDT_ERR_ALIGNMENT);
}

static void check_rejects_bad_version(struct ktest *t)
{
	const char *why = NULL;

	full_copy(t);
	fdt_set_last_comp_version(work, 18);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADVERSION);
	full_copy(t);
	fdt_set_version(work, 1);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADVERSION);
	full_copy(t);
	fdt_set_version(work, 15);
	fdt_set_last_comp_version(work, 15);
	KTEST_EXPECT_EQ(t, dt_check(work, BLOB_SIZE, &why), -FDT_ERR_BADVERSION);
	KTEST_EXPECT_TRUE(t, mentions(why, "15"));
}

static void check_rejects_oversized(struct ktest *t)
{
	size_t size = full_copy(t);
	const char *why = NULL;

	KTEST_EXPECT_EQ(t, dt_check(work, size - 4, &why), -FDT_ERR_TRUNCATED);
	KTEST_EXPECT_TRUE(t, mentions(why, "totalsize"));
	/* A header that claims more than the buffer the loader gave us. */
	fdt_set_totalsize(work, 2 * BLOB_SIZE);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_TRUNCATED);
}

static void check_rejects_bad_offsets(struct ktest *t)
{
	size_t size = full_copy(t);

	fdt_set_off_dt_struct(work, size + 8);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_TRUNCATED);
	full_copy(t);
	fdt_set_off_dt_strings(work, size);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_TRUNCATED);
	full_copy(t);
	fdt_set_size_dt_struct(work, size);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_TRUNCATED);
	/* The walk starts inside the root's name and meets no valid tag. */
	full_copy(t);
	fdt_set_off_dt_struct(work, fdt_off_dt_struct(work) + 4);
	fdt_set_size_dt_struct(work, fdt_size_dt_struct(work) - 4);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADSTRUCTURE);
}

static void put_be32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (24 - 8 * i));
}

/* Offset in work of the first byte of what (a string in the blob). */
static int find_bytes(size_t size, const char *what, size_t len)
{
	for (size_t i = 0; i + len <= size; i++)
		if (!memcmp(work + i, what, len))
			return (int)i;
	return -1;
}

static void check_rejects_unterminated(struct ktest *t)
{
	size_t size = full_copy(t);
	int at;

	/* The last name in the strings block runs into the end of the blob. */
	KTEST_ASSERT_EQ(t, work[size - 1], 0);
	work[size - 1] = 'x';
	expect_rejected(t, size, -FDT_ERR_TRUNCATED);

	/*
	 * "chosen" and its padding no longer end: the name swallows the next
	 * tag's first byte, so the walk resumes mid-property at bootargs's
	 * length (20), which is no tag.
	 */
	size = full_copy(t);
	at = find_bytes(size, "chosen", sizeof("chosen"));
	KTEST_ASSERT_GT(t, at, 0);
	work[at + 6] = 'x';
	work[at + 7] = 'x';
	expect_rejected(t, size, -FDT_ERR_BADSTRUCTURE);
}

static void check_rejects_bad_string_offset(struct ktest *t)
{
	size_t size = full_copy(t);
	int prop = fdt_first_property_offset(work, 0);
	u8 *nameoff;

	KTEST_ASSERT_GE(t, prop, 0);
	nameoff = work + fdt_off_dt_struct(work) + prop + 8;
	put_be32(nameoff, fdt_size_dt_strings(work) + 100);
	expect_rejected(t, size, -FDT_ERR_BADOFFSET);
	put_be32(nameoff, 0xfffffffc);
	expect_rejected(t, size, -FDT_ERR_BADOFFSET);
}

/* Two roots, a property before the root, and a tree 40 levels deep. */
static void check_rejects_bad_shape(struct ktest *t)
{
	int err;

	err = begin(work, 0, 0);
	err |= node(work, "");
	err |= end(work);
	err |= node(work, "");
	err |= end(work);
	KTEST_ASSERT_EQ(t, err | fdt_finish(work), 0);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADSTRUCTURE);

	err = begin(work, 0, 0);
	err |= cells(work, "early", 1, 1);
	err |= node(work, "");
	err |= end(work);
	KTEST_ASSERT_EQ(t, err | fdt_finish(work), 0);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADSTRUCTURE);

	err = begin(work, 0, 0);
	for (int i = 0; i < 40; i++)
		err |= node(work, i ? "n" : "");
	for (int i = 0; i < 40; i++)
		err |= end(work);
	KTEST_ASSERT_EQ(t, err | fdt_finish(work), 0);
	expect_rejected(t, BLOB_SIZE, -FDT_ERR_BADSTRUCTURE);
}

/* Where exercise() reads the strings it gets, for the host's ASan to see. */
static volatile size_t sink;

/* Calls every helper on an accepted blob; only crashes or hangs matter. */
static void exercise(const void *fdt)
{
	const char *options;
	u64 a, s, cpu;
	u32 v;
	int n = 0, limit_node;

	dt_memory_banks(fdt, banks, DT_MAX_BANKS);
	dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	dt_stdout_node(fdt, &options);
	sink += strlen(dt_bootargs(fdt));
	sink += strlen(dt_model(fdt));
	dt_seed(fdt, &a);
	dt_find_compatible(fdt, "ns16550a");
	dt_find_node(fdt, "serial0/x", 9);
	dt_dma_max_cpu_address(fdt, &a, &limit_node, NULL, NULL);
	for (int off = 0; off >= 0 && n < 64; off = fdt_next_node(fdt, off, NULL), n++) {
		for (int i = 0; i < 4 && !dt_reg(fdt, off, i, &a, &s); i++)
			dt_translate(fdt, off, a, &cpu);
		/* Only cpu nodes: finding the parent of every node would be quadratic. */
		if (dt_string(fdt, off, "device_type") &&
		    !strcmp(dt_string(fdt, off, "device_type"), "cpu"))
			dt_cpu_hwid(fdt, off, &a);
		dt_string(fdt, off, "compatible");
		dt_u32(fdt, off, "#address-cells", &v);
	}
}

/*
 * Every byte of the shared tree replaced in turn by 0x00, 0x03 (the low byte
 * of FDT_PROP, which turns one tag into another) and 0xff: whatever
 * dt_check() accepts, the helpers must get through.
 */
static void check_survives_corruption(struct ktest *t)
{
	static const u8 values[] = { 0x00, 0x03, 0xff };
	size_t size = full_copy(t);
	unsigned int accepted = 0, rejected = 0;
	const char *why;

	for (size_t i = 0; i < size; i++) {
		for (size_t j = 0; j < ARRAY_SIZE(values); j++) {
			if (blob[i] == values[j])
				continue;
			work[i] = values[j];
			if (dt_check(work, size, &why)) {
				rejected++;
				KTEST_EXPECT_TRUE(t, why && why[0]);
			} else {
				accepted++;
				exercise(work);
			}
			work[i] = blob[i];
		}
	}
	ktest_info(t, "%u variants rejected, %u accepted", rejected, accepted);
	KTEST_EXPECT_GT(t, rejected, 0u);
	KTEST_EXPECT_GT(t, accepted, 0u);
}

#define ABSENT ~0u

/* / { #address-cells = na; #size-cells = ns; a { reg; }; }, ABSENT: left out. */
static int build_reg(void *fdt, u32 na, u32 ns, const u32 *reg, int n)
{
	fdt32_t v[MAX_CELLS];
	int err;

	for (int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(reg[i]);
	err = begin(fdt, 0, 0);
	err |= node(fdt, "");
	if (na != ABSENT)
		err |= cells(fdt, "#address-cells", 1, na);
	if (ns != ABSENT)
		err |= cells(fdt, "#size-cells", 1, ns);
	err |= node(fdt, "a");
	err |= fdt_property(fdt, "reg", v, n * 4);
	err |= end(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

/* dt_reg() of /a in a fresh tree, after checking it. */
static int reg_of(struct ktest *t, u32 na, u32 ns, const u32 *reg, int n,
		  int index, u64 *addr, u64 *size)
{
	KTEST_ASSERT_EQ(t, build_reg(blob, na, ns, reg, n), 0);
	KTEST_ASSERT_EQ(t, dt_check(blob, BLOB_SIZE, NULL), 0);
	return dt_reg(blob, fdt_path_offset(blob, "/a"), index, addr, size);
}

static void reg_decodes_cells(struct ktest *t)
{
	static const u32 one[] = { 0x1000, 0x100, 0x2000, 0x200 };
	static const u32 two[] = { 0x1, 0x80000000, 0x0, 0x40000000 };
	static const u32 mixed[] = { 0x8, 0x0, 0x10000 };
	u64 addr, size;

	KTEST_EXPECT_EQ(t, reg_of(t, 1, 1, one, 4, 1, &addr, &size), 0);
	KTEST_EXPECT_EQ(t, addr, 0x2000ull);
	KTEST_EXPECT_EQ(t, size, 0x200ull);
	KTEST_EXPECT_EQ(t, dt_reg(blob, fdt_path_offset(blob, "/a"), 2, &addr, &size),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_reg(blob, fdt_path_offset(blob, "/a"), -1, &addr, &size),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_reg(blob, 0, 0, &addr, &size), -FDT_ERR_NOTFOUND);

	KTEST_EXPECT_EQ(t, reg_of(t, 2, 2, two, 4, 0, &addr, &size), 0);
	KTEST_EXPECT_EQ(t, addr, 0x180000000ull);
	KTEST_EXPECT_EQ(t, size, 0x40000000ull);

	/* No cells at all: 2 for addresses, 1 for sizes. */
	KTEST_EXPECT_EQ(t, reg_of(t, ABSENT, ABSENT, mixed, 3, 0, &addr, &size), 0);
	KTEST_EXPECT_EQ(t, addr, 0x800000000ull);
	KTEST_EXPECT_EQ(t, size, 0x10000ull);
}

static void reg_rejects_bad_cells(struct ktest *t)
{
	static const u32 reg[] = { 1, 2, 3, 4, 5, 6 };
	u64 addr, size;

	KTEST_EXPECT_EQ(t, reg_of(t, 1, 0, reg, 2, 0, &addr, &size),
			-FDT_ERR_BADNCELLS);
	KTEST_EXPECT_EQ(t, reg_of(t, 0, 1, reg, 2, 0, &addr, &size),
			-FDT_ERR_BADNCELLS);
	KTEST_EXPECT_EQ(t, reg_of(t, 3, 1, reg, 4, 0, &addr, &size),
			-FDT_ERR_BADNCELLS);
	KTEST_EXPECT_EQ(t, reg_of(t, 1, 3, reg, 4, 0, &addr, &size),
			-FDT_ERR_BADNCELLS);
	KTEST_EXPECT_EQ(t, reg_of(t, 5, 1, reg, 6, 0, &addr, &size),
			-FDT_ERR_BADNCELLS);
	/* Not a whole number of 1+1-cell entries. */
	KTEST_EXPECT_EQ(t, reg_of(t, 1, 1, reg, 3, 0, &addr, &size),
			-FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, reg_of(t, 2, 2, reg, 6, 0, &addr, &size),
			-FDT_ERR_BADVALUE);
}

/* #address-cells = #size-cells = 1. */
static int bus_cells(void *fdt)
{
	int err = cells(fdt, "#address-cells", 1, 1);

	return err | cells(fdt, "#size-cells", 1, 1);
}

/* A node with a one-entry, 1+1-cell reg of 16 bytes at addr. */
static int leaf(void *fdt, const char *name, u32 addr)
{
	int err = node(fdt, name);

	err |= cells(fdt, "reg", 2, addr, 0x10);
	return err | end(fdt);
}

/*
 * / (2+2) > bus@f0000000 (1+1: 0x0 -> 0xf0000000, 1 MiB) > sub (1+1:
 * 0x100 -> 0x8000, 0x1000; and 0x10000 -> 0x20000) > dev@110 plus a
 * same-level identity bus and one without ranges.
 */
static int build_buses(void *fdt)
{
	int err = begin(fdt, 0, 0);

	err |= node(fdt, "");
	err |= cells(fdt, "#address-cells", 1, 2);
	err |= cells(fdt, "#size-cells", 1, 2);
	err |= node(fdt, "bus@f0000000");
	err |= bus_cells(fdt);
	err |= cells(fdt, "ranges", 4, 0, 0, 0xf0000000, 0x100000);

	err |= node(fdt, "sub");
	err |= bus_cells(fdt);
	err |= cells(fdt, "ranges", 6, 0x100, 0x8000, 0x1000,
		     0x10000, 0x20000, 0x10);
	err |= leaf(fdt, "dev@110", 0x110);
	err |= end(fdt);

	err |= node(fdt, "flat");
	err |= bus_cells(fdt);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	err |= leaf(fdt, "dev@40", 0x40);
	err |= end(fdt);

	err |= node(fdt, "closed");
	err |= bus_cells(fdt);
	err |= leaf(fdt, "dev@40", 0x40);
	err |= end(fdt);

	err |= end(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

static void translate_nested_ranges(struct ktest *t)
{
	int dev, flat, closed, sub, bus;
	u64 addr, size, cpu;

	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_ASSERT_EQ(t, dt_check(blob, BLOB_SIZE, NULL), 0);
	dev = fdt_path_offset(blob, "/bus@f0000000/sub/dev@110");
	flat = fdt_path_offset(blob, "/bus@f0000000/flat/dev@40");
	closed = fdt_path_offset(blob, "/bus@f0000000/closed/dev@40");
	sub = fdt_path_offset(blob, "/bus@f0000000/sub");
	KTEST_ASSERT_GE(t, dev, 0);

	KTEST_ASSERT_EQ(t, dt_reg(blob, dev, 0, &addr, &size), 0);
	KTEST_EXPECT_EQ(t, dt_translate(blob, dev, addr, &cpu), 0);
	KTEST_EXPECT_EQ(t, cpu, 0xf0008010ull);
	KTEST_EXPECT_EQ(t, dt_translate(blob, dev, 0x10008, &cpu), 0);
	KTEST_EXPECT_EQ(t, cpu, 0xf0020008ull);
	/* Just past each window. */
	KTEST_EXPECT_EQ(t, dt_translate(blob, dev, 0x1100, &cpu), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_translate(blob, dev, 0x10010, &cpu), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_translate(blob, sub, 0x100000, &cpu), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_translate(blob, sub, 0xfffff, &cpu), 0);
	KTEST_EXPECT_EQ(t, cpu, 0xf00fffffull);

	KTEST_EXPECT_EQ(t, dt_translate(blob, flat, 0x40, &cpu), 0);
	KTEST_EXPECT_EQ(t, cpu, 0xf0000040ull);
	KTEST_EXPECT_EQ(t, dt_translate(blob, closed, 0x40, &cpu), -FDT_ERR_NOTFOUND);
	/* Children of the root are already in CPU addresses. */
	bus = fdt_path_offset(blob, "/bus@f0000000");
	KTEST_EXPECT_EQ(t, dt_translate(blob, bus, 0x1234, &cpu), 0);
	KTEST_EXPECT_EQ(t, cpu, 0x1234ull);
}

/*
 * DMA buses: / (2+2) > wide (1+1: bus 0 -> CPU 0x80000000, 1 GiB) >
 * narrow (1+1: bus 0x1000 -> wide's 0, 256 MiB: CPU 0x80000000-0x8fffffff);
 * flat (empty dma-ranges) > deep (1+2: bus 0 -> 0x40000000, 3 GiB, through
 * flat 1:1); off (disabled, 1 MiB) > hidden (1 MiB, under a disabled bus).
 * extra, when not NULL, adds a bus of its own under the root.
 */
static int build_dma_buses(void *fdt, int (*extra)(void *fdt))
{
	int err = begin(fdt, 0, 0);

	err |= node(fdt, "");
	err |= cells(fdt, "#address-cells", 1, 2);
	err |= cells(fdt, "#size-cells", 1, 2);
	err |= node(fdt, "wide");
	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 4, 0, 0, 0x80000000, 0x40000000);
	err |= node(fdt, "narrow");
	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 3, 0x1000, 0, 0x10000000);
	err |= end(fdt);
	err |= end(fdt);

	err |= node(fdt, "flat");
	err |= bus_cells(fdt);
	err |= fdt_property(fdt, "dma-ranges", NULL, 0);
	err |= node(fdt, "deep");
	err |= cells(fdt, "#address-cells", 1, 1);
	err |= cells(fdt, "#size-cells", 1, 2);
	err |= cells(fdt, "dma-ranges", 4, 0, 0x40000000, 0, 0xc0000000);
	err |= end(fdt);
	err |= end(fdt);

	err |= node(fdt, "off");
	err |= fdt_property_string(fdt, "status", "disabled");
	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 4, 0, 0, 0, 0x100000);
	err |= node(fdt, "hidden");
	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 3, 0, 0, 0x100000);
	err |= end(fdt);
	err |= end(fdt);

	if (extra)
		err |= extra(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

/* What dt_dma_max_cpu_address() reported as malformed. */
static struct {
	int count, node;
	char why[160];
} dma_bad;

static void note_bad(const void *fdt, int node, const char *why, void *arg)
{
	(void)fdt;
	KTEST_EXPECT_TRUE((struct ktest *)arg, why != NULL);
	dma_bad.count++;
	dma_bad.node = node;
	strlcpy(dma_bad.why, why ? why : "", sizeof(dma_bad.why));
}

/* Builds the DMA tree with extra, walks it; returns the limit node's offset. */
static int dma_walk(struct ktest *t, int (*extra)(void *fdt), u64 *max)
{
	int limit_node;

	memset(&dma_bad, 0, sizeof(dma_bad));
	KTEST_ASSERT_EQ(t, build_dma_buses(blob, extra), 0);
	KTEST_ASSERT_EQ(t, dt_check(blob, BLOB_SIZE, NULL), 0);
	KTEST_EXPECT_EQ(t, dt_dma_max_cpu_address(blob, max, &limit_node, note_bad, t), 0);
	return limit_node;
}

/* narrow's limit, translated through wide, is the lowest; disabled subtrees do not count. */
static void dma_limit_nested(struct ktest *t)
{
	u64 max;
	int limit;

	limit = dma_walk(t, NULL, &max);
	KTEST_EXPECT_EQ(t, max, 0x8fffffffull);
	KTEST_EXPECT_EQ(t, limit, fdt_path_offset(blob, "/wide/narrow"));
	KTEST_EXPECT_EQ(t, dma_bad.count, 0);

	/* Without dma-ranges anywhere: no limit. */
	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_EXPECT_EQ(t, dt_dma_max_cpu_address(blob, &max, &limit, NULL, NULL), 0);
	KTEST_EXPECT_EQ(t, max, UINT64_MAX);
	KTEST_EXPECT_EQ(t, limit, -1);
}

/* A bus reaching only 16 MiB, two 1+2+1-cell entries, the higher one first. */
static int low_bus(void *fdt)
{
	int err = node(fdt, "low");

	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 8, 0x800000, 0, 0x800000, 0x800000, 0, 0, 0, 0x800000);
	return err | end(fdt);
}

/* A length that is not whole entries (1+2+1 cells: 16 bytes each). */
static int short_bus(void *fdt)
{
	int err = node(fdt, "short");

	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 2, 0, 0x1000);
	return err | end(fdt);
}

/* #size-cells 0 on a bus with dma-ranges. */
static int sizeless_bus(void *fdt)
{
	int err = node(fdt, "sizeless");

	err |= cells(fdt, "#address-cells", 1, 1);
	err |= cells(fdt, "#size-cells", 1, 0);
	err |= cells(fdt, "dma-ranges", 3, 0, 0, 0x1000);
	return err | end(fdt);
}

/* A child whose parent address wide's dma-ranges do not map. */
static int unmapped_bus(void *fdt)
{
	int err = node(fdt, "wide2");

	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 4, 0, 0, 0x80000000, 0x1000);
	err |= node(fdt, "beyond");
	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 3, 0, 0x2000, 0x100);
	err |= end(fdt);
	return err | end(fdt);
}

/* Only zero-sized entries. */
static int empty_bus(void *fdt)
{
	int err = node(fdt, "empty");

	err |= bus_cells(fdt);
	err |= cells(fdt, "dma-ranges", 4, 0, 0, 0x1000, 0);
	return err | end(fdt);
}

/* 65 entries: one more than a bus may have. */
static int crowded_bus(void *fdt)
{
	fdt32_t v[65 * 4];
	int err = node(fdt, "crowded");

	for (int i = 0; i < 65; i++) {
		v[i * 4] = cpu_to_fdt32((u32)i << 12);
		v[i * 4 + 1] = 0;
		v[i * 4 + 2] = cpu_to_fdt32((u32)i << 12);
		v[i * 4 + 3] = cpu_to_fdt32(0x1000);
	}
	err |= bus_cells(fdt);
	err |= fdt_property(fdt, "dma-ranges", v, sizeof(v));
	return err | end(fdt);
}

static void dma_limit_lowest_entry_end(struct ktest *t)
{
	u64 max;
	int limit = dma_walk(t, low_bus, &max);

	/* The highest end of low's entries: 0x800000 + 0x800000 - 1. */
	KTEST_EXPECT_EQ(t, max, 0xffffffull);
	KTEST_EXPECT_EQ(t, limit, fdt_path_offset(blob, "/low"));
}

/* Each malformed dma-ranges is reported once, with why, and ignored. */
static void dma_limit_malformed_ignored(struct ktest *t)
{
	static const struct {
		int (*build)(void *fdt);
		const char *path, *word;
		u64 max;	/* the limit without the bad bus */
	} cases[] = {
		{ short_bus, "/short", "multiple", 0x8fffffff },
		{ sizeless_bus, "/sizeless", "#size-cells 0", 0x8fffffff },
		{ unmapped_bus, "/wide2/beyond", "translatable", 0x80000fff },
		{ empty_bus, "/empty", "size 0", 0x8fffffff },
		{ crowded_bus, "/crowded", "more than 64", 0x8fffffff },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 max;
		int limit = dma_walk(t, cases[i].build, &max);

		ktest_info(t, "%s: %s", cases[i].path, dma_bad.why);
		KTEST_EXPECT_EQ(t, dma_bad.count, 1);
		KTEST_EXPECT_EQ(t, dma_bad.node, fdt_path_offset(blob, cases[i].path));
		KTEST_EXPECT_TRUE(t, mentions(dma_bad.why, cases[i].word));
		KTEST_EXPECT_EQ(t, max, cases[i].max);
		KTEST_EXPECT_NE(t, limit, fdt_path_offset(blob, cases[i].path));
	}
}

/* A cpu node's reg with /cpus' #address-cells of 1 or 2. */
static int build_cpus(void *fdt, u32 na)
{
	int err = begin(fdt, 0, 0);

	err |= node(fdt, "");
	err |= node(fdt, "cpus");
	err |= cells(fdt, "#address-cells", 1, na);
	err |= cells(fdt, "#size-cells", 1, 0);
	err |= node(fdt, "cpu@0");
	err |= na == 2 ? cells(fdt, "reg", 2, 0x1, 0x100) : cells(fdt, "reg", 1, 0x3);
	err |= end(fdt);
	err |= node(fdt, "cpu@1");
	err |= end(fdt);
	err |= node(fdt, "cpu@2");
	err |= fdt_property(fdt, "reg", "ab", 2);
	err |= end(fdt);
	err |= end(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

static void cpu_hwid_cells(struct ktest *t)
{
	u64 hwid = 0;

	KTEST_ASSERT_EQ(t, build_cpus(blob, 2), 0);
	KTEST_EXPECT_EQ(t, dt_cpu_hwid(blob, fdt_path_offset(blob, "/cpus/cpu@0"), &hwid), 0);
	KTEST_EXPECT_EQ(t, hwid, 0x100000100ull);
	KTEST_EXPECT_EQ(t, dt_cpu_hwid(blob, fdt_path_offset(blob, "/cpus/cpu@1"), &hwid),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_cpu_hwid(blob, fdt_path_offset(blob, "/cpus/cpu@2"), &hwid),
			-FDT_ERR_BADVALUE);
	KTEST_ASSERT_EQ(t, build_cpus(blob, 1), 0);
	KTEST_EXPECT_EQ(t, dt_cpu_hwid(blob, fdt_path_offset(blob, "/cpus/cpu@0"), &hwid), 0);
	KTEST_EXPECT_EQ(t, hwid, 0x3ull);
	KTEST_ASSERT_EQ(t, build_cpus(blob, 3), 0);
	KTEST_EXPECT_EQ(t, dt_cpu_hwid(blob, fdt_path_offset(blob, "/cpus/cpu@0"), &hwid),
			-FDT_ERR_BADNCELLS);
}

static void memory_banks_sorted(struct ktest *t)
{
	full_blob(t);
	KTEST_ASSERT_EQ(t, dt_memory_banks(blob, banks, DT_MAX_BANKS), 3);
	KTEST_EXPECT_EQ(t, banks[0].base, 0x0ull);
	KTEST_EXPECT_EQ(t, banks[0].size, 0x10000000ull);
	KTEST_EXPECT_EQ(t, banks[1].base, 0x40000000ull);
	KTEST_EXPECT_EQ(t, banks[1].size, 0x1000ull);
	KTEST_EXPECT_EQ(t, banks[2].base, 0x80000000ull);
	KTEST_EXPECT_EQ(t, banks[2].size, 0x40000000ull);
	KTEST_EXPECT_EQ(t, dt_memory_banks(blob, banks, 2), -FDT_ERR_NOSPACE);

	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_EXPECT_EQ(t, dt_memory_banks(blob, banks, DT_MAX_BANKS),
			-FDT_ERR_NOTFOUND);
}

static void reserved_ranges_listed(struct ktest *t)
{
	full_blob(t);
	KTEST_ASSERT_EQ(t, dt_reserved_ranges(blob, rsv, DT_MAX_RESERVED), 2);
	KTEST_EXPECT_EQ(t, (int)rsv[0].kind, DT_RSV_MEMRESERVE);
	KTEST_EXPECT_EQ(t, rsv[0].base, 0x48000000ull);
	KTEST_EXPECT_EQ(t, rsv[0].size, 0x10000ull);
	KTEST_EXPECT_FALSE(t, rsv[0].no_map);
	KTEST_EXPECT_STREQ(t, rsv[0].name, "memreserve");
	/* cma has only a size and off@50000000 is disabled. */
	KTEST_EXPECT_EQ(t, (int)rsv[1].kind, DT_RSV_RESERVED_MEMORY);
	KTEST_EXPECT_EQ(t, rsv[1].base, 0x40000000ull);
	KTEST_EXPECT_EQ(t, rsv[1].size, 0x200000ull);
	KTEST_EXPECT_TRUE(t, rsv[1].no_map);
	KTEST_EXPECT_STREQ(t, rsv[1].name, "tfa@40000000");
	KTEST_EXPECT_EQ(t, dt_reserved_ranges(blob, rsv, 1), -FDT_ERR_NOSPACE);

	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_EXPECT_EQ(t, dt_reserved_ranges(blob, rsv, DT_MAX_RESERVED), 0);
}

static void stdout_alias_with_options(struct ktest *t)
{
	const char *options = NULL;

	full_blob(t);
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options),
			fdt_path_offset(blob, "/soc/uart@1000"));
	KTEST_EXPECT_STREQ(t, options, "115200n8");
	KTEST_EXPECT_GE(t, dt_stdout_node(blob, NULL), 0);
}

/* / { chosen { prop = path; }; uart@9000000 {}; }, with a NUL-less variant. */
static int build_chosen(void *fdt, const char *prop, const char *path, int len)
{
	int err = begin(fdt, 0, 0);

	err |= node(fdt, "");
	err |= node(fdt, "chosen");
	if (prop)
		err |= fdt_property(fdt, prop, path, len);
	err |= end(fdt);
	err |= node(fdt, "uart@9000000");
	err |= end(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

static void stdout_plain_path(struct ktest *t)
{
	const char *options = "unset";
	int uart;

	KTEST_ASSERT_EQ(t, build_chosen(blob, "stdout-path", "/uart@9000000", 14), 0);
	uart = fdt_path_offset(blob, "/uart@9000000");
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), uart);
	KTEST_EXPECT_TRUE(t, options == NULL);

	KTEST_ASSERT_EQ(t, build_chosen(blob, "linux,stdout-path", "/uart:", 7), 0);
	uart = fdt_path_offset(blob, "/uart@9000000");
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), uart);
	KTEST_EXPECT_STREQ(t, options, "");

	KTEST_ASSERT_EQ(t, build_chosen(blob, "stdout-path", "/nowhere:9600", 14), 0);
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_TRUE(t, options == NULL);
	KTEST_ASSERT_EQ(t, build_chosen(blob, "stdout-path", "serial0", 8), 0);
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), -FDT_ERR_BADPATH);
	KTEST_ASSERT_EQ(t, build_chosen(blob, "stdout-path", "/uart@9000000", 13), 0);
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), -FDT_ERR_NOTFOUND);
	KTEST_ASSERT_EQ(t, build_chosen(blob, NULL, NULL, 0), 0);
	KTEST_EXPECT_EQ(t, dt_stdout_node(blob, &options), -FDT_ERR_NOTFOUND);
}

static void bootargs_absent_is_empty(struct ktest *t)
{
	full_blob(t);
	KTEST_EXPECT_STREQ(t, dt_bootargs(blob), "console=ttyS0 quiet");
	KTEST_ASSERT_EQ(t, build_chosen(blob, NULL, NULL, 0), 0);
	KTEST_EXPECT_STREQ(t, dt_bootargs(blob), "");
	KTEST_ASSERT_EQ(t, build_chosen(blob, "bootargs", "quiet", 5), 0);
	KTEST_EXPECT_STREQ(t, dt_bootargs(blob), "");
	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_EXPECT_STREQ(t, dt_bootargs(blob), "");
}

static void seed_folds(struct ktest *t)
{
	u64 seed;

	/* 0x0102030405060708 ^ 0x090a000000000000 ^ 0x0123456789abcdef */
	full_blob(t);
	KTEST_EXPECT_TRUE(t, dt_seed(blob, &seed));
	KTEST_EXPECT_EQ(t, seed, 0x092b46638cadcae7ull);

	KTEST_ASSERT_EQ(t, build_chosen(blob, "rng-seed", "\x80", 1), 0);
	KTEST_EXPECT_TRUE(t, dt_seed(blob, &seed));
	KTEST_EXPECT_EQ(t, seed, 0x8000000000000000ull);
	/* A kaslr-seed must be 64 bits; an empty rng-seed gives nothing. */
	KTEST_ASSERT_EQ(t, build_chosen(blob, "kaslr-seed", "1234567", 7), 0);
	KTEST_EXPECT_FALSE(t, dt_seed(blob, &seed));
	KTEST_ASSERT_EQ(t, build_chosen(blob, "rng-seed", "", 0), 0);
	KTEST_EXPECT_FALSE(t, dt_seed(blob, &seed));
	KTEST_ASSERT_EQ(t, build_buses(blob), 0);
	KTEST_EXPECT_FALSE(t, dt_seed(blob, &seed));
}

/* / { aliases { name = value; }; soc { uart@1000 { port@0 {}; }; }; } */
static int build_alias(void *fdt, const char *name, const char *value, int len)
{
	int err = begin(fdt, 0, 0);

	err |= node(fdt, "");
	err |= node(fdt, "aliases");
	err |= fdt_property(fdt, name, value, len);
	err |= end(fdt);
	err |= node(fdt, "soc");
	err |= node(fdt, "uart@1000");
	err |= node(fdt, "port@0");
	err |= end(fdt);
	err |= end(fdt);
	err |= end(fdt);
	err |= end(fdt);
	return err | fdt_finish(fdt);
}

static void find_node_paths_and_aliases(struct ktest *t)
{
	int uart, port;

	KTEST_ASSERT_EQ(t, build_alias(blob, "serial0", "/soc/uart@1000", 15), 0);
	KTEST_ASSERT_EQ(t, dt_check(blob, BLOB_SIZE, NULL), 0);
	uart = fdt_path_offset(blob, "/soc/uart@1000");
	port = fdt_path_offset(blob, "/soc/uart@1000/port@0");
	KTEST_ASSERT_GT(t, port, uart);

	KTEST_EXPECT_EQ(t, dt_find_node(blob, "serial0", 7), uart);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "serial0/port", 12), port);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "/soc/uart", 9), uart);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "//soc//uart@1000/", 17), uart);
	/* len bounds the string: "/soc/uart@1000/port" cut after "uart@1000". */
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "/soc/uart@1000/port", 14), uart);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "/", 1), 0);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "/soc/uart@2000", 14), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "/soc/uart@", 10), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "serial", 6), -FDT_ERR_BADPATH);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "", 0), -FDT_ERR_BADPATH);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, NULL, 3), -FDT_ERR_BADPATH);

	/* Alias values that are not absolute, NUL-terminated paths. */
	KTEST_ASSERT_EQ(t, build_alias(blob, "loop", "loop", 5), 0);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "loop", 4), -FDT_ERR_BADVALUE);
	KTEST_ASSERT_EQ(t, build_alias(blob, "cut", "/soc", 4), 0);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "cut", 3), -FDT_ERR_BADVALUE);
	KTEST_ASSERT_EQ(t, build_alias(blob, "none", "", 0), 0);
	KTEST_EXPECT_EQ(t, dt_find_node(blob, "none", 4), -FDT_ERR_BADVALUE);
}

static void strings_and_cells(struct ktest *t)
{
	int uart;
	u32 v;

	full_blob(t);
	uart = fdt_path_offset(blob, "/soc/uart@1000");
	KTEST_EXPECT_STREQ(t, dt_model(blob), "mk64 test board");
	KTEST_EXPECT_STREQ(t, dt_string(blob, uart, "compatible"), "vendor,uart");
	KTEST_EXPECT_TRUE(t, dt_string(blob, uart, "missing") == NULL);
	KTEST_EXPECT_TRUE(t, dt_u32(blob, uart, "clock-frequency", &v));
	KTEST_EXPECT_EQ(t, v, 24000000u);
	KTEST_EXPECT_FALSE(t, dt_u32(blob, uart, "reg", &v));
	KTEST_EXPECT_FALSE(t, dt_u32(blob, uart, "missing", &v));
	KTEST_EXPECT_EQ(t, dt_find_compatible(blob, "ns16550a"), uart);
	KTEST_EXPECT_EQ(t, dt_find_compatible(blob, "vendor,uart"), uart);
	KTEST_EXPECT_EQ(t, dt_find_compatible(blob, "ns16550"), -FDT_ERR_NOTFOUND);
	{
		/* Tree order wins over list order: /soc comes before its uart. */
		static const char *const uart_or_bus[] = { "ns16550a", "simple-bus", "none" };
		size_t which = 99;

		KTEST_EXPECT_EQ(t, dt_find_compatible_any(blob, uart_or_bus, 3, &which),
				fdt_path_offset(blob, "/soc"));
		KTEST_EXPECT_EQ(t, which, 1u);
		KTEST_EXPECT_EQ(t, dt_find_compatible_any(blob, uart_or_bus + 2, 1, &which),
				-FDT_ERR_NOTFOUND);
		KTEST_EXPECT_EQ(t, which, 1u);
		KTEST_EXPECT_EQ(t, dt_find_compatible_any(blob, uart_or_bus, 1, NULL), uart);
		KTEST_EXPECT_EQ(t, dt_find_compatible_any(blob, uart_or_bus, 0, &which),
				-FDT_ERR_NOTFOUND);
	}

	/* Neither model nor compatible. */
	KTEST_ASSERT_EQ(t, build_chosen(blob, "bootargs", "x", 2), 0);
	KTEST_EXPECT_STREQ(t, dt_model(blob), "unknown");
	KTEST_EXPECT_TRUE(t, dt_string(blob, fdt_path_offset(blob, "/chosen"),
				       "bootargs") != NULL);
	KTEST_ASSERT_EQ(t, build_chosen(blob, "bootargs", "abc", 3), 0);
	KTEST_EXPECT_TRUE(t, dt_string(blob, fdt_path_offset(blob, "/chosen"),
				       "bootargs") == NULL);
	KTEST_ASSERT_EQ(t, build_chosen(blob, "bootargs", "", 0), 0);
	KTEST_EXPECT_TRUE(t, dt_string(blob, fdt_path_offset(blob, "/chosen"),
				       "bootargs") == NULL);
}

/*
 * The early DTB mapping's decision, from a bare header: worked out by hand
 * from the header layout (magic at 0, totalsize at 4, big-endian, 40 bytes)
 * and the boot protocol's 2 MiB cap.
 */
static void early_span_trusts_only_a_sane_header(struct ktest *t)
{
	static u8 hdr[40];
	const u32 sizes[] = { 0x1000, 40, 39, 0x200000, 0x200001, 0xffffffff };
	const size_t expect[] = { 0x1000, 40, 0, 0x200000, 0, 0 };

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 0xd0; hdr[1] = 0x0d; hdr[2] = 0xfe; hdr[3] = 0xed;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		hdr[4] = (u8)(sizes[i] >> 24);
		hdr[5] = (u8)(sizes[i] >> 16);
		hdr[6] = (u8)(sizes[i] >> 8);
		hdr[7] = (u8)sizes[i];
		KTEST_EXPECT_EQ(t, dt_early_span(hdr, sizeof(hdr)), expect[i]);
	}
	/* Only the magic readable: the header is all that may be asked for. */
	KTEST_EXPECT_EQ(t, dt_early_span(hdr, 8), (size_t)40);
	KTEST_EXPECT_EQ(t, dt_early_span(hdr, 3), (size_t)0);
	/* A wrong magic (one bit) asks for nothing, whatever totalsize says. */
	hdr[3] = 0xec;
	KTEST_EXPECT_EQ(t, dt_early_span(hdr, sizeof(hdr)), (size_t)0);
	KTEST_EXPECT_EQ(t, dt_early_span(hdr, 8), (size_t)0);
}

KTEST_SUITE(dt, KTEST_CASE(check_accepts_good),
	    KTEST_CASE(check_rejects_truncated),
	    KTEST_CASE(check_rejects_bad_magic),
	    KTEST_CASE(check_rejects_bad_version),
	    KTEST_CASE(check_rejects_oversized),
	    KTEST_CASE(check_rejects_bad_offsets),
	    KTEST_CASE(check_rejects_unterminated),
	    KTEST_CASE(check_rejects_bad_string_offset),
	    KTEST_CASE(check_rejects_bad_shape),
	    KTEST_CASE(check_survives_corruption),
	    KTEST_CASE(reg_decodes_cells), KTEST_CASE(reg_rejects_bad_cells),
	    KTEST_CASE(translate_nested_ranges), KTEST_CASE(dma_limit_nested),
	    KTEST_CASE(dma_limit_lowest_entry_end), KTEST_CASE(dma_limit_malformed_ignored),
	    KTEST_CASE(cpu_hwid_cells),
	    KTEST_CASE(memory_banks_sorted), KTEST_CASE(reserved_ranges_listed),
	    KTEST_CASE(stdout_alias_with_options), KTEST_CASE(stdout_plain_path),
	    KTEST_CASE(bootargs_absent_is_empty), KTEST_CASE(seed_folds),
	    KTEST_CASE(find_node_paths_and_aliases),
	    KTEST_CASE(strings_and_cells), KTEST_CASE(early_span_trusts_only_a_sane_header));
