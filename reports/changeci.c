/* SPDX-License-Identifier: MIT */
/* Bootstrap interval of the change of the median; see changeci.h. */
#include "changeci.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../common/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t samples_in(const struct rp_round *r, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += r[i].n;
	return total;
}

/* The median of n rounds drawn with replacement from r, their samples pooled in buf. */
static double resampled_median(const struct rp_round *r, size_t n, double *buf, uint64_t *st)
{
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		const struct rp_round *pick = &r[vb_rand_below(st, n)];

		for (size_t k = 0; k < pick->n; k++)
			buf[used++] = pick->x[k];
	}
	return vb_median(buf, used);
}

/* The most samples n rounds drawn from r can pool: n times its largest round. */
static size_t most_pooled(const struct rp_round *r, size_t n)
{
	size_t big = 0;

	for (size_t i = 0; i < n; i++)
		if (r[i].n > big)
			big = r[i].n;
	return n * big;
}

int rp_change_ci(const struct rp_round *a, size_t na, const struct rp_round *b, size_t nb,
		 double *lo, double *hi)
{
	size_t cap_a = most_pooled(a, na), cap_b = most_pooled(b, nb), k = 0;
	double *buf, *chg;
	uint64_t st = 0x5eed;
	int rc = -1;

	if (!samples_in(a, na) || !samples_in(b, nb))
		return -1;
	buf = malloc((cap_a > cap_b ? cap_a : cap_b) * sizeof(*buf));
	chg = malloc(RP_CHANGE_CI_REPS * sizeof(*chg));
	if (buf && chg) {
		for (unsigned r = 0; r < RP_CHANGE_CI_REPS; r++) {
			double ma = resampled_median(a, na, buf, &st);
			double mb = resampled_median(b, nb, buf, &st);

			if (ma != 0 && isfinite(ma) && isfinite(mb))
				chg[k++] = mb / ma - 1;
		}
		if (k) {
			qsort(chg, k, sizeof(*chg), cmp_double);
			*lo = chg[(size_t)floor(0.025 * (k - 1))];
			*hi = chg[(size_t)ceil(0.975 * (k - 1))];
			rc = 0;
		}
	}
	free(buf);
	free(chg);
	return rc;
}
