/*
 * mm/memblock.c: merging, reservations, no-map, caps, the top-down
 * allocator, -ENOSPC leaving everything unchanged, and a randomised run
 * checked against a page-granular model.
 *
 * In the kernel the global memblock is live (boot filled it): every case
 * runs on an emptied one and puts the original back afterwards, also when a
 * check fails or an ASSERT ends the case.
 */
#include <mk64/errno.h>
#include <mk64/ktest.h>
#include <mk64/memblock.h>
#include <mk64/string.h>
#include "../fixture.h"

#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define B 0x40000000ULL		/* where most cases put their RAM */
#define PHYS_MAX (~(phys_addr_t)0)

#define R(b, s, f) { .base = (b), .size = (s), .flags = (f) }

/* A case's copies of memblock, in fixture memory (tests/fixture.h). */
static struct memblock_state {
	struct memblock saved;	/* the caller's memblock during a case */
	struct memblock before;	/* snapshots for "nothing changed" */
} *fx;

static void isolate(void *mem)
{
	fx = mem;
	fx->saved = memblock;
	memblock_reset();
}

static void restore(void *mem)
{
	const struct memblock_state *state = mem;

	memblock = state->saved;
}

/* Every case runs on an empty memblock; the original comes back however it ends. */
static const struct test_fixture memblock_fixture = { sizeof(*fx), isolate, restore };

#define MEMBLOCK_TEST(name) FIXTURE_CASE(name, memblock_fixture)

static void expect_regions(struct ktest *t, int line, const struct memblock_type *type,
			   const struct memblock_region *want, unsigned int n)
{
	bool same = type->cnt == n;

	for (unsigned int i = 0; same && i < n; i++)
		same = type->regions[i].base == want[i].base &&
		       type->regions[i].size == want[i].size &&
		       type->regions[i].flags == want[i].flags;
	if (same)
		return;
	ktest_fail(t, false, __FILE__, line, "%s: %u regions, expected %u", type->name,
		   type->cnt, n);
	for (unsigned int i = 0; i < type->cnt; i++)
		ktest_info(t, "got  %s[%u] base 0x%llx size 0x%llx flags 0x%x", type->name, i,
			   (unsigned long long)type->regions[i].base,
			   (unsigned long long)type->regions[i].size, type->regions[i].flags);
	for (unsigned int i = 0; i < n; i++)
		ktest_info(t, "want %s[%u] base 0x%llx size 0x%llx flags 0x%x", type->name, i,
			   (unsigned long long)want[i].base, (unsigned long long)want[i].size,
			   want[i].flags);
}

/* Expects memblock.<list> to hold exactly the R(...) regions given. */
#define EXPECT_REGIONS(t, list, ...)                                            \
	expect_regions(t, __LINE__, &memblock.list,                             \
		       (const struct memblock_region[]){ __VA_ARGS__ },         \
		       sizeof((const struct memblock_region[]){ __VA_ARGS__ }) / \
			       sizeof(struct memblock_region))

static bool same_list(const struct memblock_type *a, const struct memblock_type *b)
{
	if (a->cnt != b->cnt)
		return false;
	for (unsigned int i = 0; i < a->cnt; i++)
		if (a->regions[i].base != b->regions[i].base ||
		    a->regions[i].size != b->regions[i].size ||
		    a->regions[i].flags != b->regions[i].flags)
			return false;
	return true;
}

/* Expects memblock to be as the last snapshot in before. */
#define EXPECT_UNCHANGED(t)                                                                \
	do {                                                                               \
		KTEST_EXPECT_TRUE(t, same_list(&memblock.memory, &fx->before.memory));     \
		KTEST_EXPECT_TRUE(t, same_list(&memblock.reserved, &fx->before.reserved)); \
		KTEST_EXPECT_EQ(t, memblock.limit, fx->before.limit);                      \
	} while (0)

MEMBLOCK_TEST(add_merges)
{
	KTEST_EXPECT_EQ(t, memblock_add(B + 4 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, SZ_1M, 0), R(B + 4 * SZ_1M, SZ_1M, 0));

	/* Adjacent, overlapping, contained. */
	KTEST_EXPECT_EQ(t, memblock_add(B + SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, 2 * SZ_1M, 0), R(B + 4 * SZ_1M, SZ_1M, 0));
	KTEST_EXPECT_EQ(t, memblock_add(B + SZ_1M + SZ_1M / 2, SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, 5 * SZ_1M / 2, 0), R(B + 4 * SZ_1M, SZ_1M, 0));
	KTEST_EXPECT_EQ(t, memblock_add(B + 4 * SZ_1M + SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(t, memory, R(B, 5 * SZ_1M / 2, 0), R(B + 4 * SZ_1M, SZ_1M, 0));

	/* Containing one region, then bridging the gap between both. */
	KTEST_EXPECT_EQ(t, memblock_add(B + 7 * SZ_1M / 2, 2 * SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, 5 * SZ_1M / 2, 0), R(B + 7 * SZ_1M / 2, 2 * SZ_1M, 0));
	KTEST_EXPECT_EQ(t, memblock_add(B + 2 * SZ_1M, 2 * SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, 11 * SZ_1M / 2, 0));
	KTEST_EXPECT_EQ(t, memblock_add(B - SZ_1M, 8 * SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B - SZ_1M, 8 * SZ_1M, 0));

	/* Size 0 does nothing; reservations merge the same way. */
	KTEST_EXPECT_EQ(t, memblock_add(SZ_4K, 0), 0);
	EXPECT_REGIONS(t, memory, R(B - SZ_1M, 8 * SZ_1M, 0));
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 3 * SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 2 * SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(t, reserved, R(B + SZ_4K, 3 * SZ_4K, 0));
}

MEMBLOCK_TEST(different_flags_not_merged)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B, SZ_1M, MEMBLOCK_NOMAP), R(B + SZ_1M, SZ_1M, 0));

	/* RAM added over no-map RAM fills around it and leaves it no-map. */
	KTEST_EXPECT_EQ(t, memblock_add(B - SZ_1M, 4 * SZ_1M), 0);
	EXPECT_REGIONS(t, memory, R(B - SZ_1M, SZ_1M, 0), R(B, SZ_1M, MEMBLOCK_NOMAP),
		       R(B + SZ_1M, 2 * SZ_1M, 0));
	EXPECT_REGIONS(t, reserved, R(B, SZ_1M, 0));
}

MEMBLOCK_TEST(reserve_outside_ram)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 2 * SZ_1M, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B - SZ_4K, 2 * SZ_4K), 0);
	EXPECT_REGIONS(t, memory, R(B, SZ_1M, 0));
	EXPECT_REGIONS(t, reserved, R(SZ_4K, SZ_4K, 0), R(B - SZ_4K, 2 * SZ_4K, 0),
		       R(B + 2 * SZ_1M, SZ_4K, 0));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 4 * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_1M - SZ_4K);
}

MEMBLOCK_TEST(nomap_split_never_allocated)
{
	phys_addr_t want[] = { B + 14 * SZ_4K, B + 13 * SZ_4K, B + 3 * SZ_4K,
			       B + 2 * SZ_4K, B + SZ_4K, B };

	KTEST_EXPECT_EQ(t, memblock_add(B, 16 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + 4 * SZ_4K, 8 * SZ_4K), 0);
	EXPECT_REGIONS(t, memory, R(B, 4 * SZ_4K, 0),
		       R(B + 4 * SZ_4K, 8 * SZ_4K, MEMBLOCK_NOMAP),
		       R(B + 12 * SZ_4K, 4 * SZ_4K, 0));
	EXPECT_REGIONS(t, reserved, R(B + 4 * SZ_4K, 8 * SZ_4K, 0));

	/* Partly outside RAM: all of it reserved, the RAM part no-map. */
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + 15 * SZ_4K, 2 * SZ_4K), 0);
	/* Touching a no-map region: they merge. */
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + 12 * SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(t, memory, R(B, 4 * SZ_4K, 0),
		       R(B + 4 * SZ_4K, 9 * SZ_4K, MEMBLOCK_NOMAP),
		       R(B + 13 * SZ_4K, 2 * SZ_4K, 0),
		       R(B + 15 * SZ_4K, SZ_4K, MEMBLOCK_NOMAP));
	EXPECT_REGIONS(t, reserved, R(B + 4 * SZ_4K, 9 * SZ_4K, 0),
		       R(B + 15 * SZ_4K, 2 * SZ_4K, 0));
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 16 * SZ_4K);
	KTEST_EXPECT_TRUE(t, memblock_is_memory(B + 5 * SZ_4K));

	/* Even unreserved, no-map RAM is never handed out. */
	KTEST_EXPECT_EQ(t, memblock_phys_free(B, 32 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0u);
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), want[i]);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 0ULL);
}

MEMBLOCK_TEST(cap_memory)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + 2 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + 4 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + 2 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 4 * SZ_1M, SZ_4K), 0);

	memblock_cap_memory(0);
	memblock_cap_memory(PHYS_MAX);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 3u);

	/* Trims the straddling region (keeping its flags), drops those above. */
	memblock_cap_memory(B + 2 * SZ_1M + SZ_1M / 2);
	EXPECT_REGIONS(t, memory, R(B, SZ_1M, 0),
		       R(B + 2 * SZ_1M, SZ_1M / 2, MEMBLOCK_NOMAP));
	EXPECT_REGIONS(t, reserved, R(B + 2 * SZ_1M, SZ_1M, 0), R(B + 4 * SZ_1M, SZ_4K, 0));
	memblock_cap_memory(B + SZ_1M);
	EXPECT_REGIONS(t, memory, R(B, SZ_1M, 0));
	memblock_cap_memory(B + SZ_4K);
	EXPECT_REGIONS(t, memory, R(B, SZ_4K, 0));
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), B + SZ_4K);
}

MEMBLOCK_TEST(alloc_top_down_aligned)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_1M - SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_64K), B + SZ_1M - SZ_64K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0x100, 1), B + SZ_1M - SZ_4K - 0x100);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0x10, 0x40), B + SZ_1M - SZ_4K - 0x140);
	EXPECT_REGIONS(t, reserved, R(B + SZ_1M - SZ_64K, SZ_4K, 0),
		       R(B + SZ_1M - SZ_4K - 0x140, 0x10, 0),
		       R(B + SZ_1M - SZ_4K - 0x100, SZ_4K + 0x100, 0));

	/* Invalid requests and ones too big change nothing. */
	fx->before = memblock;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, 0), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, 0x3000), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0, SZ_4K), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_1M, SZ_4K), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PHYS_MAX, 1), 0ULL);
	EXPECT_UNCHANGED(t);

	/* An alignment larger than the region still fits at its aligned base. */
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, 2 * SZ_1M), B);
}

MEMBLOCK_TEST(alloc_below_limit)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, 4 * SZ_1M), 0);
	memblock.limit = B + SZ_1M + 0x800;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_1M - SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0x800, 0x800), B + SZ_1M);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_1M, SZ_4K), 0ULL);
	memblock.limit = B;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(1, 1), 0ULL);
	memblock.limit = 0;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + 4 * SZ_1M - SZ_4K);
}

MEMBLOCK_TEST(alloc_skips_reserved)
{
	/* Free: [1M-8K, 1M), [1M-32K, 1M-16K), [0, 1M-64K). */
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M - 16 * 1024, 8 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M - SZ_64K, 32 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(16 * 1024, SZ_4K), B + SZ_1M - 32 * 1024);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(8 * 1024, SZ_4K), B + SZ_1M - 8 * 1024);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(12 * 1024, SZ_4K), B + SZ_1M - 76 * 1024);
	EXPECT_REGIONS(t, reserved, R(B + SZ_1M - 76 * 1024, 76 * 1024, 0));

	/* Gaps too small once aligned are passed over. */
	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M - 20 * 1024, 8 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M - 40 * 1024, 12 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(8 * 1024, 16 * 1024), B + SZ_1M - 48 * 1024);

	/* The top RAM region is too small: the next one down. */
	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(B, 8 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + 16 * 1024, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(8 * 1024, SZ_4K), B);

	/* Reservations reaching past the top of RAM, and past the limit. */
	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M - SZ_4K, SZ_64K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_1M - 2 * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_64K - SZ_4K, 2 * SZ_4K), 0);
	memblock.limit = B + SZ_64K;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_64K - 2 * SZ_4K);
	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(0, 2 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(SZ_4K, 8 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(3 * SZ_4K, SZ_4K), 0ULL);

	/* No allocation spans two RAM regions; a reservation may. */
	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(B, 8 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + 16 * 1024, 8 * 1024), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_4K, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(8 * 1024, SZ_4K), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + 20 * 1024);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(1, 1), 0ULL);
}

MEMBLOCK_TEST(alloc_until_exhausted)
{
	phys_addr_t prev = PHYS_MAX, addr;
	unsigned int n = 0;

	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_64K), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + SZ_1M, SZ_64K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 4 * SZ_4K, SZ_4K), 0);
	while ((addr = memblock_phys_alloc(SZ_4K, SZ_4K)) != 0 && n < 64) {
		KTEST_EXPECT_LE(t, addr + SZ_4K, prev);
		KTEST_EXPECT_TRUE(t, memblock_is_memory(addr));
		prev = addr;
		n++;
	}
	KTEST_EXPECT_EQ(t, n, 31u);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 2 * SZ_64K);
	EXPECT_REGIONS(t, reserved, R(B, SZ_64K, 0), R(B + SZ_1M, SZ_64K, 0));
	fx->before = memblock;
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(1, 1), 0ULL);
	EXPECT_UNCHANGED(t);
}

MEMBLOCK_TEST(alloc_never_at_zero)
{
	KTEST_EXPECT_EQ(t, memblock_add(0, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 3 * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 2 * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0x800, 0x800), 0x800ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(0x800, 0x800), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(1, 1), 0x7ffULL);
	EXPECT_REGIONS(t, reserved, R(0x7ff, 4 * SZ_4K - 0x7ff, 0));
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(0, 0x7ff));
}

MEMBLOCK_TEST(free_splits)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_free(B + SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(t, reserved, R(B, SZ_4K, 0), R(B + 2 * SZ_4K, 2 * SZ_4K, 0));

	/* Across the hole, trimming both sides; then what is not reserved. */
	KTEST_EXPECT_EQ(t, memblock_phys_free(B + 0x800, 2 * SZ_4K), 0);
	EXPECT_REGIONS(t, reserved, R(B, 0x800, 0), R(B + 0x2800, 0x1800, 0));
	KTEST_EXPECT_EQ(t, memblock_phys_free(B + SZ_1M, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_free(B, 0), 0);
	EXPECT_REGIONS(t, reserved, R(B, 0x800, 0), R(B + 0x2800, 0x1800, 0));

	/* Freed memory is allocatable again. */
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_free(B - SZ_4K, 8 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0u);
}

MEMBLOCK_TEST(full_arrays_enospc)
{
	for (unsigned int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		KTEST_ASSERT_EQ(t, memblock_add(B + i * 2 * SZ_4K, SZ_4K), 0);
	fx->before = memblock;
	KTEST_EXPECT_EQ(t, memblock_add(B + 256 * SZ_4K, SZ_4K), -ENOSPC);
	KTEST_EXPECT_EQ(t, memblock_add(B - 2 * SZ_4K, SZ_4K), -ENOSPC);
	/* Splitting a full memory list fails, and nothing gets reserved. */
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B, 0x800), -ENOSPC);
	EXPECT_UNCHANGED(t);
	/* What needs no new region still works. */
	KTEST_EXPECT_EQ(t, memblock_add(B + SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, MEMBLOCK_MAX_REGIONS - 1u);

	memblock_reset();
	KTEST_EXPECT_EQ(t, memblock_add(B, 2 * SZ_1M), 0);
	for (unsigned int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		KTEST_ASSERT_EQ(t, memblock_reserve(B + i * 2 * SZ_4K, SZ_4K), 0);
	fx->before = memblock;
	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_1M + SZ_64K, SZ_4K), -ENOSPC);
	KTEST_EXPECT_EQ(t, memblock_phys_free(B + 0x400, 0x400), -ENOSPC);
	/* The memory list would fit; the reserved one does not: neither changes. */
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + SZ_1M + SZ_64K, SZ_4K), -ENOSPC);
	/* Found a place but could not record it: returns 0. */
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 0ULL);
	EXPECT_UNCHANGED(t);
	KTEST_EXPECT_EQ(t, memblock_phys_free(B, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), B + 2 * SZ_1M - SZ_4K);
}

MEMBLOCK_TEST(sizes)
{
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), 0ULL);

	KTEST_EXPECT_EQ(t, memblock_add(B + 2 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 16 * SZ_1M, 2 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 2 * SZ_1M);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 3 * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), B);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), B + 3 * SZ_1M);
}

MEMBLOCK_TEST(is_memory_and_reserved)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_add(B + 2 * SZ_1M, SZ_1M), 0);
	KTEST_EXPECT_FALSE(t, memblock_is_memory(B - 1));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(B));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(B + SZ_1M - 1));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(B + SZ_1M));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(B + 2 * SZ_1M - 1));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(B + 3 * SZ_1M - 1));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(B + 3 * SZ_1M));

	KTEST_EXPECT_EQ(t, memblock_reserve(B + SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(B, SZ_4K));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(B, SZ_4K + 1));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(B + 2 * SZ_4K - 1, 1));
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(B + 2 * SZ_4K, SZ_4K));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(B + 0x1400, 0x10));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(B, SZ_1M));
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(B + 0x1400, 0));
}

MEMBLOCK_TEST(wrapping_ranges_clamped)
{
	phys_addr_t top = PHYS_MAX - 0x1fff;	/* 0xffffffffffffe000 */

	KTEST_EXPECT_EQ(t, memblock_add(top, 4 * SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_add(PHYS_MAX, 1), 0);
	EXPECT_REGIONS(t, memory, R(top, 0x1fff, 0));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(PHYS_MAX - 1));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(PHYS_MAX));
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), PHYS_MAX);

	KTEST_EXPECT_EQ(t, memblock_reserve(top + SZ_4K, PHYS_MAX), 0);
	EXPECT_REGIONS(t, reserved, R(top + SZ_4K, 0xfff, 0));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(PHYS_MAX - 0x10, PHYS_MAX));
	KTEST_EXPECT_FALSE(t, memblock_is_region_reserved(top, SZ_4K));
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), top);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(1, 1), 0ULL);
	KTEST_EXPECT_EQ(t, memblock_phys_free(top + SZ_4K, PHYS_MAX), 0);
	EXPECT_REGIONS(t, reserved, R(top, SZ_4K, 0));
}

MEMBLOCK_TEST(dump_format)
{
	KTEST_EXPECT_EQ(t, memblock_add(B, 512 * SZ_1M), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(B + 2 * SZ_1M, 0x2d000), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(B + 511 * SZ_1M, SZ_1M), 0);
	ktest_log_mark();
	memblock_dump();
	KTEST_EXPECT_REPORT(t, "] MEMBLOCK configuration:\n");
	KTEST_EXPECT_REPORT(t, "]  memory size = 0x0000000020000000 "
			       "reserved size = 0x000000000012d000\n");
	KTEST_EXPECT_REPORT(t, "]  memory.cnt  = 0x2\n");
	KTEST_EXPECT_REPORT(t, "]  memory[0x0]\t[0x0000000040000000-0x000000005feffff"
			       "f], 0x000000001ff00000 bytes flags: 0x0\n");
	KTEST_EXPECT_REPORT(t, "]  memory[0x1]\t[0x000000005ff00000-0x000000005ffffff"
			       "f], 0x0000000000100000 bytes flags: 0x1\n");
	KTEST_EXPECT_REPORT(t, "]  reserved.cnt  = 0x2\n");
	KTEST_EXPECT_REPORT(t, "]  reserved[0x0]\t[0x0000000040200000-0x000000004022cff"
			       "f], 0x000000000002d000 bytes flags: 0x0\n");
	KTEST_EXPECT_REPORT(t, "]  reserved[0x1]\t[0x000000005ff00000-0x000000005ffffff"
			       "f], 0x0000000000100000 bytes flags: 0x0\n");
}

/*
 * The randomised run: operations on pages [0, MODEL_PAGES) (so allocations
 * near address 0 happen), mirrored on one byte per page.
 */
#define MODEL_PAGES 64
#define MODEL_OPS 3000
#define RAM 1
#define RSV 2
#define NOMAP 4

static u8 model[MODEL_PAGES], seen[MODEL_PAGES];
static unsigned int model_limit;	/* in pages; 0: no limit */
static u64 rng;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng >> 32) % n;
}

static void model_set(unsigned int first, unsigned int n, u8 set, u8 clear)
{
	for (unsigned int p = first; p < first + n; p++)
		model[p] = (u8)((model[p] & ~clear) | set);
}

/* Top-down first fit: the highest aligned free run of n pages, not at 0. */
static phys_addr_t model_alloc(unsigned int n, unsigned int align)
{
	unsigned int top = model_limit ? model_limit : MODEL_PAGES;

	if (top < n)
		return 0;
	for (unsigned int p = (top - n) / align * align; p > 0; p -= align) {
		unsigned int k = 0;

		while (k < n && model[p + k] == RAM)
			k++;
		if (k == n) {
			model_set(p, n, RSV, 0);
			return p * SZ_4K;
		}
	}
	return 0;
}

/* Paints one list into seen[], checking it is normalized and page-granular. */
static bool paint(struct ktest *t, const struct memblock_type *type, u8 bit)
{
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		const struct memblock_region *prev = i ? r - 1 : NULL;
		phys_addr_t end = r->base + r->size;

		if (!r->size || r->base % SZ_4K || end % SZ_4K || end > MODEL_PAGES * SZ_4K ||
		    (prev && (prev->base + prev->size > r->base ||
			      (prev->base + prev->size == r->base && prev->flags == r->flags)))) {
			ktest_info(t, "bad %s[%u]: base 0x%llx size 0x%llx flags 0x%x", type->name,
				   i, (unsigned long long)r->base,
				   (unsigned long long)r->size, r->flags);
			return false;
		}
		for (phys_addr_t p = r->base / SZ_4K; p < end / SZ_4K; p++)
			seen[p] |= (u8)(bit | (r->flags & MEMBLOCK_NOMAP ? NOMAP : 0));
	}
	return true;
}

static bool model_matches(struct ktest *t, unsigned int step)
{
	unsigned int ram = 0, rsv = 0, first = MODEL_PAGES, last = 0;

	memset(seen, 0, sizeof(seen));
	if (!paint(t, &memblock.memory, RAM) || !paint(t, &memblock.reserved, RSV))
		return false;
	for (unsigned int p = 0; p < MODEL_PAGES; p++) {
		if (seen[p] != model[p]) {
			ktest_info(t, "step %u: page %u is 0x%x, model 0x%x", step, p, seen[p],
				   model[p]);
			return false;
		}
		ram += !!(model[p] & RAM);
		rsv += !!(model[p] & RSV);
		if (model[p] & RAM) {
			first = min(first, p);
			last = p + 1;
		}
	}
	if (memblock_phys_mem_size() != ram * SZ_4K || memblock_reserved_size() != rsv * SZ_4K ||
	    memblock_start_of_DRAM() != (ram ? first * SZ_4K : 0) ||
	    memblock_end_of_DRAM() != last * SZ_4K) {
		ktest_info(t, "step %u: sizes or DRAM bounds differ from the model", step);
		return false;
	}
	return true;
}

MEMBLOCK_TEST(random_against_model)
{
	rng = 0x9e3779b97f4a7c15ULL;
	memset(model, 0, sizeof(model));
	model_limit = 0;
	for (unsigned int step = 0; step < MODEL_OPS; step++) {
		unsigned int op = rnd(100), first = rnd(MODEL_PAGES);
		unsigned int n = 1 + rnd(min(16u, MODEL_PAGES - first));
		phys_addr_t base = first * SZ_4K, size = n * SZ_4K;

		if (op < 25) {
			KTEST_ASSERT_EQ(t, memblock_add(base, size), 0);
			model_set(first, n, RAM, 0);
		} else if (op < 45) {
			KTEST_ASSERT_EQ(t, memblock_reserve(base, size), 0);
			model_set(first, n, RSV, 0);
		} else if (op < 65) {
			KTEST_ASSERT_EQ(t, memblock_phys_free(base, size), 0);
			model_set(first, n, 0, RSV);
		} else if (op < 93) {
			unsigned int pages = 1 + rnd(6), align = 1u << rnd(4);

			KTEST_ASSERT_EQ(t, memblock_phys_alloc(pages * SZ_4K, align * SZ_4K),
					model_alloc(pages, align));
		} else if (op < 96) {
			KTEST_ASSERT_EQ(t, memblock_mark_nomap(base, size), 0);
			for (unsigned int p = first; p < first + n; p++)
				model[p] |= RSV | (model[p] & RAM ? NOMAP : 0);
		} else if (op < 98) {
			memblock.limit = base;
			model_limit = first;
		} else if (op < 99) {
			memblock_cap_memory(base + SZ_4K);
			model_set(first + 1, MODEL_PAGES - first - 1, 0, RAM | NOMAP);
		} else {
			memblock_reset();
			memset(model, 0, sizeof(model));
			model_limit = 0;
		}
		KTEST_ASSERT_TRUE(t, model_matches(t, step));
	}
}

KTEST_SUITE(memblock, KTEST_CASE(add_merges), KTEST_CASE(different_flags_not_merged),
	    KTEST_CASE(reserve_outside_ram), KTEST_CASE(nomap_split_never_allocated),
	    KTEST_CASE(cap_memory), KTEST_CASE(alloc_top_down_aligned),
	    KTEST_CASE(alloc_below_limit), KTEST_CASE(alloc_skips_reserved),
	    KTEST_CASE(alloc_until_exhausted), KTEST_CASE(alloc_never_at_zero),
	    KTEST_CASE(free_splits), KTEST_CASE(full_arrays_enospc), KTEST_CASE(sizes),
	    KTEST_CASE(is_memory_and_reserved), KTEST_CASE(wrapping_ranges_clamped),
	    KTEST_CASE(dump_format), KTEST_CASE(random_against_model));
