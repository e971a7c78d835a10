/*
 * memcpy, memmove, memset and clear_page at the edges of mapped memory:
 * one page mapped in the hole past the pkmap window, with unmapped pages on both
 * sides, and buffers flush against either edge at every length up to 300
 * and every alignment. An access outside the buffers (a read or write past
 * either end, even inside a 16-byte pair) faults, and the fault is caught
 * and reported as a failure naming the call. The contents are the string
 * suite's business; this checks where the arm64 build of the code reaches.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/page.h>
#include <mk64/fault.h>
#include <mk64/gfp.h>
#include <mk64/ktest.h>
#include <mk64/mm_types.h>
#include <mk64/mmzone.h>
#include <mk64/pgtable.h>
#include <mk64/string.h>

#define MAX_LEN 300
#define MAX_OFF 16
/* In the unmapped hole past pkmap, a page clear of kmap's last slot. */
#define EDGE_VA (PKMAP_BASE + PKMAP_SIZE + PAGE_SIZE)

static const size_t dists[] = { 1, 8, 15, 16, 17, 64, 127, 128, 129 };

/* What the running sweep is doing, for the report of a fault. */
static struct {
	const char *fn;
	const void *dst, *src;
	size_t len;
} op;

static u8 other[MAX_OFF + MAX_LEN];

static void note(const char *fn, const void *dst, const void *src, size_t len)
{
	op.fn = fn;
	op.dst = dst;
	op.src = src;
	op.len = len;
}

/* Every call with len bytes against the page at EDGE_VA. */
static void sweep_len(void *arg)
{
	u8 *lo = (u8 *)EDGE_VA, *hi = lo + PAGE_SIZE;
	size_t len = *(size_t *)arg;

	for (size_t off = 0; off < MAX_OFF; off++) {
		note("memcpy", other + off, hi - len, len);
		memcpy(other + off, hi - len, len);
		note("memcpy", other + off, lo, len);
		memcpy(other + off, lo, len);
		note("memcpy", hi - len, other + off, len);
		memcpy(hi - len, other + off, len);
		note("memcpy", lo, other + off, len);
		memcpy(lo, other + off, len);
	}
	note("memset", hi - len, NULL, len);
	memset(hi - len, 0x5a, len);
	note("memset", lo, NULL, len);
	memset(lo, 0xa5, len);
	for (size_t i = 0; i < ARRAY_SIZE(dists); i++) {
		size_t d = dists[i];

		/* Each direction, with the source and then the destination at an edge. */
		note("memmove", hi - len - d, hi - len, len);
		memmove(hi - len - d, hi - len, len);
		note("memmove", hi - len, hi - len - d, len);
		memmove(hi - len, hi - len - d, len);
		note("memmove", lo + d, lo, len);
		memmove(lo + d, lo, len);
		note("memmove", lo, lo + d, len);
		memmove(lo, lo + d, len);
	}
}

static void read_byte(void *addr)
{
	(void)*(volatile u8 *)addr;
}

static void clear_edge_page(void *arg)
{
	(void)arg;
	note("clear_page", (void *)EDGE_VA, NULL, PAGE_SIZE);
	clear_page((void *)EDGE_VA);
}

static void no_access_past_the_buffers(struct ktest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct fault_info fi;
	int err;

	KTEST_ASSERT_TRUE(t, page != NULL);
	err = pgtable_map(&init_pgtable, EDGE_VA, (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT,
			  PAGE_SIZE, PAGE_KERNEL, PGTABLE_NO_BLOCKS);
	if (err) {
		__free_pages(page, 0);
		ktest_fail(t, true, __FILE__, __LINE__, "pgtable_map of the edge page: %d", err);
	}
	/* The page's neighbours really are unmapped: a byte past either edge faults. */
	KTEST_EXPECT_TRUE(t, fault_expect(read_byte, (u8 *)EDGE_VA - 1, &fi));
	KTEST_EXPECT_TRUE(t, fault_expect(read_byte, (u8 *)EDGE_VA + PAGE_SIZE, &fi));
	KTEST_EXPECT_FALSE(t, fault_expect(read_byte, (u8 *)EDGE_VA, &fi));
	if (fault_expect(clear_edge_page, NULL, &fi))
		ktest_fail(t, false, __FILE__, __LINE__, "clear_page of the edge page faulted: %s",
			   fi.headline);
	for (size_t len = 0; len <= MAX_LEN; len++)
		if (fault_expect(sweep_len, &len, &fi)) {
			ktest_fail(t, false, __FILE__, __LINE__, "%s(%p, %p, %zu) faulted at %016llx",
				   op.fn, op.dst, op.src, op.len, (unsigned long long)fi.far);
			break;
		}
	pgtable_unmap(&init_pgtable, EDGE_VA, PAGE_SIZE);
	__free_pages(page, 0);
}

KTEST_SUITE(string_edges, KTEST_CASE(no_access_past_the_buffers));
