/* SPDX-License-Identifier: MIT */
/* Round-level permutation test; see roundperm.h. */
#include "roundperm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../common/stats.h"

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

/* |mean rank of the rounds in A (in[i] set) - mean rank of the others|. */
static double stat(const double *rsum, const double *rcnt, size_t r, const unsigned char *in,
		   double total_sum, double total_cnt)
{
	double s = 0, c = 0;

	for (size_t i = 0; i < r; i++)
		if (in[i]) {
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

/* Every ra-subset of r rounds (r <= 62), by Gosper's hack: hits and total. */
static void exact(const double *rsum, const double *rcnt, size_t r, size_t ra, double tsum,
		  double n, double obs, unsigned char *in, long *hits, long *total)
{
	uint64_t m = (1ull << ra) - 1, limit = 1ull << r;

	while (m < limit) {
		uint64_t c = m & -m, nx = m + c;

		for (size_t i = 0; i < r; i++)
			in[i] = m >> i & 1;
		*hits += stat(rsum, rcnt, r, in, tsum, n) >= obs;
		++*total;
		m = (((nx ^ m) >> 2) / c) | nx;
	}
}

int rp_round_perm(const struct rp_round *a, size_t ra, const struct rp_round *b, size_t rb,
		  struct rp_perm *out)
{
	size_t r = ra + rb, n = 0, i, j, k;
	double *rsum = calloc(r + 1, sizeof(double)), *rcnt = calloc(r + 1, sizeof(double));
	unsigned char *in = calloc(r + 1, 1);
	double tsum = 0, obs, splits;
	struct item *all = NULL;
	long hits = 0, total = 0;
	int rc = -1;

	if (!ra || !rb || !rsum || !rcnt || !in)
		goto out;
	for (i = 0; i < r; i++)
		n += i < ra ? a[i].n : b[i - ra].n;
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all)
		goto out;
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
	for (i = 0; i < r; i++) {
		tsum += rsum[i];
		in[i] = i < ra;
	}
	obs = stat(rsum, rcnt, r, in, tsum, (double)n) - 1e-9 * (double)n;
	splits = choose(r, ra);
	out->exact = r <= 62 && splits <= EXACT_LIMIT;
	if (out->exact) {
		exact(rsum, rcnt, r, ra, tsum, (double)n, obs, in, &hits, &total);
		out->p = (double)hits / (double)total;
		out->min_p = (ra == rb ? 2.0 : 1.0) / splits;
	} else {
		uint64_t s = SEED;

		for (long t = 0; t < RANDOM_SPLITS; t++) {
			size_t picked = 0;

			/* A uniform ra-subset: selection sampling (Knuth's algorithm S). */
			for (i = 0; i < r; i++) {
				in[i] = picked < ra && vb_rand_below(&s, r - i) < ra - picked;
				picked += in[i];
			}
			hits += stat(rsum, rcnt, r, in, tsum, (double)n) >= obs;
		}
		out->p = (double)(hits + 1) / (RANDOM_SPLITS + 1);
		out->min_p = 1.0 / (RANDOM_SPLITS + 1);
	}
	rc = 0;
out:
	free(all);
	free(rsum);
	free(rcnt);
	free(in);
	return rc;
}
