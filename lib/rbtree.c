/*
 * Red-black trees: every node red or black, the root black, no red node
 * with a red child, and the same number of black nodes on every path from
 * a node down to a missing child. So the longest path is at most twice the
 * shortest and every operation is O(log n). Insertion and erasure follow
 * the textbook fix-ups (recolouring up the tree, at most two or three
 * rotations). Augmentation: a rotation changes the subtrees of exactly the
 * two nodes it turns, so recomputing the lower one, then the upper one,
 * keeps every value right, and leaves the value of the subtree's top as
 * it was; structural changes recompute the path up (stopping where a value
 * stays the same) before the fix-up runs.
 */
#include <mk64/rbtree.h>

static bool is_red(const struct rb_node *node)
{
	return node && node->rb_red;
}

/* Makes parent (or the root, when parent is NULL) point at new instead of old. */
static void replace_child(struct rb_root *root, struct rb_node *parent, struct rb_node *old,
			  struct rb_node *new)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* x goes down to the left, its right child y takes its place. */
static void rotate_left(struct rb_root *root, struct rb_node *x, rb_augment_fn recompute)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	y->rb_parent = x->rb_parent;
	replace_child(root, x->rb_parent, x, y);
	y->rb_left = x;
	x->rb_parent = y;
	if (recompute) {
		recompute(x);
		recompute(y);
	}
}

/* x goes down to the right, its left child y takes its place. */
static void rotate_right(struct rb_root *root, struct rb_node *x, rb_augment_fn recompute)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	y->rb_parent = x->rb_parent;
	replace_child(root, x->rb_parent, x, y);
	y->rb_right = x;
	x->rb_parent = y;
	if (recompute) {
		recompute(x);
		recompute(y);
	}
}

/*
 * The fix-ups and erase() are inlined into each exported function, so the
 * plain ones (recompute NULL) carry no augmentation tests.
 */
static __always_inline void insert_fixup(struct rb_node *node, struct rb_root *root,
					 rb_augment_fn recompute)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = node->rb_parent) && parent->rb_red) {
		gparent = parent->rb_parent;	/* a red node is never the root */
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (is_red(uncle)) {
				parent->rb_red = uncle->rb_red = false;
				gparent->rb_red = true;
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				rotate_left(root, parent, recompute);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_red = false;
			gparent->rb_red = true;
			rotate_right(root, gparent, recompute);
		} else {
			uncle = gparent->rb_left;
			if (is_red(uncle)) {
				parent->rb_red = uncle->rb_red = false;
				gparent->rb_red = true;
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rotate_right(root, parent, recompute);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_red = false;
			gparent->rb_red = true;
			rotate_left(root, gparent, recompute);
		}
	}
	root->rb_node->rb_red = false;
}

/*
 * A black node was removed above node (which may be NULL), whose parent is
 * parent: that path is one black short until recolouring or rotations
 * restore it. A short path's sibling subtree holds at least one black
 * node, so the sibling exists.
 */
static __always_inline void erase_fixup(struct rb_node *node, struct rb_node *parent,
					struct rb_root *root, rb_augment_fn recompute)
{
	struct rb_node *sibling;

	while (node != root->rb_node && !is_red(node)) {
		if (node == parent->rb_left) {
			sibling = parent->rb_right;
			if (sibling->rb_red) {
				sibling->rb_red = false;
				parent->rb_red = true;
				rotate_left(root, parent, recompute);
				sibling = parent->rb_right;
			}
			if (!is_red(sibling->rb_left) && !is_red(sibling->rb_right)) {
				sibling->rb_red = true;
				node = parent;
				parent = node->rb_parent;
				continue;
			}
			if (!is_red(sibling->rb_right)) {
				sibling->rb_left->rb_red = false;
				sibling->rb_red = true;
				rotate_right(root, sibling, recompute);
				sibling = parent->rb_right;
			}
			sibling->rb_red = parent->rb_red;
			parent->rb_red = false;
			sibling->rb_right->rb_red = false;
			rotate_left(root, parent, recompute);
		} else {
			sibling = parent->rb_left;
			if (sibling->rb_red) {
				sibling->rb_red = false;
				parent->rb_red = true;
				rotate_right(root, parent, recompute);
				sibling = parent->rb_left;
			}
			if (!is_red(sibling->rb_left) && !is_red(sibling->rb_right)) {
				sibling->rb_red = true;
				node = parent;
				parent = node->rb_parent;
				continue;
			}
			if (!is_red(sibling->rb_left)) {
				sibling->rb_right->rb_red = false;
				sibling->rb_red = true;
				rotate_left(root, sibling, recompute);
				sibling = parent->rb_left;
			}
			sibling->rb_red = parent->rb_red;
			parent->rb_red = false;
			sibling->rb_left->rb_red = false;
			rotate_right(root, parent, recompute);
		}
		node = root->rb_node;
		break;
	}
	if (node)
		node->rb_red = false;
}

/* Recomputes node and its ancestors until one's value stays the same. */
static void augment_propagate(struct rb_node *node, rb_augment_fn recompute)
{
	while (node && recompute(node))
		node = node->rb_parent;
}

static __always_inline void erase(struct rb_node *node, struct rb_root *root,
				  rb_augment_fn recompute)
{
	struct rb_node *child, *parent, *succ = NULL;
	bool removed_red;

	if (!node->rb_left || !node->rb_right) {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = node->rb_parent;
		removed_red = node->rb_red;
		if (child)
			child->rb_parent = parent;
		replace_child(root, parent, node, child);
	} else {
		/* The successor, which has no left child, takes node's place. */
		succ = node->rb_right;

		while (succ->rb_left)
			succ = succ->rb_left;
		removed_red = succ->rb_red;
		child = succ->rb_right;
		if (succ->rb_parent == node) {
			parent = succ;
		} else {
			parent = succ->rb_parent;
			parent->rb_left = child;
			if (child)
				child->rb_parent = parent;
			succ->rb_right = node->rb_right;
			node->rb_right->rb_parent = succ;
		}
		succ->rb_left = node->rb_left;
		node->rb_left->rb_parent = succ;
		succ->rb_parent = node->rb_parent;
		succ->rb_red = node->rb_red;
		replace_child(root, node->rb_parent, node, succ);
	}
	if (recompute) {
		struct rb_node *n = parent;

		/*
		 * parent is the lowest node whose subtree changed. Up to the
		 * successor, which took the place (and kept the stale value)
		 * of a node with other data, every value is recomputed; above,
		 * a node whose value stays the same leaves its ancestors' right.
		 */
		if (succ) {
			for (; n != succ; n = n->rb_parent)
				recompute(n);
			recompute(n);
			n = n->rb_parent;
		}
		augment_propagate(n, recompute);
	}
	if (!removed_red)
		erase_fixup(child, parent, root, recompute);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	insert_fixup(node, root, NULL);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	erase(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn recompute)
{
	recompute(node);
	augment_propagate(node->rb_parent, recompute);
	insert_fixup(node, root, recompute);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn recompute)
{
	erase(node, root, recompute);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = node->rb_parent) && node == parent->rb_right)
		node = parent;
	return (struct rb_node *)parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = node->rb_parent) && node == parent->rb_left)
		node = parent;
	return (struct rb_node *)parent;
}
