/* SPDX-License-Identifier: MIT */
/* Round-level permutation test; see roundperm.h. */
#include "roundperm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../harness/stats.h"

#define EXACT_LIMIT 200000.0 /* enumerate every split up to this many */
#define RANDOM_SPLITS 9999
#define SEED 0x5eed2026u

struct item {
	double v;
	size_t round;
};

static int by_value(const void *x, const void *y)
{
	double a = ((const struct item *)x)->v, b = ((const struct item *)y)->v;

	return (a > b) - (a < b);
}

/* |mean rank of the rounds in mask - mean rank of the others|. */
static double stat(const double *rsum, const double *rcnt, size_t r, uint64_t mask,
		   double total_sum, double total_cnt)
{
	double s = 0, c = 0;

	for (size_t i = 0; i < r; i++)
		if (mask >> i & 1) {
			s += rsum[i];
			c += rcnt[i];
		}
	if (c == 0 || c == total_cnt)
		return 0;
	return fabs(s / c - (total_sum - s) / (total_cnt - c));
}

static double choose(size_t n, size_t k)
{
	double c = 1;

	for (size_t i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return c;
}

int rp_round_perm(const struct rp_round *a, size_t ra, const struct rp_round *b, size_t rb,
		  struct rp_perm *out)
{
	size_t r = ra + rb, n = 0, i, j, k;
	double rsum[62] = {0}, rcnt[62] = {0}, tsum = 0, obs, splits;
	struct item *all;
	uint64_t obs_mask = 0;
	long hits = 0, total = 0;

	if (!ra || !rb || r > 62)
		return -1;
	for (i = 0; i < r; i++)
		n += i < ra ? a[i].n : b[i - ra].n;
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all)
		return -1;
	for (i = 0, k = 0; i < r; i++) {
		const struct rp_round *g = i < ra ? &a[i] : &b[i - ra];

		for (j = 0; j < g->n; j++)
			all[k++] = (struct item){g->x[j], i};
	}
	/* Mid-ranks over everything, once: permuting rounds does not change them. */
	qsort(all, n, sizeof(*all), by_value);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		for (k = i; k < j; k++) {
			rsum[all[k].round] += (double)(i + 1 + j) / 2.0;
			rcnt[all[k].round] += 1;
		}
	}
	free(all);
	for (i = 0; i < r; i++)
		tsum += rsum[i];
	obs_mask = (1ull << ra) - 1;
	obs = stat(rsum, rcnt, r, obs_mask, tsum, (double)n) - 1e-9 * (double)n;
	splits = choose(r, ra);
	out->exact = splits <= EXACT_LIMIT;
	if (out->exact) {
		/* Every ra-subset of r rounds, by Gosper's hack. */
		uint64_t m = obs_mask, limit = 1ull << r;

		while (m < limit) {
			uint64_t c = m & -m, nx = m + c;

			hits += stat(rsum, rcnt, r, m, tsum, (double)n) >= obs;
			total++;
			m = (((nx ^ m) >> 2) / c) | nx;
		}
		out->p = (double)hits / (double)total;
		out->min_p = (ra == rb ? 2.0 : 1.0) / splits;
	} else {
		uint64_t s = SEED;

		for (long t = 0; t < RANDOM_SPLITS; t++) {
			uint64_t m = 0;
			size_t picked = 0;

			/* A uniform ra-subset: selection sampling (Knuth's algorithm S). */
			for (i = 0; i < r && picked < ra; i++)
				if (vb_rand_below(&s, r - i) < ra - picked) {
					m |= 1ull << i;
					picked++;
				}
			hits += stat(rsum, rcnt, r, m, tsum, (double)n) >= obs;
		}
		out->p = (double)(hits + 1) / (RANDOM_SPLITS + 1);
		out->min_p = 1.0 / (RANDOM_SPLITS + 1);
	}
	return 0;
}
