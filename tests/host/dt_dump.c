/*
 * dt_dump: loads a blob, calls every lib/dt.c helper on it and prints the
 * results one per line, for tests/host/test_dt_oracle.py to compare with
 * what it derives from dtc's and fdtdump's view of the same blob.
 *
 *	check ok | check err <FDT_ERR_*> <diagnosis>
 *	size <totalsize>
 *	model <s>
 *	bootargs <s>
 *	stdout <path> <options or ->  | stdout err <FDT_ERR_*>
 *	seed 0x<16 hex digits> | seed none
 *	mem 0x<base> 0x<size> ...     | mem err <FDT_ERR_*>
 *	rsv <memreserve|reserved-memory> <name> 0x<base> 0x<size> <map|no-map>
 *	node <path>, then for its properties:
 *	    str <path> <prop> <s>       when dt_string() returns one
 *	    u32 <path> <prop> 0x<val>   when dt_u32() accepts it
 *	    reg <path> <i> 0x<addr> 0x<size> -> 0x<cpu address> | -> err <E>
 *	    reg <path> err <FDT_ERR_*>
 *	find <query> <path> | find <query> err <FDT_ERR_*>
 *	    for every alias, every node path and every path without unit
 *	    addresses
 *	compat <string> <path> for every compatible string, first seen first
 *
 * Strings print bytes 0x21-0x7e as they are (but '\') and others as \xNN.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <mk64/dt.h>

#define PATH_MAX_LEN 1024

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c > 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void put_path(const void *fdt, int node)
{
	char path[PATH_MAX_LEN];

	if (node < 0)
		printf("err %s", fdt_strerror(node));
	else if (fdt_get_path(fdt, node, path, sizeof(path)))
		printf("err path-too-long");
	else
		fputs(path, stdout);
}

static void dump_globals(const void *fdt)
{
	struct dt_range banks[DT_MAX_BANKS];
	struct dt_reserved rsv[DT_MAX_RESERVED];
	const char *options;
	int n, node;
	u64 seed;

	printf("size %zu\n", dt_size(fdt));
	fputs("model ", stdout);
	put_escaped(dt_model(fdt));
	fputs("\nbootargs ", stdout);
	put_escaped(dt_bootargs(fdt));
	fputs("\nstdout ", stdout);
	node = dt_stdout_node(fdt, &options);
	put_path(fdt, node);
	if (node >= 0) {
		putchar(' ');
		if (options)
			put_escaped(options);
		else
			putchar('-');
	}
	if (dt_seed(fdt, &seed))
		printf("\nseed 0x%016llx\n", (unsigned long long)seed);
	else
		printf("\nseed none\n");

	n = dt_memory_banks(fdt, banks, DT_MAX_BANKS);
	if (n < 0)
		printf("mem err %s\n", fdt_strerror(n));
	for (int i = 0; i < n; i++)
		printf("mem 0x%llx 0x%llx\n", (unsigned long long)banks[i].base,
		       (unsigned long long)banks[i].size);

	n = dt_reserved_ranges(fdt, rsv, DT_MAX_RESERVED);
	if (n < 0)
		printf("rsv err %s\n", fdt_strerror(n));
	for (int i = 0; i < n; i++) {
		printf("rsv %s ", rsv[i].kind == DT_RSV_MEMRESERVE ?
		       "memreserve" : "reserved-memory");
		put_escaped(rsv[i].name);
		printf(" 0x%llx 0x%llx %s\n", (unsigned long long)rsv[i].base,
		       (unsigned long long)rsv[i].size,
		       rsv[i].no_map ? "no-map" : "map");
	}
}

static void dump_regs(const void *fdt, int node, const char *path)
{
	u64 addr, size, cpu;
	int err;

	for (int i = 0;; i++) {
		err = dt_reg(fdt, node, i, &addr, &size);
		if (err == -FDT_ERR_NOTFOUND)
			return;
		if (err) {
			printf("reg %s err %s\n", path, fdt_strerror(err));
			return;
		}
		printf("reg %s %d 0x%llx 0x%llx -> ", path, i,
		       (unsigned long long)addr, (unsigned long long)size);
		err = dt_translate(fdt, node, addr, &cpu);
		if (err)
			printf("err %s\n", fdt_strerror(err));
		else
			printf("0x%llx\n", (unsigned long long)cpu);
	}
}

static void dump_node(const void *fdt, int node, const char *path)
{
	const char *name, *s;
	int prop, len;
	u32 val;

	printf("node %s\n", path);
	fdt_for_each_property_offset(prop, fdt, node) {
		fdt_getprop_by_offset(fdt, prop, &name, &len);
		s = dt_string(fdt, node, name);
		if (s) {
			printf("str %s %s ", path, name);
			put_escaped(s);
			putchar('\n');
		}
		if (dt_u32(fdt, node, name, &val))
			printf("u32 %s %s 0x%x\n", path, name, val);
	}
	if (node > 0 && fdt_getprop(fdt, node, "reg", NULL))
		dump_regs(fdt, node, path);
}

static void find(const void *fdt, const char *query)
{
	printf("find ");
	put_escaped(query);
	putchar(' ');
	put_path(fdt, dt_find_node(fdt, query, (int)strlen(query)));
	putchar('\n');
}

/* The path with every "@unit-address" dropped, as lookups allow. */
static void strip_units(char *dst, const char *path)
{
	bool skip = false;

	for (; *path; path++) {
		if (*path == '/')
			skip = false;
		else if (*path == '@')
			skip = true;
		if (!skip)
			*dst++ = *path;
	}
	*dst = '\0';
}

static void dump_nodes(const void *fdt)
{
	char path[PATH_MAX_LEN], stripped[PATH_MAX_LEN];
	int node, aliases, prop;
	const char *name;

	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_get_path(fdt, node, path, sizeof(path)))
			continue;
		dump_node(fdt, node, path);
	}
	aliases = fdt_path_offset(fdt, "/aliases");
	if (aliases >= 0) {
		fdt_for_each_property_offset(prop, fdt, aliases) {
			fdt_getprop_by_offset(fdt, prop, &name, NULL);
			find(fdt, name);
		}
	}
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_get_path(fdt, node, path, sizeof(path)))
			continue;
		find(fdt, path);
		strip_units(stripped, path);
		if (strcmp(stripped, path))
			find(fdt, stripped);
	}
}

/* Each string of every compatible list, in order of first appearance. */
static void dump_compatibles(const void *fdt)
{
	size_t cap = 64, count = 0;
	const char **seen = malloc(cap * sizeof(*seen));
	int node;

	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		int len, n = fdt_stringlist_count(fdt, node, "compatible");

		for (int i = 0; i < n; i++) {
			const char *c = fdt_stringlist_get(fdt, node, "compatible",
							   i, &len);
			size_t j;

			for (j = 0; j < count && strcmp(seen[j], c); j++)
				;
			if (j < count)
				continue;
			if (count == cap)
				seen = realloc(seen, (cap *= 2) * sizeof(*seen));
			seen[count++] = c;
			fputs("compat ", stdout);
			put_escaped(c);
			putchar(' ');
			put_path(fdt, dt_find_compatible(fdt, c));
			putchar('\n');
		}
	}
	free(seen);
}

static void *load(const char *file, size_t *size)
{
	FILE *f = fopen(file, "rb");
	void *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		/* malloc's alignment (16) covers dt_check's 8-byte rule. */
		buf = malloc(len ? len : 1);
		if (buf && fread(buf, 1, len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		*size = len;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	const char *why;
	size_t size;
	void *fdt;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BLOB\n", argv[0]);
		return 2;
	}
	fdt = load(argv[1], &size);
	if (!fdt) {
		perror(argv[1]);
		return 2;
	}
	err = dt_check(fdt, size, &why);
	if (err) {
		printf("check err %s %s\n", fdt_strerror(err), why);
		free(fdt);
		return 1;
	}
	printf("check ok\n");
	dump_globals(fdt);
	dump_nodes(fdt);
	dump_compatibles(fdt);
	free(fdt);
	return 0;
}
