/*
 * Test fixture memory: the large scratch state of a suite (simulated
 * memmaps, table pages, models) taken when a case starts and given back
 * when it ends, instead of sitting in the kernel's .bss. The kernel takes
 * it from the page allocator, the host from the C library; tests/fixture.c
 * ties its lifetime to the case.
 */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <mk64/ktest.h>
#include <mk64/types.h>

struct test_fixture {
	size_t size;
	/* Called with the zeroed memory before the case body runs. */
	void (*init)(void *mem);
	/* Called before the memory goes back, however the body ended; may be NULL. */
	void (*exit)(void *mem);
};

/*
 * Runs body(t) with fixture memory: size zeroed, page-aligned bytes handed
 * to f->init, then to f->exit and freed when body returns, fails an ASSERT
 * or skips (the case then ends as it would have). Fails the case (ASSERT)
 * when there is no memory. In the kernel the allocation may reclaim.
 */
void fixture_run(struct ktest *t, const struct test_fixture *f, void (*body)(struct ktest *t));

/*
 * Defines case name, whose body (the block that follows) runs with fixture
 * f (a struct test_fixture).
 */
#define FIXTURE_CASE(name, f)                                                   \
	static void name##_body(struct ktest *t);                               \
	static void name(struct ktest *t)                                       \
	{                                                                       \
		fixture_run(t, &(f), name##_body);                              \
	}                                                                       \
	static void name##_body(struct ktest *t)

/*
 * The platform's side: size zeroed bytes, page-aligned, or NULL
 * (tests/fixture_kernel.c, tests/host/main.c). May sleep in the kernel.
 */
void *fixture_mem_alloc(size_t size);
/* Gives back what fixture_mem_alloc(size) returned. */
void fixture_mem_free(void *mem, size_t size);

#endif
