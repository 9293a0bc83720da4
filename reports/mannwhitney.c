/* SPDX-License-Identifier: MIT */
/* Mann-Whitney U with tie correction; see mannwhitney.h. */
#include "mannwhitney.h"

#include <math.h>
#include <stdlib.h>

struct ranked {
	double v;
	int from_a;
};

static int by_value(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->v, b = ((const struct ranked *)y)->v;

	return (a > b) - (a < b);
}

int rp_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		    struct rp_mwu *out)
{
	size_t n = na + nb, i, j;
	struct ranked *all;
	double rank_sum_a = 0, ties = 0, mu, var, dn = (double)n;

	if (!na || !nb)
		return -1;
	all = malloc(n * sizeof(*all));
	if (!all)
		return -1;
	for (i = 0; i < na; i++)
		all[i] = (struct ranked){a[i], 1};
	for (i = 0; i < nb; i++)
		all[na + i] = (struct ranked){b[i], 0};
	qsort(all, n, sizeof(*all), by_value);
	/* Equal values share the mean of their ranks (1-based). */
	for (i = 0; i < n; i = j) {
		double t, mean_rank;

		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		t = (double)(j - i);
		mean_rank = (double)(i + 1 + j) / 2.0;
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (all[k].from_a)
				rank_sum_a += mean_rank;
	}
	free(all);
	out->u = rank_sum_a - (double)na * (double)(na + 1) / 2.0;
	mu = (double)na * (double)nb / 2.0;
	var = (double)na * (double)nb / 12.0 * ((dn + 1) - ties / (dn * (dn - 1)));
	if (var <= 0) { /* every value equal: no evidence of any difference */
		out->z = 0;
		out->p = 1;
		return 0;
	}
	/* Continuity correction: move |U - mu| half a step towards 0. */
	out->z = (out->u - mu) / sqrt(var);
	{
		double d = fabs(out->u - mu) - 0.5;

		out->p = d <= 0 ? 1 : erfc(d / sqrt(var) / M_SQRT2);
	}
	return 0;
}
