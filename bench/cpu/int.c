/* SPDX-License-Identifier: MIT */
/*
 * cpu.int: integer work with data-dependent branches and memory traffic:
 * sort a pseudo-random array and count its values in a hash table. A tight
 * register loop would run at native speed even under binary translation;
 * this mix of loads, stores and unpredictable branches does not.
 */
#include "../bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4096          /* elements sorted per operation */
#define HBITS 13        /* hash table of 8192 slots */

struct int_state {
	uint32_t a[N], tmp[N];
	uint32_t hkey[1u << HBITS], hcount[1u << HBITS];
	uint32_t seed;
};

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof(*a));
	}
}

/* Count v in an open-addressing table; returns the slot's new count. */
static uint32_t hash_count(struct int_state *s, uint32_t v)
{
	uint32_t mask = (1u << HBITS) - 1, h = (v * 2654435761u) >> (32 - HBITS);

	while (s->hcount[h] && s->hkey[h] != v)
		h = (h + 1) & mask;
	s->hkey[h] = v;
	return ++s->hcount[h];
}

static int int_setup(struct vb_inst *in, char *why, size_t whylen)
{
	struct int_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	s->seed = 2463534242u;
	in->priv = s;
	return 0;
}

static int int_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct int_state *s = in->priv;

	for (uint64_t it = 0; it < iters; it++) {
		uint64_t sum_in = 0, sum_out = 0, counted = 0;

		memset(s->hcount, 0, sizeof(s->hcount));
		for (size_t i = 0; i < N; i++) {
			/* values from a small range so the table sees repeats */
			s->a[i] = xorshift(&s->seed) % (N * 2);
			sum_in += s->a[i];
		}
		merge_sort(s->a, s->tmp, N);
		for (size_t i = 0; i < N; i++) {
			if (i && s->a[i - 1] > s->a[i]) {
				snprintf(why, whylen, "array not sorted at %zu", i);
				return -1;
			}
			sum_out += s->a[i];
			if (hash_count(s, s->a[i]) == 1)
				counted++;
		}
		if (sum_in != sum_out || counted == 0 || counted > N) {
			snprintf(why, whylen, "checksum mismatch (%llu != %llu)",
				 (unsigned long long)sum_in, (unsigned long long)sum_out);
			return -1;
		}
	}
	return 0;
}

static void int_teardown(struct vb_inst *in)
{
	free(in->priv);
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_int = {
	.name = "cpu.int",
	.desc = "merge sort of 4096 integers and a hash count of their values",
	.metric = VB_US_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1,
	.setup = int_setup,
	.run = int_run,
	.teardown = int_teardown,
};
