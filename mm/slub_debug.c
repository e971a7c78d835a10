/*
 * SLUB's debug caches (Linux's CONFIG_SLUB_DEBUG): the slub_debug= boot
 * parameter, the debug layout's contents, and the slow path that every
 * allocation and free of a debug cache takes.
 *
 * A debug cache's slot, from its start (layout: init_cache(), Linux's
 * calculate_sizes()):
 *   left red zone   red_left_pad bytes (SLAB_RED_ZONE)
 *   object          object_size bytes: the pointer kmem_cache_alloc() returns
 *   right red zone  up to inuse, at least a word (SLAB_RED_ZONE)
 *   free pointer    a word, out of the object with SLAB_POISON or a ctor
 *   tracks          alloc and free, struct track each (SLAB_STORE_USER)
 *   padding         to size, and a word before the next left red zone
 * Red zones hold 0xcc while the object is allocated, 0xbb while free; a
 * free object holds 0x6b with 0xa5 in its last byte (SLAB_POISON); a new
 * slab is filled with 0x5a first, which stays in the padding and the
 * slab's unused tail. Linux's values.
 *
 * A debug cache never uses the per-CPU fast paths: its per-CPU slab is
 * never set, so they fail and their slow paths hand over here (as Linux's
 * kmem_cache_debug() sends its allocations to alloc_debug_processing()).
 * Its slabs are always on their node's lists (partial: with a free object;
 * full: none), every object taken and given back under the node's lock,
 * the free list checked as it is used.
 *
 * A check that fails prints a report in Linux's format: a "BUG <cache>
 * (Not tainted): <what>" headline, INFO lines, tracks and a hex dump (no
 * "BUG:" anywhere: the test runner's crash marker is Linux's BUG_ON()'s).
 * Then the damaged object is isolated instead of Linux's repair: never
 * handed out or freed again, its slab never given back until the cache is
 * destroyed, counted in page->isolated and so not as in use (the leak
 * check counts what callers hold), and marked: its free pointer holds its
 * own address, which no object on a free list does (the list would loop),
 * so that a later free of it is reported as such and counted once. A free
 * that is not one (already free or isolated, not an object start, outside
 * any slab) is ignored; a free into the wrong cache goes to the object's
 * own cache, as Linux's cache_from_obj().
 */
#include <asm/arch.h>
#include <mk64/cmdline.h>
#include <mk64/glob.h>
#include <mk64/kallsyms.h>
#include <mk64/kernel.h>
#include <mk64/printk.h>
#include <mk64/sprintf.h>
#include <mk64/string.h>
#include "slub.h"

/* Linux's <linux/poison.h>. */
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5

/* slub_debug alone, or with no letters: Linux's DEBUG_DEFAULT_FLAGS. */
#define DEBUG_DEFAULT_FLAGS \
	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* What check_object() found. */
enum check { CHECK_OK, CHECK_BAD_OBJECT, CHECK_BAD_FREEPTR };

/* slub_debug='s value (empty for the bare word), and whether it was given at all. */
static char slub_debug_string[256];
static bool slub_debug_given;

/* ---- slub_debug= ---------------------------------------------------------------- */

/*
 * Parses the block of options at str (up to ';' or the end): its letters
 * into *flags, its cache list (after the first ',') into *slabs, NULL
 * without one. Returns the next block, NULL after the last. Unknown
 * letters are reported when warn is set.
 */
static const char *parse_block(const char *str, slab_flags_t *flags, const char **slabs, bool warn)
{
	*flags = 0;
	if (*str == ',') {
		*flags = DEBUG_DEFAULT_FLAGS;
	} else {
		for (; *str && *str != ',' && *str != ';'; str++) {
			switch (*str | 0x20) {
			case '-':
				*flags = 0;
				break;
			case 'f':
				*flags |= SLAB_CONSISTENCY_CHECKS;
				break;
			case 'z':
				*flags |= SLAB_RED_ZONE;
				break;
			case 'p':
				*flags |= SLAB_POISON;
				break;
			case 'u':
				*flags |= SLAB_STORE_USER;
				break;
			case 't':
				*flags |= SLAB_TRACE;
				break;
			default:
				if (warn)
					pr_err("slub_debug option '%c' unknown. skipped\n", *str);
			}
		}
	}
	*slabs = *str == ',' ? str + 1 : NULL;
	while (*str && *str != ';')
		str++;
	while (*str == ';')
		str++;
	return *str ? str : NULL;
}

/* Whether the list of names at list (up to ';') holds name; "prefix*" matches by prefix. */
static bool list_has(const char *list, const char *name)
{
	while (*list && *list != ';') {
		char pattern[64];
		size_t len = 0;

		while (list[len] && list[len] != ',' && list[len] != ';')
			len++;

		if (len && len < sizeof(pattern)) {
			memcpy(pattern, list, len);
			pattern[len] = '\0';
			if (glob_match(pattern, name))
				return true;
		}
		list += len;
		if (*list == ',')
			list++;
	}
	return false;
}

/* slub_debug_flags(), reporting unknown letters when warn is set. */
static slab_flags_t slub_debug_flags_for(const char *option, const char *name, bool warn)
{
	slab_flags_t global = 0, block;
	const char *slabs;

	if (!*option)
		return DEBUG_DEFAULT_FLAGS;
	for (const char *next = option; next;) {
		next = parse_block(next, &block, &slabs, warn);
		if (!slabs)
			global = block;
		else if (list_has(slabs, name))
			return block;
	}
	return global;
}

slab_flags_t slub_debug_flags(const char *option, const char *name)
{
	return slub_debug_flags_for(option, name, false);
}

void slub_debug_setup(const char *cmdline)
{
	slub_debug_given = cmdline_get(cmdline, "slub_debug", slub_debug_string,
				       sizeof(slub_debug_string)) ||
			   cmdline_has(cmdline, "slub_debug");
	if (slub_debug_given) {
		/* Any name: only to report unknown letters, once. */
		slub_debug_flags_for(slub_debug_string, "", true);
		pr_info("slub_debug: %s\n", slub_debug_string[0] ? slub_debug_string : "(FZPU)");
	}
}

slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	if (!slub_debug_given)
		return flags;
	return flags | slub_debug_flags(slub_debug_string, name);
}

/* ---- the layout ---------------------------------------------------------------- */

/* Whether object's free pointer lies after it (where poison does not reach). */
static bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* Where the tracks begin: after the object, its red zone and an outside free pointer. */
static unsigned int info_end(const struct kmem_cache *s)
{
	return freeptr_outside_object(s) ? s->inuse + sizeof(void *) : s->inuse;
}

/* Where the padding begins, from the object. */
static unsigned int pad_start(const struct kmem_cache *s)
{
	return info_end(s) + (s->flags & SLAB_STORE_USER ? 2 * sizeof(struct track) : 0);
}

/* The slot's bytes from the object on: size less the left red zone. */
static unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->size - s->red_left_pad;
}

static bool object_poisoned(const struct kmem_cache *s)
{
	return (s->flags & SLAB_POISON) && !s->ctor;
}

/* Whether p is an object start of s's slab page (the division is fine off the fast path). */
static bool valid_object(const struct kmem_cache *s, const struct page *page, const void *p)
{
	unsigned long off = (unsigned long)p - slab_first_object(s, page);

	return off < (unsigned long)s->objects * s->size && off % s->size == 0;
}

static struct track *get_track(const struct kmem_cache *s, void *object, enum track_item item)
{
	return (struct track *)((char *)object + info_end(s)) + item;
}

static void set_track(const struct kmem_cache *s, void *object, enum track_item item,
		      unsigned long caller)
{
	*get_track(s, object, item) = (struct track){
		.addr = caller,
		.when = arch_clock_ns(),
		.cpu = smp_processor_id(),
		/* No threads yet: what runs is the boot context, Linux's pid 0. */
		.pid = 0,
	};
}

/* Red zones to val, a poisoned object to its poison: Linux's init_object(). */
static void init_object(const struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;

	if (s->flags & SLAB_RED_ZONE)
		memset(p - s->red_left_pad, val, s->red_left_pad);
	if (object_poisoned(s)) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size, val, s->inuse - s->object_size);
}

void setup_slab_debug(struct kmem_cache *s, struct page *page)
{
	unsigned long first = slab_first_object(s, page);

	if (s->flags & SLAB_POISON)
		memset((void *)slab_base(page), POISON_INUSE, PAGE_SIZE << s->order);
	for (unsigned int i = 0; i < s->objects; i++) {
		void *object = (void *)(first + (unsigned long)i * s->size);

		init_object(s, object, SLUB_RED_INACTIVE);
		if (s->flags & SLAB_STORE_USER)
			memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
	}
}

/* ---- reports ------------------------------------------------------------------- */

/* Linux's print_section(): 16 bytes a line, hex then printable characters. */
static void print_section(const char *text, const u8 *addr, unsigned int length)
{
	for (unsigned int off = 0; off < length; off += 16) {
		char line[96];
		int n = snprintf(line, sizeof(line), "%s%016lx:", text, (unsigned long)(addr + off));

		for (unsigned int i = 0; i < 16; i++)
			n += snprintf(line + n, sizeof(line) - n, off + i < length ? " %02x" : "   ",
				      off + i < length ? addr[off + i] : 0);
		n += snprintf(line + n, sizeof(line) - n, "  ");
		for (unsigned int i = 0; i < 16 && off + i < length; i++) {
			u8 c = addr[off + i];

			line[n++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[n] = '\0';
		pr_err("%s\n", line);
	}
}

static void slab_bug(const struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_bug(const struct kmem_cache *s, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pr_err("=============================================================================\n");
	pr_err("BUG %s (Not tainted): %s\n", s->name, what);
	pr_err("-----------------------------------------------------------------------------\n");
	pr_err("\n");
}

static void print_track(const char *what, const struct track *t, u64 now)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!t->addr)
		return;
	sprint_backtrace(sym, sizeof(sym), t->addr);
	pr_err("INFO: %s in %s age=%llu cpu=%u pid=%d\n", what, sym,
	       (unsigned long long)(now - t->when), t->cpu, t->pid);
}

static void print_slab_info(const struct page *page)
{
	pr_err("INFO: Slab 0x%lx objects=%u used=%u fp=0x%lx flags=%#lx\n", (unsigned long)page,
	       page->objects, page->inuse, (unsigned long)page->freelist, page->flags);
}

/* Linux's print_trailer(): tracks, the slab, the object and its slot dumped. */
static void print_trailer(const struct kmem_cache *s, const struct page *page, u8 *p)
{
	unsigned int off = pad_start(s);

	if (s->flags & SLAB_STORE_USER) {
		u64 now = arch_clock_ns();

		print_track("Allocated", get_track(s, p, TRACK_ALLOC), now);
		print_track("Freed", get_track(s, p, TRACK_FREE), now);
	}
	print_slab_info(page);
	pr_err("INFO: Object 0x%lx @offset=%lu fp=0x%lx\n", (unsigned long)p,
	       (unsigned long)p - slab_base(page),
	       (unsigned long)get_freepointer(s, p));
	pr_err("\n");
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p - s->red_left_pad, s->red_left_pad);
	print_section("Object   ", p, min(s->object_size, (unsigned int)PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p + s->object_size, s->inuse - s->object_size);
	if (off != size_from_object(s))
		print_section("Padding  ", p + off, size_from_object(s) - off);
}

static void object_err(const struct kmem_cache *s, const struct page *page, void *object,
		       const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, page, object);
}

static void slab_fix(const struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_fix(const struct kmem_cache *s, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pr_err("FIX %s: %s\n", s->name, what);
	pr_err("\n");
}

/*
 * Linux's check_bytes_and_report(): whether the bytes [start, start +
 * bytes) of object all hold value; if not, the report names what, the
 * wrong range and its first byte.
 */
static bool check_bytes(const struct kmem_cache *s, const struct page *page, u8 *object,
			const char *what, u8 *start, u8 value, unsigned int bytes)
{
	u8 *fault = NULL, *end = start + bytes;

	for (u8 *p = start; p < end; p++) {
		if (*p != value) {
			fault = p;
			break;
		}
	}
	if (!fault)
		return true;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	pr_err("INFO: 0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       (unsigned long)fault, (unsigned long)end - 1,
	       (unsigned long)fault - slab_base(page), *fault, value);
	print_trailer(s, page, object);
	return false;
}

/*
 * Whether object's free pointer is NULL or an object of page; if not, the
 * report says so.
 */
static bool check_freepointer(const struct kmem_cache *s, const struct page *page, u8 *object)
{
	void *fp = get_freepointer(s, object);

	if (!fp || valid_object(s, page, fp))
		return true;
	object_err(s, page, object, "Freepointer corrupt");
	return false;
}

/*
 * Linux's check_object() for an object that should be free (val
 * SLUB_RED_INACTIVE) or allocated (SLUB_RED_ACTIVE): its red zones,
 * poison, padding and, while it is free, its free pointer.
 */
static enum check check_object(const struct kmem_cache *s, const struct page *page, u8 *p, u8 val)
{
	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes(s, page, p, "Left Redzone", p - s->red_left_pad, val,
				 s->red_left_pad) ||
		    !check_bytes(s, page, p, "Right Redzone", p + s->object_size, val,
				 s->inuse - s->object_size))
			return CHECK_BAD_OBJECT;
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes(s, page, p, "Alignment padding", p + s->object_size, POISON_INUSE,
				 s->inuse - s->object_size))
			return CHECK_BAD_OBJECT;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && object_poisoned(s) &&
		    (!check_bytes(s, page, p, "Poison", p, POISON_FREE, s->object_size - 1) ||
		     !check_bytes(s, page, p, "End Poison", p + s->object_size - 1, POISON_END, 1)))
			return CHECK_BAD_OBJECT;
		if (!check_bytes(s, page, p, "Object padding", p + pad_start(s), POISON_INUSE,
				 size_from_object(s) - pad_start(s)))
			return CHECK_BAD_OBJECT;
	}
	/* An allocated object's pointer slot inside it is the caller's data. */
	if (val == SLUB_RED_ACTIVE && !freeptr_outside_object(s))
		return CHECK_OK;
	if (val == SLUB_RED_INACTIVE && !check_freepointer(s, page, p))
		return CHECK_BAD_FREEPTR;
	return CHECK_OK;
}

void slab_pad_check(const struct kmem_cache *s, const struct page *page)
{
	unsigned long start = slab_base(page), length = PAGE_SIZE << s->order;
	unsigned long used = (unsigned long)s->objects * s->size;
	u8 *pad = (u8 *)start + used, *end = (u8 *)start + length, *fault = NULL;

	if (!(s->flags & SLAB_POISON))
		return;
	for (u8 *p = pad; p < end; p++) {
		if (*p != POISON_INUSE) {
			fault = p;
			break;
		}
	}
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_bug(s, "Padding overwritten");
	pr_err("INFO: 0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       (unsigned long)fault, (unsigned long)end - 1, (unsigned long)fault - start, *fault,
	       POISON_INUSE);
	print_section("Padding  ", pad, (unsigned int)(length - used));
	slab_fix(s, "slab freed all the same");
}

/* ---- taking objects out of use ------------------------------------------------ */

static void mark_isolated(const struct kmem_cache *s, void *object)
{
	set_freepointer(s, object, object);
}

static bool object_isolated(const struct kmem_cache *s, void *object)
{
	return get_freepointer(s, object) == object;
}

/*
 * Marks the free objects of page isolated: those its free list reaches
 * before a pointer that is no object of the slab, and with red zones
 * every object whose left red zone says free (the list past the bad
 * pointer is lost, the red zones are not).
 */
static void mark_free_objects(const struct kmem_cache *s, const struct page *page)
{
	unsigned long first = slab_first_object(s, page);
	unsigned int nr = page->objects - page->inuse;
	void *p = page->freelist;

	while (p && nr-- && valid_object(s, page, p)) {
		void *next = get_freepointer(s, p);

		mark_isolated(s, p);
		p = next;
	}
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	for (unsigned int i = 0; i < s->objects; i++) {
		u8 *object = (u8 *)(first + (unsigned long)i * s->size);
		u8 *left = object - s->red_left_pad;
		unsigned int j = 0;

		while (j < s->red_left_pad && left[j] == SLUB_RED_INACTIVE)
			j++;
		if (j == s->red_left_pad)
			mark_isolated(s, object);
	}
}

/*
 * Every free object of page out of use for good, as Linux's "Marking all
 * objects used": a corrupt pointer leaves the rest of the list unknown.
 * n locked; page was on the partial list.
 */
static void isolate_free_objects(const struct kmem_cache *s, struct kmem_cache_node *n,
				 struct page *page)
{
	mark_free_objects(s, page);
	page->isolated += page->objects - page->inuse;
	page->inuse = page->objects;
	page->freelist = NULL;
	list_move(&page->slab_list, &n->full);
	n->nr_partial--;
}

/*
 * Linux's on_freelist(): whether object is on page's free list, walked
 * whole and checked on the way; a pointer that is no object of the slab
 * is reported and the list cut before the object holding it. n locked.
 */
static bool on_freelist(struct kmem_cache *s, struct kmem_cache_node *n, struct page *page,
			void *object)
{
	unsigned int nr = 0, max = page->objects - page->inuse;
	void *prev = NULL;

	for (void *p = page->freelist; p && nr <= max; p = get_freepointer(s, p), nr++) {
		if (p == object)
			return true;
		if (!valid_object(s, page, p) || nr == max) {
			if (prev) {
				object_err(s, page, prev, "Freechain corrupt");
			} else {
				slab_bug(s, "Freelist Pointer check fails");
				print_slab_info(page);
			}
			isolate_free_objects(s, n, page);
			slab_fix(s, "Free objects isolated: %u in the slab now", page->isolated);
			return false;
		}
		prev = p;
	}
	return false;
}

/* Moves page between its node's lists as its free list empties or fills. n locked. */
static void refile(struct kmem_cache_node *n, struct page *page, bool had_free)
{
	if (had_free && !page->freelist) {
		list_move(&page->slab_list, &n->full);
		n->nr_partial--;
	} else if (!had_free && page->freelist) {
		list_move_tail(&page->slab_list, &n->partial);
		n->nr_partial++;
	}
}

/*
 * The first object of page's free list that passes the checks (Linux's
 * alloc_debug_processing()), marked allocated; NULL when none is left
 * (the slab is full now). A damaged object is isolated. n locked.
 */
static void *take_object(struct kmem_cache *s, struct kmem_cache_node *n, struct page *page,
			 unsigned long caller)
{
	void *object;

	while ((object = page->freelist)) {
		enum check check = CHECK_OK;

		if (s->flags & SLAB_CONSISTENCY_CHECKS)
			check = check_object(s, page, object, SLUB_RED_INACTIVE);
		/* The damage may reach on: the pointer lies after the right red zone. */
		if (check == CHECK_BAD_OBJECT && !check_freepointer(s, page, object))
			check = CHECK_BAD_FREEPTR;
		if (check == CHECK_BAD_FREEPTR) {
			isolate_free_objects(s, n, page);
			slab_fix(s, "Object at 0x%lx and every free object of its slab isolated",
				 (unsigned long)object);
			return NULL;
		}
		page->freelist = get_freepointer(s, object);
		page->inuse++;
		if (check == CHECK_OK)
			break;
		page->isolated++;
		mark_isolated(s, object);
		slab_fix(s, "Object at 0x%lx isolated: never handed out again", (unsigned long)object);
	}
	refile(n, page, true);
	if (!object)
		return NULL;
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, caller);
	if (s->flags & SLAB_TRACE)
		pr_info("TRACE %s alloc 0x%lx inuse=%u fp=0x%lx\n", s->name, (unsigned long)object,
			page->inuse, (unsigned long)page->freelist);
	init_object(s, object, SLUB_RED_ACTIVE);
	return object;
}

void *debug_slab_alloc(unsigned long flags, struct kmem_cache *s, gfp_t gfp, int nid,
		       unsigned long caller)
{
	int want = nid == NUMA_NO_NODE ? numa_node_id() : nid;
	struct kmem_cache_node *n;
	void *object = NULL;
	struct page *page;

	for (;;) {
		n = s->node[want];
		if (n && READ_ONCE(n->nr_partial)) {
			spin_lock(&n->list_lock);
			while (!object && !list_empty(&n->partial)) {
				page = list_first_entry(&n->partial, struct page, slab_list);
				object = take_object(s, n, page, caller);
			}
			spin_unlock(&n->list_lock);
			if (object)
				break;
		}
		local_irq_restore(flags);
		page = new_slab(s, gfp, nid);
		local_irq_save(flags);
		if (!page)
			break;
		page->freelist = shuffle_freelist(s, slab_first_object(s, page));
		n = slab_node(s, page);
		spin_lock(&n->list_lock);
		list_add(&page->slab_list, &n->partial);
		n->nr_partial++;
		spin_unlock(&n->list_lock);
		want = page_to_nid(page);
	}
	local_irq_restore(flags);
	if (object && unlikely(gfp & s->zero_gfp))
		memset(object, 0, s->object_size);
	return object;
}

/*
 * Whether object may be freed into s: a free that is none (not in a slab,
 * not an object start, already free or isolated) is reported and refused,
 * a damaged object reported and isolated. Linux's free_debug_processing().
 * n locked.
 */
static bool free_checks(struct kmem_cache *s, struct kmem_cache_node *n, struct page *page,
			void *object)
{
	if (!valid_object(s, page, object)) {
		slab_bug(s, "Invalid object pointer 0x%lx", (unsigned long)object);
		print_slab_info(page);
		slab_fix(s, "Object at 0x%lx not freed", (unsigned long)object);
		return false;
	}
	if (object_isolated(s, object)) {
		object_err(s, page, object, "Object already isolated");
		slab_fix(s, "Object at 0x%lx not freed", (unsigned long)object);
		return false;
	}
	if (on_freelist(s, n, page, object)) {
		object_err(s, page, object, "Object already free");
		slab_fix(s, "Object at 0x%lx not freed", (unsigned long)object);
		return false;
	}
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) &&
	    check_object(s, page, object, SLUB_RED_ACTIVE) != CHECK_OK) {
		page->isolated++;
		mark_isolated(s, object);
		slab_fix(s, "Object at 0x%lx isolated: never handed out again", (unsigned long)object);
		return false;
	}
	return true;
}

/*
 * The cache object is in (*pagep its slab), s or another one (reported);
 * NULL, reported, outside every slab. Interrupts masked.
 */
static struct kmem_cache *not_ours(struct kmem_cache *s, void *object, struct page **pagep)
{
	struct page *page;

	/* A linear-map address, as kmem_cache_free() requires: its struct page exists. */
	page = compound_head(virt_to_page(object));
	if (!PageSlab(page)) {
		slab_bug(s, "Attempt to free object(0x%lx) outside of slab", (unsigned long)object);
		slab_fix(s, "Object at 0x%lx not freed", (unsigned long)object);
		return NULL;
	}
	*pagep = page;
	if (page->slab_cache == s)
		return s;
	slab_bug(s, "Wrong slab cache. %s but object is from %s", s->name, page->slab_cache->name);
	print_slab_info(page);
	slab_fix(s, "Object at 0x%lx freed into %s", (unsigned long)object, page->slab_cache->name);
	return page->slab_cache;
}

void debug_slab_free(unsigned long flags, struct kmem_cache *s, void *object,
		     unsigned long caller)
{
	struct kmem_cache *owner;
	struct kmem_cache_node *n;
	struct page *page = NULL;
	bool had_free, discard = false;

	if (!object || !(owner = not_ours(s, object, &page)))
		goto out;
	if (owner != s) {
		local_irq_restore(flags);
		kmem_cache_free(owner, object);
		return;
	}
	n = slab_node(s, page);
	spin_lock(&n->list_lock);
	if (!free_checks(s, n, page, object)) {
		spin_unlock(&n->list_lock);
		goto out;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, caller);
	if (s->flags & SLAB_TRACE)
		pr_info("TRACE %s free 0x%lx inuse=%u fp=0x%lx\n", s->name, (unsigned long)object,
			page->inuse, (unsigned long)page->freelist);
	if (unlikely(s->init_on_free) && !object_poisoned(s))
		memset(object, 0, s->object_size);
	init_object(s, object, SLUB_RED_INACTIVE);
	had_free = page->freelist;
	set_freepointer(s, object, page->freelist);
	page->freelist = object;
	page->inuse--;
	refile(n, page, had_free);
	if (!page->inuse && n->nr_partial > s->min_partial) {
		list_del(&page->slab_list);
		n->nr_partial--;
		n->nr_slabs--;
		discard = true;
	}
	spin_unlock(&n->list_lock);
	if (discard)
		free_slab(s, page);
out:
	local_irq_restore(flags);
}

void debug_free_masked(struct kmem_cache *s, void *object, unsigned long caller)
{
	unsigned long flags;

	local_irq_save(flags);
	debug_slab_free(flags, s, object, caller);
}
