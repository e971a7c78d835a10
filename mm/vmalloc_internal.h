/*
 * What mm/vmalloc.c shares with its reports (mm/vmalloc_report.c): the
 * area lock, the busy tree and list, and the short history of freed areas.
 */
#ifndef MM_VMALLOC_INTERNAL_H
#define MM_VMALLOC_INTERNAL_H

#include <mk64/rbtree.h>
#include <mk64/spinlock.h>
#include <mk64/vmalloc.h>
#include <mk64/vmap_area.h>

/* Protects everything below and the free-range tree. */
extern spinlock_t vmap_area_lock;
/* Busy areas, by address: vmap_area.vm points at each one's vm_struct. */
extern struct rb_root vmap_busy_root;
/* Their vm_structs, in address order. */
extern struct list_head vmap_area_list;
extern unsigned long vmap_nr_areas, vmap_seq;

/*
 * The busy area whose range (guard page included) holds addr. The fault
 * describer calls it without the lock, bounded: a tree changing under it
 * can make it find nothing or a node just freed (whose vm it checks).
 */
struct vmap_area *vmap_busy_lookup(unsigned long addr);

/* A freed area, remembered so that a use after vfree() can be named. */
struct vmap_freed {
	unsigned long start, size;	/* usable bytes, no guard */
	unsigned long flags;
	const void *caller;
};

#define VMAP_FREED_HISTORY 16
/* A ring, newest at vmap_freed_next - 1; written under vmap_area_lock. */
extern struct vmap_freed vmap_freed_history[VMAP_FREED_HISTORY];
extern unsigned int vmap_freed_next;

/* Registers the region's fault describer (vmalloc_init()). */
void vmalloc_fault_init(void);
/* Runs the frees vfree_atomic() deferred. */
void vfree_deferred(void);
/* Frees the spare nodes (vmalloc_usage()). */
void vmap_stash_drain(void);

#endif
