/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void swap(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/*
 * The k-th smallest of x[0..n) by selection (expected linear time: a
 * bootstrap takes thousands of medians), leaving everything before it no
 * larger. Three-way partitions, so runs of equal values end at once.
 */
static double select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		double pivot = x[lo + (hi - lo) / 2];
		size_t lt = lo, i = lo, gt = hi;

		/* x[lo, lt) < pivot, x[lt, i) == pivot, x[gt, hi) > pivot */
		while (i < gt) {
			if (x[i] < pivot)
				swap(&x[lt++], &x[i++]);
			else if (x[i] > pivot)
				swap(&x[i], &x[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	return x[k];
}

/* Median of a scratch copy that may be reordered. */
static double median_inplace(double *x, size_t n)
{
	double upper = select_kth(x, n, n / 2), lower;

	if (n % 2)
		return upper;
	/* the lower middle is the largest of what selection left below */
	lower = x[0];
	for (size_t i = 1; i < n / 2; i++)
		if (x[i] > lower)
			lower = x[i];
	return (lower + upper) / 2;
}

double vb_median(const double *x, size_t n)
{
	double *c, m;

	if (n == 0)
		return NAN;
	c = malloc(n * sizeof(*c));
	if (!c)
		return NAN;
	memcpy(c, x, n * sizeof(*c));
	m = median_inplace(c, n);
	free(c);
	return m;
}

double vb_quantile(const double *x, size_t n, double q)
{
	double *s, pos, v;
	size_t i;

	if (!n || !(s = malloc(n * sizeof(*s))))
		return NAN;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	v = i + 1 < n ? s[i] + (pos - (double)i) * (s[i + 1] - s[i]) : s[n - 1];
	free(s);
	return v;
}

double vb_mad(const double *x, size_t n)
{
	double *d, med, m;

	if (n == 0)
		return NAN;
	d = malloc(n * sizeof(*d));
	if (!d)
		return NAN;
	med = vb_median(x, n);
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(x[i] - med);
	m = median_inplace(d, n);
	free(d);
	return m;
}

/* t(0.995, df) and t(0.975, df) for df 1..30, from the standard tables. */
static const double t995[30] = {
	63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169,
	3.106,  3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845,
	2.831,  2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750,
};
static const double t975[30] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

/* From the table up to df 30, above it the Cornish-Fisher expansion around z. */
static double t_quantile(const double *table, double z, unsigned df)
{
	double d = df, z3 = z * z * z, z5 = z3 * z * z;

	if (!df)
		return NAN;
	if (df <= 30)
		return table[df - 1];
	return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d);
}

double vb_t995(unsigned df)
{
	return t_quantile(t995, 2.5758293, df); /* z: the normal's 0.995 quantile */
}

double vb_t975(unsigned df)
{
	return t_quantile(t975, 1.9599640, df);
}

uint64_t vb_rand_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t vb_rand_below(uint64_t *s, size_t n)
{
	return n ? (size_t)(vb_rand_next(s) % n) : 0;
}

int vb_bootstrap_median_ci(const double *x, size_t n, unsigned reps, uint64_t seed,
			   double *lo, double *hi)
{
	double *meds, *res;
	uint64_t st = seed;

	if (n == 0 || reps == 0)
		return -1;
	meds = malloc(reps * sizeof(*meds));
	res = malloc(n * sizeof(*res));
	if (!meds || !res) {
		free(meds);
		free(res);
		return -1;
	}
	for (unsigned r = 0; r < reps; r++) {
		for (size_t i = 0; i < n; i++)
			res[i] = x[vb_rand_below(&st, n)];
		meds[r] = median_inplace(res, n);
	}
	qsort(meds, reps, sizeof(*meds), cmp_double);
	*lo = meds[(size_t)floor(0.025 * (reps - 1))];
	*hi = meds[(size_t)ceil(0.975 * (reps - 1))];
	free(meds);
	free(res);
	return 0;
}
