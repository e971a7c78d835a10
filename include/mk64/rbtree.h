/*
 * Red-black trees (lib/rbtree.c), with Linux's names: the caller embeds a
 * struct rb_node, descends the tree itself to find where a new node goes
 * (rb_link_node()), then rb_insert_color() rebalances. The augmented
 * variants keep a value per node that summarises its subtree (e.g. the
 * largest free range below it): the caller's recompute callback derives a
 * node's value from its own data and its children's values, and the tree
 * calls it on every node whose subtree changes (going up only while values
 * change: the value must depend on nothing else), so lookups can prune.
 *
 * Not thread-safe: the caller locks.
 */
#ifndef MK64_RBTREE_H
#define MK64_RBTREE_H

#include <mk64/compiler.h>
#include <mk64/types.h>

struct rb_node {
	struct rb_node *rb_parent;
	struct rb_node *rb_left, *rb_right;
	bool rb_red;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

/*
 * Recomputes node's augmented value from its own data and its children's
 * values; returns true when the value changed.
 */
typedef bool (*rb_augment_fn)(struct rb_node *node);

/* Puts node, not yet in the tree, at *link below parent (NULL: the root). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = NULL;
	node->rb_red = true;
	*link = node;
}

/* Rebalances after rb_link_node(). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Takes node out of the tree. */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* As rb_insert_color(), computing node's value and its ancestors'. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn recompute);
/* As rb_erase(), keeping every remaining node's value right. */
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn recompute);

/* In-order walking; NULL at the ends. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif
