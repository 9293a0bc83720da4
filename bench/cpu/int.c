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

enum { P_N };

#define MAX_N (1 << 22)

struct int_state {
	size_t n;
	uint32_t *a, *tmp;
	uint32_t *hkey, *hcount;  /* open addressing, 2^hbits slots */
	unsigned hbits;
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

/* Count v in the table; returns the slot's new count. */
static uint32_t hash_count(struct int_state *s, uint32_t v)
{
	uint32_t mask = (1u << s->hbits) - 1, h = (v * 2654435761u) >> (32 - s->hbits);

	while (s->hcount[h] && s->hkey[h] != v)
		h = (h + 1) & mask;
	s->hkey[h] = v;
	return ++s->hcount[h];
}

static int int_setup(struct vb_inst *in, char *why, size_t whylen)
{
	long long n = in->param[P_N];
	struct int_state *s;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	in->priv = s;
	s->n = (size_t)n;
	/* values come from [0, 2n): a table of >= 4n slots never fills */
	for (s->hbits = 4; (1ull << s->hbits) < 4ull * s->n; s->hbits++)
		;
	s->a = malloc(s->n * sizeof(*s->a));
	s->tmp = malloc(s->n * sizeof(*s->tmp));
	s->hkey = malloc(sizeof(*s->hkey) << s->hbits);
	s->hcount = malloc(sizeof(*s->hcount) << s->hbits);
	s->seed = 2463534242u;
	if (!s->a || !s->tmp || !s->hkey || !s->hcount) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

static int int_run(struct vb_inst *in, uint64_t iters, char *why, size_t whylen)
{
	struct int_state *s = in->priv;
	size_t n = s->n;

	for (uint64_t it = 0; it < iters; it++) {
		uint64_t sum_in = 0, sum_out = 0, counted = 0;

		memset(s->hcount, 0, sizeof(*s->hcount) << s->hbits);
		for (size_t i = 0; i < n; i++) {
			/* values from a small range so the table sees repeats */
			s->a[i] = xorshift(&s->seed) % (uint32_t)(n * 2);
			sum_in += s->a[i];
		}
		merge_sort(s->a, s->tmp, n);
		for (size_t i = 0; i < n; i++) {
			if (i && s->a[i - 1] > s->a[i]) {
				snprintf(why, whylen, "array not sorted at %zu", i);
				return -1;
			}
			sum_out += s->a[i];
			if (hash_count(s, s->a[i]) == 1)
				counted++;
		}
		if (sum_in != sum_out || counted == 0 || counted > n) {
			snprintf(why, whylen, "checksum mismatch (%llu != %llu)",
				 (unsigned long long)sum_in, (unsigned long long)sum_out);
			return -1;
		}
	}
	return 0;
}

static void int_teardown(struct vb_inst *in)
{
	struct int_state *s = in->priv;

	if (s) {
		free(s->a);
		free(s->tmp);
		free(s->hkey);
		free(s->hcount);
		free(s);
	}
	in->priv = NULL;
}

const struct vb_workload vb_wl_cpu_int = {
	.name = "cpu.int",
	.desc = "merge sort of n integers and a hash count of their values",
	.version = 1,
	.metric = VB_US_PER_OP,
	.dir = VB_LOWER_IS_BETTER,
	.min_iters = 1,
	.params = {
		{ "n", 4096, 16, MAX_N, "integers", "integers sorted and counted per operation" },
	},
	.setup = int_setup,
	.run = int_run,
	.teardown = int_teardown,
};
