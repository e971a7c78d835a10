/* Helpers shared by the in-kernel memory-management suites (mm_helpers.c). */
#ifndef TESTS_KERNEL_MM_HELPERS_H
#define TESTS_KERNEL_MM_HELPERS_H

#include <mk64/ktest.h>
#include <mk64/list.h>
#include <mk64/mmzone.h>

/* Skips the case when mm_core_init() has not set up any node. */
void need_nodes(struct ktest *t);

/* This CPU's node's first zone a GFP_KERNEL request may use (HighMem comes before it). */
struct zone *first_kernel_zone(void);

/*
 * Takes blocks from zone with the zone-level core (no watermark) until
 * exactly target pages are free, onto taken (order + 1 in private). The
 * per-CPU lists are emptied first, so that no free page hides there for a
 * failing allocation's drain to bring back. Returns false when it cannot
 * get there.
 */
bool drain_zone(struct zone *zone, unsigned long target, struct list_head *taken);

/*
 * drain_zone() for every populated zone of node nid a GFP_KERNEL request
 * may use, down to min + its reserve for such a request: the node's own
 * zones then give it nothing. Returns false when one cannot get there.
 */
bool drain_node_for_kernel(int nid, struct list_head *taken);

/* Frees every block drain_zone() put on taken. */
void release_all(struct list_head *taken);

/* Occurrences of s after the last occurrence of mark in the log's tail. */
int log_count_after(const char *mark, const char *s);

#endif
