/*
 * The vmalloc region's free address ranges (mm/vmap_area.c), portable so
 * that the host tests drive it under ASan/UBSan: a red-black tree of free
 * ranges in address order, each node augmented with the largest free
 * range in its subtree, so the lowest range that fits a request is found
 * in O(log n) (Linux's "augmented red-black tree" of free vmap areas).
 * Freed ranges merge with free neighbours: the tree holds no two adjacent
 * ranges. All ranges are page aligned.
 *
 * Nodes are struct vmap_area, the same structure that records a busy area
 * (mk64/vmalloc.h): a busy area's node goes into this tree when the area is
 * freed, and nodes left over by merging wait on a small stash for reuse, so
 * a steady allocate/free cycle allocates no nodes. The caller allocates
 * nodes and locks.
 */
#ifndef MK64_VMAP_AREA_H
#define MK64_VMAP_AREA_H

#include <mk64/rbtree.h>
#include <mk64/types.h>

struct vm_struct;

struct vmap_area {
	unsigned long va_start, va_end;		/* [va_start, va_end) */
	struct rb_node rb_node;
	union {
		unsigned long subtree_max_size;	/* in the free tree */
		struct vm_struct *vm;		/* busy: its area */
		struct vmap_area *stash_next;	/* on the stash */
	};
};

struct vmap_free_tree {
	struct rb_root root;
	struct vmap_area *stash;	/* spare nodes */
	unsigned int nr_stash;
};

/* The whole of [start, end), page aligned, free; node records it. */
void vmap_free_init(struct vmap_free_tree *t, unsigned long start, unsigned long end,
		    struct vmap_area *node);

/*
 * Takes the lowest free range of size bytes whose start is a multiple of
 * align (a power of two, at least PAGE_SIZE; size page aligned, not 0).
 * Returns its start, or 0 when no range fits or when carving it from the
 * middle of a free range needs a node and the stash is empty (*need_node
 * is then set; need_node may be NULL when the stash is known to hold a
 * node). Like Linux, an alignment above PAGE_SIZE searches for a
 * range of size + align - PAGE_SIZE bytes, which is sure to fit, so it can
 * miss a smaller range that happens to be aligned.
 */
unsigned long vmap_free_take(struct vmap_free_tree *t, unsigned long size, unsigned long align,
			     bool *need_node);

/*
 * Gives [node->va_start, node->va_end) back, merging it with free
 * neighbours: node then joins the stash, else the tree. The range must not
 * overlap a free one (returns false, nothing changed, if it does).
 */
bool vmap_free_insert(struct vmap_free_tree *t, struct vmap_area *node);


static inline void vmap_stash_push(struct vmap_free_tree *t, struct vmap_area *node)
{
	node->stash_next = t->stash;
	t->stash = node;
	t->nr_stash++;
}

/* A spare node, or NULL. */
static inline struct vmap_area *vmap_stash_pop(struct vmap_free_tree *t)
{
	struct vmap_area *node = t->stash;

	if (node) {
		t->stash = node->stash_next;
		t->nr_stash--;
	}
	return node;
}

/* The node's own size. */
static inline unsigned long vmap_area_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

#endif
