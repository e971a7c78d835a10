/*
 * The framework's per-case slab check, kernel and host: every cache's
 * empty slabs go back to the buddy allocator before a case (so that the
 * page leak check counts what the case itself holds) and after it, and
 * each cache must have as many objects in use after the case as before;
 * a cache the case made and did not destroy is named.
 */
#include <mk64/ktest.h>
#include <mk64/slub_def.h>

#define KTEST_MAX_CACHES 64

static struct {
	const struct kmem_cache *s;
	long in_use;
} before[KTEST_MAX_CACHES];
static unsigned int nr_before;

static void shrink_all(void)
{
	struct kmem_cache *s;

	spin_lock(&slab_lock);
	for_each_slab_cache(s)
		kmem_cache_shrink(s);
	spin_unlock(&slab_lock);
}

void ktest_slab_start(void)
{
	struct kmem_cache *s;
#ifdef MK64_HOST
	static bool slub_ready;

	/* The host has no boot: SLUB is set up before the first case, with a fixed seed. */
	if (!slub_ready) {
		kmem_cache_init("", 0x2545f4914f6cdd1dULL);
		slub_ready = true;
	}
#endif
	shrink_all();
	nr_before = 0;
	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		if (nr_before == KTEST_MAX_CACHES)
			break;
		before[nr_before].s = s;
		before[nr_before++].in_use = slab_objects_in_use(s);
	}
	spin_unlock(&slab_lock);
}

void ktest_slab_done(struct ktest *t)
{
	struct kmem_cache *s;

	shrink_all();
	spin_lock(&slab_lock);
	for_each_slab_cache(s) {
		long now = slab_objects_in_use(s);
		unsigned int i = 0;

		while (i < nr_before && before[i].s != s)
			i++;
		if (i == nr_before)
			ktest_fail(t, false, __FILE__, __LINE__,
				   "slab cache %s made by the case and not destroyed (%ld objects in use)",
				   s->name, now);
		else if (now != before[i].in_use)
			ktest_fail(t, false, __FILE__, __LINE__,
				   "slab leak: cache %s has %ld objects in use, %ld before the case",
				   s->name, now, before[i].in_use);
	}
	spin_unlock(&slab_lock);
}
