/* SPDX-License-Identifier: MIT */
/* Sign-flip test and bootstrap interval over per-round ratios; see paired.h. */
#include "paired.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../common/stats.h"

#define EXACT_ROUNDS 20 /* 2^20 sign patterns at most */
#define RANDOM_FLIPS 9999
#define SEED 0x5eed2027u

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

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

/* The 95% percentile interval of the mean log ratio, rounds resampled, as changes. */
static int bootstrap(const double *d, size_t n, double *lo, double *hi)
{
	double *buf = malloc(n * sizeof(*buf)), *m = malloc(RP_PAIRED_CI_REPS * sizeof(*m));
	uint64_t st = SEED;
	int rc = -1;

	if (buf && m) {
		for (unsigned r = 0; r < RP_PAIRED_CI_REPS; r++) {
			for (size_t i = 0; i < n; i++)
				buf[i] = d[vb_rand_below(&st, n)];
			m[r] = mean(buf, n);
		}
		qsort(m, RP_PAIRED_CI_REPS, sizeof(*m), cmp_double);
		*lo = exp(m[(size_t)floor(0.025 * (RP_PAIRED_CI_REPS - 1))]) - 1;
		*hi = exp(m[(size_t)ceil(0.975 * (RP_PAIRED_CI_REPS - 1))]) - 1;
		rc = 0;
	}
	free(buf);
	free(m);
	return rc;
}

int rp_paired_test(const double *logratio, size_t n, struct rp_paired *out)
{
	if (!n || bootstrap(logratio, n, &out->ci_lo, &out->ci_hi))
		return -1;
	out->change = exp(mean(logratio, n)) - 1;
	sign_flip(logratio, n, out);
	return 0;
}
