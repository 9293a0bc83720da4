/* SPDX-License-Identifier: MIT */
/*
 * A ring of pointers through n slots of a buffer, linked in one random
 * cyclic order: following it is a chain of dependent loads that no
 * prefetcher can predict (mem.latency, mem.tlb). Every slot's place in the
 * cycle is kept, so the end of any chase can be checked in O(1).
 */
#ifndef VB_RING_H
#define VB_RING_H

#include <stddef.h>
#include <stdint.h>

struct vb_ring {
	char *base;
	size_t n;        /* slots */
	size_t stride;   /* bytes between slot i and slot i+1's region */
	int spread;      /* slot i sits at cache line i % (stride / 64) of its region */
	uint32_t *pos;   /* pos[i]: where slot i comes in the cycle */
	void **cur;      /* where the next chase starts */
};

/*
 * Link n slots of base (n * stride bytes) into one random cycle.
 * Returns 0 or -1 (out of memory, or n outside 2..2^32-1).
 */
int vb_ring_build(struct vb_ring *r, char *base, size_t n, size_t stride, int spread,
		  uint64_t seed);
/* The slot index of a pointer into the ring. */
size_t vb_ring_slot(const struct vb_ring *r, void *const *p);
/*
 * Follow the ring for steps loads from r->cur; 0 when it ends where the
 * cycle says it must, -1 otherwise (the ring or the chase is broken).
 */
int vb_ring_chase(struct vb_ring *r, uint64_t steps);
void vb_ring_free(struct vb_ring *r);

#endif
