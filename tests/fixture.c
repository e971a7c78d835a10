/*
 * Fixture memory for one case. ASSERT and skip leave a case by longjmp to
 * t->abort_env: the body runs under an environment of our own, so the
 * memory is given back first and the jump then goes on to the case's.
 */
#include <mk64/setjmp.h>
#include <mk64/string.h>
#include "fixture.h"

void fixture_run(struct ktest *t, const struct test_fixture *f, void (*body)(struct ktest *t))
{
	void *const mem = fixture_mem_alloc(f->size);
	jmp_buf outer;
	bool aborted = false;

	if (!mem)
		ktest_fail(t, true, __FILE__, __LINE__, "no memory for a %zu-byte fixture",
			   f->size);
	memcpy(outer, t->abort_env, sizeof(jmp_buf));
	f->init(mem);
	if (setjmp(t->abort_env) == 0)
		body(t);
	else
		aborted = true;
	memcpy(t->abort_env, outer, sizeof(jmp_buf));
	if (f->exit)
		f->exit(mem);
	fixture_mem_free(mem, f->size);
	if (aborted)
		longjmp(t->abort_env, 1);
}
