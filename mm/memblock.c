/*
 * memblock: two sorted lists of physical ranges, RAM (memory) and what must
 * not be handed out (reserved), with Linux's semantics for the subset in
 * <mk64/memblock.h>.
 *
 * A range [base, base + size) that would wrap is clamped to end at
 * PHYS_ADDR_MAX, so the very last byte can never be described.
 *
 * Every change is built in a scratch list, in address order, and copied
 * over the live one only when it fit in MEMBLOCK_MAX_REGIONS: -ENOSPC leaves
 * memblock exactly as it was. The lists stay normalized: sorted, no overlaps,
 * no two touching regions with equal flags.
 */
#include <asm/memory.h>
#include <mk64/compiler.h>
#include <mk64/errno.h>
#include <mk64/memblock.h>
#include <mk64/mmzone.h>
#include <mk64/printk.h>
#include <mk64/string.h>

#define PHYS_ADDR_MAX (~(phys_addr_t)0)

struct memblock memblock = {
	.memory.name = "memory",
	.reserved.name = "reserved",
};

/* Where the next version of a list is built before it replaces the old. */
static struct memblock_region memory_scratch[MEMBLOCK_MAX_REGIONS];
static struct memblock_region reserved_scratch[MEMBLOCK_MAX_REGIONS];

struct rebuild {
	struct memblock_region *out;
	unsigned int cnt;
	bool overflow;
};

/* The end of [base, base + size), clamped so that it does not wrap. */
static phys_addr_t range_end(phys_addr_t base, phys_addr_t size)
{
	return base + min(size, PHYS_ADDR_MAX - base);
}

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/*
 * Appends [base, end) to the list being built, in address order, merging it
 * into the previous region when they touch and have equal flags.
 */
static void emit(struct rebuild *rb, phys_addr_t base, phys_addr_t end,
		 unsigned int flags)
{
	struct memblock_region *last = rb->cnt ? &rb->out[rb->cnt - 1] : NULL;

	if (base >= end)
		return;
	if (last && region_end(last) == base && last->flags == flags) {
		last->size += end - base;
	} else if (rb->cnt == MEMBLOCK_MAX_REGIONS) {
		rb->overflow = true;
	} else {
		rb->out[rb->cnt].base = base;
		rb->out[rb->cnt].size = end - base;
		rb->out[rb->cnt].flags = flags;
		rb->cnt++;
	}
}

/* type with the parts of [base, end) it does not cover added, flags 0. */
static void rebuild_add(struct rebuild *rb, const struct memblock_type *type,
			phys_addr_t base, phys_addr_t end)
{
	phys_addr_t uncovered = base;

	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (uncovered < r->base)
			emit(rb, uncovered, min(end, r->base), 0);
		emit(rb, r->base, region_end(r), r->flags);
		uncovered = max(uncovered, region_end(r));
	}
	emit(rb, uncovered, end, 0);
}

/* type without [base, end). */
static void rebuild_remove(struct rebuild *rb, const struct memblock_type *type,
			   phys_addr_t base, phys_addr_t end)
{
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		emit(rb, r->base, min(region_end(r), base), r->flags);
		emit(rb, max(r->base, end), region_end(r), r->flags);
	}
}

/* type with flags added to the regions' parts inside [base, end). */
static void rebuild_set_flags(struct rebuild *rb, const struct memblock_type *type,
			      phys_addr_t base, phys_addr_t end, unsigned int flags)
{
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		phys_addr_t rend = region_end(r);

		emit(rb, r->base, min(rend, base), r->flags);
		emit(rb, max(r->base, base), min(rend, end), r->flags | flags);
		emit(rb, max(r->base, end), rend, r->flags);
	}
}

static void commit(struct memblock_type *type, const struct rebuild *rb)
{
	memcpy(type->regions, rb->out, rb->cnt * sizeof(rb->out[0]));
	type->cnt = rb->cnt;
}

/* Adds [base, base + size) to type; all or nothing. */
static int add_range(struct memblock_type *type, struct memblock_region *scratch,
		     phys_addr_t base, phys_addr_t size)
{
	struct rebuild rb = { scratch, 0, false };

	if (!size)
		return 0;
	rebuild_add(&rb, type, base, range_end(base, size));
	if (rb.overflow)
		return -ENOSPC;
	commit(type, &rb);
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.memory, memory_scratch, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.reserved, reserved_scratch, base, size);
}

/*
 * The RAM inside the range gets MEMBLOCK_NOMAP and the whole range is
 * reserved (also any part outside RAM); both or neither.
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	struct rebuild mem = { memory_scratch, 0, false };
	struct rebuild rsv = { reserved_scratch, 0, false };
	phys_addr_t end = range_end(base, size);

	if (!size)
		return 0;
	rebuild_set_flags(&mem, &memblock.memory, base, end, MEMBLOCK_NOMAP);
	rebuild_add(&rsv, &memblock.reserved, base, end);
	if (mem.overflow || rsv.overflow)
		return -ENOSPC;
	commit(&memblock.memory, &mem);
	commit(&memblock.reserved, &rsv);
	return 0;
}

/*
 * Removes RAM at and above limit; 0 means no limit (as for memblock.limit).
 * Reservations are left alone. Cutting off the top never adds a region, so
 * this cannot run out of space.
 */
void memblock_cap_memory(phys_addr_t limit)
{
	struct rebuild rb = { memory_scratch, 0, false };

	if (!limit)
		return;
	rebuild_remove(&rb, &memblock.memory, limit, PHYS_ADDR_MAX);
	commit(&memblock.memory, &rb);
}

phys_addr_t memblock_mem_limit(phys_addr_t size)
{
	const struct memblock_type *mem = &memblock.memory;

	for (unsigned int i = 0; i < mem->cnt; i++) {
		const struct memblock_region *r = &mem->regions[i];

		if (size < r->size) {
			memblock_cap_memory(r->base + size);
			return r->base + size;
		}
		size -= r->size;
	}
	return 0;
}

/*
 * The highest address in [lo, hi) where size bytes aligned to align fit,
 * or 0 (also when the range is empty: lo >= hi).
 */
static phys_addr_t fit_top(phys_addr_t lo, phys_addr_t hi, phys_addr_t size,
			   phys_addr_t align)
{
	phys_addr_t addr;

	if (lo >= hi || hi - lo < size)
		return 0;
	addr = ALIGN_DOWN(hi - size, align);
	return addr >= lo ? addr : 0;
}

/*
 * Walks the free ranges (RAM without MEMBLOCK_NOMAP, minus reserved, below
 * the limit) from the top down and returns the first fit. A fit at 0 counts
 * as none: it is the lowest address of the lowest range, so nothing is left.
 */
static phys_addr_t find_free_top(phys_addr_t size, phys_addr_t align)
{
	const struct memblock_type *rsv = &memblock.reserved;
	phys_addr_t addr;

	for (unsigned int i = memblock.memory.cnt; i-- > 0;) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t lo = m->base, hi = region_end(m);

		if (m->flags & MEMBLOCK_NOMAP)
			continue;
		if (memblock.limit && hi > memblock.limit)
			hi = memblock.limit;
		/* Each reserved region inside [lo, hi) ends one gap. */
		for (unsigned int j = rsv->cnt; j-- > 0 && lo < hi;) {
			const struct memblock_region *r = &rsv->regions[j];

			if (r->base >= hi)
				continue;
			if (region_end(r) <= lo)
				break;
			addr = fit_top(region_end(r), hi, size, align);
			if (addr)
				return addr;
			hi = r->base;
		}
		addr = fit_top(lo, hi, size, align);
		if (addr)
			return addr;
	}
	return 0;
}

/* Also 0 for size 0, or align 0 or not a power of two. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t addr;

	if (!size || !align || (align & (align - 1)))
		return 0;
	addr = find_free_top(size, align);
	if (addr && memblock_reserve(addr, size))
		return 0;
	return addr;
}

/* Splitting a reservation can need one region more: -ENOSPC, nothing freed. */
int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	struct rebuild rb = { reserved_scratch, 0, false };

	if (!size)
		return 0;
	rebuild_remove(&rb, &memblock.reserved, base, range_end(base, size));
	if (rb.overflow)
		return -ENOSPC;
	commit(&memblock.reserved, &rb);
	return 0;
}

static phys_addr_t total_size(const struct memblock_type *type)
{
	phys_addr_t total = 0;

	for (unsigned int i = 0; i < type->cnt; i++)
		total += type->regions[i].size;
	return total;
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	phys_addr_t limit = memblock.limit, end = early_node_end(nid), pa;

	/* Top-down below the node's end lands in the node while it has room. */
	memblock.limit = limit ? min(limit, end) : end;
	pa = end ? memblock_phys_alloc(size, align) : 0;
	memblock.limit = limit;
	if (pa && early_pfn_to_nid((unsigned long)(pa >> PAGE_SHIFT)) == nid &&
	    early_pfn_to_nid((unsigned long)((pa + size - 1) >> PAGE_SHIFT)) == nid)
		return pa;
	if (pa)
		memblock_phys_free(pa, size);
	pa = memblock_phys_alloc(size, align);
	if (pa)
		pr_warn("NUMA: node %d full, %llu KiB for it at %#llx on node %d\n", nid,
			(unsigned long long)size >> 10, (unsigned long long)pa,
			early_pfn_to_nid((unsigned long)(pa >> PAGE_SHIFT)));
	return pa;
}

/* Includes MEMBLOCK_NOMAP RAM. */
phys_addr_t memblock_phys_mem_size(void)
{
	return total_size(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return total_size(&memblock.reserved);
}

/* 0 when there is no RAM. */
phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

/* The end of the highest RAM region (exclusive); 0 when there is none. */
phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *mem = &memblock.memory;

	return mem->cnt ? region_end(&mem->regions[mem->cnt - 1]) : 0;
}

/* Includes MEMBLOCK_NOMAP RAM. */
bool memblock_is_memory(phys_addr_t addr)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (addr >= r->base && addr < region_end(r))
			return true;
	}
	return false;
}

/*
 * Binary search: regions are sorted and disjoint, so a lookup is
 * log2(MEMBLOCK_MAX_REGIONS) steps at most, cheap enough for kfree()'s
 * virt_addr_valid().
 */
bool memblock_is_map_memory(phys_addr_t addr)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned int lo = 0, hi = mem->cnt;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct memblock_region *r = &mem->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr >= region_end(r))
			lo = mid + 1;
		else
			return !(r->flags & MEMBLOCK_NOMAP);
	}
	return false;
}

/* False for size 0. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = range_end(base, size);

	if (!size)
		return false;
	for (unsigned int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base < end && base < region_end(r))
			return true;
	}
	return false;
}

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.limit = 0;
}

static void dump_type(const struct memblock_type *type)
{
	pr_info(" %s.cnt  = 0x%x\n", type->name, type->cnt);
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		pr_info(" %s[0x%x]\t[0x%016llx-0x%016llx], 0x%016llx bytes flags: 0x%x\n",
			type->name, i, (unsigned long long)r->base,
			(unsigned long long)(region_end(r) - 1),
			(unsigned long long)r->size, r->flags);
	}
}

void memblock_dump(void)
{
	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = 0x%016llx reserved size = 0x%016llx\n",
		(unsigned long long)memblock_phys_mem_size(),
		(unsigned long long)memblock_reserved_size());
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
}

bool memblock_region_linear(const struct memblock_region *r, phys_addr_t *start,
			    phys_addr_t *end)
{
	*start = ALIGN_UP(r->base, PAGE_SIZE);
	*end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
	return !(r->flags & MEMBLOCK_NOMAP) && *end > *start;
}
