/* SPDX-License-Identifier: MIT */
#include "ring.h"

#include <stdlib.h>

static void **slot_addr(const struct vb_ring *r, size_t i)
{
	size_t off = r->spread ? (i % (r->stride / 64)) * 64 : 0;

	return (void **)(r->base + i * r->stride + off);
}

size_t vb_ring_slot(const struct vb_ring *r, void *const *p)
{
	return (size_t)((const char *)p - r->base) / r->stride;
}

static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int vb_ring_build(struct vb_ring *r, char *base, size_t n, size_t stride, int spread,
		  uint64_t seed)
{
	uint32_t *order;

	r->base = base;
	r->n = n;
	r->stride = stride;
	r->spread = spread && stride >= 128;
	r->pos = NULL;
	if (n < 2 || n > UINT32_MAX || stride < sizeof(void *))
		return -1;
	order = malloc(n * sizeof(*order));
	r->pos = malloc(n * sizeof(*r->pos));
	if (!order || !r->pos) {
		free(order);
		vb_ring_free(r);
		return -1;
	}
	/* A random order of all slots (Fisher-Yates), linked end to start: one cycle. */
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	seed |= 1;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = xorshift64(&seed) % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t k = 0; k < n; k++) {
		*slot_addr(r, order[k]) = slot_addr(r, order[(k + 1) % n]);
		r->pos[order[k]] = (uint32_t)k;
	}
	r->cur = slot_addr(r, order[0]);
	free(order);
	return 0;
}

int vb_ring_chase(struct vb_ring *r, uint64_t steps)
{
	void **p = r->cur;
	uint64_t want = (r->pos[vb_ring_slot(r, p)] + steps % r->n) % r->n;
	size_t end;

	for (uint64_t k = 0; k < steps; k++)
		p = *p;
	end = vb_ring_slot(r, p);
	r->cur = p;
	if ((char *)p < r->base || end >= r->n || (void **)p != slot_addr(r, end) ||
	    r->pos[end] != want)
		return -1;
	return 0;
}

void vb_ring_free(struct vb_ring *r)
{
	free(r->pos);
	r->pos = NULL;
}
