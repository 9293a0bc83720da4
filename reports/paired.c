/* SPDX-License-Identifier: MIT */
/* Sign-flip test and t interval over per-round log ratios; see paired.h. */
#include "paired.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../common/stats.h"

#define EXACT_ROUNDS 20 /* 2^20 sign patterns at most */
#define RANDOM_FLIPS 9999
#define SEED 0x5eed2027u

/* |sum of d with the signs of the set bits of flip negated|. */
static double flipped_sum(const double *d, size_t n, uint64_t flip)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += flip >> i & 1 ? -d[i] : d[i];
	return fabs(s);
}

/* |sum of d with random signs|: any number of rounds. */
static double random_sum(const double *d, size_t n, uint64_t *st)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += vb_rand_below(st, 2) ? -d[i] : d[i];
	return fabs(s);
}

static void sign_flip(const double *d, size_t n, struct rp_paired *out)
{
	/* ties with the observed sum count as hits despite rounding */
	double obs = flipped_sum(d, n, 0) * (1 - 1e-12);
	uint64_t st = SEED;
	long hits = 0;

	out->exact = n <= EXACT_ROUNDS;
	if (out->exact) {
		uint64_t patterns = 1ull << n;

		for (uint64_t f = 0; f < patterns; f++)
			hits += flipped_sum(d, n, f) >= obs;
		out->p = (double)hits / (double)patterns;
		/* all signs as observed, or all flipped: both are as extreme */
		out->min_p = 2.0 / (double)patterns;
		return;
	}
	for (long t = 0; t < RANDOM_FLIPS; t++)
		hits += random_sum(d, n, &st) >= obs;
	out->p = (double)(hits + 1) / (RANDOM_FLIPS + 1);
	out->min_p = 1.0 / (RANDOM_FLIPS + 1);
}

static double mean(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

/* The 95% t interval of the mean log ratio, as changes; NAN under 2 rounds. */
static void t_interval(const double *d, size_t n, double m, double *lo, double *hi)
{
	double ss = 0, half;

	*lo = *hi = NAN;
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		ss += (d[i] - m) * (d[i] - m);
	half = vb_t975((unsigned)(n - 1)) * sqrt(ss / (double)(n - 1) / (double)n);
	*lo = exp(m - half) - 1;
	*hi = exp(m + half) - 1;
}

int rp_paired_test(const double *logratio, size_t n, struct rp_paired *out)
{
	double m;

	if (!n)
		return -1;
	m = mean(logratio, n);
	out->change = exp(m) - 1;
	t_interval(logratio, n, m, &out->ci_lo, &out->ci_hi);
	sign_flip(logratio, n, out);
	return 0;
}
