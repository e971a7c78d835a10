/*
 * int_sqrt() and the watermark arithmetic (mm/watermark.c): min_free_kbytes,
 * per-zone WMARK_MIN/LOW/HIGH, lowmem_reserve and __zone_watermark_ok(),
 * against values worked out by hand from the formulas in watermark.h.
 */
#include <mk64/ktest.h>
#include <mk64/math.h>
#include <mk64/watermark.h>

#define MB_PAGES(mb) ((unsigned long)(mb) * 256)	/* 4 KiB pages in mb MiB */

/* r is floor(sqrt(n)): r^2 <= n < (r + 1)^2, without overflowing. */
static bool is_floor_sqrt(unsigned long n, unsigned long r)
{
	return r <= 0xffffffffUL && r * r <= n && n - r * r <= 2 * r;
}

/* Counts in *bad the n where int_sqrt() is wrong; reports the first. */
static void check_sqrt(struct ktest *t, unsigned long n, unsigned long *bad)
{
	unsigned long r = int_sqrt(n);

	if (!is_floor_sqrt(n, r) && (*bad)++ == 0)
		ktest_info(t, "int_sqrt(%lu) = %lu", n, r);
}

static void int_sqrt_small_exhaustive(struct ktest *t)
{
	unsigned long bad = 0;

	for (unsigned long n = 0; n <= 1UL << 18; n++)
		check_sqrt(t, n, &bad);
	/* Both sides of every square up to 2^34. */
	for (unsigned long r = 1; r <= 1UL << 17; r++) {
		check_sqrt(t, r * r - 1, &bad);
		check_sqrt(t, r * r, &bad);
		check_sqrt(t, r * r + 2 * r, &bad);
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, int_sqrt(0), 0UL);
	KTEST_EXPECT_EQ(t, int_sqrt(1), 1UL);
	KTEST_EXPECT_EQ(t, int_sqrt(3), 1UL);
	KTEST_EXPECT_EQ(t, int_sqrt(4), 2UL);
	KTEST_EXPECT_EQ(t, int_sqrt(2097152), 1448UL);	/* 128 MiB * 16 */
}

static void int_sqrt_big(struct ktest *t)
{
	const unsigned long top = 0xffffffffUL;	/* the largest possible root */
	unsigned long bad = 0, x = 0x9e3779b97f4a7c15UL;

	KTEST_EXPECT_EQ(t, int_sqrt(~0UL), top);
	KTEST_EXPECT_EQ(t, int_sqrt(top * top), top);
	KTEST_EXPECT_EQ(t, int_sqrt(top * top - 1), top - 1);
	KTEST_EXPECT_EQ(t, int_sqrt(1UL << 62), 1UL << 31);
	KTEST_EXPECT_EQ(t, int_sqrt(1UL << 63), 3037000499UL);
	KTEST_EXPECT_EQ(t, int_sqrt((1UL << 62) - 1), (1UL << 31) - 1);

	/* Every power of two, the squares just below 2^64, random values. */
	for (unsigned int k = 0; k < 64; k++) {
		check_sqrt(t, 1UL << k, &bad);
		check_sqrt(t, (1UL << k) - 1, &bad);
		check_sqrt(t, (1UL << k) + 1, &bad);
	}
	for (unsigned long r = top; r > top - 4096; r--) {
		check_sqrt(t, r * r - 1, &bad);
		check_sqrt(t, r * r, &bad);
		check_sqrt(t, r * r + 2 * r, &bad);
	}
	for (unsigned int i = 0; i < 20000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		check_sqrt(t, x, &bad);
		check_sqrt(t, x >> (i % 64), &bad);
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
}

static void min_free_kbytes_sizes(struct ktest *t)
{
	/* int_sqrt(KiB * 16): 1448^2 <= 2097152 < 1449^2 and so on. */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(MB_PAGES(128)), 1448UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(MB_PAGES(512)), 2896UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(MB_PAGES(2048)), 5792UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(MB_PAGES(8192)), 11585UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(MB_PAGES(768)), 3547UL);
}

static void min_free_kbytes_clamps(struct ktest *t)
{
	/* Low end: 1 MiB gives exactly 128; 1044 KiB is the first above. */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(0), 128UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(1), 128UL);	/* sqrt: 8 */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(255), 128UL);	/* 127 */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(256), 128UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(260), 128UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(261), 129UL);

	/* High end: 256 GiB gives exactly 65536; 67110913 pages give 65537. */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes((1UL << 26) - 8), 65535UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(1UL << 26), 65536UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(67110912), 65536UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(67110913), 65536UL);
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(1UL << 28), 65536UL);	/* 1 TiB */
	KTEST_EXPECT_EQ(t, calculate_min_free_kbytes(1UL << 40), 65536UL);
}

/* Expects zone z's wmark[] to be { min, low, high }. */
#define EXPECT_WMARKS(t, z, min, low, high)                                     \
	do {                                                                    \
		KTEST_EXPECT_EQ(t, (z).wmark[WMARK_MIN], (unsigned long)(min));   \
		KTEST_EXPECT_EQ(t, (z).wmark[WMARK_LOW], (unsigned long)(low));   \
		KTEST_EXPECT_EQ(t, (z).wmark[WMARK_HIGH], (unsigned long)(high)); \
	} while (0)

/* Runs the whole computation over zones[0..nr); returns min_free_kbytes. */
static unsigned long setup(struct zone_wmark *zones, unsigned int nr)
{
	unsigned long kbytes = calculate_min_free_kbytes(lowmem_managed_pages(zones, nr));

	setup_per_zone_wmarks(zones, nr, kbytes);
	return kbytes;
}

static void wmarks_single_zone(struct ktest *t)
{
	static const struct {
		unsigned long mb, kbytes, min, low, high;
	} want[] = {
		/* min = kbytes / 4 pages; low = min + min / 4; high = min + min / 2. */
		{ 128, 1448, 362, 452, 543 },
		{ 512, 2896, 724, 905, 1086 },
		{ 2048, 5792, 1448, 1810, 2172 },
		{ 8192, 11585, 2896, 3620, 4344 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		struct zone_wmark z = { .managed = MB_PAGES(want[i].mb) };

		KTEST_EXPECT_EQ(t, setup(&z, 1), want[i].kbytes);
		EXPECT_WMARKS(t, z, want[i].min, want[i].low, want[i].high);
	}
}

static void wmarks_split(struct ktest *t)
{
	/* 4G DMA32 + 4G Normal: 2896 pages shared evenly. */
	struct zone_wmark two[] = {
		{ .managed = MB_PAGES(4096) },
		{ .managed = MB_PAGES(4096) },
	};
	/*
	 * 16M DMA, 4080M DMA32, 4G Normal: 2896 * 4096 / 2097152 = 5.66,
	 * 2896 * 1044480 / 2097152 = 1442.34, and 1448: 2895 in all.
	 */
	struct zone_wmark three[] = {
		{ .managed = MB_PAGES(16) },
		{ .managed = MB_PAGES(4080) },
		{ .managed = MB_PAGES(4096) },
	};

	KTEST_EXPECT_EQ(t, setup(two, 2), 11585UL);
	EXPECT_WMARKS(t, two[0], 1448, 1810, 2172);
	EXPECT_WMARKS(t, two[1], 1448, 1810, 2172);

	KTEST_EXPECT_EQ(t, setup(three, 3), 11585UL);
	EXPECT_WMARKS(t, three[0], 5, 6, 7);
	EXPECT_WMARKS(t, three[1], 1442, 1802, 2163);
	EXPECT_WMARKS(t, three[2], 1448, 1810, 2172);

	/* Two nodes of 1G Normal each: 2G of lowmem in all, 724 pages each. */
	struct zone_wmark nodes[2 * MAX_NR_ZONES] = {
		[ZONE_NORMAL] = { .managed = MB_PAGES(1024) },
		[ZONE_HIGHMEM] = { .highmem = true },
		[MAX_NR_ZONES + ZONE_NORMAL] = { .managed = MB_PAGES(1024) },
		[MAX_NR_ZONES + ZONE_HIGHMEM] = { .highmem = true },
	};

	KTEST_EXPECT_EQ(t, setup(nodes, 2 * MAX_NR_ZONES), 5792UL);
	EXPECT_WMARKS(t, nodes[ZONE_NORMAL], 724, 905, 1086);
	EXPECT_WMARKS(t, nodes[MAX_NR_ZONES + ZONE_NORMAL], 724, 905, 1086);
	EXPECT_WMARKS(t, nodes[ZONE_DMA32], 0, 0, 0);
	EXPECT_WMARKS(t, nodes[MAX_NR_ZONES + ZONE_HIGHMEM], 32, 40, 48);
}

static void wmarks_highmem(struct ktest *t)
{
	/* 768M Normal + 256M HighMem: only the 768M count for min_free_kbytes. */
	struct zone_wmark zones[] = {
		{ .managed = MB_PAGES(768) },
		{ .managed = MB_PAGES(256), .highmem = true },
	};

	KTEST_EXPECT_EQ(t, lowmem_managed_pages(zones, 2), MB_PAGES(768));
	KTEST_EXPECT_EQ(t, setup(zones, 2), 3547UL);
	EXPECT_WMARKS(t, zones[0], 886, 1107, 1329);
	EXPECT_WMARKS(t, zones[1], 64, 80, 96);	/* 65536 / 1024 */

	/* The highmem min is clamped to [32, 128]; empty lowmem gets 0. */
	struct zone_wmark edges[] = {
		{ .managed = 0 },
		{ .managed = MB_PAGES(16), .highmem = true },	/* 4 */
		{ .managed = 32 * 1024 + 1023, .highmem = true },
		{ .managed = 128 * 1024 + 1023, .highmem = true },
		{ .managed = MB_PAGES(1024), .highmem = true },	/* 256 */
		{ .managed = 0, .highmem = true },
	};

	KTEST_EXPECT_EQ(t, setup(edges, ARRAY_SIZE(edges)), 128UL);
	EXPECT_WMARKS(t, edges[0], 0, 0, 0);
	EXPECT_WMARKS(t, edges[1], 32, 40, 48);
	EXPECT_WMARKS(t, edges[2], 32, 40, 48);
	EXPECT_WMARKS(t, edges[3], 128, 160, 192);
	EXPECT_WMARKS(t, edges[4], 128, 160, 192);
	EXPECT_WMARKS(t, edges[5], 32, 40, 48);

	edges[1].managed = 33 * 1024;
	edges[4].managed = 127 * 1024 + 1023;
	setup(edges, ARRAY_SIZE(edges));
	EXPECT_WMARKS(t, edges[1], 33, 41, 49);
	EXPECT_WMARKS(t, edges[4], 127, 158, 190);
}

/*
 * Random splits of random sizes: the lowmem mins add up to pages_min less
 * under one page per lowmem zone, each is its share rounded down, and low
 * and high follow from min.
 */
static void wmarks_sum(struct ktest *t)
{
	unsigned long x = 12345, bad = 0;

	for (unsigned int run = 0; run < 2000; run++) {
		struct zone_wmark z[MAX_NR_ZONES] = { 0 };
		unsigned long pages_min, lowmem, sum = 0;

		for (unsigned int i = 0; i < MAX_NR_ZONES; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			/* Below 2^0 .. 2^26 pages (256 GiB) per zone. */
			z[i].managed = (x >> 33) & ((1UL << ((x >> 8) % 27)) - 1);
			z[i].highmem = i == ZONE_HIGHMEM;
		}
		lowmem = lowmem_managed_pages(z, MAX_NR_ZONES);
		pages_min = setup(z, MAX_NR_ZONES) / 4;
		for (unsigned int i = 0; i < ZONE_HIGHMEM; i++) {
			unsigned long min = z[i].wmark[WMARK_MIN];
			unsigned long share = pages_min * z[i].managed;	/* times lowmem */
			bool min_ok = lowmem ? min * lowmem <= share && (min + 1) * lowmem > share
					     : min == 0;

			sum += min;
			if ((!min_ok || z[i].wmark[WMARK_LOW] != min * 5 / 4 ||
			     z[i].wmark[WMARK_HIGH] != min * 3 / 2) && bad++ == 0)
				ktest_info(t, "run %u zone %u: managed %lu of %lu, min %lu", run,
					   i, z[i].managed, lowmem, min);
		}
		/* Three lowmem zones lose less than a page each. */
		if (lowmem && (sum > pages_min || sum + ZONE_HIGHMEM <= pages_min) &&
		    bad++ == 0)
			ktest_info(t, "run %u: mins add up to %lu, pages_min %lu", run, sum,
				   pages_min);
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
}

/* Expects zone z's lowmem_reserve[] to be the MAX_NR_ZONES values given. */
#define EXPECT_RESERVE(t, z, a, b, c, d)                                        \
	do {                                                                    \
		KTEST_EXPECT_EQ(t, (z).lowmem_reserve[ZONE_DMA], (unsigned long)(a));     \
		KTEST_EXPECT_EQ(t, (z).lowmem_reserve[ZONE_DMA32], (unsigned long)(b));   \
		KTEST_EXPECT_EQ(t, (z).lowmem_reserve[ZONE_NORMAL], (unsigned long)(c));  \
		KTEST_EXPECT_EQ(t, (z).lowmem_reserve[ZONE_HIGHMEM], (unsigned long)(d)); \
	} while (0)

static void lowmem_reserve_matrix(struct ktest *t)
{
	struct zone_wmark z[MAX_NR_ZONES] = {
		[ZONE_DMA] = { .managed = 4096, .lowmem_reserve = { 7, 7, 7, 7 } },
		[ZONE_DMA32] = { .managed = 1044480, .lowmem_reserve = { 7, 7, 7, 7 } },
		[ZONE_NORMAL] = { .managed = 1048576, .lowmem_reserve = { 7, 7, 7, 7 } },
		[ZONE_HIGHMEM] = { .highmem = true, .lowmem_reserve = { 7, 7, 7, 7 } },
	};

	/* Three zones: 1044480 / 256, 2093056 / 256, 1048576 / 256. */
	setup_per_zone_lowmem_reserve(z, sysctl_lowmem_reserve_ratio);
	EXPECT_RESERVE(t, z[ZONE_DMA], 0, 4080, 8176, 8176);
	EXPECT_RESERVE(t, z[ZONE_DMA32], 0, 0, 4096, 4096);
	EXPECT_RESERVE(t, z[ZONE_NORMAL], 0, 0, 0, 0);
	EXPECT_RESERVE(t, z[ZONE_HIGHMEM], 0, 0, 0, 0);

	/* With 65537 pages of highmem: Normal's ratio 32 counts, rounded down. */
	z[ZONE_HIGHMEM].managed = 65537;
	setup_per_zone_lowmem_reserve(z, sysctl_lowmem_reserve_ratio);
	EXPECT_RESERVE(t, z[ZONE_DMA], 0, 4080, 8176, 8432);
	EXPECT_RESERVE(t, z[ZONE_DMA32], 0, 0, 4096, 4352);
	EXPECT_RESERVE(t, z[ZONE_NORMAL], 0, 0, 0, 2048);
	EXPECT_RESERVE(t, z[ZONE_HIGHMEM], 0, 0, 0, 0);

	/* A ratio below 1 means no reserve; others divide as given. */
	static const int ratio[MAX_NR_ZONES] = { 0, 3, -1, 0 };

	z[ZONE_DMA32].managed = 10;
	z[ZONE_NORMAL].managed = 20;
	setup_per_zone_lowmem_reserve(z, ratio);
	EXPECT_RESERVE(t, z[ZONE_DMA], 0, 0, 0, 0);
	EXPECT_RESERVE(t, z[ZONE_DMA32], 0, 0, 6, 21852);	/* 20 / 3, 65557 / 3 */
	EXPECT_RESERVE(t, z[ZONE_NORMAL], 0, 0, 0, 0);
}

static const unsigned long no_reserve[MAX_NR_ZONES];
static const unsigned long order0_only[NR_PAGE_ORDERS] = { 1000 };

/* __zone_watermark_ok() for order 0 with no lowmem_reserve. */
static bool ok0(unsigned long free, unsigned long mark, unsigned int flags)
{
	return __zone_watermark_ok(free, 0, mark, ZONE_NORMAL, flags, no_reserve, order0_only);
}

static void watermark_ok_boundaries(struct ktest *t)
{
	const unsigned long reserve[MAX_NR_ZONES] = { 0, 100, 300, 900 };

	/* Free pages must stay above the mark: at the mark is not enough. */
	KTEST_EXPECT_FALSE(t, ok0(999, 1000, 0));
	KTEST_EXPECT_FALSE(t, ok0(1000, 1000, 0));
	KTEST_EXPECT_TRUE(t, ok0(1001, 1000, 0));
	KTEST_EXPECT_FALSE(t, ok0(0, 0, 0));
	KTEST_EXPECT_TRUE(t, ok0(1, 0, 0));

	/* The reserve of the preferred zone adds to the mark. */
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(1001, 0, 1000, ZONE_DMA, 0, reserve,
						 order0_only));
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(1100, 0, 1000, ZONE_DMA32, 0, reserve,
						  order0_only));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(1101, 0, 1000, ZONE_DMA32, 0, reserve,
						 order0_only));
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(1300, 0, 1000, ZONE_NORMAL, 0, reserve,
						  order0_only));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(1301, 0, 1000, ZONE_NORMAL, 0, reserve,
						 order0_only));
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(1900, 0, 1000, ZONE_HIGHMEM, 0, reserve,
						  order0_only));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(1901, 0, 1000, ZONE_HIGHMEM, 0, reserve,
						 order0_only));

	/* ALLOC_HIGH lowers the mark, never the reserve: 500 + 300. */
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(800, 0, 1000, ZONE_NORMAL, ALLOC_HIGH,
						  reserve, order0_only));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(801, 0, 1000, ZONE_NORMAL, ALLOC_HIGH,
						 reserve, order0_only));
}

static void watermark_ok_alloc_flags(struct ktest *t)
{
	const unsigned int both = ALLOC_HIGH | ALLOC_HARDER;

	/* mark 1000: ALLOC_HIGH 500, ALLOC_HARDER 750, both 500 - 125. */
	KTEST_EXPECT_FALSE(t, ok0(500, 1000, ALLOC_HIGH));
	KTEST_EXPECT_TRUE(t, ok0(501, 1000, ALLOC_HIGH));
	KTEST_EXPECT_FALSE(t, ok0(750, 1000, ALLOC_HARDER));
	KTEST_EXPECT_TRUE(t, ok0(751, 1000, ALLOC_HARDER));
	KTEST_EXPECT_FALSE(t, ok0(375, 1000, both));
	KTEST_EXPECT_TRUE(t, ok0(376, 1000, both));

	/* Odd mark 1001: the fractions round down what is taken off. */
	KTEST_EXPECT_FALSE(t, ok0(501, 1001, ALLOC_HIGH));
	KTEST_EXPECT_TRUE(t, ok0(502, 1001, ALLOC_HIGH));
	KTEST_EXPECT_FALSE(t, ok0(751, 1001, ALLOC_HARDER));
	KTEST_EXPECT_TRUE(t, ok0(752, 1001, ALLOC_HARDER));
	KTEST_EXPECT_FALSE(t, ok0(376, 1001, both));
	KTEST_EXPECT_TRUE(t, ok0(377, 1001, both));
}

/*
 * A 512M zone (min 724) with 600 free pages: GFP_KERNEL (no flags) fails
 * at min, __GFP_HIGH (min 362) and GFP_ATOMIC (min 362 - 90) succeed, and
 * GFP_ATOMIC stops at 272.
 */
static void atomic_below_min(struct ktest *t)
{
	struct zone_wmark z = { .managed = MB_PAGES(512) };
	unsigned long min;

	setup(&z, 1);
	min = z.wmark[WMARK_MIN];
	KTEST_ASSERT_EQ(t, min, 724UL);
	KTEST_EXPECT_FALSE(t, ok0(600, min, 0));
	KTEST_EXPECT_TRUE(t, ok0(600, min, ALLOC_HIGH));
	KTEST_EXPECT_TRUE(t, ok0(600, min, ALLOC_HIGH | ALLOC_HARDER));
	KTEST_EXPECT_FALSE(t, ok0(362, min, ALLOC_HIGH));
	KTEST_EXPECT_TRUE(t, ok0(363, min, ALLOC_HIGH));
	KTEST_EXPECT_FALSE(t, ok0(272, min, ALLOC_HIGH | ALLOC_HARDER));
	KTEST_EXPECT_TRUE(t, ok0(273, min, ALLOC_HIGH | ALLOC_HARDER));
	/* Above low, all succeed. */
	KTEST_EXPECT_TRUE(t, ok0(z.wmark[WMARK_LOW] + 1, z.wmark[WMARK_LOW], 0));
}

static void watermark_ok_order(struct ktest *t)
{
	unsigned long nr_free[NR_PAGE_ORDERS] = { 1000, 1, 1, 1 };

	/* Order 3 takes 8 pages: 8 - 1 more than order 0 must be free. */
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(1007, 3, 1000, ZONE_DMA, 0, no_reserve,
						  nr_free));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(1008, 3, 1000, ZONE_DMA, 0, no_reserve,
						 nr_free));
	/* Mark 0: fewer free pages than the block never wrap around. */
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(3, 3, 0, ZONE_DMA, 0, no_reserve, nr_free));
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(7, 3, 0, ZONE_DMA, 0, no_reserve, nr_free));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(8, 3, 0, ZONE_DMA, 0, no_reserve, nr_free));

	/* Enough pages but no block of order 3 or more. */
	nr_free[3] = 0;
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(5000, 3, 1000, ZONE_DMA, 0, no_reserve,
						  nr_free));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(5000, 2, 1000, ZONE_DMA, 0, no_reserve,
						 nr_free));
	nr_free[MAX_PAGE_ORDER] = 1;
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(5000, 3, 1000, ZONE_DMA, 0, no_reserve,
						 nr_free));
	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(5000, MAX_PAGE_ORDER, 1000, ZONE_DMA, 0,
						 no_reserve, nr_free));
	nr_free[MAX_PAGE_ORDER] = 0;
	nr_free[MAX_PAGE_ORDER - 1] = 100;
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(5000, MAX_PAGE_ORDER, 1000, ZONE_DMA, 0,
						  no_reserve, nr_free));
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(1UL << 30, MAX_PAGE_ORDER + 1, 0, ZONE_DMA,
						  0, no_reserve, nr_free));
	/* An order no shift can take is refused before it is used. */
	KTEST_EXPECT_FALSE(t, __zone_watermark_ok(~0UL, 64, 0, ZONE_DMA, 0, no_reserve,
						  nr_free));

	/* Order 0 needs no block count: per-order counts are not consulted. */
	static const unsigned long none[NR_PAGE_ORDERS];

	KTEST_EXPECT_TRUE(t, __zone_watermark_ok(5000, 0, 1000, ZONE_DMA, 0, no_reserve, none));
}

KTEST_SUITE(watermark,
	    KTEST_CASE(int_sqrt_small_exhaustive),
	    KTEST_CASE(int_sqrt_big),
	    KTEST_CASE(min_free_kbytes_sizes),
	    KTEST_CASE(min_free_kbytes_clamps),
	    KTEST_CASE(wmarks_single_zone),
	    KTEST_CASE(wmarks_split),
	    KTEST_CASE(wmarks_highmem),
	    KTEST_CASE(wmarks_sum),
	    KTEST_CASE(lowmem_reserve_matrix),
	    KTEST_CASE(watermark_ok_boundaries),
	    KTEST_CASE(watermark_ok_alloc_flags),
	    KTEST_CASE(atomic_below_min),
	    KTEST_CASE(watermark_ok_order));
