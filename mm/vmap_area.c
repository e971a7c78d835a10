/*
 * Free address ranges of the vmalloc region: an address-ordered red-black
 * tree augmented with each subtree's largest range (mk64/vmap_area.h).
 *
 * The lowest fitting range: from the root, go left while the left subtree
 * holds a range of at least the search length (anything lower that fits
 * is there), else take this node if it fits, else go right. A subtree is
 * entered only when it holds a range of the search length, and such a
 * range fits whatever its alignment, so the descent never backtracks.
 */
#include <asm/memory.h>
#include <mk64/compiler.h>
#include <mk64/vmap_area.h>

static struct vmap_area *va_of(const struct rb_node *node)
{
	return rb_entry(node, struct vmap_area, rb_node);
}

static unsigned long subtree_max(const struct rb_node *node)
{
	return node ? va_of(node)->subtree_max_size : 0;
}

static bool recompute_max(struct rb_node *node)
{
	struct vmap_area *va = va_of(node);
	unsigned long m = max(vmap_area_size(va),
			      max(subtree_max(node->rb_left), subtree_max(node->rb_right)));

	if (va->subtree_max_size == m)
		return false;
	va->subtree_max_size = m;
	return true;
}

/* After a node's own range shrank in place: its subtree maxima up the tree. */
static __always_inline void propagate(struct vmap_area *va)
{
	struct rb_node *node = &va->rb_node;

	while (node && recompute_max(node))
		node = node->rb_parent;
}

/*
 * After a node's own range grew in place: a maximum can only rise to its
 * size, and stops rising at the first one already as large.
 */
static __always_inline void propagate_grow(struct vmap_area *va)
{
	unsigned long size = vmap_area_size(va);
	struct rb_node *node = &va->rb_node;

	while (node && va_of(node)->subtree_max_size < size) {
		va_of(node)->subtree_max_size = size;
		node = node->rb_parent;
	}
}

void vmap_free_init(struct vmap_free_tree *t, unsigned long start, unsigned long end,
		    struct vmap_area *node)
{
	t->root = RB_ROOT;
	t->stash = NULL;
	t->nr_stash = 0;
	node->va_start = start;
	node->va_end = end;
	rb_link_node(&node->rb_node, NULL, &t->root.rb_node);
	rb_insert_augmented(&node->rb_node, &t->root, recompute_max);
}

/* Where an aligned range of size bytes starts in va, or 0 if it does not fit. */
static unsigned long fit_in(const struct vmap_area *va, unsigned long size, unsigned long align)
{
	unsigned long start = ALIGN_UP(va->va_start, align);

	if (start < va->va_start || start >= va->va_end || va->va_end - start < size)
		return 0;
	return start;
}

static struct vmap_area *find_lowest(const struct vmap_free_tree *t, unsigned long size,
				     unsigned long align, unsigned long length,
				     unsigned long *addr)
{
	struct rb_node *node = t->root.rb_node;

	if (subtree_max(node) < length)
		return NULL;
	while (node) {
		if (subtree_max(node->rb_left) >= length) {
			node = node->rb_left;
			continue;
		}
		*addr = fit_in(va_of(node), size, align);
		if (*addr)
			return va_of(node);
		node = node->rb_right;
	}
	return NULL;	/* unreachable while the values are right */
}

/* find_lowest() for page alignment, where any range of size bytes fits at its start. */
static __always_inline struct vmap_area *find_lowest_page(const struct vmap_free_tree *t,
							  unsigned long size)
{
	struct rb_node *node = t->root.rb_node;

	if (subtree_max(node) < size)
		return NULL;
	while (node) {
		if (subtree_max(node->rb_left) >= size) {
			node = node->rb_left;
			continue;
		}
		if (vmap_area_size(va_of(node)) >= size)
			return va_of(node);
		node = node->rb_right;
	}
	return NULL;	/* unreachable while the values are right */
}

/* Links node, whose range overlaps none, where its start says. */
static void insert_node(struct vmap_free_tree *t, struct vmap_area *node)
{
	struct rb_node **link = &t->root.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = node->va_start < va_of(parent)->va_start ? &parent->rb_left
								 : &parent->rb_right;
	}
	rb_link_node(&node->rb_node, parent, link);
	rb_insert_augmented(&node->rb_node, &t->root, recompute_max);
}

/*
 * vmap_free_take() past the common case of a range carved from the start
 * of a larger one: the whole range taken, or its end, or its middle.
 */
static __noinline unsigned long take_rest(struct vmap_free_tree *t, struct vmap_area *va,
					  unsigned long addr, unsigned long size,
					  bool *need_node)
{
	struct vmap_area *rest;

	if (addr == va->va_start) {
		rb_erase_augmented(&va->rb_node, &t->root, recompute_max);
		vmap_stash_push(t, va);
	} else if (addr + size == va->va_end) {
		va->va_end = addr;
		propagate(va);
	} else {
		rest = vmap_stash_pop(t);
		if (!rest) {
			if (need_node)
				*need_node = true;
			return 0;
		}
		rest->va_start = addr + size;
		rest->va_end = va->va_end;
		va->va_end = addr;
		propagate(va);
		insert_node(t, rest);
	}
	return addr;
}

unsigned long vmap_free_take(struct vmap_free_tree *t, unsigned long size, unsigned long align,
			     bool *need_node)
{
	unsigned long addr = 0, length = size;
	struct vmap_area *va;

	if (need_node)
		*need_node = false;
	if (align <= PAGE_SIZE) {
		va = find_lowest_page(t, size);
		if (!va)
			return 0;
		addr = va->va_start;
	} else {
		if (align - PAGE_SIZE > ~0UL - size)
			return 0;
		length += align - PAGE_SIZE;
		va = find_lowest(t, size, align, length, &addr);
		if (!va)
			return 0;
	}
	/* From the start of a larger range: no node leaves or joins the tree. */
	if (addr != va->va_start || size == vmap_area_size(va))
		return take_rest(t, va, addr, size, need_node);
	va->va_start += size;
	propagate(va);
	return addr;
}

/* vmap_free_insert() joining both neighbours, or neither. */
static __noinline void insert_rest(struct vmap_free_tree *t, struct vmap_area *node,
				   struct vmap_area *prev, struct vmap_area *next, bool join)
{
	if (join) {
		unsigned long start = prev->va_start;

		rb_erase_augmented(&prev->rb_node, &t->root, recompute_max);
		vmap_stash_push(t, prev);
		next->va_start = start;
		propagate_grow(next);
		vmap_stash_push(t, node);
	} else {
		node->subtree_max_size = 0;
		insert_node(t, node);
	}
}

bool vmap_free_insert(struct vmap_free_tree *t, struct vmap_area *node)
{
	struct rb_node *n = t->root.rb_node;
	struct vmap_area *prev = NULL, *next = NULL, *va;
	bool join_prev, join_next;

	/* The free neighbours: the last ranges the descent passed on each side. */
	while (n) {
		va = va_of(n);
		if (node->va_end <= va->va_start) {
			next = va;
			n = n->rb_left;
		} else if (node->va_start >= va->va_end) {
			prev = va;
			n = n->rb_right;
		} else {
			return false;
		}
	}
	join_prev = prev && prev->va_end == node->va_start;
	join_next = next && next->va_start == node->va_end;
	if (join_prev == join_next) {
		insert_rest(t, node, prev, next, join_prev);
		return true;
	}
	if (join_prev) {
		prev->va_end = node->va_end;
		propagate_grow(prev);
	} else {
		next->va_start = node->va_start;
		propagate_grow(next);
	}
	vmap_stash_push(t, node);
	return true;
}
