/*
 * tests/fixture.c: fixture memory is zeroed (also when it was used before)
 * and page-aligned, goes to init before the body and to exit after it, and
 * is given back however the body ends. The framework's page-leak check
 * (kernel) and ASan's leak check (host) see memory that is not.
 */
#include <mk64/ktest.h>
#include <mk64/string.h>
#include "../fixture.h"

#define PROBE_SIZE (3 * 4096 + 100)

static struct {
	void *init_mem, *exit_mem;
	unsigned int inits, exits;
	bool body_ran, body_finished;
} probe;

static void probe_init(void *mem)
{
	probe.init_mem = mem;
	probe.inits++;
}

static void probe_exit(void *mem)
{
	probe.exit_mem = mem;
	probe.exits++;
}

static const struct test_fixture probe_fixture = { PROBE_SIZE, probe_init, probe_exit };

/* Checks the memory and leaves it dirty for the next run. */
static void check_and_dirty(struct ktest *t)
{
	u8 *mem = probe.init_mem;
	size_t nonzero = 0;

	probe.body_ran = true;
	KTEST_EXPECT_EQ(t, probe.inits, 1u);
	KTEST_EXPECT_EQ(t, probe.exits, 0u);
	KTEST_ASSERT_TRUE(t, mem != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)mem % 4096, 0UL);
	for (size_t i = 0; i < PROBE_SIZE; i++)
		nonzero += mem[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, (size_t)0);
	memset(mem, 0xa5, PROBE_SIZE);
	probe.body_finished = true;
}

static void zeroed_aligned_hooks(struct ktest *t)
{
	for (int run = 0; run < 2; run++) {
		memset(&probe, 0, sizeof(probe));
		fixture_run(t, &probe_fixture, check_and_dirty);
		KTEST_EXPECT_TRUE(t, probe.body_finished);
		KTEST_EXPECT_EQ(t, probe.exits, 1u);
		KTEST_EXPECT_TRUE(t, probe.exit_mem == probe.init_mem);
	}
}

static void leave_early(struct ktest *t)
{
	probe.body_ran = true;
	ktest_skip(t, "leaving early");
	probe.body_finished = true;
}

/* A body that leaves by longjmp: exit runs, then the jump goes on. */
static void given_back_when_body_leaves(struct ktest *t)
{
	struct ktest inner = { .name = "inner" };
	volatile bool returned = false;

	memset(&probe, 0, sizeof(probe));
	if (setjmp(inner.abort_env) == 0) {
		fixture_run(&inner, &probe_fixture, leave_early);
		returned = true;
	}
	KTEST_EXPECT_TRUE(t, probe.body_ran);
	KTEST_EXPECT_FALSE(t, probe.body_finished);
	KTEST_EXPECT_FALSE(t, returned);
	KTEST_EXPECT_TRUE(t, inner.skipped);
	KTEST_EXPECT_EQ(t, probe.exits, 1u);
	KTEST_EXPECT_TRUE(t, probe.exit_mem == probe.init_mem);
}

KTEST_SUITE(fixture, KTEST_CASE(zeroed_aligned_hooks), KTEST_CASE(given_back_when_body_leaves));
